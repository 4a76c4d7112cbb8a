//! The savings a schedule feeds to a gap, per year, added up in integers ([`SumAcc`]) straight
//! from the cells, without building each line's sums: what `gap::savings_sums_by_line` gives,
//! as `Live::new` needs it for every line of a big schedule (docs/domain.md, "Profiles" and
//! "The funding gap").
//!
//! Per line that feeds savings ([`feeds_savings`]), year by year, in the two views:
//! - cumulative view: a recurring line of an incremental schedule brings its running sum (its
//!   full-year effect), any other line its own figure;
//! - incremental view: a recurring line of an incremental schedule brings its own figure, any
//!   other line its figure less the year before's (a one-off reversed the next year; a
//!   cumulative line's change), with both figures' rounding.

use crate::engine::model::number::Amount;
use crate::engine::model::schedule::{Line, Measure, Profile, Recurrence, Schedule};
use crate::engine::model::sum::Sum;
use crate::engine::model::sum_acc::{finish_all, SumAcc};

/// True for a line whose figures are savings a gap is fed: not a memo line, not an investment,
/// cost or net line.
pub(crate) fn feeds_savings(schedule: &Schedule, line: &Line) -> bool {
    !line.memo
        && !matches!(
            schedule.measure(line),
            Some(Measure::Investment | Measure::Cost | Measure::Net)
        )
}

/// The schedule's savings per year in `view`, or `None` when a sum does not fit in integers.
pub(crate) fn savings_in_integers(schedule: &Schedule, view: Profile) -> Option<Vec<Sum>> {
    let mut per_year = vec![SumAcc::default(); schedule.years.len()];
    for line in &schedule.lines {
        if feeds_savings(schedule, line) {
            add_savings(&mut per_year, schedule, line, view);
        }
    }
    finish_all(&per_year)
}

/// The schedule's savings per year in the cumulative view and in the incremental view, in one
/// pass over the lines (`Live::new` wants both), or `None` when a sum does not fit in integers.
pub(crate) fn savings_both_in_integers(schedule: &Schedule) -> Option<(Vec<Sum>, Vec<Sum>)> {
    let mut cumulative = vec![SumAcc::default(); schedule.years.len()];
    let mut incremental = cumulative.clone();
    for line in &schedule.lines {
        if feeds_savings(schedule, line) {
            add_savings(&mut cumulative, schedule, line, Profile::Cumulative);
            add_savings(&mut incremental, schedule, line, Profile::Incremental);
        }
    }
    Some((finish_all(&cumulative)?, finish_all(&incremental)?))
}

/// Adds what `line` feeds in `view` to the sums per year (see the module's documentation).
fn add_savings(per_year: &mut [SumAcc], schedule: &Schedule, line: &Line, view: Profile) {
    let running =
        schedule.profile == Profile::Incremental && line.recurrence == Recurrence::Recurring;
    let years = per_year.iter_mut().zip(&line.amounts);
    match (view, running) {
        (Profile::Cumulative, true) => {
            let mut carried = SumAcc::default();
            for (acc, cell) in years {
                carried.add(cell);
                acc.merge(&carried);
            }
        }
        (Profile::Cumulative, false) | (Profile::Incremental, true) => {
            years.for_each(|(acc, cell)| acc.add(cell));
        }
        (Profile::Incremental, false) => {
            let mut before: Option<&Amount> = None;
            for (acc, cell) in years {
                acc.add(cell);
                if let Some(b) = before {
                    acc.add_signed(b, true);
                }
                before = Some(cell);
            }
        }
    }
}

