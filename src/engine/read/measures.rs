//! Several measures per year (docs/domain.md, "Measures beside years"): business cases and
//! monitoring reports that put gross benefits, cost and net under each year (`Gross benefits
//! 2015/16`, `Costs 15/16`, `Net savings 2015/16`, …, `Net savings 2015/16 and 2016/17`; or
//! `2024/25 Gross`, `2024/25 Investment`, `2024/25 Net`).
//!
//! This module owns reading such a heading ([`column_heading`]: the measure beside the year, or
//! a column over several years), recognising the header row of such a table ([`find_header`]),
//! and reading the table as a schedule whose lines are one per file row *per measure*, each
//! naming its measure in a `Measure` column as an appraisal's measure rows do, so netting,
//! paybacks, the gap, scenarios and exports read it unchanged. It does that by restating the
//! rows as a wide table with a measure column and handing them to `wide`, which finds the
//! unit row, the sections and the total rows as it does for any schedule; the lines keep their
//! file rows, and a bad cell is reported at its own column of the file.
//!
//! Measures other than benefit, gross saving, cost, investment and net (target, forecast,
//! outturn, variance) are recognised in headings but such a table is not read here.

use std::collections::HashMap;

use super::columns::{header_position, heading, mapped_columns, total_header, Columns};
use super::grid::{
    is_figure_cell, unit_in_text, ColumnMapping, ColumnRole, ImportOptions, Imported, Row,
    HEADER_SEARCH_ROWS,
};
use super::wide::build_with_columns;
use crate::engine::model::error::{Error, ErrorKind, HeaderColumn, MappingProblem, Position};
use crate::engine::model::schedule::{FinancialYear, Measure, Profile, TextField, Unit};
use crate::engine::model::years::{find_year, join_years_over_headings};

/// What a column heading says its figures measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ColumnMeasure {
    Benefit,
    GrossSaving,
    Cost,
    Investment,
    Net,
    Target,
    Forecast,
    Outturn,
    Variance,
}

impl ColumnMeasure {
    /// The column measure of a line measure.
    pub(crate) fn of(m: Measure) -> ColumnMeasure {
        match m {
            Measure::Benefit => ColumnMeasure::Benefit,
            Measure::GrossSaving => ColumnMeasure::GrossSaving,
            Measure::Cost => ColumnMeasure::Cost,
            Measure::Investment => ColumnMeasure::Investment,
            Measure::Net => ColumnMeasure::Net,
        }
    }

    /// The measure of a line, for the measures a schedule's lines can carry.
    pub(crate) fn line_measure(self) -> Option<Measure> {
        match self {
            ColumnMeasure::Benefit => Some(Measure::Benefit),
            ColumnMeasure::GrossSaving => Some(Measure::GrossSaving),
            ColumnMeasure::Cost => Some(Measure::Cost),
            ColumnMeasure::Investment => Some(Measure::Investment),
            ColumnMeasure::Net => Some(Measure::Net),
            _ => None,
        }
    }
}

/// The years a measure column covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Span {
    /// One financial year.
    Year(FinancialYear),
    /// Several years, or all of them: `… 2015/16 and 2016/17`, `Total`, `Ongoing`.
    OverYears,
}

/// A heading read as a measure and the years it covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Heading {
    /// `None` for a bare `Total` or `Ongoing`.
    pub(crate) measure: Option<ColumnMeasure>,
    pub(crate) span: Span,
}

