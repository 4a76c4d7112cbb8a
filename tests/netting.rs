//! Netting on the published tables (docs/domain.md, "Netting"): the investment appraisal's proposals,
//! nets and paybacks against what it publishes, the savings schedule's reversal pairs and
//! duplicate references; then properties of the profile conversion that netting rests on
//! (docs/domain.md, "Profiles"), on lines drawn by `proptest` strategies (failures shrink to a minimal line).

mod common;

use std::collections::BTreeSet;

use common::generate;
use common::{
    complete_values, d, load, schedule, BAD_CELL, CYPS_SAVINGS, FIXTURES, INVESTMENT_BIDS,
};
use gapwise::engine::{
    full_year_effects, line_from_profile, line_in_profile, line_profile_totals, netting,
    payback_label, schedule_in_profile, Amount, CheckColumn, CheckStatus, Line, NettingRun,
    NoFigure, Profile, ProposalNet, Recurrence, Schedule, SignConvention, Subject, Sum,
};
use proptest::bool::weighted;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

fn appraisal() -> Schedule {
    schedule(INVESTMENT_BIDS)
}

fn savings() -> Schedule {
    schedule(CYPS_SAVINGS)
}

fn proposal<'a>(proposals: &'a [ProposalNet], name: &str) -> &'a ProposalNet {
    proposals
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no proposal {name}"))
}

// --- cyps-investment-bids-2016-21.csv: £m, costs positive, cumulative.

/// The appraisal's proposals in file order, with the published payback and the annual and
/// cumulative ones worked out.
const APPRAISAL_PAYBACKS: [(&str, &str, &str, &str); 11] = [
    (
        "CYPS 1A",
        "Foster Carer Payments Scheme, Support and Development",
        "Year 2",
        "Year 2",
    ),
    ("CYPS 1B", "Therapeutic Service", "N/A", "N/A"),
    ("CYPS 2", "Family Group Conferencing", "Year 2", "Year 3"),
    (
        "CYPS 3",
        "Special Guardianship Looked After Children",
        "Year 2",
        "Year 2",
    ),
    ("CYPS 4", "Pause Project", "N/A", "N/A"),
    ("CYPS 5", "Edge of Care", "Year 3", "Year 3"),
    ("CYPS 6", "Multi-systemic Therapy (MST)", "Year 2", "Year 2"),
    ("CYPS 7", "Reunification Project", "Year 2", "Year 2"),
    ("CYPS 8", "Single Assessment Review Duty Team", "N/A", "N/A"),
    (
        "CYPS 9",
        "Appointment of Newly Qualified Social Workers (x 22)",
        "Year 3",
        "Year 4",
    ),
    (
        "CYPS 10",
        "Workforce Development and Practice Improvement",
        "N/A",
        "N/A",
    ),
];

#[test]
fn appraisal_has_eleven_proposals_of_three_measure_lines_and_no_summary_rows() {
    let s = appraisal();
    assert_eq!(s.sign, SignConvention::CostsPositive);
    assert_eq!(s.profile, Profile::Cumulative);
    let n = netting(&s);
    let found: Vec<(&str, &str)> = n
        .proposals
        .iter()
        .map(|p| (p.reference.as_str(), p.name.as_str()))
        .collect();
    let expected: Vec<(&str, &str)> = APPRAISAL_PAYBACKS.iter().map(|p| (p.0, p.1)).collect();
    assert_eq!(found, expected);
    for (k, p) in n.proposals.iter().enumerate() {
        // Investment, gross saving and net, one after another; the three `Total` summary rows
        // are total rows, not lines, and form no proposal.
        assert_eq!(p.lines, [3 * k, 3 * k + 1, 3 * k + 2], "{}", p.name);
        assert_eq!(p.net.len(), 5);
    }
    // Three measure lines of one proposal share a reference and a name: not duplicates.
    assert!(n.duplicate_refs.is_empty(), "{:?}", n.duplicate_refs);
    // A net line has its proposal's label and the opposite sign to its investment: it is a
    // measure of the proposal, not a reversal.
    assert!(n.reversals.is_empty(), "{:?}", n.reversals);
}

