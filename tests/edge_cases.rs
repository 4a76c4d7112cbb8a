//! Files as they arrive: encodings, delimiters and line ends (docs/domain.md, "Numbers as
//! published"), and malformed input, which gives an error saying what and where, never a panic.

mod common;

use std::cell::Cell;

use common::generate;
use common::{
    check_at, csv_rows, d, export_csv, load, load_clean, Fixture, BAD_CELL, BLANK_LINES, BOM,
    CP1252_POUND, CRLF, EMPTY, FIXTURES, HEADER_ONLY, JUNK, NO_YEARS, NUMBERS, OTHER_FORMAT,
    QUOTED_NEWLINE, SEMICOLON, SUBTOTAL_OFF_BY_ONE, TAB, UTF16LE_BOM,
};
use gapwise::engine::{
    calculate, import, to_json, Amount, CheckColumn, CheckStatus, Error, ErrorKind, ImportOptions,
    Imported, NoFigure, NumberError, Position, Schedule, Subject, TextField, TotalScope, Unit,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};

/// Every file of `tests/fixtures/` that must load, by name.
const LOADABLE: [Fixture; 16] = [
    ("bom.csv", BOM),
    ("cp1252-pound.csv", CP1252_POUND),
    ("utf16le-bom.csv", UTF16LE_BOM),
    ("semicolon.csv", SEMICOLON),
    ("tab.tsv", TAB),
    ("crlf.csv", CRLF),
    ("quoted-newline.csv", QUOTED_NEWLINE.as_bytes()),
    ("header-only.csv", HEADER_ONLY),
    ("bad-cell.csv", BAD_CELL),
    ("subtotal-off-by-one.csv", SUBTOTAL_OFF_BY_ONE),
    ("numbers.csv", NUMBERS),
    FIXTURES[0],
    FIXTURES[1],
    FIXTURES[2],
    FIXTURES[3],
    FIXTURES[4],
];

fn error(bytes: &[u8], name: &str) -> Error {
    match import(bytes, name, &ImportOptions::default()) {
        Ok(i) => panic!("{name}: loaded {} lines", i.schedule.lines.len()),
        Err(e) => e,
    }
}

fn amounts(s: &Schedule, line: usize) -> Vec<Amount> {
    s.lines[line].amounts.clone()
}

/// The schedule without its title, which comes from the file name.
fn untitled(mut s: Schedule) -> Schedule {
    s.title = String::new();
    s
}

fn all_ok(imported: &Imported) {
    let r = calculate(&imported.schedule);
    assert!(r.checks.problems().is_empty(), "{:#?}", r.checks.problems());
    assert!(r
        .checks
        .total_row_status
        .iter()
        .all(|s| *s == Some(CheckStatus::Ok)));
}

// --- Encodings.

#[test]
fn utf8_with_a_byte_order_mark() {
    assert!(BOM.starts_with(&[0xEF, 0xBB, 0xBF]));
    let i = load_clean(BOM, "bom.csv");
    assert_eq!(i.encoding, "UTF-8 (BOM)");
    let s = &i.schedule;
    // The mark is not part of the first header, so the column is still recognised.
    assert_eq!(s.text_columns[0].header, "Project");
    assert_eq!(s.text_columns[0].field, TextField::Name);
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(s.lines.len(), 2);
    assert_eq!(s.line_label(&s.lines[0]), "Early Help Review");
    all_ok(&i);
    let without = load_clean(&BOM[3..], "bom.csv");
    assert_eq!(without.encoding, "UTF-8");
    assert_eq!(without.schedule, i.schedule);
}

#[test]
fn windows_1252_pound_sign() {
    // The file really is Windows-1252: `£` is the single byte 0xA3, which is not UTF-8.
    assert!(CP1252_POUND.contains(&0xA3));
    assert!(String::from_utf8(CP1252_POUND.to_vec()).is_err());
    assert!(!CP1252_POUND.windows(2).any(|w| w == [0xC2, 0xA3]));
    let i = load_clean(CP1252_POUND, "cp1252-pound.csv");
    assert_eq!(i.encoding, "windows-1252");
    let s = &i.schedule;
    assert_eq!(s.unit, Unit::Thousands);
    assert!(i.unit_stated);
    assert_eq!(
        s.text(&s.lines[0], TextField::Description),
        "Circa £20k per place"
    );
    assert_eq!(
        s.text(&s.lines[1], TextField::Description),
        "Hourly rate down by £3 (to £32.95)"
    );
    // `£100.0` and `(£50.0)` with the 0xA3 pound sign.
    assert_eq!(
        amounts(s, 0),
        [Amount::Figure(d("100.0")), Amount::Figure(d("-50.0"))]
    );
    assert_eq!(s.lines[0].total, Some(Amount::Figure(d("50.0"))));
    all_ok(&i);
}

