//! Checks: every published total is a claim, and here each one is judged.
//!
//! This module owns the rule of docs/domain.md "Checks and rounding": a published figure equal to the
//! computed one is **ok**; one that differs by no more than the rounding the summed cells and the
//! published figure can hide (half a unit of the last place each is shown to, "Rounding,
//! precisely": a `-` in a table of three places hides 0.0005, never half a whole unit, because
//! every figure read carries the places its table shows it to, `model::shown`) is a
//! **rounding** difference; anything larger is an **error**. Where a summed cell has no figure (`N/A`, `TBC`, unreadable) the claim cannot
//! be checked and is **incomplete**, never judged as if the cell were zero. A blank or no-figure
//! cell in a total row makes no claim and is not checked.
//!
//! Checked are: each line's published total against the sum of its years, and each published
//! subtotal/total row, year by year and in its total column, against the lines its scope
//! covers (see `TotalScope`).

use rust_decimal::Decimal;

use super::totals::{scope_totals, Totals};
use crate::engine::model::number::{half_unit, Amount};
use crate::engine::model::schedule::{Schedule, TotalScope};
use crate::engine::model::sum::Sum;

/// The verdict on one published figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CheckStatus {
    Ok,
    Rounding,
    /// A total row whose difference one error elsewhere explains: a grand total that equals the
    /// wrong subtotals it restates, or a total row over a line whose year figure is wrong (the
    /// line's own total says so). It repeats that error, which is counted once, where it is
    /// ([`Check::carries`]).
    Carried,
    Incomplete,
    Error,
}

impl CheckStatus {
    pub fn label(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Rounding => "rounding",
            CheckStatus::Carried => "carried",
            CheckStatus::Incomplete => "incomplete",
            CheckStatus::Error => "error",
        }
    }
}

/// What a check is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject {
    /// The published total of line `line` (index into `Schedule::lines`).
    LineTotal { line: usize },
    /// A published total row (index into `Schedule::total_rows`).
    TotalRow { index: usize },
    /// A published net line (index into `Schedule::lines`) checked against the net computed
    /// from its proposal's investment and gross saving lines (see `netting`).
    NetLine { line: usize },
    /// A result row of a funding gap model (index into `GapModel::results`) checked against the
    /// gap computed from the model's rows (see `gap`).
    GapResult { index: usize },
}

/// Which column of the row a check is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CheckColumn {
    Year(usize),
    Total,
}

/// One published figure, judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub subject: Subject,
    /// The file row of the published figure.
    pub row: usize,
    /// The line's or row's label.
    pub label: String,
    pub column: CheckColumn,
    /// The column header as published.
    pub column_header: String,
    pub published: Decimal,
    pub computed: Decimal,
    /// Published minus computed.
    pub difference: Decimal,
    /// The rounding the summed figures and the published one can hide ([`tolerance`]).
    pub tolerance: Decimal,
    /// Summed cells with no figure.
    pub missing: usize,
    pub status: CheckStatus,
    /// For a [`CheckStatus::Carried`] figure: the file rows whose errors it repeats (the
    /// subtotals it restates, or the line whose figure is wrong); empty otherwise.
    pub carries: Vec<usize>,
}

/// How many subjects (lines or total rows) ended in each status; a subject's status is the
/// worst of its cells'.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub ok: usize,
    pub rounding: usize,
    pub incomplete: usize,
    pub error: usize,
    /// Totals that only repeat another row's error ([`CheckStatus::Carried`]).
    pub carried: usize,
}

impl StatusCounts {
    pub fn total(&self) -> usize {
        self.ok + self.rounding + self.incomplete + self.error + self.carried
    }

    /// Counts statuses, one per subject: the worst status of each subject's checks, for
    /// subjects judged outside a [`CheckReport`] (the nets of proposals).
    ///
    /// ```
    /// use gapwise::engine::{CheckStatus, StatusCounts};
    /// let c = StatusCounts::tally([CheckStatus::Ok, CheckStatus::Error, CheckStatus::Ok]);
    /// assert_eq!((c.ok, c.error, c.total()), (2, 1, 3));
    /// ```
    pub fn tally(statuses: impl IntoIterator<Item = CheckStatus>) -> StatusCounts {
        let mut counts = StatusCounts::default();
        for status in statuses {
            counts.count(status);
        }
        counts
    }

