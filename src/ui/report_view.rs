//! The Report view: the report to publish (`engine::report`), laid out in reading order for a
//! cabinet paper or a web page, and printed alone on A4 (the page's other panels are hidden in
//! print while it is the view). The embedded view (`embed.rs`) starts from it.
//! The engine builds and formats every figure; this only lays the report out.

use leptos::prelude::*;

use crate::engine::{checksum, report, Report, ReportInput, ReportSource, ReportTable};

use super::gap_view::GapTrend;
use super::scroll_hint::scroll_hint;
use super::state::AppState;

/// The report of what is on screen, worked out again when any of it changes; `None` with no
/// schedule.
fn build(state: AppState) -> Option<Report> {
    state.loaded.with(|l| {
        let l = l.as_ref()?;
        state.live.with(|live| {
            let live = live.as_ref()?;
            state.netting.with(|netting| {
                state.map.with(|map| {
                    state.gap.with(|gap| {
                        state.derived.gap_judged.with(|judged| {
                            state.derived.comparison.with(|comparison| {
                                let scenario = state
                                    .active_scenario
                                    .get()
                                    .and_then(|i| state.scenarios.with(|all| all.get(i).cloned()));
                                let prices = state.prices.get();
                                let gap = gap
                                    .as_ref()
                                    .zip(judged.as_ref())
                                    .map(|(g, j)| (&g.model, &j.figures));
                                let input = ReportInput {
                                    schedule: &l.schedule,
                                    results: &live.results,
                                    netting: netting.as_ref(),
                                    map: map.as_ref().map(|m| (m.file_name.as_str(), &m.map)),
                                    gap,
                                    scenario: scenario.as_ref().zip(comparison.as_ref()),
                                    prices: prices.as_ref(),
                                    source: ReportSource {
                                        file_name: l.file_name.clone(),
                                        sha256: l.source.as_ref().map(|b| checksum(b)),
                                        read_at: l.read_at.clone(),
                                    },
                                };
                                Some(report(&input))
                            })
                        })
                    })
                })
            })
        })
    })
}

