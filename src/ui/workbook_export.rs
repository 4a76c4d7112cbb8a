//! Workbooks written by the worker. The page is built without the workbook writer (Cargo.toml's
//! features), so "Download … Excel" hands what the workbook holds to the workbook worker
//! (`worker::write_workbook`) and downloads the bytes it sends back. While it writes, the status
//! line says so; a worker that cannot be started (blocked, or offline before the page kept its
//! files) gives the engine's message, and nothing on screen changes.

use leptos::prelude::*;

use crate::engine::{write_workbook, Error, ErrorKind, WorkbookJob};

use super::download::{download, XLSX_MIME};
use super::state::AppState;
use super::worker::{Answer, Slot};

/// The workbook being written: its job's number, the file name to download it as, and, in a
/// build with the writer (`xlsx` feature), the job, written on the page instead if the worker
/// cannot start. The page as built has no writer, so it keeps no copy of the job.
#[derive(Clone, Copy)]
pub struct WorkbookWriting {
    pending: StoredValue<Option<(u64, String, Option<WorkbookJob>)>>,
}

impl WorkbookWriting {
    pub fn new() -> WorkbookWriting {
        WorkbookWriting {
            pending: StoredValue::new(None),
        }
    }
}

impl AppState {
    /// Writes a workbook and downloads it as `file_name`: in the worker, or on the page when
    /// there is no worker (a page without the writer then says why it cannot).
    pub fn write_workbook(&self, file_name: String, job: WorkbookJob) {
        let id = self.new_job_id();
        if super::worker::write_workbook(id, &job) {
            self.status.set(Some(format!(
                "Writing {file_name}… it downloads when it is ready."
            )));
            let fallback = cfg!(feature = "xlsx").then_some(job);
            self.workbooks
                .pending
                .set_value(Some((id, file_name, fallback)));
        } else {
            let written = write_workbook(&job).map_err(|e| e.to_string());
            self.workbook_written(&file_name, written);
        }
    }

    /// What the workbook worker says: the workbook, or that it failed.
    pub(super) fn workbook_answer(&self, answer: Answer) {
        let pending = self.workbooks.pending;
        let is_pending = |id: u64| pending.with_value(|p| p.as_ref().is_some_and(|p| p.0 == id));
        match answer {
            Answer::Written { id, workbook } if is_pending(id) => {
                if let Some((_, file_name, _)) = pending.try_update_value(Option::take).flatten() {
                    self.workbook_written(&file_name, workbook);
                }
            }
            Answer::Failed {
                slot: Slot::Workbook,
                message,
                started,
                ..
            } => {
                if let Some((_, file_name, job)) = pending.try_update_value(Option::take).flatten()
                {
                    let written = match job {
                        _ if started => {
                            Err(format!("the worker stopped before the end ({message})"))
                        }
                        Some(job) => write_workbook(&job).map_err(|e| e.to_string()),
                        None => Err(Error::new(ErrorKind::WorkbookElsewhere).to_string()),
                    };
                    self.workbook_written(&file_name, written);
                }
            }
            _ => {}
        }
    }

    fn workbook_written(&self, file_name: &str, workbook: Result<Vec<u8>, String>) {
        self.status.set(None);
        let done = workbook
            .and_then(|bytes| download(file_name, XLSX_MIME, &bytes).map_err(|e| format!("{e:?}")));
        if let Err(e) = done {
            self.error.set(Some(format!(
                "The export failed: {file_name}: {e}. The schedule on screen is unchanged."
            )));
        }
    }
}
