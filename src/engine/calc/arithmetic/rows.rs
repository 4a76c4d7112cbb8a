//! Row identities: which rows are sums, differences, changes or running sums of rows above.
//!
//! Rows are read top to bottom. For each row, in order of preference (the simplest
//! explanation first):
//! 1. every `step`-th row above (2 ≤ step ≤ 6, at least three terms): the summary rows under
//!    repeated groups of measures (Investment, Gross Saving, Net per proposal);
//! 2. the contiguous block right above it, back to the previous heading or derived row
//!    (leading rows that are blank in every year the row claims are not part of it), or all
//!    the lines above (derived rows skipped): subtotals and totals. Found by prefix sums, so
//!    linear in the table's size: these are the only row rules that run on big tables;
//! 3. in tables of up to [`SMALL`] rows: a shorter contiguous block; the change of another row
//!    from the previous year (annual from cumulative); the running sum of another row;
//! 4. in tables of up to [`SMALL`] rows: a signed sum of two earlier rows (any), or of three or
//!    four among the [`WINDOW`] data rows just above. Candidates come from a sorted column of
//!    figures searched within tolerance in one year (and again in a second year, in case the
//!    first holds the error), then are checked in every column. The sorted columns of earlier
//!    rows are kept up to date row by row; four terms meet in the middle (the sorted signed sums
//!    of the window's pairs), so a target costs some hundreds of look-ups, not ten thousand.
//!
//! A block whose target has no two agreeing figures still counts when the same block (same
//! length, right above) was found for at least two earlier rows with the same last label part
//! and it holds in every cell (a proposal's net row with one figure, like the others).
//!
//! A combination of three or four rows is found by a search with that much freedom, so it needs
//! three agreeing non-zero figures in independent columns, whatever the label.
//!
//! Among the candidates that count, the one with the fewest broken cells wins, then the
//! earlier rule, then the nearer rows. A found row becomes a boundary for later blocks and is
//! not a line of later totals. In tables of more than [`MANY_ROWS`] data rows, rules 3–4 also
//! need an agreeing label or three agreeing non-zero years (lines of a long schedule
//! sometimes add up to another line by chance).

use std::collections::HashSet;

use super::grid::{Grid, State};
use super::table::Table;
use super::verify::{
    accept, evaluate, hint, max_broken, term_sum, Axis, Candidate, Outcome, Shape, TermSum,
};

/// Tables of up to this many rows get every rule; bigger ones only blocks and line totals.
pub const SMALL: usize = 300;
/// Three- and four-term combinations are sought among this many rows above.
pub const WINDOW: usize = 12;
/// Above this many data rows, rules 3–4 need a label hint or three agreeing years.
pub const MANY_ROWS: usize = 40;
/// At most this many combination candidates are checked per row.
const MAX_CANDIDATES: usize = 4000;

/// An identity found, with its checks.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub cand: Candidate,
    pub outcome: Outcome,
    pub tier: u8,
    pub dist: usize,
}

fn better(a: &Found, b: &Found) -> bool {
    (a.outcome.broken, a.tier, a.dist) < (b.outcome.broken, b.tier, b.dist)
}

fn keep(best: &mut Option<Found>, f: Found) {
    if best.as_ref().is_none_or(|b| better(&f, b)) {
        *best = Some(f);
    }
}

/// Per-column running sums over the rows: value, half units, missing cells, non-zero cells.
struct Prefix {
    cols: usize,
    v: Vec<i128>,
    h: Vec<i128>,
    miss: Vec<u32>,
    nz: Vec<u32>,
}

impl Prefix {
    fn new(g: &Grid) -> Prefix {
        let n = (g.rows + 1) * g.cols;
        let mut p = Prefix {
            cols: g.cols,
            v: vec![0; n],
            h: vec![0; n],
            miss: vec![0; n],
            nz: vec![0; n],
        };
        for r in 0..g.rows {
            for c in 0..g.cols {
                let (i, j) = (r * g.cols + c, (r + 1) * g.cols + c);
                let k = g.at(r, c);
                p.v[j] = p.v[i].saturating_add(g.val[k]);
                p.h[j] = p.h[i].saturating_add(if g.heading[r] { 0 } else { g.half[k] });
                p.miss[j] = p.miss[i] + u32::from(g.state[k] == State::Missing && !g.heading[r]);
                p.nz[j] = p.nz[i] + u32::from(g.val[k] != 0);
            }
        }
        p
    }

