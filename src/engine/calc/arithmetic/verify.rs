//! Checking one candidate identity cell by cell, and deciding whether it counts.
//!
//! A cell's check: the published figure against the sum of its terms as signed; the tolerance
//! is the half units of the terms plus the published figure's own (see `grid`). Exact is
//! **confirmed**, within tolerance **rounding**, outside **broken**. A target cell that is blank,
//! `N/A`/`TBC` or text makes no claim; a term that is `N/A`/`TBC` or text leaves the cell
//! unchecked. Blank terms count as zero.
//!
//! Whether an identity counts ([`accept`]), where *strength* is the number of checks that hold
//! (within rounding) with a non-zero published figure in an independent position (for a row
//! identity, a column that is not itself derived; for a column identity, any row):
//! - with no broken check: strength ≥ 2; or strength 1 when that one check is exact and has at
//!   least two non-zero terms (a sum of several shown figures that is exact is no coincidence);
//! - with B ≥ 1 broken checks: strength ≥ 3·B and ≥ 3; when the label of the target agrees
//!   (`total`, `net`, `gap`, `variance`…, see [`hint`]) strength ≥ 2·B and ≥ 2 suffice.
//!
//! Otherwise there is no identity (the figures are lines), never an error: a false alarm on a
//! correct table is as bad as a missed error, so one odd cell needs at least three agreeing
//! non-zero cells (two with an agreeing label) before it is called broken.

use serde::{Deserialize, Serialize};

use super::grid::{Grid, State};

/// Which way an identity runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Axis {
    /// A row equal to other rows, checked in each column.
    Row,
    /// A column equal to other columns, checked in each row.
    Column,
}

/// How the terms of an identity were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Shape {
    /// A row equal to the contiguous block of rows right above it.
    Block,
    /// A row equal to all the lines above it (derived rows skipped).
    LinesAbove,
    /// A row equal to every `step`-th row above it (one measure of repeated groups).
    Strided { step: usize },
    /// A signed sum of two to four rows (or columns).
    Combination,
    /// The change of another row from the previous year column (the first year: itself).
    Change,
    /// The running sum of another row over the year columns.
    RunningSum,
    /// A column equal to the sum of a group of columns.
    Group,
    /// A column of percentages equal to 100 × one column ÷ another (`percent`): its terms are
    /// the numerator (sign +1) and the denominator (sign −1).
    Ratio,
}

/// A published figure's verdict, ordered from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Status {
    /// Exactly the sum of its terms.
    Confirmed,
    /// Off by no more than the rounding the shown figures can hide.
    Rounding,
    /// Off by more: an error.
    Broken,
}

/// A candidate identity (internal indices: table rows, figure columns).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Candidate {
    pub axis: Axis,
    pub target: usize,
    pub shape: Shape,
    /// (row or column index, +1 or −1).
    pub terms: Vec<(usize, i8)>,
}

/// One cell's check, in the grid's integers.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Eval {
    /// The row (column identity) or column (row identity) checked.
    pub cross: usize,
    pub published: i128,
    pub computed: i128,
    pub tol: i128,
    pub status: Status,
    pub nonzero_terms: u32,
}

#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub evals: Vec<Eval>,
    pub broken: usize,
    pub strength: usize,
}

/// The terms' sum at one cross position: (sum, tolerance of the terms, non-zero terms), or
/// `None` when a term has no figure there.
pub(crate) type TermSum = Option<(i128, i128, u32)>;

