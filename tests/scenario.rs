//! Scenarios on the published tables (docs/domain.md, "Monitoring": a risk-adjusted view counts each
//! line at an achievement rate chosen for its rating): the demo savings schedule
//! (`cyps-savings-2017-21.csv`, incremental, £'000) under ratings, slips, scales and
//! exclusions, and the budget forecast (`cyps-budget-forecast-2016-21.csv`, £m) under pressure
//! growth and a planned use of reserves; the investment appraisal
//! (`cyps-investment-bids-2016-21.csv`, cumulative, £m, costs positive) for the net of
//! investment and savings; the scenario copies going through checks, netting and the gap
//! exactly as the schedule as published does.
//!
//! Every expected figure is worked out by hand in the comment beside it.

mod common;

use common::{
    complete_values, d, ds, schedule, BUDGET_FORECAST, CHILDRENS_SAVINGS, CYPS_SAVINGS,
    INVESTMENT_BIDS,
};
use gapwise::engine::{
    apply_gap_scenario, apply_scenario, calculate, compare, compute_gap, full_year_effects,
    gap_model, import, netting, schedule_net, to_json, Amount, Comparison, GapFigures, GapModel,
    GapRole, ImportOptions, LineAssumption, Profile, Rag, SavingsFeed, Scenario, Schedule,
    SignConvention, SCENARIO_RESERVES_LABEL,
};
use rust_decimal::Decimal;

/// The values of cells that must all hold figures.
fn figures(cells: &[Amount]) -> Vec<Decimal> {
    cells.iter().map(common::fig).collect()
}

/// The index of the line of a file row.
fn at_row(s: &Schedule, row: usize) -> usize {
    s.lines
        .iter()
        .position(|l| l.row == row)
        .unwrap_or_else(|| panic!("no line at row {row}"))
}

fn amounts(s: &Schedule) -> Vec<Vec<Amount>> {
    s.lines.iter().map(|l| l.amounts.clone()).collect()
}

fn assumption(f: impl FnOnce(&mut LineAssumption)) -> LineAssumption {
    let mut a = LineAssumption::default();
    f(&mut a);
    a
}

/// The demo with rows 4 (NQSW), 31 (Family Group Conferencing) and 34 (Edge of Care) rated red,
/// amber and green.
fn rated_demo() -> Schedule {
    let mut s = schedule(CYPS_SAVINGS);
    for (row, rag) in [(4, Rag::Red), (31, Rag::Amber), (34, Rag::Green)] {
        let i = at_row(&s, row);
        s.lines[i].rag = Some(rag);
    }
    s
}

fn gap_after(f: &GapFigures) -> Vec<Decimal> {
    f.years.iter().map(|y| y.gap_after_reserves.value).collect()
}

fn gap_before(f: &GapFigures) -> Vec<Decimal> {
    f.years
        .iter()
        .map(|y| y.gap_before_reserves.value)
        .collect()
}

fn minus(a: &[Decimal], b: &[Decimal]) -> Vec<Decimal> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

fn forecast() -> GapModel {
    gap_model(&schedule(BUDGET_FORECAST))
}

#[test]
fn the_demo_has_no_rag_column_so_every_line_is_unrated() {
    let s = schedule(CYPS_SAVINGS);
    assert_eq!(s.lines.len(), 64);
    assert!(s.lines.iter().all(|l| l.rag.is_none()));
}

#[test]
fn a_rag_column_of_prose_rates_nothing() {
    // childrens-savings-2023-26.csv has a "RAG Impact" column, but it holds sentences
    // ("Potential to improve outcomes ...", "These savings have been identified as
    // deliverable ..."): no rating in them.
    let s = schedule(CHILDRENS_SAVINGS);
    assert!(s.column_of(gapwise::engine::TextField::Rag).is_some());
    assert!(s.lines.iter().all(|l| l.rag.is_none()));
}

