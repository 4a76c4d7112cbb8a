//! The spreadsheet export: the schedule as an `.xlsx` workbook whose totals are live formulas.
//!
//! This module owns the layout of the workbook ([`to_xlsx`]) and nothing else: the figures come
//! from the schedule as published and the cached formula results from `totals`; the file format
//! is written by `rust_xlsxwriter`. Reading workbooks is `spreadsheet`'s.
//!
//! The sheet, named [`XLSX_SHEET`]:
//!
//! - row 1: the schedule's title;
//! - row 2: the headers, in the file's own column order: text columns as published, each year
//!   column and the published total column with the unit added (`2017/18 (£'000)`), and last
//!   [`XLSX_TOTAL_HEADER`] with the unit;
//! - then the lines with no section, then each section: its heading (the name in the first text
//!   column), its lines in file order, and a subtotal row ([`XLSX_SUBTOTAL_PREFIX`] and the
//!   section's name) when the section has lines;
//! - last, the grand total row ([`GRAND_TOTAL_LABEL`]).
//!
//! Each line's computed total is `=SUM(...)` of its year cells. A subtotal is
//! `=SUBTOTAL(9,...)` of its section's rows and the grand total `=SUBTOTAL(9,...)` of every row
//! from the first line to the last: `SUBTOTAL(9, …)` is a sum that skips the cells holding
//! other `SUBTOTAL`s, so the grand total is one formula of the same length however many
//! sections there are, and never counts a subtotal twice. Every formula carries its result as
//! Gapwise computed it, so a reader that does not recalculate shows the right figure too, and
//! Excel, LibreOffice and Google Sheets recalculate when a cell is edited.
//!
//! Figures are in the file's own signs, as the CSV export writes them, shown with the
//! schedule's decimals and negatives in parentheses (`#,##0.0;(#,##0.0)`). A spreadsheet holds
//! numbers as binary floating point: each figure is written as the double nearest to it (exact
//! to 15 significant digits, which every published figure fits); the canonical JSON export is
//! the exact one. A blank cell stays empty and a cell with no figure is written as its text
//! (`N/A`, `TBC`), which `SUM` leaves out, as Gapwise's sums do. Published total rows are
//! checks, not lines: the subtotal formulas take their place (the CSV export keeps them).
//!
//! Every text (title, headers, names, cells) is written as a string cell, never as a formula,
//! so text such as `=HYPERLINK(...)` is shown and never run; text beyond a cell's 32,767
//! characters is cut there. The workbook's creation time is fixed (1 January 2000), so the
//! same schedule always gives the same bytes and the file says nothing of when it was made.

use rust_xlsxwriter::{
    ColNum, DocProperties, ExcelDateTime, Format, Formula, RowNum, Workbook, Worksheet, XlsxError,
};

use super::export::GRAND_TOTAL_LABEL;
use super::gap::{gap_sheet, GapSheet, XLSX_GAP_SHEET};
use crate::engine::calc::arithmetic::{ArithmeticMap, CSV_HEADER};
use crate::engine::calc::gap::GapFigures;
use crate::engine::calc::totals::{scope_totals, Totals};
use crate::engine::model::error::{column_letters, Error, ErrorKind, ExportProblem};
use crate::engine::model::gap::GapModel;
use crate::engine::model::number::{plain_amount, Amount};
use crate::engine::model::schedule::{ColumnRef, Schedule, TotalScope};
use crate::engine::model::sum::Sum;

/// The name of the workbook's one sheet.
pub const XLSX_SHEET: &str = "Schedule";
/// The name of the arithmetic map's sheet ([`to_xlsx_with_map`]).
pub const XLSX_MAP_SHEET: &str = "Arithmetic map";
/// The header of the computed line total column (the unit is added).
pub const XLSX_TOTAL_HEADER: &str = "Gapwise total";
/// The start of a section's subtotal label: `Subtotal: Staffing Related Savings`.
pub const XLSX_SUBTOTAL_PREFIX: &str = "Subtotal: ";

/// The most rows a sheet holds (Excel's limit).
const MAX_ROWS: usize = 1_048_576;
/// The most characters a cell holds (Excel's limit).
const MAX_CELL_CHARS: usize = 32_767;

/// The number format of a schedule's figures: thousands separators, the schedule's decimals,
/// negatives in parentheses.
///
/// ```
/// use gapwise::engine::xlsx_number_format;
/// assert_eq!(xlsx_number_format(1), "#,##0.0;(#,##0.0)");
/// assert_eq!(xlsx_number_format(0), "#,##0;(#,##0)");
/// ```
pub fn xlsx_number_format(decimals: u32) -> String {
    let places = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals as usize))
    };
    format!("#,##0{places};(#,##0{places})")
}

