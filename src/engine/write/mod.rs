//! The write layer: exports. CSV with the computed totals and checks beside the published ones,
//! the long CSV (one row per line and year) and JSON ([`export`]), XLSX with live formulas
//! ([`xlsx`]), the Fiscal Data Package (a zip of `datapackage.json` and the long CSV with the
//! text columns, [`package`]), and the funding gap's derived figures as CSV, XLSX and JSON
//! ([`gap`]), and the report to publish ([`report`]). Every text cell is neutralised against formula injection.
//!
//! It imports `model`, `read` and `calc`; nothing imports it but the engine's front and `state`.

pub mod checks;
pub mod export;
pub mod gap;
pub mod map;
pub mod package;
pub mod report;
#[cfg(feature = "xlsx")]
pub mod xlsx;
