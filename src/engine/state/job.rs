//! Work the page hands to its Web Worker, and what comes back, as bytes.
//!
//! A big file is parsed off the page's thread so the page stays responsive, shows the
//! progress and can be cancelled (the worker is stopped; nothing on screen has changed). The
//! worker and the page are two WebAssembly instances with separate memories: a job crosses as
//! bytes and the result comes back as bytes. The rules of an import live here, not in the
//! worker or the page, so they are the same whichever thread runs them and are tested natively:
//!
//! 1. When the browser remembers column mappings (the mapping step, keyed by the file's
//!    header: [`header_key`]), the file's header is read and, if one was remembered for it,
//!    the file is imported with it. If that import fails, the file is imported as detected.
//! 2. Otherwise the file is imported with the job's options (detection, a sheet, a mapping).
//! 3. When the import fails and the job had no mapping of its own, the columns detection
//!    would take are proposed when it is unsure of them (no year columns, a year twice): the
//!    page then asks the user, rather than only showing the error.
//! 4. A programme file that counts its years from one (docs/domain.md, "Files that count years
//!    from one") takes as year 1 the options' year when the job gives one (the user chose it
//!    on screen), else the year remembered for files with its header, else the job's
//!    `this_year` (the financial year containing today, from the page). The report says which
//!    year was taken and the key to remember a choice by ([`YearOne`]).
//!
//! The encoding is MessagePack (`rmp-serde`) with named fields, self-describing like the
//! saved JSON (so the same serde attributes work), but with amounts as 17 bytes rather than
//! text ([`super::Amount`] is binary in formats that are not human-readable): a 100,000-line
//! schedule crosses in a few milliseconds instead of the quarter second JSON takes.

use serde::{Deserialize, Serialize};

use crate::engine::calc::arithmetic::{map_grid, map_tables, ArithmeticMap};
use crate::engine::calc::column_arithmetic::{total_column, with_total_column};
use crate::engine::calc::gap_roles::gap_model_by_arithmetic;
use crate::engine::calc::monitoring_arithmetic::follow_arithmetic;
use crate::engine::calc::schedule_arithmetic::follow_row_sums;

use crate::engine::calc::simulation::SimulationInputs;
#[cfg(feature = "simulation")]
use crate::engine::calc::simulation::{simulate, Simulation};
use crate::engine::model::error::ErrorKind;
use crate::engine::model::gap::GapModel;
use crate::engine::model::invalid::WireError;
use crate::engine::model::risk::{Progress, SimulationResult};
#[cfg(feature = "simulation")]
use crate::engine::model::risk::{RagDeliveries, RiskSettings, DEFAULT_SEED};
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::{FinancialYear, Schedule};
use crate::engine::read::grid::ColumnMapping;
use crate::engine::read::grid::{ImportOptions, Imported};
use crate::engine::read::mapping::{detect_mapping, header_key, MappingProposal};
use crate::engine::read::{import, read_grid};

/// An import asked of the worker; the file's bytes travel beside it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportJob {
    pub file_name: String,
    pub options: ImportOptions,
    /// The column mappings this browser remembers, by header key ([`header_key`]).
    pub remembered: Vec<(String, ColumnMapping)>,
    /// The financial year containing today, from the page (the engine never reads the clock):
    /// year 1 of a file that counts its years from one when nothing else names it.
    #[serde(default)]
    pub this_year: Option<FinancialYear>,
    /// The year 1 chosen for files that count their years from one, by header key.
    #[serde(default)]
    pub years_one: Vec<(String, FinancialYear)>,
    /// Only the columns detection takes are wanted (the mapping step's "Check the columns"),
    /// not the import: the report's `proposal` holds them (and its `outcome` is
    /// [`COLUMNS_ONLY`]), or its `outcome` says why they cannot be read.
    #[serde(default)]
    pub columns_only: bool,
}

/// The outcome of a [`ImportJob::columns_only`] job whose columns were read: nothing was
/// imported, and the report's `proposal` holds the columns.
pub const COLUMNS_ONLY: &str = "only the columns were read, for the mapping step";

