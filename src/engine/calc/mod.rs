//! TODO layer doc

pub mod checks;
pub mod gap;
pub mod live;
pub mod monitoring;
pub mod netting;
pub mod profile;
pub mod reconcile;
pub mod reserves;
pub mod results;
pub mod scenario;
pub mod simulation;
pub mod totals;
