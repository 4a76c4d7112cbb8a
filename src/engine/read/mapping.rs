//! Column mapping: which row of a file is the header, and what each of its columns is.
//!
//! This module owns the decision import makes once it has the rows of a wide table (domain.md
//! "The schedule"): the header row, and for each header column whether it is a text field
//! (reference, name, description, source, service or section, type, RAG, …), a financial year,
//! the published total, or ignored. `import` asks it for that decision, the user's
//! ([`ImportOptions::mapping`], validated against the file) or else detected, and builds the
//! schedule from it. [`detect_mapping`] hands the detected decision to the page as a
//! [`ColumnMapping`] the user can change (and the page can save per [`header_key`]), with what
//! detection was unsure of and the first rows for a preview; a file with no year columns gets a
//! proposal rather than an error.
//!
//! It does not read amounts, nor find the unit row, sections or total rows: those stay
//! `import`'s, the same under a mapping as without. The unit, sign convention and profile of a
//! mapping are choices that replace detection when given; left out, the file decides.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::engine::model::error::{column_letters, Error, ErrorKind, Position};
use crate::engine::model::schedule::{FinancialYear, Profile, SignConvention, TextField, Unit};
use crate::engine::model::years::{find_year, join_heading};
use crate::engine::read::long;
use crate::engine::read::spreadsheet;
use crate::engine::read::{
    build_with_columns, decode, detect_delimiter, find_header, is_figure_cell, is_json,
    is_total_header, read_rows, ImportOptions, Row, HEADER_SEARCH_ROWS, MAX_COLUMNS,
};

/// How many rows under the header a proposal shows.
pub const PREVIEW_ROWS: usize = 5;
/// A preview cell is cut to this many characters.
const PREVIEW_CELL_CHARS: usize = 200;

/// What one column of the header is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum ColumnRole {
    /// Not part of the schedule: its cells are dropped, as if the column were not there.
    Ignored,
    /// A text column of the given kind.
    Text { field: TextField },
    /// The amounts of one financial year. The column's header need not name it (`Year 1`).
    Year { year: FinancialYear },
    /// The published total of each line, checked against the sum of its years.
    Total,
}

/// One column of a mapping: its place in the header row, its header, and its role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// The column's position in the header row, counting from 0 (column A is 0).
    pub index: usize,
    /// The header cell as the file writes it (trimmed; a two-row heading joined). A mapping is
    /// refused for a file whose header cell differs.
    pub header: String,
    pub role: ColumnRole,
}

/// Which row of a file is the header and what each of its columns is, with the unit, sign
/// convention and profile when the user chose them. Serialisable, so the page can keep it per
/// [`header_key`] and use it again for a file with the same header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The file row of the header, counting from 1 as a spreadsheet does.
    pub header_row: usize,
    /// The header's columns; a column not listed is ignored.
    pub columns: Vec<MappedColumn>,
    /// The unit of the amounts; `None`: the unit row or a header says, else `£`.
    #[serde(default)]
    pub unit: Option<Unit>,
    /// The sign convention; `None`: detected from the figures.
    #[serde(default)]
    pub sign: Option<SignConvention>,
    /// The profile; `None`: detected from the header and title.
    #[serde(default)]
    pub profile: Option<Profile>,
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

/// A row of the file under the header, as text, for the page to show with the mapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    /// The file row, counting from 1.
    pub row: usize,
    /// Its cells, trimmed, each cut to 200 characters.
    pub cells: Vec<String>,
}

/// What import would decide for a file, for the user to confirm or change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingProposal {
    /// The header row and every column of it with its role, as import reads them. Its unit,
    /// sign and profile are `None` ("as the file says"); what the file says is below.
    pub mapping: ColumnMapping,
    /// The unit the amounts are read in, and whether the file (or the options) stated it.
    pub unit: Unit,
    pub unit_stated: bool,
    /// The sign convention and profile detected.
    pub sign: SignConvention,
    pub profile: Profile,
    /// The schedule's title as import reads it.
    pub title: String,
    /// What detection was unsure of; empty when it was sure.
    pub doubts: Vec<Doubt>,
    /// The first [`PREVIEW_ROWS`] rows under the header.
    pub preview: Vec<PreviewRow>,
}

impl MappingProposal {
    /// True when the page should ask the user: no year columns, a year twice, no label column.
    pub fn is_unsure(&self) -> bool {
        !self.doubts.is_empty()
    }
}

