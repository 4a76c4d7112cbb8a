//! The top of the page: the state (the loaded schedule, the last message) and its layout.

use leptos::prelude::*;

use crate::engine::{calculate, import, ImportOptions, Imported, Results, Schedule};

use super::checks_panel::ChecksPanel;
use super::download::ExportButtons;
use super::schedule_table::ScheduleTable;
use super::upload::Upload;

/// The demo schedule, embedded in the build: `cyps-savings-2017-21.csv`.
const DEMO_NAME: &str = "cyps-savings-2017-21.csv";
const DEMO: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-savings-2017-21.csv"
));

/// A schedule on screen, with what its import found.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub file_name: String,
    pub schedule: Schedule,
    pub encoding: &'static str,
    pub delimiter: Option<u8>,
    /// Cell problems of the import, as messages saying what and where.
    pub problems: Vec<String>,
    pub more_problems: usize,
    pub unit_stated: bool,
}

impl Loaded {
    fn from_import(file_name: &str, imported: Imported) -> Loaded {
        Loaded {
            file_name: file_name.to_string(),
            schedule: imported.schedule,
            encoding: imported.encoding,
            delimiter: imported.delimiter,
            problems: imported.problems.iter().map(ToString::to_string).collect(),
            more_problems: imported.more_problems,
            unit_stated: imported.unit_stated,
        }
    }
}

/// The page state shared with the components.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The schedule on screen; `None` only if even the demo failed to load.
    pub loaded: RwSignal<Option<Loaded>>,
    /// The last import error, shown as an alert. The schedule on screen is kept.
    pub error: RwSignal<Option<String>>,
    /// A short status ("Reading big.csv…").
    pub status: RwSignal<Option<String>>,
    /// Everything derived from the schedule on screen.
    pub results: Memo<Option<Results>>,
}

impl AppState {
    /// Imports a file's bytes: on success it replaces the schedule on screen, on failure the
    /// message says what and where and the schedule on screen stays as it was.
    pub fn load(&self, file_name: &str, bytes: &[u8]) {
        self.status.set(None);
        match import(bytes, file_name, &ImportOptions::default()) {
            Ok(imported) => {
                self.loaded
                    .set(Some(Loaded::from_import(file_name, imported)));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e.to_string())),
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let loaded = RwSignal::new(None::<Loaded>);
    let results = Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| calculate(&l.schedule))));
    let state = AppState {
        loaded,
        error: RwSignal::new(None),
        status: RwSignal::new(None),
        results,
    };
    state.load(DEMO_NAME, DEMO);
    provide_context(state);

    let title = move || {
        loaded.with(|l| {
            l.as_ref()
                .map(|l| l.schedule.title.clone())
                .unwrap_or_default()
        })
    };
    let unit = move || loaded.with(|l| l.as_ref().map(|l| l.schedule.unit.label()).unwrap_or(""));
    let source = move || {
        loaded.with(|l| {
            l.as_ref().map(|l| {
                let s = &l.schedule;
                let delimiter = match l.delimiter {
                    Some(b',') => ", comma-separated",
                    Some(b';') => ", semicolon-separated",
                    Some(b'\t') => ", tab-separated",
                    _ => "",
                };
                format!(
                    "From {} ({}{}): {} lines in {} sections, {} years.",
                    l.file_name,
                    l.encoding,
                    delimiter,
                    s.lines.len(),
                    s.sections.len(),
                    s.years.len()
                )
            })
        })
    };
    let unit_note = move || {
        loaded.with(|l| {
            l.as_ref()
                .filter(|l| !l.unit_stated)
                .map(|_| "The file states no unit; amounts are taken as pounds (£).")
        })
    };
    let ready = move || loaded.with(|l| l.is_some()).to_string();

    view! {
        <header class="masthead">
            <div class="wrap">
                <p class="brand">"Gapwise"</p>
                <p class="tagline">
                    "Savings schedules recalculated exactly, in your browser. Nothing leaves this page."
                </p>
            </div>
        </header>
        <main id="main" class="wrap" data-testid="app" data-ready=ready>
            <section class="intro" aria-labelledby="schedule-title">
                <h1 id="schedule-title" data-testid="schedule-title">{title}</h1>
                <p class="meta">
                    "Amounts in "
                    <strong data-testid="schedule-unit">{unit}</strong>
                    ". "
                    <span data-testid="schedule-source">{source}</span>
                </p>
                {move || unit_note().map(|n| view! { <p class="note">{n}</p> })}
            </section>
            <Upload />
            <ChecksPanel />
            <ExportButtons />
            <ScheduleTable />
        </main>
        <footer class="wrap footer">
            <p>
                "Gapwise runs entirely in this page: files you load are read here and never sent anywhere."
            </p>
        </footer>
    }
}