#[test]
fn ratings_are_read_at_import_and_kept_through_json() {
    let csv = "Project,RAG rating,2017/18,2018/19\nA,Red - high risk,1,2\nB,Amber/Green,3,4\n\
               C,G,5,6\nD,,7,8\n";
    let s = import(csv.as_bytes(), "rag.csv", &ImportOptions::default())
        .unwrap()
        .schedule;
    let rags: Vec<_> = s.lines.iter().map(|l| l.rag).collect();
    assert_eq!(
        rags,
        [Some(Rag::Red), Some(Rag::Amber), Some(Rag::Green), None]
    );
    let json = to_json(&s);
    assert!(json.contains("\"rag\": \"red\""), "{json}");
    let back = import(json.as_bytes(), "rag.json", &ImportOptions::default())
        .unwrap()
        .schedule;
    assert_eq!(back, s);
    // An unrated line writes no `rag` at all, so documents without ratings are as before.
    assert_eq!(json.matches("\"rag\": ").count(), 3, "{json}");
}

#[test]
fn a_the_baseline_changes_no_figure() {
    let s = schedule(CYPS_SAVINGS);
    let applied = apply_scenario(&s, &Scenario::baseline());
    // Every figure × 1: the same cells, decimals included.
    assert_eq!(amounts(&applied.schedule), amounts(&s));
    assert!(applied.slipped_out.is_empty());
    let c = compare(&s, &applied.schedule, None, None);
    assert!(c.difference.iter().all(Decimal::is_zero));
    assert!(c.lines.is_empty());
    // 1,180.0 + 1,022.0 + 1,572.0 + 912.0 + 200.0 = 4,886.0 (the five subtotals of 2017/18).
    assert_eq!(c.baseline[0].value, d("4886.0"));
    assert_eq!(c.scenario_total, c.baseline_total);
    // Published totals are dropped from the copy, so nothing is checked on it.
    assert!(applied.schedule.total_rows.is_empty());
    assert!(calculate(&applied.schedule).checks.checks.is_empty());
}

#[test]
fn b_default_rates_with_no_ratings_count_every_line_in_full() {
    let s = schedule(CYPS_SAVINGS);
    let applied = apply_scenario(&s, &Scenario::new("Risk-adjusted"));
    let values = |s: &Schedule| -> Vec<Vec<Option<Decimal>>> {
        s.lines
            .iter()
            .map(|l| l.amounts.iter().map(Amount::value).collect())
            .collect()
    };
    assert_eq!(values(&applied.schedule), values(&s));
    assert!(compare(&s, &applied.schedule, None, None).lines.is_empty());
}

#[test]
fn c_red_counts_nothing_amber_half_green_all() {
    let s = rated_demo();
    let applied = apply_scenario(&s, &Scenario::new("Risk-adjusted"));
    let a = &applied.schedule;
    let (nqsw, fgc, edge) = (at_row(&s, 4), at_row(&s, 31), at_row(&s, 34));
    // Row 4, red at 0 %: 330.0, 385.0, 110.0, 0.0 → all zero.
    assert_eq!(figures(&a.lines[nqsw].amounts), ds(&["0", "0", "0", "0"]));
    // Row 31, amber at 50 %: 165.0, 462.0, 627.0, 660.0 → 82.5, 231.0, 313.5, 330.0.
    assert_eq!(
        figures(&a.lines[fgc].amounts),
        ds(&["82.5", "231.0", "313.5", "330.0"])
    );
    // Row 34, green at 100 %: unchanged.
    assert_eq!(a.lines[edge].amounts, s.lines[edge].amounts);

    let c = compare(&s, a, None, None);
    // −(330 + 82.5), −(385 + 231), −(110 + 313.5), −(0 + 330).
    assert_eq!(c.difference, ds(&["-412.5", "-616", "-423.5", "-330"]));
    // 4,886.0 − 412.5 = 4,473.5.
    assert_eq!(c.scenario[0].value, d("4473.5"));
    // The period: 412.5 + 616 + 423.5 + 330 = 1,782 less.
    assert_eq!(c.scenario_total.value - c.baseline_total.value, d("-1782"));
    // Exactly the two lines that moved, the bigger first: FGC −957 (82.5 + 231 + 313.5 + 330),
    // then NQSW −825 (330 + 385 + 110 + 0).
    let moved: Vec<_> = c.lines.iter().map(|l| (l.line, l.total)).collect();
    assert_eq!(moved, [(fgc, d("-957")), (nqsw, d("-825"))]);
    assert_eq!(c.lines[0].years, ds(&["-82.5", "-231", "-313.5", "-330"]));
}

