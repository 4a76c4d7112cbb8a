//! The funding gap on the published tables (docs/domain.md, "The funding gap"): the funding-gap table's
//! revised gap and the budget forecast's net forecast and funding support recomputed and
//! checked, the identities between annual and cumulative gaps and the bridge of each year, and a
//! savings schedule fed into the forecast.
//!
//! Every expected figure is worked out by hand in the comment beside it.

mod common;

use common::{
    d, ds, from_csv, schedule, BUDGET_FORECAST, CHILDRENS_SAVINGS, CYPS_SAVINGS, FUNDING_GAP,
    INVESTMENT_BIDS,
};
use gapwise::engine::{
    bridge, compute_gap, gap_model, looks_like_gap_table, Amount, CheckColumn, CheckStatus,
    GapFigures, GapModel, GapResult, GapRole, GapYear, Profile, SavingsFeed, Stated, Subject, Sum,
    Unit,
};
use rust_decimal::Decimal;

fn values(f: &GapFigures, pick: impl Fn(&GapYear) -> &Sum) -> Vec<Decimal> {
    f.years.iter().map(|y| pick(y).value).collect()
}

/// Every check as (result row index, year index, published, computed, status).
fn checks(f: &GapFigures) -> Vec<(usize, usize, Decimal, Decimal, CheckStatus)> {
    f.checks
        .iter()
        .map(|c| {
            let Subject::GapResult { index } = c.subject else {
                panic!("{c:?}")
            };
            let CheckColumn::Year(y) = c.column else {
                panic!("{c:?}")
            };
            (index, y, c.published, c.computed, c.status)
        })
        .collect()
}

/// The annual gaps up to each year add up to that year's cumulative gap, exactly.
fn assert_annual_adds_up_to_cumulative(f: &GapFigures) {
    let mut running = Decimal::ZERO;
    for y in &f.years {
        running += y.annual_gap.value;
        assert_eq!(running, y.cumulative_gap.value, "{}", y.year);
        assert_eq!(y.cumulative_gap, y.gap_before_reserves, "{}", y.year);
    }
}

/// Each bridge starts at the starting gap, chains step to step, and ends at the gap after
/// reserves.
fn assert_bridges_chain(m: &GapModel, f: &GapFigures, starting_gaps: &[Decimal]) {
    for (y, start) in starting_gaps.iter().enumerate() {
        let steps = bridge(m, f, y);
        let (first, last) = (&steps[0], &steps[steps.len() - 1]);
        assert_eq!(
            (first.role, first.start, first.end),
            (None, Decimal::ZERO, *start)
        );
        assert_eq!(last.role, None);
        assert_eq!(last.end, f.years[y].gap_after_reserves.value);
        for pair in steps[..steps.len() - 1].windows(2) {
            assert_eq!(pair[1].start, pair[0].end, "{y}: {pair:?}");
        }
        assert_eq!(steps[steps.len() - 2].end, last.end, "year {y}");
        assert!(steps[1..steps.len() - 1].iter().all(|s| s.role.is_some()));
    }
}

// --- cyps-funding-gap-2016-20.csv: revised gap = previously reported gap + changes.

#[test]
fn funding_gap_rows_and_results_are_read_from_their_labels() {
    let s = schedule(FUNDING_GAP);
    assert!(looks_like_gap_table(&s));
    let m = gap_model(&s);
    assert_eq!(m.unit, Unit::Millions);
    assert_eq!(m.feed, None);
    let rows: Vec<_> = m
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.row, r.role, r.stated))
        .collect();
    use GapRole::*;
    let per_year = Stated::PerYear;
    assert_eq!(
        rows,
        [
            (
                "Estimated Funding Gap as Reported July 2016 MTFS",
                3,
                ReportedGap,
                per_year
            ),
            (
                "Proposed CYPS Additional Funding - Pressure/Demand",
                4,
                Pressure,
                per_year
            ),
            (
                "Proposed CYPS Investment / (Saving)",
                5,
                Investment,
                per_year
            ),
            ("Proposed Adult Care Investment", 6, Investment, per_year),
            (
                "Proposed Corporate Services Investment",
                7,
                Investment,
                per_year
            ),
        ]
    );
    // Figures stay as published: `+2.056` is 2.056, `-2.805` stays negative (a saving).
    assert_eq!(m.rows[1].amounts[2], Amount::Figure(d("2.056")));
    assert_eq!(m.rows[2].amounts[2], Amount::Figure(d("-2.805")));
    assert_eq!(m.rows[0].amounts[0], Amount::Blank);
    let results: Vec<_> = m
        .results
        .iter()
        .map(|r| (r.label.as_str(), r.row, r.result))
        .collect();
    assert_eq!(
        results,
        [
            // It restates 2016/17's changes (7.848 + 0.179 + 0.128 + 0.301 = 8.456): checked,
            // never counted.
            (
                "Additional funding requested in current year",
                8,
                GapResult::GapBeforeReserves
            ),
            (
                "Revised Future Years Funding Gap as a result of this report",
                9,
                GapResult::RevisedGap
            ),
        ]
    );
}

