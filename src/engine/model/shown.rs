//! The precision each published figure is shown to, written into the figure itself
//! (docs/domain.md, "Rounding, precisely").
//!
//! A table shows its figures to a precision, and a figure (a `-` or a `0` above all) can hide
//! up to half a unit of that precision, never more. The rule, the same as the arithmetic map's
//! (`calc::arithmetic::grid`):
//! - the precision of a row (a column) is the most decimal places its figures show;
//! - a cell is shown to the **coarser** of its row's and its column's precision, or to its own
//!   places when it shows more; a row or column with no figure takes the other's precision, and
//!   a cell with neither takes the table's;
//! - a nil (`-` or a bare `0`, read as a zero of no places) is shown to that same precision,
//!   never to a whole unit.
//!
//! [`show_to_precision`] applies the rule to a schedule as it is read: every figure's `Decimal`
//! is rescaled to the places it is shown to (more places only, which is exact: `-` in a table of
//! £m to three places becomes 0.000, `1.5` beside `1.276` in a column and row of three places
//! becomes 1.500). Every sum ([`super::sum::Sum::add`]) then takes the half unit of each figure
//! at the precision the table shows it to, in every check built on sums (total rows, line
//! totals, nets, the funding gap), without carrying the table's shape along. A blank is no
//! written figure and has no decimals to carry: it counts as zero and adds no rounding.
//!
//! For a schedule a row is a line (its year figures and its published total) or a published
//! total row; a column is a year column or the total column, over the lines and total rows.
//! Applying the rule twice changes nothing: a figure is never given more places than its row's
//! or its column's precision, so those precisions stay as they were.

use super::number::{Amount, MAX_DECIMALS};
use super::schedule::Schedule;

/// The places a figure shows for the precision of its row and column; `None` for a nil (a zero
/// of no places), which shows no precision of its own.
fn places(amount: &Amount) -> Option<u32> {
    match amount {
        Amount::Figure(d) if !(d.is_zero() && d.scale() == 0) => Some(d.scale().min(MAX_DECIMALS)),
        _ => None,
    }
}

fn finer(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Rescales every figure of a table, given as rows of `(column, cell)`, to the places the rule
/// of the module documentation shows it to. `columns` is the number of columns.
/// The unit tests state the rule on small grids with it; [`show_to_precision`] applies the same
/// rule to a schedule in place (the import tests of `tests/rounding.rs` check it end to end).
#[cfg(test)]
pub fn show_cells(rows: &mut [Vec<(usize, &mut Amount)>], columns: usize) {
    let mut row_p = vec![None; rows.len()];
    let mut col_p = vec![None; columns];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter() {
            let p = places(cell);
            row_p[r] = finer(row_p[r], p);
            col_p[*c] = finer(col_p[*c], p);
        }
    }
    let table_p = row_p.iter().copied().fold(None, finer).unwrap_or(0);
    for (r, row) in rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut() {
            let context = match (row_p[r], col_p[*c]) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => table_p,
            };
            if let Amount::Figure(d) = &mut **cell {
                if d.scale() < context {
                    d.rescale(context);
                }
            }
        }
    }
}

/// A schedule's rows for the rule: its lines, then its published total rows, each as its year
/// figures and its published total.
fn rows_of(
    schedule: &mut Schedule,
) -> impl Iterator<Item = (&mut Vec<Amount>, &mut Option<Amount>)> {
    let lines = schedule
        .lines
        .iter_mut()
        .map(|l| (&mut l.amounts, &mut l.total));
    let totals = (schedule.total_rows.iter_mut()).map(|t| (&mut t.amounts, &mut t.total));
    lines.chain(totals)
}

/// Rescales every figure of a schedule (its lines and its published total rows, the year
/// columns and the total column) to the places it is shown to (the module documentation).
/// Two passes over the rows, in place, with one vector of row precisions: this runs on every
/// import (100,000 lines and more), so it builds no per-row lists as [`show_cells`] does.
pub fn show_to_precision(schedule: &mut Schedule) {
    let years = schedule.years.len();
    // Each row's cells: its year figures (only the first `years`), then its published total.
    fn cells<'a>(
        amounts: &'a mut [Amount],
        total: &'a mut Option<Amount>,
        years: usize,
    ) -> impl Iterator<Item = (usize, &'a mut Amount)> {
        amounts
            .iter_mut()
            .take(years)
            .enumerate()
            .chain(total.as_mut().map(|t| (years, t)))
    }
    let rows = schedule.lines.len() + schedule.total_rows.len();
    let mut row_p: Vec<Option<u32>> = Vec::with_capacity(rows);
    let mut col_p: Vec<Option<u32>> = vec![None; years + 1];
    {
        for (amounts, total) in rows_of(schedule) {
            let mut r = None;
            for (c, cell) in cells(amounts, total, years) {
                let p = places(cell);
                r = finer(r, p);
                col_p[c] = finer(col_p[c], p);
            }
            row_p.push(r);
        }
    }
    let table_p = row_p.iter().copied().fold(None, finer).unwrap_or(0);
    for ((amounts, total), r) in rows_of(schedule).zip(row_p) {
        for (c, cell) in cells(amounts, total, years) {
            let context = match (r, col_p[c]) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => table_p,
            };
            if let Amount::Figure(d) = cell {
                if d.scale() < context {
                    d.rescale(context);
                }
            }
        }
    }
}

