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
