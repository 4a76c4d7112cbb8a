//! Delivery risk as a distribution: "how likely is it that the gap is closed in 2019/20, if the
//! red-rated savings mostly don't land?" (docs/domain.md, "Monitoring": lines carry a RAG delivery
//! rating). A seeded simulation draws every saving's achievement many times and reports, per
//! year, the spread (P10, P50, P90) of the savings delivered and of the gap they leave, and the
//! probability that the gap is closed.
//!
//! This module owns the distributions of delivery ([`Delivery`], by rating [`RagDeliveries`]
//! and per line), the simulation's settings ([`RiskSettings`], kept in the [`Scenario`] so a
//! link carries the seed), the simulation itself ([`Simulation`], run in chunks so a Web Worker
//! can report progress and be cancelled between them, or at once with [`simulate`]) and its
//! results ([`SimulationResult`]). Everything crossing a worker boundary is serde-serialisable.
//! It does not apply the scenario's other assumptions itself (`scenario::apply_scenario` and
//! `apply_gap_scenario` do), work out the gap (`gap::compute_gap`) or reserves
//! (`reserves` holds the rules; the simulation runs them on each draw).
//!
//! # The rules
//!
//! - **What is uncertain.** Each line that feeds savings to the gap (not a memo, investment,
//!   cost or net line) is delivered at a rate between 0 and 100 % of its figures *after* the
//!   scenario's slip, scale and exclusion. The rate replaces the deterministic achievement rate:
//!   a line's rate is drawn from its own distribution ([`RiskSettings::lines`], by
//!   [`Line::row`](super::Line)); else, when the scenario sets the line's rate
//!   ([`LineAssumption::rate`](super::LineAssumption)), it is that rate exactly, not drawn;
//!   else it is drawn from its rating's distribution ([`RiskSettings::rag`]).
//! - **One draw per line per run**, used in every year of the line (a saving that
//!   under-delivers does so throughout). Lines move together by the settings' correlation
//!   ([`RiskSettings::correlation`](crate::engine::RiskSettings)): each run draws one
//!   programme-wide factor, and each line's uniform number is leaned on it by a Gaussian copula
//!   that leaves every line's own distribution as it is (`correlation`, where the rule is
//!   stated in full). At correlation 0 no factor is drawn and lines are drawn independently of
//!   each other, exactly as before the correlation existed. A reversal
//!   (a later line withdrawing an earlier one, `netting`) with no distribution or rate of its
//!   own takes the rate drawn for the line it reverses, so the pair still nets to what it
//!   should in every run.
//! - **Distributions** ([`Delivery`]): fixed, uniform(min, max) or triangular(min, mode, max),
//!   every parameter a rate from 0 to 1 with at most [`RATE_DECIMALS`] decimal places.
//!   Triangular is chosen because a budget manager can state it ("at worst 30 %, most likely
//!   75 %, at best all of it") and because its draw needs only a square root, which IEEE 754
//!   computes exactly alike on every machine (unlike logarithms and powers, which a Beta
//!   distribution would need), so the browser and a native test give the same figures.
//! - **Rounding.** A drawn rate is rounded to [`RATE_DECIMALS`] (4) decimal places of a fraction
//!   (0.01 %), half up, and applied to the exact figures: every figure reported is
//!   exact for its draws. A fixed rate is applied exactly as given.
//! - **Savings delivered** per year are what the schedule feeds the gap: with a gap model, in
//!   the model's unit and years and in its feed's view (full-year effects normally; with no feed
//!   set, full-year effects, though they then do not reach the gap); with no gap model, the
//!   full-year effects in the schedule's own unit and years. Savings are positive.
//! - **Gap** per year: the gap model's gap after the table's reserves (`compute_gap`'s
//!   `gap_after_table_reserves`, the scenario's gap assumptions applied) less the savings
//!   delivered in the run; then, if the model has a reserves plan, the **gap left** after the
//!   plan's drawdowns, worked out by the same rules as
//!   [`compute_reserves`](super::gap::compute_reserves), run by run (so reserves are drawn
//!   harder in runs where savings fall short, and may run out). The gap left is the gap after
//!   reserves of the other views: with every rate fixed it equals `compute_gap`'s
//!   `gap_after_reserves` for the scenario. The gap is **closed** in
//!   a run when the gap left (after the reserves plan, if any) is zero or less.
//! - **Percentiles** are nearest-rank: Pk is the ⌈k × N / 100⌉-th smallest of the N runs'
//!   values (with 10,000 runs, P10 is the 1,000th). For savings, P10 is the low case; for the
//!   gap, P90 is the high case (a gap exceeded in only one run in ten). The probability of
//!   closing is the share of runs, rounded to 4 decimal places ([`probability`]).
//! - **Seed.** The random numbers are xoshiro256** seeded through SplitMix64 from
//!   [`RiskSettings::seed`], written out in this module so that the same seed gives the same
//!   figures in every build, on every machine, for as long as links live (a crate's generator or
//!   its conversion to floating point may change between versions). One uniform number per
//!   drawn line per run, lines in schedule order; the common factor, when the correlation is
//!   above 0, from a stream of its own (`correlation`), one number per run.
//!
//! # Exact and fast
//!
//! Each line's figures are turned once into integers in units of 10^−s of the model's unit,
//! where s is the most decimal places any figure has (a `Decimal` is an integer and a scale, so
//! this is exact), and each drawn rate is an integer in units of 0.0001. A run is then one
//! multiply-add of integers per line and year, the products summed in 64-bit integers when the
//! largest possible sum fits (checked once, beforehand), else in 128-bit ones, and turned back
//! into a `Decimal` only for the percentiles. Lines whose rate is fixed are added up once,
//! exactly, outside the runs; lines that share a draw (a reversal pair) are added up first.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};

