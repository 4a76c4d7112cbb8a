//! Delivery risk as a distribution: "how likely is it that the gap is closed in 2019/20, if the
//! red-rated savings mostly don't land?" (domain.md, "Monitoring": lines carry a RAG delivery
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
//! (`reserves::compute_reserves` holds the rules; the simulation runs them on each draw).
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
//!   under-delivers does so throughout), lines drawn independently of each other. A reversal
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
//! - **Gap** per year: the gap model's gap after the table's reserves (`compute_gap`, the
//!   scenario's gap assumptions applied) less the savings delivered in the run; then, if the
//!   model has a reserves plan, the **gap left** after the plan's drawdowns, worked out by the
//!   same rules as [`compute_reserves`](super::compute_reserves), run by run (so reserves are
//!   drawn harder in runs where savings fall short, and may run out). The gap is **closed** in
//!   a run when the gap left (after the reserves plan, if any) is zero or less.
//! - **Percentiles** are nearest-rank: Pk is the ⌈k × N / 100⌉-th smallest of the N runs'
//!   values (with 10,000 runs, P10 is the 1,000th). For savings, P10 is the low case; for the
//!   gap, P90 is the high case (a gap exceeded in only one run in ten). The probability of
//!   closing is the share of runs, rounded to 4 decimal places ([`probability`]).
//! - **Seed.** The random numbers are xoshiro256** seeded through SplitMix64 from
//!   [`RiskSettings::seed`], written out in this module so that the same seed gives the same
//!   figures in every build, on every machine, for as long as links live (a crate's generator or
//!   its conversion to floating point may change between versions). One uniform number per
//!   drawn line per run, lines in schedule order.
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
use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::gap::{compute_gap, line_feeds, GapModel};
use super::netting::netting;
use super::reserves::{net_budgets, Movement, Prepared};
use super::scenario::{apply_gap_scenario, apply_scenario, Rag, RagRates, Scenario};
use super::schedule::{FinancialYear, Profile, Schedule, Unit, YearColumn};

/// The number of runs unless the settings say otherwise.
pub const DEFAULT_RUNS: u32 = 10_000;
/// The most runs a simulation may be asked for.
pub const MAX_RUNS: u32 = 1_000_000;
/// The seed unless the settings say otherwise.
pub const DEFAULT_SEED: u64 = 2017;
/// The decimal places of a fraction a drawn rate is rounded to, and the most a distribution's
/// parameters may have: 4, so rates are whole hundredths of a per cent.
pub const RATE_DECIMALS: u32 = 4;
const RATE_UNIT: i64 = 10_000;

/// How a saving's achievement is spread: a rate from 0 (nothing delivered) to 1 (all of it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Delivery {
    /// Always this rate.
    Fixed { rate: Decimal },
    /// Any rate from `min` to `max`, all equally likely.
    Uniform { min: Decimal, max: Decimal },
    /// From `min` to `max`, most likely `mode`, the likelihood falling in straight lines to
    /// either end. Its mean is (min + mode + max) / 3.
    Triangular {
        min: Decimal,
        mode: Decimal,
        max: Decimal,
    },
}

impl Delivery {
    /// A triangular distribution.
    pub fn triangular(min: Decimal, mode: Decimal, max: Decimal) -> Delivery {
        Delivery::Triangular { min, mode, max }
    }

    /// Every parameter from 0 to 1 with at most [`RATE_DECIMALS`] decimal places, and min ≤
    /// mode ≤ max.
    ///
    /// ```
    /// use gapwise::engine::Delivery;
    /// use rust_decimal::Decimal;
    /// let d = |s: &str| s.parse::<Decimal>().unwrap();
    /// assert!(Delivery::triangular(d("0.3"), d("0.75"), d("1")).validate().is_ok());
    /// assert_eq!(
    ///     Delivery::triangular(d("0.8"), d("0.5"), d("1")).validate().unwrap_err(),
    ///     "its most likely rate 0.5 is below its lowest 0.8"
    /// );
    /// ```
    pub fn validate(&self) -> Result<(), String> {
        let (min, mode, max) = self.parameters();
        for v in [min, mode, max] {
            if v.is_sign_negative() && !v.is_zero() || v > Decimal::ONE {
                return Err(format!("the rate {v} is outside 0 to 1"));
            }
            if v.normalize().scale() > RATE_DECIMALS {
                return Err(format!(
                    "the rate {v} has more than {RATE_DECIMALS} decimal places"
                ));
            }
        }
        if mode < min {
            return Err(format!(
                "its most likely rate {mode} is below its lowest {min}"
            ));
        }
        if max < mode {
            return Err(format!("its highest rate {max} is below {mode}"));
        }
        Ok(())
    }

