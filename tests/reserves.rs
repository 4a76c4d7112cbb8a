//! Reserves on the published budget forecast (`cyps-budget-forecast-2016-21.csv`, £m): named
//! reserves drawn in order to close the gap the savings leave, planned contributions and
//! drawdowns, a drawdown cut to the balance, minimum levels as a fixed sum and as a share of
//! the net budget, the year reserves fall below the minimum and the year they run out, a
//! scenario's changes, and the plan kept in saved work and links.
//!
//! Every expected figure is worked out by hand in the comment beside it.

mod common;

use common::{d, ds, schedule, BUDGET_FORECAST, CYPS_SAVINGS};
use gapwise::engine::{
    apply_gap_scenario, apply_scenario, bridge, compare, compute_gap, compute_reserves,
    decode_link, encode_link, gap_export_rows, gap_model, gap_to_csv, gap_to_json, gap_to_xlsx,
    load_state, net_budgets, save_state, simulate, DrawLimit, ErrorKind, GapFigures, GapModel,
    LinkState, Minimum, Profile, RagDeliveries, Reserve, ReserveDraws, ReserveFigures, ReserveKind,
    ReservesPlan, RiskSettings, SavedState, SavingsFeed, Scenario, SimulationInputs, SAVED_VERSION,
    XLSX_GAP_SHEET,
};
use rust_decimal::Decimal;

fn years(r: &ReserveFigures) -> Vec<String> {
    r.years.iter().map(|y| y.year.to_string()).collect()
}

fn label(y: Option<gapwise::engine::FinancialYear>) -> Option<String> {
    y.map(|y| y.to_string())
}

/// The forecast's gap, £m (no funding row, so funded at its net budget): pressures +
/// investment − savings = 7.848 + 0.179 = 8.027; 7.346 + 1.000 + 3.607 − 2.276 = 9.677;
/// 8.402 + 2.000 + 3.716 − 5.190 = 8.928; 9.458 + 3.000 + 3.527 − 8.061 = 7.924;
/// 10.514 + 3.000 + 3.579 − 9.601 = 7.492 (the published `Overall Investment / Funding
/// Support` row).
const GAPS: [&str; 5] = ["8.027", "9.677", "8.928", "7.924", "7.492"];

/// The general fund (20, drawn first, minimum 5 % of the net budget) and an earmarked
/// transformation reserve (10, drawn second).
fn two_reserves() -> GapModel {
    let mut m = gap_model(&schedule(BUDGET_FORECAST));
    let mut general = Reserve::new(1, "General fund", ReserveKind::General, d("20"));
    general.gap_order = Some(1);
    general.minimum = Some(Minimum::ShareOfNetBudget(d("0.05")));
    let mut earmarked = Reserve::new(2, "Transformation", ReserveKind::Earmarked, d("10"));
    earmarked.gap_order = Some(2);
    m.reserves_plan = Some(ReservesPlan {
        reserves: vec![general, earmarked],
        ..ReservesPlan::default()
    });
    m
}

fn figures(m: &GapModel) -> ReserveFigures {
    compute_reserves(m, &compute_gap(m, None)).unwrap()
}