#[test]
fn foster_carer_nets_as_published() {
    let s = appraisal();
    let n = netting(&s);
    let foster = proposal(
        &n.proposals,
        "Foster Carer Payments Scheme, Support and Development",
    );
    // docs/domain.md: investment 1.276, 1.718, 2.182, 2.182 against gross savings 1.374, 2.660,
    // 3.980, 3.980 give net (0.098), (0.942), (1.798), (1.798), in the file's signs.
    assert_eq!(
        complete_values(&foster.investment),
        [d("0.000"), d("1.276"), d("1.718"), d("2.182"), d("2.182")]
    );
    assert_eq!(
        complete_values(&foster.gross_saving),
        [
            d("0.000"),
            d("-1.374"),
            d("-2.660"),
            d("-3.980"),
            d("-3.980")
        ]
    );
    assert_eq!(
        complete_values(&foster.net),
        [
            d("0.000"),
            d("-0.098"),
            d("-0.942"),
            d("-1.798"),
            d("-1.798")
        ]
    );
    assert_eq!(
        complete_values(&foster.cumulative_net),
        [
            d("0.000"),
            d("-0.098"),
            d("-1.040"),
            d("-2.838"),
            d("-4.636")
        ]
    );
    // The published total (4.635) against the computed 4.636: within the rounding of the ten
    // summed cells (0.005), so a rounding difference.
    let total = foster
        .net_checks
        .iter()
        .find(|c| c.column == CheckColumn::Total)
        .unwrap();
    assert_eq!(total.subject, Subject::NetLine { line: 2 });
    assert_eq!(total.row, s.lines[2].row);
    assert_eq!(total.column_header, "Cumulative");
    assert_eq!(total.published, d("-4.635"));
    assert_eq!(total.computed, d("-4.636"));
    assert_eq!(total.difference, d("0.001"));
    // The ten terms' half units and the published net's own (docs/domain.md, "Rounding,
    // precisely").
    assert_eq!(total.tolerance, d("0.0055"));
    assert_eq!(total.status, CheckStatus::Rounding);
    assert_eq!(foster.status, Some(CheckStatus::Rounding));
}

#[test]
fn every_published_net_line_reconciles_with_its_computed_net() {
    let s = appraisal();
    let n = netting(&s);
    let mut rounding = Vec::new();
    for p in &n.proposals {
        // Five years and the Cumulative column of the one net line.
        assert_eq!(p.net_checks.len(), 6, "{}", p.name);
        for c in &p.net_checks {
            assert_eq!(c.subject, Subject::NetLine { line: p.lines[2] });
            match c.status {
                CheckStatus::Ok => {}
                CheckStatus::Rounding => rounding.push((p.name.as_str(), c.column)),
                _ => panic!("{}: {c:?}", p.name),
            }
        }
    }
    assert_eq!(
        rounding,
        [(
            "Foster Carer Payments Scheme, Support and Development",
            CheckColumn::Total
        )]
    );
}

#[test]
fn published_paybacks_are_the_annual_ones_and_the_cumulative_ones_differ() {
    let s = appraisal();
    let n = netting(&s);
    for (p, (_, name, annual, cumulative)) in n.proposals.iter().zip(APPRAISAL_PAYBACKS) {
        assert_eq!(p.published_payback.as_deref(), Some(annual), "{name}");
        assert_eq!(payback_label(p.payback_annual), annual, "{name}");
        assert_eq!(payback_label(p.payback_cumulative), cumulative, "{name}");
        assert_eq!(p.payback_check, Some(CheckStatus::Ok), "{name}");
        assert!(!p.payback_annual_incomplete && !p.payback_cumulative_incomplete);
    }
    // docs/domain.md: Family Group Conferencing is Year 2 annual but Year 3 cumulative; Newly
    // Qualified Social Workers Year 3 vs Year 4.
    let fgc = proposal(&n.proposals, "Family Group Conferencing");
    assert_eq!(
        (fgc.payback_annual, fgc.payback_cumulative),
        (Some(2), Some(3))
    );
    let nqsw = proposal(
        &n.proposals,
        "Appointment of Newly Qualified Social Workers (x 22)",
    );
    assert_eq!(
        (nqsw.payback_annual, nqsw.payback_cumulative),
        (Some(3), Some(4))
    );
    // Edge of Care's net 0.185 in 2017/18 is a cost (costs positive): it pays back in Year 3.
    let edge = proposal(&n.proposals, "Edge of Care");
    assert_eq!(edge.net[1].value, d("0.185"));
    assert_eq!(edge.payback_annual, Some(3));
}