use super::correlation::{Rng, SharedFactor};
use super::gap::{compute_gap, line_feeds, net_budgets};
use super::netting_run::netting;
use super::reserves::{Movement, Prepared};
use super::scenario::{apply_gap_scenario, apply_scenario};
use crate::engine::model::error::{Error, ErrorKind, SimulationProblem};
use crate::engine::model::gap::GapModel;
use crate::engine::model::rating::RagRates;
use crate::engine::model::risk::Delivery;
use crate::engine::model::risk::Progress;
use crate::engine::model::risk::SimulationResult;
use crate::engine::model::risk::SimulationYear;
use crate::engine::model::risk::Spread;
use crate::engine::model::risk::RATE_DECIMALS;
use crate::engine::model::risk::RATE_UNIT;
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::Schedule;
use crate::engine::model::schedule::{FinancialYear, Profile, Unit, YearColumn};

/// A share of runs as a probability, rounded half to even to 4 decimal places and written
/// with all 4 (no runs: zero).
///
/// ```
/// use gapwise::engine::probability;
/// assert_eq!(probability(2, 3).to_string(), "0.6667");
/// assert_eq!(probability(10_000, 10_000).to_string(), "1.0000");
/// assert_eq!(probability(1, 80_000).to_string(), "0.0000");
/// assert_eq!(probability(3, 80_000).to_string(), "0.0000");
/// assert_eq!(probability(5, 80_000).to_string(), "0.0001");
/// assert_eq!(probability(0, 0).to_string(), "0.0000");
/// ```
/// What a simulation is run on: the schedule as it is (before the scenario), the gap model if
/// any (with its feed and reserves plan), and the scenario, whose assumptions are applied as
/// [`apply_scenario`] and [`apply_gap_scenario`] apply them and whose [`Scenario::risk`] holds
/// the settings.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SimulationInputs {
    pub schedule: Schedule,
    #[serde(default)]
    pub gap: Option<GapModel>,
    pub scenario: Scenario,
}

pub fn probability(count: u32, runs: u32) -> Decimal {
    let mut p = if runs == 0 {
        Decimal::ZERO
    } else {
        (Decimal::from(count) / Decimal::from(runs))
            .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven)
    };
    p.rescale(4);
    p
}

fn refuse(problem: SimulationProblem) -> Error {
    Error::new(ErrorKind::Simulation(problem))
}

/// A distribution ready to draw from, in units of 0.0001 (basis points of a fraction). Every
/// operation is one IEEE 754 computes exactly alike everywhere (+, −, ×, ÷, √, rounding).
#[derive(Clone, Copy, Debug)]
enum Sampler {
    Uniform {
        lo: i64,
        hi: i64,
        width: f64,
    },
    Triangular {
        lo: i64,
        hi: i64,
        /// Where the mode falls: (mode − min) / (max − min).
        split: f64,
        /// (max − min)(mode − min) and (max − min)(max − mode).
        left: f64,
        right: f64,
    },
}

impl Sampler {
    /// The rate for a uniform number u in [0, 1] (1 only from the shared factor), by the
    /// inverse of the distribution function, rounded half up to a whole 0.0001.
    #[inline(always)]
    fn rate(&self, u: f64) -> i64 {
        match *self {
            Sampler::Uniform { lo, hi, width } => {
                let x = lo as f64 + u * width;
                half_up(x).clamp(lo, hi)
            }
            Sampler::Triangular {
                lo,
                hi,
                split,
                left,
                right,
            } => {
                let x = if u < split {
                    lo as f64 + (u * left).sqrt()
                } else {
                    hi as f64 - ((1.0 - u) * right).sqrt()
                };
                half_up(x).clamp(lo, hi)
            }
        }
    }
}

