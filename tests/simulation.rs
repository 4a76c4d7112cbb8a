//! The delivery risk simulation: with every rate fixed it gives exactly the deterministic
//! figures (`apply_scenario`, `compute_gap`, `compute_reserves`) on every fixture and on
//! generated schedules and scenarios; the same seed gives the same figures and another seed
//! others; percentiles of known distributions come out where they should; a run in chunks
//! equals a run at once; the seed travels in links.

mod common;

use std::cell::Cell;

use common::generate;
use common::{
    d, fig, from_csv, load_clean, schedule, BUDGET_FORECAST, CYPS_SAVINGS, FIXTURES, FUNDING_GAP,
};
use gapwise::engine::{
    apply_gap_scenario, apply_scenario, compute_gap, compute_reserves, decode_link, encode_link,
    gap_model, Delivery, ErrorKind, GapModel, GapRole, GapRow, LineAssumption, LinkState, Minimum,
    Profile, Rag, RagDeliveries, RagRates, Reserve, ReserveKind, ReservesPlan, RiskSettings,
    SavingsFeed, Scenario, Schedule, Simulation, SimulationInputs, SimulationResult, Spread,
    Stated, DEFAULT_CORRELATION, DEFAULT_RUNS, DEFAULT_SEED,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

/// A gap model fed by a savings schedule in `view`, with a general fund (5 % minimum, drawn
/// first) and an earmarked reserve (drawn second, with a planned drawdown).
fn fed((name, bytes): (&str, &[u8]), view: Profile, reserves: bool) -> GapModel {
    let mut m = gap_model(&schedule((name, bytes)));
    m.feed = Some(SavingsFeed { profile: view });
    if reserves {
        m.reserves_plan = Some(plan(m.years.len()));
    }
    m
}

fn plan(years: usize) -> ReservesPlan {
    let mut general = Reserve::new(1, "General fund", ReserveKind::General, d("12.5"));
    general.gap_order = Some(1);
    general.minimum = Some(Minimum::ShareOfNetBudget(d("0.05")));
    let mut earmarked = Reserve::new(2, "Transformation", ReserveKind::Earmarked, d("6"));
    earmarked.gap_order = Some(2);
    earmarked.contributions = vec![d("0.25"); years.min(2)];
    earmarked.drawdowns = vec![Decimal::ZERO, d("1.5")][..years.min(2)].to_vec();
    ReservesPlan {
        reserves: vec![general, earmarked],
        minimum: None,
        ..ReservesPlan::default()
    }
}

/// A model with no rows of its own, fed a schedule's full-year effects in its own years and
/// unit: the savings the simulation reports when there is no gap model.
fn own_years(s: &Schedule) -> GapModel {
    GapModel {
        title: String::new(),
        unit: s.unit,
        years: s.years.clone(),
        rows: Vec::new(),
        results: Vec::new(),
        feed: Some(SavingsFeed {
            profile: Profile::Cumulative,
        }),
        reserves_plan: None,
    }
}

/// The inputs as a full link carries them: written, read back.
fn through_a_link(inputs: &SimulationInputs) -> SimulationInputs {
    let link = encode_link(&LinkState::Full {
        schedule: inputs.schedule.clone(),
        scenario: Some(inputs.scenario.clone()),
        gap: inputs.gap.clone(),
        prices: None,
    });
    let LinkState::Full {
        schedule,
        scenario: Some(scenario),
        gap,
        ..
    } = decode_link(&link).unwrap()
    else {
        panic!("a full link with a scenario")
    };
    SimulationInputs {
        schedule,
        gap,
        scenario,
    }
}

fn with_risk(scenario: &Scenario, risk: RiskSettings) -> Scenario {
    Scenario {
        risk: Some(risk),
        ..scenario.clone()
    }
}

fn run(schedule: &Schedule, gap: Option<&GapModel>, scenario: &Scenario) -> SimulationResult {
    Simulation::new(&SimulationInputs {
        schedule: schedule.clone(),
        gap: gap.cloned(),
        scenario: scenario.clone(),
    })
    .unwrap_or_else(|e| panic!("{e}"))
    .finish()
}

/// Every run gave `value`.
fn assert_all(s: &Spread, value: Decimal, what: &str) {
    assert_eq!(
        [s.min, s.p10, s.p50, s.p90, s.max],
        [value; 5],
        "{what}: {s:?}"
    );
}

/// A simulation whose every rate is fixed at the scenario's gives the deterministic figures:
/// the scenario applied, fed into the gap, reserves drawn.
fn assert_deterministic(s: &Schedule, gap: Option<&GapModel>, scenario: &Scenario, what: &str) {
    let mut risk = scenario.risk.clone().unwrap_or_default();
    risk.rag = RagDeliveries::fixed(&scenario.rates);
    risk.runs = 7;
    let r = run(s, gap, &with_risk(scenario, risk));
    let applied = apply_scenario(s, scenario).schedule;
    let (model, has_gap) = match gap {
        Some(m) => (apply_gap_scenario(m, scenario), true),
        None => (own_years(s), false),
    };
    let fed_model = GapModel {
        feed: Some(SavingsFeed {
            profile: model
                .feed
                .as_ref()
                .map_or(Profile::Cumulative, |f| f.profile),
        }),
        ..model.clone()
    };
    let g = compute_gap(&fed_model, Some(&applied));
    assert_eq!(r.years.len(), g.years.len(), "{what}");
    assert_eq!(r.unit, model.unit);
    for (y, (sim, det)) in r.years.iter().zip(&g.years).enumerate() {
        let what = format!("{what}, year {y}");
        assert_eq!(sim.year, det.year);
        assert_all(&sim.savings, det.fed_savings.as_ref().unwrap().value, &what);
        assert_eq!(
            sim.savings_incomplete,
            det.fed_savings.as_ref().unwrap().missing > 0,
            "{what}"
        );
        if !has_gap {
            assert_eq!(sim.gap, None);
            continue;
        }
        // The simulation's gap before its reserves plan: after the table's own reserves.
        let gap = if model.feed.is_some() {
            det.gap_after_table_reserves.value
        } else {
            compute_gap(&model, None).years[y]
                .gap_after_table_reserves
                .value
        };
        assert_all(sim.gap.as_ref().unwrap(), gap, &what);
        let closed_before = if gap <= Decimal::ZERO { r.runs } else { 0 };
        assert_eq!(sim.closed_before_reserves_runs, Some(closed_before));
    }
    let reserves = if model.feed.is_some() {
        compute_reserves(&model, &g)
    } else {
        compute_reserves(&model, &compute_gap(&model, None))
    };
    match reserves {
        Some(res) if has_gap => {
            let gap_after = if model.feed.is_some() {
                g.clone()
            } else {
                compute_gap(&model, None)
            };
            for ((sim, det), after) in r.years.iter().zip(&res.years).zip(&gap_after.years) {
                assert_all(sim.gap_left.as_ref().unwrap(), det.gap_left, what);
                // ... which is the gap after reserves of every other view.
                assert_eq!(det.gap_left, after.gap_after_reserves.value, "{what}");
                assert_all(sim.reserves_closing.as_ref().unwrap(), det.closing, what);
                let closed = if det.gap_left <= Decimal::ZERO {
                    r.runs
                } else {
                    0
                };
                assert_eq!(sim.closed_runs, Some(closed), "{what}");
                let below = if det.below_minimum { r.runs } else { 0 };
                assert_eq!(sim.below_minimum_runs, det.minimum.map(|_| below), "{what}");
            }
        }
        _ => {
            for sim in &r.years {
                assert_eq!(sim.gap_left, None, "{what}");
                assert_eq!(sim.closed_runs, sim.closed_before_reserves_runs, "{what}");
            }
        }
    }
}

/// The demo with rows 4 (NQSW), 31 (Family Group Conferencing) and 34 (Edge of Care) rated
/// red, amber and green, and every other line amber.
fn rated_demo() -> Schedule {
    let mut s = schedule(CYPS_SAVINGS);
    for line in &mut s.lines {
        line.rag = Some(Rag::Amber);
    }
    for (row, rag) in [(4, Rag::Red), (31, Rag::Amber), (34, Rag::Green)] {
        let i = s.lines.iter().position(|l| l.row == row).unwrap();
        s.lines[i].rag = Some(rag);
    }
    s
}

/// Some of every assumption: a rate, a slip, a scale, an exclusion, pressure growth and a use
/// of reserves.
fn assumptions() -> Scenario {
    let mut s = Scenario::new("Red slips");
    let a = |f: fn(&mut LineAssumption)| {
        let mut x = LineAssumption::default();
        f(&mut x);
        x
    };
    s.lines.insert(4, a(|x| x.slip = 1));
    s.lines.insert(31, a(|x| x.rate = Some(d("0.333333"))));
    s.lines.insert(34, a(|x| x.scale = Some(d("1.1"))));
    s.lines.insert(6, a(|x| x.exclude = true));
    s.pressure_growth = Some(d("0.02"));
    s.reserves = Some(vec![None, Some(d("0.5"))]);
    s
}

#[test]
fn fixed_at_100_percent_it_is_the_deterministic_figures_on_every_fixture() {
    let models: Vec<(&str, Option<GapModel>)> = vec![
        ("no gap", None),
        (
            "forecast",
            Some(fed(BUDGET_FORECAST, Profile::Cumulative, false)),
        ),
        (
            "forecast + reserves",
            Some(fed(BUDGET_FORECAST, Profile::Cumulative, true)),
        ),
        (
            "forecast, incremental",
            Some(fed(BUDGET_FORECAST, Profile::Incremental, true)),
        ),
        (
            "funding gap + reserves",
            Some(fed(FUNDING_GAP, Profile::Cumulative, true)),
        ),
        ("forecast, no feed", {
            let mut m = gap_model(&schedule(BUDGET_FORECAST));
            m.reserves_plan = Some(plan(5));
            Some(m)
        }),
    ];
    let mut schedules: Vec<(String, Schedule)> = FIXTURES
        .iter()
        .map(|(name, bytes)| (name.to_string(), load_clean(bytes, name).schedule))
        .collect();
    schedules.push(("rated demo".into(), rated_demo()));
    for (name, s) in &schedules {
        for (model_name, m) in &models {
            let baseline = Scenario::baseline();
            assert_deterministic(s, m.as_ref(), &baseline, &format!("{name}, {model_name}"));
            // The scenario's own rates (red 0, amber 50 %, green 100 %) and assumptions.
            assert_deterministic(
                s,
                m.as_ref(),
                &assumptions(),
                &format!("{name}, {model_name}, assumptions"),
            );
        }
    }
}

#[test]
fn fixed_rates_give_the_deterministic_figures_on_generated_schedules() {
    let checked = Cell::new(0);
    let case = Cell::new(0);
    let units = vec![
        gapwise::engine::Unit::Pounds,
        gapwise::engine::Unit::Thousands,
        gapwise::engine::Unit::Millions,
    ];
    let cases = generate::schedule_and_scenario().prop_flat_map(move |(s, scenario)| {
        let n = s.years.len();
        (
            Just(s),
            Just(scenario),
            any::<u64>(),
            select(units.clone()),
            vec(generate::amount(2), n),
        )
    });
    generate::check(60, cases, |(mut s, mut scenario, seed, unit, pressures)| {
        let case = case.replace(case.get() + 1);
        // The generator's 999,999,999,999,999,999 beside figures of 10 decimal places (and a
        // unit conversion adding 6) would need 34 digits: refused, rightly, but then nothing is
        // checked. Such figures become 1,234.56 here; the refusal is checked below.
        for line in &mut s.lines {
            for a in &mut line.amounts {
                if matches!(a, gapwise::engine::Amount::Figure(v) if v.abs() > d("1000000000000")) {
                    *a = gapwise::engine::Amount::Figure(d("1234.56"));
                }
            }
        }
        // Generated rating rates go up to 1,000 with 3 places; a distribution is a rate from 0
        // to 1 with at most 4: every rating at 100 % (line rates, any size, stay as given).
        scenario.rates = RagRates::full();
        scenario.risk = Some(RiskSettings {
            seed,
            ..RiskSettings::default()
        });
        let n = s.years.len();
        let model = GapModel {
            unit,
            rows: vec![GapRow {
                label: "Pressures".into(),
                row: 1,
                role: GapRole::Pressure,
                stated: Stated::PerYear,
                amounts: pressures,
            }],
            reserves_plan: Some(plan(n)),
            ..own_years(&s)
        };
        let inputs = SimulationInputs {
            schedule: s.clone(),
            gap: Some(model.clone()),
            scenario: scenario.clone(),
        };
        // A generated figure may be beyond what can be simulated exactly: refused, not wrong.
        if let Err(e) = Simulation::new(&inputs) {
            assert!(matches!(e.kind(), ErrorKind::Simulation { .. }), "{e}");
            return;
        }
        assert_deterministic(&s, Some(&model), &scenario, &format!("case {case}"));
        assert_deterministic(&s, None, &scenario, &format!("case {case}, no gap"));
        checked.set(checked.get() + 1);
    });
    let checked = checked.get();
    assert!(checked >= 40, "{checked}");

    // A figure of 10^18 beside one of 10 decimal places is beyond exact integers: refused.
    let s = from_csv("Project,2020/21\nA,999999999999999999\nB,0.0000000001\n");
    let mut scenario = Scenario::new("x");
    let mut risk = RiskSettings::default();
    risk.rag.unrated = Delivery::triangular(d("0"), d("0.5"), d("1"));
    scenario.risk = Some(risk);
    let e = Simulation::new(&SimulationInputs {
        schedule: s,
        gap: None,
        scenario,
    })
    .err()
    .unwrap();
    assert_eq!(
        e.to_string(),
        "the delivery risk simulation cannot be run: the figures are too large for their \
         decimal places to be worked out exactly"
    );
}

fn risky_inputs(seed: u64, runs: u32) -> SimulationInputs {
    let mut scenario = Scenario::new("Risk");
    scenario.risk = Some(RiskSettings {
        seed,
        runs,
        ..RiskSettings::default()
    });
    SimulationInputs {
        schedule: rated_demo(),
        gap: Some(fed(BUDGET_FORECAST, Profile::Cumulative, true)),
        scenario,
    }
}

#[test]
fn the_same_seed_gives_the_same_figures_and_another_seed_others() {
    let a = Simulation::new(&risky_inputs(42, 2_000)).unwrap().finish();
    let b = Simulation::new(&risky_inputs(42, 2_000)).unwrap().finish();
    assert_eq!(a, b);
    let c = Simulation::new(&risky_inputs(43, 2_000)).unwrap().finish();
    assert_ne!(a, c);
    assert_ne!(a.years[1].savings, c.years[1].savings);
    assert_eq!((a.seed, c.seed), (42, 43));
    // The demo's 2016/17 feeds nothing (the schedule starts in 2017/18).
    assert_all(&a.years[0].savings, Decimal::ZERO, "2016/17");
    // Spread, and ordered.
    for y in &a.years[1..] {
        let s = &y.savings;
        assert!(s.min < s.max, "{s:?}");
        assert!(s.min <= s.p10 && s.p10 <= s.p50 && s.p50 <= s.p90 && s.p90 <= s.max);
        let g = y.gap.as_ref().unwrap();
        let left = y.gap_left.as_ref().unwrap();
        assert!(left.p50 <= g.p50);
        assert!(y.closed_runs >= y.closed_before_reserves_runs);
    }
    // Amber lines at 25–100 %: the savings delivered are below the full 4.886 in 2017/18.
    assert!(a.years[1].savings.max < d("4.886"));
    assert!(a.years[1].savings.min > d("4.886") * d("0.25") - d("0.5"));
}

#[test]
fn percentiles_of_known_distributions() {
    // One saving of 1.000 (£m) against a gap of 0.5: its delivery is the run's savings.
    let s = from_csv("Project,2020/21\n,£m\nA,1.000\n");
    let mut model = own_years(&s);
    model.rows = vec![GapRow {
        label: "Pressures".into(),
        row: 1,
        role: GapRole::Pressure,
        stated: Stated::PerYear,
        amounts: vec![gapwise::engine::Amount::Figure(d("0.5"))],
    }];
    let check = |delivery: Delivery, expected: [&str; 3], p_closed: &str| {
        let mut scenario = Scenario::new("x");
        let mut risk = RiskSettings::default();
        risk.rag.unrated = delivery;
        scenario.risk = Some(risk);
        let r = run(&s, Some(&model), &scenario);
        assert_eq!(r.runs, DEFAULT_RUNS);
        let sp = &r.years[0].savings;
        let tolerance = d("0.02");
        for (got, want) in [sp.p10, sp.p50, sp.p90].iter().zip(expected) {
            assert!((*got - d(want)).abs() <= tolerance, "{delivery:?}: {sp:?}");
        }
        let p = r.years[0].p_closed.unwrap();
        assert!((p - d(p_closed)).abs() <= tolerance, "{delivery:?}: {p}");
        assert_eq!(
            p,
            gapwise::engine::probability(r.years[0].closed_runs.unwrap(), r.runs)
        );
    };
    // Uniform 0–100 %: P10 0.1, P50 0.5, P90 0.9; closed when the rate is 50 % or more: 0.5.
    check(
        Delivery::Uniform {
            min: d("0"),
            max: d("1"),
        },
        ["0.1", "0.5", "0.9"],
        "0.5",
    );
    // Triangular(25 %, 75 %, 100 %): F(x) = (x − 0.25)² / 0.375 up to the mode, 1 − (1 − x)² /
    // 0.1875 after. P10: 0.25 + √0.0375 = 0.4436; P50: 0.25 + √0.1875 = 0.6830; P90: 1 −
    // √0.01875 = 0.8631; P(x ≥ 0.5) = 1 − 0.0625 / 0.375 = 0.8333.
    check(
        Delivery::triangular(d("0.25"), d("0.75"), d("1")),
        ["0.4436", "0.6830", "0.8631"],
        "0.8333",
    );
    // Red's default, triangular(0, 10 %, 60 %): P50 = 0.6 − √(0.5 × 0.6 × 0.5) = 0.2127;
    // P(x ≥ 0.5) = (0.1)² / 0.3 = 0.0333.
    let red = RagDeliveries::default().red;
    let mut scenario = Scenario::new("x");
    let mut risk = RiskSettings::default();
    risk.rag.unrated = red;
    scenario.risk = Some(risk);
    let r = run(&s, Some(&model), &scenario);
    assert!((r.years[0].savings.p50 - d("0.2127")).abs() <= d("0.02"));
    assert!((r.years[0].p_closed.unwrap() - d("0.0333")).abs() <= d("0.02"));
    // Every figure is the saving × a rate of 4 decimal places, exactly.
    let sp = &r.years[0].savings;
    for v in [sp.min, sp.p10, sp.p50, sp.p90, sp.max] {
        assert!(v.scale() <= 4, "{v}");
    }
}

#[test]
fn a_run_in_chunks_is_a_run_at_once() {
    let inputs = risky_inputs(7, 1_000);
    let whole = Simulation::new(&inputs).unwrap().finish();
    for chunks in [
        vec![1, 1, 1],
        vec![7, 333, 10],
        vec![999],
        vec![1_000],
        vec![250; 4],
    ] {
        let mut sim = Simulation::new(&inputs).unwrap();
        let mut done = 0;
        for c in &chunks {
            let p = sim.run_chunk(*c);
            done = (done + c).min(1_000);
            assert_eq!((p.done, p.total), (done, 1_000));
        }
        assert_eq!(sim.progress().is_done(), done == 1_000);
        assert_eq!(sim.finish(), whole, "{chunks:?}");
    }
    // Asking for more than is left runs only what is left.
    let mut sim = Simulation::new(&inputs).unwrap();
    assert_eq!(sim.run_chunk(5_000).done, 1_000);
    assert_eq!(sim.run_chunk(5).done, 1_000);
    assert_eq!(sim.finish(), whole);
}

#[test]
fn figures_too_big_for_64_bits_are_summed_in_128_exactly() {
    // 123,456,789,012.3456 × 10^4 (the rate's places) is over 9.2 × 10^18 on its own.
    let s = from_csv("Project,2020/21\nA,123456789012.3456\n");
    let mut scenario = Scenario::new("x");
    let mut risk = RiskSettings {
        runs: 300,
        ..RiskSettings::default()
    };
    risk.rag.unrated = Delivery::triangular(d("0.9990"), d("1"), d("1"));
    scenario.risk = Some(risk);
    let r = run(&s, None, &scenario);
    let sp = &r.years[0].savings;
    let amount = d("123456789012.3456");
    for v in [sp.min, sp.p10, sp.p50, sp.p90, sp.max] {
        let rate = v / amount;
        assert_eq!(rate.round_dp(4) * amount, v, "{v}");
        assert!(rate >= d("0.999") && rate <= d("1"), "{rate}");
    }
    assert!(sp.min < sp.max);
}

#[test]
fn the_seed_travels_in_the_link_so_a_link_gives_the_same_figures() {
    let inputs = risky_inputs(123_456_789_012_345, 500);
    let opened = through_a_link(&inputs);
    assert_eq!(
        opened.scenario.risk.as_ref().unwrap().seed,
        123_456_789_012_345
    );
    assert_eq!(
        Simulation::new(&opened).unwrap().finish(),
        Simulation::new(&inputs).unwrap().finish()
    );

    // A scenario saved before the simulation existed has no settings: the defaults, the same
    // every time.
    let old: Scenario = serde_json::from_str(
        r#"{"name":"Old","rates":{"red":"0","amber":"0.5","green":"1","unrated":"1"}}"#,
    )
    .unwrap();
    assert_eq!(old.risk, None);
    let inputs = SimulationInputs {
        scenario: old,
        ..risky_inputs(0, 1)
    };
    let r = Simulation::new(&inputs).unwrap().finish();
    assert_eq!((r.seed, r.runs), (DEFAULT_SEED, DEFAULT_RUNS));
    assert_eq!(r, Simulation::new(&inputs).unwrap().finish());
}

#[test]
fn settings_out_of_bounds_are_refused_by_the_simulation_and_the_link() {
    let mut inputs = risky_inputs(1, 0);
    let e = Simulation::new(&inputs).err().unwrap();
    assert_eq!(
        e.to_string(),
        "the delivery risk simulation cannot be run: 0 runs; from 1 to 1000000"
    );
    inputs.scenario.risk.as_mut().unwrap().runs = 10;
    inputs.scenario.risk.as_mut().unwrap().rag.red =
        Delivery::triangular(d("0.5"), d("0.2"), d("1"));
    let e = Simulation::new(&inputs).err().unwrap();
    assert!(
        e.to_string()
            .contains("the red distribution: its most likely rate 0.2 is below its lowest 0.5"),
        "{e}"
    );
    let link = encode_link(&LinkState::Short {
        address: "a.csv".into(),
        checksum: "0".repeat(64),
        scenario: Some(inputs.scenario.clone()),
        prices: None,
    });
    let e = decode_link(&link).unwrap_err();
    assert!(
        e.to_string()
            .contains("its scenario's delivery risk: the red distribution"),
        "{e}"
    );
}

#[test]
fn results_cross_a_worker_boundary_as_json() {
    let r = Simulation::new(&risky_inputs(3, 100)).unwrap().finish();
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<SimulationResult>(&text).unwrap(), r);
    let inputs = risky_inputs(3, 100);
    let text = serde_json::to_string(&inputs).unwrap();
    let back: SimulationInputs = serde_json::from_str(&text).unwrap();
    assert_eq!(back, inputs);
    assert_eq!(Simulation::new(&back).unwrap().finish(), r);
}

