//! Pasting a range of amounts copied from a spreadsheet.
//!
//! This module owns reading clipboard text (tab-separated rows, as every spreadsheet copies a
//! range) into one [`Edit::SetCells`] that [`apply`](super::apply) or a
//! [`History`](super::History) performs, so a paste is undone in one step. It reads each cell as
//! import does (docs/domain.md, "Numbers as published"), and changes nothing itself.
//!
//! The rules:
//!
//! - Rows end with `\n` or `\r\n`; one trailing line break is ignored (spreadsheets add one).
//!   Cells are separated by tabs. A cell wrapped in double quotes is read without them.
//! - The first pasted cell lands on (`at_line`, `at_year`); pasted rows go down the schedule's
//!   lines in order, pasted columns across its years.
//! - Every cell is read with [`parse_amount`]: `1,435.0`, `(200.0)`, `-` (zero), an empty cell
//!   (blank), `N/A` and `TBC` (no figure). A figure written with its own magnitude (`£75k`,
//!   `£1.374m`) is converted exactly to the schedule's unit, as import does.
//! - All or nothing: a cell that is not an amount (`aa`, `#REF!`) is an error naming its place in
//!   the paste (row and column of the pasted range, counted from 1); a range that would run past
//!   the schedule's last line or last year is an error saying so. Nothing is ever dropped
//!   silently, and nothing is pasted unless everything fits.

use super::history::Edit;
use crate::engine::model::document::RangeProblem;
use crate::engine::model::error::{Error, ErrorKind, Position};
use crate::engine::model::number::{Amount, NumberError};
use crate::engine::model::schedule::Schedule;
use crate::engine::model::units::parse_entry;

/// What errors about a paste name as their "file".
pub const PASTE_SOURCE: &str = "the pasted cells";

/// Reads tab-separated clipboard text as amounts pasted at line `at_line`, year `at_year` (both
/// from 0), and returns the [`Edit::SetCells`] that pastes them (see the module's rules).
///
/// ```
/// use gapwise::engine::{import, parse_paste, Amount, Edit, ImportOptions};
/// use rust_decimal::Decimal;
/// let csv = "Project,2017/18,2018/19\nA,1.0,2.0\nB,3.0,4.0\n";
/// let s = import(csv.as_bytes(), "a.csv", &ImportOptions::default())?.schedule;
/// let Edit::SetCells { cells } = parse_paste("(200.0)\t1,435.0\r\n", &s, 1, 0)? else { panic!() };
/// assert_eq!(cells[0], (1, 0, Amount::Figure(Decimal::new(-2000, 1))));
/// assert_eq!(cells[1], (1, 1, Amount::Figure(Decimal::new(14350, 1))));
/// let e = parse_paste("1\t2\t3", &s, 0, 0).unwrap_err();
/// assert!(e.to_string().contains("1 row × 3 columns"));
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn parse_paste(
    text: &str,
    schedule: &Schedule,
    at_line: usize,
    at_year: usize,
) -> Result<Edit, Error> {
    let out_of_range = |problem: RangeProblem| Error::new(ErrorKind::OutOfRange(problem));
    if text.is_empty() {
        return Err(out_of_range(RangeProblem::NothingToPaste));
    }
    let (lines, years) = (schedule.lines.len(), schedule.years.len());
    if at_line >= lines {
        return Err(out_of_range(RangeProblem::NoLine {
            line: at_line,
            lines,
        }));
    }
    if at_year >= years {
        return Err(out_of_range(RangeProblem::NoYear {
            year: at_year,
            years,
        }));
    }
    let body = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    let rows: Vec<Vec<&str>> = body
        .split('\n')
        .map(|r| r.strip_suffix('\r').unwrap_or(r).split('\t').collect())
        .collect();
    let height = rows.len();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let (lines_left, years_left) = (lines - at_line, years - at_year);
    if height > lines_left || width > years_left {
        return Err(out_of_range(RangeProblem::PasteTooBig {
            height,
            width,
            lines_left,
            years_left,
            from_line: short_label(&schedule.line_label(&schedule.lines[at_line])),
            from_year: schedule.years[at_year].year,
        }));
    }
    let mut cells = Vec::with_capacity(height * width);
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let position = || Position {
                row: r + 1,
                line: r + 1,
                column: Some(c + 1),
                column_header: None,
            };
            let amount = read_cell(cell, schedule).map_err(|reason| {
                Error::at(
                    ErrorKind::Amount {
                        text: cell.trim().to_string(),
                        reason,
                    },
                    position(),
                )
                .in_file(PASTE_SOURCE)
            })?;
            cells.push((at_line + r, at_year + c, amount));
        }
    }
    Ok(Edit::SetCells { cells })
}

