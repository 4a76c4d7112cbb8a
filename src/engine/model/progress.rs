//! How far a long piece of work has got, for the page's progress bar.
//!
//! The engine's functions stay plain functions of their inputs: work that can take long (an
//! import of a big file) calls [`report`] now and then with how much of its input it has read,
//! and whoever runs it may [`watch`] those reports (the Web Worker passes them to the page).
//! Nobody watching costs one thread-local look-up per report. Reports never change a result.

use std::cell::RefCell;

type Watcher = Box<dyn FnMut(u64, u64)>;

thread_local! {
    static WATCHER: RefCell<Option<Watcher>> = const { RefCell::new(None) };
}

/// Runs `work`, passing each report of it to `watcher` as (done, total); the previous watcher,
/// if any, is put back after.
pub fn watch<R>(watcher: impl FnMut(u64, u64) + 'static, work: impl FnOnce() -> R) -> R {
    let before = WATCHER.with(|w| w.borrow_mut().replace(Box::new(watcher)));
    let result = work();
    WATCHER.with(|w| *w.borrow_mut() = before);
    result
}

/// Reports that `done` of `total` units (bytes of a file) are done.
pub(crate) fn report(done: u64, total: u64) {
    WATCHER.with(|w| {
        // A watcher that reports again (it should not) is skipped rather than re-entered.
        if let Ok(mut w) = w.try_borrow_mut() {
            if let Some(f) = w.as_mut() {
                f(done, total);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn reports_reach_the_watcher_only_while_it_watches() {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        let out = watch(
            move |d, t| s.borrow_mut().push((d, t)),
            || {
                report(1, 4);
                report(4, 4);
                7
            },
        );
        report(2, 4);
        assert_eq!(out, 7);
        assert_eq!(*seen.borrow(), vec![(1, 4), (4, 4)]);
    }
}
