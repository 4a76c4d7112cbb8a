//! The page's side of its Web Workers (`src/bin/gapwise-worker.rs`), which parse big files and
//! workbooks, run delivery risk simulations and write workbooks, so the page stays responsive
//! while they do, shows how far they have got, and can cancel. There are three, one per kind of
//! job ([`Slot`]), so cancelling a simulation never stops an import.
//!
//! The page is built without the workbook reader and writer (Cargo.toml's features): workbooks
//! are read and written only by a worker, and without one the page says that it could not be
//! loaded (`engine::ErrorKind::WorkbookElsewhere`) and keeps the schedule on screen.
//!
//! The import worker is started with the page, so it is ready by the time a file is chosen;
//! the simulation worker at the first simulation, the workbook writer at the first workbook
//! written. A job is
//! posted as bytes (`engine::job`) with the file's bytes beside it; the worker answers with
//! progress reports and, at the end, the import's report as bytes. Cancelling stops the worker
//! outright (whatever it was doing is dropped; nothing on screen has changed) and starts a new
//! one. A worker that cannot be started, or that fails, leaves the page to parse files itself.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::engine::{
    decode_job, encode_job, ImportJob, ImportReport, SimulationJob, SimulationReport, WorkbookJob,
};

/// Each worker's start-up script, copied beside the page: imports and simulations run in
/// `gapwise-worker` (`src/worker-loader.js`), workbooks are written by `gapwise-writer`
/// (`src/writer-loader.js`), which is fetched only when the first workbook is written.
fn loader(slot: Slot) -> &'static str {
    match slot {
        Slot::Import | Slot::Risk => "./worker-loader.js",
        Slot::Workbook => "./writer-loader.js",
    }
}

/// The workers, one per kind of job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Import = 0,
    Risk = 1,
    Workbook = 2,
}

/// What a worker tells the page.
pub enum Answer {
    /// `done` of `total` (bytes of a file, runs of a simulation) of job `id` are done.
    Progress {
        slot: Slot,
        id: u64,
        done: u64,
        total: u64,
    },
    /// Import `id` is finished.
    Imported { id: u64, report: ImportReport },
    /// Simulation `id` is finished.
    Simulated { id: u64, report: SimulationReport },
    /// Workbook `id` is written: its bytes, or why it could not be.
    Written {
        id: u64,
        workbook: Result<Vec<u8>, String>,
    },
    /// The worker failed (it is stopped); job `id`, if one ran, is lost. `started`: false when
    /// the worker never started (its files could not be loaded), so the page should do the job
    /// itself; a worker that had started is replaced.
    Failed {
        slot: Slot,
        id: Option<u64>,
        message: String,
        started: bool,
    },
}

struct Running {
    worker: Worker,
    ready: bool,
    /// A job posted before the worker was ready.
    queued: Option<(Object, Array)>,
    /// The job it is working on.
    busy: Option<u64>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static RUNNING: RefCell<[Option<Running>; 3]> = const { RefCell::new([None, None, None]) };
    static LISTENER: RefCell<Option<Box<dyn Fn(Answer)>>> = const { RefCell::new(None) };
}

fn tell(answer: Answer) {
    LISTENER.with(|l| {
        if let Some(f) = l.borrow().as_ref() {
            f(answer);
        }
    });
}

/// Starts the import worker, if it is not running, and sends the workers' answers to
/// `listener`.
pub fn start(listener: impl Fn(Answer) + 'static) {
    LISTENER.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
    spawn(Slot::Import);
}

fn with_slot<R>(slot: Slot, f: impl FnOnce(&mut Option<Running>) -> R) -> R {
    RUNNING.with(|r| f(&mut r.borrow_mut()[slot as usize]))
}

