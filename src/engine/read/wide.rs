//! The wide schedule: lines × financial years, as councils publish them (docs/domain.md, "The
//! schedule"): the header row naming years, the unit row, year, total and text columns, section
//! heading rows, and subtotal/total rows, which become [`TotalRow`] checks and never lines.

use super::columns::detected_columns;
use super::columns::mapped_columns;
use super::columns::year_header;
use super::columns::Columns;
use super::grid::ColumnRole;
use super::grid::*;
use crate::engine::model::error::{Error, ErrorKind, Limited, Position};
use crate::engine::model::limits::MAX_YEARS;
use crate::engine::model::number::MAX_DECIMALS;
use crate::engine::model::number::{trim, Amount};
use crate::engine::model::rating::Rag;
use crate::engine::model::schedule::{
    ColumnRef, Line, Measure, Profile, Schedule, Section, SignConvention, TextColumn, TextField,
    TotalRow, TotalScope, Unit, YearColumn,
};
use crate::engine::read::columns;

/// What each column of the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ColumnKind {
    Text(usize),
    Year(usize),
    Total,
    Ignored,
}

/// Text that opens or closes a subtotal or total row: `Total ...`, `Sub-total`, `Grand total`,
/// `Adults Total`, `Place totals`, and the result rows of line-labelled tables: `Net Forecast
/// ...`, `Revised ... Funding Gap ...`, `Overall Investment / Funding Support`. A hint only: the
/// arithmetic map then makes every row it derives as a sum a total row and leaves a line a line
/// (`calc::schedule_arithmetic`).
fn is_total_label(label: &str) -> bool {
    let l = trim(label);
    let last = l
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    if ["total", "totals", "subtotal"]
        .iter()
        .any(|w| last.eq_ignore_ascii_case(w))
    {
        return true;
    }
    [
        "total",
        "sub-total",
        "sub total",
        "subtotal",
        "grand total",
        "net forecast",
        "revised",
    ]
    .iter()
    .any(|p| starts_with_any_case(l.as_bytes(), p))
        || contains_any_case(l, &["funding support"])
}

// Detection reads every line's text; these compare without lower-casing it into a new string.
// They give what `text.to_lowercase()` then `starts_with`/`contains` gives for the needles used
// here (ASCII, lower case, no `k`, no `i` last): outside ASCII only `İ` (to `i` and a combining
// dot) and the Kelvin sign (to `k`) lower-case to ASCII letters, and neither can complete a match.

pub(crate) fn build_schedule(
    mut rows: Vec<Row>,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    // The header row and what each of its columns is: the user's mapping, else detected.
    let columns = match &options.mapping {
        Some(m) => mapped_columns(&mut rows, m)?,
        None => detected_columns(&mut rows)?,
    };
    build_with_columns(rows, columns, file_name, options)
}