/// The decision import builds a schedule from: the header row (an index into the rows), where
/// the title rows end, and one role per header column.
pub(crate) struct Columns {
    pub(crate) header_index: usize,
    pub(crate) title_end: usize,
    pub(crate) roles: Vec<ColumnRole>,
    pub(crate) doubts: Vec<Doubt>,
}

/// Proposes the mapping import would use for a file (a CSV, or the options' sheet of a
/// workbook): the header row import finds, and each column's role as import decides it, with
/// the unit, sign convention and profile it detects. A file with no row naming financial
/// years is not an error here: its header is taken to be the first row of text (of the first
/// 50: at least two filled cells, no figures), no column is a year, and the proposal says so
/// ([`Doubt::NoYearColumns`]). A year heading two columns is proposed once, the second column
/// ignored ([`Doubt::DuplicateYear`]). Gapwise's JSON and long CSV name their own columns and
/// have nothing to map: they are an error, as are files that cannot be read at all.
///
/// ```
/// use gapwise::engine::{detect_mapping, ColumnRole, Doubt, ImportOptions, TextField};
/// let csv = "Ref,Scheme,Year 1,Year 2,Sum\nA1,Early Help,175,175,350\n";
/// let proposal = detect_mapping(csv.as_bytes(), "odd.csv", &ImportOptions::default()).unwrap();
/// assert_eq!(proposal.doubts, [Doubt::NoYearColumns]);
/// assert_eq!(proposal.mapping.header_row, 1);
/// let field = TextField::Reference;
/// assert_eq!(proposal.mapping.columns[0].role, ColumnRole::Text { field });
/// ```
pub fn detect_mapping(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Result<MappingProposal, Error> {
    propose(bytes, file_name, options, None).map_err(|e| e.in_file(file_name))
}

/// As [`detect_mapping`], with the header on the given file row (counting from 1): the columns
/// of that row, with the roles detection gives their headers. For the page when the user picks
/// another header row.
pub fn detect_mapping_at(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
    header_row: usize,
) -> Result<MappingProposal, Error> {
    propose(bytes, file_name, options, Some(header_row)).map_err(|e| e.in_file(file_name))
}

/// A key for "files with the same header", to remember a mapping by: the proposal's header
/// cells, trimmed, with runs of spaces made one and in lower case, empty cells at the end left
/// out (a spreadsheet pads rows to its width), written as a JSON array. The header's row and
/// the figures under it play no part.
///
/// ```
/// use gapwise::engine::{detect_mapping, header_key, ImportOptions};
/// let o = ImportOptions::default();
/// let a = detect_mapping(b"Project,2017/18\nA,1\n", "a.csv", &o).unwrap();
/// let b = detect_mapping(b"Title\nproject , 2017/18,,\nB,2\n", "b.csv", &o).unwrap();
/// assert_eq!(header_key(&a), header_key(&b));
/// assert_eq!(header_key(&a), r#"["project","2017/18"]"#);
/// ```
pub fn header_key(proposal: &MappingProposal) -> String {
    let mut cells: Vec<String> = proposal
        .mapping
        .columns
        .iter()
        .map(|c| normalise(&c.header))
        .collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    serde_json::to_string(&cells).unwrap_or_default()
}

/// A header cell as compared: trimmed, runs of white space one space, lower case.
fn normalise(header: &str) -> String {
    header
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn propose(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
    header_row: Option<usize>,
) -> Result<MappingProposal, Error> {
    let mut rows = table_rows(bytes, file_name, options)?;
    let header_index = match header_row {
        Some(n) => row_index(&rows, n)?,
        None => find_header(&rows)
            .or_else(|| guess_header(&rows))
            .ok_or_else(|| Error::new(ErrorKind::Empty))?,
    };
    let columns = detect_at(&mut rows, header_index)?;
    let header = &rows[columns.header_index];
    let mapping = ColumnMapping {
        header_row: header.row,
        columns: columns
            .roles
            .iter()
            .enumerate()
            .map(|(index, role)| MappedColumn {
                index,
                header: header.cells[index].trim().to_string(),
                role: *role,
            })
            .collect(),
        unit: None,
        sign: None,
        profile: None,
    };
    let preview = rows[columns.header_index + 1..]
        .iter()
        .take(PREVIEW_ROWS)
        .map(|r| PreviewRow {
            row: r.row,
            cells: r
                .cells
                .iter()
                .map(|c| c.trim().chars().take(PREVIEW_CELL_CHARS).collect())
                .collect(),
        })
        .collect();
    let mut doubts = columns.doubts.clone();
    if !columns
        .roles
        .iter()
        .any(|r| matches!(r, ColumnRole::Year { .. }))
    {
        doubts.insert(0, Doubt::NoYearColumns);
    }
    // Build as import would, to give the unit, sign and profile it detects.
    let detect = ImportOptions {
        mapping: None,
        ..options.clone()
    };
    let imported = build_with_columns(rows, columns, file_name, &detect)?;
    let s = imported.schedule;
    Ok(MappingProposal {
        mapping,
        unit: s.unit,
        unit_stated: imported.unit_stated,
        sign: s.sign,
        profile: s.profile,
        title: s.title,
        doubts,
        preview,
    })
}

/// The rows of a wide table, read as `import` reads them: a workbook's sheet, or a CSV in its
/// encoding and delimiter. JSON and Gapwise's long CSV are refused: they have no columns to map.
fn table_rows(bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<Vec<Row>, Error> {
    if bytes.len() > options.max_bytes {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: bytes.len(),
            limit: options.max_bytes,
        }));
    }
    if spreadsheet::is_workbook(bytes, file_name) {
        return Ok(spreadsheet::workbook_rows(bytes, file_name, options)?.rows);
    }
    let (text, _) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let own = |what: &str| {
        Error::new(ErrorKind::Mapping {
            what: format!("{what} names its own columns; there is nothing to map"),
        })
    };
    if is_json(&text, file_name) {
        return Err(own("a JSON file"));
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let rows = read_rows(&text, delimiter)?;
    if rows
        .first()
        .is_some_and(|r| long::is_long_header(r.cells.iter()))
    {
        return Err(own("Gapwise's long CSV (one row per line and year)"));
    }
    Ok(rows)
}

/// The header of a file naming no financial years, for the user to correct: the first row (of
/// the first 50) with two or more filled cells and no figures, else the first row with any.
fn guess_header(rows: &[Row]) -> Option<usize> {
    let filled = |r: &Row| r.cells.iter().filter(|c| !c.trim().is_empty()).count();
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| filled(r) >= 2 && !r.cells.iter().any(|c| is_figure_cell(c)))
        .or_else(|| rows.iter().position(|r| filled(r) > 0))
}

