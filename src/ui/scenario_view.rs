//! The Scenarios view: named sets of assumptions over the schedule (achievement rate per RAG
//! rating, per-line rate, slippage, scale and exclusion, pressure growth and use of reserves in
//! the gap), applied by the engine, never by editing the schedule; and the comparison of the
//! baseline with a scenario, year by year, for the totals, the net and the gap, with the lines
//! that cause the difference. Every figure shown comes from the engine's `Comparison`; the view
//! only formats it.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{
    format_amount, format_sum, parse_percent, parse_reserves_use, percent_entry, LineAssumption,
    Scenario,
};

use super::state::AppState;

/// Changes the active scenario.
pub(super) fn edit_scenario(state: AppState, change: impl FnOnce(&mut Scenario)) {
    let Some(i) = state.active_scenario.get_untracked() else {
        return;
    };
    state.scenarios.update(|all| {
        if let Some(s) = all.get_mut(i) {
            change(s);
        }
    });
}

fn bad_number(state: AppState, what: &str, text: &str) {
    state.editing.error.set(Some(format!(
        "`{}` is not a number for {what}; the scenario keeps its value.",
        text.chars().take(30).collect::<String>()
    )));
}

#[component]
fn RateInputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rate_field = move |label: &'static str,
                           testid: &'static str,
                           get: fn(&Scenario) -> Decimal,
                           set: fn(&mut Scenario, Decimal)| {
        let value = move || {
            let i = state.active_scenario.get()?;
            state
                .scenarios
                .with(|all| all.get(i).map(|s| percent_entry(get(s))))
        };
        let on_change = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            match parse_percent(&text) {
                Some(p) => {
                    state.editing.error.set(None);
                    edit_scenario(state, |s| set(s, p));
                }
                None => bad_number(state, label, &text),
            }
        };
        let id = format!("scenario-{testid}");
        view! {
            <div class="field narrow">
                <label for=id.clone()>{format!("{label} (%)")}</label>
                <input id=id type="text" inputmode="decimal" data-testid=testid prop:value=value on:change=on_change />
            </div>
        }
    };
    view! {
        <div class="settings-grid">
            {rate_field("Red achieved", "rate-red", |s| s.rates.red, |s, v| s.rates.red = v)}
            {rate_field("Amber achieved", "rate-amber", |s| s.rates.amber, |s, v| s.rates.amber = v)}
            {rate_field("Green achieved", "rate-green", |s| s.rates.green, |s, v| s.rates.green = v)}
            {rate_field("Unrated achieved", "rate-unrated", |s| s.rates.unrated, |s, v| s.rates.unrated = v)}
            {rate_field("Pressure growth a year", "pressure-growth", |s| s.pressure_growth.unwrap_or_default(), |s, v| s.pressure_growth = (!v.is_zero()).then_some(v))}
        </div>
    }
}

/// A different use of reserves in the gap, year by year (blank keeps the table's).
#[component]
fn ReservesInputs() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let index = state.active_scenario.get()?;
        let current = state
            .scenarios
            .with(|all| all.get(index).map(|s| s.reserves.clone()))?;
        let (years, unit) = state.gap.with(|g| {
            g.as_ref().map(|g| {
                (
                    g.model
                        .years
                        .iter()
                        .map(|y| y.year.label())
                        .collect::<Vec<_>>(),
                    g.model.unit,
                )
            })
        })?;
        let n = years.len();
        let fields = years
            .into_iter()
            .enumerate()
            .map(|(y, label)| {
                let value = current.as_ref().and_then(|r| r.get(y).copied().flatten()).map(|d| d.to_string()).unwrap_or_default();
                let on_change = move |ev: leptos::ev::Event| {
                    let text = event_target_value(&ev);
                    let parsed = parse_reserves_use(&text, unit);
                    match parsed {
                        Ok(v) => {
                            state.editing.error.set(None);
                            edit_scenario(state, |s| {
                                let mut r = s.reserves.take().unwrap_or_else(|| vec![None; n]);
                                r.resize(n, None);
                                r[y] = v;
                                s.reserves = r.iter().any(Option::is_some).then_some(r);
                            });
                        }
                        Err(_) => bad_number(state, "a use of reserves", &text),
                    }
                };
                let id = format!("scenario-reserves-{y}");
                view! {
                    <div class="field narrow">
                        <label for=id.clone()>{format!("Reserves used {label} ({})", unit.label())}</label>
                        <input id=id type="text" inputmode="decimal" placeholder="as planned" value=value on:change=on_change data-testid="scenario-reserves" />
                    </div>
                }
            })
            .collect_view();
        Some(view! { <div class="settings-grid">{fields}</div> })
    }
}