/// The places the rule shows a figure typed into line `line`, year `year` to: the coarser of
/// its line's and its year column's precision (each the most places its figures show, the
/// cell itself left out), or the other's when one has no figure, or the schedule's decimals
/// when neither has. A typed `0` then hides what a read `0` would, never half a whole unit.
pub fn cell_places(schedule: &Schedule, line: usize, year: usize) -> u32 {
    let own = |i: usize, a: &Amount| if i == year { None } else { places(a) };
    let row = schedule.lines.get(line).map_or(None, |l| {
        let years = l.amounts.iter().enumerate().map(|(i, a)| own(i, a));
        years
            .chain([l.total.as_ref().and_then(places)])
            .fold(None, finer)
    });
    let column = schedule
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != line)
        .map(|(_, l)| l.amounts.get(year))
        .chain(schedule.total_rows.iter().map(|t| t.amounts.get(year)))
        .map(|a| a.and_then(places))
        .fold(None, finer);
    match (row, column) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => schedule.decimals,
    }
}

/// A typed figure given the places [`cell_places`] shows it to (more places only: the value
/// is unchanged, and a figure typed with more places keeps them).
pub fn show_typed(schedule: &Schedule, line: usize, year: usize, value: Amount) -> Amount {
    match value {
        Amount::Figure(mut d) if d.scale() < MAX_DECIMALS => {
            let p = cell_places(schedule, line, year);
            if d.scale() < p {
                d.rescale(p);
            }
            Amount::Figure(d)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn fig(s: &str) -> Amount {
        Amount::Figure(Decimal::from_str(s).unwrap())
    }

    fn shown(table: &[&[&str]]) -> Vec<Vec<String>> {
        let mut cells: Vec<Vec<Amount>> = table
            .iter()
            .map(|r| {
                r.iter()
                    .map(|t| match *t {
                        "" => Amount::Blank,
                        "-" => fig("0"),
                        t => fig(t),
                    })
                    .collect()
            })
            .collect();
        let columns = table.first().map_or(0, |r| r.len());
        let mut rows: Vec<Vec<(usize, &mut Amount)>> = cells
            .iter_mut()
            .map(|r| r.iter_mut().enumerate().collect())
            .collect();
        show_cells(&mut rows, columns);
        cells
            .iter()
            .map(|r| r.iter().map(Amount::canonical).collect())
            .collect()
    }

    #[test]
    fn a_nil_takes_the_precision_of_its_row_and_column() {
        assert_eq!(
            shown(&[&["1.276", "-", "2.182", "3.867"]]),
            [["1.276", "0.000", "2.182", "3.867"]]
        );
        // A blank stays blank; a bare 0 is a nil like `-`.
        assert_eq!(
            shown(&[&["0.215", "0", ""], &["1.0", "2.0", "3.0"]]),
            [["0.215", "0.0", ""], ["1.0", "2.0", "3.0"]]
        );
    }

    #[test]
    fn a_cell_takes_the_coarser_of_row_and_column_or_its_own_when_finer() {
        // Row 0 shows three places, column 1 one: the whole 5 is shown to one place. Row 1
        // shows two, column 2 three: the 7 is shown to two; the 2.25 keeps its own two.
        assert_eq!(
            shown(&[&["1.276", "5", "0.001"], &["2.25", "1.5", "7"]]),
            [["1.276", "5.0", "0.001"], ["2.25", "1.5", "7.00"]]
        );
    }

    #[test]
    fn rows_and_columns_of_nils_take_the_other_or_the_table() {
        // Row 1 has no figure: its nils take their columns'. Column 2 has none: its cell in
        // row 0 takes the row's; row 1 column 2 has neither and takes the table's.
        assert_eq!(
            shown(&[&["1.25", "3", "-"], &["-", "-", "0"]]),
            [["1.25", "3", "0.00"], ["0.00", "0", "0.00"]]
        );
    }

    #[test]
    fn showing_twice_changes_nothing() {
        let once = shown(&[
            &["1.25", "3", "-", ""],
            &["-", "-", "0", "0.1"],
            &["7", "-", "", "-"],
        ]);
        let again: Vec<Vec<&str>> = once
            .iter()
            .map(|r| r.iter().map(String::as_str).collect())
            .collect();
        let again: Vec<&[&str]> = again.iter().map(Vec::as_slice).collect();
        assert_eq!(shown(&again), once);
    }
}