/// A programme file that counts its years from one, as imported: the financial year taken as
/// year 1, the key a choice is remembered by ([`header_key`]), and the years the page offers
/// instead (three either side).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearOne {
    pub year: FinancialYear,
    pub header_key: String,
    pub choices: Vec<FinancialYear>,
}

impl YearOne {
    fn new(year: FinancialYear, header_key: String) -> YearOne {
        YearOne {
            year,
            header_key,
            choices: (year.start - 3..=year.start + 3)
                .map(|start| FinancialYear { start })
                .collect(),
        }
    }
}

/// What an import produced, in a form that crosses between threads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedFile {
    #[serde(with = "schedule_wire")]
    pub schedule: Schedule,
    /// Cell problems as messages saying what and where.
    pub problems: Vec<String>,
    pub more_problems: usize,
    /// As [`Imported::encoding`].
    pub encoding: String,
    pub delimiter: Option<u8>,
    pub unit_stated: bool,
    #[serde(with = "named")]
    pub scenario: Option<Scenario>,
    pub sheets: Vec<String>,
    pub sheet: Option<String>,
    /// The arithmetic map of the file as read (`calc::arithmetic`): every identity its figures
    /// keep and every figure that breaks one; `None` for JSON, a file too big to map
    /// ([`MAX_MAP_ROWS`](crate::engine::model::limits::MAX_MAP_ROWS)) or a grid with no table.
    #[serde(with = "named")]
    pub map: Option<ArithmeticMap>,
    /// The map of each table when the file holds several (`arithmetic::map_tables`: a header
    /// again further down starts a new table); empty when it holds one.
    #[serde(with = "named")]
    pub tables: Vec<ArithmeticMap>,
    /// As [`Imported::year_one`].
    #[serde(default)]
    pub year_one: Option<FinancialYear>,
}

/// The maps of a grid: the grid as one table, and each of its tables when it has several.
fn maps_of(grid: &[Vec<String>]) -> (Option<ArithmeticMap>, Vec<ArithmeticMap>) {
    if grid.is_empty() {
        return (None, Vec::new());
    }
    let mut tables = map_tables(grid);
    if tables.iter().filter(|m| !m.not_money).count() == 1 {
        // One table of money: its map is the grid's (`map_tables` reads it as `map_grid`
        // does), and the page needs the list only when its counts are mapped beside it.
        let map = tables.first().cloned();
        if tables.len() == 1 {
            tables.clear();
        }
        return (map, tables);
    }
    (map_grid(grid), tables)
}

/// A file that could not be loaded as a schedule but whose grid holds a numeric table: its
/// arithmetic is checked all the same, and the schedule on screen is kept (domain.md "The
/// arithmetic map", "A table with no years").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckedOnly {
    /// The grid as one table (as [`ImportedFile::map`]).
    #[serde(with = "named")]
    pub map: ArithmeticMap,
    /// As [`ImportedFile::tables`].
    #[serde(with = "named")]
    pub tables: Vec<ArithmeticMap>,
    /// True when the import was refused for having no financial years in its header.
    pub no_years: bool,
    /// What happened, for the page: checked, not loaded, the schedule on screen kept.
    pub message: String,
}

impl CheckedOnly {
    /// The arithmetic of a file whose import failed with `error`: `None` when its grid cannot
    /// be read or has no numeric table.
    pub fn of(
        bytes: &[u8],
        file_name: &str,
        options: &ImportOptions,
        error: &crate::engine::model::error::Error,
    ) -> Option<CheckedOnly> {
        let grid = read_grid(bytes, file_name, options).ok()?;
        let (map, tables) = maps_of(&grid);
        let map = map?;
        let no_years = *error.kind() == ErrorKind::NoYearColumns;
        let message = if no_years {
            format!(
                "{file_name} has no financial years in its header, so its table was checked \
                 (the arithmetic map below) but not loaded as a schedule; the schedule on \
                 screen is kept."
            )
        } else {
            format!(
                "{file_name} could not be loaded as a schedule ({error}); its table was checked \
                 (the arithmetic map below) and the schedule on screen is kept."
            )
        };
        Some(CheckedOnly {
            map,
            tables,
            no_years,
            message,
        })
    }
}