#[test]
fn d_a_slip_moves_figures_a_year_later_and_returns_what_falls_off() {
    let s = schedule(CYPS_SAVINGS);
    let fgc = at_row(&s, 31);
    let mut scenario = Scenario::baseline();
    scenario.lines.insert(31, assumption(|a| a.slip = 1));
    let applied = apply_scenario(&s, &scenario);
    // 165.0, 462.0, 627.0, 660.0 → 0, 165.0, 462.0, 627.0, and 660.0 falls past 2020/21.
    assert_eq!(
        figures(&applied.schedule.lines[fgc].amounts),
        ds(&["0", "165.0", "462.0", "627.0"])
    );
    assert_eq!(applied.slipped_out.len(), 1);
    assert_eq!(applied.slipped_out[0].0, fgc);
    assert_eq!(figures(&applied.slipped_out[0].1), ds(&["660.0"]));
    let c = compare(&s, &applied.schedule, None, None);
    // −165, −297, −165, −33: the period loses the 660.
    assert_eq!(c.difference, ds(&["-165", "-297", "-165", "-33"]));
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].total, d("-660"));

    scenario.lines.insert(31, assumption(|a| a.slip = 5));
    let applied = apply_scenario(&s, &scenario);
    assert_eq!(
        figures(&applied.schedule.lines[fgc].amounts),
        ds(&["0", "0", "0", "0"])
    );
    assert_eq!(
        figures(&applied.slipped_out[0].1),
        ds(&["165.0", "462.0", "627.0", "660.0"])
    );
}

#[test]
fn e_a_scale_multiplies_a_lines_figures_exactly() {
    let s = schedule(CYPS_SAVINGS);
    let edge = at_row(&s, 34);
    let mut scenario = Scenario::baseline();
    scenario
        .lines
        .insert(34, assumption(|a| a.scale = Some(d("1.1"))));
    let applied = apply_scenario(&s, &scenario);
    // 165.0, 429.0, 594.0, 660.0 × 1.1 = 181.5, 471.9, 653.4, 726.0.
    assert_eq!(
        figures(&applied.schedule.lines[edge].amounts),
        ds(&["181.5", "471.9", "653.4", "726.0"])
    );
    let c = compare(&s, &applied.schedule, None, None);
    // 10 % of 1,848.0.
    assert_eq!(c.lines.len(), 1);
    assert_eq!(c.lines[0].total, d("184.8"));
    // A rate and a scale multiply: amber (50 %) × 1.1 = 55 %: 165.0 → 90.75.
    let mut s = s;
    s.lines[edge].rag = Some(Rag::Amber);
    scenario.rates.amber = d("0.5");
    let applied = apply_scenario(&s, &scenario);
    assert_eq!(
        common::fig(&applied.schedule.lines[edge].amounts[0]),
        d("90.75")
    );
}

#[test]
fn f_an_excluded_line_keeps_its_place_at_zero() {
    let s = schedule(CYPS_SAVINGS);
    let foster = at_row(&s, 44);
    let mut scenario = Scenario::baseline();
    scenario.lines.insert(44, assumption(|a| a.exclude = true));
    let applied = apply_scenario(&s, &scenario);
    assert_eq!(applied.schedule.lines.len(), s.lines.len());
    // 1,374.0, 1,286.0, 1,320.0, 0.0 → 0.0 in every year, at the cells' one decimal.
    let cells: Vec<_> = applied.schedule.lines[foster]
        .amounts
        .iter()
        .map(Amount::canonical)
        .collect();
    assert_eq!(cells, ["0.0", "0.0", "0.0", "0.0"]);
    let c = compare(&s, &applied.schedule, None, None);
    assert_eq!(c.difference, ds(&["-1374", "-1286", "-1320", "0"]));
    assert_eq!(c.lines.len(), 1);
    assert_eq!((c.lines[0].line, c.lines[0].total), (foster, d("-3980")));
}

