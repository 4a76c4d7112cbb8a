//! The arithmetic map as plain data: the identities found with every check, the counts, the
//! broken figures with their sentences, and the roles of rows and columns, for the page and the
//! CSV/JSON exports. `report` builds it; `roles` names the roles.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::verify::{Axis, Shape, Status};

/// How many checks were confirmed, classed rounding, or broken. In an [`Identity`], per check;
/// in the [`ArithmeticMap`], per published figure (a cell two identities derive counts once, at
/// its worst status).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub confirmed: usize,
    pub rounding: usize,
    pub broken: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, s: Status) {
        match s {
            Status::Confirmed => self.confirmed += 1,
            Status::Rounding => self.rounding += 1,
            Status::Broken => self.broken += 1,
        }
    }
}

/// One term of an identity: a file row (row identities) or a 0-based file column (column
/// identities), added or subtracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub index: usize,
    pub sign: i8,
}

/// One published figure checked against its identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellCheck {
    /// File row, 1-based.
    pub row: usize,
    /// File column, 0-based.
    pub column: usize,
    /// `H12`.
    pub cell: String,
    pub published: Decimal,
    pub computed: Decimal,
    /// published − computed.
    pub difference: Decimal,
    /// The rounding the published figure and its terms can hide together.
    pub tolerance: Decimal,
    pub status: Status,
}

/// An identity the table keeps: its target equals its terms as signed, cell by cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub axis: Axis,
    pub shape: Shape,
    /// File row (row identity) or 0-based file column (column identity).
    pub target: usize,
    pub terms: Vec<Term>,
    /// "row 10 = row 5 − row 9, all 6 columns"; "column H = columns C–G, all 64 rows".
    pub description: String,
    pub checks: Vec<CellCheck>,
    pub counts: Counts,
}

/// A broken figure, with a sentence saying why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broken {
    /// Index into [`ArithmeticMap::identities`].
    pub identity: usize,
    pub check: CellCheck,
    /// "published 312,000; the other 11 rows of this column are Benefit + Cost, which gives
    /// 405,500 here".
    pub sentence: String,
}

/// What a row is, by the arithmetic (labels only as hints).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RowRole {
    /// A figure no identity derives.
    Line,
    Heading,
    /// The sum of the contiguous block above it.
    Subtotal,
    /// The sum of all lines above, or of every k-th row (a summary).
    Total,
    /// The sum of two to four rows of opposite signs (net = investment + gross saving).
    Net,
    /// The sum of two to four rows.
    Sum,
    /// One row minus others (gap = budget − funding).
    Difference,
    /// The change of another row from the previous year (annual from cumulative).
    Change,
    /// The running sum of another row.
    RunningSum,
}

/// The funding-gap roles the arithmetic gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GapRole {
    /// The gap before reserves: a derived row from which reserves are taken, or a requirement
    /// minus its funding (carried down through rows that add savings to it).
    BeforeReserves,
    /// A reserve used (a line subtracted from the gap, or a line of the total reserves).
    Reserve,
    /// The subtotal of the reserves used.
    TotalReserves,
    /// The gap before reserves minus the reserves.
    AfterReserves,
    /// The year-on-year change of the gap after reserves (the annual requirement).
    AnnualAfterReserves,
    /// The year-on-year change of the gap before reserves.
    AnnualBeforeReserves,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowEntry {
    pub row: usize,
    pub label: String,
    pub role: RowRole,
    pub gap: Option<GapRole>,
    /// The earlier row this one withdraws (same label, every figure negated).
    pub reverses: Option<usize>,
}

/// What a column is, by the arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnRole {
    Figures,
    /// The sum of a group of columns.
    Total,
    /// The sum of columns of opposite signs (net = benefit + cost).
    Net,
    /// One column minus another, headed as a variance.
    Variance,
    /// One column minus others.
    Difference,
    /// A sum of columns.
    Sum,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnEntry {
    pub column: usize,
    pub letter: String,
    pub heading: String,
    pub role: ColumnRole,
}

/// Which way a published variance runs, from the identity that holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum VarianceSense {
    ForecastMinusTarget,
    TargetMinusForecast,
}

/// The sign convention of a file's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Convention {
    /// Costs positive, savings negative (in brackets): a forecast below target is favourable.
    CostsPositive,
    /// Benefits (savings) positive: a forecast above target is favourable.
    BenefitsPositive,
    /// The heading does not say which variances are favourable.
    Unstated,
}

/// A monitoring table's variance column and the convention under which it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VarianceSign {
    pub variance: usize,
    pub forecast: usize,
    pub target: usize,
    pub sense: VarianceSense,
    /// True when the heading puts favourable variances in brackets (`(Favourable) / Adverse`),
    /// false when adverse ones, `None` when it says neither.
    pub favourable_in_brackets: Option<bool>,
    pub convention: Convention,
}

