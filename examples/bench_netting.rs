//! Native benchmark of the engine on a large schedule:
//! `cargo run --release --example bench_netting` (`-- --runs N` to change the number of timed
//! runs of each step, 5 by default).
//!
//! It generates in memory, deterministically, a savings schedule CSV of 100,000 lines × 5 years
//! as a finance officer's workbook exports it: a unit row, section headings each followed by
//! its published subtotal row and a grand total at the end, references reused by several
//! proposals, lines without a reference, one-off savings, and reversal lines (a later line with
//! the same label and negated amounts, domain.md "Netting"). Then it times each engine step and
//! prints a table in milliseconds: import, calculate (totals and checks), netting (in one go,
//! and 256 steps at a time as the page runs it: the longest call), saving in slices, reconcile
//! (against a cumulative, £m, costs-positive copy of itself), profile conversion and CSV export.
//!
//! The release profile is the one the page ships (`opt-level = "z"`, LTO), so these are the
//! engine's speeds as built for size, natively; the browser's WebAssembly is slower again.

use std::time::{Duration, Instant};

use gapwise::engine::{
    apply_gap_scenario, apply_scenario, calculate, compare, compute_gap, decode_job, encode_job,
    gap_model, import, load_split, load_state, netting, reconcile, save_state, schedule_in_profile,
    schedule_profile_totals, to_csv, Amount, Edit, History, ImportOptions, ImportReport,
    ImportedFile, NettingRun, Profile, SaveRun, SavedForm, SavedState, SavingsFeed, Scenario,
    Schedule, SignConvention, Unit, DEFAULT_MAX_BYTES, SAVED_VERSION,
};
use rust_decimal::Decimal;

#[path = "support/published.rs"]
mod published;
use published::{generate, YEARS};
use published::{ms, time};

const DEMO_GAP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-budget-forecast-2016-21.csv"
));

const DEFAULT_LINES: usize = 100_000;

