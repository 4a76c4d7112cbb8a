use super::number::Amount;
use super::reserves::ReservesPlan;
use super::schedule::Profile;
use super::schedule::Schedule;
use super::schedule::Unit;
use super::schedule::YearColumn;
use super::sum::times;
use super::sum::Sum;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
/// What a row of a gap table contributes to the gap (docs/domain.md, "The funding gap").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapRole {
    /// The base (net) budget the requirement starts from; the funding available when the table
    /// has no funding row.
    BaseBudget,
    /// Funding available: grants, council tax, business rates, the cash limit.
    Funding,
    /// Demand, demography, inflation, reserves falling out: adds to the requirement.
    Pressure,
    /// Investment: adds to the requirement; a negative is a saving.
    Investment,
    /// Savings: reduce the requirement.
    Savings,
    /// Planned use of reserves: closes its year's gap once.
    Reserves,
    /// A gap reported before (`Estimated Funding Gap as Reported July 2016 MTFS`): the revised
    /// gap is this plus the changes.
    ReportedGap,
    /// Any other change to the gap, added as written.
    Change,
    /// Shown, not counted.
    Other,
}

impl GapRole {
    pub const ALL: [GapRole; 9] = [
        GapRole::BaseBudget,
        GapRole::Funding,
        GapRole::Pressure,
        GapRole::Investment,
        GapRole::Savings,
        GapRole::Reserves,
        GapRole::ReportedGap,
        GapRole::Change,
        GapRole::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GapRole::BaseBudget => "Base budget",
            GapRole::Funding => "Funding",
            GapRole::Pressure => "Pressure",
            GapRole::Investment => "Investment",
            GapRole::Savings => "Savings",
            GapRole::Reserves => "Use of reserves",
            GapRole::ReportedGap => "Reported gap",
            GapRole::Change => "Change",
            GapRole::Other => "Other (not counted)",
        }
    }

    /// Reads a row's role from its label, by keywords, case-insensitively. In order:
    ///
    /// 1. a label that reads as a result ([`GapResult::from_label`]: `Net Forecast`, `Revised
    ///    ... Gap`, `Additional funding requested ...`) is [`Other`](GapRole::Other): it restates
    ///    the gap and must not add to it;
    /// 2. `gap` is a [`ReportedGap`](GapRole::ReportedGap) (a [`Change`](GapRole::Change) if it
    ///    also says change, movement or adjustment);
    /// 3. `pressure` is a [`Pressure`](GapRole::Pressure) (`Proposed CYPS Additional Funding -
    ///    Pressure/Demand`, `Pressure (Reduction in Short Term Reserve)`);
    /// 4. saving words (`saving`, `cost avoidance`, `efficiency`) and `invest`: whichever the
    ///    label mentions first (`Proposed CYPS Investment / (Saving)` is an investment,
    ///    `Savings / Cost Avoidance (from Investment)` a saving);
    /// 5. `reserve` is [`Reserves`](GapRole::Reserves);
    /// 6. `budget` is the [`BaseBudget`](GapRole::BaseBudget) (`Net Budget`, `Base budget`);
    /// 7. `funding`, `grant`, `council tax`, `business rates`, `income`, `resources`,
    ///    `settlement`, `precept`, `cash limit` are [`Funding`](GapRole::Funding);
    /// 8. `demand` (not `demand management`), `demograph`, `inflation`, `pay award`, `growth`
    ///    are pressures;
    /// 9. `change`, `movement`, `adjustment`, `variation` are changes;
    /// 10. anything else is [`Other`](GapRole::Other).
    ///
    /// ```
    /// use gapwise::engine::GapRole;
    /// assert_eq!(GapRole::from_label("Proposed CYPS Investment / (Saving)"), GapRole::Investment);
    /// assert_eq!(GapRole::from_label("Savings / Cost Avoidance (from Investment)"), GapRole::Savings);
    /// assert_eq!(GapRole::from_label("Additional funding requested in current year"), GapRole::Other);
    /// ```
    pub fn from_label(row_label: &str) -> GapRole {
        let l = row_label.trim().to_lowercase();
        let has = |w: &str| l.contains(w);
        let any = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
        let first = |ws: &[&str]| ws.iter().filter_map(|w| l.find(w)).min();
        if GapResult::from_label(&l).is_some() {
            return GapRole::Other;
        }
        if has("gap") {
            return if any(&["change", "movement", "adjust"]) {
                GapRole::Change
            } else {
                GapRole::ReportedGap
            };
        }
        if has("pressure") {
            return GapRole::Pressure;
        }
        let saving = first(&["saving", "cost avoidance", "efficienc", "cost reduction"]);
        let investment = first(&["invest"]);
        match (saving, investment) {
            (Some(s), Some(i)) if i < s => return GapRole::Investment,
            (Some(_), _) => return GapRole::Savings,
            (None, Some(_)) => return GapRole::Investment,
            (None, None) => {}
        }
        if has("reserve") {
            return GapRole::Reserves;
        }
        if has("budget") {
            return GapRole::BaseBudget;
        }
        if any(&[
            "funding",
            "grant",
            "council tax",
            "business rates",
            "income",
            "resources",
            "settlement",
            "precept",
            "cash limit",
            "financing",
        ]) {
            return GapRole::Funding;
        }
        if (has("demand") && !has("demand management"))
            || any(&["demograph", "inflation", "pay award", "growth"])
        {
            return GapRole::Pressure;
        }
        if any(&["change", "movement", "adjust", "variation"]) {
            return GapRole::Change;
        }
        GapRole::Other
    }

    /// True for the roles whose rows may be published with the opposite sign to their meaning
    /// (savings as `(2.276)`), and are then read negated (see [`GapRow::factor`]).
    fn may_be_negated(self) -> bool {
        matches!(
            self,
            GapRole::Savings | GapRole::Funding | GapRole::Reserves
        )
    }
}

