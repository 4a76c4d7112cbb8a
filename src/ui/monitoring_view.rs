//! The Monitoring view: per line and period the target, forecast, variance (forecast − target)
//! and its verdict, favourable or adverse, written as text (never colour alone), with the totals
//! and the net of proposals that have both savings and investment lines, and the file's own
//! variance column checked row by row (published against computed, ok / rounding / error). Every
//! figure and verdict comes from `engine::monitoring`; this file only lays it out.

use leptos::prelude::*;

use crate::engine::arithmetic::VarianceSense;
use crate::engine::{
    format_amount, format_cell, format_sum, monitoring, CheckStatus, LineVariance, Monitoring,
    MonitoringTotal, ProposalVariance, Schedule, TotalVariance, Verdict, MONITORING_NET,
};

use super::checks_panel::{status_badge, status_class};
use super::state::AppState;

fn verdict_text(v: Option<Verdict>) -> &'static str {
    v.map(Verdict::label).unwrap_or("No figure")
}

fn verdict_class(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Favourable) => "verdict favourable",
        Some(Verdict::Adverse) => "verdict adverse",
        Some(Verdict::OnTarget) => "verdict on-target",
        None => "verdict none",
    }
}

fn signed_text(v: rust_decimal::Decimal, d: u32) -> String {
    format_amount(v, d)
}

fn line_cells(c: &LineVariance, d: u32) -> impl IntoView {
    // Both cells empty: nothing to judge, and nothing missing either.
    let both_empty =
        c.variance.is_none() && c.target.value().is_some() && c.forecast.value().is_some();
    view! {
        <td class="num" data-testid="monitoring-target">{format_cell(&c.target, d)}</td>
        <td class="num" data-testid="monitoring-forecast">{format_cell(&c.forecast, d)}</td>
        <td class="num" data-testid="monitoring-variance">
            {c.variance.map(|v| signed_text(v, d)).unwrap_or_default()}
        </td>
        <td class=verdict_class(c.verdict) data-testid="monitoring-verdict">
            {if both_empty { "" } else { verdict_text(c.verdict) }}
        </td>
    }
}

fn total_cells(c: &TotalVariance, d: u32) -> impl IntoView {
    view! {
        <td class="num">{format_sum(&c.target, d)}</td>
        <td class="num">{format_sum(&c.forecast, d)}</td>
        <td class="num">{c.variance.map(|v| signed_text(v, d)).unwrap_or_else(|| "incomplete".to_string())}</td>
        <td class=verdict_class(c.verdict) data-testid="monitoring-total-verdict">
            {c.verdict.map(Verdict::label).unwrap_or("Incomplete")}
        </td>
    }
}

fn total_row(t: &MonitoringTotal, d: u32, testid: &'static str) -> impl IntoView {
    let cells = t.cells.iter().map(|c| total_cells(c, d)).collect_view();
    view! {
        <tr class="total" data-testid=testid>
            <th scope="row">{t.label.clone()}</th>
            {cells}
        </tr>
    }
}

fn head(m: &Monitoring, first: &'static str) -> impl IntoView {
    let groups = m
        .periods
        .iter()
        .map(|p| view! { <th scope="colgroup" colspan="4">{p.label.clone()}</th> })
        .collect_view();
    let columns = m
        .periods
        .iter()
        .map(|_| {
            view! {
                <th scope="col" class="num">"Target"</th>
                <th scope="col" class="num">"Forecast"</th>
                <th scope="col" class="num">"Variance"</th>
                <th scope="col">"Verdict"</th>
            }
        })
        .collect_view();
    view! {
        <thead>
            <tr><td></td>{groups}</tr>
            <tr><th scope="col">{first}</th>{columns}</tr>
        </thead>
    }
}

