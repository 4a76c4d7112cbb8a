//! The five published tables of `tests/fixtures/` (transcribed from council reports, published
//! subtotals left in): each imports, each published total reconciles as docs/domain.md says, and each
//! survives the canonical JSON and the CSV export unchanged.
//!
//! The expected figures are the published ones (or, where the publication's own rounding
//! differs, the exact sum of the published cells, worked out in the comment beside it).

mod common;

use common::{
    check_at, csv_rows, d, export_csv, fig, load_clean, schedule, BUDGET_FORECAST,
    CHILDRENS_SAVINGS, CYPS_SAVINGS, FIXTURES, FUNDING_GAP, INVESTMENT_BIDS,
};
use gapwise::engine::{
    calculate, format_amount, to_json, Amount, CheckColumn, CheckStatus, Measure, Schedule,
    StatusCounts, Subject, TextField, TotalScope, Unit, COMPUTED_TOTAL_HEADER, GRAND_TOTAL_LABEL,
};

fn year_labels(s: &Schedule) -> Vec<String> {
    s.years.iter().map(|y| y.year.label()).collect()
}

/// The file row of the line whose name (or description) column reads `label` and whose type
/// column reads `measure` (empty when the table has none).
fn line_index(s: &Schedule, label: &str, measure: &str) -> usize {
    s.lines
        .iter()
        .position(|l| s.line_label(l) == label && s.text(l, TextField::Type) == measure)
        .unwrap_or_else(|| panic!("no line {label} / {measure}"))
}

#[test]
fn every_fixture_imports_without_problems() {
    for fixture in FIXTURES {
        let imported = load_clean(fixture.1, fixture.0);
        assert!(imported.unit_stated, "{}", fixture.0);
        assert_eq!(imported.encoding, "UTF-8", "{}", fixture.0);
        assert_eq!(imported.delimiter, Some(b','), "{}", fixture.0);
        let title = fixture.0.trim_end_matches(".csv");
        assert_eq!(imported.schedule.title, title);
    }
}

#[test]
fn no_published_figure_is_an_error_or_unchecked_in_any_fixture() {
    for fixture in FIXTURES {
        let s = schedule(fixture);
        let r = calculate(&s);
        for c in &r.checks.checks {
            assert!(
                matches!(c.status, CheckStatus::Ok | CheckStatus::Rounding),
                "{}: {c:?}",
                fixture.0
            );
        }
        // Every published total row makes at least one claim, and every claim is judged.
        assert!(
            r.checks.total_row_status.iter().all(Option::is_some),
            "{}",
            fixture.0
        );
        // A total row is a check, never a line: no line is labelled like one.
        for line in &s.lines {
            let label = s.line_label(line).to_lowercase();
            assert!(!label.starts_with("total"), "{}: {label}", fixture.0);
        }
    }
}

// --- cyps-savings-2017-21.csv: incremental savings schedule, £'000, five section subtotals.

#[test]
fn cyps_savings_layout() {
    let s = schedule(CYPS_SAVINGS);
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(s.decimals, 1);
    assert_eq!(
        year_labels(&s),
        ["2017/18", "2018/19", "2019/20", "2020/21"]
    );
    assert_eq!(s.years[3].header, "2020/2021");
    assert_eq!(s.total_header.as_deref(), Some("TOTAL SAVING DUE"));
    let sections: Vec<&str> = s.sections.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        sections,
        [
            "Staffing Related Savings",
            "Early Help, Edge of Care, Preventative and Support Related Savings",
            "Child Related Savings",
            "Commissioning & Other Service Related Savings",
            "Education Related Savings",
        ]
    );
    assert_eq!(s.lines.len(), 64);
    let per_section: Vec<usize> = (0..5)
        .map(|i| s.lines_in_section(Some(i)).count())
        .collect();
    assert_eq!(per_section, [24, 12, 14, 10, 4]);
    assert_eq!(s.total_rows.len(), 5);
    for (i, t) in s.total_rows.iter().enumerate() {
        assert_eq!(
            t.label,
            "Total Budget Savings / Demand Management Cost Reductions"
        );
        assert_eq!(t.scope, TotalScope::Section(i));
    }
}