/// What one sheet row holds.
enum RowKind {
    Heading(usize),
    Line(usize),
    Subtotal {
        section: usize,
        first: RowNum,
        last: RowNum,
    },
}

fn export_error(e: XlsxError) -> Error {
    Error::new(ErrorKind::Export(ExportProblem::Writer {
        message: e.to_string(),
    }))
}

/// A text cut to what a cell holds.
fn cell_text(text: &str) -> String {
    if text.chars().count() > MAX_CELL_CHARS {
        text.chars().take(MAX_CELL_CHARS).collect()
    } else {
        text.to_string()
    }
}

/// A sheet cell reference, `C4`, from 0-based row and column.
fn cell_ref(row: RowNum, col: ColNum) -> String {
    format!("{}{}", column_letters(usize::from(col) + 1), row + 1)
}

/// The argument list of a sum over some columns of one row: contiguous columns as one range,
/// `C4:F4` or `C4:D4,F4`.
fn row_refs(row: RowNum, cols: &[ColNum]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < cols.len() {
        let mut j = i;
        while j + 1 < cols.len() && cols[j + 1] == cols[j] + 1 {
            j += 1;
        }
        if i == j {
            parts.push(cell_ref(row, cols[i]));
        } else {
            parts.push(format!(
                "{}:{}",
                cell_ref(row, cols[i]),
                cell_ref(row, cols[j])
            ));
        }
        i = j + 1;
    }
    parts.join(",")
}

fn number(d: rust_decimal::Decimal) -> f64 {
    // The decimal's own text, read as the nearest double.
    d.to_string().parse().unwrap_or(0.0)
}

fn result(sum: &Sum, decimals: u32) -> String {
    plain_amount(sum.value, decimals)
}

/// Writes the schedule as an `.xlsx` workbook (layout, formulas and formats in the module doc),
/// with `totals` (from [`totals`](crate::engine::calc::totals())) as the formulas' cached results. Refused
/// with [`ErrorKind::Export`] when the schedule needs more rows than a sheet holds.
pub fn to_xlsx(schedule: &Schedule, totals: &Totals) -> Result<Vec<u8>, Error> {
    to_xlsx_with_map(schedule, totals, None)
}

/// [`to_xlsx`] with, when the file's arithmetic map is given, a second sheet
/// [`XLSX_MAP_SHEET`]: one row per checked figure as the map's CSV has them (broken first,
/// with both figures, the difference, the tolerance and the identity; docs/domain.md,
/// "The arithmetic map"). Figures there are text, exactly as the map states them.
pub fn to_xlsx_with_map(
    schedule: &Schedule,
    totals: &Totals,
    map: Option<&ArithmeticMap>,
) -> Result<Vec<u8>, Error> {
    let rows = plan(schedule);
    if rows.len() + 3 > MAX_ROWS {
        return Err(Error::new(ErrorKind::Export(ExportProblem::TooManyRows {
            rows: rows.len() + 3,
            limit: MAX_ROWS,
        })));
    }
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(export_error)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(cell_text(&schedule.title))
            .set_creation_datetime(&created),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name(XLSX_SHEET).map_err(export_error)?;
    write_sheet(sheet, schedule, totals, &rows).map_err(export_error)?;
    if let Some(map) = map {
        let sheet = workbook.add_worksheet();
        sheet.set_name(XLSX_MAP_SHEET).map_err(export_error)?;
        write_map_sheet(sheet, map).map_err(export_error)?;
    }
    workbook.save_to_buffer().map_err(export_error)
}

/// The map's checks, one row per check under [`CSV_HEADER`], every cell a string.
fn write_map_sheet(sheet: &mut Worksheet, map: &ArithmeticMap) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in CSV_HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, c as ColNum, *h, &bold)?;
    }
    // Excel's row limit: a map has at most MAX_MAP_ROWS rows of a few checks each, far below.
    for (r, row) in map.to_csv_rows().iter().enumerate().take(MAX_ROWS - 1) {
        for (c, text) in row.iter().enumerate() {
            sheet.write_string(r as RowNum + 1, c as ColNum, cell_text(text))?;
        }
    }
    Ok(())
}

/// The rows below the header, in order: unsectioned lines, then each section's heading, lines
/// and subtotal (with the sheet rows of its first and last line).
fn plan(schedule: &Schedule) -> Vec<RowKind> {
    const FIRST: RowNum = 2;
    let mut rows = Vec::new();
    rows.extend(schedule.lines_in_section(None).map(RowKind::Line));
    for s in 0..schedule.sections.len() {
        rows.push(RowKind::Heading(s));
        let first = FIRST + rows.len() as RowNum;
        let before = rows.len();
        rows.extend(schedule.lines_in_section(Some(s)).map(RowKind::Line));
        if rows.len() > before {
            let last = FIRST + rows.len() as RowNum - 1;
            rows.push(RowKind::Subtotal {
                section: s,
                first,
                last,
            });
        }
    }
    rows
}