/// The integer sums against the `Decimal` ones, on generated schedules: every total, the
/// savings fed in both views and the profile totals (docs/domain.md, "Numbers as published").
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::gap::savings_sums_by_line;
    use crate::engine::calc::profile::{full_year_effects, line_profile_totals};
    use crate::engine::calc::totals::{totals, totals_in_decimals};
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// A cell as tables write them: figures of 0 to 3 places, either sign, thousands
    /// separators, brackets, blanks, `N/A`, `TBC`, `-`.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => (-5_000_000i64..5_000_000, 0..4u32).prop_map(|(m, places)| {
                Decimal::new(m, places).to_string()
            }),
            1 => (1i64..100_000).prop_map(|m| format!("({}.{})", m / 10, m % 10)),
            1 => Just(String::new()),
            1 => prop_oneof![Just("N/A"), Just("TBC"), Just("-"), Just("1,234.5")]
                .prop_map(String::from),
        ]
    }

    /// A line: its type (savings, investment, net, none), whether it is one-off, and its cells.
    fn line(years: usize) -> impl Strategy<Value = (u8, bool, Vec<String>)> {
        (
            0..4u8,
            any::<bool>(),
            proptest::collection::vec(cell(), years),
        )
    }

    fn csv(years: usize, lines: &[(u8, bool, Vec<String>)], sections: bool) -> String {
        let mut out = String::from("Proposal,Type");
        for y in 0..years {
            out.push_str(&format!(",{}/{:02}", 2024 + y, (25 + y) % 100));
        }
        out.push('\n');
        for (i, (kind, one_off, cells)) in lines.iter().enumerate() {
            if sections && i % 4 == 0 {
                out.push_str(&format!("Section {i}{}\n", ",".repeat(years + 1)));
            }
            let kind = ["Saving", "Investment", "Net", ""][usize::from(*kind)];
            let name = if *one_off { "one-off" } else { "recurring" };
            out.push_str(&format!("P{i} {name},{kind}"));
            for c in cells {
                out.push_str(&format!(",\"{c}\""));
            }
            out.push('\n');
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn integer_sums_equal_decimal_sums(
            years in 1..6usize,
            seed in proptest::collection::vec(line(6), 1..25),
            sections in any::<bool>(),
            memo in any::<u32>(),
        ) {
            let lines: Vec<_> = seed
                .into_iter()
                .map(|(k, o, c)| (k, o, c[..years].to_vec()))
                .collect();
            let text = csv(years, &lines, sections);
            let Ok(imported) = import(text.as_bytes(), "t.csv", &ImportOptions::default()) else {
                return Ok(());
            };
            let mut s = imported.schedule;
            for (i, l) in s.lines.iter_mut().enumerate() {
                l.memo = memo >> (i % 32) & 1 == 1;
            }
            for profile in [Profile::Incremental, Profile::Cumulative] {
                s.profile = profile;
                let (fast, slow) = (totals(&s), totals_in_decimals(&s));
                prop_assert_eq!(&fast, &slow);
                // The same places too, as the `Decimal` sums keep them; but for a sum of zero,
                // whose places `Decimal` addition keeps from one side or the other (0 + 0.00
                // may be 0, 0.0 or 0.00 by the order of the cells), and which no figure shown
                // uses: a total is written with the schedule's places.
                let places = |v: Decimal| if v.is_zero() { "0".to_string() } else { v.to_string() };
                let shown = |t: &crate::engine::calc::totals::Totals| {
                    t.grand.years.iter().chain([&t.grand.total]).chain(&t.lines)
                        .map(|s| (places(s.value), s.tolerance.to_string()))
                        .collect::<Vec<_>>()
                };
                prop_assert_eq!(shown(&fast), shown(&slow));
                for view in [Profile::Incremental, Profile::Cumulative] {
                    let fast = savings_in_integers(&s, view).expect("fits");
                    prop_assert_eq!(fast, savings_sums_by_line(&s, view));
                }
                prop_assert_eq!(
                    savings_both_in_integers(&s).expect("fits"),
                    (
                        savings_sums_by_line(&s, Profile::Cumulative),
                        savings_sums_by_line(&s, Profile::Incremental)
                    )
                );
                for l in &s.lines {
                    let effects = full_year_effects(l, profile);
                    let t = line_profile_totals(l, profile);
                    let last = effects.last().map_or(Some(Decimal::ZERO), |e| e.ok());
                    prop_assert_eq!(t.final_year_effect, last);
                    let sum = effects.iter().try_fold(Decimal::ZERO, |a, e| e.ok().map(|e| a + e));
                    prop_assert_eq!(t.period_sum, sum);
                }
            }
        }
    }

    #[test]
    fn a_figure_of_28_places_is_added_with_decimal() {
        // A file's cells are read to at most 27 places; an edit or a saved state can hold more.
        let text = "Proposal,2024/25,2025/26\nA,0,2\nB,1.5,\n";
        let mut s = import(text.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        s.lines[0].amounts[0] = crate::engine::model::number::Amount::Figure(Decimal::new(1, 28));
        assert_eq!(savings_in_integers(&s, Profile::Cumulative), None);
        assert_eq!(savings_both_in_integers(&s), None);
        let t = totals(&s);
        assert_eq!(t, totals_in_decimals(&s));
        assert_eq!(
            t.grand.years[0].value.to_string(),
            "1.5000000000000000000000000001"
        );
    }
}
