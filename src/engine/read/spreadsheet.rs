//! Workbooks in: `.xlsx`, `.xlsm`, `.xls` and `.ods`, read with `calamine`.
//!
//! This module owns opening a workbook, listing and choosing its sheets, and turning a sheet's
//! cells into the rows of text cells the CSV reader builds, so that every detection of
//! docs/domain.md "The schedule" (header, unit row, years, sections, subtotal rows) is `import`'s,
//! shared and unchanged. It does not detect anything itself.
//!
//! How cells are read:
//!
//! - **Numbers** are the values the file stores. A spreadsheet stores them as binary doubles,
//!   exact to 15 significant digits: each is written as the shortest decimal that reads back to
//!   the same double (so `0.1` is `0.1`, never `0.1000000000000000055…`), then rounded to 15
//!   significant digits and 10 decimal places, Excel's precision and Gapwise's, so that a
//!   formula's binary noise (`0.30000000000000004`) is the `0.3` the sheet shows. The display
//!   format is not read: a cell showing `1,435.0` that stores 1435 reads `1435`.
//! - **Formula cells** are read as the results saved with the file (their cached values); no
//!   formula is recalculated. A subtotal `=SUM(...)` is therefore a published figure to check,
//!   like a typed one.
//! - **Error values** (`#REF!`, `#DIV/0!`, `#N/A`) are written as their text, which import
//!   reads as "no figure" and reports, as it does `#VALUE!` in a CSV.
//! - **Dates** are written `YYYY-MM-DD`; in a row holding no numbers (a header row), a date on
//!   1 April or 31 March is written as the financial year it opens or closes (`2017/18`).
//! - **Merged cells**: a merged region's value is in its first (top-left) cell and the other
//!   cells of the region read as empty, whatever a writer left in them. That is what detection
//!   needs: a section heading merged across the row is still one filled text cell, and a
//!   `Financial year` caption merged over the year columns stands over the first of them (see
//!   `years` for the two-row heading). A year heading is never copied across a merge, which
//!   would name the year twice. `.ods` merges are not listed by `calamine`; their covered cells
//!   are empty already.
//! - Rows and columns keep their spreadsheet positions: `row 14, column C` is cell C14.
//!
//! Limits: the file size limit applies before anything is parsed; at most [`MAX_SHEET_CELLS`]
//! filled cells are read from a sheet, and cells beyond column [`MAX_COLUMNS`] are ignored
//! and reported, so a sheet declaring a huge dimension, or a stray cell at `XFD1048576`, costs
//! only what it holds. `.xlsx` sheets are streamed cell by cell; `.xls` and `.ods` sheets are
//! read whole by `calamine` (their formats bound them: 65,536 × 256 cells for `.xls`). A damaged,
//! cut or password-protected workbook is an error with a message, never a panic or a hang:
//! before `calamine` reads an `.xlsx`, its cell references are checked (`check_references`),
//! and an `.ods`'s `content.xml` is checked to be whole (`check_ods_content`), since `calamine`
//! overflows on the ones and loops for ever on the other (found by fuzzing, README "Fuzzing").

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{
    CellErrorType, Data, DataRef, Dimensions, Ods, OdsError, Reader, SheetVisible, Xls, XlsError,
    Xlsx, XlsxError,
};

use super::grid::{find_header, ImportOptions, Row};
pub use super::workbook_kind::MAX_SHEET_CELLS;
use super::workbook_kind::{extension, named_as_workbook, SheetRead, OLE_MAGIC, ZIP_MAGIC};

const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Xlsx,
    Xls,
    Ods,
}

impl Format {
    fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "XLSX",
            Format::Xls => "XLS",
            Format::Ods => "ODS",
        }
    }
}

