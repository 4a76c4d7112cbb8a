//! Editing the schedule on screen: every edit goes through the engine's [`History`] (so it can
//! be undone), and what is derived from the schedule is worked out again after it (the live
//! results in place after an edit of a few lines, netting a moment later).

use std::ops::ControlFlow;

use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;

use crate::engine::{Edit, GapModel, History, Line, Live, NettingRun, Schedule};

use super::slices::in_slices;
use super::state::AppState;

/// How many edits can be undone.
pub(super) const UNDO_LIMIT: usize = 500;
/// How long after the last change the work is saved, and netting worked out again after an
/// edit of a few lines, in milliseconds: typing a run of figures saves once, and the totals
/// and gap on screen follow each figure at once (netting and saving a large schedule take
/// longer than a keystroke).
pub(super) const SETTLE_MS: u64 = 300;
/// Steps of a netting run ([`NettingRun::advance`]) between looks at the clock.
const NETTING_STEPS: usize = 256;

/// The undo history and the last edit refused.
#[derive(Clone, Copy)]
pub struct EditState {
    /// Every edit and import, undoable.
    pub history: StoredValue<History>,
    /// (can undo, can redo), refreshed after every change.
    pub undo_state: RwSignal<(bool, bool)>,
    /// The last refused edit (a cell entry, a paste, a scenario figure), shown by the table.
    pub error: RwSignal<Option<String>>,
    netting_timer: StoredValue<Option<TimeoutHandle>>,
    /// Counts the changes of the schedule: a netting run in slices goes on only while the
    /// schedule it nets is the one loaded.
    netting_generation: StoredValue<u64>,
}

impl EditState {
    pub fn new() -> EditState {
        EditState {
            history: StoredValue::new(History::new(UNDO_LIMIT)),
            undo_state: RwSignal::new((false, false)),
            error: RwSignal::new(None),
            netting_timer: StoredValue::new(None),
            netting_generation: StoredValue::new(0),
        }
    }

    /// Shows whether there is an edit to undo or redo.
    pub(super) fn refresh_undo(&self) {
        let state = self.history.with_value(|h| (h.can_undo(), h.can_redo()));
        self.undo_state.set(state);
    }

    /// Forgets every edit (a link opened, the page started again).
    pub(super) fn forget(&self) {
        self.history.set_value(History::new(UNDO_LIMIT));
        self.refresh_undo();
    }
}

