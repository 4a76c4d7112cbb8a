//! The Funding gap view: the gap model's rows (with their roles, which the user can change), the
//! derived rows the engine computes (budget requirement, gap before and after reserves,
//! cumulative and annual gap, savings still to find) with the file's own result rows checked,
//! and two charts drawn as inline SVG, each with a title, a text alternative and a table: a
//! bridge from the starting gap to the remaining gap for one year (each reserve the reserves plan
//! draws its own step), and the cumulative, annual and after-reserves gap over the years. The gap
//! after reserves is the engine's one figure (`GapYear::gap_after_reserves`: after the table's
//! reserves and the plan's drawdowns), shown alike in the table, both charts and the exports.
//!
//! Chart coordinates are the only floating point here: figures are converted to `f64` to place
//! bars on screen, never to compute or show an amount.

use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::engine::{
    bridge, format_amount, format_cell, format_sum, gap_sheet, gap_to_csv, gap_to_json, BridgeStep,
    CheckStatus, GapFigures, GapModel, GapResult, GapRole, GapYear, JudgedGap, Profile,
    SavingsFeed, Stated, Sum, WorkbookJob,
};

use super::checks_panel::{status_badge, status_class};
use super::download::{download, file_stem};
use super::reserves_tables::marks_sentence;
use super::reserves_view::ReservesSection;
use super::scroll_hint::scroll_hint;
use super::state::AppState;

/// Decimal places to show: as many as the gap table's figures have.
pub(super) fn decimals(model: &GapModel) -> u32 {
    model.decimals()
}

fn role_key(r: GapRole) -> String {
    format!("{r:?}")
}

fn result_key(r: GapResult) -> &'static str {
    match r {
        GapResult::Requirement => "requirement",
        GapResult::GapBeforeReserves => "gap_before_reserves",
        GapResult::GapAfterReserves => "gap_after_reserves",
        GapResult::RevisedGap => "revised_gap",
        GapResult::FundingSupport => "funding_support",
        GapResult::AnnualGap => "annual_gap",
        GapResult::AnnualGapAfterReserves => "annual_gap_after_reserves",
    }
}

/// One derived row of the gap table: its label, the figure per year, and the check of the
/// file's own row for the same result where there is one.
fn derived_row(
    label: String,
    key: &'static str,
    figures: &GapFigures,
    model: &GapModel,
    d: u32,
    pick: impl Fn(&GapYear) -> Option<&Sum>,
    checked: &[GapResult],
) -> AnyView {
    derived_row_of(label, key, None, figures, model, d, pick, checked)
}

/// [`derived_row`] with the reserve of the plan the row is about (`data-reserve`), if any.
#[allow(clippy::too_many_arguments)]
fn derived_row_of(
    label: String,
    key: &'static str,
    reserve: Option<u32>,
    figures: &GapFigures,
    model: &GapModel,
    d: u32,
    pick: impl Fn(&GapYear) -> Option<&Sum>,
    checked: &[GapResult],
) -> AnyView {
    let fed = figures.years.iter().any(|y| y.fed_savings.is_some());
    // The file's gap after reserves is the table's own; the reserves plan is the user's, so a
    // gap after reserves that the plan has drawn on is checked as it was before the plan.
    let planned = checked.iter().any(|r| {
        matches!(
            r,
            GapResult::GapAfterReserves | GapResult::AnnualGapAfterReserves
        )
    }) && figures.years.iter().any(|y| !y.plan_drawn.value.is_zero());
    let checks: Vec<_> = figures
        .checks
        .iter()
        .filter(|c| match c.subject {
            crate::engine::Subject::GapResult { index } => model
                .results
                .get(index)
                .is_some_and(|r| checked.contains(&r.result)),
            _ => false,
        })
        .collect();
    let cells = figures
        .years
        .iter()
        .enumerate()
        .map(|(y, g)| {
            let text = pick(g).map(|s| format_sum(s, d)).unwrap_or_default();
            let check = checks
                .iter()
                .find(|c| c.column == crate::engine::CheckColumn::Year(y));
            match check {
                Some(c) => {
                    // The file's results are claims about the table as published, so with the
                    // schedule fed in they are checked against the figures before the feed.
                    let before = match (fed, planned) {
                        (true, true) => " before the feed and the reserves plan",
                        (true, false) => " before the feed",
                        (false, true) => " before the reserves plan",
                        (false, false) => "",
                    };
                    let note = if c.status == CheckStatus::Ok {
                        format!("published {} ✓{before}", format_amount(c.published, d))
                    } else {
                        format!(
                            "published {} · {}",
                            format_amount(c.published, d.max(c.published.scale())),
                            status_badge(c.status)
                        )
                    };
                    view! {
                        <td class=format!("num {}", status_class(c.status)) data-testid="gap-cell">
                            {text}
                            <span class="published">{note}</span>
                        </td>
                    }
                    .into_any()
                }
                None => view! { <td class="num" data-testid="gap-cell">{text}</td> }.into_any(),
            }
        })
        .collect_view();
    view! {
        <tr class="derived" data-testid="gap-row" data-result=key data-reserve=reserve.map(|r| r.to_string())>
            <th scope="row">{label}</th>
            <td class="gap-role"></td>
            {cells}
        </tr>
    }
    .into_any()
}

