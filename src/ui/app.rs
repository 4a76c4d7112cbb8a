//! The top of the page: the state (the loaded schedule, the last message) and its layout.

use leptos::prelude::*;

use leptos::leptos_dom::helpers::TimeoutHandle;

use crate::engine::{
    apply_gap_scenario, apply_scenario, calculate, compare_with, compute_gap, detect_mapping,
    gap_model, import, load_state, looks_like_gap_table, netting, reconcile, run_import,
    save_state, schedule_in_profile, schedule_net, Comparison, Edit, GapFigures, GapModel, History,
    ImportJob, ImportOptions, ImportReport, ImportedFile, Line, LinkState, Live, Netting, Profile,
    Reconciliation, Results, SavedState, Scenario, Schedule, SimulationJob, SimulationReport,
    SAVED_VERSION,
};

use super::checks_panel::ChecksPanel;
use super::download::ExportButtons;
use super::gap_view::GapView;
use super::grid::Grid;
use super::net_view::NetView;
use super::reconcile_view::ReconcileView;
use super::scenario_view::ScenarioView;
use super::schedule_table::ScheduleTable;
use super::settings::Settings;
use super::upload::Upload;

/// The views of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Schedule,
    Net,
    Gap,
    Scenarios,
    Reconcile,
    Monitoring,
    Risk,
}

/// Where the working state is kept in the browser.
pub const STORAGE_KEY: &str = "gapwise-state";
/// Where a saved state that could not be read is moved, so it is never overwritten.
const UNREADABLE_KEY: &str = "gapwise-state-unreadable";
/// How many edits can be undone.
const UNDO_LIMIT: usize = 500;
/// How long after the last change the work is saved, and netting worked out again after an
/// edit of a few lines, in milliseconds: typing a run of figures saves once, and the totals
/// and gap on screen follow each figure at once (netting and saving a large schedule take
/// longer than a keystroke).
const SETTLE_MS: u64 = 300;

/// Whether the working state is saved in the browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// Changed, to be saved in a moment.
    Pending,
    /// A published schedule: nothing is saved in the browser.
    Published,
    Failed(String),
}

/// The gap table that opens beside the demo schedule: `cyps-budget-forecast-2016-21.csv`.
const DEMO_GAP_NAME: &str = "cyps-budget-forecast-2016-21.csv";
const DEMO_GAP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-budget-forecast-2016-21.csv"
));

/// A funding gap model on screen and the file it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct GapLoaded {
    pub file_name: String,
    pub model: GapModel,
}

/// The demo schedule, embedded in the build: `cyps-savings-2017-21.csv`.
const DEMO_NAME: &str = "cyps-savings-2017-21.csv";
const DEMO: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-savings-2017-21.csv"
));

/// A schedule on screen, with what its import found.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub file_name: String,
    pub schedule: Schedule,
    pub encoding: String,
    pub delimiter: Option<u8>,
    /// Cell problems of the import, as messages saying what and where.
    pub problems: Vec<String>,
    pub more_problems: usize,
    pub unit_stated: bool,
}

impl Loaded {
    fn from_import(file_name: &str, imported: ImportedFile) -> Loaded {
        Loaded {
            file_name: file_name.to_string(),
            schedule: imported.schedule,
            encoding: imported.encoding,
            delimiter: imported.delimiter,
            problems: imported.problems,
            more_problems: imported.more_problems,
            unit_stated: imported.unit_stated,
        }
    }
}

