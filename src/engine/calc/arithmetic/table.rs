//! A published table as the arithmetic map reads it: rows with labels, figure columns, and each
//! cell as a figure with the places it was shown to, a nil (`-`, blank, `0`), "no figure", or text.
//!
//! [`read_table`] finds the table in a raw grid (the header row, a unit row, the label and
//! figure columns, heading rows and repeated header rows). It never fails on odd input: a grid
//! without a header or without a figure column gives `None`.

use rust_decimal::Decimal;
use serde::Serialize;

use super::{not_money, parse_amount, Amount, NoFigure};

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
    /// Columns of percentages: never terms of a money identity, checked as a ratio of two
    /// money columns (`percent`).
    pub percent_columns: Vec<PercentColumn>,
}

/// A column of percentages (`%` in its heading or unit cell, or cells written as `3.8%`), its
/// cells read without the `%`, one per row of [`Table::rows`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PercentColumn {
    /// The column's index in the file, 0-based.
    pub index: usize,
    pub letter: String,
    pub heading: String,
    /// The most places its figures show (a nil is shown to them).
    pub places: u32,
    pub cells: Vec<Cell>,
}

/// A heading that says percentages (`Variance %`, `Percent`, `pct`).
fn is_percent_text(text: &str) -> bool {
    let t = text.to_lowercase();
    t.contains('%')
        || t.split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "percent" | "percentage" | "pct"))
}

/// The spreadsheet letters of a 0-based column index (`0` → `A`, `27` → `AB`): the engine's
/// [`column_letters`](crate::engine::model::problem::column_letters), which counts from 1.
pub fn column_letter(index: usize) -> String {
    super::column_letters(index + 1)
}

fn is_unit(text: &str) -> bool {
    let t = text.trim().to_lowercase().replace(['\'', '’', ' '], "");
    matches!(
        t.as_str(),
        "£" | "£000" | "£000s" | "£k" | "£m" | "£million" | "£millions" | "£bn" | "£s" | "£000's"
    ) || matches!(
        t.as_str(),
        "%" | "fte" | "ftes" | "no." | "no" | "number" | "posts"
    )
}

/// True for a cell written as a percentage (`3.8%`, `-100.0 %`).
fn is_percent_cell(text: &str) -> bool {
    let t = text.trim();
    t.len() > 1 && t.ends_with('%') && Cell::parse(t.trim_end_matches('%')).is_amount()
}

/// Reads the table in a raw grid (rows of cells as text). `None` when no header row is found
/// in the first 50 rows or no column holds mostly amounts.
///
/// The header is the first row with at least two non-empty cells whose first non-empty cell is
/// not an amount. A row right under it whose cells are all units (`£'000`, `£m`, `%`) is the
/// unit row. A figure column is one whose non-empty cells under the header are mostly amounts and
/// include at least one figure, unless it is not money: its heading or its unit cell says so
/// (`FTE`, `%`, `RAG`, `posts`, `Ref`, a ratio, a count), or its cells are mostly percentages.
/// Label columns are the other columns left of the first figure column (all non-figure columns
/// when there are none). A row with no amount in any figure column is a heading; a row equal to
/// the header is a repeated header.
///
/// The whole grid is one table here; [`read_tables`] cuts a grid with several tables.
pub fn read_table(rows: &[Vec<String>]) -> Option<Table> {
    read_part(rows, 0, rows.len(), Kind::Money)
}

fn cell(r: &[String], c: usize) -> &str {
    r.get(c).map(|s| s.trim()).unwrap_or("")
}

fn is_blank(r: &[String]) -> bool {
    r.iter().all(|s| s.trim().is_empty())
}

/// The index of the first header row at or after `from` (within 50 rows), before `to`: a row
/// with at least two filled cells, the first not an amount and the others not all figures
/// (years such as `2024` or periods `1`, `2`, `3` excepted), or a unit row above the first such
/// row of figures (a one-column bridge has only `£'000` over its amounts), or else the row just
/// above the first row of a label and figures.
fn find_header(rows: &[Vec<String>], from: usize, to: usize) -> Option<usize> {
    let mut first_data = None;
    for i in (from..to.min(rows.len())).take(50) {
        let filled: Vec<&str> = rows[i]
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if is_unit_row(&rows[i]) {
            let data_follows = rows[i + 1..to.min(rows.len())]
                .iter()
                .find(|r| !is_blank(r))
                .is_some_and(|r| is_data_row(r));
            if data_follows {
                return Some(i);
            }
            continue;
        }
        if filled.len() < 2 || Cell::parse(filled[0]).is_amount() {
            continue;
        }
        if is_data_row(&rows[i]) {
            first_data.get_or_insert(i);
            continue;
        }
        return Some(i);
    }
    first_data.filter(|&d| d > from).map(|d| d - 1)
}