#[test]
fn utf16le_with_a_byte_order_mark() {
    assert!(UTF16LE_BOM.starts_with(&[0xFF, 0xFE]));
    // UTF-16 holds NUL bytes; with its mark it is text, not binary.
    assert!(UTF16LE_BOM.contains(&0));
    let i = load_clean(UTF16LE_BOM, "utf16le-bom.csv");
    assert_eq!(i.encoding, "UTF-16LE");
    let s = &i.schedule;
    assert_eq!(s.text_columns[0].header, "Project");
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(
        s.text(&s.lines[0], TextField::Description),
        "£75k saved on the £2m budget"
    );
    assert_eq!(
        amounts(s, 0),
        [Amount::Figure(d("75")), Amount::Figure(d("0"))]
    );
    assert_eq!(s.total_header.as_deref(), Some("Total"));
    let r = calculate(s);
    assert_eq!(r.totals.grand.total.value, d("461"));
    all_ok(&i);
}

#[test]
fn utf16_without_its_mark_is_binary() {
    // No byte-order mark: the NUL bytes make it binary, refused rather than misread.
    let e = error(&UTF16LE_BOM[2..], "utf16.csv");
    assert_eq!(e.kind(), &ErrorKind::Binary);
}

// --- Delimiters and line ends.

#[test]
fn semicolon_separated() {
    let i = load_clean(SEMICOLON, "semicolon.csv");
    assert_eq!(i.delimiter, Some(b';'));
    let s = &i.schedule;
    // Thousands separators need no quotes when `;` separates the cells.
    assert_eq!(
        amounts(s, 0),
        [Amount::Figure(d("1435.0")), Amount::Figure(d("4305.0"))]
    );
    assert_eq!(
        amounts(s, 1),
        [Amount::Figure(d("-200.0")), Amount::Figure(d("-750.0"))]
    );
    assert_eq!(calculate(s).totals.grand.total.value, d("4790.0"));
    all_ok(&i);
    // Stated instead of detected, the same.
    let options = ImportOptions {
        delimiter: Some(b';'),
        ..ImportOptions::default()
    };
    let stated = import(SEMICOLON, "semicolon.csv", &options).unwrap();
    assert_eq!(stated.schedule, i.schedule);
}

#[test]
fn tab_separated() {
    let i = load_clean(TAB, "tab.tsv");
    assert_eq!(i.delimiter, Some(b'\t'));
    all_ok(&i);
    // The same table as the semicolon file.
    let semicolon = load_clean(SEMICOLON, "semicolon.csv").schedule;
    assert_eq!(untitled(i.schedule), untitled(semicolon));
}

#[test]
fn crlf_line_ends() {
    assert!(CRLF.windows(2).filter(|w| w == b"\r\n").count() == 5);
    let i = load_clean(CRLF, "crlf.csv");
    let s = &i.schedule;
    // No carriage return is left on the last header or in any cell.
    assert_eq!(s.total_header.as_deref(), Some("Total"));
    assert!(s
        .lines
        .iter()
        .flat_map(|l| &l.text)
        .all(|t| !t.contains('\r')));
    assert_eq!(
        s.text(&s.lines[0], TextField::Description),
        "New FGC team, to prevent entry to care"
    );
    all_ok(&i);
    assert_eq!(calculate(s).totals.grand.total.value, d("1221.0"));
    let lf = String::from_utf8(CRLF.to_vec())
        .unwrap()
        .replace("\r\n", "\n");
    assert_eq!(load_clean(lf.as_bytes(), "crlf.csv").schedule, i.schedule);
}

#[test]
fn quoted_embedded_newlines() {
    let i = load_clean(QUOTED_NEWLINE.as_bytes(), "quoted-newline.csv");
    let s = &i.schedule;
    assert_eq!(s.lines.len(), 2);
    assert_eq!(
        s.text(&s.lines[0], TextField::Description),
        "Whole service redesign;\nEarly Help FTE from 249.84\nto 239.28."
    );
    // A line break inside quotes is kept as written, CRLF included.
    assert_eq!(
        s.text(&s.lines[1], TextField::Description),
        "Coordinator\r\nand 6 staff"
    );
    // Rows count records, as a spreadsheet shows them, not physical lines.
    let rows: Vec<usize> = s.lines.iter().map(|l| l.row).collect();
    assert_eq!(rows, [3, 4]);
    assert_eq!(s.total_rows[0].row, 5);
    all_ok(&i);

    // A bad cell after them: the message names the spreadsheet row; the position also knows
    // the physical line the record starts on.
    let text = format!("{QUOTED_NEWLINE}Pause,none,aa,0.0,0.0\n");
    let i = load(text.as_bytes(), "quoted-newline.csv");
    assert_eq!(
        i.problems[0].to_string(),
        "quoted-newline.csv, row 6, column 2017/18: `aa` is not an amount"
    );
    let p = i.problems[0].position().unwrap();
    assert_eq!((p.row, p.line, p.column), (6, 9, Some(3)));
}