/// The page state shared with the components.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The schedule on screen; `None` only if even the demo failed to load.
    pub loaded: RwSignal<Option<Loaded>>,
    /// The last import error, shown as an alert. The schedule on screen is kept.
    pub error: RwSignal<Option<String>>,
    /// The last refused edit (a cell entry, a paste, a scenario figure), shown by the table.
    pub edit_error: RwSignal<Option<String>>,
    /// A short status ("Reading big.csv…").
    pub status: RwSignal<Option<String>>,
    /// Everything derived from the schedule on screen, as published: totals, checks, profile
    /// totals and the savings it feeds a gap; updated in place after an edit of a few lines.
    pub live: RwSignal<Option<Live>>,
    /// Proposals, nets, paybacks, reversals and duplicate references of the schedule on screen:
    /// worked out again at once after a change of lines or settings, and a moment after the
    /// last edit of figures.
    pub netting: RwSignal<Option<Netting>>,
    netting_timer: StoredValue<Option<TimeoutHandle>>,
    save_timer: StoredValue<Option<TimeoutHandle>>,
    /// The view shown.
    pub view: RwSignal<View>,
    /// The profile the schedule table shows its figures in; `None` shows them as published.
    pub shown_profile: RwSignal<Option<Profile>>,
    /// The schedule converted to `shown_profile` and its results, when that differs from the
    /// schedule's own profile; `None` when the table shows the figures as published.
    pub shown: Memo<Option<(Schedule, Results)>>,
    /// A second schedule to reconcile against, and the last error loading one.
    pub second: RwSignal<Option<Loaded>>,
    pub second_error: RwSignal<Option<String>>,
    /// The reconciliation of the schedule on screen against the second one.
    pub reconciliation: Memo<Option<Reconciliation>>,
    /// The funding gap model, and its figures (fed by the schedule on screen when asked).
    pub gap: RwSignal<Option<GapLoaded>>,
    pub gap_figures: Memo<Option<GapFigures>>,
    /// The editable table's active cell.
    pub grid: Grid,
    /// Every edit and import, undoable.
    pub history: StoredValue<History>,
    /// (can undo, can redo), refreshed after every change.
    pub undo_state: RwSignal<(bool, bool)>,
    /// The scenarios of the schedule, and the one being looked at (`None`: the baseline).
    pub scenarios: RwSignal<Vec<Scenario>>,
    pub active_scenario: RwSignal<Option<usize>>,
    /// The comparison of the baseline with the active scenario.
    pub comparison: Memo<Option<Comparison>>,
    /// The gap model under the active scenario (`apply_gap_scenario`, its reserves plan with the
    /// scenario's drawdowns) and its figures, fed by the scenario's schedule; `None` for the
    /// baseline or with no gap model.
    pub scenario_gap: Memo<Option<(GapModel, GapFigures)>>,
    pub saved: RwSignal<SaveStatus>,
    /// The published file the schedule was loaded from (`?data=`), which makes the page
    /// read-only; `None` for the user's own work.
    pub published: RwSignal<Option<super::share::Published>>,
    /// A full link read at start, opened once the saved work is restored.
    pub pending_link: StoredValue<Option<LinkState>>,
    /// True when opening a link kept the work saved in this browser aside.
    pub kept_aside: RwSignal<bool>,
    /// The workbook the schedule was read from, when it was one.
    pub workbook: RwSignal<Option<Workbook>>,
    /// A file waiting for its columns to be set by hand (the column-mapping step).
    pub mapping_step: RwSignal<Option<super::mapping_view::MappingStep>>,
    /// The file last loaded, to check its columns again.
    pub last_file: StoredValue<Option<(String, std::sync::Arc<Vec<u8>>)>>,
    /// The file the worker is reading, and how far it has got; `None` when none is read.
    pub import_run: RwSignal<Option<ImportRun>>,
    pending_import: StoredValue<Option<PendingImport>>,
    next_job: StoredValue<u64>,
    /// The delivery risk simulation running in its worker, and how far it has got.
    pub risk_run: RwSignal<Option<RiskRun>>,
    /// The last simulation's results, with the inputs it ran on (to say when they are out of
    /// date), or the message saying why it could not run.
    pub risk: RwSignal<Option<(u64, SimulationJob, SimulationReport)>>,
    risk_job: StoredValue<Option<SimulationJob>>,
}

/// A simulation running in the worker, as its progress bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskRun {
    pub id: u64,
    /// Runs done of `total`.
    pub done: u64,
    pub total: u64,
}

/// Files from this size up are parsed in the worker, with progress and a cancel button;
/// smaller ones take a moment and are parsed at once.
const WORKER_FROM_BYTES: usize = 512 * 1024;

/// A file being read by the worker, as the progress bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportRun {
    pub id: u64,
    pub file_name: String,
    /// Bytes read of `total`.
    pub done: u64,
    pub total: u64,
}

/// The job the worker is running, with the file (kept for the sheet picker and the mapping
/// step, which need it after the import).
struct PendingImport {
    id: u64,
    job: ImportJob,
    bytes: std::sync::Arc<Vec<u8>>,
}

/// A workbook loaded: its bytes (to read another sheet), its sheets and the one read.
#[derive(Clone, Debug)]
pub struct Workbook {
    pub file_name: String,
    pub bytes: std::sync::Arc<Vec<u8>>,
    pub sheets: Vec<String>,
    pub sheet: String,
}

impl AppState {
    /// Imports a file's bytes: on success it replaces the schedule on screen, on failure the
    /// message says what and where and the schedule on screen stays as it was. A workbook's
    /// first sheet that looks like a schedule is read; its other sheets can be picked after.
    /// A column mapping remembered for files with this header reads it the same way again;
    /// when detection is unsure of the columns, the mapping step asks (`engine::run_import`).
    pub fn load(&self, file_name: &str, bytes: &[u8]) {
        let bytes = std::sync::Arc::new(bytes.to_vec());
        self.last_file
            .set_value(Some((file_name.to_string(), bytes.clone())));
        let job = ImportJob {
            file_name: file_name.to_string(),
            options: ImportOptions::default(),
            remembered: super::mapping_view::all_remembered(),
        };
        self.start_import(job, bytes);
    }