/// True for a row of a label and figures only, the figures not a run of headings such as years
/// (`2024`, `2025`) or periods (`1`, `2`, `3`): a line of a table, not its header.
fn is_data_row(r: &[String]) -> bool {
    let filled: Vec<&str> = r
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if filled.len() < 2 || Cell::parse(filled[0]).is_amount() {
        return false;
    }
    let rest = &filled[1..];
    let figures: Option<Vec<Decimal>> = rest
        .iter()
        .map(|t| match Cell::parse(t) {
            Cell::Figure { value, .. } => Some(value),
            Cell::Nil { .. } => Some(Decimal::ZERO),
            _ => None,
        })
        .collect();
    let Some(figures) = figures else {
        return false;
    };
    let plain = rest.iter().all(|t| t.chars().all(|c| c.is_ascii_digit()));
    let counting = figures.len() >= 2 && figures.windows(2).all(|w| w[1] - w[0] == Decimal::ONE);
    let years = figures
        .iter()
        .all(|v| *v >= Decimal::from(1990) && *v <= Decimal::from(2100));
    !(plain && (counting || years))
}

/// True for a unit row: non-empty, every filled cell a unit.
fn is_unit_row(r: &[String]) -> bool {
    let mut filled = r
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .peekable();
    filled.peek().is_some() && filled.all(is_unit)
}

/// The tables of a grid, each read on its own ([`read_table`] on its rows). A new table starts
/// where a header comes again further down: a row whose cells over the first table's figure
/// columns are all text (at least two), either followed by a unit row, or equal to the first
/// header right after a blank or heading row. A header repeated straight after figures (a
/// page break) stays a repeated header of the same table. Empty when the grid has no table.
pub fn read_tables(rows: &[Vec<String>]) -> Vec<Table> {
    read_tables_with_counts(rows)
        .into_iter()
        .map(|(t, _)| t)
        .collect()
}

/// [`read_tables`], each table with its columns of staff counts (FTE, posts, headcount, a
/// count) read as a table of their own, when it has any: they are checked by their own
/// identities, never with money (domain.md "The arithmetic map", "Columns that are not money").
pub fn read_tables_with_counts(rows: &[Vec<String>]) -> Vec<(Table, Option<Table>)> {
    let Some(first) = read_table(rows) else {
        return Vec::new();
    };
    let header = &rows[first.header_row - 1];
    let figure_cols: Vec<usize> = first.columns.iter().map(|c| c.index).collect();
    let body_from = first.header_row + usize::from(first.unit.is_some() && !is_unit_row(header));
    let mut starts = vec![first.header_row - 1];
    for i in body_from..rows.len() {
        let r = &rows[i];
        let texts = figure_cols
            .iter()
            .filter(|&&c| {
                let t = cell(r, c);
                !t.is_empty() && !is_unit(t) && !Cell::parse(t).is_amount()
            })
            .count();
        if texts < 2 || texts < figure_cols.len() {
            continue;
        }
        let next = rows[i + 1..].iter().find(|n| !is_blank(n));
        let unit_follows = next.is_some_and(|n| is_unit_row(n));
        let same = figure_cols
            .iter()
            .all(|&c| cell(r, c).eq_ignore_ascii_case(cell(header, c)));
        let after_break = i > 0 && {
            let p = &rows[i - 1];
            is_blank(p) || figure_cols.iter().all(|&c| cell(p, c).is_empty())
        };
        if unit_follows || (same && after_break) {
            starts.push(i);
        }
    }
    let mut tables = Vec::new();
    for (k, &from) in starts.iter().enumerate() {
        let to = starts.get(k + 1).copied().unwrap_or(rows.len());
        // The first table keeps any title rows above its header.
        let from = if k == 0 { 0 } else { from };
        if let Some(t) = read_part(rows, from, to, Kind::Money) {
            let counts = read_part(rows, from, to, Kind::Counts).map(|mut c| {
                c.label_columns.clone_from(&t.label_columns);
                relabel(&mut c, rows);
                c
            });
            tables.push((t, counts));
        }
    }
    tables
}

