//! The editing toolbar: undo and redo, adding, duplicating and deleting lines at the active
//! cell, whether the work is saved in this browser, and starting again.

use leptos::prelude::*;

use crate::engine::{duplicate_line, Amount, Edit, Line, Recurrence};

use super::saved::SaveStatus;
use super::state::AppState;

/// A new, empty line after line `after` (or at the end), in the same section.
fn new_line_edit(state: AppState, after: Option<usize>) -> Option<Edit> {
    state.loaded.with_untracked(|l| {
        let s = &l.as_ref()?.schedule;
        let at = after
            .map(|a| a + 1)
            .unwrap_or(s.lines.len())
            .min(s.lines.len());
        let section = after
            .and_then(|a| s.lines.get(a))
            .map(|l| l.section)
            .unwrap_or_else(|| s.sections.len().checked_sub(1));
        let mut text = vec![String::new(); s.text_columns.len()];
        if let Some(i) = s
            .column_of(crate::engine::TextField::Name)
            .or(if text.is_empty() { None } else { Some(0) })
        {
            text[i] = "New line".to_string();
        }
        let line = Line {
            row: s.next_row(),
            section,
            text,
            amounts: vec![Amount::Blank; s.years.len()],
            total: None,
            recurrence: Recurrence::Recurring,
            memo: false,
            rag: None,
        };
        Some(Edit::InsertLine { at, line })
    })
}

#[component]
pub fn EditToolbar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let can_undo = move || state.editing.undo_state.get().0;
    let can_redo = move || state.editing.undo_state.get().1;
    let active_line = move || state.grid.active.get().map(|(l, _)| l);
    let add = move |_| {
        if let Some(edit) = new_line_edit(state, active_line()) {
            state.perform(edit);
            let at = active_line().map(|l| l + 1).unwrap_or(0);
            state.grid.active.set(Some((at, 0)));
            super::grid::refocus(state.grid);
        }
    };
    let duplicate = move |_| {
        let Some(line) = active_line() else { return };
        let edit = state
            .loaded
            .with_untracked(|l| l.as_ref().and_then(|l| duplicate_line(&l.schedule, line)));
        if let Some(edit) = edit {
            state.perform(edit);
        }
    };
    let delete = move |_| {
        let Some(line) = active_line() else { return };
        state.perform(Edit::DeleteLine { at: line });
        let lines = state
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| l.schedule.lines.len()).unwrap_or(0));
        let year = state
            .grid
            .active
            .get_untracked()
            .map(|(_, y)| y)
            .unwrap_or(0);
        state
            .grid
            .active
            .set((lines > 0).then(|| (line.min(lines - 1), year)));
        super::grid::refocus(state.grid);
    };
    let saved = move || {
        match state.store.status.get() {
        SaveStatus::Saved => view! { <span class="saved" data-testid="save-status">"✓ Saved in this browser"</span> }.into_any(),
        SaveStatus::Pending | SaveStatus::Writing | SaveStatus::Saving => view! { <span class="saving" data-testid="save-status">"Saving…"</span> }.into_any(),
        SaveStatus::Published => view! { <span class="saving" data-testid="save-status">"A published schedule: nothing is saved in this browser"</span> }.into_any(),
        SaveStatus::Failed(e) => view! {
            <span class="not-saved" role="alert" data-testid="save-status">{format!("✗ Not saved in this browser ({e}); export a file to keep your work")}</span>
        }
        .into_any(),
    }
    };
    // A published schedule is read-only: no editing toolbar.
    let published = move || state.read_only();
    view! {
        <div class="toolbar" role="toolbar" aria-label="Edit the schedule" hidden=published>
            <button type="button" class="button small" data-testid="undo" disabled=move || !can_undo() on:click=move |_| state.undo() title="Ctrl+Z">"Undo"</button>
            <button type="button" class="button small" data-testid="redo" disabled=move || !can_redo() on:click=move |_| state.redo() title="Ctrl+Shift+Z or Ctrl+Y">"Redo"</button>
            <button type="button" class="button small" data-testid="add-line" on:click=add>"Add line"</button>
            <button type="button" class="button small" data-testid="duplicate-line" disabled=move || active_line().is_none() on:click=duplicate>"Duplicate line"</button>
            <button type="button" class="button small" data-testid="delete-line" disabled=move || active_line().is_none() on:click=delete>"Delete line"</button>
            {saved}
            <button type="button" class="button small secondary" data-testid="start-again" on:click=move |_| state.start_again()>"Start again"</button>
        </div>
        {move || state.editing.error.get().map(|e| view! {
            <div class="alert" role="alert" data-testid="edit-message"><p>{e}</p></div>
        })}
        <p class="hint" hidden=published>
            "Click a figure, or Tab to the table, then use the arrow keys; type or press Enter to edit, Enter or Tab to keep, Escape to cancel; Escape again leaves the table, so Tab moves on. Paste a range copied from a spreadsheet at the active cell."
        </p>
    }
}
