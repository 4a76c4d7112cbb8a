//! The Delivery risk view: how likely the savings are to land, and the gap to close, when each
//! saving's delivery is uncertain. The settings (seed, number of runs, the distribution of
//! delivery for each RAG rating) belong to the scenario looked at, so a link carries them and
//! gives the same figures; the simulation runs in its Web Worker with a progress bar and a
//! Cancel button; the results are a table per year (P10, P50, P90 of the savings delivered and
//! of the gap, the scenario's own deterministic gap, the chance the gap is closed) and a fan
//! chart of the gap's P10–P90 band beside the deterministic line. Every figure comes from
//! `engine::simulation` (`engine::run_simulation`); this file lays them out.

use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::engine::{
    format_amount, parse_percent, percent_entry, Delivery, DeliveryPart, Rag, RiskReport,
    RiskSettings, SimulationResult, SimulationYear, Spread, DEFAULT_CORRELATION, DEFAULT_RUNS,
    MAX_RUNS,
};

use super::state::AppState;

/// The settings of the scenario looked at (the defaults on the baseline, or a scenario that has
/// none yet).
fn settings(state: AppState) -> RiskSettings {
    state
        .active_scenario
        .get()
        .and_then(|i| {
            state
                .scenarios
                .with(|all| all.get(i).and_then(|s| s.risk.clone()))
        })
        .unwrap_or_default()
}

type Pick = fn(&mut RiskSettings) -> &mut Delivery;

const RATINGS: [(&str, &str, Pick); 4] = [
    ("Green", "green", |r| &mut r.rag.green),
    ("Amber", "amber", |r| &mut r.rag.amber),
    ("Red", "red", |r| &mut r.rag.red),
    ("Unrated", "unrated", |r| &mut r.rag.unrated),
];

