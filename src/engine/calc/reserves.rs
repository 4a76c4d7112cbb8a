//! Reserves: named balances (the general fund, earmarked reserves) carried through the years of
//! a gap model, drawn down to close the gap that savings leave (docs/domain.md, "The funding gap":
//! reserves used in a year close that year's gap once; they do not recur).
//!
//! This module owns the reserves plan ([`ReservesPlan`]: each [`Reserve`] with its opening
//! balance, planned contributions and drawdowns per year, whether and in which order it is used
//! to close the gap, and a minimum level), a scenario's changes to it ([`ReserveDraws`]), and
//! the arithmetic of balances year by year ([`compute_reserves`], giving [`ReserveFigures`]).
//! It does not work out the gap (`gap::compute_gap` does: it gives this module the gap after the
//! table's own reserves, and takes the plan's drawdowns to close the gap off it, so that the gap
//! after reserves everywhere is after the plan too), nor read the gap table's own "use of
//! reserves" rows (see the rules below), nor decide what is shown.
//!
//! The plan is stored with the gap model ([`GapModel::reserves_plan`]), so it is saved with it
//! and travels in full links with it. Every figure is in the gap model's unit, an exact
//! [`Decimal`].
//!
//! # The rules
//!
//! Per year of the gap model, for each reserve in the order listed:
//!
//! 1. **Opening** balance: the plan's opening balance in the first year, the previous year's
//!    closing balance after that.
//! 2. **Contributions** planned for the year are added.
//! 3. **Planned drawdowns** (to fund something named: a project, a one-off cost) are taken
//!    next, never more than the balance available (opening + contributions, never below zero):
//!    a planned drawdown the balance cannot meet is cut to what is there and the rest reported
//!    as its **shortfall**.
//! 4. **Drawdowns to close the gap.** The gap to close is the year's gap after the gap table's
//!    own reserves where positive ([`GapYear::gap_after_table_reserves`](super::GapYear): the
//!    table's planned use of reserves has already closed what it closes, so the plan never
//!    closes the same part of the gap a second time). Only reserves
//!    marked for it ([`Reserve::gap_order`]) are drawn, lowest order first (equal orders in list
//!    order), each down to its **floor** (zero; or its minimum level with
//!    [`DrawLimit::Minimum`], and then also never the total below the plan's total minimum), the
//!    next reserve taking what the first could not. Because reserves do not recur, a gap that
//!    is still there the next year (the cumulative gap, measured against the base year) is drawn
//!    again that year: a recurring gap funded from reserves runs them down year after year.
//! 5. **Closing** balance = opening + contributions − planned drawdowns made − gap drawdowns.
//! 6. **Gap left after reserves** = the gap after the table's reserves − the gap drawdowns:
//!    positive, the savings still to find that reserves could not cover ([`ReservesYear::gap_unclosed`]);
//!    negative, a surplus (a surplus is not paid into reserves unless a contribution is
//!    planned). This is the gap after reserves of every view: `compute_gap` gives it as
//!    [`GapYear::gap_after_reserves`](super::GapYear), each reserve's part named in
//!    [`GapYear::plan_draws`](super::GapYear).
//!
//! The gap table's own reserves rows ([`GapRole::Reserves`](super::GapRole)) are a statement of
//! planned use that already reduces the gap; they are not taken from any balance here, since the
//! table does not say which reserve they come from. To have them run a balance down, enter the
//! same figures as that reserve's planned drawdowns and leave the rows as they are: the rows
//! close the gap, the planned drawdowns take the money from the balance (a planned drawdown
//! never closes the gap), and the plan draws only what the rows leave. Setting the rows to
//! `Other` as well would leave their part of the gap to the plan's gap drawdowns, and the
//! balance would pay for it twice.
//!
//! **Minimum level.** A reserve may have a minimum, and the plan a minimum for all reserves
//! together; each is a fixed sum ([`Minimum::Amount`]) or a share of the year's **net budget**
//! ([`Minimum::ShareOfNetBudget`], 0.05 = 5 %). The net budget is the gap model's base budget
//! for the year (the `Net Budget` row, [`GapYear::base_budget`](super::GapYear)): the budget the
//! year is set at, not a forecast of spending; a table with no base budget row has its funding
//! taken as the net budget instead ([`net_budgets`]). With no plan-wide minimum, the total
//! minimum is the sum of the reserves' own minimums (when any has one). A balance **falls below
//! its minimum** in a year when its closing balance is less than the minimum level of that
//! year; it is **exhausted** in the first year its closing balance is zero.
//!
//! **Figures.** Every figure is exact. A negative opening balance, contribution or drawdown
//! counts as zero ([`ReservesPlan::validate`] refuses them when a plan is loaded). Sums beyond
//! what a `Decimal` holds saturate rather than panic; [`ReservesPlan::validate`] keeps every
//! figure under [`MAX_RESERVE_FIGURE`] so no real plan comes near.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::engine::model::gap::GapModel;
use crate::engine::model::reserves::DrawLimit;
use crate::engine::model::reserves::Minimum;
use crate::engine::model::reserves::ReserveKind;
use crate::engine::model::reserves::ReservesPlan;
use crate::engine::model::schedule::FinancialYear;

