//! The funding gap: a forecast or funding-gap table read as a model, its gap worked out year by
//! year, its published result rows checked, and a savings schedule fed into it (docs/domain.md, "The
//! funding gap").
//!
//! This module owns the reading of a line-labelled table ([`gap_model`]: each row given a
//! [`GapRole`] from its label, each result row a [`GapResult`]), the arithmetic of the gap
//! ([`compute_gap`]), the bridge of one year ([`bridge`]), and the test of whether an uploaded
//! table is a gap table at all ([`looks_like_gap_table`]). It does not read files (`import`),
//! convert profiles (`profile`; the feed reads full-year effects from there) or judge a figure
//! (`checks::classify`).
//!
//! The rules, each stated again where it is applied:
//!
//! - **Figures as published.** A row keeps the figures the file wrote. For the arithmetic each is
//!   read as a positive-meaning quantity of its role: a saving, funding or reserves row whose
//!   figures are mostly negative (`Savings / Cost Avoidance (from Investment)`, `(2.276)`) means
//!   the negation; every other row means what it says. A mixed row such as `Proposed CYPS
//!   Investment / (Saving)` is an investment row, signed as written: a negative is a saving.
//! - **Requirement** = base budget + pressures + investment − savings.
//! - **Gap before reserves** = requirement − funding + reported gap + changes. A table with a
//!   base budget and *no funding row* (a directorate forecast) is funded at its base budget, its
//!   cash limit: funding is then the base budget, and the gap is pressures + investment −
//!   savings + reported gap + changes.
//! - **Gap after reserves** = gap before reserves − the table's planned use of reserves − the
//!   reserves plan's drawdowns to close the gap. The plan ([`GapModel::reserves_plan`], worked
//!   out by `reserves`) draws only on what the table's own reserves leave, so nothing closes the
//!   same part of the gap twice; with no plan the gap after reserves is the table's. This one
//!   figure is what every view, the scenario comparison, the delivery risk simulation and the
//!   exports read. Reserves close their own year's gap once and never recur.
//! - **Cumulative gap** = gap before reserves (against the base year); **annual gap** = the
//!   change in the cumulative gap (the first year: its cumulative gap), so the annual gaps up to
//!   a year add up to that year's cumulative gap; likewise the **annual gap after reserves**.
//! - **Unidentified savings** = the gap after reserves where positive, else zero.
//! - **Stated**: a row's figure is the year's level ([`Stated::PerYear`]) or its change on the
//!   previous year ([`Stated::ChangeOnPrevious`]), whose level is then the sum of its figures so
//!   far.
//! - **Checks**: each published result cell is judged with [`classify`](super::classify) against
//!   the computed figure, with the Sum machinery's tolerance (half a unit per summed figure). A
//!   blank or no-figure cell makes no claim.
//! - **Feed**: a savings schedule's savings (savings positive, full-year effects in the
//!   cumulative view) add to the savings, converted exactly to the model's unit and matched by
//!   financial year; moving one of its figures by X moves that year's gap (and, in the
//!   cumulative view, every later year's) by exactly −X.
//!
//! Every figure is an exact [`Decimal`]; unit conversions are exact powers of ten.

use rust_decimal::Decimal;

use super::checks::{judge, Check, CheckColumn, Subject};
use super::feed::{feeds_savings, savings_both_in_integers, savings_in_integers};
use super::netting::effect_sums;
use super::profile::line_in_profile;
use super::reserves::{plan_figures, ReserveFigures};
use crate::engine::model::gap::GapModel;
use crate::engine::model::gap::GapResult;
use crate::engine::model::gap::GapRole;
use crate::engine::model::gap::GapRow;
use crate::engine::model::schedule::{
    FinancialYear, Line, Profile, Recurrence, Schedule, Unit, YearColumn,
};
use crate::engine::model::sum::times;
use crate::engine::model::sum::Sum;

/// One year of the gap, every figure a [`Sum`] (exact value, figures summed, missing cells,
/// rounding tolerance) in the model's unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GapYear {
    pub year: FinancialYear,
    pub base_budget: Sum,
    /// Positive = funding available. The base budget when the table has no funding row.
    pub funding: Sum,
    pub pressures: Sum,
    pub investment: Sum,
    /// Positive = a saving: the savings rows and the fed schedule.
    pub savings: Sum,
    /// The fed schedule's part of `savings`; `None` when nothing is fed.
    pub fed_savings: Option<Sum>,
    /// Positive = planned use of reserves: the table's own reserves rows.
    pub reserves: Sum,
    /// `None` when the table has no reported gap row.
    pub reported_gap: Option<Sum>,
    pub changes: Sum,
    pub requirement: Sum,
    pub gap_before_reserves: Sum,
    /// Gap before reserves − the table's own `reserves`: what the reserves plan is drawn to
    /// close where positive. Equal to `gap_after_reserves` when the model has no plan.
    pub gap_after_table_reserves: Sum,
    /// Per reserve the plan uses to close the gap, in the order they are drawn: what it gave
    /// this year (zero when it had nothing left or nothing was needed). Empty with no plan.
    pub plan_draws: Vec<PlanDraw>,
    /// The plan's drawdowns to close the gap this year, added up (zero with no plan).
    pub plan_drawn: Sum,
    /// The gap after reserves: `gap_after_table_reserves − plan_drawn`, i.e. gap before
    /// reserves − the table's reserves − the plan's drawdowns to close the gap. The one gap
    /// after reserves of every view and export.
    pub gap_after_reserves: Sum,
    pub cumulative_gap: Sum,
    pub annual_gap: Sum,
    /// The change of the gap after reserves on the year before (the first year: the gap after
    /// reserves itself).
    pub annual_gap_after_reserves: Sum,
    /// Savings still to find: the gap after reserves if positive, else zero.
    pub unidentified: Sum,
}