#[test]
fn funding_gap_revised_gap_is_recomputed_and_checks_ok() {
    let m = gap_model(&schedule(FUNDING_GAP));
    let f = compute_gap(&m, None);
    // No funding row and no base budget: the gap is the reported gap plus the changes.
    assert!(f.funding_is_base_budget);
    // 2016/17: 7.848 + 0.179 + 0.128 + 0.301 = 8.456 (nothing reported);
    // 2017/18: 13.125 + 8.346 + 1.331 + 0.481 + 0.847 = 24.130;
    // 2018/19: 8.659 + 2.056 - 2.805 - 0.271 + 0.215 = 7.854;
    // 2019/20: 20.077 + 2.056 - 3.060 - 0.210 + 0 = 18.863.
    let gaps = ds(&["8.456", "24.130", "7.854", "18.863"]);
    assert_eq!(values(&f, |y| &y.gap_before_reserves), gaps);
    assert_eq!(values(&f, |y| &y.gap_after_reserves), gaps);
    assert_eq!(values(&f, |y| &y.unidentified), gaps);
    assert_eq!(
        values(&f, |y| y.reported_gap.as_ref().unwrap()),
        ds(&["0", "13.125", "8.659", "20.077"])
    );
    assert_eq!(
        values(&f, |y| &y.pressures),
        ds(&["7.848", "8.346", "2.056", "2.056"])
    );
    assert_eq!(
        values(&f, |y| &y.investment),
        ds(&["0.608", "2.659", "-2.861", "-3.270"])
    );
    let ok = CheckStatus::Ok;
    assert_eq!(
        checks(&f),
        [
            (0, 0, d("8.456"), d("8.456"), ok),
            // The revised row's 2016/17 is blank: no claim, no check.
            (1, 1, d("24.130"), d("24.130"), ok),
            (1, 2, d("7.854"), d("7.854"), ok),
            (1, 3, d("18.863"), d("18.863"), ok),
        ]
    );
    let c = &f.checks[2];
    assert_eq!(c.row, 9);
    assert_eq!(c.column_header, "2018/19");
    // Five figures of three decimals and the published one: 0.0030 of rounding.
    assert_eq!(c.tolerance, d("0.0030"));
    assert_annual_adds_up_to_cumulative(&f);
    assert_eq!(
        values(&f, |y| &y.annual_gap),
        ds(&["8.456", "15.674", "-16.276", "11.009"])
    );
}

#[test]
fn funding_gap_bridge_runs_from_the_reported_gap_through_each_change() {
    let m = gap_model(&schedule(FUNDING_GAP));
    let f = compute_gap(&m, None);
    let steps = bridge(&m, &f, 2);
    let got: Vec<_> = steps
        .iter()
        .map(|s| (s.label.as_str(), s.start, s.end))
        .collect();
    assert_eq!(
        got,
        [
            ("Starting gap", d("0"), d("8.659")),
            (
                "Proposed CYPS Additional Funding - Pressure/Demand",
                d("8.659"),
                d("10.715")
            ),
            (
                "Proposed CYPS Investment / (Saving)",
                d("10.715"),
                d("7.910")
            ),
            ("Proposed Adult Care Investment", d("7.910"), d("7.639")),
            (
                "Proposed Corporate Services Investment",
                d("7.639"),
                d("7.854")
            ),
            ("Gap after reserves", d("0"), d("7.854")),
        ]
    );
    assert_bridges_chain(&m, &f, &ds(&["0", "13.125", "8.659", "20.077"]));
}

