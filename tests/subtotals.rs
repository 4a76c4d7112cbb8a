//! Subtotals are found from the figures, whatever they are called and wherever the label sits
//! (docs/domain.md, "The schedule", "Checks and rounding"): `Total Adults`, `Adults Total`, or
//! just `Adults` with the reference cell blank, in the first column or the second; and the
//! grand total as `Grand total` or `All savings`. Generated sectioned tables, correct ones and
//! ones with one wrong subtotal, judged against an independent calculation in whole tenths
//! written here without the engine's code: every subtotal is a total row over its own lines,
//! the lines are counted once, and only the injected error is called one.

use gapwise::engine::{calculate, import, run_import, CheckStatus, ImportJob, ImportOptions};
use proptest::prelude::*;

/// A file as the page reads it (the worker's import, its arithmetic followed).
fn read(bytes: &[u8]) -> gapwise::engine::Schedule {
    let job = ImportJob {
        file_name: "t.csv".into(),
        ..Default::default()
    };
    run_import(bytes, &job)
        .outcome
        .expect("a schedule")
        .schedule
}

/// Every check not exactly right, by file row and status, problems first.
fn problems(schedule: &gapwise::engine::Schedule) -> Vec<(usize, CheckStatus)> {
    calculate(schedule)
        .checks
        .problems()
        .iter()
        .map(|c| (c.row, c.status))
        .collect()
}

fn tenths(v: i64) -> String {
    let t = format!("{}.{}", v.abs() / 10, v.abs() % 10);
    if v < 0 {
        format!("({t})")
    } else {
        t
    }
}

/// The ways a subtotal row is labelled: in the reference column or the name column (the other
/// left blank), with or without the word `total`.
fn subtotal_cells(style: u8, section: usize) -> [String; 2] {
    let name = format!("Directorate {section}");
    match style {
        0 => [format!("Total {name}"), String::new()],
        1 => [String::new(), format!("{name} Total")],
        _ => [String::new(), name],
    }
}

struct Table {
    csv: String,
    lines: usize,
    /// The file rows of the subtotals, then the grand total's.
    total_rows: Vec<usize>,
    grand: Vec<i64>,
}

/// `sections` of lines (each a figure per year, in tenths); the subtotal of `wrong.0`, if any,
/// moved by `wrong.1` in the first year; the grand total the sum of the lines.
fn table(
    sections: &[Vec<Vec<i64>>],
    style: u8,
    grand_hint: bool,
    wrong: Option<(usize, i64)>,
) -> Table {
    let years = sections[0][0].len();
    let mut csv = String::from("Ref,Proposal");
    for y in 0..years {
        csv += &format!(",{}/{}", 2024 + y, 25 + y);
    }
    csv.push('\n');
    let mut row = 1;
    let (mut lines, mut total_rows) = (0, Vec::new());
    let mut grand = vec![0i64; years];
    for (s, section) in sections.iter().enumerate() {
        let mut sub = vec![0i64; years];
        for (l, figures) in section.iter().enumerate() {
            csv += &format!("S{s}L{l},Saving {s}.{l}");
            for (y, v) in figures.iter().enumerate() {
                csv += &format!(",{}", tenths(*v));
                sub[y] += v;
                grand[y] += v;
            }
            csv.push('\n');
            row += 1;
            lines += 1;
        }
        if let Some((w, by)) = wrong {
            if w == s {
                sub[0] += by;
            }
        }
        let [a, b] = subtotal_cells(style, s);
        csv += &format!("{a},{b}");
        for v in &sub {
            csv += &format!(",{}", tenths(*v));
        }
        csv.push('\n');
        row += 1;
        total_rows.push(row);
    }
    csv += if grand_hint {
        ",Grand total"
    } else {
        ",All savings"
    };
    for v in &grand {
        csv += &format!(",{}", tenths(*v));
    }
    csv.push('\n');
    total_rows.push(row + 1);
    Table {
        csv,
        lines,
        total_rows,
        grand,
    }
}

