//! The key figures, at the top of the page whatever the view: the computed grand total over the
//! period (or, for a table of several measures, each measure's total, which are not added
//! together), the full-year effect in the last year and the sum over the period. Every figure
//! is the engine's, formatted by it; they are of the schedule as published (the live results),
//! whatever profile the table shows.

use leptos::prelude::*;

use crate::engine::format_amount;

use super::state::AppState;

#[component]
pub fn KeyFigures() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            state.live.with(|live| {
                let live = live.as_ref()?;
                let d = s.decimals;
                let unit = s.unit.label();
                let first = s.years.first()?.year.label();
                let last = s.years.last()?.year.label();
                let mut period = if first == last {
                    first.clone()
                } else {
                    format!("{first} to {last}")
                };
                // The key figures are always cash: said so when the table shows real terms.
                if state.price_basis().is_some() {
                    period.push_str(", cash");
                }
                let totals = &live.results.totals;
                // A sum missing cells says so, as the table's cells do.
                let incomplete = |missing: usize| {
                    (missing > 0).then(|| {
                        view! {
                            <span class="key-note">{format!("excludes {missing} cell(s) with no figure")}</span>
                        }
                    })
                };
                let grand = if totals.by_measure.is_empty() {
                    let g = &totals.grand.total;
                    view! {
                        <div class="key-grand">
                            <dt>{format!("Grand total (computed), {period}")}</dt>
                            <dd data-testid="key-total-all">{format_amount(g.value, d)}{incomplete(g.missing)}</dd>
                        </div>
                    }
                    .into_any()
                } else {
                    totals
                        .by_measure
                        .iter()
                        .map(|(m, t)| {
                            view! {
                                <div class="key-grand">
                                    <dt>{format!("All {} lines (computed), {period}", m.label().to_lowercase())}</dt>
                                    <dd data-testid="key-total-measure">{format_amount(t.total.value, d)}{incomplete(t.total.missing)}</dd>
                                </div>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                let t = live.profile_totals();
                let show = |v: Option<rust_decimal::Decimal>| {
                    v.map(|v| format_amount(v, d))
                        .unwrap_or_else(|| "no figure".to_string())
                };
                Some(view! {
                    <section class="key-figures" aria-labelledby="key-heading">
                        <h2 id="key-heading" class="visually-hidden">"Key figures"</h2>
                        <dl class="both-totals">
                            {grand}
                            <div>
                                <dt>{format!("Full-year effect in {last}")}</dt>
                                <dd data-testid="fye-total">{show(t.final_year_effect)}</dd>
                            </div>
                            <div>
                                <dt>"Sum over the period (cash)"</dt>
                                <dd data-testid="period-total">{show(t.period_sum)}</dd>
                            </div>
                        </dl>
                        <p class="key-unit">{format!("All in {unit}.")}</p>
                    </section>
                })
            })
        })
    }
}