/// What one reserve of the plan gave to close one year's gap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanDraw {
    /// The reserve's [`Reserve::id`](crate::engine::model::reserves::Reserve).
    pub id: u32,
    pub name: String,
    /// The drawdown to close the gap (exact: no rounding tolerance of its own).
    pub drawn: Sum,
}

/// One bar of a year's bridge (waterfall).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BridgeStep {
    pub label: String,
    /// `None` for the start and end bars.
    pub role: Option<GapRole>,
    /// Where the bar starts: zero for the start and end bars, the previous bar's end for a
    /// step.
    pub start: Decimal,
    /// Where it ends: start + the step's effect on the gap.
    pub end: Decimal,
    /// For a drawdown of the reserves plan, the reserve's id (the step is labelled with its
    /// name); `None` for every other bar.
    pub reserve: Option<u32>,
}

impl BridgeStep {
    /// The figure a bar is labelled with: the step's effect on the gap (end − start), or for
    /// the start and end bars (no role) the level they stand at.
    pub fn change(&self) -> Decimal {
        if self.role.is_none() {
            self.end
        } else {
            self.end - self.start
        }
    }
}

/// The gap worked out, and the file's result rows checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GapFigures {
    /// One per year of the model.
    pub years: Vec<GapYear>,
    /// The published result rows judged against `years`, with
    /// `Check.subject = Subject::GapResult { index }` (index into `GapModel::results`).
    pub checks: Vec<Check>,
    /// True when the table has no funding row, so that its base budget stands as the funding
    /// available (the cash limit).
    pub funding_is_base_budget: bool,
    /// The model's reserves plan worked out against the gap after the table's own reserves
    /// (`reserves`, module doc "The rules"), when the model has one: the balances, and the
    /// drawdowns [`GapYear::plan_draws`] takes off the gap.
    pub reserves: Option<ReserveFigures>,
}

/// The label of a bridge's start bar.
pub const BRIDGE_START: &str = "Starting gap";
/// The label of a bridge's end bar.
pub const BRIDGE_END: &str = "Gap after reserves";
/// The label of the bridge step of the fed schedule's savings.
pub const BRIDGE_FED: &str = "Savings from the schedule";

/// Works out the gap of every year of the model (docs/domain.md, "The funding gap"), and checks the
/// published result rows.
///
/// Per year, each row read as its role's positive quantity ([`GapRow::quantities`]):
/// requirement = base budget + pressures + investment − savings; gap before reserves =
/// requirement − funding + reported gap + changes, where a table with no funding row is funded
/// at its base budget (so its gap is pressures + investment − savings + reported gap +
/// changes); gap after reserves = gap before reserves − reserves, the reserves closing that
/// year's gap only; cumulative gap = gap before reserves; annual gap = its change on the year
/// before; unidentified savings = the gap after reserves where positive.
///
/// With `model.feed` set and a `savings` schedule given, the schedule's savings add to each
/// year's savings (see [`SavingsFeed`]); `savings` is ignored otherwise.
///
/// The checks judge the published result rows against these figures, the ones shown beside
/// them, fed savings included. Fed in place of the table's own savings row (that row set to
/// [`GapRole::Other`]), a schedule that restates it checks ok; fed on top of it, every result
/// that counts savings differs by exactly the fed savings, which is what the feed changes.
///
/// A published result is judged with [`classify`](super::classify) against the computed figure
/// of its kind: a revised gap and a gap before reserves against the gap before reserves, a gap
/// after reserves against the gap after reserves, a net forecast against the requirement, a
/// funding support row against requirement − base budget (pressures + investment − savings), an
/// annual gap (before or after reserves) against the change of that gap on the year before.
pub fn compute_gap(model: &GapModel, savings: Option<&Schedule>) -> GapFigures {
    let fed = match (&model.feed, savings) {
        (Some(feed), Some(schedule)) => Some(fed_savings(schedule, feed.profile, model)),
        _ => None,
    };
    gap_figures(model, fed)
}

/// [`compute_gap`] with the schedule's [`savings_sums`] in the feed's view already added up
/// (kept up to date by [`super::Live`] as lines are edited).
pub(crate) fn compute_gap_from_sums(
    model: &GapModel,
    schedule: &Schedule,
    sums: &[Sum],
) -> GapFigures {
    let fed = model
        .feed
        .as_ref()
        .map(|_| fed_from_sums(schedule, model, sums));
    gap_figures(model, fed)
}

fn gap_figures(model: &GapModel, fed: Option<Vec<Sum>>) -> GapFigures {
    let funding_is_base_budget = !model.rows.iter().any(|r| r.role == GapRole::Funding);
    let mut years = gap_years(model, fed.as_deref());
    // The file's result rows are claims about the table as published: they are checked against
    // the figures without the fed schedule and without the reserves plan (both the user's, not
    // the table's), so neither ever turns them into errors.
    let checks = if fed.is_some() {
        result_checks(model, &gap_years(model, None))
    } else {
        result_checks(model, &years)
    };
    let reserves = apply_plan(model, &mut years);
    GapFigures {
        years,
        checks,
        funding_is_base_budget,
        reserves,
    }
}

