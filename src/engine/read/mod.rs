//! The read layer: bytes in, a [`Schedule`](crate::engine::Schedule) out.
//!
//! It owns reading a file as published: decoding (UTF-8 with or without BOM, UTF-16 with a BOM,
//! Windows-1252) and the delimiter ([`grid`]), or a workbook's sheet ([`spreadsheet`]), into
//! one grid of rows; then this front recognises the grid's layout in one place ([`recognise`]:
//! Gapwise's long CSV, an MTFS programme file, a monitoring table, a table with several
//! measures beside each year, else a wide schedule of lines × years) and builds the schedule the one way that layout is read ([`build`]).
//! Canonical JSON is read whole, and a Fiscal Data Package (a zip with a `datapackage.json`)
//! through [`package`], before a zip is taken for a workbook. [`gap`] reads a line-labelled
//! schedule as a gap model, and [`mapping`] proposes a column mapping when detection is unsure.
//!
//! A bad cell does not stop the import: it is reported as a problem with its row and column and
//! counts as "no figure", so no check silently treats it as zero. Only a file that cannot be a
//! schedule at all (empty, binary, no year columns, too large) is an error.
//!
//! Imports only `model` (scripts/layers.py checks it); nothing here adds up or checks figures.

pub mod columns;
pub mod deflator;
pub mod gap;
pub mod grid;
pub mod long;
pub mod mapping;
pub mod measures;
pub mod monitoring;
pub mod mtfs;
pub mod package;
#[cfg(feature = "workbook")]
pub mod spreadsheet;
pub mod text_encoding;
pub mod wide;
pub mod workbook;
#[cfg(feature = "workbook")]
pub mod workbook_checks;
pub mod workbook_kind;

use crate::engine::model::canonical;
use crate::engine::model::error::{Error, ErrorKind};
use crate::engine::model::limits::MAX_MAP_ROWS;
pub use grid::{decode, detect_delimiter, ImportOptions, Imported};
use grid::{is_json, read_rows, Row};
use workbook::workbook_rows;
pub use workbook_kind::is_workbook;
use workbook_kind::SheetRead;

/// The layouts a file's grid can have, recognised in one place ([`recognise`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Gapwise's own long CSV: one row per line and year (`long`).
    Long,
    /// An MTFS programme file (`mtfs`), its header at this row index.
    Mtfs { header: usize },
    /// A target vs forecast monitoring table (`monitoring`).
    Monitoring { header: usize },
    /// Several measures beside each year, gross, cost and net (`measures`), its header at
    /// this row index.
    Measures { header: usize },
    /// A schedule of lines × financial years (`wide`), the layout of most published tables.
    Wide,
}

/// Recognises a grid's layout from its first rows: the long CSV by its header, then an MTFS
/// programme file, then a monitoring table, then a table with measures beside its years
/// (`measures`); anything else is read as a wide schedule, whose own
/// detection finds the header row, the units and the total rows.
pub(crate) fn recognise(rows: &[Row]) -> Layout {
    if rows
        .first()
        .is_some_and(|r| long::is_long_header(r.cells.iter()))
    {
        return Layout::Long;
    }
    if let Some(header) = mtfs::find_header(rows) {
        return Layout::Mtfs { header };
    }
    if let Some(header) = monitoring::find_header(rows) {
        return Layout::Monitoring { header };
    }
    if let Some(header) = measures::find_header(rows) {
        return Layout::Measures { header };
    }
    Layout::Wide
}

/// True when the options' mapping gives any column a measure (`measures::build_mapped`).
fn measured(options: &ImportOptions) -> bool {
    options
        .mapping
        .as_ref()
        .is_some_and(|m| m.columns.iter().any(|c| c.measure.is_some()))
}

/// Reads a grid as the layout recognised: the one way every layout's schedule is built.
fn build(
    layout: Layout,
    rows: Vec<Row>,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    match layout {
        Layout::Long => long::build_long(rows, file_name, options),
        Layout::Mtfs { header } => mtfs::build_mtfs(rows, header, file_name, options),
        Layout::Monitoring { header } => {
            monitoring::build_monitoring(rows, header, file_name, options)
        }
        // The user's column mapping reads the file as it says: with a measure beside its years,
        // as a table of measures; else as a wide table.
        _ if measured(options) => {
            let mapping = options.mapping.as_ref().expect("measured");
            measures::build_mapped(rows, mapping, file_name, options)
        }
        Layout::Measures { .. } if options.mapping.is_some() => {
            wide::build_schedule(rows, file_name, options)
        }
        Layout::Measures { header } => measures::build_measures(rows, header, file_name, options),
        Layout::Wide => wide::build_schedule(rows, file_name, options),
    }
}

/// The grid's cells as text, row by row, in file rows (a skipped empty line is an empty row,
/// so row numbers stay the spreadsheet's), for the arithmetic map; empty above
/// [`MAX_MAP_ROWS`] rows.
fn grid_cells(rows: &[Row]) -> Vec<Vec<String>> {
    let last = rows.last().map_or(0, |r| r.row);
    if rows.len() > MAX_MAP_ROWS || last > MAX_MAP_ROWS {
        return Vec::new();
    }
    let mut grid = vec![Vec::new(); last];
    for r in rows {
        if let Some(cells) = r.row.checked_sub(1).and_then(|i| grid.get_mut(i)) {
            *cells = r.cells.to_vec();
        }
    }
    grid
}

