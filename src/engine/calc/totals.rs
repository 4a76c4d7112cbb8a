//! Totals: line totals, section subtotals, grand totals, and the sum a published total row
//! claims.
//!
//! This module owns adding up. A [`Sum`] keeps, besides its exact value, what a check needs to
//! judge a published figure against it: how many written figures went in, how many cells had no
//! figure (`N/A`, `TBC`, unreadable), and the rounding those figures can hide (half a unit of
//! the last shown digit of each, docs/domain.md "Checks and rounding"). It does not classify checks;
//! that is `checks`.

use crate::engine::model::number::Amount;
use crate::engine::model::schedule::{Line, Measure, Schedule, TotalScope};
use crate::engine::model::sum::Sum;
use crate::engine::model::sum_acc::SumAcc;

/// Sums for one row of results: one per year, and over all years.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowTotals {
    pub years: Vec<Sum>,
    pub total: Sum,
}

impl RowTotals {
    fn new(years: usize) -> RowTotals {
        RowTotals {
            years: vec![Sum::default(); years],
            total: Sum::default(),
        }
    }

    fn add_line(&mut self, amounts: &[Amount]) {
        for (sum, a) in self.years.iter_mut().zip(amounts) {
            sum.add(a);
            self.total.add(a);
        }
    }

    fn remove_line(&mut self, amounts: &[Amount]) {
        for (sum, a) in self.years.iter_mut().zip(amounts) {
            sum.remove(a);
            self.total.remove(a);
        }
    }
}

/// Every total of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    /// Per line, the sum of its year amounts: the line's computed total.
    pub lines: Vec<Sum>,
    /// Per section (same index as `Schedule::sections`), the sum of its lines.
    pub sections: Vec<RowTotals>,
    /// The lines that come before the first section heading, if there are any.
    pub unsectioned: Option<RowTotals>,
    /// Every line.
    pub grand: RowTotals,
    /// Per measure, for tables whose type column names measures (investment, gross saving,
    /// net): summing those together would mean nothing, so they are also totalled apart.
    pub by_measure: Vec<(Measure, RowTotals)>,
}

/// Adds up a schedule: line totals, section subtotals, grand totals per year and overall, and
/// per measure where lines carry one.
///
/// Added up in integers ([`SumAcc`]), or with `Decimal` ([`Sum`]) when a figure does not fit
/// them: the same totals either way (`calc::feed`'s tests).
pub fn totals(schedule: &Schedule) -> Totals {
    totals_with::<SumAcc>(schedule).unwrap_or_else(|| totals_in_decimals(schedule))
}

/// [`totals`] with `Decimal` addition throughout.
pub(crate) fn totals_in_decimals(schedule: &Schedule) -> Totals {
    // `Sum` always finishes, so `totals_with` gives `Some`: the empty totals are never used.
    totals_with::<Sum>(schedule).unwrap_or_else(|| Totals {
        lines: Vec::new(),
        sections: Vec::new(),
        unsectioned: None,
        grand: RowTotals::new(schedule.years.len()),
        by_measure: Vec::new(),
    })
}

/// A way of adding up amounts for [`totals_with`]: in integers ([`SumAcc`], which gives up when
/// a sum does not fit them) or in `Decimal` ([`Sum`]).
trait Adding: Clone + Default {
    fn add(&mut self, amount: &Amount);
    fn merge(&mut self, other: &Self);
    /// The sum, or `None` when it does not fit.
    fn finish(&self) -> Option<Sum>;
}

impl Adding for SumAcc {
    fn add(&mut self, amount: &Amount) {
        SumAcc::add(self, amount);
    }
    fn merge(&mut self, other: &Self) {
        SumAcc::merge(self, other);
    }
    fn finish(&self) -> Option<Sum> {
        SumAcc::finish(self)
    }
}

