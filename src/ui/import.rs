//! Loading files: the bytes of a file (or a pasted table, or the demo) imported by the engine
//! into the schedule on screen or the gap model; big files read by the worker with a progress
//! bar and a cancel button; a workbook's other sheets; the column-mapping step when the
//! columns are unsure; and a second schedule to reconcile against.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::{
    detect_mapping, gap_model_by_arithmetic, illustrative_ratings, import, is_workbook, run_import,
    Edit, FinancialYear, ImportJob, ImportOptions, ImportReport, ImportedFile, YearOne,
};

use super::mapping_view::MappingStep;
use super::state::{AppState, FileMap, GapLoaded, Loaded, View};
use super::worker::{Answer, Slot};

/// Files from this size up are parsed in the worker, with progress and a cancel button;
/// smaller ones take a moment and are parsed at once. Workbooks, whatever their size, are read
/// only by the worker: the page is built without the workbook reader (Cargo.toml's features).
const WORKER_FROM_BYTES: usize = 512 * 1024;

/// The demo schedule, embedded in the build: `cyps-savings-2017-21.csv` (opened with
/// illustrative RAG ratings, [`AppState::load_demo`]).
pub(super) const DEMO_NAME: &str = "cyps-savings-2017-21.csv";
pub(super) const DEMO: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-savings-2017-21.csv"
));
/// The gap table that opens beside the demo schedule: `cyps-budget-forecast-2016-21.csv`.
pub(super) const DEMO_GAP_NAME: &str = "cyps-budget-forecast-2016-21.csv";
pub(super) const DEMO_GAP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-budget-forecast-2016-21.csv"
));

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
    bytes: Arc<Vec<u8>>,
}

/// A workbook loaded: its bytes (to read another sheet), its sheets and the one read.
#[derive(Clone, Debug)]
pub struct Workbook {
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
    pub sheets: Vec<String>,
    pub sheet: String,
}

/// Files being loaded and what their loading left to choose.
#[derive(Clone, Copy)]
pub struct ImportState {
    /// The workbook the schedule was read from, when it was one.
    pub workbook: RwSignal<Option<Workbook>>,
    /// A file waiting for its columns to be set by hand (the column-mapping step).
    pub mapping_step: RwSignal<Option<MappingStep>>,
    /// The file last loaded, to check its columns again.
    pub last_file: StoredValue<Option<(String, Arc<Vec<u8>>)>>,
    /// The year taken as year 1 of the file on screen, when it counts its years from one.
    pub year_one: RwSignal<Option<YearOne>>,
    /// The file the worker is reading, and how far it has got; `None` when none is read.
    pub run: RwSignal<Option<ImportRun>>,
    pending: StoredValue<Option<PendingImport>>,
    /// A second schedule to reconcile against, and the last error loading one.
    pub second: RwSignal<Option<Loaded>>,
    pub second_error: RwSignal<Option<String>>,
}

impl ImportState {
    pub fn new() -> ImportState {
        ImportState {
            workbook: RwSignal::new(None),
            mapping_step: RwSignal::new(None),
            year_one: RwSignal::new(None),
            last_file: StoredValue::new(None),
            run: RwSignal::new(None),
            pending: StoredValue::new(None),
            second: RwSignal::new(None),
            second_error: RwSignal::new(None),
        }
    }

    /// The import the worker was given as job `id`, taken (it is answered once).
    fn take_pending(&self, id: u64) -> Option<PendingImport> {
        self.pending
            .try_update_value(Option::take)
            .flatten()
            .filter(|p| p.id == id)
    }

    /// True when the worker is reading job `id`.
    fn is_current(&self, id: u64) -> bool {
        self.run
            .with_untracked(|r| r.as_ref().is_some_and(|r| r.id == id))
    }
}