/// The bridge (waterfall) of one year as an SVG, with its text alternative.
///
/// `marks` are what happened to the reserves plan in that year (`reserves_tables::year_marks`),
/// written in the chart and its text alternative.
fn bridge_chart(steps: &[BridgeStep], d: u32, unit: &str, year: &str, marks: &[&str]) -> AnyView {
    let to_f = |v: Decimal| v.to_f64().unwrap_or(0.0);
    let lo = steps
        .iter()
        .flat_map(|s| [s.start, s.end])
        .fold(Decimal::ZERO, Decimal::min);
    let hi = steps
        .iter()
        .flat_map(|s| [s.start, s.end])
        .fold(Decimal::ZERO, Decimal::max);
    let (lo, hi) = (to_f(lo), to_f(hi));
    let span = if hi - lo <= 0.0 { 1.0 } else { hi - lo };
    let (width, height, left, top, bottom) = (760.0f64, 320.0f64, 60.0f64, 30.0f64, 90.0f64);
    let plot_h = height - top - bottom;
    let y_of = |v: f64| top + (hi - v) / span * plot_h;
    let n = steps.len().max(1) as f64;
    let slot = (width - left - 10.0) / n;
    let bar_w = (slot * 0.6).max(4.0);
    let bars = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (a, b) = (to_f(s.start), to_f(s.end));
            let y = y_of(a.max(b));
            let h = (y_of(a.min(b)) - y).max(1.0);
            let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
            let class = match s.role {
                None => "bar total",
                Some(_) if s.end > s.start => "bar up",
                Some(_) => "bar down",
            };
            let value = format_amount(s.change(), d);
            let label_y = height - bottom + 16.0;
            let short: String = s.label.chars().take(18).collect();
            view! {
                <g data-testid="bridge-bar" data-reserve=s.reserve.map(|r| r.to_string())>
                    <rect class=class x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{h:.1}")>
                        <title>{format!("{}: {value}", s.label)}</title>
                    </rect>
                    <text class="bar-value" x=format!("{:.1}", x + bar_w / 2.0) y=format!("{:.1}", y - 4.0) text-anchor="middle">{value.clone()}</text>
                    <text class="bar-label" x=format!("{:.1}", x + bar_w / 2.0) y=format!("{label_y:.1}") text-anchor="end" transform=format!("rotate(-35 {:.1} {label_y:.1})", x + bar_w / 2.0)>{short}</text>
                </g>
            }
        })
        .collect_view();
    let zero = y_of(0.0);
    let mut description = steps
        .iter()
        .map(|s| format!("{} {}", s.label, format_amount(s.change(), d)))
        .collect::<Vec<_>>()
        .join("; ");
    let mark = (!marks.is_empty()).then(|| format!("Reserves plan, {year}: {}", marks.join(", ")));
    if let Some(m) = &mark {
        description = format!("{description}. {m}");
    }
    let mark_text = mark.clone().map(|m| {
        view! { <text class="mark-label" data-testid="bridge-reserves-mark" x=format!("{:.1}", left + 4.0) y="16">{m}</text> }
    });
    let last = steps.len().saturating_sub(1);
    let rows = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let change = if s.role.is_none() {
                String::new()
            } else {
                format_amount(s.change(), d)
            };
            let kind = match (s.role, s.reserve) {
                (None, _) if i == last => "end",
                (None, _) => "start",
                (Some(_), Some(_)) => "reserve",
                (Some(_), None) => "step",
            };
            view! {
                <tr data-testid="bridge-row" data-step=kind data-reserve=s.reserve.map(|r| r.to_string())>
                    <th scope="row">{s.label.clone()}</th>
                    <td class="num">{change}</td>
                    <td class="num">{format_amount(s.end, d)}</td>
                </tr>
            }
        })
        .collect_view();
    let title = format!("Bridge to the remaining gap, {year} ({unit})");
    view! {
        <figure class="chart" data-testid="bridge-chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="bridge-title" aria-describedby="bridge-desc" preserveAspectRatio="xMinYMin meet">
                <title id="bridge-title">{title.clone()}</title>
                <desc id="bridge-desc">{description.clone()}</desc>
                <line class="axis" x1=format!("{left}") x2=format!("{width}") y1=format!("{zero:.1}") y2=format!("{zero:.1}") />
                {bars}
                {mark_text}
            </svg>
            <figcaption>{title}". "{description}</figcaption>
            <details>
                <summary>"The bridge as a table"</summary>
                <table class="chart-table">
                    <caption>{format!("Bridge, {year}, {unit}")}</caption>
                    <thead><tr><th scope="col">"Step"</th><th scope="col" class="num">"Change"</th><th scope="col" class="num">"Running gap"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}

