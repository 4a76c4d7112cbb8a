//! Edits to a schedule, each undoable.
//!
//! This module owns what a finance officer can change in a loaded schedule, as [`Edit`]
//! commands: amounts (one cell, or a pasted range), recurrence, the RAG rating, the memo mark (a memo line is
//! shown but left out of every net and of the gap, docs/domain.md "Netting"), text cells, adding,
//! duplicating and deleting lines, and replacing the whole schedule (an import, "start again").
//! [`apply`] performs an edit and returns its inverse; [`History`] keeps the inverses for undo and
//! the undone edits for redo. It does not parse what the user typed or pasted (`number`, `paste`)
//! and computes nothing: the totals and checks are worked out again from the edited schedule.
//!
//! The rules:
//!
//! - **All or nothing.** An edit is checked whole before anything changes: an index out of range
//!   (a line, year or text column the schedule does not have), a line of the wrong shape, or a
//!   figure over 10^18 is an [`Error`] and the schedule is left as it was. Nothing panics.
//! - **Exact undo.** Applying an edit's inverse gives back the schedule exactly, `==` included:
//!   every figure with its written decimals, every published total and scope.
//! - **Lines are counted by position** in `schedule.lines`, from 0. Inserting or deleting a line
//!   moves the lines after it; each line keeps its `section`, and its `row` (the file row it came
//!   from). A new line takes [`Schedule::next_row`], a row no other line, heading or total uses.
//! - **Published totals keep their claims.** A total row covering "the lines since the previous
//!   total" ([`TotalScope::Since`]) names lines by position: on an insert or delete its range is
//!   moved so that it keeps covering the same lines. A new line belongs with the line above it:
//!   inserted under a line of the range (inside it, or right under its last line) it joins the
//!   range, as a duplicate joins its original's; inserted at or above the range's first line it
//!   stays out and the range moves down. A deleted line leaves its range. Undoing a delete puts
//!   the range back exactly as it was ([`Edit::RestoreLine`] where the rule above would not).
//!   Section, measure and whole-schedule scopes need no change: they follow the lines' sections
//!   and texts.
//! - **Published figures stay as published.** Editing a line's amounts never changes its
//!   published total or a total row: those are claims the checks judge against the new figures.

use std::collections::VecDeque;

use rust_decimal::Decimal;

use crate::engine::model::canonical;
use crate::engine::model::document::RangeProblem;
use crate::engine::model::error::{Error, ErrorKind};
use crate::engine::model::number::{Amount, NumberError, MAX_MAGNITUDE};
use crate::engine::model::rating::Rag;
use crate::engine::model::schedule::{Line, Recurrence, Schedule, TotalScope};
use crate::engine::model::shown::show_typed;

/// One change to a schedule. Lines and years are indices into `schedule.lines` and
/// `schedule.years`, text columns into `schedule.text_columns`, all from 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// One amount cell of a line.
    SetAmount {
        line: usize,
        year: usize,
        value: Amount,
    },
    /// Several amount cells at once, in order (a paste): `(line, year, value)`.
    SetCells { cells: Vec<(usize, usize, Amount)> },
    /// Whether a line's saving recurs or is a one-off.
    SetRecurrence { line: usize, recurrence: Recurrence },
    /// Marks a line as a memo (excluded from the net and the gap) or includes it again.
    SetMemo { line: usize, memo: bool },
    /// One text cell of a line.
    SetText {
        line: usize,
        column: usize,
        text: String,
    },
    /// A line's RAG delivery rating (docs/domain.md, "Monitoring"); `None`: unrated. The line's RAG
    /// text column, if it has one, stays as published.
    SetRag { line: usize, rag: Option<Rag> },
    /// Puts a line at position `at` (0 to the number of lines): the lines from `at` move down.
    /// Its `row` should be [`Schedule::next_row`] for a new line; see [`duplicate_line`].
    InsertLine { at: usize, line: Line },
    /// Removes the line at position `at`: the lines after it move up.
    DeleteLine { at: usize },
    /// Replaces the whole schedule: an import, or "start again".
    Replace { schedule: Box<Schedule> },
    /// The undo of a [`DeleteLine`](Edit::DeleteLine) that [`InsertLine`](Edit::InsertLine)
    /// cannot express: the deleted line was the first of a total row's "since" range, or the
    /// line right under one, where a plain insert would put it on the wrong side of the range's
    /// edge. Puts the line back at `at` and every total row's scope as it was (`scopes`, one per
    /// total row). Refused unless deleting the line again gives the current scopes.
    RestoreLine {
        at: usize,
        line: Line,
        scopes: Vec<TotalScope>,
    },
}