#[test]
fn the_scenario_copy_goes_through_netting_like_the_schedule() {
    let s = rated_demo();
    let applied = apply_scenario(&s, &Scenario::new("Risk-adjusted"));
    let base = netting(&s);
    let scen = netting(&applied.schedule);
    assert_eq!(base.proposals.len(), scen.proposals.len());
    let fgc = at_row(&s, 31);
    let net = |n: &gapwise::engine::Netting| -> Vec<Decimal> {
        let p = n.proposals.iter().find(|p| p.lines.contains(&fgc)).unwrap();
        p.net.iter().map(|s| s.value).collect()
    };
    // FGC's full-year effects 165, 627, 1,254, 1,914 halve to 82.5, 313.5, 627, 957.
    assert_eq!(net(&base), ds(&["165.0", "627.0", "1254.0", "1914.0"]));
    assert_eq!(net(&scen), ds(&["82.5", "313.5", "627.0", "957.0"]));
}

#[test]
fn fed_into_the_forecast_the_gap_moves_by_exactly_the_lost_full_year_effects() {
    let base = rated_demo();
    let applied = apply_scenario(&base, &Scenario::new("Risk-adjusted"));
    let mut m = forecast();
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    let scenario_model = apply_gap_scenario(&m, &Scenario::new("Risk-adjusted"));
    let before = compute_gap(&m, Some(&base));
    let after = compute_gap(&scenario_model, Some(&applied.schedule));

    // The change in full-year-effect savings, £'000, from the profile module: the running sum
    // of −412.5, −616, −423.5, −330 is −412.5, −1,028.5, −1,452, −1,782.
    let effects = |s: &Schedule| -> Vec<Decimal> {
        let mut per_year = vec![Decimal::ZERO; s.years.len()];
        for line in &s.lines {
            for (acc, e) in per_year.iter_mut().zip(full_year_effects(line, s.profile)) {
                *acc += e.unwrap();
            }
        }
        per_year
    };
    let lost = minus(&effects(&applied.schedule), &effects(&base));
    assert_eq!(lost, ds(&["-412.5", "-1028.5", "-1452", "-1782"]));

    // The forecast runs 2016/17 to 2020/21 in £m: nothing fed in 2016/17, then the lost
    // savings / 1,000 added to the gap.
    let moved = minus(&gap_before(&after), &gap_before(&before));
    assert_eq!(moved, ds(&["0", "0.4125", "1.0285", "1.452", "1.782"]));
    assert_eq!(minus(&gap_after(&after), &gap_after(&before)), moved);
    for (y, l) in lost.iter().enumerate() {
        assert_eq!(moved[y + 1], -l / d("1000"));
    }

    let c = compare(&base, &applied.schedule, Some(&before), Some(&after));
    assert_eq!(c.gap_difference, Some(moved));
    assert_eq!(c.baseline_gap.as_ref().unwrap().len(), 5);
}

#[test]
fn g_pressures_grow_two_percent_a_year_and_move_the_gap_by_exactly_that() {
    let m = forecast();
    let mut scenario = Scenario::new("Demand grows");
    scenario.pressure_growth = Some(d("0.02"));
    let g = apply_gap_scenario(&m, &scenario);
    let row = |m: &GapModel, label: &str| -> Vec<Decimal> {
        figures(&m.rows.iter().find(|r| r.label == label).unwrap().amounts)
    };
    // 7.848 × 1; 7.346 × 1.02 = 7.49292; 8.402 × 1.0404 = 8.7414408;
    // 9.458 × 1.061208 = 10.036905264; 10.514 × 1.08243216 = 11.38069173024.
    assert_eq!(
        row(&g, "Pressure (Demand/Demographic)"),
        ds(&[
            "7.848",
            "7.49292",
            "8.7414408",
            "10.036905264",
            "11.38069173024"
        ])
    );
    // 0.000, 1.000 × 1.02, 2.000 × 1.0404, 3.000 × 1.061208, 3.000 × 1.08243216.
    assert_eq!(
        row(&g, "Pressure (Reduction in Short Term Reserve)"),
        ds(&["0.000", "1.02", "2.0808", "3.183624", "3.24729648"])
    );
    // Nothing but pressures grows.
    for (before, after) in m.rows.iter().zip(&g.rows) {
        if before.role != GapRole::Pressure {
            assert_eq!(before, after);
        }
    }
    // The forecast has no funding row, so its gap is pressures + investment − savings: it moves
    // by the growth of both pressure rows, (7.346 + 1.000) × 0.02 = 0.16692,
    // (8.402 + 2.000) × 0.0404 = 0.4202408, (9.458 + 3.000) × 0.061208 = 0.762529264,
    // (10.514 + 3.000) × 0.08243216 = 1.11398821024.
    let (before, after) = (compute_gap(&m, None), compute_gap(&g, None));
    let moved = minus(&gap_before(&after), &gap_before(&before));
    assert_eq!(
        moved,
        ds(&["0", "0.16692", "0.4202408", "0.762529264", "1.11398821024"])
    );
    assert_eq!(minus(&gap_after(&after), &gap_after(&before)), moved);
    // The forecast's published results (net forecast, funding support) check ok as published
    // and are not judged against the scenario.
    assert!(before
        .checks
        .iter()
        .all(|c| c.status != gapwise::engine::CheckStatus::Error));
    assert!(g.results.is_empty());
    assert!(after.checks.is_empty());
}