/// Works out the model's reserves plan against each year's gap after the table's own reserves
/// and takes its drawdowns to close the gap off the gap after reserves (module doc, "Gap after
/// reserves"): per year, each reserve drawn for the gap becomes a [`PlanDraw`], and the gap
/// after reserves, its annual change and the unidentified savings are worked out again from
/// `gap_after_table_reserves − plan_drawn`. Nothing changes when the model has no plan.
fn apply_plan(model: &GapModel, years: &mut [GapYear]) -> Option<ReserveFigures> {
    let gaps: Vec<Decimal> = years
        .iter()
        .map(|y| y.gap_after_table_reserves.value)
        .collect();
    let plan = plan_figures(model, &gaps, &net_of(model, years))?;
    let mut previous_after: Option<Sum> = None;
    for (y, g) in years.iter_mut().enumerate() {
        g.plan_draws = plan
            .gap_order
            .iter()
            .filter_map(|&i| {
                let run = plan.reserves.get(i)?;
                Some(PlanDraw {
                    id: run.id,
                    name: run.name.clone(),
                    drawn: exact(run.years.get(y)?.gap_drawdown),
                })
            })
            .collect();
        g.plan_drawn = exact(
            plan.years
                .get(y)
                .map(|t| t.gap_drawdowns)
                .unwrap_or_default(),
        );
        g.gap_after_reserves = combine(&[(&g.gap_after_table_reserves, 1), (&g.plan_drawn, -1)]);
        g.annual_gap_after_reserves = match &previous_after {
            None => g.gap_after_reserves.clone(),
            Some(p) => combine(&[(&g.gap_after_reserves, 1), (p, -1)]),
        };
        previous_after = Some(g.gap_after_reserves.clone());
        g.unidentified = g.gap_after_reserves.clone();
        if g.unidentified.value <= Decimal::ZERO {
            g.unidentified.value = Decimal::ZERO;
        }
    }
    Some(plan)
}

/// An exact figure as a [`Sum`]: its value, no figures summed, no rounding to allow for.
fn exact(value: Decimal) -> Sum {
    Sum {
        value,
        ..Sum::default()
    }
}

/// The net budget of each year of the model, the base of a reserve's minimum set as a share of
/// it: the year's base budget when the table has a base budget row (`Net Budget`), else its
/// funding.
pub fn net_budgets(model: &GapModel, figures: &GapFigures) -> Vec<Decimal> {
    net_of(model, &figures.years)
}

fn net_of(model: &GapModel, years: &[GapYear]) -> Vec<Decimal> {
    let has_base = model.rows.iter().any(|r| r.role == GapRole::BaseBudget);
    years
        .iter()
        .map(|y| {
            if has_base {
                y.base_budget.value
            } else {
                y.funding.value
            }
        })
        .collect()
}

/// Works out the model's reserves plan year by year (`reserves`, module doc "The rules")
/// against the gap `figures` that [`compute_gap`] gave for the same model (with the savings
/// fed, so the gap is what savings leave): the plan draws on each year's gap after the table's
/// own reserves ([`GapYear::gap_after_table_reserves`]). `None` when the model has no plan.
/// For figures of the same model this is [`GapFigures::reserves`].
///
/// ```
/// use gapwise::engine::{compute_gap, compute_reserves, gap_model, import, ImportOptions,
///     Reserve, ReserveKind, ReservesPlan};
/// use rust_decimal::Decimal;
/// let csv = "Line,2020/21,2021/22\n,£m,£m\nNet Budget,50,50\nPressures,3,5\n";
/// let mut model = gap_model(&import(csv.as_bytes(), "t.csv", &ImportOptions::default())?.schedule);
/// let mut general = Reserve::new(1, "General fund", ReserveKind::General, Decimal::new(6, 0));
/// general.gap_order = Some(1);
/// model.reserves_plan = Some(ReservesPlan { reserves: vec![general], ..ReservesPlan::default() });
/// let gap = compute_gap(&model, None);
/// let r = compute_reserves(&model, &gap).unwrap();
/// // Gaps of 3 and 5: 3 drawn, then the 3 left; 2 of the second year's gap is unclosed.
/// let closing: Vec<_> = r.years.iter().map(|y| y.closing).collect();
/// assert_eq!(closing, [Decimal::new(3, 0), Decimal::ZERO]);
/// assert_eq!(r.years[1].gap_unclosed, Decimal::TWO);
/// assert_eq!(r.exhausted.map(|y| y.to_string()).as_deref(), Some("2021/22"));
/// // The gap after reserves is the gap left after the plan's drawdowns: 0 and 2.
/// let after: Vec<_> = gap.years.iter().map(|y| y.gap_after_reserves.value).collect();
/// assert_eq!(after, [Decimal::ZERO, Decimal::TWO]);
/// assert_eq!(gap.reserves, Some(r));
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn compute_reserves(model: &GapModel, figures: &GapFigures) -> Option<ReserveFigures> {
    let gaps: Vec<Decimal> = figures
        .years
        .iter()
        .map(|y| y.gap_after_table_reserves.value)
        .collect();
    plan_figures(model, &gaps, &net_budgets(model, figures))
}

