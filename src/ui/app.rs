//! The top of the page: its layout (the masthead, the panels, the tabs and the view shown).
//! Results come first: the title, the file toolbar (load, download, share, print), the key
//! figures and the checks; then the reading options (closed) and the views.
//! The state it holds is in `state.rs` and the files beside it.

use leptos::prelude::*;

use super::checks_panel::ChecksPanel;
use super::download::PrintDate;
use super::file_toolbar::FileToolbar;
use super::gap_view::GapView;
use super::key_figures::KeyFigures;
use super::net_view::NetView;
use super::reconcile_view::ReconcileView;
use super::scenario_view::ScenarioView;
use super::schedule_table::ScheduleTable;
use super::settings::Settings;
use super::state::{AppState, View};
use super::upload::Upload;

#[component]
pub fn App() -> impl IntoView {
    let embed = super::embed::requested();
    // Read before a link's fragment is taken off the address.
    let full_page = super::embed::full_page_address();
    if !embed && super::embed::framed() {
        return view! { <super::embed::FramedNotice full_page /> }.into_any();
    }
    let mut state = AppState::new();
    state.embed = embed;
    // The worker that parses big files starts with the page, to be ready when one is chosen.
    super::worker::start(move |answer| state.worker_answer(answer));
    // A published schedule (`?data=`, or a short link) is fetched in a moment; otherwise the
    // work saved in this browser (or the demo) opens, and then a full link over it, if any.
    if !super::share::start(state) {
        if state.restore_or_demo() {
            super::share::after_restore(state);
        }
    }
    provide_context(state);
    super::saved::autosave(state);
    super::shortcuts::install(state);
    if embed {
        return view! { <super::embed::EmbedView full_page /> }.into_any();
    }
    let loaded = state.loaded;

    let title = move || state.schedule_title();
    let unit = move || state.unit_label();
    // Cash or real terms: every label says which (docs/domain.md, "Cash and real terms").
    let price_basis = move || match state.price_basis() {
        Some(basis) => format!(", {basis} (real terms) in the schedule table and the report"),
        None => ", cash".to_string(),
    };
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
        <main
            id="main"
            class="wrap"
            data-testid="app"
            data-ready=ready
            data-netting=move || state.netting.with(Option::is_some).to_string()
        >
            <section class="intro" aria-labelledby="schedule-title">
                <h1 id="schedule-title" data-testid="schedule-title">{title}</h1>
                <p class="meta">
                    "Amounts in "
                    <strong data-testid="schedule-unit">{unit}</strong>
                    <span data-testid="price-basis">{price_basis}</span>
                    ". "
                    <span data-testid="schedule-source">{source}</span>
                </p>
                {move || unit_note().map(|n| view! { <p class="note">{n}</p> })}
                <PrintDate />
            </section>
            <super::share::PublishedBanner />
            <FileToolbar />
            <Upload />
            <super::mapping_view::MappingStepView />
            <KeyFigures />
            <ChecksPanel />
            <super::map_panel::MapPanel />
            <Settings />
            <ViewTabs />
            {move || match state.view.get() {
                View::Schedule => view! {
                    <ScheduleTable />
                    <super::totals_change::TotalsChange />
                    <super::totals_change::CompareYears />
                }
                .into_any(),
                View::Net => view! { <NetView /> }.into_any(),
                View::Gap => view! { <GapView /> }.into_any(),
                View::Scenarios => view! { <ScenarioView /> }.into_any(),
                View::Reconcile => view! { <ReconcileView /> }.into_any(),
                View::Monitoring => view! { <super::monitoring_view::MonitoringView /> }.into_any(),
                View::Risk => view! { <super::risk_view::RiskView /> }.into_any(),
                View::Report => view! { <super::report_view::ReportView /> }.into_any(),
            }}
        </main>
        <footer class="wrap footer">
            <p>
                "Gapwise runs entirely in this page: files you load are read here and never sent anywhere."
            </p>
        </footer>
    }
    .into_any()
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
            {tab(View::Scenarios, "Scenarios", "tab-scenarios")}
            {tab(View::Reconcile, "Reconcile", "tab-reconcile")}
            {tab(View::Monitoring, "Monitoring", "tab-monitoring")}
            {tab(View::Risk, "Delivery risk", "tab-risk")}
            {tab(View::Report, "Report", "tab-report")}
        </nav>
    }
}
