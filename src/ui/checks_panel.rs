//! The checks panel: how many published figures reconcile, and every one that does not, with
//! where it is and both figures.

use leptos::prelude::*;

use crate::engine::{format_amount, CheckStatus, StatusCounts};

use super::app::AppState;

/// "5 of 5 subtotals ok", then what the others are.
fn summary(counts: &StatusCounts, noun: &str) -> String {
    if counts.total() == 0 {
        return format!("No published {noun} to check");
    }
    let mut text = format!("{} of {} {noun} ok", counts.ok, counts.total());
    let mut rest = Vec::new();
    if counts.rounding > 0 {
        rest.push(format!("{} within rounding", counts.rounding));
    }
    if counts.incomplete > 0 {
        rest.push(format!("{} incomplete", counts.incomplete));
    }
    if counts.error > 0 {
        rest.push(format!("{} with errors", counts.error));
    }
    if !rest.is_empty() {
        text.push_str(&format!(" ({})", rest.join(", ")));
    }
    text
}

/// The badge text of a status: a symbol and a word, so colour is never the only signal.
pub fn status_badge(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Ok => "✓ ok",
        CheckStatus::Rounding => "≈ rounding",
        CheckStatus::Incomplete => "? incomplete",
        CheckStatus::Error => "✗ error",
    }
}

pub fn status_class(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Ok => "status-ok",
        CheckStatus::Rounding => "status-rounding",
        CheckStatus::Incomplete => "status-incomplete",
        CheckStatus::Error => "status-error",
    }
}

#[component]
pub fn ChecksPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let decimals = state
            .loaded
            .with(|l| l.as_ref().map(|l| l.schedule.decimals).unwrap_or(0));
        state.results.with(|r| {
            let r = r.as_ref()?;
            let c = &r.checks;
            let problems: Vec<_> = c
                .problems()
                .into_iter()
                .map(|p| {
                    let d = decimals.max(p.published.scale());
                    let mut what = format!(
                        "{}, column {}: published {}, computed {}, difference {}",
                        p.label,
                        p.column_header,
                        format_amount(p.published, d),
                        format_amount(p.computed, d),
                        format_amount(p.difference, d.max(p.difference.scale())),
                    );
                    match p.status {
                        CheckStatus::Rounding => what.push_str(&format!(
                            " (within the ±{} the rounding of the summed cells can hide)",
                            p.tolerance.normalize()
                        )),
                        CheckStatus::Incomplete => what.push_str(&format!(
                            " ({} summed cell(s) have no figure)",
                            p.missing
                        )),
                        _ => {}
                    }
                    let href = format!("#row-{}", p.row);
                    let row = format!("Row {}", p.row);
                    view! {
                        <li class=status_class(p.status) data-testid="check-problem">
                            <span class="badge">{status_badge(p.status)}</span>
                            " "
                            <a href=href>{row}</a>
                            ": "
                            {what}
                        </li>
                    }
                })
                .collect();
            let any_error = c.total_rows.error + c.line_totals.error > 0;
            let list = (!problems.is_empty()).then(|| {
                view! {
                    <h3>"Figures that do not reconcile exactly"</h3>
                    <ul class="check-list">{problems}</ul>
                }
            });
            Some(view! {
                <section class="checks" class:has-errors=any_error aria-labelledby="checks-heading">
                    <h2 id="checks-heading">"Checks of published totals"</h2>
                    <ul class="check-summary">
                        <li data-testid="checks-subtotals">{summary(&c.total_rows, "subtotals")}</li>
                        <li data-testid="checks-lines">{summary(&c.line_totals, "line totals")}</li>
                    </ul>
                    {list}
                </section>
            })
        })
    }
}