/// The measure the words of a heading name, tolerant of wording: `Net …` first (`Net savings`,
/// `Net cost`), then variance, forecast, outturn (`actual`), target, investment, benefit, gross
/// or saving, cost.
fn measure_of(words: &[&str]) -> Option<ColumnMeasure> {
    let has = |f: &dyn Fn(&str) -> bool| words.iter().any(|w| f(w));
    if has(&|w| w == "net") {
        Some(ColumnMeasure::Net)
    } else if has(&|w| w == "variance" || w == "var") {
        Some(ColumnMeasure::Variance)
    } else if has(&|w| w == "forecast") {
        Some(ColumnMeasure::Forecast)
    } else if has(&|w| w == "outturn" || w == "actual" || w == "actuals") {
        Some(ColumnMeasure::Outturn)
    } else if has(&|w| w == "target") {
        Some(ColumnMeasure::Target)
    } else if has(&|w| w.starts_with("invest")) {
        Some(ColumnMeasure::Investment)
    } else if has(&|w| w == "benefit" || w == "benefits") {
        Some(ColumnMeasure::Benefit)
    } else if has(&|w| w == "gross" || w == "saving" || w == "savings") {
        Some(ColumnMeasure::GrossSaving)
    } else if has(&|w| w == "cost" || w == "costs") {
        Some(ColumnMeasure::Cost)
    } else {
        None
    }
}

/// A heading longer than this (in bytes) is text, not a measure and a year: a header cell is
/// short, and a cell of a 50 MB line is not looked through word by word.
const MAX_HEADING: usize = 120;

/// Reads a column heading as a measure beside a year: `Gross benefits 2015/16`, `Costs 15/16`
/// (a short year counts as a word of its own here, beside a measure), `2024/25 Investment`; or
/// a measure over several years: two years or more named (`Net savings 2015/16 and 2016/17`),
/// or none with `total`, `ongoing`, `cumulative` or `all years`. A heading naming one year and
/// no measure, or neither, is not one (`None`).
pub(crate) fn column_heading(cell: &str) -> Option<Heading> {
    if cell.len() > MAX_HEADING {
        return None;
    }
    let lower = cell.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let measure = measure_of(&words);
    let mut years: Vec<FinancialYear> = Vec::new();
    for token in lower.split(|c: char| c.is_whitespace() || matches!(c, ',' | '–' | '—' | '&'))
    {
        let token = token.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ':' | ';'));
        if let Some(y) = find_year(token) {
            if !years.contains(&y) {
                years.push(y);
            }
        }
    }
    let over = words
        .iter()
        .any(|w| matches!(*w, "total" | "ongoing" | "cumulative"))
        || lower.contains("all years");
    match years.len() {
        0 if over => Some(Heading {
            measure,
            span: Span::OverYears,
        }),
        0 => None,
        1 => measure.map(|m| Heading {
            measure: Some(m),
            span: Span::Year(years[0]),
        }),
        _ => Some(Heading {
            measure,
            span: Span::OverYears,
        }),
    }
}

/// The header row of a table with measures beside years: the first of the first 50 rows, with
/// no figures, whose year columns each name a line's measure (benefit, gross saving, cost,
/// investment, net) and where some year heads two different measures. A plain year column, or
/// a year beside a monitoring measure (target, forecast, …), leaves the table to the other
/// readers.
pub(crate) fn find_header(rows: &[Row]) -> Option<usize> {
    rows.iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .position(|(i, r)| {
            is_measures_header(r)
                || i.checked_sub(1).is_some_and(|above| {
                    join_years_over_headings(&rows[above].cells.to_vec(), &r.cells.to_vec())
                        .is_some_and(|cells| {
                            is_measures_header(&Row {
                                cells: cells.into(),
                                ..r.clone()
                            })
                        })
                })
        })
}

/// True for the header of a table of measures beside years: some year has two different
/// measures of a line beside it, no heading names a year with another measure or none, and no
/// cell is a figure.
pub(crate) fn is_measures_header(r: &Row) -> bool {
    // The first measure seen beside each year; a second, different one makes the row.
    let mut first: HashMap<FinancialYear, Measure> = HashMap::new();
    let mut two = false;
    for cell in r.cells.iter() {
        match column_heading(cell) {
            Some(Heading {
                measure: Some(m),
                span: Span::Year(y),
            }) => match m.line_measure() {
                Some(m) => two |= *first.entry(y).or_insert(m) != m,
                None => return false,
            },
            Some(_) => {}
            None if cell.len() <= MAX_HEADING && find_year(cell).is_some() => return false,
            None => {}
        }
    }
    // Figures are looked for last, in the few rows that could be the header.
    two && !r.cells.iter().any(is_figure_cell)
}

