//! Netting: proposals, their nets and paybacks, reversal pairs, and duplicate references
//! (docs/domain.md, "Netting").
//!
//! This module owns three readings of a schedule's lines that go beyond adding them up:
//!
//! - **Proposals**: the lines of one proposal (its investment, gross saving and net measures,
//!   or a savings schedule's single line) gathered together, netted year by year with the
//!   cumulative net, both paybacks worked out, and the proposal's published net lines and
//!   payback checked against them.
//! - **Reversals**: a later line that withdraws or re-profiles an earlier one by negating its
//!   amounts, linked to it so that the pair and its net can be shown together.
//! - **Duplicate references**: one reference used for different proposals, a warning.
//!
//! It does not add up lines for totals (`totals`), judge published totals of lines and total
//! rows (`checks`), or convert between profiles (`profile`; netting reads each line's full-year
//! effects from there). Every figure it returns is in the file's own sign convention; only the
//! tests of "is this a saving" go through Gapwise's savings-positive convention
//! ([`SignConvention::to_internal`](super::SignConvention::to_internal)).
//!
//! Everything is linear (or near-linear) in the number of lines: grouping goes through hash
//! maps, and a reversal is looked for among at most [`REVERSAL_WINDOW`] earlier candidates.

use rust_decimal::Decimal;

use super::checks::{judge, Check, CheckColumn, CheckStatus, Subject};
use super::profile::full_year_effects;
use crate::engine::model::schedule::{
    Line, Measure, Profile, Recurrence, Schedule, SignConvention, TextField,
};
use crate::engine::model::sum::Sum;

/// How many earlier lines of the same section and label a line is compared with when looking
/// for the line it reverses: the most recent ones, so that a schedule of many lines with one
/// label stays linear to check.
pub const REVERSAL_WINDOW: usize = 64;

/// Everything netting finds in a schedule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Netting {
    /// One per proposal, in the order of each proposal's first line.
    pub proposals: Vec<ProposalNet>,
    /// Reversal pairs, in the file order of the reversing line.
    pub reversals: Vec<Reversal>,
    /// References used by lines of different proposals, in the file order of each reference's
    /// first use.
    pub duplicate_refs: Vec<DuplicateRef>,
}

/// One proposal, netted (docs/domain.md, "Netting", "Per proposal" and "Payback").
///
/// Figures are per year column, in the file's sign convention, and are the lines' full-year
/// effects (see [`netting`](super::netting_run::netting)). A year whose Sum has `missing > 0` is incomplete: some cell of it
/// had no figure, and it is never taken as zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalNet {
    /// The reference as first published on its lines (`""` if none of them has one).
    pub reference: String,
    /// The line label ([`Schedule::line_label`]) of its first line.
    pub name: String,
    /// Its lines, as indices into `Schedule::lines`, in file order (memo and net lines included).
    pub lines: Vec<usize>,
    /// Investment and cost lines, per year.
    pub investment: Vec<Sum>,
    /// Gross saving and benefit lines, and lines that name no measure, per year.
    pub gross_saving: Vec<Sum>,
    /// Investment plus gross saving as signed in the file, per year; memo lines left out.
    pub net: Vec<Sum>,
    /// The running sum of `net`.
    pub cumulative_net: Vec<Sum>,
    /// The first year (1-based: the first year column is Year 1) whose annual net is a saving;
    /// `None` when none is, or when it cannot be told (see `payback_annual_incomplete`).
    pub payback_annual: Option<usize>,
    /// The same for the cumulative net: the stricter measure.
    pub payback_cumulative: Option<usize>,
    /// True when a year with no figure comes before any year found to pay back, so the annual
    /// payback is unknown rather than "never" (`payback_annual` is then `None`).
    pub payback_annual_incomplete: bool,
    /// The same for the cumulative payback.
    pub payback_cumulative_incomplete: bool,
    /// The text of the proposal's Payback column, from the first of its lines that has one.
    pub published_payback: Option<String>,
    /// The published payback judged against the annual one: ok if they agree, an error if not,
    /// incomplete if the annual payback cannot be told; `None` if no payback is published.
    pub payback_check: Option<CheckStatus>,
    /// Each published net line's figures (per year and in its total column) judged against
    /// the computed net.
    pub net_checks: Vec<Check>,
    /// The worst of `net_checks` and `payback_check`; `None` when nothing was published.
    pub status: Option<CheckStatus>,
}