/// A generated schedule of 500 lines over the demo's four years (£'000, about 10,000 a year),
/// every fifth line red, two in five amber and two in five green, the figures spread by a fixed
/// rule (no random numbers, so the schedule is the same on every machine).
fn generated_500() -> Schedule {
    let mut csv =
        String::from("Project,RAG,2017/18,2018/19,2019/20,2020/21\n,,£'000,£'000,£'000,£'000\n");
    for i in 0..500u64 {
        let rag = ["Green", "Green", "Amber", "Amber", "Red"][(i % 5) as usize];
        let amounts: Vec<String> = (0..4u64)
            .map(|y| {
                let tenths = (i * 7_919 + y * 104_729 + i * y * 31) % 400;
                format!("{}.{}", tenths / 10, tenths % 10)
            })
            .collect();
        csv.push_str(&format!("Saving {i},{rag},{}\n", amounts.join(",")));
    }
    from_csv(&csv)
}

/// The inputs of the recorded independent run: the 500 generated lines feeding the demo's
/// budget forecast with its reserves plan, 2,000 runs, seed 2017, the default distributions.
fn generated_inputs(risk: RiskSettings) -> SimulationInputs {
    let mut scenario = Scenario::new("Generated");
    scenario.risk = Some(risk);
    SimulationInputs {
        schedule: generated_500(),
        gap: Some(fed(BUDGET_FORECAST, Profile::Cumulative, true)),
        scenario,
    }
}

