//! Monitoring: the variance of each line and total of a monitoring table, target against
//! forecast, with its verdict, favourable or adverse (docs/domain.md, "Monitoring").
//! Reading the table (its columns, periods and sign convention) is `read::monitoring`, whose
//! module doc states the rule worked out here; the published variance column is found and
//! checked in `monitoring_variance`, and the convention and published net lines the file's
//! arithmetic shows are taken over in `monitoring_arithmetic`.

use rust_decimal::Decimal;

use super::monitoring_variance::{variance_checks, PublishedVariance, VarianceCheck};
use super::netting_run::proposal_nets;
use crate::engine::model::number::Amount;
use crate::engine::model::schedule::{Line, Measure, Schedule, SignConvention};
use crate::engine::model::sum::Sum;
use crate::engine::read::monitoring::sign_balance;
use crate::engine::read::monitoring::{cell_amount, periods, Period};

/// Which way a line's figures point: whether a higher figure helps the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// A higher figure is more saving (or less cost): a forecast above target is favourable.
    HigherHelps,
    /// A higher figure is more cost (or less saving): a forecast above target is adverse.
    HigherCosts,
}

impl Direction {
    /// +1 or −1: the factor from the line's figures to Gapwise's savings-positive terms.
    pub fn factor(self) -> Decimal {
        match self {
            Direction::HigherHelps => Decimal::ONE,
            Direction::HigherCosts => Decimal::NEGATIVE_ONE,
        }
    }
}

/// Favourable or adverse: whether a variance helps the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Favourable,
    Adverse,
    OnTarget,
}

impl Verdict {
    /// `Favourable`, `Adverse`, `On target`: shown as text, never as a colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Favourable => "Favourable",
            Verdict::Adverse => "Adverse",
            Verdict::OnTarget => "On target",
        }
    }

    /// The verdict on variance (forecast − target) for figures pointing `direction`.
    ///
    /// ```
    /// use gapwise::engine::{Direction, Verdict};
    /// use rust_decimal::Decimal;
    /// assert_eq!(Verdict::of(Decimal::from(10), Direction::HigherHelps), Verdict::Favourable);
    /// assert_eq!(Verdict::of(Decimal::from(10), Direction::HigherCosts), Verdict::Adverse);
    /// assert_eq!(Verdict::of(Decimal::ZERO, Direction::HigherCosts), Verdict::OnTarget);
    /// ```
    pub fn of(variance: Decimal, direction: Direction) -> Verdict {
        let effect = variance * direction.factor();
        if effect > Decimal::ZERO {
            Verdict::Favourable
        } else if effect < Decimal::ZERO {
            Verdict::Adverse
        } else {
            Verdict::OnTarget
        }
    }
}

/// The direction of a line's figures (module doc, "The rule"): every line of a costs-positive
/// table points to costs and every line of a benefits-positive one to savings (there the sign
/// of a figure, not the line's type, says whether it is a cost); in a savings-positive table a
/// line whose type names a cost or an investment points to costs unless its monitoring figures
/// are mostly negative; every other line points to savings.
pub fn direction(schedule: &Schedule, line: &Line, periods: &[Period]) -> Direction {
    match schedule.sign {
        SignConvention::CostsPositive => return Direction::HigherCosts,
        SignConvention::BenefitsPositive => return Direction::HigherHelps,
        SignConvention::SavingsPositive => {}
    }
    match schedule.measure(line) {
        Some(Measure::Cost | Measure::Investment) if sign_balance(schedule, line, periods) >= 0 => {
            Direction::HigherCosts
        }
        _ => Direction::HigherHelps,
    }
}

/// One line's target, forecast and variance for one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineVariance {
    pub target: Amount,
    pub forecast: Amount,
    /// Forecast − target, exact; `None` when either has no figure or both are empty.
    pub variance: Option<Decimal>,
    pub verdict: Option<Verdict>,
}

/// A line of the monitoring.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitoringLine {
    /// Index into [`Schedule::lines`].
    pub line: usize,
    pub label: String,
    pub direction: Direction,
    /// False for memo lines and published net lines: shown, not counted in totals.
    pub counted: bool,
    /// One per [`Monitoring::periods`] entry.
    pub cells: Vec<LineVariance>,
}

/// A total's target, forecast and variance for one period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TotalVariance {
    pub target: Sum,
    pub forecast: Sum,
    /// Forecast − target; `None` when a cell added had no figure.
    pub variance: Option<Decimal>,
    pub verdict: Option<Verdict>,
}

/// A total of the monitoring: `Total`, `Total savings`, `Total costs and investment` or `Net`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitoringTotal {
    pub label: String,
    /// The direction its figures point; the net is in savings-positive terms (helps).
    pub direction: Direction,
    /// Indices into [`Schedule::lines`] it adds up.
    pub lines: Vec<usize>,
    /// One per period.
    pub cells: Vec<TotalVariance>,
}

/// A proposal's net target and forecast, for proposals with both savings and cost lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalVariance {
    pub reference: String,
    pub name: String,
    pub total: MonitoringTotal,
}

/// The monitoring of a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Monitoring {
    pub periods: Vec<Period>,
    pub lines: Vec<MonitoringLine>,
    pub totals: Vec<MonitoringTotal>,
    pub proposals: Vec<ProposalVariance>,
    /// The published variance columns found by their figures, one per period at most.
    pub published_variances: Vec<PublishedVariance>,
    /// Every row's published variance checked, in file order (`monitoring_variance`).
    pub variance_checks: Vec<VarianceCheck>,
}

