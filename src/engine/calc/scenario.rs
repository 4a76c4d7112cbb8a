//! Scenarios: "what if the red-rated savings don't land?", "what if this saving slips a year?",
//! "what if demand grows 2 % a year?" (docs/domain.md, "Who uses it" and "Monitoring": a
//! risk-adjusted view counts each line at an achievement rate chosen for its rating).
//!
//! This module owns the RAG delivery rating ([`Rag`]), the assumptions of a scenario
//! ([`Scenario`]: a rate per rating, and per line an override rate, a slip, a scale or an
//! exclusion; for a gap model a growth of pressures, a planned use of reserves and changes to
//! its reserves plan; and the delivery risk simulation's settings, its seed included), the
//! adjusted copies they give ([`apply_scenario`], [`apply_gap_scenario`]) and the comparison
//! of a scenario with its baseline ([`compare`]: grand totals, net and gap per year, and the
//! lines that moved). It never edits what it is given: a scenario returns an adjusted copy, and
//! the copy goes through `calculate`, `netting` and `compute_gap` exactly as the schedule and
//! model as published do. It does not add up (`totals`), convert profiles (`profile`), net
//! proposals (`netting`; [`schedule_net`] adds up the nets it finds) or work out gaps (`gap`).
//!
//! Every figure is an exact [`Decimal`]: rates, scales and growth multiply the published
//! figures with no rounding (the result keeps every decimal the product needs; only a product
//! needing more than the 28 significant digits a `Decimal` holds, far beyond any published
//! figure, is rounded there by `rust_decimal`).

use rust_decimal::Decimal;

use super::gap::GapFigures;
use super::netting_run::proposal_nets;
use super::totals::{totals, Totals};
use crate::engine::model::gap::{GapModel, GapRole, GapRow, Stated};
use crate::engine::model::number::{within_cell_limit, Amount, NoFigure};
use crate::engine::model::scenario::LineAssumption;
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::{Line, Schedule};
use crate::engine::model::sum::{sum_all, Sum};

/// A schedule under a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedScenario {
    /// The adjusted copy: same lines in the same order (indices match the base), figures
    /// adjusted, published totals dropped.
    pub schedule: Schedule,
    /// Per slipped line (index into `schedule.lines`), the cells that slipped past the last
    /// year, in year order: lost from the schedule's period, not from the world.
    pub slipped_out: Vec<(usize, Vec<Amount>)>,
}

/// Applies a scenario to a savings schedule, returning an adjusted copy (the schedule given is
/// never edited). The risk-adjusted view of docs/domain.md "Monitoring": each line counts at an
/// achievement rate chosen for its rating.
///
/// Per line, on its figures as published (in its own profile, its own signs):
///
/// - **Rate and scale**: each figure × the line's rate ([`Scenario::line_rate`]: its override,
///   else its rating's, else `unrated`) × its scale if any, exactly. A blank cell stays blank and
///   a cell with no figure (`N/A`, `TBC`) stays without one: a rate does not make an unknown
///   known.
/// - **Slip** by N years: the figure of year y moves to year y + N, the first N years become
///   zero (a zero at the scale of the cell that was there, or at the schedule's decimals where
///   that cell had no figure; a blank stays blank), and the cells that move past the
///   last year leave the schedule and are returned in [`AppliedScenario::slipped_out`]. In an
///   incremental schedule slipping the increments slips the full-year effects alike.
/// - **Exclude**: the line keeps its place (so line indices match the baseline's) but every
///   figure becomes zero at the cell's scale; a blank stays blank, and a cell with no figure
///   becomes zero too (at the schedule's decimals), since a line left out counts for nothing,
///   not for an unknown. Exclusion wins over rate, scale and slip.
///
/// Published totals (line totals and total rows) are claims about the schedule as published:
/// they are dropped from the copy (`total = None` on every line, no total rows) so no check
/// judges scenario figures against them. The total column's header is kept, so the copy's
/// layout stays valid and exports with an empty total column.
///
/// A product larger than a cell may hold (10^18, as on import: a rate or scale beyond any
/// sense) is a cell with no figure ([`NoFigure::Unreadable`]) rather than a wrong one, so the
/// copy's totals cannot overflow.
pub fn apply_scenario(schedule: &Schedule, scenario: &Scenario) -> AppliedScenario {
    let mut out = schedule.clone();
    out.total_rows.clear();
    let decimals = schedule.decimals;
    let none = LineAssumption::default();
    let mut slipped_out = Vec::new();
    for (index, line) in out.lines.iter_mut().enumerate() {
        line.total = None;
        let assumption = scenario.lines.get(&line.row).unwrap_or(&none);
        if assumption.exclude {
            line.amounts = line.amounts.iter().map(|c| zero_of(c, decimals)).collect();
            continue;
        }
        let mut factor = Some(scenario.line_rate(line));
        if let Some(scale) = assumption.scale {
            factor = factor.and_then(|f| f.checked_mul(scale));
        }
        let adjusted: Vec<Amount> = line
            .amounts
            .iter()
            .map(|c| match factor {
                Some(f) => times(c, f),
                None if c.is_figure() => Amount::NoFigure(NoFigure::Unreadable),
                None => c.clone(),
            })
            .collect();
        let n = adjusted.len();
        let k = usize::try_from(assumption.slip)
            .unwrap_or(usize::MAX)
            .min(n);
        if k == 0 {
            line.amounts = adjusted;
            continue;
        }
        let lost = adjusted[n - k..].to_vec();
        line.amounts = (0..n)
            .map(|y| {
                if y < k {
                    zero_of(&adjusted[y], decimals)
                } else {
                    adjusted[y - k].clone()
                }
            })
            .collect();
        slipped_out.push((index, lost));
    }
    AppliedScenario {
        schedule: out,
        slipped_out,
    }
}

