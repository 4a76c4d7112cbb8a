//! Exports: the engine writes the bytes, the browser downloads them. Nothing is uploaded.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::engine::{calculate, to_csv, to_json};

use super::app::AppState;

/// A file name from a schedule title: letters, digits, `-` and `_` kept, the rest `-`.
fn file_stem(title: &str) -> String {
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
fn download(name: &str, mime: &str, content: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
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
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

#[component]
pub fn ExportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let export = move |json: bool| {
        let done = state.loaded.with(|l| {
            let l = l.as_ref()?;
            let stem = file_stem(&l.schedule.title);
            Some(if json {
                download(
                    &format!("{stem}.json"),
                    "application/json",
                    &to_json(&l.schedule),
                )
            } else {
                // Worked out afresh: the export's figures never depend on how the page kept
                // them up to date.
                let r = calculate(&l.schedule);
                let csv = to_csv(&l.schedule, &r.totals, &r.checks);
                download(
                    &format!("{stem}-recalculated.csv"),
                    "text/csv;charset=utf-8",
                    &csv,
                )
            })
        });
        if let Some(Err(e)) = done {
            state.error.set(Some(format!("The export failed: {e:?}")));
        }
    };
    view! {
        <section class="exports" aria-labelledby="export-heading">
            <h2 id="export-heading">"Export"</h2>
            <div class="button-row">
                <button type="button" class="button" data-testid="export-csv" on:click=move |_| export(false)>
                    "Download recalculated CSV"
                </button>
                <button type="button" class="button" data-testid="export-json" on:click=move |_| export(true)>
                    "Download Gapwise JSON"
                </button>
            </div>
            <p class="hint">
                "The CSV keeps your columns and adds the computed total and the check of each row; text that a spreadsheet could run as a formula is made safe."
            </p>
        </section>
    }
}