impl From<Imported> for ImportedFile {
    /// The file as read, with its arithmetic map; its total rows (`calc::schedule_arithmetic`)
    /// and a monitoring table's sign convention and published net lines
    /// (`calc::monitoring_arithmetic`) follow the map.
    fn from(i: Imported) -> ImportedFile {
        let maps = maps_of(&i.grid);
        ImportedFile::with_maps(i, maps)
    }
}

/// A file's arithmetic maps: the map of its table (or of the whole grid) and those of its
/// tables when it holds several (`maps_of`).
type Maps = (Option<ArithmeticMap>, Vec<ArithmeticMap>);

impl ImportedFile {
    /// As [`From<Imported>`], with the file's maps already worked out.
    fn with_maps(i: Imported, (map, tables): Maps) -> ImportedFile {
        let mut schedule = i.schedule;
        if let Some(map) = &map {
            // A funding gap table is read into a gap model from its lines and its map
            // (`calc::gap_roles`), which judges its derived rows itself.
            if gap_model_by_arithmetic(&schedule, Some(map)).is_none() {
                follow_row_sums(&mut schedule, map);
            }
            follow_arithmetic(&mut schedule, map);
        }
        ImportedFile {
            schedule,
            problems: i.problems.iter().map(ToString::to_string).collect(),
            more_problems: i.more_problems,
            encoding: i.encoding.to_string(),
            delimiter: i.delimiter,
            unit_stated: i.unit_stated,
            scenario: i.scenario,
            sheets: i.sheets,
            sheet: i.sheet,
            map,
            tables,
            year_one: i.year_one,
        }
    }
}

/// The outcome of an [`ImportJob`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file read, or the message saying what is wrong and where.
    pub outcome: Result<ImportedFile, String>,
    /// True when a remembered column mapping read the file.
    pub used_remembered: bool,
    /// When the import failed and detection is unsure of the columns: what it would take, for
    /// the user to confirm or change (the mapping step).
    pub proposal: Option<MappingProposal>,
    /// When the import failed but the file holds a numeric table: its arithmetic, checked.
    pub checked: Option<CheckedOnly>,
    /// For a programme file that counts its years from one: the year taken as year 1.
    #[serde(default)]
    pub year_one: Option<YearOne>,
}

/// Runs an import job (the rules are in the module's documentation).
pub fn run_import(bytes: &[u8], job: &ImportJob) -> ImportReport {
    run_import_with(bytes, job, &mut |_| {})
}

/// The phases of an import that [`run_import_with`] reports as each ends: the file read into
/// a schedule (`"read"`: decoding, parsing, building the lines), then its arithmetic map and
/// what follows from it (`"map"`). The caller holds the clock (the worker times them for the
/// benchmark); the engine only says when each ends.
pub const IMPORT_PHASES: [&str; 2] = ["read", "map"];

/// [`run_import`], calling `lap` with each phase's name ([`IMPORT_PHASES`]) as it ends, for
/// every import it tries.
pub fn run_import_with(
    bytes: &[u8],
    job: &ImportJob,
    lap: &mut dyn FnMut(&'static str),
) -> ImportReport {
    if job.columns_only {
        let detected = detect_mapping(bytes, &job.file_name, &job.options);
        return ImportReport {
            outcome: Err(match &detected {
                Err(e) => e.to_string(),
                Ok(_) => COLUMNS_ONLY.to_string(),
            }),
            used_remembered: false,
            proposal: detected.ok(),
            checked: None,
            year_one: None,
        };
    }
    let first = job.options.first_year.or(job.this_year);
    let mut report = import_with_year(bytes, job, first, lap);
    let Some(taken) = report.outcome.as_ref().ok().and_then(|f| f.year_one) else {
        return report;
    };
    let key = detect_mapping(bytes, &job.file_name, &job.options)
        .map(|p| header_key(&p))
        .unwrap_or_default();
    let remembered = job
        .years_one
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, y)| *y);
    let mut year = taken;
    if let Some(chosen) = remembered.filter(|y| job.options.first_year.is_none() && *y != taken) {
        let again = import_with_year(bytes, job, Some(chosen), lap);
        if again.outcome.is_ok() {
            report = again;
            year = chosen;
        }
    }
    report.year_one = Some(YearOne::new(year, key));
    report
}