/// A cell × a factor, exactly; blank and no-figure cells as they are.
fn times(cell: &Amount, factor: Decimal) -> Amount {
    match cell {
        // A zero product keeps the cell's decimals (`0.0` × 0.5 is `0.0`, 330.0 × 0 is `0.0`).
        Amount::Figure(d) => match d.checked_mul(factor) {
            Some(p) if p.is_zero() => Amount::Figure(Decimal::new(0, d.scale())),
            Some(p) if within_cell_limit(p) => Amount::Figure(p),
            _ => Amount::NoFigure(NoFigure::Unreadable),
        },
        other => other.clone(),
    }
}

/// What a cell becomes when its figure is taken away: a zero at its scale; blank stays blank;
/// a cell with no figure becomes a zero at the schedule's decimals.
fn zero_of(cell: &Amount, decimals: u32) -> Amount {
    match cell {
        Amount::Figure(d) => Amount::Figure(Decimal::new(0, d.scale())),
        Amount::Blank => Amount::Blank,
        Amount::NoFigure(_) => Amount::Figure(Decimal::new(0, decimals.min(28))),
    }
}

/// The label of the reserves row [`apply_gap_scenario`] adds for a planned use of reserves
/// the model has no row for.
pub const SCENARIO_RESERVES_LABEL: &str = "Planned use of reserves (scenario)";
/// The label of the rows [`apply_gap_scenario`] adds for a contribution to reserves (a
/// negative use) that no reserves row can carry.
pub const SCENARIO_CONTRIBUTION_LABEL: &str = "Contribution to reserves (scenario)";

/// Applies a scenario's gap assumptions to a gap model (docs/domain.md, "The funding gap"),
/// returning an adjusted copy (the model given is never edited). The schedule assumptions
/// (rates, lines) do not apply here: they reach the gap through the applied schedule fed into
/// it ([`compute_gap`](super::compute_gap) with a feed).
///
/// - **Pressure growth** g: every [`GapRole::Pressure`] row's pressure in year index i becomes
///   the published one × (1 + g)^i, exactly (the first year unchanged). For a row stated per
///   year that is its figure × (1 + g)^i; for a row stated as changes on the previous year it
///   is the row's level that grows, and its changes are rewritten so that they add up to the
///   grown levels. A cell with no figure stays without one.
/// - **Reserves**: where the scenario gives a year's planned use of reserves (positive = use),
///   it replaces the table's: the first [`GapRole::Reserves`] row carries it and any other
///   reserves row is zero that year; with no reserves row, one is added, labelled
///   [`SCENARIO_RESERVES_LABEL`], with the uses as positive figures. Each row keeps the sign
///   style it was published in where it can: `gap` reads a reserves row whose figures are
///   mostly negative as negated, so a row published as `(1.000)` gets `(v)`. A contribution
///   to reserves (a negative use) that no row can carry under that rule is written as extra
///   rows ([`SCENARIO_CONTRIBUTION_LABEL`]), so that every year's total use of reserves is
///   exactly the scenario's. (Only in a one-year table can a contribution not be carried; it
///   is then shown in a row that is not counted.) Reserves still close their own year's gap
///   once and never recur. A use over 10^18 (more than a cell may hold) gives up the table's
///   use that year and is a cell with no figure ([`NoFigure::Unreadable`]) in a row labelled
///   [`SCENARIO_RESERVES_LABEL`]: that year's gap after reserves is then incomplete, never
///   wrong, and its sums cannot overflow.
///
/// - **Reserves plan**: the scenario's [`ReserveDraws`] change the copy's reserves plan
///   ([`ReserveDraws::apply`]): planned drawdowns replaced year by year, or no reserve used to
///   close the gap.
///
/// The model's published result rows are claims about the table as published: they are
/// dropped from the copy, as [`apply_scenario`] drops published totals, so no check judges
/// scenario figures against them. The feed is kept.
pub fn apply_gap_scenario(model: &GapModel, scenario: &Scenario) -> GapModel {
    let mut out = model.clone();
    out.results.clear();
    if let Some(g) = scenario.pressure_growth {
        grow_pressures(&mut out, g);
    }
    if let Some(reserves) = &scenario.reserves {
        replace_reserves(&mut out, reserves);
    }
    if let Some(plan) = &mut out.reserves_plan {
        scenario.reserve_draws.apply(plan);
    }
    out
}

/// (1 + g)^i for each year index i, exact; `None` once it no longer fits a `Decimal`.
fn growth_factors(years: usize, g: Decimal) -> Vec<Option<Decimal>> {
    let base = Decimal::ONE.checked_add(g);
    let mut factor = Some(Decimal::ONE);
    (0..years)
        .map(|i| {
            if i > 0 {
                factor = factor.zip(base).and_then(|(f, b)| f.checked_mul(b));
            }
            factor
        })
        .collect()
}

fn grow_pressures(model: &mut GapModel, g: Decimal) {
    let factors = growth_factors(model.years.len(), g);
    for row in model
        .rows
        .iter_mut()
        .filter(|r| r.role == GapRole::Pressure)
    {
        let levels = row.levels();
        // A level too large to grow (over 10^18 grown) makes the row's cell unreadable that
        // year, never wrong.
        let mut overflowed = vec![false; row.amounts.len()];
        let targets: Vec<Option<Decimal>> = row
            .amounts
            .iter()
            .zip(&levels)
            .zip(&factors)
            .enumerate()
            .map(|(y, ((cell, level), factor))| match cell {
                Amount::NoFigure(_) => None,
                _ => {
                    let grown = factor
                        .and_then(|f| level.value.checked_mul(f))
                        .filter(|g| within_cell_limit(*g));
                    overflowed[y] = grown.is_none();
                    grown
                }
            })
            .collect();
        let mut amounts = cells_for_levels(&row.amounts, row.stated, &targets);
        for (cell, bad) in amounts.iter_mut().zip(overflowed) {
            if bad {
                *cell = Amount::NoFigure(NoFigure::Unreadable);
            }
        }
        row.amounts = amounts;
    }
}