/// The bridge (waterfall) of one year, from the starting gap to the gap after reserves: a
/// start bar (from zero to the starting gap: base budget − funding, plus any reported gap; with
/// no funding row the base budget is the funding and the starting gap is the reported gap), then
/// one step per pressure row, per investment row, per change row, per savings row, one for the
/// fed schedule's savings (when fed), one per reserves row, then one per reserve the reserves
/// plan draws to close the gap ([`GapYear::plan_draws`], labelled with the reserve's name, in
/// the order drawn), each starting where the one before ended and ending at its start plus its
/// effect on the gap (pressures, investment and changes add; savings and reserves take away),
/// and an end bar from zero to the gap after reserves, where the last step ends.
/// Empty when `year` is not a year of the model.
pub fn bridge(model: &GapModel, figures: &GapFigures, year: usize) -> Vec<BridgeStep> {
    let (Some(_), Some(g)) = (model.years.get(year), figures.years.get(year)) else {
        return Vec::new();
    };
    let quantity = |r: &GapRow| {
        r.quantities()
            .get(year)
            .map(|s| s.value)
            .unwrap_or_default()
    };
    let has_funding = model.rows.iter().any(|r| r.role == GapRole::Funding);
    let start: Decimal = model
        .rows
        .iter()
        .map(|r| match r.role {
            GapRole::BaseBudget if has_funding => quantity(r),
            GapRole::Funding => -quantity(r),
            GapRole::ReportedGap => quantity(r),
            _ => Decimal::ZERO,
        })
        .sum();
    let mut steps = vec![BridgeStep {
        label: BRIDGE_START.to_string(),
        role: None,
        start: Decimal::ZERO,
        end: start,
        reserve: None,
    }];
    let mut at = start;
    let mut step = |label: String, role: GapRole, effect: Decimal, reserve: Option<u32>| {
        steps.push(BridgeStep {
            label,
            role: Some(role),
            start: at,
            end: at + effect,
            reserve,
        });
        at += effect;
    };
    let groups = [
        (GapRole::Pressure, Decimal::ONE),
        (GapRole::Investment, Decimal::ONE),
        (GapRole::Change, Decimal::ONE),
        (GapRole::Savings, Decimal::NEGATIVE_ONE),
    ];
    for (role, sign) in groups {
        for r in model.rows.iter().filter(|r| r.role == role) {
            step(r.label.clone(), role, sign * quantity(r), None);
        }
    }
    if let Some(fed) = &g.fed_savings {
        step(BRIDGE_FED.to_string(), GapRole::Savings, -fed.value, None);
    }
    for r in model.rows.iter().filter(|r| r.role == GapRole::Reserves) {
        step(r.label.clone(), GapRole::Reserves, -quantity(r), None);
    }
    for draw in &g.plan_draws {
        step(
            draw.name.clone(),
            GapRole::Reserves,
            -draw.drawn.value,
            Some(draw.id),
        );
    }
    steps.push(BridgeStep {
        label: BRIDGE_END.to_string(),
        role: None,
        start: Decimal::ZERO,
        end: g.gap_after_reserves.value,
        reserve: None,
    });
    steps
}

/// The figures of every year, with `fed` (per model year, in the model's unit) added to the
/// savings when given.
fn gap_years(model: &GapModel, fed: Option<&[Sum]>) -> Vec<GapYear> {
    let n = model.years.len();
    let zero = || vec![Sum::default(); n];
    let (mut base, mut funding, mut pressures, mut investment) = (zero(), zero(), zero(), zero());
    let (mut savings, mut reserves, mut reported, mut changes) = (zero(), zero(), zero(), zero());
    let mut has_reported = false;
    let mut has_funding = false;
    for row in &model.rows {
        let target = match row.role {
            GapRole::BaseBudget => &mut base,
            GapRole::Funding => {
                has_funding = true;
                &mut funding
            }
            GapRole::Pressure => &mut pressures,
            GapRole::Investment => &mut investment,
            GapRole::Savings => &mut savings,
            GapRole::Reserves => &mut reserves,
            GapRole::ReportedGap => {
                has_reported = true;
                &mut reported
            }
            GapRole::Change => &mut changes,
            GapRole::Other => continue,
        };
        for (sum, q) in target.iter_mut().zip(row.quantities()) {
            sum.merge(&q);
        }
    }
    let mut years = Vec::with_capacity(n);
    let mut previous_cumulative: Option<Sum> = None;
    let mut previous_after: Option<Sum> = None;
    for y in 0..n {
        let fed_y = fed.map(|f| f.get(y).cloned().unwrap_or_default());
        let mut savings_y = savings[y].clone();
        if let Some(f) = &fed_y {
            savings_y.merge(f);
        }
        let requirement = combine(&[
            (&base[y], 1),
            (&pressures[y], 1),
            (&investment[y], 1),
            (&savings_y, -1),
        ]);
        let (funding_y, gap_before) = if has_funding {
            let gap = combine(&[
                (&requirement, 1),
                (&funding[y], -1),
                (&reported[y], 1),
                (&changes[y], 1),
            ]);
            (funding[y].clone(), gap)
        } else {
            // No funding row: the base budget is the funding available, and cancels out.
            let gap = combine(&[
                (&pressures[y], 1),
                (&investment[y], 1),
                (&savings_y, -1),
                (&reported[y], 1),
                (&changes[y], 1),
            ]);
            (base[y].clone(), gap)
        };
        let gap_after = combine(&[(&gap_before, 1), (&reserves[y], -1)]);
        let cumulative = gap_before.clone();
        let annual = match &previous_cumulative {
            None => cumulative.clone(),
            Some(p) => combine(&[(&cumulative, 1), (p, -1)]),
        };
        previous_cumulative = Some(cumulative.clone());
        let annual_after = match &previous_after {
            None => gap_after.clone(),
            Some(p) => combine(&[(&gap_after, 1), (p, -1)]),
        };
        previous_after = Some(gap_after.clone());
        let mut unidentified = gap_after.clone();
        if unidentified.value <= Decimal::ZERO {
            unidentified.value = Decimal::ZERO;
        }
        years.push(GapYear {
            year: model.years[y].year,
            base_budget: base[y].clone(),
            funding: funding_y,
            pressures: pressures[y].clone(),
            investment: investment[y].clone(),
            savings: savings_y,
            fed_savings: fed_y,
            reserves: reserves[y].clone(),
            reported_gap: has_reported.then(|| reported[y].clone()),
            changes: changes[y].clone(),
            requirement,
            gap_before_reserves: gap_before,
            gap_after_table_reserves: gap_after.clone(),
            plan_draws: Vec::new(),
            plan_drawn: Sum::default(),
            gap_after_reserves: gap_after,
            cumulative_gap: cumulative,
            annual_gap: annual,
            annual_gap_after_reserves: annual_after,
            unidentified,
        });
    }
    years
}

