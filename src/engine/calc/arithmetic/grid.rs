//! The table's figures as exact integers for the search, and the rounding each cell can hide.
//!
//! Every figure is held as an `i128` count of 10^-Q (Q = the most places the table shows,
//! plus one), so sums are exact and fast and a half unit is a whole number. The rounding rule
//! (issue 15, "Rounding, precisely"):
//! - the precision of a row (a column) is the most decimal places its figures show;
//! - a cell is shown to the **coarser** of its row's and its column's precision (a figure cannot
//!   be assumed finer than both of its neighbours), or to its own places when it shows more;
//!   a row or column with no figure takes the other's precision, and a cell with neither takes
//!   the table's;
//! - a nil (`-`, blank, `0`) is shown to that same precision, never to a whole unit: in a table
//!   of £m to three places a `-` hides at most 0.0005;
//! - the rounding a cell can hide is half a unit of its last shown place.

use rust_decimal::{Decimal, RoundingStrategy};

use super::table::{Cell, RowKind, Table};

/// What a cell contributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// A written figure or nil (`-`, `0`): a claim and a term.
    Written,
    /// Blank: zero as a term, no claim as a target.
    Blank,
    /// No figure or text: neither.
    Missing,
}

pub(crate) struct Grid {
    pub rows: usize,
    pub cols: usize,
    /// Q: the integers count units of 10^-Q.
    pub scale: u32,
    pub val: Vec<i128>,
    pub half: Vec<i128>,
    pub state: Vec<State>,
    /// The places each cell is shown to (for writing figures back).
    pub places: Vec<u32>,
    pub heading: Vec<bool>,
}

fn pow10(n: u32) -> i128 {
    10i128.pow(n.min(30))
}

impl Grid {
    pub fn new(table: &Table) -> Grid {
        let rows = table.rows.len();
        let cols = table.columns.len();
        let fig_places = |cell: &Cell| match cell {
            Cell::Figure { places, .. } => Some((*places).min(10)),
            _ => None,
        };
        let mut row_p = vec![None::<u32>; rows];
        let mut col_p = vec![None::<u32>; cols];
        let mut table_p = None::<u32>;
        for (r, row) in table.rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate().take(cols) {
                if let Some(p) = fig_places(cell) {
                    row_p[r] = Some(row_p[r].map_or(p, |q| q.max(p)));
                    col_p[c] = Some(col_p[c].map_or(p, |q| q.max(p)));
                    table_p = Some(table_p.map_or(p, |q| q.max(p)));
                }
            }
        }
        let scale = table_p.unwrap_or(0) + 1;
        let n = rows * cols;
        let mut g = Grid {
            rows,
            cols,
            scale,
            val: vec![0; n],
            half: vec![0; n],
            state: vec![State::Missing; n],
            places: vec![0; n],
            heading: table
                .rows
                .iter()
                .map(|r| r.kind == RowKind::Heading)
                .collect(),
        };
        for (r, row) in table.rows.iter().enumerate() {
            for (c, &cp) in col_p.iter().enumerate() {
                let cell = row.cells.get(c).unwrap_or(&Cell::NoFigure);
                let context = match (row_p[r], cp) {
                    (Some(a), Some(b)) => a.min(b),
                    (Some(a), None) | (None, Some(a)) => a,
                    (None, None) => table_p.unwrap_or(0),
                };
                let i = r * cols + c;
                let (value, places, state) = match cell {
                    Cell::Figure { value, places } => {
                        let p = (*places).min(10);
                        let v = value.mantissa() * pow10(scale - p);
                        (v, p.max(context), State::Written)
                    }
                    Cell::Nil { kind } => (
                        0,
                        context,
                        if *kind == super::table::NilKind::Blank {
                            State::Blank
                        } else {
                            State::Written
                        },
                    ),
                    Cell::NoFigure | Cell::Text(_) => (0, context, State::Missing),
                };
                g.val[i] = value;
                g.places[i] = places;
                g.half[i] = 5 * pow10(scale - 1 - places.min(scale - 1));
                g.state[i] = state;
            }
        }
        g
    }

    #[inline]
    pub fn at(&self, r: usize, c: usize) -> usize {
        r * self.cols + c
    }

    /// An integer count of 10^-Q as an exact decimal.
    pub fn decimal(&self, v: i128) -> Decimal {
        let mut v = v;
        let mut s = self.scale;
        loop {
            if let Ok(d) = Decimal::try_from_i128_with_scale(v, s) {
                return d;
            }
            if s == 0 {
                return if v < 0 { Decimal::MIN } else { Decimal::MAX };
            }
            v /= 10;
            s -= 1;
        }
    }

    /// A figure rounded to `places` for display: exact sums of shown figures never need it.
    pub fn shown(&self, v: i128, places: u32) -> Decimal {
        let mut d = self
            .decimal(v)
            .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        d.rescale(places);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::super::table::read_table;
    use super::*;

    fn grid(text: &str) -> Grid {
        let rows: Vec<Vec<String>> = text
            .lines()
            .map(|l| l.split('|').map(str::to_string).collect())
            .collect();
        Grid::new(&read_table(&rows).unwrap())
    }

    #[test]
    fn a_dash_in_a_three_place_table_hides_half_a_thousandth() {
        let g = grid("L|A|B\nx|1.234|-\ny|2.000|0\nz|||");
        assert_eq!(g.scale, 4);
        assert_eq!(g.val[g.at(0, 0)], 12340);
        // `-` and `0`: shown to 3 places, so they hide 0.0005 = 5 units of 10^-4.
        assert_eq!(g.half[g.at(0, 1)], 5);
        assert_eq!(g.half[g.at(1, 1)], 5);
        assert_eq!(g.state[g.at(0, 1)], State::Written);
        assert_eq!(g.decimal(-12345), Decimal::new(-12345, 4));
        assert_eq!(g.shown(12340, 3), Decimal::new(1234, 3));
    }

    #[test]
    fn whole_numbers_hide_half_a_unit() {
        let g = grid("L|A|B\nx|4,000|-\ny|(47)|219");
        assert_eq!(g.scale, 1);
        assert_eq!(g.half[g.at(0, 1)], 5);
        assert_eq!(g.val[g.at(1, 0)], -470);
    }

    #[test]
    fn the_coarser_of_row_and_column_applies() {
        // Row y is shown to 0 places, column B to 2: its nil takes 0 places (the coarser).
        let g = grid("L|A|B\nx|1|1.25\ny|3|-");
        assert_eq!(g.places[g.at(1, 1)], 0);
        assert_eq!(g.places[g.at(0, 0)], 0);
        assert_eq!(g.places[g.at(0, 1)], 2);
    }
}