#[test]
fn a_wrong_published_payback_is_an_error() {
    let mut s = appraisal();
    let payback = s.column_of(gapwise::engine::TextField::Payback).unwrap();
    // Family Group Conferencing's net line: publish the cumulative payback instead.
    s.lines[8].text[payback] = "year 3".to_string();
    let n = netting(&s);
    let fgc = proposal(&n.proposals, "Family Group Conferencing");
    assert_eq!(fgc.payback_check, Some(CheckStatus::Error));
    assert_eq!(fgc.status, Some(CheckStatus::Error));
    // Case and spaces do not matter.
    s.lines[8].text[payback] = " YEAR2 ".to_string();
    let fgc = proposal(&netting(&s).proposals, "Family Group Conferencing").clone();
    assert_eq!(fgc.payback_check, Some(CheckStatus::Ok));
}

#[test]
fn a_memo_investment_is_shown_but_left_out_of_the_net() {
    let mut s = appraisal();
    // Reunification Project's investment (0.090 in 2017/18) marked memo.
    s.lines[21].memo = true;
    let n = netting(&s);
    let p = proposal(&n.proposals, "Reunification Project");
    assert_eq!(p.lines, [21, 22, 23]);
    assert!(p.investment.iter().all(|y| y.value.is_zero()));
    assert_eq!(p.net[1].value, d("-0.132"));
    // The published net, which counted it, no longer reconciles.
    assert_eq!(p.status, Some(CheckStatus::Error));
}

// --- cyps-savings-2017-21.csv: £'000, savings positive, incremental (the demo).

#[test]
fn savings_schedule_has_exactly_three_full_reversal_pairs() {
    let s = savings();
    let n = netting(&s);
    let pairs: Vec<(String, usize, usize, Decimal, Decimal, bool)> = n
        .reversals
        .iter()
        .map(|r| {
            let (o, v) = (&s.lines[r.original], &s.lines[r.reversal]);
            assert_eq!(s.line_label(o), s.line_label(v));
            assert_eq!(o.section, v.section);
            assert!(r.net.iter().all(|y| y.value.is_zero() && y.is_complete()));
            assert!(r.net_total.value.is_zero());
            (
                s.line_label(o),
                o.row,
                v.row,
                o.total.as_ref().and_then(Amount::value).unwrap(),
                v.total.as_ref().and_then(Amount::value).unwrap(),
                r.full,
            )
        })
        .collect();
    let row = |label: &str, total: &str| {
        s.lines
            .iter()
            .find(|l| {
                s.line_label(l) == label
                    && l.total.as_ref().and_then(Amount::value) == Some(d(total))
            })
            .unwrap()
            .row
    };
    let regional = "Regional Agreement for Agency Social Workers";
    let business = "Business Support Review";
    let cpq = "Commissioning, Performance & Quality";
    assert_eq!(
        pairs,
        [
            // The (400) against the 400 line, not the 200 line before it.
            (
                regional.to_string(),
                row(regional, "400.0"),
                row(regional, "-400.0"),
                d("400.0"),
                d("-400.0"),
                true
            ),
            (
                business.to_string(),
                row(business, "950.0"),
                row(business, "-950.0"),
                d("950.0"),
                d("-950.0"),
                true
            ),
            // Against the 94 line, not the ASR 100 or 750 lines of the same name.
            (
                cpq.to_string(),
                row(cpq, "94.0"),
                row(cpq, "-94.0"),
                d("94.0"),
                d("-94.0"),
                true
            ),
        ]
    );
    assert_ne!(row(regional, "400.0"), row(regional, "200.0"));
}

