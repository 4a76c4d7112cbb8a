//! The report to publish (write::report): its totals are the schedule's, worked out here again
//! by adding the published cells; every figure not exactly right is listed with both figures;
//! the gap's rows and the scenario's assumptions are the engine's, in words.

mod common;

use common::{d, from_csv, schedule, CYPS_SAVINGS, FIXTURES, FUNDING_GAP};
use gapwise::engine::arithmetic::map_grid;
use gapwise::engine::{
    calculate, compare, compute_gap, format_amount, gap_model, netting, parse_deflator, read_grid,
    report, Amount, Comparison, FinancialYear, ImportOptions, Prices, Report, ReportInput,
    ReportSource, Scenario,
};
use rust_decimal::Decimal;

fn source(name: &str) -> ReportSource {
    ReportSource {
        file_name: name.to_string(),
        sha256: Some("ab".repeat(32)),
        read_at: Some("7 December 2026 at 21:15".into()),
    }
}

/// The report of a schedule read from `csv`, with its map and netting, no gap and no scenario.
fn report_of(name: &str, bytes: &[u8]) -> Report {
    let s = common::load(bytes, name).schedule;
    let r = calculate(&s);
    let n = netting(&s);
    let grid = read_grid(bytes, name, &ImportOptions::default()).unwrap();
    let map = map_grid(&grid);
    report(&ReportInput {
        schedule: &s,
        results: &r,
        netting: Some(&n),
        map: map.as_ref().map(|m| (name, m)),
        gap: None,
        scenario: None,
        prices: None,
        source: source(name),
    })
}

#[test]
fn the_totals_table_is_the_sections_added_up_again() {
    for (name, bytes) in FIXTURES {
        let s = schedule((name, bytes));
        let rep = report_of(name, bytes);
        let t = &rep.totals;
        assert_eq!(t.header.len(), s.years.len() + 2, "{name}");
        // Each section's row, added up here from its lines' published cells.
        for (i, section) in s.sections.iter().enumerate() {
            let Some(row) = t.rows.iter().find(|r| r.label == section.name) else {
                panic!("{name}: no row for section {}", section.name);
            };
            let mut period = Decimal::ZERO;
            for (y, cell) in row.cells.iter().take(s.years.len()).enumerate() {
                let sum: Decimal = s
                    .lines
                    .iter()
                    .filter(|l| l.section == Some(i))
                    .filter_map(|l| match l.amounts[y] {
                        Amount::Figure(v) => Some(v),
                        _ => None,
                    })
                    .sum();
                period += sum;
                assert!(
                    cell.starts_with(&format_amount(sum, s.decimals)),
                    "{name} {}: {cell} vs {sum}",
                    section.name
                );
            }
            assert!(row
                .cells
                .last()
                .unwrap()
                .starts_with(&format_amount(period, s.decimals)));
        }
        assert!(t.rows.iter().any(|r| r.total), "{name}: a grand total row");
        assert!(rep.source[0].contains(name));
        assert!(rep.source.iter().any(|l| l.contains(&"ab".repeat(32))));
        assert!(
            rep.map.as_deref().is_some_and(|m| m.contains("identit")),
            "{name}"
        );
    }
}

#[test]
fn an_injected_error_is_listed_with_both_figures_and_a_correct_table_lists_none() {
    let csv = "Project,2017/18,2018/19,Total\nA,1.0,2.0,3.0\nB,1.0,1.0,2.0\nTotal,2.0,3.0,5.0\n";
    let rep = report_of("ok.csv", csv.as_bytes());
    assert!(rep.problems.is_empty(), "{:?}", rep.problems);
    assert_eq!(rep.checks[1], "2 of 2 line totals ok");
    // B's total published as 2.5 where its years add to 2.0.
    let bad = csv.replace("B,1.0,1.0,2.0", "B,1.0,1.0,2.5");
    let rep = report_of("bad.csv", bad.as_bytes());
    let first = &rep.problems[0];
    assert_eq!(first.status, "error");
    assert_eq!(first.label, "B");
    assert_eq!(
        (
            d(&first.published),
            d(&first.computed),
            d(&first.difference)
        ),
        (d("2.5"), d("2.0"), d("0.5"))
    );
    assert!(
        rep.checks[1].starts_with("1 of 2 line totals ok"),
        "{}",
        rep.checks[1]
    );
    assert!(rep
        .problems
        .iter()
        .all(|p| p.status != "ok" && p.status != "confirmed"));
}