#[test]
fn header_only() {
    let i = load_clean(HEADER_ONLY, "header-only.csv");
    let s = &i.schedule;
    assert!(s.lines.is_empty());
    assert!(s.total_rows.is_empty());
    assert_eq!(s.years.len(), 2);
    assert_eq!(s.unit, Unit::Thousands);
    let r = calculate(s);
    assert_eq!(r.totals.grand.total.value, d("0"));
    assert!(r.checks.checks.is_empty());
    let rows = csv_rows(&export_csv(s));
    // Header, unit row, grand total.
    assert_eq!(rows.len(), 3);
}

// --- Malformed input: errors with positions, and the rest of the file still loads.

#[test]
fn a_bad_cell_is_reported_with_row_and_column() {
    let i = load(BAD_CELL, "bad-cell.csv");
    assert_eq!(i.problems.len(), 1);
    let e = &i.problems[0];
    assert_eq!(
        e.to_string(),
        "bad-cell.csv, row 5, column 2019/20: `aa` is not an amount"
    );
    assert_eq!(
        e.kind(),
        &ErrorKind::Amount {
            text: "aa".into(),
            reason: NumberError::NotANumber
        }
    );
    assert_eq!(
        e.position(),
        Some(&Position {
            row: 5,
            line: 5,
            column: Some(4),
            column_header: Some("2019/20".into()),
        })
    );
    assert_eq!(e.file(), Some("bad-cell.csv"));
    assert!(e.is_cell_problem());

    // The rest of the file loads; the bad cell has no figure.
    let s = &i.schedule;
    assert_eq!(s.lines.len(), 4);
    assert_eq!(s.lines[2].row, 5);
    assert_eq!(
        amounts(s, 2),
        [
            Amount::Figure(d("0.0")),
            Amount::Figure(d("0.0")),
            Amount::NoFigure(NoFigure::Unreadable)
        ]
    );
    assert_eq!(
        amounts(s, 3),
        [
            Amount::Figure(d("100.0")),
            Amount::Figure(d("100.0")),
            Amount::Figure(d("0.0"))
        ]
    );

    // And is never judged as if it were zero: what it touches is incomplete, the rest is ok.
    let r = calculate(s);
    assert_eq!(
        r.checks.line_status,
        [
            Some(CheckStatus::Ok),
            Some(CheckStatus::Ok),
            Some(CheckStatus::Incomplete),
            Some(CheckStatus::Ok)
        ]
    );
    let total_row = s.total_rows[0].row;
    let status = |column| check_at(&r.checks.checks, total_row, column).status;
    assert_eq!(status(CheckColumn::Year(0)), CheckStatus::Ok);
    assert_eq!(status(CheckColumn::Year(1)), CheckStatus::Ok);
    assert_eq!(status(CheckColumn::Year(2)), CheckStatus::Incomplete);
    assert_eq!(status(CheckColumn::Total), CheckStatus::Incomplete);
    assert!(r
        .checks
        .checks
        .iter()
        .all(|c| c.status != CheckStatus::Error));
}