    /// The block of rows `s..t` at column `c`.
    fn block(&self, s: usize, t: usize, c: usize) -> Option<(i128, i128, u32)> {
        let (i, j) = (s * self.cols + c, t * self.cols + c);
        if self.miss[j] > self.miss[i] {
            return None;
        }
        Some((
            self.v[j].saturating_sub(self.v[i]),
            self.h[j].saturating_sub(self.h[i]),
            self.nz[j] - self.nz[i],
        ))
    }
}

/// Row identities of a table whose derived columns are `col_derived`.
/// `structural`: only rules 1 and 2, whatever the size (a table of small counts such as FTE,
/// where a signed sum of two rows agrees by chance).
pub(crate) fn find_rows(
    g: &Grid,
    table: &Table,
    col_derived: &[bool],
    structural: bool,
) -> Vec<Found> {
    if g.cols != 1 {
        return find_rows_with(g, table, col_derived, structural, false);
    }
    // One column: a total's single check is its only evidence, so a labelled total that breaks
    // its block counts as broken when another block of the table is a confirmed total.
    let found = find_rows_with(g, table, col_derived, structural, true);
    let anchored = found
        .iter()
        .any(|f| matches!(f.cand.shape, Shape::Block | Shape::LinesAbove) && f.outcome.broken == 0);
    if anchored || found.iter().all(|f| f.outcome.broken == 0) {
        found
    } else {
        find_rows_with(g, table, col_derived, structural, false)
    }
}

/// [`find_rows`]; `lone_totals`: in a one-column table, a row labelled as a total (`hint`)
/// closing a block of two or more rows is taken as that block's total even where its one
/// figure breaks it (tier 4, after every other explanation).
fn find_rows_with(
    g: &Grid,
    table: &Table,
    col_derived: &[bool],
    structural: bool,
    lone_totals: bool,
) -> Vec<Found> {
    let small = g.rows <= SMALL && !structural;
    let data_rows = g.heading.iter().filter(|h| !**h).count();
    let many = data_rows > MANY_ROWS;
    let counted: Vec<bool> = (0..g.cols)
        .map(|c| !col_derived.get(c).copied().unwrap_or(false))
        .collect();
    let all_cols: Vec<usize> = (0..g.cols).collect();
    let years: Vec<usize> = (0..g.cols).filter(|&c| counted[c]).collect();
    let prefix = Prefix::new(g);
    // The lines so far (rows not derived), and their sums per column.
    let mut lines: Vec<usize> = Vec::new();
    let mut lsum = vec![(0i128, 0i128, 0u32, 0u32); g.cols];
    let mut section = 0usize;
    // Blocks found, by the last part of the target's label and the block's length: a group's
    // net row (`… · Net Saving`) is a block like the others even where it has one figure.
    let mut patterns: std::collections::HashMap<(String, usize), usize> = Default::default();
    let mut found = Vec::new();
    let mb = max_broken(g.cols);
    // The rows above with a figure (the terms a combination may take), and the same rows'
    // figures in each column, sorted, kept up to date row by row instead of sorted per target.
    let mut pool: Vec<usize> = Vec::new();
    let mut by_column: Vec<Vec<(i128, usize)>> = vec![Vec::new(); if small { g.cols } else { 0 }];
    for t in 0..g.rows {
        if g.heading[t] {
            section = t + 1;
            continue;
        }
        let label = table.rows.get(t).map(|r| r.label.as_str()).unwrap_or("");
        let h = hint(label);
        let mut best: Option<Found> = None;
        let block_rows = t - section;
        let eval_block = |s: usize| {
            evaluate(g, Axis::Row, t, &all_cols, &counted, mb, |c| {
                prefix.block(s, t, c)
            })
        };
        if small {
            strided(g, t, &all_cols, &counted, h, &mut best);
        }
        if block_rows >= 2 {
            let mut s = section;
            if small {
                while s + 2 < t
                    && (0..g.cols).all(|c| {
                        g.state[g.at(t, c)] != State::Written || g.state[g.at(s, c)] == State::Blank
                    })
                {
                    s += 1;
                }
            }
            if let Some(o) = eval_block(s) {
                let key = (last_part(label), t - s);
                let seen = patterns.get(&key).copied().unwrap_or(0) >= 2;
                if accept(&o, t - s, h) || (seen && o.broken == 0) {
                    *patterns.entry(key).or_default() += 1;
                    let terms = (s..t).map(|r| (r, 1)).collect();
                    keep(&mut best, found_row(t, Shape::Block, terms, o, 1));
                } else if lone_totals && h && o.broken == 1 {
                    let terms = (s..t).map(|r| (r, 1)).collect();
                    keep(&mut best, found_row(t, Shape::Block, terms, o, 4));
                }
            }
        }
        if lines.len() >= 2 && lines.len() != block_rows {
            let o = evaluate(g, Axis::Row, t, &all_cols, &counted, mb, |c| {
                let (v, hh, miss, nz) = lsum[c];
                (miss == 0).then_some((v, hh, nz))
            });
            if let Some(o) = o {
                if accept(&o, lines.len(), h) {
                    let terms = lines.iter().map(|&r| (r, 1)).collect();
                    keep(&mut best, found_row(t, Shape::LinesAbove, terms, o, 1));
                }
            }
        }
        let settled = best.as_ref().is_some_and(|b| b.outcome.broken == 0);
        if small && !settled {
            let strong = |o: &Outcome| !many || h || o.strength >= 3;
            // A shorter block, longest first; a one-row block only when labelled a total.
            for s in section + 1..t {
                if t - s == 1 && !(h && lines.len() < 2) {
                    continue;
                }
                if let Some(o) = eval_block(s) {
                    if accept(&o, t - s, h) && strong(&o) {
                        let terms = (s..t).map(|r| (r, 1)).collect();
                        keep(&mut best, found_row(t, Shape::Block, terms, o, 2));
                        break;
                    }
                }
            }
            along(g, t, &pool, &years, &counted, h, &strong, &mut best);
            if best
                .as_ref()
                .is_none_or(|b| b.outcome.broken > 0 || b.tier > 3)
            {
                let pool = Pool {
                    rows: &pool,
                    by_column: &by_column,
                };
                combinations(g, t, &pool, &all_cols, &counted, h, &strong, &mut best);
            }
        }
        // Every earlier row with a figure is a possible term of later rows' combinations.
        if small && !g.heading[t] && (0..g.cols).any(|c| g.val[g.at(t, c)] != 0) {
            pool.push(t);
            for (c, list) in by_column.iter_mut().enumerate() {
                if g.state[g.at(t, c)] != State::Missing {
                    let v = (g.val[g.at(t, c)], t);
                    let at = list.partition_point(|x| *x < v);
                    list.insert(at, v);
                }
            }
        }
        match best {
            Some(f) => {
                section = t + 1;
                found.push(f);
            }
            None => {
                lines.push(t);
                for (c, acc) in lsum.iter_mut().enumerate() {
                    let k = g.at(t, c);
                    acc.0 = acc.0.saturating_add(g.val[k]);
                    acc.1 = acc.1.saturating_add(g.half[k]);
                    acc.2 += u32::from(g.state[k] == State::Missing);
                    acc.3 += u32::from(g.val[k] != 0);
                }
            }
        }
    }
    found
}

