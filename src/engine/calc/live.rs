//! Results kept up to date while a schedule is edited.
//!
//! A finance officer types a figure and expects the totals, the checks and the funding gap to
//! follow at once, in a 10,000-line schedule as in a 50-line one. Working everything out again
//! takes time in proportion to the schedule; [`Live`] holds what the page shows of a schedule
//! (its [`Results`], its two profile totals, the savings it feeds to a gap) and updates them for
//! an edit of a few lines in time in proportion to those lines and the total rows: the old
//! cells are taken away from every sum they were added to and the new ones added.
//!
//! Sums are exact (`Decimal` addition and subtraction do not round), so an updated `Live` equals
//! one worked out from scratch; the tests check that over generated edits. Only edits that keep
//! a line where it is, with the same text, section and number of years, are updated in place;
//! anything else (text, which can change a line's measure and labels; lines added, removed or
//! moved; a new schedule) is worked out again from scratch.

use rust_decimal::Decimal;

use super::checks::update_checks;
use super::gap::{compute_gap_from_sums, line_savings, savings_sums_both, GapFigures};
use super::profile::{line_profile_totals, ProfileTotals};
use super::results::{calculate, Results};
use super::totals::update_line;
use crate::engine::model::gap::GapModel;
use crate::engine::model::schedule::{Line, Profile, Schedule};
use crate::engine::model::sum::Sum;

/// A total over lines that is unknown as soon as one line's is: the sum of the known ones and
/// how many are unknown.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Partial {
    known: Decimal,
    unknown: usize,
}

impl Partial {
    fn add(&mut self, v: Option<Decimal>) {
        match v {
            Some(v) => self.known += v,
            None => self.unknown += 1,
        }
    }

    fn remove(&mut self, v: Option<Decimal>) {
        match v {
            Some(v) => self.known -= v,
            None => self.unknown -= 1,
        }
    }

    fn value(&self) -> Option<Decimal> {
        (self.unknown == 0).then_some(self.known)
    }
}

/// What the page shows of a schedule, kept up to date as it is edited: equal, after any
/// sequence of [`Live::update`]s, to [`Live::new`] of the schedule as it then is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Live {
    /// Totals and checks, as [`calculate`] gives them.
    pub results: Results,
    /// The final year's full-year effect and the sum over the period, as
    /// [`super::schedule_profile_totals`] gives them.
    final_year_effect: Partial,
    period_sum: Partial,
    /// The savings the schedule feeds to a gap, per schedule year, in each view (see
    /// [`super::SavingsFeed`]).
    feed_cumulative: Vec<Sum>,
    feed_incremental: Vec<Sum>,
}

impl Live {
    /// Works everything out from scratch.
    pub fn new(schedule: &Schedule) -> Live {
        let mut final_year_effect = Partial::default();
        let mut period_sum = Partial::default();
        for line in &schedule.lines {
            let t = line_profile_totals(line, schedule.profile);
            final_year_effect.add(t.final_year_effect);
            period_sum.add(t.period_sum);
        }
        let (feed_cumulative, feed_incremental) = savings_sums_both(schedule);
        Live {
            results: calculate(schedule),
            final_year_effect,
            period_sum,
            feed_cumulative,
            feed_incremental,
        }
    }

    /// Brings everything up to date after the lines in `before` changed: each entry is a line's
    /// index and the line as it was, `schedule` is the schedule as it is now. Lines that kept
    /// their place, text, section and years are updated in place; if any did not (or `before`
    /// names a line twice, or one the schedule does not have, or the number of lines changed),
    /// everything is worked out again from scratch, so the answer is right either way.
    pub fn update(&mut self, schedule: &Schedule, before: &[(usize, Line)]) {
        let in_place = self.results.totals.lines.len() == schedule.lines.len()
            && before.iter().enumerate().all(|(k, (i, old))| {
                schedule.lines.get(*i).is_some_and(|new| {
                    new.text == old.text
                        && new.section == old.section
                        && new.amounts.len() == old.amounts.len()
                        && new.amounts.len() == schedule.years.len()
                }) && before[..k].iter().all(|(j, _)| j != i)
            });
        if !in_place {
            *self = Live::new(schedule);
            return;
        }
        for (i, old) in before {
            let new = &schedule.lines[*i];
            update_line(&mut self.results.totals, schedule, *i, old);
            let (was, is) = (
                line_profile_totals(old, schedule.profile),
                line_profile_totals(new, schedule.profile),
            );
            self.final_year_effect.remove(was.final_year_effect);
            self.final_year_effect.add(is.final_year_effect);
            self.period_sum.remove(was.period_sum);
            self.period_sum.add(is.period_sum);
            for (view, sums) in [
                (Profile::Cumulative, &mut self.feed_cumulative),
                (Profile::Incremental, &mut self.feed_incremental),
            ] {
                if let Some(old) = line_savings(schedule, old, view) {
                    sums.iter_mut()
                        .zip(&old)
                        .for_each(|(acc, s)| acc.unmerge(s));
                }
                if let Some(new) = line_savings(schedule, new, view) {
                    sums.iter_mut().zip(&new).for_each(|(acc, s)| acc.merge(s));
                }
            }
        }
        let changed: Vec<usize> = before.iter().map(|(i, _)| *i).collect();
        update_checks(
            &mut self.results.checks,
            schedule,
            &self.results.totals,
            &changed,
        );
    }

    /// The schedule's two profile totals: the same as [`super::schedule_profile_totals`].
    pub fn profile_totals(&self) -> ProfileTotals {
        ProfileTotals {
            final_year_effect: self.final_year_effect.value(),
            period_sum: self.period_sum.value(),
        }
    }

    /// The funding gap of `model` fed by the schedule: the same as
    /// [`super::compute_gap`]`(model, Some(schedule))`, without going through every line.
    pub fn gap(&self, model: &GapModel, schedule: &Schedule) -> GapFigures {
        let sums = match model.feed.as_ref().map(|f| f.profile) {
            Some(Profile::Incremental) => &self.feed_incremental,
            _ => &self.feed_cumulative,
        };
        compute_gap_from_sums(model, schedule, sums)
    }
}
