//! Long work on the page's thread done a slice at a time: netting a big schedule and writing its
//! saved state each take hundreds of milliseconds in one go (`make bench`: long tasks after the
//! totals), during which the page would not answer input or draw. Run in slices of
//! [`SLICE_MS`] with the thread let go in between (a zero timeout: input and frames first),
//! no task is one the user feels (the browser calls a task over 50 ms a long task).

use std::ops::ControlFlow;

use leptos::prelude::set_timeout;

/// How long one slice may hold the page's thread, in milliseconds.
pub(super) const SLICE_MS: f64 = 12.0;

/// Calls `step` until it answers `Break`, for at most [`SLICE_MS`] at a time (a step should be
/// short: a few hundred lines' work), letting the page's thread go between slices. A step
/// answers `Break` when its work is done or no longer wanted (the schedule changed meanwhile).
pub(super) fn in_slices<F>(mut step: F)
where
    F: FnMut() -> ControlFlow<()> + 'static,
{
    let clock = web_sys::window().and_then(|w| w.performance());
    let now = || clock.as_ref().map_or(0.0, |p| p.now());
    let start = now();
    loop {
        if step().is_break() {
            return;
        }
        if now() - start >= SLICE_MS {
            break;
        }
    }
    set_timeout(move || in_slices(step), std::time::Duration::ZERO);
}
