//! The Net view: one group per proposal with investment, gross saving and net by year, the
//! cumulative net, both paybacks and the check of its published net and payback. A proposal
//! opens to show its lines, each of which can be marked memo (shown, left out of the net).

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use crate::engine::{
    format_amount, format_cell, format_sum, payback_label, sum_all, CheckColumn, CheckStatus, Edit,
    ProposalNet, Schedule, Sum,
};

use super::checks_panel::{status_badge, status_class};
use super::monitoring_view::NetMonitoring;
use super::state::AppState;

/// One row of figures: a label, a figure per year and the total over the period.
fn figure_row(
    label: &'static str,
    sums: &[Sum],
    d: u32,
    class: &'static str,
    testid: &'static str,
    marks: &HashMap<Option<usize>, (CheckStatus, String)>,
) -> impl IntoView {
    let cells = sums
        .iter()
        .enumerate()
        .map(|(y, s)| {
            let mark = marks.get(&Some(y)).cloned();
            cell(format_sum(s, d), testid, mark)
        })
        .collect_view();
    // A running total has no sum over the period: its last figure already is one.
    let total = (class != "cumulative").then(|| {
        let total_mark = marks.get(&None).cloned();
        cell(format_sum(&sum_all(sums), d), "", total_mark)
    });
    view! {
        <tr class=class>
            <th scope="row">{label}</th>
            {cells}
            {total.unwrap_or_else(|| view! { <td></td> }.into_any())}
        </tr>
    }
}

fn cell(text: String, testid: &'static str, mark: Option<(CheckStatus, String)>) -> AnyView {
    let testid = (!testid.is_empty()).then_some(testid);
    match mark {
        Some((status, published)) if status != CheckStatus::Ok => view! {
            <td class=format!("num {}", status_class(status)) data-testid=testid>
                <span class="figure">{text}</span>
                <span class="published">{format!("published {published} · {}", status_badge(status))}</span>
            </td>
        }
        .into_any(),
        _ => view! { <td class="num" data-testid=testid>{text}</td> }.into_any(),
    }
}

fn proposal_body(
    state: AppState,
    s: &Schedule,
    index: usize,
    p: &ProposalNet,
    open: bool,
    expanded: RwSignal<HashSet<usize>>,
) -> impl IntoView {
    let d = s.decimals;
    let width = s.years.len() + 2;
    let title = if p.reference.is_empty() {
        p.name.clone()
    } else {
        format!("{} · {}", p.reference, p.name)
    };
    // Marks on the net row: the published net lines' checks by column.
    let mut marks: HashMap<Option<usize>, (CheckStatus, String)> = HashMap::new();
    for c in &p.net_checks {
        let key = match c.column {
            CheckColumn::Year(y) => Some(y),
            CheckColumn::Total => None,
        };
        let worse = marks.get(&key).is_none_or(|(s, _)| c.status > *s);
        if worse {
            marks.insert(
                key,
                (
                    c.status,
                    format_amount(c.published, d.max(c.published.scale())),
                ),
            );
        }
    }
    let none = HashMap::new();
    let published_payback = p.published_payback.clone().map(|text| {
        let check = p.payback_check.map(|c| format!(" {}", status_badge(c))).unwrap_or_default();
        view! {
            <span class=format!("payback-published {}", p.payback_check.map(status_class).unwrap_or(""))>
                {format!("published {text}{check}")}
            </span>
        }
    });
    let status = p.status.map(|st| {
        view! { <span class=format!("badge {}", status_class(st)) data-testid="proposal-status">{status_badge(st)}</span> }
    });
    let toggle = move |_| {
        expanded.update(|e| {
            if !e.remove(&index) {
                e.insert(index);
            }
        })
    };
    let lines = open.then(|| {
        p.lines
            .iter()
            .map(|&i| {
                let line = &s.lines[i];
                let measure = s.measure(line).map(|m| m.label()).unwrap_or("Saving");
                let amounts = line
                    .amounts
                    .iter()
                    .map(|a| view! { <td class="num">{format_cell(a, d)}</td> })
                    .collect_view();
                let memo = line.memo;
                let id = format!("memo-{i}");
                // An edit like any other: it can be undone.
                let on_memo = move |_| {
                    let now = state.loaded.with_untracked(|l| {
                        l.as_ref().and_then(|l| l.schedule.lines.get(i)).map(|l| l.memo)
                    });
                    if let Some(now) = now {
                        state.perform(Edit::SetMemo { line: i, memo: !now });
                    }
                };
                view! {
                    <tr class="proposal-line" class:memo=memo>
                        <th scope="row" class="label">
                            {format!("Row {} · {measure}", line.row)}
                            <span class="memo-toggle">
                                <input type="checkbox" id=id.clone() checked=memo on:change=on_memo data-testid="memo-toggle" />
                                <label for=id>"memo (left out of the net)"</label>
                            </span>
                        </th>
                        {amounts}
                        <td></td>
                    </tr>
                }
            })
            .collect_view()
    });
    view! {
        <tbody class="proposal" data-testid="proposal" data-ref=p.reference.clone()>
            <tr class="proposal-head">
                <th scope="rowgroup" colspan=width>
                    <button
                        type="button"
                        class="link-button"
                        aria-expanded=open.to_string()
                        data-testid="proposal-toggle"
                        on:click=toggle
                    >
                        {if open { "▾ " } else { "▸ " }}
                        {title}
                    </button>
                    <span class="paybacks">
                        "Payback: "
                        <span data-testid="payback-annual">{payback_label(p.payback_annual)}</span>
                        " on the annual net, "
                        <span data-testid="payback-cumulative">{payback_label(p.payback_cumulative)}</span>
                        " on the cumulative net"
                    </span>
                    " "
                    {published_payback}
                    " "
                    {status}
                </th>
            </tr>
            {figure_row("Investment", &p.investment, d, "investment", "investment-year", &none)}
            {figure_row("Gross saving", &p.gross_saving, d, "gross", "gross-year", &none)}
            {figure_row("Net", &p.net, d, "net", "net-year", &marks)}
            {figure_row("Cumulative net", &p.cumulative_net, d, "cumulative", "cumulative-net-year", &none)}
            {lines}
        </tbody>
    }
}

