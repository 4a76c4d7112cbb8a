//! The Reserves section of the Funding gap view, and the reserves part of a scenario.
//!
//! It owns the editing of the gap model's reserves plan (`GapModel::reserves_plan`: each
//! reserve's name, kind, opening balance, planned contributions and drawdowns per year, whether
//! and in which order it is drawn to close the gap, its minimum; the plan's total minimum and
//! draw limit), the scenario's changes to it (`Scenario::reserve_draws`), and the display of the
//! balances the engine works out with the gap (`GapFigures::reserves`, the same working out that
//! takes the plan's drawdowns off the gap after reserves): a table per year and sentences
//! naming the first year the total falls below its minimum, the year reserves are exhausted and
//! the first year the gap cannot be closed (laid out by `reserves_tables.rs`).
//!
//! Data flows one way: an entry is read by the engine's parser (`parse_reserve_figure`,
//! `parse_minimum`), the plan is changed through `AppState::edit_gap` (so it is saved with the
//! gap model), and the figures shown are the engine's figures of the model as it then is. A bad
//! entry changes nothing: a message says what and where, and the field shows the value kept.
//! No arithmetic on money happens here.

use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{
    parse_minimum, parse_reserve_figure, DrawLimit, Minimum, Reserve, ReserveKind, ReservesPlan,
    Unit,
};

use super::reserves_tables::{balances_table, findings, reserve_decimals};
use super::state::AppState;

/// Changes the reserves plan of the gap model, if the changed plan is valid for the model
/// (`ReservesPlan::validate`); otherwise nothing changes and the reason is returned. A plan
/// left with nothing in it is removed.
fn edit_plan(state: AppState, change: impl FnOnce(&mut ReservesPlan)) -> Result<(), String> {
    let current = state.gap.with_untracked(|g| {
        g.as_ref().map(|g| {
            (
                g.model.reserves_plan.clone().unwrap_or_default(),
                g.model.years.len(),
            )
        })
    });
    let Some((mut plan, years)) = current else {
        return Err("there is no gap model".into());
    };
    change(&mut plan);
    plan.validate(years).map_err(|e| e.to_string())?;
    state.edit_gap(|m| m.reserves_plan = (plan != ReservesPlan::default()).then_some(plan));
    Ok(())
}

/// A reserve's figure that the editor has one input for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Opening,
    Contribution(usize),
    Drawdown(usize),
}

impl Field {
    fn read(self, r: &Reserve) -> Decimal {
        match self {
            Field::Opening => r.opening,
            Field::Contribution(y) => r.contribution(y),
            Field::Drawdown(y) => r.drawdown(y),
        }
    }

    fn write(self, r: &mut Reserve, v: Decimal) {
        match self {
            Field::Opening => r.opening = v,
            Field::Contribution(y) => r.set_contribution(y, v),
            Field::Drawdown(y) => r.set_drawdown(y, v),
        }
    }

    fn describe(self, name: &str, years: &[String]) -> String {
        let year = |y: usize| years.get(y).cloned().unwrap_or_default();
        match self {
            Field::Opening => format!("the opening balance of {name}"),
            Field::Contribution(y) => format!("the {} contribution to {name}", year(y)),
            Field::Drawdown(y) => format!("the {} planned drawdown from {name}", year(y)),
        }
    }
}

/// Puts a value back in the input an event came from (after a refused entry).
fn restore(ev: &leptos::ev::Event, text: &str) {
    event_target::<web_sys::HtmlInputElement>(ev).set_value(text);
}

