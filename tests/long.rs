//! The long CSV reads back: every published fixture, exported one row per line and year (with
//! text a spreadsheet would run as a formula in every line), imports as the same lines, sections,
//! years, unit and cells, exactly, with the same totals; and a long table that is not whole
//! (a year missing or twice, two units, a row that is not a number) is refused with its row and
//! column.

mod common;

use common::{FIXTURES, FORMULA};

use common::{csv_rows, load, load_clean};
use gapwise::engine::{
    calculate, import, to_csv_long, Amount, ErrorKind, ImportOptions, NoFigure, NumberError,
    Profile, Recurrence, Scenario, Schedule, SignConvention, TextField, Unit, LONG_HEADERS,
};

/// The schedule with a formula at the start of every line's label and reference.
fn hostile(mut s: Schedule) -> Schedule {
    let columns: Vec<usize> = [
        TextField::Name,
        TextField::Description,
        TextField::Reference,
    ]
    .into_iter()
    .filter_map(|f| s.column_of(f))
    .collect();
    assert!(!columns.is_empty());
    for line in &mut s.lines {
        for &c in &columns {
            if !line.text[c].is_empty() {
                line.text[c] = format!("{FORMULA}{}", line.text[c]);
            }
        }
    }
    s
}

fn cells(s: &Schedule) -> Vec<(usize, Vec<String>)> {
    s.lines
        .iter()
        .map(|l| (l.row, l.amounts.iter().map(Amount::canonical).collect()))
        .collect()
}

/// What the long format carries, line by line: row, section name, reference, label.
fn carried(s: &Schedule) -> Vec<(usize, String, String, String)> {
    s.lines
        .iter()
        .map(|l| {
            (
                l.row,
                l.section
                    .map(|i| s.sections[i].name.clone())
                    .unwrap_or_default(),
                s.text(l, TextField::Reference).to_string(),
                s.line_label(l),
            )
        })
        .collect()
}

fn grand_years(s: &Schedule) -> Vec<String> {
    calculate(s)
        .totals
        .grand
        .years
        .iter()
        .map(|y| y.value.to_string())
        .collect()
}

