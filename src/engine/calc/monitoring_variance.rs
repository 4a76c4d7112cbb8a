//! A monitoring table's published variance column, found and checked by its figures
//! (docs/domain.md, "Monitoring" and "Checks and rounding").
//!
//! A variance column is a claim like any total: each row's published variance is checked against
//! the variance worked out from the same row's target and forecast, **in the file's sense**.
//! Which column is the variance of a period, and which way it runs (forecast − target, or
//! target − forecast), is read from the figures, as the arithmetic map reads it, not from the
//! heading: a column holds the variance of a period when, over the rows (lines and published
//! total rows), its non-zero figures agree with one of the two differences within rounding, by
//! the map's rule for how many must agree (`arithmetic::verify`): with no disagreeing row at
//! least two; with B disagreeing rows at least 3·B and 3, or 2·B and 2 when the heading says
//! `variance`. The heading is a hint, never the judge.
//!
//! Each row's check then ends **ok** (exact), **rounding** (within half a unit of the last shown
//! place of the target, the forecast and the published figure together) or **error**; a row
//! whose target or forecast has no figure is **incomplete**. A row whose target and forecast are
//! printed equal but whose published variance is not zero is an error whatever the rounding: the
//! figures say there is no variance. A blank or non-figure published cell claims nothing.
//!
//! Everything is worked out from the schedule alone, so saved work and links check the same.

use rust_decimal::Decimal;

use super::arithmetic::VarianceSense;
use super::checks::CheckStatus;
use crate::engine::model::number::{half_unit, Amount};
use crate::engine::model::schedule::{Schedule, TextField};
use crate::engine::read::monitoring::{text_amount, Period};

/// A published variance column: the period it belongs to and which way it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedVariance {
    /// Index into the monitoring's periods.
    pub period: usize,
    /// Index into [`Schedule::text_columns`].
    pub column: usize,
    /// Its heading as published (`Variance (Favourable) / Adverse`).
    pub header: String,
    pub sense: VarianceSense,
}

/// One row's published variance judged against its target and forecast.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VarianceCheck {
    /// The file row.
    pub row: usize,
    /// The line's label, or a published total row's label.
    pub label: String,
    /// True for a published total row.
    pub total_row: bool,
    /// Index into the monitoring's periods.
    pub period: usize,
    /// The variance column's heading as published.
    pub column_header: String,
    pub target: Amount,
    pub forecast: Amount,
    pub published: Decimal,
    /// Forecast − target (or target − forecast, as the column runs); `None` when the target or
    /// the forecast has no figure.
    pub computed: Option<Decimal>,
    /// Published − computed.
    pub difference: Option<Decimal>,
    /// What the rounding of the three shown figures can hide together.
    pub tolerance: Decimal,
    pub status: CheckStatus,
}

/// One row's texts for the checks: (file row, label, is a total row, texts).
type RowTexts<'a> = (usize, String, bool, &'a [String]);

fn rows(schedule: &Schedule) -> Vec<RowTexts<'_>> {
    let mut rows: Vec<RowTexts<'_>> = schedule
        .lines
        .iter()
        .map(|l| (l.row, schedule.line_label(l), false, l.text.as_slice()))
        .chain(
            schedule
                .total_rows
                .iter()
                .map(|t| (t.row, t.label.clone(), true, t.text.as_slice())),
        )
        .collect();
    rows.sort_by_key(|r| r.0);
    rows
}

