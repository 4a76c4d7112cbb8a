//! Export: the recalculated schedule, as bytes a spreadsheet or Gapwise opens again.
//!
//! This module owns writing files: the CSV export (the file's own columns in its own order, the
//! published figures as they were, plus a computed total and a check status per row, and a
//! computed grand total row) and the canonical JSON (delegated to `canonical`). Text cells that
//! a spreadsheet would run as a formula (starting `=`, `+`, `-`, `@`, tab or carriage return) are
//! written with a leading `'`, which import removes again. Columns and rows that Gapwise adds are
//! named `Gapwise ...`, and import skips them, so an export imports as the same schedule.
//!
//! It also writes the long CSV ([`to_csv_long`]: one row per line and year, for pivot tables and
//! databases; import reads it back through `long`, with what it carries) and, in `xlsx`, the
//! spreadsheet export.

use crate::engine::calc::arithmetic::ArithmeticMap;
use crate::engine::calc::checks::{Check, CheckColumn, CheckReport, CheckStatus, Subject};
use crate::engine::calc::scenario::apply_scenario;
use crate::engine::calc::totals::{RowTotals, Totals};
use crate::engine::model::canonical;
use crate::engine::model::number::{format_amount, plain_amount, Amount};
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::{ColumnRef, Line, Schedule, TextField};
use crate::engine::model::sum::Sum;
use crate::engine::read::long::LONG_HEADERS;
use crate::engine::read::long::LONG_SCENARIO_HEADER;

/// Header of the computed total column.
pub const COMPUTED_TOTAL_HEADER: &str = "Gapwise computed total";
/// Header of the check status column.
pub const CHECK_HEADER: &str = "Gapwise check";
/// Header of the arithmetic map's column ([`to_csv_with_map`]).
pub const ARITHMETIC_HEADER: &str = "Gapwise arithmetic (as published)";
/// Label of the computed grand total row.
pub const GRAND_TOTAL_LABEL: &str = "Gapwise grand total";

/// Makes a text cell safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`,
/// tab or carriage return gets a leading `'`, so it is shown as text and never run as a formula.
///
/// ```
/// use gapwise::engine::neutralise;
/// assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(neutralise("Early Help"), "Early Help");
/// ```
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A cell of a file of figures and text: a figure written as an exact decimal (`-400.0`) is
/// left as it is, since a spreadsheet reads it as the number it is, not a formula; any other
/// text is [`neutralise`]d.
///
/// ```
/// use gapwise::engine::neutralise_cell;
/// assert_eq!(neutralise_cell("-400.0"), "-400.0");
/// assert_eq!(neutralise_cell("-1+cmd"), "'-1+cmd");
/// ```
pub fn neutralise_cell(text: &str) -> String {
    let number = !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && text.parse::<rust_decimal::Decimal>().is_ok();
    if number {
        text.to_string()
    } else {
        neutralise(text)
    }
}

fn cell(amount: &Amount) -> String {
    amount.canonical()
}

fn computed(sum: &Sum, decimals: u32) -> String {
    if sum.is_complete() {
        plain_amount(sum.value, decimals)
    } else {
        format!(
            "{} (excl. {} cell(s) with no figure)",
            plain_amount(sum.value, decimals),
            sum.missing
        )
    }
}

/// The checks that are not ok, per line and per total row, gathered in one pass so that the
/// export stays linear in the size of the schedule however many checks fail.
fn problems_by_subject<'a>(
    schedule: &Schedule,
    report: &'a CheckReport,
) -> (Vec<Vec<&'a Check>>, Vec<Vec<&'a Check>>) {
    let mut lines = vec![Vec::new(); schedule.lines.len()];
    let mut total_rows = vec![Vec::new(); schedule.total_rows.len()];
    for c in report.checks.iter().filter(|c| c.status != CheckStatus::Ok) {
        let list = match c.subject {
            Subject::LineTotal { line } | Subject::NetLine { line } => lines.get_mut(line),
            Subject::TotalRow { index } => total_rows.get_mut(index),
            // A gap model's checks are not a schedule's: nothing of the export to mark.
            Subject::GapResult { .. } => None,
        };
        if let Some(list) = list {
            list.push(c);
        }
    }
    (lines, total_rows)
}

