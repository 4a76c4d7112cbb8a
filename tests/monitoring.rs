//! Monitoring tables: target against forecast per line and per quarter, variance = forecast −
//! target exactly, favourable or adverse by whether it helps the budget, with totals (docs/domain.md
//! "Monitoring", "Sign conventions").

mod common;

use common::{d, load};
use gapwise::engine::{
    import, monitoring, Amount, ErrorKind, ImportOptions, Monitoring, NoFigure, SignConvention,
    Verdict, MONITORING_COSTS, MONITORING_NET, MONITORING_SAVINGS, MONITORING_TOTAL,
};

fn monitor(text: &str) -> (gapwise::engine::Schedule, Monitoring) {
    let i = load(text.as_bytes(), "monitoring.csv");
    let m = monitoring(&i.schedule).expect("a monitoring table");
    (i.schedule, m)
}

#[test]
fn savings_above_target_are_favourable() {
    let (s, m) = monitor(
        "Savings monitoring 2024/25\nRef,Saving,RAG,Target,Forecast\n,,,£'000,£'000\n\
         S1,Agency staffing,Green,125.0,130.5\nS2,Digital front door,Amber,250.0,200.0\n\
         S3,Fleet,Green,48.0,48.0\n",
    );
    assert_eq!(s.title, "Savings monitoring 2024/25");
    assert_eq!(s.sign, SignConvention::SavingsPositive);
    assert_eq!(s.unit.label(), "£'000");
    assert!(s.years.is_empty());
    assert_eq!(m.periods.len(), 1);
    assert_eq!(m.periods[0].label, "Year");
    let v: Vec<_> = m
        .lines
        .iter()
        .map(|l| (l.cells[0].variance, l.cells[0].verdict))
        .collect();
    assert_eq!(
        v,
        [
            (Some(d("5.5")), Some(Verdict::Favourable)),
            (Some(d("-50.0")), Some(Verdict::Adverse)),
            (Some(d("0.0")), Some(Verdict::OnTarget)),
        ]
    );
    assert_eq!(m.lines[0].label, "Agency staffing");
    assert_eq!(m.totals.len(), 1);
    let t = &m.totals[0];
    assert_eq!(t.label, MONITORING_TOTAL);
    assert_eq!(t.cells[0].target.value, d("423.0"));
    assert_eq!(t.cells[0].forecast.value, d("378.5"));
    assert_eq!(t.cells[0].variance, Some(d("-44.5")));
    assert_eq!(t.cells[0].verdict, Some(Verdict::Adverse));
}

#[test]
fn costs_above_target_are_adverse() {
    // A costs-positive table (an appraisal): costs positive, savings negative.
    let (s, m) = monitor(
        "Proposal,Measure,Budget,Outturn\nFoster carers,Investment,1.276,1.300\n\
         Foster carers,Gross Saving,(1.374),(1.500)\n",
    );
    assert_eq!(s.sign, SignConvention::CostsPositive);
    let v: Vec<_> = m
        .lines
        .iter()
        .map(|l| (l.cells[0].variance, l.cells[0].verdict))
        .collect();
    assert_eq!(
        v,
        [
            (Some(d("0.024")), Some(Verdict::Adverse)),
            (Some(d("-0.126")), Some(Verdict::Favourable)),
        ]
    );
    // Every line points the same way: one total, in the file's signs.
    assert_eq!(m.totals.len(), 1);
    assert_eq!(m.totals[0].cells[0].target.value, d("-0.098"));
    assert_eq!(m.totals[0].cells[0].variance, Some(d("-0.102")));
    assert_eq!(m.totals[0].cells[0].verdict, Some(Verdict::Favourable));
}

