//! "Download checks": every figure the page checked, one row each, as CSV and JSON, for an audit
//! file or a cabinet paper (docs/domain.md, "Checks and rounding" and "The arithmetic map").
//!
//! Two sources: the schedule's own checks (each line's published total against the sum of its
//! years, each published total row against the lines it covers) and, when a file's arithmetic
//! was mapped, each figure its identities check. Problems come first (errors, then incomplete,
//! then rounding, in file order), then every figure that agrees, so the file opens on what needs
//! a look. Figures are exact decimal text; text cells are neutralised against formula injection.

use serde::Serialize;

use crate::engine::calc::arithmetic::{ArithmeticMap, CSV_HEADER};
use crate::engine::calc::checks::{Check, CheckColumn, CheckReport, CheckStatus, Subject};
use crate::engine::model::schedule::Schedule;

use super::export::neutralise_cell;

/// The CSV's header: the arithmetic map's columns ([`CSV_HEADER`]) with the source first and
/// the row's label after its position (`source, status, cell, row, column, label, published,
/// computed, difference, tolerance, identity, note`).
pub const CHECKS_HEADER: [&str; 12] = {
    let m = CSV_HEADER;
    [
        "source", m[0], m[1], m[2], m[3], "label", m[4], m[5], m[6], m[7], m[8], m[9],
    ]
};

/// One checked figure, as both files write it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckedFigure {
    /// `schedule` (the schedule's checks) or `arithmetic map`.
    pub source: String,
    /// `ok`, `rounding`, `incomplete`, `error`; the map's `confirmed`, `rounding`, `broken`.
    pub status: String,
    /// The spreadsheet cell (`E7`) where the figure's place in the file is known.
    pub cell: String,
    /// The file row, counting from 1.
    pub row: usize,
    /// The column's header (schedule checks) or letter (map checks).
    pub column: String,
    pub label: String,
    pub published: String,
    pub computed: String,
    pub difference: String,
    pub tolerance: String,
    /// What the figure should equal.
    pub identity: String,
    /// A broken figure's sentence; a sum with cells of no figure says how many.
    pub note: String,
}

/// What a schedule check says the figure should equal.
fn identity(schedule: &Schedule, check: &Check) -> String {
    let column = match check.column {
        CheckColumn::Year(y) => schedule
            .years
            .get(y)
            .map_or_else(|| "the year".to_string(), |c| c.header.clone()),
        CheckColumn::Total => "the total".to_string(),
    };
    match check.subject {
        Subject::LineTotal { .. } => "the sum of the line's years".to_string(),
        Subject::TotalRow { index } => schedule.total_rows.get(index).map_or_else(
            || "the lines it covers".to_string(),
            |row| format!("{} ({column})", schedule.scope_text(&row.scope)),
        ),
        Subject::NetLine { .. } => "its proposal's investment and gross saving".to_string(),
        Subject::GapResult { .. } => "the gap worked out from the model's rows".to_string(),
    }
}

/// What a schedule check's figure needs said beside it: which row's error a carried total
/// repeats, or how many summed cells have no figure.
fn note(check: &Check) -> String {
    if !check.carries.is_empty() {
        return carried_note(&check.carries);
    }
    match check.missing {
        0 => String::new(),
        1 => "1 cell it adds has no figure".to_string(),
        n => format!("{n} cells it adds have no figure"),
    }
}

/// "repeats the error of rows 5 and 9, counted there": what a carried figure says.
///
/// ```
/// use gapwise::engine::carried_note;
/// assert_eq!(carried_note(&[5, 9]), "repeats the error of rows 5 and 9, counted there");
/// assert_eq!(carried_note(&[10]), "repeats the error of row 10, counted there");
/// ```
pub fn carried_note(rows: &[usize]) -> String {
    let rows: Vec<String> = rows.iter().map(usize::to_string).collect();
    let which = match rows.as_slice() {
        [one] => format!("row {one}"),
        [init @ .., last] => format!("rows {} and {last}", init.join(", ")),
        [] => "another row".to_string(),
    };
    format!("repeats the error of {which}, counted there")
}

fn status_rank(status: CheckStatus) -> u8 {
    match status {
        CheckStatus::Error => 0,
        CheckStatus::Incomplete => 1,
        CheckStatus::Carried => 2,
        CheckStatus::Rounding => 3,
        CheckStatus::Ok => 4,
    }
}