fn spawn(slot: Slot) {
    if with_slot(slot, |r| r.is_some()) {
        return;
    }
    let Ok(worker) = Worker::new(loader(slot)) else {
        return;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let get = |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let id = get("id").as_f64().unwrap_or(0.0) as u64;
        let kind = get("kind").as_string();
        if matches!(kind.as_deref(), Some("imported" | "simulated" | "written")) {
            with_slot(slot, |r| {
                if let Some(running) = r.as_mut() {
                    running.busy = None;
                }
            });
        }
        let bytes = |key: &str| Uint8Array::new(&get(key)).to_vec();
        match kind.as_deref() {
            Some("ready") => {
                let queued = with_slot(slot, |r| {
                    let running = r.as_mut()?;
                    running.ready = true;
                    running.queued.take().map(|q| (running.worker.clone(), q))
                });
                if let Some((worker, (message, transfer))) = queued {
                    let _ = worker.post_message_with_transfer(&message, &transfer);
                }
            }
            Some("progress") => tell(Answer::Progress {
                slot,
                id,
                done: get("done").as_f64().unwrap_or(0.0) as u64,
                total: get("total").as_f64().unwrap_or(0.0) as u64,
            }),
            Some("imported") => {
                super::timings::mark("received");
                super::timings::note("worker", &get("timings"));
                let report = decode_job::<ImportReport>(&bytes("report"));
                super::timings::mark("decoded");
                match report {
                    Ok(report) => tell(Answer::Imported { id, report }),
                    Err(e) => tell(Answer::Failed {
                        slot,
                        id: Some(id),
                        message: e.to_string(),
                        started: true,
                    }),
                }
            }
            Some("written") => {
                let error = get("error").as_string();
                tell(Answer::Written {
                    id,
                    workbook: match error {
                        Some(e) => Err(e),
                        None => Ok(bytes("report")),
                    },
                });
            }
            Some("simulated") => match decode_job::<SimulationReport>(&bytes("report")) {
                Ok(report) => tell(Answer::Simulated { id, report }),
                Err(e) => tell(Answer::Failed {
                    slot,
                    id: Some(id),
                    message: e.to_string(),
                    started: true,
                }),
            },
            _ => {}
        }
    });
    // An error in the worker is an ErrorEvent with a message; a worker whose script cannot be
    // loaded gets a plain Event: the message is read only if there is one.
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        e.prevent_default();
        let message = Reflect::get(&e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| "the worker could not be started".to_string());
        let (busy, started) = with_slot(slot, |r| {
            r.as_ref().map_or((None, false), |r| (r.busy, r.ready))
        });
        stop(slot);
        tell(Answer::Failed {
            slot,
            id: busy,
            message,
            started,
        });
        // Replaced only if it had started: a worker whose files cannot be loaded (offline
        // before they were kept, say) would fail again at once.
        if slot == Slot::Import && started {
            spawn(slot);
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    with_slot(slot, |r| {
        *r = Some(Running {
            worker,
            ready: false,
            queued: None,
            busy: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
}

fn stop(slot: Slot) {
    if let Some(running) = with_slot(slot, Option::take) {
        running.worker.terminate();
        // The handlers may be the code running now (a failure is reported from inside one):
        // they are left to the garbage collector rather than dropped under it.
        running._on_message.forget();
        running._on_error.forget();
    }
}

/// Posts a job to a worker (started if need be); false when there is no worker to take it.
fn post(slot: Slot, id: u64, kind: &str, job: Vec<u8>, file: Option<&[u8]>) -> bool {
    spawn(slot);
    with_slot(slot, |r| {
        let Some(running) = r.as_mut() else {
            return false;
        };
        let message = Object::new();
        let job = Uint8Array::from(job.as_slice());
        let _ = Reflect::set(&message, &"kind".into(), &kind.into());
        let _ = Reflect::set(&message, &"id".into(), &(id as f64).into());
        let _ = Reflect::set(&message, &"job".into(), &job);
        let transfer = Array::of1(&job.buffer());
        if let Some(file) = file {
            let file = Uint8Array::from(file);
            let _ = Reflect::set(&message, &"file".into(), &file);
            transfer.push(&file.buffer());
        }
        running.busy = Some(id);
        if running.ready {
            running
                .worker
                .post_message_with_transfer(&message, &transfer)
                .is_ok()
        } else {
            running.queued = Some((message, transfer));
            true
        }
    })
}

/// Hands an import to the import worker as job `id`; false when there is no worker to take it
/// (the page then imports the file itself).
pub fn import(id: u64, job: &ImportJob, file: &[u8]) -> bool {
    post(Slot::Import, id, "import", encode_job(job), Some(file))
}

/// Hands a simulation to the simulation worker as job `id`; false when there is no worker.
pub fn simulate(id: u64, job: &SimulationJob) -> bool {
    post(Slot::Risk, id, "simulate", encode_job(job), None)
}

/// Hands a workbook to write to the workbook worker as job `id`; false when there is no
/// worker to take it.
pub fn write_workbook(id: u64, job: &WorkbookJob) -> bool {
    post(Slot::Workbook, id, "workbook", encode_job(job), None)
}

/// Stops whatever the worker is doing; the import worker is started again at once, ready for
/// the next file, the simulation worker at the next simulation.
pub fn cancel(slot: Slot) {
    stop(slot);
    if slot == Slot::Import {
        spawn(slot);
    }
}
