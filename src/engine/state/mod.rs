//! TODO layer doc

pub mod history;
pub mod job;
pub mod paste;
pub mod persist;
pub mod share;
