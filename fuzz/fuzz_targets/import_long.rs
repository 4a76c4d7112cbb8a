//! `engine::import` of a file named `.csv` (seeded with Gapwise's long CSV exports, read back by `long`),
//! then every view and export of what it gives.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::import_and_use(data, "fuzz.csv");
});