#[test]
fn savings_and_investment_lines_total_apart_and_net() {
    // A savings-positive table whose investment lines are written as the cost.
    let (s, m) = monitor(
        "Reference,Proposal,Type,Target,Forecast\nP1,Early help,Investment,100,120\n\
         P1,Early help,Saving,300,290\nP2,Edge of care,Saving,50,60\n",
    );
    assert_eq!(s.sign, SignConvention::SavingsPositive);
    let verdicts: Vec<_> = m.lines.iter().map(|l| l.cells[0].verdict).collect();
    assert_eq!(
        verdicts,
        [
            Some(Verdict::Adverse),
            Some(Verdict::Adverse),
            Some(Verdict::Favourable)
        ]
    );
    let labels: Vec<&str> = m.totals.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        [MONITORING_SAVINGS, MONITORING_COSTS, MONITORING_NET]
    );
    let cell = |i: usize| &m.totals[i].cells[0];
    assert_eq!(
        (cell(0).target.value, cell(0).forecast.value),
        (d("350"), d("350"))
    );
    assert_eq!(cell(0).verdict, Some(Verdict::OnTarget));
    assert_eq!(cell(1).variance, Some(d("20")));
    assert_eq!(cell(1).verdict, Some(Verdict::Adverse));
    // Net, savings positive: 350 − 100 = 250 against 350 − 120 = 230.
    assert_eq!(
        (cell(2).target.value, cell(2).forecast.value),
        (d("250"), d("230"))
    );
    assert_eq!(cell(2).variance, Some(d("-20")));
    assert_eq!(cell(2).verdict, Some(Verdict::Adverse));
    // The proposal with both an investment and a saving is netted on its own.
    assert_eq!(m.proposals.len(), 1);
    assert_eq!(m.proposals[0].reference, "P1");
    let p = &m.proposals[0].total.cells[0];
    assert_eq!((p.target.value, p.forecast.value), (d("200"), d("170")));
    assert_eq!(p.verdict, Some(Verdict::Adverse));
}

#[test]
fn signed_costs_in_a_business_case_point_the_other_way() {
    // Benefits positive, costs negative: a forecast cost of (600) against (500) is adverse.
    let (s, m) = monitor(
        "Item,Type,Target,Forecast\nNew system,Cost,(500),(600)\nStaff time,Benefit,900,950\n",
    );
    assert_eq!(s.sign, SignConvention::BenefitsPositive);
    let verdicts: Vec<_> = m.lines.iter().map(|l| l.cells[0].verdict).collect();
    assert_eq!(
        verdicts,
        [Some(Verdict::Adverse), Some(Verdict::Favourable)]
    );
    assert_eq!(m.totals.len(), 1);
    assert_eq!(m.totals[0].cells[0].variance, Some(d("-50")));
    assert_eq!(m.totals[0].cells[0].verdict, Some(Verdict::Adverse));
}

#[test]
fn quarters_pair_by_number() {
    let (_, m) = monitor(
        "Saving,Q1 Target,Q1 Forecast,Q2 Target,Q2 Forecast,Full year target,Full year forecast\n\
         A,10,12,20,15,40,41\nB,5,5,5,,10,12.5\n",
    );
    let labels: Vec<&str> = m.periods.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["Q1", "Q2", "Year"]);
    let a = &m.lines[0].cells;
    assert_eq!(a[0].variance, Some(d("2")));
    assert_eq!(a[1].variance, Some(d("-5")));
    assert_eq!(a[1].verdict, Some(Verdict::Adverse));
    // An empty forecast is zero, as every empty cell of a line.
    assert_eq!(m.lines[1].cells[1].variance, Some(d("-5")));
    let t = &m.totals[0].cells;
    assert_eq!(t[0].variance, Some(d("2")));
    assert_eq!(t[1].variance, Some(d("-10")));
    assert_eq!(t[2].variance, Some(d("3.5")));
    assert_eq!(t[2].verdict, Some(Verdict::Favourable));
}

#[test]
fn a_cell_with_no_figure_has_no_variance_and_leaves_its_total_incomplete() {
    let i = load(
        b"Saving,Target,Forecast\nA,10,TBC\nB,20,25\nC,5,aa\n",
        "monitoring.csv",
    );
    assert_eq!(i.problems.len(), 1);
    let p = i.problems[0].position().unwrap();
    assert_eq!((p.row, p.column_header.as_deref()), (4, Some("Forecast")));
    let m = monitoring(&i.schedule).unwrap();
    assert_eq!(
        m.lines[0].cells[0].forecast,
        Amount::NoFigure(NoFigure::ToBeConfirmed)
    );
    assert_eq!(m.lines[0].cells[0].variance, None);
    assert_eq!(m.lines[0].cells[0].verdict, None);
    assert_eq!(m.lines[1].cells[0].verdict, Some(Verdict::Favourable));
    assert_eq!(m.lines[2].cells[0].variance, None);
    let t = &m.totals[0].cells[0];
    assert_eq!(t.forecast.missing, 2);
    assert_eq!(t.variance, None);
    assert_eq!(t.verdict, None);
}