    /// Runs an import: a big file in the worker (the page stays responsive and shows the
    /// progress, with a cancel button), a small one at once. A file chosen while another is
    /// read replaces it.
    fn start_import(&self, job: ImportJob, bytes: std::sync::Arc<Vec<u8>>) {
        self.status.set(None);
        if self.import_run.with_untracked(Option::is_some) {
            super::worker::cancel(super::worker::Slot::Import);
            self.import_run.set(None);
        }
        let id = self.next_job.get_value() + 1;
        self.next_job.set_value(id);
        if bytes.len() >= WORKER_FROM_BYTES && super::worker::import(id, &job, &bytes) {
            self.import_run.set(Some(ImportRun {
                id,
                file_name: job.file_name.clone(),
                done: 0,
                total: bytes.len() as u64,
            }));
            self.pending_import
                .set_value(Some(PendingImport { id, job, bytes }));
            return;
        }
        let report = run_import(&bytes, &job);
        self.finish_import(&job, &bytes, report);
    }

    /// What the worker says: how far it has got, or the report of the file it read.
    pub fn worker_answer(&self, answer: super::worker::Answer) {
        use super::worker::Answer;
        let current = |id: u64| {
            self.import_run
                .with_untracked(|r| r.as_ref().is_some_and(|r| r.id == id))
        };
        match answer {
            Answer::Progress {
                slot: super::worker::Slot::Import,
                id,
                done,
                total,
            } if current(id) => {
                self.import_run.update(|r| {
                    if let Some(r) = r.as_mut() {
                        r.done = done;
                        r.total = total;
                    }
                });
            }
            Answer::Progress {
                slot: super::worker::Slot::Risk,
                id,
                done,
                total,
            } => self.risk_run.update(|r| {
                if let Some(r) = r.as_mut().filter(|r| r.id == id) {
                    r.done = done;
                    r.total = total;
                }
            }),
            Answer::Simulated { id, report } => {
                if self
                    .risk_run
                    .with_untracked(|r| r.as_ref().is_some_and(|r| r.id == id))
                {
                    self.risk_run.set(None);
                    if let Some(job) = self.risk_job.try_update_value(Option::take).flatten() {
                        self.risk.set(Some((id, job, report)));
                    }
                }
            }
            Answer::Failed {
                slot: super::worker::Slot::Risk,
                message,
                started,
                ..
            } => {
                if self.risk_run.get_untracked().is_some() {
                    self.risk_run.set(None);
                    if let Some(job) = self.risk_job.try_update_value(Option::take).flatten() {
                        let id = self.next_job.get_value();
                        // A worker that could not start: the page runs the simulation itself.
                        let report = if started {
                            Err(format!("the simulation stopped before the end ({message})"))
                        } else {
                            crate::engine::run_simulation(job.clone(), |_| {})
                        };
                        self.risk.set(Some((id, job, report)));
                    }
                }
            }
            Answer::Imported { id, report } if current(id) => {
                self.import_run.set(None);
                if let Some(p) = self.take_pending(id) {
                    self.finish_import(&p.job, &p.bytes, report);
                }
            }
            Answer::Failed {
                slot: super::worker::Slot::Import,
                id: Some(id),
                message,
                started,
            } if current(id) => {
                self.import_run.set(None);
                if let Some(p) = self.take_pending(id) {
                    if started {
                        self.error.set(Some(format!(
                            "{}: the import stopped before the end ({message}); the schedule on screen is unchanged.",
                            p.job.file_name
                        )));
                    } else {
                        // The worker could not start: the page reads the file itself.
                        let report = run_import(&p.bytes, &p.job);
                        self.finish_import(&p.job, &p.bytes, report);
                    }
                }
            }
            _ => {}
        }
    }