/// One reserve in one year (module doc, "The rules").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveYear {
    pub opening: Decimal,
    pub contributions: Decimal,
    /// The planned drawdown asked for.
    pub planned_drawdown: Decimal,
    /// The planned drawdown made: the one asked for, cut to the balance available.
    pub drawdown: Decimal,
    /// The planned drawdown the balance could not meet: `planned_drawdown − drawdown`.
    pub shortfall: Decimal,
    /// Drawn to close the gap.
    pub gap_drawdown: Decimal,
    /// opening + contributions − drawdown − gap_drawdown.
    pub closing: Decimal,
    /// The reserve's minimum level this year, if it has one.
    pub minimum: Option<Decimal>,
    /// The closing balance is below `minimum`.
    pub below_minimum: bool,
}

/// One reserve through the years.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveRun {
    pub id: u32,
    pub name: String,
    pub kind: ReserveKind,
    /// One per year of the gap model.
    pub years: Vec<ReserveYear>,
    /// The first year its closing balance is below its minimum.
    pub first_below_minimum: Option<FinancialYear>,
    /// The first year its closing balance is zero.
    pub exhausted: Option<FinancialYear>,
}

/// All reserves together in one year, and the gap they leave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservesYear {
    pub year: FinancialYear,
    /// The year's net budget, the base of minimums set as a share of it ([`net_budgets`]).
    pub net_budget: Decimal,
    /// The gap after the gap table's own reserves (`GapYear::gap_after_table_reserves`): what
    /// the reserves are drawn to close where positive.
    pub gap: Decimal,
    pub opening: Decimal,
    pub contributions: Decimal,
    pub planned_drawdowns: Decimal,
    pub drawdowns: Decimal,
    pub shortfall: Decimal,
    pub gap_drawdowns: Decimal,
    pub closing: Decimal,
    /// The total minimum level (module doc, "Minimum level"), if any.
    pub minimum: Option<Decimal>,
    pub below_minimum: bool,
    /// `gap − gap_drawdowns`: the gap after reserves (`GapYear::gap_after_reserves`);
    /// negative is a surplus.
    pub gap_left: Decimal,
    /// The gap reserves could not close: `gap_left` where positive, else zero.
    pub gap_unclosed: Decimal,
}

