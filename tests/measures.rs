//! Several measures per year (issue 16; docs/domain.md "Measures beside years"): a workstream
//! table with gross benefits, costs and net savings under each year and net savings over both
//! years, in pounds (`"£1,002,833"`, `"-£374,071"`), and a `2024/25 Gross, 2024/25
//! Investment, 2024/25 Net, …` table in £'000 with brackets. Each has a twin with one net cell
//! wrong; the clean twins must raise no alarm.

mod common;

use common::{d, fig, load, load_clean};
use gapwise::engine::arithmetic::{map_grid, Status};
use gapwise::engine::{
    calculate, check, import, netting, totals, CheckColumn, CheckStatus, ImportOptions, Measure,
    Profile, Schedule, SignConvention, TotalScope, Unit,
};
use rust_decimal::Decimal;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/measures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn grid(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The lines' measures and rows, in order.
fn measures(s: &Schedule) -> Vec<(usize, Option<Measure>)> {
    s.lines.iter().map(|l| (l.row, s.measure(l))).collect()
}

/// The published figures (in the file's cells, read independently of the import) of one file
/// row: the cells of the given columns, as exact decimals.
fn cells(g: &[Vec<String>], row: usize, columns: &[usize]) -> Vec<Decimal> {
    columns
        .iter()
        .map(|&c| {
            let t = g[row - 1][c].replace(['£', ','], "");
            let t = if t.starts_with('(') {
                format!("-{}", t.trim_matches(['(', ')']))
            } else if t == "-" {
                "0".into()
            } else {
                t
            };
            d(&t)
        })
        .collect()
}

#[test]
fn workstream_table_reads_one_line_per_row_per_measure() {
    let i = load_clean(&fixture("workstreams-clean.csv"), "workstreams-clean.csv");
    let s = &i.schedule;
    assert_eq!(s.title, "Transformation programme: business case summary");
    assert_eq!(s.unit, Unit::Pounds);
    let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
    assert_eq!(years, ["2015/16", "2016/17"]);
    assert_eq!(s.sign, SignConvention::BenefitsPositive);
    assert_eq!(s.profile, Profile::Cumulative);
    // Seven workstreams (rows 3–9), each a benefit, a cost and a net line on its own file row.
    let want: Vec<(usize, Option<Measure>)> = (3..=9)
        .flat_map(|r| [Measure::Benefit, Measure::Cost, Measure::Net].map(|m| (r, Some(m))))
        .collect();
    assert_eq!(measures(s), want);
    let w1: Vec<_> = s.lines.iter().filter(|l| l.row == 3).collect();
    assert_eq!(s.line_label(w1[0]), "Digital channel shift");
    assert_eq!(fig(&w1[0].amounts[0]), d("1002833"));
    assert_eq!(fig(&w1[1].amounts[0]), d("-374071"));
    assert_eq!(fig(&w1[2].amounts[1]), d("1129900"));
    // Net savings 2015/16 and 2016/17 is the net line's published total; the others have none.
    assert_eq!(fig(w1[2].total.as_ref().unwrap()), d("1758662"));
    assert!(!w1[0].total.as_ref().unwrap().is_figure());
    // The Total row is one total row per measure, each over its measure's lines.
    let scopes: Vec<(usize, TotalScope)> = s
        .total_rows
        .iter()
        .map(|t| (t.row, t.scope.clone()))
        .collect();
    assert_eq!(
        scopes,
        [Measure::Benefit, Measure::Cost, Measure::Net].map(|m| (10, TotalScope::Measure(m)))
    );
}

#[test]
fn each_proposal_nets_to_its_published_net() {
    let bytes = fixture("workstreams-clean.csv");
    let g = grid(&bytes);
    let s = load_clean(&bytes, "workstreams-clean.csv").schedule;
    let n = netting(&s);
    assert_eq!(n.proposals.len(), 7);
    for (p, row) in n.proposals.iter().zip(3..) {
        // The published nets (columns E and H), read from the file's cells here.
        let published = cells(&g, row, &[4, 7]);
        let net: Vec<Decimal> = p.net.iter().map(|x| x.value).collect();
        assert_eq!(net, published, "{}", p.name);
        // Benefit + cost, from the cells: the same figure.
        let b = cells(&g, row, &[2, 5]);
        let c = cells(&g, row, &[3, 6]);
        assert_eq!(net, vec![b[0] + c[0], b[1] + c[1]]);
        assert_eq!(p.status, Some(CheckStatus::Ok), "{}", p.name);
        assert_eq!(p.payback_annual, Some(1));
    }
    assert_eq!(n.proposals[0].name, "Digital channel shift");
    assert_eq!(n.proposals[0].reference, "W1");
    // No false alarm: every check of the clean twin holds.
    let r = calculate(&s);
    assert!(
        r.checks.checks.iter().all(|c| c.status == CheckStatus::Ok),
        "{:#?}",
        r.checks
            .checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .collect::<Vec<_>>()
    );
    // Three total rows (benefit, cost, net), every cell of them ok.
    assert_eq!(r.checks.total_rows.ok, 3);
    assert_eq!(r.checks.line_totals.ok, 7);
}

#[test]
fn the_wrong_net_is_found_with_both_figures() {
    let bytes = fixture("workstreams.csv");
    let s = load_clean(&bytes, "workstreams.csv").schedule;
    let n = netting(&s);
    // W3, row 5: Net Savings 2016/17 published 568,780; 655,780 − 88,000 = 567,780.
    let w3 = &n.proposals[2];
    assert_eq!(w3.reference, "W3");
    assert_eq!(w3.status, Some(CheckStatus::Error));
    let wrong: Vec<_> = w3
        .net_checks
        .iter()
        .filter(|c| c.status == CheckStatus::Error)
        .collect();
    assert!(!wrong.is_empty());
    let year = wrong
        .iter()
        .find(|c| c.column == CheckColumn::Year(1))
        .expect("the 2016/17 net is an error");
    assert_eq!(
        (year.row, year.published, year.computed),
        (5, d("568780"), d("567780"))
    );
    for (i, p) in n.proposals.iter().enumerate() {
        if i != 2 {
            assert_eq!(p.status, Some(CheckStatus::Ok), "{}", p.name);
        }
    }
    // The checks panel: the net line's over-years total (770,380 against 202,600 + 568,780) is
    // the one error. The Total row's 2016/17 net and over-years net add up the right figure
    // where the line has the wrong one, so they differ by the same 1,000: they carry row 5's
    // error, each on the row it is published in, and it is counted once.
    let r = check(&s, &totals(&s));
    let judged = |status: CheckStatus| -> Vec<(usize, CheckColumn, Decimal, Decimal)> {
        r.checks
            .iter()
            .filter(|c| c.status == status)
            .map(|c| (c.row, c.column, c.published, c.computed))
            .collect()
    };
    assert_eq!(
        judged(CheckStatus::Error),
        [(5, CheckColumn::Total, d("770380"), d("771380"))]
    );
    assert_eq!(
        judged(CheckStatus::Carried),
        [
            (10, CheckColumn::Year(1), d("5096095"), d("5097095")),
            (10, CheckColumn::Total, d("7967117"), d("7968117"))
        ]
    );
    assert!(r
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Carried)
        .all(|c| c.carries == [5]));
}

