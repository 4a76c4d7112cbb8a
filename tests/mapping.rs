//! The column-mapping step: what detection proposes for a file, importing with a mapping the
//! user made or changed, the mappings refused (and the column each error names), and the key a
//! mapping is remembered by.

mod common;

use common::{d, export_csv, fig, load, EDGE_FIXTURES, FIXTURES, NO_YEARS};
use gapwise::engine::{
    calculate, detect_mapping, detect_mapping_at, header_key, import, run_import, run_import_with,
    to_xlsx, totals, CheckColumn, CheckStatus, ColumnMapping, ColumnRef, ColumnRole, Doubt,
    ErrorKind, FinancialYear, ImportJob, ImportOptions, MappedColumn, MappingProposal, Profile,
    SignConvention, TextField, Unit, IMPORT_PHASES,
};

fn propose(bytes: &[u8], name: &str) -> MappingProposal {
    detect_mapping(bytes, name, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn with(mapping: ColumnMapping) -> ImportOptions {
    ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    }
}

fn fy(start: i32) -> FinancialYear {
    FinancialYear { start }
}

fn text(field: TextField) -> ColumnRole {
    ColumnRole::Text { field }
}

fn year(start: i32) -> ColumnRole {
    ColumnRole::Year { year: fy(start) }
}

/// A mapping of a header's cells, one role each, in order.
fn mapping(header_row: usize, columns: &[(&str, ColumnRole)]) -> ColumnMapping {
    ColumnMapping {
        header_row,
        columns: columns
            .iter()
            .enumerate()
            .map(|(index, (header, role))| MappedColumn {
                index,
                header: header.to_string(),
                role: *role,
                measure: None,
            })
            .collect(),
        unit: None,
        sign: None,
        profile: None,
    }
}

/// The proposal says what import decided: every column's role in the schedule's layout, the
/// unit, sign, profile and title; and importing with the proposal gives the same schedule and
/// the same problems.
fn assert_proposal_is_import(name: &str, bytes: &[u8]) {
    let imported = load(bytes, name);
    let s = &imported.schedule;
    let p = propose(bytes, name);
    // Detection may have guessed which column names the lines; nothing else.
    assert!(
        p.doubts
            .iter()
            .all(|d| matches!(d, Doubt::NoLabelColumn { .. })),
        "{name}: {:?}",
        p.doubts
    );
    let roles: Vec<ColumnRole> = p
        .mapping
        .columns
        .iter()
        .map(|c| c.role)
        .filter(|r| *r != ColumnRole::Ignored)
        .collect();
    let expected: Vec<ColumnRole> = s
        .layout
        .iter()
        .map(|c| match c {
            ColumnRef::Text(i) => text(s.text_columns[*i].field),
            ColumnRef::Year(i) => ColumnRole::Year {
                year: s.years[*i].year,
            },
            ColumnRef::Total => ColumnRole::Total,
        })
        .collect();
    assert_eq!(roles, expected, "{name}");
    for (c, r) in p.mapping.columns.iter().zip(0..) {
        assert_eq!(c.index, r, "{name}");
    }
    assert_eq!(p.unit, s.unit, "{name}");
    assert_eq!(p.unit_stated, imported.unit_stated, "{name}");
    assert_eq!(p.sign, s.sign, "{name}");
    assert_eq!(p.profile, s.profile, "{name}");
    assert_eq!(p.title, s.title, "{name}");
    let first_row = s
        .lines
        .first()
        .map(|l| l.row)
        .or(s.sections.first().map(|x| x.row));
    if let Some(first_row) = first_row {
        assert!(p.mapping.header_row < first_row, "{name}");
        assert!(p.preview.iter().any(|r| r.row == first_row), "{name}");
    }

    let mapped = import(bytes, name, &with(p.mapping.clone())).unwrap();
    assert_eq!(&mapped.schedule, s, "{name}");
    assert_eq!(mapped.problems, imported.problems, "{name}");
    assert_eq!(mapped.unit_stated, imported.unit_stated, "{name}");
}

#[test]
fn the_proposal_for_each_fixture_is_what_import_detects() {
    for (name, bytes) in FIXTURES.iter().chain(EDGE_FIXTURES.iter()) {
        assert_proposal_is_import(name, bytes);
    }
    let p = propose(FIXTURES[0].1, FIXTURES[0].0);
    assert_eq!(p.mapping.header_row, 1);
    assert_eq!(p.mapping.columns[0].header, "Source of Saving");
    assert_eq!(p.mapping.columns[2].role, text(TextField::Reference));
    assert_eq!(p.mapping.columns[7].role, year(2020));
    assert_eq!(p.mapping.columns[8].role, ColumnRole::Total);
    assert_eq!(p.unit, Unit::Thousands);
    // The preview starts under the header: the unit row, then the first section heading.
    assert_eq!(p.preview.len(), 5);
    assert_eq!(p.preview[0].row, 2);
    assert_eq!(p.preview[1].cells[0], "Staffing Related Savings");
    assert!(!p.is_unsure());
    // `Format` and `Example` name no label: the first text column names the lines.
    let p = propose(EDGE_FIXTURES[6].1, EDGE_FIXTURES[6].0);
    assert_eq!(p.doubts, [Doubt::NoLabelColumn { column: 0 }]);
    assert_eq!(p.mapping.columns[0].role, text(TextField::Name));
}

#[test]
fn the_proposal_for_a_workbook_is_what_import_detects() {
    for (name, bytes) in FIXTURES {
        let s = load(bytes, name).schedule;
        let xlsx = to_xlsx(&s, &totals(&s)).unwrap();
        let book = name.replace(".csv", ".xlsx");
        assert_proposal_is_import(&book, &xlsx);
        // The export's own columns are ignored, and named.
        let p = propose(&xlsx, &book);
        let last = p.mapping.columns.last().unwrap();
        assert!(last.header.starts_with("Gapwise "), "{}", last.header);
        assert_eq!(last.role, ColumnRole::Ignored);
    }
}

const ODD: &str = "Children's savings\n\
Ref,Scheme,Notes,Year 1,Year 2,Year 3,Sum\n\
,,,£'000,£'000,£'000,£'000\n\
Staffing,,,,,,\n\
C1,Early Help,agreed,175.0,175.0,0.0,350.0\n\
C2,Edge of Care,,165.0,(29.0),10.0,146.0\n\
,,see note 4,,,,\n\
Total Staffing,,,340.0,146.0,10.0,496.0\n\
Other,,spare,,,,\n\
C3,Pause,,1.0,2.0,3.0,6.0\n";

fn odd_mapping() -> ColumnMapping {
    mapping(
        2,
        &[
            ("Ref", text(TextField::Reference)),
            ("Scheme", text(TextField::Name)),
            ("Notes", text(TextField::Other)),
            ("Year 1", year(2024)),
            ("Year 2", year(2025)),
            ("Year 3", year(2026)),
            ("Sum", ColumnRole::Total),
        ],
    )
}

#[test]
fn odd_headers_are_unsure_and_import_when_mapped_by_hand() {
    let p = propose(ODD.as_bytes(), "odd.csv");
    assert_eq!(p.doubts, [Doubt::NoYearColumns]);
    assert!(p.is_unsure());
    // The title row has one cell: the header guessed is the first row of text.
    assert_eq!(p.mapping.header_row, 2);
    assert_eq!(p.unit, Unit::Thousands);
    assert!(p.unit_stated);
    assert!(import(ODD.as_bytes(), "odd.csv", &ImportOptions::default()).is_err());

    let i = import(ODD.as_bytes(), "odd.csv", &with(odd_mapping())).unwrap();
    assert!(i.problems.is_empty(), "{:?}", i.problems);
    let s = &i.schedule;
    assert_eq!(s.title, "Children's savings");
    assert_eq!(s.unit, Unit::Thousands);
    let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
    assert_eq!(years, ["2024/25", "2025/26", "2026/27"]);
    // The year column's header says which year it was mapped to, so an export reads again.
    assert_eq!(s.years[0].header, "2024/25 (Year 1)");
    let fields: Vec<(String, TextField)> = s
        .text_columns
        .iter()
        .map(|t| (t.header.clone(), t.field))
        .collect();
    assert_eq!(
        fields,
        [
            ("Ref".to_string(), TextField::Reference),
            ("Scheme".to_string(), TextField::Name),
            ("Notes".to_string(), TextField::Other),
        ]
    );
    assert_eq!(s.total_header.as_deref(), Some("Total (Sum)"));
    // Sections and total rows are found as without a mapping: the row holding only a note is
    // a heading (one text cell), and `Other` with `spare` beside it a line.
    let sections: Vec<&str> = s.sections.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(sections, ["Staffing", "see note 4"]);
    let refs: Vec<&str> = s.lines.iter().map(|l| l.text[0].as_str()).collect();
    assert_eq!(refs, ["C1", "C2", "Other", "C3"]);
    assert_eq!(s.lines[1].text[1], "Edge of Care");
    assert_eq!(fig(&s.lines[1].amounts[1]), d("-29.0"));
    assert_eq!(s.total_rows.len(), 1);

    let r = calculate(s);
    assert_eq!(r.checks.total_row_status, [Some(CheckStatus::Ok)]);
    assert_eq!(r.checks.line_totals.ok, 3);
    assert!(r
        .checks
        .checks
        .iter()
        .any(|c| c.column == CheckColumn::Total && c.column_header == "Total (Sum)"));

    // Its export imports again, without a mapping, as the same schedule.
    let again = load(export_csv(s).as_bytes(), "odd-export.csv").schedule;
    assert_eq!(again.years, s.years);
    assert_eq!(again.text_columns, s.text_columns);
    assert_eq!(again.total_header, s.total_header);
    assert_eq!(again.lines.len(), s.lines.len());
    for (a, b) in again.lines.iter().zip(&s.lines) {
        assert_eq!(
            (&a.text, &a.amounts, &a.total),
            (&b.text, &b.amounts, &b.total)
        );
    }
}

#[test]
fn a_column_mapped_to_ignored_is_dropped() {
    let mut m = odd_mapping();
    m.columns[2].role = ColumnRole::Ignored;
    let s = import(ODD.as_bytes(), "odd.csv", &with(m))
        .unwrap()
        .schedule;
    assert_eq!(s.text_columns.len(), 2);
    assert!(s.text_columns.iter().all(|t| t.header != "Notes"));
    assert_eq!(s.layout.len(), 6);
    // The row holding only a note is no line, and `Other` with `spare` beside it is a heading.
    let names: Vec<&str> = s.lines.iter().map(|l| l.text[1].as_str()).collect();
    assert_eq!(names, ["Early Help", "Edge of Care", "Pause"]);
    assert_eq!(s.sections[1].name, "Other");
    assert_eq!(s.lines[2].section, Some(1));

    // A column the mapping does not list is ignored too.
    let mut m = odd_mapping();
    m.columns.remove(2);
    let t = import(ODD.as_bytes(), "odd.csv", &with(m))
        .unwrap()
        .schedule;
    assert_eq!(t, s);

    // A year column can be left out as well: its figures are not read.
    let mut m = odd_mapping();
    m.columns[5].role = ColumnRole::Ignored;
    let s = import(ODD.as_bytes(), "odd.csv", &with(m))
        .unwrap()
        .schedule;
    assert_eq!(s.years.len(), 2);
    assert_eq!(s.lines[0].amounts.len(), 2);
}

#[test]
fn the_mapping_can_set_unit_sign_and_profile() {
    let mut m = odd_mapping();
    m.unit = Some(Unit::Millions);
    m.sign = Some(SignConvention::CostsPositive);
    m.profile = Some(Profile::Cumulative);
    let i = import(ODD.as_bytes(), "odd.csv", &with(m)).unwrap();
    assert_eq!(i.schedule.unit, Unit::Millions);
    assert!(i.unit_stated);
    assert_eq!(i.schedule.sign, SignConvention::CostsPositive);
    assert_eq!(i.schedule.profile, Profile::Cumulative);
}

/// The message of an import refused for its mapping, with the column it names (from 1).
fn refused(m: ColumnMapping) -> (String, Option<usize>) {
    let e = import(ODD.as_bytes(), "odd.csv", &with(m)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Mapping { .. }), "{e}");
    (e.to_string(), e.position().and_then(|p| p.column))
}

