//! A published table as the arithmetic map reads it: rows with labels, figure columns, and each
//! cell as a figure with the places it was shown to, a nil (`-`, blank, `0`), "no figure", or text.
//!
//! [`read_table`] finds the table in a raw grid (the header row, a unit row, the label and
//! figure columns, heading rows and repeated header rows). It never fails on odd input: a grid
//! without a header or without a figure column gives `None`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{parse_amount, Amount, NoFigure};

/// Why a cell reads as nil: the three ways a table shows "nothing here".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NilKind {
    /// `-` (or `–`, `—`, `−`).
    Dash,
    /// An empty cell.
    Blank,
    /// `0` written without decimals (`0.000` is a [`Cell::Figure`] shown to three places).
    Zero,
}

/// One cell of a figure column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Cell {
    /// A published figure and the decimal places it was shown with (`(1,435.0)`: −1435.0, 1).
    Figure { value: Decimal, places: u32 },
    /// Nil: a `-`, a blank or a bare `0`. It counts as zero, shown to the precision of its
    /// row and column (see `grid`), never to a whole unit.
    Nil { kind: NilKind },
    /// `N/A`, `TBC` or an unreadable spreadsheet value: no figure, never silently zero.
    NoFigure,
    /// Text in a figure column (a transcription fault, or a note).
    Text(String),
}

impl Cell {
    /// Reads one cell as published (see `number::parse_amount`). A figure with its own
    /// magnitude (`£1.374m`) is not in the table's unit, so it is kept as text.
    pub fn parse(text: &str) -> Cell {
        let t = text.trim();
        if t.is_empty() {
            return Cell::Nil {
                kind: NilKind::Blank,
            };
        }
        if matches!(t, "-" | "–" | "—" | "−" | "£-" | "£ -") {
            return Cell::Nil {
                kind: NilKind::Dash,
            };
        }
        match parse_amount(t) {
            Ok(p) if p.magnitude.is_none() => match p.amount {
                Amount::Figure(v) if v.is_zero() && v.scale() == 0 => Cell::Nil {
                    kind: NilKind::Zero,
                },
                Amount::Figure(v) => Cell::Figure {
                    value: v,
                    places: v.scale(),
                },
                Amount::Blank => Cell::Nil {
                    kind: NilKind::Blank,
                },
                Amount::NoFigure(NoFigure::NotApplicable | NoFigure::ToBeConfirmed) => {
                    Cell::NoFigure
                }
                Amount::NoFigure(NoFigure::Unreadable) => Cell::NoFigure,
            },
            _ => Cell::Text(t.to_string()),
        }
    }

    /// True for a cell that counts in a sum: a figure or a nil.
    pub fn is_amount(&self) -> bool {
        matches!(self, Cell::Figure { .. } | Cell::Nil { .. })
    }

    /// True for a written figure or a written nil (`-`, `0`): a claim. A blank is no claim.
    pub fn is_written_amount(&self) -> bool {
        match self {
            Cell::Figure { .. } => true,
            Cell::Nil { kind } => *kind != NilKind::Blank,
            _ => false,
        }
    }
}

/// What a row of the table is before any arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum RowKind {
    /// A row with figures.
    Data,
    /// A section heading: a label and no figures. Contiguous blocks stop at it.
    Heading,
}

/// One row of the table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The row's number in the file, 1-based (the header row has its real number).
    pub row: usize,
    /// The row's label: its non-empty label cells joined with " · ".
    pub label: String,
    pub kind: RowKind,
    /// One cell per figure column of the table, in the order of [`Table::columns`].
    pub cells: Vec<Cell>,
}

/// One figure column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    /// The column's index in the file, 0-based (`A` is 0).
    pub index: usize,
    /// Its spreadsheet letter (`A`, `H`, `AA`).
    pub letter: String,
    /// The header cell's text.
    pub heading: String,
}

