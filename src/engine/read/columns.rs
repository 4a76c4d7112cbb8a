//! The columns of a wide table: which row is the header, where the title rows end, and what
//! each header column is (text, a financial year, the total, ignored), detected from the
//! headings or taken from the user's column mapping and checked against the file; with the
//! doubts detection has. `wide` builds the schedule from the decision; `mapping` shows it to
//! the user when detection is unsure.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::grid::find_header;
use super::grid::is_total_header;
use super::grid::ColumnMapping;
use super::grid::ColumnRole;
use super::grid::Row;
use crate::engine::model::error::{
    column_letters, Error, ErrorKind, HeaderColumn, Limited, MappingProblem, Position,
};
use crate::engine::model::limits::MAX_COLUMNS;
use crate::engine::model::schedule::FinancialYear;
use crate::engine::model::schedule::TextField;
use crate::engine::model::units::not_money;
use crate::engine::model::years::find_year;
use crate::engine::model::years::{join_heading, join_years_over_headings};
/// The decision import builds a schedule from: the header row (an index into the rows), where
/// the title rows end, and one role per header column.
pub(crate) struct Columns {
    pub(crate) header_index: usize,
    pub(crate) title_end: usize,
    pub(crate) roles: Vec<ColumnRole>,
    pub(crate) doubts: Vec<Doubt>,
}

/// The index of the row with this file row number.
pub(crate) fn row_index(rows: &[Row], header_row: usize) -> Result<usize, Error> {
    rows.iter()
        .position(|r| r.row == header_row)
        .ok_or_else(|| {
            Error::at(
                ErrorKind::Mapping(MappingProblem::HeaderRow {
                    header_row,
                    last_row: rows.last().map(|r| r.row).unwrap_or(0),
                }),
                Position {
                    row: header_row,
                    ..Position::default()
                },
            )
        })
}

pub(crate) fn header_position(header: &Row, column: Option<usize>) -> Position {
    Position {
        row: header.row,
        line: header.line,
        column: column.map(|c| c + 1),
        column_header: column
            .and_then(|c| header.cells.get(c))
            .map(|h| h.trim().to_string()),
    }
}

/// The detected decision, as `import` without a mapping makes it: the header row is the first
/// naming financial years ([`find_header`]), else the file has no year columns; a year heading
/// two columns is an error, as before mappings.
pub(crate) fn detected_columns(rows: &mut [Row]) -> Result<Columns, Error> {
    let header_index = find_header(rows).ok_or_else(|| Error::new(ErrorKind::NoYearColumns))?;
    let columns = detect_at(rows, header_index)?;
    if let Some(Doubt::DuplicateYear { year, column, .. }) = columns
        .doubts
        .iter()
        .find(|d| matches!(d, Doubt::DuplicateYear { .. }))
    {
        return Err(Error::at(
            ErrorKind::DuplicateYear { year: year.label() },
            header_position(&rows[header_index], Some(*column)),
        ));
    }
    Ok(columns)
}

/// The header at `header_index`, joined with a caption row above it (`Financial year` over the
/// years, `years::join_heading`; or years over groups of measures, `2024/25` over `Gross`,
/// `Investment`, `Net`, `years::join_years_over_headings`); at most [`MAX_COLUMNS`] columns.
pub(crate) fn heading(rows: &mut [Row], header_index: usize) -> Result<usize, Error> {
    let mut title_end = header_index;
    if header_index > 0 {
        let (upper, header) = (
            rows[header_index - 1].cells.to_vec(),
            rows[header_index].cells.to_vec(),
        );
        if let Some(cells) =
            join_heading(&upper, &header).or_else(|| join_years_over_headings(&upper, &header))
        {
            rows[header_index].cells = cells.into();
            title_end = header_index - 1;
        }
    }
    let header = &rows[header_index];
    if header.cells.len() > MAX_COLUMNS {
        return Err(Error::at(
            ErrorKind::Limit {
                what: Limited::HeaderColumns,
                found: header.cells.len(),
                limit: MAX_COLUMNS,
            },
            header_position(header, None),
        ));
    }
    Ok(title_end)
}

