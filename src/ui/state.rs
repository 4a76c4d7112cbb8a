//! The page state shared with the components: what is on screen (the schedule, its live
//! results and netting, the gap model, the scenarios, the view), and one small struct per
//! concern, each in its own file with the actions that change it:
//!
//! - [`ImportState`] (`import.rs`): files loaded, the worker reading big ones, the sheet picker,
//!   the column-mapping step, the second schedule to reconcile against;
//! - [`EditState`] (`editing.rs`): edits and their undo history, and the results derived again
//!   after each;
//! - [`SavedStore`] (`saved.rs`): the work saved in this browser, restored at start;
//! - [`RiskState`] (`risk.rs`): the delivery risk simulation;
//! - [`Derived`] (`memos.rs`): the memos derived from the rest (a converted profile, the
//!   reconciliation, the gap's figures, the scenario comparison).
//!
//! Each concern struct is also provided as a context of its own.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::arithmetic::ArithmeticMap;
use crate::engine::{GapModel, ImportedFile, Live, Netting, Prices, Profile, Scenario, Schedule};

use super::editing::EditState;
use super::grid::Grid;
use super::import::ImportState;
use super::memos::Derived;
use super::risk::RiskState;
use super::saved::SavedStore;

/// The views of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Schedule,
    Net,
    Gap,
    Scenarios,
    Reconcile,
    Monitoring,
    Risk,
    Report,
}

/// A funding gap model on screen and the file it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct GapLoaded {
    pub file_name: String,
    pub model: GapModel,
    /// The file's arithmetic map, by which its published results are judged
    /// (`engine::judge_by_arithmetic`); `None` for a model from saved work or a link.
    pub map: Option<ArithmeticMap>,
}

/// The arithmetic map of the last file read (`engine::arithmetic`), with the file's name.
#[derive(Clone, Debug, PartialEq)]
pub struct FileMap {
    pub file_name: String,
    pub map: ArithmeticMap,
    /// Each table's map when the file holds several (`engine::ImportedFile::tables`).
    pub tables: Vec<ArithmeticMap>,
    /// Set when the file was checked but not loaded (`engine::CheckedOnly::message`).
    pub note: Option<String>,
}

/// A schedule on screen, with what its import found.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    pub file_name: String,
    pub schedule: Schedule,
    pub encoding: String,
    pub delimiter: Option<u8>,
    /// Cell problems of the import, as messages saying what and where.
    pub problems: Vec<String>,
    pub more_problems: usize,
    pub unit_stated: bool,
    /// The bytes of the file read, for the data package's record of its source (the SHA-256 is
    /// worked out by the engine when the package is written); `None` for saved work or a link.
    pub source: Option<Arc<Vec<u8>>>,
    /// When the file was read in this page, as the report words it; `None` for saved work or
    /// a link.
    pub read_at: Option<String>,
}

impl Loaded {
    pub(super) fn from_import(
        file_name: &str,
        imported: ImportedFile,
        source: Option<Arc<Vec<u8>>>,
    ) -> Loaded {
        Loaded {
            source,
            read_at: Some(super::download::now_text()),
            file_name: file_name.to_string(),
            schedule: imported.schedule,
            encoding: imported.encoding,
            delimiter: imported.delimiter,
            problems: imported.problems,
            more_problems: imported.more_problems,
            unit_stated: imported.unit_stated,
        }
    }