#[test]
fn invalid_mappings_are_refused_naming_the_column() {
    let mut m = odd_mapping();
    m.columns[4].role = year(2024);
    assert_eq!(
        refused(m),
        (
            "odd.csv, row 2, column Year 2: the mapping makes columns D (Year 1) and E (Year 2) \
             both the year 2024/25"
                .to_string(),
            Some(5)
        )
    );

    let mut m = odd_mapping();
    m.columns.push(MappedColumn {
        index: 9,
        header: "Extra".into(),
        role: year(2030),
        measure: None,
    });
    assert_eq!(
        refused(m),
        (
            "odd.csv, row 2, column J: the mapping names column J (index 9), but the header row \
             has 7 column(s), A to G"
                .to_string(),
            Some(10)
        )
    );

    let mut m = odd_mapping();
    for c in &mut m.columns {
        if matches!(c.role, ColumnRole::Year { .. }) {
            c.role = text(TextField::Other);
        }
    }
    let (message, column) = refused(m);
    assert_eq!(column, None);
    assert!(
        message.starts_with("odd.csv, row 2: the mapping makes no column a year"),
        "{message}"
    );

    let mut m = odd_mapping();
    m.columns[1].role = ColumnRole::Total;
    let (message, column) = refused(m);
    assert_eq!(column, Some(7));
    assert!(message.contains("columns B (Scheme) and G (Sum) both the published total"));

    let mut m = odd_mapping();
    m.columns[1].index = 0;
    let (message, column) = refused(m);
    assert_eq!(column, Some(1));
    assert!(message.contains("lists column A (Ref) twice"), "{message}");

    // A mapping made for another header (or another header row) is not applied.
    let mut m = odd_mapping();
    m.columns[3].header = "Yr 1".into();
    let (message, column) = refused(m);
    assert_eq!(column, Some(4));
    assert!(
        message.contains("made for another header: it heads column D `Yr 1`, the file `Year 1`"),
        "{message}"
    );
    let mut m = odd_mapping();
    m.header_row = 3;
    assert_eq!(refused(m).1, Some(1));
    let mut m = odd_mapping();
    m.header_row = 40;
    let (message, _) = refused(m);
    assert!(message.contains("row 40"), "{message}");

    // Case and spacing of a header are not a different header.
    let mut m = odd_mapping();
    m.columns[3].header = "  YEAR   1 ".into();
    assert!(import(ODD.as_bytes(), "odd.csv", &with(m)).is_ok());
}