#[test]
fn rows_are_counted_as_a_spreadsheet_shows_them_blank_lines_included() {
    // Title, blank, header, unit, blank, two lines, blank, total: a spreadsheet shows the bad
    // cell on row 7, although the CSV reader skips the empty lines before it.
    for (text, name) in [
        (BLANK_LINES.to_string(), "blank-lines.csv"),
        (BLANK_LINES.replace('\n', "\r\n"), "blank-lines-crlf.csv"),
    ] {
        let i = load(text.as_bytes(), name);
        assert_eq!(
            i.problems[0].to_string(),
            format!("{name}, row 7, column 2018/19: `aa` is not an amount")
        );
        let p = i.problems[0].position().unwrap();
        assert_eq!((p.row, p.line), (7, 7));
        let s = &i.schedule;
        assert_eq!(s.title, "Children's Services savings 2017-19");
        assert_eq!(s.lines.iter().map(|l| l.row).collect::<Vec<_>>(), [6, 7]);
        assert_eq!(s.total_rows[0].row, 9);
    }
    // The CSV export writes no title row and no empty rows, so a re-import of it numbers the
    // rows afresh and takes its title from the file name; the figures and checks are the same.
    let s = load(BLANK_LINES.as_bytes(), "blank-lines.csv").schedule;
    let again = load(export_csv(&s).as_bytes(), "blank-lines.csv").schedule;
    assert_eq!(
        again.lines.iter().map(|l| l.row).collect::<Vec<_>>(),
        [3, 4]
    );
    assert_eq!(again.title, "blank-lines");
    for (a, b) in again.lines.iter().zip(&s.lines) {
        assert_eq!(
            (&a.text, &a.amounts, &a.total),
            (&b.text, &b.amounts, &b.total)
        );
    }
    let statuses = |s: &Schedule| {
        let r = calculate(s);
        (r.checks.line_status, r.checks.total_row_status)
    };
    assert_eq!(statuses(&again), statuses(&s));
}

#[test]
fn an_off_by_one_subtotal_is_an_error_with_its_figures() {
    let i = load_clean(SUBTOTAL_OFF_BY_ONE, "subtotal-off-by-one.csv");
    let s = &i.schedule;
    assert_eq!(
        s.total_rows.iter().map(|t| &t.scope).collect::<Vec<_>>(),
        [
            &TotalScope::Section(0),
            &TotalScope::Section(1),
            &TotalScope::All
        ]
    );
    let r = calculate(s);
    assert_eq!(
        r.checks.total_row_status,
        [
            Some(CheckStatus::Error),
            Some(CheckStatus::Ok),
            Some(CheckStatus::Ok)
        ]
    );
    let problems = r.checks.problems();
    assert_eq!(problems.len(), 1);
    let c = problems[0];
    assert_eq!(c.subject, Subject::TotalRow { index: 0 });
    assert_eq!(c.row, 6);
    assert_eq!(c.label, "Total Staffing");
    assert_eq!(c.column, CheckColumn::Year(1));
    assert_eq!(c.column_header, "2018/19");
    // 300.0 + 489.0 = 789.0, published 790.0: more than two cells and the published figure
    // can hide (3 × 0.05 = 0.15).
    assert_eq!(c.published, d("790.0"));
    assert_eq!(c.computed, d("789.0"));
    assert_eq!(c.difference, d("1.0"));
    assert_eq!(c.tolerance, d("0.15"));
    assert_eq!(c.status, CheckStatus::Error);
    assert_eq!(r.checks.total_rows.error, 1);

    // The export says so in the row's check cell.
    let rows = csv_rows(&export_csv(s));
    assert_eq!(rows[5][0], "Total Staffing");
    assert_eq!(
        rows[5].last().unwrap(),
        "error: 2018/19 error: published 790.0, computed 789.0"
    );
}

#[test]
fn an_empty_file() {
    for (bytes, name) in [
        (EMPTY, "empty.csv"),
        (&b"  \r\n\n\t\n"[..], "blank.csv"),
        (&b"\xEF\xBB\xBF"[..], "bom-only.csv"),
        (&b"\xFF\xFE"[..], "utf16-bom-only.csv"),
    ] {
        let e = error(bytes, name);
        assert_eq!(e.kind(), &ErrorKind::Empty, "{name}");
        assert_eq!(e.position(), None);
        assert_eq!(e.to_string(), format!("{name}: the file is empty"));
        assert!(!e.is_cell_problem());
    }
}

#[test]
fn binary_junk() {
    let e = error(JUNK, "junk.bin");
    assert_eq!(e.kind(), &ErrorKind::Binary);
    assert!(e.to_string().starts_with("junk.bin: the file is not text"));
    // The start of an .xlsx (a zip), cut short: workbooks are read, so it is a damaged one.
    let e = error(
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        "schedule.xlsx",
    );
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }));
    assert!(e
        .to_string()
        .starts_with("schedule.xlsx: the workbook cannot be read: it is damaged or cut short"));
    // Junk without NUL bytes decodes as Windows-1252 and is then no schedule.
    let junk: Vec<u8> = (0u32..4096).map(|i| (i * 7919 % 251 + 1) as u8).collect();
    assert!(!junk.contains(&0));
    let e = error(&junk, "junk.csv");
    assert_eq!(e.kind(), &ErrorKind::NoYearColumns);
}