#[test]
fn totals_rows_memo_and_refusals() {
    let (s, m) = monitor("Saving,Target,Forecast\nA,10,11\nB,20,19\nTotal,30,30\n");
    assert_eq!(s.lines.len(), 2);
    assert_eq!(s.total_rows.len(), 1);
    assert_eq!(m.totals[0].cells[0].variance, Some(d("0")));

    let e = import(
        b"Saving,Q1 Target,Q1 Forecast,Q2 Target\nA,1,2,3\n",
        "m.csv",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Table { .. }));
    assert_eq!(e.position().unwrap().column, Some(4));
    assert!(e.to_string().contains("no forecast column"), "{e}");

    // A schedule with years and no target and forecast columns has no monitoring.
    let i = load(b"Project,2017/18,2018/19\nA,1,2\n", "s.csv");
    assert!(monitoring(&i.schedule).is_none());
}

#[test]
fn the_monitoring_schedule_survives_canonical_json() {
    let (s, m) = monitor("Saving,Target,Forecast\nA,£1.5k,1400\n");
    assert_eq!(m.lines[0].cells[0].target, Amount::Figure(d("1500")));
    let json = gapwise::engine::to_json(&s);
    let back = load(json.as_bytes(), "m.json").schedule;
    assert_eq!(monitoring(&back), Some(m));
}

// ---- Following the file's arithmetic (issue 15): the sign convention under which the published
// variance column holds, the published variance checked row by row, and published net lines
// (investment + gross saving, found by the map) not counted again (docs/domain.md "Monitoring").

mod arithmetic {
    use super::common::d;
    use gapwise::engine::arithmetic::{map_grid, VarianceSense};
    use gapwise::engine::{
        follow_arithmetic, import, monitoring, run_import, CheckStatus, Direction, ImportJob,
        ImportOptions, Monitoring, Schedule, SignConvention, Verdict, MONITORING_TOTAL,
    };

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// Imports a file as the app does: read, map, follow the map.
    fn follow(bytes: &[u8]) -> (Schedule, Monitoring, SignConvention) {
        let mut i = import(bytes, "monitoring.csv", &ImportOptions::default()).unwrap();
        let read_as = i.schedule.sign;
        let map = map_grid(&i.grid).expect("a map");
        follow_arithmetic(&mut i.schedule, &map);
        let m = monitoring(&i.schedule).expect("a monitoring table");
        (i.schedule, m, read_as)
    }

    fn memo_rows(s: &Schedule) -> Vec<usize> {
        s.lines.iter().filter(|l| l.memo).map(|l| l.row).collect()
    }

    /// (file row, verdict) of each line.
    fn verdicts(s: &Schedule, m: &Monitoring) -> Vec<(usize, Option<Verdict>)> {
        m.lines
            .iter()
            .map(|l| (s.lines[l.line].row, l.cells[0].verdict))
            .collect()
    }

    /// (row, status, published, computed) of every variance check that is not ok.
    fn problems(m: &Monitoring) -> Vec<(usize, CheckStatus, String, Option<String>)> {
        m.variance_checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .map(|c| {
                (
                    c.row,
                    c.status,
                    c.published.to_string(),
                    c.computed.map(|x| x.to_string()),
                )
            })
            .collect()
    }