/// Builds the schedule from its rows once the header row and the columns' roles are decided:
/// the title, the unit row, then sections, lines and total rows.
pub(crate) fn build_with_columns(
    rows: Vec<Row>,
    columns: Columns,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let Columns {
        header_index,
        title_end,
        roles,
        ..
    } = columns;
    let header = &rows[header_index];

    // Columns.
    let mut years: Vec<YearColumn> = Vec::new();
    let mut text_columns: Vec<TextColumn> = Vec::new();
    let mut total_header = None;
    let mut layout = Vec::new();
    let mut kinds = Vec::new();
    for (c, role) in roles.iter().enumerate() {
        let h = header.cells.get(c).map(|s| s.trim()).unwrap_or("");
        let kind = match *role {
            ColumnRole::Year { year } => {
                years.push(YearColumn {
                    year,
                    header: year_header(year, h),
                });
                layout.push(ColumnRef::Year(years.len() - 1));
                ColumnKind::Year(years.len() - 1)
            }
            ColumnRole::Total => {
                total_header = Some(columns::total_header(h));
                layout.push(ColumnRef::Total);
                ColumnKind::Total
            }
            ColumnRole::Text { field } => {
                text_columns.push(TextColumn {
                    header: h.to_string(),
                    field,
                });
                layout.push(ColumnRef::Text(text_columns.len() - 1));
                ColumnKind::Text(text_columns.len() - 1)
            }
            ColumnRole::Ignored => ColumnKind::Ignored,
        };
        kinds.push(kind);
    }
    if years.len() > MAX_YEARS {
        return Err(Error::new(ErrorKind::Limit {
            what: Limited::YearColumns,
            found: years.len(),
            limit: MAX_YEARS,
        }));
    }

    // Title: the first cell of a row above the header, else the file name.
    let title = rows[..title_end]
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty() && Unit::from_label(c).is_none())
        .map(str::to_string)
        .unwrap_or_else(|| title_from_file_name(file_name));

    // Unit row: right under the header, every non-empty cell a unit.
    let mut body_start = header_index + 1;
    let mut unit = options
        .unit
        .or(options.mapping.as_ref().and_then(|m| m.unit));
    let mut unit_stated = unit.is_some();
    if let Some(next) = rows.get(header_index + 1) {
        let units: Vec<Unit> = next
            .cells
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| Unit::from_label(c))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        if !units.is_empty() {
            body_start += 1;
            if unit.is_none() {
                unit = most_common(&units);
                unit_stated = true;
            }
        }
    }
    if unit.is_none() {
        // A unit in the header cells, else in the title rows above them (`Savings 2024-27
        // (£000)`).
        unit = header
            .cells
            .iter()
            .chain(rows[..header_index].iter().flat_map(|r| r.cells.iter()))
            .find_map(|c| unit_in_text(c));
        unit_stated = unit.is_some();
    }
    let unit = unit.unwrap_or(Unit::Pounds);

    let type_column = text_columns.iter().position(|t| t.field == TextField::Type);
    let rag_column = text_columns.iter().position(|t| t.field == TextField::Rag);
    let mut problems = Problems::default();

    let mut sections: Vec<Section> = Vec::new();
    let mut lines: Vec<Line> = Vec::new();
    let mut total_rows: Vec<TotalRow> = Vec::new();
    let mut lines_at_last_total = 0usize;
    let mut max_scale = 0u32;

    for r in &rows[body_start..] {
        // One pass over the cells, without allocating: how many are filled, beyond the header's
        // columns, in amount columns and in text columns, and the first filled text cell.
        let (mut filled, mut extra, mut amount_cells, mut text_cells) = (0, 0, 0, 0);
        let mut first_text_cell: Option<&str> = None;
        for (i, c) in r.cells.iter().enumerate() {
            let c = trim(c);
            // A cell of an ignored column is not there: a row holding only a note in one is
            // empty, and a heading with one is still a heading.
            if c.is_empty() || kinds.get(i) == Some(&ColumnKind::Ignored) {
                continue;
            }
            filled += 1;
            match kinds.get(i) {
                None => extra += 1,
                Some(ColumnKind::Year(_) | ColumnKind::Total) => amount_cells += 1,
                Some(ColumnKind::Text(_)) => {
                    text_cells += 1;
                    first_text_cell.get_or_insert(c);
                }
                Some(ColumnKind::Ignored) => {}
            }
        }
        if filled == 0 {
            continue;
        }
        problems.extra_cells(r, extra);
        if first_text_cell.is_some_and(|t| t.starts_with("Gapwise ")) {
            // A row our own export added (the computed grand total): not part of the schedule,
            // and skipped before its cells are read, so its computed figures are never reported
            // as problems nor count towards the schedule's decimals.
            continue;
        }

        // Section heading: one text cell, no amounts.
        if amount_cells == 0 && text_cells == 1 && filled == 1 {
            sections.push(Section {
                name: unneutralise(first_text_cell.unwrap_or_default()),
                row: r.row,
            });
            continue;
        }

        let mut text = vec![String::new(); text_columns.len()];
        let mut amounts = vec![Amount::Blank; years.len()];
        let mut total = total_header.as_ref().map(|_| Amount::Blank);
        for (c, kind) in kinds.iter().enumerate() {
            let cell = r.cells.get(c).unwrap_or("");
            let position = || Position {
                row: r.row,
                line: r.line,
                column: Some(c + 1),
                column_header: Some(header.cells[c].trim().to_string()),
            };
            match kind {
                ColumnKind::Text(t) => text[*t] = unneutralise(cell),
                ColumnKind::Year(y) => {
                    amounts[*y] = read_amount(cell, unit, position, &mut problems, &mut max_scale)
                }
                ColumnKind::Total => {
                    total = Some(read_amount(
                        cell,
                        unit,
                        position,
                        &mut problems,
                        &mut max_scale,
                    ))
                }
                ColumnKind::Ignored => {}
            }
        }

        let first_text = text
            .iter()
            .find(|t| !t.is_empty())
            .map_or("", String::as_str);
        if is_total_label(first_text) {
            // A total row is named by all its text: `Total · Investment Bids - Summary · Investment`.
            let label = text
                .iter()
                .filter(|t| !t.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ");
            let measure = type_column.and_then(|t| Measure::from_text(&text[t]));
            let scope = if let Some(m) = measure {
                TotalScope::Measure(m)
            } else if label.to_lowercase().contains("funding support") {
                TotalScope::AllButBase
            } else {
                scope_since(&lines, lines_at_last_total)
            };
            lines_at_last_total = lines.len();
            total_rows.push(TotalRow {
                row: r.row,
                label,
                scope,
                amounts,
                total,
                text,
            });
            continue;
        }
        let recurrence = detect_recurrence(&text);
        let rag = rag_column.and_then(|c| Rag::parse(&text[c]));
        lines.push(Line {
            row: r.row,
            section: sections.len().checked_sub(1),
            text,
            amounts,
            total,
            recurrence,
            memo: false,
            rag,
        });
    }

    lines_above_to_all(&mut total_rows, lines.len());
    let chosen = options.mapping.as_ref();
    let profile = chosen.and_then(|m| m.profile).unwrap_or_else(|| {
        detect_profile(
            header
                .cells
                .iter()
                .chain(rows[..header_index].iter().flat_map(|r| r.cells.iter())),
        )
    });
    let mut schedule = Schedule {
        title,
        unit,
        years,
        text_columns,
        total_header,
        layout,
        sections,
        lines,
        total_rows,
        decimals: max_scale.min(MAX_DECIMALS),
        sign: SignConvention::SavingsPositive,
        profile,
    };
    schedule.sign = chosen
        .and_then(|m| m.sign)
        .unwrap_or_else(|| detect_sign(&schedule));
    Ok(Imported::read(schedule, problems, unit_stated))
}