/// The grid of a file's cells as text, row by row in file rows, with no layout recognised:
/// for the arithmetic map of a file whose import failed (a table with no financial years is
/// still checked, domain.md "The arithmetic map", "A table with no years"). A workbook gives
/// its chosen (or first) sheet; JSON and an empty file give an empty grid, so does a grid above
/// [`MAX_MAP_ROWS`] rows.
pub fn read_grid(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<Vec<Vec<String>>, Error> {
    if bytes.len() > options.max_bytes {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: bytes.len(),
            limit: options.max_bytes,
        }));
    }
    if package::is_package(bytes) {
        // A data package's table is Gapwise's long CSV: nothing for the arithmetic map.
        return Ok(Vec::new());
    }
    if is_workbook(bytes, file_name) {
        let read = workbook_rows(bytes, file_name, options)?;
        return Ok(grid_cells(&read.rows));
    }
    let (text, _) = decode(bytes)?;
    if text.trim().is_empty() || is_json(&text, file_name) {
        return Ok(Vec::new());
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    Ok(grid_cells(&read_rows(&text, delimiter)?))
}

/// Imports a schedule from a file's bytes. `file_name` titles the schedule when the file has no
/// title row, and names the file in messages.
///
/// The one entry point of reading: the bytes are checked against the size limit, a workbook's
/// sheet ([`spreadsheet`]) or a CSV's text ([`grid`]) becomes a grid of rows, [`recognise`]
/// names its layout, and [`build`] reads it; Gapwise's canonical JSON is read whole.
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
    // A zip holding a datapackage.json is a data package, not a workbook.
    if let Some(read) = package::read_if_package(bytes, file_name, options) {
        return read;
    }
    if is_workbook(bytes, file_name) {
        let SheetRead {
            rows,
            mut problems,
            format,
            sheets,
            sheet,
        } = workbook_rows(bytes, file_name, options)?;
        // A sheet is never the long CSV: only the other layouts are looked for.
        let layout = match recognise(&rows) {
            Layout::Long => Layout::Wide,
            other => other,
        };
        let grid = grid_cells(&rows);
        let mut imported = build(layout, rows, file_name, options)?;
        imported.grid = grid;
        if !problems.is_empty() {
            problems.append(&mut imported.problems);
            imported.problems = problems;
        }
        imported.encoding = format;
        imported.delimiter = None;
        imported.sheets = sheets;
        imported.sheet = Some(sheet);
        return Ok(imported);
    }
    let (text, encoding) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    if is_json(&text, file_name) {
        let schedule = canonical::from_json(&text).map_err(|e| {
            if package::is_descriptor(&text) {
                package::descriptor_alone()
            } else {
                e
            }
        })?;
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
            grid: Vec::new(),
            year_one: None,
        });
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let rows = read_rows(&text, delimiter)?;
    let layout = recognise(&rows);
    let grid = grid_cells(&rows);
    let mut imported = build(layout, rows, file_name, options)?;
    imported.grid = grid;
    imported.encoding = encoding;
    imported.delimiter = Some(delimiter);
    Ok(imported)
}

#[cfg(test)]
mod tests {
    use super::grid::*;
    use super::*;
    use crate::engine::model::limits::MAX_PROBLEMS;
    use crate::engine::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    /// The page's build (no `workbook` feature) refuses a workbook with the message that the
    /// worker reads it, and still reads CSV. Run by scripts/test.sh with
    /// `cargo test --lib --no-default-features page_build`.
    #[cfg(not(feature = "workbook"))]
    #[test]
    fn page_build_leaves_workbooks_to_the_worker() {
        let options = ImportOptions::default();
        for (bytes, name) in [
            (&b"PK\x03\x04 a workbook"[..], "budget.xlsx"),
            (&b"anything"[..], "budget.ods"),
        ] {
            let e = import(bytes, name, &options).unwrap_err();
            assert_eq!(e.kind(), &ErrorKind::WorkbookElsewhere);
            let text = e.to_string();
            assert!(text.starts_with(name), "{text}");
            assert!(
                text.contains("read and written by the page's worker"),
                "{text}"
            );
        }
        assert_eq!(imp("Project,2017/18\nA,1\n").schedule.lines.len(), 1);
    }

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
    fn a_unit_written_in_the_year_headings_is_the_schedule_unit() {
        for (header, unit) in [
            ("Project,2024/25 £000,2025/26 £000", Unit::Thousands),
            ("Project,£'000 2024/25,£'000 2025/26", Unit::Thousands),
            ("Project,2024/25 (£000),2025/26 (£000)", Unit::Thousands),
            ("Project,2024/25 £m,2025/26 £m", Unit::Millions),
            ("Project,2024/25,2025/26", Unit::Pounds),
        ] {
            let i = imp(&format!("{header}\nA,1.0,2.0\n"));
            assert_eq!(i.schedule.unit, unit, "{header}");
            assert_eq!(i.schedule.years.len(), 2, "{header}");
            assert_eq!(i.unit_stated, unit != Unit::Pounds, "{header}");
        }
        // A `000` that is not a unit word of its own (`Fund 000 review`) states nothing.
        let i = imp("Project 000,2024/25,2025/26\nA,1.0,2.0\n");
        assert_eq!(i.schedule.unit, Unit::Pounds);
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
