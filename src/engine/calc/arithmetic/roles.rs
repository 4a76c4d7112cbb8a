//! Roles from identities: what each row and column is because of the arithmetic, with labels
//! only as hints (a word in a heading says which way a variance's favourable side is shown).
//!
//! - A row (column) no identity derives is a line (figures); a row equal to its block is a
//!   subtotal; to all lines above or every k-th row, a total; one row minus others, a
//!   difference; the sum of two or three rows of opposite signs, a net (a "Cost Reduction
//!   (Net)" row equal to Investment + Cost Reduction (Gross) is a net row, not another saving).
//! - Funding gaps: a row equal to one derived row minus lines (or minus the subtotal of lines)
//!   is the gap **after reserves**; the derived row is the gap **before reserves**; the lines
//!   subtracted (or those of the subtotal) are **reserves**, the subtotal the **total
//!   reserves**; the change of the gap after (before) reserves is its **annual** figure.
//!   When what is taken away is named as funding (council tax, business rates, grants,
//!   income) and nothing of it as reserves, the row is a requirement minus its funding: the
//!   gap itself, before reserves, and a row adding it and lines below it (savings) is the gap
//!   the plan then shows. Only the labels tell funding from reserves: the arithmetic is the
//!   same.
//! - Monitoring: a column equal to one column minus another, headed as a variance, is the
//!   variance; which of the two is the forecast comes from their headings (forecast, outturn,
//!   actual, projected / target, budget, plan), else the right-hand one. The sense that holds
//!   (forecast − target or target − forecast) with the heading's brackets (`(Favourable) /
//!   Adverse`: favourable in brackets) gives the file's convention: costs positive when a
//!   forecast below target is favourable.
//! - Reversals: a line equal to an earlier line with the same label, every figure negated.

use std::collections::HashMap;

use super::grid::Grid;
use super::map::{
    ArithmeticMap, ColumnEntry, ColumnRole, Convention, GapRole, RowEntry, RowRole, VarianceSense,
    VarianceSign,
};
use super::rows::Found;
use super::table::{RowKind, Table};
use super::verify::Shape;

/// Words that name money coming in, not reserves drawn.
const FUNDING: [&str; 12] = [
    "funding",
    "grant",
    "grants",
    "tax",
    "rates",
    "income",
    "precept",
    "settlement",
    "resources",
    "financing",
    "rsg",
    "retained",
];

/// Words that name reserves.
const RESERVES: [&str; 4] = ["reserve", "reserves", "balances", "contingency"];

/// True when every row taken away (or every line of a subtotal taken away) is named as funding
/// and none as reserves.
fn funding_named(
    table: &Table,
    role: &[RowRole],
    by_target: &HashMap<usize, &Found>,
    minus: &[usize],
) -> bool {
    let named = |r: usize, list: &[&str]| words(&table.rows[r].label, list);
    let lines_of = |m: usize| -> Vec<usize> {
        match (role[m], by_target.get(&m)) {
            (RowRole::Subtotal, Some(s)) => s.cand.terms.iter().map(|t| t.0).collect(),
            _ => Vec::new(),
        }
    };
    minus.iter().all(|&m| {
        let lines = lines_of(m);
        let no_reserves = !named(m, &RESERVES) && lines.iter().all(|&l| !named(l, &RESERVES));
        let funding =
            named(m, &FUNDING) || (!lines.is_empty() && lines.iter().all(|&l| named(l, &FUNDING)));
        no_reserves && funding
    })
}

fn opposite_signs(g: &Grid, terms: &[(usize, i8)], row_axis: bool) -> bool {
    let n = if row_axis { g.cols } else { g.rows };
    (0..n).any(|x| {
        let v = |t: usize| {
            let i = if row_axis { g.at(t, x) } else { g.at(x, t) };
            g.val[i]
        };
        terms.iter().any(|&(t, _)| v(t) > 0) && terms.iter().any(|&(t, _)| v(t) < 0)
    })
}

fn words(text: &str, list: &[&str]) -> bool {
    let t = text.to_lowercase();
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| list.contains(&w))
}

