//! The schedule's totals against the year before: for the grand total and each section, how far
//! each year's total moved on the year before's, in the schedule's unit and in per cent; and any
//! two years compared. The engine works the figures out (`engine::year_on_year`,
//! `engine::change_between`, docs/domain.md "Change and share of the budget") from the live
//! totals of the schedule as published; this lays them out.

use leptos::prelude::*;

use crate::engine::{change_between, format_amount, format_change, known, year_on_year, RowTotals};

use super::scroll_hint::scroll_hint;
use super::state::AppState;

/// The table of changes, under the schedule.
#[component]
pub fn TotalsChange() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            if s.years.len() < 2 {
                return None;
            }
            state.live.with(|live| {
                let totals = &live.as_ref()?.results.totals;
                let d = s.decimals;
                let unit = state.cash_label(s.unit.label());
                let heads = s.years[1..]
                    .iter()
                    .map(|y| view! { <th scope="col" class="num">{y.header.clone()}</th> })
                    .collect_view();
                let row = |label: String, key: String, row: &RowTotals| {
                    let figures: Vec<_> = row.years.iter().map(known).collect();
                    let cells = year_on_year(&figures)
                        .into_iter()
                        .skip(1)
                        .map(|c| {
                            let text = format_change(c.as_ref(), d);
                            view! { <td class="num" data-testid="change-cell">{text}</td> }
                        })
                        .collect_view();
                    view! {
                        <tr data-testid="change-row" data-key=key>
                            <th scope="row">{label}</th>
                            {cells}
                        </tr>
                    }
                };
                let rows: Vec<_> = compared_rows(s, totals)
                    .into_iter()
                    .map(|(label, key, t)| row(label, key, t))
                    .collect();
                Some(view! {
                    <section class="totals-change" aria-labelledby="totals-change-heading" data-testid="totals-change">
                        <h2 id="totals-change-heading">"Change on the year before"</h2>
                        <div class="table-frame">
                            <div class="table-scroll sticky-first" tabindex="0" role="region" aria-label="Change on the year before, scrolls sideways" use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
                                <table>
                                    <caption><span>{format!("Each year's total less the year before's, {unit}, and as a percentage of the year before's (rounded once to one place). Of the schedule as published.")}</span></caption>
                                    <thead><tr><th scope="col">"Total"</th>{heads}</tr></thead>
                                    <tbody>{rows.into_iter().collect_view()}</tbody>
                                </table>
                            </div>
                        </div>
                    </section>
                })
            })
        })
    }
}

/// The rows compared: each section (when there are several) and the grand total, with a key.
fn compared_rows<'a>(
    s: &'a crate::engine::Schedule,
    totals: &'a crate::engine::Totals,
) -> Vec<(String, String, &'a RowTotals)> {
    let mut rows = Vec::new();
    if s.sections.len() > 1 {
        for (i, (section, t)) in s.sections.iter().zip(&totals.sections).enumerate() {
            rows.push((section.name.clone(), format!("section-{i}"), t));
        }
    }
    rows.push((
        "Grand total".to_string(),
        "grand".to_string(),
        &totals.grand,
    ));
    rows
}

/// Any two years of the schedule compared: each section's and the grand total's figure in both,
/// and the change from the first to the second, exact, with its percentage of the first.
#[component]
pub fn CompareYears() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Indices into the schedule's years; `None`: the first and the last.
    let from = RwSignal::new(None::<usize>);
    let to = RwSignal::new(None::<usize>);
    move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let n = s.years.len();
            if n < 2 {
                return None;
            }
            let a = from.get().filter(|i| *i < n).unwrap_or(0);
            let b = to.get().filter(|i| *i < n).unwrap_or(n - 1);
            let options = move |chosen: usize| {
                s.years
                    .iter()
                    .enumerate()
                    .map(|(i, y)| view! { <option value=i.to_string() selected=i == chosen>{y.year.label()}</option> })
                    .collect_view()
            };
            let pick = move |signal: RwSignal<Option<usize>>| {
                move |ev: leptos::ev::Event| signal.set(event_target_value(&ev).parse().ok())
            };
            state.live.with(|live| {
                let totals = &live.as_ref()?.results.totals;
                let d = s.decimals;
                let (first, second) = (s.years[a].year.label(), s.years[b].year.label());
                let rows = compared_rows(s, totals)
                    .into_iter()
                    .map(|(label, key, t)| {
                        let (x, y) = (known(&t.years[a]), known(&t.years[b]));
                        let shown = |v: Option<rust_decimal::Decimal>| {
                            v.map_or_else(|| "–".to_string(), |v| format_amount(v, d))
                        };
                        let change = format_change(change_between(x, y).as_ref(), d);
                        view! {
                            <tr data-testid="compare-row" data-key=key>
                                <th scope="row">{label}</th>
                                <td class="num">{shown(x)}</td>
                                <td class="num">{shown(y)}</td>
                                <td class="num">{change}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                let unit = state.cash_label(s.unit.label());
                Some(view! {
                    <section class="compare-years" aria-labelledby="compare-heading" data-testid="compare-years">
                        <h2 id="compare-heading">"Two years compared"</h2>
                        <div class="settings-grid">
                            <div class="field">
                                <label for="compare-from">"Compare"</label>
                                <select id="compare-from" data-testid="compare-from" on:change=pick(from)>{options(a)}</select>
                            </div>
                            <div class="field">
                                <label for="compare-to">"with"</label>
                                <select id="compare-to" data-testid="compare-to" on:change=pick(to)>{options(b)}</select>
                            </div>
                        </div>
                        <div class="table-frame">
                            <div class="table-scroll sticky-first" tabindex="0" role="region" aria-label="Two years compared, scrolls sideways" use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
                                <table>
                                    <caption><span>{format!("Each total in {first} and in {second}, {unit}, and the change from {first} to {second} with its percentage of {first}'s (rounded once to one place). Of the schedule as published.")}</span></caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Total"</th>
                                            <th scope="col" class="num">{first.clone()}</th>
                                            <th scope="col" class="num">{second.clone()}</th>
                                            <th scope="col" class="num">"Change"</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                        </div>
                    </section>
                })
            })
        })
    }
}