/// Per-line assumptions: rate override, slippage, scale, exclusion.
#[component]
fn LineAssumptions() -> impl IntoView {
    let state = expect_context::<AppState>();
    // With many lines, the table lists the lines that have assumptions and the ones a search
    // finds (at most FOUND_LIMIT), not thousands of rows of inputs.
    let search = RwSignal::new(String::new());
    let table = move || {
        let index = state.active_scenario.get()?;
        let scenario = state.scenarios.with(|all| all.get(index).cloned())?;
        let wanted = search.get().trim().to_lowercase();
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let years = s.years.len();
            let all = s.lines.len() <= LIST_ALL;
            let mut found = 0usize;
            let shown: Vec<&crate::engine::Line> = s
                .lines
                .iter()
                .filter(|line| {
                    if all || scenario.lines.contains_key(&line.row) {
                        return true;
                    }
                    if wanted.is_empty() || found >= FOUND_LIMIT {
                        return false;
                    }
                    let hit = line.row.to_string() == wanted
                        || line.text.iter().any(|t| t.to_lowercase().contains(&wanted));
                    found += usize::from(hit);
                    hit
                })
                .collect();
            let note = (!all).then(|| {
                let set = scenario.lines.len();
                let text = if wanted.is_empty() {
                    format!("{} lines: {set} with assumptions are listed; search to find others.", s.lines.len())
                } else if found >= FOUND_LIMIT {
                    format!("The first {FOUND_LIMIT} lines found are listed, and the {set} with assumptions; narrow the search to find others.")
                } else {
                    format!("{found} line(s) found, and the {set} with assumptions, are listed.")
                };
                view! { <p class="hint" data-testid="scenario-lines-note">{text}</p> }
            });
            let rows = shown
                .into_iter()
                .map(|line| {
                    let row = line.row;
                    let a = scenario.lines.get(&row).cloned().unwrap_or_default();
                    let label = s.line_label(line);
                    let rag = line.rag.map(|r| r.label()).unwrap_or("—");
                    let update = move |change: Box<dyn FnOnce(&mut LineAssumption)>| {
                        edit_scenario(state, |sc| {
                            let entry = sc.lines.entry(row).or_default();
                            change(entry);
                            if *entry == LineAssumption::default() {
                                sc.lines.remove(&row);
                            }
                        });
                    };
                    let on_rate = move |ev: leptos::ev::Event| {
                        let text = event_target_value(&ev);
                        if text.trim().is_empty() {
                            update(Box::new(|e| e.rate = None));
                        } else if let Some(p) = parse_percent(&text) {
                            update(Box::new(move |e| e.rate = Some(p)));
                        } else {
                            bad_number(state, "a line's rate", &text);
                        }
                    };
                    let on_slip = move |ev: leptos::ev::Event| {
                        let n: u32 = event_target_value(&ev).parse().unwrap_or(0);
                        update(Box::new(move |e| e.slip = n));
                    };
                    let on_scale = move |ev: leptos::ev::Event| {
                        let text = event_target_value(&ev);
                        if text.trim().is_empty() {
                            update(Box::new(|e| e.scale = None));
                        } else if let Some(p) = parse_percent(&text) {
                            update(Box::new(move |e| e.scale = Some(p)));
                        } else {
                            bad_number(state, "a line's scale", &text);
                        }
                    };
                    let on_exclude = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        update(Box::new(move |e| e.exclude = on));
                    };
                    let slips = (0..=years)
                        .map(|n| view! { <option value=n.to_string() selected=n as u32 == a.slip>{if n == 0 { "none".to_string() } else { format!("{n} year(s)") }}</option> })
                        .collect_view();
                    let rate_text = a.rate.map(percent_entry).unwrap_or_default();
                    let scale_text = a.scale.map(percent_entry).unwrap_or_default();
                    view! {
                        <tr data-testid="scenario-line" data-row=row>
                            <th scope="row">{format!("Row {row} · {label}")}</th>
                            <td>{rag}</td>
                            <td><input type="text" inputmode="decimal" aria-label=format!("Rate for {label}, %") placeholder="by RAG" value=rate_text on:change=on_rate data-testid="line-rate" /></td>
                            <td><select aria-label=format!("Slip {label} by") on:change=on_slip data-testid="line-slip">{slips}</select></td>
                            <td><input type="text" inputmode="decimal" aria-label=format!("Scale {label}, %") placeholder="100" value=scale_text on:change=on_scale data-testid="line-scale" /></td>
                            <td><input type="checkbox" aria-label=format!("Exclude {label}") checked=a.exclude on:change=on_exclude data-testid="line-exclude" /></td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                {note}
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Line assumptions, scrolls sideways">
                        <table data-testid="scenario-lines">
                            <caption>"A line's own rate overrides its RAG rate; slipping moves its figures later (what passes the last year falls out); scale multiplies; exclude counts it as zero."</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Line"</th>
                                    <th scope="col">"RAG"</th>
                                    <th scope="col">"Rate (%)"</th>
                                    <th scope="col">"Slip"</th>
                                    <th scope="col">"Scale (%)"</th>
                                    <th scope="col">"Exclude"</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
            })
        })
    };
    let many = move || {
        state.loaded.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.schedule.lines.len() > LIST_ALL)
        })
    };
    view! {
        <details class="line-assumptions">
            <summary>"Assumptions for single lines"</summary>
            <Show when=many>
                <div class="field">
                    <label for="line-search">"Find lines (by row number or any of their text)"</label>
                    <input
                        id="line-search"
                        type="search"
                        data-testid="line-search"
                        on:change=move |ev| search.set(event_target_value(&ev))
                    />
                </div>
            </Show>
            {table}
        </details>
    }
}