#[test]
fn reserves_close_the_gap_in_order_until_they_run_out() {
    let m = two_reserves();
    let r = figures(&m);
    assert_eq!(
        years(&r),
        ["2016/17", "2017/18", "2018/19", "2019/20", "2020/21"]
    );
    let gaps: Vec<Decimal> = r.years.iter().map(|y| y.gap).collect();
    assert_eq!(gaps, ds(&GAPS));
    // The general fund first: 20 − 8.027 = 11.973; − 9.677 = 2.296; then its last 2.296 in
    // 2018/19 and the transformation reserve the other 8.928 − 2.296 = 6.632, leaving 3.368;
    // 2019/20 takes that 3.368 and 7.924 − 3.368 = 4.556 is left unclosed; 2020/21 nothing is
    // left, so the whole 7.492 is.
    let general: Vec<Decimal> = r.reserves[0].years.iter().map(|y| y.closing).collect();
    assert_eq!(general, ds(&["11.973", "2.296", "0", "0", "0"]));
    let earmarked: Vec<Decimal> = r.reserves[1].years.iter().map(|y| y.closing).collect();
    assert_eq!(earmarked, ds(&["10", "10", "3.368", "0", "0"]));
    let drawn: Vec<Decimal> = r.years.iter().map(|y| y.gap_drawdowns).collect();
    assert_eq!(drawn, ds(&["8.027", "9.677", "8.928", "3.368", "0"]));
    let left: Vec<Decimal> = r.years.iter().map(|y| y.gap_left).collect();
    assert_eq!(left, ds(&["0", "0", "0", "4.556", "7.492"]));
    assert_eq!(
        left,
        r.years.iter().map(|y| y.gap_unclosed).collect::<Vec<_>>()
    );
    // Opening = the previous closing; closing = opening + contributions − drawdowns.
    for pair in r.years.windows(2) {
        assert_eq!(pair[1].opening, pair[0].closing);
    }
    for y in &r.years {
        assert_eq!(
            y.closing,
            y.opening + y.contributions - y.drawdowns - y.gap_drawdowns
        );
    }
    assert_eq!(label(r.reserves[0].exhausted).as_deref(), Some("2018/19"));
    assert_eq!(label(r.reserves[1].exhausted).as_deref(), Some("2019/20"));
    assert_eq!(label(r.exhausted).as_deref(), Some("2019/20"));
    assert_eq!(label(r.first_gap_unclosed).as_deref(), Some("2019/20"));
}

#[test]
fn a_minimum_as_a_share_of_the_net_budget() {
    let m = two_reserves();
    let gap = compute_gap(&m, None);
    // The net budget is the forecast's `Net Budget` row.
    assert_eq!(
        net_budgets(&m, &gap),
        ds(&["56.468", "55.017", "53.717", "52.717", "52.717"])
    );
    let r = figures(&m);
    // 5 % of each: 2.8234, 2.75085, 2.68585, 2.63585, 2.63585. The general fund closes 2017/18
    // at 2.296, below its 2.75085; the total (12.296, the only minimum being the general
    // fund's) not until 2019/20, when everything is gone.
    let minimum: Vec<Option<Decimal>> = r.reserves[0].years.iter().map(|y| y.minimum).collect();
    let expected: Vec<Option<Decimal>> =
        ds(&["2.8234", "2.75085", "2.68585", "2.63585", "2.63585"])
            .into_iter()
            .map(Some)
            .collect();
    assert_eq!(minimum, expected);
    assert_eq!(
        r.years.iter().map(|y| y.minimum).collect::<Vec<_>>(),
        expected,
        "the total minimum is the sum of the reserves' own"
    );
    let below: Vec<bool> = r.reserves[0]
        .years
        .iter()
        .map(|y| y.below_minimum)
        .collect();
    assert_eq!(below, [false, true, true, true, true]);
    assert_eq!(
        label(r.reserves[0].first_below_minimum).as_deref(),
        Some("2017/18")
    );
    assert_eq!(r.reserves[1].first_below_minimum, None, "it has no minimum");
    let total_below: Vec<bool> = r.years.iter().map(|y| y.below_minimum).collect();
    assert_eq!(total_below, [false, false, false, true, true]);
    assert_eq!(label(r.first_below_minimum).as_deref(), Some("2019/20"));
}

#[test]
fn a_fixed_total_minimum_and_drawing_only_down_to_it() {
    let mut m = two_reserves();
    let plan = m.reserves_plan.as_mut().unwrap();
    plan.reserves[0].minimum = None;
    plan.minimum = Some(Minimum::Amount(d("5")));
    let r = figures(&m);
    // Totals 30 − 8.027 = 21.973; − 9.677 = 12.296; − 8.928 = 3.368: below 5 in 2018/19.
    let closing: Vec<Decimal> = r.years.iter().map(|y| y.closing).collect();
    assert_eq!(closing, ds(&["21.973", "12.296", "3.368", "0", "0"]));
    assert_eq!(label(r.first_below_minimum).as_deref(), Some("2018/19"));

    // Drawn only down to the minimum: 2018/19 takes 12.296 − 5 = 7.296 and leaves 8.928 −
    // 7.296 = 1.632 unclosed; later years take nothing and the total stays at 5.
    m.reserves_plan.as_mut().unwrap().draw_limit = DrawLimit::Minimum;
    let r = figures(&m);
    let closing: Vec<Decimal> = r.years.iter().map(|y| y.closing).collect();
    assert_eq!(closing, ds(&["21.973", "12.296", "5", "5", "5"]));
    let unclosed: Vec<Decimal> = r.years.iter().map(|y| y.gap_unclosed).collect();
    assert_eq!(unclosed, ds(&["0", "0", "1.632", "7.924", "7.492"]));
    assert_eq!(r.first_below_minimum, None);
    assert_eq!(r.exhausted, None);
    assert_eq!(label(r.first_gap_unclosed).as_deref(), Some("2018/19"));
}