    #[test]
    fn costs_positive_fixture_follows_its_variance_column() {
        let bytes = fixture("arithmetic/monitoring.csv");
        let (s, m, read_as) = follow(&bytes);
        // Read by the labels alone, "Cost Reduction" lines are costs, mostly negative: benefits
        // positive. The variance column holds as forecast − target with favourable in brackets.
        assert_eq!(read_as, SignConvention::BenefitsPositive);
        assert_eq!(s.sign, SignConvention::CostsPositive);
        assert!(m
            .lines
            .iter()
            .all(|l| l.direction == Direction::HigherCosts));
        let v = verdicts(&s, &m);
        // Row 4: saving (1,200) forecast (1,050): less saved, adverse. Row 7: (2,100) → (2,350),
        // more saved: favourable. Row 9: investment 120 → 95: favourable.
        assert_eq!(v[1], (4, Some(Verdict::Adverse)));
        assert_eq!(v[4], (7, Some(Verdict::Favourable)));
        assert_eq!(v[6], (9, Some(Verdict::Favourable)));
        // The Net rows equal investment + gross saving above them: their proposal's net, shown
        // with their own variance but not counted.
        assert_eq!(memo_rows(&s), [5, 8, 11]);
        let counted: Vec<usize> = m
            .lines
            .iter()
            .filter(|l| l.counted)
            .map(|l| s.lines[l.line].row)
            .collect();
        assert_eq!(counted, [3, 4, 6, 7, 9, 10]);
        assert_eq!(v[2], (5, Some(Verdict::Adverse)), "A's net (950) → (775)");
        // One total, the published total's figures: 770 + (4,100) = (3,330) against
        // 770 + (4,315) = (3,545) (published (3,546): rounding); variance (215), favourable.
        assert_eq!(m.totals.len(), 1);
        let t = &m.totals[0];
        assert_eq!(t.label, MONITORING_TOTAL);
        assert_eq!(t.direction, Direction::HigherCosts);
        let c = &t.cells[0];
        assert_eq!((c.target.value, c.forecast.value), (d("-3330"), d("-3545")));
        assert_eq!(c.variance, Some(d("-215")));
        assert_eq!(c.verdict, Some(Verdict::Favourable));
        // The published variance column: forecast − target, checked on all ten rows; F12 is
        // the one error, 45 published where (216) is computed.
        assert_eq!(m.published_variances.len(), 1);
        let pv = &m.published_variances[0];
        assert_eq!(pv.header, "Variance (Favourable) / Adverse");
        assert_eq!(pv.sense, VarianceSense::ForecastMinusTarget);
        assert_eq!(m.variance_checks.len(), 10);
        assert_eq!(
            problems(&m),
            [(12, CheckStatus::Error, "45".into(), Some("-216".into()))]
        );
        let f12 = m.variance_checks.iter().find(|c| c.row == 12).unwrap();
        assert!(f12.total_row);
        assert_eq!(f12.difference, Some(d("261")));
        // Row 6: 400 against 400, published `-`: zero, ok.
        let b6 = m.variance_checks.iter().find(|c| c.row == 6).unwrap();
        assert_eq!((b6.status, b6.computed), (CheckStatus::Ok, Some(d("0"))));
        // Corrected, nothing is left to report.
        let text = String::from_utf8(bytes)
            .unwrap()
            .replace(",45\n", ",(216)\n");
        let (_, clean, _) = follow(text.as_bytes());
        assert!(problems(&clean).is_empty());
    }

    #[test]
    fn savings_positive_fixture_reads_the_other_way_by_its_figures() {
        // The same table with every figure negated (savings positive, investment in brackets),
        // its variance published as target − forecast under `Adverse / (Favourable)`: the
        // variance column's figures are the same, the convention is the opposite.
        let (s, m, read_as) = follow(&fixture("arithmetic/monitoring-savings-positive.csv"));
        assert_eq!(read_as, SignConvention::SavingsPositive);
        assert_eq!(s.sign, SignConvention::BenefitsPositive);
        assert!(m
            .lines
            .iter()
            .all(|l| l.direction == Direction::HigherHelps));
        let v = verdicts(&s, &m);
        assert_eq!(
            v[1],
            (4, Some(Verdict::Adverse)),
            "1,200 → 1,050: less saved"
        );
        assert_eq!(
            v[4],
            (7, Some(Verdict::Favourable)),
            "2,100 → 2,350: a saving above target"
        );
        assert_eq!(
            v[6],
            (9, Some(Verdict::Favourable)),
            "investment (120) → (95)"
        );
        assert_eq!(memo_rows(&s), [5, 8, 11]);
        let t = &m.totals[0];
        assert_eq!(m.totals.len(), 1);
        assert_eq!(t.direction, Direction::HigherHelps);
        let c = &t.cells[0];
        assert_eq!((c.target.value, c.forecast.value), (d("3330"), d("3545")));
        assert_eq!(c.verdict, Some(Verdict::Favourable));
        assert_eq!(
            m.published_variances[0].sense,
            VarianceSense::TargetMinusForecast
        );
        // Row 6: (400) against (400) with 20 published: an error, not rounding.
        assert_eq!(
            problems(&m),
            [(6, CheckStatus::Error, "20".into(), Some("0".into()))]
        );
        let total = m.variance_checks.iter().find(|c| c.row == 12).unwrap();
        assert_eq!(
            (total.status, total.computed),
            (CheckStatus::Ok, Some(d("-216")))
        );
    }