/// Detection with the header row known: each column's role by its header (README "How a file
/// is read", Columns). A year is a header naming a financial year (`years`), the second column
/// of a year already seen left out; `Gapwise ...` columns (our export's) are ignored; the first
/// `Total…` or `Cumulative` column is the published total; an empty header over an empty
/// column is ignored; every other column is text, its kind read from its header words. With no
/// column headed as a name, description or reference, the first text column names the lines.
pub(crate) fn detect_at(rows: &mut [Row], header_index: usize) -> Result<Columns, Error> {
    let title_end = heading(rows, header_index)?;
    let header = &rows[header_index];
    let mut roles: Vec<ColumnRole> = Vec::with_capacity(header.cells.len());
    let mut doubts = Vec::new();
    let mut has_total = false;
    for (c, cell) in header.cells.iter().enumerate() {
        let h = cell.trim();
        // `FTE 2024/25` or `2024/25 %` is no year of money (domain.md "The arithmetic map",
        // "Columns that are not money"): it is read as a text column.
        let role = if let Some(year) = find_year(h).filter(|_| !not_money(h)) {
            match roles.iter().position(|r| *r == ColumnRole::Year { year }) {
                Some(first) => {
                    doubts.push(Doubt::DuplicateYear {
                        year,
                        first,
                        column: c,
                    });
                    ColumnRole::Ignored
                }
                None => ColumnRole::Year { year },
            }
        } else if h.to_lowercase().starts_with("gapwise ") {
            // Columns our own export added (`Gapwise computed total`, `Gapwise check`); checked
            // before the total column, which `Gapwise computed total` would otherwise become.
            ColumnRole::Ignored
        } else if !has_total && is_total_header(h) {
            has_total = true;
            ColumnRole::Total
        } else if h.is_empty()
            && rows[header_index + 1..]
                .iter()
                .all(|r| r.cells.get(c).is_none_or(|v| v.trim().is_empty()))
        {
            ColumnRole::Ignored
        } else {
            ColumnRole::Text {
                field: TextField::from_header(h),
            }
        };
        roles.push(role);
    }
    // A line-labelled table with no recognised name column: the first text column labels.
    let labels = |r: &ColumnRole| {
        matches!(
            r,
            ColumnRole::Text {
                field: TextField::Name | TextField::Description | TextField::Reference
            }
        )
    };
    if !roles.iter().any(labels) {
        if let Some(c) = roles
            .iter()
            .position(|r| matches!(r, ColumnRole::Text { .. }))
        {
            roles[c] = ColumnRole::Text {
                field: TextField::Name,
            };
            doubts.push(Doubt::NoLabelColumn { column: c });
        }
    }
    Ok(Columns {
        header_index,
        title_end,
        roles,
        doubts,
    })
}

