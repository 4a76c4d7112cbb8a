//! Any numeric table, and several tables in one file (issue 16): a table with no financial
//! years is still checked by its arithmetic map, columns that are not money (FTE, %) stay out
//! of money identities, and a file with several tables is mapped table by table.
//! Fixtures: tests/fixtures/tables/ (invented figures; domain.md "The arithmetic map").

use gapwise::engine::arithmetic::{map_tables, ArithmeticMap, ColumnRole, Status};
use gapwise::engine::{import, read_grid, run_import, ImportJob, ImportOptions};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/tables/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn grid(name: &str) -> Vec<Vec<String>> {
    read_grid(&fixture(name), name, &ImportOptions::default()).unwrap()
}

fn dump(m: &ArithmeticMap) -> String {
    let mut s = format!(
        "rows {}-{} cols {:?}\n",
        m.header_row,
        m.last_row,
        m.columns
            .iter()
            .map(|c| (&c.letter, &c.heading, c.role))
            .collect::<Vec<_>>()
    );
    for id in &m.identities {
        s += &format!("  {} {:?}\n", id.description, id.counts);
    }
    for b in &m.broken {
        s += &format!(
            "  BROKEN {} {} {} : {}\n",
            b.check.cell, b.check.published, b.check.computed, b.sentence
        );
    }
    s
}

fn job(name: &str) -> ImportJob {
    ImportJob {
        file_name: name.into(),
        ..ImportJob::default()
    }
}

fn ids(m: &ArithmeticMap) -> Vec<&str> {
    m.identities
        .iter()
        .map(|i| i.description.as_str())
        .collect()
}

/// A monitoring table with no years is refused as a schedule, but its report carries the map:
/// variance = actual − budget to date in every row, the two subtotals and the grand total.
#[test]
fn a_table_with_no_years_is_checked_not_loaded() {
    let name = "monitoring-no-years.csv";
    let report = run_import(&fixture(name), &job(name));
    let e = report
        .outcome
        .as_ref()
        .expect_err("no years: not a schedule");
    assert!(e.contains("no header row with financial years"), "{e}");
    let checked = report
        .checked
        .as_ref()
        .expect("the table is checked all the same");
    assert!(checked.no_years);
    assert!(
        checked.message.contains("no financial years"),
        "{}",
        checked.message
    );
    assert!(checked.message.contains("schedule on screen is kept"));
    let m = &checked.map;
    assert!(checked.tables.is_empty(), "one table");
    assert_eq!(
        ids(m),
        [
            "column E = column D − column C, all 10 rows",
            "row 8 = rows 5–7, all 4 columns",
            "row 14 = rows 10–13, all 4 columns",
            "row 15 = rows 5–7, 10–13 (all lines above), all 4 columns",
            "column F = column E ÷ column C as a %, all 10 rows",
        ],
        "{}",
        dump(m)
    );
    assert_eq!(m.counts.broken, 0, "no false alarm: {}", dump(m));
    // 19 money figures (each once, at its worst) and the 10 percentages.
    assert_eq!(m.counts.confirmed, 29);
    // Hostel refurbishment: 0.0% over a budget to date of nil is no error.
    let ratio = m.identities.last().unwrap();
    let f13 = ratio
        .checks
        .iter()
        .find(|c| c.cell == "F13")
        .expect("F13 checked");
    assert_eq!(f13.status, Status::Confirmed);
    // A mistyped % is broken with both figures, and no money figure is blamed for it.
    let mut g = grid(name);
    g[9][5] = "4.7%".into();
    let m2 = &map_tables(&g)[0];
    assert_eq!(m2.broken.len(), 1, "{}", dump(m2));
    let b = &m2.broken[0];
    assert_eq!(
        (
            b.check.cell.as_str(),
            b.check.published.to_string(),
            b.check.computed.to_string()
        ),
        ("F10", "4.7".into(), "7.4".into())
    );
    assert!(
        b.sentence.contains("4.7%") && b.sentence.contains("7.4%"),
        "{}",
        b.sentence
    );
    assert_eq!(m.header_row, 2);
    assert_eq!(m.last_row, 15);
    assert_eq!(m.unit.as_deref(), Some("£"));
    // Variance % is a percentage: not a money column of the map (checked as a ratio, below).
    assert_eq!(m.columns.len(), 4);
    assert!(m.columns.iter().all(|c| !c.heading.contains('%')));
    assert_eq!(m.columns[3].role, ColumnRole::Variance);
    // The same map as the grid read alone gives.
    assert_eq!(map_tables(&grid(name)), vec![m.clone()]);
}