/// The results of [`generated_inputs`] with settings written before the correlation between
/// lines existed (no `correlation` field), recorded with the simulation as it was at commit
/// 41858ae, when every line was drawn independently.
const RECORDED_INDEPENDENT: &str = include_str!("fixtures/simulation/independent-41858ae.json");

#[test]
fn settings_from_before_the_correlation_give_the_figures_recorded_before_it() {
    let old: RiskSettings = serde_json::from_str(r#"{"seed": 2017, "runs": 2000}"#).unwrap();
    let recorded: SimulationResult = serde_json::from_str(RECORDED_INDEPENDENT).unwrap();
    assert_eq!(run_inputs(&generated_inputs(old)), recorded);
}

fn run_inputs(inputs: &SimulationInputs) -> SimulationResult {
    Simulation::new(inputs).unwrap().finish()
}

fn correlated(correlation: &str) -> RiskSettings {
    RiskSettings {
        runs: 2_000,
        correlation: d(correlation),
        ..RiskSettings::default()
    }
}

#[test]
fn correlation_0_draws_every_line_independently_as_before() {
    // Stated as 0, or left out as settings written before it were: the recorded figures, and
    // the results say which correlation was used.
    let recorded: SimulationResult = serde_json::from_str(RECORDED_INDEPENDENT).unwrap();
    let zero = run_inputs(&generated_inputs(correlated("0")));
    assert_eq!(zero, recorded);
    assert_eq!(zero.correlation, Decimal::ZERO);
    let written = serde_json::to_string(&correlated("0.00")).unwrap();
    let back: RiskSettings = serde_json::from_str(&written).unwrap();
    assert_eq!(run_inputs(&generated_inputs(back)), recorded);
    // Anything above 0 moves the figures.
    let small = run_inputs(&generated_inputs(correlated("0.0001")));
    assert_ne!(small.years, recorded.years);
    assert_eq!(small.correlation, d("0.0001"));
}

#[test]
fn correlation_1_gives_every_line_the_same_share_in_a_run() {
    // Every line amber: with correlation 1 each run delivers the same share of every line, so
    // the 500 lines deliver, run by run, exactly what one line holding their sum delivers.
    let mut lines = generated_500();
    for line in &mut lines.lines {
        line.rag = Some(Rag::Amber);
    }
    let sums: Vec<String> = (0..lines.years.len())
        .map(|y| {
            let sum: Decimal = lines.lines.iter().map(|l| fig(&l.amounts[y])).sum();
            sum.to_string()
        })
        .collect();
    let one = from_csv(&format!(
        "Project,RAG,2017/18,2018/19,2019/20,2020/21\n,,£'000,£'000,£'000,£'000\nAll,Amber,{}\n",
        sums.join(",")
    ));
    let gap = fed(BUDGET_FORECAST, Profile::Cumulative, true);
    let mut scenario = Scenario::new("All together");
    scenario.risk = Some(correlated("1"));
    let many = run(&lines, Some(&gap), &scenario);
    let single = run(&one, Some(&gap), &scenario);
    assert_eq!((many.drawn, single.drawn), (500, 1));
    assert_eq!(many.years, single.years);
    assert_eq!(many.correlation, Decimal::ONE);
    // And they do spread: the shared share is drawn afresh each run.
    assert!(many.years[2].savings.p10 < many.years[2].savings.p90);
    // With independent draws the many lines spread far less than the one.
    scenario.risk = Some(correlated("0"));
    let (many, single) = (
        run(&lines, Some(&gap), &scenario),
        run(&one, Some(&gap), &scenario),
    );
    let width = |s: &Spread| s.p90 - s.p10;
    assert!(width(&many.years[2].savings) * d("5") < width(&single.years[2].savings));
}

#[test]
fn the_band_of_the_gap_widens_with_the_correlation() {
    let bands: Vec<Vec<Decimal>> = ["0", "0.25", "0.5", "0.75", "1"]
        .iter()
        .map(|rho| {
            let r = run_inputs(&generated_inputs(correlated(rho)));
            r.years[2..]
                .iter()
                .map(|y| {
                    let g = y.gap.as_ref().unwrap();
                    g.p90 - g.p10
                })
                .collect()
        })
        .collect();
    for pair in bands.windows(2) {
        for (year, (narrower, wider)) in pair[0].iter().zip(&pair[1]).enumerate() {
            assert!(narrower < wider, "year {year}: {bands:?}");
        }
    }
    // Independent, the band of 2019/20 is a few hundred thousand pounds; wholly correlated it
    // is millions.
    assert!(bands[4][1] > bands[0][1] * d("5"), "{bands:?}");
}

#[test]
fn the_correlation_is_checked_defaults_to_a_half_and_travels_in_the_link() {
    // New settings: 0.5; settings written before the correlation existed: 0.
    assert_eq!(RiskSettings::default().correlation, d("0.5"));
    assert_eq!(RiskSettings::default().correlation, DEFAULT_CORRELATION);
    let old: RiskSettings = serde_json::from_str(r#"{"seed": 5, "runs": 100}"#).unwrap();
    assert_eq!(old.correlation, Decimal::ZERO);
    let old: Scenario = serde_json::from_str(
        r#"{"name":"Old","rates":{"red":"0","amber":"0.5","green":"1","unrated":"1"},
            "risk":{"seed":9,"runs":50}}"#,
    )
    .unwrap();
    assert_eq!(old.risk.as_ref().unwrap().correlation, Decimal::ZERO);
    // Written as a decimal string, read back exactly.
    let text = serde_json::to_string(&correlated("0.35")).unwrap();
    assert!(text.contains(r#""correlation":"0.35""#), "{text}");
    // Checked: 0 to 1, at most 4 decimal places.
    for (value, message) in [
        (
            "-0.1",
            "the correlation between lines -0.1 is outside 0 to 1",
        ),
        (
            "1.0001",
            "the correlation between lines 1.0001 is outside 0 to 1",
        ),
        (
            "0.33333",
            "the correlation between lines 0.33333 has more than 4 decimal places",
        ),
    ] {
        assert_eq!(
            correlated(value).validate().unwrap_err().to_string(),
            message
        );
    }
    for ok in ["0", "1", "1.0000", "0.1234", "0.5"] {
        assert_eq!(correlated(ok).validate(), Ok(()), "{ok}");
    }
    // A link carries it, and gives the same figures.
    let inputs = SimulationInputs {
        schedule: rated_demo(),
        ..generated_inputs(RiskSettings {
            runs: 300,
            seed: 77,
            correlation: d("0.35"),
            ..RiskSettings::default()
        })
    };
    let through = through_a_link(&inputs);
    assert_eq!(through.scenario, inputs.scenario);
    let opened = run_inputs(&through);
    assert_eq!(opened, run_inputs(&inputs));
    assert_eq!(opened.correlation, d("0.35"));
    // A link with a correlation out of bounds is refused with the reason.
    let mut bad = inputs.scenario.clone();
    bad.risk.as_mut().unwrap().correlation = d("2");
    let link = encode_link(&LinkState::Short {
        address: "a.csv".into(),
        checksum: "0".repeat(64),
        scenario: Some(bad),
        prices: None,
    });
    let e = decode_link(&link).unwrap_err().to_string();
    assert!(
        e.contains("the correlation between lines 2 is outside 0 to 1"),
        "{e}"
    );
}

#[test]
fn the_demos_illustrative_ratings_are_a_mix_change_no_total_and_spread_the_gap() {
    let mut demo = schedule(CYPS_SAVINGS);
    let before = gapwise::engine::calculate(&demo);
    let ratings = gapwise::engine::illustrative_ratings(&demo);
    assert_eq!(ratings.len(), demo.lines.len());
    let count = |r: Option<Rag>| ratings.iter().filter(|x| **x == r).count();
    let (red, amber, green, none) = (
        count(Some(Rag::Red)),
        count(Some(Rag::Amber)),
        count(Some(Rag::Green)),
        count(None),
    );
    eprintln!("red {red}, amber {amber}, green {green}, unrated {none}");
    assert!(red >= 2 && amber >= 8 && green >= 15, "{ratings:?}");
    let rated = |row: usize| ratings[demo.lines.iter().position(|l| l.row == row).unwrap()];
    // The biggest and latest (Right Child, Right Care: 9,500.0, most of it in 2019/20) is red;
    // a small saving in the first year (Review of Business Support, 750.0 in 2017/18) green;
    // Family Group Conferencing (1,914.0, half of it by 2019/20) amber.
    assert_eq!(rated(50), Some(Rag::Red));
    assert_eq!(rated(19), Some(Rag::Green));
    assert_eq!(rated(31), Some(Rag::Amber));
    // A reversal takes its original's rating (Business Support Review, rows 20 and 21); lines
    // with nothing in them stay unrated.
    assert_eq!(rated(21), rated(20));
    assert_eq!(rated(12), None);
    for (line, rag) in demo.lines.iter_mut().zip(&ratings) {
        line.rag = *rag;
    }
    assert_eq!(
        gapwise::engine::calculate(&demo),
        before,
        "ratings change no total"
    );
    // Its delivery risk at the default settings: the gap spreads.
    let mut scenario = Scenario::new("Demo");
    scenario.risk = Some(RiskSettings {
        runs: 1_000,
        ..RiskSettings::default()
    });
    let gap = fed(BUDGET_FORECAST, Profile::Cumulative, true);
    let r = run(&demo, Some(&gap), &scenario);
    let g = r.years[3].gap.as_ref().unwrap();
    assert!(g.p10 < g.p90, "{g:?}");
}
