//! The arithmetic map: the identities found, every check, the roles they give, as plain data
//! for the page and the CSV/JSON exports.

use rust_decimal::Decimal;
use serde::Serialize;

use super::format_amount;
use super::grid::Grid;
use super::rows::Found;
use super::table::Table;
use super::verify::{Axis, Shape, Status};

/// How many checks were confirmed, classed rounding, or broken.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub confirmed: usize,
    pub rounding: usize,
    pub broken: usize,
}

impl Counts {
    fn add(&mut self, s: Status) {
        match s {
            Status::Confirmed => self.confirmed += 1,
            Status::Rounding => self.rounding += 1,
            Status::Broken => self.broken += 1,
        }
    }
}

/// One term of an identity: a file row (row identities) or a 0-based file column (column
/// identities), added or subtracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Term {
    pub index: usize,
    pub sign: i8,
}

/// One published figure checked against its identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// Index into [`ArithmeticMap::identities`].
    pub identity: usize,
    pub check: CellCheck,
    /// "published 312,000; the other 11 rows of this column are Benefit + Cost, which gives
    /// 405,500 here".
    pub sentence: String,
}

/// What a row is, by the arithmetic (labels only as hints).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum GapRole {
    /// A derived row from which reserves are taken.
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowEntry {
    pub row: usize,
    pub label: String,
    pub role: RowRole,
    pub gap: Option<GapRole>,
    /// The earlier row this one withdraws (same label, every figure negated).
    pub reverses: Option<usize>,
}

/// What a column is, by the arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnEntry {
    pub column: usize,
    pub letter: String,
    pub heading: String,
    pub role: ColumnRole,
}

/// Which way a published variance runs, from the identity that holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum VarianceSense {
    ForecastMinusTarget,
    TargetMinusForecast,
}

/// The sign convention of a file's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Convention {
    /// Costs positive, savings negative (in brackets): a forecast below target is favourable.
    CostsPositive,
    /// Benefits (savings) positive: a forecast above target is favourable.
    BenefitsPositive,
    /// The heading does not say which variances are favourable.
    Unstated,
}

/// A monitoring table's variance column and the convention under which it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ArithmeticMap {
    pub header_row: usize,
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

/// "1st", "2nd", "3rd", "4th".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Writes numbered items compactly: runs of added items as `3–7, 9` (`rows 3–7, 9`), signed
/// items one by one (`row 8 − row 3`).
fn list(items: &[(String, usize, i8)], noun: &str, nouns: &str) -> String {
    if items.len() >= 2 && items.iter().all(|(_, _, s)| *s > 0) {
        let mut parts: Vec<String> = Vec::new();
        let mut i = 0;
        while i < items.len() {
            let mut j = i;
            while j + 1 < items.len() && items[j + 1].1 == items[j].1 + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => items[i].0.clone(),
                1 => format!("{}, {}", items[i].0, items[j].0),
                _ => format!("{}–{}", items[i].0, items[j].0),
            });
            i = j + 1;
        }
        if parts.len() > 6 {
            let n = parts.len();
            return format!(
                "{nouns} {}, …, {} ({} {nouns})",
                parts[..3].join(", "),
                parts[n - 1],
                items.len()
            );
        }
        return format!("{nouns} {}", parts.join(", "));
    }
    let mut s = String::new();
    for (i, (name, _, sign)) in items.iter().enumerate() {
        if i == 0 {
            if *sign < 0 {
                s.push('−');
            }
        } else {
            s.push_str(if *sign < 0 { " − " } else { " + " });
        }
        s.push_str(noun);
        s.push(' ');
        s.push_str(name);
    }
    s
}