impl Edit {
    /// The lines this edit changes in place, by index, in order and each once: the lines whose
    /// amounts, recurrence, memo mark or RAG rating it sets. `None` for an edit that changes
    /// text, adds, removes or replaces lines, whose results are worked out again from scratch
    /// (see [`super::Live::update`]).
    pub fn lines_in_place(&self) -> Option<Vec<usize>> {
        let mut lines = match self {
            Edit::SetAmount { line, .. }
            | Edit::SetRecurrence { line, .. }
            | Edit::SetMemo { line, .. }
            | Edit::SetRag { line, .. } => vec![*line],
            Edit::SetCells { cells } => cells.iter().map(|(line, _, _)| *line).collect(),
            Edit::SetText { .. }
            | Edit::InsertLine { .. }
            | Edit::DeleteLine { .. }
            | Edit::Replace { .. }
            | Edit::RestoreLine { .. } => return None,
        };
        lines.sort_unstable();
        lines.dedup();
        Some(lines)
    }
}

/// Performs an edit on a schedule and returns its inverse: the edit that puts the schedule back
/// exactly as it was. An edit naming a line, year or text column the schedule does not have, an
/// inserted line of the wrong shape (its amounts, texts, section or total not matching the
/// schedule), a figure over 10^18, or a replacement schedule that canonical JSON import would
/// refuse is an error, and nothing changes (see the module's rules).
///
/// ```
/// use gapwise::engine::{apply, import, Amount, Edit, ImportOptions};
/// let csv = "Project,2017/18,2018/19\nA,1.0,2.0\nB,3.0,4.0\n";
/// let mut s = import(csv.as_bytes(), "a.csv", &ImportOptions::default())?.schedule;
/// let before = s.clone();
/// let undo = apply(&mut s, Edit::SetAmount { line: 1, year: 0, value: Amount::Blank })?;
/// assert_eq!(s.lines[1].amounts[0], Amount::Blank);
/// apply(&mut s, undo)?;
/// assert_eq!(s, before);
/// assert!(apply(&mut s, Edit::DeleteLine { at: 2 }).is_err());
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn apply(schedule: &mut Schedule, edit: Edit) -> Result<Edit, Error> {
    match edit {
        Edit::SetAmount { line, year, value } => {
            check_cell(schedule, line, year)?;
            check_amount(&value)?;
            // As the table shows it (docs/domain.md, "Rounding, precisely"): a `0` typed into
            // a table of three places hides half a thousandth, as a `0` read from it does.
            let value = show_typed(schedule, line, year, value);
            let old = std::mem::replace(&mut schedule.lines[line].amounts[year], value);
            Ok(Edit::SetAmount {
                line,
                year,
                value: old,
            })
        }
        Edit::SetCells { cells } => {
            for (line, year, value) in &cells {
                check_cell(schedule, *line, *year)?;
                check_amount(value)?;
            }
            // Undone in reverse order, so a cell named twice gets its first old value back.
            let mut old: Vec<(usize, usize, Amount)> = cells
                .into_iter()
                .map(|(line, year, value)| {
                    let value = show_typed(schedule, line, year, value);
                    let was = std::mem::replace(&mut schedule.lines[line].amounts[year], value);
                    (line, year, was)
                })
                .collect();
            old.reverse();
            Ok(Edit::SetCells { cells: old })
        }
        Edit::SetRecurrence { line, recurrence } => {
            check_line_index(schedule, line)?;
            let old = std::mem::replace(&mut schedule.lines[line].recurrence, recurrence);
            Ok(Edit::SetRecurrence {
                line,
                recurrence: old,
            })
        }
        Edit::SetMemo { line, memo } => {
            check_line_index(schedule, line)?;
            let old = std::mem::replace(&mut schedule.lines[line].memo, memo);
            Ok(Edit::SetMemo { line, memo: old })
        }
        Edit::SetText { line, column, text } => {
            check_line_index(schedule, line)?;
            let texts = schedule.lines[line].text.len();
            if column >= texts {
                return Err(out_of_range(RangeProblem::NoTextColumn {
                    column,
                    line,
                    texts,
                }));
            }
            let old = std::mem::replace(&mut schedule.lines[line].text[column], text);
            Ok(Edit::SetText {
                line,
                column,
                text: old,
            })
        }
        Edit::SetRag { line, rag } => {
            check_line_index(schedule, line)?;
            let old = std::mem::replace(&mut schedule.lines[line].rag, rag);
            Ok(Edit::SetRag { line, rag: old })
        }
        Edit::InsertLine { at, line } => {
            check_insert(schedule, at, &line)?;
            schedule.lines.insert(at, line);
            for t in &mut schedule.total_rows {
                t.scope = scope_after_insert(&t.scope, at);
            }
            Ok(Edit::DeleteLine { at })
        }
        Edit::DeleteLine { at } => {
            check_line_index(schedule, at)?;
            let before: Vec<TotalScope> = scopes(schedule);
            let line = schedule.lines.remove(at);
            for t in &mut schedule.total_rows {
                t.scope = scope_after_delete(&t.scope, at);
            }
            let reinserted = schedule
                .total_rows
                .iter()
                .map(|t| scope_after_insert(&t.scope, at));
            if reinserted.eq(before.iter().cloned()) {
                Ok(Edit::InsertLine { at, line })
            } else {
                Ok(Edit::RestoreLine {
                    at,
                    line,
                    scopes: before,
                })
            }
        }
        Edit::RestoreLine { at, line, scopes } => {
            check_insert(schedule, at, &line)?;
            let count = schedule.total_rows.len();
            if scopes.len() != count {
                return Err(out_of_range(RangeProblem::Scopes {
                    given: scopes.len(),
                    total_rows: count,
                }));
            }
            let lines_after = schedule.lines.len() + 1;
            let consistent = scopes.iter().zip(&schedule.total_rows).all(|(s, t)| {
                scope_fits(s, schedule.sections.len(), lines_after)
                    && scope_after_delete(s, at) == t.scope
            });
            if !consistent {
                return Err(out_of_range(RangeProblem::ScopesDiffer));
            }
            schedule.lines.insert(at, line);
            for (t, s) in schedule.total_rows.iter_mut().zip(scopes) {
                t.scope = s;
            }
            Ok(Edit::DeleteLine { at })
        }
        Edit::Replace {
            schedule: replacement,
        } => {
            canonical::validate(&replacement)?;
            let old = std::mem::replace(schedule, *replacement);
            Ok(Edit::Replace {
                schedule: Box::new(old),
            })
        }
    }
}

