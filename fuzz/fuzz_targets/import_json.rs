//! `engine::import` of a file named `.json` (canonical `gapwise-schedule/1` JSON), then every
//! view and export of what it gives.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::import_and_use(data, "fuzz.json");
});
