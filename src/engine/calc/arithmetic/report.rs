//! The arithmetic map: the identities found, every check, the roles they give, as plain data
//! for the page and the CSV/JSON exports.

use rust_decimal::Decimal;

use super::format_amount;
use super::grid::Grid;
use super::map::*;
use super::rows::Found;
use super::table::{RowKind, Table};
use super::verify::{Axis, Shape, Status};

/// "1st", "2nd", "3rd", "4th".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Writes numbered items compactly: runs of added items as `3–7, 9` (`rows 3–7, 9`), signed
/// items one by one (`row 8 − row 3`).
fn list(items: &[(String, usize, i8)], noun: &str, nouns: &str) -> String {
    if items.len() >= 2 && items.iter().all(|(_, _, s)| *s > 0) {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let mut j = i;
            while j + 1 < items.len() && items[j + 1].1 == items[j].1 + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => items[i].0.clone(),
                1 => format!("{}, {}", items[i].0, items[j].0),
                _ => format!("{}–{}", items[i].0, items[j].0),
            });
            i = j + 1;
        }
        if parts.len() > 6 {
            let n = parts.len();
            return format!(
                "{nouns} {}, …, {} ({} {nouns})",
                parts[..3].join(", "),
                parts[n - 1],
                items.len()
            );
        }
        return format!("{nouns} {}", parts.join(", "));
    }
    let mut s = String::new();
    for (i, (name, _, sign)) in items.iter().enumerate() {
        if i == 0 {
            if *sign < 0 {
                s.push('−');
            }
        } else {
            s.push_str(if *sign < 0 { " − " } else { " + " });
        }
        s.push_str(noun);
        s.push(' ');
        s.push_str(name);
    }
    s
}

