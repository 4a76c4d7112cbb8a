//! The report to publish: one document, in reading order, for a cabinet paper or a web page
//! (docs/domain.md, "The report"). What the file is, what was checked (the counts, and every
//! figure that is not exactly right with both figures), the totals by year and section, the
//! arithmetic map's summary, the net by proposal, the funding gap, and the scenario when one is
//! looked at, with its assumptions.
//!
//! Every figure is the engine's, formatted here once (`format_amount`), so the page, the
//! printed report and the embedded view say the same; the page only lays it out.

use rust_decimal::Decimal;

use crate::engine::calc::arithmetic::{ArithmeticMap, Counts};
use crate::engine::calc::change::format_percent;
use crate::engine::calc::checks::StatusCounts;
use crate::engine::calc::gap::{GapFigures, GapYear};
use crate::engine::calc::netting::{Netting, ProposalNet};
use crate::engine::calc::real_terms::{in_prices, missing_sentence, missing_years};
use crate::engine::calc::results::Results;
use crate::engine::calc::scenario::Comparison;
use crate::engine::calc::totals::RowTotals;
use crate::engine::model::gap::GapModel;
use crate::engine::model::number::format_amount;
use crate::engine::model::prices::Prices;
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::FinancialYear;
use crate::engine::model::schedule::Schedule;
use crate::engine::model::sum::Sum;

use super::checks::{checked_figures, CheckedFigure};

/// The most proposals the net table lists; the rest are counted under it (a schedule of
/// thousands of proposals is read in the Net view or an export, not in a paper).
pub const REPORT_PROPOSALS: usize = 60;
/// The most figures the checks list; the rest are counted (all are in "Download checks").
pub const REPORT_PROBLEMS: usize = 200;

/// What the report says of the file itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportSource {
    pub file_name: String,
    /// The SHA-256 of the file's bytes as read, in hex; `None` when the schedule came from no
    /// file read in this page (saved work, a link).
    pub sha256: Option<String>,
    /// When it was read, as the page words it; `None` when not known.
    pub read_at: Option<String>,
}

/// What the report is made of: the schedule on screen and what the engine worked out from it.
pub struct ReportInput<'a> {
    pub schedule: &'a Schedule,
    pub results: &'a Results,
    pub netting: Option<&'a Netting>,
    /// The last file's arithmetic map, with the file's name.
    pub map: Option<(&'a str, &'a ArithmeticMap)>,
    /// The funding gap model and its figures (the baseline's), when there is one.
    pub gap: Option<(&'a GapModel, &'a GapFigures)>,
    /// The scenario looked at, its comparison with the baseline and its gap.
    pub scenario: Option<(&'a Scenario, &'a Comparison)>,
    /// Real terms: the totals and the gap are also shown in these prices.
    pub prices: Option<&'a Prices>,
    pub source: ReportSource,
}

/// A table of the report: a header row, then rows of a label and formatted figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportTable {
    pub header: Vec<String>,
    pub rows: Vec<ReportRow>,
    /// Rows left out of a long table, counted.
    pub more: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportRow {
    pub label: String,
    pub cells: Vec<String>,
    /// A total row (set in bold).
    pub total: bool,
}

/// The scenario part: its name, what it assumes, and its figures beside the baseline's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportScenario {
    pub name: String,
    pub assumptions: Vec<String>,
    pub table: ReportTable,
}

/// The report, every figure formatted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    /// "£'000".
    pub unit: String,
    /// Sentences on what the file is: its name, checksum, when read, its size.
    pub source: Vec<String>,
    /// One sentence per kind of check: "5 of 5 subtotals ok".
    pub checks: Vec<String>,
    /// Every checked figure not exactly right, problems first (`checked_figures`).
    pub problems: Vec<CheckedFigure>,
    pub more_problems: usize,
    pub totals: ReportTable,
    pub map: Option<String>,
    pub nets: Option<ReportTable>,
    pub gap: Option<ReportTable>,
    pub scenario: Option<ReportScenario>,
    /// The totals, and the gap when there is one, in real terms ("Cash and real terms"), or
    /// why they cannot be (the years the index lacks).
    pub real_terms: Option<Result<RealTerms, String>>,
}

/// The report's real-terms part: its label ("£'000, 2020/21 prices") and tables.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RealTerms {
    pub label: String,
    pub totals: ReportTable,
    /// The gap in real terms, or which of its years the index lacks.
    pub gap: Option<Result<ReportTable, String>>,
}