/// The edit that duplicates a line: a copy of it, under it, with a new row number
/// ([`Schedule::next_row`]). `None` when the schedule has no such line.
///
/// The copy keeps everything else (section, texts, figures, published total, recurrence, memo),
/// so it joins the same section and the same total rows as its original.
pub fn duplicate_line(schedule: &Schedule, line: usize) -> Option<Edit> {
    let original = schedule.lines.get(line)?;
    let mut copy = original.clone();
    copy.row = schedule.next_row();
    Some(Edit::InsertLine {
        at: line + 1,
        line: copy,
    })
}

/// Undo and redo: the inverses of the edits performed, newest last, at most `limit` of them (the
/// oldest are dropped), and the edits undone, ready to redo. Performing a new edit clears the
/// redo list, as every editor does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    /// Inverses of the edits performed, oldest first.
    done: VecDeque<Edit>,
    /// Edits undone, the next to redo last.
    undone: Vec<Edit>,
    limit: usize,
}

impl History {
    /// An empty history keeping at most `limit` edits to undo.
    pub fn new(limit: usize) -> History {
        History {
            done: VecDeque::new(),
            undone: Vec::new(),
            limit,
        }
    }

    /// Performs an edit and records its inverse; clears the redo list. A refused edit changes
    /// neither the schedule nor the history.
    pub fn perform(&mut self, schedule: &mut Schedule, edit: Edit) -> Result<(), Error> {
        let inverse = apply(schedule, edit)?;
        self.undone.clear();
        self.push_done(inverse);
        Ok(())
    }

    /// Undoes the latest edit; false when there is nothing to undo. If the schedule was changed
    /// behind the history's back so that the undo no longer fits it, nothing changes in the
    /// schedule, the history is cleared (it no longer describes the schedule) and the answer is
    /// false.
    pub fn undo(&mut self, schedule: &mut Schedule) -> bool {
        let Some(inverse) = self.done.pop_back() else {
            return false;
        };
        match apply(schedule, inverse) {
            Ok(redo) => {
                self.undone.push(redo);
                true
            }
            Err(_) => {
                self.clear();
                false
            }
        }
    }

    /// Redoes the latest undone edit; false when there is nothing to redo (or, as for
    /// [`History::undo`], when it no longer fits the schedule, which clears the history).
    pub fn redo(&mut self, schedule: &mut Schedule) -> bool {
        let Some(edit) = self.undone.pop() else {
            return false;
        };
        match apply(schedule, edit) {
            Ok(inverse) => {
                self.push_done(inverse);
                true
            }
            Err(_) => {
                self.clear();
                false
            }
        }
    }

    /// The edit the next [`History::undo`] will apply (the inverse of the latest edit).
    pub fn next_undo(&self) -> Option<&Edit> {
        self.done.back()
    }

    /// The edit the next [`History::redo`] will apply.
    pub fn next_redo(&self) -> Option<&Edit> {
        self.undone.last()
    }

    pub fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// How many edits can be undone.
    pub fn len(&self) -> usize {
        self.done.len()
    }

    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }

    /// How many undone edits can be redone.
    pub fn redo_len(&self) -> usize {
        self.undone.len()
    }

    /// Forgets every edit, for a schedule loaded outside the history.
    pub fn clear(&mut self) {
        self.done.clear();
        self.undone.clear();
    }

    fn push_done(&mut self, inverse: Edit) {
        self.done.push_back(inverse);
        while self.done.len() > self.limit {
            self.done.pop_front();
        }
    }
}

fn out_of_range(problem: RangeProblem) -> Error {
    Error::new(ErrorKind::OutOfRange(problem))
}

fn check_line_index(schedule: &Schedule, line: usize) -> Result<(), Error> {
    let lines = schedule.lines.len();
    if line >= lines {
        return Err(out_of_range(RangeProblem::NoLine { line, lines }));
    }
    Ok(())
}

fn check_cell(schedule: &Schedule, line: usize, year: usize) -> Result<(), Error> {
    check_line_index(schedule, line)?;
    let years = schedule.lines[line].amounts.len();
    if year >= years {
        return Err(out_of_range(RangeProblem::NoYear { year, years }));
    }
    Ok(())
}