#[test]
fn a_csv_with_no_year_columns() {
    let e = error(NO_YEARS, "no-years.csv");
    assert_eq!(e.kind(), &ErrorKind::NoYearColumns);
    assert_eq!(
        e.to_string(),
        "no-years.csv: no header row with financial years was found; the header needs columns \
         such as 2017/18 or 2020/2021"
    );
}

#[test]
fn the_same_year_heading_two_columns() {
    let e = error(b"Project,2017/18,2017/2018\nA,1,2\n", "twice.csv");
    assert_eq!(
        e.kind(),
        &ErrorKind::DuplicateYear {
            year: "2017/18".into()
        }
    );
    let p = e.position().unwrap();
    assert_eq!((p.row, p.column), (1, Some(3)));
    assert_eq!(
        e.to_string(),
        "twice.csv, row 1, column 2017/2018: the year 2017/18 heads two columns"
    );
}

#[test]
fn cells_beyond_the_header_are_reported() {
    let i = load(b"Project,2017/18\nA,1,surprise,more\nB,2\n", "wide.csv");
    assert_eq!(i.schedule.lines.len(), 2);
    assert_eq!(i.problems.len(), 1);
    assert_eq!(i.problems[0].kind(), &ErrorKind::ExtraCells { count: 2 });
    assert_eq!(
        i.problems[0].to_string(),
        "wide.csv, row 2: 2 cell(s) beyond the last header column were ignored"
    );
}

#[test]
fn json_nested_ten_thousand_deep() {
    let depth = 10_000;
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let in_title = format!(
        "{{\"format\": \"gapwise-schedule/1\", \"title\": {}\"x\"{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let in_unknown_field = format!(
        "{{\"format\": \"gapwise-schedule/1\", \"extra\": {}{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let unclosed = "[".repeat(depth);
    for (name, text) in [
        ("arrays.json", &arrays),
        ("objects.json", &objects),
        ("title.json", &in_title),
        ("extra.json", &in_unknown_field),
        ("unclosed.json", &unclosed),
    ] {
        let e = error(text.as_bytes(), name);
        assert!(matches!(e.kind(), ErrorKind::Json { .. }), "{name}: {e}");
        assert!(e.to_string().starts_with(&format!("{name}: ")), "{e}");
    }
    // Skipped or refused at the first bracket where a string or a field was due.
    let e = error(arrays.as_bytes(), "arrays.json");
    assert_eq!(
        e.to_string(),
        "arrays.json: this JSON is not a gapwise-schedule/1 document"
    );
    let e = error(in_title.as_bytes(), "title.json");
    assert!(
        e.to_string().starts_with(
            "title.json: JSON line 1, column 42: invalid type: sequence, expected a string"
        ),
        "{e}"
    );
    let e = error(unclosed.as_bytes(), "unclosed.json");
    assert_eq!(
        e.to_string(),
        "unclosed.json: this JSON is not a gapwise-schedule/1 document"
    );
}

#[test]
fn json_of_another_format() {
    let e = error(OTHER_FORMAT, "other-format.json");
    assert_eq!(
        e.to_string(),
        "other-format.json: this JSON has no \"format\": \"gapwise-schedule/1\" field; Gapwise \
         reads its own JSON format (see the README) or CSV"
    );
    let e = error(
        br#"{"format": "gapwise-schedule/2", "title": "T"}"#,
        "v2.json",
    );
    assert_eq!(
        e.to_string(),
        "v2.json: this JSON is `gapwise-schedule/2`, not a gapwise-schedule/1 document"
    );
    for (name, text) in [
        ("array.json", "[1, 2, 3]"),
        ("string-format.json", r#"{"format": 1}"#),
        (
            "missing-fields.json",
            r#"{"format": "gapwise-schedule/1", "title": "T"}"#,
        ),
        (
            "truncated.json",
            r#"{"format": "gapwise-schedule/1", "title": "#,
        ),
    ] {
        let e = error(text.as_bytes(), name);
        assert!(matches!(e.kind(), ErrorKind::Json { .. }), "{name}: {e}");
    }
    let e = error(
        br#"{"format": "gapwise-schedule/1", "title": "T"}"#,
        "missing-fields.json",
    );
    assert!(e.to_string().contains("missing field"), "{e}");
}

#[test]
fn a_csv_title_in_brackets_is_not_json() {
    let text = "[DRAFT] Savings schedule\nProject,2017/18,2018/19\n,£'000,£'000\nA,1.0,2.0\n";
    let i = load_clean(text.as_bytes(), "draft.csv");
    assert_eq!(i.schedule.title, "[DRAFT] Savings schedule");
    assert_eq!(i.schedule.lines.len(), 1);
    assert_eq!(i.encoding, "UTF-8");
}

#[test]
fn a_file_over_the_size_limit() {
    let small = ImportOptions {
        max_bytes: 100,
        ..ImportOptions::default()
    };
    let e = import(BAD_CELL, "bad-cell.csv", &small).unwrap_err();
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            bytes: BAD_CELL.len(),
            limit: 100
        }
    );
    assert_eq!(e.file(), Some("bad-cell.csv"));
    assert_eq!(e.position(), None);
    // Refused before it is read, so even junk gets this error rather than another.
    let e = import(&[0u8; 101], "zeros.bin", &small).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::TooLarge { bytes: 101, .. }));
    // At the limit exactly, the file loads.
    let exact = ImportOptions {
        max_bytes: BAD_CELL.len(),
        ..ImportOptions::default()
    };
    assert!(import(BAD_CELL, "bad-cell.csv", &exact).is_ok());
    // The default limit is the documented 128 MB.
    assert_eq!(ImportOptions::default().max_bytes, 128_000_000);
}

