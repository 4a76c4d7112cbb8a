//! Profiles: the same saving seen year on year (incremental) or as its full-year effect
//! (cumulative), and the exact conversion between them (docs/domain.md, "Profiles").
//!
//! This module owns one rule. A line's **full-year effects** are the saving it achieves in each
//! year against the base year: for a recurring line in an incremental file, the running sum of
//! its increments; in a cumulative file, its figures. A **one-off** line's figures are in-year
//! amounts in either profile: it counts only in its year, so its full-year effects are its
//! figures as written, and seen incrementally it implies a reversal the next year. The
//! incremental view of any line is the change in its full-year effect from the year before.
//! Both views give the same final-year full-year effect, and converting incremental →
//! cumulative → incremental gives back every figure.
//!
//! A cell with no figure (`N/A`, `TBC`) makes every later full-year effect of a recurring line
//! unknown, and is never taken as zero. Published totals are not converted: they are claims
//! about the figures as published and are checked in the file's own profile.

use rust_decimal::Decimal;

use crate::engine::model::number::{Amount, NoFigure};
use crate::engine::model::schedule::{Line, Profile, Recurrence, Schedule};

/// A line's full-year effect per year, in the file's sign convention; `Err` carries why a year
/// has no figure.
pub fn full_year_effects(line: &Line, profile: Profile) -> Vec<Result<Decimal, NoFigure>> {
    effects_of(&line.amounts, profile, line.recurrence)
}

/// Full-year effects of figures written in `profile`: a one-off line's figures, and every
/// figure of a cumulative line, are effects already; a recurring incremental line's effects are
/// the running sums of its increments.
fn effects_of(
    amounts: &[Amount],
    profile: Profile,
    recurrence: Recurrence,
) -> Vec<Result<Decimal, NoFigure>> {
    match (profile, recurrence) {
        (Profile::Cumulative, _) | (_, Recurrence::OneOff) => amounts
            .iter()
            .map(|a| a.value().ok_or_else(|| no_figure(a)))
            .collect(),
        (Profile::Incremental, Recurrence::Recurring) => {
            let mut running: Result<Decimal, NoFigure> = Ok(Decimal::ZERO);
            amounts
                .iter()
                .map(|a| {
                    running = match (running, a.value()) {
                        (Ok(r), Some(v)) => Ok(r + v),
                        (Err(e), _) => Err(e),
                        (Ok(_), None) => Err(no_figure(a)),
                    };
                    running
                })
                .collect()
        }
    }
}

/// The figures that write `effects` in `profile`: the inverse of [`effects_of`].
fn figures_of(
    effects: Vec<Result<Decimal, NoFigure>>,
    profile: Profile,
    recurrence: Recurrence,
) -> Vec<Result<Decimal, NoFigure>> {
    match (profile, recurrence) {
        (Profile::Cumulative, _) | (_, Recurrence::OneOff) => effects,
        (Profile::Incremental, Recurrence::Recurring) => {
            let mut previous: Result<Decimal, NoFigure> = Ok(Decimal::ZERO);
            effects
                .into_iter()
                .map(|e| {
                    let step = match (&e, &previous) {
                        (Ok(now), Ok(before)) => Ok(*now - *before),
                        (Err(n), _) | (_, Err(n)) => Err(*n),
                    };
                    previous = e;
                    step
                })
                .collect()
        }
    }
}

fn no_figure(a: &Amount) -> NoFigure {
    match a {
        Amount::NoFigure(n) => *n,
        _ => NoFigure::Unreadable,
    }
}

fn to_amounts(values: Vec<Result<Decimal, NoFigure>>, like: &[Amount]) -> Vec<Amount> {
    values
        .into_iter()
        .zip(like)
        .map(|(v, original)| match v {
            Ok(d) if d.is_zero() && matches!(original, Amount::Blank) => Amount::Blank,
            Ok(mut d) => {
                // Keep at least the decimals the cell was written with: 0.0 stays 0.0.
                if let Amount::Figure(o) = original {
                    if o.scale() > d.scale() {
                        d.rescale(o.scale());
                    }
                }
                Amount::Figure(d)
            }
            Err(n) => Amount::NoFigure(n),
        })
        .collect()
}