/// The last part of a label (`CYPS 4 · Pause Project · Net Saving` → `net saving`).
fn last_part(label: &str) -> String {
    label
        .rsplit(" · ")
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase()
}

fn found_row(
    t: usize,
    shape: Shape,
    mut terms: Vec<(usize, i8)>,
    outcome: Outcome,
    tier: u8,
) -> Found {
    // Strided sums: the nearer the last term, the more complete (a group's trailing zero row).
    let dist = match shape {
        Shape::Strided { .. } => t - terms.last().map_or(0, |x| x.0),
        _ => terms.iter().map(|(r, _)| t.saturating_sub(*r)).sum(),
    };
    // Added terms first, each group in row order: "row 8 − row 3".
    terms.sort_by_key(|&(r, s)| (s < 0, r));
    Found {
        cand: Candidate {
            axis: Axis::Row,
            target: t,
            shape,
            terms,
        },
        outcome,
        tier,
        dist,
    }
}

/// True when a candidate's terms give the target's figure within tolerance in one of the key
/// columns (the target's first two non-zero independent figures): an identity cannot have
/// both broken, so a candidate failing both is dropped before it is checked everywhere.
fn quick(g: &Grid, t: usize, keys: &[usize], mut sum: impl FnMut(usize) -> TermSum) -> bool {
    keys.is_empty()
        || keys.iter().any(|&k| {
            let i = g.at(t, k);
            sum(k).is_some_and(|(v, h, _)| (g.val[i] - v).abs() <= h + g.half[i])
        })
}

/// The target's first two non-zero figures in independent columns.
fn key_columns(g: &Grid, t: usize, counted: &[bool]) -> Vec<usize> {
    (0..g.cols)
        .filter(|&c| counted[c] && g.state[g.at(t, c)] == State::Written && g.val[g.at(t, c)] != 0)
        .take(2)
        .collect()
}