/// A figure entering a schedule obeys the bound import puts on cells, 10^18 in the schedule's
/// unit, which keeps every sum far from overflowing.
fn check_amount(value: &Amount) -> Result<(), Error> {
    match value {
        Amount::Figure(d) if d.abs() > Decimal::from(MAX_MAGNITUDE) => {
            Err(Error::new(ErrorKind::Amount {
                text: d.to_string(),
                reason: NumberError::TooLarge,
            }))
        }
        _ => Ok(()),
    }
}

/// A line to insert must fit the schedule as an imported one does: one amount per year, one
/// text per text column, a section that exists, a published total only where the schedule has
/// a total column, and figures within bounds.
fn check_insert(schedule: &Schedule, at: usize, line: &Line) -> Result<(), Error> {
    let lines = schedule.lines.len();
    if at > lines {
        return Err(out_of_range(RangeProblem::InsertAt { at, lines }));
    }
    if let Some(problem) = canonical::line_problem(schedule, line) {
        return Err(out_of_range(RangeProblem::NewLine(problem)));
    }
    line.amounts
        .iter()
        .chain(line.total.as_ref())
        .try_for_each(check_amount)
}

fn scopes(schedule: &Schedule) -> Vec<TotalScope> {
    schedule
        .total_rows
        .iter()
        .map(|t| t.scope.clone())
        .collect()
}

fn scope_fits(scope: &TotalScope, sections: usize, lines: usize) -> bool {
    match scope {
        TotalScope::Section(i) => *i < sections,
        TotalScope::Since {
            first_line,
            end_line,
        } => first_line <= end_line && *end_line <= lines,
        _ => true,
    }
}

/// A "since" range after a line is inserted at `at`: a line put in at or above the range's first
/// line moves the whole range down; one put in under a line of the range (inside it, or right
/// under its last line) joins it; one further down leaves it as it is.
fn scope_after_insert(scope: &TotalScope, at: usize) -> TotalScope {
    match *scope {
        TotalScope::Since {
            first_line,
            end_line,
        } => {
            if at <= first_line {
                TotalScope::Since {
                    first_line: first_line.saturating_add(1),
                    end_line: end_line.saturating_add(1),
                }
            } else if at <= end_line {
                TotalScope::Since {
                    first_line,
                    end_line: end_line.saturating_add(1),
                }
            } else {
                scope.clone()
            }
        }
        _ => scope.clone(),
    }
}