/// The cells that give a row the levels `targets` (in the file's signs, `None` = keep the cell,
/// a cell with no figure): for a row stated per year, the level itself; for a row stated as
/// changes on the previous year, the change from the level its rewritten cells reach so far.
/// A cell whose value does not change keeps its text (scale included); a blank whose value
/// stays zero stays blank.
fn cells_for_levels(
    original: &[Amount],
    stated: Stated,
    targets: &[Option<Decimal>],
) -> Vec<Amount> {
    let mut reached = Decimal::ZERO;
    original
        .iter()
        .zip(targets)
        .map(|(cell, target)| {
            let Some(level) = target else {
                return cell.clone();
            };
            let value = match stated {
                Stated::PerYear => *level,
                Stated::ChangeOnPrevious => *level - reached,
            };
            reached += value;
            match cell {
                Amount::Figure(d) if *d == value => cell.clone(),
                Amount::Blank if value.is_zero() => Amount::Blank,
                Amount::Figure(d) if value.is_zero() => Amount::Figure(Decimal::new(0, d.scale())),
                _ => Amount::Figure(value),
            }
        })
        .collect()
}

/// Each year's total planned use of reserves, positive = use, as `gap` reads the rows.
fn reserve_totals(model: &GapModel) -> Vec<Decimal> {
    let mut totals = vec![Decimal::ZERO; model.years.len()];
    for row in model.rows.iter().filter(|r| r.role == GapRole::Reserves) {
        for (t, q) in totals.iter_mut().zip(row.quantities()) {
            *t += q.value;
        }
    }
    totals
}

fn replace_reserves(model: &mut GapModel, wanted: &[Option<Decimal>]) {
    let n = model.years.len();
    let overrides: Vec<Option<Decimal>> =
        (0..n).map(|y| wanted.get(y).copied().flatten()).collect();
    if overrides.iter().all(Option::is_none) {
        return;
    }
    // A use too large for a cell: the table's use is given up and the year's is unknown.
    let too_large: Vec<bool> = overrides
        .iter()
        .map(|o| o.is_some_and(|v| !within_cell_limit(v)))
        .collect();
    let overrides: Vec<Option<Decimal>> = overrides
        .iter()
        .map(|o| {
            o.map(|v| {
                if within_cell_limit(v) {
                    v
                } else {
                    Decimal::ZERO
                }
            })
        })
        .collect();
    let current = reserve_totals(model);
    let target: Vec<Decimal> = (0..n).map(|y| overrides[y].unwrap_or(current[y])).collect();
    let mut first = true;
    for row in model
        .rows
        .iter_mut()
        .filter(|r| r.role == GapRole::Reserves)
    {
        let uses: Vec<Option<Decimal>> = overrides
            .iter()
            .map(|o| o.map(|v| if first { v } else { Decimal::ZERO }))
            .collect();
        // A row that cannot carry the scenario's use (a contribution that would leave its
        // figures mostly negative) still gives up the table's use in the overridden years if it
        // can; the new rows below then carry the scenario's.
        let nothing: Vec<Option<Decimal>> =
            overrides.iter().map(|o| o.map(|_| Decimal::ZERO)).collect();
        if let Some(amounts) =
            rewrite_reserves_row(row, &uses).or_else(|| rewrite_reserves_row(row, &nothing))
        {
            row.amounts = amounts;
        }
        first = false;
    }
    // Whatever the rows could not carry (a contribution to reserves in a row that would then
    // read negated; or no reserves row at all) goes into rows of its own.
    let now = reserve_totals(model);
    let residual: Vec<Decimal> = target.iter().zip(&now).map(|(t, n)| *t - *n).collect();
    if residual.iter().any(|r| !r.is_zero()) {
        add_reserves_rows(model, &residual);
    }
    if too_large.contains(&true) {
        let row = next_row_number(model);
        model.rows.push(GapRow {
            label: SCENARIO_RESERVES_LABEL.to_string(),
            row,
            role: GapRole::Reserves,
            stated: Stated::PerYear,
            amounts: too_large
                .iter()
                .map(|&t| {
                    if t {
                        Amount::NoFigure(NoFigure::Unreadable)
                    } else {
                        Amount::Blank
                    }
                })
                .collect(),
        });
    }
}

/// The file row after the model's last: where a row the scenario adds is numbered.
fn next_row_number(model: &GapModel) -> usize {
    model
        .rows
        .iter()
        .map(|r| r.row)
        .chain(model.results.iter().map(|r| r.row))
        .max()
        .unwrap_or(0)
        + 1
}

/// A reserves row rewritten so that its use in each year with `Some(v)` is v and every other
/// year's is unchanged, in the sign style it was published in if that still reads right, else
/// in the other; `None` if neither reads right (the row's uses would be mostly negative).
fn rewrite_reserves_row(row: &GapRow, uses: &[Option<Decimal>]) -> Option<Vec<Amount>> {
    let published = row.factor();
    let quantities = row.quantities();
    let wanted: Vec<Decimal> = uses
        .iter()
        .zip(&quantities)
        .map(|(u, q)| u.unwrap_or(q.value))
        .collect();
    for sign in [published, -published] {
        let targets: Vec<Option<Decimal>> = row
            .amounts
            .iter()
            .zip(uses)
            .zip(&wanted)
            .map(|((cell, u), w)| match (cell, u) {
                (Amount::NoFigure(_), None) => None,
                _ => Some(*w * sign),
            })
            .collect();
        let candidate = GapRow {
            amounts: cells_for_levels(&row.amounts, row.stated, &targets),
            ..row.clone()
        };
        let reads = candidate.factor() == sign
            && candidate
                .quantities()
                .iter()
                .zip(&wanted)
                .all(|(q, w)| q.value == *w);
        if reads {
            return Some(candidate.amounts);
        }
    }
    None
}