/// The format: the file's signature decides, then its name. An OLE file is `.xls` (or an
/// encrypted `.xlsx`, found when opening); a zip is `.ods` when its `mimetype` says so (the
/// first entry, stored uncompressed), else `.xlsx`.
fn format_of(bytes: &[u8], file_name: &str) -> Format {
    if bytes.starts_with(OLE_MAGIC) {
        return Format::Xls;
    }
    if bytes.starts_with(ZIP_MAGIC) {
        let head = &bytes[..bytes.len().min(200)];
        return if head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME) {
            Format::Ods
        } else {
            Format::Xlsx
        };
    }
    match extension(file_name).as_str() {
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        _ => Format::Xlsx,
    }
}

use super::workbook_checks::check_ods_content;
use super::workbook_checks::check_references;
use super::workbook_checks::workbook_error;
use crate::engine::model::error::{
    Error, ErrorKind, Limited, Position, WorkbookFormat, WorkbookProblem,
};
use crate::engine::model::limits::MAX_COLUMNS;
use crate::engine::model::years::year_of_date;

type Source<'a> = Cursor<&'a [u8]>;

enum Book<'a> {
    Xlsx(Box<Xlsx<Source<'a>>>),
    Xls(Box<Xls<Source<'a>>>),
    Ods(Box<Ods<Source<'a>>>),
}

fn xlsx_error(e: XlsxError) -> Error {
    match e {
        XlsxError::Password => Error::new(ErrorKind::Protected),
        XlsxError::Zip(z) => workbook_error(WorkbookProblem::Zip {
            format: WorkbookFormat::Xlsx,
            message: z.to_string(),
        }),
        XlsxError::FileNotFound(f) => workbook_error(WorkbookProblem::NotExcel { missing: f }),
        e => workbook_error(WorkbookProblem::Reader {
            format: WorkbookFormat::Xlsx,
            message: e.to_string(),
        }),
    }
}

fn xls_error(e: XlsError) -> Error {
    match e {
        XlsError::Password => Error::new(ErrorKind::Protected),
        e => workbook_error(WorkbookProblem::Reader {
            format: WorkbookFormat::Xls,
            message: e.to_string(),
        }),
    }
}

fn ods_error(e: OdsError) -> Error {
    match e {
        OdsError::Password => Error::new(ErrorKind::Protected),
        OdsError::Zip(z) => workbook_error(WorkbookProblem::Zip {
            format: WorkbookFormat::Ods,
            message: z.to_string(),
        }),
        e => workbook_error(WorkbookProblem::Reader {
            format: WorkbookFormat::Ods,
            message: e.to_string(),
        }),
    }
}

/// Opens a workbook. A file that is neither named as a workbook nor opens as one (a zip that
/// holds something else, renamed `.csv`) is [`ErrorKind::Binary`], as before workbooks were
/// read; one named as a workbook that does not open says why.
fn open<'a>(bytes: &'a [u8], file_name: &str) -> Result<(Book<'a>, Format), Error> {
    if bytes.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let format = format_of(bytes, file_name);
    let source = Cursor::new(bytes);
    let opened = match format {
        Format::Xlsx => check_references(bytes).and_then(|()| {
            Xlsx::new(source)
                .map(|b| Book::Xlsx(Box::new(b)))
                .map_err(xlsx_error)
        }),
        Format::Xls => {
            // An encrypted .xlsx is an OLE file too: calamine's xlsx reader recognises it.
            if let Err(XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
                return Err(Error::new(ErrorKind::Protected));
            }
            Xls::new(source)
                .map(|b| Book::Xls(Box::new(b)))
                .map_err(xls_error)
        }
        Format::Ods => check_ods_content(bytes).and_then(|()| {
            Ods::new(source)
                .map(|b| Book::Ods(Box::new(b)))
                .map_err(ods_error)
        }),
    };
    match opened {
        Ok(book) => Ok((book, format)),
        Err(e) if !named_as_workbook(file_name) && e.kind() != &ErrorKind::Protected => {
            Err(Error::new(ErrorKind::Binary))
        }
        Err(e) => Err(e),
    }
}

impl Book<'_> {
    /// The worksheets, in the workbook's order, with whether each is visible. Chart and dialog
    /// sheets hold no cells and are left out.
    fn sheets(&self) -> Vec<(String, bool)> {
        let metadata = match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b) => b.sheets_metadata(),
        };
        metadata
            .iter()
            .filter(|s| {
                matches!(
                    s.typ,
                    calamine::SheetType::WorkSheet | calamine::SheetType::MacroSheet
                )
            })
            .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
            .collect()
    }

    /// A sheet's filled cells, by spreadsheet position, with its merged regions cleared
    /// (module doc, "Merged cells").
    fn grid(&mut self, name: &str) -> Result<Grid, Error> {
        let mut grid = Grid::default();
        let merges: Vec<Dimensions> = match self {
            Book::Xlsx(b) => {
                {
                    let mut reader = b.worksheet_cells_reader(name).map_err(xlsx_error)?;
                    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
                        let (r, c) = cell.get_position();
                        grid.put(r, c, Value::from(cell.get_value()))?;
                    }
                }
                match b.worksheet_merge_cells(name) {
                    Some(Ok(m)) => m,
                    Some(Err(e)) => return Err(xlsx_error(e)),
                    None => Vec::new(),
                }
            }
            Book::Xls(b) => {
                let range = b.worksheet_range(name).map_err(xls_error)?;
                grid.put_range(&range)?;
                b.worksheet_merge_cells(name).unwrap_or_default()
            }
            Book::Ods(b) => {
                let range = b.worksheet_range(name).map_err(ods_error)?;
                grid.put_range(&range)?;
                Vec::new()
            }
        };
        for m in merges {
            grid.clear_merged(&m);
        }
        Ok(grid)
    }
}