#[test]
fn a_file_with_no_year_columns_gets_a_proposal_not_an_error() {
    let e = import(NO_YEARS, "no-years.csv", &ImportOptions::default()).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::NoYearColumns);

    let p = propose(NO_YEARS, "no-years.csv");
    assert_eq!(p.doubts, [Doubt::NoYearColumns]);
    assert_eq!(
        p.doubts[0].to_string(),
        "no row names financial years (such as 2017/18): say which columns are years"
    );
    assert_eq!(p.mapping.header_row, 1);
    let headers: Vec<&str> = p
        .mapping
        .columns
        .iter()
        .map(|c| c.header.as_str())
        .collect();
    assert_eq!(headers, ["Project", "Description", "Saving", "Total"]);
    assert!(p
        .mapping
        .columns
        .iter()
        .all(|c| !matches!(c.role, ColumnRole::Year { .. })));
    assert_eq!(p.mapping.columns[3].role, ColumnRole::Total);
    assert_eq!(p.unit, Unit::Thousands);
    assert_eq!(p.preview.len(), 2);
    assert_eq!(
        p.preview[1].cells,
        ["Early Help", "Review", "175.0", "175.0"]
    );

    // The user says which column is the year, and the file imports.
    let mut m = p.mapping.clone();
    m.columns[2].role = year(2017);
    let s = import(NO_YEARS, "no-years.csv", &with(m)).unwrap().schedule;
    assert_eq!(s.years[0].header, "2017/18 (Saving)");
    assert_eq!(fig(&s.lines[0].amounts[0]), d("175.0"));
    assert_eq!(calculate(&s).checks.line_totals.ok, 1);
}