impl AppState {
    /// Performs an edit on the schedule through the history; a refused edit is a message.
    pub fn perform(&self, edit: Edit) {
        let before = self.lines_before(edit.lines_in_place());
        let mut result = Ok(());
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                self.editing
                    .history
                    .update_value(|h| result = h.perform(&mut l.schedule, edit));
            }
        });
        match result {
            Err(e) => self.editing.error.set(Some(e.to_string())),
            Ok(()) => {
                self.editing.error.set(None);
                self.derive(before);
            }
        }
        self.editing.refresh_undo();
    }

    pub fn undo(&self) {
        self.step_history(true);
    }

    pub fn redo(&self) {
        self.step_history(false);
    }

    /// Undoes (or redoes) the latest edit through the history, then derives the results again:
    /// in place when the edit it applies changes a few lines in place.
    fn step_history(&self, undo: bool) {
        let history = self.editing.history;
        let lines = history.with_value(|h| {
            let next = if undo { h.next_undo() } else { h.next_redo() };
            next.map(Edit::lines_in_place)
        });
        let before = self.lines_before(lines.flatten());
        let mut done = false;
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                history.update_value(|h| {
                    done = if undo {
                        h.undo(&mut l.schedule)
                    } else {
                        h.redo(&mut l.schedule)
                    }
                });
            }
        });
        if done {
            self.derive(before);
            self.clamp_active();
        } else {
            self.derive(None);
        }
        self.editing.refresh_undo();
    }

    /// Changes the schedule on screen (a setting); every result is derived again.
    pub fn edit(&self, change: impl FnOnce(&mut Schedule)) {
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                change(&mut l.schedule);
            }
        });
        self.derive(None);
    }

    /// Changes the gap model (a row's role, how it is stated, the savings feed).
    pub fn edit_gap(&self, change: impl FnOnce(&mut GapModel)) {
        self.gap.update(|g| {
            if let Some(g) = g.as_mut() {
                change(&mut g.model);
            }
        });
    }

    /// The lines an edit will change in place, as they are now.
    fn lines_before(&self, lines: Option<Vec<usize>>) -> Option<Vec<(usize, Line)>> {
        let lines = lines?;
        self.loaded.with_untracked(|l| {
            let s = &l.as_ref()?.schedule;
            lines
                .into_iter()
                .map(|i| s.lines.get(i).map(|line| (i, line.clone())))
                .collect()
        })
    }

    /// Works out what is derived from the schedule after it changed: the live results in place
    /// for the lines in `before` (as they were), from scratch otherwise; netting at once after
    /// any other change, a moment after the last edit of a few lines.
    pub(super) fn derive(&self, before: Option<Vec<(usize, Line)>>) {
        let in_place = before.is_some();
        self.derive_with(before, in_place);
    }

    /// After a whole new schedule (an import, a restore, a link): the results at once, netting
    /// (which can take a while on a large file) a moment after the totals are on screen.
    pub(super) fn derive_replaced(&self) {
        self.netting.set(None);
        self.derive_with(None, true);
    }

    fn derive_with(&self, before: Option<Vec<(usize, Line)>>, defer_netting: bool) {
        // A netting run of the schedule as it was ends here.
        self.editing
            .netting_generation
            .update_value(|g| *g = g.wrapping_add(1));
        self.loaded.with_untracked(|l| match l {
            None => self.live.set(None),
            Some(l) => match before {
                Some(before) if self.live.with_untracked(Option::is_some) => {
                    self.live.update(|live| {
                        if let Some(live) = live {
                            live.update(&l.schedule, &before);
                        }
                    })
                }
                _ => self.live.set(Some(Live::new(&l.schedule))),
            },
        });
        let timer = self.editing.netting_timer;
        if let Some(handle) = timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if defer_netting {
            let state = *self;
            let handle = set_timeout_with_handle(
                move || state.derive_netting(),
                std::time::Duration::from_millis(SETTLE_MS),
            )
            .ok();
            timer.set_value(handle);
        } else {
            self.derive_netting();
        }
    }

    /// Nets the schedule in slices of [`super::slices::SLICE_MS`], one after another, and shows the
    /// netting when the last is done; a change of the schedule meanwhile ends the run (the
    /// change starts its own).
    fn derive_netting(&self) {
        let generation = self.editing.netting_generation.get_value();
        let run = self
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| NettingRun::new(&l.schedule)));
        match run {
            None => self.netting.set(None),
            Some(run) => self.continue_netting(run, generation),
        }
    }

    fn continue_netting(self, mut run: NettingRun, generation: u64) {
        in_slices(move || {
            if self.editing.netting_generation.get_value() != generation {
                return ControlFlow::Break(());
            }
            let step = self
                .loaded
                .with_untracked(|l| l.as_ref().map(|l| run.advance(&l.schedule, NETTING_STEPS)));
            match step {
                None => ControlFlow::Break(()),
                Some(Some(netting)) => {
                    self.netting.set(Some(netting));
                    ControlFlow::Break(())
                }
                Some(None) => ControlFlow::Continue(()),
            }
        });
    }

    /// Keeps the active cell inside the schedule after lines come and go.
    fn clamp_active(&self) {
        let size = self.loaded.with_untracked(|l| {
            l.as_ref()
                .map(|l| (l.schedule.lines.len(), l.schedule.years.len()))
        });
        if let (Some((line, year)), Some((lines, years))) = (self.grid.active.get_untracked(), size)
        {
            if lines == 0 || years == 0 {
                self.grid.active.set(None);
            } else {
                self.grid
                    .active
                    .set(Some((line.min(lines - 1), year.min(years - 1))));
            }
        }
    }
}