/// Everything the arithmetic says about one table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArithmeticMap {
    pub header_row: usize,
    /// The table's last row with figures (file row, 1-based): with `header_row`, where the
    /// table stands in its file.
    #[serde(default)]
    pub last_row: usize,
    /// True for the map of a table's columns of counts (FTE, posts, headcount): never money.
    #[serde(default)]
    pub not_money: bool,
    pub unit: Option<String>,
    /// Column identities first (left to right), then row identities (top to bottom).
    pub identities: Vec<Identity>,
    pub counts: Counts,
    /// Every broken figure, in the order of the identities.
    pub broken: Vec<Broken>,
    pub rows: Vec<RowEntry>,
    pub columns: Vec<ColumnEntry>,
    pub variance: Option<VarianceSign>,
    /// Rows labelled as totals that no identity explains.
    pub unexplained: Vec<usize>,
    /// True when the table was too big for more than blocks and line totals.
    pub bounded: bool,
}

/// The header of [`ArithmeticMap::to_csv_rows`].
pub const CSV_HEADER: [&str; 10] = [
    "status",
    "cell",
    "row",
    "column",
    "published",
    "computed",
    "difference",
    "tolerance",
    "identity",
    "note",
];

impl ArithmeticMap {
    /// The checks as CSV rows (without the header, [`CSV_HEADER`]): broken ones first, with
    /// their sentence, then every other check.
    pub fn to_csv_rows(&self) -> Vec<Vec<String>> {
        let row = |c: &CellCheck, id: &Identity, note: &str| {
            vec![
                format!("{:?}", c.status).to_lowercase(),
                c.cell.clone(),
                c.row.to_string(),
                super::table::column_letter(c.column),
                c.published.to_string(),
                c.computed.to_string(),
                c.difference.to_string(),
                c.tolerance.to_string(),
                id.description.clone(),
                note.to_string(),
            ]
        };
        let mut out = Vec::new();
        for b in &self.broken {
            if let Some(id) = self.identities.get(b.identity) {
                out.push(row(&b.check, id, &b.sentence));
            }
        }
        for id in &self.identities {
            for c in id.checks.iter().filter(|c| c.status != Status::Broken) {
                out.push(row(c, id, ""));
            }
        }
        out
    }

    /// What the arithmetic says of one file row, for an export's row: the identity that
    /// derives it, how many of its figures were confirmed, classed rounding or broken (by any
    /// identity: a row's own and its columns'), and each broken figure's sentence. Empty when
    /// no identity checks a figure of the row.
    ///
    /// ```
    /// use gapwise::engine::arithmetic::map_grid;
    /// let grid: Vec<Vec<String>> = "Line,2024/25,2025/26,2026/27,2027/28\n,£m,£m,£m,£m\n\
    ///     Budget,10.500,11.000,11.400,11.900\nFunding,9.000,9.250,9.500,9.700\n\
    ///     Gap,1.500,1.850,1.900,2.200"
    ///     .lines().map(|l| l.split(',').map(str::to_string).collect()).collect();
    /// let map = map_grid(&grid).unwrap();
    /// assert!(map.row_note(5).starts_with("row 5 = row 3 − row 4"));
    /// assert!(map.row_note(5).contains("1 broken: C5 published 1.850"));
    /// assert_eq!(map.row_note(3), "");
    /// ```
    pub fn row_note(&self, row: usize) -> String {
        let mut worst: Vec<(&str, Status)> = Vec::new();
        for c in self.identities.iter().flat_map(|i| &i.checks) {
            if c.row != row {
                continue;
            }
            match worst.iter_mut().find(|(cell, _)| *cell == c.cell) {
                Some((_, s)) if c.status > *s => *s = c.status,
                Some(_) => {}
                None => worst.push((&c.cell, c.status)),
            }
        }
        if worst.is_empty() {
            return String::new();
        }
        let mut counts = Counts::default();
        worst.iter().for_each(|(_, s)| counts.add(*s));
        let mut parts = Vec::new();
        if let Some(id) = self.row_identity(row) {
            parts.push(id.description.clone());
        }
        let mut tally = vec![format!("{} confirmed", counts.confirmed)];
        if counts.rounding > 0 {
            tally.push(format!("{} rounding", counts.rounding));
        }
        if counts.broken > 0 {
            let sentences: Vec<String> = self
                .broken
                .iter()
                .filter(|b| b.check.row == row)
                .map(|b| format!("{} {}", b.check.cell, b.sentence))
                .collect();
            tally.push(format!(
                "{} broken: {}",
                counts.broken,
                sentences.join("; ")
            ));
        }
        parts.push(tally.join(", "));
        parts.join("; ")
    }

    /// The role of the row with this file number.
    pub fn row_role(&self, row: usize) -> Option<&RowEntry> {
        self.rows.iter().find(|r| r.row == row)
    }

    /// The identity whose target is this file row (row identities).
    pub fn row_identity(&self, row: usize) -> Option<&Identity> {
        self.identities
            .iter()
            .find(|i| i.axis == Axis::Row && i.target == row)
    }

    /// The identity whose target is this 0-based file column.
    pub fn column_identity(&self, column: usize) -> Option<&Identity> {
        self.identities
            .iter()
            .find(|i| i.axis == Axis::Column && i.target == column)
    }
}
