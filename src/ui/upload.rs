//! Loading a file: reading the file chosen in the file toolbar (`file_toolbar.rs`: its picker
//! and the drop zone) and what the page says about it. Files are read here and handed to the
//! engine as bytes; a file over the size limit is refused before it is read.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::{size_text, Error, ErrorKind, DEFAULT_MAX_BYTES};

use super::state::AppState;
use super::year_one::YearOneNotice;

/// Reads a browser file and loads it, unless it is over the import limit.
pub(super) fn read_file(state: AppState, file: web_sys::File) {
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

/// What follows the file toolbar's load button: the sheet picker of a workbook, the first
/// year's notice, the progress of an import, and what the last load said.
#[component]
pub fn Upload() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="upload">
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
                        // A sentence ends with its full stop, before the next one.
                        let e = if e.trim_end().ends_with(['.', '!', '?']) {
                            e
                        } else {
                            format!("{}.", e.trim_end())
                        };
                        view! {
                            <div class="alert" role="alert" data-testid="message">
                                <p>
                                    <strong>"Not loaded. "</strong>
                                    {e}
                                </p>
                                // A space between the two sentences in the alert's text (what a
                                // screen reader's summary or a copy of it reads).
                                " "
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
        </div>
    }
}
