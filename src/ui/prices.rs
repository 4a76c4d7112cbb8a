//! Cash or real terms: the price index (typed, pasted or loaded from a small text or CSV file)
//! and the year whose prices the schedule table and the report show figures in
//! (docs/domain.md, "Cash and real terms"). The engine reads the index (`parse_deflator`) and
//! says which years it lacks; this only takes the text and shows what it says.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::{missing_sentence, missing_years, parse_deflator, FinancialYear, Prices};

use super::state::AppState;

/// The largest index file read: a deflator is a few lines.
const MAX_INDEX_FILE: f64 = 64.0 * 1024.0;

/// The schedule's years (tracked).
fn schedule_years(state: AppState) -> Vec<FinancialYear> {
    state.loaded.with(|l| {
        l.as_ref()
            .map(|l| l.schedule.years.iter().map(|y| y.year).collect())
            .unwrap_or_default()
    })
}

/// Puts prices read back from saved work on screen, if the schedule on screen has an index for
/// each of its years; otherwise the figures stay cash.
pub(super) fn restore(state: AppState, prices: Option<Prices>) {
    let years = untrack(|| schedule_years(state));
    let prices = prices.filter(|p| !years.is_empty() && missing_years(&years, p).is_empty());
    state.prices.set(prices);
}

#[component]
pub fn PricesSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    // The index as typed: at first the schedule's years, each waiting for its index.
    let text = RwSignal::new(
        schedule_years(state)
            .iter()
            .map(|y| format!("{}, ", y.label()))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let base = RwSignal::new(None::<FinancialYear>);
    let problem = RwSignal::new(None::<String>);
    // Prices chosen (or restored from saved work) show as the index they were read from.
    Effect::new(move || {
        if let Some(p) = state.prices.get() {
            text.set(p.index_text());
            base.set(Some(p.base));
        }
    });
    let chosen_base = move || base.get().or_else(|| schedule_years(state).last().copied());
    let apply = move |_| {
        let index = match parse_deflator(&text.get_untracked()) {
            Ok(index) => index,
            Err(why) => {
                problem.set(Some(why));
                return;
            }
        };
        let Some(base) = untrack(chosen_base) else {
            return;
        };
        let prices = Prices { index, base };
        let missing = missing_years(&schedule_years(state), &prices);
        if missing.is_empty() {
            problem.set(None);
            state.prices.set(Some(prices));
        } else {
            problem.set(Some(missing_sentence(&missing)));
        }
    };
    let cash = move |_| {
        problem.set(None);
        state.prices.set(None);
    };
    let load = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            return;
        };
        if file.size() > MAX_INDEX_FILE {
            problem.set(Some(format!(
                "{} is too big for a price index (at most 64 KB: one line per year).",
                file.name()
            )));
            return;
        }
        let name = file.name();
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(t) => {
                    text.set(t.as_string().unwrap_or_default());
                    problem.set(None);
                }
                Err(_) => problem.set(Some(format!("{name} could not be read."))),
            }
        });
    };
    let on_base = move |ev: leptos::ev::Event| {
        base.set(FinancialYear::parse(&event_target_value(&ev)));
    };
    let base_options = move || {
        let chosen = chosen_base();
        schedule_years(state)
            .into_iter()
            .map(|y| {
                let label = y.label();
                view! { <option value=label.clone() selected=chosen == Some(y)>{label.clone()}</option> }
            })
            .collect_view()
    };
    view! {
        <fieldset class="prices" data-testid="prices">
            <legend>"Cash or real terms"</legend>
            <p class="hint">
                "Figures are cash as published. To show the schedule and the report in one year's prices, give a price index (a deflator such as HM Treasury's GDP deflator) for each year, one per line: 2024/25, 101.3. Any base will do; only ratios are used."
            </p>
            <div class="settings-grid">
                <div class="field">
                    <label for="price-index">"Price index, one year per line"</label>
                    <textarea id="price-index" data-testid="price-index" rows="5" spellcheck="false"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <label for="price-index-file">"or load it from a text or CSV file"</label>
                    <input id="price-index-file" type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="price-index-file" on:change=load />
                </div>
                <div class="field">
                    <label for="price-base">"In the prices of"</label>
                    <select id="price-base" data-testid="price-base" on:change=on_base>{base_options}</select>
                    <div class="button-row">
                        <button type="button" class="button small" data-testid="apply-prices" on:click=apply>"Show in real terms"</button>
                        <button type="button" class="button small" data-testid="show-cash" disabled=move || state.prices.with(Option::is_none) on:click=cash>"Show cash"</button>
                    </div>
                </div>
            </div>
            {move || problem.get().map(|p| view! {
                <div class="alert" role="alert" data-testid="prices-problem"><p>{p}</p></div>
            })}
        </fieldset>
    }
}