/// Text for an input showing a reserve figure: blank for a zero per-year figure.
fn entry(v: Decimal, blank_zero: bool) -> String {
    if blank_zero && v.is_zero() {
        String::new()
    } else {
        v.normalize().to_string()
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What the editor's inputs are laid out by: the years, the unit and the reserves' ids. Its
/// figures are read by each input, so typing a figure does not lay the editor out again.
#[derive(Clone, Debug, PartialEq)]
struct Shape {
    years: Vec<String>,
    unit: Unit,
    ids: Vec<u32>,
}

/// The Reserves section of the Funding gap view.
#[component]
pub fn ReservesSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    let shape = Memo::new(move |_| {
        state.gap.with(|g| {
            g.as_ref().map(|g| Shape {
                years: g.model.years.iter().map(|y| y.year.label()).collect(),
                unit: g.model.unit,
                ids: g
                    .model
                    .reserves_plan
                    .iter()
                    .flat_map(|p| p.reserves.iter().map(|r| r.id))
                    .collect(),
            })
        })
    });
    let figures = Memo::new(move |_| {
        state.gap.with(|g| {
            let g = g.as_ref()?;
            state
                .derived
                .gap_judged
                .with(|j| j.as_ref()?.figures.reserves.clone())
                .map(|r| (r, reserve_decimals(&g.model)))
        })
    });
    let reserve = move |id: u32| -> Option<Reserve> {
        state
            .gap
            .with(|g| g.as_ref()?.model.reserves_plan.as_ref()?.get(id).cloned())
    };
    let reserve_untracked = move |id: u32| -> Option<Reserve> {
        state
            .gap
            .with_untracked(|g| g.as_ref()?.model.reserves_plan.as_ref()?.get(id).cloned())
    };
    let plan = move || {
        state.gap.with(|g| {
            g.as_ref()
                .and_then(|g| g.model.reserves_plan.clone())
                .unwrap_or_default()
        })
    };

    // The editor of one reserve.
    let editor = move |id: u32, shape: &Shape| {
        let years = shape.years.clone();
        let unit = shape.unit;
        let n_reserves = shape.ids.len() as u32;
        let name = move || reserve(id).map(|r| r.name).unwrap_or_default();
        let figure_input = {
            let years = years.clone();
            move |field: Field, label: String, blank_zero: bool| {
                let input_id = match field {
                    Field::Opening => format!("reserve-{id}-opening"),
                    Field::Contribution(y) => format!("reserve-{id}-contribution-{y}"),
                    Field::Drawdown(y) => format!("reserve-{id}-drawdown-{y}"),
                };
                let testid = match field {
                    Field::Opening => "reserve-opening",
                    Field::Contribution(_) => "reserve-contribution",
                    Field::Drawdown(_) => "reserve-drawdown",
                };
                let years = years.clone();
                let on_change = move |ev: leptos::ev::Event| {
                    let text = event_target_value(&ev);
                    let Some(before) = reserve(id) else { return };
                    let kept = entry(field.read(&before), blank_zero);
                    let outcome = parse_reserve_figure(&text, unit)
                        .map_err(|e| e.to_string())
                        .and_then(|v| {
                            edit_plan(state, |p| {
                                if let Some(r) = p.reserves.iter_mut().find(|r| r.id == id) {
                                    field.write(r, v);
                                }
                            })
                        });
                    match outcome {
                        Ok(()) => message.set(None),
                        Err(e) => {
                            message.set(Some(format!(
                                "{}: `{}` {e}; {} is kept.",
                                field.describe(&before.name, &years),
                                text.trim().chars().take(30).collect::<String>(),
                                if kept.is_empty() {
                                    "no figure".to_string()
                                } else {
                                    format!("the previous value, {kept},")
                                }
                            )));
                            restore(&ev, &kept);
                        }
                    }
                };
                let value = move || {
                    reserve(id)
                        .map(|r| entry(field.read(&r), blank_zero))
                        .unwrap_or_default()
                };
                view! {
                    <label class=if blank_zero { "visually-hidden" } else { "" } for=input_id.clone()>{label}</label>
                    <input id=input_id type="text" inputmode="decimal" data-testid=testid prop:value=value on:change=on_change />
                }
            }
        };
        let on_name = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let text = text.trim().chars().take(80).collect::<String>();
            if text.is_empty() {
                message.set(Some(
                    "A reserve needs a name; the previous name is kept.".into(),
                ));
                restore(&ev, &name());
                return;
            }
            let _ = edit_plan(state, |p| {
                if let Some(r) = p.reserves.iter_mut().find(|r| r.id == id) {
                    r.name = text;
                }
            });
            message.set(None);
        };
        let on_kind = move |ev: leptos::ev::Event| {
            let kind = if event_target_value(&ev) == "earmarked" {
                ReserveKind::Earmarked
            } else {
                ReserveKind::General
            };
            let _ = edit_plan(state, |p| {
                if let Some(r) = p.reserves.iter_mut().find(|r| r.id == id) {
                    r.kind = kind;
                }
            });
        };
        let on_order = move |ev: leptos::ev::Event| {
            let order = event_target_value(&ev).parse::<u32>().ok();
            let _ = edit_plan(state, |p| {
                if let Some(r) = p.reserves.iter_mut().find(|r| r.id == id) {
                    r.gap_order = order;
                }
            });
        };
        let on_minimum = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let Some(before) = reserve(id) else { return };
            let kept = before.minimum.map(|m| m.entry_text()).unwrap_or_default();
            let outcome = parse_minimum(&text, unit)
                .map_err(|e| e.to_string())
                .and_then(|m| {
                    edit_plan(state, |p| {
                        if let Some(r) = p.reserves.iter_mut().find(|r| r.id == id) {
                            r.minimum = m;
                        }
                    })
                });
            match outcome {
                Ok(()) => message.set(None),
                Err(e) => {
                    message.set(Some(format!(
                        "The minimum of {}: `{}` {e}; {} is kept.",
                        before.name,
                        text.trim().chars().take(30).collect::<String>(),
                        if kept.is_empty() {
                            "no minimum".to_string()
                        } else {
                            format!("the previous minimum, {kept},")
                        }
                    )));
                    restore(&ev, &kept);
                }
            }
        };
        let on_remove = move |_| {
            let _ = edit_plan(state, |p| p.reserves.retain(|r| r.id != id));
            message.set(None);
        };
        // Read without tracking: the editor is laid out again only when the shape changes.
        let kind_now = reserve_untracked(id).map(|r| r.kind).unwrap_or_default();
        let order_now = reserve_untracked(id).and_then(|r| r.gap_order);
        let highest = n_reserves.max(order_now.unwrap_or(0)).max(1);
        let orders = (1..=highest)
            .map(|k| view! { <option value=k.to_string() selected=order_now == Some(k)>{format!("Yes, drawn {}", ordinal(k))}</option> })
            .collect_view();
        let heads = years
            .iter()
            .map(|y| view! { <th scope="col" class="num">{y.clone()}</th> })
            .collect_view();
        let per_year = |make: fn(usize) -> Field, what: &'static str| {
            let fi = figure_input.clone();
            let years = years.clone();
            (0..years.len())
                .map(move |y| {
                    let label = format!("{what} {}", years[y]);
                    view! { <td>{fi(make(y), label, true)}</td> }
                })
                .collect_view()
        };
        let contributions = per_year(Field::Contribution, "Contribution");
        let drawdowns = per_year(Field::Drawdown, "Planned drawdown");
        let unit_label = unit.label();
        view! {
            <fieldset class="reserve-editor" data-testid="reserve-editor" data-reserve=id.to_string()>
                <legend>{name}</legend>
                <div class="settings-grid">
                    <div class="field">
                        <label for=format!("reserve-{id}-name")>"Name"</label>
                        <input id=format!("reserve-{id}-name") type="text" data-testid="reserve-name" prop:value=name on:change=on_name />
                    </div>
                    <div class="field">
                        <label for=format!("reserve-{id}-kind")>"Kind"</label>
                        <select id=format!("reserve-{id}-kind") data-testid="reserve-kind" on:change=on_kind>
                            {ReserveKind::ALL.into_iter().map(|k| view! {
                                <option value=if k == ReserveKind::General { "general" } else { "earmarked" } selected=k == kind_now>{k.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field narrow">
                        {figure_input(Field::Opening, format!("Opening balance ({unit_label})"), false)}
                    </div>
                    <div class="field">
                        <label for=format!("reserve-{id}-order")>"Used to close the gap"</label>
                        <select id=format!("reserve-{id}-order") data-testid="reserve-order" on:change=on_order>
                            <option value="" selected=order_now.is_none()>"No"</option>
                            {orders}
                        </select>
                    </div>
                    <div class="field narrow">
                        <label for=format!("reserve-{id}-minimum")>{format!("Minimum ({unit_label}, or % of net budget)")}</label>
                        <input id=format!("reserve-{id}-minimum") type="text" data-testid="reserve-minimum" placeholder="none"
                            prop:value=move || reserve(id).and_then(|r| r.minimum).map(|m| m.entry_text()).unwrap_or_default()
                            on:change=on_minimum />
                    </div>
                    <div class="field button-row">
                        <button type="button" class="button small" data-testid="reserve-remove" on:click=on_remove>
                            {move || format!("Remove {}", name())}
                        </button>
                    </div>
                </div>
                <div class="table-scroll" tabindex="0" role="region" aria-label=move || format!("Planned movements of {}, scrolls sideways", name())>
                    <table class="reserve-movements">
                        <caption>{move || format!("Planned movements of {}, {unit_label} (blank is none)", name())}</caption>
                        <thead><tr><th scope="col">"Movement"</th>{heads}</tr></thead>
                        <tbody>
                            <tr><th scope="row">"Contributions"</th>{contributions}</tr>
                            <tr><th scope="row">"Planned drawdowns"</th>{drawdowns}</tr>
                        </tbody>
                    </table>
                </div>
            </fieldset>
        }
    };

    // Adding a reserve.
    let new_name = RwSignal::new(String::new());
    let new_kind = RwSignal::new(ReserveKind::General);
    let new_opening = RwSignal::new(String::new());
    let new_for_gap = RwSignal::new(true);
    let add = move |_| {
        let Some(unit) = shape.with_untracked(|s| s.as_ref().map(|s| s.unit)) else {
            return;
        };
        let name = new_name
            .get_untracked()
            .trim()
            .chars()
            .take(80)
            .collect::<String>();
        if name.is_empty() {
            message.set(Some(
                "Name the new reserve (for example General fund); nothing was added.".into(),
            ));
            return;
        }
        let text = new_opening.get_untracked();
        let opening = match parse_reserve_figure(&text, unit) {
            Ok(v) => v,
            Err(e) => {
                message.set(Some(format!(
                    "The opening balance of the new reserve {name}: `{}` {e}; nothing was added.",
                    text.trim().chars().take(30).collect::<String>()
                )));
                return;
            }
        };
        let kind = new_kind.get_untracked();
        let for_gap = new_for_gap.get_untracked();
        let outcome = edit_plan(state, |p| {
            let mut r = Reserve::new(p.next_id(), name.clone(), kind, opening);
            if for_gap {
                let next = p
                    .reserves
                    .iter()
                    .filter_map(|r| r.gap_order)
                    .max()
                    .unwrap_or(0)
                    + 1;
                r.gap_order = Some(next);
            }
            p.reserves.push(r);
        });
        match outcome {
            Ok(()) => {
                message.set(None);
                new_name.set(String::new());
                new_opening.set(String::new());
            }
            Err(e) => message.set(Some(format!("The new reserve {name} was not added: {e}."))),
        }
    };

    // The plan's total minimum and draw limit.
    let on_total_minimum = move |ev: leptos::ev::Event| {
        let Some(unit) = shape.with_untracked(|s| s.as_ref().map(|s| s.unit)) else {
            return;
        };
        let text = event_target_value(&ev);
        let kept = plan().minimum.map(|m| m.entry_text()).unwrap_or_default();
        match parse_minimum(&text, unit)
            .map_err(|e| e.to_string())
            .and_then(|m| edit_plan(state, |p| p.minimum = m))
        {
            Ok(()) => message.set(None),
            Err(e) => {
                message.set(Some(format!(
                    "The total minimum: `{}` {e}; {} is kept.",
                    text.trim().chars().take(30).collect::<String>(),
                    if kept.is_empty() {
                        "no total minimum".to_string()
                    } else {
                        format!("the previous minimum, {kept},")
                    }
                )));
                restore(&ev, &kept);
            }
        }
    };
    let on_limit = move |ev: leptos::ev::Event| {
        let limit = if event_target_value(&ev) == "minimum" {
            DrawLimit::Minimum
        } else {
            DrawLimit::Balance
        };
        let _ = edit_plan(state, |p| p.draw_limit = limit);
    };

    let editors = move || {
        shape.with(|s| {
            let s = s.as_ref()?;
            Some(s.ids.iter().map(|id| editor(*id, s)).collect_view())
        })
    };
    let plan_settings = move || {
        let unit_label = shape.with(|s| s.as_ref().map(|s| s.unit))?.label();
        let limit = state.gap.with_untracked(|g| {
            g.as_ref()
                .and_then(|g| g.model.reserves_plan.as_ref().map(|p| p.draw_limit))
                .unwrap_or_default()
        });
        Some(view! {
            <div class="settings-grid">
                <div class="field">
                    <label for="reserves-total-minimum">{format!("Total minimum ({unit_label}, or % of net budget; blank: the reserves' own added up)")}</label>
                    <input id="reserves-total-minimum" type="text" data-testid="reserves-total-minimum" placeholder="none"
                        prop:value=move || plan().minimum.map(|m: Minimum| m.entry_text()).unwrap_or_default()
                        on:change=on_total_minimum />
                </div>
                <div class="field">
                    <label for="reserves-draw-limit">"Reserves drawn to close the gap go down to"</label>
                    <select id="reserves-draw-limit" data-testid="reserves-draw-limit" on:change=on_limit>
                        <option value="balance" selected=limit == DrawLimit::Balance>"zero (a fall below the minimum is reported)"</option>
                        <option value="minimum" selected=limit == DrawLimit::Minimum>"their minimum (the rest of the gap is left unclosed)"</option>
                    </select>
                </div>
            </div>
        })
    };
    let results = move || {
        figures.with(|f| {
            let (r, d) = f.as_ref()?;
            let unit = shape.with(|s| s.as_ref().map(|s| s.unit.label()).unwrap_or(""));
            Some(view! {
                {findings(r, *d, unit, "reserves")}
                {balances_table(r, *d, format!("Reserves by year, {unit}: each reserve's opening balance, contributions, planned drawdowns (with any shortfall the balance could not meet), drawdowns to close the gap and closing balance, then the totals, the minimum, the gap they are drawn to close (after the table's own reserves) and the gap after reserves, the same figure as the gap table's."), "reserves-table")}
            })
        })
    };
    let active_scenario = move || {
        let i = state.active_scenario.get()?;
        state
            .scenarios
            .with(|all| all.get(i).map(|s| s.name.clone()))
    };

    view! {
        <section class="reserves" aria-labelledby="reserves-heading" data-testid="reserves-section">
            <h3 id="reserves-heading">"Reserves"</h3>
            <p class="hint">
                "Reserves marked to close the gap are drawn in their order, each year, for the gap left after the table's own use of reserves, down to zero (or to their minimum). A reserve used in one year is gone: a gap that recurs draws on reserves again the next year. Planned contributions and drawdowns are taken first."
            </p>
            {move || active_scenario().map(|name| view! {
                <p class="note" data-testid="reserves-scenario-note">{format!("These are the baseline's reserves. The scenario {name} can change their drawdowns in the Scenarios view, where its figures are shown.")}</p>
            })}
            {move || message.get().map(|m| view! {
                <div class="alert" role="alert" data-testid="reserves-message"><p>{m}</p></div>
            })}
            {results}
            {editors}
            <fieldset class="reserve-add">
                <legend>"Add a reserve"</legend>
                <div class="settings-grid">
                    <div class="field">
                        <label for="reserve-new-name">"Name"</label>
                        <input id="reserve-new-name" type="text" data-testid="reserve-new-name" prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev)) />
                    </div>
                    <div class="field">
                        <label for="reserve-new-kind">"Kind"</label>
                        <select id="reserve-new-kind" data-testid="reserve-new-kind" on:change=move |ev| new_kind.set(if event_target_value(&ev) == "earmarked" { ReserveKind::Earmarked } else { ReserveKind::General })>
                            <option value="general">{ReserveKind::General.label()}</option>
                            <option value="earmarked">{ReserveKind::Earmarked.label()}</option>
                        </select>
                    </div>
                    <div class="field narrow">
                        <label for="reserve-new-opening">{move || format!("Opening balance ({})", shape.with(|s| s.as_ref().map(|s| s.unit.label()).unwrap_or("")))}</label>
                        <input id="reserve-new-opening" type="text" inputmode="decimal" data-testid="reserve-new-opening" prop:value=new_opening on:input=move |ev| new_opening.set(event_target_value(&ev)) />
                    </div>
                    <div class="field checkbox-field">
                        <span>
                            <input type="checkbox" id="reserve-new-gap" data-testid="reserve-new-gap" prop:checked=new_for_gap on:change=move |ev| new_for_gap.set(event_target_checked(&ev)) />
                            <label for="reserve-new-gap">"Use it to close the gap (after the reserves already used)"</label>
                        </span>
                    </div>
                    <div class="field button-row">
                        <button type="button" class="button small" data-testid="reserve-add" on:click=add>"Add reserve"</button>
                    </div>
                </div>
            </fieldset>
            {plan_settings}
        </section>
    }
}