/// Every published result cell judged against the computed figure of its kind.
fn result_checks(model: &GapModel, years: &[GapYear]) -> Vec<Check> {
    let mut checks = Vec::new();
    for (index, row) in model.results.iter().enumerate() {
        for (y, (published, g)) in row.amounts.iter().zip(years).enumerate() {
            let funding_support;
            let computed = match row.result {
                GapResult::Requirement => &g.requirement,
                GapResult::GapBeforeReserves | GapResult::RevisedGap => &g.gap_before_reserves,
                GapResult::GapAfterReserves => &g.gap_after_reserves,
                GapResult::AnnualGap => &g.annual_gap,
                GapResult::AnnualGapAfterReserves => &g.annual_gap_after_reserves,
                GapResult::FundingSupport => {
                    funding_support =
                        combine(&[(&g.pressures, 1), (&g.investment, 1), (&g.savings, -1)]);
                    &funding_support
                }
            };
            checks.extend(judge(
                Subject::GapResult { index },
                row.row,
                &row.label,
                CheckColumn::Year(y),
                &model.years[y].header,
                published,
                computed,
            ));
        }
    }
    checks
}

/// A savings schedule's savings per year of the model, savings positive, in the model's unit:
/// every line that is not a memo and not an investment, cost or net measure, read through the
/// schedule's sign convention ([`SignConvention::to_internal`](super::SignConvention::to_internal));
/// in the [`Profile::Cumulative`] view each line's full-year effects (a one-off counting only in
/// its year), in the [`Profile::Incremental`] view each year's increment (the schedule's own
/// figures for a recurring line of an incremental schedule; a one-off's reversal the next year
/// written out, as docs/domain.md, "Profiles", has a one-off saving reversed the next year). Converted exactly
/// from the schedule's unit to the model's, matched by financial year; a year the schedule lacks
/// gets nothing.
fn fed_savings(schedule: &Schedule, view: Profile, model: &GapModel) -> Vec<Sum> {
    fed_from_sums(schedule, model, &savings_sums(schedule, view))
}

/// The savings a schedule can feed to a gap, per year of the schedule, in its own unit and sign
/// convention: every counted line's [`line_savings`] added up (in integers by
/// [`savings_in_integers`] when they fit, else line by line with `Decimal`).
pub(crate) fn savings_sums(schedule: &Schedule, view: Profile) -> Vec<Sum> {
    savings_in_integers(schedule, view).unwrap_or_else(|| savings_sums_by_line(schedule, view))
}

/// [`savings_sums`] in the cumulative view and in the incremental view, in one pass when they
/// fit in integers.
pub(crate) fn savings_sums_both(schedule: &Schedule) -> (Vec<Sum>, Vec<Sum>) {
    savings_both_in_integers(schedule).unwrap_or_else(|| {
        (
            savings_sums_by_line(schedule, Profile::Cumulative),
            savings_sums_by_line(schedule, Profile::Incremental),
        )
    })
}

/// [`savings_sums`] line by line, with `Decimal` addition.
pub(crate) fn savings_sums_by_line(schedule: &Schedule, view: Profile) -> Vec<Sum> {
    let mut per_year = vec![Sum::default(); schedule.years.len()];
    for line in &schedule.lines {
        if let Some(sums) = line_savings(schedule, line, view) {
            for (acc, s) in per_year.iter_mut().zip(&sums) {
                acc.merge(s);
            }
        }
    }
    per_year
}

/// What one line adds to the fed savings per year, in `view`: nothing for a memo line or an
/// investment, cost or net line (they are not savings); otherwise its full-year effects
/// (cumulative view) or the savings it adds each year (incremental view).
pub(crate) fn line_savings(schedule: &Schedule, line: &Line, view: Profile) -> Option<Vec<Sum>> {
    feeds_savings(schedule, line).then(|| match view {
        Profile::Cumulative => effect_sums(line, schedule.profile),
        Profile::Incremental => increments(line, schedule.profile),
    })
}

/// The fed savings per model year, in the model's unit and savings positive, from the
/// schedule's [`savings_sums`]: matched by year, a year the schedule lacks feeding nothing.
fn fed_from_sums(schedule: &Schedule, model: &GapModel, per_year: &[Sum]) -> Vec<Sum> {
    fed_in(schedule, &model.years, model.unit, per_year)
}

/// [`fed_from_sums`] for any years and unit: per year of `years`, the schedule's figure of the
/// same financial year, savings positive, converted exactly to `unit`; zero where the schedule
/// lacks the year.
fn fed_in(schedule: &Schedule, years: &[YearColumn], unit: Unit, per_year: &[Sum]) -> Vec<Sum> {
    let sign = schedule.sign.factor();
    let shift = schedule.unit.exponent() as i32 - unit.exponent() as i32;
    years
        .iter()
        .map(|column| {
            schedule
                .years
                .iter()
                .position(|c| c.year == column.year)
                .and_then(|j| per_year.get(j))
                .map(|s| convert(&times(s, sign), shift))
                .unwrap_or_default()
        })
        .collect()
}

