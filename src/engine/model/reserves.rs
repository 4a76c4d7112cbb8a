//! A gap model's reserves plan as data: named reserves, their planned movements, minimum
//! levels and the rules they are drawn by, and what a scenario changes in it; and the reading of
//! a reserve figure or minimum as the user types it. Working the plan out over the years is
//! `calc::reserves` (docs/domain.md, "The funding gap", "Reserves").

use super::invalid::{EntryError, FigureProblem, Flow, PlanError, ReserveFigure};
use super::limits::MAX_YEARS;
use super::number::Amount;
use super::schedule::Unit;
use super::units::parse_entry;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most reserves a plan may hold.
pub const MAX_RESERVES: usize = 200;

/// The largest figure (opening balance, contribution, drawdown, fixed minimum) a plan may hold:
/// 10^18 in the model's unit, beyond any public body's budget in any unit.
pub const MAX_RESERVE_FIGURE: Decimal =
    Decimal::from_parts(2_808_348_672, 232_830_643, 0, false, 0);

/// What a reserve is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReserveKind {
    /// The general fund balance: unallocated, the buffer against risk.
    #[default]
    General,
    /// Set aside for a purpose (insurance, a transformation programme, PFI).
    Earmarked,
}

impl ReserveKind {
    pub const ALL: [ReserveKind; 2] = [ReserveKind::General, ReserveKind::Earmarked];

    pub fn label(self) -> &'static str {
        match self {
            ReserveKind::General => "General fund",
            ReserveKind::Earmarked => "Earmarked",
        }
    }
}

/// A minimum level for a reserve, or for all reserves together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Minimum {
    /// A fixed sum, in the gap model's unit.
    Amount(Decimal),
    /// A share of the year's net budget ([`net_budgets`]), as a fraction: `0.05` is 5 %.
    ShareOfNetBudget(Decimal),
}

impl Minimum {
    /// The level in a year whose net budget is `net_budget`, exactly: the sum itself, or the
    /// share × the net budget (5 % of 56.468 is 2.82340).
    ///
    /// ```
    /// use gapwise::engine::Minimum;
    /// use rust_decimal::Decimal;
    /// let five_percent = Minimum::ShareOfNetBudget(Decimal::new(5, 2));
    /// assert_eq!(five_percent.level(Decimal::new(56_468, 3)), Decimal::new(282_340, 5));
    /// assert_eq!(Minimum::Amount(Decimal::TWO).level(Decimal::new(56_468, 3)), Decimal::TWO);
    /// ```
    pub fn level(&self, net_budget: Decimal) -> Decimal {
        match *self {
            Minimum::Amount(v) => v,
            Minimum::ShareOfNetBudget(share) => share.saturating_mul(net_budget),
        }
    }
}

/// How far a drawdown to close the gap may take a reserve.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawLimit {
    /// Down to zero: the whole balance may be used, and a fall below the minimum is reported.
    #[default]
    Balance,
    /// Down to the minimum level: each reserve's own, and the total's (the plan's minimum).
    /// What the minimum protects is left, and the gap it would have closed is reported as
    /// unclosed.
    Minimum,
}

/// A named reserve and its planned movements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reserve {
    /// Unique within the plan; a scenario's drawdowns name the reserve by it, so a reserve
    /// keeps its scenarios when renamed or moved ([`ReservesPlan::next_id`] gives a new one).
    pub id: u32,
    pub name: String,
    #[serde(default)]
    pub kind: ReserveKind,
    /// The balance at the start of the gap model's first year.
    pub opening: Decimal,
    /// Per year of the gap model, the planned contribution (paid into the reserve); years past
    /// the end of the list plan none.
    #[serde(default)]
    pub contributions: Vec<Decimal>,
    /// Per year, the planned drawdown for a named purpose (not the gap); years past the end of
    /// the list plan none.
    #[serde(default)]
    pub drawdowns: Vec<Decimal>,
    /// `Some(order)`: used to close the gap, drawn before reserves of a higher order; `None`:
    /// not used for the gap.
    #[serde(default)]
    pub gap_order: Option<u32>,
    /// The reserve's own minimum level, if it has one.
    #[serde(default)]
    pub minimum: Option<Minimum>,
}

