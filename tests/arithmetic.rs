//! The arithmetic map (issue 15) on the shared fixtures (ground truth:
//! docs/arithmetic-examples.md), on one fixture per kind of table the issue lists (one error and
//! one rounding drift each), and on generated tables checked against an independent
//! calculation (`arithmetic/generated.rs`).

use gapwise::engine::arithmetic::{
    map_grid, read_table, ArithmeticMap, Axis, ColumnRole, Convention, GapRole, RowRole, Shape,
    Status, VarianceSense,
};

#[path = "arithmetic/generated.rs"]
mod generated;

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

#[test]
#[ignore]
fn print_maps() {
    for f in [
        "cyps-budget-forecast-2016-21.csv",
        "cyps-funding-gap-2016-20.csv",
        "cyps-investment-bids-2016-21.csv",
        "cyps-savings-2017-21.csv",
        "childrens-savings-2023-26.csv",
    ] {
        let m = map(&std::fs::read(format!("tests/fixtures/{f}")).unwrap());
        println!("== {f}: {:?}", m.counts);
        for i in &m.identities {
            println!("  {} {:?}", i.description, i.counts);
        }
        for b in &m.broken {
            println!("  BROKEN {} {}", b.check.cell, b.sentence);
        }
        for r in m.rows.iter().filter(|r| r.role != RowRole::Line || r.gap.is_some() || r.reverses.is_some()) {
            println!("  row {} {:?} {:?} rev {:?}", r.row, r.role, r.gap, r.reverses);
        }
    }
}