/// One cell's value, whichever reader gave it.
enum Value<'a> {
    Empty,
    Int(i64),
    Float(f64),
    Text(&'a str),
    Bool(bool),
    Date(calamine::ExcelDateTime),
    Iso(&'a str),
    Error(&'a CellErrorType),
}

impl<'a> From<&'a DataRef<'a>> for Value<'a> {
    fn from(d: &'a DataRef<'a>) -> Value<'a> {
        match d {
            DataRef::Empty => Value::Empty,
            DataRef::Int(i) => Value::Int(*i),
            DataRef::Float(f) => Value::Float(*f),
            DataRef::String(s) => Value::Text(s),
            DataRef::SharedString(s) => Value::Text(s),
            DataRef::Bool(b) => Value::Bool(*b),
            DataRef::DateTime(d) => Value::Date(*d),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Iso(s),
            DataRef::Error(e) => Value::Error(e),
        }
    }
}

impl<'a> From<&'a Data> for Value<'a> {
    fn from(d: &'a Data) -> Value<'a> {
        match d {
            Data::Empty => Value::Empty,
            Data::Int(i) => Value::Int(*i),
            Data::Float(f) => Value::Float(*f),
            Data::String(s) => Value::Text(s),
            Data::Bool(b) => Value::Bool(*b),
            Data::DateTime(d) => Value::Date(*d),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Iso(s),
            Data::Error(e) => Value::Error(e),
        }
    }
}

/// A cell as text, and what it was.
struct Cell {
    text: String,
    number: bool,
    /// For a date: the financial year it names, if it clearly names one.
    year_label: Option<String>,
}

/// The filled cells of a sheet, row by row.
#[derive(Default)]
struct Grid {
    rows: BTreeMap<u32, BTreeMap<u32, Cell>>,
    count: usize,
    /// Cells beyond [`MAX_COLUMNS`], by row: ignored and reported.
    beyond: BTreeMap<u32, usize>,
}

impl Grid {
    fn put(&mut self, row: u32, col: u32, value: Value<'_>) -> Result<(), Error> {
        let Some(cell) = cell_of(value) else {
            return Ok(());
        };
        if col as usize >= MAX_COLUMNS {
            *self.beyond.entry(row).or_default() += 1;
            return Ok(());
        }
        self.count += 1;
        if self.count > MAX_SHEET_CELLS {
            return Err(Error::new(ErrorKind::Limit {
                what: Limited::SheetCells,
                found: self.count,
                limit: MAX_SHEET_CELLS,
            }));
        }
        self.rows.entry(row).or_default().insert(col, cell);
        Ok(())
    }

    fn put_range(&mut self, range: &calamine::Range<Data>) -> Result<(), Error> {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            self.put(r0 + r as u32, c0 + c as u32, Value::from(v))?;
        }
        Ok(())
    }

    fn clear_merged(&mut self, m: &Dimensions) {
        // A damaged file may name its corners the wrong way round (`B2:A1`).
        let (top, bottom) = (m.start.0.min(m.end.0), m.start.0.max(m.end.0));
        let (left, right) = (m.start.1.min(m.end.1), m.start.1.max(m.end.1));
        let rows: Vec<u32> = self.rows.range(top..=bottom).map(|(r, _)| *r).collect();
        for r in rows {
            if let Some(row) = self.rows.get_mut(&r) {
                let covered: Vec<u32> = row
                    .range(left..=right)
                    .map(|(c, _)| *c)
                    .filter(|c| (r, *c) != (top, left))
                    .collect();
                for c in covered {
                    row.remove(&c);
                }
            }
        }
    }

    /// The rows as `import` reads them: each row's cells from column A, positions kept.
    fn into_rows(self) -> (Vec<Row>, Vec<Error>) {
        let mut problems = Vec::new();
        for (r, count) in &self.beyond {
            problems.push(Error::at(
                ErrorKind::ExtraCells { count: *count },
                Position {
                    row: *r as usize + 1,
                    line: *r as usize + 1,
                    ..Position::default()
                },
            ));
        }
        let rows = self
            .rows
            .into_iter()
            .map(|(r, cells)| {
                let header_like = !cells.values().any(|c| c.number);
                let width = cells.keys().next_back().map_or(0, |c| *c as usize + 1);
                let mut out = vec![String::new(); width];
                for (c, cell) in cells {
                    out[c as usize] = match (header_like, cell.year_label) {
                        (true, Some(label)) => label,
                        _ => cell.text,
                    };
                }
                Row {
                    row: r as usize + 1,
                    line: r as usize + 1,
                    cells: out.into(),
                }
            })
            .collect();
        (rows, problems)
    }
}

