//! Workbook bytes as uploaded: the first byte picks the name (`.xlsx`, `.ods`, `.xls`), the
//! rest is the file. `sheet_names`, `default_sheet`, then the import of every sheet.
#![no_main]

mod common;

use gapwise::engine::{default_sheet, import, sheet_names, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = match which % 3 {
        0 => "fuzz.xlsx",
        1 => "fuzz.ods",
        _ => "fuzz.xls",
    };
    read_workbook(bytes, name);
});

fn read_workbook(bytes: &[u8], name: &str) {
    let _ = default_sheet(bytes, name);
    let Ok(sheets) = sheet_names(bytes, name) else {
        return;
    };
    common::import_and_use(bytes, name);
    for sheet in sheets.iter().take(4) {
        let options = ImportOptions {
            sheet: Some(sheet.clone()),
            ..common::options()
        };
        if let Ok(imported) = import(bytes, name, &options) {
            common::use_schedule(&imported.schedule, imported.scenario.as_ref());
        }
    }
}
