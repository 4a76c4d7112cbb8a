//! Import: bytes in, a [`Schedule`] out.
//!
//! This module owns reading a file as published: decoding (UTF-8 with or without BOM, UTF-16 with
//! a BOM, Windows-1252), the delimiter (comma, semicolon, tab), and the layout detection of
//! domain.md "The schedule": the header row (the first row naming financial years), the unit row,
//! year, total and text columns, section heading rows and subtotal/total rows, which become
//! [`TotalRow`] checks and never lines. Canonical JSON is recognised and handed to `canonical`; a
//! workbook (`.xlsx`, `.xls`, `.ods`) to `spreadsheet`, which reads a sheet into the same rows.
//!
//! A bad cell does not stop the import: it is reported as a problem with its row and column and
//! counts as "no figure", so no check silently treats it as zero. Only a file that cannot be a
//! schedule at all (empty, binary, no year columns, too large) is an error.

pub mod gap;
pub mod long;
pub mod mapping;
pub mod monitoring;
pub mod mtfs;
pub mod spreadsheet;

use std::borrow::Cow;

use rust_decimal::Decimal;

use self::mapping::{ColumnMapping, ColumnRole, Columns};
use crate::engine::model::canonical;
use crate::engine::model::error::{Error, ErrorKind, Position};
use crate::engine::model::number::{
    parse_amount, trim, Amount, NoFigure, NumberError, ParsedAmount, MAX_DECIMALS, MAX_MAGNITUDE,
};
use crate::engine::model::rating::Rag;
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::{
    ColumnRef, Line, Measure, Profile, Recurrence, Schedule, Section, SignConvention, TextColumn,
    TextField, TotalRow, TotalScope, Unit, YearColumn,
};
use crate::engine::model::years::find_year;

pub use crate::engine::model::limits::{DEFAULT_MAX_BYTES, MAX_COLUMNS, MAX_PROBLEMS, MAX_YEARS};
use crate::engine::model::units::to_unit;
/// How many rows from the top the header row is looked for in.
pub(crate) const HEADER_SEARCH_ROWS: usize = 50;

/// Choices the user can make instead of detection.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImportOptions {
    /// Field delimiter; detected when `None`.
    pub delimiter: Option<u8>,
    /// Unit of the amounts; read from the unit row when `None`, else `£`.
    pub unit: Option<Unit>,
    /// Files larger than this many bytes are refused.
    pub max_bytes: usize,
    /// The sheet of a workbook (`.xlsx`, `.xlsm`, `.xls`, `.ods`) to read, by name. When `None`,
    /// the first visible sheet that looks like a schedule (a header row naming financial years
    /// in its first 50 rows) is read, else the first sheet. Ignored for CSV and JSON.
    pub sheet: Option<String>,
    /// The user's column mapping (`mapping`): which row is the header and what each of its
    /// columns is, used instead of detecting them, and validated against the file. Sections and
    /// total rows are still detected. `None`: detected. Ignored for JSON and the long CSV, which
    /// name their own columns.
    pub mapping: Option<ColumnMapping>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            delimiter: None,
            unit: None,
            max_bytes: DEFAULT_MAX_BYTES,
            sheet: None,
            mapping: None,
        }
    }
}

/// What an import produced: the schedule, the problems met on the way (bad cells, ignored
/// cells), and what was detected.
#[derive(Clone, Debug)]
pub struct Imported {
    pub schedule: Schedule,
    /// Cell problems; the schedule loaded without those cells' figures.
    pub problems: Vec<Error>,
    /// Problems beyond [`MAX_PROBLEMS`], counted but not listed.
    pub more_problems: usize,
    /// `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `windows-1252`, or `JSON`; for a workbook its format,
    /// `XLSX`, `XLS` or `ODS`.
    pub encoding: &'static str,
    /// The delimiter used, for CSV.
    pub delimiter: Option<u8>,
    /// Whether the unit was stated in the file (or by the options) rather than assumed.
    pub unit_stated: bool,
    /// A scenario the file states beside its figures: an MTFS programme file's achievement
    /// rates (`mtfs`). `None` for every other file.
    pub scenario: Option<Scenario>,
    /// For a workbook, its sheets in order and the one read; empty and `None` otherwise.
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
}

