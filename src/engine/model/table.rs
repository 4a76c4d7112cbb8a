//! Why another tool's table (an MTFS programme file, a monitoring table) is refused, or one of
//! its cells is not read: small types with the headers and the figures in fields, the message
//! built in `Display`. The position (row, column) is the [`Error`](super::error::Error)'s.

use std::fmt;

use rust_decimal::Decimal;

/// The cells whose bare numbers are read together as fractions or as percentages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareSet {
    /// Every `yearN` cell of a programme file.
    YearPercentages,
    /// The achievement column.
    AchievementRates,
}

impl fmt::Display for ShareSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ShareSet::YearPercentages => "year percentages",
            ShareSet::AchievementRates => "achievement rates",
        })
    }
}

/// A monitoring table's column for a period: its target or its forecast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodColumn {
    Target,
    Forecast,
}

impl fmt::Display for PeriodColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodColumn::Target => "target",
            PeriodColumn::Forecast => "forecast",
        })
    }
}

/// Why another tool's table cannot be read as one, and how to put it right. Headers are as the
/// file wrote them, trimmed; column numbers count from 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableProblem {
    /// A bare share of 1 or less (`value`) among shares written with `%`.
    Ambiguous { value: Decimal, set: ShareSet },
    /// More header columns than are read.
    HeaderColumns { columns: usize, limit: usize },
    /// A programme file's column given twice; `also` is the first one's number.
    ColumnTwice { header: String, also: usize },
    /// More `yearN` columns than a schedule may have years.
    YearColumns { count: usize, limit: usize },
    /// A `yearN` column beyond the count of year columns (one is missing).
    YearBeyond { header: String, count: usize },
    /// No line's deliveryYear names a financial year (`years` year columns).
    NoDeliveryYear { years: usize },
    /// No deliveryYear column (`years` year columns).
    NoDeliveryColumn { years: usize },
    /// A monitoring table's second target or forecast column for a period (`Q1`, `Year`).
    SecondColumn {
        header: String,
        column: PeriodColumn,
        period: String,
    },
    /// A monitoring table's target or forecast without its partner (`missing`).
    NoPartner {
        header: String,
        missing: PeriodColumn,
    },
}

impl fmt::Display for TableProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableProblem::Ambiguous { value, set } => write!(
                f,
                "`{value}` is ambiguous: other {set} are written with %, and every one without % \
                 is 1 or less, so it could be a fraction ({} %) or a percentage ({value} %); \
                 write every {set} as a percentage (40 or 40%) or every one as a fraction (0.4)",
                value * Decimal::ONE_HUNDRED
            ),
            TableProblem::HeaderColumns { columns, limit } => write!(
                f,
                "the header has {columns} columns; at most {limit} are read"
            ),
            TableProblem::ColumnTwice { header, also } => write!(
                f,
                "the column `{header}` is given twice (also column {also}); a programme file has \
                 each once"
            ),
            TableProblem::YearColumns { count, limit } => {
                write!(f, "{count} year columns; at most {limit}")
            }
            TableProblem::YearBeyond { header, count } => write!(
                f,
                "`{header}` but only {count} year columns; the years are year1 to yearN with \
                 none missing"
            ),
            TableProblem::NoDeliveryYear { years } | TableProblem::NoDeliveryColumn { years } => {
                let what = if matches!(self, TableProblem::NoDeliveryYear { .. }) {
                    "no line's deliveryYear names a financial year"
                } else {
                    "the file has no deliveryYear column"
                };
                write!(
                    f,
                    "{what}; year1 … year{years} are counted from year 1 of the plan, which the \
                     file does not name, so Gapwise needs it: choose the financial year of year \
                     1, or give at least the earliest line its deliveryYear (2024/25)"
                )
            }
            TableProblem::SecondColumn {
                header,
                column,
                period,
            } => write!(
                f,
                "`{header}` is a second {column} column for {}; a monitoring table has one \
                 target and one forecast per period",
                period.to_lowercase()
            ),
            TableProblem::NoPartner { header, missing } => write!(
                f,
                "`{header}` has no {missing} column beside it; a monitoring table gives each \
                 period a target and a forecast"
            ),
        }
    }
}

/// What is wrong with a cell of another tool's table (after the cell's text, quoted); the rest
/// of the file loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CellProblem {
    /// A deliveryYear that is not a financial year.
    DeliveryYear,
    /// An empty gross value.
    NoGross,
    /// A year share outside 0 to 100 %.
    Percentage,
    /// A year share whose product with the gross value needs more than `limit` decimal places.
    Places { limit: u32 },
    /// An isRecurring cell that is not true or false.
    Recurring,
    /// A RAG cell that is not a rating.
    Rag,
    /// An achievement rate outside 0 to 100 %.
    Rate,
}

impl fmt::Display for CellProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellProblem::DeliveryYear => write!(f, "is not a financial year like 2024/25"),
            CellProblem::NoGross => write!(f, "is no gross value; the line's years have no figure"),
            CellProblem::Percentage => write!(f, "is not a percentage from 0 to 100"),
            CellProblem::Places { limit } => write!(
                f,
                "× the gross value needs more than {limit} decimal places"
            ),
            CellProblem::Recurring => write!(
                f,
                "is not true or false (yes/no, 1/0); the line is taken as recurring"
            ),
            CellProblem::Rag => write!(
                f,
                "is not a RAG rating (red, amber, green); the line is unrated"
            ),
            CellProblem::Rate => write!(f, "is not an achievement rate from 0 to 100 %"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_built_from_the_fields() {
        assert_eq!(
            TableProblem::Ambiguous {
                value: Decimal::new(4, 1),
                set: ShareSet::AchievementRates
            }
            .to_string(),
            "`0.4` is ambiguous: other achievement rates are written with %, and every one \
             without % is 1 or less, so it could be a fraction (40.0 %) or a percentage (0.4 %); \
             write every achievement rates as a percentage (40 or 40%) or every one as a \
             fraction (0.4)"
        );
        assert_eq!(
            TableProblem::SecondColumn {
                header: "Q2 target".into(),
                column: PeriodColumn::Target,
                period: "Q2".into()
            }
            .to_string(),
            "`Q2 target` is a second target column for q2; a monitoring table has one target \
             and one forecast per period"
        );
        assert_eq!(
            CellProblem::Places { limit: 28 }.to_string(),
            "× the gross value needs more than 28 decimal places"
        );
    }
}
