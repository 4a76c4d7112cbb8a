//! The model layer: what the engine's figures are. Numbers as published ([`number`]), exact
//! sums with their rounding ([`sum`]) and the precision each figure is shown to ([`shown`]),
//! the schedule and its lines, sections and total rows ([`schedule`]), financial years
//! ([`years`]), units ([`units`]), limits and format versions ([`limits`]), errors with their
//! positions ([`error`]), the canonical JSON form of a schedule ([`canonical`]), and the data
//! types every calculation works on: a gap model ([`gap`]), a reserves plan ([`reserves`]), a
//! scenario ([`scenario`]), RAG ratings ([`rating`]) and the delivery risk settings ([`risk`]).
//! Progress reporting of long reads lives here too ([`progress`]).
//!
//! It imports nothing of ours: every other layer builds on it (scripts/layers.py checks it).
//! Nothing here reads files, adds up a schedule or judges a published figure.

pub mod canonical;
pub mod document;
pub mod error;
pub mod gap;
pub mod invalid;
pub mod limits;
pub mod number;
pub mod prices;
pub mod problem;
pub mod progress;
pub mod rating;
pub mod reserves;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod shown;
pub mod sum;
pub(crate) mod sum_acc;
pub mod table;
pub mod units;
pub mod years;