/// A line's figures seen in `view`, converted exactly from the schedule's own profile. The view
/// is explicit: seen incrementally, a one-off saving shows its reversal the next year
/// (docs/domain.md, "Profiles": a one-off saving in an incremental view is reversed the next year); seen cumulatively
/// it counts only in its year. Blank cells stay blank where the converted figure is zero.
pub fn line_in_profile(line: &Line, own: Profile, view: Profile) -> Vec<Amount> {
    if own == view && line.recurrence == Recurrence::Recurring {
        return line.amounts.clone();
    }
    let effects = effects_of(&line.amounts, own, line.recurrence);
    to_amounts(
        figures_of(effects, view, Recurrence::Recurring),
        &line.amounts,
    )
}

/// Converts figures seen in a `view` (as [`line_in_profile`] gives them) back to the line's own
/// profile and recurrence: its exact inverse, for figures entered in a converted view.
pub fn line_from_profile(
    amounts: &[Amount],
    recurrence: Recurrence,
    view: Profile,
    own: Profile,
) -> Vec<Amount> {
    let effects = effects_of(amounts, view, Recurrence::Recurring);
    to_amounts(figures_of(effects, own, recurrence), amounts)
}

/// The schedule seen in another profile: every line converted (one-offs written out, so every
/// line reads as recurring), published totals dropped (they are checked against the figures as
/// published, not against a converted view).
pub fn schedule_in_profile(schedule: &Schedule, view: Profile) -> Schedule {
    if view == schedule.profile {
        return schedule.clone();
    }
    let mut s = schedule.clone();
    for line in &mut s.lines {
        line.amounts = line_in_profile(line, schedule.profile, view);
        line.total = None;
        // The converted figures are explicit full-year effects or increments: a one-off's
        // reversal is written out, so the line now reads as any other.
        line.recurrence = Recurrence::Recurring;
    }
    s.total_rows.clear();
    s.total_header = None;
    s.layout
        .retain(|c| *c != crate::engine::model::schedule::ColumnRef::Total);
    s.profile = view;
    s
}

/// The two totals of docs/domain.md over a schedule's lines, in the file's sign convention: the
/// final year's full-year effect (what an incremental schedule's "TOTAL SAVING DUE" states) and
/// the sum of the full-year effects over the period (the cash benefit, what an appraisal's
/// "Cumulative" column states). `None` where a cell has no figure.
pub struct ProfileTotals {
    pub final_year_effect: Option<Decimal>,
    pub period_sum: Option<Decimal>,
}

/// Both totals of one line.
pub fn line_profile_totals(line: &Line, own: Profile) -> ProfileTotals {
    // The effects as `full_year_effects` gives them, one at a time: this runs for every line
    // of a schedule when it is loaded, so it builds no list.
    let running = own == Profile::Incremental && line.recurrence == Recurrence::Recurring;
    let mut effect = Some(Decimal::ZERO);
    let mut period_sum = Some(Decimal::ZERO);
    for (k, a) in line.amounts.iter().enumerate() {
        effect = match (running, effect, a.value()) {
            (false, _, v) => v,
            (true, Some(r), Some(v)) if k > 0 => Some(r + v),
            (true, None, _) => None,
            (true, Some(_), v) => v,
        };
        period_sum = period_sum.zip(effect).map(|(s, e)| s + e);
    }
    ProfileTotals {
        final_year_effect: effect,
        period_sum,
    }
}