#[test]
fn a_row_the_user_restates_as_changes_moves_the_gap_and_fails_the_check() {
    let mut m = gap_model(&schedule(FUNDING_GAP));
    // Read as changes on the previous year, the pressure row's levels are 7.848, 16.194,
    // 18.250, 20.306: 2018/19's gap rises by 18.250 - 2.056 = 16.194.
    m.rows[1].stated = Stated::ChangeOnPrevious;
    let f = compute_gap(&m, None);
    assert_eq!(
        values(&f, |y| &y.pressures),
        ds(&["7.848", "16.194", "18.250", "20.306"])
    );
    assert_eq!(f.years[2].gap_before_reserves.value, d("24.048"));
    let statuses: Vec<_> = f.checks.iter().map(|c| c.status).collect();
    use CheckStatus::*;
    assert_eq!(statuses, [Ok, Error, Error, Error]);
}

// --- cyps-budget-forecast-2016-21.csv: net forecast = net budget + pressures + investment -
// savings; funding support = the same less the net budget.

#[test]
fn budget_forecast_requirement_support_and_gap() {
    let s = schedule(BUDGET_FORECAST);
    assert!(looks_like_gap_table(&s));
    let m = gap_model(&s);
    let roles: Vec<_> = m.rows.iter().map(|r| r.role).collect();
    use GapRole::*;
    assert_eq!(roles, [BaseBudget, Pressure, Pressure, Investment, Savings]);
    let results: Vec<_> = m.results.iter().map(|r| r.result).collect();
    assert_eq!(results, [GapResult::Requirement, GapResult::FundingSupport]);
    // The savings row is published negative: its quantity is the negation.
    assert_eq!(m.rows[4].factor(), Decimal::NEGATIVE_ONE);
    let f = compute_gap(&m, None);
    assert_eq!(
        values(&f, |y| &y.savings),
        ds(&["0.000", "2.276", "5.190", "8.061", "9.601"])
    );
    // 2016/17: 56.468 + 7.848 + 0.000 + 0.179 - 0.000 = 64.495;
    // 2017/18: 55.017 + 7.346 + 1.000 + 3.607 - 2.276 = 64.694;
    // 2018/19: 53.717 + 8.402 + 2.000 + 3.716 - 5.190 = 62.645;
    // 2019/20: 52.717 + 9.458 + 3.000 + 3.527 - 8.061 = 60.641;
    // 2020/21: 52.717 + 10.514 + 3.000 + 3.579 - 9.601 = 60.209.
    let requirement = ds(&["64.495", "64.694", "62.645", "60.641", "60.209"]);
    assert_eq!(values(&f, |y| &y.requirement), requirement);
    // No funding row: the net budget is the funding (the cash limit), so the gap is the
    // funding support: 8.027, 9.677, 8.928, 7.924, 7.492.
    assert!(f.funding_is_base_budget);
    assert_eq!(values(&f, |y| &y.funding), values(&f, |y| &y.base_budget));
    let support = ds(&["8.027", "9.677", "8.928", "7.924", "7.492"]);
    assert_eq!(values(&f, |y| &y.gap_before_reserves), support);
    assert_eq!(values(&f, |y| &y.gap_after_reserves), support);
    assert_eq!(values(&f, |y| &y.unidentified), support);
    assert_eq!(f.years[0].reported_gap, None);
    let got = checks(&f);
    assert_eq!(got.len(), 10);
    for (i, (index, y, published, computed, status)) in got.into_iter().enumerate() {
        assert_eq!((index, y), (i / 5, i % 5));
        let expected = if index == 0 {
            requirement[y]
        } else {
            support[y]
        };
        assert_eq!(
            (published, computed, status),
            (expected, expected, CheckStatus::Ok)
        );
    }
    assert_annual_adds_up_to_cumulative(&f);
    assert_eq!(
        values(&f, |y| &y.annual_gap),
        ds(&["8.027", "1.650", "-0.749", "-1.004", "-0.432"])
    );
    // The bridge starts at zero (base budget less itself, nothing reported).
    assert_bridges_chain(&m, &f, &[Decimal::ZERO; 5]);
    let labels: Vec<_> = bridge(&m, &f, 1)
        .into_iter()
        .map(|s| (s.label, s.role))
        .collect();
    assert_eq!(
        labels,
        [
            ("Starting gap".to_string(), None),
            ("Pressure (Demand/Demographic)".to_string(), Some(Pressure)),
            (
                "Pressure (Reduction in Short Term Reserve)".to_string(),
                Some(Pressure)
            ),
            ("Investment".to_string(), Some(Investment)),
            (
                "Savings / Cost Avoidance (from Investment)".to_string(),
                Some(Savings)
            ),
            ("Gap after reserves".to_string(), None),
        ]
    );
}

