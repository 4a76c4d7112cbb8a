//! The file toolbar: every action on files in one row, above the results: load a schedule (the
//! file picker; the whole toolbar takes a dropped file), download it in each export format,
//! copy a link to it, print it. What each does is under "About these files", closed at first.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::download::ExportButtons;
use super::share::ShareLink;
use super::state::AppState;
use super::upload::read_file;

#[component]
pub fn FileToolbar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let dragging = RwSignal::new(false);
    let published = move || state.published.with(Option::is_some);

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
        // A published schedule is read-only: nothing is loaded over it.
        if published() {
            return;
        }
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
        dragging.set(!published());
    };
    let on_dragleave = move |ev: leptos::ev::DragEvent| {
        // Only when leaving the toolbar itself, not moving between its children.
        let leaving = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .zip(
                ev.current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok()),
            )
            .is_none_or(|(to, zone)| !zone.contains(Some(&to)));
        if leaving {
            dragging.set(false);
        }
    };
    let print = |_| super::download::print_page();
    let share_what = move || {
        if published() {
            "Copy link makes a link that names the published file and its checksum, with the scenario on screen."
        } else {
            "Copy link makes a link that carries the schedule, the funding gap and the scenario on screen, exactly; nothing is sent anywhere."
        }
    };

    view! {
        <div
            class="file-toolbar"
            class:dragging=move || dragging.get()
            role="toolbar"
            aria-label="Files: load, download, share, print"
            data-testid="file-toolbar"
            on:drop=on_drop
            on:dragover=on_dragover
            on:dragleave=on_dragleave
        >
            <div class="toolbar-group load" data-testid="drop-zone" hidden=published>
                <label for="file-input" class="button primary">"Choose a schedule…"</label>
                <input
                    id="file-input"
                    class="visually-hidden"
                    type="file"
                    accept=".csv,.tsv,.txt,.json,.xlsx,.xlsm,.xls,.ods,.zip,text/csv,application/json"
                    data-testid="file-input"
                    on:change=on_change
                />
                <span class="hint">"or drop a file here"</span>
                <button
                    type="button"
                    class="link-button small"
                    data-testid="check-columns"
                    on:click=move |_| state.check_columns()
                >
                    "Check the columns"
                </button>
            </div>
            <ExportButtons />
            <ShareLink />
            <div class="toolbar-group">
                <button type="button" class="button" data-testid="print" on:click=print>"Print"</button>
            </div>
            <details class="file-help">
                <summary>"About these files"</summary>
                <p class="hint">
                    "Load a schedule with Choose a schedule, or drop it on this bar: Excel (.xlsx, .xls), OpenDocument (.ods), CSV (any encoding; comma, semicolon or tab), Gapwise JSON or a Gapwise data package (.zip). "
                    "Check the columns shows how the columns of the last file were read, to correct them."
                </p>
                <p class="hint">
                    "Download: the recalculated CSV keeps your columns and adds the computed total and the check of each row. "
                    "The CSV with one row per line and year suits pivot tables and databases, and adds the amounts under the scenario you are looking at, if any. "
                    "The Excel workbook's totals and subtotals are live formulas. "
                    "The data package is a Frictionless Fiscal Data Package (a zip): the figures by line and year with a datapackage.json that describes them for open-data tools, and it loads here again as the same schedule. "
                    "The recalculated CSV, the workbook and the JSON also carry the arithmetic map of the file as published: what derives each row, and every figure confirmed, rounding or broken. "
                    "Text that a spreadsheet could run as a formula is made safe in every export."
                </p>
                <p class="hint">{share_what}</p>
                <p class="hint">"Print makes a report of the view on screen, without the controls."</p>
            </details>
        </div>
    }
}