/// The schedule as an investment appraisal would publish it: cumulative, in £m, costs
/// positive. Exact: 1,435.0 £'000 is −1.4350 £m.
fn appraisal_copy(s: &Schedule) -> Schedule {
    let mut copy = schedule_in_profile(s, Profile::Cumulative);
    copy.unit = Unit::Millions;
    copy.sign = SignConvention::CostsPositive;
    for line in &mut copy.lines {
        for a in &mut line.amounts {
            if let Amount::Figure(v) = a {
                let mut m = -*v;
                m.set_scale(v.scale() + 3).expect("within Decimal's scale");
                *v = m;
            }
        }
    }
    copy
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = args
        .iter()
        .position(|a| a == "--runs")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5usize)
        .max(1);
    let lines = args
        .iter()
        .position(|a| a == "--lines")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_LINES)
        .max(1);

    let (csv, sections, total_rows) = generate(lines);
    let bytes = csv.into_bytes();
    println!(
        "Schedule: {} lines × {YEARS} years, {sections} sections, {total_rows} total rows, \
         {:.1} MB; {runs} runs per step.",
        lines,
        bytes.len() as f64 / 1e6
    );

    // The page refuses files over `DEFAULT_MAX_BYTES` (64 MB) before reading them; 1,000,000
    // lines of this schedule are about 140 MB, so the bench lifts the limit to time them.
    let options = ImportOptions {
        max_bytes: bytes.len().max(DEFAULT_MAX_BYTES),
        ..ImportOptions::default()
    };
    if bytes.len() > DEFAULT_MAX_BYTES {
        println!(
            "(Over the page's {} MB limit: imported here with the limit lifted.)",
            DEFAULT_MAX_BYTES / 1_000_000
        );
    }

    let mut table: Vec<(&str, Duration, Duration, String)> = Vec::new();

    let (min, median, imported) = time(runs, || {
        import(&bytes, "bench.csv", &options).expect("the generated file imports")
    });
    let s = imported.schedule;
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(s.lines.len(), lines);
    assert_eq!(s.total_rows.len(), total_rows);
    table.push(("import", min, median, format!("{} lines", s.lines.len())));

    // What a big upload adds when the worker parses it: the schedule crosses back as bytes.
    let report = ImportReport {
        outcome: Ok(ImportedFile {
            schedule: s.clone(),
            problems: Vec::new(),
            more_problems: 0,
            encoding: "UTF-8".into(),
            delimiter: Some(b','),
            unit_stated: true,
            scenario: None,
            sheets: Vec::new(),
            sheet: None,
            map: None,
            tables: Vec::new(),
            year_one: None,
        }),
        used_remembered: false,
        proposal: None,
        checked: None,
        year_one: None,
    };
    let (min, median, sent) = time(runs, || encode_job(&report));
    drop(report);
    table.push((
        "to the page",
        min,
        median,
        format!("{:.1} MB from the worker", sent.len() as f64 / 1e6),
    ));
    let (min, median, back) = time(runs, || {
        decode_job::<ImportReport>(&sent).expect("the worker's answer reads back")
    });
    assert_eq!(back.outcome.map(|f| f.schedule), Ok(s.clone()));
    table.push(("from worker", min, median, "read back, equal".to_string()));

    let (min, median, results) = time(runs, || calculate(&s));
    let checks = &results.checks;
    assert_eq!(
        checks.total_rows.ok, total_rows,
        "every published subtotal reconciles"
    );
    table.push((
        "calculate",
        min,
        median,
        format!(
            "{} checks: {} ok, {} errors",
            checks.checks.len(),
            checks.line_totals.ok + checks.total_rows.ok,
            checks.line_totals.error + checks.total_rows.error
        ),
    ));

    let (min, median, n) = time(runs, || netting(&s));
    table.push((
        "netting",
        min,
        median,
        format!(
            "{} proposals, {} reversals, {} duplicate refs",
            n.proposals.len(),
            n.reversals.len(),
            n.duplicate_refs.len()
        ),
    ));

    // Netting as the page runs it: 256 steps at a time. The page's longest task while netting
    // is about the longest call (its slices hold at most 12 ms plus one call), the call that
    // answers, and the run's tables let go after.
    let mut run = NettingRun::new(&s);
    let (mut calls, mut longest) = (0usize, Duration::ZERO);
    let last = loop {
        let start = Instant::now();
        let done = run.advance(&s, 256);
        let took = start.elapsed();
        calls += 1;
        if let Some(n) = done {
            break (took, n);
        }
        longest = longest.max(took);
    };
    let start = Instant::now();
    drop(run);
    let dropped = start.elapsed();
    assert_eq!(
        last.1, n,
        "netting in slices answers what netting in one go does"
    );
    table.push((
        "netting, sliced",
        longest,
        last.0,
        format!(
            "{calls} calls of 256 steps: the longest is min, the answering call median; the \
             run let go in {} ms",
            ms(dropped)
        ),
    ));

    // Saving as the page does it: 256 lines at a time.
    let saved = SavedState {
        schedule: Some(s.clone()),
        ..SavedState::default()
    };
    let mut save = SaveRun::new(&saved, saved.schedule.as_ref());
    let (mut calls, mut longest) = (0usize, Duration::ZERO);
    let whole = loop {
        let start = Instant::now();
        let done = save
            .advance(saved.schedule.as_ref(), 256)
            .expect("the same schedule");
        longest = longest.max(start.elapsed());
        calls += 1;
        match done {
            Some(SavedForm::Text(text)) => break text,
            Some(SavedForm::Split { .. }) => unreachable!("SaveRun::new writes one text"),
            None => {}
        }
    };
    let (min, _, one_go) = time(1, || save_state(&saved));
    assert_eq!(whole, one_go, "saved in slices, the same text");
    table.push((
        "save, sliced",
        longest,
        min,
        format!(
            "{calls} calls of 256 lines: the longest is min, save_state in one go median ({:.1} MB)",
            whole.len() as f64 / 1e6
        ),
    ));
    // A big schedule as the page saves it in IndexedDB: its lines apart, as bytes.
    let (min, median, split) = time(runs, || {
        let mut run = SaveRun::split(&saved, saved.schedule.as_ref());
        loop {
            if let Some(done) = run
                .advance(saved.schedule.as_ref(), 256)
                .expect("the same schedule")
            {
                break done;
            }
        }
    });
    let SavedForm::Split { head, lines } = split else {
        unreachable!("SaveRun::split writes two parts")
    };
    table.push((
        "save, split",
        min,
        median,
        format!(
            "256 lines at a time; lines {:.1} MB beside {} bytes of JSON",
            lines.len() as f64 / 1e6,
            head.len()
        ),
    ));
    let (min, median, back) = time(runs, || load_state(&whole).expect("reads back"));
    assert_eq!(back, saved, "the saved text reads back");
    table.push(("read back, text", min, median, "load_state".into()));
    let (min, median, back) = time(runs, || load_split(&head, &lines).expect("reads back"));
    assert_eq!(back, saved, "the saved parts read back");
    table.push(("read back, split", min, median, "load_split".into()));
    drop((saved, back, whole, head, lines));

    let copy = appraisal_copy(&s);
    let (min, median, r) = time(runs, || reconcile(&s, &copy));
    assert_eq!(
        r.matches,
        r.rows.len(),
        "a schedule matches its own appraisal copy"
    );
    table.push((
        "reconcile",
        min,
        median,
        format!(
            "{} rows, {} match; {} lines unreferenced",
            r.rows.len(),
            r.matches,
            r.unreferenced_left
        ),
    ));

    let (min, median, cumulative) = time(runs, || schedule_in_profile(&s, Profile::Cumulative));
    table.push((
        "profile",
        min,
        median,
        format!("incremental → cumulative, {} lines", cumulative.lines.len()),
    ));

    let (min, median, out) = time(runs, || to_csv(&s, &results.totals, &results.checks));
    table.push((
        "export CSV",
        min,
        median,
        format!("{:.1} MB", out.len() as f64 / 1e6),
    ));

    // What one amount edit on the page recalculates: the edit through the history, totals and
    // checks, the profile totals, the funding gap fed by the schedule, and a scenario compared.
    let gap = {
        let imported = import(DEMO_GAP, "gap.csv", &ImportOptions::default())
            .expect("the demo gap table imports");
        let mut model = gap_model(&imported.schedule);
        model.feed = Some(SavingsFeed {
            profile: Profile::Incremental,
        });
        model
    };
    let mut edited = s.clone();
    let mut history = History::new(500);
    let mut n = 0i64;
    let (min, median, _) = time(runs, || {
        n += 1;
        let edit = Edit::SetAmount {
            line: edited.lines.len() / 2,
            year: 1,
            value: Amount::Figure(Decimal::new(n, 1)),
        };
        history
            .perform(&mut edited, edit)
            .expect("the edit applies");
    });
    table.push(("edit", min, median, "one amount through the history".into()));
    let (min, median, _) = time(runs, || schedule_profile_totals(&edited));
    table.push((
        "profile totals",
        min,
        median,
        "full-year effect and cash".into(),
    ));
    let (min, median, g) = time(runs, || compute_gap(&gap, Some(&edited)));
    table.push(("gap", min, median, format!("{} years, fed", g.years.len())));
    let scenario = Scenario::new("Amber at half");
    let (min, median, c) = time(runs, || {
        let applied = apply_scenario(&edited, &scenario);
        let scen_gap = compute_gap(
            &apply_gap_scenario(&gap, &scenario),
            Some(&applied.schedule),
        );
        compare(&edited, &applied.schedule, Some(&g), Some(&scen_gap))
    });
    table.push((
        "scenario",
        min,
        median,
        format!("{} lines differ", c.lines.len()),
    ));
    let (min, median, saved) = time(runs, || {
        save_state(&SavedState {
            version: SAVED_VERSION,
            schedule: Some(edited.clone()),
            schedule_file: None,
            gap: Some(gap.clone()),
            gap_file: None,
            scenarios: serde_json::Value::Null,
            settings: serde_json::Value::Null,
        })
    });
    table.push((
        "save state",
        min,
        median,
        format!("{:.1} MB", saved.len() as f64 / 1e6),
    ));

    println!();
    println!(
        "{:<12} {:>10} {:>10}  result",
        "step", "min ms", "median ms"
    );
    for (step, min, median, note) in &table {
        println!("{step:<12} {:>10} {:>10}  {note}", ms(*min), ms(*median));
    }
}
