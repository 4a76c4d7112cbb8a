//! The Reconcile view: a second schedule compared by reference with the one on screen, after
//! converting unit, profile and signs (the engine's `reconcile`), shown as a table.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::{format_amount, ReconcileEntry, ReconcileStatus, Sum, DEFAULT_MAX_BYTES};

use super::state::AppState;

fn status_text(s: ReconcileStatus) -> (&'static str, &'static str) {
    match s {
        ReconcileStatus::Match => ("✓ match", "status-ok"),
        ReconcileStatus::Rounding => ("≈ within rounding", "status-rounding"),
        ReconcileStatus::Different => ("✗ different", "status-error"),
        ReconcileStatus::OnlyLeft => ("only in this schedule", "status-incomplete"),
        ReconcileStatus::OnlyRight => ("only in the other file", "status-incomplete"),
    }
}

fn value_text(entry: Option<&ReconcileEntry>, y: usize, d: u32) -> String {
    entry
        .and_then(|e| e.values.get(y))
        .map(|s: &Sum| {
            if s.is_complete() {
                format_amount(s.value, d)
            } else {
                "no figure".to_string()
            }
        })
        .unwrap_or_else(|| "—".to_string())
}

#[component]
pub fn ReconcileView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            let name = file.name();
            if file.size() > DEFAULT_MAX_BYTES as f64 {
                state
                    .import
                    .second_error
                    .set(Some(format!("{name}: the file is over the import limit")));
            } else {
                let file = gloo_file::File::from(file);
                spawn_local(async move {
                    match gloo_file::futures::read_as_bytes(&file).await {
                        Ok(bytes) => state.load_second(&name, &bytes),
                        Err(e) => state
                            .import
                            .second_error
                            .set(Some(format!("{name}: the file could not be read ({e})"))),
                    }
                });
            }
        }
        input.set_value("");
    };

    let result = move || {
        let d = state
            .loaded
            .with(|l| l.as_ref().map(|l| l.schedule.decimals).unwrap_or(0));
        let names = state
            .import
            .second
            .with(|r| r.as_ref().map(|r| r.file_name.clone()));
        state.derived.reconciliation.with(|rec| {
            let rec = rec.as_ref()?;
            let other = names.unwrap_or_default();
            let years = rec
                .years
                .iter()
                .map(|y| view! { <th scope="col" colspan="3" class="num">{y.label()}</th> })
                .collect_view();
            let sub = rec
                .years
                .iter()
                .map(|_| {
                    view! {
                        <th scope="col" class="num">"This"</th>
                        <th scope="col" class="num">"Other"</th>
                        <th scope="col" class="num">"Difference"</th>
                    }
                })
                .collect_view();
            let rows = rec
                .rows
                .iter()
                .map(|row| {
                    let (status, class) = status_text(row.status);
                    let reference = row
                        .left
                        .as_ref()
                        .or(row.right.as_ref())
                        .map(|e| e.reference.clone())
                        .unwrap_or_default();
                    let left_name = row.left.as_ref().map(|e| e.name.clone()).unwrap_or_default();
                    let right_name = row.right.as_ref().map(|e| e.name.clone()).unwrap_or_default();
                    let cells = (0..rec.years.len())
                        .map(|y| {
                            let diff = row
                                .difference
                                .get(y)
                                .copied()
                                .flatten()
                                .map(|v| format_amount(v, d))
                                .unwrap_or_default();
                            view! {
                                <td class="num" data-testid="reconcile-left">{value_text(row.left.as_ref(), y, d)}</td>
                                <td class="num" data-testid="reconcile-right">{value_text(row.right.as_ref(), y, d)}</td>
                                <td class="num">{diff}</td>
                            }
                        })
                        .collect_view();
                    view! {
                        <tr class=format!("reconcile {class}") data-testid="reconcile-row" data-key=row.key.clone()>
                            <th scope="row">{reference}</th>
                            <td>{left_name}</td>
                            <td>{right_name}</td>
                            {cells}
                            <td class=format!("check {class}") data-testid="reconcile-status">{status}</td>
                        </tr>
                    }
                })
                .collect_view();
            let summary = format!(
                "{} match, {} within rounding, {} different, {} only in this schedule, {} only in {other}.",
                rec.matches, rec.rounding, rec.different, rec.only_left, rec.only_right
            );
            let caption = format!(
                "Saving lines compared by reference as full-year effects, savings positive, in {}, over the years both files have.",
                rec.unit.label()
            );
            Some(view! {
                <p class="check-summary" data-testid="reconcile-summary">{summary}</p>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Reconciliation, scrolls sideways">
                    <table data-testid="reconcile-table">
                        <caption>{caption}</caption>
                        <thead>
                            <tr>
                                <th scope="col" rowspan="2">"Reference"</th>
                                <th scope="col" rowspan="2">"This schedule"</th>
                                <th scope="col" rowspan="2">{other.clone()}</th>
                                {years}
                                <th scope="col" rowspan="2">"Result"</th>
                            </tr>
                            <tr>{sub}</tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })
        })
    };

    view! {
        <section class="reconcile-view" aria-labelledby="reconcile-heading">
            <h2 id="reconcile-heading">"Reconcile with another file"</h2>
            <p class="hint">
                "Load a second schedule (for example the investment appraisals) to compare by reference. Units, profiles and signs are converted exactly before comparing."
            </p>
            <div class="button-row">
                <label for="reconcile-input" class="button">"Choose a file to compare…"</label>
                <input
                    id="reconcile-input"
                    class="visually-hidden"
                    type="file"
                    accept=".csv,.tsv,.txt,.json,text/csv,application/json"
                    data-testid="reconcile-input"
                    on:change=on_change
                />
            </div>
            {move || state.import.second_error.get().map(|e| view! {
                <div class="alert" role="alert" data-testid="reconcile-message"><p>{e}</p></div>
            })}
            {result}
        </section>
    }
}
