//! A programme file that counts its years from one (docs/domain.md, "Files that count years
//! from one"): the page gives the engine the financial year containing today as year 1, says so
//! on screen with a field to choose another, reads the file again at once with the choice, and
//! remembers it in this browser for files with the same header (`gapwise-year-one:` + the
//! engine's header key), so the next such file takes it. The engine decides which files count
//! from one, which year is taken and which years are offered; this renders them.

use leptos::prelude::*;

use crate::engine::{FinancialYear, YearOne};

use super::state::AppState;

/// Where a year 1 is remembered, per header.
const YEAR_ONE_KEY_PREFIX: &str = "gapwise-year-one:";

/// The financial year containing today's date, by the browser's clock.
pub fn this_year() -> FinancialYear {
    let now = js_sys::Date::new_0();
    FinancialYear::containing(now.get_full_year() as i32, now.get_month() + 1)
}

/// Every year 1 remembered in this browser, by header key (for `engine::run_import`).
pub fn all_remembered() -> Vec<(String, FinancialYear)> {
    let Some(storage) = super::saved::local_storage() else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|k| {
            let key = k.strip_prefix(YEAR_ONE_KEY_PREFIX)?.to_string();
            let text = storage.get_item(&k).ok()??;
            Some((key, FinancialYear::parse(&text)?))
        })
        .collect()
}

/// Remembers the year 1 chosen for files with this header.
pub fn remember(header_key: &str, year: FinancialYear) {
    let key = format!("{YEAR_ONE_KEY_PREFIX}{header_key}");
    if let Some(storage) = super::saved::local_storage() {
        let _ = storage.set_item(&key, &year.label());
    }
}

/// The notice "Year 1 is taken as …" with its field, when the file on screen counts its years
/// from one.
#[component]
pub fn YearOneNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.import.year_one.get().map(|y: YearOne| {
            let taken = y.year;
            let options = y
                .choices
                .iter()
                .map(|c| {
                    view! { <option value=c.label() selected=*c == taken>{c.label()}</option> }
                })
                .collect_view();
            view! {
                <div class="field year-one" data-testid="year-one-notice">
                    <label for="year-one-select">
                        {format!(
                            "Year 1 is taken as {} (the file counts years from one); change it:",
                            taken.label()
                        )}
                    </label>
                    <select
                        id="year-one-select"
                        data-testid="year-one-select"
                        on:change=move |ev| {
                            if let Some(year) = FinancialYear::parse(&event_target_value(&ev)) {
                                state.choose_year_one(year);
                            }
                        }
                    >
                        {options}
                    </select>
                </div>
            }
        })
    }
}