#[test]
fn savings_schedule_duplicate_references() {
    let s = savings();
    let n = netting(&s);
    let found: BTreeSet<&str> = n
        .duplicate_refs
        .iter()
        .map(|r| r.reference.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "CYPS9", "CYPS10", "CYPS2", "CYPS3", "CYPS5", "CYPS6", "CYPS7", "CYPS8",
    ]
    .into();
    assert_eq!(found, expected);
    // In the file order of each reference's first use, each used twice.
    let order: Vec<&str> = n
        .duplicate_refs
        .iter()
        .map(|r| r.reference.as_str())
        .collect();
    assert_eq!(
        order,
        ["CYPS9", "CYPS10", "CYPS8", "CYPS2", "CYPS6", "CYPS5", "CYPS3", "CYPS7"]
    );
    for dup in &n.duplicate_refs {
        assert_eq!(dup.lines.len(), 2, "{}", dup.reference);
        assert!(dup.lines[0] < dup.lines[1]);
    }
    // docs/domain.md: CYPS9 is both the 16/17 NQSW bid and the 17/18 Edge of Care Interventions.
    let cyps9 = &n.duplicate_refs[0];
    let names: Vec<String> = cyps9
        .lines
        .iter()
        .map(|&i| s.line_label(&s.lines[i]))
        .collect();
    assert_eq!(
        names,
        [
            "9 - Appointment of Newly Qualified Social Workers",
            "Edge of Care Interventions"
        ]
    );
}

#[test]
fn savings_schedule_nets_full_year_effects_and_keeps_one_proposal_per_reference_and_name() {
    let s = savings();
    let n = netting(&s);
    // 64 lines; the three reversal pairs and the three Regional Agreement lines share a label
    // with no reference, and CYPS10 and CYPS9 each name two proposals.
    assert_eq!(n.proposals.len(), 60);
    let fgc = proposal(&n.proposals, "2 - Family group conferencing");
    // docs/domain.md: incremental 165, 462, 627, 660 ⇔ cumulative 165, 627, 1,254, 1,914.
    assert_eq!(
        complete_values(&fgc.gross_saving),
        [d("165.0"), d("627.0"), d("1254.0"), d("1914.0")]
    );
    assert_eq!(fgc.net, fgc.gross_saving);
    assert_eq!(fgc.payback_annual, Some(1));
    let business = proposal(&n.proposals, "Business Support Review");
    assert_eq!(business.lines.len(), 2);
    assert!(business.net.iter().all(|y| y.value.is_zero()));
    assert_eq!(business.payback_annual, None);
    assert!(!business.payback_annual_incomplete);
    // A one-off counts in its year only.
    let travel = proposal(&n.proposals, "Restrict Travel");
    assert_eq!(
        complete_values(&travel.net),
        [d("0.0"), d("30.0"), d("0.0"), d("0.0")]
    );
    // No Net lines and no Payback column: nothing published to check.
    assert!(n.proposals.iter().all(|p| p.status.is_none()));
}

#[test]
fn every_loadable_file_nets_without_panicking() {
    for (name, bytes) in FIXTURES.into_iter().chain([("bad-cell.csv", BAD_CELL)]) {
        let s = load(bytes, name).schedule;
        let n = netting(&s);
        let mut covered: Vec<usize> = n.proposals.iter().flat_map(|p| p.lines.clone()).collect();
        covered.sort_unstable();
        // Every line is in exactly one proposal.
        assert_eq!(covered, (0..s.lines.len()).collect::<Vec<_>>(), "{name}");
        for p in &n.proposals {
            assert_eq!(p.net.len(), s.years.len(), "{name}");
            assert_eq!(p.cumulative_net.len(), s.years.len(), "{name}");
        }
    }
}

// --- Properties of the profile conversion, on generated lines.

/// An amount cell: mostly figures of 0 to 3 decimals (negative ones included), some blank, and,
/// when allowed, some with no figure.
fn cell(no_figures: bool) -> BoxedStrategy<Amount> {
    let figure = (-1_000_000i64..1_000_000, 0..4u32)
        .prop_map(|(m, scale)| Amount::Figure(Decimal::new(m, scale)));
    let zero = (0..3u32).prop_map(|scale| Amount::Figure(Decimal::new(0, scale)));
    if no_figures {
        prop_oneof![
            16 => figure,
            2 => Just(Amount::Blank),
            1 => Just(Amount::NoFigure(NoFigure::ToBeConfirmed)),
            1 => zero,
        ]
        .boxed()
    } else {
        prop_oneof![17 => figure, 2 => Just(Amount::Blank), 1 => zero].boxed()
    }
}