/// Imports a schedule from a file's bytes. `file_name` titles the schedule when the file has no
/// title row, and names the file in messages.
///
/// ```
/// use gapwise::engine::{import, ImportOptions};
/// let csv = "Project,2017/18,2018/19,Total\n,£'000,£'000,£'000\nA,\"1,000.0\",(200.0),800.0\n";
/// let imported = import(csv.as_bytes(), "a.csv", &ImportOptions::default()).unwrap();
/// assert_eq!(imported.schedule.lines.len(), 1);
/// assert_eq!(imported.schedule.unit.label(), "£'000");
/// ```
pub fn import(bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<Imported, Error> {
    let mut imported = import_inner(bytes, file_name, options).map_err(|e| e.in_file(file_name))?;
    for p in &mut imported.problems {
        *p = p.clone().in_file(file_name);
    }
    Ok(imported)
}

fn import_inner(bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<Imported, Error> {
    if bytes.len() > options.max_bytes {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: bytes.len(),
            limit: options.max_bytes,
        }));
    }
    if spreadsheet::is_workbook(bytes, file_name) {
        return spreadsheet::import_workbook(bytes, file_name, options);
    }
    let (text, encoding) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    if is_json(&text, file_name) {
        let schedule = canonical::from_json(&text)?;
        return Ok(Imported {
            schedule,
            problems: Vec::new(),
            more_problems: 0,
            encoding: "JSON",
            delimiter: None,
            unit_stated: true,
            scenario: None,
            sheets: Vec::new(),
            sheet: None,
        });
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let rows = read_rows(&text, delimiter)?;
    // Gapwise's own long CSV (one row per line and year) is read back by `long`.
    let mut imported = if rows
        .first()
        .is_some_and(|r| long::is_long_header(r.cells.iter()))
    {
        long::build_long(rows, file_name, options)?
    } else if let Some(table) = mtfs::recognise(&rows) {
        // Another tool's table (an MTFS programme file, a monitoring table).
        table.build(rows, file_name, options)?
    } else {
        build_schedule(rows, file_name, options)?
    };
    imported.encoding = encoding;
    imported.delimiter = Some(delimiter);
    Ok(imported)
}

/// A file is read as JSON when it opens with `{` or `[` and is either named `.json` or is JSON
/// at all. A CSV whose title cell opens with a bracket (`[DRAFT] Savings schedule`) is not JSON,
/// and is read as CSV rather than refused with a JSON syntax error.
pub(crate) fn is_json(text: &str, file_name: &str) -> bool {
    let t = text.trim_start();
    if !t.starts_with(['{', '[']) {
        return false;
    }
    // Skipping a value does not recurse, so a deeply nested document is no danger here.
    file_name.to_ascii_lowercase().ends_with(".json")
        || serde_json::from_str::<serde::de::IgnoredAny>(t).is_ok()
}

/// Decodes a file's bytes: a BOM decides (UTF-8, UTF-16LE/BE); else valid UTF-8 is UTF-8; else
/// Windows-1252, the encoding of Excel's CSV on Windows (where `£` is byte 0xA3). A file with
/// NUL bytes and no UTF-16 BOM is binary and refused.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), Error> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let name = if encoding == encoding_rs::UTF_8 {
            "UTF-8 (BOM)"
        } else {
            encoding.name()
        };
        if text.contains('\0') {
            return Err(Error::new(ErrorKind::Binary));
        }
        return Ok((text, name));
    }
    if bytes.contains(&0) {
        return Err(Error::new(ErrorKind::Binary));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Ok((text, "windows-1252"))
        }
    }
}

/// Picks the delimiter that occurs most outside quotes in the first rows: comma, semicolon or
/// tab. Ties and files with none go to comma.
pub fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let candidates = [b',', b';', b'\t'];
    let mut in_quotes = false;
    let mut lines = 0;
    for b in text.bytes().take(64 * 1024) {
        match b {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                lines += 1;
                if lines >= 30 {
                    break;
                }
            }
            _ if !in_quotes => {
                if let Some(i) = candidates.iter().position(|c| *c == b) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// A record of the file: its position and its cells. A workbook's sheet is read into the same
/// rows (`spreadsheet`), so every detection below is shared.
pub(crate) struct Row {
    pub(crate) row: usize,
    pub(crate) line: usize,
    pub(crate) cells: Cells,
}

/// The cells of a row: their text end to end in one string, and where each cell ends. Two
/// allocations per row whatever its width (a `Vec<String>` took one per cell: for a large file
/// most of the import's time and memory went to them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Cells {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Cells {
    /// The cells of a CSV record, or `None` for a record of 4 GB or more (which no file the
    /// import accepts holds).
    fn from_record(record: &csv::StringRecord) -> Option<Cells> {
        let text = record.as_slice();
        u32::try_from(text.len()).ok()?;
        let ends = (0..record.len())
            .map(|i| record.range(i).map_or(0, |r| r.end as u32))
            .collect();
        Some(Cells {
            text: text.into(),
            ends,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Cell `i`, if the row has it.
    pub(crate) fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The cells in order.
    pub(crate) fn iter(
        &self,
    ) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator + Clone + '_ {
        (0..self.len()).map(move |i| &self[i])
    }

    /// The cells as strings, for the few rows (a header) that are reworked.
    pub(crate) fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl std::ops::Index<usize> for Cells {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i).expect("a cell of the row")
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(cells: I) -> Cells {
        let mut text = String::new();
        let mut ends = Vec::new();
        for c in cells {
            text.push_str(c.as_ref());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Cells {
            text: text.into(),
            ends: ends.into(),
        }
    }
}

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Cells {
        cells.into_iter().collect()
    }
}

pub(crate) fn read_rows(text: &str, delimiter: u8) -> Result<Vec<Row>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // One record, refilled for each row: the cells are copied out of it.
    let mut record = csv::StringRecord::new();
    // The CSV reader skips empty lines, but a spreadsheet opening the file shows each as an
    // empty row: rows are counted as the spreadsheet does, so that "row 14" is row 14 there.
    let mut next_row = 1usize;
    let mut next_line = 1usize;
    loop {
        let more = reader.read_record(&mut record).map_err(|e| {
            let pos = e.position().cloned();
            Error::at(
                ErrorKind::Csv {
                    message: e.to_string(),
                },
                Position {
                    row: next_row,
                    line: pos.map(|p| p.line() as usize).unwrap_or(0),
                    ..Position::default()
                },
            )
        })?;
        if !more {
            break;
        }
        // The reader gives where it started reading, before the empty lines it skipped.
        let line = match record.position() {
            Some(p) => {
                let skipped = text
                    .as_bytes()
                    .get(p.byte() as usize..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|b| matches!(b, b'\r' | b'\n'))
                    .filter(|b| **b == b'\n')
                    .count();
                p.line() as usize + skipped
            }
            None => next_line,
        };
        let row = next_row + line.saturating_sub(next_line);
        // The record's cells lie end to end in one buffer: its line breaks are theirs.
        // (Most records have none: `contains` finds that out with `memchr`.)
        let cells = record.as_slice();
        let line_breaks = if cells.contains('\n') {
            cells.bytes().filter(|b| *b == b'\n').count()
        } else {
            0
        };
        let cells = Cells::from_record(&record).ok_or_else(|| {
            Error::at(
                ErrorKind::Limit {
                    what: "a row of the file is 4 GB or more".to_string(),
                },
                Position {
                    row,
                    line,
                    ..Position::default()
                },
            )
        })?;
        rows.push(Row { row, line, cells });
        next_row = row + 1;
        next_line = line + line_breaks + 1;
        if rows.len() % 4096 == 0 {
            if let Some(p) = record.position() {
                crate::engine::model::progress::report(p.byte(), text.len() as u64);
            }
        }
    }
    Ok(rows)
}

/// Undoes the `'` our exports put before text starting with `=`, `+`, `-`, `@`, tab or CR.
pub(crate) fn unneutralise(text: &str) -> String {
    let t = trim(text);
    match t.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => t.to_string(),
    }
}

/// What each column of the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ColumnKind {
    Text(usize),
    Year(usize),
    Total,
    Ignored,
}