/// What a row's figure for a year states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stated {
    /// The figure is the year's level against the base year.
    PerYear,
    /// The figure is the change on the previous year: the level is the sum of the figures so
    /// far.
    ChangeOnPrevious,
}

impl Stated {
    pub const ALL: [Stated; 2] = [Stated::PerYear, Stated::ChangeOnPrevious];

    pub fn label(self) -> &'static str {
        match self {
            Stated::PerYear => "per year",
            Stated::ChangeOnPrevious => "change on previous year",
        }
    }

    /// A row is stated as changes only when its label says so: `change on previous year`,
    /// `increase on previous year` (any `... on previous/prior year`), `year on year`,
    /// `movement`. Everything else is per year: the `+2.056` cells of
    /// `cyps-funding-gap-2016-20.csv` are changes to that year's reported gap and are added as
    /// written (docs/domain.md: 8.659 + 2.056 − 2.805 − 0.271 + 0.215 = 7.854), so they are per year.
    pub fn from_label(row_label: &str) -> Stated {
        let l = row_label.to_lowercase();
        let says = [
            "on previous year",
            "on prior year",
            "on last year",
            "on the previous year",
            "year on year",
            "year-on-year",
            "movement",
        ];
        if says.iter().any(|w| l.contains(w)) {
            Stated::ChangeOnPrevious
        } else {
            Stated::PerYear
        }
    }
}

/// A published result row of a gap table: which computed figure it claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapResult {
    /// The budget requirement (`Net Forecast`).
    Requirement,
    /// The gap before reserves (`... Gap`, `Additional funding requested in current year`).
    GapBeforeReserves,
    /// The gap after reserves (`... gap after reserves`).
    GapAfterReserves,
    /// The revised gap, checked against the gap before reserves (`Revised Future Years Funding
    /// Gap as a result of this report`).
    RevisedGap,
    /// Requirement − base budget (`Overall Investment / Funding Support`).
    FundingSupport,
    /// The change of the gap before reserves on the year before (the first year: the gap
    /// itself). Given by the arithmetic map ([`gap_model_by_arithmetic`](crate::engine::gap_model_by_arithmetic)),
    /// never by a label.
    AnnualGap,
    /// The change of the gap after reserves on the year before (`Annual savings requirement`
    /// of a plan whose row equals the change of its gap after reserves). Given by the
    /// arithmetic map, never by a label.
    AnnualGapAfterReserves,
}

impl GapResult {
    pub const ALL: [GapResult; 7] = [
        GapResult::Requirement,
        GapResult::GapBeforeReserves,
        GapResult::GapAfterReserves,
        GapResult::RevisedGap,
        GapResult::FundingSupport,
        GapResult::AnnualGap,
        GapResult::AnnualGapAfterReserves,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GapResult::Requirement => "Budget requirement",
            GapResult::GapBeforeReserves => "Gap before reserves",
            GapResult::GapAfterReserves => "Gap after reserves",
            GapResult::RevisedGap => "Revised gap",
            GapResult::FundingSupport => "Funding support",
            GapResult::AnnualGap => "Annual gap before reserves",
            GapResult::AnnualGapAfterReserves => "Annual gap after reserves",
        }
    }

    /// Reads what a result row claims from its label, case-insensitively:
    /// `funding support` → [`FundingSupport`](GapResult::FundingSupport); `net forecast` or
    /// `requirement` → [`Requirement`](GapResult::Requirement); `funding requested` (the year's
    /// gap that the requested funding closes) → [`GapBeforeReserves`](GapResult::GapBeforeReserves);
    /// a `gap` that is `after reserves` → [`GapAfterReserves`](GapResult::GapAfterReserves),
    /// `revised` → [`RevisedGap`](GapResult::RevisedGap), reported before (`reported`,
    /// `estimated`, `previous`, `brought forward`, `b/f`, `original`) → `None` (an input, a
    /// [`GapRole::ReportedGap`] row), any other → [`GapBeforeReserves`](GapResult::GapBeforeReserves).
    /// Anything else is not a gap result.
    pub fn from_label(row_label: &str) -> Option<GapResult> {
        let l = row_label.trim().to_lowercase();
        let any = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
        if l.contains("funding support") {
            Some(GapResult::FundingSupport)
        } else if any(&["net forecast", "requirement"]) {
            Some(GapResult::Requirement)
        } else if any(&["funding requested", "requested"]) {
            Some(GapResult::GapBeforeReserves)
        } else if l.contains("gap") {
            if l.contains("after") && l.contains("reserve") {
                Some(GapResult::GapAfterReserves)
            } else if l.contains("revised") {
                Some(GapResult::RevisedGap)
            } else if any(&[
                "reported",
                "estimated",
                "previous",
                "brought forward",
                "b/f",
                "original",
            ]) {
                None
            } else {
                Some(GapResult::GapBeforeReserves)
            }
        } else {
            None
        }
    }
}