#[test]
fn a_hand_made_schedule_with_an_empty_layout_exports() {
    // The layout (column order) is only used by the CSV export; a schedule whose layout is
    // empty once made it index out of bounds.
    let json = r#"{"format": "gapwise-schedule/1", "title": "T", "unit": "£",
        "years": [{"year": "2017/18", "header": "2017/18"}], "text_columns": [],
        "total_header": null, "layout": [], "sections": [],
        "lines": [{"row": 2, "section": null, "text": [], "amounts": ["1"], "total": null}],
        "total_rows": [{"row": 3, "label": "Total", "scope": "all", "amounts": ["1"],
                        "total": null}],
        "decimals": 0}"#;
    let s = load_clean(json.as_bytes(), "hand-made.json").schedule;
    assert_eq!(
        calculate(&s).checks.total_row_status,
        [Some(CheckStatus::Ok)]
    );
    let rows = csv_rows(&export_csv(&s));
    assert_eq!(rows[0], ["Gapwise computed total", "Gapwise check"]);
    assert_eq!(rows.len(), 5);
}

// --- Every edge-case file survives both exports.

#[test]
fn every_loadable_fixture_round_trips() {
    for (name, bytes) in LOADABLE {
        let s = load(bytes, name).schedule;
        let json = load_clean(to_json(&s).as_bytes(), "x.json").schedule;
        assert_eq!(json, s, "{name}: JSON");
        let exported = export_csv(&s);
        let again = load(exported.as_bytes(), name).schedule;
        assert_eq!(again, s, "{name}: CSV");
        assert_eq!(
            calculate(&again).checks,
            calculate(&s).checks,
            "{name}: CSV checks"
        );
        assert_eq!(export_csv(&again), exported, "{name}: CSV twice");
    }
}

// --- No input panics.

/// Runs everything a page does with a file: import, recalculate, both exports, and the
/// exports imported again. A file may be refused; a panic fails the test, and so does a file
/// that imports but whose JSON does not come back the same or whose CSV export is refused.
/// Says whether the file imported, so that a test can tell a file refused from a file read.
fn everything(bytes: &[u8], name: &str) -> bool {
    let Ok(imported) = import(bytes, name, &ImportOptions::default()) else {
        return false;
    };
    for p in &imported.problems {
        let _ = p.to_string();
    }
    let s = &imported.schedule;
    let r = calculate(s);
    let _ = r.checks.problems();
    let csv = export_csv(s);
    let json = to_json(s);
    let again = import(json.as_bytes(), "again.json", &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: its own JSON does not load: {e}"));
    assert_eq!(&again.schedule, s, "{name}: JSON round trip");
    let again = import(csv.as_bytes(), name, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: its own CSV export does not load: {e}"));
    calculate(&again.schedule);
    true
}

/// One change to a file's bytes: replace, remove or insert one byte at a place. The place and
/// the byte are indexes, fitted to the file as it is when the change is made.
#[derive(Clone, Debug)]
enum Mutation {
    Replace(Index, Index),
    Remove(Index),
    Insert(Index, Index),
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    let one = prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(at, byte)| Mutation::Replace(at, byte)),
        any::<Index>().prop_map(Mutation::Remove),
        (any::<Index>(), any::<Index>()).prop_map(|(at, byte)| Mutation::Insert(at, byte)),
    ];
    vec(one, 1..=4)
}