impl Reserve {
    /// A reserve with an opening balance and nothing planned, not used for the gap.
    pub fn new(id: u32, name: impl Into<String>, kind: ReserveKind, opening: Decimal) -> Reserve {
        Reserve {
            id,
            name: name.into(),
            kind,
            opening,
            contributions: Vec::new(),
            drawdowns: Vec::new(),
            gap_order: None,
            minimum: None,
        }
    }

    /// The planned contribution of year index `y` (zero past the list).
    pub fn contribution(&self, y: usize) -> Decimal {
        self.contributions.get(y).copied().unwrap_or_default()
    }

    /// The planned drawdown of year index `y` (zero past the list).
    pub fn drawdown(&self, y: usize) -> Decimal {
        self.drawdowns.get(y).copied().unwrap_or_default()
    }

    /// Sets the planned contribution of year index `y`, the years before it past the list
    /// becoming zero (as [`Reserve::contribution`] reads them).
    pub fn set_contribution(&mut self, y: usize, value: Decimal) {
        set_year(&mut self.contributions, y, value);
    }

    /// Sets the planned drawdown of year index `y`, as [`Reserve::set_contribution`] does.
    pub fn set_drawdown(&mut self, y: usize, value: Decimal) {
        set_year(&mut self.drawdowns, y, value);
    }
}

/// Puts `value` at year index `y` of a per-year list, lengthening it with zeros.
fn set_year(list: &mut Vec<Decimal>, y: usize, value: Decimal) {
    if list.len() <= y {
        list.resize(y + 1, Decimal::ZERO);
    }
    list[y] = value;
}

/// The reserves of a gap model and the rules they are used by (module doc, "The rules").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservesPlan {
    #[serde(default)]
    pub reserves: Vec<Reserve>,
    /// The minimum level of all reserves together; `None`: the sum of the reserves' own.
    #[serde(default)]
    pub minimum: Option<Minimum>,
    #[serde(default)]
    pub draw_limit: DrawLimit,
}

impl ReservesPlan {
    /// An id no reserve of the plan has: one more than the largest.
    pub fn next_id(&self) -> u32 {
        self.reserves
            .iter()
            .map(|r| r.id.saturating_add(1))
            .max()
            .unwrap_or(0)
    }

    /// The reserve with this id.
    pub fn get(&self, id: u32) -> Option<&Reserve> {
        self.reserves.iter().find(|r| r.id == id)
    }

    /// Checks a plan for a model of `years` years, as a loaded file is checked: at most
    /// [`MAX_RESERVES`] reserves with distinct ids; no more contributions or drawdowns than
    /// years; every balance, contribution, drawdown and fixed minimum from zero to
    /// [`MAX_RESERVE_FIGURE`]; every share of the net budget from 0 to 1. The message names
    /// the reserve and the figure.
    pub fn validate(&self, years: usize) -> Result<(), PlanError> {
        if self.reserves.len() > MAX_RESERVES {
            return Err(PlanError::TooManyReserves {
                count: self.reserves.len(),
                limit: MAX_RESERVES,
            });
        }
        if let Some(m) = &self.minimum {
            check_minimum(m).map_err(PlanError::TotalMinimum)?;
        }
        for (i, r) in self.reserves.iter().enumerate() {
            let name = || -> String { r.name.chars().take(40).collect() };
            let at = |figure: ReserveFigure| {
                move |problem: FigureProblem| PlanError::Figure {
                    reserve: name(),
                    figure,
                    problem,
                }
            };
            if self.reserves[..i].iter().any(|o| o.id == r.id) {
                return Err(PlanError::IdTwice {
                    reserve: name(),
                    id: r.id,
                });
            }
            check_figure(r.opening).map_err(at(ReserveFigure::Opening))?;
            for (flow, list) in [
                (Flow::Contributions, &r.contributions),
                (Flow::Drawdowns, &r.drawdowns),
            ] {
                if list.len() > years {
                    return Err(PlanError::TooManyFlows {
                        reserve: name(),
                        flow,
                        count: list.len(),
                        years,
                    });
                }
                for (year, v) in list.iter().enumerate() {
                    check_figure(*v).map_err(at(ReserveFigure::Planned { flow, year }))?;
                }
            }
            if let Some(m) = &r.minimum {
                check_minimum(m).map_err(at(ReserveFigure::Minimum))?;
            }
        }
        Ok(())
    }
}