    /// (lowest, most likely, highest); a uniform distribution's most likely is its lowest.
    fn parameters(&self) -> (Decimal, Decimal, Decimal) {
        match *self {
            Delivery::Fixed { rate } => (rate, rate, rate),
            Delivery::Uniform { min, max } => (min, min, max),
            Delivery::Triangular { min, mode, max } => (min, mode, max),
        }
    }

    /// One parameter, as the delivery risk inputs show it (a uniform distribution's most
    /// likely rate is its lowest, as in [`Delivery::validate`]).
    pub fn part(&self, part: DeliveryPart) -> Decimal {
        let (min, mode, max) = self.parameters();
        match part {
            DeliveryPart::Lowest => min,
            DeliveryPart::Likely => mode,
            DeliveryPart::Highest => max,
        }
    }

    /// The distribution with one parameter changed, keeping its shape where it can: all three
    /// equal is [`Delivery::Fixed`]; a uniform distribution given a new lowest or highest rate
    /// stays uniform (only a most likely rate makes it triangular); otherwise triangular. The
    /// result is not validated ([`Delivery::validate`]).
    ///
    /// ```
    /// use gapwise::engine::{Delivery, DeliveryPart};
    /// use rust_decimal::Decimal;
    /// let u = Delivery::Uniform { min: Decimal::new(5, 1), max: Decimal::ONE };
    /// assert_eq!(u.with_part(DeliveryPart::Lowest, Decimal::new(4, 1)),
    ///            Delivery::Uniform { min: Decimal::new(4, 1), max: Decimal::ONE });
    /// ```
    pub fn with_part(&self, part: DeliveryPart, value: Decimal) -> Delivery {
        let (mut min, mut mode, mut max) = self.parameters();
        match part {
            DeliveryPart::Lowest => min = value,
            DeliveryPart::Likely => mode = value,
            DeliveryPart::Highest => max = value,
        }
        match (self, part) {
            (Delivery::Uniform { .. }, DeliveryPart::Lowest | DeliveryPart::Highest) => {
                if min == max {
                    Delivery::Fixed { rate: min }
                } else {
                    Delivery::Uniform { min, max }
                }
            }
            _ if min == mode && mode == max => Delivery::Fixed { rate: min },
            _ => Delivery::triangular(min, mode, max),
        }
    }
}

/// One parameter of a [`Delivery`]: what each of the three inputs per rating sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryPart {
    Lowest,
    Likely,
    Highest,
}

/// The distribution of delivery for each rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RagDeliveries {
    pub red: Delivery,
    pub amber: Delivery,
    pub green: Delivery,
    /// For a line with no rating.
    pub unrated: Delivery,
}

impl Default for RagDeliveries {
    /// The defaults, all editable:
    ///
    /// | rating  | distribution                  | mean   | in words                          |
    /// |---------|-------------------------------|--------|-----------------------------------|
    /// | green   | triangular(80 %, 100 %, 100 %) | 93.3 % | on track: mostly delivered in full |
    /// | amber   | triangular(25 %, 75 %, 100 %)  | 66.7 % | at risk: partly delivered          |
    /// | red     | triangular(0 %, 10 %, 60 %)    | 23.3 % | high risk: mostly not delivered    |
    /// | unrated | fixed 100 %                    | 100 %  | counted as published, as [`RagRates::default`] does |
    fn default() -> RagDeliveries {
        let r = |bp: i64| Decimal::new(bp, 2);
        RagDeliveries {
            red: Delivery::triangular(r(0), r(10), r(60)),
            amber: Delivery::triangular(r(25), r(75), r(100)),
            green: Delivery::triangular(r(80), r(100), r(100)),
            unrated: Delivery::Fixed { rate: r(100) },
        }
    }
}