#[test]
fn cyps_savings_reconciles() {
    let s = schedule(CYPS_SAVINGS);
    let r = calculate(&s);

    // Every line's "TOTAL SAVING DUE" equals the sum of its years.
    assert_eq!(r.checks.line_status, vec![Some(CheckStatus::Ok); 64]);
    assert_eq!(
        r.checks.line_totals,
        StatusCounts {
            ok: 64,
            ..StatusCounts::default()
        }
    );
    // Every section subtotal, each year and in the total column.
    assert_eq!(r.checks.total_row_status, vec![Some(CheckStatus::Ok); 5]);
    assert_eq!(r.checks.checks.len(), 64 + 5 * 5);
    assert!(r.checks.problems().is_empty());

    // The published subtotals, and the computed sections they restate.
    let published = [
        ["1,180.0", "2,494.0", "3,756.0", "4,305.0", "11,735.0"],
        ["1,022.0", "1,179.0", "1,464.0", "1,408.0", "5,073.0"],
        ["1,572.0", "4,985.0", "12,538.7", "815.3", "19,911.0"],
        ["912.0", "1,566.0", "1,227.0", "2,753.0", "6,458.0"],
        ["200.0", "600.0", "0.0", "0.0", "800.0"],
    ];
    for (i, row) in published.iter().enumerate() {
        let section = &r.totals.sections[i];
        let computed: Vec<String> = section
            .years
            .iter()
            .chain([&section.total])
            .map(|sum| format_amount(sum.value, s.decimals))
            .collect();
        assert_eq!(computed, row, "section {i}");
    }
    assert!(r.totals.unsectioned.is_none());

    // The grand total, which the file does not publish: per year and overall.
    let grand: Vec<String> = r
        .totals
        .grand
        .years
        .iter()
        .map(|sum| format_amount(sum.value, s.decimals))
        .collect();
    assert_eq!(grand, ["4,886.0", "10,824.0", "18,985.7", "9,281.3"]);
    assert_eq!(
        format_amount(r.totals.grand.total.value, s.decimals),
        "43,977.0"
    );
    let grand: Vec<_> = r.totals.grand.years.iter().map(|sum| sum.value).collect();
    assert_eq!(
        grand,
        [d("4886.0"), d("10824.0"), d("18985.7"), d("9281.3")]
    );
    assert_eq!(r.totals.grand.total.value, d("43977.0"));
    // It restates the five published subtotals: 11,735 + 5,073 + 19,911 + 6,458 + 800.
    let subtotals: rust_decimal::Decimal = s
        .total_rows
        .iter()
        .map(|t| fig(t.total.as_ref().unwrap()))
        .sum();
    assert_eq!(subtotals, r.totals.grand.total.value);
    assert!(r.totals.grand.years.iter().all(|sum| sum.is_complete()));
}

#[test]
fn cyps_savings_reversal_pairs_net_to_zero() {
    // Business Support Review 200, 750 then (200), (750) (docs/domain.md, "Netting").
    let s = schedule(CYPS_SAVINGS);
    let r = calculate(&s);
    let pair: Vec<usize> = (0..s.lines.len())
        .filter(|i| s.line_label(&s.lines[*i]) == "Business Support Review")
        .collect();
    assert_eq!(pair.len(), 2);
    assert_eq!(r.totals.lines[pair[0]].value, d("950.0"));
    assert_eq!(r.totals.lines[pair[1]].value, d("-950.0"));
    assert_eq!(fig(&s.lines[pair[1]].amounts[1]), d("-200.0"));
    // Family Group Conferencing, incremental: 165, 462, 627, 660 = 1,914 due.
    let fgc = &s.lines[line_index(&s, "2 - Family group conferencing", "")];
    let profile: Vec<_> = fgc.amounts.iter().map(fig).collect();
    assert_eq!(profile, [d("165.0"), d("462.0"), d("627.0"), d("660.0")]);
    assert_eq!(fgc.total, Some(Amount::Figure(d("1914.0"))));
}

// --- childrens-savings-2023-26.csv: £'000 without decimals, `-` for zero, one `Total` row.