#[test]
fn planned_contributions_and_drawdowns_and_a_drawdown_cut_to_the_balance() {
    let mut m = gap_model(&schedule(BUDGET_FORECAST));
    // Not used for the gap: an insurance reserve of 1.000 with 0.500 paid in in 2017/18 and
    // drawdowns of 0.300 and 2.000 planned.
    let mut insurance = Reserve::new(5, "Insurance", ReserveKind::Earmarked, d("1.000"));
    insurance.contributions = ds(&["0", "0.500"]);
    insurance.drawdowns = ds(&["0.300", "2.000", "0.100"]);
    m.reserves_plan = Some(ReservesPlan {
        reserves: vec![insurance],
        ..ReservesPlan::default()
    });
    let r = figures(&m);
    let y = &r.reserves[0].years;
    // 2016/17: 1.000 − 0.300 = 0.700.
    assert_eq!((y[0].drawdown, y[0].closing), (d("0.300"), d("0.700")));
    // 2017/18: 0.700 + 0.500 = 1.200 available; 2.000 asked, 1.200 made, 0.800 short.
    assert_eq!(y[1].opening, d("0.700"));
    assert_eq!(y[1].contributions, d("0.500"));
    assert_eq!(y[1].planned_drawdown, d("2.000"));
    assert_eq!(y[1].drawdown, d("1.200"));
    assert_eq!(y[1].shortfall, d("0.800"));
    assert_eq!(y[1].closing, d("0"));
    // 2018/19: nothing left for the 0.100 planned.
    assert_eq!((y[2].drawdown, y[2].shortfall), (d("0"), d("0.100")));
    assert_eq!(r.years[1].shortfall, d("0.800"));
    assert_eq!(label(r.exhausted).as_deref(), Some("2017/18"));
    // Not used for the gap: every year's gap is left.
    let left: Vec<Decimal> = r.years.iter().map(|y| y.gap_left).collect();
    assert_eq!(left, ds(&GAPS));
    assert_eq!(label(r.first_gap_unclosed).as_deref(), Some("2016/17"));
}

#[test]
fn the_gap_drawn_is_what_the_fed_savings_and_the_tables_reserves_leave() {
    let mut m = two_reserves();
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    let savings = schedule(CYPS_SAVINGS);
    let gap = compute_gap(&m, Some(&savings));
    let r = compute_reserves(&m, &gap).unwrap();
    // The plan is drawn on the gap after the table's own reserves, and what it leaves is the
    // gap after reserves of the gap itself.
    for (y, g) in r.years.iter().zip(&gap.years) {
        assert_eq!(y.gap, g.gap_after_table_reserves.value);
        assert_eq!(y.gap_left, g.gap_after_reserves.value);
    }
    // The demo's savings in 2017/18, its first year, are its section subtotals 1,180.0 +
    // 1,022.0 + 1,572.0 + 912.0 + 200.0 = 4,886.0 (£'000), 4.8860 £m: the gap that year is
    // 9.677 − 4.886 = 4.791, so the general fund closes at 11.973 − 4.791 = 7.182.
    assert_eq!(r.years[1].gap, d("4.791"));
    assert_eq!(r.reserves[0].years[1].closing, d("7.182"));

    // A use of reserves the table plans (a scenario's) closes its part first; the plan draws
    // only what is left: 8.027 − 3 = 5.027 in 2016/17.
    let scenario = Scenario {
        reserves: Some(vec![Some(d("3"))]),
        ..Scenario::baseline()
    };
    let sm = apply_gap_scenario(&m, &scenario);
    let r = compute_reserves(&sm, &compute_gap(&sm, Some(&savings))).unwrap();
    assert_eq!(r.years[0].gap, d("5.027"));
    assert_eq!(r.reserves[0].years[0].closing, d("14.973"));
}

