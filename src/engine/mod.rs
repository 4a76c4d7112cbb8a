//! The engine: every number Gapwise shows is computed here, and nowhere else.
//!
//! Bytes in ([`import`]), a model ([`Schedule`]), results out ([`calculate`]: totals and
//! checks), bytes out ([`to_csv`], [`to_csv_long`], [`to_json`], [`to_xlsx`]), and the page's
//! state in a link ([`encode_link`], [`decode_link`]). Pure Rust with no web or UI dependency:
//! deterministic functions of their inputs, built and tested natively with `cargo test`.
//! Money is always [`rust_decimal::Decimal`], never binary floating point.
//!
//! ```
//! use gapwise::engine::{calculate, import, CheckStatus, ImportOptions};
//!
//! let csv = "Project,2017/18,2018/19,Total\n,£'000,£'000,£'000\n\
//!            Early Help,175.0,175.0,350.0\nEdge of Care,(165.0),429.0,264.0\n\
//!            Total,10.0,604.0,614.0\n";
//! let schedule = import(csv.as_bytes(), "demo.csv", &ImportOptions::default())?.schedule;
//! let results = calculate(&schedule);
//! assert_eq!(results.totals.grand.total.value.to_string(), "614.0");
//! assert_eq!(results.checks.total_row_status[0], Some(CheckStatus::Ok));
//! # Ok::<(), gapwise::engine::Error>(())
//! ```

pub mod arithmetic;
mod canonical;
mod checks;
mod error;
mod export;
mod gap;
mod history;
mod import;
mod job;
mod live;
mod long;
mod mapping;
mod monitoring;
mod mtfs;
mod netting;
mod number;
mod paste;
mod persist;
mod profile;
pub mod progress;
mod reconcile;
mod reserves;
mod scenario;
mod schedule;
mod share;
mod simulation;
mod spreadsheet;
mod totals;
mod xlsx;
mod years;

pub use canonical::FORMAT;
pub use checks::{
    check, classify, Check, CheckColumn, CheckReport, CheckStatus, StatusCounts, Subject,
};
pub use error::{column_letters, size_text, Error, ErrorKind, Position};
pub use export::{
    neutralise, to_csv, to_csv_long, to_json, CHECK_HEADER, COMPUTED_TOTAL_HEADER,
    GRAND_TOTAL_LABEL, LONG_HEADERS, LONG_SCENARIO_HEADER,
};
pub use gap::{
    bridge, compute_gap, gap_model, looks_like_gap_table, BridgeStep, GapCheckRow, GapFigures,
    GapModel, GapResult, GapRole, GapRow, GapYear, SavingsFeed, Stated, BRIDGE_END, BRIDGE_FED,
    BRIDGE_START,
};
pub use history::{apply, duplicate_line, Edit, History};
pub use import::{decode, detect_delimiter, import, ImportOptions, Imported, DEFAULT_MAX_BYTES};
pub use job::{
    decode as decode_job, encode as encode_job, run_import, run_simulation, ImportJob,
    ImportReport, ImportedFile, RiskReport, SimulationJob, SimulationReport,
};
pub use live::Live;
pub use mapping::{
    detect_mapping, detect_mapping_at, header_key, ColumnMapping, ColumnRole, Doubt, MappedColumn,
    MappingProposal, PreviewRow, PREVIEW_ROWS,
};
pub use monitoring::{
    column_role, direction as monitoring_direction, monitoring, Direction, LineVariance,
    Monitoring, MonitoringLine, MonitoringTotal, Period as MonitoringPeriod, ProposalVariance,
    Role as MonitoringRole, TotalVariance, Verdict, MONITORING_COSTS, MONITORING_NET,
    MONITORING_SAVINGS, MONITORING_TOTAL,
};
pub use netting::{
    netting, payback_label, DuplicateRef, Netting, ProposalNet, Reversal, REVERSAL_WINDOW,
};
pub use number::{
    format_amount, format_cell, half_unit, parse_amount, plain_amount, round_published, Amount,
    Magnitude, NoFigure, NumberError, ParsedAmount,
};
pub use paste::{parse_entry, parse_paste, PASTE_SOURCE};
pub use persist::{load_state, save_state, SavedState, MAX_SAVED_BYTES, SAVED_VERSION};
pub use profile::{
    full_year_effects, line_from_profile, line_in_profile, line_profile_totals,
    schedule_in_profile, schedule_profile_totals, ProfileTotals,
};
pub use reconcile::{
    normalise_reference, reconcile, ReconcileEntry, ReconcileRow, ReconcileStatus, Reconciliation,
    WordOverlap,
};
pub use reserves::{
    compute_reserves, net_budgets, parse_minimum, parse_reserve_figure, DrawLimit, Minimum,
    Reserve, ReserveDraws, ReserveFigures, ReserveKind, ReserveRun, ReserveYear, ReservesPlan,
    ReservesYear, MAX_RESERVES, MAX_RESERVE_FIGURE,
};
pub use scenario::{
    apply_gap_scenario, apply_scenario, compare, compare_with, schedule_net, AppliedScenario,
    Comparison, LineAssumption, LineDifference, Rag, RagRates, Scenario,
    SCENARIO_CONTRIBUTION_LABEL, SCENARIO_RESERVES_LABEL,
};
pub use schedule::{
    ColumnRef, FinancialYear, Line, Measure, Profile, Recurrence, Schedule, Section,
    SignConvention, TextColumn, TextField, TotalRow, TotalScope, Unit, YearColumn,
};
pub use share::{
    check_address, check_link_length, checksum, decode_link, encode_link, is_link_fragment,
    share_url, verify_file, LinkProblem, LinkState, LINK_VERSION, MAX_ADDRESS_CHARS,
    MAX_LINK_CHARS, MAX_LINK_JSON_BYTES, SAFE_LINK_CHARS,
};
pub use simulation::{
    probability, simulate, Delivery, Progress, RagDeliveries, RiskSettings, Simulation,
    SimulationInputs, SimulationResult, SimulationYear, Spread, DEFAULT_RUNS, DEFAULT_SEED,
    MAX_RUNS, RATE_DECIMALS,
};
pub use spreadsheet::{default_sheet, sheet_names, MAX_SHEET_CELLS};
pub use totals::{scope_totals, sum_all, totals, RowTotals, Sum, Totals};
pub use xlsx::{to_xlsx, xlsx_number_format, XLSX_SHEET, XLSX_SUBTOTAL_PREFIX, XLSX_TOTAL_HEADER};
pub use years::find_year;

/// Everything derived from a schedule: its totals and the checks of its published figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    pub totals: Totals,
    pub checks: CheckReport,
}

/// Recalculates a schedule: totals, then every check of a published figure.
pub fn calculate(schedule: &Schedule) -> Results {
    let totals = totals(schedule);
    let checks = check(schedule, &totals);
    Results { totals, checks }
}