/// Every checked figure of a schedule and, when given, of a file's arithmetic map (with the
/// file's name): problems first, then the rest, each source in file order.
pub fn checked_figures(
    schedule: &Schedule,
    report: &CheckReport,
    map: Option<(&str, &ArithmeticMap)>,
) -> Vec<CheckedFigure> {
    let mut checks: Vec<&Check> = report.checks.iter().collect();
    // Stable: file order within a status.
    checks.sort_by_key(|c| (status_rank(c.status), c.row));
    let mut out: Vec<CheckedFigure> = checks
        .into_iter()
        .map(|c| CheckedFigure {
            source: "schedule".to_string(),
            status: c.status.label().to_string(),
            cell: String::new(),
            row: c.row,
            column: c.column_header.clone(),
            label: c.label.clone(),
            published: c.published.to_string(),
            computed: c.computed.to_string(),
            difference: c.difference.to_string(),
            tolerance: c.tolerance.to_string(),
            identity: identity(schedule, c),
            note: note(c),
        })
        .collect();
    if let Some((file, map)) = map {
        let source = format!("arithmetic map of {file}");
        let labels: std::collections::HashMap<usize, &str> =
            map.rows.iter().map(|e| (e.row, e.label.as_str())).collect();
        // The map's own CSV rows (`ArithmeticMap::to_csv_rows`): status, cell, row, column,
        // published, computed, difference, tolerance, identity, note; broken ones first.
        for r in map.to_csv_rows() {
            let cell = |i: usize| r.get(i).cloned().unwrap_or_default();
            let label = cell(2)
                .parse::<usize>()
                .ok()
                .and_then(|row| labels.get(&row))
                .map(|l| l.to_string())
                .unwrap_or_default();
            out.push(CheckedFigure {
                source: source.clone(),
                status: cell(0),
                cell: cell(1),
                row: cell(2).parse().unwrap_or(0),
                column: cell(3),
                label,
                published: cell(4),
                computed: cell(5),
                difference: cell(6),
                tolerance: cell(7),
                identity: cell(8),
                note: cell(9),
            });
        }
    }
    out
}

/// The checked figures as CSV: [`CHECKS_HEADER`], then one row per figure.
///
/// ```
/// use gapwise::engine::{calculate, checks_to_csv, import, ImportOptions};
/// let csv = "Project,2017/18,2018/19,Total\nA,1.0,2.0,3.0\nB,1.0,1.0,2.5\n";
/// let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default()).unwrap().schedule;
/// let out = checks_to_csv(&s, &calculate(&s).checks, None);
/// let rows: Vec<&str> = out.lines().collect();
/// assert_eq!(rows.len(), 3);
/// assert!(rows[1].starts_with("schedule,error,,3,Total,B,2.5,2.0,0.5,"));
/// ```
pub fn checks_to_csv(
    schedule: &Schedule,
    report: &CheckReport,
    map: Option<(&str, &ArithmeticMap)>,
) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a record that did would only be left out.
    let _ = w.write_record(CHECKS_HEADER);
    for f in checked_figures(schedule, report, map) {
        let row = f.row.to_string();
        let cells = [
            &f.source,
            &f.status,
            &f.cell,
            &row,
            &f.column,
            &f.label,
            &f.published,
            &f.computed,
            &f.difference,
            &f.tolerance,
            &f.identity,
            &f.note,
        ];
        let _ = w.write_record(cells.iter().map(|c| neutralise_cell(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[derive(Serialize)]
struct ChecksFile<'a> {
    schedule: &'a str,
    /// Checked figures by status and source.
    counts: Vec<Count>,
    checks: Vec<CheckedFigure>,
}

#[derive(Serialize)]
struct Count {
    source: String,
    status: String,
    figures: usize,
}

/// The checked figures as JSON: the schedule's title, how many figures of each status each
/// source has, and every figure as [`checks_to_csv`] writes it (the same order and text; JSON
/// needs no neutralising).
pub fn checks_to_json(
    schedule: &Schedule,
    report: &CheckReport,
    map: Option<(&str, &ArithmeticMap)>,
) -> String {
    let checks = checked_figures(schedule, report, map);
    let mut counts: Vec<Count> = Vec::new();
    for f in &checks {
        match counts
            .iter_mut()
            .find(|c| c.source == f.source && c.status == f.status)
        {
            Some(c) => c.figures += 1,
            None => counts.push(Count {
                source: f.source.clone(),
                status: f.status.clone(),
                figures: 1,
            }),
        }
    }
    serde_json::to_string_pretty(&ChecksFile {
        schedule: &schedule.title,
        counts,
        checks,
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
