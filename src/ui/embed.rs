//! The page inside another site's page: `?embed=1` (with `?data=` or a link) shows a compact,
//! read-only view for an iframe, and tells the page around it how tall it is so the frame can
//! size itself; the full page, framed without `?embed=1`, offers only a link to open it in its
//! own tab (its editing controls are never under another site's page).
//!
//! A `<meta>` Content-Security-Policy cannot say `frame-ancestors`, and a static host's headers
//! cannot tell `?embed=1` from the full page at the same address, so the refusal to be framed is
//! made here, by the page, and a host should not forbid framing outright if it wants the embed.
//!
//! The height message, posted to the parent page whatever its origin (it carries nothing but a
//! number): `{ "gapwise": "height", "height": <CSS pixels> }`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::key_figures::KeyFigures;
use super::report_view::ReportView;
use super::schedule_table::ScheduleTable;
use super::state::AppState;

/// Whether the page's address asks for the embedded view (`embed=1`).
pub fn requested() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|s| web_sys::UrlSearchParams::new_with_str(&s).ok())
        .and_then(|p| p.get("embed"))
        .is_some_and(|v| v == "1")
}

/// Whether the page is inside another page's frame.
pub fn framed() -> bool {
    web_sys::window().is_some_and(|w| match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(&top, &w),
        // A top window that cannot be reached is another page's.
        _ => true,
    })
}

/// The page's own address without `embed`, keeping `?data=` and a link's fragment: where
/// "Open in Gapwise" goes. Read at start, before a link's fragment is taken off the address.
pub fn full_page_address() -> String {
    let Some(window) = web_sys::window() else {
        return "./".into();
    };
    let location = window.location();
    let Ok(url) = location.href().and_then(|h| web_sys::Url::new(&h)) else {
        return "./".into();
    };
    url.search_params().delete("embed");
    url.href()
}

/// Posts the page's height to the page around it now and whenever it changes.
fn report_height() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    let Some(root) = window.document().and_then(|d| d.document_element()) else {
        return;
    };
    let measured = root.clone();
    let post = Closure::<dyn Fn()>::new(move || {
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"gapwise".into(), &"height".into());
        let height = f64::from(measured.scroll_height());
        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
        let _ = parent.post_message(&message, "*");
    });
    match web_sys::ResizeObserver::new(post.as_ref().unchecked_ref()) {
        Ok(observer) => observer.observe(&root),
        // No ResizeObserver: the height once, as first drawn.
        Err(_) => {
            let _ = post
                .as_ref()
                .unchecked_ref::<js_sys::Function>()
                .call0(&JsValue::NULL);
        }
    }
    // The observer calls it for the page's lifetime.
    post.forget();
}

/// The compact view for an iframe: the title, the key figures, the report (`report_view.rs`:
/// the checks, the totals, the gap and its trend) and the schedule, read-only, with a link to
/// the full page.
#[component]
pub fn EmbedView(full_page: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let loaded = state.loaded;
    let title = move || state.schedule_title();
    let unit = move || state.unit_label();
    let source = move || {
        loaded.with(|l| {
            l.as_ref()
                .map(|l| format!("From {}.", l.file_name))
                .unwrap_or_default()
        })
    };
    let ready = move || loaded.with(|l| l.is_some()).to_string();
    report_height();
    view! {
        <main id="main" class="embed" data-testid="app" data-ready=ready data-embed="true">
            <section class="intro" aria-labelledby="schedule-title">
                <h1 id="schedule-title" data-testid="schedule-title">{title}</h1>
                <p class="meta">
                    "Amounts in "
                    <strong data-testid="schedule-unit">{unit}</strong>
                    ". "
                    <span data-testid="schedule-source">{source}</span>
                    " "
                    <a href=full_page target="_blank" rel="noopener" data-testid="open-in-gapwise">
                        "Open in Gapwise"
                    </a>
                </p>
            </section>
            {move || state.error.get().map(|e| view! {
                <div class="alert" role="alert" data-testid="message"><p>{e}</p></div>
            })}
            {move || state.status.get().map(|s| view! { <p class="status" data-testid="status">{s}</p> })}
            <KeyFigures />
            <ReportView embedded=true />
            <h2>"The schedule"</h2>
            <ScheduleTable />
            <p class="embed-footer">
                "Recalculated by Gapwise in this page; nothing is sent anywhere."
            </p>
        </main>
    }
}

/// What the full page shows inside another site's frame: a link to open it in its own tab.
#[component]
pub fn FramedNotice(full_page: String) -> impl IntoView {
    view! {
        <main id="main" class="wrap" data-testid="framed-notice">
            <h1>"Gapwise"</h1>
            <p>
                "Gapwise is shown inside another page. To work on a schedule, "
                <a href=full_page target="_blank" rel="noopener">"open Gapwise in its own tab"</a>
                ". A site that embeds a schedule uses the address with "
                <code>"?embed=1"</code>
                "."
            </p>
        </main>
    }
}