pub(crate) fn assign(
    map: &mut ArithmeticMap,
    table: &Table,
    g: &Grid,
    col_found: &[Found],
    row_found: &[Found],
) {
    // Rows.
    let mut role = vec![RowRole::Line; g.rows];
    let mut by_target: HashMap<usize, &Found> = HashMap::new();
    for (r, row) in table.rows.iter().enumerate() {
        if row.kind == RowKind::Heading {
            role[r] = RowRole::Heading;
        }
    }
    for f in row_found {
        let c = &f.cand;
        by_target.insert(c.target, f);
        let minus = c.terms.iter().any(|t| t.1 < 0);
        let named_net = words(&table.rows[c.target].label, &["net"]);
        let net = !minus
            && c.terms.len() <= 3
            && (named_net || (c.terms.len() == 2 && opposite_signs(g, &c.terms, true)));
        role[c.target] = match c.shape {
            Shape::Change => RowRole::Change,
            Shape::RunningSum => RowRole::RunningSum,
            Shape::LinesAbove | Shape::Strided { .. } => RowRole::Total,
            _ if minus => RowRole::Difference,
            _ if net => RowRole::Net,
            Shape::Block | Shape::Group => RowRole::Subtotal,
            Shape::Combination | Shape::Ratio => RowRole::Sum,
        };
    }
    let mut gap = vec![None::<GapRole>; g.rows];
    for f in row_found {
        let c = &f.cand;
        let plus: Vec<usize> = c.terms.iter().filter(|t| t.1 > 0).map(|t| t.0).collect();
        let minus: Vec<usize> = c.terms.iter().filter(|t| t.1 < 0).map(|t| t.0).collect();
        if c.shape != Shape::Combination || plus.len() != 1 || minus.is_empty() {
            continue;
        }
        // The gap before reserves is derived, and the reserves come after it.
        if role[plus[0]] == RowRole::Line
            || role[plus[0]] == RowRole::Heading
            || minus.iter().any(|&m| m < plus[0])
        {
            continue;
        }
        if funding_named(table, &role, &by_target, &minus) {
            // Requirement − funding: the gap before reserves, carried down through rows that
            // add it and lines below it (`Remaining gap` = `Budget gap` + savings).
            let mut at = c.target;
            while let Some(next) = row_found.iter().find(|f| {
                f.cand.target > at
                    && f.cand.terms.iter().any(|t| t.0 == at)
                    && f.cand
                        .terms
                        .iter()
                        .all(|t| t.1 > 0 && (t.0 == at || (t.0 > at && role[t.0] == RowRole::Line)))
            }) {
                at = next.cand.target;
            }
            gap[at] = Some(GapRole::BeforeReserves);
            continue;
        }
        let reserve_like = minus.iter().all(|&m| match role[m] {
            RowRole::Line => true,
            RowRole::Subtotal => by_target
                .get(&m)
                .is_some_and(|s| s.cand.terms.iter().all(|t| role[t.0] == RowRole::Line)),
            _ => false,
        });
        if !reserve_like {
            continue;
        }
        gap[c.target] = Some(GapRole::AfterReserves);
        gap[plus[0]] = Some(GapRole::BeforeReserves);
        for &m in &minus {
            if role[m] == RowRole::Subtotal {
                gap[m] = Some(GapRole::TotalReserves);
                if let Some(s) = by_target.get(&m) {
                    for t in &s.cand.terms {
                        gap[t.0] = Some(GapRole::Reserve);
                    }
                }
            } else {
                gap[m] = Some(GapRole::Reserve);
            }
        }
    }
    for f in row_found {
        if f.cand.shape == Shape::Change {
            let of = f.cand.terms[0].0;
            gap[f.cand.target] = match gap[of] {
                Some(GapRole::AfterReserves) => Some(GapRole::AnnualAfterReserves),
                Some(GapRole::BeforeReserves) => Some(GapRole::AnnualBeforeReserves),
                other => other.and(None),
            };
        }
    }
    // Reversals among lines.
    let mut seen: HashMap<(String, Vec<i128>), usize> = HashMap::new();
    let mut reverses = vec![None::<usize>; g.rows];
    for r in 0..g.rows {
        if role[r] != RowRole::Line {
            continue;
        }
        let v: Vec<i128> = (0..g.cols).map(|c| g.val[g.at(r, c)]).collect();
        if v.iter().all(|x| *x == 0) {
            continue;
        }
        let label = table.rows[r].label.to_lowercase();
        let neg: Vec<i128> = v.iter().map(|x| -x).collect();
        if let Some(&s) = seen.get(&(label.clone(), neg)) {
            reverses[r] = Some(table.rows[s].row);
        }
        seen.entry((label, v)).or_insert(r);
    }
    map.rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(r, row)| RowEntry {
            row: row.row,
            label: row.label.clone(),
            role: role[r],
            gap: gap[r],
            reverses: reverses[r],
        })
        .collect();
    map.unexplained = map
        .rows
        .iter()
        .filter(|e| e.role == RowRole::Line && words(&e.label, &["total", "subtotal"]))
        .map(|e| e.row)
        .collect();
    // Columns.
    let mut crole = vec![ColumnRole::Figures; g.cols];
    for f in col_found {
        let c = &f.cand;
        let heading = &table.columns[c.target].heading;
        let minus = c.terms.iter().any(|t| t.1 < 0);
        crole[c.target] = match c.shape {
            Shape::Group => ColumnRole::Total,
            _ if minus
                && c.terms.len() == 2
                && words(heading, &["variance", "favourable", "adverse", "var"]) =>
            {
                ColumnRole::Variance
            }
            _ if minus => ColumnRole::Difference,
            _ if c.terms.len() <= 3 && opposite_signs(g, &c.terms, false) => ColumnRole::Net,
            _ => ColumnRole::Sum,
        };
        if crole[c.target] == ColumnRole::Variance && map.variance.is_none() {
            map.variance = Some(variance_sign(table, c.target, &c.terms));
        }
    }
    map.columns = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, col)| ColumnEntry {
            column: col.index,
            letter: col.letter.clone(),
            heading: col.heading.clone(),
            role: crole[i],
        })
        .collect();
}

