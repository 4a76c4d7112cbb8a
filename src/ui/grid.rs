//! Editing the schedule table as in a spreadsheet: one active cell (a roving tab stop), arrows
//! to move, Enter or F2 or typing to edit, Enter/Tab to commit and move, Escape to cancel,
//! Delete to blank a cell, and pasting a tab-separated range from a spreadsheet at the active
//! cell. Every change goes through the engine's edit history, so it can be undone; an entry the
//! engine cannot read is refused with a message and the old value kept.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::engine::{parse_entry, parse_paste, Amount, Edit};

use super::state::AppState;

/// Which cell is active and whether it is being edited.
#[derive(Clone, Copy)]
pub struct Grid {
    /// (line index, year index) of the active cell.
    pub active: RwSignal<Option<(usize, usize)>>,
    /// The text the editor opened with, while a cell is being edited.
    pub editing: RwSignal<Option<String>>,
    /// The editor's text as typed so far. Not a signal: typing does not redraw the row; a row
    /// drawn again while its cell is edited (netting's notes arriving, say) opens its new
    /// editor with this text, so no keystroke is lost.
    pub draft: StoredValue<String>,
}

impl Grid {
    pub fn new() -> Grid {
        Grid {
            active: RwSignal::new(None),
            editing: RwSignal::new(None),
            draft: StoredValue::new(String::new()),
        }
    }
}

/// True when an event is aimed at a text field or select, where keys and pastes are its own.
pub fn in_text_field(target: Option<web_sys::EventTarget>) -> bool {
    target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The plain text of a paste.
pub fn clipboard_text(ev: &leptos::ev::ClipboardEvent) -> Option<String> {
    ev.clipboard_data()
        .and_then(|d| d.get_data("text/plain").ok())
}

fn cell_id(line: usize, year: usize) -> String {
    format!("cell-{line}-{year}")
}

/// Puts the keyboard focus back on the active cell (or its editor) after the table is drawn
/// again.
pub fn refocus(grid: Grid) {
    // The cell is looked up when the frame comes, not now: several moves in a row each ask for
    // a refocus, and all of them must land on the cell active then (focusing an earlier one
    // would make it active again, and the moves would chase each other).
    request_animation_frame(move || {
        let Some((line, year)) = grid.active.get_untracked() else {
            return;
        };
        let editing = grid.editing.get_untracked().is_some();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(cell) = doc.get_element_by_id(&cell_id(line, year)) else {
            return;
        };
        let target = if editing {
            cell.query_selector("input").ok().flatten().unwrap_or(cell)
        } else {
            cell
        };
        if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
            if editing {
                if let Ok(input) = el.dyn_into::<web_sys::HtmlInputElement>() {
                    let len = input.value().len() as u32;
                    let _ = input.set_selection_range(len, len);
                }
            }
        }
    });
}

/// What one amount cell shows, and whether it is the active one.
pub struct CellState {
    pub line: usize,
    pub year: usize,
    /// The amount as shown.
    pub text: String,
    pub no_figure: bool,
    pub active: bool,
    /// The editor's opening text, while the cell is edited.
    pub editing: Option<String>,
    /// True for the table's one tab stop: the active cell, or the first cell when none is.
    pub tab_stop: bool,
    pub editable: bool,
}

