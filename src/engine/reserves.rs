//! Reserves: named balances (the general fund, earmarked reserves) carried through the years of
//! a gap model, drawn down to close the gap that savings leave (domain.md, "The funding gap":
//! reserves used in a year close that year's gap once; they do not recur).
//!
//! This module owns the reserves plan ([`ReservesPlan`]: each [`Reserve`] with its opening
//! balance, planned contributions and drawdowns per year, whether and in which order it is used
//! to close the gap, and a minimum level), a scenario's changes to it ([`ReserveDraws`]), and
//! the arithmetic of balances year by year ([`compute_reserves`], giving [`ReserveFigures`]).
//! It does not work out the gap (`gap::compute_gap` does; this module reads its gap after
//! reserves), nor read the gap table's own "use of reserves" rows (see the rules below), nor
//! decide what is shown.
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
//! 4. **Drawdowns to close the gap.** The gap to close is the year's gap after reserves from
//!    `compute_gap` where positive ([`GapYear::gap_after_reserves`](super::GapYear): the gap
//!    table's own planned use of reserves has already closed what it closes). Only reserves
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
//!    planned).
//!
//! The gap table's own reserves rows ([`GapRole::Reserves`](super::GapRole)) are a statement of
//! planned use that already reduces the gap; they are not taken from any balance here, since the
//! table does not say which reserve they come from. To have them run a balance down, enter them
//! as planned drawdowns of that reserve and take the rows out of the gap (role `Other`),
//! otherwise they would close the gap twice.
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

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::gap::{GapFigures, GapModel, GapRole};
use super::import::MAX_YEARS;
use super::number::Amount;
use super::paste::parse_entry;
use super::schedule::{FinancialYear, Unit};

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
    pub fn validate(&self, years: usize) -> Result<(), String> {
        if self.reserves.len() > MAX_RESERVES {
            return Err(format!(
                "{} reserves; at most {MAX_RESERVES}",
                self.reserves.len()
            ));
        }
        if let Some(m) = &self.minimum {
            check_minimum(m).map_err(|e| format!("the total minimum {e}"))?;
        }
        for (i, r) in self.reserves.iter().enumerate() {
            let name: String = r.name.chars().take(40).collect();
            let at = |what: String| format!("reserve `{name}`: {what}");
            if self.reserves[..i].iter().any(|o| o.id == r.id) {
                return Err(at(format!("the id {} is used twice", r.id)));
            }
            check_figure(r.opening).map_err(|e| at(format!("the opening balance {e}")))?;
            for (what, list) in [
                ("contributions", &r.contributions),
                ("drawdowns", &r.drawdowns),
            ] {
                if list.len() > years {
                    return Err(at(format!("{} {what} for {years} years", list.len())));
                }
                for v in list {
                    check_figure(*v).map_err(|e| at(format!("a planned {what} figure {e}")))?;
                }
            }
            if let Some(m) = &r.minimum {
                check_minimum(m).map_err(|e| at(format!("the minimum {e}")))?;
            }
        }
        Ok(())
    }
}

fn check_figure(v: Decimal) -> Result<(), String> {
    if v.is_sign_negative() && !v.is_zero() {
        Err(format!("is negative ({v})"))
    } else if v > MAX_RESERVE_FIGURE {
        Err(format!("is over 10^18 ({v})"))
    } else {
        Ok(())
    }
}