fn variance_sign(table: &Table, v: usize, terms: &[(usize, i8)]) -> VarianceSign {
    let (x, y) = if terms[0].1 > 0 {
        (terms[0].0, terms[1].0)
    } else {
        (terms[1].0, terms[0].0)
    };
    const FORECAST: [&str; 5] = ["forecast", "outturn", "actual", "projected", "projection"];
    const TARGET: [&str; 4] = ["target", "budget", "plan", "planned"];
    let h = |c: usize| table.columns[c].heading.as_str();
    let x_is_forecast = if words(h(x), &FORECAST) || words(h(y), &TARGET) {
        true
    } else if words(h(x), &TARGET) || words(h(y), &FORECAST) {
        false
    } else {
        x > y
    };
    let (forecast, target, sense) = if x_is_forecast {
        (x, y, VarianceSense::ForecastMinusTarget)
    } else {
        (y, x, VarianceSense::TargetMinusForecast)
    };
    let head = table.columns[v].heading.to_lowercase();
    let favourable_in_brackets = if head.contains("(favourable)") || head.contains("(fav)") {
        Some(true)
    } else if head.contains("(adverse)") || head.contains("(adv)") {
        Some(false)
    } else {
        None
    };
    let convention = match (sense, favourable_in_brackets) {
        (_, None) => Convention::Unstated,
        (VarianceSense::ForecastMinusTarget, Some(true))
        | (VarianceSense::TargetMinusForecast, Some(false)) => Convention::CostsPositive,
        _ => Convention::BenefitsPositive,
    };
    let idx = |c: usize| table.columns[c].index;
    VarianceSign {
        variance: idx(v),
        forecast: idx(forecast),
        target: idx(target),
        sense,
        favourable_in_brackets,
        convention,
    }
}