/// A published table: figure columns and the rows under its header.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The header row's number in the file, 1-based.
    pub header_row: usize,
    /// The unit row's text (`£'000`, `£m`), if there is one.
    pub unit: Option<String>,
    /// The file columns (0-based) the labels are read from.
    pub label_columns: Vec<usize>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Rows repeating the header (not lines, not boundaries): their file numbers.
    pub repeated_headers: Vec<usize>,
}

/// The spreadsheet letters of a 0-based column index (`0` → `A`, `27` → `AB`): the engine's
/// [`column_letters`](crate::engine::model::problem::column_letters), which counts from 1.
pub fn column_letter(index: usize) -> String {
    super::column_letters(index + 1)
}

/// Headings of columns that are not money even when their cells are numbers.
const NOT_MONEY: [&str; 9] = [
    "fte",
    "%",
    "rag",
    "posts",
    "percent",
    "headcount",
    "ref",
    "reference",
    "code",
];

fn not_money(heading: &str) -> bool {
    let h = heading.to_lowercase();
    h.split(|c: char| !c.is_alphanumeric() && c != '%')
        .any(|w| NOT_MONEY.contains(&w))
        || h.contains('%')
}

fn is_unit(text: &str) -> bool {
    let t = text.trim().to_lowercase().replace(['\'', '’', ' '], "");
    matches!(
        t.as_str(),
        "£" | "£000" | "£000s" | "£k" | "£m" | "£million" | "£millions" | "£bn" | "£s" | "£000's"
    )
}