    fn count(&mut self, status: CheckStatus) {
        match status {
            CheckStatus::Ok => self.ok += 1,
            CheckStatus::Rounding => self.rounding += 1,
            CheckStatus::Carried => self.carried += 1,
            CheckStatus::Incomplete => self.incomplete += 1,
            CheckStatus::Error => self.error += 1,
        }
    }

    fn uncount(&mut self, status: CheckStatus) {
        match status {
            CheckStatus::Ok => self.ok -= 1,
            CheckStatus::Rounding => self.rounding -= 1,
            CheckStatus::Carried => self.carried -= 1,
            CheckStatus::Incomplete => self.incomplete -= 1,
            CheckStatus::Error => self.error -= 1,
        }
    }
}

/// Every check of a schedule, with counts and each subject's worst status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckReport {
    pub checks: Vec<Check>,
    /// Lines with a published total, by worst status.
    pub line_totals: StatusCounts,
    /// Published subtotal/total rows, by worst status.
    pub total_rows: StatusCounts,
    /// Per line, the worst status of its checks, `None` if it has none.
    pub line_status: Vec<Option<CheckStatus>>,
    /// Per total row, the worst status of its checks, `None` if it claims nothing.
    pub total_row_status: Vec<Option<CheckStatus>>,
}

impl CheckReport {
    /// The checks that are not ok, worst first, then in file order.
    pub fn problems(&self) -> Vec<&Check> {
        let mut v: Vec<&Check> = self
            .checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .collect();
        v.sort_by(|a, b| b.status.cmp(&a.status).then(a.row.cmp(&b.row)));
        v
    }
}

/// The rounding a published figure and the sum it claims can hide together: the half units of
/// the summed figures ([`Sum::tolerance`]) plus the published figure's own half unit at the
/// places it is shown to (docs/domain.md, "Rounding, precisely", rule 3). Figures read from a
/// file carry the places their table shows them to (`model::shown`).
pub fn tolerance(published: Decimal, computed: &Sum) -> Decimal {
    computed.tolerance + half_unit(published)
}

/// Judges one published figure against a computed sum (docs/domain.md "Checks and rounding",
/// "Rounding, precisely"): exact is ok; within [`tolerance`] (the terms' half units and the
/// published figure's own) rounding; outside it an error.
///
/// ```
/// use gapwise::engine::{classify, CheckStatus, Sum};
/// use rust_decimal::Decimal;
/// // Foster Carer investment: five cells of three decimals sum to 7.358, published 7.359;
/// // the five terms and the total hide 6 × 0.0005 = 0.003.
/// let sum = Sum { value: Decimal::new(7358, 3), figures: 5, missing: 0,
///                 tolerance: Decimal::new(25, 4) };
/// assert_eq!(classify(Decimal::new(7359, 3), &sum), CheckStatus::Rounding);
/// assert_eq!(classify(Decimal::new(7361, 3), &sum), CheckStatus::Rounding);
/// assert_eq!(classify(Decimal::new(7362, 3), &sum), CheckStatus::Error);
/// ```
pub fn classify(published: Decimal, computed: &Sum) -> CheckStatus {
    if !computed.is_complete() {
        return CheckStatus::Incomplete;
    }
    let diff = (published - computed.value).abs();
    if diff.is_zero() {
        CheckStatus::Ok
    } else if diff <= tolerance(published, computed) {
        CheckStatus::Rounding
    } else {
        CheckStatus::Error
    }
}

/// Judges one published cell against a computed sum; `None` when the cell makes no claim (blank
/// or no figure).
pub(crate) fn judge(
    subject: Subject,
    row: usize,
    label: &str,
    column: CheckColumn,
    column_header: &str,
    published: &Amount,
    computed: &Sum,
) -> Option<Check> {
    let Amount::Figure(p) = published else {
        return None;
    };
    let status = classify(*p, computed);
    Some(Check {
        subject,
        row,
        label: label.to_string(),
        column,
        column_header: column_header.to_string(),
        published: *p,
        computed: computed.value,
        difference: *p - computed.value,
        tolerance: tolerance(*p, computed),
        missing: computed.missing,
        status,
        carries: Vec::new(),
    })
}

