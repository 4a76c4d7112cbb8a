//! Column identities: total columns, net columns, variance columns.
//!
//! Columns are read left to right, and a column's terms lie to its left. For each column, in
//! order of preference:
//! 1. the sum of a group of columns to its left that are not derived (all of them, or those
//!    from some column on: a total over the years or over a group of them), or the sum of the
//!    derived columns so far (a column over the years = the sum of the yearly nets). This is
//!    the line-total rule, linear in the rows: it runs on tables of any size;
//! 2. the sum of every `step`-th column to its left (2 to 8 apart), going back from it: the
//!    same measure over the periods when each period has several columns (`Q1 Target`, `Q1
//!    Forecast`, `Q1 Variance`, …, `Year Target` = the four quarters' targets; `Gross`,
//!    `Cost`, `Net` per year, then each over the years). Derived columns count as terms here;
//!    also linear in the rows;
//! 3. in tables of up to `rows::SMALL` rows: a signed sum of two columns to its left (net =
//!    benefit + cost; variance = forecast − target, or target − forecast) among the 24 columns
//!    just left of it, then of three or four among the ten just left of it.
//!
//! Checked in every row that is not a heading; the rule of `verify::accept` decides. A candidate
//! that only restates an identity already found (with a derived column's terms
//! put in, it leaves one column: `Q2 Target = Q1 Forecast − Q1 Variance` when the two
//! quarters' targets are the same figures), or in which two terms cancel in every row, is no
//! identity and is not taken; nor is any combination for a column that copies one to its left.

use super::grid::Grid;
use super::rows::{Found, SMALL};
use super::table::Table;
use super::verify::{accept, evaluate, hint, max_broken, term_sum, Axis, Candidate, Shape};

/// Three- and four-term column combinations are sought among this many columns to the left.
const COLUMN_WINDOW: usize = 10;
/// Two-term column combinations are sought among this many columns to the left.
const PAIR_WINDOW: usize = 24;
/// A candidate is first checked on this many rows.
const SAMPLE: usize = 12;
/// At most this many groups (first columns) are tried per column.
const MAX_GROUPS: usize = 24;
/// Strided sums take every `step`-th column for `step` up to this.
const MAX_STEP: usize = 8;