/// The user's decision, checked against the file. The mapping's header row must be a row of
/// the file; each column it lists must be in that row (counting from 0) and headed there as the
/// mapping says (compared trimmed, spaces and case aside), and be listed once; a year may be
/// given to one column only, the total to one; and at least one column must be a year.
/// Columns it does not list are ignored. Each error names the header row and the column.
pub(crate) fn mapped_columns(rows: &mut [Row], mapping: &ColumnMapping) -> Result<Columns, Error> {
    let header_index = row_index(rows, mapping.header_row)?;
    let title_end = heading(rows, header_index)?;
    let header = &rows[header_index];
    let width = header.cells.len();
    let mut roles = vec![ColumnRole::Ignored; width];
    let mut listed = vec![false; width];
    let fail = |problem: MappingProblem, column: Option<usize>| {
        Err(Error::at(
            ErrorKind::Mapping(problem),
            header_position(header, column),
        ))
    };
    let name = |c: usize| HeaderColumn {
        index: c,
        header: header.cells[c].trim().to_string(),
    };
    for m in &mapping.columns {
        let c = m.index;
        if c >= width {
            return fail(MappingProblem::NoSuchColumn { index: c, width }, Some(c));
        }
        if listed[c] {
            return fail(MappingProblem::ListedTwice { column: name(c) }, Some(c));
        }
        listed[c] = true;
        if normalise(&header.cells[c]) != normalise(&m.header) {
            return fail(
                MappingProblem::OtherHeader {
                    index: c,
                    mapped: m.header.trim().to_string(),
                    found: header.cells[c].trim().to_string(),
                },
                Some(c),
            );
        }
        match m.role {
            // Measured columns share years and totals: `measures` checks each measure's own.
            _ if m.measure.is_some() => {}
            ColumnRole::Year { year } => {
                if let Some(first) = roles.iter().position(|r| *r == m.role) {
                    return fail(
                        MappingProblem::YearTwice {
                            year,
                            first: name(first),
                            column: name(c),
                        },
                        Some(c),
                    );
                }
            }
            ColumnRole::Total => {
                if let Some(first) = roles.iter().position(|r| *r == ColumnRole::Total) {
                    return fail(
                        MappingProblem::TotalTwice {
                            first: name(first),
                            column: name(c),
                        },
                        Some(c),
                    );
                }
            }
            ColumnRole::Text { .. } | ColumnRole::Ignored => {}
        }
        roles[c] = m.role;
    }
    if !roles.iter().any(|r| matches!(r, ColumnRole::Year { .. })) {
        return fail(MappingProblem::NoYear, None);
    }
    Ok(Columns {
        header_index,
        title_end,
        roles,
        doubts: Vec::new(),
    })
}

/// The header a year column keeps: the file's, when it names that year (`2018/19 Original
/// Saving`); else the year with the file's header after it (`2024/25 (Year 1)`), so the screen
/// and an export say which year it is, and the export imports again without a mapping.
pub(crate) fn year_header(year: FinancialYear, header: &str) -> String {
    let h = header.trim();
    if find_year(h) == Some(year) {
        h.to_string()
    } else if h.is_empty() {
        year.label()
    } else {
        format!("{} ({h})", year.label())
    }
}

/// The header the total column keeps: the file's, when it reads as a total (`TOTAL SAVING
/// DUE`, `Cumulative`); else `Total` with the file's header after it (`Total (Sum)`), for the
/// same reason as [`year_header`].
pub(crate) fn total_header(header: &str) -> String {
    let h = header.trim();
    if is_total_header(h) {
        h.to_string()
    } else if h.is_empty() {
        "Total".to_string()
    } else {
        format!("Total ({h})")
    }
}

/// Something detection was unsure of, for the page to show by the mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "doubt")]
pub enum Doubt {
    /// No row of the first 50 names financial years: the header row is a guess (the first row
    /// of text), and no column is a year until the user says which are.
    NoYearColumns,
    /// The year heads two columns: the first (`first`, from 0) is the year, the second
    /// (`column`) is proposed as ignored. Import without a mapping refuses the file.
    DuplicateYear {
        year: FinancialYear,
        first: usize,
        column: usize,
    },
    /// No column is headed as a name, description or reference: the first text column
    /// (`column`, from 0) was taken as the lines' names.
    NoLabelColumn { column: usize },
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::NoYearColumns => write!(
                f,
                "no row names financial years (such as 2017/18): say which columns are years"
            ),
            Doubt::DuplicateYear {
                year,
                first,
                column,
            } => write!(
                f,
                "the year {year} heads columns {} and {}; column {} is left out",
                column_letters(first + 1),
                column_letters(column + 1),
                column_letters(column + 1)
            ),
            Doubt::NoLabelColumn { column } => write!(
                f,
                "no column is headed as a name, description or reference; column {} names the \
                 lines",
                column_letters(column + 1)
            ),
        }
    }
}

/// A header cell as compared: trimmed, runs of white space one space, lower case.
pub(crate) fn normalise(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
