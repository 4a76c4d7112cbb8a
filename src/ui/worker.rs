//! The page's side of its Web Worker (`src/bin/gapwise-worker.rs`), which parses big files so
//! the page stays responsive while it does, shows how far it has got, and can cancel.
//!
//! The worker is started with the page, so it is ready by the time a file is chosen. A job is
//! posted as bytes (`engine::job`) with the file's bytes beside it; the worker answers with
//! progress reports and, at the end, the import's report as bytes. Cancelling stops the worker
//! outright (whatever it was doing is dropped; nothing on screen has changed) and starts a new
//! one. A worker that cannot be started, or that fails, leaves the page to parse files itself.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use crate::engine::{decode_job, encode_job, ImportJob, ImportReport};

/// The worker's start-up script, written by Trunk beside the page (`data-loader-shim`).
const LOADER: &str = "./gapwise-worker_loader.js";

/// What the worker tells the page.
pub enum Answer {
    /// `done` of `total` bytes of job `id`'s file are read.
    Progress { id: u64, done: u64, total: u64 },
    /// Job `id` is finished.
    Imported { id: u64, report: ImportReport },
    /// The worker failed (it is stopped and replaced); job `id`, if one ran, is lost.
    Failed { id: Option<u64>, message: String },
}

struct Running {
    worker: Worker,
    ready: bool,
    /// A job posted before the worker was ready.
    queued: Option<(Object, Array)>,
    /// The job it is working on.
    busy: Option<u64>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

thread_local! {
    static RUNNING: RefCell<Option<Running>> = const { RefCell::new(None) };
    static LISTENER: RefCell<Option<Box<dyn Fn(Answer)>>> = const { RefCell::new(None) };
}

fn tell(answer: Answer) {
    LISTENER.with(|l| {
        if let Some(f) = l.borrow().as_ref() {
            f(answer);
        }
    });
}

/// Starts the worker, if it is not running, and sends its answers to `listener`.
pub fn start(listener: impl Fn(Answer) + 'static) {
    LISTENER.with(|l| *l.borrow_mut() = Some(Box::new(listener)));
    spawn();
}

fn spawn() {
    if RUNNING.with(|r| r.borrow().is_some()) {
        return;
    }
    let Ok(worker) = Worker::new(LOADER) else {
        return;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let get = |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let id = get("id").as_f64().unwrap_or(0.0) as u64;
        match get("kind").as_string().as_deref() {
            Some("ready") => {
                let queued = RUNNING.with(|r| {
                    let mut r = r.borrow_mut();
                    let running = r.as_mut()?;
                    running.ready = true;
                    running.queued.take().map(|q| (running.worker.clone(), q))
                });
                if let Some((worker, (message, transfer))) = queued {
                    let _ = worker.post_message_with_transfer(&message, &transfer);
                }
            }
            Some("progress") => tell(Answer::Progress {
                id,
                done: get("done").as_f64().unwrap_or(0.0) as u64,
                total: get("total").as_f64().unwrap_or(0.0) as u64,
            }),
            Some("imported") => {
                RUNNING.with(|r| {
                    if let Some(running) = r.borrow_mut().as_mut() {
                        running.busy = None;
                    }
                });
                let bytes = Uint8Array::new(&get("report")).to_vec();
                match decode_job::<ImportReport>(&bytes) {
                    Ok(report) => tell(Answer::Imported { id, report }),
                    Err(message) => tell(Answer::Failed {
                        id: Some(id),
                        message,
                    }),
                }
            }
            _ => {}
        }
    });
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
        e.prevent_default();
        let busy = RUNNING.with(|r| r.borrow().as_ref().and_then(|r| r.busy));
        stop();
        tell(Answer::Failed {
            id: busy,
            message: e.message(),
        });
        spawn();
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    RUNNING.with(|r| {
        *r.borrow_mut() = Some(Running {
            worker,
            ready: false,
            queued: None,
            busy: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    });
}

fn stop() {
    if let Some(running) = RUNNING.with(|r| r.borrow_mut().take()) {
        running.worker.terminate();
        // The handlers may be the code running now (a failure is reported from inside one):
        // they are left to the garbage collector rather than dropped under it.
        running._on_message.forget();
        running._on_error.forget();
    }
}

/// Hands an import to the worker as job `id`; false when there is no worker to take it (the
/// page then imports the file itself).
pub fn import(id: u64, job: &ImportJob, file: &[u8]) -> bool {
    spawn();
    RUNNING.with(|r| {
        let mut r = r.borrow_mut();
        let Some(running) = r.as_mut() else {
            return false;
        };
        let message = Object::new();
        let job = Uint8Array::from(encode_job(job).as_slice());
        let file = Uint8Array::from(file);
        let _ = Reflect::set(&message, &"kind".into(), &"import".into());
        let _ = Reflect::set(&message, &"id".into(), &(id as f64).into());
        let _ = Reflect::set(&message, &"job".into(), &job);
        let _ = Reflect::set(&message, &"file".into(), &file);
        let transfer = Array::of2(&job.buffer(), &file.buffer());
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

/// Stops whatever the worker is doing, and starts a fresh one for the next file.
pub fn cancel() {
    stop();
    spawn();
}
