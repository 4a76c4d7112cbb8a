//! The engine: every number Gapwise shows is computed here, and nowhere else.
//!
//! Five layers, each a folder whose `mod.rs` says what it owns, each importing only the layers
//! below it (`scripts/layers.py` checks it; README "How the code is laid out"):
//! `model` (numbers, the schedule, years, units, limits, errors, the data of every calculation)
//! → `read` (bytes → grid → one place that recognises the layout → [`Schedule`]) → `calc`
//! ([`calculate`]: totals and checks; netting, gap, reserves, scenarios, risk) → `write`
//! ([`to_csv`], [`to_csv_long`], [`to_json`], [`to_xlsx`]) and `state` (undo, saved state,
//! links: [`encode_link`], [`decode_link`]; worker jobs). This file only re-exports their public
//! items, flat. Pure Rust with no web or UI dependency: deterministic functions of their
//! inputs, built and tested natively with `cargo test`. Money is always
//! [`rust_decimal::Decimal`], never binary floating point.
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

mod calc;
mod model;
mod read;
mod state;
mod write;

pub use calc::arithmetic;
pub use calc::change::{
    budget_shares, change_between, format_change, format_percent, known, percent_of, year_on_year,
    BudgetShare, Change, PERCENT_PLACES,
};
pub use calc::gap_arithmetic::{judge_by_arithmetic, judge_gap, JudgedGap, NotDerived};
pub use calc::gap_roles::gap_model_by_arithmetic;
pub use write::checks::{
    carried_note, checked_figures, checks_to_csv, checks_to_json, CheckedFigure, CHECKS_HEADER,
};
pub use write::gap::{
    gap_export_rows, gap_sheet, gap_to_csv, gap_to_json, GapExportRow, GapSheet, GAP_CSV_FIRST,
    GAP_FORMAT, XLSX_GAP_SHEET,
};
pub use write::map::{map_to_csv, map_to_json, to_json_with_map};
pub use write::report::{
    counts_sentence, map_counts_sentence, map_sentence, report, scenario_assumptions, RealTerms,
    Report, ReportInput, ReportRow, ReportScenario, ReportSource, ReportTable, REPORT_PROBLEMS,
    REPORT_PROPOSALS,
};