pub(crate) fn build(
    table: &Table,
    g: &Grid,
    col_found: &[Found],
    row_found: &[Found],
    bounded: bool,
) -> ArithmeticMap {
    let places = g.scale.saturating_sub(1);
    let mut map = ArithmeticMap {
        header_row: table.header_row,
        last_row: table
            .rows
            .iter()
            .rev()
            .find(|r| r.kind == RowKind::Data)
            .map_or(table.header_row, |r| r.row),
        unit: table.unit.clone(),
        bounded,
        ..ArithmeticMap::default()
    };
    let col_name = |c: usize| {
        table
            .columns
            .get(c)
            .map(|x| x.letter.clone())
            .unwrap_or_default()
    };
    let file_row = |r: usize| table.rows.get(r).map(|x| x.row).unwrap_or(0);
    let amount = |v: Decimal| format_amount(v, places);
    for f in col_found.iter().chain(row_found) {
        let c = &f.cand;
        let (target_name, items, noun, nouns, cross_noun) = match c.axis {
            Axis::Column => (
                format!("column {}", col_name(c.target)),
                c.terms
                    .iter()
                    .map(|&(t, s)| (col_name(t), t, s))
                    .collect::<Vec<_>>(),
                "column",
                "columns",
                "rows",
            ),
            Axis::Row => (
                format!("row {}", file_row(c.target)),
                c.terms
                    .iter()
                    .map(|&(t, s)| (file_row(t).to_string(), file_row(t), s))
                    .collect::<Vec<_>>(),
                "row",
                "rows",
                "columns",
            ),
        };
        let formula = match c.shape {
            Shape::Change => format!("the change of row {} from the previous year", items[0].0),
            Shape::RunningSum => format!("the running sum of row {}", items[0].0),
            Shape::LinesAbove => format!("{} (all lines above)", list(&items, noun, nouns)),
            Shape::Strided { step } => {
                format!(
                    "{} (every {} {noun})",
                    list(&items, noun, nouns),
                    ordinal(step)
                )
            }
            _ => list(&items, noun, nouns),
        };
        let n = f.outcome.evals.len();
        let held = n - f.outcome.broken;
        let extent = if f.outcome.broken == 0 {
            format!("all {n} {cross_noun}")
        } else {
            format!("{held} of {n} {cross_noun}, {} broken", f.outcome.broken)
        };
        let description = format!("{target_name} = {formula}, {extent}");
        let mut counts = Counts::default();
        let mut checks = Vec::with_capacity(n);
        for e in &f.outcome.evals {
            let (r, col) = match c.axis {
                Axis::Row => (c.target, e.cross),
                Axis::Column => (e.cross, c.target),
            };
            let fc = table.columns.get(col).map(|x| x.index).unwrap_or(0);
            let fr = file_row(r);
            let published = g.shown(e.published, places);
            let computed = g.shown(e.computed, places);
            let tolerance = g.decimal(e.tol).normalize();
            counts.add(e.status);
            checks.push(CellCheck {
                row: fr,
                column: fc,
                cell: format!("{}{}", super::table::column_letter(fc), fr),
                published,
                computed,
                difference: g.shown(e.published.saturating_sub(e.computed), places),
                tolerance,
                status: e.status,
            });
        }
        let index = map.identities.len();
        let terms_words = match (c.axis, c.shape) {
            (Axis::Column, _) => {
                let heads: Vec<String> = c
                    .terms
                    .iter()
                    .enumerate()
                    .map(|(i, &(t, s))| {
                        let h = table.columns.get(t).map(|x| x.heading.trim()).unwrap_or("");
                        let h = if h.is_empty() {
                            format!("column {}", col_name(t))
                        } else {
                            h.to_string()
                        };
                        match (i, s < 0) {
                            (0, false) => h,
                            (0, true) => format!("−{h}"),
                            (_, false) => format!(" + {h}"),
                            (_, true) => format!(" − {h}"),
                        }
                    })
                    .collect();
                if c.terms.len() <= 4 {
                    heads.concat()
                } else {
                    formula.clone()
                }
            }
            _ => formula.clone(),
        };
        for check in checks.iter().filter(|k| k.status == Status::Broken) {
            let others = held;
            let place = match c.axis {
                Axis::Column => "rows of this column",
                Axis::Row => "columns of this row",
            };
            let sentence = if others == 0 && n == 1 {
                // A one-column table: the evidence is the table's other totals (rows.rs).
                format!(
                    "published {}; it closes {terms_words}, which add up to {}, as the table's \
                     other totals add up to theirs",
                    amount(check.published),
                    amount(check.computed)
                )
            } else {
                format!(
                    "published {}; the other {others} {place} are {terms_words}, which gives {} \
                     here",
                    amount(check.published),
                    amount(check.computed)
                )
            };
            map.broken.push(Broken {
                identity: index,
                check: check.clone(),
                sentence,
            });
        }
        map.counts.confirmed += counts.confirmed;
        map.counts.rounding += counts.rounding;
        map.counts.broken += counts.broken;
        let terms = match c.axis {
            Axis::Row => c
                .terms
                .iter()
                .map(|&(t, s)| Term {
                    index: file_row(t),
                    sign: s,
                })
                .collect(),
            Axis::Column => c
                .terms
                .iter()
                .map(|&(t, s)| Term {
                    index: table.columns.get(t).map(|x| x.index).unwrap_or(0),
                    sign: s,
                })
                .collect(),
        };
        map.identities.push(Identity {
            axis: c.axis,
            shape: c.shape,
            target: match c.axis {
                Axis::Row => file_row(c.target),
                Axis::Column => table.columns.get(c.target).map(|x| x.index).unwrap_or(0),
            },
            terms,
            description,
            checks,
            counts,
        });
    }
    by_figure(&mut map);
    super::roles::assign(&mut map, table, g, col_found, row_found);
    map
}

/// The map's counts and broken list by published figure: a cell that two identities derive
/// (a subtotal's total, both the sum of its row and of its column) is one figure, counted once
/// at its worst status, and listed once among the broken (under the first identity that
/// breaks it). Each identity keeps its own counts.
fn by_figure(map: &mut ArithmeticMap) {
    use std::collections::BTreeMap;
    let mut worst: BTreeMap<(usize, usize), Status> = BTreeMap::new();
    for check in map.identities.iter().flat_map(|i| i.checks.iter()) {
        let entry = worst
            .entry((check.row, check.column))
            .or_insert(check.status);
        if check.status > *entry {
            *entry = check.status;
        }
    }
    let mut counts = Counts::default();
    worst.values().for_each(|s| counts.add(*s));
    map.counts = counts;
    let mut seen = std::collections::BTreeSet::new();
    map.broken
        .retain(|b| seen.insert((b.check.row, b.check.column)));
}
