//! An exact sum of published cells with what checking it needs: the value, how many figures
//! it adds, how many cells had no figure, and the rounding those figures can hide
//! (docs/domain.md, "Checks and rounding", "Rounding, precisely").

use super::number::half_unit;
use super::number::Amount;
use rust_decimal::Decimal;

/// An exact sum of cells, with what checking it needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    /// The sum of every cell that has a figure (blank counts as zero).
    pub value: Decimal,
    /// How many written figures were added.
    pub figures: usize,
    /// How many cells had no figure: the sum is then incomplete.
    pub missing: usize,
    /// The most the rounding of the added figures can hide: half a unit of the last place of
    /// each figure, added up. A figure read from a file carries the places its table shows it
    /// to (`shown`), so a `-` in a table of three places adds 0.0005 (docs/domain.md,
    /// "Rounding, precisely"). The published figure's own half unit is not in it: the check
    /// adds that (`calc::checks::tolerance`).
    pub tolerance: Decimal,
}

impl Sum {
    /// Adds one cell.
    pub fn add(&mut self, amount: &Amount) {
        match amount {
            Amount::Figure(d) => {
                self.value += *d;
                self.figures += 1;
                self.tolerance += half_unit(*d);
            }
            Amount::Blank => {}
            Amount::NoFigure(_) => self.missing += 1,
        }
    }

    /// Adds another sum.
    pub fn merge(&mut self, other: &Sum) {
        self.value += other.value;
        self.figures += other.figures;
        self.missing += other.missing;
        self.tolerance += other.tolerance;
    }

    /// Takes away one cell added before: exactly what [`Sum::add`] added. Decimal addition and
    /// subtraction are exact, so adding a cell and taking it away leaves the same value (numerically;
    /// its scale may keep the extra decimals the cell had, which no figure shown or checked uses).
    pub fn remove(&mut self, amount: &Amount) {
        match amount {
            Amount::Figure(d) => {
                self.value -= *d;
                self.figures -= 1;
                self.tolerance -= half_unit(*d);
            }
            Amount::Blank => {}
            Amount::NoFigure(_) => self.missing -= 1,
        }
    }

    /// Takes away a sum merged before: exactly what [`Sum::merge`] added.
    pub fn unmerge(&mut self, other: &Sum) {
        self.value -= other.value;
        self.figures -= other.figures;
        self.missing -= other.missing;
        self.tolerance -= other.tolerance;
    }

    /// True when every added cell had a figure.
    pub fn is_complete(&self) -> bool {
        self.missing == 0
    }
}

/// Adds up several sums: a row's figure over the period from its figures by year.
pub fn sum_all(sums: &[Sum]) -> Sum {
    let mut out = Sum::default();
    sums.iter().for_each(|s| out.merge(s));
    out
}

pub(crate) fn times(s: &Sum, factor: Decimal) -> Sum {
    Sum {
        value: s.value * factor,
        tolerance: s.tolerance * factor.abs(),
        ..s.clone()
    }
}

/// Writes a sum for people: its value as [`format_amount`](super::format_amount) writes it,
/// followed by ` *` when a cell added had no figure (the sum is then incomplete). The one
/// spelling every view of sums uses.
///
/// ```
/// use gapwise::engine::{format_sum, Amount, Sum};
/// use rust_decimal::Decimal;
/// let mut sum = Sum::default();
/// sum.add(&Amount::Figure(Decimal::new(-15, 1)));
/// assert_eq!(format_sum(&sum, 1), "(1.5)");
/// ```
pub fn format_sum(sum: &Sum, decimals: u32) -> String {
    let text = super::number::format_amount(sum.value, decimals);
    if sum.is_complete() {
        text
    } else {
        format!("{text} *")
    }
}