#[test]
fn a_scenario_changes_drawdowns_or_stops_using_reserves() {
    let m = two_reserves();
    // Earmarked: 4 drawn for its purpose in 2017/18.
    let mut scenario = Scenario::new("Transformation spent early");
    scenario
        .reserve_draws
        .drawdowns
        .insert(2, vec![None, Some(d("4"))]);
    let sm = apply_gap_scenario(&m, &scenario);
    assert_eq!(
        sm.reserves_plan.as_ref().unwrap().reserves[1].drawdowns,
        ds(&["0", "4"])
    );
    assert_eq!(
        m.reserves_plan.as_ref().unwrap().reserves[1].drawdowns,
        ds(&[])
    );
    let r = figures(&sm);
    // 2017/18: 10 − 4 = 6 left in it; 2018/19 takes 6.632 from it with 6 there: 0.632 unclosed.
    let earmarked: Vec<Decimal> = r.reserves[1].years.iter().map(|y| y.closing).collect();
    assert_eq!(earmarked, ds(&["10", "6", "0", "0", "0"]));
    assert_eq!(r.years[2].gap_unclosed, d("0.632"));
    assert_eq!(label(r.first_gap_unclosed).as_deref(), Some("2018/19"));

    // No reserves used for the gap: every year's gap is left and the balances stand.
    let mut scenario = Scenario::new("No reserves");
    scenario.reserve_draws.no_gap_draws = true;
    let r = figures(&apply_gap_scenario(&m, &scenario));
    let left: Vec<Decimal> = r.years.iter().map(|y| y.gap_left).collect();
    assert_eq!(left, ds(&GAPS));
    assert!(r.years.iter().all(|y| y.closing == d("30")));
    assert_eq!(r.exhausted, None);
}

#[test]
fn the_plan_is_saved_with_the_gap_model_and_travels_in_full_links() {
    let m = two_reserves();
    let state = SavedState {
        gap: Some(m.clone()),
        ..SavedState::default()
    };
    let text = save_state(&state);
    assert!(text.contains("\"reserves_plan\""));
    assert!(text.contains("\"share_of_net_budget\":\"0.05\""), "{text}");
    assert_eq!(load_state(&text).unwrap(), state);

    // Saved before reserves were kept: no `reserves_plan`, read as none, and written as before.
    let mut old = m.clone();
    old.reserves_plan = None;
    let old_text = save_state(&SavedState {
        gap: Some(old.clone()),
        ..SavedState::default()
    });
    assert!(!old_text.contains("reserves_plan"));
    assert_eq!(load_state(&old_text).unwrap().gap, Some(old));

    // A damaged plan is refused like any damaged gap model.
    let damaged = text.replace("\"opening\":\"20\"", "\"opening\":\"-20\"");
    let e = load_state(&damaged).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Json { .. }));
    assert_eq!(
        e.to_string(),
        "the saved gap model is damaged: its reserves plan: reserve `General fund`: the opening \
         balance is negative (-20)"
    );

    let mut scenario = Scenario::new("Early");
    scenario
        .reserve_draws
        .drawdowns
        .insert(2, vec![None, Some(d("4.000"))]);
    let link = LinkState::Full {
        schedule: schedule(CYPS_SAVINGS),
        scenario: Some(scenario),
        gap: Some(m),
        prices: None,
    };
    let back = decode_link(&encode_link(&link)).unwrap();
    assert_eq!(back, link);
    let LinkState::Full {
        scenario: Some(s), ..
    } = back
    else {
        panic!()
    };
    assert_eq!(s.reserve_draws.drawdowns[&2], vec![None, Some(d("4.000"))]);
    assert_eq!(SAVED_VERSION, 1);
}