#[test]
fn childrens_savings_reconciles() {
    let s = schedule(CHILDRENS_SAVINGS);
    let r = calculate(&s);
    assert_eq!(s.unit, Unit::Thousands);
    assert_eq!(s.decimals, 0);
    assert_eq!(year_labels(&s), ["2023/24", "2024/25", "2025/26"]);
    assert_eq!(s.sections.len(), 3);
    assert_eq!(s.lines.len(), 10);

    // `-` is a written zero, not a blank.
    let fs = &s.lines[line_index(&s, "Family Safeguarding - whole family strengths-based approach; 22 placements avoided 2024/25 to 2025/26.", "Efficiency")];
    assert_eq!(fs.amounts[0], Amount::Figure(d("0")));
    assert_eq!(fs.total, Some(Amount::Figure(d("1000"))));
    let dashes = s
        .lines
        .iter()
        .flat_map(|l| &l.amounts)
        .filter(|a| **a == Amount::Figure(d("0")))
        .count();
    assert_eq!(dashes, 13);

    let grand: Vec<String> = r
        .totals
        .grand
        .years
        .iter()
        .chain([&r.totals.grand.total])
        .map(|sum| format_amount(sum.value, s.decimals))
        .collect();
    assert_eq!(grand, ["5,372", "3,320", "3,108", "11,800"]);
    assert_eq!(r.totals.grand.total.value, d("11800"));

    assert_eq!(s.total_rows.len(), 1);
    assert_eq!(s.total_rows[0].label, "Total");
    assert_eq!(s.total_rows[0].scope, TotalScope::All);
    assert_eq!(r.checks.total_row_status, [Some(CheckStatus::Ok)]);
    let total = check_at(&r.checks.checks, s.total_rows[0].row, CheckColumn::Total);
    assert_eq!((total.published, total.computed), (d("11800"), d("11800")));
    assert_eq!(r.checks.line_totals.ok, 10);
    assert!(r.checks.problems().is_empty());
}

// --- cyps-investment-bids-2016-21.csv: £m appraisals, measures per proposal, a summary.

#[test]
fn investment_bids_layout() {
    let s = schedule(INVESTMENT_BIDS);
    assert_eq!(s.unit, Unit::Millions);
    assert_eq!(s.decimals, 3);
    assert_eq!(s.lines.len(), 33);
    assert_eq!(s.total_header.as_deref(), Some("Cumulative"));
    let scopes: Vec<&TotalScope> = s.total_rows.iter().map(|t| &t.scope).collect();
    assert_eq!(
        scopes,
        [
            &TotalScope::Measure(Measure::Investment),
            &TotalScope::Measure(Measure::GrossSaving),
            &TotalScope::Measure(Measure::Net),
        ]
    );
    assert_eq!(
        s.total_rows[0].label,
        "Total · Investment Bids - Summary of Cost and Benefit · Investment"
    );
}

#[test]
fn investment_bids_rounding_is_rounding_not_error() {
    let s = schedule(INVESTMENT_BIDS);
    let r = calculate(&s);

    // Foster Carer investment: 0.000 + 1.276 + 1.718 + 2.182 + 2.182 = 7.358, published 7.359.
    let foster = line_index(
        &s,
        "Foster Carer Payments Scheme, Support and Development",
        "Investment",
    );
    let c = check_at(&r.checks.checks, s.lines[foster].row, CheckColumn::Total);
    assert_eq!(c.subject, Subject::LineTotal { line: foster });
    assert_eq!(c.column_header, "Cumulative");
    assert_eq!(c.published, d("7.359"));
    assert_eq!(c.computed, d("7.358"));
    assert_eq!(c.difference, d("0.001"));
    // Five terms and the published total: 6 × 0.0005 (docs/domain.md, "Rounding, precisely").
    assert_eq!(c.tolerance, d("0.0030"));
    assert_eq!(c.status, CheckStatus::Rounding);
    assert_eq!(r.checks.line_status[foster], Some(CheckStatus::Rounding));

    // The summary's 2018/19 investment: 3.716 against 3.715 summed from the bids.
    let summary = &s.total_rows[0];
    let c = check_at(&r.checks.checks, summary.row, CheckColumn::Year(2));
    assert_eq!(c.column_header, "2018/19");
    assert_eq!(c.published, d("3.716"));
    assert_eq!(c.computed, d("3.715"));
    assert_eq!(c.difference, d("0.001"));
    assert_eq!(c.status, CheckStatus::Rounding);

    // Every figure that is not exact, and nothing else: all within rounding.
    let not_ok: Vec<(usize, &str, String, String, CheckStatus)> = r
        .checks
        .problems()
        .into_iter()
        .map(|c| {
            (
                c.row,
                c.column_header.as_str(),
                c.published.to_string(),
                c.computed.to_string(),
                c.status,
            )
        })
        .collect();
    let rounding = CheckStatus::Rounding;
    assert_eq!(
        not_ok,
        [
            // Foster Carer investment, above.
            (3, "Cumulative", "7.359".into(), "7.358".into(), rounding),
            // Foster Carer net: 0.000 - 0.098 - 0.942 - 1.798 - 1.798 = -4.636.
            (5, "Cumulative", "-4.635".into(), "-4.636".into(), rounding),
            (36, "2018/19", "3.716".into(), "3.715".into(), rounding),
            // 2.182 + 0.270 + 0.164 + 0.206 + 0.350 + 0.406 = 3.578.
            (36, "2020/21", "3.579".into(), "3.578".into(), rounding),
            (38, "2018/19", "-1.474".into(), "-1.475".into(), rounding),
            (38, "2020/21", "-6.022".into(), "-6.023".into(), rounding),
        ]
    );
    assert_eq!(
        r.checks.total_row_status,
        [Some(rounding), Some(CheckStatus::Ok), Some(rounding)]
    );
    assert_eq!(
        r.checks.line_totals,
        StatusCounts {
            ok: 31,
            rounding: 2,
            ..StatusCounts::default()
        }
    );
    // The summary's rows claim nothing in the total column (it is blank there).
    assert!(s.total_rows.iter().all(|t| t.total == Some(Amount::Blank)));
}