impl RagDeliveries {
    /// Each rating fixed at the rates given: the deterministic scenario's figures, as a
    /// simulation.
    pub fn fixed(rates: &RagRates) -> RagDeliveries {
        let f = |rate| Delivery::Fixed { rate };
        RagDeliveries {
            red: f(rates.red),
            amber: f(rates.amber),
            green: f(rates.green),
            unrated: f(rates.unrated),
        }
    }

    /// The distribution of a rating, or of no rating.
    pub fn delivery(&self, rag: Option<Rag>) -> &Delivery {
        match rag {
            Some(Rag::Red) => &self.red,
            Some(Rag::Amber) => &self.amber,
            Some(Rag::Green) => &self.green,
            None => &self.unrated,
        }
    }
}

/// The delivery risk simulation's settings, kept in the scenario ([`Scenario::risk`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RiskSettings {
    /// The seed of the random numbers: the same seed (and inputs) give the same figures.
    pub seed: u64,
    /// How many runs: [`DEFAULT_RUNS`] unless set, 1 to [`MAX_RUNS`].
    pub runs: u32,
    /// The distribution of each rating.
    pub rag: RagDeliveries,
    /// Per line, keyed by [`Line::row`](super::Line) as scenario assumptions are, a
    /// distribution in place of its rating's (and of a rate the scenario sets it).
    pub lines: BTreeMap<usize, Delivery>,
}

impl Default for RiskSettings {
    fn default() -> RiskSettings {
        RiskSettings {
            seed: DEFAULT_SEED,
            runs: DEFAULT_RUNS,
            rag: RagDeliveries::default(),
            lines: BTreeMap::new(),
        }
    }
}

impl RiskSettings {
    /// Runs from 1 to [`MAX_RUNS`], and every distribution valid ([`Delivery::validate`]); the
    /// message says which.
    pub fn validate(&self) -> Result<(), String> {
        if self.runs == 0 || self.runs > MAX_RUNS {
            return Err(format!("{} runs; from 1 to {MAX_RUNS}", self.runs));
        }
        let rag = &self.rag;
        for (name, d) in [
            ("red", &rag.red),
            ("amber", &rag.amber),
            ("green", &rag.green),
            ("unrated", &rag.unrated),
        ] {
            d.validate()
                .map_err(|e| format!("the {name} distribution: {e}"))?;
        }
        for (row, d) in &self.lines {
            d.validate()
                .map_err(|e| format!("the distribution of row {row}: {e}"))?;
        }
        Ok(())
    }
}

/// What a simulation is run on: the schedule as it is (before the scenario), the gap model if
/// any (with its feed and reserves plan), and the scenario, whose assumptions are applied as
/// [`apply_scenario`] and [`apply_gap_scenario`] apply them and whose [`Scenario::risk`] holds
/// the settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationInputs {
    pub schedule: Schedule,
    #[serde(default)]
    pub gap: Option<GapModel>,
    pub scenario: Scenario,
}

/// How far a simulation has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u32,
    pub total: u32,
}

impl Progress {
    pub fn is_done(&self) -> bool {
        self.done >= self.total
    }
}

/// The spread of a figure over the runs, each an exact figure some run gave (nearest-rank).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spread {
    pub min: Decimal,
    pub p10: Decimal,
    pub p50: Decimal,
    pub p90: Decimal,
    pub max: Decimal,
}