/// "5 of 5 subtotals ok (1 within rounding)", or that there was nothing of the kind to check.
///
/// ```
/// use gapwise::engine::{counts_sentence, StatusCounts};
/// let c = StatusCounts { ok: 4, rounding: 1, incomplete: 0, error: 1, carried: 0 };
/// assert_eq!(counts_sentence(&c, "subtotals"), "4 of 6 subtotals ok (1 within rounding, 1 with errors)");
/// assert_eq!(counts_sentence(&StatusCounts::default(), "subtotals"), "No published subtotals to check");
/// ```
pub fn counts_sentence(counts: &StatusCounts, noun: &str) -> String {
    if counts.total() == 0 {
        return format!("No published {noun} to check");
    }
    let mut text = format!("{} of {} {noun} ok", counts.ok, counts.total());
    let mut rest = Vec::new();
    if counts.rounding > 0 {
        rest.push(format!("{} within rounding", counts.rounding));
    }
    if counts.incomplete > 0 {
        rest.push(format!("{} incomplete", counts.incomplete));
    }
    if counts.error > 0 {
        rest.push(format!("{} with errors", counts.error));
    }
    if counts.carried > 0 {
        rest.push(format!("{} repeating another row's error", counts.carried));
    }
    if !rest.is_empty() {
        text.push_str(&format!(" ({})", rest.join(", ")));
    }
    text
}

/// "12 figures confirmed, 2 within rounding, 1 broken".
pub fn map_counts_sentence(c: &Counts) -> String {
    let figures = if c.confirmed == 1 {
        "figure"
    } else {
        "figures"
    };
    format!(
        "{} {figures} confirmed, {} within rounding, {} broken",
        c.confirmed, c.rounding, c.broken
    )
}

/// What a file's arithmetic map found, in a sentence.
pub fn map_sentence(map: &ArithmeticMap) -> String {
    let ids = map.identities.len();
    if ids == 0 {
        return "No identity found among its figures: no figure of this table is derived from \
                others by a sum, difference, change or net."
            .to_string();
    }
    format!(
        "{ids} {} found among its figures; {}",
        if ids == 1 { "identity" } else { "identities" },
        map_counts_sentence(&map.counts)
    )
}

/// A sum as shown: its figure, or "no figure" when a cell it adds has none (never taken as 0).
fn shown(sum: &Sum, decimals: u32) -> String {
    if sum.missing > 0 {
        format!(
            "{} (excl. {} blank)",
            format_amount(sum.value, decimals),
            sum.missing
        )
    } else {
        format_amount(sum.value, decimals)
    }
}

fn row(label: impl Into<String>, cells: Vec<String>, total: bool) -> ReportRow {
    ReportRow {
        label: label.into(),
        cells,
        total,
    }
}

fn totals_row(label: &str, t: &RowTotals, d: u32, total: bool) -> ReportRow {
    let mut cells: Vec<String> = t.years.iter().map(|s| shown(s, d)).collect();
    cells.push(shown(&t.total, d));
    row(label, cells, total)
}

/// The schedule's years as headers, then "Total".
fn year_header(first: &str, schedule: &Schedule) -> Vec<String> {
    let mut header = vec![first.to_string()];
    header.extend(schedule.years.iter().map(|y| y.year.label()));
    header.push("Total".to_string());
    header
}

/// Totals by section and year, then the grand total (and each measure's, for a table of
/// several measures, which are not added together).
/// The rows of the totals table, in order: (label, its totals, true for a grand row): the
/// lines before the first section, each section, then the grand total (or one per measure).
/// The cash table ([`totals_table`]) and the real-terms one ([`real_terms`]) both list these.
fn totals_rows<'a>(
    schedule: &'a Schedule,
    results: &'a Results,
) -> Vec<(String, &'a RowTotals, bool)> {
    let t = &results.totals;
    let mut rows = Vec::new();
    if let Some(u) = &t.unsectioned {
        rows.push(("Lines before the first section".to_string(), u, false));
    }
    for (section, totals) in schedule.sections.iter().zip(&t.sections) {
        rows.push((section.name.clone(), totals, false));
    }
    if t.by_measure.is_empty() {
        rows.push(("Grand total (computed)".to_string(), &t.grand, true));
    } else {
        for (measure, totals) in &t.by_measure {
            let label = format!("All {} lines (computed)", measure.label().to_lowercase());
            rows.push((label, totals, true));
        }
    }
    rows
}