/// Adds rows that carry `residual` (per year, positive = use) exactly as `gap` reads them: one
/// row stated per year with the uses (and as many contributions as it can carry: a reserves row
/// is read negated once its figures are mostly negative), and for each contribution it cannot
/// carry a row stated as changes, the contribution in its year and its reversal the next, which
/// reads as that contribution in its year only.
fn add_reserves_rows(model: &mut GapModel, residual: &[Decimal]) {
    let n = residual.len();
    let mut next_row = next_row_number(model) - 1;
    let mut row_number = || {
        next_row += 1;
        next_row
    };
    let mut uses: Vec<Amount> = residual
        .iter()
        .map(|r| {
            if r.is_zero() {
                Amount::Blank
            } else {
                Amount::Figure(*r)
            }
        })
        .collect();
    let count = |cells: &[Amount], negative: bool| {
        cells
            .iter()
            .filter(|c| matches!(c, Amount::Figure(d) if !d.is_zero() && d.is_sign_negative() == negative))
            .count()
    };
    let mut contributions: Vec<(usize, Decimal)> = Vec::new();
    for y in 0..n.saturating_sub(1) {
        if count(&uses, true) <= count(&uses, false) {
            break;
        }
        if let Amount::Figure(d) = uses[y] {
            if d.is_sign_negative() && !d.is_zero() {
                contributions.push((y, d));
                uses[y] = Amount::Blank;
            }
        }
    }
    let mut uncounted = None;
    // Still mostly negative: only the last year's contribution is left, with no use beside it.
    if let (true, Some(&Amount::Figure(last))) =
        (count(&uses, true) > count(&uses, false), uses.last())
    {
        if n >= 2 {
            // A use in the first year lets the row carry it; a contribution in the first year,
            // reversed in the second, takes that use away again.
            uses[0] = Amount::Figure(-last);
            contributions.push((0, last));
        } else {
            uses[0] = Amount::Blank;
            uncounted = Some(last);
        }
    }
    if uses.iter().any(|c| !matches!(c, Amount::Blank)) {
        model.rows.push(GapRow {
            label: SCENARIO_RESERVES_LABEL.to_string(),
            row: row_number(),
            role: GapRole::Reserves,
            stated: Stated::PerYear,
            amounts: uses,
        });
    }
    for (y, d) in contributions {
        let mut amounts = vec![Amount::Blank; n];
        amounts[y] = Amount::Figure(d);
        amounts[y + 1] = Amount::Figure(-d);
        model.rows.push(GapRow {
            label: SCENARIO_CONTRIBUTION_LABEL.to_string(),
            row: row_number(),
            role: GapRole::Reserves,
            stated: Stated::ChangeOnPrevious,
            amounts,
        });
    }
    if let Some(d) = uncounted {
        model.rows.push(GapRow {
            label: format!(
                "{SCENARIO_CONTRIBUTION_LABEL}: not counted, a one-year table cannot carry it"
            ),
            row: row_number(),
            role: GapRole::Other,
            stated: Stated::PerYear,
            amounts: vec![Amount::Figure(d)],
        });
    }
}

/// How one line differs between a scenario and its baseline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineDifference {
    /// Index into the schedules' lines (the same in both).
    pub line: usize,
    /// Scenario − baseline, per year.
    pub years: Vec<Decimal>,
    /// The sum of `years`.
    pub total: Decimal,
}

/// A scenario beside its baseline: the schedule's grand totals, its net, the gap after reserves,
/// and the lines that moved.
///
/// Every schedule figure is in the file's own sign convention, as the schedule shows it; every
/// difference is scenario − baseline, per year, and for the period the difference of the
/// periods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// The baseline's grand total per year.
    pub baseline: Vec<Sum>,
    /// The scenario's grand total per year.
    pub scenario: Vec<Sum>,
    /// Scenario − baseline, per year.
    pub difference: Vec<Decimal>,
    pub baseline_total: Sum,
    pub scenario_total: Sum,
    /// `scenario_total` − `baseline_total`.
    pub difference_total: Decimal,
    /// The baseline's net per year (see [`schedule_net`]): full-year effects, investment and
    /// gross saving netted, memo and published net lines left out.
    pub baseline_net: Vec<Sum>,
    /// The scenario's net per year, worked out the same way on the scenario's schedule.
    pub scenario_net: Vec<Sum>,
    /// Scenario − baseline net, per year.
    pub net_difference: Vec<Decimal>,
    /// The sum of `baseline_net` over the period: the cumulative net at the last year (the
    /// appraisal's `Cumulative` column).
    pub baseline_net_total: Sum,
    pub scenario_net_total: Sum,
    /// `scenario_net_total` − `baseline_net_total`.
    pub net_difference_total: Decimal,
    /// The baseline's gap after reserves per gap year, when a gap is given.
    pub baseline_gap: Option<Vec<Sum>>,
    pub scenario_gap: Option<Vec<Sum>>,
    /// Scenario − baseline gap after reserves per gap year, when both gaps are given.
    pub gap_difference: Option<Vec<Decimal>>,
    /// Only the lines whose figures differ in some year, the largest |total| difference first,
    /// then in file order.
    pub lines: Vec<LineDifference>,
}