/// Checks every published total of a schedule against its computed totals.
pub fn check(schedule: &Schedule, totals: &Totals) -> CheckReport {
    let mut checks = Vec::new();
    let mut line_totals = StatusCounts::default();
    let mut line_status = vec![None; schedule.lines.len()];
    for (i, status) in line_status.iter_mut().enumerate() {
        if let Some(c) = line_check(schedule, totals, i) {
            line_totals.count(c.status);
            *status = Some(c.status);
            checks.push(c);
        }
    }
    let (rows, total_rows, total_row_status) = total_row_checks(schedule, totals, &checks);
    checks.extend(rows);
    CheckReport {
        checks,
        line_totals,
        total_rows,
        line_status,
        total_row_status,
    }
}

/// The check of line `i`'s published total, if it has one.
fn line_check(schedule: &Schedule, totals: &Totals, i: usize) -> Option<Check> {
    let line = &schedule.lines[i];
    let total = line.total.as_ref()?;
    judge(
        Subject::LineTotal { line: i },
        line.row,
        &schedule.line_label(line),
        CheckColumn::Total,
        schedule.total_header.as_deref().unwrap_or("Total"),
        total,
        &totals.lines[i],
    )
}

/// The total rows' checks, judged, with their counts and each row's worst status; a total row
/// that only repeats the error of a line's figure (`line_checks`) or of the subtotals it
/// restates is marked carried ([`mark_line_cells`], [`mark_carried`]).
fn total_row_checks(
    schedule: &Schedule,
    totals: &Totals,
    line_checks: &[Check],
) -> (Vec<Check>, StatusCounts, Vec<Option<CheckStatus>>) {
    let total_header = schedule.total_header.as_deref().unwrap_or("Total");
    let mut checks = Vec::new();
    let mut total_rows = StatusCounts::default();
    let mut total_row_status = vec![None; schedule.total_rows.len()];
    for (index, row) in schedule.total_rows.iter().enumerate() {
        let sums = scope_totals(schedule, totals, &row.scope);
        let subject = Subject::TotalRow { index };
        let year_checks =
            row.amounts
                .iter()
                .zip(&sums.years)
                .enumerate()
                .filter_map(|(y, (a, s))| {
                    judge(
                        subject,
                        row.row,
                        &row.label,
                        CheckColumn::Year(y),
                        &schedule.years[y].header,
                        a,
                        s,
                    )
                });
        let total_check = row.total.as_ref().and_then(|a| {
            judge(
                subject,
                row.row,
                &row.label,
                CheckColumn::Total,
                total_header,
                a,
                &sums.total,
            )
        });
        checks.extend(year_checks.chain(total_check));
    }
    mark_line_cells(schedule, line_checks, &mut checks);
    let is_grand = |c: &Check| {
        matches!(c.subject, Subject::TotalRow { index }
            if schedule.total_rows[index].scope == TotalScope::All)
    };
    if checks
        .iter()
        .any(|c| c.status == CheckStatus::Error && is_grand(c))
    {
        mark_carried(schedule, &mut checks);
    }
    for c in &checks {
        if let Subject::TotalRow { index } = c.subject {
            let worst = &mut total_row_status[index];
            *worst = (*worst).max(Some(c.status));
        }
    }
    for worst in total_row_status.iter().flatten() {
        total_rows.count(*worst);
    }
    (checks, total_rows, total_row_status)
}

/// The most line errors times total-row checks [`mark_line_cells`] compares: beyond, a file is
/// so full of errors that each is left to speak for itself.
const MOST_COMPARED: usize = 4_000_000;