/// Column identities, and which columns are derived.
/// `structural`: groups only (rule 1), whatever the size, as `rows::find_rows`.
pub(crate) fn find_columns(g: &Grid, table: &Table, structural: bool) -> (Vec<Found>, Vec<bool>) {
    let crosses: Vec<usize> = (0..g.rows).filter(|&r| !g.heading[r]).collect();
    let counted = vec![true; g.rows];
    let mut derived = vec![false; g.cols];
    // The terms of each derived column's identity, to tell a restatement from an identity.
    let mut terms_of: Vec<Option<Vec<(usize, i8)>>> = vec![None; g.cols];
    let mut found = Vec::new();
    let mb = max_broken(crosses.len());
    for t in 0..g.cols {
        let heading = table
            .columns
            .get(t)
            .map(|c| c.heading.as_str())
            .unwrap_or("");
        let h = hint(heading);
        let mut best: Option<Found> = None;
        let consider =
            |terms: Vec<(usize, i8)>, shape: Shape, tier: u8, best: &mut Option<Found>| {
                if terms.is_empty() {
                    return;
                }
                if restates(&terms, &terms_of, g.cols) {
                    return;
                }
                // First on a sample of rows: more than a third broken there and it cannot count.
                let sample = &crosses[..crosses.len().min(SAMPLE)];
                if sample.len() < crosses.len()
                    && evaluate(g, Axis::Column, t, sample, &counted, SAMPLE / 3, |r| {
                        term_sum(g, Axis::Column, &terms, r)
                    })
                    .is_none()
                {
                    return;
                }
                let o = evaluate(g, Axis::Column, t, &crosses, &counted, mb, |r| {
                    term_sum(g, Axis::Column, &terms, r)
                });
                let Some(o) = o else { return };
                if !accept(&o, terms.len(), h)
                    || (shape == Shape::Combination && cancels(g, &terms, &crosses))
                {
                    return;
                }
                // Three or four terms chosen among many columns agree by chance more often: a
                // broken check needs twice the usual evidence.
                if shape == Shape::Combination
                    && terms.len() >= 3
                    && o.broken > 0
                    && o.strength < 6 * o.broken
                {
                    return;
                }
                let dist = terms.iter().map(|(c, _)| t - c).sum();
                let mut terms = terms;
                terms.sort_by_key(|&(c, s)| (s < 0, c));
                let f = Found {
                    cand: Candidate {
                        axis: Axis::Column,
                        target: t,
                        shape,
                        terms,
                    },
                    outcome: o,
                    tier,
                    dist,
                };
                if best.as_ref().is_none_or(|b| {
                    (f.outcome.broken, f.tier, f.dist) < (b.outcome.broken, b.tier, b.dist)
                }) {
                    *best = Some(f);
                }
            };
        // 1. Groups.
        let plain: Vec<usize> = (0..t).filter(|&c| !derived[c]).collect();
        for from in 0..plain.len().min(MAX_GROUPS) {
            if plain.len() - from < 2 {
                break;
            }
            let terms = plain[from..].iter().map(|&c| (c, 1)).collect();
            consider(terms, Shape::Group, 0, &mut best);
            if best.as_ref().is_some_and(|b| b.outcome.broken == 0) {
                break;
            }
        }
        // 2. Every step-th column.
        if best.as_ref().is_none_or(|b| b.outcome.broken > 0) {
            for step in 2..=MAX_STEP.min(t) {
                let terms: Vec<(usize, i8)> =
                    (1..=t / step).map(|k| (t - k * step, 1i8)).rev().collect();
                if terms.len() >= 2 {
                    consider(terms, Shape::Strided { step }, 0, &mut best);
                }
            }
        }
        let nets: Vec<(usize, i8)> = (0..t).filter(|&c| derived[c]).map(|c| (c, 1)).collect();
        if nets.len() >= 2 && best.as_ref().is_none_or(|b| b.outcome.broken > 0) {
            consider(nets, Shape::Group, 0, &mut best);
        }
        // 3. Signed combinations, unless the column is a copy of one to its left.
        if g.rows <= SMALL
            && !structural
            && best.as_ref().is_none_or(|b| b.outcome.broken > 0)
            && !copies(g, t, &crosses)
        {
            let signs = [1i8, -1i8];
            for a in t.saturating_sub(PAIR_WINDOW)..t {
                for b in a + 1..t {
                    for sa in signs {
                        for sb in signs {
                            consider(vec![(a, sa), (b, sb)], Shape::Combination, 1, &mut best);
                        }
                    }
                }
            }
            if best.is_none() && g.cols <= 2 * PAIR_WINDOW {
                let near: Vec<usize> = (t.saturating_sub(COLUMN_WINDOW)..t).collect();
                for (i, &a) in near.iter().enumerate() {
                    for (j, &b) in near.iter().enumerate().skip(i + 1) {
                        for (k, &c) in near.iter().enumerate().skip(j + 1) {
                            for sa in signs {
                                for sb in signs {
                                    for sc in signs {
                                        let three = vec![(a, sa), (b, sb), (c, sc)];
                                        consider(three.clone(), Shape::Combination, 2, &mut best);
                                        for &d in near.iter().skip(k + 1) {
                                            for sd in signs {
                                                let mut four = three.clone();
                                                four.push((d, sd));
                                                consider(four, Shape::Combination, 3, &mut best);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let Some(f) = best {
            derived[t] = true;
            terms_of[t] = Some(f.cand.terms.clone());
            found.push(f);
        }
    }
    (found, derived)
}

/// True when column `t` holds the same figures as a column to its left (or their negatives) in
/// every row: any combination found for it would be that column plus terms that cancel.
fn copies(g: &Grid, t: usize, rows: &[usize]) -> bool {
    !rows.is_empty()
        && (0..t).any(|u| {
            [1i128, -1].iter().any(|&s| {
                rows.iter()
                    .all(|&r| g.val[g.at(r, t)] == s * g.val[g.at(r, u)])
            })
        })
}

/// True when two of three or more terms cancel in every row (`+ B − E` where the two columns
/// hold the same figures): the combination is a shorter one with a zero added.
fn cancels(g: &Grid, terms: &[(usize, i8)], rows: &[usize]) -> bool {
    if terms.len() < 3 {
        return false;
    }
    terms.iter().enumerate().any(|(i, &(a, sa))| {
        terms[i + 1..].iter().any(|&(b, sb)| {
            rows.iter().all(|&r| {
                let (va, vb) = (g.val[g.at(r, a)], g.val[g.at(r, b)]);
                i128::from(sa) * va + i128::from(sb) * vb == 0
            })
        })
    })
}

/// True when `terms`, with each derived column replaced by its own identity's terms, leave at
/// most one column, or cancel a column (`E + G` where `G = F − E`): the candidate restates
/// identities already found.
fn restates(terms: &[(usize, i8)], terms_of: &[Option<Vec<(usize, i8)>>], cols: usize) -> bool {
    let mut coefficient = vec![0i32; cols];
    let mut touched = vec![false; cols];
    for &(c, s) in terms {
        match terms_of.get(c).and_then(Option::as_ref) {
            Some(inner) => {
                for &(d, t) in inner {
                    coefficient[d] += i32::from(s) * i32::from(t);
                    touched[d] = true;
                }
            }
            None => {
                coefficient[c] += i32::from(s);
                touched[c] = true;
            }
        }
    }
    let left = coefficient.iter().filter(|&&k| k != 0).count();
    let cancelled = (0..cols).any(|c| touched[c] && coefficient[c] == 0);
    left <= 1 || cancelled
}
