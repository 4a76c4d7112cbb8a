//! The arithmetic map panel: which of the last file's figures are derived from which, found from
//! the figures themselves (`engine::arithmetic`), with how many were confirmed, classed
//! rounding, or broken: the broken ones first, each with both figures. The engine finds and
//! judges everything; this only shows it, and offers it as CSV or JSON.

use leptos::prelude::*;

use crate::engine::arithmetic::{total_counts, ArithmeticMap};
use crate::engine::{map_counts_sentence, map_sentence, map_to_csv, map_to_json};

use super::download::{download, file_stem};
use super::state::AppState;

/// The most identities and broken figures listed on the page; the downloads hold them all.
const SHOWN: usize = 60;

/// One table's arithmetic: its summary, broken figures (each with both figures) and identities.
fn table_body(map: &ArithmeticMap) -> impl IntoView {
    let broken = map
        .broken
        .iter()
        .take(SHOWN)
        .map(|b| {
            let c = &b.check;
            view! {
                <li class="status-error" data-testid="map-broken"
                    data-cell=c.cell.clone()
                    data-published=c.published.to_string()
                    data-computed=c.computed.to_string()>
                    <strong>{format!("✗ {} (row {}): ", c.cell, c.row)}</strong>
                    // The sentence gives both figures: "published 7.614; … gives 7.416 here".
                    {b.sentence.clone()}
                </li>
            }
        })
        .collect_view();
    let more_broken = map.broken.len().saturating_sub(SHOWN);
    let identities = map
        .identities
        .iter()
        .take(SHOWN)
        .map(|id| {
            let class = if id.counts.broken > 0 {
                "status-error"
            } else if id.counts.rounding > 0 {
                "status-rounding"
            } else {
                "status-ok"
            };
            view! {
                <li class=class data-testid="map-identity">
                    {format!("{}: {}", id.description, map_counts_sentence(&id.counts))}
                </li>
            }
        })
        .collect_view();
    let more_ids = map.identities.len().saturating_sub(SHOWN);
    let bounded = map.bounded.then(|| {
        view! {
            <p class="note" data-testid="map-bounded">
                "A large table: only subtotals, totals and line totals were looked for."
            </p>
        }
    });
    view! {
        <p data-testid="map-summary">{map_sentence(map)}</p>
        {bounded}
        <ul class="map-broken check-list">{broken}</ul>
        {(more_broken > 0).then(|| view! {
            <p class="note">{format!("and {more_broken} more broken figures (in the downloads)")}</p>
        })}
        <details class="map-identities">
            <summary>"Which figures are derived from which"</summary>
            <ul>{identities}</ul>
            {(more_ids > 0).then(|| view! {
                <p class="note">{format!("and {more_ids} more identities (in the downloads)")}</p>
            })}
        </details>
    }
}

#[component]
pub fn MapPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.map.with(|m| {
            let m = m.as_ref()?;
            let map = &m.map;
            // A file of several tables: each under its own heading, none summed with another.
            let several = !m.tables.is_empty();
            let (c, identity_count) = if several {
                (
                    total_counts(&m.tables),
                    m.tables.iter().map(|t| t.identities.len()).sum::<usize>(),
                )
            } else {
                (map.counts, map.identities.len())
            };
            let body = if several {
                m.tables
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        // A table's columns of counts follow it, under its number.
                        let number = m.tables[..=k].iter().filter(|x| !x.not_money).count().max(1);
                        let heading = if t.not_money {
                            format!(
                                "Table {number}, rows {}–{}: its FTE, posts and counts (not money)",
                                t.header_row, t.last_row
                            )
                        } else {
                            format!("Table {number}, rows {}–{}", t.header_row, t.last_row)
                        };
                        view! {
                            <section class="map-table" data-testid="map-table"
                                data-broken=t.counts.broken.to_string()
                                data-identities=t.identities.len().to_string()
                                data-not-money=t.not_money.to_string()>
                                <h3>{heading}</h3>
                                {table_body(t)}
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            } else {
                table_body(map).into_any()
            };
            let note = m.note.clone().map(|n| view! { <p class="note" data-testid="map-note">{n}</p> });
            let file_name = m.file_name.clone();
            let stem = file_stem(&file_name);
            let csv_name = format!("{stem}-arithmetic-map.csv");
            let json_name = format!("{stem}-arithmetic-map.json");
            Some(view! {
                <section class="map-panel" aria-labelledby="map-title" data-testid="map-panel"
                    data-confirmed=c.confirmed.to_string()
                    data-rounding=c.rounding.to_string()
                    data-broken=c.broken.to_string()
                    data-identities=identity_count.to_string()
                    data-tables=m.tables.len().max(1).to_string()
                    data-checked-only=m.note.is_some().to_string()>
                    <h2 id="map-title">"Arithmetic of " {file_name.clone()} ", the last file read"</h2>
                    {note}
                    {body}
                    <p class="map-downloads">
                        <button type="button" data-testid="map-csv" on:click=move |_| {
                            state.map.with_untracked(|m| {
                                if let Some(m) = m {
                                    let _ = download(&csv_name, "text/csv", map_to_csv(&m.map).as_bytes());
                                }
                            })
                        }>"Download the map (CSV)"</button>
                        " "
                        <button type="button" data-testid="map-json" on:click=move |_| {
                            state.map.with_untracked(|m| {
                                if let Some(m) = m {
                                    let _ = download(&json_name, "application/json", map_to_json(&m.map).as_bytes());
                                }
                            })
                        }>"Download the map (JSON)"</button>
                    </p>
                </section>
            })
        })
    }
}
