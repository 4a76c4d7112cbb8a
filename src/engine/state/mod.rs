//! The state layer: what the page keeps between actions. Edits and their undo ([`history`]),
//! pasted cells ([`paste`]), the saved state in the browser ([`persist`], written a slice at a time by [`save_run`]), share links and
//! published files ([`share`]), and the jobs a worker runs, in the form they cross threads in
//! ([`job`]).
//!
//! It may import every layer below it (`model`, `read`, `calc`, `write`); nothing in the engine
//! imports it.

pub mod history;
pub mod job;
pub mod line_bytes;
pub mod paste;
pub mod persist;
pub mod save_run;
pub mod share;
pub mod workbook_job;