fn check_text(schedule: &Schedule, problems: &[&Check], status: Option<CheckStatus>) -> String {
    let Some(status) = status else {
        return String::new();
    };
    if status == CheckStatus::Ok {
        return "ok".to_string();
    }
    let d = schedule.decimals;
    let details: Vec<String> = problems
        .iter()
        .map(|c| {
            let column = match c.column {
                CheckColumn::Year(y) => schedule.years[y].year.label(),
                CheckColumn::Total => "total".to_string(),
            };
            format!(
                "{column} {}: published {}, computed {}",
                c.status.label(),
                format_amount(c.published, d.max(c.published.scale())),
                format_amount(c.computed, d.max(c.computed.scale()))
            )
        })
        .collect();
    format!("{}: {}", status.label(), details.join("; "))
}

/// What one exported row is, in file order.
enum Item {
    Section(usize),
    Line(usize),
    TotalRow(usize),
}

/// Writes the recalculated schedule as CSV (UTF-8 with a byte-order mark, so spreadsheets show
/// `£` right): the header with `Gapwise computed total` and `Gapwise check` added, the unit row,
/// then sections, lines and published total rows in file order, each with its computed total
/// and check status, and last a `Gapwise grand total` row of computed totals per year.
pub fn to_csv(schedule: &Schedule, totals: &Totals, report: &CheckReport) -> String {
    to_csv_with_map(schedule, totals, report, None)
}

/// [`to_csv`] with, when the file's arithmetic map is given, one more column,
/// [`ARITHMETIC_HEADER`]: for each file row, what the map says of it as published (the identity
/// that derives it, its figures confirmed, rounding and broken, and each broken figure with both
/// figures: [`ArithmeticMap::row_note`]; docs/domain.md, "The arithmetic map").
pub fn to_csv_with_map(
    schedule: &Schedule,
    totals: &Totals,
    report: &CheckReport,
    map: Option<&ArithmeticMap>,
) -> String {
    let note = |row: usize| map.map(|m| neutralise(&m.row_note(row)));
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let d = schedule.decimals;
    let width = schedule.layout.len();
    let mut header: Vec<String> = schedule
        .layout
        .iter()
        .map(|c| match c {
            ColumnRef::Text(i) => neutralise(&schedule.text_columns[*i].header),
            ColumnRef::Year(i) => neutralise(&schedule.years[*i].header),
            ColumnRef::Total => neutralise(schedule.total_header.as_deref().unwrap_or("Total")),
        })
        .collect();
    header.push(COMPUTED_TOTAL_HEADER.to_string());
    header.push(CHECK_HEADER.to_string());
    if map.is_some() {
        header.push(ARITHMETIC_HEADER.to_string());
    }
    let _ = w.write_record(&header);

    let unit = schedule.unit.label().to_string();
    let mut unit_row: Vec<String> = schedule
        .layout
        .iter()
        .map(|c| {
            if matches!(c, ColumnRef::Text(_)) {
                String::new()
            } else {
                unit.clone()
            }
        })
        .collect();
    unit_row.push(unit.clone());
    unit_row.push(String::new());
    if map.is_some() {
        unit_row.push(String::new());
    }
    let _ = w.write_record(&unit_row);

    let mut items: Vec<(usize, Item)> = Vec::new();
    items.extend(
        schedule
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| (s.row, Item::Section(i))),
    );
    items.extend(
        schedule
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| (l.row, Item::Line(i))),
    );
    items.extend(
        schedule
            .total_rows
            .iter()
            .enumerate()
            .map(|(i, t)| (t.row, Item::TotalRow(i))),
    );
    items.sort_by_key(|(row, _)| *row);

    let (line_problems, row_problems) = problems_by_subject(schedule, report);
    let first_text = schedule
        .layout
        .iter()
        .position(|c| matches!(c, ColumnRef::Text(_)));
    for (row, item) in &items {
        let mut record: Vec<String> = match item {
            Item::Section(i) => {
                let mut r = vec![String::new(); width + 2];
                r[first_text.unwrap_or(0)] = neutralise(&schedule.sections[*i].name);
                r
            }
            Item::Line(i) => {
                let line = &schedule.lines[*i];
                let mut r: Vec<String> = schedule
                    .layout
                    .iter()
                    .map(|c| match c {
                        ColumnRef::Text(t) => neutralise(&line.text[*t]),
                        ColumnRef::Year(y) => cell(&line.amounts[*y]),
                        ColumnRef::Total => line.total.as_ref().map(cell).unwrap_or_default(),
                    })
                    .collect();
                r.push(computed(&totals.lines[*i], d));
                r.push(check_text(
                    schedule,
                    &line_problems[*i],
                    report.line_status[*i],
                ));
                r
            }
            Item::TotalRow(i) => {
                let row = &schedule.total_rows[*i];
                let mut r: Vec<String> = schedule
                    .layout
                    .iter()
                    .map(|c| match c {
                        ColumnRef::Text(t) => {
                            neutralise(row.text.get(*t).map(String::as_str).unwrap_or(""))
                        }
                        ColumnRef::Year(y) => cell(&row.amounts[*y]),
                        ColumnRef::Total => row.total.as_ref().map(cell).unwrap_or_default(),
                    })
                    .collect();
                if row.text.is_empty() {
                    // `get_mut`: a schedule built by hand or from JSON may have an empty layout.
                    if let Some(c) = r.get_mut(first_text.unwrap_or(0)) {
                        *c = neutralise(&row.label);
                    }
                }
                let sums = crate::engine::calc::totals::scope_totals(schedule, totals, &row.scope);
                r.push(computed(&sums.total, d));
                r.push(check_text(
                    schedule,
                    &row_problems[*i],
                    report.total_row_status[*i],
                ));
                r
            }
        };
        if let Some(n) = note(*row) {
            // A section heading's record may be shorter than a line's: pad to the column.
            record.resize(width + 2, String::new());
            record.push(n);
        }
        let _ = w.write_record(&record);
    }

    let _ = w.write_record(grand_row(schedule, &totals.grand, first_text));
    with_bom(w)
}