#[test]
fn investment_bids_measures_are_totalled_apart() {
    let s = schedule(INVESTMENT_BIDS);
    let r = calculate(&s);
    let by = |m: Measure| {
        let t = &r.totals.by_measure.iter().find(|(k, _)| *k == m).unwrap().1;
        t.years.iter().map(|sum| sum.value).collect::<Vec<_>>()
    };
    // Summary of Cost and Benefit: Savings / Cost Avoidance restated exactly.
    assert_eq!(
        by(Measure::GrossSaving),
        [
            d("0.000"),
            d("-2.276"),
            d("-5.190"),
            d("-8.061"),
            d("-9.601")
        ]
    );
    assert_eq!(
        by(Measure::Investment),
        [d("0.179"), d("3.607"), d("3.715"), d("3.527"), d("3.578")]
    );
    // Net per proposal = investment + (negative) gross saving, Foster Carer Payments.
    let foster: Vec<Vec<_>> = ["Investment", "Gross Saving", "Net Saving"]
        .iter()
        .map(|m| {
            let l = &s.lines[line_index(
                &s,
                "Foster Carer Payments Scheme, Support and Development",
                m,
            )];
            l.amounts.iter().map(fig).collect()
        })
        .collect();
    let net: Vec<_> = foster[0]
        .iter()
        .zip(&foster[1])
        .map(|(i, g)| i + g)
        .collect();
    assert_eq!(net, foster[2]);
    assert_eq!(
        foster[2],
        [
            d("0.000"),
            d("-0.098"),
            d("-0.942"),
            d("-1.798"),
            d("-1.798")
        ]
    );
}

// --- cyps-funding-gap-2016-20.csv: revised gap = previously reported gap + changes.

#[test]
fn funding_gap_revised_gap_reconciles() {
    let s = schedule(FUNDING_GAP);
    let r = calculate(&s);
    assert_eq!(s.unit, Unit::Millions);
    assert_eq!(s.lines.len(), 6);
    assert_eq!(s.total_header, None);
    assert_eq!(s.total_rows.len(), 1);
    let revised = &s.total_rows[0];
    assert_eq!(
        revised.label,
        "Revised Future Years Funding Gap as a result of this report"
    );
    assert_eq!(revised.scope, TotalScope::All);
    // 2016/17 is blank in the revised row: no claim, so no check.
    assert_eq!(revised.amounts[0], Amount::Blank);
    let checks: Vec<_> = r
        .checks
        .checks
        .iter()
        .filter(|c| c.subject == Subject::TotalRow { index: 0 })
        .map(|c| (c.column_header.as_str(), c.published, c.computed, c.status))
        .collect();
    let ok = CheckStatus::Ok;
    assert_eq!(
        checks,
        [
            ("2017/18", d("24.130"), d("24.130"), ok),
            // 8.659 + 2.056 - 2.805 - 0.271 + 0.215 = 7.854.
            ("2018/19", d("7.854"), d("7.854"), ok),
            ("2019/20", d("18.863"), d("18.863"), ok),
        ]
    );
    assert_eq!(r.checks.total_row_status, [Some(ok)]);
    // `+2.056` is read as 2.056, and the corporate line's `0` as a written zero.
    let pressure = &s.lines[1];
    assert_eq!(fig(&pressure.amounts[2]), d("2.056"));
    assert_eq!(s.lines[4].amounts[3], Amount::Figure(d("0")));
}

// --- cyps-budget-forecast-2016-21.csv: net forecast = net budget + pressures + investment - savings.