/// A rate of 0 or more in basis points rounded half up to a whole one: x + ½, its fraction
/// dropped. (One addition and one conversion, the same on every machine; `f64::round` is a
/// library call on most targets.)
#[inline(always)]
fn half_up(x: f64) -> i64 {
    (x + 0.5) as i64
}

/// A distribution read for drawing: fixed (exact, never drawn) or a sampler.
enum Draw {
    Fixed(Decimal),
    Sampled(Sampler),
}

fn basis_points(rate: Decimal) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    // Validated: 0 to 1 with at most 4 decimal places, so this is exact.
    (rate * Decimal::from(RATE_UNIT))
        .trunc()
        .to_i64()
        .unwrap_or(0)
        .clamp(0, RATE_UNIT)
}

fn draw_of(delivery: &Delivery) -> Draw {
    let (min, mode, max) = delivery.parameters();
    let (lo, mid, hi) = (basis_points(min), basis_points(mode), basis_points(max));
    if lo == hi {
        return Draw::Fixed(min);
    }
    match delivery {
        Delivery::Fixed { rate } => Draw::Fixed(*rate),
        Delivery::Uniform { .. } => Draw::Sampled(Sampler::Uniform {
            lo,
            hi,
            width: (hi - lo) as f64,
        }),
        Delivery::Triangular { .. } => {
            let width = (hi - lo) as f64;
            Draw::Sampled(Sampler::Triangular {
                lo,
                hi,
                split: (mid - lo) as f64 / width,
                left: width * (mid - lo) as f64,
                right: width * (hi - mid) as f64,
            })
        }
    }
}

/// The integer arithmetic of a run: `i64` when the largest possible sum fits, else `i128`.
trait Lane: Copy + Default + std::ops::AddAssign + std::ops::Mul<Output = Self> {
    fn from_rate(rate: i64) -> Self;
    fn wide(self) -> i128;
}

impl Lane for i64 {
    #[inline]
    fn from_rate(rate: i64) -> Self {
        rate
    }
    #[inline]
    fn wide(self) -> i128 {
        self as i128
    }
}

impl Lane for i128 {
    #[inline]
    fn from_rate(rate: i64) -> Self {
        rate as i128
    }
    #[inline]
    fn wide(self) -> i128 {
        self
    }
}

/// The drawn groups' figures, group-major: `figures[g * years + y]`.
enum Figures {
    Narrow(Vec<i64>),
    Wide(Vec<i128>),
}

/// A delivery risk simulation, ready to run in chunks ([`Simulation::run_chunk`]) and give its
/// results ([`Simulation::finish`]). Running it in chunks of any sizes gives exactly the
/// figures of one run of all of them: the random numbers are one stream, drawn in the same
/// order whatever the chunks.
pub struct Simulation {
    seed: u64,
    runs: u32,
    done: u32,
    rng: Rng,
    correlation: Decimal,
    /// The programme-wide factor; `None` at correlation 0 (independent draws).
    shared: Option<SharedFactor>,
    unit: Unit,
    view: Profile,
    gap_fed: bool,
    lines: usize,
    years: Vec<FinancialYear>,
    incomplete: Vec<bool>,
    /// The scale of every integer figure below: units of 10^−scale of the unit.
    scale: u32,
    samplers: Vec<Sampler>,
    figures: Figures,
    fixed_count: usize,
    /// Per year, the savings of the lines at fixed rates.
    fixed: Vec<i128>,
    /// Per year, the gap after the table's reserves with no savings fed; `None` without a gap.
    base_gap: Option<Vec<i128>>,
    plan: Option<Prepared<i128>>,
    // Scratch, reused by every run.
    balances: Vec<i128>,
    movements: Vec<Movement<i128>>,
    // Per year, year-major (`[y * runs + run]`), what every run gave.
    savings: Vec<i128>,
    gaps: Vec<i128>,
    gaps_left: Vec<i128>,
    closing: Vec<i128>,
    closed_before: Vec<u32>,
    closed: Vec<u32>,
    below_minimum: Vec<u32>,
}

/// `value` as an integer in units of 10^−scale, if it is exactly one and fits.
fn to_units(value: Decimal, scale: u32) -> Option<i128> {
    let shift = scale.checked_sub(value.scale())?;
    10i128
        .checked_pow(shift)
        .and_then(|f| value.mantissa().checked_mul(f))
}

/// The largest integer a `Decimal` holds (2^96 − 1).
const DECIMAL_MAX_UNITS: i128 = (1i128 << 96) - 1;