/// The reserves plan worked out over the gap model's years.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReserveFigures {
    /// One per reserve, in the plan's order.
    pub reserves: Vec<ReserveRun>,
    /// One per year of the gap model: the totals.
    pub years: Vec<ReservesYear>,
    /// The first year the total closing balance is below the total minimum.
    pub first_below_minimum: Option<FinancialYear>,
    /// The first year the total closing balance is zero: every reserve used up.
    pub exhausted: Option<FinancialYear>,
    /// The first year reserves leave part of the gap unclosed.
    pub first_gap_unclosed: Option<FinancialYear>,
    /// The reserves used to close the gap, as indices into `reserves`, in the order they are
    /// drawn (lowest [`Reserve::gap_order`](super::Reserve) first, equal orders in the plan's
    /// order): the steps of the bridge and the rows of the gap table, in that order.
    #[serde(default)]
    pub gap_order: Vec<usize>,
}

/// Works out the model's reserves plan year by year (module doc, "The rules"): `gaps` is each
/// year's gap after the gap table's own reserves (what the plan is drawn to close where
/// positive) and `net` each year's net budget. `None` when the model has no plan. The public
/// way in is [`compute_reserves`](super::compute_reserves), which reads both from the gap's
/// figures; [`compute_gap`](super::compute_gap) calls this once to take the plan's drawdowns
/// off the gap.
pub(crate) fn plan_figures(
    model: &GapModel,
    gaps: &[Decimal],
    net: &[Decimal],
) -> Option<ReserveFigures> {
    let plan = model.reserves_plan.as_ref()?;
    let n = model.years.len().min(gaps.len()).min(net.len());
    let prepared = Prepared::new(plan, &net[..n]);
    let mut balances: Vec<Decimal> = prepared.reserves.iter().map(|r| r.opening).collect();
    let mut movements = vec![Movement::default(); plan.reserves.len()];
    let mut runs: Vec<ReserveRun> = plan
        .reserves
        .iter()
        .map(|r| ReserveRun {
            id: r.id,
            name: r.name.clone(),
            kind: r.kind,
            years: Vec::with_capacity(n),
            first_below_minimum: None,
            exhausted: None,
        })
        .collect();
    let mut years = Vec::with_capacity(n);
    let mut out = ReserveFigures {
        reserves: Vec::new(),
        years: Vec::new(),
        first_below_minimum: None,
        exhausted: None,
        first_gap_unclosed: None,
        gap_order: prepared.gap_order.clone(),
    };
    for y in 0..n {
        let year = model.years[y].year;
        let total = prepared.year(y, &mut balances, gaps[y], &mut movements);
        for ((run, m), r) in runs.iter_mut().zip(&movements).zip(&prepared.reserves) {
            let minimum = r.minimum.as_ref().map(|levels| levels[y]);
            let below = minimum.is_some_and(|min| m.closing < min);
            if below && run.first_below_minimum.is_none() {
                run.first_below_minimum = Some(year);
            }
            if m.closing.is_zero() && run.exhausted.is_none() {
                run.exhausted = Some(year);
            }
            run.years.push(ReserveYear {
                opening: m.opening,
                contributions: m.contributions,
                planned_drawdown: m.planned,
                drawdown: m.drawn,
                shortfall: m.shortfall,
                gap_drawdown: m.gap_drawn,
                closing: m.closing,
                minimum,
                below_minimum: below,
            });
        }
        let minimum = prepared.total_minimum.as_ref().map(|levels| levels[y]);
        let below = minimum.is_some_and(|min| total.closing < min);
        let gap_left = gaps[y].saturating_sub(total.gap_drawn);
        let unclosed = gap_left.max(Decimal::ZERO);
        if below && out.first_below_minimum.is_none() {
            out.first_below_minimum = Some(year);
        }
        if total.closing.is_zero() && out.exhausted.is_none() {
            out.exhausted = Some(year);
        }
        if !unclosed.is_zero() && out.first_gap_unclosed.is_none() {
            out.first_gap_unclosed = Some(year);
        }
        years.push(ReservesYear {
            year,
            net_budget: net[y],
            gap: gaps[y],
            opening: total.opening,
            contributions: total.contributions,
            planned_drawdowns: total.planned,
            drawdowns: total.drawn,
            shortfall: total.shortfall,
            gap_drawdowns: total.gap_drawn,
            closing: total.closing,
            minimum,
            below_minimum: below,
            gap_left,
            gap_unclosed: unclosed,
        });
    }
    out.reserves = runs;
    out.years = years;
    Some(out)
}