#[test]
fn the_arithmetic_map_finds_net_and_the_column_over_the_years() {
    let clean = map_grid(&grid(&fixture("workstreams-clean.csv"))).expect("a table");
    assert_eq!(clean.counts.broken, 0, "no false alarm");
    // Net 2015/16 (E) = benefit (C) + cost (D); net 2016/17 (H) = F + G; I = E + H.
    let terms = |c: usize| -> Vec<(usize, i8)> {
        clean
            .column_identity(c)
            .unwrap_or_else(|| panic!("column {c} has no identity"))
            .terms
            .iter()
            .map(|t| (t.index, t.sign))
            .collect()
    };
    assert_eq!(terms(4), [(2, 1), (3, 1)]);
    assert_eq!(terms(7), [(5, 1), (6, 1)]);
    let over = terms(8);
    assert!(
        over == [(4, 1), (7, 1)] || over == [(2, 1), (3, 1), (5, 1), (6, 1)],
        "{over:?}"
    );

    let m = map_grid(&grid(&fixture("workstreams.csv"))).expect("a table");
    let broken: Vec<_> = m
        .identities
        .iter()
        .flat_map(|i| i.checks.iter())
        .filter(|c| c.status == Status::Broken)
        .collect();
    assert!(!broken.is_empty());
    assert!(
        broken.iter().all(|c| c.row == 5 || c.row == 10),
        "{broken:?}"
    );
    let h5 = broken
        .iter()
        .find(|c| c.cell == "H5")
        .expect("H5 is broken");
    assert_eq!((h5.published, h5.computed), (d("568780"), d("567780")));
}