impl Simulation {
    /// Prepares a simulation (module doc, "The rules"): the scenario applied, each line's
    /// distribution chosen, fixed lines added up, every figure turned into integers. Refused
    /// ([`ErrorKind::Simulation`]) when the settings are not valid ([`RiskSettings::validate`])
    /// or the figures are beyond what can be simulated exactly (more than 24 decimal places, or
    /// sums beyond a `Decimal`).
    pub fn new(inputs: &SimulationInputs) -> Result<Simulation, Error> {
        let scenario = &inputs.scenario;
        let settings = scenario.risk.clone().unwrap_or_default();
        settings
            .validate()
            .map_err(|e| refuse(SimulationProblem::Settings(e)))?;
        let base = &inputs.schedule;

        // The scenario's slips, scales and exclusions, with every rate at 100 %: the rates are
        // what is drawn.
        let mut flat = scenario.clone();
        flat.rates = RagRates::full();
        for a in flat.lines.values_mut() {
            a.rate = None;
        }
        let applied = apply_scenario(base, &flat).schedule;

        let (years, unit, view, gap_fed): (Vec<YearColumn>, Unit, Profile, bool) = match &inputs.gap
        {
            Some(m) => (
                m.years.clone(),
                m.unit,
                m.feed.as_ref().map_or(Profile::Cumulative, |f| f.profile),
                m.feed.is_some(),
            ),
            None => (base.years.clone(), base.unit, Profile::Cumulative, false),
        };
        let n = years.len();
        let feeds = line_feeds(&applied, view, &years, unit);
        let mut incomplete = vec![false; n];
        for (_, sums) in &feeds {
            for (flag, s) in incomplete.iter_mut().zip(sums) {
                *flag |= s.missing > 0;
            }
        }

        // Which draw each line takes: its own, or (a reversal with none of its own) its
        // original's.
        let own = |i: usize| -> Option<Delivery> {
            let row = base.lines[i].row;
            settings.lines.get(&row).copied().or_else(|| {
                scenario
                    .lines
                    .get(&row)
                    .and_then(|a| a.rate)
                    .map(|rate| Delivery::Fixed { rate })
            })
        };
        let mut leader: Vec<usize> = (0..base.lines.len()).collect();
        for r in netting(base).reversals {
            if own(r.reversal).is_none() {
                leader[r.reversal] = leader[r.original];
            }
        }
        // Group figures, in the order of each group's first line.
        let mut group_of: BTreeMap<usize, usize> = BTreeMap::new();
        let mut groups: Vec<(Delivery, Vec<Decimal>)> = Vec::new();
        for (i, sums) in &feeds {
            let lead = leader[*i];
            let g = *group_of.entry(lead).or_insert_with(|| {
                let delivery =
                    own(lead).unwrap_or_else(|| *settings.rag.delivery(base.lines[lead].rag));
                groups.push((delivery, vec![Decimal::ZERO; n]));
                groups.len() - 1
            });
            for (acc, s) in groups[g].1.iter_mut().zip(sums) {
                *acc = acc
                    .checked_add(s.value)
                    .ok_or_else(|| refuse(SimulationProblem::SavingsTooLarge))?;
            }
        }

        let mut fixed_dec = vec![Decimal::ZERO; n];
        let mut fixed_count = 0;
        let mut drawn: Vec<(Sampler, Vec<Decimal>)> = Vec::new();
        for (delivery, figures) in groups {
            if figures.iter().all(Decimal::is_zero) {
                continue;
            }
            match draw_of(&delivery) {
                Draw::Fixed(rate) => {
                    fixed_count += 1;
                    for (acc, f) in fixed_dec.iter_mut().zip(&figures) {
                        *acc = f
                            .checked_mul(rate)
                            .and_then(|p| acc.checked_add(p))
                            .ok_or_else(|| refuse(SimulationProblem::SavingsTooLarge))?;
                    }
                }
                Draw::Sampled(s) => drawn.push((s, figures)),
            }
        }

        // The gap and the reserves plan, the scenario's gap assumptions applied.
        let (base_gap_dec, plan_dec) = match &inputs.gap {
            Some(model) => {
                let m = apply_gap_scenario(model, scenario);
                let figures = compute_gap(&m, None);
                // The gap the reserves plan is drawn on: after the table's own reserves, before
                // the plan, which is run again on every draw below.
                let gaps: Vec<Decimal> = figures
                    .years
                    .iter()
                    .map(|y| y.gap_after_table_reserves.value)
                    .collect();
                let plan = m
                    .reserves_plan
                    .as_ref()
                    .map(|p| Prepared::new(p, &net_budgets(&m, &figures)));
                (Some(gaps), plan)
            }
            None => (None, None),
        };

        // One scale for every figure: the drawn figures' decimals + 4 (the rate's), or more
        // if a fixed, gap or reserves figure needs it.
        let places = |d: &Decimal| d.normalize().scale();
        let drawn_places = drawn
            .iter()
            .flat_map(|(_, f)| f.iter())
            .map(places)
            .max()
            .unwrap_or(0);
        let mut scale = drawn_places + RATE_DECIMALS;
        let others = fixed_dec
            .iter()
            .chain(base_gap_dec.iter().flatten())
            .copied()
            .chain(plan_dec.iter().flat_map(|p| p.figures()));
        for d in others {
            scale = scale.max(places(&d));
        }
        if scale > 28 {
            return Err(refuse(SimulationProblem::Places {
                places: scale,
                limit: 28,
            }));
        }
        let too_large = || refuse(SimulationProblem::FiguresTooLarge);
        let units = |d: Decimal, s: u32| to_units(d, s).ok_or_else(too_large);
        let figure_scale = scale - RATE_DECIMALS;
        let mut wide = Vec::with_capacity(drawn.len() * n);
        let mut samplers = Vec::with_capacity(drawn.len());
        for (s, f) in &drawn {
            samplers.push(*s);
            for d in f {
                wide.push(units(d.normalize(), figure_scale)?);
            }
        }
        let fixed = fixed_dec
            .iter()
            .map(|d| units(d.normalize(), scale))
            .collect::<Result<Vec<_>, _>>()?;
        let base_gap = match &base_gap_dec {
            Some(g) => Some(
                g.iter()
                    .map(|d| units(d.normalize(), scale))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let plan = match &plan_dec {
            Some(p) => {
                // Checked first, so the conversion below cannot fail.
                for d in p.figures() {
                    units(d.normalize(), scale)?;
                }
                Some(p.map(|d| to_units(d.normalize(), scale).unwrap_or_default()))
            }
            None => None,
        };

        // The largest sums a run can reach, to choose the integers and to be sure every
        // figure fits a `Decimal`.
        let mut drawn_bound = vec![0i128; n];
        for (g, _) in drawn.iter().enumerate() {
            for (y, b) in drawn_bound.iter_mut().enumerate() {
                let f = wide[g * n + y].checked_abs().ok_or_else(too_large)?;
                *b = f
                    .checked_mul(RATE_UNIT as i128)
                    .and_then(|p| b.checked_add(p))
                    .ok_or_else(too_large)?;
            }
        }
        let reserves_bound = match &plan {
            Some(p) => p.reserves.iter().try_fold(0i128, |acc, r| {
                r.contributions
                    .iter()
                    .try_fold(acc.checked_add(r.opening)?, |a, c| a.checked_add(*c))
            }),
            None => Some(0),
        }
        .ok_or_else(too_large)?;
        for y in 0..n {
            let savings = drawn_bound[y]
                .checked_add(fixed[y].checked_abs().ok_or_else(too_large)?)
                .ok_or_else(too_large)?;
            let gap = base_gap
                .as_ref()
                .map_or(Some(0), |g| g[y].checked_abs())
                .and_then(|g| g.checked_add(savings))
                .ok_or_else(too_large)?;
            if savings > DECIMAL_MAX_UNITS
                || gap > DECIMAL_MAX_UNITS
                || reserves_bound > DECIMAL_MAX_UNITS
            {
                return Err(too_large());
            }
        }
        let narrow = drawn_bound.iter().all(|b| *b <= i64::MAX as i128);
        let figures = if narrow {
            Figures::Narrow(wide.iter().map(|v| *v as i64).collect())
        } else {
            Figures::Wide(wide)
        };

        let runs = settings.runs as usize;
        let has_gap = base_gap.is_some();
        let reserves = plan.as_ref().map_or(0, |p| p.reserves.len());
        let per_year = |on: bool| {
            if on {
                vec![0i128; runs * n]
            } else {
                Vec::new()
            }
        };
        Ok(Simulation {
            seed: settings.seed,
            runs: settings.runs,
            done: 0,
            rng: Rng::new(settings.seed),
            correlation: settings.correlation.normalize(),
            shared: SharedFactor::new(settings.seed, basis_points(settings.correlation)),
            unit,
            view,
            gap_fed: gap_fed && has_gap,
            lines: feeds.len(),
            years: years.iter().map(|c| c.year).collect(),
            incomplete,
            scale,
            samplers,
            figures,
            fixed_count,
            fixed,
            base_gap,
            balances: vec![0; reserves],
            movements: vec![Movement::default(); reserves],
            savings: per_year(true),
            gaps: per_year(has_gap),
            gaps_left: per_year(plan.is_some()),
            closing: per_year(plan.is_some()),
            closed_before: vec![0; n],
            closed: vec![0; n],
            below_minimum: vec![0; n],
            plan,
        })
    }

    /// How far it has got.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.runs,
        }
    }