fn table(s: &Schedule, m: &Monitoring) -> impl IntoView {
    let d = s.decimals;
    let rows = m
        .lines
        .iter()
        .map(|l| {
            let cells = l.cells.iter().map(|c| line_cells(c, d)).collect_view();
            let note = (!l.counted).then_some(" (not counted)");
            view! {
                <tr data-testid="monitoring-line" class:not-counted=!l.counted>
                    <th scope="row">
                        {format!("Row {} · {}", s.lines[l.line].row, l.label)}
                        {note}
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let totals = m
        .totals
        .iter()
        .map(|t| total_row(t, d, "monitoring-total"))
        .collect_view();
    let caption = format!(
        "Target against forecast, {}, in the file's signs ({}). Variance = forecast − target; \
         favourable when it helps the budget: a saving above target, a cost below it. Totals \
         marked * add a cell with no figure.",
        s.unit.label(),
        s.sign.label().to_lowercase()
    );
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Monitoring, scrolls sideways">
            <table data-testid="monitoring-table">
                <caption>{caption}</caption>
                {head(m, "Line")}
                <tbody>{rows}</tbody>
                <tfoot>{totals}</tfoot>
            </table>
        </div>
    }
}

/// A proposal's net target, forecast, variance and verdict, titled `{prefix}{ref} · {name}`.
fn proposal_row(
    p: &ProposalVariance,
    d: u32,
    prefix: &'static str,
    testid: &'static str,
) -> impl IntoView {
    let title = if p.reference.is_empty() {
        format!("{prefix}{}", p.name)
    } else {
        format!("{prefix}{} · {}", p.reference, p.name)
    };
    let cells = p
        .total
        .cells
        .iter()
        .map(|c| total_cells(c, d))
        .collect_view();
    view! {
        <tr data-testid=testid>
            <th scope="row">{title}</th>
            {cells}
        </tr>
    }
}

/// The published variance column(s) checked: each row's published figure beside the one its
/// target and forecast give, in the column's own sense, with the check's status; problems first.
fn variance_checks_table(s: &Schedule, m: &Monitoring) -> Option<impl IntoView> {
    if m.variance_checks.is_empty() {
        return None;
    }
    let d = s.decimals;
    let mut checks: Vec<_> = m.variance_checks.iter().collect();
    checks.sort_by_key(|c| (c.status == CheckStatus::Ok, c.row));
    let problems = checks
        .iter()
        .filter(|c| c.status != CheckStatus::Ok)
        .count();
    let senses = m
        .published_variances
        .iter()
        .map(|v| {
            let sense = match v.sense {
                VarianceSense::ForecastMinusTarget => "forecast − target",
                VarianceSense::TargetMinusForecast => "target − forecast",
            };
            format!(
                "`{}` ({}) is {}",
                v.header, m.periods[v.period].label, sense
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let rows = checks
        .into_iter()
        .map(|c| {
            let computed = c
                .computed
                .map(|x| format_amount(x, d))
                .unwrap_or_else(|| "no figure".to_string());
            let published = format_amount(c.published, d);
            view! {
                <tr
                    class=status_class(c.status)
                    data-testid="monitoring-variance-check"
                    data-row=c.row.to_string()
                    data-status=c.status.label()
                    data-published=c.published.to_string()
                    data-computed=c.computed.map(|x| x.to_string()).unwrap_or_default()
                >
                    <th scope="row">{format!("Row {} · {}", c.row, c.label)}</th>
                    <td>{m.periods[c.period].label.clone()}</td>
                    <td class="num">{format_cell(&c.target, d)}</td>
                    <td class="num">{format_cell(&c.forecast, d)}</td>
                    <td class="num" data-testid="variance-published">{published}</td>
                    <td class="num" data-testid="variance-computed">{computed}</td>
                    <td class=format!("check {}", status_class(c.status)) data-testid="variance-status">
                        {status_badge(c.status)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <h3>"Published variance checked"</h3>
        <p class="hint" data-testid="variance-summary">
            {format!(
                "Read from the figures: {senses}. {problems} of {} published variances differ from                  what their target and forecast give.",
                m.variance_checks.len()
            )}
        </p>
        <div class="table-scroll" tabindex="0" role="region" aria-label="Published variance checked, scrolls sideways">
            <table data-testid="monitoring-variance-checks">
                <caption>"Each row's published variance against the one its target and forecast give, problems first."</caption>
                <thead>
                    <tr>
                        <th scope="col">"Row"</th>
                        <th scope="col">"Period"</th>
                        <th scope="col" class="num">"Target"</th>
                        <th scope="col" class="num">"Forecast"</th>
                        <th scope="col" class="num">"Published"</th>
                        <th scope="col" class="num">"Computed"</th>
                        <th scope="col">"Check"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The monitoring of the schedule on screen, worked out again when it changes.
fn monitoring_of(state: AppState) -> Memo<Option<Monitoring>> {
    Memo::new(move |_| {
        state
            .loaded
            .with(|l| l.as_ref().and_then(|l| monitoring(&l.schedule)))
    })
}

fn proposals_table(s: &Schedule, m: &Monitoring) -> Option<impl IntoView> {
    if m.proposals.is_empty() {
        return None;
    }
    let d = s.decimals;
    let rows = m
        .proposals
        .iter()
        .map(|p| proposal_row(p, d, "", "monitoring-proposal"))
        .collect_view();
    Some(view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Net by proposal, scrolls sideways">
            <table data-testid="monitoring-proposals">
                <caption>
                    "Net of savings and investment by proposal, savings positive (savings − costs)."
                </caption>
                {head(m, "Proposal")}
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}

/// The Monitoring view. Reads the schedule on screen (`AppState::loaded`) and shows its
/// monitoring (`engine::monitoring`) when it has target and forecast columns; otherwise a hint
/// saying what such a file looks like.
#[component]
pub fn MonitoringView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let computed = monitoring_of(state);
    move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let body = computed.with(|m| match m {
                Some(m) => view! {
                    <p class="hint">
                        {format!("{} lines, {} period(s).", m.lines.len(), m.periods.len())}
                    </p>
                    {table(s, m)}
                    {proposals_table(s, m)}
                    {variance_checks_table(s, m)}
                }
                .into_any(),
                None => view! {
                    <p class="hint" data-testid="monitoring-none">
                        "This schedule has no target and forecast columns. Load a monitoring \
                         table: a header with Target (or Budget, Planned) and Forecast (or \
                         Outturn, Actual) columns, for the year or per quarter (Q1 Target, \
                         Q1 Forecast, …)."
                    </p>
                }
                .into_any(),
            });
            Some(view! {
                <section class="monitoring-view" aria-labelledby="monitoring-heading" data-testid="monitoring-view">
                    <h2 id="monitoring-heading">"Monitoring: target against forecast"</h2>
                    {body}
                </section>
            })
        })
    }
}

/// In the Net view, for a monitoring table whose lines are savings and investments: the net of
/// both (savings positive) against its target, in total and by proposal, with the savings and
/// the costs it nets. Every figure is `engine::monitoring`'s; nothing shows for a table without
/// a net (all lines one way) or for a schedule without target and forecast columns.
#[component]
pub fn NetMonitoring() -> impl IntoView {
    let state = expect_context::<AppState>();
    let computed = monitoring_of(state);
    move || {
        state.loaded.with(|l| {
            let d = l.as_ref()?.schedule.decimals;
            computed.with(|m| {
                let m = m.as_ref()?;
                m.totals.iter().find(|t| t.label == MONITORING_NET)?;
                let totals = m
                    .totals
                    .iter()
                    .map(|t| total_row(t, d, "net-monitoring-total"))
                    .collect_view();
                let proposals = m
                    .proposals
                    .iter()
                    .map(|p| proposal_row(p, d, "Net of ", "net-monitoring-proposal"))
                    .collect_view();
                Some(view! {
                    <section class="net-monitoring" aria-labelledby="net-monitoring-heading" data-testid="net-monitoring">
                        <h3 id="net-monitoring-heading">"Monitoring: the net against its target"</h3>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Net against target, scrolls sideways">
                            <table>
                                <caption>
                                    "Savings and costs monitored, and their net, savings positive (savings − costs): target, forecast, variance (forecast − target) and verdict."
                                </caption>
                                {head(m, "Measure")}
                                <tbody>{totals}{proposals}</tbody>
                            </table>
                        </div>
                    </section>
                })
            })
        })
    }
}
