//! Monitoring: target against forecast, per line and in total (docs/domain.md, "Monitoring").
//!
//! This module owns recognising a monitoring table by its header (a target column and a
//! forecast column, for the year or per quarter), reading it into a [`Schedule`], and the
//! variance of each line and total with its verdict, favourable or adverse ([`monitoring`]).
//! It does not decode bytes or split records (`import` does, and hands over the rows through
//! `mtfs::recognise`), nor add up or check years (`totals`, `checks`).
//!
//! **The model.** A monitoring table's figures are not years: `Target` and `Forecast` are two
//! figures of one year, and `Q1 Target` … `Q4 Forecast` are quarters. A [`Schedule`]'s year
//! columns are financial years, each once, so the target and forecast columns are kept as
//! *text columns* with their headers as published (`Q1 Target`), and [`monitoring`] finds them
//! again by their headers ([`column_role`]) and reads their cells as amounts in the schedule's
//! unit. So a monitoring table is a schedule like any other (saved in the browser, undone, shared
//! in a link, exported as JSON, exactly), with no year columns unless it has some; its lines carry
//! their type (the measure: `Investment`, `Saving`), RAG, and sign convention as every schedule's
//! do. Cells that are not amounts are reported at import with row and column, and count as no
//! figure.
//!
//! **The rule** (docs/domain.md "Monitoring" and "Sign conventions"). Variance = forecast − target,
//! exactly, in the file's signs. Whether it helps the budget depends on which way a line's
//! figures point ([`Direction`], [`direction`]):
//!
//! - in a **costs-positive** table (an appraisal) every figure is a cost, savings negative: a
//!   higher figure is more cost, so a forecast above target is **adverse** for every line;
//! - in a **benefits-positive** table costs are negative and savings positive: a higher figure is
//!   less cost or more saving, so a forecast above target is **favourable** for every line,
//!   whatever its type says;
//! - in a **savings-positive** table a saving line's higher figure is more saving: a forecast
//!   above target is **favourable**; a line whose type names a cost or an investment is a cost
//!   written as it is (a forecast above target is **adverse**) unless its figures are mostly
//!   negative, that is, signed as a benefits-positive table signs costs, when a higher (less
//!   negative) figure is less cost and favourable again.
//!
//! The convention read here is a guess from the types' signs; the file's arithmetic map, once
//! known, replaces it with the one under which the published variance column holds, and marks
//! rows that are the net of their proposal's lines above as memo (`calc::monitoring_arithmetic`).
//! The published variance column is checked in `calc::monitoring_variance`.
//!
//! A zero variance is on target. A line whose target or forecast has no figure (`N/A`, `TBC`, a
//! bad cell) has no variance and no verdict; an empty cell is zero, as in every schedule, and a
//! period with both cells empty has no verdict. Memo lines and published net lines are shown but
//! not counted in totals.
//!
//! **Totals**, per period: one `Total` when every counted line points the same way; otherwise a
//! total of the lines whose higher figure helps (`Total savings`), one of those whose higher
//! figure costs (`Total costs and investment`), each with its own verdict, and their `Net`, in
//! Gapwise's savings-positive terms (savings minus costs). A total with a cell of no figure has no
//! variance and no verdict. **Proposals** with both savings and cost lines (a proposal as the Net
//! view groups them) get the same net.

use rust_decimal::Decimal;

use super::grid::unit_in_text;
use super::grid::{
    detect_recurrence, read_amount, title_from_file_name, unneutralise, ImportOptions, Imported,
    Problems, Row,
};
use super::mtfs::OTHER_HEADER_ROWS;

use crate::engine::model::error::{Error, ErrorKind, Limited, Position};
use crate::engine::model::limits::MAX_COLUMNS;
use crate::engine::model::number::{parse_amount, Amount, NoFigure, ParsedAmount, MAX_DECIMALS};
use crate::engine::model::rating::Rag;
use crate::engine::model::schedule::{
    ColumnRef, Line, Measure, Profile, Schedule, Section, SignConvention, TextColumn, TextField,
    TotalRow, TotalScope, Unit,
};
use crate::engine::model::table::{PeriodColumn, TableProblem};
use crate::engine::model::units::to_unit;

