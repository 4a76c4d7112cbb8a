//! The arithmetic map of a published table (issue 15): every identity its figures keep, within
//! the rounding of the figures as shown, and every figure that breaks one.
//!
//! This module owns reading a table's arithmetic, not its labels: which rows are subtotals,
//! totals, differences (gaps), nets, year-on-year changes or running sums of other rows; which
//! columns are totals over the years, nets (benefit + cost) or variances (forecast − target, in
//! the sign convention under which it holds); and, for each derived figure, whether it is
//! **confirmed** (exact), **rounding** (within what the shown figures can hide) or **broken**
//! (an error). Labels are hints, never the judge.
//!
//! - [`read_table`]: a raw grid → a [`Table`] (header, unit row, label and figure columns,
//!   headings, repeated headers; FTE, %, RAG and posts columns are not money).
//! - [`arithmetic_map`]: a [`Table`] → an [`ArithmeticMap`] (identities with their checks,
//!   counts, broken figures first with a sentence, row and column roles, the variance
//!   convention), plain data for the page and the CSV/JSON exports ([`ArithmeticMap::to_csv_rows`]).
//!
//! The rounding rule is in `grid`, the rule for "broken" against "no identity" in `verify`,
//! the search in `columns` and `rows` (bounded: every rule on tables of up to 300 rows, only
//! blocks and line totals, in linear time, on bigger ones). Amounts are exact: `Decimal` in
//! and out, `i128` counts of the table's smallest shown unit inside; no binary floating point.
//!
//! It depends on nothing in the engine but `number`, `problem::column_letters` and
//! `units::not_money` (the `use` lines below).

mod columns;
mod grid;
mod map;
mod percent;
mod report;
mod roles;
mod rows;
mod table;
mod verify;

pub(crate) use crate::engine::model::number::{format_amount, parse_amount, Amount, NoFigure};
pub(crate) use crate::engine::model::problem::column_letters;
pub use crate::engine::model::units::not_money;

pub use map::{
    ArithmeticMap, Broken, CellCheck, ColumnEntry, ColumnRole, Convention, Counts, GapRole,
    Identity, RowEntry, RowRole, Term, VarianceSense, VarianceSign, CSV_HEADER,
};
pub use table::{
    column_letter, read_table, read_tables, read_tables_with_counts, Cell, Column, NilKind,
    PercentColumn, Row, RowKind, Table,
};
pub use verify::{hint, Axis, Shape, Status};

/// The arithmetic map of a table.
///
/// ```
/// use gapwise::engine::arithmetic::{map_grid, Status};
/// let grid: Vec<Vec<String>> = "Line,2024/25,2025/26\n,£m,£m\nBudget,10.500,11.000\n\
///     Funding,9.000,9.250\nGap,1.500,1.750"
///     .lines().map(|l| l.split(',').map(str::to_string).collect()).collect();
/// let map = map_grid(&grid).unwrap();
/// assert_eq!(map.identities[0].description, "row 5 = row 3 − row 4, all 2 columns");
/// assert_eq!(map.counts.confirmed, 2);
/// ```
pub fn arithmetic_map(table: &Table) -> ArithmeticMap {
    map_with(table, false)
}

/// The map; `structural`: only subtotals, totals, strided sums and column groups, no signed
/// combination, change or running sum (for columns of small counts, where those agree by chance).
fn map_with(table: &Table, structural: bool) -> ArithmeticMap {
    let g = grid::Grid::new(table);
    let (col_found, col_derived) = columns::find_columns(&g, table, structural);
    let row_found = rows::find_rows(&g, table, &col_derived, structural);
    let mut map = report::build(table, &g, &col_found, &row_found, g.rows > rows::SMALL);
    percent::check(table, &g, &mut map);
    map
}

/// [`read_table`] then [`arithmetic_map`]: the grid as one table.
pub fn map_grid(rows: &[Vec<String>]) -> Option<ArithmeticMap> {
    read_table(rows).map(|t| arithmetic_map(&t))
}

/// [`read_tables`] then [`arithmetic_map`] of each: one map per table of the file, no identity
/// across tables (domain.md "The arithmetic map", "Several tables in one file"). Empty when the
/// grid has no table; one map, the same as [`map_grid`]'s, when it has one.
///
/// A table's columns of counts (FTE, posts, headcount) are mapped on their own, right after
/// it, marked [`ArithmeticMap::not_money`], when they keep any identity.
pub fn map_tables(rows: &[Vec<String>]) -> Vec<ArithmeticMap> {
    let mut maps = Vec::new();
    for (table, counts) in read_tables_with_counts(rows) {
        maps.push(arithmetic_map(&table));
        if let Some(counts) = counts {
            // Counts are small whole numbers: only sums of blocks and groups are looked for.
            let mut m = map_with(&counts, true);
            if !m.identities.is_empty() {
                m.not_money = true;
                maps.push(m);
            }
        }
    }
    maps
}

/// The counts of several maps together (a file's tables).
pub fn total_counts(maps: &[ArithmeticMap]) -> Counts {
    maps.iter().fold(Counts::default(), |mut all, m| {
        all.confirmed += m.counts.confirmed;
        all.rounding += m.counts.rounding;
        all.broken += m.counts.broken;
        all
    })
}