/// The twin with one variance mistyped (11,400 → 14,100): the variance cell is broken with both
/// figures, and the schedule is still not loaded.
#[test]
fn the_mistyped_variance_is_broken_with_both_figures() {
    let name = "monitoring-no-years-error.csv";
    let report = run_import(&fixture(name), &job(name));
    assert!(report.outcome.is_err());
    let m = &report.checked.expect("checked").map;
    let e7 = m
        .broken
        .iter()
        .find(|b| b.check.cell == "E7")
        .unwrap_or_else(|| panic!("E7 broken: {}", dump(m)));
    assert_eq!(e7.check.published.to_string(), "14100");
    assert_eq!(e7.check.computed.to_string(), "11400");
    assert_eq!(e7.check.status, Status::Broken);
    assert!(e7.sentence.contains("14,100") && e7.sentence.contains("11,400"));
    // The variance column's identity still stands, broken in that one row.
    assert_eq!(
        m.identities[0].description,
        "column E = column D − column C, 9 of 10 rows, 1 broken"
    );
    // No other figure is blamed outside the Day services row and its subtotal: its variance %
    // (1.9%, right for the true variance) no longer agrees with 14,100 ÷ 590,000 = 2.4%.
    let cells: Vec<&str> = m.broken.iter().map(|b| b.check.cell.as_str()).collect();
    assert_eq!(cells, ["E7", "E8", "F7"], "{}", dump(m));
}

/// Files that are no table at all carry no map.
#[test]
fn no_numeric_table_no_map() {
    let report = run_import(
        b"Name,Notes
A,first
B,second
",
        &job("notes.csv"),
    );
    assert!(report.outcome.is_err());
    assert!(report.checked.is_none());
}

/// FTE columns (one headed with a year) are not money: the money column's subtotals are
/// exact, no identity sums an FTE column with money, and the FTE columns are checked by their
/// own identities (their subtotals and total, exact), in a map of their own.
#[test]
fn fte_columns_stay_out_of_money_identities() {
    let name = "savings-fte.csv";
    let maps = map_tables(&grid(name));
    assert_eq!(
        maps.len(),
        2,
        "{:?}",
        maps.iter().map(dump).collect::<Vec<_>>()
    );
    let m = &maps[0];
    assert!(!m.not_money);
    let headings: Vec<&str> = m.columns.iter().map(|c| c.heading.as_str()).collect();
    assert_eq!(headings, ["Total Savings Proposed"], "{}", dump(m));
    assert_eq!(m.counts.broken, 0, "no false alarm: {}", dump(m));
    assert_eq!(
        ids(m),
        [
            "row 7 = rows 4–6, all 1 columns",
            "row 11 = rows 8–10, all 1 columns",
            "row 15 = rows 12–14, all 1 columns",
            "row 16 = rows 7, 11, 15 (every 4th row), all 1 columns",
        ]
    );
    for id in &m.identities {
        for c in &id.checks {
            assert_eq!(c.column, 2, "only column C is money: {}", id.description);
        }
    }
    // The FTE columns: their own map, the same subtotals, no column of money in it.
    let fte = &maps[1];
    assert!(fte.not_money);
    let headings: Vec<&str> = fte.columns.iter().map(|c| c.heading.as_str()).collect();
    assert_eq!(headings, ["FTE 2024/25", "FTE reduction"]);
    assert_eq!(fte.counts.broken, 0, "no false alarm: {}", dump(fte));
    assert_eq!(
        ids(fte),
        [
            "row 7 = rows 4–6, all 2 columns",
            "row 11 = rows 8–10, all 2 columns",
            "row 15 = rows 12–14, all 2 columns",
            "row 16 = rows 4–6, 8–10, 12–14 (all lines above), all 2 columns",
        ],
        "{}",
        dump(fte)
    );
    assert_eq!(fte.counts.confirmed, 8);
    for id in &fte.identities {
        for c in &id.checks {
            assert!(c.column == 3 || c.column == 4, "{}", id.description);
        }
    }
    // An FTE subtotal mistyped changes nothing in the money map; with only two FTE columns
    // the subtotal has no neighbour to be judged by, so the FTE map loses it (not broken, not
    // confirmed) rather than blaming a money figure.
    let mut g = grid(name);
    g[6][3] = "16.5".into();
    let maps2 = map_tables(&g);
    assert_eq!(maps2[0], maps[0]);
    assert!(maps2[1..]
        .iter()
        .all(|m| m.not_money && !ids(m).iter().any(|d| d.starts_with("row 7 = "))));
}

