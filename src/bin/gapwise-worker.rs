//! Gapwise's Web Worker: the page hands it a big file to parse, so the page stays responsive,
//! shows the progress and can cancel (by stopping the worker). What it runs is the engine's
//! `run_import`, the same as the page runs for a small file; the job and the report cross as
//! bytes (`engine::job`).
//!
//! Messages, as plain objects:
//! - from the worker, once started: `{kind: "ready"}`;
//! - to the worker: `{kind: "import", id, job: Uint8Array, file: Uint8Array}`;
//! - from the worker while it reads: `{kind: "progress", id, done, total}` (bytes of the file,
//!   at most every hundredth of it);
//! - from the worker at the end: `{kind: "imported", id, report: Uint8Array, timings}`,
//!   `timings` the milliseconds each phase took in the worker (`copy_in`, the engine's
//!   `IMPORT_PHASES`, `encode`), for the benchmark (`tests/e2e/bench.mjs`);
//! - to the worker: `{kind: "simulate", id, job: Uint8Array}` (a delivery risk simulation);
//! - from the worker while it runs: `{kind: "progress", id, done, total}` (runs, at most every
//!   fiftieth of them), and at the end `{kind: "simulated", id, report: Uint8Array}`;
//!
//! Workbooks are written by the other worker, `gapwise-writer`.
//!
//! Natively this binary only says where it runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gapwise-worker runs in the browser, as the page's Web Worker: see `make serve`.");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod web {
    use gapwise::engine::{
        decode_job, encode_job, progress, run_import_with, run_simulation, ImportJob, ImportReport,
        SimulationJob, SimulationReport,
    };
    use gapwise::worker_side::{answer, listen, message, scope};
    use js_sys::{Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    /// Milliseconds on the worker's clock (its own time origin: only differences are used).
    fn now() -> f64 {
        Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .map(|p| p.unchecked_into::<web_sys::Performance>().now())
            .unwrap_or(0.0)
    }

    /// The milliseconds each phase of an import took, in the order they ran.
    struct Laps {
        last: f64,
        times: Object,
    }

    impl Laps {
        fn new() -> Laps {
            Laps {
                last: now(),
                times: Object::new(),
            }
        }

        fn lap(&mut self, phase: &str) {
            let t = now();
            let _ = Reflect::set(&self.times, &phase.into(), &(t - self.last).into());
            self.last = t;
        }
    }

    pub fn start() {
        listen(handle);
    }

    fn handle(data: JsValue) {
        let get = |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
        let id = get("id").as_f64().unwrap_or(0.0);
        match get("kind").as_string().as_deref() {
            Some("import") => {}
            Some("simulate") => {
                let job = Uint8Array::new(&get("job")).to_vec();
                let report = simulate(id, &job);
                answer(message("simulated", id), encode_job(&report));
                return;
            }
            _ => return,
        }
        let mut laps = Laps::new();
        let job = Uint8Array::new(&get("job")).to_vec();
        let file = Uint8Array::new(&get("file")).to_vec();
        laps.lap("copy_in");
        let report = match decode_job::<ImportJob>(&job) {
            Ok(job) => {
                let mut last = 0u64;
                progress::watch(
                    move |done, total| {
                        // At most a hundred reports a file: each is a message to the page.
                        if total > 0 && (done - last.min(done)) * 100 >= total {
                            last = done;
                            let m = message("progress", id);
                            let _ = Reflect::set(&m, &"done".into(), &(done as f64).into());
                            let _ = Reflect::set(&m, &"total".into(), &(total as f64).into());
                            let _ = scope().post_message(&m);
                        }
                    },
                    || run_import_with(&file, &job, &mut |phase| laps.lap(phase)),
                )
            }
            Err(e) => ImportReport {
                outcome: Err(e.to_string()),
                used_remembered: false,
                proposal: None,
                checked: None,
                year_one: None,
            },
        };
        drop(file);
        let report = encode_job(&report);
        laps.lap("encode");
        let m = message("imported", id);
        let _ = Reflect::set(&m, &"timings".into(), &laps.times);
        answer(m, report);
    }

    /// Runs a simulation (`engine::run_simulation`), telling the page after each fiftieth of
    /// the runs; the page cancels by stopping the worker.
    fn simulate(id: f64, job: &[u8]) -> SimulationReport {
        let job = decode_job::<SimulationJob>(job).map_err(|e| e.to_string())?;
        run_simulation(job, |p| {
            let m = message("progress", id);
            let _ = Reflect::set(&m, &"done".into(), &f64::from(p.done).into());
            let _ = Reflect::set(&m, &"total".into(), &f64::from(p.total).into());
            let _ = scope().post_message(&m);
        })
    }
}