    /// Runs up to `n` more runs (fewer if fewer are left) and says how far it has got. Between
    /// chunks the simulation can be dropped (cancelled) or its progress reported.
    pub fn run_chunk(&mut self, n: u32) -> Progress {
        let end = self.done.saturating_add(n).min(self.runs);
        let mut figures = std::mem::replace(&mut self.figures, Figures::Narrow(Vec::new()));
        match &figures {
            Figures::Narrow(f) => self.run_range::<i64>(f, end),
            Figures::Wide(f) => self.run_range::<i128>(f, end),
        }
        std::mem::swap(&mut self.figures, &mut figures);
        self.progress()
    }

    fn run_range<L: Lane>(&mut self, figures: &[L], end: u32) {
        let n = self.years.len();
        let runs = self.runs as usize;
        let mut acc = vec![L::default(); n];
        while self.done < end {
            let run = self.done as usize;
            acc.iter_mut().for_each(|a| *a = L::default());
            let factor = self.shared.as_mut().map(SharedFactor::next_run);
            for (sampler, row) in self.samplers.iter().zip(figures.chunks_exact(n.max(1))) {
                let u = match &factor {
                    None => self.rng.next_f64(),
                    Some(f) => f.share(self.rng.next_u64()),
                };
                let rate = sampler.rate(u);
                if rate == 0 {
                    continue;
                }
                let r = L::from_rate(rate);
                for (a, f) in acc.iter_mut().zip(row) {
                    *a += *f * r;
                }
            }
            if let Some(plan) = &self.plan {
                for (b, r) in self.balances.iter_mut().zip(&plan.reserves) {
                    *b = r.opening;
                }
            }
            for y in 0..n {
                let savings = acc[y].wide() + self.fixed[y];
                self.savings[y * runs + run] = savings;
                let Some(base) = &self.base_gap else { continue };
                let gap = if self.gap_fed {
                    base[y] - savings
                } else {
                    base[y]
                };
                self.gaps[y * runs + run] = gap;
                if gap <= 0 {
                    self.closed_before[y] += 1;
                }
                let left = match &self.plan {
                    Some(plan) => {
                        let total = plan.year(y, &mut self.balances, gap, &mut self.movements);
                        let left = gap - total.gap_drawn;
                        self.gaps_left[y * runs + run] = left;
                        self.closing[y * runs + run] = total.closing;
                        if let Some(levels) = &plan.total_minimum {
                            if total.closing < levels[y] {
                                self.below_minimum[y] += 1;
                            }
                        }
                        left
                    }
                    None => gap,
                };
                if left <= 0 {
                    self.closed[y] += 1;
                }
            }
            self.done += 1;
        }
    }

