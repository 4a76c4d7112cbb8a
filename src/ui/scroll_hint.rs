//! "There is more": a table wider than its region scrolls inside it, and the region says which
//! way more of it lies, in its `data-more` attribute (`left`, `right`, both, or none), which the
//! stylesheet draws as a shadow at that edge (`.table-frame`, style/main.css). Only the
//! region's scroll position and sizes are read; nothing about the figures.
//!
//! On a region: `use:scroll_hint` (measured once drawn, and when the window is resized) and
//! `on:scroll=scroll_hint::on_scroll`; a view that changes the table in place calls [`update`].

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Sets the region's `data-more` from where it is scrolled to, and two sizes the stylesheet
/// uses: `--sticky-width`, the width of the row labels kept in view (the region's
/// `scroll-padding-left`, so that a cell scrolled into view, by the keyboard or otherwise, is
/// not left under them), and `--region-width`, its visible width (the caption wraps within it).
pub fn update(el: &web_sys::Element) {
    let sticky = el
        .query_selector("tbody tr > th:first-child")
        .ok()
        .flatten()
        .and_then(|th| th.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|th| th.offset_width())
        .unwrap_or(0);
    set_property(el, "--sticky-width", &format!("{sticky}px"));
    set_property(el, "--region-width", &format!("{}px", el.client_width()));
    let left = el.scroll_left();
    let room = el.scroll_width() - el.client_width();
    // A pixel either way is rounding, not more to see.
    let more = match (left > 1, room - left > 1) {
        (true, true) => Some("left right"),
        (true, false) => Some("left"),
        (false, true) => Some("right"),
        (false, false) => None,
    };
    let now = el.get_attribute("data-more");
    if now.as_deref() != more {
        let _ = match more {
            Some(m) => el.set_attribute("data-more", m),
            None => el.remove_attribute("data-more"),
        };
    }
}

/// Sets a custom property on the element's style through the CSSOM (`style.setProperty`), as
/// the page's Content-Security-Policy allows (it refuses a `style` attribute written as text).
fn set_property(el: &web_sys::Element, name: &str, value: &str) {
    let Ok(style) = js_sys::Reflect::get(el, &"style".into()) else {
        return;
    };
    let same = js_sys::Reflect::get(&style, &"getPropertyValue".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&style, &name.into()).ok())
        .and_then(|v| v.as_string())
        .is_some_and(|v| v == value);
    if same {
        return;
    }
    if let Some(set) = js_sys::Reflect::get(&style, &"setProperty".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let _ = set.call2(&style, &name.into(), &value.into());
    }
}

/// The directive: measures the region once it is drawn, and again when the window is resized.
pub fn scroll_hint(el: web_sys::Element) {
    let drawn = el.clone();
    request_animation_frame(move || update(&drawn));
    let listener = window_event_listener(leptos::ev::resize, move |_| update(&el));
    on_cleanup(move || listener.remove());
}

/// The region's scroll handler.
pub fn on_scroll(ev: leptos::ev::Event) {
    if let Some(el) = ev
        .current_target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
    {
        update(&el);
    }
}
