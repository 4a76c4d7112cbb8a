//! The grid: a file's bytes decoded into text and split into rows of cells, and what every
//! layout reader shares: the options of a read, what a read produces, the header row, a cell's
//! amount in the file's unit, the problems met, the title from the file name. It recognises no
//! layout (that is `read`'s front, `mod.rs`) and builds no schedule.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

use rust_decimal::Decimal;

use super::text_encoding;
use crate::engine::model::error::{Error, ErrorKind, Limited, Position};
use crate::engine::model::limits::DEFAULT_MAX_BYTES;
use crate::engine::model::limits::MAX_PROBLEMS;
use crate::engine::model::number::{
    parse_amount, trim, Amount, NoFigure, NumberError, ParsedAmount, MAX_MAGNITUDE,
};
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::Profile;
use crate::engine::model::schedule::SignConvention;
use crate::engine::model::schedule::TextField;
use crate::engine::model::schedule::{FinancialYear, Measure};
use crate::engine::model::schedule::{Recurrence, Schedule, Unit};
use crate::engine::model::shown::show_to_precision;
use crate::engine::model::units::not_money;
use crate::engine::model::units::to_unit;
use crate::engine::model::years::find_year;

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
    /// Year 1 of a programme file that counts its years from one and names no financial year
    /// (`mtfs`; docs/domain.md, "Files that count years from one"). The engine never reads the
    /// clock: the page passes the financial year containing today, or the year the user chose.
    /// `None`: such a file is refused with a message asking for year 1. Ignored for every other
    /// file.
    #[serde(default)]
    pub first_year: Option<FinancialYear>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            delimiter: None,
            unit: None,
            max_bytes: DEFAULT_MAX_BYTES,
            sheet: None,
            mapping: None,
            first_year: None,
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
    /// The cells of the CSV or sheet as read, row by row, for the arithmetic map
    /// (`calc::arithmetic`, worked out by `state::job`); empty for JSON and for a file of more
    /// than [`MAX_MAP_ROWS`](crate::engine::model::limits::MAX_MAP_ROWS) rows.
    pub grid: Vec<Vec<String>>,
    /// For a programme file that counts its years from one: the financial year taken as year 1
    /// ([`ImportOptions::first_year`]); `None` for every other file.
    pub year_one: Option<FinancialYear>,
}

impl Imported {
    /// What a layout reader built: its schedule, the problems it met and whether the file stated
    /// its unit. The one way every reader makes its result; the front (`read::import`) then
    /// records the encoding, delimiter, sheets and grid it read the file with. Every figure is
    /// rescaled here to the places its table shows it to ([`show_to_precision`]), so that a `-`
    /// in a table of three places hides 0.0005, not half a whole unit (docs/domain.md,
    /// "Rounding, precisely").
    pub(crate) fn read(mut schedule: Schedule, problems: Problems, unit_stated: bool) -> Imported {
        show_to_precision(&mut schedule);
        Imported {
            schedule,
            problems: problems.list,
            more_problems: problems.more,
            encoding: "UTF-8",
            delimiter: None,
            unit_stated,
            scenario: None,
            sheets: Vec::new(),
            sheet: None,
            grid: Vec::new(),
            year_one: None,
        }
    }
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
    if let Some((bom, bom_len)) = text_encoding::bom(bytes) {
        let text = text_encoding::decode_after_bom(bom, &bytes[bom_len..]);
        if text.contains('\0') {
            return Err(Error::new(ErrorKind::Binary));
        }
        return Ok((Cow::Owned(text), bom.name()));
    }
    if bytes.contains(&0) {
        return Err(Error::new(ErrorKind::Binary));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(_) => Ok((text_encoding::decode_windows_1252(bytes), "windows-1252")),
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
#[derive(Clone)]
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
                    record: pos.as_ref().map_or(0, |p| p.record()),
                    line: pos.as_ref().map_or(0, |p| p.line()),
                    byte: pos.as_ref().map_or(0, |p| p.byte()),
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
                    what: Limited::RowBytes,
                    found: record.as_slice().len(),
                    limit: u32::MAX as usize,
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
            .filter(|c| c.len() <= 80 && find_year(c).is_some() && !not_money(c))
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

/// The unit a header cell states: in brackets (`2024/25 (£'000)`), or as a word of its own that
/// names pounds (`2024/25 £000`, `£m 2025/26`); a bare `000` outside brackets is not taken, as it
/// may be part of a name.
pub(crate) fn unit_in_text(text: &str) -> Option<Unit> {
    let bracketed = text.find('(').and_then(|open| {
        let close = text[open..].find(')')? + open;
        Unit::from_label(&text[open + 1..close])
    });
    bracketed.or_else(|| {
        text.split_whitespace()
            .filter(|w| w.contains('£') || w.to_ascii_lowercase().starts_with("gbp"))
            .find_map(Unit::from_label)
    })
}

pub(crate) fn most_common(units: &[Unit]) -> Option<Unit> {
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

impl From<Vec<String>> for Cells {
    fn from(cells: Vec<String>) -> Cells {
        cells.into_iter().collect()
    }
}

/// Whether `text` starts with `needle` in any case (see above).
pub(crate) fn starts_with_any_case(text: &[u8], needle: &str) -> bool {
    text.len() >= needle.len()
        && needle
            .bytes()
            .zip(text)
            .all(|(n, t)| t.to_ascii_lowercase() == n)
}

/// Whether `text` contains one of `needles` (none empty) in any case (see above), in one pass
/// over it.
pub(crate) fn contains_any_case(text: &str, needles: &[&str]) -> bool {
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

/// What one column of the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum ColumnRole {
    /// Not part of the schedule: its cells are dropped, as if the column were not there.
    Ignored,
    /// A text column of the given kind.
    Text { field: TextField },
    /// The amounts of one financial year. The column's header need not name it (`Year 1`).
    Year { year: FinancialYear },
    /// The published total of each line, checked against the sum of its years.
    Total,
}

/// One column of a mapping: its place in the header row, its header, and its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// The column's position in the header row, counting from 0 (column A is 0).
    pub index: usize,
    /// The header cell as the file writes it (trimmed; a two-row heading joined). A mapping is
    /// refused for a file whose header cell differs.
    pub header: String,
    pub role: ColumnRole,
    /// The measure beside the year (or of a total over the years) in a table with several
    /// measures per year (`Gross 2024/25`, `Net 2024/25`; domain.md "Measures beside years");
    /// `None` in a table of one figure per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
}

/// Which row of a file is the header and what each of its columns is, with the unit, sign
/// convention and profile when the user chose them. Serialisable, so the page can keep it per
/// [`header_key`] and use it again for a file with the same header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The file row of the header, counting from 1 as a spreadsheet does.
    pub header_row: usize,
    /// The header's columns; a column not listed is ignored.
    pub columns: Vec<MappedColumn>,
    /// The unit of the amounts; `None`: the unit row or a header says, else `£`.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// The sign convention; `None`: detected from the figures.
    #[serde(default)]
    pub sign: Option<SignConvention>,
    /// The profile; `None`: detected from the header and title.
    #[serde(default)]
    pub profile: Option<Profile>,
}