    /// Runs whatever runs are left and gives the results (module doc, "The rules").
    pub fn finish(mut self) -> SimulationResult {
        self.run_chunk(u32::MAX);
        let runs = self.runs as usize;
        let scale = self.scale;
        let decimal = |v: i128| {
            Decimal::try_from_i128_with_scale(v, scale)
                .map(|d| d.normalize())
                .unwrap_or(Decimal::MAX)
        };
        let spread = |values: &mut [i128]| -> Spread {
            values.sort_unstable();
            let at = |k: usize| decimal(values[(k * runs).div_ceil(100).max(1) - 1]);
            Spread {
                min: decimal(values[0]),
                p10: at(10),
                p50: at(50),
                p90: at(90),
                max: decimal(values[runs - 1]),
            }
        };
        let has_gap = self.base_gap.is_some();
        let has_plan = self.plan.is_some();
        let has_minimum = self
            .plan
            .as_ref()
            .is_some_and(|p| p.total_minimum.is_some());
        let mut years = Vec::with_capacity(self.years.len());
        for (y, year) in self.years.iter().enumerate() {
            let slice = y * runs..(y + 1) * runs;
            let closed = has_gap.then_some(self.closed[y]);
            years.push(SimulationYear {
                year: *year,
                savings: spread(&mut self.savings[slice.clone()]),
                savings_incomplete: self.incomplete[y],
                gap: has_gap.then(|| spread(&mut self.gaps[slice.clone()])),
                gap_left: has_plan.then(|| spread(&mut self.gaps_left[slice.clone()])),
                reserves_closing: has_plan.then(|| spread(&mut self.closing[slice.clone()])),
                closed_before_reserves_runs: has_gap.then_some(self.closed_before[y]),
                closed_runs: closed,
                p_closed: closed.map(|c| probability(c, self.runs)),
                below_minimum_runs: has_minimum.then_some(self.below_minimum[y]),
            });
        }
        SimulationResult {
            seed: self.seed,
            runs: self.runs,
            correlation: self.correlation,
            unit: self.unit,
            view: self.view,
            gap_fed: self.gap_fed,
            lines: self.lines,
            drawn: self.samplers.len(),
            fixed: self.fixed_count,
            years,
        }
    }
}