/// Marks as [`CheckStatus::Carried`] each error of a total row that one wrong figure of a line
/// explains: the line's year figure that is off by `e` makes its own published total differ
/// from its years by `−e`, and every total row over it differ by `−e` in that year and in its
/// total column. When exactly one line in the row's scope has a line-total error equal to the
/// row's difference (within the row's rounding), the row repeats that line's error, which is
/// counted once, at the line (docs/domain.md, "Checks and rounding").
fn mark_line_cells(schedule: &Schedule, line_checks: &[Check], rows: &mut [Check]) {
    // Runs on every edit: the line checks are gone through only when a total row is wrong.
    let wrong = rows
        .iter()
        .filter(|c| c.status == CheckStatus::Error)
        .count();
    if wrong == 0 {
        return;
    }
    let errors: Vec<(usize, &Check)> = line_checks
        .iter()
        .filter(|c| c.status == CheckStatus::Error)
        .filter_map(|c| match c.subject {
            Subject::LineTotal { line } => Some((line, c)),
            _ => None,
        })
        .collect();
    if errors.is_empty() || errors.len().saturating_mul(wrong) > MOST_COMPARED {
        return;
    }
    for row in rows.iter_mut().filter(|c| c.status == CheckStatus::Error) {
        let Subject::TotalRow { index } = row.subject else {
            continue;
        };
        let scope = &schedule.total_rows[index].scope;
        let mut explaining = errors.iter().filter(|(i, line)| {
            schedule.covers(scope, *i) && (row.difference - line.difference).abs() <= row.tolerance
        });
        if let (Some((_, line)), None) = (explaining.next(), explaining.next()) {
            row.status = CheckStatus::Carried;
            row.carries = vec![line.row];
        }
    }
}

/// The subtotal rows a grand total can restate, in families whose rows cover no line twice:
/// the section subtotals, the runs of lines between total rows, the totals by measure.
fn subtotal_families(schedule: &Schedule) -> [Vec<usize>; 3] {
    let mut families: [Vec<usize>; 3] = Default::default();
    let mut seen = std::collections::HashSet::new();
    for (index, row) in schedule.total_rows.iter().enumerate() {
        let family = match row.scope {
            TotalScope::Section(_) => 0,
            TotalScope::Since { .. } => 1,
            TotalScope::Measure(_) => 2,
            TotalScope::All | TotalScope::AllButBase => continue,
        };
        // A subtotal printed twice restates the same lines: counted once.
        if seen.insert(&row.scope) {
            families[family].push(index);
        }
    }
    families
}

/// Marks as [`CheckStatus::Carried`] each error of a grand total (a total row of every line)
/// that its published subtotals explain: the grand total minus the sum of its lines equals,
/// within the rounding of every figure involved, the subtotals' own published-minus-computed
/// differences in that column. Such a total equals the subtotals it restates; the error is the
/// subtotal's, and counting it again at the total would be a false second alarm (docs/domain.md,
/// "Checks and rounding"). `checks` are the total rows' checks, judged.
fn mark_carried(schedule: &Schedule, checks: &mut [Check]) {
    let families = subtotal_families(schedule);
    let mut family_of = vec![None; schedule.total_rows.len()];
    for (f, family) in families.iter().enumerate() {
        for &index in family {
            family_of[index] = Some(f);
        }
    }
    // Per family and column: the subtotals' differences, their rounding, the rows in error.
    type Carry = (Decimal, Decimal, Vec<usize>);
    let mut carry: std::collections::HashMap<(usize, CheckColumn), Carry> =
        std::collections::HashMap::new();
    for c in checks.iter() {
        let Subject::TotalRow { index } = c.subject else {
            continue;
        };
        let Some(f) = family_of[index] else {
            continue;
        };
        if c.status == CheckStatus::Incomplete {
            continue;
        }
        let entry = carry.entry((f, c.column)).or_default();
        entry.0 += c.difference;
        entry.1 += half_unit(c.published);
        if c.status == CheckStatus::Error {
            entry.2.push(c.row);
        }
    }
    for check in checks.iter_mut() {
        let Subject::TotalRow { index } = check.subject else {
            continue;
        };
        if check.status != CheckStatus::Error || schedule.total_rows[index].scope != TotalScope::All
        {
            continue;
        }
        for f in 0..families.len() {
            let Some((carried, slack, rows)) = carry.get(&(f, check.column)) else {
                continue;
            };
            if !rows.is_empty() && (check.difference - carried).abs() <= check.tolerance + slack {
                check.status = CheckStatus::Carried;
                check.carries = rows.clone();
                break;
            }
        }
    }
}

