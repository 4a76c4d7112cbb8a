//! Cash and real terms (docs/domain.md, "Cash and real terms"): a figure of year y in the prices
//! of the base year b is `figure × index(b) / index(y)`.
//!
//! The product is exact; the division is rounded once, halves away from zero, to
//! [`REAL_PLACES`] places, far below any place a table shows, so a converted figure shown to the
//! table's places is the exact conversion rounded as stated (unless the exact one lies within
//! 10⁻¹⁰ of a half, which a table's figures and a published index do not reach). Totals in real
//! terms are the sums of converted figures, so they add up as the cash ones do. Published totals
//! are claims about cash figures: a schedule in real terms leaves them out, as a schedule seen in
//! another profile does.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::engine::model::number::Amount;
use crate::engine::model::prices::Prices;
use crate::engine::model::schedule::{ColumnRef, FinancialYear, Schedule};

/// The places a figure in real terms is kept to before it is shown.
pub const REAL_PLACES: u32 = 10;

/// The factor of a year: what a figure of that year is multiplied by, as the pair
/// (index of the base year, index of the year); `None` when the index lacks either year.
fn ratio(prices: &Prices, year: FinancialYear) -> Option<(Decimal, Decimal)> {
    Some((*prices.index.get(&prices.base)?, *prices.index.get(&year)?))
}

/// A figure of `year` in the prices of `prices.base`, rounded to [`REAL_PLACES`]; `None` when
/// the index has no figure for the year or the base, or the figure is beyond a `Decimal`.
///
/// ```
/// use gapwise::engine::{in_prices, FinancialYear, Prices};
/// use rust_decimal::Decimal;
/// let y = |start| FinancialYear { start };
/// let prices = Prices {
///     index: [(y(2023), Decimal::new(96, 0)), (y(2024), Decimal::new(100, 0))].into(),
///     base: y(2024),
/// };
/// // 480 of 2023/24 in 2024/25 prices: 480 × 100 / 96 = 500.
/// assert_eq!(in_prices(Decimal::new(480, 0), y(2023), &prices), Some(Decimal::new(500, 0)));
/// ```
pub fn in_prices(value: Decimal, year: FinancialYear, prices: &Prices) -> Option<Decimal> {
    let (base, of_year) = ratio(prices, year)?;
    let real = value.checked_mul(base)?.checked_div(of_year)?;
    Some(real.round_dp_with_strategy(REAL_PLACES, RoundingStrategy::MidpointAwayFromZero))
}

/// The years of `years` the index has no figure for (the base year first, when it lacks one).
pub fn missing_years(years: &[FinancialYear], prices: &Prices) -> Vec<FinancialYear> {
    let mut missing = Vec::new();
    if !prices.index.contains_key(&prices.base) {
        missing.push(prices.base);
    }
    for y in years {
        if !prices.index.contains_key(y) && !missing.contains(y) {
            missing.push(*y);
        }
    }
    missing
}

/// "The price index has no figure for 2026/27 and 2027/28."
pub fn missing_sentence(missing: &[FinancialYear]) -> String {
    let labels: Vec<String> = missing.iter().map(|y| y.label()).collect();
    let list = match labels.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("The price index has no figure for {list}.")
}

/// The schedule in real terms: every figure converted ([`in_prices`]), the published totals
/// left out. Refused, saying which years, when the index lacks one of the schedule's years or
/// the base year, or a figure is too large to convert.
pub fn schedule_in_prices(schedule: &Schedule, prices: &Prices) -> Result<Schedule, String> {
    let years: Vec<FinancialYear> = schedule.years.iter().map(|y| y.year).collect();
    let missing = missing_years(&years, prices);
    if !missing.is_empty() {
        return Err(missing_sentence(&missing));
    }
    let mut s = schedule.clone();
    for line in &mut s.lines {
        for (a, year) in line.amounts.iter_mut().zip(&years) {
            if let Amount::Figure(v) = a {
                let real = in_prices(*v, *year, prices).ok_or_else(|| {
                    format!("A figure of row {} is too large to convert.", line.row)
                })?;
                *a = Amount::Figure(real);
            }
        }
        line.total = None;
    }
    s.total_rows.clear();
    s.total_header = None;
    s.layout.retain(|c| *c != ColumnRef::Total);
    Ok(s)
}