/// Runs an import job with this year 1 for a file that counts its years from one.
fn import_with_year(
    bytes: &[u8],
    job: &ImportJob,
    first_year: Option<FinancialYear>,
    lap: &mut dyn FnMut(&'static str),
) -> ImportReport {
    let job = &ImportJob {
        options: ImportOptions {
            first_year,
            ..job.options.clone()
        },
        ..job.clone()
    };
    let name = job.file_name.as_str();
    // The file read, then its maps and what follows from them: with `columns`, the total
    // column the arithmetic shows (`by_total_column`).
    let finish = |imported: Imported, columns: bool, lap: &mut dyn FnMut(&'static str)| {
        lap(IMPORT_PHASES[0]);
        let maps = maps_of(&imported.grid);
        let (imported, maps) = if columns {
            by_total_column(bytes, name, &job.options, imported, maps)
        } else {
            (imported, maps)
        };
        let file = ImportedFile::with_maps(imported, maps);
        lap(IMPORT_PHASES[1]);
        file
    };
    if job.options.mapping.is_none() && !job.remembered.is_empty() {
        let mapping = detect_mapping(bytes, name, &job.options)
            .ok()
            .and_then(|proposal| {
                let key = header_key(&proposal);
                job.remembered
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, m)| m.clone())
            });
        if let Some(mapping) = mapping {
            let options = ImportOptions {
                mapping: Some(mapping),
                ..job.options.clone()
            };
            if let Ok(imported) = import(bytes, name, &options) {
                return ImportReport {
                    outcome: Ok(finish(imported, false, lap)),
                    used_remembered: true,
                    proposal: None,
                    checked: None,
                    year_one: None,
                };
            }
        }
    }
    match import(bytes, name, &job.options) {
        Ok(imported) => ImportReport {
            outcome: Ok(finish(imported, true, lap)),
            used_remembered: false,
            proposal: None,
            checked: None,
            year_one: None,
        },
        Err(e) => {
            let proposal = if job.options.mapping.is_none() {
                detect_mapping(bytes, name, &job.options)
                    .ok()
                    .filter(MappingProposal::is_unsure)
            } else {
                None
            };
            ImportReport {
                checked: CheckedOnly::of(bytes, name, &job.options, &e),
                outcome: Err(e.to_string()),
                used_remembered: false,
                proposal,
                year_one: None,
            }
        }
    }
}

/// The file read again with the total column its arithmetic shows (`calc::column_arithmetic`),
/// when the reader took another column for the total or none; as read otherwise, and always
/// when the user chose the columns. `maps` are those of the file as read; the maps returned
/// are those of the file returned.
fn by_total_column(
    bytes: &[u8],
    name: &str,
    options: &ImportOptions,
    read: Imported,
    maps: Maps,
) -> (Imported, Maps) {
    if options.mapping.is_some() {
        return (read, maps);
    }
    let Some(fix) = maps
        .0
        .as_ref()
        .and_then(|m| total_column(&read.schedule, m))
    else {
        return (read, maps);
    };
    let mapping = detect_mapping(bytes, name, options)
        .ok()
        .and_then(|p| with_total_column(&p.mapping, &fix));
    let Some(mapping) = mapping else {
        return (read, maps);
    };
    let options = ImportOptions {
        mapping: Some(mapping),
        ..options.clone()
    };
    match import(bytes, name, &options) {
        Ok(again) => {
            let maps = maps_of(&again.grid);
            (again, maps)
        }
        Err(_) => (read, maps),
    }
}

/// A delivery risk simulation asked of the worker: [`SimulationInputs`] as they cross.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimulationJob {
    #[serde(with = "schedule_wire")]
    pub schedule: Schedule,
    #[serde(with = "named")]
    pub gap: Option<GapModel>,
    #[serde(with = "named")]
    pub scenario: Scenario,
}

impl From<SimulationInputs> for SimulationJob {
    fn from(i: SimulationInputs) -> SimulationJob {
        SimulationJob {
            schedule: i.schedule,
            gap: i.gap,
            scenario: i.scenario,
        }
    }
}

impl From<SimulationJob> for SimulationInputs {
    fn from(j: SimulationJob) -> SimulationInputs {
        SimulationInputs {
            schedule: j.schedule,
            gap: j.gap,
            scenario: j.scenario,
        }
    }
}