/// The file with the changes made in turn, the bytes drawn from `specials`.
fn mutated(bytes: &[u8], changes: &[Mutation], specials: &[u8]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for change in changes {
        if b.is_empty() {
            break;
        }
        match change {
            Mutation::Replace(at, byte) => {
                let at = at.index(b.len());
                b[at] = *byte.get(specials);
            }
            Mutation::Remove(at) => {
                b.remove(at.index(b.len()));
            }
            Mutation::Insert(at, byte) => b.insert(at.index(b.len()), *byte.get(specials)),
        }
    }
    b
}

/// Mutated copies of each file, per file.
const MUTATED_COPIES: u32 = 100;

#[test]
fn truncated_and_mutated_files_never_panic() {
    let specials = b",;\t\"\r\n()-+.\xA3\xC2\x00'/0123456789";
    let blank_lines = ("blank-lines.csv", BLANK_LINES.as_bytes());
    let (mut all_prefixes, mut all_mutated) = ((0, 0), (0, 0));
    for (name, bytes) in LOADABLE.into_iter().chain([blank_lines]) {
        // Every prefix of the small files; a sample of the large ones.
        let step = (bytes.len() / 200).max(1);
        let mut prefixes = (0, 0);
        for end in (0..bytes.len()).step_by(step) {
            prefixes.1 += 1;
            if everything(&bytes[..end], name) {
                prefixes.0 += 1;
            }
        }
        // The whole file loads.
        assert!(
            everything(bytes, name),
            "{name}: the whole file does not load"
        );
        // Mutated copies: one to four bytes replaced, removed or inserted.
        let imported = Cell::new(0);
        generate::check(MUTATED_COPIES, mutations(), |changes| {
            if everything(&mutated(bytes, &changes, specials), name) {
                imported.set(imported.get() + 1);
            }
        });
        let mutated_copies = (imported.get(), MUTATED_COPIES);
        // Not a run that passes on nothing: once the header row is in, a file cut short is a
        // shorter table, and most changes of a byte or four leave a table that still imports
        // (with cell problems at worst). Here 54 % to 99 % of the prefixes of each file import,
        // and 57 % to 91 % of its mutated copies; at least 40 % of either must.
        assert!(
            prefixes.0 * 5 >= prefixes.1 * 2,
            "{name}: only {} of {} prefixes import",
            prefixes.0,
            prefixes.1
        );
        assert!(
            mutated_copies.0 * 5 >= mutated_copies.1 * 2,
            "{name}: only {} of {} mutated copies import",
            mutated_copies.0,
            mutated_copies.1
        );
        all_prefixes = (all_prefixes.0 + prefixes.0, all_prefixes.1 + prefixes.1);
        all_mutated = (
            all_mutated.0 + mutated_copies.0,
            all_mutated.1 + mutated_copies.1,
        );
    }
    // Over all the files, 89 % of the prefixes and 86 % of the mutated copies import; at
    // least three in four must.
    assert!(all_prefixes.0 * 4 >= all_prefixes.1 * 3, "{all_prefixes:?}");
    assert!(all_mutated.0 * 4 >= all_mutated.1 * 3, "{all_mutated:?}");
}

#[test]
fn mutated_json_never_panics() {
    let s = load_clean(SUBTOTAL_OFF_BY_ONE, "subtotal-off-by-one.csv").schedule;
    let json = to_json(&s);
    let bytes = json.as_bytes();
    // A JSON document cut short is refused, never half read; whole, it loads.
    let complete = json.trim_end().len();
    for end in (0..bytes.len()).step_by(7).chain([bytes.len()]) {
        let imported = everything(&bytes[..end], "truncated.json");
        assert_eq!(
            imported,
            end >= complete,
            "cut at byte {end} of {}",
            bytes.len()
        );
    }
    let specials: [&[u8]; 12] = [
        b"0",
        b"9",
        b"-1",
        b"\"\"",
        b"null",
        b"[]",
        b"{}",
        b"99999",
        b"\"N/A\"",
        b",",
        b"\"x\"",
        b"\"1e400\"",
    ];
    // A splice: up to three bytes at a place replaced by one of the specials.
    let splices = (any::<Index>(), 0..4usize, select(specials.to_vec()));
    let imported = Cell::new(0);
    generate::check(2_000, splices, |(at, len, special)| {
        let mut b = bytes.to_vec();
        let at = at.index(b.len());
        let len = len.min(b.len() - at);
        b.splice(at..at + len, special.iter().copied());
        if everything(&b, "mutated.json") {
            imported.set(imported.get() + 1);
        }
    });
    // Not a run that passes on nothing: a splice inside a figure's text or a name leaves JSON
    // that still loads. Here 206 of the 2,000 spliced copies load; at least 100 must.
    assert!(
        imported.get() >= 100,
        "only {} of 2000 spliced copies load",
        imported.get()
    );
}

