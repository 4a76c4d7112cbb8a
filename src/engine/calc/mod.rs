//! The calc layer: every figure derived from a model. Totals and the checks of published
//! totals ([`totals`], [`checks`], [`results`]), incremental and cumulative profiles
//! ([`profile`]), netting and paybacks ([`netting`]), the funding gap and its bridge ([`gap`]),
//! its rows' roles and published results settled by the arithmetic map ([`gap_roles`],
//! [`gap_arithmetic`]),
//! reserves drawn to close it ([`reserves`]), scenarios and their comparison ([`scenario`]), the
//! delivery risk simulation ([`simulation`], its random numbers and the shared risk factor in
//! [`correlation`]), monitoring variances ([`monitoring`], the published variance column checked in
//! [`monitoring_variance`], the file's arithmetic taken over in [`monitoring_arithmetic`]), the
//! illustrative RAG ratings for a schedule that has none ([`ratings`]), the
//! reconciliation of two tables ([`reconcile`]) and the live update of results after an edit
//! ([`live`]).
//!
//! It imports `model` and `read` (a calculation may ask how a table was read, never read a
//! file itself); nothing above it. It writes no file and keeps no state.

pub mod arithmetic;
pub mod change;
pub mod checks;
pub mod column_arithmetic;
pub mod correlation;
pub(crate) mod feed;
pub mod gap;
pub mod gap_arithmetic;
pub mod gap_roles;
pub mod live;
pub mod monitoring;
pub mod monitoring_arithmetic;
pub mod monitoring_variance;
pub mod netting;
pub mod netting_run;
pub mod profile;
pub mod ratings;
pub mod real_terms;
pub mod reconcile;
pub mod reserves;
pub mod results;
pub mod scenario;
pub mod schedule_arithmetic;
pub mod simulation;
pub mod totals;