#[test]
fn budget_forecast_reconciles() {
    let s = schedule(BUDGET_FORECAST);
    let r = calculate(&s);
    assert_eq!(s.unit, Unit::Millions);
    assert_eq!(s.lines.len(), 5);
    let labels: Vec<&str> = s.total_rows.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Net Forecast", "Overall Investment / Funding Support"]
    );
    assert_eq!(s.total_rows[0].scope, TotalScope::All);
    assert_eq!(s.total_rows[1].scope, TotalScope::AllButBase);
    assert_eq!(
        r.checks.total_row_status,
        [Some(CheckStatus::Ok), Some(CheckStatus::Ok)]
    );
    let row = |index: usize| -> Vec<_> {
        r.checks
            .checks
            .iter()
            .filter(|c| c.subject == Subject::TotalRow { index })
            .map(|c| {
                assert_eq!(c.status, CheckStatus::Ok, "{c:?}");
                c.computed
            })
            .collect()
    };
    // 2016/17: 56.468 + 7.848 + 0.000 + 0.179 - 0.000 = 64.495.
    assert_eq!(
        row(0),
        [
            d("64.495"),
            d("64.694"),
            d("62.645"),
            d("60.641"),
            d("60.209")
        ]
    );
    // The same less the net budget: 7.848 + 0.000 + 0.179 - 0.000 = 8.027.
    assert_eq!(
        row(1),
        [d("8.027"), d("9.677"), d("8.928"), d("7.924"), d("7.492")]
    );
    assert!(s.is_base_budget(&s.lines[0]));
    assert!(!s.lines[1..].iter().any(|l| s.is_base_budget(l)));
}

// --- Round trips.

#[test]
fn every_fixture_round_trips_through_canonical_json() {
    for fixture in FIXTURES {
        let s = schedule(fixture);
        let json = to_json(&s);
        let name = fixture.0.replace(".csv", ".json");
        let again = load_clean(json.as_bytes(), &name);
        assert_eq!(again.encoding, "JSON");
        assert_eq!(again.schedule, s, "{}", fixture.0);
        // And writing it again gives the same document, byte for byte.
        assert_eq!(to_json(&again.schedule), json, "{}", fixture.0);
        assert_eq!(calculate(&again.schedule), calculate(&s), "{}", fixture.0);
    }
}

#[test]
fn every_fixture_round_trips_through_the_csv_export() {
    for fixture in FIXTURES {
        let s = schedule(fixture);
        let exported = export_csv(&s);
        // Imported under the same name, so the title (from the file name) is the same too.
        let again = load_clean(exported.as_bytes(), fixture.0);
        assert_eq!(again.encoding, "UTF-8 (BOM)");
        assert_eq!(again.schedule, s, "{}", fixture.0);
        assert_eq!(calculate(&again.schedule), calculate(&s), "{}", fixture.0);
        // Exporting the re-imported schedule gives the same file.
        assert_eq!(export_csv(&again.schedule), exported, "{}", fixture.0);
    }
}

#[test]
fn csv_export_states_computed_totals_and_checks() {
    let s = schedule(CYPS_SAVINGS);
    let rows = csv_rows(&export_csv(&s));
    let header = &rows[0];
    assert_eq!(header.len(), 9 + 2);
    assert_eq!(header[9], COMPUTED_TOTAL_HEADER);
    assert_eq!(rows[1][4..10], ["£'000"; 6]);
    // Header, unit row, then the file's 5 headings, 64 lines, 5 subtotals, then the grand total.
    assert_eq!(rows.len(), 2 + 5 + 64 + 5 + 1);
    let grand = rows.last().unwrap();
    assert_eq!(grand[0], GRAND_TOTAL_LABEL);
    assert_eq!(
        grand[4..10],
        ["4886.0", "10824.0", "18985.7", "9281.3", "", "43977.0"]
    );
    assert!(rows[3..rows.len() - 1]
        .iter()
        .filter(|r| !r[4].is_empty())
        .all(|r| r[10] == "ok"));

    let s = schedule(INVESTMENT_BIDS);
    let rows = csv_rows(&export_csv(&s));
    // File row 3 is the Foster Carer investment line; its check says what and by how much.
    assert_eq!(
        rows[2][1],
        "Foster Carer Payments Scheme, Support and Development"
    );
    assert_eq!(rows[2][8], "7.359");
    assert_eq!(rows[2][10], "7.358");
    assert_eq!(
        rows[2][11],
        "rounding: total rounding: published 7.359, computed 7.358"
    );
    assert_eq!(
        rows[35][11],
        "rounding: 2018/19 rounding: published 3.716, computed 3.715; \
         2020/21 rounding: published 3.579, computed 3.578"
    );
}