fn figures() -> impl Strategy<Value = Vec<Vec<Vec<i64>>>> {
    (2usize..4).prop_flat_map(|years| {
        let figure = prop_oneof![-3_000i64..-1, 1i64..30_000];
        prop::collection::vec(
            prop::collection::vec(prop::collection::vec(figure, years..=years), 2..5),
            2..5,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        rng_seed: proptest::test_runner::RngSeed::Fixed(22),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn subtotals_are_read_from_the_figures_whatever_their_label(
        sections in figures(),
        style in 0u8..3,
        grand_hint in any::<bool>(),
    ) {
        let t = table(&sections, style, grand_hint, None);
        let s = &read(t.csv.as_bytes());
        prop_assert_eq!(s.lines.len(), t.lines, "{}", t.csv);
        let rows: Vec<usize> = s.total_rows.iter().map(|r| r.row).collect();
        prop_assert_eq!(&rows, &t.total_rows, "{}", t.csv);
        let results = calculate(s);
        let grand: Vec<String> = results.totals.grand.years.iter().map(|y| y.value.to_string()).collect();
        let want: Vec<String> = t.grand.iter().map(|v| format!("{}{}.{}", if *v < 0 { "-" } else { "" }, v.abs() / 10, v.abs() % 10)).collect();
        prop_assert_eq!(grand, want);
        prop_assert!(results.checks.problems().is_empty(), "{:?}\n{}", results.checks.problems(), t.csv);
    }

    #[test]
    fn a_wrong_labelled_subtotal_is_the_one_error(
        sections in figures(),
        style in 0u8..2,
        at in 0usize..4,
        by in prop_oneof![-900i64..-20, 20i64..900],
    ) {
        let at = at % sections.len();
        // With a subtotal wrong, only a grand total labelled as one is told from a line: its
        // figures no longer equal every row above but the subtotals, which are then lines.
        let t = table(&sections, style, true, Some((at, by)));
        let s = read(t.csv.as_bytes());
        prop_assert_eq!(s.lines.len(), t.lines, "{}", t.csv);
        let results = calculate(&s);
        let errors: Vec<usize> = results
            .checks
            .problems()
            .iter()
            .filter(|c| c.status == CheckStatus::Error)
            .map(|c| c.row)
            .collect();
        prop_assert_eq!(errors, vec![t.total_rows[at]], "{}", t.csv);
    }
}

#[test]
fn the_independent_tables() {
    let t = table(
        &[
            vec![vec![100, -15], vec![5, 5]],
            vec![vec![1, 2], vec![3, 4]],
        ],
        1,
        false,
        Some((1, 10)),
    );
    assert_eq!(
        t.csv,
        "Ref,Proposal,2024/25,2025/26\nS0L0,Saving 0.0,10.0,(1.5)\nS0L1,Saving 0.1,0.5,0.5\n\
         ,Directorate 0 Total,10.5,(1.0)\nS1L0,Saving 1.0,0.1,0.2\nS1L1,Saving 1.1,0.3,0.4\n\
         ,Directorate 1 Total,1.4,0.6\n,All savings,10.9,(0.4)\n"
    );
    assert_eq!(
        (t.lines, t.total_rows, t.grand),
        (4, vec![4, 7, 8], vec![109, -4])
    );
    // The plain engine import reads the same file (the arithmetic is followed on top of it).
    assert!(import(t.csv.as_bytes(), "s.csv", &ImportOptions::default()).is_ok());
}

/// A savings schedule as a council might type it: the unit in the title row, subtotals labelled
/// `Adults Total` with the reference and directorate cells blank, a `TOTAL SAVINGS` row.
#[test]
fn a_typed_schedule_with_trailing_total_labels_reads_as_published() {
    let bytes = std::fs::read("tests/fixtures/tables/savings-directorate-totals.csv").unwrap();
    let s = read(&bytes);
    assert_eq!(s.unit.to_string(), "£'000");
    assert_eq!(s.lines.len(), 12);
    let rows: Vec<(usize, &str)> = s
        .total_rows
        .iter()
        .map(|t| (t.row, t.label.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (8, "Adults Total"),
            (12, "Children's Total"),
            (18, "Place Total"),
            (19, "TOTAL SAVINGS")
        ]
    );
    assert_eq!(problems(&s), []);
    assert_eq!(calculate(&s).totals.grand.total.value.to_string(), "7425");
    // One wrong subtotal figure is one error; the grand total is right and stays ok.
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace(",,Adults Total,(74)", ",,Adults Total,(84)");
    assert_eq!(problems(&read(text.as_bytes())), [(8, CheckStatus::Error)]);
}

/// Cumulative columns beside the years: `Cumulative 25/26` adds the first two years, so it is
/// not the lines' total; `Cumulative 26/27` adds all three and is (the first such column), and
/// `Full Year Effect`, the same sum, is neither a total nor text.
#[test]
fn the_total_column_is_the_one_that_adds_every_year() {
    let bytes = std::fs::read("tests/fixtures/tables/savings-cumulative-columns.csv").unwrap();
    let s = read(&bytes);
    assert_eq!(s.years.len(), 3);
    assert_eq!(s.total_header.as_deref(), Some("Cumulative 26/27 £m"));
    assert_eq!(s.total_rows.len(), 1);
    assert_eq!(s.total_rows[0].label, "Total");
    assert!(
        s.text_columns.iter().all(|t| !t.header.contains("£m")),
        "{:?}",
        s.text_columns
    );
    assert_eq!(problems(&s), []);
    assert_eq!(calculate(&s).checks.line_totals.ok, 6);
    // A line total typed wrong is the one error.
    let text = String::from_utf8(bytes).unwrap().replace(
        "Saving C,1.00,2.34,2.23,3.34,5.57",
        "Saving C,1.00,2.34,2.23,3.34,5.75",
    );
    assert_eq!(problems(&read(text.as_bytes())), [(5, CheckStatus::Error)]);
    // The reader alone, without the arithmetic, takes the first cumulative column.
    let plain = import(text.as_bytes(), "c.csv", &ImportOptions::default())
        .unwrap()
        .schedule;
    assert_eq!(plain.total_header.as_deref(), Some("Cumulative 25/26 £m"));
}

/// Sections of lines with a published total column, one year figure of one line typed wrong
/// by `by` tenths (its line total, the subtotals and the grand total kept right).
fn with_line_totals(
    sections: &[Vec<Vec<i64>>],
    wrong: (usize, usize, usize, i64),
) -> (String, usize) {
    let years = sections[0][0].len();
    let mut csv = String::from("Ref,Proposal");
    for y in 0..years {
        csv += &format!(",{}/{}", 2024 + y, 25 + y);
    }
    csv += ",Total\n";
    let (mut row, mut wrong_row) = (1, 0);
    let mut grand = vec![0i64; years];
    for (s, section) in sections.iter().enumerate() {
        let mut sub = vec![0i64; years];
        for (l, figures) in section.iter().enumerate() {
            row += 1;
            csv += &format!("S{s}L{l},Saving {s}.{l}");
            for (y, v) in figures.iter().enumerate() {
                let shown = if (s, l, y) == (wrong.0, wrong.1, wrong.2) {
                    wrong_row = row;
                    v + wrong.3
                } else {
                    *v
                };
                csv += &format!(",{}", tenths(shown));
                sub[y] += v;
                grand[y] += v;
            }
            csv += &format!(",{}\n", tenths(figures.iter().sum()));
        }
        row += 1;
        csv += &format!("Total Directorate {s},");
        for v in &sub {
            csv += &format!(",{}", tenths(*v));
        }
        csv += &format!(",{}\n", tenths(sub.iter().sum()));
    }
    csv += "Grand total,";
    for v in &grand {
        csv += &format!(",{}", tenths(*v));
    }
    csv += &format!(",{}\n", tenths(grand.iter().sum()));
    (csv, wrong_row)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(23),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// One mistyped year figure is one error, at its line; the subtotal and the grand total
    /// over it differ by the same amount and carry it.
    #[test]
    fn a_mistyped_figure_is_one_error_and_the_totals_over_it_carry_it(
        sections in figures(),
        at in (0usize..4, 0usize..4, 0usize..3),
        by in prop_oneof![-900i64..-50, 50i64..900],
    ) {
        let s = at.0 % sections.len();
        let l = at.1 % sections[s].len();
        let y = at.2 % sections[s][l].len();
        let (csv, wrong_row) = with_line_totals(&sections, (s, l, y, by));
        let schedule = read(csv.as_bytes());
        let results = calculate(&schedule);
        let problems = results.checks.problems();
        let errors: Vec<usize> = problems.iter().filter(|c| c.status == CheckStatus::Error).map(|c| c.row).collect();
        prop_assert_eq!(errors, vec![wrong_row], "{}", csv);
        // The subtotal's year and total, and the grand total's: four carried figures.
        let carried: Vec<&gapwise::engine::Check> = problems.iter().copied().filter(|c| c.status == CheckStatus::Carried).collect();
        prop_assert_eq!(carried.len(), 4, "{:?}\n{}", problems, csv);
        prop_assert!(carried.iter().all(|c| c.carries == [wrong_row]));
        prop_assert_eq!(problems.len(), 5);
    }
}

/// An MTFS table: base budget and pressures make the net budget requirement, council tax,
/// business rates and grant the total funding, their difference the budget gap, and the gap
/// after the savings proposals the remaining gap. The funding is funding, not reserves drawn
/// (the arithmetic `requirement − funding` is the same as `gap − reserves`; the labels tell
/// them apart), and the gap the plan shows is the remaining gap.
#[test]
fn an_mtfs_table_takes_away_funding_not_reserves() {
    use gapwise::engine::{compute_gap, gap_model_by_arithmetic, judge_gap, GapResult, GapRole};
    let bytes = std::fs::read("tests/fixtures/tables/mtfs-funding.csv").unwrap();
    let job = ImportJob {
        file_name: "mtfs.csv".into(),
        ..Default::default()
    };
    let file = run_import(&bytes, &job).outcome.expect("a table");
    let model = gap_model_by_arithmetic(&file.schedule, file.map.as_ref()).expect("a gap table");
    let role = |row: usize| model.rows.iter().find(|r| r.row == row).map(|r| r.role);
    assert_eq!([role(7), role(8), role(9)], [Some(GapRole::Funding); 3]);
    assert!(model.rows.iter().all(|r| r.role != GapRole::Reserves));
    assert_eq!(role(12), Some(GapRole::Savings));
    let result = |row: usize| {
        model
            .results
            .iter()
            .find(|r| r.row == row)
            .map(|r| r.result)
    };
    assert_eq!(result(13), Some(GapResult::GapBeforeReserves));
    assert!(model
        .results
        .iter()
        .all(|r| r.result != GapResult::GapAfterReserves));
    let judged = judge_gap(&model, compute_gap(&model, None), file.map.as_ref());
    // The remaining gap, worked out here: 325.7 − 304.0 − 6.0 and so on.
    let gaps: Vec<String> = judged
        .figures
        .years
        .iter()
        .map(|y| y.gap_before_reserves.value.to_string())
        .collect();
    assert_eq!(gaps, ["15.7", "16.7", "18.7", "20.9"]);
    assert!(judged
        .figures
        .checks
        .iter()
        .all(|c| c.status == CheckStatus::Ok));
    // A budget gap typed wrong is the error.
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("Budget Gap,21.7,26.2", "Budget Gap,21.7,26.9");
    let file = run_import(text.as_bytes(), &job).outcome.expect("a table");
    let model = gap_model_by_arithmetic(&file.schedule, file.map.as_ref()).expect("a gap table");
    let judged = judge_gap(&model, compute_gap(&model, None), file.map.as_ref());
    let errors: Vec<usize> = judged
        .figures
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Error)
        .map(|c| c.row)
        .collect();
    assert!(errors.contains(&11), "{errors:?}");
}