fn cell_of(value: Value<'_>) -> Option<Cell> {
    let plain = |text: String| Cell {
        text,
        number: false,
        year_label: None,
    };
    Some(match value {
        Value::Empty => return None,
        Value::Text(s) if s.trim().is_empty() => return None,
        Value::Text(s) => plain(s.to_string()),
        Value::Int(i) => Cell {
            text: i.to_string(),
            number: true,
            year_label: None,
        },
        Value::Float(f) => Cell {
            text: number_text(f),
            number: true,
            year_label: None,
        },
        Value::Bool(b) => plain(if b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Error(e) => plain(e.to_string()),
        Value::Iso(s) => {
            let mut cell = plain(s.to_string());
            cell.year_label = iso_year(s);
            cell
        }
        Value::Date(d) => {
            let serial = d.as_f64();
            if d.is_duration() || !(1.0..=2_958_465.0).contains(&serial) {
                // A duration, or a serial outside Excel's dates: the number as stored.
                Cell {
                    text: number_text(serial),
                    number: true,
                    year_label: None,
                }
            } else {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                let mut cell = plain(format!("{y:04}-{m:02}-{day:02}"));
                cell.year_label =
                    year_of_date(i32::from(y), u32::from(m), u32::from(day)).map(|fy| fy.label());
                cell
            }
        }
    })
}

/// `2017-04-01` or `2017-04-01T00:00:00` (how `.ods` writes dates) → its financial year, when
/// it clearly names one.
fn iso_year(s: &str) -> Option<String> {
    let date = s.get(..10)?;
    let rest = &s[10..];
    if !(rest.is_empty() || rest.starts_with('T')) {
        return None;
    }
    let mut parts = date.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    year_of_date(y, m, d).map(|fy| fy.label())
}

/// Significant digits a spreadsheet number keeps (Excel's precision).
const SIGNIFICANT: usize = 15;
/// Decimal places a spreadsheet number keeps (Gapwise's `MAX_DECIMALS`).
const PLACES: i32 = 10;

/// A stored double as the plain decimal it stands for: its shortest round-trip digits,
/// rounded (half away from zero) to 15 significant digits and 10 decimal places, trailing
/// zeros dropped.
///
/// ```text
/// 0.1 → "0.1"   0.30000000000000004 → "0.3"   -1435 → "-1435"   1e20 → "100000000000000000000"
/// ```
pub(crate) fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return "#NUM!".to_string();
    }
    // `{:e}` gives the shortest digits that read back to the same double: `3.0000000000000004e-1`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    // The value is digits × 10^scale_exp.
    let mut scale_exp = exponent - fraction;
    let mut keep = digits.len().min(SIGNIFICANT);
    // Digits below 10^-PLACES go too.
    let below = (-PLACES - scale_exp).max(0) as usize;
    keep = keep.min(digits.len().saturating_sub(below));
    if keep < digits.len() {
        let drop = digits.len() - keep;
        let round_up = digits[keep] >= 5;
        digits.truncate(keep);
        scale_exp += drop as i32;
        if round_up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, 1);
                    break;
                }
                i -= 1;
                if digits[i] == 9 {
                    digits[i] = 0;
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
        scale_exp += 1;
    }
    if digits.is_empty() || digits.iter().all(|d| *d == 0) {
        return "0".to_string();
    }
    let mut text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if scale_exp >= 0 {
        text.extend(std::iter::repeat_n('0', scale_exp as usize));
    } else {
        let places = (-scale_exp) as usize;
        if text.len() <= places {
            text = format!("0.{}{}", "0".repeat(places - text.len()), text);
        } else {
            text.insert(text.len() - places, '.');
        }
    }
    if f < 0.0 {
        text.insert(0, '-');
    }
    text
}