#[test]
fn reserve_draws_in_a_scenario_are_left_out_when_they_change_nothing() {
    let text = serde_json::to_string(&Scenario::new("x")).unwrap();
    assert!(!text.contains("reserve_draws"), "{text}");
    assert!(!text.contains("risk"), "{text}");
    let mut s = Scenario::new("x");
    s.reserve_draws = ReserveDraws {
        no_gap_draws: true,
        ..ReserveDraws::default()
    };
    let text = serde_json::to_string(&s).unwrap();
    assert!(
        text.contains("\"reserve_draws\":{\"no_gap_draws\":true"),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Scenario>(&text).unwrap(), s);
}

/// The gap after reserves of [`two_reserves`], no savings fed, as worked out by hand in
/// `reserves_close_the_gap_in_order_until_they_run_out`: 8.027 − 8.027; 9.677 − 9.677;
/// 8.928 − (2.296 + 6.632); 7.924 − 3.368; 7.492 − 0.
const AFTER: [&str; 5] = ["0.000", "0.000", "0.000", "4.556", "7.492"];

fn after_reserves(g: &GapFigures) -> Vec<Decimal> {
    g.years.iter().map(|y| y.gap_after_reserves.value).collect()
}

/// The one row of the gap export with this key.
fn export_row(m: &GapModel, g: &GapFigures, key: &str) -> Vec<Decimal> {
    let rows = gap_export_rows(m, g);
    let found: Vec<_> = rows.iter().filter(|r| r.key == key).collect();
    assert_eq!(found.len(), 1, "{key}");
    found[0].values.clone()
}

