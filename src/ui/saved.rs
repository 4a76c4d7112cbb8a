//! The work saved in this browser: saved a moment after every change (and at once when the
//! page is left or hidden), restored at start, or the demo when there is none; a link's state
//! opened over it; starting again from the demo.
//!
//! A state of up to [`LOCAL_MAX`] bytes is kept in localStorage, as it always was; a bigger one
//! (a 100,000-line schedule) in IndexedDB (`idb.rs`), in chunks, with a marker in localStorage
//! saying so. Either way a save that fails says so and leaves the previous save as it was: the
//! localStorage entry is replaced only by a complete state or, once IndexedDB has committed the
//! whole of a big one, by the marker.

use std::ops::ControlFlow;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;

use crate::engine::{
    load_split, load_state, GapModel, History, LinkState, Prices, SaveRun, SavedForm, SavedState,
    Scenario, Schedule, SAVED_VERSION,
};

use super::editing::SETTLE_MS;
use super::import::{DEMO_GAP, DEMO_GAP_NAME};
use super::slices::in_slices;
use super::state::{AppState, GapLoaded, Loaded, View};

/// Where the working state is kept in the browser.
pub const STORAGE_KEY: &str = "gapwise-state";
/// Where a saved state that could not be read is moved, so it is never overwritten.
const UNREADABLE_KEY: &str = "gapwise-state-unreadable";
/// A saved state bigger than this (bytes of JSON) goes to IndexedDB: localStorage holds about
/// five million characters per site, shared with the remembered mappings.
const LOCAL_MAX: usize = 2_000_000;
/// Lines of the schedule written in one step of a save in slices: writing a 100,000-line
/// schedule's text takes some 400 ms in one go (`make bench`), a task the user feels.
const SAVE_LINES: usize = 256;
/// A schedule of more lines than this is saved in two parts (`SaveRun::split`), straight to
/// IndexedDB: its JSON would pass [`LOCAL_MAX`] (a line's JSON is some 150 to 200 bytes), and
/// at 1,000,000 lines it is 196 MB, over what a saved text may be ([`crate::engine::MAX_SAVED_BYTES`]).
const SPLIT_LINES: usize = 5_000;
/// What localStorage holds when the saved state is in IndexedDB.
pub const IN_INDEXED_DB: &str = r#"{"saved_in":"indexeddb"}"#;

/// This browser's local storage for the page, or `None` when it refuses it (storage turned off,
/// or a frame on another site where the browser keeps none): the page then works without it.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Marks a moment of saving on the page's performance timeline (`gapwise-save-start` when a save
/// starts, `gapwise-saved` when it is kept), which `make bench` reads to time a save.
fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// What [`AppState::restore`] found.
enum Restore {
    Done,
    Nothing,
    /// The state is in IndexedDB: restored asynchronously.
    Later,
}

/// Whether the working state is saved in the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// Changed, to be saved in a moment.
    Pending,
    /// Its text being written, a slice at a time.
    Writing,
    /// Being written to IndexedDB.
    Saving,
    /// A published schedule: nothing is saved in the browser.
    Published,
    Failed(String),
}

/// The saving of the work in this browser, and what was set aside at start.
#[derive(Clone, Copy)]
pub struct SavedStore {
    pub status: RwSignal<SaveStatus>,
    save_timer: StoredValue<Option<TimeoutHandle>>,
    /// Counts the saves started: a save written in slices goes on only while it is the last.
    save_generation: StoredValue<u64>,
    /// A full link read at start, opened once the saved work is restored.
    pub pending_link: StoredValue<Option<LinkState>>,
    /// True when opening a link kept the work saved in this browser aside.
    pub kept_aside: RwSignal<bool>,
}

impl SavedStore {
    pub fn new() -> SavedStore {
        SavedStore {
            status: RwSignal::new(SaveStatus::Saved),
            save_timer: StoredValue::new(None),
            save_generation: StoredValue::new(0),
            pending_link: StoredValue::new(None),
            kept_aside: RwSignal::new(false),
        }
    }

    /// Starts a save: a save being written in slices ends here. Gives the save's number.
    fn next_save(&self) -> u64 {
        self.save_generation
            .update_value(|g| *g = g.wrapping_add(1));
        self.save_generation.get_value()
    }

