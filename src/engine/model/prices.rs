//! Prices: a price index by financial year (a deflator, such as the GDP deflator) and the year
//! whose prices figures are shown in (docs/domain.md, "Cash and real terms"). The data only;
//! converting figures is `calc::real_terms`, reading an index from text `read::deflator`.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::schedule::FinancialYear;

/// Figures shown in real terms of one year's prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prices {
    /// The index of each financial year (any base: only ratios of it are used). Every index is
    /// above zero.
    pub index: BTreeMap<FinancialYear, Decimal>,
    /// The year whose prices figures are shown in ("2024/25 prices").
    pub base: FinancialYear,
}

/// At most this many years in a price index (`read::deflator` reads at most as many lines).
pub const MAX_PRICE_YEARS: usize = 1_000;

impl Prices {
    /// "2024/25 prices".
    pub fn label(&self) -> String {
        format!("{} prices", self.base.label())
    }

    /// True when the setting can be used as it is: at most [`MAX_PRICE_YEARS`] years, every
    /// index above zero, and an index for the base year. A setting read back from saved work
    /// (which anything in the browser could have written) is used only if it is.
    pub fn is_sound(&self) -> bool {
        self.index.len() <= MAX_PRICE_YEARS
            && self.index.values().all(|i| *i > Decimal::ZERO)
            && self.index.contains_key(&self.base)
    }

    /// The index as text, one `2024/25, 101.3` per line, as `read::deflator` reads it back.
    ///
    /// ```
    /// use gapwise::engine::{parse_deflator, FinancialYear, Prices};
    /// let index = parse_deflator("2023/24, 98.5\n2024/25, 100").unwrap();
    /// let prices = Prices { index: index.clone(), base: FinancialYear { start: 2024 } };
    /// assert_eq!(prices.index_text(), "2023/24, 98.5\n2024/25, 100");
    /// assert_eq!(parse_deflator(&prices.index_text()).unwrap(), index);
    /// assert!(prices.is_sound());
    /// // Saved work with an index of zero, or without the base year's, is not used.
    /// let mut zero = prices.clone();
    /// zero.index.insert(FinancialYear { start: 2022 }, 0.into());
    /// assert!(!zero.is_sound());
    /// let no_base = Prices { base: FinancialYear { start: 2030 }, ..prices };
    /// assert!(!no_base.is_sound());
    /// ```
    pub fn index_text(&self) -> String {
        self.index
            .iter()
            .map(|(year, index)| format!("{}, {index}", year.label()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