pub(crate) fn build(
    table: &Table,
    g: &Grid,
    col_found: &[Found],
    row_found: &[Found],
    bounded: bool,
) -> ArithmeticMap {
    let places = g.scale.saturating_sub(1);
    let mut map = ArithmeticMap {
        header_row: table.header_row,
        unit: table.unit.clone(),
        bounded,
        ..ArithmeticMap::default()
    };
    let col_name = |c: usize| {
        table
            .columns
            .get(c)
            .map(|x| x.letter.clone())
            .unwrap_or_default()
    };
    let file_row = |r: usize| table.rows.get(r).map(|x| x.row).unwrap_or(0);
    let amount = |v: Decimal| format_amount(v, places);
    for f in col_found.iter().chain(row_found) {
        let c = &f.cand;
        let (target_name, items, noun, nouns, cross_noun) = match c.axis {
            Axis::Column => (
                format!("column {}", col_name(c.target)),
                c.terms
                    .iter()
                    .map(|&(t, s)| (col_name(t), t, s))
                    .collect::<Vec<_>>(),
                "column",
                "columns",
                "rows",
            ),
            Axis::Row => (
                format!("row {}", file_row(c.target)),
                c.terms
                    .iter()
                    .map(|&(t, s)| (file_row(t).to_string(), file_row(t), s))
                    .collect::<Vec<_>>(),
                "row",
                "rows",
                "columns",
            ),
        };
        let formula = match c.shape {
            Shape::Change => format!("the change of row {} from the previous year", items[0].0),
            Shape::RunningSum => format!("the running sum of row {}", items[0].0),
            Shape::LinesAbove => format!("{} (all lines above)", list(&items, noun, nouns)),
            Shape::Strided { step } => {
                format!(
                    "{} (every {} row)",
                    list(&items, noun, nouns),
                    ordinal(step)
                )
            }
            _ => list(&items, noun, nouns),
        };
        let n = f.outcome.evals.len();
        let held = n - f.outcome.broken;
        let extent = if f.outcome.broken == 0 {
            format!("all {n} {cross_noun}")
        } else {
            format!("{held} of {n} {cross_noun}, {} broken", f.outcome.broken)
        };
        let description = format!("{target_name} = {formula}, {extent}");
        let mut counts = Counts::default();
        let mut checks = Vec::with_capacity(n);
        for e in &f.outcome.evals {
            let (r, col) = match c.axis {
                Axis::Row => (c.target, e.cross),
                Axis::Column => (e.cross, c.target),
            };
            let fc = table.columns.get(col).map(|x| x.index).unwrap_or(0);
            let fr = file_row(r);
            let published = g.shown(e.published, places);
            let computed = g.shown(e.computed, places);
            let tolerance = g.decimal(e.tol).normalize();
            counts.add(e.status);
            checks.push(CellCheck {
                row: fr,
                column: fc,
                cell: format!("{}{}", super::table::column_letter(fc), fr),
                published,
                computed,
                difference: g.shown(e.published.saturating_sub(e.computed), places),
                tolerance,
                status: e.status,
            });
        }
        let index = map.identities.len();
        let terms_words = match (c.axis, c.shape) {
            (Axis::Column, _) => {
                let heads: Vec<String> = c
                    .terms
                    .iter()
                    .enumerate()
                    .map(|(i, &(t, s))| {
                        let h = table.columns.get(t).map(|x| x.heading.trim()).unwrap_or("");
                        let h = if h.is_empty() {
                            format!("column {}", col_name(t))
                        } else {
                            h.to_string()
                        };
                        match (i, s < 0) {
                            (0, false) => h,
                            (0, true) => format!("−{h}"),
                            (_, false) => format!(" + {h}"),
                            (_, true) => format!(" − {h}"),
                        }
                    })
                    .collect();
                if c.terms.len() <= 4 {
                    heads.concat()
                } else {
                    formula.clone()
                }
            }
            _ => formula.clone(),
        };
        for check in checks.iter().filter(|k| k.status == Status::Broken) {
            let others = held;
            let place = match c.axis {
                Axis::Column => "rows of this column",
                Axis::Row => "columns of this row",
            };
            let sentence = format!(
                "published {}; the other {others} {place} are {terms_words}, which gives {} here",
                amount(check.published),
                amount(check.computed)
            );
            map.broken.push(Broken {
                identity: index,
                check: check.clone(),
                sentence,
            });
        }
        map.counts.confirmed += counts.confirmed;
        map.counts.rounding += counts.rounding;
        map.counts.broken += counts.broken;
        let terms = match c.axis {
            Axis::Row => c
                .terms
                .iter()
                .map(|&(t, s)| Term {
                    index: file_row(t),
                    sign: s,
                })
                .collect(),
            Axis::Column => c
                .terms
                .iter()
                .map(|&(t, s)| Term {
                    index: table.columns.get(t).map(|x| x.index).unwrap_or(0),
                    sign: s,
                })
                .collect(),
        };
        map.identities.push(Identity {
            axis: c.axis,
            shape: c.shape,
            target: match c.axis {
                Axis::Row => file_row(c.target),
                Axis::Column => table.columns.get(c.target).map(|x| x.index).unwrap_or(0),
            },
            terms,
            description,
            checks,
            counts,
        });
    }
    super::roles::assign(&mut map, table, g, col_found, row_found);
    map
}