#[test]
fn a_year_heading_two_columns_is_proposed_once() {
    let csv = "Project,2017/18,2017/2018,Total\nA,1,2,3\n";
    let e = import(csv.as_bytes(), "dup.csv", &ImportOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::DuplicateYear { .. }));
    assert_eq!(e.position().unwrap().column, Some(3));

    let p = propose(csv.as_bytes(), "dup.csv");
    assert_eq!(
        p.doubts,
        [Doubt::DuplicateYear {
            year: fy(2017),
            first: 1,
            column: 2
        }]
    );
    assert_eq!(
        p.doubts[0].to_string(),
        "the year 2017/18 heads columns B and C; column C is left out"
    );
    assert_eq!(p.mapping.columns[2].role, ColumnRole::Ignored);
    // Giving the second column the next year makes it a schedule.
    let mut m = p.mapping;
    m.columns[2].role = year(2018);
    let s = import(csv.as_bytes(), "dup.csv", &with(m))
        .unwrap()
        .schedule;
    assert_eq!(s.years[1].header, "2018/19 (2017/2018)");
    assert_eq!(calculate(&s).checks.line_totals.ok, 1);
}

#[test]
fn the_header_row_can_be_chosen() {
    // Detection takes the title naming one year for the header; the user picks row 2.
    let csv = "Savings 2017/18,\nProject,Plan A,Plan B\n,£'000,£'000\nA,1,2\n";
    let p = propose(csv.as_bytes(), "t.csv");
    assert_eq!(p.mapping.header_row, 1);
    let p = detect_mapping_at(csv.as_bytes(), "t.csv", &ImportOptions::default(), 2).unwrap();
    assert_eq!(p.mapping.header_row, 2);
    assert_eq!(p.doubts, [Doubt::NoYearColumns]);
    assert_eq!(p.title, "Savings 2017/18");
    let mut m = p.mapping;
    m.columns[1].role = year(2017);
    m.columns[2].role = year(2018);
    let s = import(csv.as_bytes(), "t.csv", &with(m)).unwrap().schedule;
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(fig(&s.lines[0].amounts[1]), d("2"));
    assert_eq!(s.text_columns[0].field, TextField::Name);

    let e = detect_mapping_at(csv.as_bytes(), "t.csv", &ImportOptions::default(), 9).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Mapping { .. }));
}

