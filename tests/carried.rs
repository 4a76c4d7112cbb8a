//! A grand total that restates published subtotals repeats a wrong subtotal's error: the error
//! is counted once, at the subtotal, and the grand total is marked "carried" with the subtotal's
//! row (docs/domain.md, "Checks and rounding"). A grand total wrong on its own is still an
//! error, and a right one is ok. Generated sectioned schedules, judged against an independent
//! calculation in whole tenths written here without the engine's code.

use gapwise::engine::{calculate, import, CheckColumn, CheckStatus, ImportOptions, Subject};
use proptest::prelude::*;

/// How the generated grand total is published.
#[derive(Clone, Copy, Debug)]
enum Grand {
    /// The sum of the lines: right.
    Lines,
    /// The sum of the published subtotals: carries their errors.
    Subtotals,
    /// The sum of the published subtotals, moved again: an error of its own.
    Own(i64),
}

fn tenths(v: i64) -> String {
    let sign = if v < 0 { "-" } else { "" };
    format!("{sign}{}.{}", v.abs() / 10, v.abs() % 10)
}

/// Sections of lines (one year, tenths), a subtotal after each, a grand total last; the
/// subtotals in `wrong` moved by their delta. Gives the CSV, each subtotal's file row and the
/// grand total's.
fn table(
    sections: &[Vec<i64>],
    wrong: &[(usize, i64)],
    grand: Grand,
) -> (String, Vec<usize>, usize) {
    let mut csv = String::from("Proposal,2025/26\n");
    let mut row = 1;
    let mut subtotal_rows = Vec::new();
    let (mut lines_sum, mut published_sum) = (0, 0);
    for (s, lines) in sections.iter().enumerate() {
        csv += &format!("Section {s},\n");
        row += 1;
        for (l, v) in lines.iter().enumerate() {
            csv += &format!("Saving {s}.{l},{}\n", tenths(*v));
            row += 1;
        }
        let sum: i64 = lines.iter().sum();
        let moved = sum + wrong.iter().filter(|w| w.0 == s).map(|w| w.1).sum::<i64>();
        csv += &format!("Total Section {s},{}\n", tenths(moved));
        row += 1;
        subtotal_rows.push(row);
        lines_sum += sum;
        published_sum += moved;
    }
    let g = match grand {
        Grand::Lines => lines_sum,
        Grand::Subtotals => published_sum,
        Grand::Own(d) => published_sum + d,
    };
    csv += &format!("Grand total,{}\n", tenths(g));
    (csv, subtotal_rows, row + 1)
}

fn statuses(csv: &str) -> Vec<(usize, CheckStatus, Vec<usize>)> {
    let s = import(csv.as_bytes(), "t.csv", &ImportOptions::default())
        .expect("a schedule")
        .schedule;
    calculate(&s)
        .checks
        .checks
        .into_iter()
        .filter(|c| matches!(c.subject, Subject::TotalRow { .. }))
        .filter(|c| c.column == CheckColumn::Year(0))
        .map(|c| (c.row, c.status, c.carries))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: proptest::test_runner::RngSeed::Fixed(21),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_wrong_subtotal_is_one_error_however_the_grand_total_is_published(
        sections in prop::collection::vec(prop::collection::vec(-5_000i64..50_000, 1..4), 2..5),
        wrong_pick in prop::collection::vec((0usize..4, prop_oneof![-900i64..-10, 10i64..900]), 0..3),
        grand_kind in 0u8..3,
        own in prop_oneof![-900i64..-10, 10i64..900],
    ) {
        // At most one error per section, in a section that exists; deltas that do not cancel.
        let mut wrong: Vec<(usize, i64)> = Vec::new();
        for (s, d) in wrong_pick {
            if s < sections.len() && !wrong.iter().any(|w| w.0 == s) {
                wrong.push((s, d));
            }
        }
        let moved: i64 = wrong.iter().map(|w| w.1).sum();
        // Differences the rounding of up to 17 figures could hide (8.5 tenths) are left out:
        // every figure here is exact, so the verdicts below are plain.
        prop_assume!(moved == 0 || moved.abs() > 20);
        prop_assume!(grand_kind < 2 || (own.abs() > 20 && (moved + own).abs() > 20));
        let grand = match grand_kind {
            0 => Grand::Lines,
            1 => Grand::Subtotals,
            _ => Grand::Own(own),
        };
        let (csv, subtotal_rows, grand_row) = table(&sections, &wrong, grand);
        let got = statuses(&csv);
        // The independent verdicts, in whole tenths: every figure is exact, so any difference
        // is an error unless it is the subtotals' own.
        let mut want: Vec<(usize, CheckStatus, Vec<usize>)> = subtotal_rows
            .iter()
            .enumerate()
            .map(|(s, row)| {
                let status = if wrong.iter().any(|w| w.0 == s) { CheckStatus::Error } else { CheckStatus::Ok };
                (*row, status, vec![])
            })
            .collect();
        let mut wrong_rows: Vec<usize> = wrong.iter().map(|w| subtotal_rows[w.0]).collect();
        wrong_rows.sort();
        let grand_verdict = match grand {
            Grand::Lines => (CheckStatus::Ok, vec![]),
            Grand::Subtotals if moved == 0 => (CheckStatus::Ok, vec![]),
            Grand::Subtotals => (CheckStatus::Carried, wrong_rows.clone()),
            Grand::Own(_) => (CheckStatus::Error, vec![]),
        };
        want.push((grand_row, grand_verdict.0, grand_verdict.1));
        prop_assert_eq!(got, want, "{}", csv);
    }
}

#[test]
fn the_independent_tables() {
    let (csv, subtotals, grand) = table(&[vec![100, 50], vec![-15]], &[(0, 10)], Grand::Subtotals);
    assert_eq!(
        csv,
        "Proposal,2025/26\nSection 0,\nSaving 0.0,10.0\nSaving 0.1,5.0\nTotal Section 0,16.0\n\
         Section 1,\nSaving 1.0,-1.5\nTotal Section 1,-1.5\nGrand total,14.5\n"
    );
    assert_eq!((subtotals, grand), (vec![5, 8], 9));
}