/// One year of a simulation's results. Figures are in [`SimulationResult::unit`], exact, and
/// written without trailing zeros.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationYear {
    pub year: FinancialYear,
    /// Savings delivered (positive).
    pub savings: Spread,
    /// True when a cell that feeds the year has no figure (`N/A`, `TBC`): it counts as zero
    /// in every run, so the spread is of what is known.
    pub savings_incomplete: bool,
    /// The gap after the gap table's reserves; `None` without a gap model.
    pub gap: Option<Spread>,
    /// The gap left after the reserves plan's drawdowns; `None` without a reserves plan.
    pub gap_left: Option<Spread>,
    /// All reserves' closing balance; `None` without a reserves plan.
    pub reserves_closing: Option<Spread>,
    /// Runs in which the gap (`gap`) is zero or less, before the reserves plan.
    pub closed_before_reserves_runs: Option<u32>,
    /// Runs in which the gap is closed: `gap_left` (or `gap` without a reserves plan) zero or
    /// less.
    pub closed_runs: Option<u32>,
    /// `closed_runs` / runs, to 4 decimal places ([`probability`]).
    pub p_closed: Option<Decimal>,
    /// Runs in which the reserves' total closing balance is below the total minimum; `None`
    /// without a reserves plan or a minimum.
    pub below_minimum_runs: Option<u32>,
}

/// What a simulation gives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationResult {
    pub seed: u64,
    pub runs: u32,
    /// The unit of every figure: the gap model's, or the schedule's without one.
    pub unit: Unit,
    /// The view of the savings: the gap model's feed's, else full-year effects (cumulative).
    pub view: Profile,
    /// True when the savings reach the gap (a gap model with a feed); otherwise the gap does
    /// not move from run to run.
    pub gap_fed: bool,
    /// How many lines feed savings; how many groups of them are drawn each run (a reversal
    /// shares its original's draw); how many count at a fixed rate.
    pub lines: usize,
    pub drawn: usize,
    pub fixed: usize,
    pub years: Vec<SimulationYear>,
}

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

fn refuse(what: impl Into<String>) -> Error {
    Error::new(ErrorKind::Simulation { what: what.into() })
}

/// xoshiro256** (Blackman and Vigna), seeded by SplitMix64: small, fast, and written here so
/// the stream never changes under a link.
#[derive(Clone, Debug)]
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut split = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([split(), split(), split(), split()])
    }

    #[inline(always)]
    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform number in [0, 1): the top 53 bits, exactly representable.
    #[inline(always)]
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
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
    /// The rate for a uniform number u in [0, 1), by the inverse of the distribution function,
    /// rounded half up to a whole 0.0001.
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
        settings.validate().map_err(refuse)?;
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
                    .ok_or_else(|| refuse("the savings are too large to simulate"))?;
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
                            .ok_or_else(|| refuse("the savings are too large to simulate"))?;
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
                let gaps: Vec<Decimal> = figures
                    .years
                    .iter()
                    .map(|y| y.gap_after_reserves.value)
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
            return Err(refuse(format!(
                "the figures need {scale} decimal places to simulate exactly; at most 28"
            )));
        }
        let too_large = || {
            refuse("the figures are too large for their decimal places to be worked out exactly")
        };
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
            for (sampler, row) in self.samplers.iter().zip(figures.chunks_exact(n.max(1))) {
                let rate = sampler.rate(self.rng.next_f64());
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
    use crate::engine::import::{import, ImportOptions};
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
        assert_eq!(bad.validate().unwrap_err(), "0 runs; from 1 to 1000000");
        let mut bad = s.clone();
        bad.rag.amber = Delivery::Uniform {
            min: d("0.5"),
            max: d("1.2"),
        };
        assert_eq!(
            bad.validate().unwrap_err(),
            "the amber distribution: the rate 1.2 is outside 0 to 1"
        );
        let mut bad = s.clone();
        bad.lines.insert(7, Delivery::Fixed { rate: d("0.33333") });
        assert_eq!(
            bad.validate().unwrap_err(),
            "the distribution of row 7: the rate 0.33333 has more than 4 decimal places"
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
        let mut risk = RiskSettings {
            runs: 10,
            seed: 9,
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
        use DeliveryPart::*;
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