// --- Reserves close their year's gap once.

#[test]
fn reserves_in_one_year_change_only_that_years_gap_after_reserves() {
    let base = "Line,2020/21,2021/22,2022/23\n,£m,£m,£m\nNet Budget,50.0,50.0,50.0\n\
                Pressures,4.0,6.0,8.0\nSavings,(1.0),(2.0),(2.5)\n";
    let without = compute_gap(&gap_model(&from_csv(base)), None);
    let with_reserves = format!("{base}Planned use of reserves,0.0,3.0,0.0\n");
    let m = gap_model(&from_csv(&with_reserves));
    assert_eq!(m.rows[3].role, GapRole::Reserves);
    let with = compute_gap(&m, None);
    assert_eq!(
        values(&without, |y| &y.gap_after_reserves),
        ds(&["3.0", "4.0", "5.5"])
    );
    assert_eq!(
        values(&with, |y| &y.gap_after_reserves),
        ds(&["3.0", "1.0", "5.5"])
    );
    for pick in [
        |y: &GapYear| y.gap_before_reserves.value,
        |y: &GapYear| y.cumulative_gap.value,
        |y: &GapYear| y.annual_gap.value,
        |y: &GapYear| y.requirement.value,
    ] {
        let a: Vec<_> = without.years.iter().map(pick).collect();
        let b: Vec<_> = with.years.iter().map(pick).collect();
        assert_eq!(a, b);
    }
    assert_eq!(
        values(&with, |y| &y.unidentified),
        ds(&["3.0", "1.0", "5.5"])
    );
    let steps = bridge(&m, &with, 1);
    assert_eq!(steps[steps.len() - 2].role, Some(GapRole::Reserves));
    assert_eq!(
        (steps[steps.len() - 2].start, steps[steps.len() - 2].end),
        (d("4.0"), d("1.0"))
    );
}

// --- A savings schedule fed into the forecast.

fn fed(f: &GapFigures) -> Vec<Decimal> {
    f.years
        .iter()
        .map(|y| y.fed_savings.as_ref().expect("fed").value)
        .collect()
}

