//! A [`Sum`] added up in integers, for the sums that go through every cell of a big schedule
//! (totals, the profile totals, the savings a schedule feeds to a gap).
//!
//! `Decimal` addition is exact but each one unpacks, aligns and repacks both figures; a
//! 100,000-line schedule of five years takes about ten of them per cell. Here a figure is
//! brought once to the largest number of places seen so far and added as an `i128` (the
//! integers scaled by a stated number of places of docs/domain.md, "Numbers as published"):
//! every figure of a cell is at most 10^18 with at most 27 places, so ten million of them stay far
//! inside `i128` at any scale `Decimal` can hold. The result is the same number as the `Decimal`
//! sums give, with the places of the most precise figure added (as `Decimal` keeps them). When
//! anything would not fit (a figure of 28 places, a total beyond `Decimal`'s 96 bits),
//! [`SumAcc::finish`] says so with `None` and the caller adds up with `Decimal` instead, so the
//! answer never differs: `calc::feed`'s tests compare the two on generated schedules.

use rust_decimal::Decimal;

use super::number::Amount;
use super::sum::Sum;

/// Powers of ten up to 10^38, the largest in `i128`.
const fn powers() -> [i128; 39] {
    let mut p = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
}
const POW10: [i128; 39] = powers();

/// A sum of cells in integers: `value` and `tolerance` are counted in units of the last of
/// `scale` places and of `scale + 1` places (a half unit of a figure of `s` places is 5 at
/// `s + 1`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SumAcc {
    value: i128,
    tolerance: i128,
    scale: u32,
    figures: usize,
    missing: usize,
    /// Something did not fit: [`SumAcc::finish`] gives `None`.
    overflow: bool,
}

impl SumAcc {
    /// Brings the sum to `scale` places (more than it has).
    fn widen(&mut self, scale: u32) {
        let p = POW10[(scale - self.scale) as usize];
        match (self.value.checked_mul(p), self.tolerance.checked_mul(p)) {
            (Some(v), Some(t)) => {
                self.value = v;
                self.tolerance = t;
                self.scale = scale;
            }
            _ => self.overflow = true,
        }
    }

    /// Adds `mantissa` at `scale` places (of a figure, so its half unit joins the tolerance),
    /// negated when `negate`.
    #[inline(always)]
    fn add_figure(&mut self, mantissa: i128, scale: u32, negate: bool) {
        if scale == self.scale && self.figures > 0 {
            // The common case, a figure of the places already seen: no rescaling.
            let v = if negate { -mantissa } else { mantissa };
            match self.value.checked_add(v) {
                Some(v) => self.value = v,
                None => self.overflow = true,
            }
            // At most 5 per figure: never near the end of `i128`.
            self.tolerance += 5;
            self.figures += 1;
            return;
        }
        if scale >= 28 {
            // The half unit of a figure of 28 places is not 5 at 29 (`half_unit`): rare enough
            // to leave to `Decimal`.
            self.overflow = true;
            return;
        }
        if scale > self.scale {
            self.widen(scale);
            if self.overflow {
                return;
            }
        }
        let p = POW10[(self.scale - scale) as usize];
        let Some(m) = mantissa.checked_mul(p) else {
            self.overflow = true;
            return;
        };
        let v = if negate {
            self.value.checked_sub(m)
        } else {
            self.value.checked_add(m)
        };
        match (v, self.tolerance.checked_add(5 * p)) {
            (Some(v), Some(t)) => {
                self.value = v;
                self.tolerance = t;
                self.figures += 1;
            }
            _ => self.overflow = true,
        }
    }

    /// Adds one cell, as [`Sum::add`] does.
    #[inline(always)]
    pub(crate) fn add(&mut self, amount: &Amount) {
        self.add_signed(amount, false);
    }

    /// Adds one cell, or takes its figure away when `negate` (its rounding and count are added
    /// either way: a difference of rounded figures can be out by both their roundings).
    #[inline(always)]
    pub(crate) fn add_signed(&mut self, amount: &Amount, negate: bool) {
        match amount {
            Amount::Figure(d) => self.add_figure(d.mantissa(), d.scale(), negate),
            Amount::Blank => {}
            Amount::NoFigure(_) => self.missing += 1,
        }
    }

