//! One recalculation of a schedule: its totals, then every check of its published figures.

use super::checks::{check, CheckReport};
use super::totals::{totals, Totals};
use crate::engine::model::schedule::Schedule;

/// Everything derived from a schedule: its totals and the checks of its published figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    pub totals: Totals,
    pub checks: CheckReport,
}

/// Recalculates a schedule: totals, then every check of a published figure.
pub fn calculate(schedule: &Schedule) -> Results {
    let totals = totals(schedule);
    let checks = check(schedule, &totals);
    Results { totals, checks }
}