#[test]
fn h_a_use_of_reserves_in_one_year_closes_only_that_years_gap() {
    let m = forecast();
    assert!(m.rows.iter().all(|r| r.role != GapRole::Reserves));
    let mut scenario = Scenario::new("Reserves");
    // 2016/17, 2017/18, 2018/19: use 1.000 in 2018/19 only.
    scenario.reserves = Some(vec![None, None, Some(d("1.000"))]);
    let g = apply_gap_scenario(&m, &scenario);
    let added = g.rows.last().unwrap();
    assert_eq!(
        (added.label.as_str(), added.role),
        (SCENARIO_RESERVES_LABEL, GapRole::Reserves)
    );
    assert_eq!(
        added
            .amounts
            .iter()
            .map(Amount::canonical)
            .collect::<Vec<_>>(),
        ["", "", "1.000", "", ""]
    );
    let (before, after) = (compute_gap(&m, None), compute_gap(&g, None));
    assert_eq!(
        minus(&gap_after(&after), &gap_after(&before)),
        ds(&["0", "0", "-1.000", "0", "0"])
    );
    // Reserves close the gap after reserves only: the gap before them, and so the cumulative
    // and annual gaps, do not move.
    assert_eq!(gap_before(&after), gap_before(&before));
}

// --- The net: investment and savings netted, baseline and scenario side by side.

/// The comparison's net rows agree with themselves: the difference is scenario − baseline, per
/// year and over the period, and the period is the sum of the years.
fn assert_net_consistent(c: &Comparison) {
    let (b, s) = (
        complete_values(&c.baseline_net),
        complete_values(&c.scenario_net),
    );
    assert_eq!(c.net_difference, minus(&s, &b));
    assert_eq!(c.baseline_net_total.value, b.iter().sum::<Decimal>());
    assert_eq!(c.scenario_net_total.value, s.iter().sum::<Decimal>());
    assert_eq!(
        c.net_difference_total,
        c.scenario_net_total.value - c.baseline_net_total.value
    );
    assert_eq!(
        c.difference_total,
        c.scenario_total.value - c.baseline_total.value
    );
}