/// Checks a candidate at each cross position; stops early (`None`) once more than
/// `max_broken` checks are broken.
pub(crate) fn evaluate(
    g: &Grid,
    axis: Axis,
    target: usize,
    crosses: &[usize],
    counted: &[bool],
    max_broken: usize,
    mut sum: impl FnMut(usize) -> TermSum,
) -> Option<Outcome> {
    let mut out = Outcome {
        evals: Vec::new(),
        broken: 0,
        strength: 0,
    };
    for &x in crosses {
        let i = match axis {
            Axis::Row => g.at(target, x),
            Axis::Column => g.at(x, target),
        };
        if g.state[i] != State::Written {
            continue;
        }
        let Some((computed, tol_terms, nonzero_terms)) = sum(x) else {
            continue;
        };
        let published = g.val[i];
        let tol = tol_terms.saturating_add(g.half[i]);
        let diff = published.saturating_sub(computed).saturating_abs();
        let status = if diff == 0 {
            Status::Confirmed
        } else if diff <= tol {
            Status::Rounding
        } else {
            Status::Broken
        };
        if status == Status::Broken {
            out.broken += 1;
            if out.broken > max_broken {
                return None;
            }
        } else if published != 0 && counted.get(x).copied().unwrap_or(true) {
            out.strength += 1;
        }
        out.evals.push(Eval {
            cross: x,
            published,
            computed,
            tol,
            status,
            nonzero_terms,
        });
    }
    Some(out)
}

/// The terms' sum at one cell of a list of signed terms.
pub(crate) fn term_sum(g: &Grid, axis: Axis, terms: &[(usize, i8)], x: usize) -> TermSum {
    let (mut s, mut h, mut nz) = (0i128, 0i128, 0u32);
    for &(t, sign) in terms {
        let i = match axis {
            Axis::Row => g.at(t, x),
            Axis::Column => g.at(x, t),
        };
        if g.state[i] == State::Missing {
            return None;
        }
        let v = g.val[i];
        s = if sign < 0 {
            s.saturating_sub(v)
        } else {
            s.saturating_add(v)
        };
        h = h.saturating_add(g.half[i]);
        nz += u32::from(v != 0);
    }
    Some((s, h, nz))
}

/// Whether an identity counts (the rule in the module documentation).
pub(crate) fn accept(o: &Outcome, n_terms: usize, hint: bool) -> bool {
    let (b, s) = (o.broken, o.strength);
    if b == 0 {
        if s >= 2 {
            return true;
        }
        return s == 1
            && n_terms >= 2
            && o.evals.iter().any(|e| {
                e.published != 0 && e.status == Status::Confirmed && e.nonzero_terms >= 2
            });
    }
    if hint {
        s >= 2 * b && s >= 2
    } else {
        s >= 3 * b && s >= 3
    }
}

/// The most broken checks an identity over `n` positions may have ([`accept`]'s bound, for
/// stopping early).
pub(crate) fn max_broken(n: usize) -> usize {
    n / 3 + 1
}

/// Words of a label that say it is derived: the label agrees with an identity.
const HINTS: [&str; 17] = [
    "total",
    "subtotal",
    "sum",
    "net",
    "gap",
    "variance",
    "favourable",
    "adverse",
    "deficit",
    "surplus",
    "shortfall",
    "requirement",
    "revised",
    "balance",
    "remaining",
    "cumulative",
    "overall",
];

/// True when a label or heading names a derived figure.
pub fn hint(label: &str) -> bool {
    let l = label.to_lowercase();
    l.split(|c: char| !c.is_alphanumeric())
        .any(|w| HINTS.contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(broken: usize, strength: usize) -> Outcome {
        Outcome {
            evals: Vec::new(),
            broken,
            strength,
        }
    }

    #[test]
    fn the_rule() {
        assert!(accept(&outcome(0, 2), 2, false));
        assert!(!accept(&outcome(0, 1), 2, false));
        assert!(!accept(&outcome(1, 2), 2, false));
        assert!(accept(&outcome(1, 2), 2, true));
        assert!(accept(&outcome(1, 3), 2, false));
        assert!(!accept(&outcome(2, 5), 2, false));
        assert!(accept(&outcome(2, 6), 2, false));
        assert!(hint("Total Budget Savings"));
        assert!(hint("Cost Reduction (Net)"));
        assert!(!hint("Network review"));
    }
}
