//! Helpers shared by the integration tests: exact decimals, loading a file that must import, and
//! reading an exported CSV back into rows.
#![allow(dead_code)]

use std::str::FromStr;

use gapwise::engine::{
    calculate, import, to_csv, Amount, Check, CheckColumn, ImportOptions, Imported, Results,
    Schedule,
};
use rust_decimal::Decimal;

/// An exact decimal from its text, scale included (`d("4886.0")` has one place).
pub fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// The five published council tables of `tests/fixtures` (domain.md's worked figures), by name.
pub const FIXTURES: [(&str, &[u8]); 5] = [
    (
        "cyps-savings-2017-21.csv",
        include_bytes!("../fixtures/cyps-savings-2017-21.csv"),
    ),
    (
        "childrens-savings-2023-26.csv",
        include_bytes!("../fixtures/childrens-savings-2023-26.csv"),
    ),
    (
        "cyps-investment-bids-2016-21.csv",
        include_bytes!("../fixtures/cyps-investment-bids-2016-21.csv"),
    ),
    (
        "cyps-funding-gap-2016-20.csv",
        include_bytes!("../fixtures/cyps-funding-gap-2016-20.csv"),
    ),
    (
        "cyps-budget-forecast-2016-21.csv",
        include_bytes!("../fixtures/cyps-budget-forecast-2016-21.csv"),
    ),
];

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

pub mod generate;