/// The schedule reader does not take `FTE 2024/25` for a year of money: the file has no year
/// columns, so it is checked (its money column's subtotals, exact) and not loaded.
#[test]
fn an_fte_heading_with_a_year_is_no_year_column() {
    let name = "savings-fte.csv";
    let report = run_import(&fixture(name), &job(name));
    let e = report
        .outcome
        .as_ref()
        .expect_err("not a schedule of money years");
    assert!(e.contains("financial years"), "{e}");
    let checked = report.checked.expect("checked");
    assert!(checked.no_years);
    assert_eq!(checked.map.counts.broken, 0);
    assert_eq!(checked.map.identities.len(), 4);
    assert_eq!(
        checked.tables.len(),
        2,
        "the money table and its FTE columns"
    );
    assert!(checked.tables[1].not_money);
    // A year column beside it is still a year: only the FTE heading is set aside.
    let csv = b"Service,2024/25,FTE 2024/25\nA,100,2.5\nB,200,1.0\n";
    let i = import(csv, "s.csv", &ImportOptions::default()).unwrap();
    assert_eq!(i.schedule.years.len(), 1);
    assert_eq!(i.schedule.years[0].year.label(), "2024/25");
}

/// A unit row of `%` or cells written as percentages keep a column out too, whatever its heading.
#[test]
fn percent_units_and_cells_are_not_money() {
    let rows = |t: &str| -> Vec<Vec<String>> {
        t.lines()
            .map(|l| l.split('|').map(str::to_string).collect())
            .collect()
    };
    let by_unit = map_tables(&rows(
        "Line|Budget|Actual|Share
|£|£|%
A|10|12|20
B|30|28|50
Total|40|40|70",
    ));
    assert_eq!(by_unit[0].columns.len(), 2, "{}", dump(&by_unit[0]));
    let by_cells = map_tables(&rows(
        "Line|Budget|Actual|Change
A|10|12|20.0%
B|30|28|-6.7%
Total|40|40|0.0%",
    ));
    assert_eq!(by_cells[0].columns.len(), 2, "{}", dump(&by_cells[0]));
    assert_eq!(
        by_cells[0].identities[0].description,
        "row 4 = rows 2, 3, all 2 columns"
    );
}