/// The arithmetic of balances, shared by [`compute_reserves`] (on `Decimal`) and the
/// simulation (on exact integers scaled to a common number of decimal places), so both follow
/// one set of rules. Additions saturate rather than overflow.
pub(crate) trait Money: Copy + Ord + Default {
    fn plus(self, other: Self) -> Self;
    fn minus(self, other: Self) -> Self;
}

impl Money for Decimal {
    fn plus(self, other: Self) -> Self {
        self.saturating_add(other)
    }
    fn minus(self, other: Self) -> Self {
        self.saturating_sub(other)
    }
}

impl Money for i128 {
    fn plus(self, other: Self) -> Self {
        self.saturating_add(other)
    }
    fn minus(self, other: Self) -> Self {
        self.saturating_sub(other)
    }
}

/// One reserve's movements in one year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Movement<M> {
    pub opening: M,
    pub contributions: M,
    pub planned: M,
    pub drawn: M,
    pub shortfall: M,
    pub gap_drawn: M,
    pub closing: M,
}

/// A reserve with every figure read for the model's years: negatives as zero, lists padded with
/// zeros, minimums worked out per year.
#[derive(Clone, Debug)]
pub(crate) struct PreparedReserve<M> {
    pub opening: M,
    pub contributions: Vec<M>,
    pub planned: Vec<M>,
    pub minimum: Option<Vec<M>>,
    /// What a gap drawdown may not go below, per year.
    pub floor: Vec<M>,
}

/// A plan ready to be worked out, year by year.
#[derive(Clone, Debug)]
pub(crate) struct Prepared<M> {
    pub reserves: Vec<PreparedReserve<M>>,
    /// The reserves used for the gap, as indices, in the order they are drawn.
    pub gap_order: Vec<usize>,
    pub total_minimum: Option<Vec<M>>,
    /// The total minimum also limits gap drawdowns ([`DrawLimit::Minimum`]).
    pub protect_total: bool,
}

impl Prepared<Decimal> {
    pub fn new(plan: &ReservesPlan, net_budgets: &[Decimal]) -> Prepared<Decimal> {
        let n = net_budgets.len();
        let positive = |v: Decimal| v.max(Decimal::ZERO);
        let levels = |m: &Minimum| -> Vec<Decimal> {
            net_budgets
                .iter()
                .map(|nb| positive(m.level(*nb)))
                .collect()
        };
        let protect = plan.draw_limit == DrawLimit::Minimum;
        let reserves: Vec<PreparedReserve<Decimal>> = plan
            .reserves
            .iter()
            .map(|r| {
                let minimum = r.minimum.as_ref().map(levels);
                let floor = match (&minimum, protect) {
                    (Some(m), true) => m.clone(),
                    _ => vec![Decimal::ZERO; n],
                };
                PreparedReserve {
                    opening: positive(r.opening),
                    contributions: (0..n).map(|y| positive(r.contribution(y))).collect(),
                    planned: (0..n).map(|y| positive(r.drawdown(y))).collect(),
                    minimum,
                    floor,
                }
            })
            .collect();
        let total_minimum = match &plan.minimum {
            Some(m) => Some(levels(m)),
            None => {
                let own: Vec<&Vec<Decimal>> =
                    reserves.iter().filter_map(|r| r.minimum.as_ref()).collect();
                (!own.is_empty()).then(|| {
                    (0..n)
                        .map(|y| {
                            own.iter()
                                .fold(Decimal::ZERO, |acc, m| acc.saturating_add(m[y]))
                        })
                        .collect()
                })
            }
        };
        let mut gap_order: Vec<usize> = (0..plan.reserves.len())
            .filter(|&i| plan.reserves[i].gap_order.is_some())
            .collect();
        // Stable: equal orders keep the plan's order.
        gap_order.sort_by_key(|&i| plan.reserves[i].gap_order);
        Prepared {
            reserves,
            gap_order,
            total_minimum,
            protect_total: protect && plan.minimum.is_some(),
        }
    }