pub(crate) fn is_figure_cell(cell: &str) -> bool {
    matches!(
        parse_amount(cell),
        Ok(ParsedAmount {
            amount: Amount::Figure(_),
            ..
        })
    ) && !matches!(cell.trim(), "-" | "–" | "—")
}

/// The header row is the first row (of the first 50) that names financial years (`years`
/// forms) in short cells and holds no figures: a data row that mentions `2024/25` in its
/// description also holds amounts, and is not a header. A row naming two or more years is
/// preferred to one naming a single year, so a title such as `Savings 2017-18` above the header
/// is not taken for it; with no such row, the first naming one year is the header.
pub(crate) fn find_header(rows: &[Row]) -> Option<usize> {
    let year_cells = |r: &Row| {
        if r.cells.iter().any(|c| is_figure_cell(c)) {
            return 0;
        }
        r.cells
            .iter()
            .filter(|c| c.len() <= 80 && find_year(c).is_some())
            .count()
    };
    let counts: Vec<usize> = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(year_cells)
        .collect();
    counts
        .iter()
        .position(|n| *n >= 2)
        .or_else(|| counts.iter().position(|n| *n >= 1))
}

pub(crate) fn is_total_header(header: &str) -> bool {
    let h = header.to_lowercase();
    h.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "total" || w == "cumulative")
}

/// Text that opens a subtotal or total row: `Total ...`, `Sub-total`, `Grand total`, and the
/// result rows of line-labelled tables: `Net Forecast ...`, `Revised ... Funding Gap ...`,
/// `Overall Investment / Funding Support`.
fn is_total_label(label: &str) -> bool {
    let l = trim(label);
    [
        "total",
        "sub-total",
        "sub total",
        "subtotal",
        "grand total",
        "net forecast",
        "revised",
    ]
    .iter()
    .any(|p| starts_with_any_case(l.as_bytes(), p))
        || contains_any_case(l, &["funding support"])
}

// Detection reads every line's text; these compare without lower-casing it into a new string.
// They give what `text.to_lowercase()` then `starts_with`/`contains` gives for the needles used
// here (ASCII, lower case, no `k`, no `i` last): outside ASCII only `İ` (to `i` and a combining
// dot) and the Kelvin sign (to `k`) lower-case to ASCII letters, and neither can complete a match.

/// Whether `text` starts with `needle` in any case (see above).
fn starts_with_any_case(text: &[u8], needle: &str) -> bool {
    text.len() >= needle.len()
        && needle
            .bytes()
            .zip(text)
            .all(|(n, t)| t.to_ascii_lowercase() == n)
}