/// Three tables one after another, each with its header, unit row and total: each mapped on
/// its own; the second table's total variance (260) is broken, the others are clean.
#[test]
fn three_tables_are_mapped_separately() {
    let name = "three-tables.csv";
    let maps = map_tables(&grid(name));
    assert_eq!(
        maps.len(),
        3,
        "{:?}",
        maps.iter().map(dump).collect::<Vec<_>>()
    );
    let spans: Vec<(usize, usize)> = maps.iter().map(|m| (m.header_row, m.last_row)).collect();
    assert_eq!(spans, [(2, 7), (10, 16), (19, 24)]);
    // Table 1: its total takes its own three lines only.
    assert_eq!(
        ids(&maps[0]),
        [
            "column D = column C − column B, all 4 rows",
            "row 7 = rows 4–6, all 3 columns"
        ]
    );
    assert_eq!(maps[0].counts.broken, 0);
    // Table 2: the total row's variance is broken by both the column and the row identity.
    let t2 = &maps[1];
    assert!(t2.counts.broken > 0, "{}", dump(t2));
    assert!(
        t2.broken.iter().all(|b| b.check.cell == "D16"),
        "{}",
        dump(t2)
    );
    let d16 = &t2.broken[0].check;
    assert_eq!(d16.published.to_string(), "-260");
    assert_eq!(d16.computed.to_string(), "-170");
    // No identity reaches outside table 2's rows.
    for id in &t2.identities {
        for c in &id.checks {
            assert!((10..=16).contains(&c.row), "{}", id.description);
        }
    }
    // Table 3: movement = closing − opening, and its total.
    assert_eq!(
        ids(&maps[2]),
        [
            "column D = column C − column B, all 4 rows",
            "row 24 = rows 21–23, all 3 columns"
        ]
    );
    assert_eq!(maps[2].counts.broken, 0);
    // Through an import the file's tables come with it.
    let report = run_import(&fixture(name), &job(name));
    let tables = match &report.outcome {
        Ok(f) => f.tables.clone(),
        Err(_) => report.checked.as_ref().expect("checked").tables.clone(),
    };
    assert_eq!(tables, maps);
}

/// A header repeated straight after figures (a page break) is not a new table.
#[test]
fn a_page_break_header_is_not_a_new_table() {
    let rows: Vec<Vec<String>> = "Line|2023/24|2024/25\n|£'000|£'000\nA|100|200\nB|300|400\nLine|2023/24|2024/25\nC|500|600\nTotal|900|1200"
        .lines()
        .map(|l| l.split('|').map(str::to_string).collect())
        .collect();
    let maps = map_tables(&rows);
    assert_eq!(maps.len(), 1, "{}", dump(&maps[0]));
    assert_eq!(
        maps[0].identities.last().unwrap().description,
        "row 7 = rows 3, 4, 6, all 2 columns",
        "{}",
        dump(&maps[0])
    );
}

#[test]
fn the_direct_import_still_refuses_a_table_with_no_years() {
    let name = "monitoring-no-years.csv";
    assert!(import(&fixture(name), name, &ImportOptions::default()).is_err());
}

fn broken_cells(m: &ArithmeticMap) -> Vec<(String, String, String)> {
    m.broken
        .iter()
        .map(|b| {
            (
                b.check.cell.clone(),
                b.check.published.to_string(),
                b.check.computed.to_string(),
            )
        })
        .collect()
}

/// Quarterly target, forecast and variance, then the year's three: each variance is forecast −
/// target, each year column is every third column (the four quarters of its measure), and the
/// total row adds the lines. The quarters' targets are the same figures, which must not make a
/// target "the forecast less the variance" of the quarter before. Loaded as a monitoring table.
#[test]
fn quarterly_measures_are_mapped_by_their_arithmetic() {
    let name = "quarterly.csv";
    let maps = map_tables(&grid(name));
    assert_eq!(maps.len(), 1);
    let m = &maps[0];
    assert_eq!(
        ids(m),
        vec![
            "column D = column C − column B, all 4 rows",
            "column G = column F − column E, all 4 rows",
            "column J = column I − column H, all 4 rows",
            "column M = column L − column K, all 4 rows",
            "column N = columns B, E, H, K (every 3rd column), all 4 rows",
            "column O = columns C, F, I, L (every 3rd column), all 4 rows",
            "column P = columns D, G, J, M (every 3rd column), all 4 rows",
            "row 7 = rows 4–6, all 15 columns",
        ],
        "{}",
        dump(m)
    );
    assert!(m.broken.is_empty(), "no false alarm: {}", dump(m));
    for c in ["E", "H", "K"] {
        let col = m.columns.iter().find(|x| x.letter == c).unwrap();
        assert_eq!(
            col.role,
            ColumnRole::Figures,
            "{c} is a target, not derived"
        );
    }
    // It loads as a monitoring table (target and forecast per quarter), with the map.
    let report = run_import(&fixture(name), &job(name));
    let file = report.outcome.as_ref().expect("a monitoring table");
    assert_eq!(file.schedule.lines.len(), 3);
    assert_eq!(file.map.as_ref(), Some(m));
}