/// The worksheets of a workbook, in its order (chart sheets left out), for the page to offer a
/// choice when there are several. A workbook that cannot be opened is an error, as on import.
///
/// ```
/// # use gapwise::engine::sheet_names;
/// assert!(sheet_names(b"PK\x03\x04 not really", "book.xlsx").is_err());
/// ```
pub fn sheet_names(bytes: &[u8], file_name: &str) -> Result<Vec<String>, Error> {
    let (book, _) = open(bytes, file_name).map_err(|e| e.in_file(file_name))?;
    Ok(book.sheets().into_iter().map(|(name, _)| name).collect())
}

/// The sheet an import with no sheet chosen reads ([`ImportOptions::sheet`]): the first visible
/// sheet that looks like a schedule (a header row naming financial years in its first 50
/// rows), else the first visible sheet, else the first.
pub fn default_sheet(bytes: &[u8], file_name: &str) -> Result<String, Error> {
    let (mut book, _) = open(bytes, file_name).map_err(|e| e.in_file(file_name))?;
    pick(&mut book)
        .map(|(name, _)| name)
        .map_err(|e| e.in_file(file_name))
}

/// A sheet read as rows, with the problems met (cells past the last column read).
type SheetRows = (Vec<Row>, Vec<Error>);

/// The default sheet's name, with its rows when they were read to choose it.
fn pick(book: &mut Book<'_>) -> Result<(String, Option<SheetRows>), Error> {
    let sheets = book.sheets();
    if sheets.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    for (name, visible) in &sheets {
        if !visible {
            continue;
        }
        // A sheet that cannot be read is passed over here; reading it as the choice says why.
        if let Ok(grid) = book.grid(name) {
            let read = grid.into_rows();
            if find_header(&read.0).is_some() {
                return Ok((name.clone(), Some(read)));
            }
        }
    }
    let first_visible = sheets.iter().find(|(_, v)| *v).unwrap_or(&sheets[0]);
    Ok((first_visible.0.clone(), None))
}