/// Up to this many lines, the line assumptions table lists every line.
const LIST_ALL: usize = 200;
/// With more lines, at most this many lines a search finds are listed.
const FOUND_LIMIT: usize = 50;

#[component]
fn ComparisonTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let name = state.active_scenario.get().and_then(|i| {
            state
                .scenarios
                .with(|all| all.get(i).map(|s| s.name.clone()))
        })?;
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let d = s.decimals;
            state.derived.comparison.with(|c| {
                let c = c.as_ref()?;
                let heads = s.years.iter().map(|y| view! { <th scope="col" class="num">{y.year.label()}</th> }).collect_view();
                let row = |label: String, cells: Vec<String>, total: String, testid: &'static str| {
                    let cells = cells.into_iter().map(|t| view! { <td class="num" data-testid=testid>{t}</td> }).collect_view();
                    view! { <tr><th scope="row">{label}</th>{cells}<td class="num" data-testid=testid>{total}</td></tr> }
                };
                let base = row("Baseline".into(), c.baseline.iter().map(|x| format_sum(x, d)).collect(), format_sum(&c.baseline_total, d), "comparison-baseline");
                let scen = row(name.clone(), c.scenario.iter().map(|x| format_sum(x, d)).collect(), format_sum(&c.scenario_total, d), "comparison-scenario");
                let diff = row("Difference".into(), c.difference.iter().map(|x| format_amount(*x, d)).collect(), format_amount(c.difference_total, d), "comparison-difference");
                let net_base = row("Net, baseline".into(), c.baseline_net.iter().map(|x| format_sum(x, d)).collect(), format_sum(&c.baseline_net_total, d), "comparison-net-baseline");
                let net_scen = row(format!("Net, {name}"), c.scenario_net.iter().map(|x| format_sum(x, d)).collect(), format_sum(&c.scenario_net_total, d), "comparison-net-scenario");
                let net_diff = row("Net difference".into(), c.net_difference.iter().map(|x| format_amount(*x, d)).collect(), format_amount(c.net_difference_total, d), "comparison-net-difference");
                let gap = match (&c.baseline_gap, &c.scenario_gap, &c.gap_difference) {
                    (Some(b), Some(sg), Some(gd)) => {
                        let gd_decimals = state.gap.with(|g| {
                            g.as_ref()
                                .and_then(|g| g.model.rows.iter().flat_map(|r| r.amounts.iter()).filter_map(|a| match a {
                                    crate::engine::Amount::Figure(x) => Some(x.scale()),
                                    _ => None,
                                }).max())
                                .unwrap_or(0)
                        });
                        let gap_years = state.gap.with(|g| g.as_ref().map(|g| g.model.years.iter().map(|y| y.year.label()).collect::<Vec<_>>()).unwrap_or_default());
                        let heads = gap_years.iter().map(|y| view! { <th scope="col" class="num">{y.clone()}</th> }).collect_view();
                        let cells = |v: Vec<String>, testid: &'static str| v.into_iter().map(|t| view! { <td class="num" data-testid=testid>{t}</td> }).collect_view();
                        Some(view! {
                            <table data-testid="comparison-gap">
                                <caption>"Gap after reserves: baseline and scenario (the scenario's savings, pressures and reserves flow through the gap)"</caption>
                                <thead><tr><th scope="col">""</th>{heads}</tr></thead>
                                <tbody>
                                    <tr><th scope="row">"Baseline gap"</th>{cells(b.iter().map(|x| format_sum(x, gd_decimals)).collect(), "gap-baseline")}</tr>
                                    <tr><th scope="row">{format!("{name} gap")}</th>{cells(sg.iter().map(|x| format_sum(x, gd_decimals)).collect(), "gap-scenario")}</tr>
                                    <tr><th scope="row">"Difference"</th>{cells(gd.iter().map(|x| format_amount(*x, gd_decimals)).collect(), "gap-difference")}</tr>
                                </tbody>
                            </table>
                        })
                    }
                    _ => None,
                };
                let lines = c
                    .lines
                    .iter()
                    .take(50)
                    .filter_map(|ld| {
                        let line = s.lines.get(ld.line)?;
                        let text = format!(
                            "Row {} {}: {} over the period; by year {}",
                            line.row,
                            s.line_label(line),
                            format_amount(ld.total, d),
                            ld.years.iter().map(|x| format_amount(*x, d)).collect::<Vec<_>>().join(" · ")
                        );
                        Some(view! { <li data-testid="comparison-line">{text}</li> })
                    })
                    .collect_view();
                let more = (c.lines.len() > 50).then(|| view! { <p>{format!("…and {} more lines.", c.lines.len() - 50)}</p> });
                Some(view! {
                    <section class="comparison" aria-labelledby="comparison-heading" data-testid="comparison">
                        <h3 id="comparison-heading">{format!("Baseline and {name}, {}", state.cash_label(s.unit.label()))}</h3>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Comparison, scrolls sideways">
                            <table data-testid="comparison-table">
                                <caption>{format!("Savings by year in {}, then the net as the Net view works it out (full-year effects, investment netted against savings, reversals against what they cancel, memo and excluded lines left out; All years is the cumulative net): baseline, scenario and the difference (scenario − baseline). In the file's signs: {}.", state.cash_label(s.unit.label()), s.sign.label())}</caption>
                                <thead><tr><th scope="col">""</th>{heads}<th scope="col" class="num">"All years"</th></tr></thead>
                                <tbody>{base}{scen}{diff}</tbody>
                                <tbody data-testid="comparison-net">{net_base}{net_scen}{net_diff}</tbody>
                            </table>
                            {gap}
                        </div>
                        <h4>{format!("Lines that cause the difference ({})", c.lines.len())}</h4>
                        <ul class="finding-list">{lines}</ul>
                        {more}
                    </section>
                })
            })
        })
    }
}