    /// Stops the save waiting to happen, if any.
    fn clear_timer(&self) {
        if let Some(handle) = self.save_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}

/// Saves after every change (the schedule, the gap model, the scenarios, the prices), a moment
/// after the last one; and at once when the page is left or hidden, so a reload keeps the last
/// edit.
pub(super) fn autosave(state: AppState) {
    Effect::new(move |first: Option<()>| {
        state.loaded.track();
        state.gap.track();
        state.scenarios.track();
        state.active_scenario.track();
        state.prices.track();
        if first.is_none() {
            // The state as restored or loaded at start: save it as it is.
            state.store.status.set(SaveStatus::Pending);
            state.save_now();
            return;
        }
        state.store.status.set(SaveStatus::Pending);
        state.store.clear_timer();
        // A save being written ends: the one after this change replaces it.
        state.store.next_save();
        let handle = set_timeout_with_handle(
            move || state.save_in_slices(),
            std::time::Duration::from_millis(SETTLE_MS),
        )
        .ok();
        state.store.save_timer.set_value(handle);
    });
    let _ = window_event_listener(leptos::ev::pagehide, move |_| state.save_now());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| state.save_now());
}

impl AppState {
    /// The working state as it is saved in the browser, but for the schedule (which a
    /// [`SaveRun`] is given as it goes, rather than a copy).
    fn saved_state_untracked(&self) -> SavedState {
        let schedule_file = self
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| l.file_name.clone()));
        let (gap, gap_file) = self.gap.with_untracked(|g| match g {
            Some(g) => (Some(g.model.clone()), Some(g.file_name.clone())),
            None => (None, None),
        });
        let scenarios = self
            .scenarios
            .with_untracked(|s| serde_json::to_value(s).unwrap_or_default());
        // Cash or real terms: the price index and year chosen (`prices`), if any.
        let settings = serde_json::json!({
            "active_scenario": self.active_scenario.get_untracked(),
            "prices": self.prices.get_untracked(),
        });
        SavedState {
            version: SAVED_VERSION,
            schedule: None,
            schedule_file,
            gap,
            gap_file,
            scenarios,
            settings,
        }
    }

    /// Restores the saved working state, if there is one. A state that cannot be read is
    /// moved aside (never overwritten) and the reason shown; the demo is used instead.
    fn restore(&self) -> Restore {
        if self.embed {
            // A frame on another site shows what its address names, never this browser's work.
            return Restore::Nothing;
        }
        let Some(storage) = local_storage() else {
            return Restore::Nothing;
        };
        let Ok(Some(text)) = storage.get_item(STORAGE_KEY) else {
            return Restore::Nothing;
        };
        if text == IN_INDEXED_DB {
            return Restore::Later;
        }
        match load_state(&text) {
            Ok(saved) if saved.schedule.is_none() => Restore::Nothing,
            Ok(saved) => {
                self.apply_saved(saved);
                Restore::Done
            }
            Err(e) => {
                let _ = storage.set_item(UNREADABLE_KEY, &text);
                let _ = storage.remove_item(STORAGE_KEY);
                self.error.set(Some(format!(
                    "Your saved work could not be restored: {e}. It was kept aside in this browser ({UNREADABLE_KEY}); the demo is shown instead."
                )));
                Restore::Nothing
            }
        }
    }

    /// Puts a saved state on screen.
    fn apply_saved(&self, saved: SavedState) {
        if let Some(schedule) = saved.schedule {
            let file_name = saved.schedule_file.unwrap_or_else(|| "saved work".into());
            self.map.set(None);
            self.loaded.set(Some(Loaded::exact(
                file_name,
                schedule,
                "saved in this browser",
            )));
            self.derive_replaced();
        }
        self.gap.set(saved.gap.map(|model| GapLoaded {
            map: None,
            file_name: saved.gap_file.unwrap_or_else(|| "saved work".into()),
            model,
        }));
        let scenarios: Vec<Scenario> = serde_json::from_value(saved.scenarios).unwrap_or_default();
        self.scenarios.set(scenarios);
        let active = saved
            .settings
            .get("active_scenario")
            .and_then(|v| v.as_u64())
            .map(|v| v as usize);
        self.active_scenario
            .set(active.filter(|a| *a < self.scenarios.with_untracked(Vec::len)));
        // The prices chosen, if they can be used: anything in the browser could have written
        // them, and a schedule whose years they lack stays in cash (`prices::restore`).
        let prices = saved
            .settings
            .get("prices")
            .and_then(|p| serde_json::from_value::<Prices>(p.clone()).ok())
            .filter(Prices::is_sound);
        super::prices::restore(*self, prices);
        self.status
            .set(Some("Your work was restored from this browser.".into()));
    }

    /// Restores a state saved in IndexedDB, then opens a pending link over it; the demo when
    /// it cannot be read (the reason shown; the saved records stay where they are).
    fn restore_later(&self) {
        let state = *self;
        state
            .status
            .set(Some("Restoring your saved work from this browser…".into()));
        leptos::task::spawn_local(async move {
            use super::idb::Stored;
            let text = |bytes: Vec<u8>| {
                String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
            };
            let saved = match super::idb::load().await {
                Ok(Some(Stored::Text(bytes))) => {
                    text(bytes).and_then(|text| load_state(&text).map_err(|e| e.to_string()))
                }
                Ok(Some(Stored::Split { head, lines })) => {
                    text(head).and_then(|head| load_split(&head, &lines).map_err(|e| e.to_string()))
                }
                Ok(None) => Err("it is no longer in this browser's storage".to_string()),
                Err(e) => Err(e),
            };
            match saved {
                Ok(saved) if saved.schedule.is_some() => state.apply_saved(saved),
                other => {
                    if let Err(e) = other {
                        state.error.set(Some(format!(
                            "Your saved work could not be restored: {e}. The demo is shown instead."
                        )));
                    }
                    state.load_demo();
                    state.load(DEMO_GAP_NAME, DEMO_GAP);
                    state.status.set(None);
                }
            }
            state.view.set(View::Schedule);
            super::share::after_restore(state);
        });
    }

    /// Restores the work saved in this browser, or opens the demo when there is none. False
    /// when the saved work is being read from IndexedDB: a pending link is then opened once it
    /// is restored, not by the caller.
    pub fn restore_or_demo(&self) -> bool {
        // A message from before (a link or address that could not be opened) stays on screen.
        let message = self.error.get_untracked();
        let now = match self.restore() {
            Restore::Done => true,
            Restore::Nothing => {
                self.load_demo();
                self.load(DEMO_GAP_NAME, DEMO_GAP);
                self.status.set(None);
                true
            }
            Restore::Later => {
                self.restore_later();
                false
            }
        };
        if message.is_some() && self.error.with_untracked(Option::is_none) {
            self.error.set(message);
        }
        self.view.set(View::Schedule);
        now
    }

    /// Opens a schedule and gap model from a shared link, as an import: the edits before it are
    /// forgotten (the saved work was kept aside by the caller).
    pub fn open_shared(&self, schedule: Schedule, gap: Option<GapModel>) {
        self.map.set(None);
        self.loaded.set(Some(Loaded::exact(
            "a shared link".into(),
            schedule,
            "exact, from the link",
        )));
        self.editing.history.update_value(History::clear);
        self.derive_replaced();
        self.editing.refresh_undo();
        self.gap.set(gap.map(|model| GapLoaded {
            map: None,
            file_name: "a shared link".into(),
            model,
        }));
    }

    /// Starts again from the demo, after asking.
    pub fn start_again(&self) {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message("Start again? Your schedule, gap model, scenarios and edits in this browser will be replaced by the demo.").ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        self.loaded.set(None);
        self.derive(None);
        self.gap.set(None);
        self.scenarios.set(Vec::new());
        self.active_scenario.set(None);
        self.editing.forget();
        self.load_demo();
        self.load(DEMO_GAP_NAME, DEMO_GAP);
        self.view.set(View::Schedule);
        self.status.set(Some("Started again from the demo.".into()));
        self.editing.refresh_undo();
    }

    /// Whether a save may start now: not for a published schedule (the visitor's own saved
    /// work stays as it was) or before anything is on screen (a published file being fetched:
    /// whatever this browser has saved stays as it is); only if a change waits to be saved, or
    /// (`finishing`) a save being written in slices is to be finished at once.
    fn may_save(&self, finishing: bool) -> bool {
        let store = self.store;
        store.clear_timer();
        if self.embed || self.published.with_untracked(Option::is_some) {
            store.status.set(SaveStatus::Published);
            return false;
        }
        if self.loaded.with_untracked(Option::is_none) {
            return false;
        }
        match store.status.get_untracked() {
            SaveStatus::Pending => true,
            SaveStatus::Writing => finishing,
            _ => false,
        }
    }

    /// Saves the working state in the browser now, if a change is waiting to be saved (or is
    /// being written in slices): when the page is left or hidden, and at start.
    pub fn save_now(&self) {
        if !self.may_save(true) {
            return;
        }
        let (mut run, generation) = self.start_save();
        let text = self
            .loaded
            .with_untracked(|l| run.advance(l.as_ref().map(|l| &l.schedule), usize::MAX));
        if let Ok(Some(form)) = text {
            self.keep_saved(form, generation);
        }
    }

    /// A new save of the working state as it is now, and its generation (a later change or
    /// save ends it).
    fn start_save(&self) -> (SaveRun, u64) {
        let generation = self.store.next_save();
        mark("gapwise-save-start");
        let head = self.saved_state_untracked();
        let run = self.loaded.with_untracked(|l| {
            let schedule = l.as_ref().map(|l| &l.schedule);
            if schedule.is_some_and(|s| s.lines.len() > SPLIT_LINES) {
                SaveRun::split(&head, schedule)
            } else {
                SaveRun::new(&head, schedule)
            }
        });
        (run, generation)
    }

    /// Saves the working state a slice of [`super::slices::SLICE_MS`] at a time, if a change is waiting
    /// to be saved; a change meanwhile ends it (and saves again a moment later).
    fn save_in_slices(&self) {
        if !self.may_save(false) {
            return;
        }
        let (run, generation) = self.start_save();
        self.store.status.set(SaveStatus::Writing);
        self.continue_save(run, generation);
    }

    fn continue_save(self, mut run: SaveRun, generation: u64) {
        in_slices(move || {
            if self.store.save_generation.get_value() != generation {
                return ControlFlow::Break(());
            }
            let step = self
                .loaded
                .with_untracked(|l| run.advance(l.as_ref().map(|l| &l.schedule), SAVE_LINES));
            match step {
                // The schedule changed under the run: the change's own save follows.
                Err(_) => ControlFlow::Break(()),
                Ok(Some(form)) => {
                    self.keep_saved(form, generation);
                    ControlFlow::Break(())
                }
                Ok(None) => ControlFlow::Continue(()),
            }
        });
    }

    /// Keeps a saved state: its text in localStorage when small, else in IndexedDB (a big
    /// schedule's in two parts) with a marker in localStorage; a save refused says so and
    /// leaves the previous one.
    fn keep_saved(&self, form: SavedForm, generation: u64) {
        let store = self.store;
        if store.save_generation.get_value() != generation {
            return;
        }
        let local = local_storage();
        let (head, bytes) = match form {
            SavedForm::Text(text) => {
                let small = text.len() <= LOCAL_MAX;
                if small && local.is_some_and(|l| l.set_item(STORAGE_KEY, &text).is_ok()) {
                    store.status.set(SaveStatus::Saved);
                    mark("gapwise-saved");
                    return;
                }
                (None, text.into_bytes())
            }
            SavedForm::Split { head, lines } => (Some(head), lines),
        };
        // Too big for localStorage (or refused by it): IndexedDB, then the marker.
        store.status.set(SaveStatus::Saving);
        leptos::task::spawn_local(async move {
            let status = match super::idb::save(head.as_ref().map(String::as_bytes), &bytes).await {
                Ok(()) => {
                    let marked = local_storage()
                        .ok_or_else(|| "this browser gives the page no local storage".to_string())
                        .and_then(|l| {
                            l.set_item(STORAGE_KEY, IN_INDEXED_DB)
                                .map_err(|e| format!("{e:?}"))
                        });
                    match marked {
                        Ok(()) => {
                            mark("gapwise-saved");
                            SaveStatus::Saved
                        }
                        Err(e) => SaveStatus::Failed(e),
                    }
                }
                Err(e) => SaveStatus::Failed(format!("{e}; the last save in this browser is kept")),
            };
            // A change made meanwhile is saved again in a moment: its status stays.
            if store.status.get_untracked() == SaveStatus::Saving {
                store.status.set(status);
            }
        });
    }
}
