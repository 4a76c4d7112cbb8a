//! The top of the page: the state (the loaded schedule, the last message) and its layout.

use leptos::prelude::*;

use crate::engine::{
    calculate, compute_gap, gap_model, import, looks_like_gap_table, netting, reconcile,
    schedule_in_profile, GapFigures, GapModel, ImportOptions, Imported, Netting, Profile,
    Reconciliation, Results, Schedule,
};

use super::checks_panel::ChecksPanel;
use super::download::ExportButtons;
use super::gap_view::GapView;
use super::net_view::NetView;
use super::reconcile_view::ReconcileView;
use super::schedule_table::ScheduleTable;
use super::settings::Settings;
use super::upload::Upload;

/// The views of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Schedule,
    Net,
    Gap,
    Reconcile,
}

/// The gap table that opens beside the demo schedule: `cyps-budget-forecast-2016-21.csv`.
const DEMO_GAP_NAME: &str = "cyps-budget-forecast-2016-21.csv";
const DEMO_GAP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-budget-forecast-2016-21.csv"
));

/// A funding gap model on screen and the file it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct GapLoaded {
    pub file_name: String,
    pub model: GapModel,
}

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
    /// Everything derived from the schedule on screen, as published.
    pub results: Memo<Option<Results>>,
    /// Proposals, nets, paybacks, reversals and duplicate references of the schedule on screen.
    pub netting: Memo<Option<Netting>>,
    /// The view shown.
    pub view: RwSignal<View>,
    /// The profile the schedule table shows its figures in; `None` shows them as published.
    pub shown_profile: RwSignal<Option<Profile>>,
    /// The schedule converted to `shown_profile` and its results, when that differs from the
    /// schedule's own profile; `None` when the table shows the figures as published.
    pub shown: Memo<Option<(Schedule, Results)>>,
    /// A second schedule to reconcile against, and the last error loading one.
    pub second: RwSignal<Option<Loaded>>,
    pub second_error: RwSignal<Option<String>>,
    /// The reconciliation of the schedule on screen against the second one.
    pub reconciliation: Memo<Option<Reconciliation>>,
    /// The funding gap model, and its figures (fed by the schedule on screen when asked).
    pub gap: RwSignal<Option<GapLoaded>>,
    pub gap_figures: Memo<Option<GapFigures>>,
}

impl AppState {
    /// Imports a file's bytes: on success it replaces the schedule on screen, on failure the
    /// message says what and where and the schedule on screen stays as it was.
    pub fn load(&self, file_name: &str, bytes: &[u8]) {
        self.status.set(None);
        match import(bytes, file_name, &ImportOptions::default()) {
            Ok(imported) if looks_like_gap_table(&imported.schedule) => {
                // A forecast or funding-gap table: it becomes the gap model beside the schedule.
                let model = gap_model(&imported.schedule);
                self.gap.set(Some(GapLoaded {
                    file_name: file_name.to_string(),
                    model,
                }));
                self.error.set(None);
                self.status.set(Some(format!(
                    "{file_name} was read as a funding gap table; it is in the Funding gap view."
                )));
                self.view.set(View::Gap);
            }
            Ok(imported) => {
                self.loaded
                    .set(Some(Loaded::from_import(file_name, imported)));
                self.error.set(None);
            }
            Err(e) => self.error.set(Some(e.to_string())),
        }
    }

    /// Imports a second schedule to reconcile against; the first stays as it is either way.
    pub fn load_second(&self, file_name: &str, bytes: &[u8]) {
        match import(bytes, file_name, &ImportOptions::default()) {
            Ok(imported) => {
                self.second
                    .set(Some(Loaded::from_import(file_name, imported)));
                self.second_error.set(None);
            }
            Err(e) => self.second_error.set(Some(e.to_string())),
        }
    }

    /// Changes the gap model (a row's role, how it is stated, the savings feed).
    pub fn edit_gap(&self, change: impl FnOnce(&mut GapModel)) {
        self.gap.update(|g| {
            if let Some(g) = g.as_mut() {
                change(&mut g.model);
            }
        });
    }

    /// Changes the schedule on screen (a setting, a memo mark); every result is derived again.
    pub fn edit(&self, change: impl FnOnce(&mut Schedule)) {
        self.loaded.update(|l| {
            if let Some(l) = l.as_mut() {
                change(&mut l.schedule);
            }
        });
    }
}

#[component]
pub fn App() -> impl IntoView {
    let loaded = RwSignal::new(None::<Loaded>);
    let results = Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| calculate(&l.schedule))));
    let netting = Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| netting(&l.schedule))));
    let shown_profile = RwSignal::new(None::<Profile>);
    // Only a converted view needs its own copy and results; as published, the table reads
    // `loaded` and `results` directly.
    let shown = Memo::new(move |_| {
        let profile = shown_profile.get()?;
        loaded.with(|l| {
            let l = l.as_ref()?;
            (profile != l.schedule.profile).then(|| {
                let s = schedule_in_profile(&l.schedule, profile);
                let r = calculate(&s);
                (s, r)
            })
        })
    });
    let second = RwSignal::new(None::<Loaded>);
    let reconciliation = Memo::new(move |_| {
        loaded.with(|l| {
            second.with(|r| match (l, r) {
                (Some(l), Some(r)) => Some(reconcile(&l.schedule, &r.schedule)),
                _ => None,
            })
        })
    });
    let gap = RwSignal::new(None::<GapLoaded>);
    let gap_figures = Memo::new(move |_| {
        gap.with(|g| {
            let g = g.as_ref()?;
            loaded.with(|l| Some(compute_gap(&g.model, l.as_ref().map(|l| &l.schedule))))
        })
    });
    let state = AppState {
        loaded,
        error: RwSignal::new(None),
        status: RwSignal::new(None),
        results,
        netting,
        view: RwSignal::new(View::Schedule),
        shown_profile,
        shown,
        second,
        second_error: RwSignal::new(None),
        reconciliation,
        gap,
        gap_figures,
    };
    state.load(DEMO_NAME, DEMO);
    state.load(DEMO_GAP_NAME, DEMO_GAP);
    state.status.set(None);
    state.view.set(View::Schedule);
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
            <Settings />
            <ExportButtons />
            <ViewTabs />
            {move || match state.view.get() {
                View::Schedule => view! { <ScheduleTable /> }.into_any(),
                View::Net => view! { <NetView /> }.into_any(),
                View::Gap => view! { <GapView /> }.into_any(),
                View::Reconcile => view! { <ReconcileView /> }.into_any(),
            }}
        </main>
        <footer class="wrap footer">
            <p>
                "Gapwise runs entirely in this page: files you load are read here and never sent anywhere."
            </p>
        </footer>
    }
}

/// The tabs that switch between the views.
#[component]
fn ViewTabs() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = move |view: View, label: &'static str, testid: &'static str| {
        let selected = move || state.view.get() == view;
        view! {
            <button
                type="button"
                role="tab"
                class="tab"
                class:selected=selected
                aria-selected=move || selected().to_string()
                data-testid=testid
                on:click=move |_| state.view.set(view)
            >
                {label}
            </button>
        }
    };
    view! {
        <nav class="tabs" role="tablist" aria-label="Views">
            {tab(View::Schedule, "Schedule", "tab-schedule")}
            {tab(View::Net, "Net by proposal", "tab-net")}
            {tab(View::Gap, "Funding gap", "tab-gap")}
            {tab(View::Reconcile, "Reconcile", "tab-reconcile")}
        </nav>
    }
}