/// The twin with Waste rounds' Q2 forecast mistyped (110 → 115): the three identities through
/// that figure break (the quarter's variance, the year's forecast, the quarter's total), each
/// with both figures, and nothing else is blamed.
#[test]
fn the_mistyped_quarterly_forecast_breaks_its_three_identities() {
    let name = "quarterly-error.csv";
    let m = &map_tables(&grid(name))[0];
    assert_eq!(
        broken_cells(m),
        vec![
            ("G5".into(), "-10".into(), "-5".into()),
            ("O5".into(), "455".into(), "460".into()),
            ("F7".into(), "185".into(), "190".into()),
        ],
        "{}",
        dump(m)
    );
    assert_eq!(
        m.identities.len(),
        8,
        "the same identities as the clean table"
    );
}

/// A one-column bridge: last year's budget requirement, the changes, this year's requirement,
/// then the funding lines and their total. The unit row is its only header.
#[test]
fn a_one_column_bridge_is_read_and_checked() {
    let name = "bridge.csv";
    let maps = map_tables(&grid(name));
    assert_eq!(maps.len(), 1);
    let m = &maps[0];
    assert_eq!(m.header_row, 2);
    assert_eq!(m.unit.as_deref(), Some("£'000"));
    assert_eq!(m.columns.len(), 1);
    assert_eq!(
        ids(m),
        vec![
            "row 8 = rows 3–7, all 1 columns",
            "row 14 = rows 10–13, all 1 columns"
        ],
        "{}",
        dump(m)
    );
    assert!(m.broken.is_empty(), "{}", dump(m));
    let report = run_import(&fixture(name), &job(name));
    assert!(report.outcome.is_err(), "no years: not a schedule");
    let checked = report.checked.as_ref().expect("checked all the same");
    assert_eq!(&checked.map, m);
}

/// The bridge with one change mistyped (6,150 → 6,510): the requirement it closes is broken
/// (the other block's total holds, so the table's pattern is clear), with both figures.
#[test]
fn a_mistyped_bridge_line_breaks_the_total_it_closes() {
    let name = "bridge-error.csv";
    let m = &map_tables(&grid(name))[0];
    assert_eq!(
        broken_cells(m),
        vec![("B8".into(), "252980".into(), "253340".into())],
        "{}",
        dump(m)
    );
    assert!(
        m.broken[0].sentence.contains("rows 3–7"),
        "{}",
        m.broken[0].sentence
    );
    // With no confirmed total anywhere, a lone labelled row is not judged: one column with one
    // block gives no evidence either way.
    let g: Vec<Vec<String>> = grid(name).into_iter().take(8).collect();
    let m = &map_tables(&g)[0];
    assert!(
        m.broken.is_empty() && m.identities.is_empty(),
        "{}",
        dump(m)
    );
}

/// A row of a label and figures is a line, not a header, unless its figures are years or a
/// count of periods.
#[test]
fn a_line_of_figures_is_not_taken_for_the_header() {
    let rows = |t: &str| -> Vec<Vec<String>> {
        t.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    };
    let years = map_tables(&rows("Saving,2024,2025\nA,10,20\nB,5,5\nTotal,15,25"));
    assert_eq!(years[0].header_row, 1);
    assert_eq!(years[0].columns[0].heading, "2024");
    let periods = map_tables(&rows("Saving,1,2,3\nA,10,20,30\nB,5,5,5\nTotal,15,25,35"));
    assert_eq!(periods[0].header_row, 1);
    let no_header = map_tables(&rows("Title\nA,10\nB,5\nC,7\nTotal,22\nD,1\nE,2\nTotal,3"));
    assert_eq!(no_header[0].header_row, 1, "the row above the first line");
    assert_eq!(
        ids(&no_header[0]),
        vec![
            "row 5 = rows 2–4, all 1 columns",
            "row 8 = rows 6, 7, all 1 columns"
        ]
    );
}