impl AppState {
    /// Imports a file's bytes: on success it replaces the schedule on screen, on failure the
    /// message says what and where and the schedule on screen stays as it was. A workbook's
    /// first sheet that looks like a schedule is read; its other sheets can be picked after.
    /// A column mapping remembered for files with this header reads it the same way again;
    /// when detection is unsure of the columns, the mapping step asks (`engine::run_import`).
    pub fn load(&self, file_name: &str, bytes: &[u8]) {
        let bytes = Arc::new(bytes.to_vec());
        self.import
            .last_file
            .set_value(Some((file_name.to_string(), bytes.clone())));
        let job = ImportJob {
            file_name: file_name.to_string(),
            options: ImportOptions::default(),
            remembered: super::mapping_view::all_remembered(),
            this_year: Some(super::year_one::this_year()),
            years_one: super::year_one::all_remembered(),
            columns_only: false,
        };
        self.start_import(job, bytes);
    }

    /// Opens the demo schedule with the illustrative RAG ratings the engine gives it
    /// (`engine::illustrative_ratings`: the file publishes none), so that the scenarios' rates
    /// and the Delivery risk view work on a first visit; the Delivery risk view says they are
    /// illustrative. The ratings change no total.
    pub fn load_demo(&self) {
        let bytes = Arc::new(DEMO.to_vec());
        self.import
            .last_file
            .set_value(Some((DEMO_NAME.to_string(), bytes.clone())));
        let job = ImportJob {
            file_name: DEMO_NAME.to_string(),
            options: ImportOptions::default(),
            remembered: super::mapping_view::all_remembered(),
            this_year: Some(super::year_one::this_year()),
            years_one: super::year_one::all_remembered(),
            columns_only: false,
        };
        self.status.set(None);
        let mut report = run_import(&bytes, &job);
        if let Ok(imported) = report.outcome.as_mut() {
            let ratings = illustrative_ratings(&imported.schedule);
            for (line, rag) in imported.schedule.lines.iter_mut().zip(ratings) {
                line.rag = rag;
            }
        }
        self.finish_import(&job, &bytes, report);
    }

    /// Reads the file on screen again with another year 1 (it counts its years from one), and
    /// remembers the choice for files with its header.
    pub fn choose_year_one(&self, year: FinancialYear) {
        let Some((file_name, bytes)) = self.import.last_file.get_value() else {
            return;
        };
        if let Some(y) = self.import.year_one.get_untracked() {
            super::year_one::remember(&y.header_key, year);
        }
        let job = ImportJob {
            file_name,
            options: ImportOptions {
                first_year: Some(year),
                sheet: self.import.workbook.get_untracked().map(|w| w.sheet),
                ..ImportOptions::default()
            },
            this_year: Some(super::year_one::this_year()),
            ..ImportJob::default()
        };
        self.start_import(job, bytes);
    }

    /// Runs an import: a big file or a workbook in the worker (the page stays responsive and
    /// shows the progress, with a cancel button), a small one at once. A file chosen while
    /// another is read replaces it. Without a worker the page reads the file itself, and says
    /// that a workbook needs the worker.
    fn start_import(&self, job: ImportJob, bytes: Arc<Vec<u8>>) {
        self.status.set(None);
        if self.import.run.with_untracked(Option::is_some) {
            super::worker::cancel(Slot::Import);
            self.import.run.set(None);
        }
        let id = self.new_job_id();
        let to_worker = bytes.len() >= WORKER_FROM_BYTES || is_workbook(&bytes, &job.file_name);
        if to_worker && super::worker::import(id, &job, &bytes) {
            super::timings::mark("posted");
            self.import.run.set(Some(ImportRun {
                id,
                file_name: job.file_name.clone(),
                done: 0,
                total: bytes.len() as u64,
            }));
            self.import
                .pending
                .set_value(Some(PendingImport { id, job, bytes }));
            return;
        }
        let report = run_import(&bytes, &job);
        self.finish_import(&job, &bytes, report);
    }

