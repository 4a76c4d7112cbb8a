//! TODO layer doc

pub mod export;
pub mod xlsx;