fn check_figure(v: Decimal) -> Result<(), FigureProblem> {
    if v.is_sign_negative() && !v.is_zero() {
        Err(FigureProblem::Negative { value: v })
    } else if v > MAX_RESERVE_FIGURE {
        Err(FigureProblem::TooLarge { value: v })
    } else {
        Ok(())
    }
}

fn check_minimum(m: &Minimum) -> Result<(), FigureProblem> {
    match *m {
        Minimum::Amount(v) => check_figure(v),
        Minimum::ShareOfNetBudget(s)
            if s.is_sign_negative() && !s.is_zero() || s > Decimal::ONE =>
        {
            Err(FigureProblem::ShareOutside { share: s })
        }
        Minimum::ShareOfNetBudget(_) => Ok(()),
    }
}

/// What a scenario changes in the reserves plan ("what if we stop using reserves?", "what if
/// the transformation reserve is drawn a year early?"). Applied by
/// [`apply_gap_scenario`](super::apply_gap_scenario) to the copy of the model it returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReserveDraws {
    /// No reserve is drawn to close the gap (planned contributions and drawdowns still happen).
    pub no_gap_draws: bool,
    /// Per reserve (by [`Reserve::id`]), per year of the gap model, the planned drawdown in
    /// place of the plan's; `None` entries keep the plan's. A reserve the plan does not have is
    /// ignored.
    pub drawdowns: BTreeMap<u32, Vec<Option<Decimal>>>,
}

impl ReserveDraws {
    /// True when the scenario changes nothing in the plan.
    pub fn is_empty(&self) -> bool {
        !self.no_gap_draws
            && self
                .drawdowns
                .values()
                .all(|v| v.iter().all(Option::is_none))
    }

    /// Changes a plan as the scenario says: the drawdowns replaced year by year, and with
    /// [`no_gap_draws`](ReserveDraws::no_gap_draws) every reserve's [`Reserve::gap_order`]
    /// cleared.
    pub fn apply(&self, plan: &mut ReservesPlan) {
        for r in &mut plan.reserves {
            if self.no_gap_draws {
                r.gap_order = None;
            }
            if let Some(overrides) = self.drawdowns.get(&r.id) {
                for (y, o) in overrides.iter().enumerate() {
                    if let Some(v) = o {
                        if r.drawdowns.len() <= y {
                            r.drawdowns.resize(y + 1, Decimal::ZERO);
                        }
                        r.drawdowns[y] = *v;
                    }
                }
            }
        }
    }

