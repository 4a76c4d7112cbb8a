//! What the reserves plan looks like worked out, for the Funding gap view and a scenario: the
//! balances table per year, the sentences naming the years that matter, and the marks the gap's
//! charts carry. Every figure comes from the engine's reserves plan worked out with the gap
//! (`GapFigures::reserves`); this file lays it out.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{format_amount, FinancialYear, GapModel, ReserveFigures};

/// Decimal places to show reserve figures with: the gap table's, or more when the plan's own
/// figures have more (at most six).
pub(super) fn reserve_decimals(model: &GapModel) -> u32 {
    let plan = model
        .reserves_plan
        .iter()
        .flat_map(|p| p.reserves.iter())
        .flat_map(|r| {
            std::iter::once(r.opening)
                .chain(r.contributions.iter().copied())
                .chain(r.drawdowns.iter().copied())
        })
        .map(|v| v.normalize().scale())
        .max()
        .unwrap_or(0);
    super::gap_view::decimals(model).max(plan).min(6)
}

/// What happened to the reserves in each year of the model, as short labels for the charts
/// (one list per year index): the first year the total is below its minimum, the year reserves
/// are exhausted, the first year the gap cannot be closed.
pub(super) fn year_marks(model: &GapModel, r: &ReserveFigures) -> Vec<Vec<&'static str>> {
    let mut marks = vec![Vec::new(); model.years.len()];
    let mut mark = |year: Option<FinancialYear>, label: &'static str| {
        if let Some(i) = year.and_then(|y| model.years.iter().position(|c| c.year == y)) {
            marks[i].push(label);
        }
    };
    mark(r.first_below_minimum, "below minimum");
    mark(r.exhausted, "reserves exhausted");
    mark(r.first_gap_unclosed, "gap not closed");
    marks
}