/// What a monitoring column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The figure planned: `Target`, `Budget`, `Planned`, `Plan`.
    Target,
    /// The figure expected or achieved: `Forecast`, `Outturn`, `Actual`, `Projected`.
    Forecast,
}

/// Words a target or forecast header may carry besides its role, quarter, year and unit.
const FILLER: [&str; 17] = [
    "saving", "savings", "amount", "value", "figure", "full", "year", "in", "for", "the", "of",
    "fy", "position", "latest", "current", "original", "agreed",
];

/// Reads a header as a monitoring column: `Target`, `Budget`, `Forecast Outturn`, `Q1 Target`,
/// `Quarter 2 Forecast`, `2024/25 Target (£'000)`, `Planned Savings`. The header must name one
/// role (target or forecast) and otherwise only a quarter, a year, a unit in brackets or filler
/// words (`saving`, `full year`, `latest`): `Budget Holder` and `Actual to date` are text.
///
/// ```
/// use gapwise::engine::{column_role, MonitoringRole};
/// assert_eq!(column_role("Q2 Forecast"), Some((Some(2), MonitoringRole::Forecast)));
/// assert_eq!(column_role("Target Saving 2024/25 (£'000)"), Some((None, MonitoringRole::Target)));
/// assert_eq!(column_role("Budget Holder"), None);
/// ```
pub fn column_role(header: &str) -> Option<(Option<u8>, Role)> {
    let lower = header.to_lowercase();
    let mut text = String::new();
    let mut depth = 0usize;
    for c in lower.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && c.is_alphanumeric() => text.push(c),
            _ if depth == 0 => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut role: Option<Role> = None;
    let mut quarter: Option<u8> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let this = match w {
            "target" | "targets" | "budget" | "budgeted" | "planned" | "plan" => Some(Role::Target),
            "forecast" | "forecasts" | "forecasted" | "outturn" | "actual" | "actuals"
            | "projected" | "projection" => Some(Role::Forecast),
            _ => None,
        };
        if let Some(r) = this {
            if role.is_some_and(|x| x != r) {
                return None;
            }
            role = Some(r);
        } else if let Some(q) = w.strip_prefix('q').and_then(quarter_number) {
            if quarter.is_some() {
                return None;
            }
            quarter = Some(q);
        } else if w == "quarter" {
            let q = words.get(i + 1).and_then(|n| quarter_number(n))?;
            if quarter.is_some() {
                return None;
            }
            quarter = Some(q);
            i += 1;
        } else if !(w.bytes().all(|b| b.is_ascii_digit())
            || FILLER.contains(&w)
            || (w.starts_with("fy") && w[2..].bytes().all(|b| b.is_ascii_digit())))
        {
            return None;
        }
        i += 1;
    }
    role.map(|r| (quarter, r))
}

fn quarter_number(text: &str) -> Option<u8> {
    match text {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        "4" => Some(4),
        _ => None,
    }
}

/// One period of a monitoring table: the year (`quarter` `None`) or a quarter, with its target
/// and forecast columns (indices into [`Schedule::text_columns`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Period {
    pub quarter: Option<u8>,
    /// `Year` or `Q1` … `Q4`.
    pub label: String,
    pub target: usize,
    pub forecast: usize,
}

/// The periods of a schedule's monitoring columns, in the order their target columns come;
/// `Err` names a column with no partner or a period given twice (as a header position: the
/// text column's index and header).
pub(crate) fn periods(text_columns: &[TextColumn]) -> Result<Vec<Period>, (usize, TableProblem)> {
    let mut found: Vec<(Option<u8>, Option<usize>, Option<usize>)> = Vec::new();
    for (i, c) in text_columns.iter().enumerate() {
        let Some((quarter, role)) = column_role(&c.header) else {
            continue;
        };
        let entry = match found.iter_mut().find(|(q, _, _)| *q == quarter) {
            Some(e) => e,
            None => {
                found.push((quarter, None, None));
                found.last_mut().expect("just pushed")
            }
        };
        let slot = match role {
            Role::Target => &mut entry.1,
            Role::Forecast => &mut entry.2,
        };
        if slot.is_some() {
            return Err((
                i,
                TableProblem::SecondColumn {
                    header: c.header.clone(),
                    column: period_column(role),
                    period: period_label(quarter),
                },
            ));
        }
        *slot = Some(i);
    }
    found
        .into_iter()
        .map(|(quarter, target, forecast)| match (target, forecast) {
            (Some(target), Some(forecast)) => Ok(Period {
                quarter,
                label: period_label(quarter),
                target,
                forecast,
            }),
            (Some(i), None) | (None, Some(i)) => Err((
                i,
                TableProblem::NoPartner {
                    header: text_columns[i].header.clone(),
                    missing: if target.is_some() {
                        PeriodColumn::Forecast
                    } else {
                        PeriodColumn::Target
                    },
                },
            )),
            (None, None) => unreachable!("a period is found by one of its columns"),
        })
        .collect()
}

