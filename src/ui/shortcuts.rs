//! What the page does with keys and events on the whole window: a table pasted anywhere, a
//! link pasted into the address bar, the editable table's keys, and undo/redo.

use leptos::prelude::*;

use super::state::AppState;

/// Listens on the window for the page's lifetime.
pub(super) fn install(state: AppState) {
    // Pasting a whole table anywhere on the page (not in a field, not at an active cell, which
    // the table handles) imports it as a schedule, as a file would be; the import can be undone.
    let _ = window_event_listener(leptos::ev::paste, move |ev| {
        let in_field = super::grid::in_text_field(ev.target());
        let published = untrack(|| state.read_only());
        if in_field || published || state.grid.active.get_untracked().is_some() {
            return;
        }
        let Some(text) = super::grid::clipboard_text(&ev) else {
            return;
        };
        if text.lines().count() < 2 {
            return;
        }
        ev.prevent_default();
        state.load("pasted table", text.as_bytes());
        if state.error.get_untracked().is_none() {
            state.status.set(Some(
                "The pasted table was loaded; Undo puts the previous schedule back.".into(),
            ));
        }
    });

    // A link pasted into the address bar of an open page changes only its fragment: open it as
    // a page would (the work is saved first).
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        if crate::engine::is_link_fragment(&hash) {
            state.save_now();
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });

    // The editable table's keys (see grid.rs).
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        super::grid::on_keydown(state, ev)
    });

    // Ctrl/Cmd+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, except inside a text field.
    let _ = window_event_listener(leptos::ev::keydown, move |ev| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let in_field = super::grid::in_text_field(ev.target());
        if in_field {
            return;
        }
        match ev.key().to_lowercase().as_str() {
            "z" if ev.shift_key() => {
                ev.prevent_default();
                state.redo();
            }
            "z" => {
                ev.prevent_default();
                state.undo();
            }
            "y" => {
                ev.prevent_default();
                state.redo();
            }
            _ => {}
        }
    });
}
