//! Why an entry, a reserves plan, a gap model, a delivery distribution or the risk settings are
//! refused: small error types with the figures and the place in fields, the message built in
//! `Display` (what the page shows after the entry, or after "its reserves plan: ").

use std::fmt;

use rust_decimal::Decimal;

use super::number::NumberError;
use super::schedule::FinancialYear;

/// What is wrong with a figure of a reserves plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FigureProblem {
    /// Below zero.
    Negative { value: Decimal },
    /// Over [`MAX_RESERVE_FIGURE`](super::reserves::MAX_RESERVE_FIGURE).
    TooLarge { value: Decimal },
    /// A minimum as a share of the net budget outside 0 to 1.
    ShareOutside { share: Decimal },
}

impl fmt::Display for FigureProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FigureProblem::Negative { value } => write!(f, "is negative ({value})"),
            FigureProblem::TooLarge { value } => write!(f, "is over 10^18 ({value})"),
            FigureProblem::ShareOutside { share } => {
                write!(f, "is a share of the net budget outside 0 to 1 ({share})")
            }
        }
    }
}

/// A reserve's planned movements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Contributions,
    Drawdowns,
}

impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Flow::Contributions => "contributions",
            Flow::Drawdowns => "drawdowns",
        })
    }
}

/// Which figure of a reserve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReserveFigure {
    Opening,
    /// A planned contribution or drawdown, in the year (from 0) it is planned for.
    Planned {
        flow: Flow,
        year: usize,
    },
    Minimum,
}

/// Why a reserves plan, or a scenario's drawdowns, are refused. `reserve` is the reserve's name
/// (cut to 40 characters); `id` its [`Reserve::id`](super::reserves::Reserve::id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// More reserves than a plan may hold.
    TooManyReserves { count: usize, limit: usize },
    /// The plan's total minimum.
    TotalMinimum(FigureProblem),
    /// Two reserves with one id.
    IdTwice { reserve: String, id: u32 },
    /// A figure of a reserve.
    Figure {
        reserve: String,
        figure: ReserveFigure,
        problem: FigureProblem,
    },
    /// More contributions or drawdowns than the model has years.
    TooManyFlows {
        reserve: String,
        flow: Flow,
        count: usize,
        years: usize,
    },
    /// A scenario's drawdowns for more reserves than a plan may hold.
    DrawsTooManyReserves { count: usize, limit: usize },
    /// A scenario's drawdowns of one reserve for more years than a model may have.
    DrawsTooManyYears { id: u32, count: usize, limit: usize },
    /// A scenario's drawdown of a reserve, in the year (from 0) it is for.
    Drawdown {
        id: u32,
        year: usize,
        problem: FigureProblem,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::TooManyReserves { count, limit } => {
                write!(f, "{count} reserves; at most {limit}")
            }
            PlanError::TotalMinimum(problem) => write!(f, "the total minimum {problem}"),
            PlanError::IdTwice { reserve, id } => {
                write!(f, "reserve `{reserve}`: the id {id} is used twice")
            }
            PlanError::Figure {
                reserve,
                figure,
                problem,
            } => {
                write!(f, "reserve `{reserve}`: ")?;
                match figure {
                    ReserveFigure::Opening => write!(f, "the opening balance {problem}"),
                    ReserveFigure::Planned { flow, .. } => {
                        write!(f, "a planned {flow} figure {problem}")
                    }
                    ReserveFigure::Minimum => write!(f, "the minimum {problem}"),
                }
            }
            PlanError::TooManyFlows {
                reserve,
                flow,
                count,
                years,
            } => write!(f, "reserve `{reserve}`: {count} {flow} for {years} years"),
            PlanError::DrawsTooManyReserves { count, limit } => {
                write!(f, "drawdowns for {count} reserves; at most {limit}")
            }
            PlanError::DrawsTooManyYears { id, count, limit } => {
                write!(
                    f,
                    "drawdowns of reserve {id} for {count} years; at most {limit}"
                )
            }
            PlanError::Drawdown { id, problem, .. } => {
                write!(f, "a drawdown of reserve {id} {problem}")
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// Why a figure or minimum typed for a reserve, or a use of reserves, is refused. The message
/// follows the entry quoted (`` `abc` is not an amount ``).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryError {
    /// Not an amount at all.
    Number(NumberError),
    /// Below zero, where a reserve's figures are from zero up.
    Negative { value: Decimal },
    /// Over [`MAX_RESERVE_FIGURE`](super::reserves::MAX_RESERVE_FIGURE).
    TooLarge { value: Decimal },
    /// A cell with no figure (`N/A`, `TBC`).
    NoFigure,
    /// An entry ending in `%` that is not a percentage.
    NotAPercentage,
    /// A percentage below 0 or over 100.
    PercentOutside { percent: Decimal },
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EntryError::Number(e) => write!(f, "{e}"),
            EntryError::Negative { .. } => {
                write!(f, "is negative; a reserve's figures are from zero up")
            }
            EntryError::TooLarge { value } => write!(f, "is over 10^18 ({value})"),
            EntryError::NoFigure => write!(f, "is not a figure (N/A, TBC); enter an amount"),
            EntryError::NotAPercentage => write!(f, "is not a percentage (write it as 5%)"),
            EntryError::PercentOutside { .. } => {
                write!(f, "is a percentage outside 0 % to 100 %")
            }
        }
    }
}