    /// What a delivery risk simulation of the schedule on screen runs on: the schedule, the gap
    /// model and the scenario looked at (the baseline when none is).
    pub fn simulation_job(&self) -> Option<SimulationJob> {
        let schedule = self
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| l.schedule.clone()))?;
        let gap = self
            .gap
            .with_untracked(|g| g.as_ref().map(|g| g.model.clone()));
        let scenario = self
            .active_scenario
            .get_untracked()
            .and_then(|i| self.scenarios.with_untracked(|all| all.get(i).cloned()))
            .unwrap_or_else(Scenario::baseline);
        Some(SimulationJob {
            schedule,
            gap,
            scenario,
        })
    }

    /// Starts a delivery risk simulation in its worker (one at a time: a new one replaces a
    /// running one); without a worker it runs here, at once.
    pub fn run_simulation(&self) {
        let Some(job) = self.simulation_job() else {
            return;
        };
        if self.risk_run.get_untracked().is_some() {
            super::worker::cancel(super::worker::Slot::Risk);
        }
        let id = self.next_job.get_value() + 1;
        self.next_job.set_value(id);
        let total = job
            .scenario
            .risk
            .as_ref()
            .map_or(crate::engine::DEFAULT_RUNS, |r| r.runs);
        if super::worker::simulate(id, &job) {
            self.risk_job.set_value(Some(job));
            self.risk_run.set(Some(RiskRun {
                id,
                done: 0,
                total: u64::from(total),
            }));
        } else {
            let report = crate::engine::run_simulation(job.clone(), |_| {});
            self.risk_run.set(None);
            self.risk.set(Some((id, job, report)));
        }
    }

    /// Stops the simulation running: the results shown before stay.
    pub fn cancel_simulation(&self) {
        if self.risk_run.get_untracked().is_some() {
            super::worker::cancel(super::worker::Slot::Risk);
            self.risk_run.set(None);
            self.risk_job.set_value(None);
        }
    }

    /// Changes the risk settings of the scenario looked at; on the baseline, a scenario named
    /// "Delivery risk" is made for them (the baseline itself has none: its figures are the
    /// file's), and looked at.
    pub fn edit_risk(&self, change: impl FnOnce(&mut crate::engine::RiskSettings)) {
        match self.active_scenario.get_untracked() {
            Some(i) => self.scenarios.update(|all| {
                if let Some(s) = all.get_mut(i) {
                    change(s.risk.get_or_insert_with(Default::default));
                }
            }),
            None => {
                let mut scenario = Scenario::new("Delivery risk");
                change(scenario.risk.get_or_insert_with(Default::default));
                let n = self.scenarios.with_untracked(Vec::len);
                self.scenarios.update(|all| all.push(scenario));
                self.active_scenario.set(Some(n));
            }
        }
    }

    /// The import the worker was given as job `id`, taken (it is answered once).
    fn take_pending(&self, id: u64) -> Option<PendingImport> {
        self.pending_import
            .try_update_value(Option::take)
            .flatten()
            .filter(|p| p.id == id)
    }

    /// Cancels the import running in the worker: the schedule on screen stays as it was.
    pub fn cancel_import(&self) {
        let Some(run) = self.import_run.get_untracked() else {
            return;
        };
        super::worker::cancel(super::worker::Slot::Import);
        self.import_run.set(None);
        self.pending_import.set_value(None);
        self.status.set(Some(format!(
            "Reading {} was cancelled; the schedule on screen is unchanged.",
            run.file_name
        )));
    }

    /// Puts an import's report on screen: the schedule read, with what the import says about
    /// it, or the message and (when the columns were unsure) the mapping step.
    fn finish_import(
        &self,
        job: &ImportJob,
        bytes: &std::sync::Arc<Vec<u8>>,
        report: ImportReport,
    ) {
        use super::mapping_view::MappingStep;
        let file_name = job.file_name.as_str();
        match self.apply_import(file_name, bytes, report.outcome) {
            Ok(()) => {
                self.mapping_step.set(None);
                if report.used_remembered {
                    self.status.set(Some(format!(
                        "{file_name} was read with the columns you chose for files with this header."
                    )));
                }
            }
            Err(e) => {
                self.error.set(Some(e));
                if let Some(proposal) = report.proposal {
                    self.mapping_step.set(Some(MappingStep {
                        file_name: file_name.to_string(),
                        bytes: bytes.clone(),
                        proposal,
                    }));
                }
            }
        }
    }

    /// Shows the column-mapping step for the file last loaded, to check or change its columns.
    pub fn check_columns(&self) {
        let Some((file_name, bytes)) = self.last_file.get_value() else {
            return;
        };
        match detect_mapping(&bytes, &file_name, &ImportOptions::default()) {
            Ok(proposal) => self
                .mapping_step
                .set(Some(super::mapping_view::MappingStep {
                    file_name,
                    bytes,
                    proposal,
                })),
            Err(e) => self.error.set(Some(e.to_string())),
        }
    }

    /// Imports with a column mapping (from the mapping step): the schedule on screen is
    /// replaced, or the message says why not and nothing changes.
    pub fn load_mapped(
        &self,
        file_name: &str,
        bytes: &std::sync::Arc<Vec<u8>>,
        options: &ImportOptions,
    ) -> Result<(), String> {
        self.status.set(None);
        let outcome = import(bytes, file_name, options)
            .map(ImportedFile::from)
            .map_err(|e| e.to_string());
        self.apply_import(file_name, bytes, outcome)
    }

    /// Reads another sheet of the workbook on screen, as an import (it can be undone).
    pub fn load_sheet(&self, sheet: &str) {
        let Some(w) = self.workbook.get_untracked() else {
            return;
        };
        let job = ImportJob {
            file_name: w.file_name.clone(),
            options: ImportOptions {
                sheet: Some(sheet.to_string()),
                ..ImportOptions::default()
            },
            remembered: Vec::new(),
        };
        self.start_import(job, w.bytes.clone());
    }

    /// Puts an import's outcome on screen (as a schedule or a gap table), or returns its
    /// message. A workbook's sheets are kept with its bytes, for the sheet picker.
    fn apply_import(
        &self,
        file_name: &str,
        bytes: &std::sync::Arc<Vec<u8>>,
        imported: Result<ImportedFile, String>,
    ) -> Result<(), String> {
        if let Ok(imported) = &imported {
            self.workbook
                .set(imported.sheet.clone().map(|sheet| Workbook {
                    file_name: file_name.to_string(),
                    bytes: bytes.clone(),
                    sheets: imported.sheets.clone(),
                    sheet,
                }));
        }
        match imported {
            Ok(imported) if looks_like_gap_table(&imported.schedule) => {
                // A forecast or funding-gap table: it becomes the gap model beside the schedule.
                let model = gap_model(&imported.schedule);
                self.gap.set(Some(GapLoaded {
                    file_name: file_name.to_string(),
                    model,
                }));
                self.error.set(None);
                self.status.set(Some(format!(
                    "{file_name} was read as a funding gap table; it is in the Funding gap view."
                )));
                self.view.set(View::Gap);
                Ok(())
            }
            Ok(mut imported) => {
                // A programme file's achievement rates come as a scenario beside the schedule.
                if let Some(scenario) = imported.scenario.take() {
                    self.scenarios.update(|all| all.push(scenario));
                }
                let next = Loaded::from_import(file_name, imported);
                let had_one = self.loaded.with_untracked(|l| l.is_some());
                if had_one {
                    // An import is an edit like any other: it can be undone.
                    self.loaded.update(|l| {
                        if let Some(l) = l.as_mut() {
                            let Loaded {
                                schedule,
                                file_name,
                                encoding,
                                delimiter,
                                problems,
                                more_problems,
                                unit_stated,
                            } = next;
                            self.history.update_value(|h| {
                                let _ = h.perform(
                                    &mut l.schedule,
                                    Edit::Replace {
                                        schedule: Box::new(schedule),
                                    },
                                );
                            });
                            l.file_name = file_name;
                            l.encoding = encoding;
                            l.delimiter = delimiter;
                            l.problems = problems;
                            l.more_problems = more_problems;
                            l.unit_stated = unit_stated;
                        }
                    });
                } else {
                    self.loaded.set(Some(next));
                }
                self.derive_replaced();
                self.grid.active.set(None);
                self.grid.editing.set(None);
                self.refresh_undo();
                self.error.set(None);
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Performs an edit on the schedule through the history; a refused edit is a message.
    pub fn perform(&self, edit: Edit) {
        let before = self.lines_before(edit.lines_in_place());
        let mut result = Ok(());
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                self.history
                    .update_value(|h| result = h.perform(&mut l.schedule, edit));
            }
        });
        match result {
            Err(e) => self.edit_error.set(Some(e.to_string())),
            Ok(()) => {
                self.edit_error.set(None);
                self.derive(before);
            }
        }
        self.refresh_undo();
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
    fn derive(&self, before: Option<Vec<(usize, Line)>>) {
        let in_place = before.is_some();
        self.derive_with(before, in_place);
    }

    /// After a whole new schedule (an import, a restore, a link): the results at once, netting
    /// (which can take a while on a large file) a moment after the totals are on screen.
    fn derive_replaced(&self) {
        self.netting.set(None);
        self.derive_with(None, true);
    }

    fn derive_with(&self, before: Option<Vec<(usize, Line)>>, defer_netting: bool) {
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
        if let Some(handle) = self.netting_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if defer_netting {
            let state = *self;
            let handle = set_timeout_with_handle(
                move || state.derive_netting(),
                std::time::Duration::from_millis(SETTLE_MS),
            )
            .ok();
            self.netting_timer.set_value(handle);
        } else {
            self.derive_netting();
        }
    }

    fn derive_netting(&self) {
        let n = self
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| netting(&l.schedule)));
        self.netting.set(n);
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
        let lines = self.history.with_value(|h| {
            let next = if undo { h.next_undo() } else { h.next_redo() };
            next.map(Edit::lines_in_place)
        });
        let before = self.lines_before(lines.flatten());
        let mut done = false;
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                self.history.update_value(|h| {
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
        self.refresh_undo();
    }

    fn refresh_undo(&self) {
        let state = self.history.with_value(|h| (h.can_undo(), h.can_redo()));
        self.undo_state.set(state);
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

    /// The working state as it is saved in the browser.
    fn saved_state_untracked(&self) -> SavedState {
        let (schedule, schedule_file) = self.loaded.with_untracked(|l| match l {
            Some(l) => (Some(l.schedule.clone()), Some(l.file_name.clone())),
            None => (None, None),
        });
        let (gap, gap_file) = self.gap.with_untracked(|g| match g {
            Some(g) => (Some(g.model.clone()), Some(g.file_name.clone())),
            None => (None, None),
        });
        let scenarios = self
            .scenarios
            .with_untracked(|s| serde_json::to_value(s).unwrap_or_default());
        let settings =
            serde_json::json!({ "active_scenario": self.active_scenario.get_untracked() });
        SavedState {
            version: SAVED_VERSION,
            schedule,
            schedule_file,
            gap,
            gap_file,
            scenarios,
            settings,
        }
    }

    /// Restores the saved working state, if there is one. A state that cannot be read is
    /// moved aside (never overwritten) and the reason shown; the demo is used instead.
    fn restore(&self) -> bool {
        use gloo_storage::Storage;
        let storage = gloo_storage::LocalStorage::raw();
        let Ok(Some(text)) = storage.get_item(STORAGE_KEY) else {
            return false;
        };
        match load_state(&text) {
            Ok(saved) if saved.schedule.is_none() => false,
            Ok(saved) => {
                if let Some(schedule) = saved.schedule {
                    self.loaded.set(Some(Loaded {
                        file_name: saved.schedule_file.unwrap_or_else(|| "saved work".into()),
                        schedule,
                        encoding: "saved in this browser".into(),
                        delimiter: None,
                        problems: Vec::new(),
                        more_problems: 0,
                        unit_stated: true,
                    }));
                    self.derive_replaced();
                }
                self.gap.set(saved.gap.map(|model| GapLoaded {
                    file_name: saved.gap_file.unwrap_or_else(|| "saved work".into()),
                    model,
                }));
                let scenarios: Vec<Scenario> =
                    serde_json::from_value(saved.scenarios).unwrap_or_default();
                self.scenarios.set(scenarios);
                let active = saved
                    .settings
                    .get("active_scenario")
                    .and_then(|v| v.as_u64())
                    .map(|v| v as usize);
                self.active_scenario
                    .set(active.filter(|a| *a < self.scenarios.with_untracked(Vec::len)));
                self.status
                    .set(Some("Your work was restored from this browser.".into()));
                true
            }
            Err(e) => {
                let _ = storage.set_item(UNREADABLE_KEY, &text);
                let _ = storage.remove_item(STORAGE_KEY);
                self.error.set(Some(format!(
                    "Your saved work could not be restored: {e}. It was kept aside in this browser ({UNREADABLE_KEY}); the demo is shown instead."
                )));
                false
            }
        }
    }

    /// Restores the work saved in this browser, or opens the demo when there is none.
    pub fn restore_or_demo(&self) {
        // A message from before (a link or address that could not be opened) stays on screen.
        let message = self.error.get_untracked();
        if !self.restore() {
            self.load(DEMO_NAME, DEMO);
            self.load(DEMO_GAP_NAME, DEMO_GAP);
            self.status.set(None);
        }
        if message.is_some() && self.error.with_untracked(Option::is_none) {
            self.error.set(message);
        }
        self.view.set(View::Schedule);
    }

    /// Opens a schedule and gap model from a shared link, as an import: the edits before it are
    /// forgotten (the saved work was kept aside by the caller).
    pub fn open_shared(&self, schedule: Schedule, gap: Option<GapModel>) {
        self.loaded.set(Some(Loaded {
            file_name: "a shared link".into(),
            schedule,
            encoding: "exact, from the link".into(),
            delimiter: None,
            problems: Vec::new(),
            more_problems: 0,
            unit_stated: true,
        }));
        self.history.update_value(History::clear);
        self.derive_replaced();
        self.refresh_undo();
        self.gap.set(gap.map(|model| GapLoaded {
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
        self.history.set_value(History::new(UNDO_LIMIT));
        self.load(DEMO_NAME, DEMO);
        self.load(DEMO_GAP_NAME, DEMO_GAP);
        self.view.set(View::Schedule);
        self.status.set(Some("Started again from the demo.".into()));
        self.refresh_undo();
    }

    /// Imports a second schedule to reconcile against; the first stays as it is either way.
    pub fn load_second(&self, file_name: &str, bytes: &[u8]) {
        match import(bytes, file_name, &ImportOptions::default()) {
            Ok(imported) => {
                self.second
                    .set(Some(Loaded::from_import(file_name, imported.into())));
                self.second_error.set(None);
            }
            Err(e) => self.second_error.set(Some(e.to_string())),
        }
    }

    /// Changes the gap model (a row's role, how it is stated, the savings feed).
    pub fn edit_gap(&self, change: impl FnOnce(&mut GapModel)) {
        self.gap.update(|g| {
            if let Some(g) = g.as_mut() {
                change(&mut g.model);
            }
        });
    }

    /// Changes the schedule on screen (a setting, a memo mark); every result is derived again.
    pub fn edit(&self, change: impl FnOnce(&mut Schedule)) {
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                change(&mut l.schedule);
            }
        });
        self.derive(None);
    }

    /// Saves the working state in the browser now, if a change is waiting to be saved. A
    /// published schedule is never saved: the visitor's own saved work stays as it was.
    pub fn save_now(&self) {
        use gloo_storage::Storage;
        if let Some(handle) = self.save_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        if self.published.with_untracked(Option::is_some) {
            self.saved.set(SaveStatus::Published);
            return;
        }
        if self.loaded.with_untracked(Option::is_none) {
            // Nothing on screen yet (a published file being fetched): whatever this browser
            // has saved stays as it is.
            return;
        }
        if self.saved.get_untracked() != SaveStatus::Pending {
            return;
        }
        let text = save_state(&self.saved_state_untracked());
        let status = match gloo_storage::LocalStorage::raw().set_item(STORAGE_KEY, &text) {
            Ok(()) => SaveStatus::Saved,
            Err(e) => SaveStatus::Failed(format!("{e:?}")),
        };
        self.saved.set(status);
    }
}

#[component]
pub fn App() -> impl IntoView {
    let loaded = RwSignal::new(None::<Loaded>);
    let live = RwSignal::new(None::<Live>);
    let netting = RwSignal::new(None::<Netting>);
    let shown_profile = RwSignal::new(None::<Profile>);
    // Only a converted view needs its own copy and results; as published, the table reads
    // `loaded` and `results` directly.
    let shown = Memo::new(move |_| {
        let profile = shown_profile.get()?;
        loaded.with(|l| {
            let l = l.as_ref()?;
            (profile != l.schedule.profile).then(|| {
                let s = schedule_in_profile(&l.schedule, profile);
                let r = calculate(&s);
                (s, r)
            })
        })
    });
    let second = RwSignal::new(None::<Loaded>);
    let reconciliation = Memo::new(move |_| {
        loaded.with(|l| {
            second.with(|r| match (l, r) {
                (Some(l), Some(r)) => Some(reconcile(&l.schedule, &r.schedule)),
                _ => None,
            })
        })
    });
    let gap = RwSignal::new(None::<GapLoaded>);
    // The gap fed by the live results: an edit moves it without going through every line.
    let gap_figures = Memo::new(move |_| {
        gap.with(|g| {
            let g = g.as_ref()?;
            loaded.with(|l| {
                live.with(|live| match (l, live) {
                    (Some(l), Some(live)) => Some(live.gap(&g.model, &l.schedule)),
                    _ => Some(compute_gap(&g.model, None)),
                })
            })
        })
    });
    let scenarios = RwSignal::new(Vec::<Scenario>::new());
    let active_scenario = RwSignal::new(None::<usize>);
    // The baseline's net, kept while scenarios are switched (worked out again when the schedule
    // changes and a comparison is looked at).
    let baseline_net =
        Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| schedule_net(&l.schedule))));
    // The active scenario's schedule, shared by the comparison and the scenario's gap.
    let applied = Memo::new(move |_| {
        let index = active_scenario.get()?;
        scenarios.with(|all| {
            let scenario = all.get(index)?;
            loaded.with(|l| Some(apply_scenario(&l.as_ref()?.schedule, scenario).schedule))
        })
    });
    // The gap model under the active scenario (pressures, reserves rows, reserves plan) and its
    // figures, fed by the scenario's schedule.
    let scenario_gap = Memo::new(move |_| {
        let index = active_scenario.get()?;
        scenarios.with(|all| {
            let scenario = all.get(index)?;
            gap.with(|g| {
                let model = apply_gap_scenario(&g.as_ref()?.model, scenario);
                let figures = applied.with(|s| compute_gap(&model, s.as_ref()));
                Some((model, figures))
            })
        })
    });
    let comparison = Memo::new(move |_| {
        active_scenario.get()?;
        loaded.with(|l| {
            let base = &l.as_ref()?.schedule;
            let net = baseline_net.get()?;
            applied.with(|applied| {
                let applied = applied.as_ref()?;
                live.with(|live| {
                    let live = live.as_ref()?;
                    let base_totals = &live.results.totals;
                    let base_gap = gap.with(|g| g.as_ref().map(|g| live.gap(&g.model, base)));
                    scenario_gap.with(|sg| {
                        let scen_gap = sg.as_ref().map(|(_, f)| f);
                        Some(compare_with(
                            base,
                            base_totals,
                            net,
                            applied,
                            base_gap.as_ref(),
                            scen_gap.filter(|_| base_gap.is_some()),
                        ))
                    })
                })
            })
        })
    });
    let state = AppState {
        loaded,
        error: RwSignal::new(None),
        edit_error: RwSignal::new(None),
        status: RwSignal::new(None),
        live,
        netting,
        netting_timer: StoredValue::new(None),
        save_timer: StoredValue::new(None),
        view: RwSignal::new(View::Schedule),
        shown_profile,
        shown,
        second,
        second_error: RwSignal::new(None),
        reconciliation,
        gap,
        gap_figures,
        grid: Grid::new(),
        history: StoredValue::new(History::new(UNDO_LIMIT)),
        undo_state: RwSignal::new((false, false)),
        scenarios,
        active_scenario,
        comparison,
        scenario_gap,
        saved: RwSignal::new(SaveStatus::Saved),
        published: RwSignal::new(None),
        pending_link: StoredValue::new(None),
        kept_aside: RwSignal::new(false),
        workbook: RwSignal::new(None),
        mapping_step: RwSignal::new(None),
        last_file: StoredValue::new(None),
        import_run: RwSignal::new(None),
        pending_import: StoredValue::new(None),
        next_job: StoredValue::new(0),
        risk_run: RwSignal::new(None),
        risk: RwSignal::new(None),
        risk_job: StoredValue::new(None),
    };
    // The worker that parses big files starts with the page, to be ready when one is chosen.
    super::worker::start(move |answer| state.worker_answer(answer));
    // A published schedule (`?data=`, or a short link) is fetched in a moment; otherwise the
    // work saved in this browser (or the demo) opens, and then a full link over it, if any.
    if !super::share::start(state) {
        state.restore_or_demo();
        super::share::after_restore(state);
    }
    provide_context(state);

    // Save after every change (the schedule, the gap model, the scenarios), a moment after the
    // last one; and at once when the page is left or hidden, so a reload keeps the last edit.
    Effect::new(move |first: Option<()>| {
        state.loaded.track();
        state.gap.track();
        state.scenarios.track();
        state.active_scenario.track();
        if first.is_none() {
            // The state as restored or loaded at start: save it as it is.
            state.saved.set(SaveStatus::Pending);
            state.save_now();
            return;
        }
        state.saved.set(SaveStatus::Pending);
        if let Some(handle) = state.save_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || state.save_now(),
            std::time::Duration::from_millis(SETTLE_MS),
        )
        .ok();
        state.save_timer.set_value(handle);
    });
    let _ = window_event_listener(leptos::ev::pagehide, move |_| state.save_now());
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| state.save_now());

    // Pasting a whole table anywhere on the page (not in a field, not at an active cell, which
    // the table handles) imports it as a schedule, as a file would be; the import can be undone.
    let _ = window_event_listener(leptos::ev::paste, move |ev| {
        let in_field = super::grid::in_text_field(ev.target());
        let published = state.published.with_untracked(Option::is_some);
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

    let title = move || {
        loaded.with(|l| {
            l.as_ref()
                .map(|l| l.schedule.title.clone())
                .unwrap_or_default()
        })
    };
    let unit = move || loaded.with(|l| l.as_ref().map(|l| l.schedule.unit.label()).unwrap_or(""));
    let source = move || {
        loaded.with(|l| {
            l.as_ref().map(|l| {
                let s = &l.schedule;
                let delimiter = match l.delimiter {
                    Some(b',') => ", comma-separated",
                    Some(b';') => ", semicolon-separated",
                    Some(b'\t') => ", tab-separated",
                    _ => "",
                };
                format!(
                    "From {} ({}{}): {} lines in {} sections, {} years.",
                    l.file_name,
                    l.encoding,
                    delimiter,
                    s.lines.len(),
                    s.sections.len(),
                    s.years.len()
                )
            })
        })
    };
    let unit_note = move || {
        loaded.with(|l| {
            l.as_ref()
                .filter(|l| !l.unit_stated)
                .map(|_| "The file states no unit; amounts are taken as pounds (£).")
        })
    };
    let ready = move || loaded.with(|l| l.is_some()).to_string();

    view! {
        <header class="masthead">
            <div class="wrap">
                <p class="brand">"Gapwise"</p>
                <p class="tagline">
                    "Savings schedules recalculated exactly, in your browser. Nothing leaves this page."
                </p>
            </div>
        </header>
        <main
            id="main"
            class="wrap"
            data-testid="app"
            data-ready=ready
            data-netting=move || state.netting.with(Option::is_some).to_string()
        >
            <section class="intro" aria-labelledby="schedule-title">
                <h1 id="schedule-title" data-testid="schedule-title">{title}</h1>
                <p class="meta">
                    "Amounts in "
                    <strong data-testid="schedule-unit">{unit}</strong>
                    ". "
                    <span data-testid="schedule-source">{source}</span>
                </p>
                {move || unit_note().map(|n| view! { <p class="note">{n}</p> })}
            </section>
            <super::share::PublishedBanner />
            <Upload />
            <super::mapping_view::MappingStepView />
            <ChecksPanel />
            <Settings />
            <ExportButtons />
            <super::share::ShareLink />
            <ViewTabs />
            {move || match state.view.get() {
                View::Schedule => view! { <ScheduleTable /> }.into_any(),
                View::Net => view! { <NetView /> }.into_any(),
                View::Gap => view! { <GapView /> }.into_any(),
                View::Scenarios => view! { <ScenarioView /> }.into_any(),
                View::Reconcile => view! { <ReconcileView /> }.into_any(),
                View::Monitoring => view! { <super::monitoring_view::MonitoringView /> }.into_any(),
                View::Risk => view! { <super::risk_view::RiskView /> }.into_any(),
            }}
        </main>
        <footer class="wrap footer">
            <p>
                "Gapwise runs entirely in this page: files you load are read here and never sent anywhere."
            </p>
        </footer>
    }
}

/// The tabs that switch between the views.
#[component]
fn ViewTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = move |view: View, label: &'static str, testid: &'static str| {
        let selected = move || state.view.get() == view;
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                class:selected=selected
                aria-selected=move || selected().to_string()
                data-testid=testid
                on:click=move |_| state.view.set(view)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist" aria-label="Views">
            {tab(View::Schedule, "Schedule", "tab-schedule")}
            {tab(View::Net, "Net by proposal", "tab-net")}
            {tab(View::Gap, "Funding gap", "tab-gap")}
            {tab(View::Scenarios, "Scenarios", "tab-scenarios")}
            {tab(View::Reconcile, "Reconcile", "tab-reconcile")}
            {tab(View::Monitoring, "Monitoring", "tab-monitoring")}
            {tab(View::Risk, "Delivery risk", "tab-risk")}
        </nav>
    }
}