    #[test]
    fn the_app_import_follows_the_map_and_saved_work_keeps_it() {
        let bytes = fixture("arithmetic/monitoring.csv");
        let job = ImportJob {
            file_name: "monitoring.csv".into(),
            options: ImportOptions::default(),
            remembered: Vec::new(),
            ..ImportJob::default()
        };
        let file = run_import(&bytes, &job).outcome.unwrap();
        let (s, m, _) = follow(&bytes);
        assert_eq!(file.schedule, s);
        assert!(file.map.is_some());
        let json = gapwise::engine::to_json(&file.schedule);
        let back = super::load(json.as_bytes(), "m.json").schedule;
        assert_eq!(back.sign, SignConvention::CostsPositive);
        assert_eq!(memo_rows(&back), [5, 8, 11]);
        assert_eq!(monitoring(&back), Some(m));
    }

    #[test]
    fn the_variance_column_is_found_by_its_figures_not_its_heading() {
        // Target − forecast under a heading that says nothing; a column of other figures (FTE
        // posts, under a neutral heading) is not a variance.
        let (_, m) = super::monitor(
            "Saving,Target,Forecast,Diff,Staff\nA,100,90,10,3\nB,50,65,(15),2\nC,80,80,0,4\n\
             D,30,20,10,1\n",
        );
        assert_eq!(m.published_variances.len(), 1);
        assert_eq!(m.published_variances[0].header, "Diff");
        assert_eq!(
            m.published_variances[0].sense,
            VarianceSense::TargetMinusForecast
        );
        assert!(m
            .variance_checks
            .iter()
            .all(|c| c.status == CheckStatus::Ok));
        // Rounding: a variance one unit off where target and forecast differ; an error where
        // they are printed equal; incomplete where the forecast has no figure.
        let (_, m) = super::monitor(
            "Saving,Target,Forecast,Variance\nA,100,90,(10)\nB,50,65,15\nC,80,80,1\nD,30,20,(11)\n\
             E,40,TBC,5\nF,10,,\n",
        );
        let status: Vec<_> = m
            .variance_checks
            .iter()
            .map(|c| (c.row, c.status))
            .collect();
        assert_eq!(
            status,
            [
                (2, CheckStatus::Ok),
                (3, CheckStatus::Ok),
                (4, CheckStatus::Error),
                (5, CheckStatus::Rounding),
                (6, CheckStatus::Incomplete)
            ]
        );
        // No variance column: nothing checked.
        let (_, m) = super::monitor("Saving,Target,Forecast\nA,1,2\nB,3,4\n");
        assert!(m.published_variances.is_empty() && m.variance_checks.is_empty());
    }

    #[test]
    fn a_heading_that_states_no_convention_leaves_the_convention_read() {
        let bytes = String::from_utf8(fixture("arithmetic/monitoring.csv"))
            .unwrap()
            .replace("Variance (Favourable) / Adverse", "Variance");
        let (s, m, read_as) = follow(bytes.as_bytes());
        assert_eq!(s.sign, read_as);
        // The net rows are still nets, and the column still checked.
        assert_eq!(memo_rows(&s), [5, 8, 11]);
        assert_eq!(problems(&m).len(), 1);
    }
}
