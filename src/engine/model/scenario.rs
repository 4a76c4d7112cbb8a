//! What a scenario assumes: a rate per rating, per line an override, slip, scale or exclusion,
//! growth of pressures, a planned use of reserves, changes to the reserves plan and the delivery
//! risk settings. The data only; applying it is `calc::scenario`.

use super::rating::RagRates;
use super::reserves::ReserveDraws;
use super::risk::RiskSettings;
use super::schedule::Line;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a scenario assumes of one line, beyond its rating's rate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LineAssumption {
    /// The line's achievement rate, in place of its rating's.
    pub rate: Option<Decimal>,
    /// Years the line's figures slip: the figure of year y counts in year y + slip.
    pub slip: u32,
    /// A factor on the line's figures (1.1: the saving comes in 10 % higher).
    pub scale: Option<Decimal>,
    /// Leave the line out: all its figures count as zero.
    pub exclude: bool,
}

/// A named set of assumptions, applied to a schedule ([`apply_scenario`]) and to a gap model
/// ([`apply_gap_scenario`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    /// The achievement rate of each rating.
    pub rates: RagRates,
    /// Per line, keyed by [`Line::row`] (unique per line; a line added by an edit takes a new
    /// row), what the scenario assumes beyond its rating's rate.
    #[serde(default)]
    pub lines: BTreeMap<usize, LineAssumption>,
    /// Growth of the gap model's pressures, a fraction per year compounding from the first
    /// year: year i's pressure is the published one × (1 + g)^i.
    #[serde(default)]
    pub pressure_growth: Option<Decimal>,
    /// Per year of the gap model, the planned use of reserves in place of the table's (positive
    /// = use, negative = a contribution to reserves); `None` entries keep the table's.
    #[serde(default)]
    pub reserves: Option<Vec<Option<Decimal>>>,
    /// Changes to the gap model's reserves plan ([`ReserveDraws`]: planned drawdowns replaced,
    /// or no reserve drawn to close the gap). Left out of the JSON when it changes nothing, so
    /// scenarios and links written before it read and write as they did.
    #[serde(default, skip_serializing_if = "ReserveDraws::is_empty")]
    pub reserve_draws: ReserveDraws,
    /// The delivery risk simulation's settings: its seed, number of runs and the distributions
    /// of delivery ([`RiskSettings`]); `None` runs it with [`RiskSettings::default`]. Kept in
    /// the scenario so that a link carries the seed: the same link gives the same figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskSettings>,
}

impl Scenario {
    /// The schedule as it is: named "Baseline", every rating at 100 %, nothing else assumed.
    pub fn baseline() -> Scenario {
        Scenario {
            name: "Baseline".to_string(),
            rates: RagRates::full(),
            lines: BTreeMap::new(),
            pressure_growth: None,
            reserves: None,
            reserve_draws: ReserveDraws::default(),
            risk: None,
        }
    }

    /// A scenario with the default rates ([`RagRates::default`]) and nothing else assumed.
    pub fn new(name: impl Into<String>) -> Scenario {
        Scenario {
            name: name.into(),
            rates: RagRates::default(),
            lines: BTreeMap::new(),
            pressure_growth: None,
            reserves: None,
            reserve_draws: ReserveDraws::default(),
            risk: None,
        }
    }

    /// The rate a line counts at: its own override, else its rating's rate, else `unrated`.
    pub fn line_rate(&self, line: &Line) -> Decimal {
        self.lines
            .get(&line.row)
            .and_then(|a| a.rate)
            .unwrap_or_else(|| self.rates.rate(line.rag))
    }
}
