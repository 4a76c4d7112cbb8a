//! The checks panel: how many published figures reconcile, and every one that does not, with
//! where it is and both figures.

use leptos::prelude::*;

use crate::engine::{
    carried_note, checks_to_csv, checks_to_json, counts_sentence, format_amount, CheckStatus,
    StatusCounts,
};

use super::download::{download, file_stem};
use super::state::AppState;

/// How many items a list of findings shows: a big file's thousands of reversals or problems
/// would take seconds to draw and no one reads past the first; each is still noted on its line
/// in the table and written in the CSV export.
const LISTED: usize = 100;

/// The last item of a list cut at [`LISTED`]: how many more there are and where to find them.
fn more_items(all: usize) -> Option<impl IntoView> {
    (all > LISTED).then(|| {
        view! {
            <li class="hint" data-testid="more-findings">
                {format!(
                    "… and {} more, each noted on its line in the table and in the CSV export",
                    all - LISTED
                )}
            </li>
        }
    })
}

/// The badge text of a status: a symbol and a word, so colour is never the only signal.
pub fn status_badge(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Ok => "✓ ok",
        CheckStatus::Rounding => "≈ rounding",
        CheckStatus::Carried => "↳ carried",
        CheckStatus::Incomplete => "? incomplete",
        CheckStatus::Error => "✗ error",
    }
}

pub fn status_class(status: CheckStatus) -> &'static str {
    match status {
        CheckStatus::Ok => "status-ok",
        CheckStatus::Rounding => "status-rounding",
        CheckStatus::Carried => "status-carried",
        CheckStatus::Incomplete => "status-incomplete",
        CheckStatus::Error => "status-error",
    }
}

/// Reversal pairs, duplicate references and the nets and paybacks of proposals.
fn netting_findings(state: AppState) -> impl IntoView {
    // Drawn again when netting is worked out again (which follows every change of the schedule),
    // not at each edit: with thousands of findings, that would redraw them all per keystroke.
    move || {
        state.loaded.with_untracked(|l| {
            let s = &l.as_ref()?.schedule;
            state.netting.with(|n| {
                let n = n.as_ref()?;
                let d = s.decimals;
                let row_of = |i: usize| s.lines.get(i).map(|l| l.row).unwrap_or(0);
                let reversals = n
                    .reversals
                    .iter()
                    .take(LISTED)
                    .map(|r| {
                        let label = s.lines.get(r.reversal).map(|l| s.line_label(l)).unwrap_or_default();
                        let line_total = |i: usize| {
                            state.live.with_untracked(|res| {
                                res.as_ref()
                                    .and_then(|res| res.results.totals.lines.get(i))
                                    .map(|t| format_amount(t.value, d))
                                    .unwrap_or_default()
                            })
                        };
                        let text = format!(
                            "{label}: row {}, {}, {} row {}, {}; the pair nets to {}",
                            row_of(r.reversal),
                            line_total(r.reversal),
                            if r.full { "reverses" } else { "partly reverses" },
                            row_of(r.original),
                            line_total(r.original),
                            format_amount(r.net_total.value, d),
                        );
                        view! { <li data-testid="reversal">{text}</li> }
                    })
                    .collect_view();
                let duplicates = n
                    .duplicate_refs
                    .iter()
                    .take(LISTED)
                    .map(|dup| {
                        let lines: Vec<String> = dup
                            .lines
                            .iter()
                            .filter_map(|&i| s.lines.get(i))
                            .map(|l| format!("row {} {}", l.row, s.line_label(l)))
                            .collect();
                        let text = format!(
                            "{} is used on {} lines with different names or sources: {}",
                            dup.reference,
                            dup.lines.len(),
                            lines.join("; ")
                        );
                        view! { <li class="status-rounding" data-testid="duplicate-ref">{text}</li> }
                    })
                    .collect_view();
                // One status per proposal whose net is checked: the worst of its checks.
                let net_counts = StatusCounts::tally(
                    n.proposals
                        .iter()
                        .filter_map(|p| p.net_checks.iter().map(|c| c.status).max()),
                );
                let paybacks = {
                    let published: Vec<_> = n.proposals.iter().filter_map(|p| p.payback_check).collect();
                    let ok = published.iter().filter(|c| **c == CheckStatus::Ok).count();
                    (!published.is_empty()).then(|| {
                        view! {
                            <li data-testid="checks-paybacks">
                                {format!("{ok} of {} published paybacks agree", published.len())}
                            </li>
                        }
                    })
                };
                let nets = (net_counts.total() > 0).then(|| {
                    view! { <li data-testid="checks-nets">{counts_sentence(&net_counts, "published net rows")}</li> }
                });
                let has_rev = !n.reversals.is_empty();
                let has_dup = !n.duplicate_refs.is_empty();
                Some(view! {
                    <ul class="check-summary">{nets}{paybacks}</ul>
                    {has_rev.then(|| view! {
                        <details class="findings">
                            <summary>
                                <h3>{format!("Reversals ({})", n.reversals.len())}</h3>
                            </summary>
                            <p class="hint">"Lines that undo another line; each pair is noted in the table."</p>
                            <ul class="finding-list">{reversals}{more_items(n.reversals.len())}</ul>
                        </details>
                    })}
                    {has_dup.then(|| view! {
                        <details class="findings">
                            <summary>
                                <h3>{format!("Duplicate references ({})", n.duplicate_refs.len())}</h3>
                            </summary>
                            <p class="hint">"References are not unique; these are loaded as they are, and worth a look. The lines are marked in the table."</p>
                            <ul class="finding-list">{duplicates}{more_items(n.duplicate_refs.len())}</ul>
                        </details>
                    })}
                })
            })
        })
    }
}