/// [`read_table`] on the rows `from..to` of the grid (file row numbers kept).
fn read_part(rows: &[Vec<String>], from: usize, to: usize, kind: Kind) -> Option<Table> {
    let to = to.min(rows.len());
    let header_at = find_header(rows, from, to)?;
    let header = &rows[header_at];
    let width = rows[from..to]
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(1024);
    let mut start = header_at + 1;
    let mut unit = None;
    let mut unit_cells: Option<&Vec<String>> = None;
    // A unit row with no header above it is the header (a one-column bridge).
    let unit_row_at = if is_unit_row(header) {
        Some(header_at)
    } else {
        Some(start).filter(|&s| s < to && rows.get(s).is_some_and(|r| is_unit_row(r)))
    };
    if let Some(r) = unit_row_at.and_then(|i| rows.get(i)) {
        if is_unit_row(r) {
            unit = r
                .iter()
                .map(|s| s.trim())
                .find(|s| !s.is_empty() && !not_money(s) && !matches!(*s, "no" | "no." | "number"))
                .or_else(|| r.iter().map(|s| s.trim()).find(|s| !s.is_empty()))
                .map(str::to_string);
            unit_cells = Some(r);
            if unit_row_at != Some(header_at) {
                start += 1;
            }
        }
    }
    let is_header_again = |r: &[String]| {
        (0..width).all(|c| cell(r, c).eq_ignore_ascii_case(cell(header, c))) && !is_blank(r)
    };
    let body: Vec<usize> = (start..to)
        .filter(|&i| !is_header_again(&rows[i]))
        .collect();
    let mut figure_cols = Vec::new();
    let mut percent_cols: Vec<usize> = Vec::new();
    for c in 0..width {
        let unit_cell = unit_cells.map_or("", |u| cell(u, c));
        let (mut amounts, mut figures, mut other, mut percents) = (0usize, 0usize, 0usize, 0usize);
        for &i in &body {
            let t = cell(&rows[i], c);
            if t.is_empty() || is_unit(t) {
                continue;
            }
            if is_percent_cell(t) {
                percents += 1;
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
        let percent_col =
            (is_percent_text(cell(header, c)) || unit_cell == "%" || percents > amounts)
                && figures + percents > 0
                && amounts + percents > other;
        if kind == Kind::Money && percent_col {
            percent_cols.push(c);
            continue;
        }
        let wanted = match kind {
            Kind::Money => {
                !not_money(cell(header, c)) && (unit_cell.is_empty() || is_money_unit(unit_cell))
            }
            Kind::Counts => is_count(cell(header, c)) || is_count(unit_cell),
        };
        if !wanted {
            continue;
        }
        if figures > 0 && amounts > other && amounts >= percents {
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
    let mut percent_cells: Vec<Vec<Cell>> = Vec::new();
    let mut repeated_headers = Vec::new();
    for (i, r) in rows.iter().enumerate().take(to).skip(start) {
        if is_blank(r) {
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
        percent_cells.push(
            percent_cols
                .iter()
                .map(|&c| Cell::parse(cell(r, c).trim_end_matches('%')))
                .collect::<Vec<Cell>>(),
        );
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
    let percent_columns = percent_cols
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let cells: Vec<Cell> = percent_cells.iter().map(|r| r[k].clone()).collect();
            let places = cells
                .iter()
                .filter_map(|x| match x {
                    Cell::Figure { places, .. } => Some(*places),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            PercentColumn {
                index: c,
                letter: column_letter(c),
                heading: cell(header, c).to_string(),
                places,
                cells,
            }
        })
        .collect();
    Some(Table {
        header_row: header_at + 1,
        unit,
        label_columns,
        columns,
        rows: table_rows,
        repeated_headers,
        percent_columns,
    })
}

/// Which columns a part of the grid is read for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Amounts of money (every column not set aside by [`not_money`]).
    Money,
    /// Counts of staff or things (FTE, posts, headcount, a count, `No.`): summed among
    /// themselves only. Percentages, ratios, references and RAG ratings are in neither.
    Counts,
}

/// A heading or unit cell of a column of counts (`FTE 2024/25`, `Posts`, `No.`).
fn is_count(text: &str) -> bool {
    let t = text.to_lowercase();
    !t.contains('%')
        && (t.split(|c: char| !c.is_alphanumeric()).any(|w| {
            matches!(
                w,
                "fte" | "ftes" | "posts" | "headcount" | "count" | "counts"
            )
        }) || matches!(t.trim(), "no." | "no" | "number"))
}

/// The labels of a counts table's rows from the label columns it was given.
fn relabel(t: &mut Table, rows: &[Vec<String>]) {
    for r in &mut t.rows {
        r.label = t
            .label_columns
            .iter()
            .map(|&c| cell(&rows[r.row - 1], c))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ");
    }
}

/// A unit cell that says money (`£'000`, `£m`), as against `%`, `FTE` or `No.`.
fn is_money_unit(text: &str) -> bool {
    is_unit(text)
        && !not_money(text)
        && !matches!(
            text.trim().to_lowercase().as_str(),
            "no" | "no." | "number" | "posts"
        )
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