#[test]
fn files_with_nothing_to_map_are_errors() {
    let o = ImportOptions::default();
    for (bytes, name) in [
        (&b""[..], "empty.csv"),
        (b"PK\x03\x04\x00\x00binary", "x.csv"),
        (b"{\"format\": 1}", "x.json"),
    ] {
        assert!(detect_mapping(bytes, name, &o).is_err(), "{name}");
    }
    let long = "Row,Section,Reference,Line,Year,Amount,Unit\n1,,R,A,2017/18,1,£\n";
    let e = detect_mapping(long.as_bytes(), "long.csv", &o).unwrap_err();
    assert!(e.to_string().contains("long CSV"), "{e}");
}

#[test]
fn header_key_is_the_header_and_not_the_figures() {
    let a = "Ref,Scheme,Year 1,Year 2\nC1,Early Help,1,2\n";
    let b = "Title\n\nref , SCHEME,Year 1,Year 2,,\nC9,Pause,(5.0),7\nC10,More,1,1\n";
    let c = "Ref,Scheme,Year 1,Year 3\nC1,Early Help,1,2\n";
    let ka = header_key(&propose(a.as_bytes(), "a.csv"));
    assert_eq!(ka, header_key(&propose(b.as_bytes(), "b.csv")));
    assert_ne!(ka, header_key(&propose(c.as_bytes(), "c.csv")));
    assert_eq!(ka, r#"["ref","scheme","year 1","year 2"]"#);
    let (f0, f1) = (FIXTURES[0], FIXTURES[1]);
    assert_ne!(
        header_key(&propose(f0.1, f0.0)),
        header_key(&propose(f1.1, f1.0))
    );
}

#[test]
fn a_mapping_round_trips_through_json() {
    let mut m = odd_mapping();
    m.columns[2].role = ColumnRole::Ignored;
    m.unit = Some(Unit::Thousands);
    m.sign = Some(SignConvention::BenefitsPositive);
    let json = serde_json::to_string(&m).unwrap();
    assert!(
        json.contains(r#"{"index":3,"header":"Year 1","role":{"role":"year","year":"2024/25"}}"#),
        "{json}"
    );
    assert!(
        json.contains(r#""role":{"role":"text","field":"reference"}"#),
        "{json}"
    );
    assert!(json.contains(r#""unit":"£'000""#), "{json}");
    // Unset choices are written as null (the worker's messages need every field present).
    assert!(json.contains(r#""profile":null"#), "{json}");
    let back: ColumnMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);

    // Every proposal round-trips too.
    for (name, bytes) in FIXTURES {
        let p = propose(bytes, name).mapping;
        let back: ColumnMapping =
            serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p, "{name}");
    }
    // A year that is not one is refused when read back.
    let bad = json.replace("2024/25", "2024/26");
    assert!(serde_json::from_str::<ColumnMapping>(&bad).is_err());
}

/// The page's import (`run_import`, in the worker or not) reads a file with the mapping the
/// browser remembers for its header; a file with another header is read as detected.
#[test]
fn a_remembered_mapping_reads_a_file_with_the_same_header() {
    let key = header_key(&propose(ODD.as_bytes(), "odd.csv"));
    let job = ImportJob {
        file_name: "odd.csv".into(),
        options: ImportOptions::default(),
        remembered: vec![
            ("another header".into(), odd_mapping()),
            (key, odd_mapping()),
        ],
        ..ImportJob::default()
    };
    let report = run_import(ODD.as_bytes(), &job);
    assert!(report.used_remembered);
    let expected = import(
        ODD.as_bytes(),
        "odd.csv",
        &ImportOptions {
            mapping: Some(odd_mapping()),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(
        report.outcome.as_ref().map(|f| &f.schedule),
        Ok(&expected.schedule)
    );

    // The demo's header has no remembered mapping: it is read as detected.
    let (name, bytes) = FIXTURES[0];
    let report = run_import(
        bytes,
        &ImportJob {
            file_name: name.into(),
            ..job
        },
    );
    assert!(!report.used_remembered);
    assert_eq!(
        report.outcome.map(|f| f.schedule),
        Ok(load(bytes, name).schedule)
    );
}

/// The worker times an import's phases (`run_import_with`): each phase is reported once, in
/// order, as it ends, and the report is `run_import`'s; an import that fails reports none, and
/// a remembered mapping's import reports its phases like any other.
#[test]
fn an_import_reports_its_phases_in_order() {
    let (name, bytes) = FIXTURES[0];
    let job = ImportJob {
        file_name: name.into(),
        ..ImportJob::default()
    };
    let mut seen = Vec::new();
    let report = run_import_with(bytes, &job, &mut |phase| seen.push(phase));
    assert_eq!(seen, IMPORT_PHASES);
    assert_eq!(report, run_import(bytes, &job));

    let mut seen = Vec::new();
    let report = run_import_with(b"", &job, &mut |phase| seen.push(phase));
    assert!(report.outcome.is_err());
    assert!(seen.is_empty());

    let key = header_key(&propose(ODD.as_bytes(), "odd.csv"));
    let job = ImportJob {
        file_name: "odd.csv".into(),
        options: ImportOptions::default(),
        remembered: vec![(key, odd_mapping())],
        ..ImportJob::default()
    };
    let mut seen = Vec::new();
    let report = run_import_with(ODD.as_bytes(), &job, &mut |phase| seen.push(phase));
    assert!(report.used_remembered);
    assert_eq!(seen, IMPORT_PHASES);
}
