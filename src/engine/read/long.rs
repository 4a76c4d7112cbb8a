//! Reading back the long CSV: one row per line and year, as [`to_csv_long`] writes it.
//!
//! This module owns recognising a long table by its header and regrouping its rows into a
//! [`Schedule`]: a line per `Row`, a year per `Year`, sections from `Section`, the unit from
//! `Unit`. It does not decode bytes or split records (that is `import`, which hands over the rows
//! when the first one is the long header) and it does not write the file (that is `export`).
//!
//! What "the same schedule" means for the long format. Importing `to_csv_long(s, None)` gives
//! back, exactly: the lines and their file rows (in row order), the years (in order of first
//! appearance), the unit, every amount with its written decimals (`1.50` stays `1.50`, `N/A`,
//! `TBC` and blank cells stay as they are), the sections the lines sit in, the lines' reference
//! and label, and so every computed total. The format has no place for the rest, which is lost:
//!
//! - text columns other than the reference and the label (source, description, type or
//!   measure, RAG, FTE, payback), and so the measures netting groups by, the RAG ratings a
//!   scenario reads and the one-offs named only there; a line's label comes back as its `Line`
//!   text, its reference as `Reference`;
//! - the file's headers (a year column headed `2018/19 Original Saving` comes back as
//!   `2018/19`) and its column order;
//! - published figures that are not cells of a line: the total column and the total rows (the
//!   checks), so the long import has nothing to check;
//! - the sign convention and the profile, which the wide import detects from the type column and
//!   the headers: a long table reads as savings positive and incremental, in the file's signs as
//!   written (the figures are not changed, only what they are taken to mean);
//! - section headings without lines, and a heading's own row (taken to be the row above its
//!   first line, or that line's row when another line holds it); the title (the file name gives
//!   it); memo marks; the decimals of published totals, when they had more than the cells.
//!
//! A one-off line is still one-off when its label says so, as in the wide import.
//!
//! [`to_csv_long`]: crate::engine::write::export::to_csv_long

use super::grid::{
    detect_recurrence, read_amount, title_from_file_name, unneutralise, ImportOptions, Imported,
    Problems, Row,
};
use crate::engine::model::error::{Error, ErrorKind, Limited, LongProblem, Position};
use crate::engine::model::limits::MAX_YEARS;
use crate::engine::model::number::{Amount, MAX_DECIMALS};
use crate::engine::model::schedule::{
    ColumnRef, FinancialYear, Line, Profile, Schedule, Section, SignConvention, TextColumn,
    TextField, Unit, YearColumn,
};

/// The columns of the long CSV, by index into [`LONG_HEADERS`].
const ROW: usize = 0;
const SECTION: usize = 1;
const REFERENCE: usize = 2;
const LINE: usize = 3;
const YEAR: usize = 4;
const AMOUNT: usize = 5;
const UNIT: usize = 6;

fn header_key(cell: &str) -> String {
    cell.trim_start_matches('\u{feff}').trim().to_lowercase()
}

/// How many columns a long header has: 7, or 8 with a scenario column; `None` when the row is not
/// a long header.
fn long_width<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> Option<usize> {
    let mut keys: Vec<String> = cells.into_iter().map(|c| header_key(c.as_ref())).collect();
    while keys.last().is_some_and(String::is_empty) {
        keys.pop();
    }
    let n = LONG_HEADERS.len();
    if keys.len() != n && keys.len() != n + 1 {
        return None;
    }
    if !keys
        .iter()
        .zip(LONG_HEADERS)
        .all(|(k, h)| *k == h.to_lowercase())
    {
        return None;
    }
    if let Some(last) = keys.get(n) {
        let rest = last.strip_prefix(&LONG_SCENARIO_HEADER.to_lowercase())?;
        if !(rest.is_empty() || rest.starts_with(':')) {
            return None;
        }
    }
    Some(keys.len())
}

/// A header row is the long export's when its cells are exactly [`LONG_HEADERS`] in order, with
/// or without a last `Scenario amount: <name>` column, whatever their case, surrounding spaces,
/// a byte-order mark or empty cells after the last. No wide schedule's header is: a wide header
/// names a financial year.
pub(crate) fn is_long_header<S: AsRef<str>>(cells: impl IntoIterator<Item = S>) -> bool {
    long_width(cells).is_some()
}