/// A line of `years` cells; a quarter of them one-offs when allowed.
fn line(years: usize, no_figures: bool, one_offs: bool) -> impl Strategy<Value = Line> {
    let one_off = if one_offs {
        weighted(0.25).boxed()
    } else {
        Just(false).boxed()
    };
    (vec(cell(no_figures), years), one_off).prop_map(|(amounts, one_off)| Line {
        row: 0,
        section: None,
        text: Vec::new(),
        amounts,
        total: None,
        recurrence: if one_off {
            Recurrence::OneOff
        } else {
            Recurrence::Recurring
        },
        memo: false,
        rag: None,
    })
}

/// A line of one to seven years.
fn lines(no_figures: bool, one_offs: bool) -> impl Strategy<Value = Line> {
    (1..=7usize).prop_flat_map(move |years| line(years, no_figures, one_offs))
}

const CASES: u32 = 2_000;

fn cell_values(amounts: &[Amount]) -> Vec<Option<Decimal>> {
    amounts.iter().map(Amount::value).collect()
}

fn with_amounts(line: &Line, amounts: Vec<Amount>) -> Line {
    Line {
        amounts,
        ..line.clone()
    }
}

#[test]
fn incremental_to_cumulative_and_back_is_the_identity_on_values() {
    generate::check(CASES, lines(false, false), |line| {
        let cumulative = line_in_profile(&line, Profile::Incremental, Profile::Cumulative);
        let back = line_in_profile(
            &with_amounts(&line, cumulative.clone()),
            Profile::Cumulative,
            Profile::Incremental,
        );
        assert_eq!(cell_values(&back), cell_values(&line.amounts), "{line:?}");
        // line_from_profile is the same inverse.
        let entered = line_from_profile(
            &cumulative,
            line.recurrence,
            Profile::Cumulative,
            Profile::Incremental,
        );
        assert_eq!(
            cell_values(&entered),
            cell_values(&line.amounts),
            "{line:?}"
        );
        // And the other way round, from a cumulative file.
        let incremental = line_in_profile(&line, Profile::Cumulative, Profile::Incremental);
        let again = line_in_profile(
            &with_amounts(&line, incremental),
            Profile::Incremental,
            Profile::Cumulative,
        );
        assert_eq!(cell_values(&again), cell_values(&line.amounts), "{line:?}");
    });
}

#[test]
fn final_year_effect_and_period_sum_agree_between_views() {
    // One-offs and cells with no figure included: their totals are unknown in both views.
    generate::check(CASES, lines(true, true), |line| {
        let own = line_profile_totals(&line, Profile::Incremental);
        let cumulative = with_amounts(
            &line,
            line_in_profile(&line, Profile::Incremental, Profile::Cumulative),
        );
        let seen = line_profile_totals(&cumulative, Profile::Cumulative);
        assert_eq!(own.final_year_effect, seen.final_year_effect, "{line:?}");
        assert_eq!(own.period_sum, seen.period_sum, "{line:?}");
        // The full-year effects themselves agree year by year.
        assert_eq!(
            full_year_effects(&line, Profile::Incremental),
            full_year_effects(&cumulative, Profile::Cumulative),
            "{line:?}"
        );
        // The final-year full-year effect of a recurring incremental line is its sum, which is
        // what an incremental schedule's "TOTAL SAVING DUE" states.
        if line.recurrence == Recurrence::Recurring {
            let sum = line
                .amounts
                .iter()
                .try_fold(Decimal::ZERO, |acc, a| a.value().map(|v| acc + v));
            assert_eq!(own.final_year_effect, sum, "{line:?}");
        }
    });
}

#[test]
fn from_a_cumulative_file_recurring_lines_keep_both_totals() {
    generate::check(CASES, lines(true, false), |line| {
        let own = line_profile_totals(&line, Profile::Cumulative);
        let incremental = with_amounts(
            &line,
            line_in_profile(&line, Profile::Cumulative, Profile::Incremental),
        );
        let seen = line_profile_totals(&incremental, Profile::Incremental);
        if line.amounts.iter().all(|a| a.value().is_some()) {
            assert_eq!(own.final_year_effect, seen.final_year_effect, "{line:?}");
            assert_eq!(own.period_sum, seen.period_sum, "{line:?}");
        } else {
            // A year with no figure leaves the increments around it unknown: a total may become
            // unknown in the incremental view (a cumulative file's last figure is known even
            // after an earlier `TBC`), but it never becomes a different figure.
            for (a, b) in [
                (own.final_year_effect, seen.final_year_effect),
                (own.period_sum, seen.period_sum),
            ] {
                assert!(b.is_none() || b == a, "{line:?}");
            }
            assert_eq!(seen.period_sum, None, "{line:?}");
        }
    });
}