#[test]
fn the_gap_after_reserves_is_the_gap_before_less_the_plans_drawdowns_in_every_view() {
    let m = two_reserves();
    let gap = compute_gap(&m, None);
    let r = gap
        .reserves
        .clone()
        .expect("the plan worked out with the gap");
    assert_eq!(compute_reserves(&m, &gap), Some(r.clone()));

    // Each reserve drawn for the gap, named, in the order drawn; what each gave per year.
    let names: Vec<&str> = gap.years[0]
        .plan_draws
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names, ["General fund", "Transformation"]);
    let draws: Vec<Vec<Decimal>> = gap
        .years
        .iter()
        .map(|y| y.plan_draws.iter().map(|p| p.drawn.value).collect())
        .collect();
    assert_eq!(
        draws,
        [
            ds(&["8.027", "0"]),
            ds(&["9.677", "0"]),
            ds(&["2.296", "6.632"]),
            ds(&["0", "3.368"]),
            ds(&["0", "0"])
        ]
    );

    // Gap after reserves = gap before − the table's reserves (none here) − the plan's
    // drawdowns, exactly, and the plan's own gap left.
    assert_eq!(after_reserves(&gap), ds(&AFTER));
    for (y, g) in gap.years.iter().enumerate() {
        let drawn: Decimal = draws[y].iter().sum();
        assert_eq!(g.plan_drawn.value, drawn);
        assert_eq!(g.gap_before_reserves.value, d(GAPS[y]));
        assert_eq!(g.gap_after_table_reserves.value, d(GAPS[y]));
        assert_eq!(
            g.gap_after_reserves.value,
            g.gap_before_reserves.value - g.reserves.value - drawn
        );
        assert_eq!(g.gap_after_reserves.value, r.years[y].gap_left);
        assert_eq!(g.unidentified.value, r.years[y].gap_unclosed);

        // The bridge: a step per reserve, labelled with its name, ending at the same figure.
        let steps = bridge(&m, &gap, y);
        let reserve_steps: Vec<(u32, &str, Decimal)> = steps
            .iter()
            .filter_map(|s| Some((s.reserve?, s.label.as_str(), s.change())))
            .collect();
        assert_eq!(
            reserve_steps,
            [
                (1, "General fund", -draws[y][0]),
                (2, "Transformation", -draws[y][1])
            ]
        );
        let end = steps.last().unwrap();
        assert_eq!(end.end, g.gap_after_reserves.value);
        assert_eq!(
            steps[steps.len() - 2].end,
            end.end,
            "the last step ends there"
        );
    }
    // Its annual change: 0, 0, 0, 4.556, 7.492 − 4.556 = 2.936.
    let annual: Vec<Decimal> = gap
        .years
        .iter()
        .map(|y| y.annual_gap_after_reserves.value)
        .collect();
    assert_eq!(annual, ds(&["0", "0", "0", "4.556", "2.936"]));
    // The gap before reserves and its cumulative and annual figures are not the plan's.
    let cumulative: Vec<Decimal> = gap.years.iter().map(|y| y.cumulative_gap.value).collect();
    assert_eq!(cumulative, ds(&GAPS));

    // The exports: the same figures, exactly, and a row per reserve drawn.
    assert_eq!(export_row(&m, &gap, "gap_after_reserves"), ds(&AFTER));
    let rows = gap_export_rows(&m, &gap);
    let drawn_rows: Vec<(&str, Option<u32>)> = rows
        .iter()
        .filter(|r| r.key == "plan_draw")
        .map(|r| (r.label.as_str(), r.reserve))
        .collect();
    assert_eq!(
        drawn_rows,
        [
            ("Drawn from General fund to close the gap", Some(1)),
            ("Drawn from Transformation to close the gap", Some(2))
        ]
    );
    let csv = gap_to_csv(&m, &gap);
    assert!(
        csv.contains("\r\nGap after reserves,0.000,0.000,0.000,4.556,7.492\r\n"),
        "{csv}"
    );
    let transformation: Vec<Decimal> = csv
        .lines()
        .find_map(|l| l.strip_prefix("Drawn from Transformation to close the gap,"))
        .unwrap()
        .split(',')
        .map(d)
        .collect();
    assert_eq!(
        transformation,
        draws.iter().map(|y| y[1]).collect::<Vec<_>>()
    );
    let json: serde_json::Value = serde_json::from_str(&gap_to_json(&m, &gap)).unwrap();
    let after = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "gap_after_reserves")
        .unwrap();
    assert_eq!(after["values"], serde_json::json!(AFTER));
    let bytes = gap_to_xlsx(&m, &gap).unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range(XLSX_GAP_SHEET).unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0].to_string() == "Gap after reserves")
        .unwrap();
    let figures: Vec<String> = row[1..].iter().map(|c| c.to_string()).collect();
    assert_eq!(figures, ["0", "0", "0", "4.556", "7.492"]);

    // The scenario comparison: the baseline's gap after reserves is the same figure; a
    // scenario that uses no reserves for the gap has the gap before reserves, and the
    // difference is exactly what the plan drew.
    let savings = schedule(CYPS_SAVINGS);
    let mut none = Scenario::new("No reserves for the gap");
    none.reserve_draws.no_gap_draws = true;
    let scenario_gap = compute_gap(&apply_gap_scenario(&m, &none), None);
    let c = compare(
        &savings,
        &apply_scenario(&savings, &none).schedule,
        Some(&gap),
        Some(&scenario_gap),
    );
    let values = |v: &Option<Vec<gapwise::engine::Sum>>| -> Vec<Decimal> {
        v.as_ref().unwrap().iter().map(|s| s.value).collect()
    };
    assert_eq!(values(&c.baseline_gap), ds(&AFTER));
    assert_eq!(values(&c.scenario_gap), ds(&GAPS));
    let drawn: Vec<Decimal> = draws.iter().map(|y| y.iter().sum()).collect();
    assert_eq!(c.gap_difference.unwrap(), drawn);

    // A full link carries the plan: opened, the gap after reserves is the same.
    let link = LinkState::Full {
        schedule: savings,
        scenario: None,
        gap: Some(m),
        prices: None,
    };
    let LinkState::Full {
        gap: Some(opened), ..
    } = decode_link(&encode_link(&link)).unwrap()
    else {
        panic!("a full link with its gap model")
    };
    assert_eq!(after_reserves(&compute_gap(&opened, None)), ds(&AFTER));
}