/// Compares a scenario's schedule (and gap) with the baseline's, year by year and line by line.
/// The two are matched by position: years by index, lines by index ([`apply_scenario`] keeps
/// both). A year or line only one side has is compared with zero; a cell with no figure counts
/// as zero in a line's difference (it is an unknown on both sides, or none of the scenario's
/// doing) and is left out of the grand totals' and nets' values, as [`Sum`] does (the `Sum`
/// says so with `missing > 0`).
///
/// The grand totals are the schedule's lines added up as published (`totals`); the net is
/// [`schedule_net`] of each side, so the scenario's figures go through `netting` exactly as the
/// baseline's do.
pub fn compare(
    baseline: &Schedule,
    scenario: &Schedule,
    baseline_gap: Option<&GapFigures>,
    scenario_gap: Option<&GapFigures>,
) -> Comparison {
    compare_with(
        baseline,
        &totals(baseline),
        schedule_net(baseline),
        scenario,
        baseline_gap,
        scenario_gap,
    )
}

/// [`compare`] with the baseline's totals and net already worked out (the page keeps them while
/// the user switches between scenarios): the same comparison, given the same figures.
pub fn compare_with(
    baseline: &Schedule,
    baseline_totals: &Totals,
    baseline_net: Vec<Sum>,
    scenario: &Schedule,
    baseline_gap: Option<&GapFigures>,
    scenario_gap: Option<&GapFigures>,
) -> Comparison {
    let (b, s) = (baseline_totals, totals(scenario));
    let difference = differences(&b.grand.years, &s.grand.years);
    let gap_after = |g: &GapFigures| -> Vec<Sum> {
        g.years
            .iter()
            .map(|y| y.gap_after_reserves.clone())
            .collect()
    };
    let baseline_gap = baseline_gap.map(gap_after);
    let scenario_gap = scenario_gap.map(gap_after);
    let gap_difference = match (&baseline_gap, &scenario_gap) {
        (Some(b), Some(s)) => Some(differences(b, s)),
        _ => None,
    };
    let value = |line: Option<&Line>, y: usize| -> Decimal {
        line.and_then(|l| l.amounts.get(y))
            .and_then(Amount::value)
            .unwrap_or_default()
    };
    let mut lines = Vec::new();
    for i in 0..baseline.lines.len().max(scenario.lines.len()) {
        let (bl, sl) = (baseline.lines.get(i), scenario.lines.get(i));
        let n = bl
            .map_or(0, |l| l.amounts.len())
            .max(sl.map_or(0, |l| l.amounts.len()));
        let years: Vec<Decimal> = (0..n).map(|y| value(sl, y) - value(bl, y)).collect();
        if years.iter().any(|d| !d.is_zero()) {
            let total = years.iter().sum();
            lines.push(LineDifference {
                line: i,
                years,
                total,
            });
        }
    }
    // Stable: equal magnitudes stay in file order.
    lines.sort_by_key(|l| std::cmp::Reverse(l.total.abs()));
    let scenario_net = schedule_net(scenario);
    let (baseline_net_total, scenario_net_total) = (sum_all(&baseline_net), sum_all(&scenario_net));
    Comparison {
        difference_total: s.grand.total.value - b.grand.total.value,
        baseline: b.grand.years.clone(),
        scenario: s.grand.years,
        difference,
        baseline_total: b.grand.total.clone(),
        scenario_total: s.grand.total,
        net_difference: differences(&baseline_net, &scenario_net),
        net_difference_total: scenario_net_total.value - baseline_net_total.value,
        baseline_net,
        scenario_net,
        baseline_net_total,
        scenario_net_total,
        baseline_gap,
        scenario_gap,
        gap_difference,
        lines,
    }
}

/// A schedule's net per year (docs/domain.md, "Netting"): the sum over its proposals of each
/// proposal's net as [`netting`](super::netting_run::netting) works it out, in the file's own signs.
///
/// The rule, in the domain's words:
///
/// - **Savings net of the investment they need.** Each line counts by its full-year effect
///   (docs/domain.md "Profiles": a cumulative table's figures; the running sum of an incremental
///   schedule's recurring increments; a one-off only in its own year). Investment and cost lines
///   add to the year's net as signed in the file, gross saving and benefit lines likewise, so in
///   an appraisal's costs-positive signs the net is investment − gross saving (a saving is
///   negative), and in a savings schedule's savings-positive signs it is the savings less the
///   investment.
/// - **Reversals net against the lines they cancel** by being counted once, as the negative
///   figures they are published with: a withdrawn 950 and its (950) add to nothing. A reversal
///   is not taken off a second time.
/// - **Not counted**: memo lines (an investment shown but excluded from the net, the include
///   flag cleared), and published net lines (`Net Saving`, `Net Investment / Saving`), which
///   are claims checked against the net, not part of it. A line a scenario excludes is zero in
///   the scenario's schedule and so counts for nothing there.
///
/// So a schedule with no investment lines has as net the full-year effect of its saving lines,
/// reversals included: in a cumulative table that is each year's savings total less any memo
/// and net lines; in an incremental schedule it is the running sum of the years' totals (every
/// saving so far), with each one-off counted in its own year only.
///
/// A year in which a counted cell has no figure (`N/A`, `TBC`) is incomplete (`missing > 0`),
/// and in an incremental schedule so is every later year of that line, never taken as zero.
pub fn schedule_net(schedule: &Schedule) -> Vec<Sum> {
    let mut net = vec![Sum::default(); schedule.years.len()];
    for proposal in proposal_nets(schedule) {
        for (year, p) in net.iter_mut().zip(&proposal.net) {
            year.merge(p);
        }
    }
    net
}