/// The sheet an import reads (the options' sheet, or [`default_sheet`]'s), read.
pub(crate) fn workbook_rows(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<SheetRead, Error> {
    let (mut book, format) = open(bytes, file_name)?;
    let sheets = book.sheets().into_iter().map(|(name, _)| name).collect();
    let (name, read) = match &options.sheet {
        Some(name) => {
            if !book.sheets().iter().any(|(n, _)| n == name) {
                return Err(workbook_error(WorkbookProblem::NoSheet {
                    name: name.clone(),
                }));
            }
            (name.clone(), None)
        }
        None => pick(&mut book)?,
    };
    let (rows, problems) = match read {
        Some(read) => read,
        None => book.grid(&name)?.into_rows(),
    };
    if rows.is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    Ok(SheetRead {
        rows,
        problems,
        format: format.label(),
        sheets,
        sheet: name,
    })
}

#[cfg(test)]
mod tests {
    use super::super::workbook_checks::*;
    use super::super::workbook_kind::is_workbook;
    use super::*;

    #[test]
    fn numbers_read_as_the_sheet_shows_them() {
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(0.1 + 0.2), "0.3");
        assert_eq!(number_text(-1435.0), "-1435");
        assert_eq!(number_text(1.374), "1.374");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(
            number_text("123456789.123456789".parse().unwrap()),
            "123456789.123457"
        );
        assert_eq!(number_text(2.842170943040401e-14), "0");
        assert_eq!(number_text(0.00000000005), "0.0000000001");
        assert_eq!(number_text("999999.9999999999".parse().unwrap()), "1000000");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(f64::NAN), "#NUM!");
        assert_eq!(number_text(0.000123), "0.000123");
    }

    #[test]
    fn formats() {
        assert_eq!(format_of(OLE_MAGIC, "a.xlsx"), Format::Xls);
        assert_eq!(format_of(b"PK\x03\x04", "a.ods"), Format::Xlsx);
        assert_eq!(format_of(b"", "a.ods"), Format::Ods);
        assert!(is_workbook(b"PK\x03\x04", "a.csv"));
        assert!(!is_workbook(b"a,b", "a.csv"));
    }

    #[test]
    fn not_a_workbook_named_csv_is_binary() {
        let e = open(b"PK\x03\x04\x00\x00binary", "x.csv").err().unwrap();
        assert_eq!(e.kind(), &ErrorKind::Binary);
        let e = open(b"PK\x03\x04\x00\x00binary", "x.xlsx").err().unwrap();
        assert!(matches!(e.kind(), ErrorKind::Workbook { .. }));
    }

    #[test]
    fn references_within_the_last_cell_and_in_order() {
        for ok in [
            "A1",
            "XFD1048576",
            "A1:XFD1048576",
            "7",
            "B",
            "B:D",
            "1:3",
            "",
            "$A$1",
            "A1x",
        ] {
            assert!(is_reference(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "A99999999",
            "AAAA1",
            "B2:A1",
            "A2:B1",
            "A1:B2:CCCCC3",
            "A1:B99999999",
        ] {
            assert!(!is_reference(bad.as_bytes()), "{bad}");
        }
    }

    /// The XML is read in chunks: a reference cut between two is still read whole, and only the
    /// `r` and `ref` attributes are references (not `href`, not text, not `<r>` runs).
    #[test]
    fn references_are_found_in_attributes_only_across_chunks() {
        let scan = |chunks: &[&str]| {
            let mut s = ReferenceScanner::default();
            chunks.iter().try_for_each(|c| s.feed(c.as_bytes()))
        };
        assert_eq!(
            scan(&[r#"<c r="A1" t='s'><v>r="A99999999"</v></c>"#]),
            Ok(())
        );
        assert_eq!(scan(&[r#"<a href="A99999999"/><r><t>x</t></r>"#]), Ok(()));
        assert_eq!(
            scan(&[r#"<mergeCell ref = 'B2:"#, r#"A1'/>"#]),
            Err(b"B2:A1".to_vec())
        );
        assert_eq!(
            scan(&[r#"<row r="1"><c r="A9999"#, r#"9999" t="n"/>"#]),
            Err(b"A99999999".to_vec())
        );
        assert!(scan(&[&format!(r#"<c r="{}"/>"#, "A".repeat(100))]).is_err());
    }
}
