//! Generated tables (later).
