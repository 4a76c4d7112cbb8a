//! Illustrative RAG ratings: the ratings a finance team would plausibly give a schedule that
//! publishes none, so that the demo shows the scenarios' rates and the delivery risk view at
//! work on a first visit. They are Gapwise's illustration, never the council's: the page says
//! so wherever they are used. Ratings change no total (docs/domain.md, "Monitoring").
//!
//! # The rule
//!
//! Bigger and later savings are the riskier ones. Each line whose figures add up to a saving
//! (a positive sum) scores two things, 0 to 2 each:
//!
//! - **size**, its sum against the sum of every such line: 5 % or more scores 2, 1 % or more 1;
//! - **timing**, the year by which half of its saving has come: the first year scores 0, the
//!   second 1, any later year 2.
//!
//! A score of 0 or 1 is green, 2 or 3 amber, 4 red. A reversal (a later line withdrawing an
//! earlier one, `netting`) takes the rating of the line it reverses, so the pair still cancels
//! in a scenario; any other line (no saving, a cost) is left unrated. All comparisons are of
//! exact decimals.

use rust_decimal::Decimal;

use super::netting_run::netting;
use crate::engine::model::number::Amount;
use crate::engine::model::rating::Rag;
use crate::engine::model::schedule::Schedule;

/// A line's figures as exact decimals (an empty cell or "no figure" is zero here: a rating
/// is a judgement, not a total).
fn figures(amounts: &[Amount]) -> impl Iterator<Item = Decimal> + '_ {
    amounts.iter().map(|a| match a {
        Amount::Figure(v) => *v,
        _ => Decimal::ZERO,
    })
}

/// The illustrative rating of each line of `schedule`, by the rule of the module doc, in line
/// order.
///
/// ```
/// use gapwise::engine::{illustrative_ratings, import, ImportOptions, Rag};
/// let csv = "Project,2020/21,2021/22,2022/23\nBig and late,0,100,900\nSmall and soon,10,0,0\n\
///            Middling,0,60,0\nMiddling,0,(60),0\n";
/// let schedule = import(csv.as_bytes(), "s.csv", &ImportOptions::default())?.schedule;
/// assert_eq!(
///     illustrative_ratings(&schedule),
///     [Some(Rag::Red), Some(Rag::Green), Some(Rag::Amber), Some(Rag::Amber)]
/// );
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn illustrative_ratings(schedule: &Schedule) -> Vec<Option<Rag>> {
    let sums: Vec<Decimal> = schedule
        .lines
        .iter()
        .map(|l| figures(&l.amounts).fold(Decimal::ZERO, |a, v| a.saturating_add(v)))
        .collect();
    let all = sums
        .iter()
        .filter(|s| s.is_sign_positive() && !s.is_zero())
        .fold(Decimal::ZERO, |a, v| a.saturating_add(*v));
    let mut ratings: Vec<Option<Rag>> = schedule
        .lines
        .iter()
        .zip(&sums)
        .map(|(line, &sum)| {
            if sum <= Decimal::ZERO {
                return None;
            }
            let size = if sum * Decimal::from(20) >= all {
                2
            } else if sum * Decimal::from(100) >= all {
                1
            } else {
                0
            };
            // The year by which half the saving has come: 2 × running sum ≥ sum.
            let mut running = Decimal::ZERO;
            let mut half_by = 0;
            for (year, v) in figures(&line.amounts).enumerate() {
                running = running.saturating_add(v);
                if running * Decimal::TWO >= sum {
                    half_by = year;
                    break;
                }
            }
            Some(match size + half_by.min(2) {
                0 | 1 => Rag::Green,
                2 | 3 => Rag::Amber,
                _ => Rag::Red,
            })
        })
        .collect();
    for r in netting(schedule).reversals {
        ratings[r.reversal] = ratings[r.original];
    }
    ratings
}