/// The published variance columns of a schedule's periods and every row's check against them,
/// in file order (module doc).
pub fn variance_checks(
    schedule: &Schedule,
    periods: &[Period],
) -> (Vec<PublishedVariance>, Vec<VarianceCheck>) {
    let rows = rows(schedule);
    let role_columns: Vec<usize> = periods
        .iter()
        .flat_map(|p| [p.target, p.forecast])
        .collect();
    let mut found: Vec<PublishedVariance> = Vec::new();
    for (pi, p) in periods.iter().enumerate() {
        let mut best: Option<(i64, PublishedVariance)> = None;
        for (c, tc) in schedule.text_columns.iter().enumerate() {
            if role_columns.contains(&c)
                || found.iter().any(|f| f.column == c)
                || !matches!(
                    tc.field,
                    TextField::Other | TextField::Service | TextField::Source
                )
            {
                continue;
            }
            let hinted = tc.header.to_lowercase().contains("var");
            for sense in [
                VarianceSense::ForecastMinusTarget,
                VarianceSense::TargetMinusForecast,
            ] {
                let (strength, broken) = agreement(schedule, &rows, p, c, sense);
                let accepted = if broken == 0 {
                    strength >= 2
                } else if hinted {
                    strength >= 2 * broken && strength >= 2
                } else {
                    strength >= 3 * broken && strength >= 3
                };
                let score = strength as i64 - broken as i64;
                if accepted && best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((
                        score,
                        PublishedVariance {
                            period: pi,
                            column: c,
                            header: tc.header.clone(),
                            sense,
                        },
                    ));
                }
            }
        }
        if let Some((_, v)) = best {
            found.push(v);
        }
    }
    let mut checks = Vec::new();
    for &(row, ref label, total_row, texts) in &rows {
        for v in &found {
            let p = &periods[v.period];
            if let Some(check) = judge(schedule, texts, p, v.column, v.sense) {
                checks.push(VarianceCheck {
                    row,
                    label: label.clone(),
                    total_row,
                    period: v.period,
                    column_header: v.header.clone(),
                    ..check
                });
            }
        }
    }
    (found, checks)
}

/// How many rows agree with `sense` within rounding with a non-zero published figure, and how
/// many disagree (errors).
fn agreement(
    schedule: &Schedule,
    rows: &[RowTexts<'_>],
    period: &Period,
    column: usize,
    sense: VarianceSense,
) -> (usize, usize) {
    let mut strength = 0;
    let mut broken = 0;
    for &(_, _, _, texts) in rows {
        let Some(c) = judge(schedule, texts, period, column, sense) else {
            continue;
        };
        match c.status {
            CheckStatus::Ok | CheckStatus::Rounding if !c.published.is_zero() => strength += 1,
            CheckStatus::Error => broken += 1,
            _ => {}
        }
    }
    (strength, broken)
}

/// One row's published variance in `column` against its target and forecast; `None` when the
/// published cell claims nothing. Row, label and heading are left empty for the caller.
fn judge(
    schedule: &Schedule,
    texts: &[String],
    period: &Period,
    column: usize,
    sense: VarianceSense,
) -> Option<VarianceCheck> {
    let Amount::Figure(published) = text_amount(schedule, texts, column) else {
        return None;
    };
    let target = text_amount(schedule, texts, period.target);
    let forecast = text_amount(schedule, texts, period.forecast);
    let (computed, tolerance, status) = match (target.value(), forecast.value()) {
        (Some(t), Some(f)) => {
            let computed = match sense {
                VarianceSense::ForecastMinusTarget => f - t,
                VarianceSense::TargetMinusForecast => t - f,
            };
            let half = |a: &Amount| match a {
                Amount::Figure(d) => half_unit(*d),
                _ => Decimal::ZERO,
            };
            let tolerance = half(&target) + half(&forecast) + half_unit(published);
            let diff = (published - computed).abs();
            let status = if diff.is_zero() {
                CheckStatus::Ok
            } else if t == f {
                // Printed equal: no variance, whatever the rounding.
                CheckStatus::Error
            } else if diff <= tolerance {
                CheckStatus::Rounding
            } else {
                CheckStatus::Error
            };
            (Some(computed), tolerance, status)
        }
        _ => (None, Decimal::ZERO, CheckStatus::Incomplete),
    };
    Some(VarianceCheck {
        row: 0,
        label: String::new(),
        total_row: false,
        period: 0,
        column_header: String::new(),
        target,
        forecast,
        published,
        computed,
        difference: computed.map(|c| published - c),
        tolerance,
        status,
    })
}