/// Reads the table in a raw grid (rows of cells as text). `None` when no header row is found
/// in the first 50 rows or no column holds mostly amounts.
///
/// The header is the first row with at least two non-empty cells whose first non-empty cell is
/// not an amount. A row right under it whose cells are all units (`£'000`, `£m`) is the unit
/// row. A figure column is one whose non-empty cells under the header are mostly amounts and
/// include at least one figure, unless its heading says it is not money (`FTE`, `%`, `RAG`,
/// `posts`, `Ref`). Label columns are the other columns left of the first figure column (all
/// non-figure columns when there are none). A row with no amount in any figure column is a
/// heading; a row equal to the header is a repeated header.
pub fn read_table(rows: &[Vec<String>]) -> Option<Table> {
    let header_at = rows.iter().take(50).position(|r| {
        let filled: Vec<&String> = r.iter().filter(|c| !c.trim().is_empty()).collect();
        filled.len() >= 2 && !Cell::parse(filled[0]).is_amount()
    })?;
    let header = &rows[header_at];
    let width = rows.iter().map(Vec::len).max().unwrap_or(0).min(1024);
    fn cell(r: &[String], c: usize) -> &str {
        r.get(c).map(|s| s.trim()).unwrap_or("")
    }
    let mut start = header_at + 1;
    let mut unit = None;
    if let Some(r) = rows.get(start) {
        let filled: Vec<&str> = r
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if !filled.is_empty() && filled.iter().all(|s| is_unit(s)) {
            unit = Some(filled[0].to_string());
            start += 1;
        }
    }
    let is_header_again = |r: &[String]| {
        (0..width).all(|c| cell(r, c).eq_ignore_ascii_case(cell(header, c)))
            && r.iter().any(|s| !s.trim().is_empty())
    };
    let body: Vec<usize> = (start..rows.len())
        .filter(|&i| !is_header_again(&rows[i]))
        .collect();
    let mut figure_cols = Vec::new();
    for c in 0..width {
        if not_money(cell(header, c)) {
            continue;
        }
        let (mut amounts, mut figures, mut other) = (0usize, 0usize, 0usize);
        for &i in &body {
            let t = cell(&rows[i], c);
            if t.is_empty() || is_unit(t) {
                continue;
            }
            match Cell::parse(t) {
                Cell::Figure { .. } => {
                    figures += 1;
                    amounts += 1
                }
                Cell::Nil { .. } => amounts += 1,
                Cell::NoFigure => {}
                Cell::Text(_) => other += 1,
            }
        }
        if figures > 0 && amounts > other {
            figure_cols.push(c);
        }
    }
    let first_fig = *figure_cols.first()?;
    let mut label_columns: Vec<usize> = (0..first_fig).collect();
    if label_columns.is_empty() {
        label_columns = (0..width).filter(|c| !figure_cols.contains(c)).collect();
    }
    let columns = figure_cols
        .iter()
        .map(|&c| Column {
            index: c,
            letter: column_letter(c),
            heading: cell(header, c).to_string(),
        })
        .collect();
    let mut table_rows = Vec::new();
    let mut repeated_headers = Vec::new();
    for (i, r) in rows.iter().enumerate().skip(start) {
        if r.iter().all(|s| s.trim().is_empty()) {
            continue;
        }
        if is_header_again(r) {
            repeated_headers.push(i + 1);
            continue;
        }
        let cells: Vec<Cell> = figure_cols
            .iter()
            .map(|&c| Cell::parse(cell(r, c)))
            .collect();
        let label = label_columns
            .iter()
            .map(|&c| cell(r, c))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
        let unit_row = figure_cols
            .iter()
            .map(|&c| cell(r, c))
            .filter(|s| !s.is_empty())
            .all(is_unit)
            && label.is_empty();
        if unit_row {
            continue;
        }
        let kind = if cells.iter().any(Cell::is_written_amount) {
            RowKind::Data
        } else {
            RowKind::Heading
        };
        table_rows.push(Row {
            row: i + 1,
            label,
            kind,
            cells,
        });
    }
    if !table_rows.iter().any(|r| r.kind == RowKind::Data) {
        return None;
    }
    Some(Table {
        header_row: header_at + 1,
        unit,
        label_columns,
        columns,
        rows: table_rows,
        repeated_headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split('|').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn cells_as_published() {
        assert_eq!(
            Cell::parse("-"),
            Cell::Nil {
                kind: NilKind::Dash
            }
        );
        assert_eq!(
            Cell::parse(" "),
            Cell::Nil {
                kind: NilKind::Blank
            }
        );
        assert_eq!(
            Cell::parse("0"),
            Cell::Nil {
                kind: NilKind::Zero
            }
        );
        assert_eq!(
            Cell::parse("0.000"),
            Cell::Figure {
                value: Decimal::new(0, 3),
                places: 3
            }
        );
        assert_eq!(
            Cell::parse("(1,435.0)"),
            Cell::Figure {
                value: Decimal::new(-14350, 1),
                places: 1
            }
        );
        assert_eq!(
            Cell::parse("-£92,753"),
            Cell::Figure {
                value: Decimal::new(-92753, 0),
                places: 0
            }
        );
        assert_eq!(Cell::parse("N/A"), Cell::NoFigure);
        assert_eq!(Cell::parse("aa"), Cell::Text("aa".into()));
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn header_unit_headings_and_money_columns() {
        let t = read_table(&grid(
            "Title|||\n\
             Line|2023/24|2024/25|FTE\n\
             |£'000|£'000|\n\
             Section A|||\n\
             A|1|-|2.5\n\
             B|3|4|1\n\
             Line|2023/24|2024/25|FTE\n\
             Total|4|4|",
        ))
        .unwrap();
        assert_eq!(t.header_row, 2);
        assert_eq!(t.unit.as_deref(), Some("£'000"));
        assert_eq!(t.columns.len(), 2);
        assert_eq!(t.rows.len(), 4);
        assert_eq!(t.rows[0].kind, RowKind::Heading);
        assert_eq!(t.repeated_headers, vec![7]);
        assert_eq!(t.rows[3].row, 8);
        assert!(read_table(&grid("a|b\nc|d")).is_none());
        assert!(read_table(&[]).is_none());
    }
}