#[test]
fn gross_investment_net_in_thousands_with_brackets() {
    let i = load_clean(&fixture("gross-investment-net-clean.csv"), "gin.csv");
    let s = &i.schedule;
    assert_eq!(s.unit, Unit::Thousands);
    assert!(i.unit_stated);
    assert_eq!(s.years.len(), 3);
    assert_eq!(s.sign, SignConvention::BenefitsPositive);
    let want: Vec<(usize, Option<Measure>)> = (4..=8)
        .flat_map(|r| {
            [Measure::GrossSaving, Measure::Investment, Measure::Net].map(|m| (r, Some(m)))
        })
        .collect();
    assert_eq!(measures(s), want);
    assert_eq!(s.total_header, None);
    let g = grid(&fixture("gross-investment-net-clean.csv"));
    let n = netting(s);
    assert_eq!(n.proposals.len(), 5);
    for (p, row) in n.proposals.iter().zip(4..) {
        let published = cells(&g, row, &[3, 6, 9]);
        let net: Vec<Decimal> = p.net.iter().map(|x| x.value).collect();
        assert_eq!(net, published, "{}", p.name);
        assert_eq!(p.status, Some(CheckStatus::Ok), "{}", p.name);
    }
    // Energy efficiency costs more than it saves in 2024/25: pays back in year 2 annually,
    // and cumulatively (−65.0 + 130.0 > 0) in year 2 too.
    let energy = &n.proposals[2];
    assert_eq!(energy.net[0].value, d("-65.0"));
    assert_eq!(
        (energy.payback_annual, energy.payback_cumulative),
        (Some(2), Some(2))
    );
    let r = calculate(s);
    assert!(r.checks.checks.iter().all(|c| c.status == CheckStatus::Ok));
    assert_eq!(r.checks.total_rows.ok, 3);
    let clean = map_grid(&g).expect("a table");
    assert_eq!(clean.counts.broken, 0);

    // The twin: Energy efficiency's 2024/25 net published (55.0) against 85.0 + (150.0).
    let bytes = fixture("gross-investment-net.csv");
    let s = load_clean(&bytes, "gin.csv").schedule;
    assert_eq!(
        the_one_wrong_net(&netting(&s)).1,
        (6, CheckColumn::Year(0), d("-55.0"), d("-65.0"))
    );
    let m = map_grid(&grid(&bytes)).expect("a table");
    let d6 = m
        .identities
        .iter()
        .flat_map(|i| i.checks.iter())
        .find(|c| c.cell == "D6" && c.status == Status::Broken)
        .expect("D6 is broken");
    assert_eq!((d6.published, d6.computed), (d("-55.0"), d("-65.0")));
}

#[test]
fn a_bad_cell_is_reported_at_its_own_column() {
    let text = "Ref,Name,Gross 2024/25,Cost 2024/25,Net 2024/25\nA,One,10,-4,6\nB,Two,8,zz,8\n";
    let i = load(text.as_bytes(), "t.csv");
    assert_eq!(i.schedule.lines.len(), 6);
    assert_eq!(i.problems.len(), 1);
    let p = i.problems[0].position().unwrap();
    assert_eq!((p.row, p.column), (3, Some(4)));
    assert_eq!(p.column_header.as_deref(), Some("Cost 2024/25"));
}

#[test]
fn single_measure_years_and_mappings_stay_wide() {
    // One measure per year is an ordinary schedule, as before.
    let s = load_clean(b"Project,2017/18 Saving,2018/19 Saving\nA,1,2\n", "t.csv").schedule;
    assert_eq!(s.lines.len(), 1);
    assert!(s.column_of(gapwise::engine::TextField::Type).is_none());
    // A year twice with no measure is still refused.
    let e = import(b"P,2017/18,2017/2018\n", "x.csv", &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("2017/18"), "{e}");
}

