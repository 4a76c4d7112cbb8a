//! A schedule's total column follows its arithmetic (docs/domain.md, "The schedule" and "The
//! arithmetic map"): the reader takes the first column headed `Total…` or `Cumulative…` as the
//! published total of each line, so `Cumulative 25/26` (the first two years added) is taken for
//! the total, and every line's total then looks wrong, while `Cumulative 26/27` or `Full Year
//! Effect`, the sum of every year, is read as text. The map finds, from the figures, which
//! columns add the year columns: the total column is the first that adds all of them, and a
//! column that adds some of them (a cumulative figure to a year) is derived, neither a total
//! nor text.

use std::collections::BTreeSet;

use super::arithmetic::{ArithmeticMap, Axis};
use crate::engine::model::schedule::Schedule;
use crate::engine::read::grid::{ColumnMapping, ColumnRole};

/// The columns to read differently, by 0-based file column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalColumn {
    /// The column that adds every year column: the published total.
    pub total: usize,
    /// Columns that add some or all of the year columns, other than `total`: left out.
    pub derived: Vec<usize>,
}

/// Where the map says the total column is, when that is not where the schedule read it; `None`
/// when they agree, when no column adds every year, or when the map's columns cannot be matched
/// to the schedule's by their headings (a table of measures beside years, a header over two
/// rows the reader joined differently).
pub fn total_column(schedule: &Schedule, map: &ArithmeticMap) -> Option<TotalColumn> {
    if schedule.years.len() < 2 {
        return None;
    }
    let column_of = |header: &str| {
        let matching: Vec<usize> = map
            .columns
            .iter()
            .filter(|e| e.heading.trim() == header.trim())
            .map(|e| e.column)
            .collect();
        (matching.len() == 1).then(|| matching[0])
    };
    let years: BTreeSet<usize> = schedule
        .years
        .iter()
        .map(|y| column_of(&y.header))
        .collect::<Option<_>>()?;
    if years.len() != schedule.years.len() {
        return None;
    }
    // Columns the map derives as sums of year columns only, every term added.
    let sums: Vec<(usize, BTreeSet<usize>)> = map
        .identities
        .iter()
        .filter(|i| i.axis == Axis::Column && i.terms.iter().all(|t| t.sign > 0))
        .map(|i| (i.target, i.terms.iter().map(|t| t.index).collect()))
        .filter(|(_, terms): &(usize, BTreeSet<usize>)| terms.is_subset(&years) && terms.len() >= 2)
        .collect();
    let total = sums
        .iter()
        .filter(|(_, terms)| *terms == years)
        .map(|(c, _)| *c)
        .min()?;
    let read_total = match &schedule.total_header {
        Some(h) => Some(column_of(h)?),
        None => None,
    };
    if read_total == Some(total) {
        return None;
    }
    let mut derived: Vec<usize> = sums
        .iter()
        .map(|(c, _)| *c)
        .filter(|c| *c != total)
        .chain(read_total)
        .collect();
    derived.sort_unstable();
    derived.dedup();
    Some(TotalColumn { total, derived })
}

/// The reader's column mapping with the total column the map found: `total` read as the
/// published total, the derived columns left out. `None` when the mapping lacks one of them.
pub fn with_total_column(mapping: &ColumnMapping, fix: &TotalColumn) -> Option<ColumnMapping> {
    let mut mapping = mapping.clone();
    let mut found = false;
    for column in &mut mapping.columns {
        if column.index == fix.total {
            column.role = ColumnRole::Total;
            found = true;
        } else if fix.derived.contains(&column.index) || column.role == ColumnRole::Total {
            column.role = ColumnRole::Ignored;
        }
    }
    found.then_some(mapping)
}
