//! Column mapping: which row of a file is the header, and what each of its columns is.
//!
//! This module owns the decision import makes once it has the rows of a wide table (docs/domain.md
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

use serde::{Deserialize, Serialize};

use super::columns::detect_at;
use super::columns::normalise;
use super::columns::row_index;
use super::columns::Doubt;
use super::grid::ColumnMapping;
use super::grid::ColumnRole;
use super::grid::MappedColumn;
use super::grid::{
    decode, detect_delimiter, find_header, is_figure_cell, is_json, read_rows, ImportOptions, Row,
    HEADER_SEARCH_ROWS,
};
use super::measures;
use super::wide::build_with_columns;
use crate::engine::model::error::{Error, ErrorKind, MappingProblem, OwnColumns};
use crate::engine::model::schedule::{Profile, SignConvention, Unit};
use crate::engine::read::long;
use crate::engine::read::workbook::workbook_rows;
use crate::engine::read::workbook_kind::is_workbook;

/// How many rows under the header a proposal shows.
pub const PREVIEW_ROWS: usize = 5;
/// A preview cell is cut to this many characters.
const PREVIEW_CELL_CHARS: usize = 200;

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
    let mut columns = detect_at(&mut rows, header_index)?;
    let header = &rows[columns.header_index];
    // A table of measures beside years: each year column with its measure, each measure's total;
    // a year heading two columns is then no doubt (measures.rs).
    let measured = measures::is_measures_header(header);
    let by_heading = if measured {
        columns
            .doubts
            .retain(|d| !matches!(d, Doubt::DuplicateYear { .. }));
        measures::mapped_measures(header)
    } else {
        Vec::new()
    };
    let mapping = ColumnMapping {
        header_row: header.row,
        columns: columns
            .roles
            .iter()
            .enumerate()
            .map(|(index, role)| {
                let (role, measure) = by_heading
                    .get(index)
                    .copied()
                    .flatten()
                    .unwrap_or((*role, None));
                MappedColumn {
                    index,
                    header: header.cells[index].trim().to_string(),
                    role,
                    measure,
                }
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
/// encoding and delimiter. JSON, Gapwise's long CSV and a data package are refused: they have no
/// columns to map.
fn table_rows(bytes: &[u8], file_name: &str, options: &ImportOptions) -> Result<Vec<Row>, Error> {
    if bytes.len() > options.max_bytes {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: bytes.len(),
            limit: options.max_bytes,
        }));
    }
    if super::package::is_package(bytes) {
        return Err(Error::new(ErrorKind::Mapping(MappingProblem::OwnColumns(
            OwnColumns::DataPackage,
        ))));
    }
    if is_workbook(bytes, file_name) {
        return Ok(workbook_rows(bytes, file_name, options)?.rows);
    }
    let (text, _) = decode(bytes)?;
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    let own = |which: OwnColumns| Error::new(ErrorKind::Mapping(MappingProblem::OwnColumns(which)));
    if is_json(&text, file_name) {
        return Err(own(OwnColumns::Json));
    }
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(&text));
    let rows = read_rows(&text, delimiter)?;
    if rows
        .first()
        .is_some_and(|r| long::is_long_header(r.cells.iter()))
    {
        return Err(own(OwnColumns::LongCsv));
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

#[cfg(test)]
mod tests {
    use super::super::columns::*;
    use super::*;
    use crate::engine::model::years::find_year;
    use crate::engine::*;

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
                measure: None,
            }],
            unit: None,
            sign: None,
            profile: None,
        };
        let e = mapped_columns(&mut r, &m).err().unwrap();
        assert_eq!(e.kind(), &ErrorKind::Mapping(MappingProblem::NoYear));
        assert_eq!(e.position().unwrap().row, 1);
        assert_eq!(e.position().unwrap().column, None);

        let mut m = m;
        m.columns[0].role = ColumnRole::Year {
            year: crate::engine::model::years::find_year("2017/18").unwrap(),
        };
        m.columns[0].index = 5;
        let e = mapped_columns(&mut r, &m).err().unwrap();
        assert_eq!(
            e.kind(),
            &ErrorKind::Mapping(MappingProblem::NoSuchColumn { index: 5, width: 2 })
        );
        assert_eq!(e.position().unwrap().column, Some(6));
        assert_eq!(
            e.kind().to_string(),
            "the mapping names column F (index 5), but the header row has 2 column(s), A to B"
        );

        m.columns[0].index = 1;
        m.columns[0].header = "Year 2".into();
        let e = mapped_columns(&mut r, &m).err().unwrap();
        assert_eq!(
            e.kind(),
            &ErrorKind::Mapping(MappingProblem::OtherHeader {
                index: 1,
                mapped: "Year 2".into(),
                found: "Year 1".into(),
            })
        );
    }
}
