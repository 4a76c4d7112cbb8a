//! Workbooks in: `.xlsx` written here with `rust_xlsxwriter`, `.ods` zipped here by hand, each
//! imported and compared with the same table imported as CSV text.

mod common;

use std::io::Write;

use common::{d, fig, load_clean};
use gapwise::engine::{
    calculate, default_sheet, import, sheet_names, Amount, CheckStatus, ErrorKind, ImportOptions,
    Imported, NoFigure, TotalScope,
};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// A cell of a test table.
#[derive(Clone, Copy)]
enum C {
    /// Empty.
    E,
    /// Text.
    S(&'static str),
    /// A number.
    N(f64),
    /// A formula, its cached result, and how the sheet shows that result (the CSV's text).
    F(&'static str, f64, &'static str),
    /// Text merged across this many columns.
    M(&'static str, u16),
    /// A date (year, month, day), written with a date format.
    D(u16, u8, u8),
}
use C::*;

fn xlsx(table: &[Vec<C>], notes_first: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    if notes_first {
        notes(&mut book);
    }
    let sheet = book.add_worksheet();
    sheet.set_name("Schedule").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (r, row) in table.iter().enumerate() {
        let r = r as u32;
        let mut c = 0u16;
        for cell in row {
            match *cell {
                E => {}
                S(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                N(n) => {
                    sheet.write_number(r, c, n).unwrap();
                }
                F(f, result, _) => {
                    sheet
                        .write_formula(r, c, Formula::new(f).set_result(result.to_string()))
                        .unwrap();
                }
                M(s, n) => {
                    sheet.merge_range(r, c, r, c + n - 1, s, &bold).unwrap();
                    c += n - 1;
                }
                D(y, m, day) => {
                    let when = ExcelDateTime::from_ymd(y, m, day).unwrap();
                    sheet
                        .write_datetime_with_format(r, c, &when, &date)
                        .unwrap();
                }
            }
            c += 1;
        }
    }
    if !notes_first {
        notes(&mut book);
    }
    book.save_to_buffer().unwrap()
}

fn notes(book: &mut Workbook) {
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes
        .write_string(0, 0, "Figures in £'000; savings positive.")
        .unwrap();
    notes.write_string(1, 0, "Prepared by Finance").unwrap();
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The same table as CSV text, as a spreadsheet saves it.
fn csv(table: &[Vec<C>]) -> String {
    let mut out = String::new();
    for row in table {
        let mut cells = Vec::new();
        for cell in row {
            match *cell {
                E => cells.push(String::new()),
                S(s) => cells.push(csv_field(s)),
                N(n) => cells.push(n.to_string()),
                F(_, _, shown) => cells.push(shown.to_string()),
                M(s, n) => {
                    cells.push(csv_field(s));
                    cells.extend((1..n).map(|_| String::new()));
                }
                D(y, m, day) => cells.push(format!("{day:02}/{m:02}/{y}")),
            }
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A zip entry list as an `.ods` file: `mimetype` first and stored, then the manifest and content.
fn ods(table: &[Vec<C>]) -> Vec<u8> {
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Schedule">"#,
    );
    let text = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    for row in table {
        content.push_str("<table:table-row>");
        for cell in row {
            match *cell {
                E => content.push_str("<table:table-cell/>"),
                S(s) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    text(s)
                )),
                N(n) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                )),
                F(f, result, shown) => content.push_str(&format!(
                    r#"<table:table-cell table:formula="of:{}" office:value-type="float" office:value="{result}"><text:p>{shown}</text:p></table:table-cell>"#,
                    text(f)
                )),
                M(s, n) => content.push_str(&format!(
                    r#"<table:table-cell table:number-columns-spanned="{n}" office:value-type="string"><text:p>{}</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="{}"/>"#,
                    text(s),
                    n - 1
                )),
                D(y, m, day) => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{day:02}"><text:p>{day:02}/{m:02}/{y}</text:p></table:table-cell>"#
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str(r#"</table:table><table:table table:name="Notes"><table:table-row><table:table-cell office:value-type="string"><text:p>Notes</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#);
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    zip_of(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet".as_slice(),
            true,
        ),
        ("META-INF/manifest.xml", manifest.as_bytes(), false),
        ("content.xml", content.as_bytes(), false),
    ])
}

fn zip_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, bytes, stored) in entries {
            let method = if *stored {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            let options = zip::write::SimpleFileOptions::default().compression_method(method);
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// A schedule: a merged title, header, unit row, two sections (merged headings) with
/// `=SUM()` subtotal rows, line totals as formulas, and a grand total.
fn schedule_table() -> Vec<Vec<C>> {
    vec![
        vec![M("Children's services savings", 5)],
        vec![
            S("Service"),
            S("Project"),
            S("2017/18"),
            S("2018/19"),
            S("Total"),
        ],
        vec![E, E, S("£'000"), S("£'000"), S("£'000")],
        vec![M("Staffing Related Savings", 5)],
        vec![
            S("Staffing"),
            S("Business Support Review"),
            N(200.0),
            N(750.5),
            F("=SUM(C5:D5)", 950.5, "950.5"),
        ],
        vec![
            S("Staffing"),
            S("Management, restructure"),
            N(-200.0),
            N(0.1),
            F("=SUM(C6:D6)", -199.9, "-199.9"),
        ],
        vec![
            S("Total Staffing"),
            E,
            F("=SUM(C5:C6)", 0.0, "0"),
            F("=SUM(D5:D6)", 750.6, "750.6"),
            F("=SUM(E5:E6)", 750.6, "750.6"),
        ],
        vec![M("Child Related Savings", 5)],
        vec![
            S("Children"),
            S("Foster care"),
            N(0.2),
            N(0.1),
            // The double a spreadsheet computes for 0.2 + 0.1, shown as 0.3.
            F("=SUM(C9:D9)", 0.2 + 0.1, "0.3"),
        ],
        vec![
            S("Children"),
            S("Edge of care"),
            N(165.0),
            N(462.0),
            F("=SUM(C10:D10)", 627.0, "627"),
        ],
        vec![
            S("Total Child Related"),
            E,
            F("=SUM(C9:C10)", 165.2, "165.2"),
            F("=SUM(D9:D10)", 462.1, "462.1"),
            F("=SUM(E9:E10)", 627.3, "627.3"),
        ],
        vec![
            S("Grand total"),
            E,
            F("=C7+C11", 165.2, "165.2"),
            F("=D7+D11", 1212.7, "1212.7"),
            F("=E7+E11", 1377.9, "1377.9"),
        ],
    ]
}

/// Everything detection and calculation give must be the same as for the CSV.
fn assert_same_as_csv(workbook: &Imported, table: &[Vec<C>]) {
    let text = csv(table);
    let from_csv = load_clean(text.as_bytes(), "schedule.csv");
    let (w, c) = (&workbook.schedule, &from_csv.schedule);
    assert_eq!(w.title, c.title);
    assert_eq!(w.unit, c.unit);
    assert_eq!(w.years, c.years);
    assert_eq!(w.text_columns, c.text_columns);
    assert_eq!(w.sections, c.sections);
    assert_eq!(w.lines, c.lines);
    assert_eq!(w.total_rows, c.total_rows);
    assert_eq!(w.profile, c.profile);
    assert_eq!(w.sign, c.sign);
    assert_eq!(calculate(w), calculate(c));
}

#[test]
fn xlsx_schedule_reads_as_the_same_table_in_csv() {
    let table = schedule_table();
    let bytes = xlsx(&table, false);
    let imported = load_clean(&bytes, "schedule.xlsx");
    assert_eq!(imported.encoding, "XLSX");
    assert_same_as_csv(&imported, &table);

    let s = &imported.schedule;
    assert_eq!(s.title, "Children's services savings");
    assert_eq!(s.unit.label(), "£'000");
    let names: Vec<&str> = s.sections.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["Staffing Related Savings", "Child Related Savings"]);
    assert_eq!(s.lines.len(), 4);
    assert_eq!(s.lines[0].row, 5);
    // 0.1 stays 0.1; the formula's 0.30000000000000004 is the 0.3 the sheet shows.
    assert_eq!(fig(&s.lines[1].amounts[1]), d("0.1"));
    assert_eq!(s.lines[2].total, Some(Amount::Figure(d("0.3"))));
    let scopes: Vec<&TotalScope> = s.total_rows.iter().map(|t| &t.scope).collect();
    assert_eq!(
        scopes,
        [
            &TotalScope::Section(0),
            &TotalScope::Section(1),
            &TotalScope::All
        ]
    );
    let results = calculate(s);
    assert_eq!(results.totals.grand.total.value, d("1377.9"));
    assert!(results
        .checks
        .total_row_status
        .iter()
        .all(|st| *st == Some(CheckStatus::Ok)));
}

#[test]
fn the_first_sheet_that_looks_like_a_schedule_is_read() {
    let bytes = xlsx(&schedule_table(), true);
    assert_eq!(
        sheet_names(&bytes, "book.xlsx").unwrap(),
        ["Notes", "Schedule"]
    );
    assert_eq!(default_sheet(&bytes, "book.xlsx").unwrap(), "Schedule");
    let imported = load_clean(&bytes, "book.xlsx");
    assert_eq!(imported.schedule.lines.len(), 4);
    // The import says which sheets the workbook has and which it read.
    assert_eq!(imported.sheets, ["Notes", "Schedule"]);
    assert_eq!(imported.sheet.as_deref(), Some("Schedule"));

    let notes = ImportOptions {
        sheet: Some("Notes".into()),
        ..ImportOptions::default()
    };
    let e = import(&bytes, "book.xlsx", &notes).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::NoYearColumns);
    let missing = ImportOptions {
        sheet: Some("Summary".into()),
        ..ImportOptions::default()
    };
    let e = import(&bytes, "book.xlsx", &missing).unwrap_err();
    assert_eq!(
        e.to_string(),
        "book.xlsx: the workbook cannot be read: it has no sheet named `Summary`"
    );
}

#[test]
fn a_workbook_named_otherwise_is_read_by_its_signature() {
    let bytes = xlsx(&schedule_table(), false);
    let imported = load_clean(&bytes, "download");
    assert_eq!(imported.encoding, "XLSX");
    assert_eq!(imported.schedule.lines.len(), 4);
}

#[test]
fn ods_schedule_reads_as_the_same_table_in_csv() {
    let table = schedule_table();
    let bytes = ods(&table);
    assert_eq!(
        sheet_names(&bytes, "schedule.ods").unwrap(),
        ["Schedule", "Notes"]
    );
    let imported = load_clean(&bytes, "schedule.ods");
    assert_eq!(imported.encoding, "ODS");
    assert_same_as_csv(&imported, &table);
    assert_eq!(imported.schedule.sections.len(), 2);
}

#[test]
fn error_values_are_no_figure_and_reported() {
    let table = [
        vec![S("Project"), S("2017/18"), S("2018/19")],
        vec![S("A"), N(1.0), N(2.0)],
        vec![S("B"), F("=1/0", 0.0, ""), N(3.0)],
    ];
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in table.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match *cell {
                S(s) => {
                    sheet.write_string(r as u32, c as u16, s).unwrap();
                }
                N(n) => {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                }
                _ => {
                    sheet
                        .write_formula(
                            r as u32,
                            c as u16,
                            Formula::new("=1/0").set_result("#DIV/0!"),
                        )
                        .unwrap();
                }
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let imported = import(&bytes, "e.xlsx", &ImportOptions::default()).unwrap();
    assert_eq!(
        imported.schedule.lines[1].amounts[0],
        Amount::NoFigure(NoFigure::Unreadable)
    );
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(
        imported.problems[0].to_string(),
        "e.xlsx, row 3, column 2017/18: `#DIV/0!` is not an amount"
    );
}

/// A header written one way, with one line under it: the years read must be 2017/18, 2018/19.
fn years_of(header: [C; 3]) -> Vec<String> {
    let table = vec![
        vec![S("Savings plan 2017-18")],
        vec![header[0], header[1], header[2]],
        vec![S("Early Help"), N(175.0), N(175.0)],
    ];
    let imported = load_clean(&xlsx(&table, false), "years.xlsx");
    assert_eq!(imported.schedule.lines.len(), 1);
    assert_eq!(imported.schedule.title, "Savings plan 2017-18");
    // The same header as CSV text reads the same.
    let from_csv = load_clean(csv(&table).as_bytes(), "years.csv");
    assert_eq!(from_csv.schedule.years, imported.schedule.years);
    imported
        .schedule
        .years
        .iter()
        .map(|y| y.year.label())
        .collect()
}

const BOTH: [&str; 2] = ["2017/18", "2018/19"];

#[test]
fn years_written_with_a_hyphen() {
    assert_eq!(years_of([S("Project"), S("2017-18"), S("2018-19")]), BOTH);
}

#[test]
fn years_written_fy_and_slash() {
    assert_eq!(
        years_of([S("Project"), S("FY2017/18"), S("FY2018/19")]),
        BOTH
    );
}

#[test]
fn years_written_fy_space_hyphen() {
    assert_eq!(
        years_of([S("Project"), S("FY 2017-18"), S("FY 2018-19")]),
        BOTH
    );
}

#[test]
fn years_written_short() {
    assert_eq!(years_of([S("Project"), S("17/18"), S("18/19")]), BOTH);
}

#[test]
fn years_written_in_full() {
    assert_eq!(
        years_of([S("Project"), S("2017/2018"), S("2018/2019")]),
        BOTH
    );
}

#[test]
fn years_written_as_before() {
    assert_eq!(years_of([S("Project"), S("2017/18"), S("2018/19")]), BOTH);
}

#[test]
fn years_written_as_dates_opening_the_year() {
    let table = vec![
        vec![S("Project"), D(2017, 4, 1), D(2018, 4, 1)],
        vec![S("Early Help"), N(175.0), N(175.0)],
    ];
    let imported = load_clean(&xlsx(&table, false), "dates.xlsx");
    let years: Vec<String> = imported
        .schedule
        .years
        .iter()
        .map(|y| y.year.label())
        .collect();
    assert_eq!(years, BOTH);
}

#[test]
fn years_under_a_merged_financial_year_heading() {
    let table = vec![
        vec![S("Savings schedule")],
        vec![S("Project"), M("Financial year", 2), S("Total")],
        vec![E, S("2017/18"), S("2018/19"), E],
        vec![E, S("£'000"), S("£'000"), S("£'000")],
        vec![
            S("Early Help"),
            N(175.0),
            N(175.0),
            F("=B5+C5", 350.0, "350"),
        ],
    ];
    let imported = load_clean(&xlsx(&table, false), "two-rows.xlsx");
    let s = &imported.schedule;
    assert_eq!(s.title, "Savings schedule");
    let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
    assert_eq!(years, BOTH);
    assert_eq!(s.text_columns[0].header, "Project");
    assert_eq!(s.total_header.as_deref(), Some("Total"));
    assert_eq!(s.unit.label(), "£'000");
    assert_eq!(s.lines[0].total, Some(Amount::Figure(d("350"))));
    assert_same_as_csv(&imported, &table);
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_opened() {
    let bytes = xlsx(&schedule_table(), false);
    let small = ImportOptions {
        max_bytes: 1_000,
        ..ImportOptions::default()
    };
    let e = import(&bytes, "big.xlsx", &small).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooLarge { .. }));
}

#[test]
fn a_zip_that_is_not_a_workbook() {
    let bytes = zip_of(&[("readme.txt", b"hello".as_slice(), false)]);
    let e = import(&bytes, "book.xlsx", &ImportOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{e}");
    assert!(e
        .to_string()
        .starts_with("book.xlsx: the workbook cannot be read"));
    assert!(sheet_names(&bytes, "book.xlsx").is_err());
    // Named as CSV, it is binary data, as before workbooks were read.
    let e = import(&bytes, "book.csv", &ImportOptions::default()).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::Binary);
    // An .ods whose zip holds no spreadsheet.
    let e = import(&bytes, "book.ods", &ImportOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{e}");
}

#[test]
fn a_truncated_workbook_is_damaged() {
    let bytes = xlsx(&schedule_table(), false);
    for cut in [10, bytes.len() / 3, bytes.len() / 2, bytes.len() - 30] {
        let e = import(&bytes[..cut], "cut.xlsx", &ImportOptions::default()).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{cut}: {e}");
    }
    let ods_bytes = ods(&schedule_table());
    let e = import(
        &ods_bytes[..ods_bytes.len() / 2],
        "cut.ods",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{e}");
}

#[test]
fn a_huge_declared_dimension_costs_only_the_cells_filled() {
    // A stray cell at XFD1048576 makes the sheet's dimension A1:XFD1048576.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Project").unwrap();
    sheet.write_string(0, 1, "2017/18").unwrap();
    sheet.write_string(1, 0, "A").unwrap();
    sheet.write_number(1, 1, 5.0).unwrap();
    sheet.write_string(1_048_575, 16_383, "far away").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let imported = import(&bytes, "far.xlsx", &ImportOptions::default()).unwrap();
    assert_eq!(imported.schedule.lines.len(), 1);
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(
        imported.problems[0].kind(),
        &ErrorKind::ExtraCells { count: 1 }
    );
    assert_eq!(imported.problems[0].position().unwrap().row, 1_048_576);
}

#[test]
fn an_empty_workbook_is_empty() {
    let mut book = Workbook::new();
    book.add_worksheet();
    let bytes = book.save_to_buffer().unwrap();
    let e = import(&bytes, "empty.xlsx", &ImportOptions::default()).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::Empty);
    assert_eq!(sheet_names(&bytes, "empty.xlsx").unwrap(), ["Sheet1"]);
}