/// One editable amount cell.
pub fn amount_cell(state: AppState, cell: CellState) -> AnyView {
    let CellState {
        line,
        year,
        text,
        no_figure,
        active,
        editing,
        tab_stop,
        editable,
    } = cell;
    let class = if no_figure { "num no-figure" } else { "num" };
    if !editable {
        return view! { <td class=class data-year=year>{text}</td> }.into_any();
    }
    let grid = state.grid;
    let on_click = move |_| {
        if grid.active.get_untracked() != Some((line, year)) {
            grid.editing.set(None);
            grid.active.set(Some((line, year)));
            refocus(grid);
        }
    };
    let on_dblclick = move |_| start_editing(state, None);
    let on_focus = move |_| {
        if grid.active.get_untracked() != Some((line, year)) {
            grid.editing.set(None);
            grid.active.set(Some((line, year)));
            refocus(grid);
        }
    };
    if editing.is_some() {
        let initial = grid.draft.get_value();
        // A new editor (opened, or its row drawn again) takes the focus, caret at the end.
        refocus(grid);
        view! {
            <td class=format!("{class} cell editing") id=cell_id(line, year) data-year=year>
                <input
                    type="text"
                    class="cell-input"
                    inputmode="decimal"
                    aria-label="New amount"
                    data-testid="cell-input"
                    value=initial
                    on:input=move |ev| grid.draft.set_value(event_target_value(&ev))
                    on:blur=move |_| {
                        // Leaving the editor with the mouse commits it, as a spreadsheet does;
                        // an editor taken away because its row is drawn again is not a leaving
                        // (the new row has an editor of its own by the next frame).
                        if grid.editing.get_untracked().is_none() {
                            return;
                        }
                        request_animation_frame(move || {
                            let replaced = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.query_selector("input.cell-input").ok().flatten())
                                .is_some_and(|i| {
                                    i.dyn_into::<web_sys::HtmlElement>()
                                        .is_ok_and(|i| i.is_connected())
                                });
                            if grid.editing.get_untracked().is_some() && !replaced {
                                commit(state, &grid.draft.get_value(), None);
                            }
                        });
                    }
                />
            </td>
        }
        .into_any()
    } else {
        view! {
            <td
                class=format!("{class} cell")
                class:active=active
                id=cell_id(line, year)
                data-year=year
                data-testid="amount-cell"
                tabindex=if tab_stop { "0" } else { "-1" }
                on:focus=on_focus
                on:click=on_click
                on:dblclick=on_dblclick
            >
                {text}
            </td>
        }
        .into_any()
    }
}

/// Opens the editor on the active cell: with the cell's own text, or with `typed` replacing it.
fn start_editing(state: AppState, typed: Option<String>) {
    let grid = state.grid;
    let Some((line, year)) = grid.active.get_untracked() else {
        return;
    };
    let text = typed.unwrap_or_else(|| {
        state.loaded.with_untracked(|l| {
            l.as_ref()
                .and_then(|l| {
                    l.schedule
                        .lines
                        .get(line)
                        .and_then(|ln| ln.amounts.get(year))
                        .map(Amount::canonical)
                })
                .unwrap_or_default()
        })
    });
    grid.draft.set_value(text.clone());
    grid.editing.set(Some(text));
    refocus(grid);
}

/// Commits the editor's text to the active cell, then moves by `step` (lines, years).
fn commit(state: AppState, text: &str, step: Option<(i64, i64)>) {
    let grid = state.grid;
    let Some((line, year)) = grid.active.get_untracked() else {
        return;
    };
    let unit = state
        .loaded
        .with_untracked(|l| l.as_ref().map(|l| l.schedule.unit));
    let Some(unit) = unit else { return };
    match parse_entry(text, unit) {
        Ok(value) => {
            grid.editing.set(None);
            let unchanged = state.loaded.with_untracked(|l| {
                l.as_ref()
                    .and_then(|l| l.schedule.lines.get(line))
                    .and_then(|ln| ln.amounts.get(year))
                    == Some(&value)
            });
            if !unchanged {
                state.perform(Edit::SetAmount { line, year, value });
            }
            state.editing.error.set(None);
            if let Some(step) = step {
                move_active(state, step);
            }
            refocus(grid);
        }
        Err(e) => {
            state.editing.error.set(Some(format!(
                "`{}` {e}; the cell keeps its value. Amounts are written as 1,435.0, (200.0), -£92,753, £1.374m, - or N/A.",
                text.chars().take(40).collect::<String>()
            )));
            refocus(grid);
        }
    }
}

fn move_active(state: AppState, (dl, dy): (i64, i64)) {
    let grid = state.grid;
    let Some((line, year)) = grid.active.get_untracked() else {
        return;
    };
    let (lines, years) = state.loaded.with_untracked(|l| {
        l.as_ref()
            .map(|l| (l.schedule.lines.len(), l.schedule.years.len()))
            .unwrap_or((0, 0))
    });
    if lines == 0 || years == 0 {
        return;
    }
    let line = (line as i64 + dl).clamp(0, lines as i64 - 1) as usize;
    let year = (year as i64 + dy).clamp(0, years as i64 - 1) as usize;
    grid.active.set(Some((line, year)));
    refocus(grid);
}