fn grand_row(schedule: &Schedule, grand: &RowTotals, first_text: Option<usize>) -> Vec<String> {
    let d = schedule.decimals;
    let mut r: Vec<String> = schedule
        .layout
        .iter()
        .map(|c| match c {
            ColumnRef::Text(_) => String::new(),
            ColumnRef::Year(y) => computed(&grand.years[*y], d),
            ColumnRef::Total => String::new(),
        })
        .collect();
    if let Some(c) = r.get_mut(first_text.unwrap_or(0)) {
        *c = GRAND_TOTAL_LABEL.to_string();
    }
    r.push(computed(&grand.total, d));
    r.push(String::new());
    r
}

/// Writes the schedule as a long CSV (UTF-8 with a byte-order mark): a header, then one row per
/// line and year, lines in file order and years in column order, with
///
/// - `Row`: the line's file row (what tells two lines of one reference apart);
/// - `Section`: its section heading, or empty;
/// - `Reference`: its reference column's text, or empty when the schedule has none;
/// - `Line`: its label (project name, else description, else reference, else first text);
/// - `Year`: the financial year, `2017/18`;
/// - `Amount`: the cell as published, in the file's own signs and unit, exactly as the canonical
///   JSON writes it (`-200.0`, empty for a blank cell, `N/A`, `TBC`);
/// - `Unit`: `£`, `£'000` or `£m`;
/// - with a scenario, `Scenario amount: <name>`: the same cell under the scenario
///   ([`apply_scenario`]), exact, with every decimal the product has. Cells a slip moves past
///   the last year leave the period and have no row.
///
/// Published total rows are checks, not lines, and are left out. Every text cell is made safe
/// with [`neutralise`], headers included; amounts are written as plain decimals, never as text
/// a spreadsheet would run.
///
/// Import reads it back (the scenario column is ignored) as a schedule with the same lines, rows,
/// sections, years, unit and cells, exactly; other text columns, published totals, the sign
/// convention and the profile are not in the file (see `engine::long` for the whole list).
pub fn to_csv_long(schedule: &Schedule, scenario: Option<&Scenario>) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut header: Vec<String> = LONG_HEADERS.iter().map(|h| h.to_string()).collect();
    if let Some(sc) = scenario {
        header.push(neutralise(&format!("{LONG_SCENARIO_HEADER}: {}", sc.name)));
    }
    let _ = w.write_record(&header);
    let applied = scenario.map(|sc| apply_scenario(schedule, sc));
    let unit = schedule.unit.label();
    for (i, line) in schedule.lines.iter().enumerate() {
        let [row, section, reference, label] = long_line_cells(schedule, line);
        for (y, year) in schedule.years.iter().enumerate() {
            let mut record = vec![
                row.clone(),
                section.clone(),
                reference.clone(),
                label.clone(),
                year.year.label(),
                line.amounts.get(y).map(cell).unwrap_or_default(),
                unit.to_string(),
            ];
            if let Some(applied) = &applied {
                record.push(
                    applied.schedule.lines[i]
                        .amounts
                        .get(y)
                        .map(cell)
                        .unwrap_or_default(),
                );
            }
            let _ = w.write_record(&record);
        }
    }
    with_bom(w)
}