/// Label of the total when every counted line points the same way.
pub const MONITORING_TOTAL: &str = "Total";
/// Label of the total of lines whose higher figure helps, beside cost lines.
pub const MONITORING_SAVINGS: &str = "Total savings";
/// Label of the total of lines whose higher figure costs, beside saving lines.
pub const MONITORING_COSTS: &str = "Total costs and investment";
/// Label of the net of both, savings positive.
pub const MONITORING_NET: &str = "Net (savings positive)";

/// The monitoring of a schedule with target and forecast columns (module doc): per line and
/// period the target, forecast, variance and verdict, the totals and the proposals' nets.
/// `None` when the schedule has no target and forecast columns (or they do not pair up).
pub fn monitoring(schedule: &Schedule) -> Option<Monitoring> {
    let periods = periods(&schedule.text_columns).ok()?;
    if periods.is_empty() {
        return None;
    }
    let lines: Vec<MonitoringLine> = schedule
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let direction = direction(schedule, line, &periods);
            let cells = periods
                .iter()
                .map(|p| {
                    let target = cell_amount(schedule, line, p.target);
                    let forecast = cell_amount(schedule, line, p.forecast);
                    let variance = if target == Amount::Blank && forecast == Amount::Blank {
                        None
                    } else {
                        match (target.value(), forecast.value()) {
                            (Some(t), Some(f)) => Some(f - t),
                            _ => None,
                        }
                    };
                    LineVariance {
                        verdict: variance.map(|v| Verdict::of(v, direction)),
                        target,
                        forecast,
                        variance,
                    }
                })
                .collect();
            MonitoringLine {
                line: i,
                label: schedule.line_label(line),
                direction,
                counted: !line.memo && schedule.measure(line) != Some(Measure::Net),
                cells,
            }
        })
        .collect();

    let counted: Vec<&MonitoringLine> = lines.iter().filter(|l| l.counted).collect();
    let helps: Vec<&MonitoringLine> = counted
        .iter()
        .copied()
        .filter(|l| l.direction == Direction::HigherHelps)
        .collect();
    let costs: Vec<&MonitoringLine> = counted
        .iter()
        .copied()
        .filter(|l| l.direction == Direction::HigherCosts)
        .collect();
    let totals = if helps.is_empty() || costs.is_empty() {
        let direction = if helps.is_empty() && !costs.is_empty() {
            Direction::HigherCosts
        } else {
            Direction::HigherHelps
        };
        vec![total(MONITORING_TOTAL, &counted, &periods, Some(direction))]
    } else {
        vec![
            total(
                MONITORING_SAVINGS,
                &helps,
                &periods,
                Some(Direction::HigherHelps),
            ),
            total(
                MONITORING_COSTS,
                &costs,
                &periods,
                Some(Direction::HigherCosts),
            ),
            total(MONITORING_NET, &counted, &periods, None),
        ]
    };

    let proposals = proposal_nets(schedule)
        .into_iter()
        .filter_map(|p| {
            let members: Vec<&MonitoringLine> = p
                .lines
                .iter()
                .map(|&i| &lines[i])
                .filter(|l| l.counted)
                .collect();
            let both = members
                .iter()
                .any(|l| l.direction == Direction::HigherHelps)
                && members
                    .iter()
                    .any(|l| l.direction == Direction::HigherCosts);
            both.then(|| ProposalVariance {
                reference: p.reference,
                name: p.name,
                total: total(MONITORING_NET, &members, &periods, None),
            })
        })
        .collect();
    let (published_variances, variance_checks) = variance_checks(schedule, &periods);
    Some(Monitoring {
        periods,
        lines,
        totals,
        proposals,
        published_variances,
        variance_checks,
    })
}

/// Adds up lines per period: as published when they all point `direction`, or, with `None`,
/// as a net in savings-positive terms (each line's figures × its direction's factor).
fn total(
    label: &str,
    lines: &[&MonitoringLine],
    periods: &[Period],
    direction: Option<Direction>,
) -> MonitoringTotal {
    let cells = (0..periods.len())
        .map(|p| {
            let mut target = Sum::default();
            let mut forecast = Sum::default();
            for l in lines {
                let c = &l.cells[p];
                let factor = match direction {
                    Some(_) => Decimal::ONE,
                    None => l.direction.factor(),
                };
                target.add(&signed(&c.target, factor));
                forecast.add(&signed(&c.forecast, factor));
            }
            let variance = (target.missing == 0 && forecast.missing == 0)
                .then(|| forecast.value - target.value);
            let d = direction.unwrap_or(Direction::HigherHelps);
            TotalVariance {
                verdict: variance.map(|v| Verdict::of(v, d)),
                target,
                forecast,
                variance,
            }
        })
        .collect();
    MonitoringTotal {
        label: label.to_string(),
        direction: direction.unwrap_or(Direction::HigherHelps),
        lines: lines.iter().map(|l| l.line).collect(),
        cells,
    }
}

fn signed(amount: &Amount, factor: Decimal) -> Amount {
    match amount {
        Amount::Figure(d) if factor != Decimal::ONE => Amount::Figure(d * factor),
        other => other.clone(),
    }
}
