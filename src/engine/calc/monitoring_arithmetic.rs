//! A monitoring table read the way its own arithmetic reads (docs/domain.md, "Monitoring" and
//! "The arithmetic map"): labels are hints, the identities the figures keep are the judge.
//!
//! Reading a monitoring table (`read::monitoring`) guesses its sign convention from the measures
//! its type column names, and takes every row that is not a total as a line. Both can be wrong:
//! a "Cost Reduction (Gross)" line is a saving whatever its type says, and a
//! "Cost Reduction (Net)" row that equals the investment plus the gross saving above it is their
//! net, not a third figure to add. Once the file's arithmetic map is known, [`follow_arithmetic`]
//! corrects both in the schedule itself, so that saved work and links keep them:
//!
//! - **the sign convention** is the one under which the published variance column holds: costs
//!   positive when favourable variances are printed in brackets and the column is forecast −
//!   target (or adverse ones and target − forecast), benefits positive the other way round. It
//!   is taken only when the map's target and forecast columns are the schedule's (by heading)
//!   and the heading states which variances are favourable; otherwise the convention read stays.
//! - **published net lines**: a line the map finds to be the net of rows above it that are all
//!   lines of the same proposal (same reference and name, `netting`) is marked memo: shown with
//!   its own variance, never counted again in totals or nets.

use super::arithmetic::{ArithmeticMap, Convention, RowRole};
use super::netting_run::proposal_nets;
use crate::engine::model::schedule::{Schedule, SignConvention};
use crate::engine::read::monitoring::periods;

/// What [`follow_arithmetic`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Followed {
    /// The convention taken from the map, when it replaced (or confirmed) the one read.
    pub sign: Option<SignConvention>,
    /// File rows of the lines marked as their proposal's published net (memo).
    pub nets: Vec<usize>,
}

/// Takes over the sign convention and the published net lines the arithmetic map finds in a
/// monitoring table (module doc). A schedule without target and forecast columns is left as it
/// is.
///
/// ```
/// use gapwise::engine::{arithmetic::map_grid, follow_arithmetic, import, ImportOptions, SignConvention};
/// let csv = "Ref,Scheme,Measure,Target,Forecast,Variance (Favourable) / Adverse\n\
///            A,Care,Investment,250,275,25\nA,Care,Cost Reduction (Gross),(1200),(1050),150\n\
///            A,Care,Cost Reduction (Net),(950),(775),175\nB,Fleet,Investment,120,95,(25)\n\
///            B,Fleet,Cost Reduction (Gross),(800),(915),(115)\nB,Fleet,Cost Reduction (Net),(680),(820),(140)\n";
/// let mut imported = import(csv.as_bytes(), "m.csv", &ImportOptions::default())?;
/// let map = map_grid(&imported.grid).unwrap();
/// let followed = follow_arithmetic(&mut imported.schedule, &map);
/// assert_eq!(imported.schedule.sign, SignConvention::CostsPositive);
/// assert_eq!(followed.nets, [4, 7]);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn follow_arithmetic(schedule: &mut Schedule, map: &ArithmeticMap) -> Followed {
    let mut followed = Followed::default();
    let Ok(periods) = periods(&schedule.text_columns) else {
        return followed;
    };
    if periods.is_empty() {
        return followed;
    }
    if let Some(v) = &map.variance {
        let heading = |column: usize| {
            map.columns
                .iter()
                .find(|c| c.column == column)
                .map(|c| c.heading.trim().to_string())
        };
        let header = |t: usize| Some(schedule.text_columns[t].header.trim().to_string());
        let ours = periods.iter().any(|p| {
            heading(v.target) == header(p.target) && heading(v.forecast) == header(p.forecast)
        });
        let sign = match v.convention {
            Convention::CostsPositive => Some(SignConvention::CostsPositive),
            Convention::BenefitsPositive => Some(SignConvention::BenefitsPositive),
            Convention::Unstated => None,
        };
        if let (true, Some(sign)) = (ours, sign) {
            schedule.sign = sign;
            followed.sign = Some(sign);
        }
    }
    let row_line: std::collections::HashMap<usize, usize> = schedule
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.row, i))
        .collect();
    let mut nets = Vec::new();
    for proposal in proposal_nets(schedule) {
        for &i in &proposal.lines {
            let row = schedule.lines[i].row;
            if map.row_role(row).map(|r| r.role) != Some(RowRole::Net) {
                continue;
            }
            let Some(identity) = map.row_identity(row) else {
                continue;
            };
            let of_proposal = identity.terms.len() >= 2
                && identity.terms.iter().all(|t| {
                    t.sign > 0
                        && t.index < row
                        && row_line
                            .get(&t.index)
                            .is_some_and(|l| proposal.lines.contains(l))
                });
            if of_proposal {
                nets.push(i);
            }
        }
    }
    nets.sort_unstable();
    for i in nets {
        schedule.lines[i].memo = true;
        followed.nets.push(schedule.lines[i].row);
    }
    followed
}