/// One of the report's tables, scrolling in its own region when wider than the page.
fn table_view(table: ReportTable, testid: &'static str, caption: String) -> impl IntoView {
    let header = table.header.into_iter().enumerate().map(|(i, h)| {
        if i == 0 {
            view! { <th scope="col">{h}</th> }.into_any()
        } else {
            view! { <th scope="col" class="num">{h}</th> }.into_any()
        }
    });
    let rows = table
        .rows
        .into_iter()
        .map(|r| {
            let cells = r
                .cells
                .into_iter()
                .map(|c| view! { <td class="num">{c}</td> })
                .collect_view();
            view! {
                <tr class:total=r.total data-testid="report-row">
                    <th scope="row">{r.label}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let more = (table.more > 0).then(|| {
        view! {
            <p class="hint">{format!("… and {} more, in the Net by proposal view and the exports.", table.more)}</p>
        }
    });
    view! {
        <div class="table-scroll sticky-first" tabindex="0" role="region" aria-label=format!("{caption}, scrolls sideways") use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
            <table class="report-table" data-testid=testid>
                <thead><tr>{header.collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {more}
    }
}

/// The report, laid out; `embedded` leaves out the print button (the embed prints nothing).
#[component]
pub fn ReportView(#[prop(optional)] embedded: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = Memo::new(move |_| build(state));
    let print = |_| super::download::print_page();
    move || {
        let r = report.get()?;
        let unit = r.unit.clone();
        let problems = (!r.problems.is_empty()).then(|| {
            let rows = r
                .problems
                .iter()
                .map(|f| {
                    let row = if f.cell.is_empty() {
                        format!("row {}", f.row)
                    } else {
                        format!("{} (row {})", f.cell, f.row)
                    };
                    view! {
                        <tr data-testid="report-problem" data-status=f.status.clone()>
                            <td>{f.status.clone()}</td>
                            <th scope="row">{row}</th>
                            <td>{f.column.clone()}</td>
                            <td>{f.label.clone()}</td>
                            <td class="num">{f.published.clone()}</td>
                            <td class="num">{f.computed.clone()}</td>
                            <td class="num">{f.difference.clone()}</td>
                            <td>{f.identity.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let more = (r.more_problems > 0).then(|| {
                view! { <p class="hint">{format!("… and {} more, all in Download checks.", r.more_problems)}</p> }
            });
            view! {
                <h4>"Figures that are not exactly right"</h4>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Figures that are not exactly right, scrolls sideways" use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
                    <table class="report-table" data-testid="report-problems">
                        <thead>
                            <tr>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Where"</th>
                                <th scope="col">"Column"</th>
                                <th scope="col">"Label"</th>
                                <th scope="col" class="num">"Published"</th>
                                <th scope="col" class="num">"Computed"</th>
                                <th scope="col" class="num">"Difference"</th>
                                <th scope="col">"Should equal"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                {more}
            }
        });
        let none_wrong = r.problems.is_empty().then(|| {
            view! { <p data-testid="report-all-right">"No figure checked differs from what it should equal."</p> }
        });
        let nets = r.nets.map(|t| {
            view! {
                <h3>{format!("Net by proposal ({unit})")}</h3>
                <p class="hint">"Investment and saving lines of each proposal netted, per year and over the period (full-year effects)."</p>
                {table_view(t, "report-nets", "Net by proposal".into())}
            }
        });
        let gap = r.gap.map(|t| {
            view! {
                <h3>"Funding gap"</h3>
                {table_view(t, "report-gap", "Funding gap".into())}
                <GapTrend />
            }
        });
        let scenario = r.scenario.map(|sc| {
            let assumptions = sc
                .assumptions
                .into_iter()
                .map(|a| view! { <li>{a}</li> })
                .collect_view();
            view! {
                <h3 data-testid="report-scenario">{format!("Scenario: {} ({unit})", sc.name)}</h3>
                <ul data-testid="report-assumptions">{assumptions}</ul>
                {table_view(sc.table, "report-scenario-table", "Scenario against the baseline".into())}
            }
        });
        let real = r.real_terms.map(|real| match real {
            Ok(real) => {
                let gap = real.gap.map(|g| match g {
                    Ok(g) => table_view(g, "report-real-gap", "The gap in real terms".into()).into_any(),
                    Err(why) => view! { <p class="alert" data-testid="report-real-problem">{why}</p> }.into_any(),
                });
                view! {
                    <h3 data-testid="report-real-heading">{format!("In real terms ({})", real.label)}</h3>
                    <p class="hint">"Each year's figure × the base year's index ÷ its year's index, kept to ten places and shown rounded; the totals add the converted years."</p>
                    {table_view(real.totals, "report-real-totals", "Totals in real terms".into())}
                    {gap}
                }
                .into_any()
            }
            Err(why) => view! {
                <h3>"In real terms"</h3>
                <p class="alert" data-testid="report-real-problem">{why}</p>
            }
            .into_any(),
        });
        let map = r.map.map(|m| {
            view! {
                <h3>"Arithmetic of the file"</h3>
                <p data-testid="report-map">{m}</p>
            }
        });
        let source = r
            .source
            .into_iter()
            .map(|s| view! { <li>{s}</li> })
            .collect_view();
        let checks = r
            .checks
            .into_iter()
            .map(|c| view! { <li data-testid="report-check">{c}</li> })
            .collect_view();
        let print_button = (!embedded).then(|| {
            view! {
                <p class="report-actions">
                    <button type="button" class="button" data-testid="print-report" on:click=print>
                        "Print the report"
                    </button>
                    " Prints this report alone, on A4."
                </p>
            }
        });
        Some(view! {
            <section class="report-view" data-testid="report" aria-labelledby="report-heading">
                <h2 id="report-heading">"Report"</h2>
                {print_button}
                <h3>"The file"</h3>
                <ul data-testid="report-source">{source}</ul>
                <h3>"Checks"</h3>
                <ul class="check-summary" data-testid="report-checks">{checks}</ul>
                {problems}
                {none_wrong}
                <h3>{format!("Totals by section and year ({unit}, cash)")}</h3>
                {table_view(r.totals, "report-totals", "Totals by section and year".into())}
                {real}
                {map}
                {nets}
                {gap}
                {scenario}
            </section>
        })
    }
}