/// A line being gathered: its first record, its text and, per year, its cell and the row it came
/// from.
struct Gathered {
    row: usize,
    first: Position,
    section: String,
    reference: String,
    label: String,
    amounts: Vec<Option<(Amount, usize)>>,
}

fn long_error(problem: LongProblem, position: Position) -> Error {
    Error::at(ErrorKind::LongTable(problem), position)
}

/// Reads a long table, header first, into a schedule.
///
/// The rules: every row that is not empty is one cell of one line. `Row` (a whole number from 1)
/// says which line: the rows of one line may come in any order and need not be next to each
/// other, but they must agree on `Section`, `Reference` and `Line`. `Year` names a financial year
/// as a wide header would (`2017/18`, `2020/2021`); the years are the schedule's columns in
/// order of first appearance, and every line has exactly one row per year. `Amount` is read as
/// any published cell is (`(200.0)`, `-`, `N/A`, `TBC`, blank; a cell that is not an amount is
/// reported with its row and column and counts as no figure). `Unit` is one unit for the whole
/// file (blank cells take it); a unit chosen in the options wins, as over a wide file's unit row.
/// Text that an export wrote with a leading `'` against formulas loses it again. A scenario
/// column is ignored: the scenario is not part of the schedule.
///
/// Lines come in row order; consecutive lines (by row) with the same `Section` share a section,
/// as they shared a heading in the wide file; an empty `Section` is no section.
pub(crate) fn build_long(
    rows: Vec<Row>,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let Some((header, body)) = rows.split_first() else {
        return Err(Error::new(ErrorKind::Empty));
    };
    let width = long_width(header.cells.iter()).unwrap_or(LONG_HEADERS.len());
    let names: Vec<String> = header.cells.iter().map(|c| header_key(c)).collect();
    let at = |r: &Row, column: usize| Position {
        row: r.row,
        line: r.line,
        column: Some(column + 1),
        column_header: Some(
            LONG_HEADERS
                .get(column)
                .map(|h| h.to_string())
                .or_else(|| names.get(column).cloned())
                .unwrap_or_default(),
        ),
    };
    let cell = |r: &Row, column: usize| -> String {
        r.cells
            .get(column)
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let records: Vec<&Row> = body
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();

    // The unit first: amounts written with their own magnitude (`£75k`) convert to it.
    let mut file_unit: Option<(Unit, usize)> = None;
    for r in &records {
        let text = cell(r, UNIT);
        if text.is_empty() {
            continue;
        }
        let Some(unit) = Unit::from_label(&text) else {
            return Err(long_error(
                LongProblem::NotAUnit {
                    text: text.to_string(),
                },
                at(r, UNIT),
            ));
        };
        match file_unit {
            None => file_unit = Some((unit, r.row)),
            Some((first, first_row)) if first != unit => {
                return Err(long_error(
                    LongProblem::TwoUnits {
                        unit,
                        first,
                        first_row,
                    },
                    at(r, UNIT),
                ))
            }
            Some(_) => {}
        }
    }
    let unit_stated = options.unit.is_some() || file_unit.is_some();
    let unit = options
        .unit
        .or(file_unit.map(|(u, _)| u))
        .unwrap_or(Unit::Pounds);

    let mut problems = Problems::default();
    let mut years: Vec<YearColumn> = Vec::new();
    let mut gathered: Vec<Gathered> = Vec::new();
    let mut by_row: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut max_scale = 0u32;

    for r in &records {
        let extra = r
            .cells
            .iter()
            .skip(width)
            .filter(|c| !c.trim().is_empty())
            .count();
        problems.extra_cells(r, extra);

        let row_text = cell(r, ROW);
        let line_row = row_text
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| row_text.parse::<usize>().ok())
            .flatten()
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                long_error(
                    LongProblem::NotARowNumber {
                        text: row_text.to_string(),
                    },
                    at(r, ROW),
                )
            })?;

        let year_text = cell(r, YEAR);
        let year = FinancialYear::find_in(&year_text).ok_or_else(|| {
            long_error(
                LongProblem::NotAYear {
                    text: year_text.to_string(),
                },
                at(r, YEAR),
            )
        })?;
        let y = match years.iter().position(|c| c.year == year) {
            Some(y) => y,
            None => {
                if years.len() == MAX_YEARS {
                    return Err(Error::at(
                        ErrorKind::Limit {
                            what: Limited::LongYears,
                            found: MAX_YEARS + 1,
                            limit: MAX_YEARS,
                        },
                        at(r, YEAR),
                    ));
                }
                years.push(YearColumn {
                    year,
                    header: year_text.clone(),
                });
                years.len() - 1
            }
        };

        let section = unneutralise(&cell(r, SECTION));
        let reference = unneutralise(&cell(r, REFERENCE));
        let label = unneutralise(&cell(r, LINE));
        let index = match by_row.get(&line_row) {
            Some(&i) => {
                let g = &gathered[i];
                for (column, given, before) in [
                    (SECTION, &section, &g.section),
                    (REFERENCE, &reference, &g.reference),
                    (LINE, &label, &g.label),
                ] {
                    if given != before {
                        return Err(long_error(
                            LongProblem::LineDisagrees {
                                line_row,
                                column: LONG_HEADERS[column].to_string(),
                                given: given.to_string(),
                                before: before.to_string(),
                                first_row: g.first.row,
                            },
                            at(r, column),
                        ));
                    }
                }
                i
            }
            None => {
                by_row.insert(line_row, gathered.len());
                gathered.push(Gathered {
                    row: line_row,
                    first: at(r, YEAR),
                    section,
                    reference,
                    label,
                    amounts: Vec::new(),
                });
                gathered.len() - 1
            }
        };

        let amount = read_amount(
            r.cells.get(AMOUNT).unwrap_or(""),
            unit,
            || at(r, AMOUNT),
            &mut problems,
            &mut max_scale,
        );
        let g = &mut gathered[index];
        if g.amounts.len() <= y {
            g.amounts.resize(y + 1, None);
        }
        if let Some((_, first_row)) = &g.amounts[y] {
            return Err(long_error(
                LongProblem::YearTwice {
                    line_row,
                    year,
                    first_row: *first_row,
                },
                at(r, YEAR),
            ));
        }
        g.amounts[y] = Some((amount, r.row));
    }

    gathered.sort_by_key(|g| g.row);
    let line_rows: std::collections::HashSet<usize> = gathered.iter().map(|g| g.row).collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut lines: Vec<Line> = Vec::with_capacity(gathered.len());
    let mut previous: Option<&str> = None;
    for g in &gathered {
        let mut amounts = Vec::with_capacity(years.len());
        for (y, column) in years.iter().enumerate() {
            match g.amounts.get(y).cloned().flatten() {
                Some((amount, _)) => amounts.push(amount),
                None => {
                    return Err(long_error(
                        LongProblem::YearMissing {
                            line_row: g.row,
                            year: column.year,
                        },
                        g.first.clone(),
                    ))
                }
            }
        }
        if !g.section.is_empty() && previous != Some(g.section.as_str()) {
            let above = g.row - 1;
            sections.push(Section {
                name: g.section.clone(),
                row: if above >= 1 && !line_rows.contains(&above) {
                    above
                } else {
                    g.row
                },
            });
        }
        previous = Some(g.section.as_str());
        let text = vec![g.reference.clone(), g.label.clone()];
        lines.push(Line {
            row: g.row,
            section: (!g.section.is_empty()).then(|| sections.len() - 1),
            recurrence: detect_recurrence(&text),
            text,
            amounts,
            total: None,
            memo: false,
            rag: None,
        });
    }

    let text_columns: Vec<TextColumn> = [REFERENCE, LINE]
        .into_iter()
        .map(|c| TextColumn {
            header: LONG_HEADERS[c].to_string(),
            field: TextField::from_header(LONG_HEADERS[c]),
        })
        .collect();
    let mut layout: Vec<ColumnRef> = (0..text_columns.len()).map(ColumnRef::Text).collect();
    layout.extend((0..years.len()).map(ColumnRef::Year));
    let schedule = Schedule {
        title: title_from_file_name(file_name),
        unit,
        years,
        text_columns,
        total_header: None,
        layout,
        sections,
        lines,
        total_rows: Vec::new(),
        decimals: max_scale.min(MAX_DECIMALS),
        sign: SignConvention::SavingsPositive,
        profile: Profile::Incremental,
    };
    Ok(Imported::read(schedule, problems, unit_stated))
}