/// Whether `text` contains one of `needles` (none empty) in any case (see above), in one pass
/// over it.
fn contains_any_case(text: &str, needles: &[&str]) -> bool {
    // The needles' first letters as a set of their low six bits (a `u64`: wasm and x86 shift
    // one natively, a `u128` is a library call per byte). Bytes that share a letter's low bits
    // (`!` and `a`) are candidates too, and are then compared exactly.
    // The same for their second letters (`| 0x20` lower-cases a letter, and maps other bytes
    // to some byte: a superset of candidates, again compared exactly).
    let (mut firsts, mut seconds) = (0u64, 0u64);
    let mut shortest = usize::MAX;
    for n in needles {
        let n = n.as_bytes();
        firsts |= 1 << (n[0] & 63);
        seconds |= 1 << (n.get(1).map_or(0, |b| b | 0x20) & 63);
        shortest = shortest.min(n.len());
    }
    if shortest < 2 {
        // Every byte is a candidate second letter.
        seconds = u64::MAX;
    }
    // No needle starts in the last `shortest - 1` bytes. (Plain loops: the page is built for
    // size, where range iterators are calls.)
    let t = text.as_bytes();
    let Some(last) = t.len().checked_sub(shortest) else {
        return false;
    };
    let mut i = 0;
    while i <= last {
        let c = t[i] | 0x20;
        let next = t.get(i + 1).map_or(0, |b| b | 0x20);
        if firsts >> (c & 63) & 1 != 0 && seconds >> (next & 63) & 1 != 0 {
            let c = t[i].to_ascii_lowercase();
            for n in needles {
                if n.as_bytes()[0] == c && starts_with_any_case(&t[i..], n) {
                    return true;
                }
            }
        }
        i += 1;
    }
    false
}

pub(crate) fn build_schedule(
    mut rows: Vec<Row>,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    // The header row and what each of its columns is: the user's mapping, else detected.
    let columns = match &options.mapping {
        Some(m) => mapping::mapped_columns(&mut rows, m)?,
        None => mapping::detected_columns(&mut rows)?,
    };
    build_with_columns(rows, columns, file_name, options)
}

/// Builds the schedule from its rows once the header row and the columns' roles are decided:
/// the title, the unit row, then sections, lines and total rows.
pub(crate) fn build_with_columns(
    rows: Vec<Row>,
    columns: Columns,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let Columns {
        header_index,
        title_end,
        roles,
        ..
    } = columns;
    let header = &rows[header_index];

    // Columns.
    let mut years: Vec<YearColumn> = Vec::new();
    let mut text_columns: Vec<TextColumn> = Vec::new();
    let mut total_header = None;
    let mut layout = Vec::new();
    let mut kinds = Vec::new();
    for (c, role) in roles.iter().enumerate() {
        let h = header.cells.get(c).map(|s| s.trim()).unwrap_or("");
        let kind = match *role {
            ColumnRole::Year { year } => {
                years.push(YearColumn {
                    year,
                    header: mapping::year_header(year, h),
                });
                layout.push(ColumnRef::Year(years.len() - 1));
                ColumnKind::Year(years.len() - 1)
            }
            ColumnRole::Total => {
                total_header = Some(mapping::total_header(h));
                layout.push(ColumnRef::Total);
                ColumnKind::Total
            }
            ColumnRole::Text { field } => {
                text_columns.push(TextColumn {
                    header: h.to_string(),
                    field,
                });
                layout.push(ColumnRef::Text(text_columns.len() - 1));
                ColumnKind::Text(text_columns.len() - 1)
            }
            ColumnRole::Ignored => ColumnKind::Ignored,
        };
        kinds.push(kind);
    }
    if years.len() > MAX_YEARS {
        return Err(Error::new(ErrorKind::Limit {
            what: format!(
                "the header has {} year columns; at most {MAX_YEARS}",
                years.len()
            ),
        }));
    }

    // Title: the first cell of a row above the header, else the file name.
    let title = rows[..title_end]
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty() && Unit::from_label(c).is_none())
        .map(str::to_string)
        .unwrap_or_else(|| title_from_file_name(file_name));

    // Unit row: right under the header, every non-empty cell a unit.
    let mut body_start = header_index + 1;
    let mut unit = options
        .unit
        .or(options.mapping.as_ref().and_then(|m| m.unit));
    let mut unit_stated = unit.is_some();
    if let Some(next) = rows.get(header_index + 1) {
        let units: Vec<Unit> = next
            .cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| Unit::from_label(c))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        if !units.is_empty() {
            body_start += 1;
            if unit.is_none() {
                unit = most_common(&units);
                unit_stated = true;
            }
        }
    }
    if unit.is_none() {
        unit = header.cells.iter().find_map(|c| unit_in_text(c));
        unit_stated = unit.is_some();
    }
    let unit = unit.unwrap_or(Unit::Pounds);

    let type_column = text_columns.iter().position(|t| t.field == TextField::Type);
    let rag_column = text_columns.iter().position(|t| t.field == TextField::Rag);
    let mut problems = Problems::default();

    let mut sections: Vec<Section> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut total_rows: Vec<TotalRow> = Vec::new();
    let mut lines_at_last_total = 0usize;
    let mut max_scale = 0u32;

    for r in &rows[body_start..] {
        // One pass over the cells, without allocating: how many are filled, beyond the header's
        // columns, in amount columns and in text columns, and the first filled text cell.
        let (mut filled, mut extra, mut amount_cells, mut text_cells) = (0, 0, 0, 0);
        let mut first_text_cell: Option<&str> = None;
        for (i, c) in r.cells.iter().enumerate() {
            let c = trim(c);
            // A cell of an ignored column is not there: a row holding only a note in one is
            // empty, and a heading with one is still a heading.
            if c.is_empty() || kinds.get(i) == Some(&ColumnKind::Ignored) {
                continue;
            }
            filled += 1;
            match kinds.get(i) {
                None => extra += 1,
                Some(ColumnKind::Year(_) | ColumnKind::Total) => amount_cells += 1,
                Some(ColumnKind::Text(_)) => {
                    text_cells += 1;
                    first_text_cell.get_or_insert(c);
                }
                Some(ColumnKind::Ignored) => {}
            }
        }
        if filled == 0 {
            continue;
        }
        problems.extra_cells(r, extra);
        if first_text_cell.is_some_and(|t| t.starts_with("Gapwise ")) {
            // A row our own export added (the computed grand total): not part of the schedule,
            // and skipped before its cells are read, so its computed figures are never reported
            // as problems nor count towards the schedule's decimals.
            continue;
        }

        // Section heading: one text cell, no amounts.
        if amount_cells == 0 && text_cells == 1 && filled == 1 {
            sections.push(Section {
                name: unneutralise(first_text_cell.unwrap_or_default()),
                row: r.row,
            });
            continue;
        }

        let mut text = vec![String::new(); text_columns.len()];
        let mut amounts = vec![Amount::Blank; years.len()];
        let mut total = total_header.as_ref().map(|_| Amount::Blank);
        for (c, kind) in kinds.iter().enumerate() {
            let cell = r.cells.get(c).unwrap_or("");
            let position = || Position {
                row: r.row,
                line: r.line,
                column: Some(c + 1),
                column_header: Some(header.cells[c].trim().to_string()),
            };
            match kind {
                ColumnKind::Text(t) => text[*t] = unneutralise(cell),
                ColumnKind::Year(y) => {
                    amounts[*y] = read_amount(cell, unit, position, &mut problems, &mut max_scale)
                }
                ColumnKind::Total => {
                    total = Some(read_amount(
                        cell,
                        unit,
                        position,
                        &mut problems,
                        &mut max_scale,
                    ))
                }
                ColumnKind::Ignored => {}
            }
        }

        let first_text = text
            .iter()
            .find(|t| !t.is_empty())
            .map_or("", String::as_str);
        if is_total_label(first_text) {
            // A total row is named by all its text: `Total · Investment Bids - Summary · Investment`.
            let label = text
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ");
            let measure = type_column.and_then(|t| Measure::from_text(&text[t]));
            let scope = if let Some(m) = measure {
                TotalScope::Measure(m)
            } else if label.to_lowercase().contains("funding support") {
                TotalScope::AllButBase
            } else {
                scope_since(&lines, lines_at_last_total)
            };
            lines_at_last_total = lines.len();
            total_rows.push(TotalRow {
                row: r.row,
                label,
                scope,
                amounts,
                total,
                text,
            });
            continue;
        }
        let recurrence = detect_recurrence(&text);
        let rag = rag_column.and_then(|c| Rag::parse(&text[c]));
        lines.push(Line {
            row: r.row,
            section: sections.len().checked_sub(1),
            text,
            amounts,
            total,
            recurrence,
            memo: false,
            rag,
        });
    }

    let chosen = options.mapping.as_ref();
    let profile = chosen.and_then(|m| m.profile).unwrap_or_else(|| {
        detect_profile(
            header
                .cells
                .iter()
                .chain(rows[..header_index].iter().flat_map(|r| r.cells.iter())),
        )
    });
    let mut schedule = Schedule {
        title,
        unit,
        years,
        text_columns,
        total_header,
        layout,
        sections,
        lines,
        total_rows,
        decimals: max_scale.min(MAX_DECIMALS),
        sign: SignConvention::SavingsPositive,
        profile,
    };
    schedule.sign = chosen
        .and_then(|m| m.sign)
        .unwrap_or_else(|| detect_sign(&schedule));
    Ok(Imported {
        schedule,
        problems: problems.list,
        more_problems: problems.more,
        encoding: "UTF-8",
        delimiter: None,
        unit_stated,
        scenario: None,
        sheets: Vec::new(),
        sheet: None,
    })
}