/// A "since" range after the line at `at` is deleted: a line above the range moves it up, a line
/// of the range leaves it, a line below changes nothing.
fn scope_after_delete(scope: &TotalScope, at: usize) -> TotalScope {
    match *scope {
        TotalScope::Since {
            first_line,
            end_line,
        } => {
            if at < first_line {
                TotalScope::Since {
                    first_line: first_line - 1,
                    end_line: end_line.saturating_sub(1),
                }
            } else if at < end_line {
                TotalScope::Since {
                    first_line,
                    end_line: end_line.saturating_sub(1),
                }
            } else {
                scope.clone()
            }
        }
        _ => scope.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::results::calculate;
    use crate::engine::calc::totals::scope_totals;
    use crate::engine::model::number::NoFigure;
    use crate::engine::model::schedule::TotalRow;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;

    const DEMO: &[u8] = include_bytes!("../../../tests/fixtures/cyps-savings-2017-21.csv");
    const OTHER: &[u8] = include_bytes!("../../../tests/fixtures/childrens-savings-2023-26.csv");

    fn load(bytes: &[u8]) -> Schedule {
        import(bytes, "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn demo() -> Schedule {
        load(DEMO)
    }

    fn fig(text: &str) -> Amount {
        Amount::Figure(text.parse().unwrap())
    }

    /// The demo with total rows whose scopes name lines by position: a range in the middle, an
    /// empty one, one covering every line and a one-line one, so that inserts and deletes have
    /// ranges to move.
    fn demo_with_since() -> Schedule {
        let mut s = demo();
        let n = s.years.len();
        for (i, (first_line, end_line)) in [(10, 20), (20, 20), (0, 64), (30, 31)]
            .into_iter()
            .enumerate()
        {
            s.total_rows.push(TotalRow {
                row: 900 + i,
                label: format!("Total since {i}"),
                scope: TotalScope::Since {
                    first_line,
                    end_line,
                },
                amounts: vec![Amount::Blank; n],
                total: None,
                text: Vec::new(),
            });
        }
        canonical::validate(&s).unwrap();
        s
    }

    /// Marsaglia's xorshift64: a small, seeded, reproducible generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn amount(&mut self) -> Amount {
            match self.below(10) {
                0 => Amount::Blank,
                1 => Amount::NoFigure(NoFigure::NotApplicable),
                2 => Amount::NoFigure(NoFigure::ToBeConfirmed),
                _ => {
                    let mantissa = self.below(20_000_000) as i64 - 10_000_000;
                    Amount::Figure(Decimal::new(mantissa, self.below(4) as u32))
                }
            }
        }
    }

    /// A random edit of `s`; about one in twelve names something that does not exist.
    fn random_edit(rng: &mut Rng, s: &Schedule, other: &Schedule) -> Edit {
        let lines = s.lines.len();
        let years = s.years.len();
        let texts = s.text_columns.len();
        let bad = rng.below(12) == 0;
        let line = if bad {
            lines + rng.below(3)
        } else {
            rng.below(lines)
        };
        match rng.below(21) {
            0 | 10 => Edit::SetAmount {
                line,
                year: rng.below(years),
                value: rng.amount(),
            },
            1 | 11 => {
                let mut cells: Vec<_> = (0..1 + rng.below(5))
                    .map(|_| (rng.below(lines), rng.below(years), rng.amount()))
                    .collect();
                if cells.len() > 1 && rng.below(2) == 0 {
                    // The same cell twice in one paste.
                    let (l, y, _) = cells[0].clone();
                    cells.push((l, y, rng.amount()));
                }
                if bad {
                    cells.push((0, years, rng.amount()));
                }
                Edit::SetCells { cells }
            }
            2 => Edit::SetRecurrence {
                line,
                recurrence: if rng.below(2) == 0 {
                    Recurrence::OneOff
                } else {
                    Recurrence::Recurring
                },
            },
            3 => Edit::SetMemo {
                line,
                memo: rng.below(2) == 0,
            },
            4 => Edit::SetText {
                line,
                column: rng.below(texts),
                text: format!("edited {}", rng.below(1000)),
            },
            19 => Edit::SetRag {
                line,
                rag: [None, Some(Rag::Red), Some(Rag::Amber), Some(Rag::Green)][rng.below(4)],
            },
            5 | 12 | 13 => duplicate_line(s, line).unwrap_or(Edit::DeleteLine { at: line }),
            6 | 14 | 15 => {
                let mut new = s.lines[rng.below(lines)].clone();
                new.row = s.next_row();
                new.amounts[0] = rng.amount();
                Edit::InsertLine {
                    at: if bad { lines + 1 } else { rng.below(lines + 1) },
                    line: new,
                }
            }
            7 | 8 | 16 | 17 | 18 => Edit::DeleteLine { at: line },
            _ => {
                let replacement = if rng.below(2) == 0 {
                    other.clone()
                } else {
                    demo_with_since()
                };
                Edit::Replace {
                    schedule: Box::new(replacement),
                }
            }
        }
    }

    /// The rows a "since" total row covers, in order.
    fn covered_rows(s: &Schedule) -> Vec<Option<Vec<usize>>> {
        s.total_rows
            .iter()
            .map(|t| match t.scope {
                TotalScope::Since {
                    first_line,
                    end_line,
                } => Some(
                    s.lines[first_line..end_line]
                        .iter()
                        .map(|l| l.row)
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn random_edits_undo_and_redo_exactly() {
        let other = load(OTHER);
        let mut refused = 0;
        let mut restored_lines = 0;
        for seed in 1..=40u64 {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
            let original = demo_with_since();
            let mut s = original.clone();
            let mut history = History::new(1_000);
            for step in 0..80 {
                let edit = random_edit(&mut rng, &s, &other);
                let before = s.clone();
                match apply(&mut s, edit.clone()) {
                    Err(e) => {
                        refused += 1;
                        assert!(
                            matches!(e.kind(), ErrorKind::OutOfRange { .. }),
                            "seed {seed} step {step}: {e}"
                        );
                        assert_eq!(s, before, "seed {seed} step {step}: a refused edit changed");
                        continue;
                    }
                    Ok(inverse) => {
                        if matches!(inverse, Edit::RestoreLine { .. }) {
                            restored_lines += 1;
                        }
                        // The inverse restores exactly, and the inverse of the inverse redoes.
                        let mut t = s.clone();
                        let redo = apply(&mut t, inverse).unwrap();
                        assert_eq!(t, before, "seed {seed} step {step}: {edit:?}");
                        apply(&mut t, redo).unwrap();
                        assert_eq!(t, s, "seed {seed} step {step}: redo of {edit:?}");
                    }
                }
                // Ranges keep covering the same lines: an insert may join one, a delete leaves.
                let (was, now) = (covered_rows(&before), covered_rows(&s));
                match &edit {
                    Edit::InsertLine { line, .. } => {
                        for (w, n) in was.iter().zip(&now) {
                            let (Some(w), Some(n)) = (w, n) else { continue };
                            let without: Vec<usize> =
                                n.iter().copied().filter(|r| *r != line.row).collect();
                            assert_eq!(&without, w, "seed {seed} step {step}");
                        }
                    }
                    Edit::DeleteLine { at } => {
                        let gone = before.lines[*at].row;
                        for (w, n) in was.iter().zip(&now) {
                            let (Some(w), Some(n)) = (w, n) else { continue };
                            let without: Vec<usize> =
                                w.iter().copied().filter(|r| *r != gone).collect();
                            assert_eq!(n, &without, "seed {seed} step {step}");
                        }
                    }
                    Edit::Replace { .. } => {}
                    _ => assert_eq!(was, now),
                }
                // Performed again through a history, from the same state.
                let mut h = before.clone();
                history.perform(&mut h, edit).unwrap();
                assert_eq!(h, s);
                canonical::validate(&s).unwrap();
                let _ = calculate(&s);
            }
            let edited = s.clone();
            let mut undone = 0;
            while history.undo(&mut s) {
                undone += 1;
            }
            assert_eq!(undone, history.redo_len());
            assert!(!history.can_undo());
            assert_eq!(s, original, "seed {seed}: undo all");
            while history.redo(&mut s) {}
            assert_eq!(s, edited, "seed {seed}: redo all");
            assert!(!history.can_redo());
        }
        // The generator reaches the refusals and the boundary deletes it means to.
        assert!(refused > 50, "{refused}");
        assert!(restored_lines > 0);
    }

    #[test]
    fn a_new_edit_clears_redo() {
        let mut s = demo();
        let mut h = History::new(10);
        let set = |v: &str| Edit::SetAmount {
            line: 0,
            year: 0,
            value: fig(v),
        };
        h.perform(&mut s, set("1.0")).unwrap();
        h.perform(&mut s, set("2.0")).unwrap();
        assert!(h.undo(&mut s));
        assert_eq!(s.lines[0].amounts[0], fig("1.0"));
        assert!(h.can_redo());
        h.perform(&mut s, set("3.0")).unwrap();
        assert!(!h.can_redo());
        assert!(!h.redo(&mut s));
        assert_eq!(s.lines[0].amounts[0], fig("3.0"));
        assert_eq!(h.len(), 2);
        assert!(h.undo(&mut s));
        assert_eq!(s.lines[0].amounts[0], fig("1.0"));
        assert!(h.undo(&mut s));
        assert_eq!(s, demo());
        assert!(!h.undo(&mut s));
    }

    #[test]
    fn a_refused_edit_leaves_the_history_alone() {
        let mut s = demo();
        let mut h = History::new(10);
        h.perform(
            &mut s,
            Edit::SetMemo {
                line: 3,
                memo: true,
            },
        )
        .unwrap();
        h.undo(&mut s);
        let e = h.perform(
            &mut s,
            Edit::SetMemo {
                line: 99,
                memo: true,
            },
        );
        assert!(e.is_err());
        assert_eq!(h.len(), 0);
        assert!(h.can_redo(), "a refused edit does not clear redo");
    }

    #[test]
    fn an_undo_that_no_longer_fits_clears_the_history() {
        let mut s = demo();
        let mut h = History::new(10);
        h.perform(
            &mut s,
            Edit::SetMemo {
                line: 63,
                memo: true,
            },
        )
        .unwrap();
        // The schedule changes behind the history's back: line 63 is gone.
        s.lines.truncate(10);
        let before = s.clone();
        assert!(!h.undo(&mut s));
        assert_eq!(s, before);
        assert!(!h.can_undo() && !h.can_redo());
    }

    #[test]
    fn the_oldest_edits_are_dropped_at_the_limit() {
        let mut s = demo();
        let mut h = History::new(3);
        let mut states = vec![s.clone()];
        for i in 0..5 {
            let value = fig(&format!("{i}.5"));
            h.perform(
                &mut s,
                Edit::SetAmount {
                    line: i,
                    year: 1,
                    value,
                },
            )
            .unwrap();
            states.push(s.clone());
        }
        assert_eq!(h.len(), 3);
        for back in (2..5).rev() {
            assert!(h.undo(&mut s));
            assert_eq!(s, states[back]);
        }
        assert!(!h.undo(&mut s));
        assert_eq!(s, states[2], "the first two edits can no longer be undone");
        assert_eq!(h.redo_len(), 3);
        while h.redo(&mut s) {}
        assert_eq!(s, states[5]);

        let mut none = History::new(0);
        none.perform(
            &mut s,
            Edit::SetMemo {
                line: 0,
                memo: true,
            },
        )
        .unwrap();
        assert!(s.lines[0].memo);
        assert!(!none.can_undo());
    }

    #[test]
    fn out_of_range_is_refused_and_changes_nothing() {
        let original = demo();
        let (lines, years) = (original.lines.len(), original.years.len());
        let mut wrong_shape = original.lines[0].clone();
        wrong_shape.amounts.pop();
        let mut no_section = original.lines[0].clone();
        no_section.section = Some(original.sections.len());
        let edits = [
            Edit::SetAmount {
                line: lines,
                year: 0,
                value: Amount::Blank,
            },
            Edit::SetAmount {
                line: 0,
                year: years,
                value: Amount::Blank,
            },
            Edit::SetCells {
                cells: vec![(0, 0, fig("1")), (1, 1, fig("2")), (lines + 5, 0, fig("3"))],
            },
            Edit::SetRecurrence {
                line: usize::MAX,
                recurrence: Recurrence::OneOff,
            },
            Edit::SetMemo {
                line: lines,
                memo: true,
            },
            Edit::SetText {
                line: 0,
                column: original.text_columns.len(),
                text: "x".into(),
            },
            Edit::InsertLine {
                at: lines + 1,
                line: original.lines[0].clone(),
            },
            Edit::InsertLine {
                at: 0,
                line: wrong_shape,
            },
            Edit::InsertLine {
                at: 0,
                line: no_section,
            },
            Edit::DeleteLine { at: lines },
            Edit::RestoreLine {
                at: 0,
                line: original.lines[0].clone(),
                scopes: Vec::new(),
            },
        ];
        for edit in edits {
            let mut s = original.clone();
            let e = apply(&mut s, edit.clone()).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::OutOfRange { .. }),
                "{edit:?}: {e}"
            );
            assert_eq!(s, original, "{edit:?}");
        }
        let mut s = original.clone();
        let e = apply(
            &mut s,
            Edit::SetAmount {
                line: 0,
                year: 0,
                value: fig("1000000000000000001"),
            },
        )
        .unwrap_err();
        assert!(matches!(
            e.kind(),
            ErrorKind::Amount {
                reason: NumberError::TooLarge,
                ..
            }
        ));
        let e = apply(
            &mut s,
            Edit::SetMemo {
                line: 64,
                memo: true,
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 64 does not exist: the schedule has 64 lines (numbered from 0)"
        );
        let mut broken = original.clone();
        broken.lines[3].amounts.push(Amount::Blank);
        let e = apply(
            &mut s,
            Edit::Replace {
                schedule: Box::new(broken),
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("5 amounts for 4 years"), "{e}");
        assert_eq!(s, original);
    }

    #[test]
    fn duplicating_a_line() {
        let mut s = demo();
        let next = s.next_row();
        assert_eq!(next, 77, "the demo's last row is its grand total, row 76");
        let edit = duplicate_line(&s, 5).unwrap();
        let Edit::InsertLine { at, line } = &edit else {
            panic!("{edit:?}")
        };
        assert_eq!(*at, 6);
        assert_eq!(line.row, 77);
        assert_eq!(
            Line {
                row: s.lines[5].row,
                ..line.clone()
            },
            s.lines[5]
        );
        let before = s.clone();
        let undo = apply(&mut s, edit).unwrap();
        assert_eq!(undo, Edit::DeleteLine { at: 6 });
        assert_eq!(s.lines.len(), 65);
        assert_eq!(s.lines[6].row, 77);
        assert_eq!(s.lines[7], before.lines[6]);
        assert_eq!(s.next_row(), 78);
        // The copy joins its original's section, so the section subtotal counts it twice.
        let section = s.lines[5].section.unwrap();
        assert_eq!(
            s.lines_in_section(Some(section)).count(),
            before.lines_in_section(Some(section)).count() + 1
        );
        assert_eq!(duplicate_line(&s, 65), None);
        let empty = Schedule {
            lines: Vec::new(),
            sections: Vec::new(),
            total_rows: Vec::new(),
            ..s
        };
        assert_eq!(empty.next_row(), 1);
    }

    #[test]
    fn a_paste_naming_a_cell_twice_undoes_to_the_first_value() {
        let mut s = demo();
        let was = s.lines[2].amounts[1].clone();
        let undo = apply(
            &mut s,
            Edit::SetCells {
                cells: vec![(2, 1, fig("1")), (3, 1, fig("7")), (2, 1, fig("2"))],
            },
        )
        .unwrap();
        assert_eq!(s.lines[2].amounts[1], fig("2"));
        apply(&mut s, undo).unwrap();
        assert_eq!(s.lines[2].amounts[1], was);
        assert_eq!(s, demo());
    }

    /// Since-scopes as import makes them: line A, a total, then B and C under two headings and a
    /// total of "the lines since the previous total", which spans both sections.
    const SINCE: &str = "Project,2017/18\nA,1\nTotal,1\nSec X,\nB,2\nSec Y,\nC,3\nTotal,5\n";

    fn since(s: &Schedule) -> TotalScope {
        s.total_rows[1].scope.clone()
    }

    fn range(first_line: usize, end_line: usize) -> TotalScope {
        TotalScope::Since {
            first_line,
            end_line,
        }
    }

    #[test]
    fn since_scopes_follow_their_lines() {
        let original = load(SINCE.as_bytes());
        assert_eq!(original.total_rows[0].scope, range(0, 1));
        assert_eq!(since(&original), range(1, 3));
        let total = |s: &Schedule| {
            let t = crate::engine::totals(s);
            scope_totals(s, &t, &s.total_rows[1].scope).total.value
        };
        assert_eq!(total(&original), Decimal::from(5));

        // A duplicate of B joins the range, and counts.
        let mut s = original.clone();
        let dup = duplicate_line(&s, 1).unwrap();
        apply(&mut s, dup).unwrap();
        assert_eq!(since(&s), range(1, 4));
        assert_eq!(total(&s), Decimal::from(7));
        // So does one under C, the range's last line.
        let mut s = original.clone();
        let dup = duplicate_line(&s, 2).unwrap();
        apply(&mut s, dup).unwrap();
        assert_eq!(since(&s), range(1, 4));
        // A duplicate of A goes above B: the range moves down and keeps B and C only.
        let mut s = original.clone();
        let dup = duplicate_line(&s, 0).unwrap();
        apply(&mut s, dup).unwrap();
        assert_eq!(since(&s), range(2, 4));
        assert_eq!(total(&s), Decimal::from(5));
        // So does one put in at the very top.
        let mut s = original.clone();
        let mut new = s.lines[0].clone();
        new.row = s.next_row();
        apply(&mut s, Edit::InsertLine { at: 0, line: new }).unwrap();
        assert_eq!(since(&s), range(2, 4));
        assert_eq!(total(&s), Decimal::from(5));

        // Deleting A moves the range up; deleting B or C shrinks it.
        let mut s = original.clone();
        let undo = apply(&mut s, Edit::DeleteLine { at: 0 }).unwrap();
        assert_eq!(since(&s), range(0, 2));
        assert_eq!(total(&s), Decimal::from(5));
        // A is the whole range of the first total (`Total,1` adds the line above it only), so
        // its undo restores that scope too.
        assert!(matches!(undo, Edit::RestoreLine { at: 0, .. }), "{undo:?}");
        apply(&mut s, undo).unwrap();
        assert_eq!(s, original);

        let mut s = original.clone();
        let undo = apply(&mut s, Edit::DeleteLine { at: 2 }).unwrap();
        assert_eq!(since(&s), range(1, 2));
        assert_eq!(total(&s), Decimal::from(2));
        apply(&mut s, undo).unwrap();
        assert_eq!(s, original);

        // B, the range's first line: put back by a plain insert it would land above the range,
        // so its undo restores the scopes as well.
        let mut s = original.clone();
        let undo = apply(&mut s, Edit::DeleteLine { at: 1 }).unwrap();
        assert_eq!(since(&s), range(1, 2));
        assert!(matches!(undo, Edit::RestoreLine { at: 1, .. }), "{undo:?}");
        let redo = apply(&mut s, undo).unwrap();
        assert_eq!(s, original);
        assert_eq!(redo, Edit::DeleteLine { at: 1 });

        // A restore whose scopes do not fit the schedule is refused.
        let mut s = original.clone();
        let e = apply(
            &mut s,
            Edit::RestoreLine {
                at: 1,
                line: original.lines[1].clone(),
                scopes: vec![TotalScope::All, range(0, 1)],
            },
        )
        .unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::OutOfRange { .. }));
        assert_eq!(s, original);
    }

    #[test]
    fn memo_recurrence_rag_and_text_edits() {
        let mut s = demo();
        let mut h = History::new(10);
        h.perform(
            &mut s,
            Edit::SetMemo {
                line: 4,
                memo: true,
            },
        )
        .unwrap();
        h.perform(
            &mut s,
            Edit::SetRecurrence {
                line: 4,
                recurrence: Recurrence::OneOff,
            },
        )
        .unwrap();
        h.perform(
            &mut s,
            Edit::SetRag {
                line: 4,
                rag: Some(Rag::Red),
            },
        )
        .unwrap();
        h.perform(
            &mut s,
            Edit::SetText {
                line: 4,
                column: 1,
                text: "Renamed".into(),
            },
        )
        .unwrap();
        assert!(s.lines[4].memo);
        assert_eq!(s.lines[4].recurrence, Recurrence::OneOff);
        assert_eq!(s.lines[4].rag, Some(Rag::Red));
        assert_eq!(s.line_label(&s.lines[4]), "Renamed");
        while h.undo(&mut s) {}
        assert_eq!(s, demo());
    }

    #[test]
    fn refusals_carry_their_kinds_and_fields() {
        let mut s = demo();
        let (lines, years) = (s.lines.len(), s.years.len());
        let texts = s.lines[0].text.len();
        let kind = |s: &mut Schedule, edit: Edit| apply(s, edit).unwrap_err().kind().clone();
        assert_eq!(
            kind(
                &mut s,
                Edit::SetAmount {
                    line: 0,
                    year: years,
                    value: Amount::Blank,
                }
            ),
            ErrorKind::OutOfRange(RangeProblem::NoYear { year: years, years })
        );
        assert_eq!(
            kind(
                &mut s,
                Edit::SetText {
                    line: 1,
                    column: texts,
                    text: String::new(),
                }
            ),
            ErrorKind::OutOfRange(RangeProblem::NoTextColumn {
                column: texts,
                line: 1,
                texts
            })
        );
        assert_eq!(
            kind(&mut s, Edit::DeleteLine { at: lines }),
            ErrorKind::OutOfRange(RangeProblem::NoLine { line: lines, lines })
        );
        let mut short = s.lines[0].clone();
        short.amounts.pop();
        let e = apply(&mut s, Edit::InsertLine { at: 0, line: short }).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::OutOfRange(RangeProblem::NewLine(
                crate::engine::model::document::RowProblem::Amounts {
                    amounts: years - 1,
                    years
                }
            ))
        );
        assert_eq!(
            e.to_string(),
            format!("the line has {} amounts for {years} years", years - 1)
        );
        assert_eq!(s, demo());
    }
}