    /// Adds another sum, as [`Sum::merge`] does.
    pub(crate) fn merge(&mut self, other: &SumAcc) {
        self.overflow |= other.overflow;
        if self.overflow {
            return;
        }
        if other.scale > self.scale {
            self.widen(other.scale);
        }
        // `other` at this sum's places.
        let p = POW10[(self.scale - other.scale.min(self.scale)) as usize];
        let (value, tolerance) = match (other.value.checked_mul(p), other.tolerance.checked_mul(p))
        {
            (Some(v), Some(t)) if !self.overflow => (v, t),
            _ => {
                self.overflow = true;
                return;
            }
        };
        match (
            self.value.checked_add(value),
            self.tolerance.checked_add(tolerance),
        ) {
            (Some(v), Some(t)) => {
                self.value = v;
                self.tolerance = t;
                self.figures += other.figures;
                self.missing += other.missing;
            }
            _ => self.overflow = true,
        }
    }

    /// The sum as a [`Sum`], or `None` when something did not fit (add up with `Decimal`).
    pub(crate) fn finish(&self) -> Option<Sum> {
        if self.overflow {
            return None;
        }
        let value = Decimal::try_from_i128_with_scale(self.value, self.scale).ok()?;
        let tolerance = if self.figures == 0 {
            Decimal::ZERO
        } else {
            Decimal::try_from_i128_with_scale(self.tolerance, self.scale + 1).ok()?
        };
        Some(Sum {
            value,
            figures: self.figures,
            missing: self.missing,
            tolerance,
        })
    }
}

/// Each of `accs` as a [`Sum`], or `None` when one did not fit.
pub(crate) fn finish_all(accs: &[SumAcc]) -> Option<Vec<Sum>> {
    accs.iter().map(SumAcc::finish).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn by_decimal(cells: &[Amount]) -> Sum {
        let mut s = Sum::default();
        cells.iter().for_each(|a| s.add(a));
        s
    }

    fn by_integers(cells: &[Amount]) -> Option<Sum> {
        let mut s = SumAcc::default();
        cells.iter().for_each(|a| s.add(a));
        s.finish()
    }

    #[test]
    fn same_sum_as_decimal_with_mixed_places() {
        let cells = [
            Amount::Figure(d("1.5")),
            Amount::Blank,
            Amount::Figure(d("-2.25")),
            Amount::NoFigure(crate::engine::model::number::NoFigure::NotApplicable),
            Amount::Figure(d("4000")),
        ];
        let fast = by_integers(&cells).unwrap();
        let slow = by_decimal(&cells);
        assert_eq!(fast, slow);
        assert_eq!(fast.value.to_string(), "3999.25");
        assert_eq!(fast.tolerance.to_string(), slow.tolerance.to_string());
        assert_eq!((fast.figures, fast.missing), (3, 1));
    }

    #[test]
    fn too_many_places_is_left_to_decimal() {
        let cells = [Amount::Figure(d("0.0000000000000000000000000001"))];
        assert_eq!(by_integers(&cells), None);
        let huge = Amount::Figure(Decimal::MAX);
        assert_eq!(by_integers(&[huge.clone(), huge]), None);
    }

    #[test]
    fn negated_figures_keep_their_rounding() {
        let mut s = SumAcc::default();
        s.add(&Amount::Figure(d("3.0")));
        s.add_signed(&Amount::Figure(d("1.25")), true);
        let s = s.finish().unwrap();
        assert_eq!(s.value, d("1.75"));
        assert_eq!(s.tolerance, d("0.055"));
        assert_eq!(s.figures, 2);
    }

    #[test]
    fn merging_matches_adding_every_cell() {
        let (a, b) = ([d("0.1"), d("7.359")], [d("-12"), d("0.02")]);
        let (mut x, mut y, mut all) = (SumAcc::default(), SumAcc::default(), SumAcc::default());
        a.iter().for_each(|v| x.add(&Amount::Figure(*v)));
        b.iter().for_each(|v| y.add(&Amount::Figure(*v)));
        a.iter()
            .chain(&b)
            .for_each(|v| all.add(&Amount::Figure(*v)));
        x.merge(&y);
        assert_eq!(x.finish(), all.finish());
        assert_eq!(x.finish().unwrap().value, d("-4.521"));
    }
}
