//! The arithmetic map (issue 15) on the shared fixtures (ground truth:
//! docs/arithmetic-examples.md), on one fixture per kind of table the issue lists (one error and
//! one rounding drift each), and on generated tables checked against an independent
//! calculation (`arithmetic/generated.rs`).

use gapwise::engine::arithmetic::{
    map_grid, read_table, ArithmeticMap, ColumnRole, Convention, GapRole, RowRole, Shape, Status,
    VarianceSense,
};

#[path = "arithmetic/generated.rs"]
mod generated;
#[path = "common/rng.rs"]
mod rng;

/// A CSV file's cells as a grid.
fn grid(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = String::from_utf8_lossy(bytes);
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn map(bytes: &[u8]) -> ArithmeticMap {
    map_grid(&grid(bytes)).expect("a table")
}

fn rows_of(m: &ArithmeticMap, row: usize) -> Vec<(usize, i8)> {
    m.row_identity(row)
        .unwrap_or_else(|| panic!("row {row} has no identity"))
        .terms
        .iter()
        .map(|t| (t.index, t.sign))
        .collect()
}

fn plus(rows: &[usize]) -> Vec<(usize, i8)> {
    rows.iter().map(|&r| (r, 1)).collect()
}

fn role(m: &ArithmeticMap, row: usize) -> RowRole {
    m.row_role(row).unwrap().role
}

fn gap(m: &ArithmeticMap, row: usize) -> Option<GapRole> {
    m.row_role(row).unwrap().gap
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The cells whose checks have this status (a cell checked by two identities appears once).
fn cells(m: &ArithmeticMap, status: Status) -> Vec<String> {
    let mut v: Vec<String> = m
        .identities
        .iter()
        .flat_map(|i| i.checks.iter())
        .filter(|c| c.status == status)
        .map(|c| c.cell.clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The same file with one published figure corrected.
fn fixed(bytes: &[u8], wrong: &str, right: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    assert_eq!(text.matches(wrong).count(), 1, "{wrong} once");
    text.replace(wrong, right).into_bytes()
}

fn counts(m: &ArithmeticMap) -> (usize, usize, usize) {
    (m.counts.confirmed, m.counts.rounding, m.counts.broken)
}

// ---- The shared fixtures (docs/arithmetic-examples.md) ----

#[test]
fn budget_forecast_ten_confirmed_by_figures_alone() {
    let m = map(&fixture("cyps-budget-forecast-2016-21.csv"));
    assert_eq!(counts(&m), (10, 0, 0));
    assert_eq!(rows_of(&m, 8), plus(&[3, 4, 5, 6, 7]));
    assert_eq!(rows_of(&m, 9), vec![(8, 1), (3, -1)]);
    assert_eq!(m.identities.len(), 2);
    assert_eq!(
        m.row_identity(9).unwrap().description,
        "row 9 = row 8 − row 3, all 5 columns"
    );
    assert_eq!(role(&m, 8), RowRole::Subtotal);
    assert_eq!(role(&m, 9), RowRole::Difference);
    assert_eq!(gap(&m, 9), None, "net budget is not a reserve");
    assert!(m.unexplained.is_empty());
}

#[test]
fn funding_gap_revision_rows() {
    let m = map(&fixture("cyps-funding-gap-2016-20.csv"));
    assert_eq!(rows_of(&m, 8), plus(&[4, 5, 6, 7]));
    assert_eq!(rows_of(&m, 9), plus(&[3, 4, 5, 6, 7]));
    let nine = m.row_identity(9).unwrap();
    assert_eq!(
        nine.checks.len(),
        3,
        "2017/18 to 2019/20; 2016/17 is blank: no claim"
    );
    assert_eq!(counts(&m), (4, 0, 0));
    // `0` beside `0.215`: shown to 3 places, it hides 0.0005.
    let e9 = nine.checks.iter().find(|c| c.cell == "E9").unwrap();
    assert_eq!(e9.tolerance.to_string(), "0.003");
}

#[test]
fn investment_bids_drifts_are_rounding() {
    let m = map(&fixture("cyps-investment-bids-2016-21.csv"));
    assert_eq!(m.counts.broken, 0);
    let total = m.column_identity(8).expect("Cumulative = the five years");
    assert_eq!(
        total.terms.iter().map(|t| t.index).collect::<Vec<_>>(),
        vec![3, 4, 5, 6, 7]
    );
    assert_eq!(
        cells(&m, Status::Rounding),
        ["F36", "F38", "H36", "H38", "I3", "I5"]
    );
    let i3 = total.checks.iter().find(|c| c.cell == "I3").unwrap();
    assert_eq!(
        (i3.published.to_string(), i3.computed.to_string()),
        ("7.359".into(), "7.358".into())
    );
    assert_eq!(i3.tolerance.to_string(), "0.003");
    for net in [5, 8, 11, 14, 17, 20, 23, 26, 29, 32, 35] {
        assert_eq!(rows_of(&m, net), plus(&[net - 2, net - 1]));
        assert_eq!(role(&m, net), RowRole::Net, "row {net}");
    }
    for (row, first) in [(36, 3), (37, 4), (38, 5)] {
        let want: Vec<usize> = (first..36).step_by(3).collect();
        assert_eq!(rows_of(&m, row), plus(&want));
        assert_eq!(role(&m, row), RowRole::Total);
    }
    assert_eq!(
        m.columns.iter().find(|c| c.letter == "I").unwrap().role,
        ColumnRole::Total
    );
}

#[test]
fn savings_subtotals_line_totals_and_reversals() {
    let m = map(&fixture("cyps-savings-2017-21.csv"));
    // 69 line totals (the total column) and 5 subtotals × 5 columns; a subtotal's own total
    // cell is derived both ways, so it is one figure: 69 + 25 − 5 published figures.
    assert_eq!(counts(&m), (69 + 25 - 5, 0, 0));
    let checks: usize = m.identities.iter().map(|i| i.checks.len()).sum();
    assert_eq!(checks, 69 + 25);
    let total = m.column_identity(8).unwrap();
    assert_eq!(total.description, "column I = columns E–H, all 69 rows");
    for (row, from) in [(28, 4), (42, 30), (58, 44), (70, 60), (76, 72)] {
        assert_eq!(rows_of(&m, row), plus(&(from..row).collect::<Vec<_>>()));
        assert_eq!(role(&m, row), RowRole::Subtotal);
    }
    assert_eq!(m.identities.len(), 6);
    let lines = m.rows.iter().filter(|r| r.role == RowRole::Line).count();
    assert_eq!(lines, 64);
    let pairs: Vec<(usize, usize)> = m
        .rows
        .iter()
        .filter_map(|r| r.reverses.map(|s| (s, r.row)))
        .collect();
    assert_eq!(pairs, vec![(7, 8), (20, 21), (24, 25)]);
}

#[test]
fn childrens_savings_dash_fte_and_repeated_header() {
    let bytes = fixture("childrens-savings-2023-26.csv");
    let m = map(&bytes);
    // The line totals and the Total row's cells, its own total derived both ways (one figure).
    assert_eq!(counts(&m), (14, 0, 0));
    assert!(
        m.columns.iter().all(|c| !c.heading.contains("FTE")),
        "FTE is not money"
    );
    let total = m.row_identity(16).unwrap();
    assert_eq!(total.terms.len(), 10);
    assert_eq!(role(&m, 16), RowRole::Total);
    let published: Vec<String> = total
        .checks
        .iter()
        .map(|c| c.published.to_string())
        .collect();
    assert_eq!(published, ["5372", "3320", "3108", "11800"]);
    // `-` is shown to whole thousands: a line total of three cells hides 4 × 0.5.
    let h6 = m
        .column_identity(7)
        .unwrap()
        .checks
        .iter()
        .find(|c| c.cell == "H6")
        .unwrap()
        .clone();
    assert_eq!(h6.tolerance.to_string(), "2");
    // The header again before the Total row: not a line, nothing changes.
    let mut g = grid(&bytes);
    let header = g[0].clone();
    g.insert(15, header);
    let again = map_grid(&g).unwrap();
    let table = read_table(&g).unwrap();
    assert_eq!(table.repeated_headers, vec![16]);
    assert_eq!(
        (again.counts, again.identities.len()),
        (m.counts, m.identities.len())
    );
    assert_eq!(again.row_identity(17).unwrap().terms.len(), 10);
}

#[test]
fn the_old_bug_a_dash_is_not_half_a_pound_at_three_places() {
    // A line shown to 3 dp with `-` for nil, its total off by 0.409: an error, not rounding.
    let g = grid(
        b"Ref,2024/25,2025/26,2026/27,Total\nA,0.250,0.400,-,0.650\nB,0.125,-,-,0.534\n\
        C,-,0.310,0.275,0.585\nD,0.480,0.520,0.600,1.600\n",
    );
    let m = map_grid(&g).unwrap();
    assert_eq!(cells(&m, Status::Broken), ["E3"]);
    let b = &m.broken[0];
    assert_eq!(b.check.difference.to_string(), "0.409");
    assert_eq!(b.check.tolerance.to_string(), "0.002");
    assert_eq!(b.sentence, "published 0.534; the other 3 rows of this column are 2024/25 + 2025/26 + 2026/27, which gives 0.125 here");
}

// ---- One fixture per kind of table (tests/fixtures/arithmetic) ----

#[test]
fn mtfs_plan_reserves_by_arithmetic() {
    let bytes = fixture("arithmetic/mtfs-plan.csv");
    let m = map(&bytes);
    assert_eq!(rows_of(&m, 5), vec![(3, 1), (4, -1)]);
    assert_eq!(rows_of(&m, 8), plus(&[6, 7]));
    assert_eq!(rows_of(&m, 9), vec![(5, 1), (8, -1)]);
    assert_eq!(rows_of(&m, 10), plus(&[9]));
    assert_eq!(m.row_identity(10).unwrap().shape, Shape::Change);
    assert_eq!(m.identities.len(), 4);
    let gaps: Vec<Option<GapRole>> = (3..=10).map(|r| gap(&m, r)).collect();
    use GapRole::*;
    assert_eq!(
        gaps,
        [
            None,
            None,
            Some(BeforeReserves),
            Some(Reserve),
            Some(Reserve),
            Some(TotalReserves),
            Some(AfterReserves),
            Some(AnnualAfterReserves)
        ]
    );
    assert_eq!(cells(&m, Status::Broken), ["E10"]);
    assert_eq!(cells(&m, Status::Rounding), ["C8"]);
    assert_eq!(counts(&m), (14, 1, 1));
    assert_eq!(m.broken[0].sentence, "published 7.614; the other 3 columns of this row are the change of row 9 from the previous year, which gives 7.416 here");
    let clean = map(&fixed(&bytes, "7.614", "7.416"));
    assert_eq!(counts(&clean), (15, 1, 0));
}

#[test]
fn mtfs_next_year_is_a_gap_table() {
    let bytes = fixture("arithmetic/mtfs-next-year.csv");
    let m = map(&bytes);
    assert_eq!(rows_of(&m, 5), plus(&[3, 4]));
    assert_eq!(rows_of(&m, 7), vec![(5, 1), (6, -1)]);
    assert_eq!(m.row_identity(8).unwrap().shape, Shape::Change);
    assert_eq!(m.identities.len(), 3);
    assert_eq!(gap(&m, 5), Some(GapRole::BeforeReserves));
    assert_eq!(gap(&m, 6), Some(GapRole::Reserve));
    assert_eq!(gap(&m, 7), Some(GapRole::AfterReserves));
    assert_eq!(gap(&m, 8), Some(GapRole::AnnualAfterReserves));
    assert_eq!(cells(&m, Status::Broken), ["F8"]);
    assert_eq!(cells(&m, Status::Rounding), ["C5"]);
    let clean = map(&fixed(&bytes, "7,850", "7,580"));
    assert_eq!(counts(&clean), (14, 1, 0));
}

#[test]
fn budget_position_revised_budget_and_deficit() {
    let bytes = fixture("arithmetic/budget-position.csv");
    let m = map(&bytes);
    assert_eq!(rows_of(&m, 7), plus(&[3, 4, 5, 6]));
    assert_eq!(rows_of(&m, 11), vec![(8, 1), (7, -1), (9, -1), (10, -1)]);
    assert_eq!(m.identities.len(), 2);
    assert_eq!(role(&m, 7), RowRole::Subtotal);
    assert_eq!(role(&m, 11), RowRole::Difference);
    assert!(m.rows.iter().all(|r| r.gap.is_none()));
    assert_eq!(cells(&m, Status::Broken), ["C11"]);
    assert_eq!(cells(&m, Status::Rounding), ["D7"]);
    let clean = map(&fixed(&bytes, "1,765.0", "1,665.0"));
    assert_eq!(counts(&clean), (9, 1, 0));
}

#[test]
fn monitoring_variance_convention_and_net_rows() {
    let bytes = fixture("arithmetic/monitoring.csv");
    let m = map(&bytes);
    let v = m.variance.clone().expect("a variance column");
    assert_eq!((v.variance, v.forecast, v.target), (5, 4, 3));
    assert_eq!(v.sense, VarianceSense::ForecastMinusTarget);
    assert_eq!(v.favourable_in_brackets, Some(true));
    assert_eq!(v.convention, Convention::CostsPositive);
    assert_eq!(
        m.columns.iter().find(|c| c.column == 5).unwrap().role,
        ColumnRole::Variance
    );
    for net in [5, 8, 11] {
        assert_eq!(rows_of(&m, net), plus(&[net - 2, net - 1]));
        assert_eq!(role(&m, net), RowRole::Net, "a net row, not another saving");
    }
    assert_eq!(rows_of(&m, 12), plus(&[5, 8, 11]));
    assert_eq!(role(&m, 12), RowRole::Total);
    assert_eq!(cells(&m, Status::Broken), ["F12"]);
    assert_eq!(cells(&m, Status::Rounding), ["E12"]);
    assert!(m.broken[0].sentence.starts_with("published 45; the other 9 rows of this column are Forecast − Target, which gives (216) here"));
    let clean = map(&fixed(&bytes, ",45\n", ",(216)\n"));
    assert_eq!(counts(&clean).2, 0);
    assert_eq!(cells(&clean, Status::Rounding), ["E12", "F12"]);
}

#[test]
fn monitoring_savings_positive_reads_target_minus_forecast() {
    // monitoring.csv with every figure negated and the variance published as target − forecast
    // (`Adverse / (Favourable)`): the same variance figures, the other convention.
    let m = map(&fixture("arithmetic/monitoring-savings-positive.csv"));
    let v = m.variance.clone().expect("a variance column");
    assert_eq!((v.variance, v.forecast, v.target), (5, 4, 3));
    assert_eq!(v.sense, VarianceSense::TargetMinusForecast);
    assert_eq!(v.favourable_in_brackets, Some(true));
    assert_eq!(v.convention, Convention::BenefitsPositive);
    for net in [5, 8, 11] {
        assert_eq!(rows_of(&m, net), plus(&[net - 2, net - 1]));
        assert_eq!(role(&m, net), RowRole::Net);
    }
    // F6: (400) against (400) with 20 published; F8, B's net variance, is then not F6 + F7 as
    // printed either (20 + (250) is (230), not (250)).
    assert_eq!(cells(&m, Status::Broken), ["F6", "F8"]);
}

#[test]
fn a_variance_where_target_equals_forecast_is_checked() {
    let g = grid(
        b"Scheme,Target,Forecast,Variance (Favourable) / Adverse\nA,(1200),(1050),150\n\
        B,400,400,20\nC,(800),(915),(115)\nD,120,95,(25)\n",
    );
    let m = map_grid(&g).unwrap();
    assert_eq!(cells(&m, Status::Broken), ["D3"]);
    assert_eq!(m.broken[0].check.computed.to_string(), "0");
}

#[test]
fn schedule_with_dashes_at_three_places() {
    let bytes = fixture("arithmetic/schedule-dash-3dp.csv");
    let m = map(&bytes);
    assert_eq!(m.column_identity(5).unwrap().terms.len(), 3);
    assert_eq!(rows_of(&m, 7), plus(&[4, 5, 6]));
    assert_eq!(rows_of(&m, 12), plus(&[9, 10, 11]));
    assert_eq!(rows_of(&m, 13), plus(&[4, 5, 6, 9, 10, 11]));
    assert_eq!(cells(&m, Status::Broken), ["F7"]);
    assert_eq!(cells(&m, Status::Rounding), ["F12"]);
    let b = &m.broken[0];
    assert_eq!(
        (
            b.check.difference.to_string(),
            b.check.tolerance.to_string()
        ),
        ("0.409".into(), "0.002".into())
    );
    let clean = map(&fixed(&bytes, "1.769", "1.360"));
    assert_eq!(counts(&clean).2, 0);
}

#[test]
fn csv_rows_put_broken_first() {
    let m = map(&fixture("arithmetic/mtfs-plan.csv"));
    let rows = m.to_csv_rows();
    assert_eq!(rows.len(), 16);
    assert!(rows
        .iter()
        .all(|r| r.len() == gapwise::engine::arithmetic::CSV_HEADER.len()));
    assert_eq!(rows[0][0], "broken");
    assert_eq!(rows[0][1], "E10");
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("\"published\":\"7.614\""));
}

#[test]
fn no_panic_on_odd_grids() {
    let cases: Vec<Vec<Vec<String>>> = vec![
        vec![],
        vec![vec![]],
        grid(b"a,b\n1,2\n"),
        grid(b"L,A\nx,999999999999999999\ny,999999999999999999\nz,1999999999999999998\n"),
        grid(b"L,A,B\nx,N/A,TBC\ny,aa,1\nz,,\n"),
        grid(b"L,A,B,C\nx,1.0000000001,2,3\ny,-,0,(0)\nt,1,2,3\n"),
    ];
    for g in &cases {
        let _ = map_grid(g);
    }
    // Wide and long: bounded work.
    let mut wide = vec![(0..300).map(|i| format!("H{i}")).collect::<Vec<_>>()];
    for r in 0..50 {
        wide.push(
            (0..300)
                .map(|i| {
                    if i == 0 {
                        format!("r{r}")
                    } else {
                        ((r * 7 + i) % 13).to_string()
                    }
                })
                .collect(),
        );
    }
    let _ = map_grid(&wide);
}

/// The exports a user already downloads carry the map: the recalculated CSV has a column saying,
/// for each row, what derives it and how its figures came out; the workbook a second sheet with
/// one row per checked figure; the JSON the whole map beside the schedule, and reads back.
#[test]
fn the_exports_carry_the_map() {
    use gapwise::engine::{
        calculate, import, to_csv_with_map, to_json_with_map, to_xlsx_with_map, ImportOptions,
        ARITHMETIC_HEADER, XLSX_MAP_SHEET, XLSX_SHEET,
    };
    let bytes = fixture("arithmetic/schedule-dash-3dp.csv");
    let m = map(&bytes);
    let s = import(&bytes, "schedule-dash-3dp.csv", &ImportOptions::default())
        .unwrap()
        .schedule;
    let r = calculate(&s);

    let csv = to_csv_with_map(&s, &r.totals, &r.checks, Some(&m));
    let rows = grid(csv.trim_start_matches('\u{feff}').as_bytes());
    let at = rows[0].iter().position(|h| h == ARITHMETIC_HEADER).unwrap();
    let note = |label: &str| {
        let row = rows.iter().find(|r| r.iter().any(|c| c == label)).unwrap();
        row.get(at).cloned().unwrap_or_default()
    };
    let broken = note("Subtotal Adults");
    assert!(broken.starts_with("row 7 = rows 4–6"), "{broken}");
    assert!(broken.contains("1 broken: F7 published 1.769"), "{broken}");
    assert!(note("Subtotal Children").contains("1 rounding"));
    assert!(
        note("Fostering").ends_with("1 confirmed"),
        "{}",
        note("Fostering")
    );
    // Without a map the export is as before: no extra column.
    let plain = to_csv_with_map(&s, &r.totals, &r.checks, None);
    assert!(!plain.contains(ARITHMETIC_HEADER));
    assert_eq!(plain, gapwise::engine::to_csv(&s, &r.totals, &r.checks));

    let xlsx = to_xlsx_with_map(&s, &r.totals, Some(&m)).unwrap();
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(book.sheet_names(), [XLSX_SHEET, XLSX_MAP_SHEET]);
    let sheet = book.worksheet_range(XLSX_MAP_SHEET).unwrap();
    let first: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        first[..8],
        ["broken", "F7", "7", "F", "1.769", "1.360", "0.409", "0.002"]
    );
    assert_eq!(sheet.rows().count(), m.to_csv_rows().len() + 1);

    let json = to_json_with_map(&s, &m);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["arithmetic_map"]["counts"]["broken"], 1);
    let again = import(json.as_bytes(), "schedule.json", &ImportOptions::default()).unwrap();
    assert_eq!(again.schedule, s);
}