/// A long CSV's first cells for a line (its row, section, reference and label), safe from
/// formula injection ([`neutralise`]); each of the line's year rows follows them with the year,
/// the amount and the unit.
pub(super) fn long_line_cells(schedule: &Schedule, line: &Line) -> [String; 4] {
    let section = line
        .section
        .and_then(|s| schedule.sections.get(s))
        .map(|s| neutralise(&s.name))
        .unwrap_or_default();
    [
        line.row.to_string(),
        section,
        neutralise(schedule.text(line, TextField::Reference)),
        neutralise(&schedule.line_label(line)),
    ]
}

/// A CSV writer's text after a byte order mark, so that Excel reads it as UTF-8.
pub(super) fn with_bom(w: csv::Writer<Vec<u8>>) -> String {
    let bytes = w.into_inner().unwrap_or_default();
    let mut out = String::from("\u{feff}");
    out.push_str(&String::from_utf8_lossy(&bytes));
    out
}

/// Writes the schedule as a canonical `gapwise-schedule/1` JSON document.
pub fn to_json(schedule: &Schedule) -> String {
    canonical::to_json(schedule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::results::calculate;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;

    #[test]
    fn long_csv_has_a_row_per_line_and_year_with_the_scenario() {
        let csv = "Ref,Project,2017/18,2018/19,RAG\n,,£'000,£'000,\nSection A\n\
                   =X1,\"=cmd|' /C calc'!A0\",-5.0,(1.0),Red\nC2,+Care,1.5,N/A,Green\n";
        let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let mut sc = crate::engine::Scenario::new("=Red at 0");
        sc.rates.green = rust_decimal::Decimal::new(5, 1);
        let out = to_csv_long(&s, Some(&sc));
        assert!(out.starts_with('\u{feff}'));
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(
            rows[0],
            [
                "Row",
                "Section",
                "Reference",
                "Line",
                "Year",
                "Amount",
                "Unit",
                "Scenario amount: =Red at 0"
            ]
        );
        assert_eq!(rows.len(), 1 + 2 * 2);
        assert_eq!(
            rows[1],
            [
                "4",
                "Section A",
                "'=X1",
                "'=cmd|' /C calc'!A0",
                "2017/18",
                "-5.0",
                "£'000",
                "0.0"
            ]
        );
        assert_eq!(rows[2][4..], ["2018/19", "-1.0", "£'000", "0.0"]);
        assert_eq!(
            rows[3][2..],
            ["C2", "'+Care", "2017/18", "1.5", "£'000", "0.75"]
        );
        assert_eq!(rows[4][5..], ["N/A", "£'000", "N/A"]);
        let plain = to_csv_long(&s, None);
        assert!(plain.lines().next().unwrap().ends_with(",Unit"));
    }

    #[test]
    fn csv_export_neutralises_text_and_keeps_numbers() {
        let csv = "Project,2017/18,2018/19,Total\n,£'000,£'000,£'000\n\"=cmd|' /C calc'!A0\",-5.0,(1.0),-6.0\n\
                   @SUM(1),1.0,1.0,2.0\n";
        let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule;
        let r = calculate(&s);
        let out = to_csv(&s, &r.totals, &r.checks);
        assert!(out.starts_with('\u{feff}'));
        let mut rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> = rows
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0].last().unwrap(), CHECK_HEADER);
        assert_eq!(rows[2][0], "'=cmd|' /C calc'!A0");
        assert_eq!(rows[2][1], "-5.0");
        assert_eq!(rows[2][4], "-6.0");
        assert_eq!(rows[2][5], "ok");
        assert_eq!(rows[3][0], "'@SUM(1)");
        let grand = rows.last().unwrap();
        assert_eq!(grand[0], GRAND_TOTAL_LABEL);
        assert_eq!(grand[1], "-4.0");
        assert_eq!(grand[2], "0.0");
        assert_eq!(grand[4], "-4.0");
    }
}
