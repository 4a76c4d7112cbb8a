use crate::engine::model::gap::GapCheckRow;
use crate::engine::model::gap::GapModel;
use crate::engine::model::gap::GapResult;
use crate::engine::model::gap::GapRole;
use crate::engine::model::gap::GapRow;
use crate::engine::model::gap::Stated;
use crate::engine::model::schedule::Schedule;
/// Reads a line-labelled table as a gap model: every line a row, its role
/// ([`GapRole::from_label`]) and how it is stated ([`Stated::from_label`]) read from its label;
/// every total row the import found whose label names a gap result ([`GapResult::from_label`])
/// a result row, and so is a line whose label does (`Additional funding requested in current
/// year`, 8.456 in 2016/17 of `cyps-funding-gap-2016-20.csv`, restates that year's changes,
/// 7.848 + 0.179 + 0.128 + 0.301: counted it would double them, so it is checked instead, as the
/// year's gap before reserves). Total rows that name no gap result (`Total pressures`) stay out
/// of the model; the schedule's own checks still judge them. No feed is set.
pub fn gap_model(schedule: &Schedule) -> GapModel {
    let mut rows = Vec::new();
    let mut results = Vec::new();
    for line in &schedule.lines {
        let label = schedule.line_label(line);
        let role = GapRole::from_label(&label);
        if role == GapRole::Other {
            if let Some(result) = GapResult::from_label(&label) {
                results.push(GapCheckRow {
                    label,
                    row: line.row,
                    result,
                    amounts: line.amounts.clone(),
                });
                continue;
            }
        }
        rows.push(GapRow {
            stated: Stated::from_label(&label),
            label,
            row: line.row,
            role,
            amounts: line.amounts.clone(),
        });
    }
    for total in &schedule.total_rows {
        if let Some(result) = GapResult::from_label(&total.label) {
            results.push(GapCheckRow {
                label: total.label.clone(),
                row: total.row,
                result,
                amounts: total.amounts.clone(),
            });
        }
    }
    GapModel::of(schedule, rows, results)
}

/// True when a schedule is a plain table of labelled lines, the shape every gap table has: it
/// has lines, no section headings and no measure column (investment / gross saving / net).
pub fn is_line_table(schedule: &Schedule) -> bool {
    !schedule.lines.is_empty()
        && schedule.sections.is_empty()
        && !schedule.lines.iter().any(|l| schedule.measure(l).is_some())
}

/// True when a schedule reads as a forecast or funding-gap table: it has lines, no section
/// headings, no measure column (investment / gross saving / net), and more than half of its
/// lines name a gap role other than [`GapRole::Other`] or a gap result.
pub fn looks_like_gap_table(schedule: &Schedule) -> bool {
    if !is_line_table(schedule) {
        return false;
    }
    let known = schedule
        .lines
        .iter()
        .filter(|l| {
            let label = schedule.line_label(l);
            GapRole::from_label(&label) != GapRole::Other || GapResult::from_label(&label).is_some()
        })
        .count();
    // A gap table combines roles (a base budget, pressures, savings, a reported gap...); a list
    // of savings whose names say "saving" is a schedule, not a gap table.
    let roles: std::collections::HashSet<GapRole> = schedule
        .lines
        .iter()
        .map(|l| GapRole::from_label(&schedule.line_label(l)))
        .filter(|r| *r != GapRole::Other)
        .collect();
    known * 2 > schedule.lines.len() && roles.len() >= 2
}