/// What a simulation job gives: the simulation, and the same inputs at the scenario's own
/// fixed rates (its deterministic figures, the line a fan chart is drawn beside), worked out
/// by the same code so the two agree exactly where they should.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RiskReport {
    pub simulated: SimulationResult,
    pub deterministic: SimulationResult,
}

/// The outcome of a [`SimulationJob`]: the results, or the message saying why it cannot run.
pub type SimulationReport = Result<RiskReport, String>;

/// Runs a simulation job in fiftieths of its runs, passing the progress after each to
/// `progress` (a worker tells the page; cancelling stops the worker between two), then the
/// deterministic figures: one run at the scenario's rates ([`RagDeliveries::fixed`]), no line
/// distributions, the same seed.
pub fn run_simulation(job: SimulationJob, progress: impl FnMut(Progress)) -> SimulationReport {
    #[cfg(feature = "simulation")]
    return simulation_runs(job, progress);
    // The page is built without the runs (Cargo.toml's features): its worker does them.
    #[cfg(not(feature = "simulation"))]
    {
        let _ = (job, progress);
        Err(
            "the delivery risk simulation runs in the page's worker, which could not be \
             loaded (offline before this page kept it, or blocked); reload the page when online"
                .to_string(),
        )
    }
}

#[cfg(feature = "simulation")]
fn simulation_runs(job: SimulationJob, mut progress: impl FnMut(Progress)) -> SimulationReport {
    let inputs: SimulationInputs = job.into();
    let mut simulation = Simulation::new(&inputs).map_err(|e| e.to_string())?;
    let chunk = (simulation.progress().total / 50).max(1);
    loop {
        let p = simulation.run_chunk(chunk);
        progress(p);
        if p.is_done() {
            break;
        }
    }
    let simulated = simulation.finish();
    let mut fixed = inputs;
    let seed = fixed
        .scenario
        .risk
        .as_ref()
        .map_or(DEFAULT_SEED, |r| r.seed);
    fixed.scenario.risk = Some(RiskSettings {
        seed,
        runs: 1,
        rag: RagDeliveries::fixed(&fixed.scenario.rates),
        lines: Default::default(),
        // Every rate fixed: nothing is drawn, so nothing to correlate.
        correlation: rust_decimal::Decimal::ZERO,
    });
    let deterministic = simulate(&fixed).map_err(|e| e.to_string())?;
    Ok(RiskReport {
        simulated,
        deterministic,
    })
}

/// Bytes inside a message: written as MessagePack's binary, read back whole.
struct Blob(Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Blob, D::Error> {
        struct Bytes;
        impl<'de> serde::de::Visitor<'de> for Bytes {
            type Value = Blob;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Blob, E> {
                Ok(Blob(v.to_vec()))
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
                Ok(Blob(v))
            }
        }
        d.deserialize_bytes(Bytes)
    }
}

/// Values whose fields may be left out when unset (`skip_serializing_if`: a scenario, a gap
/// model) cross as named MessagePack inside the compact message: compact fields are read by
/// position, so a field left out would shift the ones after it.
mod named {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Blob;

    pub fn serialize<T: Serialize, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        let bytes = rmp_serde::to_vec_named(value).map_err(serde::ser::Error::custom)?;
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let Blob(bytes) = Blob::deserialize(d)?;
        rmp_serde::from_slice(&bytes).map_err(D::Error::custom)
    }
}

/// A schedule as it crosses: everything but its lines through serde, and its lines (nearly all
/// of a big file) as one block of bytes written and read here, field by field, which is several
/// times faster to write and read than serde's element-by-element form (`bench_netting`'s "to
/// the page" and "from worker" steps). Every field of a line is named in `line_bytes`, so a
/// field added to it does not compile until it crosses too.
pub(crate) mod schedule_wire {
    use serde::de::Error as _;
    use serde::ser::SerializeTuple;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Blob;
    use crate::engine::model::schedule::Schedule;
    use crate::engine::state::line_bytes::{read_lines, write_lines};