/// True when more of the figures are negative than positive, zeros not counted.
pub fn mostly_negative(amounts: &[Amount]) -> bool {
    let (mut negative, mut positive) = (0usize, 0usize);
    for a in amounts {
        if let Amount::Figure(d) = a {
            if d.is_zero() {
                continue;
            } else if d.is_sign_negative() {
                negative += 1;
            } else {
                positive += 1;
            }
        }
    }
    negative > positive
}

/// One row of a gap table that feeds the gap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapRow {
    pub label: String,
    /// The file row, counting from 1.
    pub row: usize,
    pub role: GapRole,
    pub stated: Stated,
    /// One per year of the model, as published, in the file's signs.
    pub amounts: Vec<Amount>,
}

impl GapRow {
    /// The factor from the row's published figures to its role's positive meaning: −1 for a
    /// savings, funding or reserves row whose figures are mostly negative (more negative than
    /// positive non-zero figures, as `Savings / Cost Avoidance (from Investment)`: `0.000,
    /// (2.276), (5.190), ...`), else 1. Every other role means what it says: a negative
    /// investment is a saving, a negative pressure a relief.
    pub fn factor(&self) -> Decimal {
        if self.role.may_be_negated() && mostly_negative(&self.amounts) {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        }
    }

    /// The row's level in each year, in the file's signs: its figure when stated per year; the
    /// sum of its figures up to that year when stated as changes on the previous year.
    pub fn levels(&self) -> Vec<Sum> {
        let mut running = Sum::default();
        self.amounts
            .iter()
            .map(|a| match self.stated {
                Stated::PerYear => {
                    let mut s = Sum::default();
                    s.add(a);
                    s
                }
                Stated::ChangeOnPrevious => {
                    running.add(a);
                    running.clone()
                }
            })
            .collect()
    }

    /// The row's level in each year in its role's positive meaning ([`GapRow::factor`]).
    pub fn quantities(&self) -> Vec<Sum> {
        let f = self.factor();
        self.levels().iter().map(|s| times(s, f)).collect()
    }
}

/// A published result row: a claim about a computed figure, to check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapCheckRow {
    pub label: String,
    pub row: usize,
    pub result: GapResult,
    /// One per year of the model, as published; a blank cell is no claim.
    pub amounts: Vec<Amount>,
}

/// How a savings schedule feeds the gap model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavingsFeed {
    /// The view of the schedule's savings to use: normally [`Profile::Cumulative`], each year's
    /// full-year effect against the base year, which is what a gap measured against the base
    /// year needs; [`Profile::Incremental`] gives each year's new savings, for a gap table stated
    /// year on year.
    pub profile: Profile,
}

/// A gap table as a model: its rows with their roles, its result rows, and the savings feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapModel {
    pub title: String,
    pub unit: Unit,
    pub years: Vec<YearColumn>,
    /// The rows that feed the gap, in file order.
    pub rows: Vec<GapRow>,
    /// The published result rows, in file order.
    pub results: Vec<GapCheckRow>,
    /// A savings schedule feeding the savings, if any.
    pub feed: Option<SavingsFeed>,
    /// The reserves drawn to close the gap, if a plan has been entered
    /// ([`compute_reserves`](super::compute_reserves)). Left out of the JSON when `None`, and
    /// read as `None` from JSON written before reserves were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserves_plan: Option<ReservesPlan>,
}

impl GapModel {
    /// The decimal places its figures are shown to: as many as the table's figures have.
    pub fn decimals(&self) -> u32 {
        self.rows
            .iter()
            .flat_map(|r| r.amounts.iter())
            .chain(self.results.iter().flat_map(|r| r.amounts.iter()))
            .filter_map(|a| match a {
                Amount::Figure(d) => Some(d.scale()),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    /// The gap model of a line-labelled table: its title, unit and years, the rows that feed
    /// the gap and the published results, each sorted into file order; no savings feed and no
    /// reserves plan yet. The one constructor every way of giving rows their roles ends in.
    pub fn of(
        schedule: &Schedule,
        mut rows: Vec<GapRow>,
        mut results: Vec<GapCheckRow>,
    ) -> GapModel {
        rows.sort_by_key(|r| r.row);
        results.sort_by_key(|r| r.row);
        GapModel {
            title: schedule.title.clone(),
            unit: schedule.unit,
            years: schedule.years.clone(),
            rows,
            results,
            feed: None,
            reserves_plan: None,
        }
    }
}
