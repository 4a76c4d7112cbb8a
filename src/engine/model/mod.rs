//! TODO layer doc
pub mod canonical;
pub mod error;
pub mod gap;
pub mod limits;
pub mod number;
pub mod progress;
pub mod rating;
pub mod reserves;
pub mod risk;
pub mod scenario;
pub mod schedule;
pub mod sum;
pub mod units;
pub mod years;
