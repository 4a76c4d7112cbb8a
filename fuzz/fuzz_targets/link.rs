//! The share-link decoder on any text (`decode_link`, `is_link_fragment`); an accepted link's
//! state is restored as the page restores it, and written again reads back the same.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::link_and_use(text);
    }
});