#[test]
fn the_gap_and_a_scenario_read_as_the_engine_works_them_out() {
    let s = schedule(CYPS_SAVINGS);
    let r = calculate(&s);
    let m = gap_model(&schedule(FUNDING_GAP));
    let g = compute_gap(&m, None);
    let mut scenario = Scenario::new("Cautious");
    scenario.pressure_growth = Some(d("0.02"));
    let first_row = s.lines[0].row;
    scenario.lines.entry(first_row).or_default().exclude = true;
    let applied = gapwise::engine::apply_scenario(&s, &scenario).schedule;
    let c: Comparison = compare(&s, &applied, None, None);
    let rep = report(&ReportInput {
        schedule: &s,
        results: &r,
        netting: None,
        map: None,
        gap: Some((&m, &g)),
        scenario: Some((&scenario, &c)),
        prices: None,
        source: ReportSource {
            file_name: "saved work".into(),
            sha256: None,
            read_at: None,
        },
    });
    assert!(rep.source[1].contains("no checksum"));
    let gap = rep.gap.expect("a gap table");
    let after = gap
        .rows
        .iter()
        .find(|r| r.label == "Gap after reserves")
        .expect("the gap after reserves");
    let dp = m.decimals();
    for (cell, year) in after.cells.iter().zip(&g.years) {
        assert_eq!(cell, &format_amount(year.gap_after_reserves.value, dp));
    }
    // Gap before reserves − reserves used − the plan's draws = gap after, in every year.
    let sc = rep.scenario.expect("the scenario");
    assert_eq!(sc.name, "Cautious");
    assert!(sc.assumptions[0].contains("red"), "{:?}", sc.assumptions);
    assert!(
        sc.assumptions.iter().any(|a| a == "1 line left out."),
        "{:?}",
        sc.assumptions
    );
    assert!(sc
        .assumptions
        .iter()
        .any(|a| a == "Pressures grow by 2 % a year."));
    let diff = sc
        .table
        .rows
        .iter()
        .find(|r| r.label == "Difference")
        .unwrap();
    assert_eq!(
        diff.cells.last().unwrap(),
        &format_amount(c.difference_total, s.decimals)
    );
    // Nothing nets in a schedule of one line per proposal with no netting given.
    assert!(rep.nets.is_none());
}

#[test]
fn a_netted_schedule_lists_each_proposals_net() {
    let s = from_csv(
        "Ref,Proposal,Measure,2024/25,2025/26\nP1,Hub,Investment,100,0\nP1,Hub,Gross saving,-30,-120\nP2,Shop,Saving,-10,-10\n",
    );
    let r = calculate(&s);
    let n = netting(&s);
    let rep = report(&ReportInput {
        schedule: &s,
        results: &r,
        netting: Some(&n),
        map: None,
        gap: None,
        scenario: None,
        prices: None,
        source: source("nets.csv"),
    });
    let nets = rep.nets.expect("a net table");
    let hub = nets
        .rows
        .iter()
        .find(|r| r.label.starts_with("P1"))
        .unwrap();
    // Read as incremental (the default profile), each year's figure adds to the years before:
    // net in year 1 = 100 − 30 = 70; year 2 = (100 + 0) − (30 + 120) = −50; over the period,
    // 70 − 50 = 20.
    let want: Vec<String> = ["70", "-50", "20"]
        .iter()
        .map(|v| format_amount(d(v), s.decimals))
        .collect();
    assert_eq!(hub.cells, want);
    // A proposal of one line nets to that line: not listed.
    assert!(!nets.rows.iter().any(|r| r.label.starts_with("P2")));
}

#[test]
fn the_totals_and_the_gap_in_real_terms_by_hand() {
    let s = schedule(CYPS_SAVINGS);
    let r = calculate(&s);
    let m = gap_model(&schedule(FUNDING_GAP));
    let g = compute_gap(&m, None);
    let gap_years: Vec<String> = g.years.iter().map(|y| y.year.label()).collect();
    let with = |index: &str| {
        let prices = Prices {
            index: parse_deflator(index).unwrap(),
            base: FinancialYear { start: 2020 },
        };
        report(&ReportInput {
            schedule: &s,
            results: &r,
            netting: None,
            map: None,
            gap: Some((&m, &g)),
            scenario: None,
            prices: Some(&prices),
            source: source("demo.csv"),
        })
        .real_terms
        .expect("asked for")
    };
    // An index without the gap table's first year converts the totals, not the gap, and says
    // which year it lacks.
    let short = with("2017/18,90\n2018/19,92\n2019/20,96\n2020/21,100\n").unwrap();
    let why = short.gap.unwrap().unwrap_err();
    assert!(why.contains(&gap_years[0]), "{why}");
    assert!(with("2018/19,92\n2020/21,100\n")
        .unwrap_err()
        .contains("2017/18"));
    // 2016/17 at 88: the gap table's first year.
    let real = with("2016/17,88\n2017/18,90\n2018/19,92\n2019/20,96\n2020/21,100\n").unwrap();
    assert_eq!(real.label, "£'000, 2020/21 prices");
    let grand = real.totals.rows.iter().find(|r| r.total).unwrap();
    // docs/domain.md, "Cash and real terms": 4,886.0 × 100/90, 10,824.0 × 100/92,
    // 18,985.7 × 100/96, 9,281.3; over the period 46,252.176…
    assert_eq!(
        grand.cells,
        ["5,428.9", "11,765.2", "19,776.8", "9,281.3", "46,252.2"]
    );
    // The sections' rows are converted the same way: each year's, by hand for the first.
    let first = &real.totals.rows[0];
    let cash = r.totals.sections[0].years[0].value;
    assert_eq!(
        first.cells[0],
        format_amount(cash * d("100") / d("90"), s.decimals)
    );
    // The gap after reserves: each year's × 100 / its index.
    let gap = real.gap.expect("the gap in real terms").unwrap();
    let after = gap
        .rows
        .iter()
        .find(|r| r.label == "Gap after reserves")
        .unwrap();
    let index = [d("88"), d("90"), d("92"), d("96"), d("100")];
    for ((cell, y), i) in after.cells.iter().zip(&g.years).zip(index) {
        let want = (y.gap_after_reserves.value * d("100") / i).round_dp(m.decimals());
        assert_eq!(cell, &format_amount(want, m.decimals()));
    }
}