impl Adding for Sum {
    fn add(&mut self, amount: &Amount) {
        Sum::add(self, amount);
    }
    fn merge(&mut self, other: &Self) {
        Sum::merge(self, other);
    }
    fn finish(&self) -> Option<Sum> {
        Some(self.clone())
    }
}

/// Sums of one row of results being added up: per year, and over all years.
#[derive(Clone)]
struct RowAcc<A> {
    years: Vec<A>,
    total: A,
}

impl<A: Adding> RowAcc<A> {
    fn new(years: usize) -> RowAcc<A> {
        RowAcc {
            years: vec![A::default(); years],
            total: A::default(),
        }
    }

    /// Adds a line's amounts, and `line`, the sum of those of them within the row's years.
    fn add_line(&mut self, amounts: &[Amount], line: &A) {
        for (sum, a) in self.years.iter_mut().zip(amounts) {
            sum.add(a);
        }
        self.total.merge(line);
    }

    fn finish(&self) -> Option<RowTotals> {
        Some(RowTotals {
            years: self.years.iter().map(A::finish).collect::<Option<_>>()?,
            total: self.total.finish()?,
        })
    }
}

/// [`totals`], added up with `A`; `None` when a sum does not fit it. A line whose section is out
/// of range (which `canonical::check` refuses on every way in) counts as before the first
/// section.
fn totals_with<A: Adding>(schedule: &Schedule) -> Option<Totals> {
    let n = schedule.years.len();
    let mut sections = vec![RowAcc::<A>::new(n); schedule.sections.len()];
    let mut unsectioned: Option<RowAcc<A>> = None;
    let mut grand = RowAcc::new(n);
    let mut by_measure: Vec<(Measure, RowAcc<A>)> = Vec::new();
    let mut lines = Vec::with_capacity(schedule.lines.len());
    for line in &schedule.lines {
        let mut sum = A::default();
        line.amounts.iter().for_each(|a| sum.add(a));
        lines.push(sum.finish()?);
        // A line with more amounts than years adds them to its own total only.
        let within = if line.amounts.len() <= n {
            sum
        } else {
            let mut within = A::default();
            line.amounts.iter().take(n).for_each(|a| within.add(a));
            within
        };
        grand.add_line(&line.amounts, &within);
        match line.section.and_then(|s| sections.get_mut(s)) {
            Some(section) => section.add_line(&line.amounts, &within),
            None => unsectioned
                .get_or_insert_with(|| RowAcc::new(n))
                .add_line(&line.amounts, &within),
        }
        if let Some(m) = schedule.measure(line) {
            match by_measure.iter_mut().find(|(k, _)| *k == m) {
                Some((_, t)) => t.add_line(&line.amounts, &within),
                None => {
                    let mut t = RowAcc::new(n);
                    t.add_line(&line.amounts, &within);
                    by_measure.push((m, t));
                }
            }
        }
    }
    let mut by_measure = by_measure
        .iter()
        .map(|(m, t)| Some((*m, t.finish()?)))
        .collect::<Option<Vec<_>>>()?;
    by_measure.sort_by_key(|(m, _)| *m);
    Some(Totals {
        lines,
        sections: sections.iter().map(RowAcc::finish).collect::<Option<_>>()?,
        unsectioned: unsectioned
            .as_ref()
            .map_or(Some(None), |u| u.finish().map(Some))?,
        grand: grand.finish()?,
        by_measure,
    })
}

/// Updates the totals after line `index` changed from `old` to what `schedule` has now, in place
/// of adding everything up again: its own total, and its section's, the grand and its measure's
/// totals, by taking the old cells away and adding the new. The caller makes sure the line kept
/// its section, its text (so its measure) and its number of years; see [`super::Live`].
pub(crate) fn update_line(totals: &mut Totals, schedule: &Schedule, index: usize, old: &Line) {
    let line = &schedule.lines[index];
    let mut sum = Sum::default();
    line.amounts.iter().for_each(|a| sum.add(a));
    totals.lines[index] = sum;
    let mut groups: Vec<&mut RowTotals> = vec![&mut totals.grand];
    match line.section {
        Some(s) => groups.extend(totals.sections.get_mut(s)),
        None => groups.extend(totals.unsectioned.as_mut()),
    }
    if let Some(m) = schedule.measure(line) {
        groups.extend(
            totals
                .by_measure
                .iter_mut()
                .find(|(k, _)| *k == m)
                .map(|(_, t)| t),
        );
    }
    for group in groups {
        group.remove_line(&old.amounts);
        group.add_line(&line.amounts);
    }
}