/// One pasted cell, read as import reads a cell, except that a spreadsheet error value
/// (`#REF!`), which import keeps as an unreadable cell and reports, is refused.
fn read_cell(cell: &str, schedule: &Schedule) -> Result<Amount, NumberError> {
    let t = cell.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|u| u.strip_suffix('"'))
        .unwrap_or(t);
    parse_entry(t, schedule.unit)
}

/// A line's label for a message, cut at 40 characters.
fn short_label(label: &str) -> String {
    let mut chars = label.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::schedule::Unit;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use crate::engine::state::history::apply;
    use crate::engine::*;

    const DEMO: &[u8] = include_bytes!("../../../tests/fixtures/cyps-savings-2017-21.csv");

    fn demo() -> Schedule {
        import(DEMO, "demo.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn fig(text: &str) -> Amount {
        Amount::Figure(text.parse().unwrap())
    }

    fn cells(edit: Edit) -> Vec<(usize, usize, Amount)> {
        match edit {
            Edit::SetCells { cells } => cells,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_two_by_two_range_as_published() {
        let mut s = demo();
        let edit = parse_paste("1,435.0\t(200.0)\r\n-\t\r\n", &s, 2, 1).unwrap();
        assert_eq!(
            cells(edit.clone()),
            [
                (2, 1, fig("1435.0")),
                (2, 2, fig("-200.0")),
                (3, 1, fig("0")),
                (3, 2, Amount::Blank),
            ]
        );
        let before = s.clone();
        let undo = apply(&mut s, edit).unwrap();
        assert_eq!(s.lines[2].amounts[1], fig("1435.0"));
        assert_eq!(s.lines[3].amounts[2], Amount::Blank);
        assert_eq!(s.lines[2].amounts[0], before.lines[2].amounts[0]);
        apply(&mut s, undo).unwrap();
        assert_eq!(s, before);
    }

    #[test]
    fn line_breaks_quotes_and_no_figures() {
        let s = demo();
        let unix = cells(parse_paste("1\t2\n3\t4\n", &s, 0, 0).unwrap());
        let windows = cells(parse_paste("1\t2\r\n3\t4", &s, 0, 0).unwrap());
        assert_eq!(unix, windows);
        assert_eq!(unix.len(), 4);
        let c = cells(parse_paste("\"1,435.0\"\tN/A\tTBC", &s, 0, 0).unwrap());
        assert_eq!(c[0].2, fig("1435.0"));
        assert_eq!(c[1].2, Amount::NoFigure(NoFigure::NotApplicable));
        assert_eq!(c[2].2, Amount::NoFigure(NoFigure::ToBeConfirmed));
        // One copied empty cell clears the cell it is pasted on.
        assert_eq!(
            cells(parse_paste("\r\n", &s, 5, 3).unwrap()),
            [(5, 3, Amount::Blank)]
        );
        // A ragged paste sets the cells it has, and no others.
        let c = cells(parse_paste("1\t2\n3\n", &s, 0, 0).unwrap());
        assert_eq!(c.len(), 3);
        assert_eq!(c[2], (1, 0, fig("3")));
    }

    #[test]
    fn a_cell_that_is_not_an_amount_is_refused_with_its_place() {
        let s = demo();
        let e = parse_paste("1.0\t2.0\n3.0\taa\n", &s, 0, 0).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::Amount {
                text: "aa".into(),
                reason: NumberError::NotANumber,
            }
        );
        let p = e.position().unwrap();
        assert_eq!((p.row, p.column), (2, Some(2)));
        assert_eq!(e.file(), Some(PASTE_SOURCE));
        assert_eq!(
            e.to_string(),
            "the pasted cells, row 2, column B: `aa` is not an amount"
        );
        let e = parse_paste("#REF!", &s, 0, 0).unwrap_err();
        assert!(e.to_string().ends_with("`#REF!` is not an amount"), "{e}");
        let e = parse_paste("1,43", &s, 0, 0).unwrap_err();
        assert_eq!(e.position().unwrap().column, Some(1));
    }

    #[test]
    fn a_paste_that_does_not_fit_is_refused_whole() {
        let s = demo();
        assert_eq!((s.lines.len(), s.years.len()), (64, 4));
        let e = parse_paste("1\t2\n3\t4\n5\t6\n", &s, 62, 0).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::OutOfRange { .. }));
        let label = s.line_label(&s.lines[62]);
        assert_eq!(
            e.to_string(),
            format!(
                "the paste is 3 rows × 2 columns but only 2 lines remain from `{label}` down; \
                 nothing was pasted"
            )
        );
        let e = parse_paste("1\t2\n", &s, 0, 3).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the paste is 1 row × 2 columns but only 1 year remains from 2020/21 on; nothing \
             was pasted"
        );
        let e = parse_paste("1\t2\t3\n4\t5\t6\n", &s, 63, 2).unwrap_err();
        assert!(
            e.to_string().contains("only 1 line remains") && e.to_string().contains("2 years"),
            "{e}"
        );
        assert!(parse_paste("1\t2\n", &s, 63, 2).is_ok());
        for (line, year) in [(64, 0), (0, 4)] {
            let e = parse_paste("1", &s, line, year).unwrap_err();
            assert!(matches!(e.kind(), ErrorKind::OutOfRange { .. }));
        }
        let e = parse_paste("", &s, 0, 0).unwrap_err();
        assert_eq!(e.to_string(), "there is nothing to paste");
    }

    #[test]
    fn refusals_carry_their_kinds_and_fields() {
        let s = demo();
        let kind = |text: &str, line: usize, year: usize| {
            parse_paste(text, &s, line, year)
                .unwrap_err()
                .kind()
                .clone()
        };
        assert_eq!(
            kind("1", 64, 0),
            ErrorKind::OutOfRange(RangeProblem::NoLine {
                line: 64,
                lines: 64
            })
        );
        assert_eq!(
            kind("1", 0, 4),
            ErrorKind::OutOfRange(RangeProblem::NoYear { year: 4, years: 4 })
        );
        assert_eq!(
            kind("", 0, 0),
            ErrorKind::OutOfRange(RangeProblem::NothingToPaste)
        );
        assert_eq!(
            kind("1\t2\n", 0, 3),
            ErrorKind::OutOfRange(RangeProblem::PasteTooBig {
                height: 1,
                width: 2,
                lines_left: 64,
                years_left: 1,
                from_line: short_label(&s.line_label(&s.lines[0])),
                from_year: s.years[3].year,
            })
        );
    }

    #[test]
    fn magnitudes_convert_to_the_schedule_unit() {
        let s = demo();
        assert_eq!(s.unit, Unit::Thousands);
        let c = cells(parse_paste("£75k\t£1.374m\t£250", &s, 0, 0).unwrap());
        assert_eq!(c[0].2, fig("75"));
        assert_eq!(c[1].2, fig("1374"));
        assert_eq!(c[2].2, fig("250"), "a figure without k or m is in the unit");
        let millions = Schedule {
            unit: Unit::Millions,
            ..s.clone()
        };
        let c = cells(parse_paste("£75k", &millions, 0, 0).unwrap());
        assert_eq!(c[0].2, fig("0.075"));
        let pounds = Schedule {
            unit: Unit::Pounds,
            ..s
        };
        let e = parse_paste("1000000000000000000m", &pounds, 0, 0).unwrap_err();
        assert!(matches!(
            e.kind(),
            ErrorKind::Amount {
                reason: NumberError::TooLarge,
                ..
            }
        ));
    }
}