    /// What the worker reading a file says: how far it has got, or the report of the file.
    pub(super) fn import_answer(&self, answer: Answer) {
        let import = self.import;
        match answer {
            Answer::Progress {
                slot: Slot::Import,
                id,
                done,
                total,
            } if import.is_current(id) => {
                import.run.update(|r| {
                    if let Some(r) = r.as_mut() {
                        r.done = done;
                        r.total = total;
                    }
                });
            }
            Answer::Imported { id, report } if import.is_current(id) => {
                import.run.set(None);
                if let Some(p) = import.take_pending(id) {
                    self.finish_import(&p.job, &p.bytes, report);
                }
            }
            Answer::Failed {
                slot: Slot::Import,
                id: Some(id),
                message,
                started,
            } if import.is_current(id) => {
                import.run.set(None);
                if let Some(p) = import.take_pending(id) {
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

    /// Cancels the import running in the worker: the schedule on screen stays as it was.
    pub fn cancel_import(&self) {
        let Some(run) = self.import.run.get_untracked() else {
            return;
        };
        super::worker::cancel(Slot::Import);
        self.import.run.set(None);
        self.import.pending.set_value(None);
        self.status.set(Some(format!(
            "Reading {} was cancelled; the schedule on screen is unchanged.",
            run.file_name
        )));
    }

    /// Puts an import's report on screen: the schedule read, with what the import says about
    /// it, or the message and (when the columns were unsure) the mapping step.
    fn finish_import(&self, job: &ImportJob, bytes: &Arc<Vec<u8>>, report: ImportReport) {
        let file_name = job.file_name.as_str();
        if job.columns_only {
            match (report.proposal, report.outcome) {
                (Some(proposal), _) => self.import.mapping_step.set(Some(MappingStep {
                    file_name: file_name.to_string(),
                    bytes: bytes.clone(),
                    proposal,
                })),
                (None, Err(e)) => self.error.set(Some(e)),
                (None, Ok(_)) => {}
            }
            return;
        }
        match self.apply_import(file_name, bytes, report.outcome) {
            Ok(()) => {
                self.import.mapping_step.set(None);
                self.import.year_one.set(report.year_one);
                if report.used_remembered {
                    self.status.set(Some(format!(
                        "{file_name} was read with the columns you chose for files with this header."
                    )));
                }
                super::timings::mark("finished");
            }
            Err(e) => {
                self.error.set(Some(e));
                // A table with no financial years (or another layout) is still checked: its
                // arithmetic map is shown, the schedule on screen is kept.
                if let Some(checked) = report.checked {
                    self.map.set(Some(FileMap {
                        file_name: file_name.to_string(),
                        map: checked.map,
                        tables: checked.tables,
                        note: Some(checked.message),
                    }));
                }
                if let Some(proposal) = report.proposal {
                    self.import.mapping_step.set(Some(MappingStep {
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
        let Some((file_name, bytes)) = self.import.last_file.get_value() else {
            return;
        };
        if is_workbook(&bytes, &file_name) {
            // Read by the worker: the mapping step opens when its answer comes.
            let job = ImportJob {
                file_name,
                columns_only: true,
                ..ImportJob::default()
            };
            self.start_import(job, bytes);
            return;
        }
        match detect_mapping(&bytes, &file_name, &ImportOptions::default()) {
            Ok(proposal) => self.import.mapping_step.set(Some(MappingStep {
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
        bytes: &Arc<Vec<u8>>,
        options: &ImportOptions,
    ) -> Result<(), String> {
        self.status.set(None);
        if is_workbook(bytes, file_name) {
            // Read by the worker, as any workbook: the schedule changes when it has read it.
            let job = ImportJob {
                file_name: file_name.to_string(),
                options: options.clone(),
                this_year: Some(super::year_one::this_year()),
                ..ImportJob::default()
            };
            self.start_import(job, bytes.clone());
            return Ok(());
        }
        let outcome = import(bytes, file_name, options)
            .map(ImportedFile::from)
            .map_err(|e| e.to_string());
        self.apply_import(file_name, bytes, outcome)
    }

    /// Reads another sheet of the workbook on screen, as an import (it can be undone).
    pub fn load_sheet(&self, sheet: &str) {
        let Some(w) = self.import.workbook.get_untracked() else {
            return;
        };
        let job = ImportJob {
            file_name: w.file_name.clone(),
            options: ImportOptions {
                sheet: Some(sheet.to_string()),
                ..ImportOptions::default()
            },
            remembered: Vec::new(),
            this_year: Some(super::year_one::this_year()),
            years_one: super::year_one::all_remembered(),
            columns_only: false,
        };
        self.start_import(job, w.bytes.clone());
    }

    /// Puts an import's outcome on screen (as a schedule or a gap table), or returns its
    /// message. A workbook's sheets are kept with its bytes, for the sheet picker.
    fn apply_import(
        &self,
        file_name: &str,
        bytes: &Arc<Vec<u8>>,
        mut imported: Result<ImportedFile, String>,
    ) -> Result<(), String> {
        if let Ok(imported) = &mut imported {
            let tables = std::mem::take(&mut imported.tables);
            self.import.year_one.set(None);
            self.map.set(imported.map.take().map(|map| FileMap {
                file_name: file_name.to_string(),
                map,
                tables,
                note: None,
            }));
            self.import
                .workbook
                .set(imported.sheet.clone().map(|sheet| Workbook {
                    file_name: file_name.to_string(),
                    bytes: bytes.clone(),
                    sheets: imported.sheets.clone(),
                    sheet,
                }));
        }
        // A forecast or funding-gap table, recognised and its rows given their roles by the
        // engine (its arithmetic map, the labels as a hint), becomes the gap model beside the
        // schedule.
        let gap = imported.as_ref().ok().and_then(|imported| {
            self.map.with_untracked(|m| {
                let map = m.as_ref().map(|m| &m.map);
                gap_model_by_arithmetic(&imported.schedule, map).map(|model| (model, map.cloned()))
            })
        });
        match (imported, gap) {
            (Ok(_), Some((model, map))) => {
                self.gap.set(Some(GapLoaded {
                    file_name: file_name.to_string(),
                    model,
                    map,
                }));
                self.error.set(None);
                self.status.set(Some(format!(
                    "{file_name} was read as a funding gap table; it is in the Funding gap view."
                )));
                self.view.set(View::Gap);
                Ok(())
            }
            (Ok(mut imported), None) => {
                // A programme file's achievement rates come as a scenario beside the schedule.
                if let Some(scenario) = imported.scenario.take() {
                    self.scenarios.update(|all| all.push(scenario));
                }
                let next = Loaded::from_import(file_name, imported, Some(bytes.clone()));
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
                                source,
                                read_at,
                            } = next;
                            self.editing.history.update_value(|h| {
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
                            l.source = source;
                            l.read_at = read_at;
                        }
                    });
                } else {
                    self.loaded.set(Some(next));
                }
                super::timings::mark("applied");
                self.derive_replaced();
                super::timings::mark("calculated");
                self.grid.active.set(None);
                self.grid.editing.set(None);
                self.editing.refresh_undo();
                self.error.set(None);
                Ok(())
            }
            (Err(e), _) => Err(e),
        }
    }

    /// Imports a second schedule to reconcile against; the first stays as it is either way.
    pub fn load_second(&self, file_name: &str, bytes: &[u8]) {
        match import(bytes, file_name, &ImportOptions::default()) {
            Ok(imported) => {
                self.import
                    .second
                    .set(Some(Loaded::from_import(file_name, imported.into(), None)));
                self.import.second_error.set(None);
            }
            Err(e) => self.import.second_error.set(Some(e.to_string())),
        }
    }
}