    /// A schedule that comes from no file read here (saved work, a link): exact, with no
    /// problems to report.
    pub(super) fn exact(file_name: String, schedule: Schedule, encoding: &str) -> Loaded {
        Loaded {
            file_name,
            schedule,
            encoding: encoding.into(),
            delimiter: None,
            problems: Vec::new(),
            more_problems: 0,
            unit_stated: true,
            source: None,
            read_at: None,
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
    /// Everything derived from the schedule on screen, as published: totals, checks, profile
    /// totals and the savings it feeds a gap; updated in place after an edit of a few lines.
    pub live: RwSignal<Option<Live>>,
    /// Proposals, nets, paybacks, reversals and duplicate references of the schedule on screen:
    /// worked out again at once after a change of lines or settings, and a moment after the
    /// last edit of figures.
    pub netting: RwSignal<Option<Netting>>,
    /// The view shown.
    pub view: RwSignal<View>,
    /// The profile the schedule table shows its figures in; `None` shows them as published.
    pub shown_profile: RwSignal<Option<Profile>>,
    /// Real terms: the price index and the year whose prices the schedule table and the report
    /// show figures in (`engine::schedule_in_prices`); `None` shows cash, as published. A
    /// setting of the view, like `shown_profile`: not saved with the work.
    pub prices: RwSignal<Option<Prices>>,
    /// The funding gap model (fed by the schedule on screen when asked).
    pub gap: RwSignal<Option<GapLoaded>>,
    /// The arithmetic map of the last file read (schedule or gap table); `None` for saved work,
    /// a link, JSON, or a file too big to map.
    pub map: RwSignal<Option<FileMap>>,
    /// The scenarios of the schedule, and the one being looked at (`None`: the baseline).
    pub scenarios: RwSignal<Vec<Scenario>>,
    pub active_scenario: RwSignal<Option<usize>>,
    /// The published file the schedule was loaded from (`?data=`), which makes the page
    /// read-only; `None` for the user's own work.
    pub published: RwSignal<Option<super::share::Published>>,
    /// The page is the compact view for an iframe (`?embed=1`, `embed.rs`): read-only, and
    /// nothing of this browser's saved work is read or written.
    pub embed: bool,
    /// The editable table's active cell.
    pub grid: Grid,
    /// The number of the last job given to a worker (imports and simulations alike).
    next_job: StoredValue<u64>,
    pub import: ImportState,
    pub editing: EditState,
    pub store: SavedStore,
    pub risk: RiskState,
    pub workbooks: super::workbook_export::WorkbookWriting,
    pub derived: Derived,
}

impl AppState {
    /// The title of the schedule on screen (tracked), empty when there is none.
    pub fn schedule_title(&self) -> String {
        self.loaded.with(|l| {
            l.as_ref()
                .map(|l| l.schedule.title.clone())
                .unwrap_or_default()
        })
    }

    /// The unit of the schedule on screen (tracked), empty when there is none.
    pub fn unit_label(&self) -> &'static str {
        self.loaded
            .with(|l| l.as_ref().map(|l| l.schedule.unit.label()).unwrap_or(""))
    }

    /// "2020/21 prices" when the schedule table and the report show real terms (tracked);
    /// `None` for cash, or when the index lacks one of the schedule's years.
    pub fn price_basis(&self) -> Option<String> {
        self.prices.with(|p| {
            let p = p.as_ref()?;
            self.loaded.with(|l| {
                let s = &l.as_ref()?.schedule;
                super::memos::prices_apply(s, p).then(|| p.label())
            })
        })
    }

    /// A unit as a table of cash figures labels it while real terms are shown elsewhere
    /// ("£'000, cash"), so that every label says which; the unit alone otherwise (tracked).
    pub fn cash_label(&self, unit: &str) -> String {
        if self.price_basis().is_some() {
            format!("{unit}, cash")
        } else {
            unit.to_string()
        }
    }

    /// Whether the schedule on screen may not be edited: a published schedule, or the embedded
    /// view.
    pub fn read_only(&self) -> bool {
        self.embed || self.published.with(Option::is_some)
    }

    /// The state of a page that has nothing on screen yet, its concern structs provided as
    /// contexts beside it (the caller provides the state itself).
    pub fn new() -> AppState {
        let loaded = RwSignal::new(None::<Loaded>);
        let live = RwSignal::new(None::<Live>);
        let shown_profile = RwSignal::new(None::<Profile>);
        let prices = RwSignal::new(None::<Prices>);
        let gap = RwSignal::new(None::<GapLoaded>);
        let scenarios = RwSignal::new(Vec::<Scenario>::new());
        let active_scenario = RwSignal::new(None::<usize>);
        let import = ImportState::new();
        let derived = Derived::new(
            loaded,
            live,
            (shown_profile, prices),
            import.second,
            gap,
            scenarios,
            active_scenario,
        );
        let state = AppState {
            loaded,
            error: RwSignal::new(None),
            status: RwSignal::new(None),
            live,
            netting: RwSignal::new(None),
            view: RwSignal::new(View::Schedule),
            shown_profile,
            prices,
            gap,
            map: RwSignal::new(None),
            scenarios,
            active_scenario,
            published: RwSignal::new(None),
            embed: false,
            grid: Grid::new(),
            next_job: StoredValue::new(0),
            import,
            editing: EditState::new(),
            store: SavedStore::new(),
            risk: RiskState::new(),
            workbooks: super::workbook_export::WorkbookWriting::new(),
            derived,
        };
        provide_context(state.import);
        provide_context(state.editing);
        provide_context(state.store);
        provide_context(state.risk);
        provide_context(state.derived);
        state
    }

    /// A number for a new job given to a worker.
    pub(super) fn new_job_id(&self) -> u64 {
        let id = self.next_job.get_value() + 1;
        self.next_job.set_value(id);
        id
    }

    /// The number of the last job given to a worker.
    pub(super) fn last_job_id(&self) -> u64 {
        self.next_job.get_value()
    }

    /// What a worker says, to the concern that gave it the job.
    pub fn worker_answer(&self, answer: super::worker::Answer) {
        use super::worker::{Answer, Slot};
        match answer {
            Answer::Progress {
                slot: Slot::Risk, ..
            }
            | Answer::Simulated { .. }
            | Answer::Failed {
                slot: Slot::Risk, ..
            } => self.risk_answer(answer),
            Answer::Written { .. }
            | Answer::Failed {
                slot: Slot::Workbook,
                ..
            } => self.workbook_answer(answer),
            _ => self.import_answer(answer),
        }
    }
}