/// A one-off in a cumulative file, seen incrementally, shows the reversal its next year implies;
/// the converted line writes that reversal out, so it reads as a recurring line with the same
/// totals, and converting back gives the original figures.
#[test]
fn one_off_lines_keep_both_totals_from_a_cumulative_file() {
    let line = Line {
        row: 0,
        section: None,
        text: Vec::new(),
        amounts: vec![
            Amount::Figure(d("0.0")),
            Amount::Figure(d("40.0")),
            Amount::Figure(d("0.0")),
        ],
        total: None,
        recurrence: Recurrence::OneOff,
        memo: false,
        rag: None,
    };
    let own = line_profile_totals(&line, Profile::Cumulative);
    let seen_amounts = line_in_profile(&line, Profile::Cumulative, Profile::Incremental);
    let mut incremental = with_amounts(&line, seen_amounts.clone());
    incremental.recurrence = Recurrence::Recurring;
    let seen = line_profile_totals(&incremental, Profile::Incremental);
    assert_eq!(own.period_sum, Some(d("40.0")));
    assert_eq!(seen.period_sum, own.period_sum);
    assert_eq!(seen.final_year_effect, own.final_year_effect);
    let back = line_from_profile(
        &seen_amounts,
        Recurrence::OneOff,
        Profile::Incremental,
        Profile::Cumulative,
    );
    assert_eq!(back, line.amounts);
}

#[test]
fn a_cell_with_no_figure_never_becomes_a_figure_in_the_cumulative_view() {
    generate::check(CASES, lines(true, false), |line| {
        let cumulative = line_in_profile(&line, Profile::Incremental, Profile::Cumulative);
        let first_gap = line.amounts.iter().position(|a| a.value().is_none());
        for (y, a) in cumulative.iter().enumerate() {
            let after_gap = first_gap.is_some_and(|g| y >= g);
            assert_eq!(a.value().is_none(), after_gap, "year {y}: {line:?}");
        }
    });
}

#[test]
fn netting_an_incremental_schedule_or_its_cumulative_view_gives_the_same_nets() {
    let template = load(
        b"Project,Type,2017/18,2018/19,2019/20,2020/21,2021/22\nSeed,,1,1,1,1,1\n",
        "template.csv",
    )
    .schedule;
    assert_eq!(template.profile, Profile::Incremental);
    let names = vec!["Alpha", "Beta", "Gamma"];
    let types = vec!["Investment", "Gross Saving", "", "Cost", "Benefit"];
    let years = template.years.len();
    let drawn_line = (
        line(years, true, true),
        select(names),
        select(types),
        weighted(0.125),
    );
    let schedules = (
        select(vec![
            SignConvention::SavingsPositive,
            SignConvention::CostsPositive,
            SignConvention::BenefitsPositive,
        ]),
        vec(drawn_line, 1..=12),
    );
    generate::check(200, schedules, |(sign, drawn)| {
        let mut s = template.clone();
        s.sign = sign;
        s.lines = drawn
            .into_iter()
            .enumerate()
            .map(|(i, (mut l, name, kind, memo))| {
                l.row = i + 2;
                l.text = vec![name.to_string(), kind.to_string()];
                l.memo = memo;
                l
            })
            .collect();
        let own = netting(&s);
        let seen = netting(&schedule_in_profile(&s, Profile::Cumulative));
        assert_eq!(own.proposals.len(), seen.proposals.len());
        for (a, b) in own.proposals.iter().zip(&seen.proposals) {
            let key = |sums: &[Sum]| -> Vec<Option<Decimal>> {
                sums.iter()
                    .map(|s| s.is_complete().then_some(s.value))
                    .collect()
            };
            assert_eq!(a.lines, b.lines);
            assert_eq!(key(&a.net), key(&b.net));
            assert_eq!(key(&a.cumulative_net), key(&b.cumulative_net),);
            assert_eq!(
                (a.payback_annual, a.payback_cumulative),
                (b.payback_annual, b.payback_cumulative),
            );
            assert_eq!(a.payback_annual_incomplete, b.payback_annual_incomplete);
        }
    });
}