#[test]
fn a_json_schedule_that_does_not_hold_together_is_refused() {
    let s = load_clean(SUBTOTAL_OFF_BY_ONE, "subtotal-off-by-one.csv").schedule;
    let json = to_json(&s);
    for (from, to, says) in [
        (
            "\"section\": 0,\n      \"text\"",
            "\"section\": 9,\n      \"text\"",
            "line 1 (row 4) names a section that does not exist",
        ),
        (
            "\"section\": 0\n      }",
            "\"section\": 9\n      }",
            "total row 1 (row 6) covers lines that do not exist",
        ),
        (
            "\"text\": 1\n",
            "\"text\": 9\n",
            "layout names a column that does not exist: Text(9)",
        ),
        (
            "\"year\": 1\n",
            "\"year\": 9\n",
            "layout names a column that does not exist: Year(9)",
        ),
        (
            "\"489.0\",\n        \"489.0\"",
            "\"489.0\"",
            "line 2 (row 5) has 1 amounts for 2 years",
        ),
        (
            "\"decimals\": 1",
            "\"decimals\": 11",
            "decimals is 11; at most 10",
        ),
        (
            "\"2018/19\",\n      \"header",
            "\"2017/18\",\n      \"header",
            "the year 2017/18 is listed twice",
        ),
        ("\"175.0\"", "\"aa\"", "`aa` is not an amount"),
    ] {
        assert!(json.contains(from), "{from}");
        let bad = json.replacen(from, to, 1);
        let e = error(bad.as_bytes(), "bad.json");
        assert!(matches!(e.kind(), ErrorKind::Json { .. }), "{from}: {e}");
        assert!(e.to_string().contains(says), "{from}: {e}");
    }
}

/// A 200 MB file is refused by its size with the default limit, before a byte is read, and
/// the message says how large it is and what the limit is.
#[test]
fn a_200_mb_file_is_refused_by_its_size() {
    let big = vec![b'1'; 200_000_000];
    let e = error(&big, "huge.csv");
    assert_eq!(
        e.kind(),
        &ErrorKind::TooLarge {
            bytes: 200_000_000,
            limit: 128_000_000
        }
    );
    let text = e.to_string();
    assert!(text.contains("huge.csv"), "{text}");
    assert!(text.contains("over the 128 MB limit"), "{text}");
}

/// One line of 50 MB (under the limit, no line break): read, and refused as having no year
/// columns, with a message; no hang, no panic.
#[test]
fn one_line_of_50_mb() {
    let mut line = b"Project,".to_vec();
    line.extend(std::iter::repeat_n(b'x', 50_000_000));
    let started = std::time::Instant::now();
    let e = error(&line, "one-line.csv");
    assert!(matches!(e.kind(), ErrorKind::NoYearColumns), "{e}");
    // Not a timed assertion of speed: a guard against a quadratic hang (it takes well under a
    // second here).
    assert!(
        started.elapsed().as_secs() < 60,
        "took {:?}",
        started.elapsed()
    );
}

/// The csv-spectrum cases: commas and quotes inside quoted fields, escaped quotes, empty
/// fields, UTF-8 text, CRLF and LF mixed.
#[test]
fn csv_spectrum_cases() {
    let csv = "Project,Note,2024/25,2025/26\r\n\
               \"Day services, north\",\"said \"\"no\"\"\",1.0,2.0\n\
               Caf\u{e9} r\u{e9}vision \u{2014} \u{1f4b7},,3.0,\r\n\
               \"Two\nlines\",\"\",,4.0\n";
    let s = import(csv.as_bytes(), "spectrum.csv", &ImportOptions::default())
        .unwrap()
        .schedule;
    let labels: Vec<String> = s.lines.iter().map(|l| s.line_label(l)).collect();
    assert_eq!(
        labels,
        [
            "Day services, north",
            "Caf\u{e9} r\u{e9}vision \u{2014} \u{1f4b7}",
            "Two\nlines"
        ]
    );
    assert!(
        s.lines[0].text.iter().any(|t| t == "said \"no\""),
        "{:?}",
        s.lines[0].text
    );
    assert_eq!(amounts(&s, 1)[1], Amount::Blank);
    assert_eq!(amounts(&s, 2)[0], Amount::Blank);
    let r = gapwise::engine::calculate(&s);
    assert_eq!(r.totals.grand.total.value.to_string(), "10.0");
}