fn assert_same_schedule(again: &Schedule, s: &Schedule, name: &str) {
    assert_eq!(cells(again), cells(s), "{name}: rows and cells");
    assert_eq!(carried(again), carried(s), "{name}: sections and text");
    let names = |s: &Schedule| {
        s.sections
            .iter()
            .map(|x| x.name.clone())
            .collect::<Vec<_>>()
    };
    let used: Vec<String> = {
        // Sections without lines have no row in the long format.
        let mut v: Vec<String> = Vec::new();
        for (i, sec) in s.sections.iter().enumerate() {
            if s.lines_in_section(Some(i)).next().is_some() {
                v.push(sec.name.clone());
            }
        }
        v
    };
    assert_eq!(names(again), used, "{name}: sections");
    let years = |s: &Schedule| s.years.iter().map(|y| y.year).collect::<Vec<_>>();
    assert_eq!(years(again), years(s), "{name}: years");
    assert_eq!(again.unit, s.unit, "{name}: unit");
    assert_eq!(grand_years(again), grand_years(s), "{name}: grand totals");
    assert_eq!(
        calculate(again).totals.grand.total.value.to_string(),
        calculate(s).totals.grand.total.value.to_string(),
        "{name}"
    );
    let line_totals = |s: &Schedule| {
        calculate(s)
            .totals
            .lines
            .iter()
            .map(|t| t.value.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(line_totals(again), line_totals(s), "{name}: line totals");
}

#[test]
fn every_fixture_round_trips_through_long_csv_with_formula_text() {
    for (name, bytes) in FIXTURES {
        let s = hostile(load_clean(bytes, name).schedule);
        let long = to_csv_long(&s, None);
        let rows = csv_rows(&long);
        assert!(
            !rows.iter().flatten().any(|c| c.starts_with(['=', '@'])),
            "{name}"
        );
        let imported = load_clean(long.as_bytes(), "x-long.csv");
        assert!(imported.unit_stated);
        let again = imported.schedule;
        assert_same_schedule(&again, &s, name);
        assert!(
            again.lines.iter().all(|l| l.text[1].starts_with(FORMULA)),
            "{name}"
        );
        // The long CSV of what was read back is the same file: nothing the format carries moved.
        assert_eq!(to_csv_long(&again, None), long, "{name}: fixed point");
    }
}

#[test]
fn a_scenario_column_is_ignored() {
    for (name, bytes) in FIXTURES {
        let s = load_clean(bytes, name).schedule;
        let mut scenario = Scenario::new("=Amber at a third");
        scenario.rates.amber = "0.3333".parse().unwrap();
        let long = to_csv_long(&s, Some(&scenario));
        assert!(csv_rows(&long)[0][7].starts_with("Scenario amount: "));
        let again = load_clean(long.as_bytes(), name).schedule;
        assert_same_schedule(&again, &s, name);
        assert_eq!(to_csv_long(&again, None), to_csv_long(&s, None), "{name}");
    }
}

#[test]
fn a_long_table_sorted_by_year_reads_as_the_same_schedule() {
    let (name, bytes) = FIXTURES[0];
    let s = load_clean(bytes, name).schedule;
    let rows = csv_rows(&to_csv_long(&s, None));
    let mut body = rows[1..].to_vec();
    // All lines for a year, then the next year; within a year, the last line first. Years are
    // taken in order of first appearance, lines in row order.
    body.sort_by_key(|r| {
        (
            r[4].clone(),
            std::cmp::Reverse(r[0].parse::<usize>().unwrap()),
        )
    });
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&rows[0]).unwrap();
    for r in &body {
        w.write_record(r).unwrap();
    }
    let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
    let again = load_clean(text.as_bytes(), name).schedule;
    assert_same_schedule(&again, &s, name);
}

fn long_err(text: &str) -> gapwise::engine::Error {
    import(text.as_bytes(), "h.csv", &ImportOptions::default()).unwrap_err()
}

fn where_(e: &gapwise::engine::Error) -> (usize, Option<&str>) {
    let p = e.position().expect("a position");
    (p.row, p.column_header.as_deref())
}

const HEAD: &str = "Row,Section,Reference,Line,Year,Amount,Unit";

#[test]
fn hostile_long_tables_are_refused_with_row_and_column() {
    // Mixed units.
    let e = long_err(&format!(
        "{HEAD}\n4,,,A,2017/18,1.0,£m\n4,,,A,2018/19,1.0,£m\n5,,,B,2017/18,1,£\n"
    ));
    assert!(matches!(e.kind(), ErrorKind::LongTable { .. }));
    assert_eq!(where_(&e), (4, Some("Unit")));
    assert_eq!(
        e.to_string(),
        "h.csv, row 4, column Unit: the unit is £ here but £m in row 2; a long CSV has one \
         unit for the whole file"
    );
    // A year twice for a line.
    let e = long_err(&format!(
        "{HEAD}\n4,,,A,2017/18,1,£\n4,,,A,2018/19,1,£\n4,,,A,2018/19,2,£\n"
    ));
    assert!(matches!(e.kind(), ErrorKind::LongTable { .. }));
    assert_eq!(where_(&e), (4, Some("Year")));
    assert_eq!(
        e.to_string(),
        "h.csv, row 4, column Year: the line of row 4 has 2018/19 twice, here and in row 3; \
         a line has one row per year"
    );
    // A year missing for a line.
    let e = long_err(&format!(
        "{HEAD}\n4,,,A,2017/18,1,£\n4,,,A,2018/19,1,£\n6,,,B,2018/19,1,£\n"
    ));
    assert_eq!(where_(&e), (4, Some("Year")));
    assert_eq!(
        e.to_string(),
        "h.csv, row 4, column Year: the line of row 6 has no row for 2017/18; a line has one \
         row per year"
    );
    // A row number that is not a number.
    for bad in ["x", "", "-3", "0", "4.5", "=1+1"] {
        let e = long_err(&format!("{HEAD}\n\"{bad}\",,,A,2017/18,1,£\n"));
        assert!(matches!(e.kind(), ErrorKind::LongTable { .. }), "{bad}");
        assert_eq!(where_(&e), (2, Some("Row")), "{bad}");
    }
}

#[test]
fn hostile_text_and_cells_in_a_long_table() {
    let text = format!(
        "\u{feff}{HEAD},Scenario amount: =cmd|' /C calc'!A0\n\
         3,'=SUM(A1),'@cmd,'-2,2017/18,=1+1,£'000,=evil()\n\
         3,'=SUM(A1),'@cmd,'-2,2018/19,\"1,435.0\",£'000,\n\
         4,'=SUM(A1),'+x,\"line\nbreak\",2017/18,N/A,£'000\n\
         4,'=SUM(A1),'+x,\"line\nbreak\",2018/19,tbc,\n"
    );
    let i = load(text.as_bytes(), "h.csv");
    let s = &i.schedule;
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(s.sections[0].name, "=SUM(A1)");
    assert_eq!(s.lines[0].text, ["@cmd", "-2"]);
    assert_eq!(s.lines[1].text, ["+x", "line\nbreak"]);
    // A formula is not an amount: a cell problem, with its row and column; the rest loads.
    assert_eq!(i.problems.len(), 1);
    assert_eq!(
        i.problems[0].kind(),
        &ErrorKind::Amount {
            text: "=1+1".into(),
            reason: NumberError::NotANumber
        }
    );
    assert_eq!(where_(&i.problems[0]), (2, Some("Amount")));
    assert_eq!(
        s.lines[0].amounts,
        [
            Amount::NoFigure(NoFigure::Unreadable),
            Amount::Figure("1435.0".parse().unwrap())
        ]
    );
    assert_eq!(
        s.lines[1].amounts[1],
        Amount::NoFigure(NoFigure::ToBeConfirmed)
    );
    // Written back, every text is neutralised again.
    let rows = csv_rows(&to_csv_long(s, None));
    assert_eq!(rows[1][1..4], ["'=SUM(A1)", "'@cmd", "'-2"]);
}

#[test]
fn a_long_header_alone_is_an_empty_schedule() {
    for text in [
        format!("{HEAD}\n"),
        "\u{feff}  row ,SECTION, Reference ,line,YEAR,amount,Unit,Scenario amount: x\r\n"
            .to_string(),
    ] {
        let i = load(text.as_bytes(), "empty-long.csv");
        let s = &i.schedule;
        assert!(s.lines.is_empty() && s.years.is_empty() && s.sections.is_empty());
        assert!(i.problems.is_empty());
        assert_eq!(s.title, "empty-long");
        let r = calculate(s);
        assert_eq!(r.totals.grand.total.value.to_string(), "0");
        assert_eq!(
            csv_rows(&to_csv_long(s, None)),
            [LONG_HEADERS.map(String::from)]
        );
    }
}

#[test]
fn a_wide_file_is_never_read_as_long() {
    // Headers that name the long columns but also a year are a wide schedule.
    let text = "Row,Line,2017/18\n,,£\n1,A,5\n";
    let s = load_clean(text.as_bytes(), "w.csv").schedule;
    assert_eq!(s.lines.len(), 1);
    assert_eq!(s.text_columns.len(), 2);
}

#[test]
fn what_the_long_format_does_not_carry() {
    // The investment appraisal: costs positive, cumulative, a measure per line, published totals.
    let (name, bytes) = FIXTURES[2];
    let s = load_clean(bytes, name).schedule;
    assert_eq!(
        (s.sign, s.profile),
        (SignConvention::CostsPositive, Profile::Cumulative)
    );
    let again = load_clean(to_csv_long(&s, None).as_bytes(), name).schedule;
    // The figures are the file's, as written; what they are taken to mean is not carried.
    assert_same_schedule(&again, &s, name);
    assert_eq!(
        (again.sign, again.profile),
        (SignConvention::SavingsPositive, Profile::Incremental)
    );
    assert!(again.column_of(TextField::Type).is_none());
    assert!(again.total_rows.is_empty() && again.total_header.is_none());
    assert!(!s.total_rows.is_empty());
    // One-off lines whose description (not their label) says so come back recurring.
    let (name, bytes) = FIXTURES[0];
    let s = load_clean(bytes, name).schedule;
    let one_off = |s: &Schedule| {
        s.lines
            .iter()
            .filter(|l| l.recurrence == Recurrence::OneOff)
            .count()
    };
    assert!(one_off(&s) > 0);
    let again = load_clean(to_csv_long(&s, None).as_bytes(), name).schedule;
    assert_eq!(one_off(&again), 0);
}
