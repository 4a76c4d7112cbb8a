//! Helpers shared by the integration tests: exact decimals, the fixture files (`fixtures`),
//! loading a file that must import, reading an exported CSV back into rows, and the generators
//! of property tests (`generate`, through `proptest`).
#![allow(dead_code)]

pub mod fixtures;
pub mod generate;

// Not every test file reads a fixture.
#[allow(unused_imports)]
pub use fixtures::*;

use std::str::FromStr;

use gapwise::engine::{
    calculate, import, to_csv, Amount, Check, CheckColumn, ImportOptions, Imported, Results,
    Schedule, Sum,
};
use rust_decimal::Decimal;

/// An exact decimal from its text, scale included (`d("4886.0")` has one place).
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Exact decimals from their texts.
pub fn ds(texts: &[&str]) -> Vec<Decimal> {
    texts.iter().map(|t| d(t)).collect()
}

/// The values of sums that must all be complete.
pub fn complete_values(sums: &[Sum]) -> Vec<Decimal> {
    sums.iter()
        .map(|s| {
            assert!(s.is_complete(), "{s:?}");
            s.value
        })
        .collect()
}

/// Imports a file with the default options; any whole-file error fails the test with its message.
pub fn load(bytes: &[u8], name: &str) -> Imported {
    import(bytes, name, &ImportOptions::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Imports a file that must load without a single cell problem.
pub fn load_clean(bytes: &[u8], name: &str) -> Imported {
    let imported = load(bytes, name);
    let problems: Vec<String> = imported.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{name}: {problems:#?}");
    assert_eq!(imported.more_problems, 0, "{name}");
    imported
}

/// The schedule of a fixture that must load without a single cell problem.
pub fn schedule((name, bytes): (&str, &[u8])) -> Schedule {
    load_clean(bytes, name).schedule
}

/// The schedule of CSV text that must import (problems in cells allowed).
pub fn from_csv(csv: &str) -> Schedule {
    import(csv.as_bytes(), "t.csv", &ImportOptions::default())
        .unwrap()
        .schedule
}

/// The figure of a cell that must hold one.
pub fn fig(a: &Amount) -> Decimal {
    match a {
        Amount::Figure(v) => *v,
        other => panic!("expected a figure, found {other:?}"),
    }
}

/// The export of a schedule as CSV, recalculated.
pub fn export_csv(schedule: &Schedule) -> String {
    let Results { totals, checks } = calculate(schedule);
    to_csv(schedule, &totals, &checks)
}

/// Reads CSV text (an export) into rows of cells, as a spreadsheet would show them.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The check of a total row's (or line's) cell in the given column, found by file row.
pub fn check_at(checks: &[Check], row: usize, column: CheckColumn) -> &Check {
    checks
        .iter()
        .find(|c| c.row == row && c.column == column)
        .unwrap_or_else(|| panic!("no check at row {row}, {column:?}"))
}

/// Text a spreadsheet would run as a formula, put at the start of a line's text to check that
/// exports neutralise it and imports read it back as written.
pub const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\") ";