/// The sums a published total row claims: the lines its scope covers, added up.
pub fn scope_totals(schedule: &Schedule, totals: &Totals, scope: &TotalScope) -> RowTotals {
    let n = schedule.years.len();
    match scope {
        TotalScope::All => totals.grand.clone(),
        TotalScope::Section(s) => totals
            .sections
            .get(*s)
            .cloned()
            .unwrap_or_else(|| RowTotals::new(n)),
        TotalScope::Measure(m) => totals
            .by_measure
            .iter()
            .find(|(k, _)| k == m)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| RowTotals::new(n)),
        TotalScope::Since {
            first_line,
            end_line,
        } => {
            let mut t = RowTotals::new(n);
            let end = (*end_line).min(schedule.lines.len());
            for line in schedule.lines.get(*first_line..end).unwrap_or(&[]) {
                t.add_line(&line.amounts);
            }
            t
        }
        TotalScope::AllButBase => {
            let mut t = RowTotals::new(n);
            for line in schedule
                .lines
                .iter()
                .filter(|l| !schedule.is_base_budget(l))
            {
                t.add_line(&line.amounts);
            }
            t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::format_sum;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;

    fn d(s: &str) -> rust_decimal::Decimal {
        <rust_decimal::Decimal as std::str::FromStr>::from_str(s).unwrap()
    }

    #[test]
    fn sums_are_exact_and_carry_their_tolerance() {
        let csv = "Project,2017/18,2018/19,2019/20\nA,0.1,0.2,N/A\nB,1.25,-,3\n";
        let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let t = totals(&s);
        assert_eq!(t.lines[0].value, d("0.3"));
        assert_eq!(t.lines[0].missing, 1);
        assert!(!t.lines[0].is_complete());
        assert_eq!(t.grand.years[0].value, d("1.35"));
        assert_eq!(t.grand.years[0].tolerance, d("0.055"));
        assert_eq!(t.grand.years[1].value, d("0.2"));
        assert_eq!(t.grand.years[2].value, d("3"));
        assert_eq!(t.grand.years[2].missing, 1);
        assert_eq!(t.grand.total.value, d("4.55"));
        assert!(t.unsectioned.is_some());
        assert!(t.by_measure.is_empty());
    }

    #[test]
    fn measures_are_totalled_apart() {
        let csv = "Ref,Proposal,Measure,2017/18\nA,X,Investment,1.000\nA,X,Gross Saving,(2.000)\n\
                   A,X,Net Saving,(1.000)\nB,Y,Investment,0.500\n";
        let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let t = totals(&s);
        let inv = &t
            .by_measure
            .iter()
            .find(|(m, _)| *m == Measure::Investment)
            .unwrap()
            .1;
        assert_eq!(inv.years[0].value, d("1.500"));
        assert_eq!(t.by_measure.len(), 3);
    }

    #[test]
    fn a_sum_is_written_with_a_star_when_incomplete() {
        let mut sum = Sum::default();
        sum.add(&Amount::Figure(d("1234.5")));
        sum.add(&Amount::Blank);
        assert_eq!(format_sum(&sum, 1), "1,234.5");
        assert_eq!(format_sum(&sum, 3), "1,234.500");
        sum.add(&Amount::NoFigure(crate::engine::NoFigure::ToBeConfirmed));
        assert_eq!(format_sum(&sum, 1), "1,234.5 *");
        assert_eq!(format_sum(&Sum::default(), 0), "0");
    }
}
