//! Percentage columns (domain.md "The arithmetic map", "Columns that are not money"): a `%`
//! column is never a term of a money identity, but it is checked as the ratio of two money
//! columns of its table, % = 100 × a ÷ b, within the rounding of the shown % and of a and b.
//! A `0.0%` (or a nil) where b is zero is no error. The ratio is a proportion, not money: it is
//! worked in exact decimals (`Decimal` division), never in binary floating point.

use rust_decimal::Decimal;

use super::format_amount;
use super::grid::{Grid, State};
use super::map::{ArithmeticMap, Broken, CellCheck, Counts, Identity, Term};
use super::table::{column_letter, Cell, PercentColumn, RowKind, Table};
use super::verify::{Axis, Shape, Status};

/// One row's check of a % column against a ÷ b.
struct RowCheck {
    row: usize,
    published: Decimal,
    computed: Decimal,
    tolerance: Decimal,
    places: u32,
    status: Status,
    /// True when a and b are both non-zero: the row says something about the pair.
    telling: bool,
}

fn half(places: u32) -> Decimal {
    Decimal::new(5, places.min(27) + 1)
}

fn checks(table: &Table, g: &Grid, p: &PercentColumn, a: usize, b: usize) -> Vec<RowCheck> {
    let hundred = Decimal::ONE_HUNDRED;
    let mut out = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        if row.kind == RowKind::Heading {
            continue;
        }
        let (published, places) = match p.cells.get(r) {
            Some(Cell::Figure { value, places }) => (*value, *places),
            Some(Cell::Nil { kind }) if *kind != super::table::NilKind::Blank => {
                (Decimal::ZERO, p.places)
            }
            _ => continue,
        };
        let (ia, ib) = (g.at(r, a), g.at(r, b));
        if g.state[ia] == State::Missing || g.state[ib] == State::Missing {
            continue;
        }
        let (va, vb) = (g.decimal(g.val[ia]), g.decimal(g.val[ib]));
        let (ha, hb) = (g.decimal(g.half[ia]), g.decimal(g.half[ib]));
        let shown = half(places);
        let (computed, tolerance, telling) = if vb.is_zero() {
            // No ratio over nothing: only a nil or 0% agrees.
            (Decimal::ZERO, shown, false)
        } else {
            let Some(q) = hundred.checked_mul(va).and_then(|x| x.checked_div(vb)) else {
                continue;
            };
            // What a and b can hide moves the ratio by at most 100 × (ha ÷ |b| + |a| × hb ÷ b²).
            let spread = hundred
                .checked_mul(ha)
                .and_then(|x| x.checked_div(vb.abs()))
                .zip(
                    hundred
                        .checked_mul(va.abs())
                        .and_then(|x| x.checked_mul(hb))
                        .and_then(|x| x.checked_div(vb * vb)),
                )
                .map_or(Decimal::MAX, |(x, y)| x + y);
            (q, shown.saturating_add(spread), !va.is_zero())
        };
        let off = (published - computed).abs();
        let status = if off <= shown {
            Status::Confirmed
        } else if off <= tolerance {
            Status::Rounding
        } else {
            Status::Broken
        };
        out.push(RowCheck {
            row: row.row,
            published,
            computed,
            tolerance,
            places,
            status,
            telling,
        });
    }
    out
}

/// Checks each % column of the table against the pair of its money columns that explains it
/// best, and adds what it finds to the map: an identity per % column that has one (held in at
/// least three rows where a and b are not zero, broken in fewer than a third as many).
pub(crate) fn check(table: &Table, g: &Grid, map: &mut ArithmeticMap) {
    for p in &table.percent_columns {
        let mut best: Option<(usize, usize, usize, usize, Vec<RowCheck>)> = None;
        for a in 0..g.cols {
            for b in 0..g.cols {
                if a == b {
                    continue;
                }
                let c = checks(table, g, p, a, b);
                let broken = c.iter().filter(|x| x.status == Status::Broken).count();
                let held = c
                    .iter()
                    .filter(|x| x.telling && x.status != Status::Broken)
                    .count();
                if held < 3 || broken * 3 >= held {
                    continue;
                }
                let dist = p.index.abs_diff(table.columns[a].index)
                    + p.index.abs_diff(table.columns[b].index);
                let better = best.as_ref().is_none_or(|(bb, bh, bd, _, _)| {
                    (broken, usize::MAX - held, dist) < (*bb, usize::MAX - *bh, *bd)
                });
                if better {
                    best = Some((broken, held, dist, a * g.cols + b, c));
                }
            }
        }
        let Some((broken, _, _, pair, rows)) = best else {
            continue;
        };
        let (a, b) = (pair / g.cols, pair % g.cols);
        let head = |c: usize| {
            let h = table.columns[c].heading.trim();
            if h.is_empty() {
                format!("column {}", table.columns[c].letter)
            } else {
                h.to_string()
            }
        };
        let n = rows.len();
        let extent = if broken == 0 {
            format!("all {n} rows")
        } else {
            format!("{} of {n} rows, {broken} broken", n - broken)
        };
        let description = format!(
            "column {} = column {} ÷ column {} as a %, {extent}",
            p.letter, table.columns[a].letter, table.columns[b].letter
        );
        let index = map.identities.len();
        let mut counts = Counts::default();
        let mut cell_checks = Vec::with_capacity(n);
        for r in &rows {
            counts.add(r.status);
            let computed = r.computed.round_dp(r.places);
            let check = CellCheck {
                row: r.row,
                column: p.index,
                cell: format!("{}{}", column_letter(p.index), r.row),
                published: r.published,
                computed,
                difference: r.published - computed,
                tolerance: r.tolerance.round_dp(r.places + 2).normalize(),
                status: r.status,
            };
            if r.status == Status::Broken {
                map.broken.push(Broken {
                    identity: index,
                    sentence: format!(
                        "published {}%; the other {} rows of this column are {} ÷ {} as a %, \
                         which gives {}% here",
                        format_amount(r.published, r.places),
                        n - broken,
                        head(a),
                        head(b),
                        format_amount(r.computed, r.places)
                    ),
                    check: check.clone(),
                });
            }
            cell_checks.push(check);
        }
        map.counts.confirmed += counts.confirmed;
        map.counts.rounding += counts.rounding;
        map.counts.broken += counts.broken;
        map.identities.push(Identity {
            axis: Axis::Column,
            shape: Shape::Ratio,
            target: p.index,
            terms: vec![
                Term {
                    index: table.columns[a].index,
                    sign: 1,
                },
                Term {
                    index: table.columns[b].index,
                    sign: -1,
                },
            ],
            description,
            checks: cell_checks,
            counts,
        });
    }
}
