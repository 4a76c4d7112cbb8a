//! Scenario links and published schedules.
//!
//! - **Copy link** puts the schedule (or, for a published one, its address and checksum) and the
//!   scenario on screen after the `#` of the page's address, where browsers never send it to a
//!   server (the engine's `share` module writes and reads it). The page shows the link and its
//!   length; a link over the engine's limit is refused with advice to export a file.
//! - **Opening a link** restores exactly the same figures. A link that cannot be read says why,
//!   and the page goes on with the work saved in this browser (or the demo). Opening a full link
//!   keeps the work saved in this browser aside, under [`BEFORE_LINK_KEY`], with a button that
//!   puts it back.
//! - **`?data=<relative address>`** loads a schedule published beside the page, read-only, with
//!   a banner naming the file and its checksum; scenarios work on top and travel as short links.
//!   An address that is not relative to the page is refused before any request is made. A
//!   published page saves nothing in the browser: a visitor's own saved work stays as it was.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::engine::{
    check_address, checksum, decode_link, is_link_fragment, share_url, verify_file, LinkState,
    Scenario, DEFAULT_MAX_BYTES, LONG_LINK_CHARS, SAFE_LINK_CHARS,
};

use super::state::{AppState, View};

/// Where the work saved in this browser is kept when a shared link replaces it.
pub const BEFORE_LINK_KEY: &str = "gapwise-state-before-link";

/// A schedule published beside the page and loaded from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The address as given, relative to the page.
    pub address: String,
    /// The SHA-256 of the file's bytes as fetched, lowercase hex.
    pub checksum: String,
    /// Opened from a short link made when the file had other bytes: what the page says.
    pub changed: Option<String>,
}

/// The `data` parameter of the page's address, if it has one.
fn data_param() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("data").filter(|d| !d.trim().is_empty())
}

/// The page's fragment without its `#`, when it is meant as a Gapwise link.
fn link_fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash).to_string();
    is_link_fragment(&fragment).then_some(fragment)
}