#[test]
fn i_the_appraisals_net_is_investment_less_gross_saving_and_a_scaled_investment_moves_it() {
    let s = schedule(INVESTMENT_BIDS);
    assert_eq!(s.sign, SignConvention::CostsPositive);
    assert_eq!(s.profile, Profile::Cumulative);
    // Row 3: Foster Carer Payments investment, 0.000, 1.276, 1.718, 2.182, 2.182.
    let foster = at_row(&s, 3);
    assert_eq!(
        figures(&s.lines[foster].amounts),
        ds(&["0.000", "1.276", "1.718", "2.182", "2.182"])
    );
    let mut scenario = Scenario::baseline();
    scenario
        .lines
        .insert(3, assumption(|a| a.scale = Some(d("1.5"))));
    let applied = apply_scenario(&s, &scenario);
    let c = compare(&s, &applied.schedule, None, None);
    assert_net_consistent(&c);

    // Costs positive, savings negative: net = investment − gross saving, summed over the eleven
    // proposals (the Net Saving lines are checked, not counted). Investment by year
    // 0.179, 3.607, 3.715, 3.527, 3.578 (the summary row publishes 3.716 and 3.579, rounding);
    // gross saving 0.000, 2.276, 5.190, 8.061, 9.601. Net 0.179, 1.331, (1.475), (4.534),
    // (6.023), against the published (1.474) and (6.022).
    assert_eq!(
        complete_values(&c.baseline_net),
        ds(&["0.179", "1.331", "-1.475", "-4.534", "-6.023"])
    );
    // 0.179 + 1.331 − 1.475 − 4.534 − 6.023.
    assert_eq!(c.baseline_net_total.value, d("-10.522"));
    // The Foster investment × 1.5 costs 0.638, 0.859, 1.091, 1.091 more: a smaller net saving.
    assert_eq!(
        c.net_difference,
        ds(&["0", "0.638", "0.859", "1.091", "1.091"])
    );
    assert_eq!(
        complete_values(&c.scenario_net),
        ds(&["0.179", "1.969", "-0.616", "-3.443", "-4.932"])
    );
    // 0.638 + 0.859 + 1.091 + 1.091 = 3.679; −10.522 + 3.679 = −6.843.
    assert_eq!(c.net_difference_total, d("3.679"));
    assert_eq!(c.scenario_net_total.value, d("-6.843"));
    // The same net as netting gives proposal by proposal.
    assert_eq!(c.scenario_net, schedule_net(&applied.schedule));
}

#[test]
fn j_a_memo_investment_is_in_neither_net_so_scaling_it_moves_only_the_totals() {
    let mut s = schedule(INVESTMENT_BIDS);
    let foster = at_row(&s, 3);
    s.lines[foster].memo = true;
    let mut scenario = Scenario::baseline();
    scenario
        .lines
        .insert(3, assumption(|a| a.scale = Some(d("1.5"))));
    let c = compare(&s, &apply_scenario(&s, &scenario).schedule, None, None);
    assert_net_consistent(&c);
    // Without Foster's investment: 0.179, 1.331 − 1.276 = 0.055, −1.475 − 1.718 = −3.193,
    // −4.534 − 2.182 = −6.716, −6.023 − 2.182 = −8.205.
    assert_eq!(
        complete_values(&c.baseline_net),
        ds(&["0.179", "0.055", "-3.193", "-6.716", "-8.205"])
    );
    assert_eq!(c.scenario_net, c.baseline_net);
    assert!(c.net_difference.iter().all(Decimal::is_zero));
    // The line's figures still moved, and the grand totals (every line, as published) with them.
    assert_eq!(c.difference, ds(&["0", "0.638", "0.859", "1.091", "1.091"]));
}

#[test]
fn k_the_demos_net_is_its_full_year_effect_and_red_and_amber_take_off_what_they_lose() {
    let s = rated_demo();
    let applied = apply_scenario(&s, &Scenario::new("Risk-adjusted"));
    let c = compare(&s, &applied.schedule, None, None);
    assert_net_consistent(&c);
    // No investment lines: the net is the full-year effect of every line, reversals counted as
    // their negative figures (three pairs that net to zero). Incremental: the running sum of the
    // year totals 4,886.0, 10,824.0, 18,985.7, 9,281.3, less the four one-offs of 2018/19
    // (40 + 18 + 8 + 30 = 96) from 2019/20 on: 4,886.0, 15,710.0, 34,599.7 (15,710.0 +
    // 18,985.7 − 96), 43,881.0.
    assert_eq!(
        complete_values(&c.baseline_net),
        ds(&["4886.0", "15710.0", "34599.7", "43881.0"])
    );
    assert_eq!(c.baseline_net_total.value, d("99076.7"));
    // Red row 4 loses its full-year effects 330, 715, 825, 825; amber row 31 half of 165, 627,
    // 1,254, 1,914: 82.5, 313.5, 627, 957. Together 412.5, 1,028.5, 1,452, 1,782, the same
    // change the gap is fed.
    assert_eq!(
        c.net_difference,
        ds(&["-412.5", "-1028.5", "-1452", "-1782"])
    );
    assert_eq!(
        complete_values(&c.scenario_net),
        ds(&["4473.5", "14681.5", "33147.7", "42099.0"])
    );
    // 412.5 + 1,028.5 + 1,452 + 1,782 = 4,675.
    assert_eq!(c.net_difference_total, d("-4675"));
    assert_eq!(c.difference_total, d("-1782"));

    // Amber alone (the end-to-end scenario): (82.5), (313.5), (627.0), (957.0), (1,980.0).
    let mut s = schedule(CYPS_SAVINGS);
    let fgc = at_row(&s, 31);
    s.lines[fgc].rag = Some(Rag::Amber);
    let c = compare(
        &s,
        &apply_scenario(&s, &Scenario::new("Amber at half")).schedule,
        None,
        None,
    );
    assert_net_consistent(&c);
    assert_eq!(c.net_difference, ds(&["-82.5", "-313.5", "-627", "-957"]));
    assert_eq!(c.net_difference_total, d("-1980"));
}

