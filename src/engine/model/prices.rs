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

impl Prices {
    /// "2024/25 prices".
    pub fn label(&self) -> String {
        format!("{} prices", self.base.label())
    }
}