/// A line is one-off when its text says so: `one-off`, `one off`, `non-recurring`, `in year only`.
/// Every other line recurs.
pub(crate) fn detect_recurrence(text: &[String]) -> Recurrence {
    let one_off = text.iter().any(|t| {
        contains_any_case(
            t,
            &[
                "one-off",
                "one off",
                "non-recurring",
                "non recurring",
                "in year only",
                "in-year only",
            ],
        )
    });
    if one_off {
        Recurrence::OneOff
    } else {
        Recurrence::Recurring
    }
}

/// The profile the file says it has: a header or title naming `cumulative` or `full year effect`
/// (and not `not cumulative`) makes it cumulative, as the appraisals' `Cumulative` column does;
/// otherwise incremental, as savings schedules are.
fn detect_profile<'a>(cells: impl Iterator<Item = &'a str>) -> Profile {
    let mut profile = Profile::Incremental;
    for c in cells {
        let c = c.to_lowercase();
        if c.contains("not cumulative")
            || c.contains("non-cumulative")
            || c.contains("incremental")
            || c.contains("year on year")
        {
            return Profile::Incremental;
        }
        if c.contains("cumulative")
            || c.contains("full year effect")
            || c.contains("full-year effect")
        {
            profile = Profile::Cumulative;
        }
    }
    profile
}