/// Rule 1: every `step`-th row above.
fn strided(
    g: &Grid,
    t: usize,
    cols: &[usize],
    counted: &[bool],
    h: bool,
    best: &mut Option<Found>,
) {
    for step in 2..=6usize {
        for e in t.saturating_sub(2 * step)..t {
            let mut terms = Vec::new();
            let mut r = e as isize;
            let mut ok = true;
            while r >= 0 {
                let ru = r as usize;
                if g.heading[ru] {
                    ok = false;
                    break;
                }
                terms.push((ru, 1i8));
                r -= step as isize;
            }
            if !ok || terms.len() < 3 {
                continue;
            }
            terms.reverse();
            if !quick(g, t, &key_columns(g, t, counted), |c| {
                term_sum(g, Axis::Row, &terms, c)
            }) {
                continue;
            }
            let o = evaluate(g, Axis::Row, t, cols, counted, max_broken(g.cols), |c| {
                term_sum(g, Axis::Row, &terms, c)
            });
            if let Some(o) = o {
                if accept(&o, terms.len(), h) {
                    let shape = Shape::Strided { step };
                    keep(best, found_row(t, shape, terms, o, 0));
                }
            }
        }
    }
}

/// Rule 3: the change of another row over the years, or its running sum.
#[allow(clippy::too_many_arguments)]
fn along(
    g: &Grid,
    t: usize,
    pool: &[usize],
    years: &[usize],
    counted: &[bool],
    h: bool,
    strong: &dyn Fn(&Outcome) -> bool,
    best: &mut Option<Found>,
) {
    if years.len() < 2 {
        return;
    }
    let mut pos = vec![usize::MAX; g.cols];
    for (j, &c) in years.iter().enumerate() {
        pos[c] = j;
    }
    let keys = key_columns(g, t, counted);
    for &s in pool {
        for shape in [Shape::Change, Shape::RunningSum] {
            let sum_at = {
                let pos = &pos;
                move |c: usize| -> TermSum {
                    let j = pos[c];
                    let cell = |jj: usize| {
                        let k = g.at(s, years[jj]);
                        (g.state[k] != State::Missing).then_some((g.val[k], g.half[k]))
                    };
                    match shape {
                        Shape::Change => {
                            let (v, hv) = cell(j)?;
                            if j == 0 {
                                return Some((v, hv, u32::from(v != 0)));
                            }
                            let (p, hp) = cell(j - 1)?;
                            Some((v - p, hv + hp, u32::from(v != 0) + u32::from(p != 0)))
                        }
                        _ => {
                            let (mut sum, mut hs, mut nz) = (0i128, 0i128, 0u32);
                            for jj in 0..=j {
                                let (v, hv) = cell(jj)?;
                                sum = sum.saturating_add(v);
                                hs = hs.saturating_add(hv);
                                nz += u32::from(v != 0);
                            }
                            Some((sum, hs, nz))
                        }
                    }
                }
            };
            if !quick(g, t, &keys, &sum_at) {
                continue;
            }
            let o = evaluate(
                g,
                Axis::Row,
                t,
                years,
                counted,
                max_broken(years.len()),
                &sum_at,
            );
            if let Some(o) = o {
                if accept(&o, 2, h) && strong(&o) {
                    // A row equal to its term throughout explains nothing new.
                    let same = years
                        .iter()
                        .all(|&c| g.val[g.at(s, c)] == g.val[g.at(t, c)]);
                    if !same {
                        keep(best, found_row(t, shape, vec![(s, 1)], o, 3));
                    }
                }
            }
        }
    }
}

/// The earlier rows a combination may take as terms, and their figures by column, sorted.
struct Pool<'a> {
    rows: &'a [usize],
    by_column: &'a [Vec<(i128, usize)>],
}