#[test]
fn the_export_reads_back_as_the_same_measure_lines() {
    let s = load_clean(&fixture("workstreams.csv"), "workstreams.csv").schedule;
    let csv = common::export_csv(&s);
    let back = load(csv.as_bytes(), "export.csv").schedule;
    // The export writes each line on a row of its own, in order, with its measure.
    let kinds = |s: &Schedule| -> Vec<_> { s.lines.iter().map(|l| s.measure(l)).collect() };
    assert_eq!(kinds(&back), kinds(&s));
    let cells = |s: &Schedule| -> Vec<_> {
        s.lines
            .iter()
            .map(|l| (l.amounts.clone(), l.total.clone()))
            .collect()
    };
    assert_eq!(cells(&back), cells(&s));
    assert_eq!(back.total_header.as_deref(), Some("Total net"));
    assert_eq!(back.sign, s.sign);
    // The CSV export does not state a profile (for any schedule): read back, the file decides.
    let mut back = back;
    back.profile = s.profile;
    let nets = |s: &Schedule| -> Vec<Vec<Decimal>> {
        netting(s)
            .proposals
            .iter()
            .map(|p| p.net.iter().map(|x| x.value).collect())
            .collect()
    };
    assert_eq!(nets(&back), nets(&s));
}

#[test]
fn a_bare_total_is_the_nets_and_a_monitoring_total_is_left_out() {
    let text = "Name,Gross 2024/25,Cost 2024/25,Net 2024/25,Gross 2025/26,Cost 2025/26,\
                Net 2025/26,Total variance,Total\nA,10,-4,6,12,-2,10,99,16\n";
    let i = load_clean(text.as_bytes(), "t.csv");
    let s = &i.schedule;
    assert_eq!(s.total_header.as_deref(), Some("Total"));
    let totals: Vec<(Option<Measure>, Option<Decimal>)> = s
        .lines
        .iter()
        .map(|l| {
            let t = l.total.as_ref().unwrap();
            (s.measure(l), t.is_figure().then(|| fig(t)))
        })
        .collect();
    assert_eq!(
        totals,
        [
            (Some(Measure::GrossSaving), None),
            (Some(Measure::Cost), None),
            (Some(Measure::Net), Some(d("16"))),
        ]
    );
    assert!(s.text_columns.iter().all(|c| c.header != "Total variance"));
}