/// Takes the fragment off the address bar once it has been read, so that a reload shows the
/// work as it is then rather than opening the link again over it.
fn forget_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// The page's own address without query or fragment: what links are made on.
fn page_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// Fetches a file published beside the page: its bytes, or a message. The address must be
/// relative (checked before any request), the answer a success, and the file within the import
/// size limit (by its stated length before reading, and by its bytes after).
async fn fetch_published(address: &str) -> Result<Vec<u8>, String> {
    check_address(address).map_err(|e| e.to_string())?;
    let window = web_sys::window().ok_or("the page has no window")?;
    let answer = JsFuture::from(window.fetch_with_str(address))
        .await
        .map_err(|_| format!("{address} could not be fetched from this site"))?;
    let response: web_sys::Response = answer
        .dyn_into()
        .map_err(|_| format!("{address}: the answer was not a response"))?;
    if !response.ok() {
        return Err(format!(
            "{address}: the site answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let stated = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if stated.is_some_and(|n| n > DEFAULT_MAX_BYTES) {
        return Err(format!(
            "{address} is {} bytes, over the {DEFAULT_MAX_BYTES}-byte limit",
            stated.unwrap_or_default()
        ));
    }
    let buffer = response
        .array_buffer()
        .map_err(|_| format!("{address} could not be read"))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|_| format!("{address} could not be read"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    if bytes.len() > DEFAULT_MAX_BYTES {
        return Err(format!(
            "{address} is over the {DEFAULT_MAX_BYTES}-byte limit"
        ));
    }
    Ok(bytes)
}

/// The file name of an address, for messages and the banner.
fn file_name(address: &str) -> String {
    let path = address.split(['?', '#']).next().unwrap_or(address);
    path.rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// Puts a link's scenario on screen as the only scenario, and shows the comparison.
fn open_scenario(state: AppState, scenario: Option<Scenario>) {
    if let Some(scenario) = scenario {
        state.scenarios.set(vec![scenario]);
        state.active_scenario.set(Some(0));
        state.view.set(View::Scenarios);
    }
}

/// Reads the page's address at start: `?data=` and a link after `#`. Returns true when the
/// page opens a published schedule (fetched in a moment); false when the caller should restore
/// the work saved in this browser (or the demo) as usual, after which [`after_restore`] opens a
/// full link if there is one.
pub fn start(state: AppState) -> bool {
    let fragment = link_fragment();
    let link = fragment.as_deref().map(decode_link);
    if let Some(Err(e)) = &link {
        state.error.set(Some(format!(
            "This link could not be opened: {e}. Your own work is shown instead."
        )));
        forget_fragment();
    }
    let (address, expected, scenario, prices) = match link {
        Some(Ok(LinkState::Short {
            address,
            checksum,
            scenario,
            prices,
        })) => (Some(address), Some(checksum), scenario, prices),
        Some(Ok(full @ LinkState::Full { .. })) => {
            state.store.pending_link.set_value(Some(full));
            (data_param(), None, None, None)
        }
        _ => (data_param(), None, None, None),
    };
    let Some(address) = address else {
        return false;
    };
    if let Err(e) = check_address(&address) {
        state.error.set(Some(format!(
            "The published schedule was not loaded: {e}. Nothing was requested."
        )));
        return false;
    }
    state
        .status
        .set(Some(format!("Loading the published schedule {address}…")));
    spawn_local(async move {
        match fetch_published(&address).await {
            Ok(bytes) => {
                let name = file_name(&address);
                let changed = expected
                    .as_deref()
                    .and_then(|expected| verify_file(&address, expected, &bytes).err())
                    .map(|e| e.to_string());
                state.published.set(Some(Published {
                    address: address.clone(),
                    checksum: checksum(&bytes),
                    changed,
                }));
                state.load(&name, &bytes);
                if state.loaded.with_untracked(Option::is_none) {
                    // Not a schedule (the load's message says why): the page goes on as usual.
                    state.published.set(None);
                    state.restore_or_demo();
                    return;
                }
                state.status.set(None);
                state.view.set(View::Schedule);
                open_scenario(state, scenario);
                super::prices::restore(state, prices);
                forget_fragment();
            }
            Err(e) => {
                state.status.set(None);
                state.error.set(Some(format!(
                    "The published schedule was not loaded: {e}. Your own work is shown instead."
                )));
                state.restore_or_demo();
            }
        }
    });
    true
}

/// Opens a full link read at start, over the work restored from this browser, which is kept
/// aside first (see [`BEFORE_LINK_KEY`]).
pub fn after_restore(state: AppState) {
    let Some(LinkState::Full {
        schedule,
        scenario,
        gap,
        prices,
    }) = state
        .store
        .pending_link
        .try_update_value(Option::take)
        .flatten()
    else {
        return;
    };
    // The embedded view never touches this browser's saved work: there is none to keep aside.
    let storage = super::saved::local_storage().filter(|_| !state.embed);
    let kept = storage.is_some_and(
        |storage| match storage.get_item(super::saved::STORAGE_KEY) {
            Ok(Some(saved)) => storage.set_item(BEFORE_LINK_KEY, &saved).is_ok(),
            _ => false,
        },
    );
    state.open_shared(schedule, gap);
    state.scenarios.set(Vec::new());
    state.active_scenario.set(None);
    open_scenario(state, scenario);
    super::prices::restore(state, prices);
    state.status.set(Some(if kept {
        "Opened a shared link. The work you had in this browser was kept aside; “Put my work back” returns to it.".to_string()
    } else {
        "Opened a shared link.".to_string()
    }));
    state.store.kept_aside.set(kept);
    forget_fragment();
}

/// Puts back the work kept aside when a link was opened, and reloads the page with it.
fn put_back() {
    let Some(storage) = super::saved::local_storage() else {
        return;
    };
    if let Ok(Some(saved)) = storage.get_item(BEFORE_LINK_KEY) {
        let _ = storage.set_item(super::saved::STORAGE_KEY, &saved);
        let _ = storage.remove_item(BEFORE_LINK_KEY);
    }
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// The banner of a published schedule.
#[component]
pub fn PublishedBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.published.with(|p| {
            p.as_ref().map(|p| {
                view! {
                    <section class="published-banner" data-testid="published-banner" aria-label="Published schedule">
                        <p>
                            <strong>"Published schedule: "</strong>
                            {file_name(&p.address)}
                            " ("
                            <span data-testid="published-address">{p.address.clone()}</span>
                            "), read-only. Try scenarios on it and share them with “Copy link”."
                        </p>
                        <p class="checksum">
                            "SHA-256 of the file as loaded: "
                            <code data-testid="published-checksum">{p.checksum.clone()}</code>
                        </p>
                        {p.changed.clone().map(|c| view! {
                            <p class="changed" role="alert" data-testid="published-changed">{c}</p>
                        })}
                    </section>
                }
            })
        })
    }
}

/// “Copy link”: the link to what is on screen, its length, and a message when it cannot be made.
#[component]
pub fn ShareLink() -> impl IntoView {
    let state = expect_context::<AppState>();
    let link = RwSignal::new(None::<Result<String, String>>);
    let make = move |_| {
        let scenario = state
            .active_scenario
            .get_untracked()
            .and_then(|i| state.scenarios.with_untracked(|all| all.get(i).cloned()));
        let link_state = match state.published.get_untracked() {
            Some(p) => Some(LinkState::Short {
                address: p.address,
                checksum: p.checksum,
                scenario,
                prices: state.prices.get_untracked(),
            }),
            None => state.loaded.with_untracked(|l| {
                l.as_ref().map(|l| LinkState::Full {
                    schedule: l.schedule.clone(),
                    scenario,
                    gap: state
                        .gap
                        .with_untracked(|g| g.as_ref().map(|g| g.model.clone())),
                    prices: state.prices.get_untracked(),
                })
            }),
        };
        let Some(link_state) = link_state else {
            return;
        };
        let made = share_url(&page_base(), &link_state).map_err(|e| e.to_string());
        if let Ok(url) = &made {
            if let Some(w) = web_sys::window() {
                // Copying can be refused (no permission); the link is shown to copy by hand.
                let _ = w.navigator().clipboard().write_text(url);
            }
        }
        link.set(Some(made));
    };
    let shown = move || {
        link.get().map(|made| match made {
            Ok(url) => {
                let chars = url.chars().count();
                let note = if chars > LONG_LINK_CHARS {
                    format!("{chars} characters: it opens in every current browser, but mail programs, chat apps and documents may cut a link this long; check that it arrives whole, or share the file (Export JSON).")
                } else if chars > SAFE_LINK_CHARS {
                    format!("{chars} characters: some mail programs cut links this long; a chat message or a document keeps it whole.")
                } else {
                    format!("{chars} characters.")
                };
                view! {
                    <div class="share-result">
                        <label for="share-link">"Link (copied, or select it and copy)"</label>
                        <input id="share-link" type="text" readonly value=url data-testid="share-link" />
                        <p class="hint" data-testid="share-length">{note}</p>
                    </div>
                }
                .into_any()
            }
            Err(e) => view! { <p class="alert" role="alert" data-testid="share-error">{e}</p> }.into_any(),
        })
    };
    let kept = move || {
        state.store.kept_aside.get().then(|| {
            view! {
                <button type="button" class="button" data-testid="put-back" on:click=move |_| put_back()>
                    "Put my work back"
                </button>
            }
        })
    };
    // In the file toolbar: the button, then (on a line of its own) the link or why there is none.
    view! {
        <div class="toolbar-group share" role="group" aria-label="Share">
            <button type="button" class="button" data-testid="copy-link" on:click=make>
                "Copy link"
            </button>
            {kept}
        </div>
        <div class="toolbar-result">{shown}</div>
    }
}
