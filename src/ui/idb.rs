//! The saved work in IndexedDB, for a state too big for localStorage (a 100,000-line schedule's
//! saved state is tens of megabytes; localStorage holds about five million characters).
//!
//! One database (`gapwise`), one object store (`saved`), one record set: the state's bytes cut
//! into chunks of [`CHUNK`] bytes, put one after another (`state:0`, `state:1`, …) and a count
//! (`state:n`). The bytes are either the state's JSON text ([`Stored::Text`]) or, for a big
//! schedule saved in two parts (`SaveRun::split`), its lines' bytes, with the JSON of the rest
//! in one more record (`state:head`: [`Stored::Split`]). A save from before the two parts has
//! no `state:head` and reads as text.
//! A save writes every chunk in one read-write transaction that first clears the store, so it
//! either commits whole or leaves the previous save as it was (a full disk or quota aborts it).
//! The bytes cross to the browser as `Uint8Array`s (one copy each), not as strings.
//!
//! Written over `web-sys` rather than an IndexedDB crate: the page needs open, a transaction,
//! put, get and clear on one store, about a hundred lines, and every kilobyte of the page's
//! wasm counts against the first load (issue 18).

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

const DB: &str = "gapwise";
const STORE: &str = "saved";
const VERSION: u32 = 1;
/// Bytes per record: well under any browser's limit on one value, and small enough that
/// copying one to the browser and cloning it into the store (done on the page's thread, by
/// `put`) is a short task: with 8 MB records a 100,000-line save held the thread some 75 ms in
/// one task (`make bench`'s long tasks); one megabyte at a time, each put in its own task.
const CHUNK: usize = 1 << 20;
const COUNT_KEY: &str = "state:n";
const HEAD_KEY: &str = "state:head";

/// What a save keeps, as read back.
pub enum Stored {
    /// The state's JSON text (UTF-8).
    Text(Vec<u8>),
    /// The JSON of the state with no lines, and the lines' bytes.
    Split { head: Vec<u8>, lines: Vec<u8> },
}

fn message(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .or_else(|| {
            e.dyn_ref::<web_sys::DomException>()
                .map(|e| format!("{}: {}", e.name(), e.message()))
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Waits for a request: its result, or its error's name and message. The request's handlers
/// are set when this is called, not when it is awaited: call it as soon as the request is made,
/// or an event fired meanwhile is missed.
fn settled(req: &IdbRequest) -> impl std::future::Future<Output = Result<JsValue, String>> + use<> {
    let promise = Promise::new(&mut |resolve, reject| {
        let done = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = req.clone();
        let bad = Closure::once_into_js(move |_: web_sys::Event| {
            let e = failed.error().ok().flatten().map_or_else(
                || "the request failed".to_string(),
                |e| format!("{}: {}", e.name(), e.message()),
            );
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&e));
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(bad.unchecked_ref()));
    });
    let future = JsFuture::from(promise);
    async move { future.await.map_err(|e| message(&e)) }
}

async fn finished(req: &IdbRequest) -> Result<JsValue, String> {
    settled(req).await
}

/// Waits for a transaction to commit: `Err` with the reason when it aborts (a full quota).
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let failed = tx.clone();
        let abort = Closure::once_into_js(move |_: web_sys::Event| {
            let e = failed.error().map_or_else(
                || "the save was aborted".to_string(),
                |e| format!("{}: {}", e.name(), e.message()),
            );
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&e));
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
        // An error aborts the transaction too; its abort event carries the reason.
    });
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| message(&e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| message(&e))?
        .ok_or("this browser has no IndexedDB")?;
    let req: IdbOpenDbRequest = factory
        .open_with_u32(DB, VERSION)
        .map_err(|e| message(&e))?;
    let upgrading = req.clone();
    let upgrade = Closure::once_into_js(move |_: web_sys::Event| {
        if let Ok(db) = upgrading
            .result()
            .and_then(|r| r.dyn_into::<IdbDatabase>().map_err(JsValue::from))
        {
            if !db.object_store_names().contains(STORE) {
                let _ = db.create_object_store(STORE);
            }
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = finished(&req).await?;
    db.dyn_into::<IdbDatabase>().map_err(|e| message(&e))
}

/// Saves the state's bytes (with `head`, the JSON of a state whose lines are `bytes`),
/// replacing the previous save whole, or leaves it as it was.
pub async fn save(head: Option<&[u8]>, bytes: &[u8]) -> Result<(), String> {
    let db = open().await?;
    let tx = db
        .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
        .map_err(|e| message(&e))?;
    let store = tx.object_store(STORE).map_err(|e| message(&e))?;
    store.clear().map_err(|e| message(&e))?;
    if let Some(head) = head {
        let put = store
            .put_with_key(&Uint8Array::from(head), &JsValue::from_str(HEAD_KEY))
            .map_err(|e| message(&e))?;
        finished(&put).await?;
    }
    let mut n = 0u32;
    for chunk in bytes.chunks(CHUNK) {
        let value = Uint8Array::from(chunk);
        let put = store
            .put_with_key(&value, &JsValue::from_str(&format!("state:{n}")))
            .map_err(|e| message(&e))?;
        // The next put is made when this one has succeeded: in its own task, and still in the
        // transaction (a request made from a request's success, microtasks included, keeps the
        // transaction active). A put that fails aborts the transaction: the previous save stays.
        finished(&put).await?;
        n += 1;
    }
    store
        .put_with_key(&JsValue::from(n), &JsValue::from_str(COUNT_KEY))
        .map_err(|e| message(&e))?;
    let done = committed(&tx).await;
    db.close();
    done
}

/// The saved state, or `None` when nothing is saved here.
pub async fn load() -> Result<Option<Stored>, String> {
    let db = open().await?;
    let tx = db.transaction_with_str(STORE).map_err(|e| message(&e))?;
    let store = tx.object_store(STORE).map_err(|e| message(&e))?;
    let get = |key: &str| {
        store
            .get(&JsValue::from_str(key))
            .map(|req| settled(&req))
            .map_err(|e| message(&e))
    };
    let (count, head) = (get(COUNT_KEY)?, get(HEAD_KEY)?);
    let count = count.await?;
    let head = head.await?;
    let Some(n) = count.as_f64() else {
        db.close();
        return Ok(None);
    };
    // Every read is asked for at once, in the same task, so the transaction stays open; each
    // one's handlers are set as it is asked for, so none is missed.
    let reads = (0..n as u32)
        .map(|k| get(&format!("state:{k}")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut bytes = Vec::new();
    for (k, read) in reads.into_iter().enumerate() {
        let chunk = read
            .await?
            .dyn_into::<Uint8Array>()
            .map_err(|_| format!("part {k} of the saved work is missing"))?;
        let at = bytes.len();
        bytes.resize(at + chunk.length() as usize, 0);
        chunk.copy_to(&mut bytes[at..]);
    }
    db.close();
    Ok(Some(match head.dyn_into::<Uint8Array>() {
        Ok(head) => Stored::Split {
            head: head.to_vec(),
            lines: bytes,
        },
        Err(_) => Stored::Text(bytes),
    }))
}
