//! Where an import's time goes, for the benchmark (`tests/e2e/bench.mjs`), which reads
//! `window.__gapwiseTimings`: the page's marks (`performance.now()` on the page's clock, when
//! each phase ended) and the worker's own phase times in milliseconds (`worker`). Nothing on
//! the page reads them; they cost a few property writes per import.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

const KEY: &str = "__gapwiseTimings";

/// Milliseconds on the page's clock.
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn timings() -> Option<Object> {
    Reflect::get(&js_sys::global(), &KEY.into())
        .ok()
        .and_then(|t| t.dyn_into::<Object>().ok())
}

/// Starts the marks of a new import: the ones of the last are dropped.
pub fn start(mark: &str) {
    let _ = Reflect::set(&js_sys::global(), &KEY.into(), &Object::new());
    self::mark(mark);
}

/// Notes that phase `name` of the import under way ended now.
pub fn mark(name: &str) {
    if let Some(t) = timings() {
        let _ = Reflect::set(&t, &name.into(), &now().into());
    }
}

/// Keeps a value beside the marks (the worker's phase times).
pub fn note(name: &str, value: &JsValue) {
    if let Some(t) = timings() {
        let _ = Reflect::set(&t, &name.into(), value);
    }
}