/// The index of the row with this file row number.
fn row_index(rows: &[Row], header_row: usize) -> Result<usize, Error> {
    rows.iter()
        .position(|r| r.row == header_row)
        .ok_or_else(|| {
            Error::at(
                ErrorKind::Mapping {
                    what: format!(
                    "the header row is row {header_row}, which is empty or not in the file (its \
                     last row is {})",
                    rows.last().map(|r| r.row).unwrap_or(0)
                ),
                },
                Position {
                    row: header_row,
                    ..Position::default()
                },
            )
        })
}

fn header_position(header: &Row, column: Option<usize>) -> Position {
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
/// years, `years::join_heading`); at most [`MAX_COLUMNS`] columns.
fn heading(rows: &mut [Row], header_index: usize) -> Result<usize, Error> {
    let mut title_end = header_index;
    if header_index > 0 {
        if let Some(cells) = join_heading(
            &rows[header_index - 1].cells.to_vec(),
            &rows[header_index].cells.to_vec(),
        ) {
            rows[header_index].cells = cells.into();
            title_end = header_index - 1;
        }
    }
    let header = &rows[header_index];
    if header.cells.len() > MAX_COLUMNS {
        return Err(Error::at(
            ErrorKind::Limit {
                what: format!(
                    "the header has {} columns; at most {MAX_COLUMNS} are read",
                    header.cells.len()
                ),
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
fn detect_at(rows: &mut [Row], header_index: usize) -> Result<Columns, Error> {
    let title_end = heading(rows, header_index)?;
    let header = &rows[header_index];
    let mut roles: Vec<ColumnRole> = Vec::with_capacity(header.cells.len());
    let mut doubts = Vec::new();
    let mut has_total = false;
    for (c, cell) in header.cells.iter().enumerate() {
        let h = cell.trim();
        let role = if let Some(year) = find_year(h) {
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
    let fail = |what: String, column: Option<usize>| {
        Err(Error::at(
            ErrorKind::Mapping { what },
            header_position(header, column),
        ))
    };
    let name = |c: usize| {
        let h = header.cells[c].trim();
        if h.is_empty() {
            column_letters(c + 1)
        } else {
            format!("{} ({h})", column_letters(c + 1))
        }
    };
    for m in &mapping.columns {
        let c = m.index;
        if c >= width {
            return fail(
                format!(
                    "the mapping names column {} (index {c}), but the header row has {width} \
                     column(s), A to {}",
                    column_letters(c + 1),
                    column_letters(width)
                ),
                Some(c),
            );
        }
        if listed[c] {
            return fail(
                format!("the mapping lists column {} twice", name(c)),
                Some(c),
            );
        }
        listed[c] = true;
        if normalise(&header.cells[c]) != normalise(&m.header) {
            return fail(
                format!(
                    "the mapping was made for another header: it heads column {} `{}`, the file \
                     `{}`",
                    column_letters(c + 1),
                    m.header.trim(),
                    header.cells[c].trim()
                ),
                Some(c),
            );
        }
        match m.role {
            ColumnRole::Year { year } => {
                if let Some(first) = roles.iter().position(|r| *r == m.role) {
                    return fail(
                        format!(
                            "the mapping makes columns {} and {} both the year {year}",
                            name(first),
                            name(c)
                        ),
                        Some(c),
                    );
                }
            }
            ColumnRole::Total => {
                if let Some(first) = roles.iter().position(|r| *r == ColumnRole::Total) {
                    return fail(
                        format!(
                            "the mapping makes columns {} and {} both the published total",
                            name(first),
                            name(c)
                        ),
                        Some(c),
                    );
                }
            }
            ColumnRole::Text { .. } | ColumnRole::Ignored => {}
        }
        roles[c] = m.role;
    }
    if !roles.iter().any(|r| matches!(r, ColumnRole::Year { .. })) {
        return fail(
            "the mapping makes no column a year; at least one column must hold a financial \
             year's amounts"
                .to_string(),
            None,
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Row> {
        lines
            .iter()
            .enumerate()
            .map(|(i, cells)| Row {
                row: i + 1,
                line: i + 1,
                cells: cells.iter().map(|c| c.to_string()).collect(),
            })
            .collect()
    }

    #[test]
    fn year_headers_say_their_year() {
        let y = FinancialYear { start: 2024 };
        assert_eq!(
            year_header(y, "2024/25 Original Saving"),
            "2024/25 Original Saving"
        );
        assert_eq!(year_header(y, " Year 1 "), "2024/25 (Year 1)");
        assert_eq!(year_header(y, ""), "2024/25");
        assert_eq!(year_header(y, "2023/24"), "2024/25 (2023/24)");
        assert_eq!(find_year(&year_header(y, "2023/24")), Some(y));
        assert_eq!(total_header("TOTAL SAVING DUE"), "TOTAL SAVING DUE");
        assert_eq!(total_header("Sum"), "Total (Sum)");
        assert_eq!(total_header(""), "Total");
    }

    #[test]
    fn a_header_without_years_is_the_first_row_of_text() {
        let r = rows(&[&["Savings", ""], &["A", "B"], &["x", "1"]]);
        assert_eq!(guess_header(&r), Some(1));
        let r = rows(&[&["x", "1"], &["Only"]]);
        assert_eq!(guess_header(&r), Some(0));
        assert_eq!(guess_header(&rows(&[&["", ""]])), None);
    }

    #[test]
    fn headers_compare_without_case_or_spacing() {
        assert_eq!(normalise("  Year \t 1 "), "year 1");
        assert_eq!(normalise("TOTAL"), normalise("total"));
    }

    #[test]
    fn a_mapping_error_names_the_header_row_and_column() {
        let mut r = rows(&[&["Ref", "Year 1"], &["A", "1"]]);
        let m = ColumnMapping {
            header_row: 1,
            columns: vec![MappedColumn {
                index: 1,
                header: "Year 1".into(),
                role: ColumnRole::Text {
                    field: TextField::Other,
                },
            }],
            unit: None,
            sign: None,
            profile: None,
        };
        let e = mapped_columns(&mut r, &m).err().unwrap();
        assert!(matches!(e.kind(), ErrorKind::Mapping { .. }));
        assert_eq!(e.position().unwrap().row, 1);
        assert_eq!(e.position().unwrap().column, None);
    }
}