#[test]
fn the_delivery_risk_simulation_leaves_the_same_gap_after_reserves() {
    // Every rate fixed at the scenario's: each run's gap left after the reserves plan is the
    // gap after reserves the gap table shows, with the demo's savings fed in.
    let mut m = two_reserves();
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    let savings = schedule(CYPS_SAVINGS);
    let mut scenario = Scenario::baseline();
    scenario.risk = Some(RiskSettings {
        rag: RagDeliveries::fixed(&scenario.rates),
        runs: 5,
        ..RiskSettings::default()
    });
    let gap = compute_gap(
        &apply_gap_scenario(&m, &scenario),
        Some(&apply_scenario(&savings, &scenario).schedule),
    );
    // The demo's savings close part of each year's gap (2017/18: 9.677 − 4.886 = 4.791), so
    // the plan draws less than unfed, and the simulation's input is the gap the table's
    // reserves leave, before the plan.
    assert_eq!(gap.years[1].gap_after_table_reserves.value, d("4.791"));
    let result = simulate(&SimulationInputs {
        schedule: savings,
        gap: Some(m),
        scenario,
    })
    .unwrap();
    assert_eq!(result.years.len(), gap.years.len());
    for (sim, g) in result.years.iter().zip(&gap.years) {
        let left = sim.gap_left.as_ref().unwrap();
        assert_eq!(
            [left.min, left.p50, left.max],
            [g.gap_after_reserves.value; 3],
            "{}",
            g.year
        );
        let before_plan = sim.gap.as_ref().unwrap();
        assert_eq!(before_plan.p50, g.gap_after_table_reserves.value);
    }
}

#[test]
fn the_plan_draws_only_what_the_tables_own_reserves_leave() {
    // A use of reserves of 3.000 in 2016/17 in the table (here a scenario's row) and the plan
    // together: the plan draws 8.027 − 3.000 = 5.027, never the 3.000 again, and the gap after
    // reserves is 8.027 − 3.000 − 5.027 = 0.
    let scenario = Scenario {
        reserves: Some(vec![Some(d("3"))]),
        ..Scenario::baseline()
    };
    let m = apply_gap_scenario(&two_reserves(), &scenario);
    let gap = compute_gap(&m, None);
    let y = &gap.years[0];
    assert_eq!(y.reserves.value, d("3"));
    assert_eq!(y.gap_after_table_reserves.value, d("5.027"));
    assert_eq!(y.plan_draws[0].drawn.value, d("5.027"));
    assert_eq!(y.gap_after_reserves.value, d("0"));
    assert_eq!(
        y.gap_after_reserves.value,
        y.gap_before_reserves.value - y.reserves.value - y.plan_drawn.value
    );
    // The bridge: the table's row, then the general fund (the transformation reserve, drawn
    // second, gives nothing), to zero.
    let steps = bridge(&m, &gap, 0);
    let tail: Vec<(String, Decimal)> = steps[steps.len() - 4..]
        .iter()
        .map(|s| (s.label.clone(), s.change()))
        .collect();
    assert_eq!(
        tail,
        [
            (
                gapwise::engine::SCENARIO_RESERVES_LABEL.to_string(),
                d("-3")
            ),
            ("General fund".to_string(), d("-5.027")),
            ("Transformation".to_string(), d("0")),
            ("Gap after reserves".to_string(), d("0")),
        ]
    );
}

#[test]
fn with_no_plan_the_gap_after_reserves_is_the_tables() {
    let m = gap_model(&schedule(BUDGET_FORECAST));
    let gap = compute_gap(&m, None);
    assert_eq!(gap.reserves, None);
    assert_eq!(after_reserves(&gap), ds(&GAPS));
    for y in &gap.years {
        assert!(y.plan_draws.is_empty());
        assert!(y.plan_drawn.value.is_zero());
        assert_eq!(y.gap_after_reserves, y.gap_after_table_reserves);
    }
    assert!(bridge(&m, &gap, 2).iter().all(|s| s.reserve.is_none()));
    assert!(gap_export_rows(&m, &gap)
        .iter()
        .all(|r| r.key != "plan_draw"));
    assert_eq!(export_row(&m, &gap, "gap_after_reserves"), ds(&GAPS));
    // A plan that draws nothing for the gap leaves it as it was, checks included.
    let mut idle = m.clone();
    idle.reserves_plan = Some(ReservesPlan {
        reserves: vec![Reserve::new(1, "Insurance", ReserveKind::Earmarked, d("5"))],
        ..ReservesPlan::default()
    });
    let idle_gap = compute_gap(&idle, None);
    assert_eq!(after_reserves(&idle_gap), ds(&GAPS));
    assert_eq!(idle_gap.checks, gap.checks);
}