/// The cumulative gap (line) and annual gap (bars) over the years, with its text alternative.
///
/// `marks` holds, per year, what happened to the reserves plan (`reserves_tables::year_marks`):
/// written above the year in the chart, in its text alternative and in its table.
fn trend_chart(
    figures: &GapFigures,
    d: u32,
    unit: &str,
    marks: &[Vec<&'static str>],
    marks_note: Option<String>,
) -> AnyView {
    let to_f = |v: Decimal| v.to_f64().unwrap_or(0.0);
    let values: Vec<(f64, f64)> = figures
        .years
        .iter()
        .map(|g| (to_f(g.cumulative_gap.value), to_f(g.annual_gap.value)))
        .collect();
    let after: Vec<f64> = figures
        .years
        .iter()
        .map(|g| to_f(g.gap_after_reserves.value))
        .collect();
    let lo = values
        .iter()
        .flat_map(|(c, a)| [*c, *a])
        .chain(after.iter().copied())
        .fold(0.0f64, f64::min);
    let hi = values
        .iter()
        .flat_map(|(c, a)| [*c, *a])
        .chain(after.iter().copied())
        .fold(0.0f64, f64::max);
    let span = if hi - lo <= 0.0 { 1.0 } else { hi - lo };
    let marked = marks.iter().any(|m| !m.is_empty());
    let top = if marked { 62.0f64 } else { 30.0f64 };
    let (width, height, left, bottom) = (760.0f64, 260.0f64 + top - 30.0, 60.0f64, 40.0f64);
    let plot_h = height - top - bottom;
    let y_of = |v: f64| top + (hi - v) / span * plot_h;
    let n = values.len().max(1) as f64;
    let slot = (width - left - 10.0) / n;
    let bar_w = (slot * 0.4).max(4.0);
    let zero = y_of(0.0);
    let mark_views = marks
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_empty())
        .map(|(i, m)| {
            let x = left + slot * i as f64 + slot / 2.0;
            let lines = m
                .iter()
                .enumerate()
                .map(|(k, label)| view! { <text class="mark-label" x=format!("{x:.1}") y=format!("{:.1}", 14.0 + 13.0 * k as f64) text-anchor="middle">{label.to_string()}</text> })
                .collect_view();
            view! {
                <g data-testid="trend-reserves-mark">
                    <line class="mark-line" x1=format!("{x:.1}") x2=format!("{x:.1}") y1=format!("{:.1}", 14.0 + 13.0 * m.len() as f64 - 6.0) y2=format!("{:.1}", height - bottom) />
                    {lines}
                </g>
            }
        })
        .collect_view();
    let bars = figures
        .years
        .iter()
        .zip(&values)
        .enumerate()
        .map(|(i, (g, (_, a)))| {
            let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
            let (y, h) = if *a >= 0.0 { (y_of(*a), zero - y_of(*a)) } else { (zero, y_of(*a) - zero) };
            view! {
                <g>
                    <rect class="bar annual" x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar_w:.1}") height=format!("{:.1}", h.max(1.0))>
                        <title>{format!("Annual gap {}: {}", g.year.label(), format_amount(g.annual_gap.value, d))}</title>
                    </rect>
                    <text class="bar-label" x=format!("{:.1}", x + bar_w / 2.0) y=format!("{:.1}", height - 12.0) text-anchor="middle">{g.year.label()}</text>
                </g>
            }
        })
        .collect_view();
    let points = values
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{:.1},{:.1}", left + slot * i as f64 + slot / 2.0, y_of(*c)))
        .collect::<Vec<_>>()
        .join(" ");
    let dots = values
        .iter()
        .enumerate()
        .map(|(i, (c, _))| {
            view! { <circle class="dot" cx=format!("{:.1}", left + slot * i as f64 + slot / 2.0) cy=format!("{:.1}", y_of(*c)) r="4" /> }
        })
        .collect_view();
    // The gap after reserves (the table's and the reserves plan's), dashed.
    let after_points = after
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", left + slot * i as f64 + slot / 2.0, y_of(*v)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut description = figures
        .years
        .iter()
        .map(|g| {
            format!(
                "{}: cumulative {}, annual {}, after reserves {}",
                g.year.label(),
                format_amount(g.cumulative_gap.value, d),
                format_amount(g.annual_gap.value, d),
                format_amount(g.gap_after_reserves.value, d)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    if let Some(note) = &marks_note {
        description = format!("{description}. {note}");
    }
    let title = format!(
        "Cumulative gap (line), annual gap (bars) and gap after reserves (dashed line), {unit}"
    );
    let rows = figures
        .years
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let mark = marked.then(
                || view! { <td>{marks.get(i).map(|m| m.join(", ")).unwrap_or_default()}</td> },
            );
            view! {
                <tr>
                    <th scope="row">{g.year.label()}</th>
                    <td class="num">{format_sum(&g.cumulative_gap, d)}</td>
                    <td class="num">{format_sum(&g.annual_gap, d)}</td>
                    <td class="num" data-testid="trend-gap-after">{format_sum(&g.gap_after_reserves, d)}</td>
                    {mark}
                </tr>
            }
        })
        .collect_view();
    let mark_head = marked.then(|| view! { <th scope="col">"Reserves plan"</th> });
    view! {
        <figure class="chart" data-testid="trend-chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="trend-title" aria-describedby="trend-desc" preserveAspectRatio="xMinYMin meet">
                <title id="trend-title">{title.clone()}</title>
                <desc id="trend-desc">{description.clone()}</desc>
                <line class="axis" x1=format!("{left}") x2=format!("{width}") y1=format!("{zero:.1}") y2=format!("{zero:.1}") />
                {bars}
                <polyline class="cumulative-line" points=points />
                {dots}
                <polyline class="after-line" data-testid="trend-after-line" points=after_points />
                {mark_views}
            </svg>
            <figcaption>{title.clone()}". "{description}</figcaption>
            <details>
                <summary>"The gap over the years as a table"</summary>
                <table class="chart-table">
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"Year"</th><th scope="col" class="num">"Cumulative gap"</th><th scope="col" class="num">"Annual gap"</th><th scope="col" class="num">"Gap after reserves"</th>{mark_head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
    .into_any()
}

/// The gap's downloads: the derived figures as the engine writes them (`gap_to_csv`,
/// `gap_sheet` written by the worker, `gap_to_json`), from the same figures the table and the charts show.
fn gap_downloads(state: AppState) -> AnyView {
    #[derive(Clone, Copy)]
    enum Kind {
        Csv,
        Xlsx,
        Json,
    }
    let export = move |kind: Kind| {
        let mut workbook = None;
        let done: Option<Result<(), String>> = state.gap.with_untracked(|g| {
            let model = &g.as_ref()?.model;
            state.derived.gap_judged.with_untracked(|j| {
                let figures = &j.as_ref()?.figures;
                let stem = format!("{}-gap", file_stem(&model.title));
                let js = |e: wasm_bindgen::JsValue| format!("{e:?}");
                Some(match kind {
                    Kind::Csv => download(
                        &format!("{stem}.csv"),
                        "text/csv;charset=utf-8",
                        gap_to_csv(model, figures).as_bytes(),
                    )
                    .map_err(js),
                    Kind::Json => download(
                        &format!("{stem}.json"),
                        "application/json",
                        gap_to_json(model, figures).as_bytes(),
                    )
                    .map_err(js),
                    Kind::Xlsx => {
                        // Written by the worker (`workbook_export`).
                        workbook = Some((
                            format!("{stem}.xlsx"),
                            WorkbookJob::Gap(gap_sheet(model, figures)),
                        ));
                        Ok(())
                    }
                })
            })
        });
        if let Some(Err(e)) = done {
            state.error.set(Some(format!("The export failed: {e}")));
        }
        if let Some((file_name, job)) = workbook {
            state.write_workbook(file_name, job);
        }
    };
    view! {
        <div class="button-row gap-downloads">
            <button type="button" class="button" data-testid="gap-export-csv" on:click=move |_| export(Kind::Csv)>"Download the gap (CSV)"</button>
            <button type="button" class="button" data-testid="gap-export-xlsx" on:click=move |_| export(Kind::Xlsx)>"Download the gap (Excel)"</button>
            <button type="button" class="button" data-testid="gap-export-json" on:click=move |_| export(Kind::Json)>"Download the gap (JSON)"</button>
        </div>
    }
    .into_any()
}

#[component]
pub fn GapView() -> impl IntoView {
    let state = expect_context::<AppState>();
    let bridge_year = RwSignal::new(None::<usize>);
    let has_gap = move || state.gap.with(Option::is_some);
    let main = move || {
        state.gap.with(|g| {
            let Some(g) = g.as_ref() else {
                return view! {
                    <section class="gap-view" data-testid="gap-view">
                        <h2>"Funding gap"</h2>
                        <p>"Load a forecast or funding gap table (rows such as Net Budget, Pressures, Investment, Savings, Funding, Reserves) with the file picker above."</p>
                    </section>
                }
                .into_any();
            };
            let model = &g.model;
            state.derived.gap_judged.with(|j| {
                let Some(JudgedGap { figures, not_derived }) = j.as_ref() else { return ().into_any() };
                let d = decimals(model);
                let unit = state.cash_label(model.unit.label());
                let unit = unit.as_str();
                let years = model.years.len();
                let year = bridge_year.get().unwrap_or(years.saturating_sub(1)).min(years.saturating_sub(1));
                let year_label = model.years.get(year).map(|y| y.year.label()).unwrap_or_default();
                let year_heads = model
                    .years
                    .iter()
                    .map(|y| view! { <th scope="col" class="num">{y.header.clone()}</th> })
                    .collect_view();
                let input_rows = model
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let on_role = move |ev: leptos::ev::Event| {
                            let key = event_target_value(&ev);
                            if let Some(role) = GapRole::ALL.into_iter().find(|r| role_key(*r) == key) {
                                state.edit_gap(|m| {
                                    if let Some(row) = m.rows.get_mut(i) {
                                        row.role = role;
                                    }
                                });
                            }
                        };
                        let on_stated = move |ev: leptos::ev::Event| {
                            let stated = if event_target_value(&ev) == "change" { Stated::ChangeOnPrevious } else { Stated::PerYear };
                            state.edit_gap(|m| {
                                if let Some(row) = m.rows.get_mut(i) {
                                    row.stated = stated;
                                }
                            });
                        };
                        let role = r.role;
                        let options = GapRole::ALL
                            .into_iter()
                            .map(|o| view! { <option value=role_key(o) selected=o == role>{o.label()}</option> })
                            .collect_view();
                        let cells = r
                            .amounts
                            .iter()
                            .map(|a| view! { <td class="num">{format_cell(a, d)}</td> })
                            .collect_view();
                        let role_id = format!("gap-role-{i}");
                        let stated_id = format!("gap-stated-{i}");
                        let stated_text = match r.stated {
                            Stated::PerYear => "per year",
                            Stated::ChangeOnPrevious => "change on previous year",
                        };
                        // The role as text; its two selects behind an edit control.
                        view! {
                            <tr class="gap-input" data-testid="gap-input-row">
                                <th scope="row">{r.label.clone()}</th>
                                <td class="gap-role">
                                    <span data-testid="gap-role-text">{role.label()}</span>
                                    <span class="gap-stated">{stated_text}</span>
                                    <details class="gap-role-edit">
                                        <summary data-testid="gap-role-edit">
                                            "Change"<span class="visually-hidden">{format!(" the role of {}", r.label)}</span>
                                        </summary>
                                        <label for=role_id.clone()>"Role"</label>
                                        <select id=role_id data-testid="gap-role" on:change=on_role>{options}</select>
                                        <label for=stated_id.clone()>"Stated"</label>
                                        <select id=stated_id on:change=on_stated>
                                            <option value="year" selected=r.stated == Stated::PerYear>"per year"</option>
                                            <option value="change" selected=r.stated == Stated::ChangeOnPrevious>"change on previous year"</option>
                                        </select>
                                    </details>
                                </td>
                                {cells}
                            </tr>
                        }
                    })
                    .collect_view();
                let fed = figures.years.iter().any(|y| y.fed_savings.is_some());
                let has_reported = figures.years.iter().any(|y| y.reported_gap.is_some());
                let mut derived = Vec::new();
                if fed {
                    derived.push(derived_row("Savings from the schedule".into(), "fed_savings", figures, model, d, |y| y.fed_savings.as_ref(), &[]));
                }
                derived.push(derived_row("Savings (all)".into(), "savings", figures, model, d, |y| Some(&y.savings), &[]));
                derived.push(derived_row("Budget requirement".into(), "requirement", figures, model, d, |y| Some(&y.requirement), &[GapResult::Requirement]));
                derived.push(derived_row("Funding".into(), "funding", figures, model, d, |y| Some(&y.funding), &[]));
                if has_reported {
                    derived.push(derived_row("Changes to the reported gap".into(), "changes", figures, model, d, |y| Some(&y.changes), &[]));
                }
                derived.push(derived_row("Gap before reserves".into(), "gap_before_reserves", figures, model, d, |y| Some(&y.gap_before_reserves), &[GapResult::GapBeforeReserves, GapResult::RevisedGap, GapResult::FundingSupport]));
                derived.push(derived_row("Planned use of reserves".into(), "reserves", figures, model, d, |y| Some(&y.reserves), &[]));
                // Each reserve the plan draws to close the gap, as the engine names them.
                let draws: Vec<(u32, String)> = figures.years.first().map(|y| y.plan_draws.iter().map(|p| (p.id, p.name.clone())).collect()).unwrap_or_default();
                for (k, (id, name)) in draws.into_iter().enumerate() {
                    derived.push(derived_row_of(format!("Drawn from {name} to close the gap"), "plan_draw", Some(id), figures, model, d, move |y| y.plan_draws.get(k).map(|p| &p.drawn), &[]));
                }
                derived.push(derived_row("Gap after reserves".into(), "gap_after_reserves", figures, model, d, |y| Some(&y.gap_after_reserves), &[GapResult::GapAfterReserves]));
                derived.push(derived_row("Cumulative gap".into(), "cumulative_gap", figures, model, d, |y| Some(&y.cumulative_gap), &[]));
                derived.push(derived_row("Annual gap (new savings needed that year)".into(), "annual_gap", figures, model, d, |y| Some(&y.annual_gap), &[GapResult::AnnualGap]));
                derived.push(derived_row("Annual gap after reserves".into(), "annual_gap_after_reserves", figures, model, d, |y| Some(&y.annual_gap_after_reserves), &[GapResult::AnnualGapAfterReserves]));
                derived.push(derived_row("Unidentified savings still to find".into(), "unidentified", figures, model, d, |y| Some(&y.unidentified), &[]));
                let results_note = model
                    .results
                    .iter()
                    .map(|r| format!("{} (row {}, {})", r.label, r.row, result_key(r.result).replace('_', " ")))
                    .collect::<Vec<_>>()
                    .join("; ");
                let steps = bridge(model, figures, year);
                let marks = year_marks(model, figures);
                let marks_note = marks_sentence(model, &marks);
                let year_marks: Vec<&str> = marks.get(year).cloned().unwrap_or_default();
                let year_options = model
                    .years
                    .iter()
                    .enumerate()
                    .map(|(i, y)| view! { <option value=i.to_string() selected=i == year>{y.year.label()}</option> })
                    .collect_view();
                let on_year = move |ev: leptos::ev::Event| {
                    bridge_year.set(event_target_value(&ev).parse().ok());
                };
                let feed_on = model.feed.is_some();
                let feed_profile = model.feed.as_ref().map(|f| f.profile);
                let on_feed = move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    state.edit_gap(|m| m.feed = on.then_some(SavingsFeed { profile: Profile::Cumulative }));
                };
                let on_feed_profile = move |ev: leptos::ev::Event| {
                    let profile = if event_target_value(&ev) == "incremental" { Profile::Incremental } else { Profile::Cumulative };
                    state.edit_gap(|m| {
                        if m.feed.is_some() {
                            m.feed = Some(SavingsFeed { profile });
                        }
                    });
                };
                let schedule_title = state.loaded.with(|l| l.as_ref().map(|l| l.schedule.title.clone()).unwrap_or_default());
                let by_arithmetic = g.map.is_some();
                // A result within the rounding its figures can hide agrees (docs/domain.md,
                // "Rounding, precisely"); only an error or an incomplete sum does not.
                let count = |s: CheckStatus| figures.checks.iter().filter(|c| c.status == s).count();
                let (rounding, ok) = (count(CheckStatus::Rounding), count(CheckStatus::Ok));
                let bad = figures.checks.len() - ok - rounding;
                let notes: Vec<String> = [
                    (rounding > 0).then(|| format!("{rounding} within rounding")),
                    (bad > 0).then(|| format!("{bad} {}", if bad == 1 { "does not" } else { "do not" })),
                ]
                .into_iter()
                .flatten()
                .collect();
                let check_summary = format!(
                    "{} of {} published results agree{}",
                    ok + rounding,
                    figures.checks.len(),
                    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }
                );
                view! {
                    <section class="gap-view" aria-labelledby="gap-heading" data-testid="gap-view">
                        <h2 id="gap-heading">{format!("Funding gap: {}", model.title)}</h2>
                        <p class="meta">
                            {format!("From {}, amounts in {unit}. ", g.file_name)}
                            <span data-testid="gap-checks">{check_summary}</span>
                            {by_arithmetic.then(|| " Judged by the table's arithmetic (see its map).")}
                        </p>
                        {(!not_derived.is_empty()).then(|| view! {
                            <ul class="note" data-testid="gap-not-derived">
                                {not_derived.iter().map(|n| view! {
                                    <li>{format!("Row {} \u{201c}{}\u{201d}: its label names a result, but no identity among the figures derives it, so it is read as a figure and not checked.", n.row, n.label)}</li>
                                }).collect_view()}
                            </ul>
                        })}
                        <div class="settings-grid">
                            <div class="field checkbox-field">
                                <span>
                                    <input type="checkbox" id="gap-feed" checked=feed_on on:change=on_feed data-testid="gap-feed" />
                                    <label for="gap-feed">{format!("Feed the savings of {schedule_title} into the gap")}</label>
                                </span>
                            </div>
                            <div class="field">
                                <label for="gap-feed-profile">"Savings counted as"</label>
                                <select id="gap-feed-profile" disabled=!feed_on on:change=on_feed_profile data-testid="gap-feed-profile">
                                    <option value="cumulative" selected=feed_profile != Some(Profile::Incremental)>"Full-year effect (cumulative)"</option>
                                    <option value="incremental" selected=feed_profile == Some(Profile::Incremental)>"Year on year (incremental)"</option>
                                </select>
                            </div>
                        </div>
                        <div class="table-frame">
                        <div class="table-scroll sticky-first" tabindex="0" role="region" aria-label="Funding gap table, scrolls sideways" use:scroll_hint on:scroll=super::scroll_hint::on_scroll>
                            <table data-testid="gap-table">
                                <caption><span>{format!("Funding gap by year, {unit}: the table's rows with their roles, then the figures Gapwise derives. The file's own result rows ({results_note}) are checked against them.")}</span></caption>
                                <thead>
                                    <tr>
                                        <th scope="col">"Row"</th>
                                        <th scope="col">"Role"</th>
                                        {year_heads}
                                    </tr>
                                </thead>
                                <tbody>{input_rows}</tbody>
                                <tbody class="derived-rows">{derived}</tbody>
                            </table>
                        </div>
                        </div>
                        <super::gap_change::GapChange />
                        <div class="field bridge-year">
                            <label for="bridge-year">"Bridge for the year"</label>
                            <select id="bridge-year" data-testid="bridge-year" on:change=on_year>{year_options}</select>
                        </div>
                        {bridge_chart(&steps, d, unit, &year_label, &year_marks)}
                        {trend_chart(figures, d, unit, &marks, marks_note)}
                        {gap_downloads(state)}
                    </section>
                }
                .into_any()
            })
        })
    };
    // The Reserves section sits outside the view drawn again on every change of the model, so
    // that its inputs keep their place (and the focus) while figures are typed.
    view! {
        {main}
        <Show when=has_gap>
            <ReservesSection />
        </Show>
    }
}

/// Per year, what the reserves plan marks on the charts (none without a plan).
fn year_marks(model: &GapModel, figures: &GapFigures) -> Vec<Vec<&'static str>> {
    figures
        .reserves
        .as_ref()
        .map(|r| super::reserves_tables::year_marks(model, r))
        .unwrap_or_default()
}

/// The gap's trend chart alone, for the embedded view (`embed.rs`); nothing when no gap table is
/// loaded.
#[component]
pub fn GapTrend() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.gap.with(|g| {
            let model = &g.as_ref()?.model;
            state.derived.gap_judged.with(|j| {
                let JudgedGap { figures, .. } = j.as_ref()?;
                let marks = year_marks(model, figures);
                let note = marks_sentence(model, &marks);
                Some(view! {
                    <section class="gap-view" aria-label="Funding gap" data-testid="gap-trend">
                        {trend_chart(figures, decimals(model), model.unit.label(), &marks, note)}
                    </section>
                })
            })
        })
    }
}
