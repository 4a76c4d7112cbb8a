//! Change and share: how a year's figure moved on the year before (in the unit and in per
//! cent), and the funding gap and the savings as a share of the net budget (docs/domain.md,
//! "Change and share of the budget").
//!
//! A percentage is worked out exactly (`Decimal` division, exact for the figures of a table) and
//! rounded once, halves away from zero, to [`PERCENT_PLACES`] places: the figure shown is the
//! exact one rounded as stated, never a rounded figure rounded again. A figure that is not
//! known (a year with a cell of no figure in its sum) gives no change; a percentage of zero
//! gives none either.

use rust_decimal::{Decimal, RoundingStrategy};

use super::gap::GapFigures;
use crate::engine::model::gap::{GapModel, GapRole};
use crate::engine::model::number::format_amount;
use crate::engine::model::sum::Sum;

/// The places a percentage is rounded to: 12.3 %.
pub const PERCENT_PLACES: u32 = 1;

/// A year's figure against the year before's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// This year's figure less the year before's, exact.
    pub amount: Decimal,
    /// `amount` as a percentage of the year before's figure (of its size: a gap that grows from
    /// −10 to −5 rose by 50 %), rounded to [`PERCENT_PLACES`]; `None` when that was zero.
    pub percent: Option<Decimal>,
}

/// `part` as a percentage of `whole`, rounded to [`PERCENT_PLACES`] halves away from zero;
/// `None` when `whole` is zero (or the quotient is beyond a `Decimal`).
///
/// ```
/// use gapwise::engine::percent_of;
/// use rust_decimal::Decimal;
/// assert_eq!(percent_of(Decimal::new(1, 0), Decimal::new(8, 0)), Some(Decimal::new(125, 1)));
/// // 1 / 3 = 33.33… %: rounded once, to 33.3.
/// assert_eq!(percent_of(Decimal::new(1, 0), Decimal::new(3, 0)), Some(Decimal::new(333, 1)));
/// assert_eq!(percent_of(Decimal::new(1, 0), Decimal::ZERO), None);
/// ```
pub fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    // The quotient of two figures of a table is exact in a `Decimal`'s 28 digits or, when it
    // repeats, lies far (more than 10^-20) from any midpoint of the places kept, so rounding the
    // 28-digit quotient gives what rounding the exact one would.
    let ratio = part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)?;
    Some(ratio.round_dp_with_strategy(PERCENT_PLACES, RoundingStrategy::MidpointAwayFromZero))
}

/// A percentage as shown: [`PERCENT_PLACES`] places, thousands separated, a minus sign (not
/// brackets, which read as money) when below zero, and " %".
///
/// ```
/// use gapwise::engine::format_percent;
/// use rust_decimal::Decimal;
/// assert_eq!(format_percent(Decimal::new(-77, 1)), "−7.7 %");
/// assert_eq!(format_percent(Decimal::new(12345, 1)), "1,234.5 %");
/// ```
pub fn format_percent(percent: Decimal) -> String {
    let text = format_amount(percent.abs(), PERCENT_PLACES);
    if percent.is_sign_negative() && !percent.is_zero() {
        format!("\u{2212}{text} %")
    } else {
        format!("{text} %")
    }
}

/// The change of each year on the year before: `None` for the first year and where either
/// year's figure is not known.
///
/// ```
/// use gapwise::engine::year_on_year;
/// use rust_decimal::Decimal;
/// let d = |v: i64| Some(Decimal::new(v, 1));
/// let changes = year_on_year(&[d(50), d(80), None, d(125)]);
/// assert_eq!(changes[0], None);
/// let second = changes[1].as_ref().unwrap();
/// assert_eq!((second.amount, second.percent), (Decimal::new(30, 1), Some(Decimal::new(600, 1))));
/// assert_eq!((changes[2].clone(), changes[3].clone()), (None, None));
/// ```
pub fn year_on_year(figures: &[Option<Decimal>]) -> Vec<Option<Change>> {
    figures
        .iter()
        .enumerate()
        .map(|(i, now)| {
            let before = i.checked_sub(1).and_then(|b| figures[b]);
            change_between(before, *now)
        })
        .collect()
}

/// The change from one figure to another (from an earlier year to a later one, or any two
/// years compared): `None` when either is not known.
///
/// ```
/// use gapwise::engine::change_between;
/// use rust_decimal::Decimal;
/// // The demo's grand total, 2017/18 to 2020/21: 4,886.0 to 9,281.3, up 4,395.3, 89.957…%.
/// let c = change_between(Some(Decimal::new(48860, 1)), Some(Decimal::new(92813, 1))).unwrap();
/// assert_eq!((c.amount, c.percent), (Decimal::new(43953, 1), Some(Decimal::new(900, 1))));
/// assert_eq!(change_between(None, Some(Decimal::ONE)), None);
/// ```
pub fn change_between(from: Option<Decimal>, to: Option<Decimal>) -> Option<Change> {
    let (from, to) = (from?, to?);
    let amount = to - from;
    Some(Change {
        amount,
        percent: percent_of(amount, from.abs()),
    })
}