impl std::error::Error for EntryError {}

/// Which parameter of a delivery distribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Parameter {
    Lowest,
    Likely,
    Highest,
}

/// Why a delivery distribution is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryError {
    /// A rate below 0 or over 1.
    Outside { parameter: Parameter, rate: Decimal },
    /// A rate with more decimal places than a drawn rate has.
    Places {
        parameter: Parameter,
        rate: Decimal,
        limit: u32,
    },
    /// The most likely rate below the lowest.
    LikelyBelowLowest { likely: Decimal, lowest: Decimal },
    /// The highest rate below the most likely.
    HighestBelowLikely { highest: Decimal, likely: Decimal },
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeliveryError::Outside { rate, .. } => write!(f, "the rate {rate} is outside 0 to 1"),
            DeliveryError::Places { rate, limit, .. } => {
                write!(f, "the rate {rate} has more than {limit} decimal places")
            }
            DeliveryError::LikelyBelowLowest { likely, lowest } => {
                write!(
                    f,
                    "its most likely rate {likely} is below its lowest {lowest}"
                )
            }
            DeliveryError::HighestBelowLikely { highest, likely } => {
                write!(f, "its highest rate {highest} is below {likely}")
            }
        }
    }
}

impl std::error::Error for DeliveryError {}

/// Whose distribution: a rating's (`None` for unrated lines) or one line's, by file row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DistributionOf {
    Red,
    Amber,
    Green,
    Unrated,
    Row(usize),
}

/// Why the delivery risk settings are refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SettingsError {
    /// Runs outside 1 to the most allowed.
    Runs { runs: u32, limit: u32 },
    /// A distribution refused.
    Distribution {
        of: DistributionOf,
        problem: DeliveryError,
    },
    /// The correlation between lines below 0 or above 1.
    CorrelationOutside { correlation: Decimal },
    /// The correlation between lines with more decimal places than allowed.
    CorrelationPlaces { correlation: Decimal, limit: u32 },
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Runs { runs, limit } => write!(f, "{runs} runs; from 1 to {limit}"),
            SettingsError::CorrelationOutside { correlation } => write!(
                f,
                "the correlation between lines {correlation} is outside 0 to 1"
            ),
            SettingsError::CorrelationPlaces { correlation, limit } => write!(
                f,
                "the correlation between lines {correlation} has more than {limit} decimal places"
            ),
            SettingsError::Distribution { of, problem } => {
                match of {
                    DistributionOf::Red => write!(f, "the red distribution")?,
                    DistributionOf::Amber => write!(f, "the amber distribution")?,
                    DistributionOf::Green => write!(f, "the green distribution")?,
                    DistributionOf::Unrated => write!(f, "the unrated distribution")?,
                    DistributionOf::Row(row) => write!(f, "the distribution of row {row}")?,
                }
                write!(f, ": {problem}")
            }
        }
    }
}

impl std::error::Error for SettingsError {}

/// Why a gap model is refused (on reading a saved state or a link).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GapError {
    /// More years than a model may have.
    TooManyYears { years: usize, limit: usize },
    /// A year listed twice.
    YearTwice { year: FinancialYear },
    /// A row (or result row) whose amounts do not match the years; `label` cut to 40
    /// characters.
    RowAmounts {
        row: usize,
        label: String,
        count: usize,
        years: usize,
    },
    /// Its reserves plan refused.
    Plan(PlanError),
}

impl fmt::Display for GapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GapError::TooManyYears { years, limit } => write!(f, "{years} years; at most {limit}"),
            GapError::YearTwice { year } => write!(f, "the year {year} is listed twice"),
            GapError::RowAmounts {
                row,
                label,
                count,
                years,
            } => write!(
                f,
                "row {row} (`{label}`) has {count} amounts for {years} years"
            ),
            GapError::Plan(e) => write!(f, "its reserves plan: {e}"),
        }
    }
}

impl std::error::Error for GapError {}

/// Bytes from the other thread that do not read as the message expected: how many bytes, and
/// the MessagePack reader's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    pub bytes: usize,
    pub message: String,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the worker's answer could not be read: {}", self.message)
    }
}

impl std::error::Error for WireError {}