#[component]
fn Settings(message: RwSignal<Option<String>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let number_field =
        move |label: &'static str,
              id: &'static str,
              get: fn(&RiskSettings) -> u64,
              set: fn(&mut RiskSettings, u64) -> Result<(), String>| {
            let on_change = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                match text.trim().replace(',', "").parse::<u64>() {
                    Ok(v) => {
                        let mut next = settings(state);
                        match set(&mut next, v) {
                            Ok(()) => {
                                message.set(None);
                                state.edit_risk(|r| *r = next);
                            }
                            Err(e) => message.set(Some(format!("{label}: {e}"))),
                        }
                    }
                    Err(_) => message.set(Some(format!(
                        "{label}: `{text}` is not a whole number; it is unchanged"
                    ))),
                }
            };
            view! {
                <div class="field">
                    <label for=id>{label}</label>
                    <input
                        id=id
                        type="text"
                        inputmode="numeric"
                        data-testid=id
                        prop:value=move || get(&settings(state)).to_string()
                        on:change=on_change
                    />
                </div>
            }
        };
    let rows = RATINGS
        .iter()
        .map(|&(label, key, pick)| {
            let cell = move |part: DeliveryPart, name: &'static str| {
                let id = format!("risk-{key}-{name}");
                let on_change = move |ev: leptos::ev::Event| {
                    let text = event_target_value(&ev);
                    let Some(v) = parse_percent(&text) else {
                        message.set(Some(format!(
                            "{label}, {name}: `{text}` is not a percentage; it is unchanged"
                        )));
                        return;
                    };
                    let mut next = settings(state);
                    let d = pick(&mut next).with_part(part, v);
                    match d.validate() {
                        Ok(()) => {
                            *pick(&mut next) = d;
                            message.set(None);
                            state.edit_risk(|r| *r = next);
                        }
                        Err(e) => message.set(Some(format!(
                            "{label}: {e}; the distribution is unchanged"
                        ))),
                    }
                };
                let shown = move || {
                    let mut s = settings(state);
                    percent_entry(pick(&mut s).part(part))
                };
                view! {
                    <td>
                        <label class="visually-hidden" for=id.clone()>{format!("{label}: {name} delivery (%)")}</label>
                        <input id=id.clone() data-testid=id type="text" inputmode="decimal" size="5" prop:value=shown on:change=on_change />
                    </td>
                }
            };
            view! {
                <tr>
                    <th scope="row">{label}</th>
                    {cell(DeliveryPart::Lowest, "lowest")}
                    {cell(DeliveryPart::Likely, "likely")}
                    {cell(DeliveryPart::Highest, "highest")}
                </tr>
            }
        })
        .collect_view();
    let on_correlation = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let label = "Correlation between lines";
        let Ok(value) = text.trim().parse::<Decimal>() else {
            message.set(Some(format!(
                "{label}: `{}` is not a number from 0 to 1; it is unchanged",
                text.trim()
            )));
            return;
        };
        let mut next = settings(state);
        next.correlation = value;
        match next.validate() {
            Ok(()) => {
                message.set(None);
                state.edit_risk(|r| *r = next);
            }
            Err(e) => message.set(Some(format!("{label}: {e}; it is unchanged"))),
        }
    };
    view! {
        <div class="risk-settings">
            {number_field("Seed", "risk-seed", |r| r.seed, |r, v| {
                r.seed = v;
                Ok(())
            })}
            {number_field("Runs", "risk-runs", |r| u64::from(r.runs), |r, v| {
                if v == 0 || v > u64::from(MAX_RUNS) {
                    return Err(format!("{v} runs; from 1 to {MAX_RUNS}"));
                }
                r.runs = v as u32;
                Ok(())
            })}
            <div class="field">
                <label for="risk-correlation">"Correlation between lines"</label>
                <input
                    id="risk-correlation"
                    type="text"
                    inputmode="decimal"
                    size="6"
                    data-testid="risk-correlation"
                    aria-describedby="risk-correlation-hint"
                    prop:value=move || settings(state).correlation.normalize().to_string()
                    on:change=on_correlation
                />
                <p class="hint" id="risk-correlation-hint">
                    {format!(
                        "From 0 to 1 ({} unless changed): how much the lines' delivery moves together in a run. 0: each line on its own, so shortfalls average out over many lines; 1: one shock hits every line alike (a demand surge, a recruitment freeze), so every line lands at the same point of its range.",
                        DEFAULT_CORRELATION,
                    )}
                </p>
            </div>
            <table class="risk-distributions" data-testid="risk-distributions">
                <caption>
                    "Share of each saving delivered, by RAG rating: lowest, most likely and highest (a triangular distribution; all three equal: always that share)."
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Rating"</th>
                        <th scope="col">"Lowest %"</th>
                        <th scope="col">"Most likely %"</th>
                        <th scope="col">"Highest %"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The gap a year's results speak of: after the reserves plan when there is one.
fn gap_of(y: &SimulationYear) -> Option<&Spread> {
    y.gap_left.as_ref().or(y.gap.as_ref())
}

fn percent_text(p: Decimal) -> String {
    format!("{} %", percent_entry(p))
}

fn results_table(r: &RiskReport, d: u32) -> impl IntoView {
    let gap_known = r.simulated.years.iter().any(|y| gap_of(y).is_some());
    let reserves = r.simulated.years.iter().any(|y| y.gap_left.is_some());
    let rows = r
        .simulated
        .years
        .iter()
        .zip(&r.deterministic.years)
        .map(|(y, det)| {
            let s = &y.savings;
            let savings_mark = if y.savings_incomplete { " *" } else { "" };
            let gap_cells = gap_of(y).map(|g| {
                let scenario = gap_of(det).map(|g| format_amount(g.p50, d)).unwrap_or_default();
                view! {
                    <td class="num">{format_amount(g.p10, d)}</td>
                    <td class="num" data-testid="risk-gap-p50">{format_amount(g.p50, d)}</td>
                    <td class="num" data-testid="risk-gap-p90">{format_amount(g.p90, d)}</td>
                    <td class="num" data-testid="risk-gap-scenario">{scenario}</td>
                    <td class="num" data-testid="risk-p-closed">{y.p_closed.map(percent_text).unwrap_or_default()}</td>
                }
            });
            view! {
                <tr data-testid="risk-year" data-year=y.year.label()>
                    <th scope="row">{y.year.label()}</th>
                    <td class="num">{format!("{}{savings_mark}", format_amount(s.p10, d))}</td>
                    <td class="num" data-testid="risk-savings-p50">{format!("{}{savings_mark}", format_amount(s.p50, d))}</td>
                    <td class="num">{format!("{}{savings_mark}", format_amount(s.p90, d))}</td>
                    {gap_cells}
                </tr>
            }
        })
        .collect_view();
    let gap_heads = gap_known.then(|| {
        let gap = if reserves {
            "Gap after reserves"
        } else {
            "Gap"
        };
        view! {
            <th scope="col" class="num">{format!("{gap}, P10")}</th>
            <th scope="col" class="num">{format!("{gap}, P50")}</th>
            <th scope="col" class="num">{format!("{gap}, P90")}</th>
            <th scope="col" class="num">"Gap in the scenario"</th>
            <th scope="col" class="num">"Chance the gap is closed"</th>
        }
    });
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Delivery risk by year, scrolls sideways">
            <table data-testid="risk-table">
                <caption>
                    {format!(
                        "Savings delivered and the gap they leave, {}, over {} runs (seed {}, correlation between lines {}). P10: exceeded in nine runs in ten; P90: in one in ten. A gap of zero or less is closed.",
                        r.simulated.unit.label(),
                        format_amount(Decimal::from(r.simulated.runs), 0),
                        r.simulated.seed,
                        r.simulated.correlation.normalize(),
                    )}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Year"</th>
                        <th scope="col" class="num">"Savings, P10"</th>
                        <th scope="col" class="num">"Savings, P50"</th>
                        <th scope="col" class="num">"Savings, P90"</th>
                        {gap_heads}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// The fan chart: the gap's P10–P90 band over the years, its P50, and the scenario's own
/// (deterministic) gap, with a text alternative. Positions are drawn from the exact figures
/// converted for the screen only.
fn fan_chart(r: &RiskReport, d: u32) -> Option<AnyView> {
    let years: Vec<(&SimulationYear, &Spread, Option<&Spread>)> = r
        .simulated
        .years
        .iter()
        .zip(&r.deterministic.years)
        .filter_map(|(y, det)| Some((y, gap_of(y)?, gap_of(det))))
        .collect();
    if years.is_empty() {
        return None;
    }
    let to_f = |v: Decimal| v.to_f64().unwrap_or(0.0);
    let all: Vec<Decimal> = years
        .iter()
        .flat_map(|(_, g, det)| [g.p10, g.p90, det.map_or(Decimal::ZERO, |x| x.p50)])
        .collect();
    let lo_d = all.iter().copied().fold(Decimal::ZERO, Decimal::min);
    let hi_d = all.iter().copied().fold(Decimal::ZERO, Decimal::max);
    let (lo, hi) = (to_f(lo_d), to_f(hi_d));
    let span = if hi - lo <= 0.0 { 1.0 } else { hi - lo };
    let (width, height, left, top, bottom) = (760.0f64, 260.0f64, 60.0f64, 20.0f64, 40.0f64);
    let plot_h = height - top - bottom;
    let y_of = |v: f64| top + (hi - v) / span * plot_h;
    let n = years.len() as f64;
    let slot = (width - left - 10.0) / n;
    let x_of = |i: usize| left + slot * i as f64 + slot / 2.0;
    let point = |i: usize, v: Decimal| format!("{:.1},{:.1}", x_of(i), y_of(to_f(v)));
    let upper: Vec<String> = years
        .iter()
        .enumerate()
        .map(|(i, (_, g, _))| point(i, g.p90))
        .collect();
    let lower: Vec<String> = years
        .iter()
        .enumerate()
        .rev()
        .map(|(i, (_, g, _))| point(i, g.p10))
        .collect();
    let band = [upper, lower].concat().join(" ");
    let median = years
        .iter()
        .enumerate()
        .map(|(i, (_, g, _))| point(i, g.p50))
        .collect::<Vec<_>>()
        .join(" ");
    let scenario = years
        .iter()
        .enumerate()
        .filter_map(|(i, (_, _, det))| det.map(|x| point(i, x.p50)))
        .collect::<Vec<_>>()
        .join(" ");
    let zero = y_of(0.0);
    // The scale: the highest and lowest figures drawn, and zero.
    let scale = [hi_d, Decimal::ZERO, lo_d]
        .into_iter()
        .filter(|v| v.is_zero() || (to_f(*v) - 0.0).abs() > span * 0.08)
        .map(|v| {
            view! { <text class="bar-label" x=format!("{:.1}", left - 6.0) y=format!("{:.1}", y_of(to_f(v)) + 4.0) text-anchor="end">{format_amount(v, d)}</text> }
        })
        .collect_view();
    let labels = years
        .iter()
        .enumerate()
        .map(|(i, (y, _, _))| {
            view! { <text class="bar-label" x=format!("{:.1}", x_of(i)) y=format!("{:.1}", height - 12.0) text-anchor="middle">{y.year.label()}</text> }
        })
        .collect_view();
    let unit = r.simulated.unit.label();
    let title = format!(
        "The gap's likely range (P10 to P90, shaded), its P50 (dashed) and the scenario's gap (solid), {unit}, with a correlation between lines of {}",
        r.simulated.correlation.normalize()
    );
    let description = years
        .iter()
        .map(|(y, g, det)| {
            format!(
                "{}: P10 {}, P50 {}, P90 {}{}",
                y.year.label(),
                format_amount(g.p10, d),
                format_amount(g.p50, d),
                format_amount(g.p90, d),
                det.map(|x| format!(", scenario {}", format_amount(x.p50, d)))
                    .unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(
        view! {
            <figure class="chart fan-chart" data-testid="fan-chart">
                <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="fan-title" aria-describedby="fan-desc" preserveAspectRatio="xMinYMin meet">
                    <title id="fan-title">{title.clone()}</title>
                    <desc id="fan-desc">{description.clone()}</desc>
                    <line class="axis" x1=format!("{left}") x2=format!("{width}") y1=format!("{zero:.1}") y2=format!("{zero:.1}") />
                    <polygon class="fan-band" points=band />
                    <polyline class="fan-median" points=median />
                    <polyline class="fan-scenario" points=scenario />
                    {scale}
                    {labels}
                </svg>
                <figcaption>{title}". "{description}</figcaption>
            </figure>
        }
        .into_any(),
    )
}

/// The sentence under the heading: for each year, the chance the gap is closed.
fn summary(r: &SimulationResult) -> Option<String> {
    let parts: Vec<String> = r
        .years
        .iter()
        .filter_map(|y| Some(format!("{} {}", y.year.label(), percent_text(y.p_closed?))))
        .collect();
    (!parts.is_empty()).then(|| format!("Chance the gap is closed: {}.", parts.join(", ")))
}

#[component]
pub fn RiskView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    let stale = Memo::new(move |_| {
        state.risk.report.with(|r| {
            let Some((_, job, _)) = r else {
                return false;
            };
            let schedule_same = state
                .loaded
                .with(|l| l.as_ref().is_some_and(|l| l.schedule == job.schedule));
            let gap_same = state
                .gap
                .with(|g| g.as_ref().map(|g| &g.model) == job.gap.as_ref());
            let scenario_same = state.active_scenario.get().map_or_else(
                || job.scenario == crate::engine::Scenario::baseline(),
                |i| {
                    state
                        .scenarios
                        .with(|all| all.get(i) == Some(&job.scenario))
                },
            );
            !(schedule_same && gap_same && scenario_same)
        })
    });
    let decimals = move || {
        state.gap.with(|g| match g {
            Some(g) => super::gap_view::decimals(&g.model),
            None => state
                .loaded
                .with(|l| l.as_ref().map_or(0, |l| l.schedule.decimals)),
        })
    };
    let looked_at = move || {
        state
            .active_scenario
            .get()
            .and_then(|i| {
                state
                    .scenarios
                    .with(|all| all.get(i).map(|s| s.name.clone()))
            })
            .map_or_else(
                || "the baseline (changing a setting makes a scenario for it)".to_string(),
                |name| format!("the scenario “{name}”"),
            )
    };
    let rated = move || {
        state.loaded.with(|l| {
            l.as_ref().map_or(0, |l| {
                l.schedule
                    .lines
                    .iter()
                    .filter(|line| Rag::ALL.iter().any(|r| line.rag == Some(*r)))
                    .count()
            })
        })
    };
    // The demo opens with illustrative ratings (`AppState::load_demo`).
    let illustrative = move || {
        rated() > 0
            && state.loaded.with(|l| {
                l.as_ref()
                    .is_some_and(|l| l.file_name == super::import::DEMO_NAME)
            })
    };
    view! {
        <section class="risk-view" aria-labelledby="risk-heading" data-testid="risk-view">
            <h2 id="risk-heading">"Delivery risk"</h2>
            <p class="hint">
                {move || format!(
                    "Each saving is delivered at a share drawn from its rating's distribution, once per run, the lines moving together by the correlation set below; the gap is worked out for every run. Settings of {}. {} of the lines are rated.",
                    looked_at(),
                    rated(),
                )}
            </p>
            {move || illustrative().then(|| view! {
                <p class="hint" data-testid="risk-illustrative">
                    "The demo schedule publishes no RAG ratings: its ratings here are illustrative, given by Gapwise as a finance team plausibly would (bigger and later savings more often amber or red), not published by the council. They change no total."
                </p>
            })}
            <Settings message=message />
            {move || message.get().map(|m| view! { <p class="alert" role="alert" data-testid="risk-message">{m}</p> })}
            <p>
                <button
                    type="button"
                    class="button primary"
                    data-testid="risk-run"
                    disabled=move || state.loaded.with(Option::is_none)
                    on:click=move |_| state.run_simulation()
                >
                    {move || {
                        let runs = settings(state).runs;
                        format!("Run {} simulations", if runs == DEFAULT_RUNS { "10,000".to_string() } else { runs.to_string() })
                    }}
                </button>
            </p>
            {move || {
                state.risk.run.get().map(|run| {
                    // Runs done: a share of the bar, not money.
                    let share = (run.done.min(run.total) * 100).checked_div(run.total).unwrap_or(0);
                    view! {
                        <div class="import-progress" data-testid="risk-progress">
                            <label for="risk-bar">{format!("Simulating: {} of {} runs…", run.done, run.total)}</label>
                            <progress id="risk-bar" max="100" value=share.to_string()></progress>
                            <button type="button" class="button" data-testid="risk-cancel" on:click=move |_| state.risk.cancel()>
                                "Cancel"
                            </button>
                        </div>
                    }
                })
            }}
            {move || {
                state.risk.report.with(|r| {
                    let (id, _, report) = r.as_ref()?;
                    let id = id.to_string();
                    Some(match report {
                        Err(e) => view! {
                            <div class="alert" role="alert" data-testid="risk-error">
                                <p><strong>"The simulation could not run: "</strong>{e.clone()}</p>
                            </div>
                        }
                        .into_any(),
                        Ok(report) => {
                            let d = decimals();
                            view! {
                                <div data-testid="risk-results" data-run=id>
                                    {stale.get().then(|| view! {
                                        <p class="warning" data-testid="risk-stale">
                                            "The schedule, the gap or the scenario has changed since this simulation: run it again to see the figures as they are now."
                                        </p>
                                    })}
                                    {(!report.simulated.gap_fed).then(|| view! {
                                        <p class="hint" data-testid="risk-not-fed">
                                            {if state.gap.with(Option::is_some) {
                                                "The savings do not reach the gap model, so its gap does not move from run to run: tick “Feed the savings of … into the gap” in the Funding gap view."
                                            } else {
                                                "No funding gap table is loaded: the spread of the savings is shown; load one (a forecast with a Net Budget row) to see the gap and the chance it is closed."
                                            }}
                                        </p>
                                    })}
                                    <p data-testid="risk-summary">{summary(&report.simulated)}</p>
                                    {fan_chart(report, d)}
                                    {results_table(report, d)}
                                </div>
                            }
                            .into_any()
                        }
                    })
                })
            }}
        </section>
    }
}