fn check_minimum(m: &Minimum) -> Result<(), String> {
    match *m {
        Minimum::Amount(v) => check_figure(v),
        Minimum::ShareOfNetBudget(s)
            if s.is_sign_negative() && !s.is_zero() || s > Decimal::ONE =>
        {
            Err(format!("is a share of the net budget outside 0 to 1 ({s})"))
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
    pub fn validate(&self) -> Result<(), String> {
        if self.drawdowns.len() > MAX_RESERVES {
            return Err(format!(
                "drawdowns for {} reserves; at most {MAX_RESERVES}",
                self.drawdowns.len()
            ));
        }
        for (id, list) in &self.drawdowns {
            if list.len() > MAX_YEARS {
                return Err(format!(
                    "drawdowns of reserve {id} for {} years; at most {MAX_YEARS}",
                    list.len()
                ));
            }
            for v in list.iter().flatten() {
                check_figure(*v).map_err(|e| format!("a drawdown of reserve {id} {e}"))?;
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
/// assert_eq!(parse_reserve_figure("(3)", Unit::Pounds).unwrap_err(), "is negative; a reserve's figures are from zero up");
/// ```
pub fn parse_reserve_figure(text: &str, unit: Unit) -> Result<Decimal, String> {
    match parse_entry(text, unit).map_err(|e| e.to_string())? {
        Amount::Blank => Ok(Decimal::ZERO),
        Amount::Figure(v) => check_figure(v).map(|()| v).map_err(|e| {
            if v.is_sign_negative() {
                "is negative; a reserve's figures are from zero up".to_string()
            } else {
                e
            }
        }),
        Amount::NoFigure(_) => Err("is not a figure (N/A, TBC); enter an amount".to_string()),
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
pub fn parse_reserves_use(text: &str, unit: Unit) -> Result<Option<Decimal>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse_entry(text, unit).map_err(|e| e.to_string())? {
        Amount::Blank => Ok(None),
        Amount::Figure(v) => Ok(Some(v)),
        Amount::NoFigure(_) => Err("is not a figure (N/A, TBC); enter an amount".to_string()),
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
pub fn parse_minimum(text: &str, unit: Unit) -> Result<Option<Minimum>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if let Some(share) = t.strip_suffix('%') {
        let percent = share
            .trim()
            .parse::<Decimal>()
            .map_err(|_| "is not a percentage (write it as 5%)".to_string())?;
        if percent.is_sign_negative() && !percent.is_zero() || percent > Decimal::ONE_HUNDRED {
            return Err("is a percentage outside 0 % to 100 %".to_string());
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
    /// The gap after the gap table's own reserves (`GapYear::gap_after_reserves`): what the
    /// reserves are drawn to close where positive.
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
    /// `gap − gap_drawdowns`: negative is a surplus.
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
}

/// The net budget of each year of the model, the base of a minimum set as a share of it: the
/// year's base budget when the table has a base budget row (`Net Budget`), else its funding.
pub fn net_budgets(model: &GapModel, figures: &GapFigures) -> Vec<Decimal> {
    let has_base = model.rows.iter().any(|r| r.role == GapRole::BaseBudget);
    figures
        .years
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

/// Works out the model's reserves plan year by year (module doc, "The rules") against the gap
/// `figures` that [`compute_gap`](super::compute_gap) gave for the same model (with the
/// savings fed, so the gap is what savings leave). `None` when the model has no plan.
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
/// let r = compute_reserves(&model, &compute_gap(&model, None)).unwrap();
/// // Gaps of 3 and 5: 3 drawn, then the 3 left; 2 of the second year's gap is unclosed.
/// let closing: Vec<_> = r.years.iter().map(|y| y.closing).collect();
/// assert_eq!(closing, [Decimal::new(3, 0), Decimal::ZERO]);
/// assert_eq!(r.years[1].gap_unclosed, Decimal::TWO);
/// assert_eq!(r.exhausted.map(|y| y.to_string()).as_deref(), Some("2021/22"));
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn compute_reserves(model: &GapModel, figures: &GapFigures) -> Option<ReserveFigures> {
    let plan = model.reserves_plan.as_ref()?;
    let n = model.years.len().min(figures.years.len());
    let net = net_budgets(model, figures);
    let prepared = Prepared::new(plan, &net[..n]);
    let gaps: Vec<Decimal> = figures.years[..n]
        .iter()
        .map(|y| y.gap_after_reserves.value)
        .collect();
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
    use crate::engine::gap::{compute_gap, gap_model};
    use crate::engine::import::{import, ImportOptions};
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
            plan.validate(2).unwrap_err(),
            "reserve `General fund`: the opening balance is negative (-1)"
        );
        plan.reserves[0].opening = d("1");
        plan.reserves[0].contributions = ds(&["1", "1", "1"]);
        assert_eq!(
            plan.validate(2).unwrap_err(),
            "reserve `General fund`: 3 contributions for 2 years"
        );
        plan.reserves[0].contributions.pop();
        assert_eq!(plan.validate(2), Ok(()));
        plan.reserves.push(plan.reserves[0].clone());
        assert!(plan
            .validate(2)
            .unwrap_err()
            .contains("the id 1 is used twice"));
        plan.reserves[1].id = plan.next_id();
        assert_eq!(plan.reserves[1].id, 2);
        plan.minimum = Some(Minimum::ShareOfNetBudget(d("1.5")));
        assert!(plan.validate(2).unwrap_err().contains("outside 0 to 1"));
    }

    #[test]
    fn entries_are_read_with_the_page_parser_and_refused_with_a_reason() {
        let u = Unit::Millions;
        assert_eq!(parse_reserve_figure("£1.5m", u), Ok(d("1.5")));
        assert_eq!(parse_reserve_figure("-", u), Ok(Decimal::ZERO));
        assert_eq!(
            parse_reserve_figure("abc", u).unwrap_err(),
            "is not an amount"
        );
        assert!(parse_reserve_figure("TBC", u)
            .unwrap_err()
            .starts_with("is not a figure"));
        assert!(parse_reserve_figure("2000000000000000000", u).is_err());
        assert_eq!(
            parse_minimum("12.5%", u),
            Ok(Some(Minimum::ShareOfNetBudget(d("0.125"))))
        );
        assert_eq!(
            parse_minimum("x%", u).unwrap_err(),
            "is not a percentage (write it as 5%)"
        );
        assert_eq!(
            parse_minimum("-1", u).unwrap_err(),
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