/// A change as shown: "4,395.3 (90.0 %)", the amount to `decimals` places and its percentage;
/// "–" when not known.
pub fn format_change(change: Option<&Change>, decimals: u32) -> String {
    match change {
        None => "–".to_string(),
        Some(c) => {
            let amount = format_amount(c.amount, decimals);
            match c.percent {
                Some(p) => format!("{amount} ({})", format_percent(p)),
                None => amount,
            }
        }
    }
}

/// The value of a sum when every cell in it had a figure.
pub fn known(sum: &Sum) -> Option<Decimal> {
    sum.is_complete().then_some(sum.value)
}

/// One year of the gap and the savings against the net budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetShare {
    /// The net (base) budget the shares are of.
    pub budget: Option<Decimal>,
    /// The savings (the table's and the fed schedule's) as a percentage of the budget.
    pub savings: Option<Decimal>,
    /// The gap after reserves as a percentage of the budget.
    pub gap: Option<Decimal>,
}

/// Per year, the savings and the gap after reserves (`figures`, worked out from `model`) as a
/// share of the net budget; `None` when the gap table has no base budget row, as a share of
/// nothing means nothing.
pub fn budget_shares(model: &GapModel, figures: &GapFigures) -> Option<Vec<BudgetShare>> {
    if !model.rows.iter().any(|r| r.role == GapRole::BaseBudget) {
        return None;
    }
    Some(
        figures
            .years
            .iter()
            .map(|y| {
                let budget = known(&y.base_budget);
                let share = |part: &Sum| percent_of(known(part)?, budget?);
                BudgetShare {
                    budget,
                    savings: share(&y.savings),
                    gap: share(&y.gap_after_reserves),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn percentages_round_once_halves_away_from_zero() {
        // 1/8 = 12.5 % exactly; 1/16 = 6.25 % → 6.3; −1/16 → −6.3; 1/6 = 16.66… → 16.7.
        assert_eq!(percent_of(d("1"), d("8")), Some(d("12.5")));
        assert_eq!(percent_of(d("1"), d("16")), Some(d("6.3")));
        assert_eq!(percent_of(d("-1"), d("16")), Some(d("-6.3")));
        assert_eq!(percent_of(d("1"), d("6")), Some(d("16.7")));
        // 0.0005 of 0.2 is 0.25 %: 0.3, not 0.2 (no double rounding).
        assert_eq!(percent_of(d("0.0005"), d("0.2")), Some(d("0.3")));
        assert_eq!(percent_of(d("5"), d("0")), None);
    }

    #[test]
    fn a_change_is_on_the_size_of_the_year_before() {
        let c = year_on_year(&[Some(d("-10")), Some(d("-5")), Some(d("0")), Some(d("2.5"))]);
        assert_eq!(
            c[1],
            Some(Change {
                amount: d("5"),
                percent: Some(d("50.0"))
            })
        );
        assert_eq!(
            c[2],
            Some(Change {
                amount: d("5"),
                percent: Some(d("100.0"))
            })
        );
        // From zero: the amount, and no percentage.
        assert_eq!(
            c[3],
            Some(Change {
                amount: d("2.5"),
                percent: None
            })
        );
    }

    /// A small gap table funded at its base budget, worked by hand below.
    #[test]
    fn a_gap_table_against_its_budget() {
        let text = "Row,2017/18,2018/19\nNet Budget,100.0,110.0\nSavings,(5.0),(8.8)\nPressures,9.0,12.0\n";
        let imported = import(text.as_bytes(), "gap.csv", &ImportOptions::default()).unwrap();
        let mut model = gap_model(&imported.schedule);
        for row in &mut model.rows {
            row.role = match row.label.as_str() {
                "Net Budget" => GapRole::BaseBudget,
                "Savings" => GapRole::Savings,
                _ => GapRole::Pressure,
            };
        }
        let figures = compute_gap(&model, None);
        let shares = budget_shares(&model, &figures).unwrap();
        // 2017/18: funded at its base budget, gap = 9.0 − 5.0 = 4.0; 4.0 / 100.0 = 4.0 %;
        // savings 5.0 / 100.0 = 5.0 %. 2018/19: gap 12.0 − 8.8 = 3.2, 3.2 / 110 = 2.909… → 2.9 %;
        // savings 8.8 / 110 = 8.0 %.
        assert_eq!(shares[0].gap, Some(d("4.0")));
        assert_eq!(shares[0].savings, Some(d("5.0")));
        assert_eq!(shares[1].gap, Some(d("2.9")));
        assert_eq!(shares[1].savings, Some(d("8.0")));
        // The gap moved by 3.2 − 4.0 = −0.8 on the year before: −0.8 / 4.0 = −20.0 %.
        let gaps: Vec<_> = figures
            .years
            .iter()
            .map(|y| known(&y.gap_after_reserves))
            .collect();
        let change = year_on_year(&gaps)[1].clone().unwrap();
        assert_eq!(
            (change.amount, change.percent),
            (d("-0.8"), Some(d("-20.0")))
        );
        model.rows.retain(|r| r.role != GapRole::BaseBudget);
        assert_eq!(budget_shares(&model, &compute_gap(&model, None)), None);
    }
}