fn period_column(role: Role) -> PeriodColumn {
    match role {
        Role::Target => PeriodColumn::Target,
        Role::Forecast => PeriodColumn::Forecast,
    }
}

fn period_label(quarter: Option<u8>) -> String {
    match quarter {
        Some(q) => format!("Q{q}"),
        None => "Year".to_string(),
    }
}

/// A monitoring table's header: the first row (of the first 10) holding no figures, with at
/// least one target and one forecast column.
pub(crate) fn find_header(rows: &[Row]) -> Option<usize> {
    rows.iter().take(OTHER_HEADER_ROWS).position(|r| {
        let roles: Vec<Role> = r
            .cells
            .iter()
            .filter_map(|c| column_role(c).map(|(_, role)| role))
            .collect();
        roles.contains(&Role::Target)
            && roles.contains(&Role::Forecast)
            && !r.cells.iter().any(|c| {
                matches!(
                    parse_amount(c),
                    Ok(ParsedAmount {
                        amount: Amount::Figure(_),
                        ..
                    })
                )
            })
    })
}

fn is_total_label(text: &str) -> bool {
    let l = text.trim().to_lowercase();
    ["total", "sub-total", "sub total", "subtotal", "grand total"]
        .iter()
        .any(|p| l.starts_with(p))
}