/// Runs a whole simulation at once: [`Simulation::new`] then [`Simulation::finish`].
///
/// ```
/// use gapwise::engine::{import, simulate, Delivery, ImportOptions, RiskSettings, Scenario,
///     SimulationInputs};
/// use rust_decimal::Decimal;
/// let csv = "Project,RAG,2020/21\nA,Green,100\nB,Red,50\n";
/// let schedule = import(csv.as_bytes(), "s.csv", &ImportOptions::default())?.schedule;
/// let mut scenario = Scenario::new("Risk");
/// let mut risk = RiskSettings::default();
/// risk.rag.green = Delivery::Fixed { rate: Decimal::ONE };
/// risk.rag.red = Delivery::Fixed { rate: Decimal::new(5, 1) };
/// scenario.risk = Some(risk);
/// let result = simulate(&SimulationInputs { schedule, gap: None, scenario })?;
/// // 100 + half of 50 in every run.
/// assert_eq!(result.years[0].savings.p50, Decimal::new(125, 0));
/// assert_eq!(result.years[0].savings.p10, result.years[0].savings.p90);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn simulate(inputs: &SimulationInputs) -> Result<SimulationResult, Error> {
    Ok(Simulation::new(inputs)?.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn the_generator_is_xoshiro256_starstar() {
        // The reference implementation seeded with the state 1, 2, 3, 4 gives 11520, 0,
        // 1509978240, 1215971899390074240.
        let mut r = Rng([1, 2, 3, 4]);
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(got, [11520, 0, 1509978240, 1215971899390074240]);
        // And the seeding stays what links were made with.
        let mut r = Rng::new(DEFAULT_SEED);
        let first = r.next_u64();
        assert_eq!(first, Rng::new(DEFAULT_SEED).next_u64());
        assert!((0..1000).all(|_| (0.0..1.0).contains(&r.next_f64())));
    }

    #[test]
    fn samplers_stay_in_range_and_round_to_basis_points() {
        let t = draw_of(&Delivery::triangular(d("0.25"), d("0.75"), d("1")));
        let Draw::Sampled(s) = t else { panic!() };
        assert_eq!(s.rate(0.0), 2500);
        assert_eq!(s.rate(0.999_999_999_9), 10_000);
        // F(mode) = 0.5 / 0.75 = 2/3: the mode.
        assert_eq!(s.rate(2.0 / 3.0), 7500);
        let Draw::Sampled(u) = draw_of(&Delivery::Uniform {
            min: d("0"),
            max: d("1"),
        }) else {
            panic!()
        };
        assert_eq!(u.rate(0.5), 5000);
        assert_eq!(u.rate(0.123_44), 1234);
        assert_eq!(u.rate(0.123_45), 1235);
        assert!(matches!(
            draw_of(&Delivery::triangular(d("0.5"), d("0.5"), d("0.5"))),
            Draw::Fixed(r) if r == d("0.5")
        ));
    }

    #[test]
    fn settings_validate_and_read_defaults_from_json() {
        let s: RiskSettings = serde_json::from_str(r#"{"seed": 42}"#).unwrap();
        assert_eq!(s.seed, 42);
        assert_eq!(s.runs, DEFAULT_RUNS);
        assert_eq!(s.rag, RagDeliveries::default());
        assert_eq!(s.validate(), Ok(()));
        let mut bad = s.clone();
        bad.runs = 0;
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "0 runs; from 1 to 1000000"
        );
        assert_eq!(
            bad.validate(),
            Err(SettingsError::Runs {
                runs: 0,
                limit: MAX_RUNS
            })
        );
        let mut bad = s.clone();
        bad.rag.amber = Delivery::Uniform {
            min: d("0.5"),
            max: d("1.2"),
        };
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "the amber distribution: the rate 1.2 is outside 0 to 1"
        );
        let mut bad = s.clone();
        bad.lines.insert(7, Delivery::Fixed { rate: d("0.33333") });
        assert_eq!(
            bad.validate().unwrap_err().to_string(),
            "the distribution of row 7: the rate 0.33333 has more than 4 decimal places"
        );
        assert_eq!(
            bad.validate(),
            Err(SettingsError::Distribution {
                of: DistributionOf::Row(7),
                problem: DeliveryError::Places {
                    parameter: Parameter::Lowest,
                    rate: d("0.33333"),
                    limit: 4,
                },
            })
        );
        let text =
            serde_json::to_string(&Delivery::triangular(d("0"), d("0.1"), d("0.6"))).unwrap();
        assert_eq!(
            text,
            r#"{"shape":"triangular","min":"0","mode":"0.1","max":"0.6"}"#
        );
    }

    #[test]
    fn a_reversal_shares_its_originals_draw() {
        let s = schedule(
            "Project,RAG,2020/21,2021/22\nA,Amber,200,750\nA,Amber,(200),(750)\nB,Green,10,10\n",
        );
        let mut scenario = Scenario::new("x");
        let mut risk = RiskSettings {
            runs: 200,
            ..RiskSettings::default()
        };
        risk.rag.green = Delivery::Fixed { rate: d("1") };
        scenario.risk = Some(risk);
        let r = simulate(&SimulationInputs {
            schedule: s,
            gap: None,
            scenario,
        })
        .unwrap();
        // The pair nets to nothing in every run: only B's 10 (full-year effects 10, 20).
        assert_eq!((r.lines, r.drawn, r.fixed), (3, 0, 1));
        assert_eq!(r.years[0].savings.min, d("10"));
        assert_eq!(r.years[1].savings.max, d("20"));
    }

    #[test]
    fn nearest_rank_percentiles_of_ten_runs() {
        // One line of 1 at uniform 0–100 %: each run's savings is its rate; P10 of 10 runs is
        // the smallest, P50 the 5th, P90 the 9th.
        let s = schedule("Project,2020/21\nA,1\n");
        let mut scenario = Scenario::new("x");
        // Correlation 0: each run's rate is the line's own number from the seed's stream,
        // worked out below from the generator itself.
        let mut risk = RiskSettings {
            runs: 10,
            seed: 9,
            correlation: Decimal::ZERO,
            ..RiskSettings::default()
        };
        risk.rag.unrated = Delivery::Uniform {
            min: d("0"),
            max: d("1"),
        };
        scenario.risk = Some(risk);
        let mut sim = Simulation::new(&SimulationInputs {
            schedule: s,
            gap: None,
            scenario,
        })
        .unwrap();
        let mut rates: Vec<Decimal> = {
            let mut rng = Rng::new(9);
            let Draw::Sampled(u) = draw_of(&Delivery::Uniform {
                min: d("0"),
                max: d("1"),
            }) else {
                panic!()
            };
            (0..10)
                .map(|_| Decimal::new(u.rate(rng.next_f64()), 4).normalize())
                .collect()
        };
        rates.sort();
        assert_eq!(sim.run_chunk(3), Progress { done: 3, total: 10 });
        let r = sim.finish();
        let sp = &r.years[0].savings;
        assert_eq!(
            [sp.min, sp.p10, sp.p50, sp.p90, sp.max],
            [rates[0], rates[0], rates[4], rates[8], rates[9]]
        );
    }

    #[test]
    fn one_delivery_parameter_is_changed_keeping_the_shape() {
        use crate::engine::model::risk::DeliveryPart::*;
        let uniform = Delivery::Uniform {
            min: d("0.5"),
            max: d("1"),
        };
        assert_eq!(uniform.part(Lowest), d("0.5"));
        assert_eq!(uniform.part(Likely), d("0.5"));
        assert_eq!(uniform.part(Highest), d("1"));
        // A uniform rating edited stays uniform (it used to turn triangular).
        assert_eq!(
            uniform.with_part(Highest, d("0.9")),
            Delivery::Uniform {
                min: d("0.5"),
                max: d("0.9")
            }
        );
        assert_eq!(
            uniform.with_part(Lowest, d("0.2")),
            Delivery::Uniform {
                min: d("0.2"),
                max: d("1")
            }
        );
        assert_eq!(
            uniform.with_part(Lowest, d("1")),
            Delivery::Fixed { rate: d("1") }
        );
        // A most likely rate makes it triangular.
        assert_eq!(
            uniform.with_part(Likely, d("0.8")),
            Delivery::triangular(d("0.5"), d("0.8"), d("1"))
        );
        let fixed = Delivery::Fixed { rate: d("0.7") };
        assert_eq!(fixed.part(Likely), d("0.7"));
        assert_eq!(
            fixed.with_part(Lowest, d("0.5")),
            Delivery::triangular(d("0.5"), d("0.7"), d("0.7"))
        );
        let tri = Delivery::triangular(d("0.3"), d("0.75"), d("1"));
        assert_eq!(tri.part(Likely), d("0.75"));
        assert_eq!(
            tri.with_part(Likely, d("0.5")),
            Delivery::triangular(d("0.3"), d("0.5"), d("1"))
        );
        let flat = tri.with_part(Lowest, d("1")).with_part(Likely, d("1"));
        assert_eq!(flat, Delivery::Fixed { rate: d("1") });
    }
}