/// The headers of the long CSV, in order; a scenario adds [`LONG_SCENARIO_HEADER`] and its name.
pub const LONG_HEADERS: [&str; 7] = [
    "Row",
    "Section",
    "Reference",
    "Line",
    "Year",
    "Amount",
    "Unit",
];

/// The start of the header of the long CSV's scenario column: `Scenario amount: <name>`.
pub const LONG_SCENARIO_HEADER: &str = "Scenario amount";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::number::{NoFigure, NumberError};
    use crate::engine::read::import;

    const HEAD: &str = "Row,Section,Reference,Line,Year,Amount,Unit\n";

    fn imp(text: &str) -> Result<Imported, Error> {
        import(text.as_bytes(), "t-long.csv", &ImportOptions::default())
    }

    fn err(text: &str) -> Error {
        imp(text).unwrap_err()
    }

    fn at(e: &Error) -> (usize, Option<usize>, Option<&str>) {
        let p = e.position().expect("a position");
        (p.row, p.column, p.column_header.as_deref())
    }

    #[test]
    fn recognises_the_header_and_nothing_else() {
        let cells = |s: &str| s.split(',').map(str::to_string).collect::<Vec<_>>();
        assert!(is_long_header(&cells(
            "Row,Section,Reference,Line,Year,Amount,Unit"
        )));
        assert!(is_long_header(&cells(
            "\u{feff} ROW , section,REFERENCE,Line,year,Amount,unit,,"
        )));
        assert!(is_long_header(&cells(
            "Row,Section,Reference,Line,Year,Amount,Unit,Scenario amount: Red at 0"
        )));
        assert!(is_long_header(&cells(
            "Row,Section,Reference,Line,Year,Amount,Unit,scenario AMOUNT"
        )));
        assert!(!is_long_header(&cells(
            "Row,Section,Reference,Line,Year,Amount,Unit,Notes"
        )));
        assert!(!is_long_header(&cells(
            "Row,Section,Reference,Line,Year,Amount"
        )));
        assert!(!is_long_header(&cells(
            "Section,Row,Reference,Line,Year,Amount,Unit"
        )));
        assert!(!is_long_header(&cells("Project,2017/18,2018/19")));
    }

    #[test]
    fn regroups_lines_years_sections_and_amounts_exactly() {
        let text = format!(
            "\u{feff}{HEAD}5,Care,'=X1,'+Early help,2017/18,1.50,£'000\n\
             7,Care,C2,Edge,2017/18,(2.0),£'000\n\
             5,Care,'=X1,'+Early help,2018/19,N/A,£'000\n\
             7,Care,C2,Edge,2018/2019,,\n\
             9,,,One-off grant,2017/18,TBC,£'000\n9,,,One-off grant,2018/19,-,£'000\n"
        );
        let i = imp(&text).unwrap();
        assert!(i.problems.is_empty(), "{:?}", i.problems);
        assert!(i.unit_stated);
        let s = &i.schedule;
        assert_eq!(s.unit, Unit::Thousands);
        let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
        assert_eq!(years, ["2017/18", "2018/19"]);
        assert_eq!(s.sections.len(), 1);
        assert_eq!(
            (s.sections[0].name.as_str(), s.sections[0].row),
            ("Care", 4)
        );
        let rows: Vec<usize> = s.lines.iter().map(|l| l.row).collect();
        assert_eq!(rows, [5, 7, 9]);
        assert_eq!(s.lines[0].text, ["=X1", "+Early help"]);
        let cells: Vec<Vec<String>> = s
            .lines
            .iter()
            .map(|l| l.amounts.iter().map(Amount::canonical).collect())
            .collect();
        // The `0` is a nil shown to its two-place table: 0.00 (docs/domain.md, "Rounding,
        // precisely").
        assert_eq!(cells, [["1.50", "N/A"], ["-2.0", ""], ["TBC", "0.00"]]);
        assert_eq!(s.lines[1].section, Some(0));
        assert_eq!(s.lines[2].section, None);
        assert_eq!(s.lines[2].recurrence, crate::engine::Recurrence::OneOff);
        assert_eq!(s.decimals, 2);
        assert_eq!(s.column_of(TextField::Reference), Some(0));
        assert_eq!(s.column_of(TextField::Name), Some(1));
        assert_eq!(s.title, "t-long");
        assert!(crate::engine::model::canonical::validate(s).is_ok());
    }

    #[test]
    fn a_bad_amount_is_a_cell_problem_with_row_and_column() {
        let i = imp(&format!("{HEAD}2,,,A,2017/18,aa,£\n2,,,A,2018/19,1,£\n")).unwrap();
        assert_eq!(i.problems.len(), 1);
        assert_eq!(
            i.problems[0].kind(),
            &ErrorKind::Amount {
                text: "aa".into(),
                reason: NumberError::NotANumber
            }
        );
        assert_eq!(at(&i.problems[0]), (2, Some(6), Some("Amount")));
        assert_eq!(
            i.problems[0].to_string(),
            "t-long.csv, row 2, column Amount: `aa` is not an amount"
        );
        assert_eq!(
            i.schedule.lines[0].amounts[0],
            Amount::NoFigure(NoFigure::Unreadable)
        );
    }

    #[test]
    fn structural_errors_say_what_and_where() {
        let e = err(&format!("{HEAD}4,,,A,2017/18,1,£\nfour,,,A,2018/19,1,£\n"));
        assert_eq!(
            e.kind(),
            &ErrorKind::LongTable(LongProblem::NotARowNumber {
                text: "four".into()
            })
        );
        assert_eq!(at(&e), (3, Some(1), Some("Row")));
        assert!(e.to_string().contains("`four` is not a row number"), "{e}");

        let e = err(&format!("{HEAD}4,,,A,2017/18,1,£\n4,,,A,2017/2018,2,£\n"));
        assert_eq!(at(&e), (3, Some(5), Some("Year")));
        assert_eq!(
            e.kind(),
            &ErrorKind::LongTable(LongProblem::YearTwice {
                line_row: 4,
                year: FinancialYear::find_in("2017/18").unwrap(),
                first_row: 2,
            })
        );
        assert!(e
            .to_string()
            .contains("has 2017/18 twice, here and in row 2"));

        let e = err(&format!(
            "{HEAD}4,,,A,2017/18,1,£\n5,,,B,2017/18,1,£\n5,,,B,2018/19,1,£\n"
        ));
        assert_eq!(at(&e), (2, Some(5), Some("Year")));
        assert_eq!(
            e.kind(),
            &ErrorKind::LongTable(LongProblem::YearMissing {
                line_row: 4,
                year: FinancialYear::find_in("2018/19").unwrap(),
            })
        );
        assert!(
            e.to_string().contains("row 4 has no row for 2018/19"),
            "{e}"
        );

        let e = err(&format!(
            "{HEAD}4,,,A,2017/18,1,£m\n4,,,A,2018/19,1,£'000\n"
        ));
        assert_eq!(at(&e), (3, Some(7), Some("Unit")));
        assert!(e.to_string().contains("£'000 here but £m in row 2"), "{e}");

        let e = err(&format!("{HEAD}4,,,A,someday,1,£\n"));
        assert_eq!(at(&e), (2, Some(5), Some("Year")));

        let e = err(&format!("{HEAD}4,,,A,2017/18,1,£\n4,,,B,2018/19,1,£\n"));
        assert_eq!(at(&e), (3, Some(4), Some("Line")));
    }

    #[test]
    fn header_only_is_an_empty_schedule() {
        let i = imp(HEAD).unwrap();
        assert!(i.schedule.lines.is_empty());
        assert!(i.schedule.years.is_empty());
        assert_eq!(i.schedule.unit, Unit::Pounds);
        assert!(!i.unit_stated);
    }
}