/// The sign convention the figures show (domain.md, "Sign conventions"): gross saving lines that
/// are mostly negative make it costs-positive (an appraisal); cost lines that are mostly negative
/// make it benefits-positive (a business case); otherwise savings-positive (a schedule).
fn detect_sign(schedule: &Schedule) -> SignConvention {
    let mut saving_balance = 0i64;
    let mut cost_balance = 0i64;
    for line in &schedule.lines {
        let Some(measure) = schedule.measure(line) else {
            continue;
        };
        let balance = match measure {
            Measure::GrossSaving | Measure::Benefit => &mut saving_balance,
            Measure::Cost | Measure::Investment => &mut cost_balance,
            Measure::Net => continue,
        };
        for a in &line.amounts {
            if let Amount::Figure(d) = a {
                if d.is_sign_negative() && !d.is_zero() {
                    *balance -= 1;
                } else if !d.is_zero() {
                    *balance += 1;
                }
            }
        }
    }
    if saving_balance < 0 {
        SignConvention::CostsPositive
    } else if cost_balance < 0 {
        SignConvention::BenefitsPositive
    } else {
        SignConvention::SavingsPositive
    }
}

/// The scope of a total row that names no measure: the lines since the previous total row. If
/// there are none (a grand total under section subtotals) it restates every line; if they all
/// sit in one section it is that section's subtotal.
fn scope_since(lines: &[Line], first: usize) -> TotalScope {
    let covered = &lines[first..];
    if covered.is_empty() {
        return TotalScope::All;
    }
    let section = covered[0].section;
    if let Some(s) = section {
        // Lines are built in file order and each takes the last heading above it, so sections
        // never decrease along `lines`: if a line before `first` were in this section, the one
        // just before `first` would be. Looking at that one alone keeps a file with a subtotal
        // per section linear (scanning every earlier line made 1,000,000 lines take seconds).
        let whole_section = covered.iter().all(|l| l.section == section)
            && lines[..first].last().is_none_or(|l| l.section != section);
        if whole_section {
            return TotalScope::Section(s);
        }
    }
    if first == 0 {
        TotalScope::All
    } else {
        TotalScope::Since {
            first_line: first,
            end_line: lines.len(),
        }
    }
}

/// The cell problems of an import as they are met: the first [`MAX_PROBLEMS`] kept (each says
/// what and where), the rest only counted, so a file of a million bad cells costs no more.
#[derive(Default)]
pub(crate) struct Problems {
    pub(crate) list: Vec<Error>,
    pub(crate) more: usize,
}

impl Problems {
    pub(crate) fn report(&mut self, e: Error) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(e);
        } else {
            self.more += 1;
        }
    }

    /// Reports the cells of row `r` beyond the header's columns, when there are any.
    pub(crate) fn extra_cells(&mut self, r: &Row, count: usize) {
        if count > 0 {
            self.report(Error::at(
                ErrorKind::ExtraCells { count },
                Position {
                    row: r.row,
                    line: r.line,
                    ..Position::default()
                },
            ));
        }
    }
}

/// Reads an amount cell; a bad cell is reported and kept as "unreadable", never as zero.
pub(crate) fn read_amount(
    cell: &str,
    unit: Unit,
    position: impl Fn() -> Position,
    problems: &mut Problems,
    max_scale: &mut u32,
) -> Amount {
    match parse_amount(cell) {
        Ok(ParsedAmount {
            amount: Amount::Figure(d),
            magnitude,
        }) => {
            let d = to_unit(d, magnitude, unit);
            // Without a magnitude the figure is as read, and `parse_amount` bounded it already.
            if magnitude.is_some() && d.abs() > Decimal::from(MAX_MAGNITUDE) {
                // `£1000000000000000000m` in a `£` schedule: the bound on cells that keeps every
                // sum from overflowing holds in the schedule's unit, after conversion.
                problems.report(Error::at(
                    ErrorKind::Amount {
                        text: cell.trim().to_string(),
                        reason: NumberError::TooLarge,
                    },
                    position(),
                ));
                return Amount::NoFigure(NoFigure::Unreadable);
            }
            *max_scale = (*max_scale).max(d.scale());
            Amount::Figure(d)
        }
        Ok(ParsedAmount {
            amount: Amount::NoFigure(NoFigure::Unreadable),
            ..
        }) => {
            problems.report(Error::at(
                ErrorKind::Amount {
                    text: cell.trim().to_string(),
                    reason: NumberError::NotANumber,
                },
                position(),
            ));
            Amount::NoFigure(NoFigure::Unreadable)
        }
        Ok(p) => p.amount,
        Err(reason) => {
            problems.report(Error::at(
                ErrorKind::Amount {
                    text: cell.trim().to_string(),
                    reason,
                },
                position(),
            ));
            Amount::NoFigure(NoFigure::Unreadable)
        }
    }
}

fn unit_in_text(text: &str) -> Option<Unit> {
    let open = text.find('(')?;
    let close = text[open..].find(')')? + open;
    Unit::from_label(&text[open + 1..close])
}

fn most_common(units: &[Unit]) -> Option<Unit> {
    [Unit::Thousands, Unit::Millions, Unit::Pounds]
        .into_iter()
        .max_by_key(|u| units.iter().filter(|x| *x == u).count())
}

