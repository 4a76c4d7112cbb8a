//! The one way in to reading a workbook's sheet ([`workbook_rows`]): `spreadsheet` reads it
//! with `calamine` in a build with the `workbook` feature; a build without it (the page's,
//! Cargo.toml's features) hands workbooks to the worker and only says so here.

use super::grid::ImportOptions;
use super::workbook_kind::SheetRead;
use crate::engine::model::error::Error;

/// The sheet of a workbook an import reads (`spreadsheet`). A build without the `workbook`
/// feature (the page's) has no reader: its workbooks go to the worker, and this says so.
pub(crate) fn workbook_rows(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<SheetRead, Error> {
    #[cfg(feature = "workbook")]
    return super::spreadsheet::workbook_rows(bytes, file_name, options);
    #[cfg(not(feature = "workbook"))]
    {
        let _ = (bytes, file_name, options);
        Err(Error::new(
            crate::engine::model::error::ErrorKind::WorkbookElsewhere,
        ))
    }
}
