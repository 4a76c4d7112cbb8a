//! The page: Leptos components that hold the model in signals and render the engine's results.
//!
//! Data flows one way: a file (or the demo) is imported by the engine into a [`state::Loaded`]
//! signal; the engine's `Live` results are derived from it (updated in place after small edits);
//! components render them. No
//! arithmetic on money happens here: every figure shown is computed and formatted by
//! `crate::engine`. User text is always inserted as text, never as HTML.
//!
//! The state is in `state.rs` (what is on screen) with one small struct per concern, each in its
//! own file with the actions that change it: `import.rs` (files, the worker, the mapping step),
//! `editing.rs` (edits and undo), `saved.rs` (the work saved in this browser), `risk.rs` (the
//! delivery risk simulation); `memos.rs` derives from it, `shortcuts.rs` listens on the window,
//! and `app.rs` lays out the page. The other files are the views and panels.

mod app;
mod checks_panel;
mod download;
mod editing;
mod embed;
mod file_toolbar;
mod gap_change;
mod gap_view;
mod grid;
mod idb;
mod import;
mod key_figures;
mod map_panel;
mod mapping_view;
mod memos;
mod monitoring_view;
mod net_view;
mod prices;
mod reconcile_view;
mod report_view;
mod reserves_tables;
mod reserves_view;
mod risk;
mod risk_view;
mod saved;
mod scenario_view;
mod schedule_table;
mod scroll_hint;
mod settings;
mod share;
mod shortcuts;
mod slices;
mod state;
mod timings;
mod toolbar;
mod totals_change;
mod upload;
mod workbook_export;
mod worker;
mod year_one;

/// Mounts the page on `<body>`, and registers the service worker that keeps the page for
/// offline use (`src/sw.js`; only where the page is served over http(s)).
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
    if let Some(window) = web_sys::window() {
        let served = window
            .location()
            .protocol()
            .is_ok_and(|p| p == "http:" || p == "https:");
        // A browser that refuses (private mode, no support, a frame on another site: no
        // `navigator.serviceWorker` at all) simply has no offline copy.
        let navigator = window.navigator();
        let supported = js_sys::Reflect::get(&navigator, &"serviceWorker".into())
            .is_ok_and(|w| !w.is_undefined() && !w.is_null());
        if served && supported {
            let _ = navigator.service_worker().register("sw.js");
        }
    }
}