/// The mapping step shows a measure beside the year of each column: the workstream table's
/// proposal has each year column with its measure and the column over both years as the net's
/// total, with no doubt about a year heading two columns. Importing with that mapping as it
/// stands gives the schedule the import gives on its own.
#[test]
fn the_mapping_proposes_a_measure_beside_each_year() {
    use gapwise::engine::{detect_mapping, ColumnRole, FinancialYear};
    let bytes = fixture("workstreams-clean.csv");
    let o = ImportOptions::default();
    let p = detect_mapping(&bytes, "workstreams-clean.csv", &o).unwrap();
    assert!(p.doubts.is_empty(), "{:?}", p.doubts);
    let y = |start: i32| ColumnRole::Year {
        year: FinancialYear { start },
    };
    let got: Vec<(ColumnRole, Option<Measure>)> = p
        .mapping
        .columns
        .iter()
        .map(|c| (c.role, c.measure))
        .collect();
    assert_eq!(
        got[2..].to_vec(),
        vec![
            (y(2015), Some(Measure::Benefit)),
            (y(2015), Some(Measure::Cost)),
            (y(2015), Some(Measure::Net)),
            (y(2016), Some(Measure::Benefit)),
            (y(2016), Some(Measure::Cost)),
            (y(2016), Some(Measure::Net)),
            (ColumnRole::Total, Some(Measure::Net)),
        ]
    );
    let mapped = import(
        &bytes,
        "workstreams-clean.csv",
        &ImportOptions {
            mapping: Some(p.mapping.clone()),
            ..o.clone()
        },
    )
    .unwrap();
    let plain = import(&bytes, "workstreams-clean.csv", &o).unwrap();
    assert_eq!(mapped.schedule, plain.schedule);
    // The mapping travels as JSON with its measures, and an old mapping without them still reads.
    let json = serde_json::to_string(&p.mapping).unwrap();
    assert!(json.contains(r#""measure":"benefit""#), "{json}");
    let back: gapwise::engine::ColumnMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p.mapping);
}

/// The user corrects a measure: the 2016/17 costs column called a gross saving instead makes
/// each workstream two gross-saving figures that year, refused as the same measure of a year
/// twice with both columns named; calling it investment instead reads it as investment.
#[test]
fn the_user_corrects_a_measure_in_the_mapping() {
    use gapwise::engine::detect_mapping;
    let bytes = fixture("workstreams-clean.csv");
    let o = ImportOptions::default();
    let p = detect_mapping(&bytes, "workstreams-clean.csv", &o).unwrap();
    let with = |measure: Measure| {
        let mut m = p.mapping.clone();
        m.columns[6].measure = Some(measure);
        import(
            &bytes,
            "workstreams-clean.csv",
            &ImportOptions {
                mapping: Some(m),
                ..o.clone()
            },
        )
    };
    let e = with(Measure::Benefit).unwrap_err().to_string();
    assert!(
        e.contains("2016/17") && e.contains("Gross Benefit 2016/17"),
        "{e}"
    );
    let s = with(Measure::Investment).unwrap().schedule;
    let measures: Vec<Option<Measure>> = s.lines.iter().map(|l| s.measure(l)).collect();
    assert!(measures.contains(&Some(Measure::Investment)));
    assert!(
        measures.contains(&Some(Measure::Cost)),
        "2015/16 costs stay costs"
    );
}

/// The years written once in a caption row over measure-only headings (`2024/25` over `Gross`,
/// `Investment`, `Net`; `Total` over `Net`): read as measures beside years, each proposal's net
/// per year checked, and the twin's mistyped net (302.0 for 320.0) is the one error.
#[test]
fn years_in_a_caption_row_over_measures() {
    let i = load_clean(&fixture("caption-years-clean.csv"), "caption.csv");
    let s = &i.schedule;
    assert_eq!(s.unit, Unit::Thousands);
    let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
    assert_eq!(years, ["2024/25", "2025/26"]);
    let want: Vec<(usize, Option<Measure>)> = (5..=7)
        .flat_map(|r| {
            [Measure::GrossSaving, Measure::Investment, Measure::Net].map(|m| (r, Some(m)))
        })
        .collect();
    assert_eq!(measures(s), want);
    let n = netting(s);
    let nets: Vec<Vec<Decimal>> = n
        .proposals
        .iter()
        .map(|p| p.net.iter().map(|x| x.value).collect())
        .collect();
    assert_eq!(
        nets,
        vec![
            vec![d("40.5"), d("194.5")],
            vec![d("250.0"), d("320.0")],
            vec![d("80.0"), d("90.0")]
        ]
    );
    assert!(n
        .proposals
        .iter()
        .all(|p| p.status == Some(CheckStatus::Ok)));
    let r = calculate(s);
    assert!(r.checks.checks.iter().all(|c| c.status == CheckStatus::Ok));

    let s = load_clean(&fixture("caption-years.csv"), "caption.csv").schedule;
    assert_eq!(
        the_one_wrong_net(&netting(&s)),
        (
            "Waste rounds".into(),
            (6, CheckColumn::Year(1), d("302.0"), d("320.0"))
        )
    );
}

/// The one proposal whose nets are in error, and its one wrong net check: (row, column,
/// published, computed).
fn the_one_wrong_net(
    n: &gapwise::engine::Netting,
) -> (String, (usize, CheckColumn, Decimal, Decimal)) {
    let bad: Vec<_> = n
        .proposals
        .iter()
        .filter(|p| p.status == Some(CheckStatus::Error))
        .collect();
    assert_eq!(bad.len(), 1);
    let c = bad[0]
        .net_checks
        .iter()
        .find(|c| c.status == CheckStatus::Error)
        .unwrap();
    (
        bad[0].name.clone(),
        (c.row, c.column, c.published, c.computed),
    )
}