/// The measure beside the year of each column of a measures header, for the mapping step: a
/// year column's role and measure, or a total's (`None` where the heading is no measure's).
pub(crate) fn mapped_measures(header: &Row) -> Vec<Option<(ColumnRole, Option<Measure>)>> {
    header
        .cells
        .iter()
        .map(|cell| match column_heading(cell)? {
            Heading {
                measure: Some(m),
                span: Span::Year(year),
            } => Some((ColumnRole::Year { year }, m.line_measure())),
            Heading {
                measure,
                span: Span::OverYears,
            } => match measure {
                None => Some((ColumnRole::Total, None)),
                Some(m) => m
                    .line_measure()
                    .map(|lm| (ColumnRole::Total, Some(lm)))
                    .or(Some((ColumnRole::Ignored, None))),
            },
            _ => None,
        })
        .collect()
}

/// What each file column becomes.
enum Source {
    Text(TextField),
    Amount { measure: usize, year: usize },
    Total { measure: usize },
    Ignored,
}

/// Reads a table with measures beside years, header at `header_index`, as a schedule: the text
/// columns as they are (a `Type` column kept as other text, the measure being the column's),
/// then a `Measure` column, then one column per year and the published total. Each file row
/// with an amount becomes one line per measure, in the order the measures first appear, with
/// the same file row; a total row becomes one total row per measure, each checking the lines of
/// its measure. A row with no amount (a section heading, a note) stays one row. The figures of
/// each year are that year's (a business case's cash), so the profile is cumulative (full-year
/// effect, docs/domain.md "Profiles") unless a heading says incremental.
pub(crate) fn build_measures(
    mut rows: Vec<Row>,
    header_index: usize,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let title_end = heading(&mut rows, header_index)?;
    let header = &rows[header_index];
    let given: Vec<Given> = header
        .cells
        .iter()
        .map(|cell| column_heading(cell).map_or(Given::ByHeader, Given::Measured))
        .collect();
    build_given(rows, header_index, title_end, given, file_name, options)
}

/// What a column is before the table is restated: a measure and its years, as a heading says
/// or the user's mapping chose; a text field or ignored, as the mapping chose; or as its
/// header says (text, ignored, or `Gapwise …`).
#[derive(Clone, Copy)]
enum Given {
    Measured(Heading),
    Text(TextField),
    Ignored,
    ByHeader,
}

/// Reads a table with measures beside years as the user's mapping says (the mapping step shows
/// a measure beside each year and total): the header row and each column's header are checked
/// against the file as for any mapping; a year column with a measure is that measure's figures
/// of the year (a year column without one, a gross saving), a total with a measure is that
/// measure's total (without, the net's). The same measure of a year twice is refused, as a
/// year twice is in a table of one figure per year. The mapping's unit, sign convention and
/// profile apply as in any mapping.
pub(crate) fn build_mapped(
    mut rows: Vec<Row>,
    mapping: &ColumnMapping,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let columns = mapped_columns(&mut rows, mapping)?;
    let header = &rows[columns.header_index];
    let mut given = vec![Given::Ignored; header.cells.len()];
    let mut seen: Vec<(Measure, FinancialYear, usize)> = Vec::new();
    for m in &mapping.columns {
        given[m.index] = match m.role {
            ColumnRole::Year { year } => {
                let measure = m.measure.unwrap_or(Measure::GrossSaving);
                if let Some(&(_, _, first)) =
                    seen.iter().find(|(x, y, _)| *x == measure && *y == year)
                {
                    let name = |c: usize| HeaderColumn {
                        index: c,
                        header: header.cells[c].trim().to_string(),
                    };
                    return Err(Error::at(
                        ErrorKind::Mapping(MappingProblem::YearTwice {
                            year,
                            first: name(first),
                            column: name(m.index),
                        }),
                        header_position(header, Some(m.index)),
                    ));
                }
                seen.push((measure, year, m.index));
                Given::Measured(Heading {
                    measure: Some(ColumnMeasure::of(measure)),
                    span: Span::Year(year),
                })
            }
            ColumnRole::Total => Given::Measured(Heading {
                measure: m.measure.map(ColumnMeasure::of),
                span: Span::OverYears,
            }),
            ColumnRole::Text { field } => Given::Text(field),
            ColumnRole::Ignored => Given::Ignored,
        };
    }
    let choices = ImportOptions {
        unit: mapping.unit.or(options.unit),
        mapping: Some(ColumnMapping {
            columns: Vec::new(),
            ..mapping.clone()
        }),
        ..options.clone()
    };
    build_given(
        rows,
        columns.header_index,
        columns.title_end,
        given,
        file_name,
        &choices,
    )
}