#[test]
fn l_a_reversal_nets_against_the_line_it_cancels_until_a_scenario_excludes_it() {
    let s = schedule(CYPS_SAVINGS);
    // Rows 20 and 21: Business Support Review 0.0, 200.0, 750.0, 0.0 and its reversal.
    let (original, reversal) = (at_row(&s, 20), at_row(&s, 21));
    assert!(netting(&s)
        .reversals
        .iter()
        .any(|r| (r.original, r.reversal) == (original, reversal) && r.full));
    let mut scenario = Scenario::baseline();
    scenario.lines.insert(21, assumption(|a| a.exclude = true));
    let c = compare(&s, &apply_scenario(&s, &scenario).schedule, None, None);
    assert_net_consistent(&c);
    // The pair counted nothing; without the reversal the saving's full-year effects
    // 0, 200, 950, 950 count, once.
    assert_eq!(c.net_difference, ds(&["0", "200", "950", "950"]));
    assert_eq!(c.net_difference_total, d("2100"));
    // In the year totals (increments) the same change is 0, 200, 750, 0.
    assert_eq!(c.difference, ds(&["0", "200", "750", "0"]));
}

#[test]
fn m_a_cell_with_no_figure_leaves_the_net_incomplete_on_both_sides() {
    let csv = "Project,Type,2017/18,2018/19,Cumulative\nA,Investment,(1.0),TBC,(1.0)\n\
               A,Gross Saving,2.0,3.0,5.0\nB,Gross Saving,1.0,1.0,2.0\n";
    let s = import(csv.as_bytes(), "tbc.csv", &ImportOptions::default())
        .unwrap()
        .schedule;
    let mut scenario = Scenario::baseline();
    scenario.rates.unrated = d("0.5");
    let c = compare(&s, &apply_scenario(&s, &scenario).schedule, None, None);
    // 2017/18: −1.0 + 2.0 + 1.0 = 2.0, halved 1.0; 2018/19 has no figure for A's investment.
    assert_eq!(c.baseline_net[0].value, d("2.0"));
    assert_eq!(c.scenario_net[0].value, d("1.0"));
    assert_eq!(
        (c.baseline_net[1].missing, c.scenario_net[1].missing),
        (1, 1)
    );
    assert!(!c.baseline_net_total.is_complete() && !c.scenario_net_total.is_complete());
    // The difference of what is known: 4.0 halved.
    assert_eq!(c.net_difference, ds(&["-1.0", "-2.0"]));
}

/// The page compares with the baseline's totals and net kept from before (`compare_with`): the
/// same comparison as working them out again, for a scenario that changes totals and nets.
#[test]
fn compare_with_kept_baseline_figures_is_compare() {
    use gapwise::engine::{compare_with, totals};
    for fixture in [CYPS_SAVINGS, INVESTMENT_BIDS, CHILDRENS_SAVINGS] {
        let base = schedule(fixture);
        let mut scenario = Scenario::new("Half of everything");
        scenario.rates.unrated = d("0.5");
        scenario.rates.green = d("0.5");
        let applied = apply_scenario(&base, &scenario).schedule;
        let fresh = compare(&base, &applied, None, None);
        let kept = compare_with(
            &base,
            &totals(&base),
            schedule_net(&base),
            &applied,
            None,
            None,
        );
        assert_eq!(kept, fresh, "{}", fixture.0);
        assert!(
            fresh.difference.iter().any(|x| !x.is_zero()),
            "{}: the scenario changes something",
            fixture.0
        );
    }
}