pub use calc::checks::{
    check, classify, Check, CheckColumn, CheckReport, CheckStatus, StatusCounts, Subject,
};
pub use calc::gap::{
    bridge, compute_gap, compute_reserves, net_budgets, BridgeStep, GapFigures, GapYear, PlanDraw,
    BRIDGE_END, BRIDGE_FED, BRIDGE_START,
};
pub use calc::live::Live;
pub use calc::monitoring::{
    direction as monitoring_direction, monitoring, Direction, LineVariance, Monitoring,
    MonitoringLine, MonitoringTotal, ProposalVariance, TotalVariance, Verdict, MONITORING_COSTS,
    MONITORING_NET, MONITORING_SAVINGS, MONITORING_TOTAL,
};
pub use calc::monitoring_arithmetic::{follow_arithmetic, Followed};
pub use calc::monitoring_variance::{PublishedVariance, VarianceCheck};
pub use calc::netting::{
    payback_label, DuplicateRef, Netting, ProposalNet, Reversal, REVERSAL_WINDOW,
};
pub use calc::netting_run::{netting, NettingRun};
pub use calc::profile::{
    full_year_effects, line_from_profile, line_in_profile, line_profile_totals,
    schedule_in_profile, schedule_profile_totals, ProfileTotals,
};
pub use calc::ratings::illustrative_ratings;
pub use calc::real_terms::{
    in_prices, missing_sentence, missing_years, schedule_in_prices, REAL_PLACES,
};
pub use calc::reconcile::{
    normalise_reference, reconcile, ReconcileEntry, ReconcileRow, ReconcileStatus, Reconciliation,
    WordOverlap,
};
pub use calc::reserves::{ReserveFigures, ReserveRun, ReserveYear, ReservesYear};
pub use calc::results::{calculate, Results};
pub use calc::scenario::{
    apply_gap_scenario, apply_scenario, compare, compare_with, schedule_net, AppliedScenario,
    Comparison, LineDifference, SCENARIO_CONTRIBUTION_LABEL, SCENARIO_RESERVES_LABEL,
};
pub use calc::schedule_arithmetic::follow_row_sums;
pub use calc::simulation::{probability, simulate, Simulation, SimulationInputs};
pub use calc::totals::{scope_totals, totals, RowTotals, Totals};
pub use model::canonical::FORMAT;
pub use model::document::{
    JsonAt, JsonProblem, JsonRead, LinkContents, RangeProblem, RowProblem, ScheduleProblem,
};
pub use model::error::{column_letters, size_text, Error, ErrorKind, LinkProblem, Position};
pub use model::gap::{GapCheckRow, GapModel, GapResult, GapRole, GapRow, SavingsFeed, Stated};
pub use model::invalid::{
    DeliveryError, DistributionOf, EntryError, FigureProblem, Flow, GapError, Parameter, PlanError,
    ReserveFigure, SettingsError, WireError,
};
pub use model::limits::{DEFAULT_MAX_BYTES, LINK_VERSION, MAX_DESCRIPTOR_BYTES, SAVED_VERSION};
pub use model::number::{
    format_amount, format_cell, half_unit, parse_amount, parse_percent, percent_entry,
    plain_amount, round_published, Amount, Magnitude, NoFigure, NumberError, ParsedAmount,
};
pub use model::prices::Prices;
pub use model::problem::{
    ExportProblem, HeaderColumn, Limited, LongProblem, MappingProblem, OdsProblem, OwnColumns,
    PackageProblem, SimulationProblem, WorkbookFormat, WorkbookProblem,
};
pub use model::progress;
pub use model::rating::{Rag, RagRates};
pub use model::reserves::{
    parse_minimum, parse_reserve_figure, parse_reserves_use, DrawLimit, Minimum, Reserve,
    ReserveDraws, ReserveKind, ReservesPlan, MAX_RESERVES, MAX_RESERVE_FIGURE,
};
pub use model::risk::{
    Delivery, DeliveryPart, Progress, RagDeliveries, RiskSettings, SimulationResult,
    SimulationYear, Spread, DEFAULT_CORRELATION, DEFAULT_RUNS, DEFAULT_SEED, MAX_RUNS,
    RATE_DECIMALS,
};
pub use model::scenario::{LineAssumption, Scenario};
pub use model::schedule::{
    ColumnRef, FinancialYear, Line, Measure, Profile, Recurrence, Schedule, Section,
    SignConvention, TextColumn, TextField, TotalRow, TotalScope, Unit, YearColumn,
};
pub use model::sum::{format_sum, sum_all, Sum};
pub use model::table::{CellProblem, PeriodColumn, ShareSet, TableProblem};
pub use model::units::parse_entry;
pub use model::years::find_year;
pub use read::columns::Doubt;
pub use read::deflator::{parse_deflator, MAX_DEFLATOR_LINES};
pub use read::gap::{gap_model, looks_like_gap_table};
pub use read::grid::{
    decode, detect_delimiter, ColumnMapping, ColumnRole, ImportOptions, Imported, MappedColumn,
};
pub use read::long::{LONG_HEADERS, LONG_SCENARIO_HEADER};
pub use read::mapping::{
    detect_mapping, detect_mapping_at, header_key, MappingProposal, PreviewRow, PREVIEW_ROWS,
};
pub use read::monitoring::{column_role, Period as MonitoringPeriod, Role as MonitoringRole};
pub use read::package::{
    PackageExtras, PackageTextColumn, DESCRIPTOR, MEASURE_COLUMN, MISSING_VALUES, PACKAGE_FORMAT,
};
#[cfg(feature = "workbook")]
pub use read::spreadsheet::{default_sheet, sheet_names};
pub use read::workbook_kind::MAX_SHEET_CELLS;
pub use read::{import, is_workbook, read_grid};
pub use state::history::{apply, duplicate_line, Edit, History};
pub use state::job::{
    decode as decode_job, encode as encode_job, run_import, run_import_with, run_simulation,
    CheckedOnly, ImportJob, ImportReport, ImportedFile, RiskReport, SimulationJob,
    SimulationReport, YearOne, IMPORT_PHASES,
};
pub use state::paste::{parse_paste, PASTE_SOURCE};
pub use state::persist::{
    load_split, load_state, save_state, SavedState, MAX_SAVED_BYTES, MAX_SAVED_LINE_BYTES,
};
pub use state::save_run::{SaveRun, SavedForm, ScheduleChanged};
pub use state::share::{
    check_address, check_link_length, checksum, decode_link, encode_link, is_link_fragment,
    share_url, verify_file, LinkState, LONG_LINK_CHARS, MAX_ADDRESS_CHARS, MAX_LINK_CHARS,
    MAX_LINK_JSON_BYTES, SAFE_LINK_CHARS,
};
pub use state::workbook_job::{write_workbook, WorkbookJob};
pub use write::export::{
    neutralise, neutralise_cell, to_csv, to_csv_long, to_csv_with_map, to_json, ARITHMETIC_HEADER,
    CHECK_HEADER, COMPUTED_TOTAL_HEADER, GRAND_TOTAL_LABEL,
};
pub use write::package::{
    package_csv, package_descriptor, to_data_package, PackageSource, PACKAGE_CSV,
};
#[cfg(feature = "xlsx")]
pub use write::xlsx::{
    gap_sheet_to_xlsx, gap_to_xlsx, to_xlsx, to_xlsx_with_map, xlsx_number_format, XLSX_MAP_SHEET,
    XLSX_SHEET, XLSX_SUBTOTAL_PREFIX, XLSX_TOTAL_HEADER,
};