/// The profile the file says it has: a header or title naming `cumulative` or `full year effect`
/// (and not `not cumulative`) makes it cumulative, as the appraisals' `Cumulative` column does;
/// otherwise incremental, as savings schedules are.
fn detect_profile<'a>(cells: impl Iterator<Item = &'a str>) -> Profile {
    let mut profile = Profile::Incremental;
    for c in cells {
        let c = c.to_lowercase();
        if c.contains("not cumulative")
            || c.contains("non-cumulative")
            || c.contains("incremental")
            || c.contains("year on year")
        {
            return Profile::Incremental;
        }
        if c.contains("cumulative")
            || c.contains("full year effect")
            || c.contains("full-year effect")
        {
            profile = Profile::Cumulative;
        }
    }
    profile
}

/// The sign convention the figures show (docs/domain.md, "Sign conventions"): gross saving lines that
/// are mostly negative make it costs-positive (an appraisal); cost lines that are mostly negative
/// make it benefits-positive (a business case); otherwise savings-positive (a schedule).
fn detect_sign(schedule: &Schedule) -> SignConvention {
    let mut saving_balance = 0i64;
    let mut cost_balance = 0i64;
    for line in &schedule.lines {
        let Some(measure) = schedule.measure(line) else {
            continue;
        };
        let balance = match measure {
            Measure::GrossSaving | Measure::Benefit => &mut saving_balance,
            Measure::Cost | Measure::Investment => &mut cost_balance,
            Measure::Net => continue,
        };
        for a in &line.amounts {
            if let Amount::Figure(d) = a {
                if d.is_sign_negative() && !d.is_zero() {
                    *balance -= 1;
                } else if !d.is_zero() {
                    *balance += 1;
                }
            }
        }
    }
    if saving_balance < 0 {
        SignConvention::CostsPositive
    } else if cost_balance < 0 {
        SignConvention::BenefitsPositive
    } else {
        SignConvention::SavingsPositive
    }
}

/// The scope of a total row that names no measure: the lines since the previous total row. If
/// there are none (a grand total under section subtotals) it restates every line; if they all
/// sit in one section it is that section's subtotal.
fn scope_since(lines: &[Line], first: usize) -> TotalScope {
    let covered = &lines[first..];
    if covered.is_empty() {
        return TotalScope::All;
    }
    let section = covered[0].section;
    if let Some(s) = section {
        // Lines are built in file order and each takes the last heading above it, so sections
        // never decrease along `lines`: if a line before `first` were in this section, the one
        // just before `first` would be. Looking at that one alone keeps a file with a subtotal
        // per section linear (scanning every earlier line made 1,000,000 lines take seconds).
        let whole_section = covered.iter().all(|l| l.section == section)
            && lines[..first].last().is_none_or(|l| l.section != section);
        if whole_section {
            return TotalScope::Section(s);
        }
    }
    // From the first line: every line so far. Whether that is every line of the schedule is
    // known only at the end (`lines_above_to_all`): `Adults Total` after the first block is not.
    TotalScope::Since {
        first_line: first,
        end_line: lines.len(),
    }
}

/// A total row of every line above it that has no line below it is the grand total.
fn lines_above_to_all(total_rows: &mut [TotalRow], lines: usize) {
    for t in total_rows {
        if t.scope
            == (TotalScope::Since {
                first_line: 0,
                end_line: lines,
            })
        {
            t.scope = TotalScope::All;
        }
    }
}