/// How many proposals the net view draws at first, and how many more each "Show more" adds.
const PROPOSALS_DRAWN: usize = 200;

#[component]
pub fn NetView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let expanded = RwSignal::new(HashSet::<usize>::new());
    // Proposals drawn: a 100,000-line file has as many, which would take seconds to draw.
    let drawn = RwSignal::new(PROPOSALS_DRAWN);
    move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            state.netting.with(|n| {
                let n = n.as_ref()?;
                let open = expanded.get();
                let years = s
                    .years
                    .iter()
                    .map(|y| view! { <th scope="col" class="num">{y.header.clone()}</th> })
                    .collect_view();
                let all = n.proposals.len();
                let shown = drawn.get().min(all);
                let bodies = n
                    .proposals
                    .iter()
                    .enumerate()
                    .take(shown)
                    .map(|(i, p)| proposal_body(state, s, i, p, open.contains(&i), expanded))
                    .collect_view();
                let caption = format!(
                    "Net by proposal, {}, in the file's signs: {}. Net = investment + gross saving as signed; payback counts the first year column as Year 1.",
                    state.cash_label(s.unit.label()),
                    s.sign.label().to_lowercase()
                );
                Some(view! {
                    <section class="net-view" aria-labelledby="net-heading" data-testid="net-view">
                        <h2 id="net-heading">"Net by proposal"</h2>
                        <p class="hint">
                            {format!("{} proposals. Open one to see its lines and mark memo lines.", n.proposals.len())}
                        </p>
                        <NetMonitoring />
                        // A monitoring table has no year columns: its net is the one above.
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Net by proposal, scrolls sideways" hidden=s.years.is_empty()>
                            <table data-testid="net-table">
                                <caption>{caption}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Measure"</th>
                                        {years}
                                        <th scope="col" class="num">"Over the period"</th>
                                    </tr>
                                </thead>
                                {bodies}
                            </table>
                        </div>
                        {(shown < all).then(|| {
                            let more = PROPOSALS_DRAWN.min(all - shown);
                            view! {
                                <p class="hint" data-testid="net-more">
                                    {format!("{shown} of {all} proposals shown. ")}
                                    <button type="button" data-testid="net-show-more" on:click=move |_| drawn.update(|d| *d += PROPOSALS_DRAWN)>
                                        {format!("Show {more} more")}
                                    </button>
                                </p>
                            }
                        })}
                    </section>
                })
            })
        })
    }
}
