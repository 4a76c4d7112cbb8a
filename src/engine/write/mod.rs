//! The write layer: exports. CSV with the computed totals and checks beside the published ones,
//! the long CSV (one row per line and year) and JSON ([`export`]), and XLSX with live formulas
//! ([`xlsx`]). Every text cell is neutralised against formula injection.
//!
//! It imports `model`, `read` and `calc`; nothing imports it but the engine's front and `state`.

pub mod export;
pub mod map;
pub mod xlsx;
