//! A price index as a user pastes or loads it: one financial year and its index per line
//! (`2024/25, 100.0`, tab- or space-separated too; a header line and blank lines are passed
//! over), as published by HM Treasury for the GDP deflator (docs/domain.md, "Cash and real
//! terms").

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::engine::model::number::{parse_amount, Amount, ParsedAmount};
use crate::engine::model::prices::MAX_PRICE_YEARS;
use crate::engine::model::schedule::FinancialYear;

/// The most lines read: a deflator runs to decades, not thousands of years.
pub const MAX_DEFLATOR_LINES: usize = MAX_PRICE_YEARS;

/// Reads an index per financial year from text. Refuses, saying which line, a year given twice,
/// an index that is not a figure above zero, and a line with a year but no index.
///
/// ```
/// use gapwise::engine::{parse_deflator, FinancialYear};
/// let index = parse_deflator("Year,Index\n2023/24, 98.5\n2024/25\t100\n").unwrap();
/// assert_eq!(index[&FinancialYear { start: 2024 }].to_string(), "100");
/// assert!(parse_deflator("2024/25, 0").unwrap_err().starts_with("Line 1"));
/// ```
pub fn parse_deflator(text: &str) -> Result<BTreeMap<FinancialYear, Decimal>, String> {
    let mut index = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if n > MAX_DEFLATOR_LINES {
            return Err(format!(
                "A price index of more than {MAX_DEFLATOR_LINES} lines is not read; line {n} is one too many."
            ));
        }
        let line = line.trim();
        let Some(year) = FinancialYear::find_in(line) else {
            if line.chars().any(|c| c.is_ascii_digit()) {
                return Err(format!(
                    "Line {n} of the price index has no financial year written as 2024/25."
                ));
            }
            // A header or a blank line.
            continue;
        };
        // The index is what follows the year, after a comma, tab or spaces.
        let label_end = line
            .find(&year.label()[..5])
            .map(|at| {
                let rest = &line[at + 5..];
                at + 5
                    + rest
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(rest.len())
            })
            .unwrap_or(0);
        let rest = line[label_end..]
            .trim_start_matches(|c: char| matches!(c, ',' | ';' | ':' | '=') || c.is_whitespace());
        let value = match parse_amount(rest) {
            Ok(ParsedAmount {
                amount: Amount::Figure(v),
                ..
            }) if v > Decimal::ZERO => v,
            _ => {
                return Err(format!(
                    "Line {n} of the price index: {} needs an index above zero, not {:?}.",
                    year.label(),
                    rest.chars().take(40).collect::<String>()
                ))
            }
        };
        if index.insert(year, value).is_some() {
            return Err(format!(
                "Line {n} of the price index gives {} a second time.",
                year.label()
            ));
        }
    }
    if index.is_empty() {
        return Err("The price index has no line with a financial year and its index.".into());
    }
    Ok(index)
}