/// Rule 4: signed sums of two to four earlier rows.
#[allow(clippy::too_many_arguments)]
fn combinations(
    g: &Grid,
    t: usize,
    pool: &Pool,
    cols: &[usize],
    counted: &[bool],
    h: bool,
    strong: &dyn Fn(&Outcome) -> bool,
    best: &mut Option<Found>,
) {
    let (by_column, pool) = (pool.by_column, pool.rows);
    let keys: Vec<usize> = (0..g.cols)
        .filter(|&c| counted[c] && g.state[g.at(t, c)] == State::Written && g.val[g.at(t, c)] != 0)
        .take(2)
        .collect();
    if keys.len() < 2 || pool.len() < 2 {
        return;
    }
    let window: Vec<usize> = pool[pool.len().saturating_sub(WINDOW)..].to_vec();
    // Term sets tried, packed 16 bits a term (rows < 300, a sign bit).
    let mut seen: HashSet<u64> = HashSet::new();
    let mut tried = 0usize;
    for &k in &keys {
        let sorted = |rows: &[usize]| {
            let mut v: Vec<(i128, usize)> = rows
                .iter()
                .filter(|&&r| g.state[g.at(r, k)] != State::Missing)
                .map(|&r| (g.val[g.at(r, k)], r))
                .collect();
            v.sort_unstable();
            v
        };
        let all = &by_column[k];
        let win = sorted(&window);
        let maxhalf = pool.iter().map(|&r| g.half[g.at(r, k)]).max().unwrap_or(0);
        let target = g.val[g.at(t, k)];
        let ht = g.half[g.at(t, k)];
        let v = |r: usize| g.val[g.at(r, k)];
        // Every term set whose last term lies within tolerance in column k.
        let mut consider = |terms: Vec<(usize, i8)>, tier: u8, tried: &mut usize| {
            if *tried >= MAX_CANDIDATES
                || !seen.insert(terms.iter().fold(0u64, |k, &(r, sg)| {
                    (k << 16) | (r as u64 & 0x7FFF) | (u64::from(sg < 0) << 15)
                }))
            {
                return;
            }
            *tried += 1;
            let o = evaluate(
                g,
                Axis::Row,
                t,
                cols,
                counted,
                max_broken(cols.len()),
                |c| term_sum(g, Axis::Row, &terms, c),
            );
            if let Some(o) = o {
                // Three or four terms chosen by a search need three agreeing years.
                if accept(&o, terms.len(), h) && strong(&o) && (terms.len() < 3 || o.strength >= 3)
                {
                    keep(best, found_row(t, Shape::Combination, terms, o, tier));
                }
            }
        };
        // The rows whose figure is within `tol` of `want`: a slice of the sorted list (no
        // allocation: this runs some ten thousand times per target row).
        fn lookup(list: &[(i128, usize)], want: i128, tol: i128) -> &[(i128, usize)] {
            let lo = list.partition_point(|(x, _)| *x < want.saturating_sub(tol));
            let hi = lo + list[lo..].partition_point(|(x, _)| *x <= want.saturating_add(tol));
            &list[lo..hi]
        }
        let signs = [1i8, -1i8];
        // Two terms: any two earlier rows.
        for &a in pool {
            for sa in signs {
                let rest = target - i128::from(sa) * v(a);
                for sb in signs {
                    let want = i128::from(sb) * rest;
                    for &(_, b) in lookup(all, want, ht + 2 * maxhalf) {
                        if b > a {
                            consider(vec![(a, sa), (b, sb)], 4, &mut tried);
                        }
                    }
                }
            }
        }
        // Three and four terms: among the rows just above. Four terms meet in the middle: the
        // signed sums of every pair of window rows, sorted, so a pair (a, b) looks up the pairs
        // (c, d) after it that make up the rest, instead of trying every c and then every d.
        // (sum, a, sign, b, sign, both have a cell in column k: only such a pair ends a set).
        let present = |r: usize| g.state[g.at(r, k)] != State::Missing;
        let mut pairs: Vec<(i128, usize, i8, usize, i8, bool)> =
            Vec::with_capacity(2 * window.len() * window.len());
        for (ia, &a) in window.iter().enumerate() {
            for &b in window.iter().skip(ia + 1) {
                for sa in signs {
                    for sb in signs {
                        pairs.push((
                            i128::from(sa) * v(a) + i128::from(sb) * v(b),
                            a,
                            sa,
                            b,
                            sb,
                            present(a) && present(b),
                        ));
                    }
                }
            }
        }
        pairs.sort_unstable_by_key(|p| p.0);
        for &(sum2, a, sa, b, sb, _) in &pairs {
            let rest2 = target - sum2;
            for sc in signs {
                for &(_, c) in lookup(&win, i128::from(sc) * rest2, ht + 3 * maxhalf) {
                    if c > b {
                        consider(vec![(a, sa), (b, sb), (c, sc)], 5, &mut tried);
                    }
                }
            }
            let tol = ht + 4 * maxhalf;
            let lo = pairs.partition_point(|p| p.0 < rest2.saturating_sub(tol));
            for &(_, c, sc, d, sd, ends) in pairs[lo..]
                .iter()
                .take_while(|p| p.0 <= rest2.saturating_add(tol))
            {
                if ends && c > b {
                    consider(vec![(a, sa), (b, sb), (c, sc), (d, sd)], 6, &mut tried);
                }
            }
        }
    }
}