/// A line that negates, fully or partly, an earlier line (docs/domain.md, "Netting", "Reversals and
/// replacements").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reversal {
    /// The earlier line, as an index into `Schedule::lines`.
    pub original: usize,
    /// The later line that reverses it.
    pub reversal: usize,
    /// True when the reversal negates every figure of the original exactly.
    pub full: bool,
    /// Per year, the original's figure plus the reversal's, as published.
    pub net: Vec<Sum>,
    /// The pair's net over all year columns.
    pub net_total: Sum,
}

/// One reference used on lines with different names or sources (docs/domain.md, "Netting",
/// "References are not unique").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateRef {
    /// The reference as first published.
    pub reference: String,
    /// Every line carrying the reference, as indices into `Schedule::lines`, in file order.
    pub lines: Vec<usize>,
}

/// How a payback year is written in published tables: `Year 2` (the first year column is
/// Year 1), or `N/A` where the proposal never pays back.
///
/// ```
/// use gapwise::engine::payback_label;
/// assert_eq!(payback_label(Some(2)), "Year 2");
/// assert_eq!(payback_label(None), "N/A");
/// ```
pub fn payback_label(year: Option<usize>) -> String {
    match year {
        Some(y) => format!("Year {y}"),
        None => "N/A".to_string(),
    }
}

/// Reads a published payback: `Year 2`, `year2`, ` YEAR 2 ` are `Some(Some(2))`; `N/A`, `NA`,
/// `n/a`, `None`, `Never` are `Some(None)`; anything else (`Year 2-3`, `2 years`) is `None`.
fn parse_payback(text: &str) -> Option<Option<usize>> {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    match t.as_str() {
        "N/A" | "NA" | "N.A." | "NONE" | "NEVER" => return Some(None),
        _ => {}
    }
    let digits = t.strip_prefix("YEAR")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Some)
}

/// Letters and digits only, upper case: the key references and labels are compared by, so that
/// `CYPS 1A`, `CYPS1A` and `cyps-1a` are one reference.
pub(super) fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// One proposal of `lines` (its lines' indices, in file order), netted.
pub(super) fn proposal(schedule: &Schedule, lines: Vec<usize>) -> ProposalNet {
    let n = schedule.years.len();
    let mut investment = vec![Sum::default(); n];
    let mut gross_saving = vec![Sum::default(); n];
    // The same net in the file's own profile, cell by cell: what published net lines claim.
    let mut net_as_published = vec![Sum::default(); n];
    let mut net_lines = Vec::new();
    for &i in &lines {
        let line = &schedule.lines[i];
        let measure = schedule.measure(line);
        if measure == Some(Measure::Net) {
            net_lines.push(i);
            continue;
        }
        if line.memo {
            continue;
        }
        let target = match measure {
            Some(Measure::Investment | Measure::Cost) => &mut investment,
            _ => &mut gross_saving,
        };
        for (sum, effect) in target.iter_mut().zip(effect_sums(line, schedule.profile)) {
            sum.merge(&effect);
        }
        for (sum, cell) in net_as_published.iter_mut().zip(&line.amounts) {
            sum.add(cell);
        }
    }
    let net: Vec<Sum> = investment
        .iter()
        .zip(&gross_saving)
        .map(|(a, b)| {
            let mut s = a.clone();
            s.merge(b);
            s
        })
        .collect();
    let cumulative_net = running(&net);
    let annual = payback(&net, schedule.sign);
    let cumulative = payback(&cumulative_net, schedule.sign);

    let net_checks = net_line_checks(schedule, &net_lines, &net_as_published);
    let published_payback = lines
        .iter()
        .map(|&i| schedule.text(&schedule.lines[i], TextField::Payback))
        .find(|t| !t.is_empty())
        .map(str::to_string);
    let payback_check =
        published_payback
            .as_deref()
            .map(|text| match (annual, parse_payback(text)) {
                (Payback::Unknown, _) => CheckStatus::Incomplete,
                (a, Some(p)) if a.year() == p => CheckStatus::Ok,
                _ => CheckStatus::Error,
            });
    let status = net_checks
        .iter()
        .map(|c| c.status)
        .chain(payback_check)
        .max();
    let first = &schedule.lines[lines[0]];
    ProposalNet {
        reference: lines
            .iter()
            .map(|&i| schedule.text(&schedule.lines[i], TextField::Reference))
            .find(|t| !t.is_empty())
            .unwrap_or("")
            .to_string(),
        name: schedule.line_label(first),
        lines,
        investment,
        gross_saving,
        net,
        cumulative_net,
        payback_annual: annual.year(),
        payback_cumulative: cumulative.year(),
        payback_annual_incomplete: annual == Payback::Unknown,
        payback_cumulative_incomplete: cumulative == Payback::Unknown,
        published_payback,
        payback_check,
        net_checks,
        status,
    }
}

