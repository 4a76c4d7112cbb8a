//! Gapwise's workbook writer, a Web Worker of its own: the page is built without the workbook
//! writer (Cargo.toml's features), and this program, compiled for size, is fetched only when
//! the first workbook is written (`ui::workbook_export`), so neither the page nor the import
//! worker carries it.
//!
//! Messages, as plain objects:
//! - from the worker, once started: `{kind: "ready"}`;
//! - to the worker: `{kind: "workbook", id, job: Uint8Array}` (`engine::WorkbookJob`);
//! - from the worker: `{kind: "written", id, report: Uint8Array}`, the workbook's bytes, or
//!   `{kind: "written", id, error}` saying why it could not be written.
//!
//! Natively this binary only says where it runs.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    gapwise::worker_side::listen(web::handle);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("gapwise-writer runs in the browser, as the page's Web Worker: see `make serve`.");
    std::process::exit(2);
}

#[cfg(target_arch = "wasm32")]
mod web {
    use gapwise::engine::{decode_job, write_workbook, WorkbookJob};
    use gapwise::worker_side::{answer, message, scope};
    use js_sys::{Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;

    pub fn handle(data: JsValue) {
        let get = |key: &str| Reflect::get(&data, &key.into()).unwrap_or(JsValue::UNDEFINED);
        if get("kind").as_string().as_deref() != Some("workbook") {
            return;
        }
        let id = get("id").as_f64().unwrap_or(0.0);
        let job = Uint8Array::new(&get("job")).to_vec();
        let written = decode_job::<WorkbookJob>(&job)
            .map_err(|e| e.to_string())
            .and_then(|job| write_workbook(&job).map_err(|e| e.to_string()));
        match written {
            Ok(bytes) => answer(message("written", id), bytes),
            Err(e) => {
                let m = message("written", id);
                let _ = Reflect::set(&m, &"error".into(), &e.into());
                let _ = scope().post_message(&m);
            }
        }
    }
}