    /// Checks a scenario's drawdowns as a loaded link is checked: at most [`MAX_RESERVES`]
    /// reserves, at most [`MAX_YEARS`] years each, every drawdown from zero to
    /// [`MAX_RESERVE_FIGURE`].
    pub fn validate(&self) -> Result<(), PlanError> {
        if self.drawdowns.len() > MAX_RESERVES {
            return Err(PlanError::DrawsTooManyReserves {
                count: self.drawdowns.len(),
                limit: MAX_RESERVES,
            });
        }
        for (&id, list) in &self.drawdowns {
            if list.len() > MAX_YEARS {
                return Err(PlanError::DrawsTooManyYears {
                    id,
                    count: list.len(),
                    limit: MAX_YEARS,
                });
            }
            for (year, v) in list.iter().enumerate() {
                if let Some(v) = v {
                    check_figure(*v).map_err(|problem| PlanError::Drawdown {
                        id,
                        year,
                        problem,
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// Reads a reserve figure as the user typed it (an opening balance, a planned contribution or
/// drawdown, a drawdown in a scenario) with the page's number parser
/// ([`parse_entry`](super::parse_entry)): any published format (`1,250.5`, `£1.2m`, converted
/// exactly to the model's `unit`); a blank entry or a dash is zero. A reserve's figures run from
/// zero to [`MAX_RESERVE_FIGURE`] ([`ReservesPlan::validate`]), so a negative is refused. The
/// error says what is wrong with the text, to follow "`abc` ".
///
/// ```
/// use gapwise::engine::{parse_reserve_figure, Unit};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_reserve_figure("1,250.5", Unit::Pounds), Ok(Decimal::new(12_505, 1)));
/// assert_eq!(parse_reserve_figure("", Unit::Pounds), Ok(Decimal::ZERO));
/// assert_eq!(parse_reserve_figure("(3)", Unit::Pounds).unwrap_err().to_string(), "is negative; a reserve's figures are from zero up");
/// ```
pub fn parse_reserve_figure(text: &str, unit: Unit) -> Result<Decimal, EntryError> {
    match parse_entry(text, unit).map_err(EntryError::Number)? {
        Amount::Blank => Ok(Decimal::ZERO),
        Amount::Figure(v) => check_figure(v).map(|()| v).map_err(|e| match e {
            FigureProblem::TooLarge { value } => EntryError::TooLarge { value },
            _ => EntryError::Negative { value: v },
        }),
        Amount::NoFigure(_) => Err(EntryError::NoFigure),
    }
}

/// Reads a scenario's use of reserves in a year of the gap as the user typed it: blank (or a
/// dash) is `None`, "as planned"; otherwise a figure in any published format (read by
/// [`parse_entry`], converted to the model's `unit`), positive for a use of reserves and
/// negative for a contribution to them. The error says what is wrong with the text.
///
/// ```
/// use gapwise::engine::{parse_reserves_use, Unit};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_reserves_use("1.000", Unit::Millions), Ok(Some(Decimal::new(1000, 3))));
/// assert_eq!(parse_reserves_use(" ", Unit::Millions), Ok(None));
/// ```
pub fn parse_reserves_use(text: &str, unit: Unit) -> Result<Option<Decimal>, EntryError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse_entry(text, unit).map_err(EntryError::Number)? {
        Amount::Blank => Ok(None),
        Amount::Figure(v) => Ok(Some(v)),
        Amount::NoFigure(_) => Err(EntryError::NoFigure),
    }
}

/// Reads a minimum level as the user typed it: blank is no minimum; a figure ending in `%` is
/// a share of the net budget (`5%` is 0.05, from 0 % to 100 %); any other entry is a fixed sum,
/// read as [`parse_reserve_figure`] reads one.
///
/// ```
/// use gapwise::engine::{parse_minimum, Minimum, Unit};
/// use rust_decimal::Decimal;
/// assert_eq!(parse_minimum("5 %", Unit::Pounds), Ok(Some(Minimum::ShareOfNetBudget(Decimal::new(5, 2)))));
/// assert_eq!(parse_minimum("2.5", Unit::Pounds), Ok(Some(Minimum::Amount(Decimal::new(25, 1)))));
/// assert_eq!(parse_minimum(" ", Unit::Pounds), Ok(None));
/// assert!(parse_minimum("150%", Unit::Pounds).is_err());
/// ```
pub fn parse_minimum(text: &str, unit: Unit) -> Result<Option<Minimum>, EntryError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(share) = t.strip_suffix('%') {
        let percent = share
            .trim()
            .parse::<Decimal>()
            .map_err(|_| EntryError::NotAPercentage)?;
        if percent.is_sign_negative() && !percent.is_zero() || percent > Decimal::ONE_HUNDRED {
            return Err(EntryError::PercentOutside { percent });
        }
        return Ok(Some(Minimum::ShareOfNetBudget(
            (percent / Decimal::ONE_HUNDRED).normalize(),
        )));
    }
    parse_reserve_figure(t, unit).map(|v| Some(Minimum::Amount(v)))
}

impl Minimum {
    /// The minimum as [`parse_minimum`] reads it back: `5%` for a share, the figure for a sum.
    ///
    /// ```
    /// use gapwise::engine::Minimum;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Minimum::ShareOfNetBudget(Decimal::new(125, 4)).entry_text(), "1.25%");
    /// assert_eq!(Minimum::Amount(Decimal::new(25, 1)).entry_text(), "2.5");
    /// ```
    pub fn entry_text(&self) -> String {
        match *self {
            Minimum::Amount(v) => v.to_string(),
            Minimum::ShareOfNetBudget(s) => {
                format!("{}%", (s * Decimal::ONE_HUNDRED).normalize())
            }
        }
    }
}
