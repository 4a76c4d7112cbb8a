//! Exports: the engine writes the bytes, the browser downloads them. Nothing is uploaded.
//!
//! Also the report's print date: a line only printing shows (`.print-only`), kept up to date
//! when the browser is about to print.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::{
    calculate, checksum, to_csv_long, to_csv_with_map, to_data_package, to_json, to_json_with_map,
    PackageSource, WorkbookJob,
};

use super::state::AppState;

pub(super) const XLSX_MIME: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The exports the page offers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Export {
    /// The file's own columns with the computed totals and checks (`to_csv`).
    Csv,
    /// One row per line and year, with the active scenario's amounts (`to_csv_long`).
    CsvLong,
    /// The canonical `gapwise-schedule/1` document (`to_json`).
    Json,
    /// A workbook whose totals and subtotals are live formulas (`to_xlsx_with_map`, written by the worker).
    Xlsx,
    /// A Fiscal Data Package: `datapackage.json` and the CSV, zipped (`to_data_package`).
    Package,
}

/// A file name from a schedule title: letters, digits, `-` and `_` kept, the rest `-`.
pub(super) fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    if stem.trim_matches('-').is_empty() {
        "schedule".to_string()
    } else {
        stem
    }
}

/// Offers `content` to the user as a download called `name`.
pub(super) fn download(name: &str, mime: &str, content: &[u8]) -> Result<(), JsValue> {
    // The bytes are copied into JavaScript's memory: the Blob keeps no view into the module's.
    let bytes = js_sys::Uint8Array::from(content);
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    let body = document.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    // Released a moment later: some browsers read the object URL after `click` returns.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Today's date as a report states it, `14 March 2025`.
fn today() -> String {
    date_text(&[("day", "numeric"), ("month", "long"), ("year", "numeric")])
}

/// The date and time now, for the report's "Read on …": "7 December 2026 at 21:15".
pub(super) fn now_text() -> String {
    date_text(&[
        ("day", "numeric"),
        ("month", "long"),
        ("year", "numeric"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
    ])
}

/// Now, in British English, with the parts given (`Intl.DateTimeFormat` options).
fn date_text(parts: &[(&str, &str)]) -> String {
    let options = js_sys::Object::new();
    for (key, value) in parts {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    js_sys::Date::new_0()
        .to_locale_string("en-GB", &options)
        .into()
}

/// Opens the browser's Print dialogue: the print styles show the view on screen (or the Report
/// view, alone, on A4) with the date printed and no controls.
pub(super) fn print_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let export = move |kind: Export| {
        // The active scenario, for the long CSV's scenario column.
        let scenario = (kind == Export::CsvLong)
            .then(|| {
                let active = state.active_scenario.get_untracked()?;
                state.scenarios.with_untracked(|s| s.get(active).cloned())
            })
            .flatten();
        // The arithmetic map goes with the exports when it is the map of the schedule's file.
        let file_map = state.map.get_untracked();
        let mut workbook = None;
        let done: Option<Result<(), String>> = state.loaded.with_untracked(|l| {
            let l = l.as_ref()?;
            let schedule = &l.schedule;
            let map = file_map
                .as_ref()
                .filter(|m| m.file_name == l.file_name)
                .map(|m| &m.map);
            let stem = file_stem(&schedule.title);
            let js = |e: JsValue| format!("{e:?}");
            Some(match kind {
                Export::Json => download(
                    &format!("{stem}.json"),
                    "application/json",
                    match map {
                        Some(m) => to_json_with_map(schedule, m),
                        None => to_json(schedule),
                    }
                    .as_bytes(),
                )
                .map_err(js),
                Export::Csv => {
                    // Worked out afresh: the export's figures never depend on how the page
                    // kept them up to date.
                    let r = calculate(schedule);
                    let csv = to_csv_with_map(schedule, &r.totals, &r.checks, map);
                    download(
                        &format!("{stem}-recalculated.csv"),
                        "text/csv;charset=utf-8",
                        csv.as_bytes(),
                    )
                    .map_err(js)
                }
                Export::CsvLong => {
                    let csv = to_csv_long(schedule, scenario.as_ref());
                    download(
                        &format!("{stem}-long.csv"),
                        "text/csv;charset=utf-8",
                        csv.as_bytes(),
                    )
                    .map_err(js)
                }
                Export::Package => {
                    let sha256 = l.source.as_ref().map(|bytes| checksum(bytes));
                    let source = PackageSource {
                        file_name: &l.file_name,
                        sha256: sha256.as_deref(),
                    };
                    match to_data_package(schedule, &source) {
                        Ok(bytes) => download(
                            &format!("{stem}-datapackage.zip"),
                            "application/zip",
                            &bytes,
                        )
                        .map_err(js),
                        Err(e) => Err(e.to_string()),
                    }
                }
                Export::Xlsx => {
                    // Written by the worker (`workbook_export`): it downloads when it is ready.
                    workbook = Some((
                        format!("{stem}.xlsx"),
                        WorkbookJob::Schedule {
                            schedule: schedule.clone(),
                            map: map.cloned(),
                        },
                    ));
                    Ok(())
                }
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
        <div class="toolbar-group exports" role="group" aria-labelledby="export-heading">
            <span id="export-heading" class="group-label">"Download"</span>
            <button type="button" class="button" data-testid="export-csv" title="The recalculated CSV: your columns with the computed total and the check of each row" on:click=move |_| export(Export::Csv)>
                "CSV"
            </button>
            <button type="button" class="button" data-testid="export-csv-long" title="A CSV with one row per line and year, for pivot tables and databases" on:click=move |_| export(Export::CsvLong)>
                "CSV by line and year"
            </button>
            <button type="button" class="button" data-testid="export-xlsx" title="An Excel workbook whose totals and subtotals are live formulas" on:click=move |_| export(Export::Xlsx)>
                "Excel"
            </button>
            <button type="button" class="button" data-testid="export-json" title="Gapwise JSON: the schedule exactly, to load again" on:click=move |_| export(Export::Json)>
                "JSON"
            </button>
            <button type="button" class="button" data-testid="export-package" title="A Frictionless Fiscal Data Package (zip): the figures by line and year with a datapackage.json describing them; loads again here" on:click=move |_| export(Export::Package)>
                "Data package"
            </button>
        </div>
    }
}

/// The report's print date: a line only printing shows, kept up to date when the browser is
/// about to print.
#[component]
pub fn PrintDate() -> impl IntoView {
    // Set now, and again just before the browser prints.
    let printed = RwSignal::new(today());
    let listener = window_event_listener_untyped("beforeprint", move |_| printed.set(today()));
    on_cleanup(move || listener.remove());
    view! {
        <p class="print-only print-date" data-testid="print-date">"Printed " {move || printed.get()}</p>
    }
}