#[component]
pub fn ScenarioView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let new_scenario = move |_| {
        let n = state.scenarios.with_untracked(Vec::len) + 1;
        state
            .scenarios
            .update(|all| all.push(Scenario::new(format!("Scenario {n}"))));
        state.active_scenario.set(Some(n - 1));
    };
    let delete = move |_| {
        let Some(i) = state.active_scenario.get_untracked() else {
            return;
        };
        state.scenarios.update(|all| {
            if i < all.len() {
                all.remove(i);
            }
        });
        state.active_scenario.set(None);
    };
    let on_select = move |ev: leptos::ev::Event| {
        state
            .active_scenario
            .set(event_target_value(&ev).parse::<usize>().ok());
    };
    let on_name = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        let name = name.trim();
        if !name.is_empty() {
            edit_scenario(state, |s| s.name = name.chars().take(80).collect());
        }
    };
    let options = move || {
        let active = state.active_scenario.get();
        let mut v = vec![view! { <option value="baseline" selected=active.is_none()>"Baseline (the schedule as it is)"</option> }.into_any()];
        state.scenarios.with(|all| {
            for (i, s) in all.iter().enumerate() {
                v.push(view! { <option value=i.to_string() selected=active == Some(i)>{s.name.clone()}</option> }.into_any());
            }
        });
        v
    };
    let name = move || {
        state.active_scenario.get().and_then(|i| {
            state
                .scenarios
                .with(|all| all.get(i).map(|s| s.name.clone()))
        })
    };
    view! {
        <section class="scenario-view" aria-labelledby="scenario-heading" data-testid="scenario-view">
            <h2 id="scenario-heading">"Scenarios"</h2>
            <p class="hint">
                "A scenario applies assumptions to the schedule without changing it: how much of each RAG rating is achieved (red 0 %, amber 50 %, green 100 % to start with), and per line a rate, a slip, a scale or an exclusion. Set ratings in the Schedule view's RAG column."
            </p>
            <div class="settings-grid">
                <div class="field">
                    <label for="scenario-select">"Scenario"</label>
                    <select id="scenario-select" data-testid="scenario-select" on:change=on_select>{options}</select>
                </div>
                <div class="field button-row">
                    <button type="button" class="button small" data-testid="new-scenario" on:click=new_scenario>"New scenario"</button>
                    <button type="button" class="button small" data-testid="delete-scenario" disabled=move || state.active_scenario.get().is_none() on:click=delete>"Delete scenario"</button>
                </div>
            </div>
            {move || state.editing.error.get().map(|e| view! {
                <div class="alert" role="alert" data-testid="edit-message"><p>{e}</p></div>
            })}
            {move || name().map(|n| view! {
                <div class="field">
                    <label for="scenario-name">"Name"</label>
                    <input id="scenario-name" type="text" value=n on:change=on_name data-testid="scenario-name" />
                </div>
                <RateInputs />
                <ReservesInputs />
                <super::reserves_view::ScenarioReserves />
                <LineAssumptions />
                <ComparisonTable />
            })}
        </section>
    }
}
