//! The workers' side of their messages to the page, shared by both worker programs:
//! `src/bin/gapwise-worker.rs` (imports and simulations, compiled for speed) and
//! `src/bin/gapwise-writer.rs` (workbooks written, compiled for size and fetched only when the
//! first workbook is written). Each program says which jobs it takes ([`listen`]), so each
//! carries only the engine code those jobs need.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// The worker's global scope.
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// A message to the page: `{kind, id}`.
pub fn message(kind: &str, id: f64) -> Object {
    let m = Object::new();
    let _ = Reflect::set(&m, &"kind".into(), &kind.into());
    let _ = Reflect::set(&m, &"id".into(), &id.into());
    m
}

/// Sends `m` with `report`'s bytes as its `report`, transferred rather than copied.
pub fn answer(m: Object, report: Vec<u8>) {
    let bytes = Uint8Array::from(report.as_slice());
    let _ = Reflect::set(&m, &"report".into(), &bytes);
    let transfer = Array::of1(&bytes.buffer());
    let _ = scope().post_message_with_transfer(&m, &transfer);
}

/// Hands every message from the page to `handle` (the message's data), then tells the page the
/// worker is ready (`{kind: "ready"}`).
pub fn listen(handle: impl Fn(JsValue) + 'static) {
    let on_message =
        Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| handle(e.data()));
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope().post_message(&message("ready", 0.0));
}