    pub fn serialize<S: Serializer>(schedule: &Schedule, s: S) -> Result<S::Ok, S::Error> {
        let Schedule {
            title,
            unit,
            years,
            text_columns,
            total_header,
            layout,
            sections,
            lines,
            total_rows,
            decimals,
            sign,
            profile,
        } = schedule;
        let head = Schedule {
            title: title.clone(),
            unit: *unit,
            years: years.clone(),
            text_columns: text_columns.clone(),
            total_header: total_header.clone(),
            layout: layout.clone(),
            sections: sections.clone(),
            lines: Vec::new(),
            total_rows: total_rows.clone(),
            decimals: *decimals,
            sign: *sign,
            profile: *profile,
        };
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&head)?;
        t.serialize_element(&Blob(write_lines(lines)))?;
        t.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Schedule, D::Error> {
        let (mut head, blob) = <(Schedule, Blob)>::deserialize(d)?;
        head.lines = read_lines(&blob.0).map_err(D::Error::custom)?;
        Ok(head)
    }
}

/// A value as bytes for the other thread.
pub fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Writing named MessagePack into a Vec fails only for a value serde cannot represent,
    // which none of the job types is; an empty message is then refused by `decode`.
    rmp_serde::to_vec(value).unwrap_or_default()
}

/// Reads bytes from the other thread; the message says what was wrong with them.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, WireError> {
    rmp_serde::from_slice(bytes).map_err(|e| WireError {
        bytes: bytes.len(),
        message: e.to_string(),
    })
}

#[cfg(all(test, not(feature = "simulation")))]
mod page_build_tests {
    use super::*;

