//! The schedule's totals against the year before: for the grand total and each section, how far
//! each year's total moved on the year before's, in the schedule's unit and in per cent. The
//! engine works the figures out (`engine::year_on_year`, docs/domain.md "Change and share of the
//! budget") from the live totals of the schedule as published; this lays them out.

use leptos::prelude::*;

use crate::engine::{format_amount, format_percent, known, year_on_year, RowTotals};

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
                let unit = s.unit.label();
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
                            let text = c.map_or_else(
                                || "–".to_string(),
                                |c| {
                                    let amount = format_amount(c.amount, d);
                                    match c.percent {
                                        Some(p) => format!("{amount} ({})", format_percent(p)),
                                        None => amount,
                                    }
                                },
                            );
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
                let mut rows = Vec::new();
                if s.sections.len() > 1 {
                    rows.extend(
                        s.sections
                            .iter()
                            .zip(&totals.sections)
                            .enumerate()
                            .map(|(i, (section, t))| row(section.name.clone(), format!("section-{i}"), t)),
                    );
                }
                rows.push(row("Grand total".into(), "grand".into(), &totals.grand));
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