/// Per line that feeds savings ([`line_savings`]), as (index into `schedule.lines`, figures):
/// what it adds to the savings in each of `years`, in `unit`, savings positive, in `view`.
/// Added up over the lines these are exactly the savings [`compute_gap`] feeds (conversions
/// are exact powers of ten), which is what the delivery risk simulation multiplies by each
/// line's drawn rate.
pub(crate) fn line_feeds(
    schedule: &Schedule,
    view: Profile,
    years: &[YearColumn],
    unit: Unit,
) -> Vec<(usize, Vec<Sum>)> {
    schedule
        .lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            line_savings(schedule, line, view).map(|sums| (i, fed_in(schedule, years, unit, &sums)))
        })
        .collect()
}

/// A line's saving added in each year (its incremental view) as Sums: its own cells for a
/// recurring line of an incremental schedule, else the change in its full-year effect.
fn increments(line: &Line, own: Profile) -> Vec<Sum> {
    if own == Profile::Incremental && line.recurrence == Recurrence::Recurring {
        return line
            .amounts
            .iter()
            .map(|a| {
                let mut s = Sum::default();
                s.add(a);
                s
            })
            .collect();
    }
    let effects = effect_sums(line, own);
    let seen = line_in_profile(line, own, Profile::Incremental);
    let mut previous: Option<&Sum> = None;
    effects
        .iter()
        .zip(&seen)
        .map(|(effect, shown)| {
            let mut step = match previous {
                None => effect.clone(),
                Some(p) => combine(&[(effect, 1), (p, -1)]),
            };
            debug_assert!(shown.value().is_none_or(|v| v == step.value) || !step.is_complete());
            if let Some(v) = shown.value() {
                step.value = v;
            }
            previous = Some(effect);
            step
        })
        .collect()
}

/// Adds and takes away sums: the value is the signed total; the figures, missing cells and
/// tolerance of every term add up (a difference of rounded figures can be out by both their
/// roundings).
fn combine(terms: &[(&Sum, i8)]) -> Sum {
    let mut out = Sum::default();
    for (s, sign) in terms {
        let mut t = (*s).clone();
        if *sign < 0 {
            t.value = -t.value;
        }
        out.merge(&t);
    }
    out
}

