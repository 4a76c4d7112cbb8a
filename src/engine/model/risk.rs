//! The delivery risk settings a scenario keeps: the distribution of delivery of each rating and
//! of chosen lines, the number of runs and the seed. Running the simulation is `calc::simulation`.

use super::invalid::{DeliveryError, DistributionOf, Parameter, SettingsError};
use super::rating::Rag;
use super::rating::RagRates;
use super::schedule::FinancialYear;
use super::schedule::Profile;
use super::schedule::Unit;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The number of runs unless the settings say otherwise.
pub const DEFAULT_RUNS: u32 = 10_000;
/// The most runs a simulation may be asked for.
pub const MAX_RUNS: u32 = 1_000_000;
/// The seed unless the settings say otherwise.
pub const DEFAULT_SEED: u64 = 2017;
/// The correlation between lines of new settings ([`RiskSettings::default`]): 0.5, savings that
/// tend to miss together, as they do in practice (docs/domain.md, "Delivery risk"). Settings
/// written before the correlation existed read as 0 ([`RiskSettings::correlation`]).
pub const DEFAULT_CORRELATION: Decimal = Decimal::from_parts(5, 0, 0, false, 1);
/// The decimal places of a fraction a drawn rate is rounded to, and the most a distribution's
/// parameters may have: 4, so rates are whole hundredths of a per cent.
pub const RATE_DECIMALS: u32 = 4;
pub(crate) const RATE_UNIT: i64 = 10_000;

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
    ///     Delivery::triangular(d("0.8"), d("0.5"), d("1")).validate().unwrap_err().to_string(),
    ///     "its most likely rate 0.5 is below its lowest 0.8"
    /// );
    /// ```
    pub fn validate(&self) -> Result<(), DeliveryError> {
        let (min, mode, max) = self.parameters();
        for (parameter, rate) in [
            (Parameter::Lowest, min),
            (Parameter::Likely, mode),
            (Parameter::Highest, max),
        ] {
            if rate.is_sign_negative() && !rate.is_zero() || rate > Decimal::ONE {
                return Err(DeliveryError::Outside { parameter, rate });
            }
            if rate.normalize().scale() > RATE_DECIMALS {
                return Err(DeliveryError::Places {
                    parameter,
                    rate,
                    limit: RATE_DECIMALS,
                });
            }
        }
        if mode < min {
            return Err(DeliveryError::LikelyBelowLowest {
                likely: mode,
                lowest: min,
            });
        }
        if max < mode {
            return Err(DeliveryError::HighestBelowLikely {
                highest: max,
                likely: mode,
            });
        }
        Ok(())
    }

    /// (lowest, most likely, highest); a uniform distribution's most likely is its lowest.
    pub(crate) fn parameters(&self) -> (Decimal, Decimal, Decimal) {
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
    /// The correlation between lines' delivery, from 0 (each line drawn independently) to 1
    /// (every line at the same point of its distribution in a run), with at most
    /// [`RATE_DECIMALS`] decimal places: how strongly one programme-wide factor drawn each run
    /// moves every line together (`calc::correlation`). New settings take
    /// [`DEFAULT_CORRELATION`]; settings written without it (links and saved work from before
    /// it existed) read as 0, independent draws, so they give the figures they gave.
    #[serde(default)]
    pub correlation: Decimal,
}

impl Default for RiskSettings {
    /// Seed [`DEFAULT_SEED`], [`DEFAULT_RUNS`] runs, the default distributions, no line of its
    /// own, correlation [`DEFAULT_CORRELATION`].
    fn default() -> RiskSettings {
        RiskSettings {
            seed: DEFAULT_SEED,
            runs: DEFAULT_RUNS,
            rag: RagDeliveries::default(),
            lines: BTreeMap::new(),
            correlation: DEFAULT_CORRELATION,
        }
    }
}

impl RiskSettings {
    /// Runs from 1 to [`MAX_RUNS`], the correlation from 0 to 1 with at most [`RATE_DECIMALS`]
    /// decimal places, and every distribution valid ([`Delivery::validate`]); the message says
    /// which.
    ///
    /// ```
    /// use gapwise::engine::RiskSettings;
    /// let mut s = RiskSettings::default();
    /// s.correlation = "1.5".parse().unwrap();
    /// assert_eq!(
    ///     s.validate().unwrap_err().to_string(),
    ///     "the correlation between lines 1.5 is outside 0 to 1"
    /// );
    /// ```
    pub fn validate(&self) -> Result<(), SettingsError> {
        if self.runs == 0 || self.runs > MAX_RUNS {
            return Err(SettingsError::Runs {
                runs: self.runs,
                limit: MAX_RUNS,
            });
        }
        let c = self.correlation;
        if c.is_sign_negative() && !c.is_zero() || c > Decimal::ONE {
            return Err(SettingsError::CorrelationOutside { correlation: c });
        }
        if c.normalize().scale() > RATE_DECIMALS {
            return Err(SettingsError::CorrelationPlaces {
                correlation: c,
                limit: RATE_DECIMALS,
            });
        }
        let rag = &self.rag;
        let rows = self
            .lines
            .iter()
            .map(|(row, d)| (DistributionOf::Row(*row), d));
        for (of, d) in [
            (DistributionOf::Red, &rag.red),
            (DistributionOf::Amber, &rag.amber),
            (DistributionOf::Green, &rag.green),
            (DistributionOf::Unrated, &rag.unrated),
        ]
        .into_iter()
        .chain(rows)
        {
            d.validate()
                .map_err(|problem| SettingsError::Distribution { of, problem })?;
        }
        Ok(())
    }
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
    /// The correlation between lines the runs were drawn with ([`RiskSettings::correlation`]).
    /// Last of the fields, as fields added later are (the worker's messages write fields in
    /// order without names).
    #[serde(default)]
    pub correlation: Decimal,
}
