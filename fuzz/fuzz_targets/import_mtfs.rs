//! `engine::import` of a file named `.csv` (seeded with MTFS programme and monitoring tables, read by `mtfs`),
//! then every view and export of what it gives.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::import_and_use(data, "fuzz.csv");
});