/// Both totals over every line of a schedule.
pub fn schedule_profile_totals(schedule: &Schedule) -> ProfileTotals {
    let mut out = ProfileTotals {
        final_year_effect: Some(Decimal::ZERO),
        period_sum: Some(Decimal::ZERO),
    };
    for line in &schedule.lines {
        let t = line_profile_totals(line, schedule.profile);
        out.final_year_effect = out
            .final_year_effect
            .zip(t.final_year_effect)
            .map(|(a, b)| a + b);
        out.period_sum = out.period_sum.zip(t.period_sum).map(|(a, b)| a + b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(figures: &[&str], recurrence: Recurrence) -> Line {
        Line {
            row: 1,
            section: None,
            text: Vec::new(),
            amounts: figures
                .iter()
                .map(|f| crate::engine::parse_amount(f).unwrap().amount)
                .collect(),
            total: None,
            recurrence,
            memo: false,
            rag: None,
        }
    }

    fn figures(a: &[Amount]) -> Vec<String> {
        a.iter().map(Amount::canonical).collect()
    }

    #[test]
    fn family_group_conferencing_both_ways() {
        // docs/domain.md: incremental 165, 462, 627, 660 ⇔ cumulative 165, 627, 1,254, 1,914.
        let inc = line(&["165", "462", "627", "660"], Recurrence::Recurring);
        let cum = line_in_profile(&inc, Profile::Incremental, Profile::Cumulative);
        assert_eq!(figures(&cum), ["165", "627", "1254", "1914"]);
        let back = line_from_profile(
            &cum,
            Recurrence::Recurring,
            Profile::Cumulative,
            Profile::Incremental,
        );
        assert_eq!(back, inc.amounts);
        let t = line_profile_totals(&inc, Profile::Incremental);
        assert_eq!(t.final_year_effect, Some(d("1914")));
        assert_eq!(t.period_sum, Some(d("3960")));
    }

    #[test]
    fn one_off_counts_only_in_its_year() {
        let one_off = line(&["0.0", "40.0", "0.0", "0.0"], Recurrence::OneOff);
        let cum = line_in_profile(&one_off, Profile::Incremental, Profile::Cumulative);
        assert_eq!(figures(&cum), ["0.0", "40.0", "0.0", "0.0"]);
        let from_cumulative = line_in_profile(&one_off, Profile::Cumulative, Profile::Incremental);
        assert_eq!(figures(&from_cumulative), ["0.0", "40.0", "-40.0", "0.0"]);
        // In an incremental file the one-off's figures are in-year amounts too: seen
        // incrementally its reversal is written out.
        let shown = line_in_profile(&one_off, Profile::Incremental, Profile::Incremental);
        assert_eq!(figures(&shown), ["0.0", "40.0", "-40.0", "0.0"]);
        for (own, view) in [
            (Profile::Incremental, Profile::Cumulative),
            (Profile::Incremental, Profile::Incremental),
            (Profile::Cumulative, Profile::Incremental),
        ] {
            let seen = line_in_profile(&one_off, own, view);
            let back = line_from_profile(&seen, Recurrence::OneOff, view, own);
            assert_eq!(back, one_off.amounts, "{own:?} -> {view:?} -> back");
        }
        let t = line_profile_totals(&one_off, Profile::Incremental);
        assert_eq!(t.final_year_effect, Some(d("0.0")));
        assert_eq!(t.period_sum, Some(d("40.0")));
    }

    #[test]
    fn no_figure_makes_later_effects_unknown_never_zero() {
        let l = line(&["1", "TBC", "2"], Recurrence::Recurring);
        let cum = line_in_profile(&l, Profile::Incremental, Profile::Cumulative);
        assert_eq!(figures(&cum), ["1", "TBC", "TBC"]);
        assert_eq!(
            line_profile_totals(&l, Profile::Incremental).final_year_effect,
            None
        );
    }

    #[test]
    fn blank_cells_stay_blank() {
        let l = line(&["", "5", ""], Recurrence::Recurring);
        let cum = line_in_profile(&l, Profile::Incremental, Profile::Cumulative);
        assert_eq!(figures(&cum), ["", "5", "5"]);
        let back = line_from_profile(
            &cum,
            Recurrence::Recurring,
            Profile::Cumulative,
            Profile::Incremental,
        );
        // Back in the incremental view the blank reads as a zero: the same value.
        let values: Vec<_> = back.iter().map(Amount::value).collect();
        let original: Vec<_> = l.amounts.iter().map(Amount::value).collect();
        assert_eq!(values, original);
    }
}