/// A line's full-year effect per year as a [`Sum`]: the value [`full_year_effects`] gives, with
/// the count, the missing cells and the rounding of the cells that make it up (the cell itself
/// in a cumulative schedule or for a one-off; every increment so far for a recurring line of an
/// incremental schedule), so that a check can judge against it.
pub(crate) fn effect_sums(line: &Line, profile: Profile) -> Vec<Sum> {
    let running = profile == Profile::Incremental && line.recurrence == Recurrence::Recurring;
    let mut carried = Sum::default();
    full_year_effects(line, profile)
        .into_iter()
        .zip(&line.amounts)
        .map(|(effect, cell)| {
            let mut sum = if running {
                carried.clone()
            } else {
                Sum::default()
            };
            sum.add(cell);
            if running {
                carried = sum.clone();
            }
            match effect {
                Ok(value) => {
                    debug_assert!(sum.is_complete() && sum.value == value);
                    sum.value = value;
                }
                Err(_) => debug_assert!(!sum.is_complete()),
            }
            sum
        })
        .collect()
}

/// The running sum of per-year sums.
fn running(sums: &[Sum]) -> Vec<Sum> {
    let mut acc = Sum::default();
    sums.iter()
        .map(|s| {
            acc.merge(s);
            acc.clone()
        })
        .collect()
}

/// The outcome of looking for a payback year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Payback {
    /// Year n (1-based) is the first whose net is a saving.
    Year(usize),
    /// No year's net is a saving.
    Never,
    /// A year with no figure comes before any year found to be a saving.
    Unknown,
}

impl Payback {
    fn year(self) -> Option<usize> {
        match self {
            Payback::Year(y) => Some(y),
            _ => None,
        }
    }
}

/// The first year whose net is a saving, that is positive in the savings-positive convention
/// (docs/domain.md, "Payback" and "Sign conventions").
fn payback(nets: &[Sum], sign: SignConvention) -> Payback {
    for (y, s) in nets.iter().enumerate() {
        if !s.is_complete() {
            return Payback::Unknown;
        }
        if sign.to_internal(s.value) > Decimal::ZERO {
            return Payback::Year(y + 1);
        }
    }
    Payback::Never
}

/// Every published figure of the proposal's net lines, judged against the net as published:
/// per year, and the total column against the sum over all years.
fn net_line_checks(schedule: &Schedule, net_lines: &[usize], net: &[Sum]) -> Vec<Check> {
    let total_header = schedule.total_header.as_deref().unwrap_or("Total");
    let mut period = Sum::default();
    net.iter().for_each(|s| period.merge(s));
    let mut checks = Vec::new();
    for &i in net_lines {
        let line = &schedule.lines[i];
        let label = schedule.line_label(line);
        let subject = Subject::NetLine { line: i };
        let years = line
            .amounts
            .iter()
            .zip(net)
            .zip(&schedule.years)
            .enumerate()
            .filter_map(|(y, ((cell, sum), column))| {
                judge(
                    subject,
                    line.row,
                    &label,
                    CheckColumn::Year(y),
                    &column.header,
                    cell,
                    sum,
                )
            });
        let total = line.total.as_ref().and_then(|cell| {
            judge(
                subject,
                line.row,
                &label,
                CheckColumn::Total,
                total_header,
                cell,
                &period,
            )
        });
        checks.extend(years.chain(total));
    }
    checks
}

// --- Reversals

