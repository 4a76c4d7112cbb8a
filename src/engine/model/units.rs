//! A figure in a schedule's unit: a figure's own magnitude (`£1.5m`, `£75k`) converted exactly to the
//! unit, and one amount as a user types it.

use super::number::parse_amount;
use super::number::Amount;
use super::number::Magnitude;
use super::number::NoFigure;
use super::number::NumberError;
use super::number::ParsedAmount;
use super::number::MAX_MAGNITUDE;
use super::schedule::Unit;
use rust_decimal::Decimal;

/// Reads one amount typed or pasted into a schedule in `unit`: every format of import
/// ("Numbers as published"), a `k`/`m` figure converted exactly to the unit, `N/A` and `TBC`
/// kept as no figure; a spreadsheet error value (`#REF!`) or a figure over 10^18 is refused.
///
/// ```
/// use gapwise::engine::{parse_entry, Amount, Unit};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_entry("£1.5m", Unit::Thousands), Ok(Amount::Figure(Decimal::new(15000, 1))));
/// assert!(parse_entry("aa", Unit::Thousands).is_err());
/// ```
pub fn parse_entry(text: &str, unit: Unit) -> Result<Amount, NumberError> {
    match parse_amount(text)? {
        ParsedAmount {
            amount: Amount::Figure(d),
            magnitude,
        } => {
            let d = to_unit(d, magnitude, unit);
            if d.abs() > Decimal::from(MAX_MAGNITUDE) {
                return Err(NumberError::TooLarge);
            }
            Ok(Amount::Figure(d))
        }
        ParsedAmount {
            amount: Amount::NoFigure(NoFigure::Unreadable),
            ..
        } => Err(NumberError::NotANumber),
        ParsedAmount { amount, .. } => Ok(amount),
    }
}

/// Converts a figure written with its own magnitude (`£1.374m`, `£75k`) to the schedule's unit,
/// exactly: `£75k` in a `£m` schedule is 0.075.
pub(crate) fn to_unit(d: Decimal, magnitude: Option<Magnitude>, unit: Unit) -> Decimal {
    let from = match magnitude {
        None => return d,
        Some(Magnitude::Thousands) => 3i32,
        Some(Magnitude::Millions) => 6,
    };
    let shift = from - unit.exponent() as i32;
    let mut out = d;
    if shift > 0 {
        out *= Decimal::from(10i64.pow(shift as u32));
        // Keep the written decimals: 1.374m in £'000 is 1374.000 → shown 1,374.
        out.rescale(d.scale().saturating_sub(shift as u32));
    } else if shift < 0 {
        let mut scaled = d;
        scaled.set_scale(d.scale() + (-shift) as u32).ok();
        out = scaled;
    }
    out
}
/// Words of a heading (or unit cell) that say a column is not money even when its cells are
/// numbers: staff (FTE, posts, headcount), percentages and ratios, counts, codes and RAG
/// ratings (domain.md "The arithmetic map", "Columns that are not money").
const NOT_MONEY: [&str; 15] = [
    "fte",
    "ftes",
    "%",
    "rag",
    "posts",
    "percent",
    "percentage",
    "pct",
    "headcount",
    "ratio",
    "ratios",
    "count",
    "ref",
    "reference",
    "code",
];

/// True when a heading or a unit cell says its column is not money (`FTE 2024/25`, `Variance
/// %`, `Posts`): the word counts wherever it stands, a year beside it changes nothing.
pub fn not_money(heading: &str) -> bool {
    let h = heading.to_lowercase();
    h.split(|c: char| !c.is_alphanumeric() && c != '%')
        .any(|w| NOT_MONEY.contains(&w))
        || h.contains('%')
}