/// Reads a monitoring table, header at `header_index`, into a schedule: every column a text
/// column (the target and forecast columns with their headers as published), a unit row under
/// the header or a unit in a header's brackets (else the options' unit, else `£`), section
/// headings (a row with one filled cell) and total rows (a first text `Total…`: kept as
/// published, not lines). Each target and forecast cell is read as an amount; one that is not is
/// reported with row and column. The sign convention is detected as for any schedule, from the
/// figures of lines whose type names a measure; once the file's arithmetic map is known, the
/// convention under which its variance column holds replaces it (`calc::monitoring_arithmetic`).
pub(crate) fn build_monitoring(
    rows: Vec<Row>,
    header_index: usize,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let header = &rows[header_index];
    if header.cells.len() > MAX_COLUMNS {
        return Err(Error::at(
            ErrorKind::Limit {
                what: Limited::HeaderColumns,
                found: header.cells.len(),
                limit: MAX_COLUMNS,
            },
            Position {
                row: header.row,
                line: header.line,
                ..Position::default()
            },
        ));
    }
    let mut text_columns: Vec<TextColumn> = Vec::new();
    let mut of_column: Vec<Option<usize>> = Vec::new();
    for (c, h) in header.cells.iter().enumerate() {
        let h = h.trim().trim_start_matches('\u{feff}').trim();
        if h.is_empty()
            && rows[header_index + 1..]
                .iter()
                .all(|r| cell(r, c).is_empty())
        {
            of_column.push(None);
            continue;
        }
        let field = if column_role(h).is_some() {
            TextField::Other
        } else {
            TextField::from_header(h)
        };
        text_columns.push(TextColumn {
            header: h.to_string(),
            field,
        });
        of_column.push(Some(text_columns.len() - 1));
    }
    let column_of_text: Vec<usize> = (0..text_columns.len())
        .map(|t| {
            of_column
                .iter()
                .position(|x| *x == Some(t))
                .expect("every text column has a column")
        })
        .collect();
    let periods = periods(&text_columns).map_err(|(t, problem)| {
        let c = column_of_text[t];
        Error::at(
            ErrorKind::Table(problem),
            Position {
                row: header.row,
                line: header.line,
                column: Some(c + 1),
                column_header: Some(header.cells[c].trim().to_string()),
            },
        )
    })?;
    if !text_columns.iter().any(|t| {
        matches!(
            t.field,
            TextField::Name | TextField::Description | TextField::Reference
        )
    }) {
        if let Some(first) = text_columns
            .iter_mut()
            .find(|t| column_role(&t.header).is_none())
        {
            first.field = TextField::Name;
        }
    }

    let title = rows[..header_index]
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| title_from_file_name(file_name));

    let mut body_start = header_index + 1;
    let mut unit = options.unit;
    let mut unit_stated = unit.is_some();
    if let Some(next) = rows.get(header_index + 1) {
        let units: Option<Vec<Unit>> = next
            .cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| Unit::from_label(c))
            .collect();
        if let Some(units) = units.filter(|u| !u.is_empty()) {
            body_start += 1;
            if unit.is_none() {
                unit = units.first().copied();
                unit_stated = true;
            }
        }
    }
    if unit.is_none() {
        unit = header.cells.iter().find_map(|c| unit_in_text(c));
        unit_stated = unit.is_some();
    }
    let unit = unit.unwrap_or(Unit::Pounds);

    let role_columns: Vec<usize> = periods
        .iter()
        .flat_map(|p| [column_of_text[p.target], column_of_text[p.forecast]])
        .collect();
    let rag_column = text_columns.iter().position(|t| t.field == TextField::Rag);
    let mut problems = Problems::default();
    let mut sections = Vec::new();
    let mut lines = Vec::new();
    let mut total_rows = Vec::new();
    let mut max_scale = 0u32;
    for r in &rows[body_start..] {
        let filled: Vec<usize> = (0..r.cells.len())
            .filter(|&c| !cell(r, c).is_empty())
            .collect();
        if filled.is_empty() {
            continue;
        }
        let extra = filled.iter().filter(|&&c| c >= header.cells.len()).count();
        problems.extra_cells(r, extra);
        let mut text = vec![String::new(); text_columns.len()];
        for (c, t) in of_column.iter().enumerate() {
            if let Some(t) = t {
                text[*t] = unneutralise(cell(r, c));
            }
        }
        if filled.len() == 1 && !role_columns.contains(&filled[0]) {
            sections.push(Section {
                name: unneutralise(cell(r, filled[0])),
                row: r.row,
            });
            continue;
        }
        for &c in &role_columns {
            read_amount(
                cell(r, c),
                unit,
                || Position {
                    row: r.row,
                    line: r.line,
                    column: Some(c + 1),
                    column_header: Some(header.cells[c].trim().to_string()),
                },
                &mut problems,
                &mut max_scale,
            );
        }
        let first_text = text.iter().find(|t| !t.is_empty()).cloned();
        if first_text.as_deref().is_some_and(is_total_label) {
            let label = text
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ");
            total_rows.push(TotalRow {
                row: r.row,
                label,
                scope: TotalScope::All,
                amounts: Vec::new(),
                total: None,
                text,
            });
            continue;
        }
        let rag = rag_column.and_then(|c| Rag::parse(&text[c]));
        lines.push(Line {
            row: r.row,
            section: sections.len().checked_sub(1),
            recurrence: detect_recurrence(&text),
            text,
            amounts: Vec::new(),
            total: None,
            memo: false,
            rag,
        });
    }
    let layout = (0..text_columns.len()).map(ColumnRef::Text).collect();
    let mut schedule = Schedule {
        title,
        unit,
        years: Vec::new(),
        text_columns,
        total_header: None,
        layout,
        sections,
        lines,
        total_rows,
        decimals: max_scale.min(MAX_DECIMALS),
        sign: SignConvention::SavingsPositive,
        profile: Profile::Incremental,
    };
    schedule.sign = detect_sign(&schedule, &periods);
    Ok(Imported::read(schedule, problems, unit_stated))
}

/// A cell of a row, trimmed; `""` past its end.
fn cell(r: &Row, c: usize) -> &str {
    r.cells.get(c).map(|s| s.trim()).unwrap_or("")
}