/// `cyps-savings-2017-21.csv` → `cyps-savings-2017-21`.
pub(crate) fn title_from_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    if stem.is_empty() {
        "Schedule".to_string()
    } else {
        stem.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn imp(text: &str) -> Imported {
        import(text.as_bytes(), "t.csv", &ImportOptions::default()).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn header_unit_sections_and_totals() {
        let i = imp(
            "Source,Project,2017/18,2018/19,Total\n,,£'000,£'000,£'000\nStaffing,,,,\n\
             S,A,1.0,2.0,3.0\nS,B,(1.0),,(1.0)\nTotal Staffing,,0.0,2.0,2.0\n",
        );
        let s = &i.schedule;
        assert_eq!(s.unit, Unit::Thousands);
        assert_eq!(s.years.len(), 2);
        assert_eq!(s.sections.len(), 1);
        assert_eq!(s.sections[0].name, "Staffing");
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.lines[1].amounts[0], Amount::Figure(d("-1.0")));
        assert_eq!(s.lines[1].amounts[1], Amount::Blank);
        assert_eq!(s.lines[0].row, 4);
        assert_eq!(s.total_rows.len(), 1);
        assert_eq!(s.total_rows[0].scope, TotalScope::Section(0));
        assert_eq!(s.decimals, 1);
        assert!(i.problems.is_empty());
    }

    #[test]
    fn bad_cell_is_reported_with_row_and_column_and_the_rest_loads() {
        let i = imp("Project,2017/18,2018/19\nA,1,aa\nB,2,3\n");
        assert_eq!(i.schedule.lines.len(), 2);
        assert_eq!(i.problems.len(), 1);
        let p = i.problems[0].position().unwrap();
        assert_eq!(p.row, 2);
        assert_eq!(p.column, Some(3));
        assert_eq!(p.column_header.as_deref(), Some("2018/19"));
        assert_eq!(
            i.schedule.lines[0].amounts[1],
            Amount::NoFigure(NoFigure::Unreadable)
        );
        assert_eq!(
            i.problems[0].to_string(),
            "t.csv, row 2, column 2018/19: `aa` is not an amount"
        );
    }

    #[test]
    fn delimiters() {
        for (sep, text) in [
            (b';', "Project;2017/18;2018/19\nA;1,000.5;2\n"),
            (b'\t', "Project\t2017/18\t2018/19\nA\t\"1,000.5\"\t2\n"),
            (b',', "Project,2017/18,2018/19\nA,\"1,000.5\",2\n"),
        ] {
            let i = imp(text);
            assert_eq!(i.delimiter, Some(sep));
            assert_eq!(i.schedule.lines[0].amounts[0], Amount::Figure(d("1000.5")));
        }
    }

    #[test]
    fn encodings() {
        let cp1252: &[u8] = b"Project,2017/18\nA \xa3 sign,\xa31.5m\n";
        let i = import(cp1252, "w.csv", &ImportOptions::default()).unwrap();
        assert_eq!(i.encoding, "windows-1252");
        assert_eq!(i.schedule.lines[0].text[0], "A £ sign");
        assert_eq!(i.schedule.lines[0].amounts[0], Amount::Figure(d("1500000")));

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Project,2017/18\nA,£5\n".as_bytes());
        let i = import(&bom, "b.csv", &ImportOptions::default()).unwrap();
        assert_eq!(i.encoding, "UTF-8 (BOM)");
        assert_eq!(i.schedule.text_columns[0].header, "Project");

        let mut utf16 = vec![0xFF, 0xFE];
        for u in "Project,2017/18\nA,7\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let i = import(&utf16, "u.csv", &ImportOptions::default()).unwrap();
        assert_eq!(i.encoding, "UTF-16LE");
        assert_eq!(i.schedule.lines[0].amounts[0], Amount::Figure(d("7")));
    }

    #[test]
    fn whole_file_errors() {
        let e = |b: &[u8]| import(b, "x.csv", &ImportOptions::default()).unwrap_err();
        assert_eq!(e(b"").kind(), &ErrorKind::Empty);
        assert_eq!(e(b"  \n\n").kind(), &ErrorKind::Empty);
        assert_eq!(e(b"PK\x03\x04\x00\x00binary").kind(), &ErrorKind::Binary);
        assert_eq!(e(b"a,b,c\n1,2,3\n").kind(), &ErrorKind::NoYearColumns);
        assert!(matches!(
            e(b"P,2017/18,2017/2018\n").kind(),
            ErrorKind::DuplicateYear { .. }
        ));
        let small = ImportOptions {
            max_bytes: 10,
            ..ImportOptions::default()
        };
        let err = import(b"Project,2017/18\nA,1\n", "big.csv", &small).unwrap_err();
        assert!(matches!(err.kind(), ErrorKind::TooLarge { .. }));
        assert!(err.to_string().starts_with("big.csv: "));
    }

    #[test]
    fn a_csv_opening_with_a_bracket_is_not_json() {
        let i = imp("[DRAFT] Savings schedule\nProject,2017/18\nA,1\n");
        assert_eq!(i.schedule.title, "[DRAFT] Savings schedule");
        assert_eq!(i.schedule.lines.len(), 1);
        let e = import(b"[DRAFT", "x.json", &ImportOptions::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Json { .. }));
    }

    #[test]
    fn header_only_file_loads_with_no_lines() {
        let i = imp("Project,2017/18,2018/19\n");
        assert!(i.schedule.lines.is_empty());
    }

    #[test]
    fn description_mentioning_a_year_is_not_a_header() {
        let i = imp("Title row\nService,Desc,2023/24,2024/25\nX,\"avoided 2024/25\",1,2\n");
        assert_eq!(i.schedule.lines.len(), 1);
        assert_eq!(i.schedule.title, "Title row");
    }

    #[test]
    fn magnitudes_convert_to_the_schedule_unit() {
        let i = imp("Project,2017/18,2018/19,2019/20\n,£m,£m,£m\nA,£75k,£1.374m,2\n");
        let a = &i.schedule.lines[0].amounts;
        assert_eq!(a[0], Amount::Figure(d("0.075")));
        assert_eq!(a[1], Amount::Figure(d("1.374")));
        let i = imp("Project,2017/18\n,£'000\nA,£1.374m\n");
        assert_eq!(i.schedule.lines[0].amounts[0], Amount::Figure(d("1374")));
    }

    #[test]
    fn extra_cells_are_reported() {
        let i = imp("Project,2017/18\nA,1,surprise\n");
        assert_eq!(i.problems.len(), 1);
        assert_eq!(i.problems[0].kind(), &ErrorKind::ExtraCells { count: 1 });
    }

    #[test]
    fn neutralised_text_is_restored() {
        let i = imp("Project,2017/18\n'=SUM(A1),1\n'plain,2\n");
        assert_eq!(i.schedule.lines[0].text[0], "=SUM(A1)");
        assert_eq!(i.schedule.lines[1].text[0], "'plain");
    }

    #[test]
    fn quoted_newlines_keep_spreadsheet_rows() {
        let i = imp("Project,2017/18\n\"two\nlines\",1\nB,x\n");
        assert_eq!(i.schedule.lines[0].text[0], "two\nlines");
        let p = i.problems[0].position().unwrap();
        assert_eq!(p.row, 3);
        assert_eq!(p.line, 4);
    }

    #[test]
    fn blank_lines_count_as_spreadsheet_rows() {
        let i = imp("Savings\n\nProject,2017/18\n\n\nA,1\n\"two\nlines\",2\n\nB,x\n");
        let rows: Vec<usize> = i.schedule.lines.iter().map(|l| l.row).collect();
        // Savings, blank, header, blank, blank, A, the two-line record, blank, B.
        assert_eq!(rows, [6, 7, 9]);
        let p = i.problems[0].position().unwrap();
        assert_eq!((p.row, p.line), (9, 10));
    }

    /// The case-blind comparisons of detection agree with lower-casing the text first, for every
    /// needle they are used with, over text with the characters whose lower case is special.
    #[test]
    fn case_blind_detection_matches_lower_casing() {
        let needles = [
            "total",
            "sub-total",
            "sub total",
            "subtotal",
            "grand total",
            "net forecast",
            "revised",
            "funding support",
            "one-off",
            "one off",
            "non-recurring",
            "non recurring",
            "in year only",
            "in-year only",
        ];
        let pieces = [
            "",
            "İ",
            "\u{212A}",
            "I",
            "ı",
            "ß",
            "Σ",
            "£",
            "é",
            " ",
            "-",
            "TOTAL",
            "Total",
            "ToTaL",
            "SUB-TOTAL",
            "Revİsed",
            "REVISED",
            "Funding Support",
            "fundİng support",
            "ONE-OFF",
            "One Off",
            "Non-Recurring",
            "In Year Only",
            "IN-YEAR ONLY",
            "x",
        ];
        for a in pieces {
            for b in pieces {
                for c in ["", "İ", "z", " only", "ONLY", "ed"] {
                    let text = format!("{a}{b}{c}");
                    let lower = text.to_lowercase();
                    for n in needles {
                        assert_eq!(
                            starts_with_any_case(text.as_bytes(), n),
                            lower.starts_with(n),
                            "{text}"
                        );
                        assert_eq!(contains_any_case(&text, &[n]), lower.contains(n), "{text}");
                    }
                }
            }
        }
    }

    /// With several needles at once (as recurrence and total detection use it), over text built
    /// from pieces that start, end or spoil the needles, and bytes aliasing their first letters.
    #[test]
    fn case_blind_search_of_several_needles_matches_lower_casing() {
        let lists: [&[&str]; 3] = [
            &[
                "one-off",
                "one off",
                "non-recurring",
                "non recurring",
                "in year only",
                "in-year only",
            ],
            &["funding support"],
            &["in", "on", "!x"],
        ];
        let pieces = [
            "",
            "o",
            "ON",
            "one",
            "One-",
            "ONE OF",
            "off",
            "non",
            "NON-",
            "recurring",
            "in ",
            "IN-YEAR",
            " only",
            "year",
            "!",
            "/",
            "N",
            "İ",
            "\u{212A}",
            "é",
            "funding",
            " Support",
            "x",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}");
                    let lower = text.to_lowercase();
                    for needles in lists {
                        assert_eq!(
                            contains_any_case(&text, needles),
                            needles.iter().any(|n| lower.contains(n)),
                            "{text:?} {needles:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn problems_are_capped() {
        let mut text = String::from("Project,2017/18\n");
        for _ in 0..(MAX_PROBLEMS + 50) {
            text.push_str("A,zz\n");
        }
        let i = imp(&text);
        assert_eq!(i.problems.len(), MAX_PROBLEMS);
        assert_eq!(i.more_problems, 50);
    }
}