/// Every checked figure of the schedule and of the last file's arithmetic map, one row each
/// (`engine::checks_to_csv`, `engine::checks_to_json`).
fn download_checks(state: AppState, json: bool) {
    state.loaded.with_untracked(|l| {
        let Some(l) = l else { return };
        state.live.with_untracked(|live| {
            let Some(live) = live else { return };
            state.map.with_untracked(|m| {
                let map = m.as_ref().map(|m| (m.file_name.as_str(), &m.map));
                let report = &live.results.checks;
                let stem = file_stem(&l.schedule.title);
                let _ = if json {
                    let text = checks_to_json(&l.schedule, report, map);
                    download(
                        &format!("{stem}-checks.json"),
                        "application/json",
                        text.as_bytes(),
                    )
                } else {
                    let text = checks_to_csv(&l.schedule, report, map);
                    download(&format!("{stem}-checks.csv"), "text/csv", text.as_bytes())
                };
            })
        })
    })
}

#[component]
pub fn ChecksPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let findings = netting_findings(state);
    let panel = move || {
        let decimals = state
            .loaded
            .with(|l| l.as_ref().map(|l| l.schedule.decimals).unwrap_or(0));
        state.live.with(|r| {
            let r = &r.as_ref()?.results;
            let c = &r.checks;
            let all_problems = c.problems();
            let problem_count = all_problems.len();
            let problems: Vec<_> = all_problems
                .into_iter()
                .take(LISTED)
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
                        CheckStatus::Carried => {
                            what.push_str(&format!(" ({})", carried_note(&p.carries)))
                        }
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
                    <ul class="check-list">{problems}{more_items(problem_count)}</ul>
                }
            });
            Some(view! {
                <section class="checks" class:has-errors=any_error aria-labelledby="checks-heading">
                    <h2 id="checks-heading">"Checks of published totals"</h2>
                    <ul class="check-summary">
                        <li data-testid="checks-subtotals">{counts_sentence(&c.total_rows, "subtotals")}</li>
                        <li data-testid="checks-lines">{counts_sentence(&c.line_totals, "line totals")}</li>
                    </ul>
                    {list}
                    <p class="map-downloads">
                        <button type="button" data-testid="checks-csv" on:click=move |_| download_checks(state, false)>
                            "Download checks (CSV)"
                        </button>
                        " "
                        <button type="button" data-testid="checks-json" on:click=move |_| download_checks(state, true)>
                            "Download checks (JSON)"
                        </button>
                    </p>
                </section>
            })
        })
    };
    view! {
        {panel}
        <div class="checks-more">{findings}</div>
    }
}