    /// The page's build has no simulation runs: it says the worker does them.
    #[test]
    fn page_build_says_the_worker_runs_the_simulation() {
        let csv = "Project,2017/18\nA,1\n";
        let schedule = import(csv.as_bytes(), "a.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let job = SimulationJob {
            schedule,
            gap: None,
            scenario: Scenario::new("Page"),
        };
        let e = run_simulation(job, |_| {}).unwrap_err();
        assert!(e.contains("runs in the page's worker"), "{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Project,2017/18,2018/19,Total\n,£'000,£'000,£'000\nA,\"1,000.0\",(200.0),800.0\nB,N/A,,\nC,aa,1.5,\n";

    #[test]
    fn an_import_crosses_unchanged() {
        let job = ImportJob {
            file_name: "a.csv".into(),
            ..ImportJob::default()
        };
        let report = run_import(CSV.as_bytes(), &job);
        let direct: ImportedFile = import(CSV.as_bytes(), "a.csv", &ImportOptions::default())
            .unwrap()
            .into();
        assert_eq!(report.outcome.as_ref().unwrap(), &direct);
        assert_eq!(direct.problems.len(), 1, "{:?}", direct.problems);
        let back: ImportReport = decode(&encode(&report)).unwrap();
        assert_eq!(back, report);
        let job_back: ImportJob = decode(&encode(&job)).unwrap();
        assert_eq!(job_back, job);
    }

    #[test]
    fn rated_and_unrated_lines_cross_unchanged() {
        let csv = "Project,RAG rating,2017/18,2018/19\nA,Red,1,2\nB,,3,4\nC,Green,TBC,-\n";
        let job = ImportJob {
            file_name: "rag.csv".into(),
            ..ImportJob::default()
        };
        let report = run_import(csv.as_bytes(), &job);
        let s = &report.outcome.as_ref().unwrap().schedule;
        assert!(s.lines[0].rag.is_some() && s.lines[1].rag.is_none());
        let back: ImportReport = decode(&encode(&report)).unwrap();
        assert_eq!(back, report);
    }

    #[test]
    fn a_failed_import_proposes_columns_when_unsure() {
        let job = ImportJob {
            file_name: "odd.csv".into(),
            ..ImportJob::default()
        };
        let report = run_import(b"Name,Alpha,Beta\nA,1,2\nB,3,4\n", &job);
        assert!(report.outcome.is_err());
        let proposal = report.proposal.expect("a proposal");
        assert!(proposal.is_unsure());
        let back: ImportReport = decode(&encode(&ImportReport {
            outcome: Err("x".into()),
            used_remembered: false,
            proposal: Some(proposal.clone()),
            checked: None,
            year_one: None,
        }))
        .unwrap();
        assert_eq!(back.proposal, Some(proposal));
    }

    #[test]
    fn a_columns_only_job_reads_the_columns_and_imports_nothing() {
        let job = ImportJob {
            file_name: "a.csv".into(),
            columns_only: true,
            ..ImportJob::default()
        };
        let report = run_import(CSV.as_bytes(), &job);
        assert_eq!(report.outcome, Err(COLUMNS_ONLY.to_string()));
        let proposal = report.proposal.expect("the columns");
        assert!(!proposal.mapping.columns.is_empty());
        let report = run_import(b"", &job);
        assert!(report.proposal.is_none());
        let message = report.outcome.unwrap_err();
        assert!(message.contains("a.csv"), "{message}");
    }

    #[cfg(feature = "simulation")]
    #[test]
    fn a_scenario_with_some_fields_left_out_crosses_unchanged() {
        let schedule = import(CSV.as_bytes(), "a.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let mut scenario = Scenario::new("Red slips");
        // The field before it (reserve draws) is empty, so left out of the named form.
        scenario.risk = Some(RiskSettings {
            seed: 7,
            runs: 50,
            ..RiskSettings::default()
        });
        let job = SimulationJob {
            schedule,
            gap: None,
            scenario,
        };
        let back: SimulationJob = decode(&encode(&job)).unwrap();
        assert_eq!(back, job);
        let inputs = SimulationInputs::from(back.clone());
        let mut seen = Vec::new();
        let report = run_simulation(back, |p| seen.push(p.done));
        let risk = report.clone().unwrap();
        // In fiftieths (50 runs: one at a time), then the deterministic run.
        assert_eq!(seen, (1..=50).collect::<Vec<u32>>());
        assert_eq!(risk.simulated, simulate(&inputs).unwrap());
        assert_eq!(risk.simulated.runs, 50);
        assert_eq!(risk.deterministic.runs, 1);
        // Every line delivered in full: the deterministic savings are the published ones.
        let y = &risk.deterministic.years[0];
        assert_eq!(y.savings.p10, y.savings.p90);
        assert_eq!(
            decode::<SimulationReport>(&encode(&report)).unwrap(),
            report
        );
    }

    #[test]
    fn lines_cross_with_every_field_and_cut_bytes_are_refused() {
        use crate::engine::model::number::{Amount, NoFigure};
        use crate::engine::model::rating::Rag;
        use crate::engine::model::schedule::{Line, Recurrence};
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        let lines = vec![
            Line {
                row: 7,
                section: Some(2),
                text: vec![
                    "Ref £1".into(),
                    String::new(),
                    "naïve, \"quoted\"\nline".into(),
                ],
                amounts: vec![
                    Amount::Figure(d("-123.40")),
                    Amount::Blank,
                    Amount::NoFigure(NoFigure::NotApplicable),
                    Amount::NoFigure(NoFigure::ToBeConfirmed),
                    Amount::NoFigure(NoFigure::Unreadable),
                    Amount::Figure(d("999999999999999999.9999999999")),
                    Amount::Figure(d("0")),
                ],
                total: Some(Amount::Figure(d("1.5"))),
                recurrence: Recurrence::OneOff,
                memo: true,
                rag: Some(Rag::Amber),
            },
            Line {
                row: 8,
                section: None,
                text: vec![],
                amounts: vec![],
                total: None,
                recurrence: Recurrence::Recurring,
                memo: false,
                rag: None,
            },
        ];
        let bytes = crate::engine::state::line_bytes::write_lines(&lines);
        assert_eq!(
            crate::engine::state::line_bytes::read_lines(&bytes).unwrap(),
            lines
        );
        for cut in [0, 1, 4, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                crate::engine::state::line_bytes::read_lines(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(crate::engine::state::line_bytes::read_lines(&longer).is_err());
        // A count larger than the bytes left is refused before anything is allocated.
        assert!(crate::engine::state::line_bytes::read_lines(&[0xFF, 0xFF, 0xFF, 0x7F]).is_err());
    }

    #[test]
    fn garbage_is_refused_with_a_message() {
        let e = decode::<ImportReport>(b"\xc1\xff\x00").unwrap_err();
        assert!(e.to_string().contains("worker's answer"), "{e}");
        assert!(decode::<ImportReport>(&[]).is_err());
    }
}