/// The reserves part of a scenario: the switch that stops reserves closing the gap, the
/// drawdowns in place of the plan's, and the reserves worked out under the scenario.
#[component]
pub fn ScenarioReserves() -> impl IntoView {
    let state = expect_context::<AppState>();
    let message = RwSignal::new(None::<String>);
    // The baseline plan's reserves (id, name, planned drawdowns), the years and the unit.
    let shape = Memo::new(move |_| {
        state.gap.with(|g| {
            let g = g.as_ref()?;
            let plan = g.model.reserves_plan.as_ref()?;
            (!plan.reserves.is_empty()).then(|| {
                (
                    g.model
                        .years
                        .iter()
                        .map(|y| y.year.label())
                        .collect::<Vec<_>>(),
                    g.model.unit,
                    plan.reserves
                        .iter()
                        .map(|r| {
                            (
                                r.id,
                                r.name.clone(),
                                (0..g.model.years.len())
                                    .map(|y| r.drawdown(y))
                                    .collect::<Vec<_>>(),
                            )
                        })
                        .collect::<Vec<_>>(),
                )
            })
        })
    });
    let draws = move || {
        let i = state.active_scenario.get()?;
        state
            .scenarios
            .with(|all| all.get(i).map(|s| s.reserve_draws.clone()))
    };
    let on_switch = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        super::scenario_view::edit_scenario(state, |s| s.reserve_draws.no_gap_draws = on);
    };
    let inputs = move || {
        let (years, unit, reserves) = shape.get()?;
        let n = years.len();
        let unit_label = unit.label();
        let heads = years
            .iter()
            .map(|y| view! { <th scope="col" class="num">{y.clone()}</th> })
            .collect_view();
        let rows = reserves
            .into_iter()
            .map(|(id, name, planned)| {
                let cells = (0..n)
                    .map(|y| {
                        let input_id = format!("scenario-reserve-{id}-drawdown-{y}");
                        let what = format!("the {} drawdown from {name}", years[y]);
                        let label = format!("{name}, drawdown {} ({unit_label})", years[y]);
                        let value = move || {
                            draws()
                                .and_then(|d| d.drawdowns.get(&id).and_then(|v| v.get(y).copied().flatten()))
                                .map(|v| v.normalize().to_string())
                                .unwrap_or_default()
                        };
                        let on_change = move |ev: leptos::ev::Event| {
                            let text = event_target_value(&ev);
                            let parsed = if text.trim().is_empty() { Ok(None) } else { parse_reserve_figure(&text, unit).map(Some) };
                            match parsed {
                                Ok(v) => {
                                    message.set(None);
                                    super::scenario_view::edit_scenario(state, |s| {
                                        let list = s.reserve_draws.drawdowns.entry(id).or_insert_with(|| vec![None; n]);
                                        list.resize(n.max(list.len()), None);
                                        list[y] = v;
                                        if list.iter().all(Option::is_none) {
                                            s.reserve_draws.drawdowns.remove(&id);
                                        }
                                    });
                                }
                                Err(e) => {
                                    let kept = value();
                                    message.set(Some(format!(
                                        "In this scenario, {what}: `{}` {e}; {} is kept.",
                                        text.trim().chars().take(30).collect::<String>(),
                                        if kept.is_empty() { "the plan's figure".to_string() } else { format!("the previous value, {kept},") }
                                    )));
                                    restore(&ev, &kept);
                                }
                            }
                        };
                        let placeholder = format!("plan: {}", entry(planned[y], false));
                        view! {
                            <td>
                                <label class="visually-hidden" for=input_id.clone()>{label}</label>
                                <input id=input_id type="text" inputmode="decimal" data-testid="scenario-reserve-drawdown" placeholder=placeholder prop:value=value on:change=on_change />
                            </td>
                        }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <div class="field checkbox-field">
                <span>
                    <input type="checkbox" id="scenario-no-gap-draws" data-testid="scenario-no-gap-draws"
                        prop:checked=move || draws().is_some_and(|d| d.no_gap_draws) on:change=on_switch />
                    <label for="scenario-no-gap-draws">"Don't use reserves to close the gap"</label>
                </span>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Planned drawdowns in this scenario, scrolls sideways">
                <table data-testid="scenario-reserve-draws">
                    <caption>{format!("Planned drawdowns in this scenario, {unit_label}: a figure replaces the plan's for that year; blank keeps the plan's.")}</caption>
                    <thead><tr><th scope="col">"Reserve"</th>{heads}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    let results = move || {
        state.derived.scenario_gap.with(|sg| {
            let (model, figures) = sg.as_ref()?;
            let r = figures.reserves.clone()?;
            let d = reserve_decimals(model);
            let unit = model.unit.label();
            Some(view! {
                {findings(&r, d, unit, "scenario-reserves")}
                {balances_table(&r, d, format!("Reserves by year under this scenario, {unit}: the scenario's gap, its drawdowns and its use of reserves for the gap."), "scenario-reserves-table")}
            })
        })
    };
    move || {
        shape.with(Option::is_some).then(|| view! {
            <section class="scenario-reserves" aria-labelledby="scenario-reserves-heading" data-testid="scenario-reserves-plan">
                <h3 id="scenario-reserves-heading">"Reserves in this scenario"</h3>
                {move || message.get().map(|m| view! {
                    <div class="alert" role="alert" data-testid="scenario-reserves-message"><p>{m}</p></div>
                })}
                {inputs}
                {results}
            </section>
        })
    }
}
