//! Gapwise: savings schedules recalculated exactly.
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker_side;