fn write_sheet(
    sheet: &mut Worksheet,
    schedule: &Schedule,
    totals: &Totals,
    rows: &[RowKind],
) -> Result<(), XlsxError> {
    let d = schedule.decimals;
    let unit = schedule.unit.label();
    let bold = Format::new().set_bold();
    let figure = Format::new().set_num_format(xlsx_number_format(d));
    let figure_bold = figure.clone().set_bold();

    // Columns: the layout's, then the computed total.
    let layout = &schedule.layout;
    let total_col = layout.len() as ColNum;
    let year_cols: Vec<(usize, ColNum)> = layout
        .iter()
        .enumerate()
        .filter_map(|(c, r)| match r {
            ColumnRef::Year(y) => Some((*y, c as ColNum)),
            _ => None,
        })
        .collect();
    let year_col_list: Vec<ColNum> = year_cols.iter().map(|(_, c)| *c).collect();
    let label_col = layout
        .iter()
        .position(|c| matches!(c, ColumnRef::Text(_)))
        .unwrap_or(0) as ColNum;

    sheet.write_string_with_format(0, 0, cell_text(&schedule.title), &bold)?;
    for (c, r) in layout.iter().enumerate() {
        let c = c as ColNum;
        let header = match r {
            ColumnRef::Text(i) => schedule.text_columns[*i].header.clone(),
            ColumnRef::Year(y) => format!("{} ({unit})", schedule.years[*y].header),
            ColumnRef::Total => format!(
                "{} ({unit})",
                schedule.total_header.as_deref().unwrap_or("Total")
            ),
        };
        sheet.write_string_with_format(1, c, cell_text(&header), &bold)?;
        let width = if matches!(r, ColumnRef::Text(_)) {
            28
        } else {
            14
        };
        sheet.set_column_width(c, width)?;
    }
    sheet.write_string_with_format(1, total_col, format!("{XLSX_TOTAL_HEADER} ({unit})"), &bold)?;
    sheet.set_column_width(total_col, 16)?;
    sheet.set_freeze_panes(2, 0)?;

    let first_data: RowNum = 2;
    for (k, kind) in rows.iter().enumerate() {
        let r = first_data + k as RowNum;
        match kind {
            RowKind::Heading(s) => {
                sheet.write_string_with_format(
                    r,
                    label_col,
                    cell_text(&schedule.sections[*s].name),
                    &bold,
                )?;
            }
            RowKind::Line(i) => {
                let line = &schedule.lines[*i];
                for (c, col) in layout.iter().enumerate() {
                    let c = c as ColNum;
                    match col {
                        ColumnRef::Text(t) => {
                            let text = line.text.get(*t).map(String::as_str).unwrap_or("");
                            if !text.is_empty() {
                                sheet.write_string(r, c, cell_text(text))?;
                            }
                        }
                        ColumnRef::Year(y) => {
                            write_amount(sheet, r, c, &line.amounts[*y], &figure)?
                        }
                        ColumnRef::Total => match &line.total {
                            Some(a) => write_amount(sheet, r, c, a, &figure)?,
                            None => {
                                sheet.write_blank(r, c, &figure)?;
                            }
                        },
                    }
                }
                let f = if year_col_list.is_empty() {
                    Formula::new("=0").set_result("0")
                } else {
                    Formula::new(format!("=SUM({})", row_refs(r, &year_col_list)))
                        .set_result(result(&totals.lines[*i], d))
                };
                sheet.write_formula_with_format(r, total_col, f, &figure)?;
            }
            RowKind::Subtotal {
                section,
                first,
                last,
            } => {
                let label = format!("{XLSX_SUBTOTAL_PREFIX}{}", schedule.sections[*section].name);
                sheet.write_string_with_format(r, label_col, cell_text(&label), &bold)?;
                let sums = scope_totals(schedule, totals, &TotalScope::Section(*section));
                for &(y, c) in &year_cols {
                    let sum = &sums.years[y];
                    write_subtotal(sheet, r, c, *first, *last, sum, d, &figure_bold)?;
                }
                let sum = &sums.total;
                write_subtotal(sheet, r, total_col, *first, *last, sum, d, &figure_bold)?;
            }
        }
    }

    // The grand total: every row from the first line to the last.
    let r = first_data + rows.len() as RowNum;
    sheet.write_string_with_format(r, label_col, GRAND_TOTAL_LABEL, &bold)?;
    let last_data = r.saturating_sub(1);
    for &(y, c) in &year_cols {
        write_subtotal(
            sheet,
            r,
            c,
            first_data,
            last_data,
            &totals.grand.years[y],
            d,
            &figure_bold,
        )?;
    }
    write_subtotal(
        sheet,
        r,
        total_col,
        first_data,
        last_data,
        &totals.grand.total,
        d,
        &figure_bold,
    )?;
    Ok(())
}