/// Updates a report after the amounts of the lines `changed` changed (and `totals` with them),
/// in place of checking everything again: those lines' checks, and every total row's (a total
/// row can cover any line; there are few of them). Gives the same report as [`check`]. Line
/// checks come first in the report, by line, then total rows' checks, as [`check`] orders them.
pub(crate) fn update_checks(
    report: &mut CheckReport,
    schedule: &Schedule,
    totals: &Totals,
    changed: &[usize],
) {
    for &i in changed {
        let new = line_check(schedule, totals, i);
        if let Some(old) = report.line_status[i] {
            report.line_totals.uncount(old);
        }
        report.line_status[i] = new.as_ref().map(|c| c.status);
        if let Some(c) = &new {
            report.line_totals.count(c.status);
        }
        let at = report
            .checks
            .partition_point(|c| matches!(c.subject, Subject::LineTotal { line } if line < i));
        let present = report
            .checks
            .get(at)
            .is_some_and(|c| c.subject == Subject::LineTotal { line: i });
        match (present, new) {
            (true, Some(c)) => report.checks[at] = c,
            (true, None) => {
                report.checks.remove(at);
            }
            (false, Some(c)) => report.checks.insert(at, c),
            (false, None) => {}
        }
    }
    let first_row = report
        .checks
        .partition_point(|c| matches!(c.subject, Subject::LineTotal { .. }));
    report.checks.truncate(first_row);
    let (rows, counts, status) = total_row_checks(schedule, totals, &report.checks);
    report.checks.extend(rows);
    report.total_rows = counts;
    report.total_row_status = status;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::totals::totals;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use std::str::FromStr;

    fn report(csv: &str) -> CheckReport {
        let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        check(&s, &totals(&s))
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn ok_rounding_error_incomplete() {
        let r = report(
            "Project,2017/18,2018/19,Total\nA,1.276,1.718,2.994\nB,0.001,0.002,0.004\n\
             C,1.0,1.0,2.5\nD,N/A,1.0,1.0\nTotal,1.277,N/A,\n",
        );
        let status: Vec<_> = r.line_status.iter().map(|s| s.unwrap()).collect();
        assert_eq!(
            status,
            [
                CheckStatus::Ok,
                CheckStatus::Rounding,
                CheckStatus::Error,
                CheckStatus::Incomplete
            ]
        );
        assert_eq!(r.line_totals.total(), 4);
        // The total row claims only 2017/18 (N/A and blank are no claim), which is incomplete.
        assert_eq!(r.total_row_status, [Some(CheckStatus::Incomplete)]);
        let err = r.problems()[0];
        assert_eq!(err.status, CheckStatus::Error);
        assert_eq!(err.row, 4);
        assert_eq!(err.published, d("2.5"));
        assert_eq!(err.computed, d("2.0"));
        assert_eq!(err.difference, d("0.5"));
    }

    #[test]
    fn tolerance_is_half_a_unit_per_summed_cell() {
        // Two cells of one decimal and the published figure of one decimal can hide 0.15
        // between them; 0.1 is rounding, 0.2 is not (nor 0.11 published to two places, whose
        // own half unit is 0.005: 0.105).
        let sum = Sum {
            value: d("3.0"),
            figures: 2,
            missing: 0,
            tolerance: d("0.10"),
        };
        assert_eq!(classify(d("3.1"), &sum), CheckStatus::Rounding);
        assert_eq!(classify(d("2.9"), &sum), CheckStatus::Rounding);
        assert_eq!(classify(d("3.2"), &sum), CheckStatus::Error);
        assert_eq!(classify(d("3.11"), &sum), CheckStatus::Error);
        assert_eq!(classify(d("3.00"), &sum), CheckStatus::Ok);
        assert_eq!(tolerance(d("3.1"), &sum), d("0.15"));
    }

    #[test]
    fn section_subtotals_are_checked_per_year_and_total() {
        let r = report(
            "Project,2017/18,2018/19,Total\nFirst,,,\nA,1,2,3\nB,3,4,7\nTotal first,4,6,10\n\
             Second,,,\nC,5,5,10\nTotal second,5,7,10\nTotal,9,11,20\n",
        );
        // Total second's 7 against 5: one term and the total hide 0.5 each, so 2 is an error
        // (a difference of 1 would be rounding in whole units).
        assert_eq!(r.total_row_status[0], Some(CheckStatus::Ok));
        assert_eq!(r.total_row_status[1], Some(CheckStatus::Error));
        // The grand total restates every line: 9, 11 and 20.
        assert_eq!(r.total_row_status[2], Some(CheckStatus::Ok));
        assert_eq!(r.total_rows.ok, 2);
        assert_eq!(r.total_rows.error, 1);
        let bad: Vec<_> = r.problems().into_iter().map(|c| c.column).collect();
        assert_eq!(bad, [CheckColumn::Year(1)]);
    }

    #[test]
    fn statuses_are_tallied_one_each() {
        let c = StatusCounts::tally([
            CheckStatus::Rounding,
            CheckStatus::Incomplete,
            CheckStatus::Error,
            CheckStatus::Error,
        ]);
        assert_eq!(
            c,
            StatusCounts {
                ok: 0,
                rounding: 1,
                incomplete: 1,
                error: 2,
                carried: 0
            }
        );
        assert_eq!(StatusCounts::tally([]), StatusCounts::default());
    }

    /// Two sections with subtotals and a grand total, in tenths; `sub_a`, `sub_c` and `grand`
    /// are the published year-1 figures (the lines give 15.0, 5.0 and 20.0).
    fn sections(sub_a: &str, sub_c: &str, grand: &str, grand_first: bool) -> String {
        let grand_row = format!("Grand total,{grand},31.0\n");
        format!(
            "Proposal,2024/25,2025/26\n{}Adults,,\nA1,10.0,20.0\nA2,5.0,5.0\n\
             Total Adults,{sub_a},25.0\nChildren,,\nC1,1.0,2.0\nC2,4.0,4.0\n\
             Total Children,{sub_c},6.0\n{}",
            if grand_first { grand_row.as_str() } else { "" },
            if grand_first { "" } else { grand_row.as_str() },
        )
    }

    fn grand_check(r: &CheckReport) -> &Check {
        r.checks
            .iter()
            .find(|c| c.label == "Grand total" && c.column == CheckColumn::Year(0))
            .unwrap()
    }

    #[test]
    fn a_grand_total_restating_a_wrong_subtotal_carries_its_error_once() {
        let r = report(&sections("16.0", "5.0", "21.0", false));
        assert_eq!(
            r.total_row_status,
            [
                Some(CheckStatus::Error),
                Some(CheckStatus::Ok),
                Some(CheckStatus::Carried)
            ]
        );
        let g = grand_check(&r);
        assert_eq!((g.difference, g.carries.clone()), (d("1.0"), vec![5]));
        assert_eq!((r.total_rows.error, r.total_rows.carried), (1, 1));
    }

    #[test]
    fn a_grand_total_carries_the_errors_of_every_subtotal_it_restates() {
        // 16.0 + 7.0 = 23.0 against lines of 20.0: both subtotals' errors, at the top too.
        let r = report(&sections("16.0", "7.0", "23.0", true));
        let g = grand_check(&r);
        assert_eq!(g.status, CheckStatus::Carried);
        assert_eq!(g.carries, vec![6, 10]);
        assert_eq!(r.total_rows.error, 2);
    }

    #[test]
    fn a_grand_total_off_on_its_own_is_an_error() {
        // Neither the lines (20.0) nor the published subtotals (21.0) give 22.0.
        let r = report(&sections("16.0", "5.0", "22.0", false));
        assert_eq!(grand_check(&r).status, CheckStatus::Error);
        assert!(grand_check(&r).carries.is_empty());
        assert_eq!((r.total_rows.error, r.total_rows.carried), (2, 0));
        // Right against the lines, wrong against the subtotals: the subtotal is the error.
        let r = report(&sections("16.0", "5.0", "20.0", false));
        assert_eq!(grand_check(&r).status, CheckStatus::Ok);
        // A wrong grand total over right subtotals is an error.
        let r = report(&sections("15.0", "5.0", "21.0", false));
        assert_eq!(grand_check(&r).status, CheckStatus::Error);
    }
}
