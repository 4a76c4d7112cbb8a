//! The share-link decoder past its wrapping: the input is the link's JSON, packed as a link
//! packs it (zlib, URL-safe base64, `v1.`), so the fuzzer works on the JSON a hostile link
//! carries rather than on base64 that rarely unpacks.
#![no_main]

mod common;

use base64::Engine as _;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(data, 1);
    let fragment = format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    );
    common::link_and_use(&fragment);
});
