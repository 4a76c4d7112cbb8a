//! What a workbook is, told from its bytes and name without reading it ([`is_workbook`]), and
//! what reading one gives ([`SheetRead`]); `workbook` is the one way in to reading one. Reading is `spreadsheet`'s, with `calamine`, and is
//! built only with the `workbook` feature: the page is built without it and hands workbooks to
//! its worker (Cargo.toml's features), so this part is all the page needs to tell them apart.

use super::grid::Row;
use crate::engine::model::error::Error;

/// At most this many filled cells are read from one sheet.
pub const MAX_SHEET_CELLS: usize = 5_000_000;

pub(crate) const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
pub(crate) const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn extension(file_name: &str) -> String {
    file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

pub(crate) fn named_as_workbook(file_name: &str) -> bool {
    matches!(
        extension(file_name).as_str(),
        "xlsx" | "xlsm" | "xls" | "ods"
    )
}

/// True when the file is read as a workbook: named `.xlsx`, `.xlsm`, `.xls` or `.ods`, or
/// opening with a zip or OLE (old Office) signature whatever its name.
pub fn is_workbook(bytes: &[u8], file_name: &str) -> bool {
    named_as_workbook(file_name) || bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC)
}

/// A sheet as read by an import: its rows, the problems met reading them, the workbook's format
/// (`XLSX`, `XLS`, `ODS`), the workbook's sheets and the one read.
pub(crate) struct SheetRead {
    pub(crate) rows: Vec<Row>,
    pub(crate) problems: Vec<Error>,
    pub(crate) format: &'static str,
    pub(crate) sheets: Vec<String>,
    pub(crate) sheet: String,
}