// --- Netting a slice at a time (the page's way with a big schedule).

#[path = "common/rng.rs"]
mod rng;

/// A savings schedule drawn so that netting has something to find: few references and names,
/// so proposals gather several lines and references repeat across names; investment and
/// saving lines; and, now and then, a line negating an earlier one of its name, exactly or in
/// part (a reversal). `seed` draws it.
fn netting_schedule(seed: u64) -> Schedule {
    let mut rng = rng::Rng(seed | 1);
    let mut csv =
        String::from("Reference,Project name,Type,2024/25,2025/26,2026/27\n,,,£'000,£'000,£'000\n");
    let mut written: Vec<(String, String, String, Vec<i64>)> = Vec::new();
    let lines = rng.range(1, 160);
    for _ in 0..lines {
        if rng.chance(8) {
            csv.push_str(&format!("Directorate {}\n", rng.range(1, 3)));
        }
        let row = match written.len() {
            n if n > 0 && rng.chance(20) => {
                // A reversal (or a partial one) of an earlier line.
                let (r, p, t, amounts) = written[rng.range(0, n as i64 - 1) as usize].clone();
                let part = rng.chance(50);
                let amounts: Vec<i64> = amounts
                    .iter()
                    .map(|a| if part { -a / 2 } else { -a })
                    .collect();
                (r, p, t, amounts)
            }
            _ => (
                format!("R{}", rng.range(1, 9)),
                format!("Project {}", rng.range(1, 6)),
                ["", "Investment", "Gross Saving"][rng.range(0, 2) as usize].to_string(),
                (0..3).map(|_| rng.range(-500, 900)).collect(),
            ),
        };
        let cells: Vec<String> = row
            .3
            .iter()
            .map(|a| {
                format!(
                    "{}{}.{}",
                    if *a < 0 { "-" } else { "" },
                    a.abs() / 10,
                    a.abs() % 10
                )
            })
            .collect();
        csv.push_str(&format!(
            "{},{},{},{}\n",
            row.0,
            row.1,
            row.2,
            cells.join(",")
        ));
        written.push(row);
    }
    common::from_csv(&csv)
}

#[test]
fn netting_a_slice_at_a_time_answers_what_netting_in_one_go_answers() {
    let mut found = (0, 0, 0);
    for seed in 0..120u64 {
        let s = netting_schedule(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let whole = netting(&s);
        found.0 += whole.proposals.len();
        found.1 += whole.reversals.len();
        found.2 += whole.duplicate_refs.len();
        for budget in [1, 2, 5, 33] {
            let mut run = NettingRun::new(&s);
            let mut calls = 0;
            let sliced = loop {
                calls += 1;
                let (done, all) = run.progress();
                assert!(done <= all, "progress {done} of {all}");
                if let Some(n) = run.advance(&s, budget) {
                    break n;
                }
                assert!(calls < 100_000, "the run ends");
            };
            assert_eq!(sliced, whole, "seed {seed}, {budget} steps at a time");
            if budget == 1 {
                assert!(
                    calls > s.lines.len(),
                    "one step at a time takes a call per line at least"
                );
            }
        }
    }
    assert!(
        found.0 > 1_000 && found.1 > 50 && found.2 > 50,
        "the schedules had proposals, reversals and duplicates to find: {found:?}"
    );
}

#[test]
fn a_run_given_a_schedule_of_another_length_starts_again() {
    let a = netting_schedule(7);
    let mut b = a.clone();
    b.lines.truncate(a.lines.len() / 2);
    let mut run = NettingRun::new(&a);
    assert!(
        run.advance(&a, 3).is_none(),
        "three steps do not net {} lines",
        a.lines.len()
    );
    let n = loop {
        if let Some(n) = run.advance(&b, 10) {
            break n;
        }
    };
    assert_eq!(n, netting(&b));
}