fn totals_table(schedule: &Schedule, results: &Results) -> ReportTable {
    let d = schedule.decimals;
    let rows = totals_rows(schedule, results)
        .into_iter()
        .map(|(label, totals, grand)| totals_row(&label, totals, d, grand))
        .collect();
    ReportTable {
        header: year_header("Section", schedule),
        rows,
        more: 0,
    }
}

fn proposal_row(p: &ProposalNet, d: u32) -> ReportRow {
    let mut cells: Vec<String> = p.net.iter().map(|s| shown(s, d)).collect();
    cells.push(
        p.cumulative_net
            .last()
            .map(|s| shown(s, d))
            .unwrap_or_default(),
    );
    let label = if p.reference.is_empty() {
        p.name.clone()
    } else {
        format!("{} {}", p.reference, p.name)
    };
    row(label, cells, false)
}

/// The net of each proposal of more than one line (investment and saving, or several
/// measures: a proposal of one line nets to that line) per year and over the period, in file
/// order; `None` when no proposal has more than one line.
fn nets_table(schedule: &Schedule, netting: &Netting) -> Option<ReportTable> {
    let netted: Vec<&ProposalNet> = netting
        .proposals
        .iter()
        .filter(|p| p.lines.len() > 1)
        .collect();
    if netted.is_empty() {
        return None;
    }
    let d = schedule.decimals;
    let rows = netted
        .iter()
        .take(REPORT_PROPOSALS)
        .map(|p| proposal_row(p, d))
        .collect();
    Some(ReportTable {
        header: year_header("Proposal", schedule),
        rows,
        more: netted.len().saturating_sub(REPORT_PROPOSALS),
    })
}

/// The gap's rows by year: what goes in, the gap before and after reserves, and its change.
fn gap_table(model: &GapModel, figures: &GapFigures) -> ReportTable {
    let d = model.decimals();
    let mut header = vec![format!("Funding gap ({})", model.unit.label())];
    header.extend(figures.years.iter().map(|y| y.year.label()));
    let line = |label: &str, f: fn(&GapYear) -> &Sum, total: bool| {
        let cells = figures.years.iter().map(|y| shown(f(y), d)).collect();
        row(label, cells, total)
    };
    let mut rows = vec![
        line("Funding available", |y| &y.funding, false),
        line("Budget requirement", |y| &y.requirement, false),
        line("Savings", |y| &y.savings, false),
        line("Gap before reserves", |y| &y.gap_before_reserves, true),
        line("Reserves used", |y| &y.reserves, false),
    ];
    if figures.reserves.is_some() {
        rows.push(line(
            "Drawn from the reserves plan",
            |y| &y.plan_drawn,
            false,
        ));
    }
    rows.push(line("Gap after reserves", |y| &y.gap_after_reserves, true));
    rows.push(line(
        "Change on the year before",
        |y| &y.annual_gap_after_reserves,
        false,
    ));
    ReportTable {
        header,
        rows,
        more: 0,
    }
}

fn percent(rate: Decimal) -> String {
    format_percent(rate * Decimal::ONE_HUNDRED).replace(".0 %", " %")
}

/// What a scenario assumes, one sentence each.
pub fn scenario_assumptions(scenario: &Scenario, d: u32) -> Vec<String> {
    let r = &scenario.rates;
    let mut out = vec![format!(
        "Savings count at {} of their figures when rated red, {} amber, {} green and {} unrated.",
        percent(r.red),
        percent(r.amber),
        percent(r.green),
        percent(r.unrated)
    )];
    let lines = &scenario.lines;
    let count = |f: &dyn Fn(&crate::engine::model::scenario::LineAssumption) -> bool| {
        lines.values().filter(|a| f(a)).count()
    };
    let excluded = count(&|a| a.exclude);
    let rated = count(&|a| a.rate.is_some() && !a.exclude);
    let scaled = count(&|a| a.scale.is_some() && !a.exclude);
    let slipped = count(&|a| a.slip > 0 && !a.exclude);
    for (n, what) in [
        (excluded, "left out"),
        (rated, "given a rate of their own"),
        (scaled, "scaled"),
        (slipped, "slipped by a year or more"),
    ] {
        if n > 0 {
            let lines = if n == 1 { "line" } else { "lines" };
            out.push(format!("{n} {lines} {what}."));
        }
    }
    if let Some(g) = scenario.pressure_growth {
        out.push(format!("Pressures grow by {} a year.", percent(g)));
    }
    if let Some(reserves) = &scenario.reserves {
        let set: Vec<String> = reserves
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.map(|r| format!("year {}: {}", i + 1, format_amount(r, d))))
            .collect();
        if !set.is_empty() {
            out.push(format!("Planned use of reserves: {}.", set.join(", ")));
        }
    }
    if scenario.reserve_draws.no_gap_draws {
        out.push("No reserve is drawn to close the gap.".to_string());
    }
    let drawdowns = scenario
        .reserve_draws
        .drawdowns
        .values()
        .filter(|v| v.iter().any(Option::is_some))
        .count();
    if drawdowns > 0 {
        out.push(format!(
            "The reserves plan's drawdowns changed for {drawdowns} reserve(s)."
        ));
    }
    out
}