/// `=SUBTOTAL(9,C4:C9)` with its cached result; a plain zero when the range is empty.
#[allow(clippy::too_many_arguments)]
fn write_subtotal(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    first: RowNum,
    last: RowNum,
    sum: &Sum,
    decimals: u32,
    format: &Format,
) -> Result<(), XlsxError> {
    if last < first || row <= last && row >= first {
        sheet.write_number_with_format(row, col, 0.0, format)?;
        return Ok(());
    }
    let f = Formula::new(format!(
        "=SUBTOTAL(9,{}:{})",
        cell_ref(first, col),
        cell_ref(last, col)
    ))
    .set_result(result(sum, decimals));
    sheet.write_formula_with_format(row, col, f, format)?;
    Ok(())
}

fn write_amount(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    amount: &Amount,
    figure: &Format,
) -> Result<(), XlsxError> {
    match amount {
        Amount::Figure(v) => {
            sheet.write_number_with_format(row, col, number(*v), figure)?;
        }
        Amount::Blank => {
            sheet.write_blank(row, col, figure)?;
        }
        Amount::NoFigure(n) => {
            sheet.write_string_with_format(row, col, n.as_str(), figure)?;
        }
    }
    Ok(())
}

/// The gap as an `.xlsx` workbook of one sheet ([`XLSX_GAP_SHEET`]): the title, a header row
/// (`Row`, then each year with the unit), then one row per [`gap_export_rows`] row, figures as
/// numbers with as many decimals as the most precise of them (at most 10) and negatives in
/// parentheses. The creation time is fixed, as the schedule's workbook.
pub fn gap_to_xlsx(model: &GapModel, figures: &GapFigures) -> Result<Vec<u8>, Error> {
    gap_sheet_to_xlsx(&gap_sheet(model, figures))
}

/// [`gap_to_xlsx`] from the sheet's content, as the worker writes it.
pub fn gap_sheet_to_xlsx(sheet_content: &GapSheet) -> Result<Vec<u8>, Error> {
    let GapSheet {
        title,
        unit,
        years,
        rows,
    } = sheet_content;
    let error = |e: XlsxError| {
        Error::new(ErrorKind::Export(ExportProblem::Writer {
            message: e.to_string(),
        }))
    };
    let places = rows
        .iter()
        .flat_map(|(_, values)| values.iter())
        .map(|v| v.normalize().scale())
        .max()
        .unwrap_or(0)
        .min(10);
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(error)?;
    workbook.set_properties(
        &DocProperties::new()
            .set_title(cell_text(title))
            .set_creation_datetime(&created),
    );
    let sheet = workbook.add_worksheet();
    sheet.set_name(XLSX_GAP_SHEET).map_err(error)?;
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format(xlsx_number_format(places));
    sheet
        .write_string_with_format(0, 0, cell_text(title), &bold)
        .map_err(error)?;
    sheet
        .write_string_with_format(1, 0, "Row", &bold)
        .map_err(error)?;
    for (c, y) in years.iter().enumerate() {
        let col = (c + 1) as ColNum;
        sheet
            .write_string_with_format(1, col, cell_text(&format!("{y} ({unit})")), &bold)
            .map_err(error)?;
    }
    for (r, (label, values)) in rows.iter().enumerate() {
        let at = (r + 2) as RowNum;
        sheet.write_string(at, 0, cell_text(label)).map_err(error)?;
        for (c, v) in values.iter().enumerate() {
            let number: f64 = v.to_string().parse().unwrap_or(0.0);
            sheet
                .write_number_with_format(at, (c + 1) as ColNum, number, &money)
                .map_err(error)?;
        }
    }
    sheet.set_column_width(0, 44).map_err(error)?;
    workbook.save_to_buffer().map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(3, 27), "AB4");
        assert_eq!(row_refs(3, &[2, 3, 4, 5]), "C4:F4");
        assert_eq!(row_refs(3, &[2, 3, 5]), "C4:D4,F4");
        assert_eq!(row_refs(3, &[2]), "C4");
        assert_eq!(row_refs(3, &[]), "");
    }

    #[test]
    fn formats() {
        assert_eq!(xlsx_number_format(3), "#,##0.000;(#,##0.000)");
    }

    #[test]
    fn numbers_are_the_nearest_double() {
        use std::str::FromStr;
        let d = |s: &str| rust_decimal::Decimal::from_str(s).unwrap();
        assert_eq!(number(d("-200.0")), -200.0);
        assert_eq!(number(d("0.1")), 0.1);
        assert_eq!(number(d("999999999999999999")), 1e18);
    }
}