/// The sign convention of a monitoring table, as `import` detects a schedule's: saving lines
/// whose figures are mostly negative make it costs positive (an appraisal); cost and investment
/// lines mostly negative make it benefits positive (a business case); otherwise savings positive.
fn detect_sign(schedule: &Schedule, periods: &[Period]) -> SignConvention {
    let mut saving = 0i64;
    let mut cost = 0i64;
    for line in &schedule.lines {
        let balance = match schedule.measure(line) {
            Some(Measure::GrossSaving | Measure::Benefit) => &mut saving,
            Some(Measure::Cost | Measure::Investment) => &mut cost,
            _ => continue,
        };
        *balance += sign_balance(schedule, line, periods);
    }
    if saving < 0 {
        SignConvention::CostsPositive
    } else if cost < 0 {
        SignConvention::BenefitsPositive
    } else {
        SignConvention::SavingsPositive
    }
}

/// Positive figures of a line's monitoring cells minus its negative ones.
pub(crate) fn sign_balance(schedule: &Schedule, line: &Line, periods: &[Period]) -> i64 {
    let mut balance = 0i64;
    for p in periods {
        for c in [p.target, p.forecast] {
            if let Some(d) = cell_amount(schedule, line, c).value() {
                if d > Decimal::ZERO {
                    balance += 1;
                } else if d < Decimal::ZERO {
                    balance -= 1;
                }
            }
        }
    }
    balance
}

/// A line's monitoring cell (text column `column`) as an amount in the schedule's unit: what
/// `import` would read there; a cell that is not an amount has no figure.
pub(crate) fn cell_amount(schedule: &Schedule, line: &Line, column: usize) -> Amount {
    text_amount(schedule, &line.text, column)
}

/// The cell of text column `column` of a row's texts (a line's or a published total row's) as
/// an amount in the schedule's unit; a cell that is not an amount has no figure.
pub(crate) fn text_amount(schedule: &Schedule, texts: &[String], column: usize) -> Amount {
    let text = texts.get(column).map(String::as_str).unwrap_or("");
    match parse_amount(text) {
        Ok(ParsedAmount {
            amount: Amount::Figure(d),
            magnitude,
        }) => Amount::Figure(to_unit(d, magnitude, schedule.unit)),
        Ok(ParsedAmount { amount, .. }) => amount,
        Err(_) => Amount::NoFigure(NoFigure::Unreadable),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_problems_carry_their_kinds_and_fields() {
        let columns = |headers: &[&str]| -> Vec<TextColumn> {
            headers
                .iter()
                .map(|h| TextColumn {
                    header: h.to_string(),
                    field: TextField::Other,
                })
                .collect()
        };
        let (i, problem) = periods(&columns(&["Name", "Q1 Target", "Q1 Budget"])).unwrap_err();
        assert_eq!(i, 2);
        assert_eq!(
            problem,
            TableProblem::SecondColumn {
                header: "Q1 Budget".into(),
                column: PeriodColumn::Target,
                period: "Q1".into()
            }
        );
        assert_eq!(
            problem.to_string(),
            "`Q1 Budget` is a second target column for q1; a monitoring table has one target \
             and one forecast per period"
        );
        let (i, problem) = periods(&columns(&["Name", "Forecast"])).unwrap_err();
        assert_eq!(i, 1);
        assert_eq!(
            problem,
            TableProblem::NoPartner {
                header: "Forecast".into(),
                missing: PeriodColumn::Target
            }
        );
    }

    #[test]
    fn roles_from_headers() {
        let r = |h: &str| column_role(h);
        assert_eq!(r("Target"), Some((None, Role::Target)));
        assert_eq!(r("Budget"), Some((None, Role::Target)));
        assert_eq!(r("Planned Savings"), Some((None, Role::Target)));
        assert_eq!(r("Forecast Outturn"), Some((None, Role::Forecast)));
        assert_eq!(r("Actual"), Some((None, Role::Forecast)));
        assert_eq!(r("Q1 Target"), Some((Some(1), Role::Target)));
        assert_eq!(r("Quarter 4 Forecast"), Some((Some(4), Role::Forecast)));
        assert_eq!(r("q3_forecast"), Some((Some(3), Role::Forecast)));
        assert_eq!(r("FY2024/25 Target (£'000)"), Some((None, Role::Target)));
        assert_eq!(r("Budget Holder"), None);
        assert_eq!(r("Actual to date"), None);
        assert_eq!(r("Target vs Forecast"), None);
        assert_eq!(r("Variance"), None);
        assert_eq!(r("Q5 Target"), None);
        assert_eq!(r("Project"), None);
    }
}