fn difference_row(label: &str, values: &[Decimal], total: Option<Decimal>, d: u32) -> ReportRow {
    let mut cells: Vec<String> = values.iter().map(|v| format_amount(*v, d)).collect();
    cells.extend(total.map(|t| format_amount(t, d)));
    row(label, cells, true)
}

fn scenario_part(schedule: &Schedule, scenario: &Scenario, c: &Comparison) -> ReportScenario {
    let d = schedule.decimals;
    let sums = |label: &str, v: &[Sum], total: &Sum| {
        let mut cells: Vec<String> = v.iter().map(|s| shown(s, d)).collect();
        cells.push(shown(total, d));
        row(label, cells, false)
    };
    let mut rows = vec![
        sums("Baseline grand total", &c.baseline, &c.baseline_total),
        sums("Scenario grand total", &c.scenario, &c.scenario_total),
        difference_row("Difference", &c.difference, Some(c.difference_total), d),
    ];
    if let (Some(base), Some(scen), Some(diff)) =
        (&c.baseline_gap, &c.scenario_gap, &c.gap_difference)
    {
        let gap = |label: &str, v: &[Sum]| {
            let mut cells: Vec<String> = v.iter().map(|s| shown(s, d)).collect();
            // The gap is by year; it has no period total.
            cells.push(String::new());
            row(label, cells, false)
        };
        // A gap model's years may differ from the schedule's: its rows only when they match.
        if base.len() == schedule.years.len() {
            rows.push(gap("Baseline gap after reserves", base));
            rows.push(gap("Scenario gap after reserves", scen));
            let mut r = difference_row("Gap difference", diff, None, d);
            r.cells.push(String::new());
            rows.push(r);
        }
    }
    ReportScenario {
        name: scenario.name.clone(),
        assumptions: scenario_assumptions(scenario, d),
        table: ReportTable {
            header: year_header("Scenario", schedule),
            rows,
            more: 0,
        },
    }
}

/// A row of sums by year in real terms, with the period's total when `total`: each year's
/// figure converted ([`in_prices`]), the total the sum of the converted years.
fn real_row(
    label: &str,
    years: &[FinancialYear],
    sums: &[Sum],
    prices: &Prices,
    d: u32,
    total: bool,
) -> ReportRow {
    let mut period = Sum::default();
    let mut cells: Vec<String> = years
        .iter()
        .zip(sums)
        .map(|(y, s)| {
            // The years were checked against the index: a figure that still does not convert
            // is beyond a Decimal, and shown as not known.
            let converted = in_prices(s.value, *y, prices);
            let real = Sum {
                value: converted.unwrap_or_default(),
                missing: s.missing + usize::from(converted.is_none()),
                ..Sum::default()
            };
            period.value += real.value;
            period.missing += real.missing;
            shown(&real, d)
        })
        .collect();
    if total {
        cells.push(shown(&period, d));
    }
    row(label, cells, false)
}