/// A sum with its value multiplied by `factor` (±1, or a power of ten): the rounding tolerance
/// scales by its magnitude.
/// Converts a sum by a power of ten (`shift` = the source unit's exponent − the target's):
/// exact, and keeping the written decimals moved by the shift (`4,886.0` £'000 is `4.8860` £m).
/// A value too large to convert (beyond `Decimal`) counts as a missing figure rather than a
/// wrong one.
fn convert(s: &Sum, shift: i32) -> Sum {
    if shift == 0 {
        return s.clone();
    }
    let factor = if shift > 0 {
        Decimal::from_i128_with_scale(10i128.pow(shift.unsigned_abs()), 0)
    } else {
        Decimal::new(1, shift.unsigned_abs())
    };
    match (s.value.checked_mul(factor), s.tolerance.checked_mul(factor)) {
        (Some(value), Some(tolerance)) => Sum {
            value,
            tolerance,
            ..s.clone()
        },
        _ => Sum {
            missing: s.missing + 1,
            ..s.clone()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::checks::CheckStatus;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use crate::engine::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn schedule(csv: &str) -> Schedule {
        import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn values(f: &GapFigures, pick: impl Fn(&GapYear) -> &Sum) -> Vec<String> {
        f.years.iter().map(|y| pick(y).value.to_string()).collect()
    }

    #[test]
    fn roles_from_labels() {
        use GapRole::*;
        let cases = [
            (
                "Estimated Funding Gap as Reported July 2016 MTFS",
                ReportedGap,
            ),
            (
                "Proposed CYPS Additional Funding - Pressure/Demand",
                Pressure,
            ),
            ("Proposed CYPS Investment / (Saving)", Investment),
            ("Proposed Adult Care Investment", Investment),
            ("Proposed Corporate Services Investment", Investment),
            ("Additional funding requested in current year", Other),
            (
                "Revised Future Years Funding Gap as a result of this report",
                Other,
            ),
            ("Net Budget", BaseBudget),
            ("Pressure (Demand/Demographic)", Pressure),
            ("Pressure (Reduction in Short Term Reserve)", Pressure),
            ("Investment", Investment),
            ("Savings / Cost Avoidance (from Investment)", Savings),
            ("Net Forecast", Other),
            ("Overall Investment / Funding Support", Other),
            ("Planned use of reserves", Reserves),
            ("Revenue Support Grant", Funding),
            ("Council Tax", Funding),
            ("Inflation", Pressure),
            ("Demand Management savings", Savings),
            ("Demand management", Other),
            ("Other changes", Change),
            ("Change to previously reported gap", Change),
            ("Early Help Review", Other),
        ];
        for (label, role) in cases {
            assert_eq!(GapRole::from_label(label), role, "{label}");
            assert_eq!(GapRole::from_label(&label.to_uppercase()), role, "{label}");
        }
        assert_eq!(GapRole::ALL.len(), 9);
        assert!(GapRole::ALL.iter().all(|r| !r.label().is_empty()));
    }

    #[test]
    fn results_from_labels() {
        use GapResult::*;
        let r = GapResult::from_label;
        assert_eq!(
            r("Revised Future Years Funding Gap as a result of this report"),
            Some(RevisedGap)
        );
        assert_eq!(r("Net Forecast"), Some(Requirement));
        assert_eq!(
            r("Overall Investment / Funding Support"),
            Some(FundingSupport)
        );
        assert_eq!(
            r("Funding gap after use of reserves"),
            Some(GapAfterReserves)
        );
        assert_eq!(r("Total funding gap"), Some(GapBeforeReserves));
        assert_eq!(
            r("Additional funding requested in current year"),
            Some(GapBeforeReserves)
        );
        assert_eq!(r("Estimated Funding Gap as Reported July 2016 MTFS"), None);
        assert_eq!(r("Total Budget Savings"), None);
    }

    #[test]
    fn stated_from_labels() {
        use crate::engine::model::gap::Stated::*;
        for (label, stated) in [
            ("Pressures: change on previous year", ChangeOnPrevious),
            ("Grant: increase on previous year", ChangeOnPrevious),
            ("Savings (year on year change)", ChangeOnPrevious),
            ("Reserves movement", ChangeOnPrevious),
            (
                "Proposed CYPS Additional Funding - Pressure/Demand",
                PerYear,
            ),
            ("Net Budget", PerYear),
        ] {
            assert_eq!(Stated::from_label(label), stated, "{label}");
        }
    }

    #[test]
    fn mostly_negative_savings_funding_and_reserves_are_negated_others_never() {
        let row = |role, cells: &[&str]| GapRow {
            label: String::new(),
            row: 1,
            role,
            stated: Stated::PerYear,
            amounts: cells
                .iter()
                .map(|c| crate::engine::parse_amount(c).unwrap().amount)
                .collect(),
        };
        let published = ["0.000", "(2.276)", "(5.190)", "1.000"];
        for role in [GapRole::Savings, GapRole::Funding, GapRole::Reserves] {
            let r = row(role, &published);
            assert_eq!(r.factor(), Decimal::NEGATIVE_ONE, "{role:?}");
            assert_eq!(r.quantities()[1].value, d("2.276"));
            assert_eq!(r.quantities()[3].value, d("-1.000"));
        }
        for role in [GapRole::Investment, GapRole::Pressure, GapRole::Change] {
            assert_eq!(row(role, &published).factor(), Decimal::ONE, "{role:?}");
        }
        // Half negative is not mostly negative.
        assert_eq!(
            row(GapRole::Savings, &["(1)", "1", ""]).factor(),
            Decimal::ONE
        );
    }

    #[test]
    fn changes_on_previous_year_add_up_to_levels() {
        let mut r = GapRow {
            label: "Pressure: change on previous year".into(),
            row: 1,
            role: GapRole::Pressure,
            stated: Stated::ChangeOnPrevious,
            amounts: ["1.0", "0.5", "", "N/A", "1"]
                .iter()
                .map(|c| crate::engine::parse_amount(c).unwrap().amount)
                .collect(),
        };
        let levels: Vec<_> = r.levels().iter().map(|s| (s.value, s.missing)).collect();
        assert_eq!(
            levels,
            [
                (d("1.0"), 0),
                (d("1.5"), 0),
                (d("1.5"), 0),
                (d("1.5"), 1),
                (d("2.5"), 1)
            ]
        );
        assert_eq!(r.levels()[1].tolerance, d("0.10"));
        r.stated = Stated::PerYear;
        assert_eq!(r.levels()[1].value, d("0.5"));
    }

    #[test]
    fn with_a_funding_row_the_gap_is_requirement_less_funding() {
        let s = schedule(
            "Line,2020/21,2021/22,2022/23\n\
             Base budget,100,100,100\n\
             Funding (council tax and grants),(100),(101),(102)\n\
             Pressures,5,9,14\n\
             Investment,1,1,1\n\
             Savings,2,4,4\n\
             Use of reserves,0,3,0\n",
        );
        assert!(looks_like_gap_table(&s));
        let m = gap_model(&s);
        let roles: Vec<_> = m.rows.iter().map(|r| r.role).collect();
        use GapRole::*;
        assert_eq!(
            roles,
            [BaseBudget, Funding, Pressure, Investment, Savings, Reserves]
        );
        let f = compute_gap(&m, None);
        assert!(!f.funding_is_base_budget);
        assert_eq!(values(&f, |y| &y.funding), ["100", "101", "102"]);
        assert_eq!(values(&f, |y| &y.requirement), ["104", "106", "111"]);
        assert_eq!(values(&f, |y| &y.gap_before_reserves), ["4", "5", "9"]);
        // The reserves close 2021/22's gap only, and do not recur.
        assert_eq!(values(&f, |y| &y.gap_after_reserves), ["4", "2", "9"]);
        assert_eq!(values(&f, |y| &y.cumulative_gap), ["4", "5", "9"]);
        assert_eq!(values(&f, |y| &y.annual_gap), ["4", "1", "4"]);
        assert_eq!(values(&f, |y| &y.unidentified), ["4", "2", "9"]);
        assert_eq!(f.years[0].reported_gap, None);
        assert_eq!(f.years[0].fed_savings, None);
        assert!(f.checks.is_empty());
    }

    #[test]
    fn unidentified_is_never_negative() {
        let s = schedule("Line,2020/21,2021/22\nPressures,5,5\nSavings,7,4\n");
        let f = compute_gap(&gap_model(&s), None);
        assert_eq!(values(&f, |y| &y.gap_after_reserves), ["-2", "1"]);
        assert_eq!(values(&f, |y| &y.unidentified), ["0", "1"]);
    }

    #[test]
    fn result_rows_are_checked_with_the_sum_tolerance() {
        let s = schedule(
            "Line,2020/21,2021/22,2022/23\n\
             Pressures,1.01,1.01,1.01\n\
             Investment,1.01,1.01,1.01\n\
             Total funding gap,2.02,2.03,\n\
             Gap after reserves,2.10,,N/A\n",
        );
        let m = gap_model(&s);
        assert_eq!(m.rows.len(), 2);
        let results: Vec<_> = m.results.iter().map(|r| r.result).collect();
        assert_eq!(
            results,
            [GapResult::GapBeforeReserves, GapResult::GapAfterReserves]
        );
        let f = compute_gap(&m, None);
        let got: Vec<_> = f
            .checks
            .iter()
            .map(|c| (c.subject, c.column, c.status))
            .collect();
        assert_eq!(
            got,
            [
                (
                    Subject::GapResult { index: 0 },
                    CheckColumn::Year(0),
                    CheckStatus::Ok
                ),
                // Two figures of two decimals can hide 0.01.
                (
                    Subject::GapResult { index: 0 },
                    CheckColumn::Year(1),
                    CheckStatus::Rounding
                ),
                (
                    Subject::GapResult { index: 1 },
                    CheckColumn::Year(0),
                    CheckStatus::Error
                ),
            ]
        );
    }

    #[test]
    fn bridge_chains_from_the_starting_gap_to_the_gap_after_reserves() {
        let s = schedule(
            "Line,2020/21\nBase budget,100\nFunding,(99)\nGap reported in February,2\n\
             Demand,5\nInflation,1\nInvestment,1\nSavings,3\nOther changes,0.5\nUse of reserves,2\n",
        );
        let m = gap_model(&s);
        let f = compute_gap(&m, None);
        let steps = bridge(&m, &f, 0);
        let got: Vec<_> = steps
            .iter()
            .map(|s| (s.label.as_str(), s.role, s.start, s.end))
            .collect();
        use GapRole::*;
        assert_eq!(
            got,
            [
                (BRIDGE_START, None, d("0"), d("3")),
                ("Demand", Some(Pressure), d("3"), d("8")),
                ("Inflation", Some(Pressure), d("8"), d("9")),
                ("Investment", Some(Investment), d("9"), d("10")),
                ("Other changes", Some(Change), d("10"), d("10.5")),
                ("Savings", Some(Savings), d("10.5"), d("7.5")),
                ("Use of reserves", Some(Reserves), d("7.5"), d("5.5")),
                (BRIDGE_END, None, d("0"), d("5.5")),
            ]
        );
        assert_eq!(f.years[0].gap_after_reserves.value, d("5.5"));
        assert!(bridge(&m, &f, 1).is_empty());
    }

    #[test]
    fn conversions_are_exact_powers_of_ten() {
        let s = Sum {
            value: d("4886.0"),
            figures: 5,
            missing: 0,
            tolerance: d("0.25"),
        };
        // £'000 (10^3) to £m (10^6): a shift of 3 - 6.
        let m = convert(&s, -3);
        assert_eq!(m.value, d("4.886"));
        assert_eq!(m.value.to_string(), "4.8860");
        assert_eq!(m.tolerance, d("0.00025"));
        assert_eq!(convert(&m, 3).value, d("4886"));
        assert_eq!(convert(&s, 0), s);
        let huge = Sum {
            value: Decimal::MAX,
            ..Sum::default()
        };
        assert_eq!(convert(&huge, 6).missing, 1);
    }

    #[test]
    fn a_one_off_seen_incrementally_reverses_the_next_year() {
        let s = schedule(
            "Project,Description,2017/18,2018/19,2019/20\nA,,10,5,0\nB,One-off savings,0,40,0\n",
        );
        let model = GapModel {
            title: String::new(),
            unit: s.unit,
            years: s.years.clone(),
            rows: Vec::new(),
            results: Vec::new(),
            feed: None,
            reserves_plan: None,
        };
        let inc: Vec<_> = fed_savings(&s, Profile::Incremental, &model)
            .iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(inc, [d("10"), d("45"), d("-40")]);
        let cum: Vec<_> = fed_savings(&s, Profile::Cumulative, &model)
            .iter()
            .map(|s| s.value)
            .collect();
        assert_eq!(cum, [d("10"), d("55"), d("15")]);
    }

    #[test]
    fn savings_schedules_and_appraisals_are_not_gap_tables() {
        assert!(!looks_like_gap_table(&schedule(
            "Project,2017/18\nEarly Help Review,1\nBusiness Support Review,2\n"
        )));
        assert!(!looks_like_gap_table(&schedule(
            "Proposal,Measure,2017/18\nA,Investment,1\nA,Gross Saving,(2)\n"
        )));
        assert!(!looks_like_gap_table(&schedule(
            "Line,2017/18\nStaffing,,\nPressures,1\nSavings,1\n"
        )));
        assert!(!looks_like_gap_table(&schedule("Line,2017/18\n")));
        assert!(looks_like_gap_table(&schedule(
            "Line,2017/18\nPressures,1\nSavings,1\nSomething else,1\n"
        )));
    }

    #[test]
    fn a_bridge_step_is_labelled_with_its_effect() {
        let step = |role, start, end| BridgeStep {
            label: "x".into(),
            role,
            start: d(start),
            end: d(end),
            reserve: None,
        };
        assert_eq!(step(None, "0", "8.027").change(), d("8.027"));
        assert_eq!(
            step(Some(GapRole::Pressure), "8.027", "9.5").change(),
            d("1.473")
        );
        assert_eq!(step(Some(GapRole::Savings), "9.5", "7").change(), d("-2.5"));
    }
}