/// The marks of [`year_marks`] as a sentence for a chart's text alternative, or `None`.
pub(super) fn marks_sentence(model: &GapModel, marks: &[Vec<&'static str>]) -> Option<String> {
    let parts: Vec<String> = marks
        .iter()
        .zip(&model.years)
        .filter(|(m, _)| !m.is_empty())
        .map(|(m, y)| format!("{}: {}", y.year.label(), m.join(", ")))
        .collect();
    (!parts.is_empty()).then(|| format!("Reserves plan, {}", parts.join("; ")))
}

/// The sentences naming the years that matter, each with its test id (`{prefix}-exhausted`,
/// `{prefix}-below-minimum`, `{prefix}-gap-unclosed`).
pub(super) fn findings(r: &ReserveFigures, d: u32, unit: &str, prefix: &str) -> AnyView {
    let last = r.years.last();
    let last_label = last.map(|y| y.year.label()).unwrap_or_default();
    let exhausted = match r.exhausted {
        Some(year) => format!(
            "Reserves are exhausted in {}: the total closing balance is zero.",
            year.label()
        ),
        None => format!(
            "Reserves are not exhausted by {last_label}: {} {unit} is left at its end.",
            last.map(|y| format_amount(y.closing, d))
                .unwrap_or_default()
        ),
    };
    let has_minimum = r.years.iter().any(|y| y.minimum.is_some());
    let below = match r
        .first_below_minimum
        .and_then(|y| r.years.iter().find(|x| x.year == y))
    {
        Some(y) => format!(
            "The total falls below its minimum in {}: a closing balance of {} against a minimum of {} {unit}.",
            y.year.label(),
            format_amount(y.closing, d),
            format_amount(y.minimum.unwrap_or_default(), d)
        ),
        None if has_minimum => {
            format!("The total stays at or above its minimum through {last_label}.")
        }
        None => "No minimum level is set.".to_string(),
    };
    let unclosed = match r
        .first_gap_unclosed
        .and_then(|y| r.years.iter().find(|x| x.year == y))
    {
        Some(y) => format!(
            "From {} the reserves cannot close the gap: {} {unit} of it is left unclosed that year.",
            y.year.label(),
            format_amount(y.gap_unclosed, d)
        ),
        None => format!("The reserves close every year's gap through {last_label}."),
    };
    let year_of = |y: Option<FinancialYear>| y.map(|y| y.label()).unwrap_or_default();
    view! {
        <ul class="reserves-findings">
            <li data-testid=format!("{prefix}-exhausted") data-year=year_of(r.exhausted)>{exhausted}</li>
            <li data-testid=format!("{prefix}-below-minimum") data-year=year_of(r.first_below_minimum)>{below}</li>
            <li data-testid=format!("{prefix}-gap-unclosed") data-year=year_of(r.first_gap_unclosed)>{unclosed}</li>
        </ul>
    }
    .into_any()
}

/// The balances per year, per reserve and in total, as a table: shortfalls, "below minimum",
/// "exhausted" and an unclosed gap are written in the cells as words.
pub(super) fn balances_table(r: &ReserveFigures, d: u32, caption: String, testid: &str) -> AnyView {
    let heads = r
        .years
        .iter()
        .map(|y| view! { <th scope="col" class="num">{y.year.label()}</th> })
        .collect_view();
    let row = |label: String,
               reserve: String,
               line: &'static str,
               cells: Vec<String>,
               strong: bool| {
        let cells = cells
            .into_iter()
            .map(|t| view! { <td class="num" data-testid="reserves-cell">{t}</td> })
            .collect_view();
        view! {
            <tr data-testid="reserves-row" data-reserve=reserve data-line=line class:strong=strong>
                <th scope="row">{label}</th>
                {cells}
            </tr>
        }
    };
    let amount = |v: Decimal| format_amount(v, d);
    let groups = r
        .reserves
        .iter()
        .map(|run| {
            let name = run.name.clone();
            let id = run.id.to_string();
            let planned = run
                .years
                .iter()
                .map(|y| {
                    if y.shortfall.is_zero() {
                        amount(y.drawdown)
                    } else {
                        format!("{} · shortfall {}", amount(y.drawdown), amount(y.shortfall))
                    }
                })
                .collect();
            let closing = run
                .years
                .iter()
                .map(|y| closing_text(y.closing, y.below_minimum, d))
                .collect();
            let minimum = run
                .years
                .iter()
                .any(|y| y.minimum.is_some())
                .then(|| {
                    row(
                        format!("{name}: minimum"),
                        id.clone(),
                        "minimum",
                        run.years.iter().map(|y| y.minimum.map(amount).unwrap_or_default()).collect(),
                        false,
                    )
                });
            view! {
                <tbody class="reserve-group">
                    {row(format!("{name}: opening"), id.clone(), "opening", run.years.iter().map(|y| amount(y.opening)).collect(), false)}
                    {row(format!("{name}: contributions"), id.clone(), "contributions", run.years.iter().map(|y| amount(y.contributions)).collect(), false)}
                    {row(format!("{name}: planned drawdowns"), id.clone(), "planned", planned, false)}
                    {row(format!("{name}: drawn to close the gap"), id.clone(), "gap", run.years.iter().map(|y| amount(y.gap_drawdown)).collect(), false)}
                    {row(format!("{name}: closing"), id.clone(), "closing", closing, true)}
                    {minimum}
                </tbody>
            }
        })
        .collect_view();
    let total = "total".to_string();
    let planned = r
        .years
        .iter()
        .map(|y| {
            if y.shortfall.is_zero() {
                amount(y.drawdowns)
            } else {
                format!(
                    "{} (shortfall {})",
                    amount(y.drawdowns),
                    amount(y.shortfall)
                )
            }
        })
        .collect();
    let closing = r
        .years
        .iter()
        .map(|y| closing_text(y.closing, y.below_minimum, d))
        .collect();
    let minimum = r.years.iter().any(|y| y.minimum.is_some()).then(|| {
        row(
            "Total minimum".into(),
            total.clone(),
            "minimum",
            r.years
                .iter()
                .map(|y| y.minimum.map(amount).unwrap_or_default())
                .collect(),
            false,
        )
    });
    // The gap after reserves, the same figure as the gap table's: a part reserves cannot close
    // is said in words.
    let after = r
        .years
        .iter()
        .map(|y| {
            if y.gap_unclosed.is_zero() {
                amount(y.gap_left)
            } else {
                format!("{} · not closed", amount(y.gap_left))
            }
        })
        .collect();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Reserves by year, scrolls sideways">
            <table data-testid=testid.to_string() class="reserves-table">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">"Reserve and movement"</th>{heads}</tr></thead>
                {groups}
                <tbody class="derived-rows">
                    {row("Total opening".into(), total.clone(), "opening", r.years.iter().map(|y| amount(y.opening)).collect(), false)}
                    {row("Total contributions".into(), total.clone(), "contributions", r.years.iter().map(|y| amount(y.contributions)).collect(), false)}
                    {row("Total planned drawdowns".into(), total.clone(), "planned", planned, false)}
                    {row("Total drawn to close the gap".into(), total.clone(), "gap", r.years.iter().map(|y| amount(y.gap_drawdowns)).collect(), false)}
                    {row("Total closing".into(), total.clone(), "closing", closing, true)}
                    {minimum}
                    {row("Gap to close (after the table's own reserves)".into(), total.clone(), "gap-to-close", r.years.iter().map(|y| amount(y.gap)).collect(), false)}
                    {row("Gap after reserves (the table's and the plan's)".into(), total.clone(), "gap-after", after, true)}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A closing balance as the table writes it, with "exhausted" and "below minimum" in words.
fn closing_text(closing: Decimal, below_minimum: bool, d: u32) -> String {
    let mut t = format_amount(closing, d);
    if closing.is_zero() {
        t.push_str(" · exhausted");
    }
    if below_minimum {
        t.push_str(" · below minimum");
    }
    t
}