    /// The same plan with every figure converted (exactly) by `f`.
    pub fn map<N: Money>(&self, f: impl Fn(Decimal) -> N) -> Prepared<N> {
        let list = |v: &Vec<Decimal>| v.iter().map(|x| f(*x)).collect::<Vec<N>>();
        Prepared {
            reserves: self
                .reserves
                .iter()
                .map(|r| PreparedReserve {
                    opening: f(r.opening),
                    contributions: list(&r.contributions),
                    planned: list(&r.planned),
                    minimum: r.minimum.as_ref().map(list),
                    floor: list(&r.floor),
                })
                .collect(),
            gap_order: self.gap_order.clone(),
            total_minimum: self.total_minimum.as_ref().map(list),
            protect_total: self.protect_total,
        }
    }

    /// Every figure of the plan, for the simulation to find their decimal places and size.
    pub fn figures(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.reserves
            .iter()
            .flat_map(|r| {
                std::iter::once(r.opening)
                    .chain(r.contributions.iter().copied())
                    .chain(r.planned.iter().copied())
                    .chain(r.minimum.iter().flatten().copied())
                    .chain(r.floor.iter().copied())
            })
            .chain(self.total_minimum.iter().flatten().copied())
    }
}

impl<M: Money> Prepared<M> {
    /// Works out year index `y` for every reserve (module doc, rules 1–5): `balances` holds the
    /// opening balances and is left holding the closing ones; `out` gets each reserve's
    /// movements; `gap` is the year's gap after the table's reserves. Returns the totals.
    pub fn year(
        &self,
        y: usize,
        balances: &mut [M],
        gap: M,
        out: &mut [Movement<M>],
    ) -> Movement<M> {
        let zero = M::default();
        let mut total: Movement<M> = Movement::default();
        for ((r, balance), m) in self
            .reserves
            .iter()
            .zip(balances.iter_mut())
            .zip(out.iter_mut())
        {
            let opening = *balance;
            let contributions = r.contributions[y];
            let available = opening.plus(contributions).max(zero);
            let planned = r.planned[y];
            let drawn = planned.min(available);
            *m = Movement {
                opening,
                contributions,
                planned,
                drawn,
                shortfall: planned.minus(drawn),
                gap_drawn: zero,
                closing: opening.plus(contributions).minus(drawn),
            };
            total.opening = total.opening.plus(opening);
            total.contributions = total.contributions.plus(contributions);
            total.planned = total.planned.plus(planned);
            total.drawn = total.drawn.plus(drawn);
            total.shortfall = total.shortfall.plus(m.shortfall);
        }
        let mut to_close = gap.max(zero);
        if self.protect_total {
            if let Some(levels) = &self.total_minimum {
                let after_planned = out.iter().fold(zero, |acc, m| acc.plus(m.closing));
                to_close = to_close.min(after_planned.minus(levels[y]).max(zero));
            }
        }
        for &i in &self.gap_order {
            if to_close <= zero {
                break;
            }
            let m = &mut out[i];
            let room = m.closing.minus(self.reserves[i].floor[y]).max(zero);
            let draw = room.min(to_close);
            m.gap_drawn = draw;
            m.closing = m.closing.minus(draw);
            to_close = to_close.minus(draw);
        }
        for (m, balance) in out.iter().zip(balances.iter_mut()) {
            *balance = m.closing;
            total.gap_drawn = total.gap_drawn.plus(m.gap_drawn);
            total.closing = total.closing.plus(m.closing);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::parse_reserves_use;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use crate::engine::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ds(t: &[&str]) -> Vec<Decimal> {
        t.iter().map(|s| d(s)).collect()
    }

    /// A model whose gap (no funding row: pressures − savings) is the given figures.
    fn model(gaps: &[&str], net_budget: &str) -> GapModel {
        let years: Vec<String> = (0..gaps.len())
            .map(|y| format!("{}/{:02}", 2020 + y, (21 + y) % 100))
            .collect();
        let csv = format!(
            "Line,{}\nNet Budget,{}\nPressures,{}\n",
            years.join(","),
            vec![net_budget; gaps.len()].join(","),
            gaps.join(",")
        );
        gap_model(
            &import(csv.as_bytes(), "t.csv", &ImportOptions::default())
                .unwrap()
                .schedule,
        )
    }

    fn run(m: &GapModel) -> ReserveFigures {
        compute_reserves(m, &compute_gap(m, None)).unwrap()
    }

    fn closing(r: &ReserveFigures) -> Vec<Decimal> {
        r.years.iter().map(|y| y.closing).collect()
    }

    #[test]
    fn the_largest_figure_is_ten_to_the_eighteenth() {
        assert_eq!(MAX_RESERVE_FIGURE, d("1000000000000000000"));
    }

    #[test]
    fn no_plan_no_figures() {
        let m = model(&["1"], "10");
        assert_eq!(compute_reserves(&m, &compute_gap(&m, None)), None);
    }

    #[test]
    fn gap_reserves_are_drawn_in_order_and_the_next_takes_the_rest() {
        let mut m = model(&["4", "4"], "100");
        let mut a = Reserve::new(7, "A", ReserveKind::Earmarked, d("3"));
        a.gap_order = Some(2);
        let mut b = Reserve::new(8, "B", ReserveKind::General, d("2"));
        b.gap_order = Some(1);
        let c = Reserve::new(9, "C", ReserveKind::Earmarked, d("10"));
        m.reserves_plan = Some(ReservesPlan {
            reserves: vec![a, b, c],
            ..ReservesPlan::default()
        });
        let r = run(&m);
        // Year 1: B (order 1) gives its 2, A the other 2. Year 2: B has nothing, A its last 1;
        // C is not used for the gap.
        let gap_draws: Vec<Vec<Decimal>> = r
            .reserves
            .iter()
            .map(|x| x.years.iter().map(|y| y.gap_drawdown).collect())
            .collect();
        assert_eq!(
            gap_draws,
            [ds(&["2", "1"]), ds(&["2", "0"]), ds(&["0", "0"])]
        );
        assert_eq!(closing(&r), ds(&["11", "10"]));
        assert_eq!(r.years[1].gap_left, d("3"));
        assert_eq!(r.first_gap_unclosed.unwrap().to_string(), "2021/22");
        assert_eq!(r.reserves[1].exhausted.unwrap().to_string(), "2020/21");
        assert_eq!(r.reserves[0].exhausted.unwrap().to_string(), "2021/22");
        assert_eq!(r.exhausted, None);
    }

    #[test]
    fn drawing_down_to_the_minimum_leaves_it() {
        let mut m = model(&["4"], "100");
        let mut a = Reserve::new(1, "A", ReserveKind::General, d("5"));
        a.gap_order = Some(1);
        a.minimum = Some(Minimum::ShareOfNetBudget(d("0.02")));
        m.reserves_plan = Some(ReservesPlan {
            reserves: vec![a],
            minimum: None,
            draw_limit: DrawLimit::Minimum,
        });
        let r = run(&m);
        // 2 % of 100 = 2 protected: 3 drawn, 1 unclosed.
        assert_eq!(r.years[0].gap_drawdowns, d("3"));
        assert_eq!(r.years[0].closing, d("2"));
        assert_eq!(r.years[0].minimum, Some(d("2.00")));
        assert!(!r.years[0].below_minimum);
        assert_eq!(r.years[0].gap_unclosed, d("1"));

        // A total minimum protects the total as well.
        let plan = m.reserves_plan.as_mut().unwrap();
        plan.reserves[0].minimum = None;
        plan.minimum = Some(Minimum::Amount(d("4.5")));
        let r = run(&m);
        assert_eq!(r.years[0].gap_drawdowns, d("0.5"));
        assert_eq!(r.years[0].closing, d("4.5"));
    }

    #[test]
    fn a_scenario_replaces_drawdowns_and_can_stop_gap_use() {
        let mut plan = ReservesPlan {
            reserves: vec![Reserve::new(3, "A", ReserveKind::General, d("5"))],
            ..ReservesPlan::default()
        };
        plan.reserves[0].gap_order = Some(1);
        plan.reserves[0].drawdowns = ds(&["1"]);
        let mut draws = ReserveDraws::default();
        assert!(draws.is_empty());
        draws.drawdowns.insert(3, vec![None, None, Some(d("2"))]);
        draws.drawdowns.insert(99, vec![Some(d("2"))]);
        draws.no_gap_draws = true;
        assert!(!draws.is_empty());
        draws.apply(&mut plan);
        assert_eq!(plan.reserves[0].drawdowns, ds(&["1", "0", "2"]));
        assert_eq!(plan.reserves[0].gap_order, None);
    }

    #[test]
    fn refusals_are_structured() {
        let mut plan = ReservesPlan {
            reserves: vec![Reserve::new(
                1,
                "General fund",
                ReserveKind::General,
                d("1"),
            )],
            ..ReservesPlan::default()
        };
        plan.reserves[0].drawdowns = ds(&["0", "-2"]);
        assert_eq!(
            plan.validate(2),
            Err(PlanError::Figure {
                reserve: "General fund".into(),
                figure: ReserveFigure::Planned {
                    flow: Flow::Drawdowns,
                    year: 1
                },
                problem: FigureProblem::Negative { value: d("-2") },
            })
        );
        plan.reserves[0].drawdowns = ds(&["0", "0", "0"]);
        assert_eq!(
            plan.validate(2),
            Err(PlanError::TooManyFlows {
                reserve: "General fund".into(),
                flow: Flow::Drawdowns,
                count: 3,
                years: 2,
            })
        );
        let mut draws = ReserveDraws::default();
        draws.drawdowns.insert(4, vec![None, Some(d("-1"))]);
        assert_eq!(
            draws.validate(),
            Err(PlanError::Drawdown {
                id: 4,
                year: 1,
                problem: FigureProblem::Negative { value: d("-1") },
            })
        );
        let u = Unit::Millions;
        assert_eq!(
            parse_reserve_figure("abc", u),
            Err(EntryError::Number(NumberError::NotANumber))
        );
        assert_eq!(parse_reserve_figure("TBC", u), Err(EntryError::NoFigure));
        assert_eq!(
            parse_reserve_figure("(3)", u),
            Err(EntryError::Negative { value: d("-3") })
        );
        assert_eq!(
            parse_minimum("150%", u),
            Err(EntryError::PercentOutside { percent: d("150") })
        );
        assert_eq!(parse_minimum("x%", u), Err(EntryError::NotAPercentage));
    }

    #[test]
    fn validation_names_the_reserve_and_figure() {
        let mut plan = ReservesPlan {
            reserves: vec![Reserve::new(
                1,
                "General fund",
                ReserveKind::General,
                d("-1"),
            )],
            ..ReservesPlan::default()
        };
        assert_eq!(
            plan.validate(2).unwrap_err().to_string(),
            "reserve `General fund`: the opening balance is negative (-1)"
        );
        plan.reserves[0].opening = d("1");
        plan.reserves[0].contributions = ds(&["1", "1", "1"]);
        assert_eq!(
            plan.validate(2).unwrap_err().to_string(),
            "reserve `General fund`: 3 contributions for 2 years"
        );
        plan.reserves[0].contributions.pop();
        assert_eq!(plan.validate(2), Ok(()));
        plan.reserves.push(plan.reserves[0].clone());
        assert!(plan
            .validate(2)
            .unwrap_err()
            .to_string()
            .contains("the id 1 is used twice"));
        plan.reserves[1].id = plan.next_id();
        assert_eq!(plan.reserves[1].id, 2);
        plan.minimum = Some(Minimum::ShareOfNetBudget(d("1.5")));
        assert!(plan
            .validate(2)
            .unwrap_err()
            .to_string()
            .contains("outside 0 to 1"));
    }

    #[test]
    fn entries_are_read_with_the_page_parser_and_refused_with_a_reason() {
        let u = Unit::Millions;
        assert_eq!(parse_reserve_figure("£1.5m", u), Ok(d("1.5")));
        assert_eq!(parse_reserve_figure("-", u), Ok(Decimal::ZERO));
        assert_eq!(
            parse_reserve_figure("abc", u).unwrap_err().to_string(),
            "is not an amount"
        );
        assert!(parse_reserve_figure("TBC", u)
            .unwrap_err()
            .to_string()
            .starts_with("is not a figure"));
        assert!(parse_reserve_figure("2000000000000000000", u).is_err());
        assert_eq!(
            parse_minimum("12.5%", u),
            Ok(Some(Minimum::ShareOfNetBudget(d("0.125"))))
        );
        assert_eq!(
            parse_minimum("x%", u).unwrap_err().to_string(),
            "is not a percentage (write it as 5%)"
        );
        assert_eq!(
            parse_minimum("-1", u).unwrap_err().to_string(),
            "is negative; a reserve's figures are from zero up"
        );
        for m in [
            Minimum::Amount(d("2.50")),
            Minimum::ShareOfNetBudget(d("0.05")),
        ] {
            assert_eq!(
                parse_minimum(&m.entry_text(), u)
                    .unwrap()
                    .unwrap()
                    .level(d("100")),
                m.level(d("100"))
            );
        }
    }

    #[test]
    fn json_is_lean_and_reads_defaults() {
        let plan: ReservesPlan = serde_json::from_str(
            r#"{"reserves":[{"id":1,"name":"GF","opening":"10.5","minimum":{"share_of_net_budget":"0.05"}}]}"#,
        )
        .unwrap();
        let r = &plan.reserves[0];
        assert_eq!(r.kind, ReserveKind::General);
        assert_eq!(r.minimum, Some(Minimum::ShareOfNetBudget(d("0.05"))));
        assert_eq!(plan.draw_limit, DrawLimit::Balance);
        let text = serde_json::to_string(&plan).unwrap();
        assert!(text.contains("\"opening\":\"10.5\""), "{text}");
        assert_eq!(serde_json::from_str::<ReservesPlan>(&text).unwrap(), plan);
    }

    #[test]
    fn a_scenario_use_of_reserves_is_read_signed_or_blank() {
        assert_eq!(
            parse_reserves_use("1.000", Unit::Millions),
            Ok(Some(d("1.000")))
        );
        assert_eq!(
            parse_reserves_use("-0.5", Unit::Millions),
            Ok(Some(d("-0.5")))
        );
        assert_eq!(
            parse_reserves_use("(0.5)", Unit::Millions),
            Ok(Some(d("-0.5")))
        );
        assert_eq!(parse_reserves_use("", Unit::Millions), Ok(None));
        assert_eq!(parse_reserves_use("  ", Unit::Millions), Ok(None));
        assert!(parse_reserves_use("abc", Unit::Millions).is_err());
        assert!(parse_reserves_use("TBC", Unit::Millions).is_err());
    }

    #[test]
    fn a_reserve_year_is_set_past_the_list() {
        let mut r = Reserve::new(1, "General", ReserveKind::General, d("10"));
        r.set_drawdown(2, d("3"));
        assert_eq!(r.drawdowns, vec![d("0"), d("0"), d("3")]);
        r.set_drawdown(0, d("1"));
        assert_eq!(r.drawdown(0), d("1"));
        assert_eq!(r.drawdown(2), d("3"));
        r.set_contribution(1, d("2"));
        assert_eq!(r.contribution(1), d("2"));
        assert_eq!(r.contribution(0), d("0"));
        assert_eq!(r.contributions.len(), 2);
    }
}