/// The grid's keyboard handler, listening on the window so that no keystroke is lost while the
/// table is drawn again: it acts on keys aimed at the table, its editor, or the page itself
/// (focus falls back to the page for a moment when a cell is redrawn), never on other controls.
pub fn on_keydown(state: AppState, ev: leptos::ev::KeyboardEvent) {
    let grid = state.grid;
    if grid.active.get_untracked().is_none()
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.alt_key()
        || untrack(|| state.read_only())
    {
        return;
    }
    let target = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    let editor = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|i| i.class_name().contains("cell-input"));
    let on_grid = target.as_ref().is_some_and(|t| {
        t.tag_name() == "BODY"
            || t.closest("[data-testid=schedule-table]")
                .ok()
                .flatten()
                .is_some()
    });
    if editor.is_none() && !on_grid {
        return;
    }
    if editor.is_none()
        && on_grid
        && target
            .as_ref()
            .is_some_and(|t| matches!(t.tag_name().as_str(), "SELECT" | "INPUT" | "BUTTON"))
    {
        return;
    }
    let key = ev.key();
    if grid.editing.get_untracked().is_some() {
        // Keys typed before the editor has the focus are added to its text.
        let text = match &editor {
            Some(input) => input.value(),
            None => grid.draft.get_value(),
        };
        match key.as_str() {
            "Enter" => {
                ev.prevent_default();
                commit(state, &text, Some((if ev.shift_key() { -1 } else { 1 }, 0)));
            }
            "Tab" => {
                ev.prevent_default();
                commit(state, &text, Some((0, if ev.shift_key() { -1 } else { 1 })));
            }
            "Escape" => {
                ev.prevent_default();
                grid.editing.set(None);
                state.editing.error.set(None);
                refocus(grid);
            }
            k if editor.is_none() && k.chars().count() == 1 => {
                ev.prevent_default();
                grid.draft.update_value(|t| t.push_str(k));
                grid.editing.update(|t| {
                    if let Some(t) = t {
                        t.push_str(k);
                    }
                });
                refocus(grid);
            }
            _ => {}
        }
        return;
    }
    let step = match key.as_str() {
        "ArrowUp" => Some((-1, 0)),
        "ArrowDown" => Some((1, 0)),
        "ArrowLeft" => Some((0, -1)),
        "ArrowRight" => Some((0, 1)),
        "Tab" if ev.shift_key() => Some((0, -1)),
        "Tab" => Some((0, 1)),
        _ => None,
    };
    if let Some(step) = step {
        ev.prevent_default();
        move_active(state, step);
        return;
    }
    match key.as_str() {
        "Enter" | "F2" => {
            ev.prevent_default();
            start_editing(state, None);
        }
        "Delete" | "Backspace" => {
            ev.prevent_default();
            if let Some((line, year)) = grid.active.get_untracked() {
                state.perform(Edit::SetAmount {
                    line,
                    year,
                    value: Amount::Blank,
                });
                refocus(grid);
            }
        }
        "Escape" => {
            grid.active.set(None);
        }
        k if k.chars().count() == 1 => {
            ev.prevent_default();
            start_editing(state, Some(k.to_string()));
        }
        _ => {}
    }
}

/// Pasting a tab-separated range at the active cell fills the cells; a range that does not
/// fit or holds a non-amount is refused whole, with a message.
pub fn on_paste(state: AppState, ev: leptos::ev::ClipboardEvent) {
    let grid = state.grid;
    if grid.editing.get_untracked().is_some() {
        return;
    }
    let Some((line, year)) = grid.active.get_untracked() else {
        return;
    };
    let Some(text) = clipboard_text(&ev) else {
        return;
    };
    ev.prevent_default();
    ev.stop_propagation();
    let edit = state.loaded.with_untracked(|l| {
        l.as_ref()
            .map(|l| parse_paste(&text, &l.schedule, line, year))
    });
    match edit {
        Some(Ok(edit)) => {
            state.perform(edit);
            state.editing.error.set(None);
        }
        Some(Err(e)) => state
            .editing
            .error
            .set(Some(format!("The paste was not applied: {e}"))),
        None => {}
    }
    refocus(grid);
}