#[test]
fn the_demo_schedule_feeds_its_full_year_effects_into_the_forecast() {
    let savings = schedule(CYPS_SAVINGS);
    assert_eq!(savings.unit, Unit::Thousands);
    assert_eq!(savings.profile, Profile::Incremental);
    let mut m = gap_model(&schedule(BUDGET_FORECAST));
    let published = compute_gap(&m, None);
    // Without a feed the schedule is ignored.
    assert_eq!(compute_gap(&m, Some(&savings)), published);
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    // A feed with no schedule feeds nothing.
    assert_eq!(compute_gap(&m, None), published);
    let f = compute_gap(&m, Some(&savings));
    // The schedule's increments by year (£'000), its section subtotals added up:
    //   2017/18 1,180.0 + 1,022.0 + 1,572.0 + 912.0 + 200.0 = 4,886.0
    //   2018/19 2,494.0 + 1,179.0 + 4,985.0 + 1,566.0 + 600.0 = 10,824.0
    //   2019/20 3,756.0 + 1,464.0 + 12,538.7 + 1,227.0 + 0.0 = 18,985.7
    //   2020/21 4,305.0 + 1,408.0 + 815.3 + 2,753.0 + 0.0 = 9,281.3
    // of which 96.0 in 2018/19 are four one-off savings (40.0 + 18.0 + 8.0 + 30.0, "One-off
    // savings to be achieved in year") that help only their year. Full-year effects:
    //   2017/18 4,886.0; 2018/19 4,886.0 + 10,824.0 = 15,710.0;
    //   2019/20 15,710.0 - 96.0 + 18,985.7 = 34,599.7; 2020/21 34,599.7 + 9,281.3 = 43,881.0
    // (not 34,695.7 and 43,977.0, which would count the one-offs as recurring).
    // In £m, and nothing for 2016/17, a year the schedule lacks:
    let full_year = ds(&["0", "4.886", "15.710", "34.5997", "43.881"]);
    assert_eq!(fed(&f), full_year);
    assert_eq!(
        f.years[3].fed_savings.as_ref().unwrap().value.to_string(),
        "34.5997"
    );
    for (y, (p, g)) in published.years.iter().zip(&f.years).enumerate() {
        let x = full_year[y];
        assert_eq!(
            p.gap_after_reserves.value - g.gap_after_reserves.value,
            x,
            "{y}"
        );
        assert_eq!(
            p.gap_before_reserves.value - g.gap_before_reserves.value,
            x,
            "{y}"
        );
        assert_eq!(g.savings.value - p.savings.value, x, "{y}");
        assert_eq!(p.requirement.value - g.requirement.value, x, "{y}");
    }
    // 8.027 - 0; 9.677 - 4.886 = 4.791; 8.928 - 15.710 = -6.782; 7.924 - 34.5997 = -26.6757;
    // 7.492 - 43.881 = -36.389. From 2018/19 on more than closed: nothing left to find.
    assert_eq!(
        values(&f, |y| &y.gap_after_reserves),
        ds(&["8.027", "4.791", "-6.782", "-26.6757", "-36.389"])
    );
    assert_eq!(
        values(&f, |y| &y.unidentified),
        ds(&["8.027", "4.791", "0", "0", "0"])
    );
    assert_annual_adds_up_to_cumulative(&f);
    // The published results are claims about the table as published: feeding savings on top
    // leaves them checked against the table without the feed, so they all still hold.
    assert!(!f.checks.is_empty());
    for c in &f.checks {
        assert_eq!(c.status, CheckStatus::Ok, "{c:?}");
    }
    // The bridge shows the fed savings as a step of their own.
    let steps = bridge(&m, &f, 2);
    let fed_step = &steps[steps.len() - 2];
    assert_eq!(fed_step.label, "Savings from the schedule");
    assert_eq!(fed_step.role, Some(GapRole::Savings));
    assert_eq!(fed_step.start - fed_step.end, d("15.710"));
    assert_bridges_chain(&m, &f, &[Decimal::ZERO; 5]);

    // Seen incrementally: each year's new savings, a one-off reversed the next year:
    // 4,886.0; 10,824.0; 18,985.7 - 96.0 = 18,889.7; 9,281.3.
    m.feed = Some(SavingsFeed {
        profile: Profile::Incremental,
    });
    let inc = compute_gap(&m, Some(&savings));
    assert_eq!(
        fed(&inc),
        ds(&["0", "4.886", "10.824", "18.8897", "9.2813"])
    );
    // The increments add up to the final full-year effect.
    assert_eq!(fed(&inc).iter().sum::<Decimal>(), d("43.881"));
}

#[test]
fn moving_one_schedule_figure_moves_the_gap_by_exactly_that_much() {
    let savings = schedule(CYPS_SAVINGS);
    let line = savings
        .lines
        .iter()
        .position(|l| savings.line_label(l) == "Early Help Review")
        .unwrap();
    assert_eq!(savings.lines[line].amounts[1], Amount::Figure(d("175.0")));
    let mut moved = savings.clone();
    // +12.3 £'000 in 2018/19 (year column 1 of the schedule, year 2 of the forecast).
    moved.lines[line].amounts[1] = Amount::Figure(d("187.3"));
    let x = d("0.0123");
    for (profile, expected) in [
        // A full-year effect recurs: 2018/19 and every later year.
        (
            Profile::Cumulative,
            [Decimal::ZERO, Decimal::ZERO, -x, -x, -x],
        ),
        // An increment is that year's only.
        (
            Profile::Incremental,
            [
                Decimal::ZERO,
                Decimal::ZERO,
                -x,
                Decimal::ZERO,
                Decimal::ZERO,
            ],
        ),
    ] {
        let mut m = gap_model(&schedule(BUDGET_FORECAST));
        m.feed = Some(SavingsFeed { profile });
        let before = compute_gap(&m, Some(&savings));
        let after = compute_gap(&m, Some(&moved));
        for (y, expected) in expected.iter().enumerate() {
            for pick in [
                |g: &GapYear| g.gap_before_reserves.value,
                |g: &GapYear| g.gap_after_reserves.value,
                |g: &GapYear| g.cumulative_gap.value,
            ] {
                assert_eq!(
                    pick(&after.years[y]) - pick(&before.years[y]),
                    *expected,
                    "{profile:?} year {y}"
                );
            }
        }
    }
}

