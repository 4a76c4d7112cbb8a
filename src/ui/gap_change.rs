//! The funding gap against the year before and against the budget: the change of the gap after
//! reserves on the year before (in the unit and in per cent), and the savings and the gap as a
//! share of the net budget when the table has one; and, when a price index is set, the gap in
//! real terms of the chosen year's prices. The engine works every figure out
//! (`engine::year_on_year`, `engine::budget_shares`: docs/domain.md, "Change and share of the
//! budget"); this only lays them out.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{budget_shares, format_amount, format_percent, in_prices, known, year_on_year};

use super::scroll_hint::scroll_hint;
use super::state::AppState;

/// A percentage as the engine writes it, "–" when there is none.
fn percent(p: Option<Decimal>) -> String {
    p.map_or_else(|| "–".to_string(), format_percent)
}

/// The table of change and share, under the gap table.
#[component]
pub fn GapChange() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.gap.with(|g| {
            let model = &g.as_ref()?.model;
            state.derived.gap_judged.with(|j| {
                let figures = &j.as_ref()?.figures;
                let d = super::gap_view::decimals(model);
                let unit = model.unit.label();
                let gaps: Vec<Option<Decimal>> = figures
                    .years
                    .iter()
                    .map(|y| known(&y.gap_after_reserves))
                    .collect();
                let changes = year_on_year(&gaps);
                let shares = budget_shares(model, figures);
                let heads = model
                    .years
                    .iter()
                    .map(|y| view! { <th scope="col" class="num">{y.header.clone()}</th> })
                    .collect_view();
                let row = |label: String, key: &'static str, cells: Vec<String>| {
                    view! {
                        <tr data-testid="gap-change-row" data-key=key>
                            <th scope="row">{label}</th>
                            {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect_view()}
                        </tr>
                    }
                };
                let mut rows = vec![
                    row(
                        format!("Gap after reserves: change on the year before, {unit}"),
                        "gap_change",
                        changes
                            .iter()
                            .map(|c| c.as_ref().map_or("–".into(), |c| format_amount(c.amount, d)))
                            .collect(),
                    ),
                    row(
                        "Gap after reserves: change on the year before, %".into(),
                        "gap_change_percent",
                        changes.iter().map(|c| percent(c.as_ref().and_then(|c| c.percent))).collect(),
                    ),
                ];
                if let Some(shares) = &shares {
                    rows.push(row(
                        "Savings, % of the net budget".into(),
                        "savings_share",
                        shares.iter().map(|s| percent(s.savings)).collect(),
                    ));
                    rows.push(row(
                        "Gap after reserves, % of the net budget".into(),
                        "gap_share",
                        shares.iter().map(|s| percent(s.gap)).collect(),
                    ));
                }
                // Real terms, when a price index is set (docs/domain.md, "Cash and real terms"):
                // the gap after reserves of each year in the chosen year's prices.
                if let Some(prices) = state.prices.get() {
                    rows.push(row(
                        format!("Gap after reserves in {}, {unit}", prices.label()),
                        "gap_real",
                        figures
                            .years
                            .iter()
                            .map(|y| {
                                known(&y.gap_after_reserves)
                                    .and_then(|v| in_prices(v, y.year, &prices))
                                    .map_or_else(|| "no index".to_string(), |v| format_amount(v, d))
                            })
                            .collect(),
                    ));
                }
                let note = if shares.is_some() {
                    "Changes are exact; percentages are of the year before's size, or of the year's net budget, rounded once to one place."
                } else {
                    "Changes are exact; percentages are of the year before's size, rounded once to one place. The table has no net budget row, so no share of it is shown."
                };
                Some(view! {
                    <div class="table-frame">
                        <div class="table-scroll sticky-first" tabindex="0" role="region" aria-label="Change and share of the budget, scrolls sideways" use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
                            <table data-testid="gap-change">
                                <caption><span>"The gap against the year before and against the budget"</span></caption>
                                <thead><tr><th scope="col">"Figure"</th>{heads}</tr></thead>
                                <tbody>{rows.into_iter().collect_view()}</tbody>
                            </table>
                        </div>
                    </div>
                    <p class="note">{note}</p>
                })
            })
        })
    }
}