/// Whether `later` negates `earlier`: `Some(true)` exactly, `Some(false)` partly, `None` not at
/// all (see [`reversals`] for the rule).
pub(super) fn negation(earlier: &Line, later: &Line) -> Option<bool> {
    if earlier.amounts.len() != later.amounts.len() {
        return None;
    }
    let mut any = false;
    let mut exact = true;
    for (a, b) in earlier.amounts.iter().zip(&later.amounts) {
        let (Some(o), Some(r)) = (a.value(), b.value()) else {
            return None;
        };
        if r.is_zero() {
            exact &= o.is_zero();
            continue;
        }
        if o.is_zero() || o.is_sign_negative() == r.is_sign_negative() || r.abs() > o.abs() {
            return None;
        }
        any = true;
        exact &= r == -o;
    }
    any.then_some(exact)
}

#[cfg(test)]
mod tests {
    use super::super::netting_run::netting;
    use super::*;
    use crate::engine::model::number::Amount;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use std::str::FromStr;

    fn schedule(csv: &str) -> Schedule {
        import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn values(sums: &[Sum]) -> Vec<String> {
        sums.iter()
            .map(|s| {
                if s.is_complete() {
                    s.value.to_string()
                } else {
                    "?".to_string()
                }
            })
            .collect()
    }

    const APPRAISAL: &str =
        "Reference,Proposal,Measure,2017/18,2018/19,2019/20,Cumulative,Payback\n\
        ,,,£m,£m,£m,£m,\n\
        CYPS 1A,Foster,Investment,1.276,1.718,2.182,5.176,\n\
        cyps-1a,Foster,Gross Saving,(1.374),(2.660),(3.980),(8.014),\n\
        CYPS1A,Foster,Net Saving,(0.098),(0.942),(1.798),(2.839),year 1\n\
        CYPS 9,NQSW,Investment,0.900,0.450,0.000,1.350,\n\
        CYPS 9,NQSW,Gross Saving,(0.330),(0.715),(0.825),(1.870),\n\
        CYPS 9,NQSW,Net Saving,0.570,(0.265),(0.825),(0.520),Year 3\n";

    #[test]
    fn appraisal_proposals_net_and_pay_back() {
        let s = schedule(APPRAISAL);
        assert_eq!(s.sign, SignConvention::CostsPositive);
        assert_eq!(s.profile, Profile::Cumulative);
        let n = netting(&s);
        assert_eq!(n.proposals.len(), 2);
        let foster = &n.proposals[0];
        // References group however they are spaced or punctuated; the first as published is kept.
        assert_eq!(foster.reference, "CYPS 1A");
        assert_eq!(foster.name, "Foster");
        assert_eq!(foster.lines, [0, 1, 2]);
        assert_eq!(values(&foster.investment), ["1.276", "1.718", "2.182"]);
        assert_eq!(values(&foster.gross_saving), ["-1.374", "-2.660", "-3.980"]);
        assert_eq!(values(&foster.net), ["-0.098", "-0.942", "-1.798"]);
        assert_eq!(
            values(&foster.cumulative_net),
            ["-0.098", "-1.040", "-2.838"]
        );
        assert_eq!(foster.payback_annual, Some(1));
        assert_eq!(foster.payback_cumulative, Some(1));
        assert_eq!(foster.published_payback.as_deref(), Some("year 1"));
        assert_eq!(foster.payback_check, Some(CheckStatus::Ok));
        // Three years and the total: the total (2.839) is one rounding off the exact 2.838.
        let statuses: Vec<_> = foster.net_checks.iter().map(|c| c.status).collect();
        use CheckStatus::*;
        assert_eq!(statuses, [Ok, Ok, Ok, Rounding]);
        let total = &foster.net_checks[3];
        assert_eq!(total.subject, Subject::NetLine { line: 2 });
        assert_eq!(total.column, CheckColumn::Total);
        assert_eq!(total.column_header, "Cumulative");
        assert_eq!(total.published, d("-2.839"));
        assert_eq!(total.computed, d("-2.838"));
        // Six terms and the published total, each 0.0005.
        assert_eq!(total.tolerance, d("0.0035"));
        assert_eq!(total.row, 5);
        assert_eq!(foster.status, Some(Rounding));

        let nqsw = &n.proposals[1];
        assert_eq!(values(&nqsw.net), ["0.570", "-0.265", "-0.825"]);
        assert_eq!(nqsw.payback_annual, Some(2));
        assert_eq!(nqsw.payback_cumulative, Some(3));
        // Published "Year 3" against the annual Year 2: an error.
        assert_eq!(nqsw.payback_check, Some(Error));
        assert_eq!(nqsw.status, Some(Error));
        assert!(n.reversals.is_empty(), "{:?}", n.reversals);
        assert!(n.duplicate_refs.is_empty());
    }

    #[test]
    fn memo_lines_stay_in_the_proposal_but_out_of_the_net() {
        let mut s = schedule(APPRAISAL);
        s.lines[0].memo = true;
        let foster = netting(&s).proposals.remove(0);
        assert_eq!(foster.lines, [0, 1, 2]);
        assert_eq!(values(&foster.investment), ["0", "0", "0"]);
        assert_eq!(values(&foster.net), ["-1.374", "-2.660", "-3.980"]);
        // The published net now disagrees with the computed one.
        assert_eq!(foster.status, Some(CheckStatus::Error));
    }

    #[test]
    fn incremental_schedules_net_their_full_year_effects() {
        let s = schedule(
            "Project,Type,2017/18,2018/19,2019/20\n\
             A,Gross Saving,100.0,50.0,0.0\n\
             A,Investment,(30.0),(10.0),0.0\n\
             B,,0.0,40.0,0.0\n\
             C,One-off saving,0.0,40.0,0.0\n",
        );
        assert_eq!(s.profile, Profile::Incremental);
        let n = netting(&s);
        assert_eq!(n.proposals.len(), 3);
        let a = &n.proposals[0];
        assert_eq!(values(&a.gross_saving), ["100.0", "150.0", "150.0"]);
        assert_eq!(values(&a.investment), ["-30.0", "-40.0", "-40.0"]);
        assert_eq!(values(&a.net), ["70.0", "110.0", "110.0"]);
        assert_eq!(values(&a.cumulative_net), ["70.0", "180.0", "290.0"]);
        // Three increments of one decimal: 0.15 of rounding in the third year's effect.
        assert_eq!(a.gross_saving[2].tolerance, d("0.15"));
        assert_eq!(a.payback_annual, Some(1));
        let b = &n.proposals[1];
        assert_eq!(values(&b.gross_saving), ["0.0", "40.0", "40.0"]);
        assert_eq!(b.payback_annual, Some(2));
        // A one-off counts only in its year.
        let c = &n.proposals[2];
        assert_eq!(s.lines[3].recurrence, Recurrence::OneOff);
        assert_eq!(values(&c.gross_saving), ["0.0", "40.0", "0.0"]);
        assert_eq!(values(&c.cumulative_net), ["0.0", "40.0", "40.0"]);
        assert!(c.published_payback.is_none() && c.payback_check.is_none());
        assert_eq!(c.status, None);
    }

    #[test]
    fn a_cell_with_no_figure_leaves_its_years_incomplete_never_zero() {
        let s = schedule(
            "Project,Type,2017/18,2018/19,2019/20,Payback\n\
             A,Gross Saving,0.0,TBC,50.0,Year 3\n\
             A,Investment,(10.0),0.0,0.0,\n",
        );
        let a = &netting(&s).proposals[0];
        assert_eq!(values(&a.net), ["-10.0", "?", "?"]);
        assert_eq!(a.net[1].missing, 1);
        assert_eq!(a.payback_annual, None);
        assert!(a.payback_annual_incomplete && a.payback_cumulative_incomplete);
        assert_eq!(a.payback_check, Some(CheckStatus::Incomplete));

        // In a cumulative table only that year is unknown, and a later payback is still
        // unknown: an earlier year might have paid back.
        let s = schedule(
            "Project,Type,2017/18,2018/19,2019/20,Cumulative\n\
             A,Gross Saving,0.0,N/A,50.0,50.0\n",
        );
        let a = &netting(&s).proposals[0];
        assert_eq!(values(&a.net), ["0.0", "?", "50.0"]);
        assert_eq!(a.payback_annual, None);
        assert!(a.payback_annual_incomplete);
    }

    #[test]
    fn net_lines_are_checked_and_incomplete_where_a_cell_has_no_figure() {
        let s = schedule(
            "Ref,Proposal,Measure,2017/18,2018/19,Total\n\
             X,P,Investment,1.000,N/A,1.000\n\
             X,P,Gross Saving,(2.000),(1.000),(3.000)\n\
             X,P,Net Saving,(1.000),(1.100),(2.000)\n",
        );
        let p = &netting(&s).proposals[0];
        let statuses: Vec<_> = p.net_checks.iter().map(|c| (c.column, c.status)).collect();
        assert_eq!(
            statuses,
            [
                (CheckColumn::Year(0), CheckStatus::Ok),
                (CheckColumn::Year(1), CheckStatus::Incomplete),
                (CheckColumn::Total, CheckStatus::Incomplete),
            ]
        );
        assert_eq!(p.status, Some(CheckStatus::Incomplete));
    }

    #[test]
    fn benefits_positive_business_cases_pay_back_when_benefits_exceed_costs() {
        let s = schedule(
            "Proposal,Measure,2017/18,2018/19,2019/20,Cumulative\n\
             P,Cost,\"-£92,753\",\"-£10,000\",\"-£10,000\",\"-£112,753\"\n\
             P,Benefit,\"£20,000\",\"£50,000\",\"£50,000\",\"£120,000\"\n",
        );
        assert_eq!(s.sign, SignConvention::BenefitsPositive);
        assert_eq!(s.profile, Profile::Cumulative);
        let p = &netting(&s).proposals[0];
        assert_eq!(values(&p.net), ["-72753", "40000", "40000"]);
        assert_eq!(p.payback_annual, Some(2));
        assert_eq!(p.payback_cumulative, Some(3));
        assert!(!p.payback_annual_incomplete);
    }

    #[test]
    fn paybacks_are_read_tolerantly_and_written_as_published() {
        assert_eq!(parse_payback("Year 2"), Some(Some(2)));
        assert_eq!(parse_payback(" year  12 "), Some(Some(12)));
        assert_eq!(parse_payback("YEAR2"), Some(Some(2)));
        assert_eq!(parse_payback("N/A"), Some(None));
        assert_eq!(parse_payback("n / a"), Some(None));
        assert_eq!(parse_payback("Year"), None);
        assert_eq!(parse_payback("Year 2-3"), None);
        assert_eq!(parse_payback("2 years"), None);
        assert_eq!(payback_label(Some(3)), "Year 3");
        assert_eq!(payback_label(None), "N/A");
        assert_eq!(normalise("CYPS 1A"), normalise("cyps-1a"));
        assert_eq!(normalise("CYPS-07 A"), "CYPS07A");
    }

    const REVERSALS: &str = "Section,Project,2017/18,2018/19,2019/20\n\
        First,,,,\n\
        X,Review,0.0,200.0,0.0\n\
        X,Review,0.0,200.0,200.0\n\
        X,Other,100.0,0.0,0.0\n\
        X,review,0.0,(200.0),(200.0)\n\
        X,Cut,100.0,100.0,0.0\n\
        X,Cut,50.0,50.0,0.0\n\
        X,Cut,(40.0),0.0,0.0\n\
        X,Cut,(100.0),(100.0),0.0\n\
        X,Grow,10.0,TBC,0.0\n\
        X,Grow,(10.0),0.0,0.0\n\
        X,Mixed,10.0,10.0,0.0\n\
        X,Mixed,(10.0),5.0,0.0\n\
        X,Over,10.0,0.0,0.0\n\
        X,Over,(11.0),0.0,0.0\n\
        Second,,,,\n\
        X,Other,(100.0),0.0,0.0\n";

    #[test]
    fn reversals_prefer_an_exact_match_then_the_latest_partial_one() {
        let s = schedule(REVERSALS);
        let n = netting(&s);
        let label = |i: usize| s.line_label(&s.lines[i]);
        let pairs: Vec<_> = n
            .reversals
            .iter()
            .map(|r| {
                (
                    label(r.original),
                    s.lines[r.original].row,
                    s.lines[r.reversal].row,
                    r.full,
                )
            })
            .collect();
        assert_eq!(
            pairs,
            [
                // Labels match case-insensitively; the 200-only line is not negated (2019/20).
                ("Review".to_string(), 4, 6, true),
                // (40.0) partly negates the latest Cut line it can (50, 50)...
                ("Cut".to_string(), 8, 9, false),
                // ...and (100), (100) exactly negates the first.
                ("Cut".to_string(), 7, 10, true),
            ]
        );
        // No reversal across sections, through a TBC, with a mixed sign or a larger magnitude.
        let r = &n.reversals[1];
        assert_eq!(values(&r.net), ["10.0", "50.0", "0.0"]);
        assert_eq!(r.net_total.value, d("60.0"));
        assert!(n.reversals[0].net_total.value.is_zero());
        assert!(n.reversals[0].net.iter().all(|s| s.value.is_zero()));
    }

    #[test]
    fn each_original_is_reversed_once_and_reversals_are_not_reversed() {
        let s = schedule(
            "Project,2017/18,2018/19\nA,100,0\nA,(100),0\nA,(100),0\nA,100,0\nB,5,5\nB,(5),(5)\nB,(5),(5)\n",
        );
        let pairs: Vec<_> = netting(&s)
            .reversals
            .iter()
            .map(|r| (r.original, r.reversal))
            .collect();
        // The second (100) finds A already reversed and the reversal not a candidate; it then
        // becomes a candidate itself, and the later 100 negates it.
        assert_eq!(pairs, [(0, 1), (2, 3), (4, 5)]);
    }

    #[test]
    fn reversals_are_looked_for_among_the_most_recent_candidates_only() {
        let mut csv = String::from("Project,2017/18\n");
        csv.push_str("A,7\n");
        for _ in 0..REVERSAL_WINDOW {
            csv.push_str("A,1\n");
        }
        csv.push_str("A,(7)\nA,(1)\n");
        let s = schedule(&csv);
        let n = netting(&s);
        let last = s.lines.len() - 1;
        // The 7 is out of reach of its negation; the last 1 is reversed.
        assert_eq!(n.reversals.len(), 1);
        assert_eq!(n.reversals[0].reversal, last);
        assert_eq!(n.reversals[0].original, REVERSAL_WINDOW);
    }

    #[test]
    fn many_lines_with_one_label_stay_fast() {
        // 60,000 lines of one label alternating saving and withdrawal: linear with the window.
        let mut csv = String::from("Project,Reference,2017/18,2018/19\n");
        for i in 0..30_000 {
            csv.push_str(&format!("Same,R{},{i},1\nSame,R{},(1),(1)\n", i % 7, i % 7));
        }
        let s = schedule(&csv);
        let n = netting(&s);
        assert_eq!(s.lines.len(), 60_000);
        // Every withdrawal but the first (0, 1 has no earlier 0-year line to negate) pairs.
        assert!(n.reversals.len() >= 29_000, "{}", n.reversals.len());
        assert_eq!(n.proposals.len(), 7);
        assert!(n.duplicate_refs.is_empty());
    }

    #[test]
    fn duplicate_references_differ_in_name_or_source() {
        let s = schedule(
            "Source,Project,Ref,2017/18\n\
             16/17 Bids,NQSW,CYPS9,1\n\
             16/17 Bids,NQSW,CYPS 9,2\n\
             17/18 Savings,Edge of Care Interventions,cyps9,3\n\
             ASR,Transport,A,1\n\
             ASR 17/18,Transport,A,1\n\
             ASR,Early Help,B,1\n\
             ASR,Early Help,B,1\n",
        );
        let n = netting(&s);
        let dups: Vec<_> = n
            .duplicate_refs
            .iter()
            .map(|d| (d.reference.as_str(), d.lines.clone()))
            .collect();
        assert_eq!(dups, [("CYPS9", vec![0, 1, 2]), ("A", vec![3, 4])]);
        // The proposals keep them apart: NQSW, Edge of Care, Transport, Early Help.
        let names: Vec<_> = n.proposals.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "NQSW",
                "Edge of Care Interventions",
                "Transport",
                "Early Help"
            ]
        );
    }

    #[test]
    fn effect_sums_carry_their_cells_rounding() {
        let line = Line {
            row: 1,
            section: None,
            text: Vec::new(),
            amounts: vec![
                Amount::Figure(d("1.5")),
                Amount::Blank,
                Amount::Figure(d("2.25")),
            ],
            total: None,
            recurrence: Recurrence::Recurring,
            memo: false,
            rag: None,
        };
        let inc = effect_sums(&line, Profile::Incremental);
        assert_eq!(values(&inc), ["1.5", "1.5", "3.75"]);
        assert_eq!(inc[2].tolerance, d("0.055"));
        assert_eq!(inc[2].figures, 2);
        let cum = effect_sums(&line, Profile::Cumulative);
        assert_eq!(values(&cum), ["1.5", "0", "2.25"]);
        assert_eq!(cum[2].tolerance, d("0.005"));
    }
}