/// Scenario − baseline per position; a position only one side has is compared with zero.
fn differences(baseline: &[Sum], scenario: &[Sum]) -> Vec<Decimal> {
    let value = |s: &[Sum], i: usize| s.get(i).map(|x| x.value).unwrap_or_default();
    (0..baseline.len().max(scenario.len()))
        .map(|i| value(scenario, i) - value(baseline, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::model::number::parse_amount;
    use crate::engine::read::gap::gap_model;
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

    fn cells(a: &[Amount]) -> Vec<String> {
        a.iter().map(Amount::canonical).collect()
    }

    fn row(role: GapRole, stated: Stated, figures: &[&str]) -> GapRow {
        GapRow {
            label: role.label().to_string(),
            row: 1,
            role,
            stated,
            amounts: figures
                .iter()
                .map(|f| parse_amount(f).unwrap().amount)
                .collect(),
        }
    }

    fn model(years: usize, rows: Vec<GapRow>) -> GapModel {
        let s = schedule(&format!(
            "Line,{}\nPressures,{}\n",
            (0..years)
                .map(|y| format!("{}/{:02}", 2020 + y, (21 + y) % 100))
                .collect::<Vec<_>>()
                .join(","),
            vec!["0"; years].join(",")
        ));
        GapModel {
            rows,
            ..gap_model(&s)
        }
    }

    fn with_reserves(reserves: &[Option<&str>]) -> Scenario {
        Scenario {
            reserves: Some(reserves.iter().map(|r| r.map(d)).collect()),
            ..Scenario::new("Reserves")
        }
    }

    #[test]
    fn ratings_are_read_tolerantly_and_split_ones_at_the_worse() {
        use crate::engine::model::rating::Rag::*;
        let cases = [
            ("Red", Some(Red)),
            ("R", Some(Red)),
            ("red - high risk", Some(Red)),
            ("AMBER", Some(Amber)),
            ("A", Some(Amber)),
            ("Green", Some(Green)),
            ("G", Some(Green)),
            (" g ", Some(Green)),
            ("Amber/Green", Some(Amber)),
            ("Green / Amber", Some(Amber)),
            ("Red-Amber", Some(Red)),
            ("A/G", Some(Amber)),
            ("RAG: Green", Some(Green)),
            ("(R)", Some(Red)),
            ("", None),
            ("N/A", None),
            ("High", None),
            ("Reduced", None),
            ("Greenfield site", None),
            ("A reduction in agency staff", None),
            ("Potential to improve outcomes through prevention", None),
        ];
        for (text, rag) in cases {
            assert_eq!(Rag::parse(text), rag, "{text:?}");
        }
        for r in Rag::ALL {
            assert_eq!(Rag::parse(r.label()), Some(r));
        }
        assert_eq!(serde_json::to_string(&Rag::Amber).unwrap(), "\"amber\"");
    }

    #[test]
    fn rates_by_rating() {
        let r = RagRates::default();
        assert_eq!(
            [Some(Rag::Red), Some(Rag::Amber), Some(Rag::Green), None].map(|g| r.rate(g)),
            [d("0"), d("0.5"), d("1"), d("1")]
        );
        let b = Scenario::baseline();
        assert_eq!(b.name, "Baseline");
        assert_eq!(b.rates, RagRates::full());
        assert_eq!(Scenario::new("Risk").rates, RagRates::default());
    }

    #[test]
    fn rate_and_scale_multiply_exactly_and_keep_blanks_and_unknowns() {
        let base = schedule("Project,RAG,2017/18,2018/19,2019/20,Total\nA,Amber,165.0,,TBC,165.0\nB,,1.5,2.5,0.0,4.0\nTotal,166.5,2.5,0.0,169.0\n");
        assert_eq!(base.lines[0].rag, Some(Rag::Amber));
        assert_eq!(base.lines[1].rag, None);
        let mut scenario = Scenario::new("Risk");
        scenario.lines.insert(
            base.lines[1].row,
            LineAssumption {
                rate: Some(d("0.8")),
                scale: Some(d("1.1")),
                ..LineAssumption::default()
            },
        );
        let copy = base.clone();
        let applied = apply_scenario(&base, &scenario);
        assert_eq!(base, copy, "the base schedule is never edited");
        let s = &applied.schedule;
        assert_eq!(cells(&s.lines[0].amounts), ["82.50", "", "TBC"]);
        // 1.5 × 0.8 × 1.1 = 1.32; 2.5 × 0.88 = 2.2.
        assert_eq!(cells(&s.lines[1].amounts), ["1.320", "2.200", "0.0"]);
        assert!(s.lines.iter().all(|l| l.total.is_none()));
        assert!(s.total_rows.is_empty());
        assert_eq!(s.total_header, base.total_header);
        assert!(applied.slipped_out.is_empty());
        assert_eq!(scenario.line_rate(&base.lines[1]), d("0.8"));
        // With no published totals left, no check fires on scenario figures.
        assert!(crate::engine::calculate(s).checks.checks.is_empty());
    }

    #[test]
    fn slip_moves_figures_later_and_returns_what_falls_off() {
        let base = schedule("Project,2017/18,2018/19,2019/20\nA,1.0,2.0,3.0\nB,,N/A,4\n");
        let mut scenario = Scenario::baseline();
        for (row, slip) in [(2, 1), (3, 2)] {
            scenario.lines.insert(
                row,
                LineAssumption {
                    slip,
                    ..LineAssumption::default()
                },
            );
        }
        let applied = apply_scenario(&base, &scenario);
        let s = &applied.schedule;
        assert_eq!(cells(&s.lines[0].amounts), ["0.0", "1.0", "2.0"]);
        // A blank stays blank where it was; the unknown moves with its year, and the year it
        // left is zero at the schedule's decimals.
        assert_eq!(cells(&s.lines[1].amounts), ["", "0.0", ""]);
        assert_eq!(applied.slipped_out.len(), 2);
        assert_eq!(applied.slipped_out[0].0, 0);
        assert_eq!(cells(&applied.slipped_out[0].1), ["3.0"]);
        assert_eq!(cells(&applied.slipped_out[1].1), ["N/A", "4"]);
    }

    #[test]
    fn excluded_lines_keep_their_place_at_zero() {
        let base = schedule("Project,2017/18,2018/19,2019/20\nA,1.0,,TBC\nB,2,3,4\n");
        let mut scenario = Scenario::baseline();
        scenario.lines.insert(
            2,
            LineAssumption {
                exclude: true,
                slip: 1,
                scale: Some(d("2")),
                ..LineAssumption::default()
            },
        );
        let applied = apply_scenario(&base, &scenario);
        assert_eq!(applied.schedule.lines.len(), 2);
        assert_eq!(
            cells(&applied.schedule.lines[0].amounts),
            ["0.0", "", "0.0"]
        );
        assert_eq!(cells(&applied.schedule.lines[1].amounts), ["2", "3", "4"]);
        assert!(applied.slipped_out.is_empty());
    }

    #[test]
    fn an_absurd_rate_gives_no_figure_not_a_wrong_one() {
        let base = schedule("Project,2017/18\nA,1000000000000000000\n");
        let mut scenario = Scenario::baseline();
        scenario.rates.unrated = d("1000000000000000000");
        let s = apply_scenario(&base, &scenario).schedule;
        assert_eq!(s.lines[0].amounts, [Amount::NoFigure(NoFigure::Unreadable)]);
    }

    #[test]
    fn compare_lists_moved_lines_biggest_first_then_file_order() {
        let base = schedule("Project,2017/18,2018/19\nA,1,1\nB,5,5\nC,2,0\nD,0,2\n");
        let mut scenario = Scenario::baseline();
        scenario.lines.insert(
            2,
            LineAssumption {
                rate: Some(d("0.5")),
                ..LineAssumption::default()
            },
        );
        scenario.lines.insert(
            3,
            LineAssumption {
                exclude: true,
                ..LineAssumption::default()
            },
        );
        // C slips a year and loses nothing: its total does not move, its years do.
        scenario.lines.insert(
            4,
            LineAssumption {
                slip: 1,
                ..LineAssumption::default()
            },
        );
        let applied = apply_scenario(&base, &scenario);
        let c = compare(&base, &applied.schedule, None, None);
        let got: Vec<_> = c
            .lines
            .iter()
            .map(|l| (l.line, l.years.clone(), l.total))
            .collect();
        assert_eq!(
            got,
            [
                (1, vec![d("-5"), d("-5")], d("-10")),
                (0, vec![d("-0.5"), d("-0.5")], d("-1.0")),
                (2, vec![d("-2"), d("2")], d("0")),
            ]
        );
        assert_eq!(c.difference, [d("-7.5"), d("-3.5")]);
        assert_eq!(c.baseline_total.value, d("16"));
        assert_eq!(c.scenario_total.value, d("5"));
        assert_eq!(c.difference_total, d("-11"));
        // The net counts full-year effects (incremental: the running sums): A 1, 2; B 5, 10;
        // C 2, 2; D 0, 2 make 8, 16. The scenario: A 0.5, 1.0; B nothing; C 0, 2; D 0, 2.
        let net = |sums: &[Sum]| sums.iter().map(|s| s.value).collect::<Vec<_>>();
        assert_eq!(net(&c.baseline_net), [d("8"), d("16")]);
        assert_eq!(net(&c.scenario_net), [d("0.5"), d("5.0")]);
        assert_eq!(c.net_difference, [d("-7.5"), d("-11")]);
        assert_eq!(c.baseline_net_total.value, d("24"));
        assert_eq!(c.net_difference_total, d("-18.5"));
        assert_eq!(c.baseline_gap, None);
        assert_eq!(c.gap_difference, None);
    }

    #[test]
    fn the_net_leaves_out_memo_and_net_lines_and_counts_a_reversal_once() {
        let mut s = schedule(
            "Project,Type,2017/18,2018/19,Cumulative\n\
             A,Investment,1.0,1.0,2.0\n\
             A,Gross Saving,(3.0),(4.0),(7.0)\n\
             A,Net Saving,(2.0),(3.0),(5.0)\n\
             B,Investment,5.0,5.0,10.0\n\
             C,Gross Saving,(2.0),(2.0),(4.0)\n\
             C,Gross Saving,2.0,1.0,3.0\n",
        );
        assert_eq!(s.profile, crate::engine::Profile::Cumulative);
        s.lines[3].memo = true;
        // A: 1.0 − 3.0 = −2.0, 1.0 − 4.0 = −3.0 (its net line not added again); B memo; C's
        // second line reverses its first in part: 0.0, −1.0.
        let net: Vec<_> = schedule_net(&s).iter().map(|x| x.value).collect();
        assert_eq!(net, [d("-2.0"), d("-4.0")]);
    }

    #[test]
    fn pressures_grow_by_level_per_year_and_as_changes() {
        let mut m = model(
            3,
            vec![
                row(GapRole::Pressure, Stated::PerYear, &["1.0", "2.0", "N/A"]),
                row(
                    GapRole::Pressure,
                    Stated::ChangeOnPrevious,
                    &["1", "0.5", ""],
                ),
                row(GapRole::Investment, Stated::PerYear, &["1", "1", "1"]),
            ],
        );
        m.results = gap_model(&schedule("Line,2020/21\nTotal funding gap,1\n")).results;
        assert_eq!(m.results.len(), 1);
        let scenario = Scenario {
            pressure_growth: Some(d("0.1")),
            ..Scenario::baseline()
        };
        let g = apply_gap_scenario(&m, &scenario);
        assert_eq!(cells(&g.rows[0].amounts), ["1.0", "2.20", "N/A"]);
        // Levels 1, 1.5, 1.5 grow to 1, 1.65, 1.815: changes 1, 0.65, 0.165.
        assert_eq!(cells(&g.rows[1].amounts), ["1", "0.65", "0.165"]);
        let levels: Vec<_> = g.rows[1].levels().iter().map(|s| s.value).collect();
        assert_eq!(levels, [d("1"), d("1.65"), d("1.815")]);
        assert_eq!(g.rows[2], m.rows[2]);
        assert!(
            g.results.is_empty(),
            "published results are claims about the base"
        );
        assert_eq!(m.results.len(), 1, "the model given is never edited");
    }

    #[test]
    fn growth_compounds_exactly() {
        assert_eq!(
            growth_factors(4, d("0.02")),
            [
                Some(d("1")),
                Some(d("1.02")),
                Some(d("1.0404")),
                Some(d("1.061208"))
            ]
        );
    }

    #[test]
    fn reserves_go_into_a_new_row_as_positive_uses() {
        let m = model(
            3,
            vec![row(GapRole::Pressure, Stated::PerYear, &["5", "5", "5"])],
        );
        let g = apply_gap_scenario(&m, &with_reserves(&[None, Some("1.000")]));
        let added = g.rows.last().unwrap();
        assert_eq!(added.label, SCENARIO_RESERVES_LABEL);
        assert_eq!(added.role, GapRole::Reserves);
        assert_eq!(cells(&added.amounts), ["", "1.000", ""]);
        assert_eq!(added.row, 2);
        let (before, after) = (compute_gap(&m, None), compute_gap(&g, None));
        let moved: Vec<_> = before
            .years
            .iter()
            .zip(&after.years)
            .map(|(b, a)| a.gap_after_reserves.value - b.gap_after_reserves.value)
            .collect();
        assert_eq!(moved, [d("0"), d("-1.000"), d("0")]);
    }

    #[test]
    fn reserves_keep_the_rows_sign_style_and_other_rows_give_way() {
        let m = model(
            3,
            vec![
                row(
                    GapRole::Reserves,
                    Stated::PerYear,
                    &["(1.0)", "(2.0)", "0.0"],
                ),
                row(GapRole::Reserves, Stated::PerYear, &["0.5", "0.5", "0.5"]),
            ],
        );
        assert_eq!(reserve_totals(&m), [d("1.5"), d("2.5"), d("0.5")]);
        let g = apply_gap_scenario(&m, &with_reserves(&[Some("3"), None, Some("0")]));
        assert_eq!(cells(&g.rows[0].amounts), ["-3", "-2.0", "0.0"]);
        assert_eq!(cells(&g.rows[1].amounts), ["0.0", "0.5", "0.0"]);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(reserve_totals(&g), [d("3"), d("2.5"), d("0")]);
    }

    #[test]
    fn a_contribution_a_row_cannot_carry_gets_rows_of_its_own() {
        // A positive row: a contribution would leave it mostly negative, read negated.
        let m = model(
            3,
            vec![row(GapRole::Reserves, Stated::PerYear, &["0", "3", "0"])],
        );
        let g = apply_gap_scenario(&m, &with_reserves(&[None, Some("-1")]));
        assert_eq!(cells(&g.rows[0].amounts), ["0", "0", "0"]);
        assert_eq!(g.rows[1].label, SCENARIO_CONTRIBUTION_LABEL);
        assert_eq!(g.rows[1].stated, Stated::ChangeOnPrevious);
        assert_eq!(cells(&g.rows[1].amounts), ["", "-1", "1"]);
        assert_eq!(reserve_totals(&g), [d("0"), d("-1"), d("0")]);

        // With no row at all, contributions in every year, the last included.
        let m = model(3, Vec::new());
        let g = apply_gap_scenario(&m, &with_reserves(&[Some("-1"), Some("2"), Some("-3")]));
        assert_eq!(reserve_totals(&g), [d("-1"), d("2"), d("-3")]);
        let g = apply_gap_scenario(&m, &with_reserves(&[None, None, Some("-3")]));
        assert_eq!(reserve_totals(&g), [d("0"), d("0"), d("-3")]);
        let gap = compute_gap(&g, None);
        assert_eq!(gap.years[2].gap_after_reserves.value, d("3"));
        assert_eq!(gap.years[0].gap_after_reserves.value, d("0"));

        // A one-year table cannot carry one: it is shown, not counted.
        let m = model(1, Vec::new());
        let g = apply_gap_scenario(&m, &with_reserves(&[Some("-1")]));
        assert_eq!(reserve_totals(&g), [d("0")]);
        assert_eq!(g.rows.last().unwrap().role, GapRole::Other);
    }

    #[test]
    fn reserves_stated_as_changes_are_rewritten_by_level() {
        let m = model(
            3,
            vec![row(
                GapRole::Reserves,
                Stated::ChangeOnPrevious,
                &["1", "1", "-1"],
            )],
        );
        assert_eq!(reserve_totals(&m), [d("1"), d("2"), d("1")]);
        let g = apply_gap_scenario(&m, &with_reserves(&[None, Some("5")]));
        assert_eq!(cells(&g.rows[0].amounts), ["1", "4", "-4"]);
        assert_eq!(reserve_totals(&g), [d("1"), d("5"), d("1")]);
    }

    #[test]
    fn scenarios_round_trip_through_json() {
        let mut s = Scenario::new("Red slips");
        s.lines.insert(
            31,
            LineAssumption {
                rate: Some(d("0.25")),
                slip: 1,
                scale: None,
                exclude: false,
            },
        );
        s.pressure_growth = Some(d("0.02"));
        s.reserves = Some(vec![None, Some(d("1.000"))]);
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Scenario>(&text).unwrap(), s);
        let lean: Scenario =
            serde_json::from_str(r#"{"name":"x","rates":{"red":"0","amber":"0.5","green":"1","unrated":"1"},"lines":{"4":{"exclude":true}}}"#)
                .unwrap();
        assert!(lean.lines[&4].exclude);
        assert_eq!(lean.reserves, None);
    }
}