fn build_given(
    rows: Vec<Row>,
    header_index: usize,
    title_end: usize,
    given: Vec<Given>,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let header = rows[header_index].clone();
    let headings: Vec<Option<Heading>> = given
        .iter()
        .map(|g| match g {
            Given::Measured(h) => Some(*h),
            _ => None,
        })
        .collect();

    // Measures and years in order of first appearance.
    let mut measures: Vec<Measure> = Vec::new();
    let mut years: Vec<FinancialYear> = Vec::new();
    let mut sources: Vec<Source> = Vec::with_capacity(headings.len());
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut totals: HashMap<usize, usize> = HashMap::new();
    for (c, h) in headings.iter().enumerate() {
        let text = header.cells.get(c).unwrap_or("").trim();
        let source = match h {
            Some(Heading {
                measure: Some(m),
                span: Span::Year(y),
            }) => {
                let m = m.line_measure().unwrap_or(Measure::GrossSaving);
                let measure = index_of(&mut measures, m);
                let year = index_of(&mut years, *y);
                if taken.contains(&(measure, year)) {
                    // The same measure of a year twice: the first is read, this one left out.
                    Source::Ignored
                } else {
                    taken.push((measure, year));
                    Source::Amount { measure, year }
                }
            }
            _ if matches!(given[c], Given::Ignored) => Source::Ignored,
            _ if text.to_lowercase().starts_with("gapwise ") => Source::Ignored,
            Some(Heading {
                measure,
                span: Span::OverYears,
            }) => match measure.map(|m| m.line_measure()) {
                // A bare `Total` is resolved once every measure is known.
                None => Source::Total {
                    measure: usize::MAX,
                },
                Some(Some(m)) => Source::Total {
                    measure: index_of(&mut measures, m),
                },
                // `Total variance`: no line measure's total.
                Some(None) => Source::Ignored,
            },
            _ if text.is_empty()
                && rows[header_index + 1..]
                    .iter()
                    .all(|r| r.cells.get(c).is_none_or(|v| v.trim().is_empty())) =>
            {
                Source::Ignored
            }
            _ if matches!(given[c], Given::Text(_)) => match given[c] {
                Given::Text(TextField::Type) => Source::Text(TextField::Other),
                Given::Text(field) => Source::Text(field),
                _ => Source::Ignored,
            },
            _ => Source::Text(match TextField::from_header(text) {
                TextField::Type => TextField::Other,
                f => f,
            }),
        };
        sources.push(source);
    }
    // A bare total is the net's, when the table has net columns; each measure has one total.
    let net = measures.iter().position(|m| *m == Measure::Net);
    for (c, s) in sources.iter_mut().enumerate() {
        if let Source::Total { measure } = s {
            let m = if *measure == usize::MAX {
                net
            } else {
                Some(*measure)
            };
            match m {
                Some(m) if !totals.contains_key(&m) => {
                    totals.insert(m, c);
                    *measure = m;
                }
                _ => *s = Source::Ignored,
            }
        }
    }
    let text_columns: Vec<usize> = (0..sources.len())
        .filter(|c| matches!(sources[*c], Source::Text(_)))
        .collect();
    let mut roles: Vec<ColumnRole> = text_columns
        .iter()
        .map(|c| match sources[*c] {
            Source::Text(field) => ColumnRole::Text { field },
            _ => ColumnRole::Ignored,
        })
        .collect();
    if !roles.iter().any(|r| {
        matches!(
            r,
            ColumnRole::Text {
                field: TextField::Name | TextField::Description | TextField::Reference
            }
        )
    }) {
        if let Some(first) = roles.first_mut() {
            *first = ColumnRole::Text {
                field: TextField::Name,
            };
        }
    }
    roles.push(ColumnRole::Text {
        field: TextField::Type,
    });
    roles.extend(years.iter().map(|&year| ColumnRole::Year { year }));
    let total_column = totals.values().min().copied();
    if total_column.is_some() {
        roles.push(ColumnRole::Total);
    }

    // Where each restated column comes from, for a restated row of measure `m`.
    let origin = |m: Option<usize>| -> Vec<Option<usize>> {
        let mut o: Vec<Option<usize>> = text_columns.iter().map(|c| Some(*c)).collect();
        o.push(None);
        for y in 0..years.len() {
            o.push(m.and_then(|m| {
                sources.iter().position(
                    |s| matches!(s, Source::Amount { measure, year } if *measure == m && *year == y),
                )
            }));
        }
        if total_column.is_some() {
            o.push(m.and_then(|m| totals.get(&m).copied()));
        }
        o
    };

    // The restated header: the text headers, `Measure`, the years, the total's.
    let mut restated: Vec<Row> = rows[..header_index].to_vec();
    let mut head: Vec<String> = text_columns
        .iter()
        .map(|c| header.cells.get(*c).unwrap_or("").to_string())
        .collect();
    head.push("Measure".to_string());
    head.extend(years.iter().map(|y| y.label()));
    if let Some(c) = total_column {
        // `Net savings 2015/16 and 2016/17` names years that are columns of their own: shown
        // (and exported) as `Total net`, so that the export reads back with each year once.
        let h = header.cells.get(c).unwrap_or("");
        head.push(match find_year(h) {
            None => total_header(h),
            Some(_) => format!(
                "Total {}",
                totals
                    .iter()
                    .find(|(_, col)| **col == c)
                    .map_or("", |(m, _)| measures[*m].label())
                    .to_lowercase()
            ),
        });
    }
    let width = head.len();
    restated.push(Row {
        row: header.row,
        line: header.line,
        cells: head.iter().collect(),
    });

    let mut body_start = header_index + 1;
    // Only the mapping's unit, sign and profile reach the restated table (`build_mapped`).
    let mut options = options.clone();
    if let Some(m) = &mut options.mapping {
        m.columns.clear();
    }
    if let Some(unit) = rows.get(header_index + 1).and_then(|r| unit_row(r)) {
        let mut cells = vec![String::new(); width];
        for cell in cells.iter_mut().skip(text_columns.len() + 1) {
            *cell = unit.label().to_string();
        }
        restated.push(Row {
            row: rows[header_index + 1].row,
            line: rows[header_index + 1].line,
            cells: cells.iter().collect(),
        });
        body_start += 1;
    } else if options.unit.is_none() {
        options.unit = header.cells.iter().find_map(unit_in_text);
    }

    // Each restated body row: its file row, and where its cells come from.
    let mut from: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
    for r in &rows[body_start..] {
        let has_amount = sources.iter().enumerate().any(|(c, s)| {
            !matches!(s, Source::Text(_) | Source::Ignored)
                && r.cells.get(c).is_some_and(|v| !v.trim().is_empty())
        });
        let kinds: Vec<Option<usize>> = if has_amount {
            (0..measures.len()).map(Some).collect()
        } else {
            vec![None]
        };
        for m in kinds {
            let o = origin(m);
            let mut cells: Vec<String> = o
                .iter()
                .map(|c| c.and_then(|c| r.cells.get(c)).unwrap_or("").to_string())
                .collect();
            if let Some(m) = m {
                cells[text_columns.len()] = measures[m].label().to_string();
            }
            restated.push(Row {
                row: r.row,
                line: r.line,
                cells: cells.iter().collect(),
            });
            from.push((r.row, o));
        }
    }

    let columns = Columns {
        header_index,
        title_end,
        roles,
        doubts: Vec::new(),
    };
    let mut imported = build_with_columns(restated, columns, file_name, &options)?;
    let incremental = header.cells.iter().any(|c| {
        let c = c.to_lowercase();
        c.contains("incremental") || c.contains("year on year")
    });
    if !incremental {
        imported.schedule.profile = Profile::Cumulative;
    }
    // A bad cell is reported at the file's column, not the restated one.
    let mut next = 0;
    for p in &mut imported.problems {
        let Some(pos) = p.position().cloned() else {
            continue;
        };
        let Some(column) = pos.column else {
            continue;
        };
        let text = match p.kind() {
            ErrorKind::Amount { text, .. } => Some(text.clone()),
            _ => None,
        };
        let original = |r: usize, c: usize| {
            rows.iter()
                .find(|x| x.row == r)
                .and_then(|x| x.cells.get(c))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let found = (next..from.len()).find_map(|q| {
            let (row, o) = &from[q];
            let c = o.get(column - 1).copied().flatten()?;
            (*row == pos.row && text.as_ref().is_none_or(|t| *t == original(*row, c)))
                .then_some((q, c))
        });
        if let Some((q, c)) = found {
            next = q;
            *p = Error::at(
                p.kind().clone(),
                Position {
                    column: Some(c + 1),
                    column_header: Some(header.cells.get(c).unwrap_or("").trim().to_string()),
                    ..pos
                },
            );
        }
    }
    Ok(imported)
}

/// The unit of a unit row (every filled cell a unit), the most frequent first.
fn unit_row(r: &Row) -> Option<Unit> {
    let units: Vec<Unit> = r
        .cells
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(Unit::from_label)
        .collect::<Option<Vec<_>>>()?;
    super::grid::most_common(&units).filter(|_| !units.is_empty())
}

fn index_of<T: PartialEq>(list: &mut Vec<T>, item: T) -> usize {
    match list.iter().position(|x| *x == item) {
        Some(i) => i,
        None => {
            list.push(item);
            list.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cell: &str) -> Option<(Option<ColumnMeasure>, Option<i32>)> {
        column_heading(cell).map(|h| {
            (
                h.measure,
                match h.span {
                    Span::Year(y) => Some(y.start),
                    Span::OverYears => None,
                },
            )
        })
    }

    #[test]
    fn headings() {
        use ColumnMeasure::*;
        assert_eq!(
            h("Gross benefits 2015/16"),
            Some((Some(Benefit), Some(2015)))
        );
        assert_eq!(h("Costs 15/16"), Some((Some(Cost), Some(2015))));
        assert_eq!(h("Net Savings 2016/17"), Some((Some(Net), Some(2016))));
        assert_eq!(
            h("2024/25 Investment"),
            Some((Some(Investment), Some(2024)))
        );
        assert_eq!(h("2024/25 Gross"), Some((Some(GrossSaving), Some(2024))));
        assert_eq!(h("Q1 2024/25 Forecast"), Some((Some(Forecast), Some(2024))));
        assert_eq!(
            h("Net savings 2015/16 and 2016/17"),
            Some((Some(Net), None))
        );
        assert_eq!(h("Total"), Some((None, None)));
        assert_eq!(h("Ongoing net saving"), Some((Some(Net), None)));
        assert_eq!(h("2017/18"), None);
        assert_eq!(h("Workstream"), None);
        assert_eq!(h(&format!("Net 2015/16 {}", "x".repeat(MAX_HEADING))), None);
    }
}