/// The totals by section and the gap in real terms; refused, saying which, when the index lacks
/// a year of the schedule or the base year (and the gap alone when it lacks one of the gap's).
fn real_terms(input: &ReportInput, prices: &Prices) -> Result<RealTerms, String> {
    let s = input.schedule;
    let years: Vec<FinancialYear> = s.years.iter().map(|y| y.year).collect();
    let gap_years: Vec<FinancialYear> = input
        .gap
        .map(|(_, g)| g.years.iter().map(|y| y.year).collect())
        .unwrap_or_default();
    let missing = missing_years(&years, prices);
    if !missing.is_empty() {
        return Err(missing_sentence(&missing));
    }
    let rows = totals_rows(s, input.results)
        .into_iter()
        .map(|(label, totals, grand)| {
            let mut r = real_row(&label, &years, &totals.years, prices, s.decimals, true);
            r.total = grand;
            r
        })
        .collect();
    let gap = input.gap.map(|(model, g)| {
        let missing = missing_years(&gap_years, prices);
        if !missing.is_empty() {
            return Err(missing_sentence(&missing));
        }
        let d = model.decimals();
        let before: Vec<Sum> = g
            .years
            .iter()
            .map(|y| y.gap_before_reserves.clone())
            .collect();
        let after: Vec<Sum> = g
            .years
            .iter()
            .map(|y| y.gap_after_reserves.clone())
            .collect();
        let mut header = vec![format!(
            "Funding gap ({}, {})",
            model.unit.label(),
            prices.label()
        )];
        header.extend(gap_years.iter().map(|y| y.label()));
        let mut after_row = real_row("Gap after reserves", &gap_years, &after, prices, d, false);
        after_row.total = true;
        Ok(ReportTable {
            header,
            rows: vec![
                real_row("Gap before reserves", &gap_years, &before, prices, d, false),
                after_row,
            ],
            more: 0,
        })
    });
    Ok(RealTerms {
        label: format!("{}, {}", s.unit.label(), prices.label()),
        totals: ReportTable {
            header: year_header("Section", s),
            rows,
            more: 0,
        },
        gap,
    })
}

/// The report of a schedule and what was worked out from it.
pub fn report(input: &ReportInput) -> Report {
    let s = input.schedule;
    let r = input.results;
    let mut source = vec![format!("File: {}.", input.source.file_name)];
    match &input.source.sha256 {
        Some(sha) => source.push(format!("SHA-256 of the file as read: {sha}.")),
        None => source.push(
            "Not read from a file in this page (saved work or a link), so no checksum.".into(),
        ),
    }
    if let Some(at) = &input.source.read_at {
        source.push(format!("Read on {at}."));
    }
    let first = s.years.first().map(|y| y.year.label()).unwrap_or_default();
    let last = s.years.last().map(|y| y.year.label()).unwrap_or_default();
    source.push(format!(
        "{} lines in {} sections, {} years ({first} to {last}), amounts in {}.",
        s.lines.len(),
        s.sections.len(),
        s.years.len(),
        s.unit.label()
    ));

    let mut checks = vec![
        counts_sentence(&r.checks.total_rows, "subtotals"),
        counts_sentence(&r.checks.line_totals, "line totals"),
    ];
    if let Some(n) = input.netting {
        let nets = StatusCounts::tally(
            n.proposals
                .iter()
                .filter_map(|p| p.net_checks.iter().map(|c| c.status).max()),
        );
        if nets.total() > 0 {
            checks.push(counts_sentence(&nets, "published net rows"));
        }
    }
    if let Some((_, g)) = input.gap {
        if !g.checks.is_empty() {
            let counts = StatusCounts::tally(g.checks.iter().map(|c| c.status));
            checks.push(counts_sentence(&counts, "published gap figures"));
        }
    }
    let all = checked_figures(s, &r.checks, input.map);
    let mut problems: Vec<CheckedFigure> = all
        .into_iter()
        .filter(|f| f.status != "ok" && f.status != "confirmed")
        .collect();
    let more_problems = problems.len().saturating_sub(REPORT_PROBLEMS);
    problems.truncate(REPORT_PROBLEMS);

    Report {
        title: s.title.clone(),
        unit: s.unit.label().to_string(),
        source,
        checks,
        problems,
        more_problems,
        totals: totals_table(s, r),
        map: input
            .map
            .map(|(file, m)| format!("Arithmetic of {file}: {}.", map_sentence(m))),
        nets: input.netting.and_then(|n| nets_table(s, n)),
        gap: input.gap.map(|(m, g)| gap_table(m, g)),
        scenario: input
            .scenario
            .map(|(scenario, c)| scenario_part(s, scenario, c)),
        real_terms: input.prices.map(|p| real_terms(input, p)),
    }
}