#[test]
fn the_appraisals_gross_savings_restate_the_forecasts_savings_row() {
    // The investment bids (costs positive, cumulative, £m) fed in place of the forecast's own
    // savings row: their gross savings, 0.000, 2.276, 5.190, 8.061, 9.601, are that row, so the
    // gap comes out exactly as the table's own. Investment and net lines are not savings.
    let bids = schedule(INVESTMENT_BIDS);
    let table = gap_model(&schedule(BUDGET_FORECAST));
    let own = compute_gap(&table, None);
    let mut m = table.clone();
    m.rows[4].role = GapRole::Other;
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    let f = compute_gap(&m, Some(&bids));
    assert_eq!(fed(&f), ds(&["0.000", "2.276", "5.190", "8.061", "9.601"]));
    for (a, b) in f.years.iter().zip(&own.years) {
        assert_eq!(a.gap_after_reserves.value, b.gap_after_reserves.value);
        assert_eq!(a.requirement.value, b.requirement.value);
    }
    // Checked as published, the model with its savings row set aside no longer meets the
    // table's own results from 2017/18 on: the claims are about the table, not the feed.
    assert!(f.checks[1..5]
        .iter()
        .all(|c| c.status == CheckStatus::Error));
    assert_eq!(f.checks.len(), 10);
}

#[test]
fn a_memo_line_is_not_fed() {
    let mut savings = schedule(CYPS_SAVINGS);
    let mut m = gap_model(&schedule(BUDGET_FORECAST));
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    // CYPS9 (NQSW) saves 330.0 in 2017/18.
    savings.lines[0].memo = true;
    let f = compute_gap(&m, Some(&savings));
    assert_eq!(fed(&f)[1], d("4.556"));
}

// --- Routing an upload.

#[test]
fn only_the_gap_tables_look_like_gap_tables() {
    assert!(looks_like_gap_table(&schedule(FUNDING_GAP)));
    assert!(looks_like_gap_table(&schedule(BUDGET_FORECAST)));
    for fixture in [CYPS_SAVINGS, CHILDRENS_SAVINGS, INVESTMENT_BIDS] {
        assert!(!looks_like_gap_table(&schedule(fixture)), "{}", fixture.0);
    }
}

#[test]
fn the_model_round_trips_through_json() {
    let mut m = gap_model(&schedule(FUNDING_GAP));
    m.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    m.rows[1].stated = Stated::ChangeOnPrevious;
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("\"role\":\"reported_gap\""), "{json}");
    assert!(json.contains("\"stated\":\"change_on_previous\""), "{json}");
    assert!(json.contains("\"result\":\"revised_gap\""), "{json}");
    let back: GapModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
}

#[test]
fn a_list_of_savings_is_a_schedule_not_a_gap_table() {
    // Every label names a saving, but a gap table combines roles (budget, pressures, savings...).
    let csv =
        "Project,2023/24,2024/25,Total\n,£m,£m,£m\nPasted saving,1.5,2.5,4.0\nOther saving,1,1,2\n";
    let s = gapwise::engine::import(csv.as_bytes(), "p.csv", &Default::default())
        .unwrap()
        .schedule;
    assert!(!gapwise::engine::looks_like_gap_table(&s));
    let forecast = schedule(BUDGET_FORECAST);
    assert!(gapwise::engine::looks_like_gap_table(&forecast));
}
