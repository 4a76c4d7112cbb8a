//! Loading a file: a file picker and a drop zone. Files are read here and handed to the engine
//! as bytes; a file over the size limit is refused before it is read.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::engine::{size_text, Error, ErrorKind, DEFAULT_MAX_BYTES};

use super::state::AppState;
use super::year_one::YearOneNotice;

/// Reads a browser file and loads it, unless it is over the import limit.
fn read_file(state: AppState, file: web_sys::File) {
    let name = file.name();
    let size = file.size();
    if size > DEFAULT_MAX_BYTES as f64 {
        let kind = ErrorKind::TooLarge {
            bytes: size as usize,
            limit: DEFAULT_MAX_BYTES,
        };
        state
            .error
            .set(Some(Error::new(kind).in_file(&name).to_string()));
        return;
    }
    state.status.set(Some(format!("Reading {name}…")));
    super::timings::start("chosen");
    let file = gloo_file::File::from(file);
    spawn_local(async move {
        match gloo_file::futures::read_as_bytes(&file).await {
            Ok(bytes) => {
                super::timings::mark("file_read");
                state.load(&name, &bytes)
            }
            Err(e) => {
                state.status.set(None);
                state
                    .error
                    .set(Some(format!("{name}: the file could not be read ({e})")));
            }
        }
    });
}

#[component]
pub fn Upload() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);

    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            read_file(state, file);
        }
        // Let the same file be picked again after it is fixed.
        input.set_value("");
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        match file {
            Some(file) => read_file(state, file),
            None => state.error.set(Some(
                "Nothing was dropped that could be read as a file.".into(),
            )),
        }
    };
    let on_dragover = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let on_dragleave = move |ev: leptos::ev::DragEvent| {
        // Only when leaving the zone itself, not moving between its children.
        let leaving_zone = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(
                ev.current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
            )
            .is_none_or(|(to, zone)| !zone.contains(Some(&to)));
        if leaving_zone {
            dragging.set(false);
        }
    };

    view! {
        <section class="upload" aria-labelledby="upload-heading">
            <h2 id="upload-heading" class="visually-hidden">"Load a schedule"</h2>
            <div
                class="drop-zone"
                class:dragging=move || dragging.get()
                hidden=move || state.published.with(Option::is_some)
                data-testid="drop-zone"
                on:drop=on_drop
                on:dragover=on_dragover
                on:dragleave=on_dragleave
            >
                <label for="file-input" class="button primary">"Choose a schedule…"</label>
                <input
                    id="file-input"
                    class="visually-hidden"
                    type="file"
                    accept=".csv,.tsv,.txt,.json,.xlsx,.xlsm,.xls,.ods,text/csv,application/json"
                    data-testid="file-input"
                    on:change=on_change
                />
                <p class="hint">
                    "or drop a file here: Excel (.xlsx, .xls), OpenDocument (.ods), CSV (any encoding; comma, semicolon or tab) or Gapwise JSON."
                </p>
                <button
                    type="button"
                    class="link-button"
                    data-testid="check-columns"
                    on:click=move |_| state.check_columns()
                >
                    "Check how the columns of the last file were read"
                </button>
            </div>
            {move || {
                state.import.workbook.with(|w| {
                    w.as_ref().filter(|w| w.sheets.len() > 1).map(|w| {
                        let options = w
                            .sheets
                            .iter()
                            .map(|name| {
                                view! { <option value=name.clone() selected=*name == w.sheet>{name.clone()}</option> }
                            })
                            .collect_view();
                        view! {
                            <div class="field sheet-picker">
                                <label for="sheet-select">{format!("Sheet of {} to read", w.file_name)}</label>
                                <select
                                    id="sheet-select"
                                    data-testid="sheet-select"
                                    on:change=move |ev| state.load_sheet(&event_target_value(&ev))
                                >
                                    {options}
                                </select>
                            </div>
                        }
                    })
                })
            }}
            <YearOneNotice />
            {move || {
                state
                    .import.run
                    .get()
                    .map(|run| {
                        // Bytes of the file read so far: a share of the bar, not money.
                        let percent = (run.done.min(run.total) * 100)
                            .checked_div(run.total)
                            .unwrap_or(0);
                        let said = if run.done == 0 {
                            format!("Reading {} ({})…", run.file_name, size_text(run.total as usize))
                        } else {
                            format!(
                                "Reading {}: {percent}% of {}…",
                                run.file_name,
                                size_text(run.total as usize),
                            )
                        };
                        view! {
                            <div class="import-progress" data-testid="import-progress">
                                <label for="import-bar">{said}</label>
                                <progress
                                    id="import-bar"
                                    max="100"
                                    value=percent.to_string()
                                    data-testid="import-bar"
                                ></progress>
                                <button
                                    type="button"
                                    class="button"
                                    data-testid="cancel-import"
                                    on:click=move |_| state.cancel_import()
                                >
                                    "Cancel"
                                </button>
                                <p class="small">
                                    "The page can be used meanwhile; the schedule on screen stays until the file is read."
                                </p>
                            </div>
                        }
                    })
            }}
            <div role="status" aria-live="polite" class="status">
                {move || state.status.get()}
            </div>
            {move || {
                state
                    .error
                    .get()
                    .map(|e| {
                        view! {
                            <div class="alert" role="alert" data-testid="message">
                                <p>
                                    <strong>"Not loaded. "</strong>
                                    {e}
                                </p>
                                <p class="small">"The schedule below is unchanged."</p>
                            </div>
                        }
                    })
            }}
            {move || {
                state
                    .loaded
                    .with(|l| {
                        l.as_ref()
                            .filter(|l| !l.problems.is_empty())
                            .map(|l| {
                                let more = (l.more_problems > 0)
                                    .then(|| format!("…and {} more.", l.more_problems));
                                view! {
                                    <div class="warning" data-testid="problems">
                                        <p>
                                            <strong>
                                                {format!(
                                                    "{} cell(s) could not be read and count as no figure:",
                                                    l.problems.len() + l.more_problems,
                                                )}
                                            </strong>
                                        </p>
                                        <ul>
                                            {l
                                                .problems
                                                .iter()
                                                .map(|p| view! { <li>{p.clone()}</li> })
                                                .collect_view()}
                                        </ul>
                                        {more.map(|m| view! { <p>{m}</p> })}
                                    </div>
                                }
                            })
                    })
            }}
        </section>
    }
}
