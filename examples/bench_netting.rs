//! Native benchmark of the engine on a large schedule:
//! `cargo run --release --example bench_netting` (`-- --runs N` to change the number of timed
//! runs of each step, 5 by default).
//!
//! It generates in memory, deterministically, a savings schedule CSV of 100,000 lines × 5 years
//! as a finance officer's workbook exports it: a unit row, section headings each followed by
//! its published subtotal row and a grand total at the end, references reused by several
//! proposals, lines without a reference, one-off savings, and reversal lines (a later line with
//! the same label and negated amounts, domain.md "Netting"). Then it times each engine step and
//! prints a table in milliseconds: import, calculate (totals and checks), netting, reconcile
//! (against a cumulative, £m, costs-positive copy of itself), profile conversion and CSV export.
//!
//! The release profile is the one the page ships (`opt-level = "z"`, LTO), so these are the
//! engine's speeds as built for size, natively; the browser's WebAssembly is slower again.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use gapwise::engine::{
    apply_gap_scenario, apply_scenario, calculate, compare, compute_gap, decode_job, encode_job,
    gap_model, import, netting, reconcile, save_state, schedule_in_profile,
    schedule_profile_totals, to_csv, Amount, Edit, History, ImportOptions, ImportReport,
    ImportedFile, Profile, SavedState, SavingsFeed, Scenario, Schedule, SignConvention, Unit,
    DEFAULT_MAX_BYTES, SAVED_VERSION,
};
use rust_decimal::Decimal;

const DEMO_GAP: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cyps-budget-forecast-2016-21.csv"
));

const DEFAULT_LINES: usize = 100_000;
const YEARS: usize = 5;
const SECTION_LINES: usize = 1_000;

/// splitmix64: a small deterministic generator, so every run benches the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 24] = [
    "Early",
    "Help",
    "Review",
    "Foster",
    "Care",
    "Payments",
    "Edge",
    "Agency",
    "Social",
    "Workers",
    "Transport",
    "Business",
    "Support",
    "Market",
    "Development",
    "Placements",
    "Commissioning",
    "Quality",
    "Therapy",
    "Family",
    "Conferencing",
    "Staffing",
    "Youth",
    "Contracts",
];

const SOURCES: [&str; 5] = [
    "16/17 Investment Bids",
    "17/18 Savings",
    "ASR 17/18",
    "Demand Management 18/19",
    "2018/19 in Year ASRs (September)",
];

/// An amount in tenths of £'000, written as published: `1,435.0`, `(200.0)`, `0.0`.
fn published(tenths: i64) -> String {
    let abs = tenths.unsigned_abs();
    let (units, tenth) = (abs / 10, abs % 10);
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let text = format!("{grouped}.{tenth}");
    let text = if tenths < 0 {
        format!("({text})")
    } else {
        text
    };
    if text.contains(',') {
        format!("\"{text}\"")
    } else {
        text
    }
}

fn amounts_row(out: &mut String, figures: &[i64; YEARS]) {
    for f in figures {
        out.push(',');
        out.push_str(&published(*f));
    }
    out.push(',');
    out.push_str(&published(figures.iter().sum()));
    out.push('\n');
}

/// The schedule as CSV text, and how many section headings and total rows it has.
fn generate(lines: usize) -> (String, usize, usize) {
    let mut rng = Rng(2017);
    let mut csv = String::with_capacity(lines * 130);
    csv.push_str("Source of Saving,Project name,Reference No.,Description");
    for y in 0..YEARS {
        let _ = write!(csv, ",{}/{:02}", 2017 + y, (18 + y) % 100);
    }
    csv.push_str(",TOTAL SAVING DUE\n,,,");
    for _ in 0..=YEARS {
        csv.push_str(",£'000");
    }
    csv.push('\n');

    let mut section_sum = [0i64; YEARS];
    let mut grand = [0i64; YEARS];
    let mut sections = 0;
    let mut total_rows = 0;
    let mut previous: Option<(String, String, String, [i64; YEARS])> = None;
    for i in 0..lines {
        if i % SECTION_LINES == 0 {
            sections += 1;
            let _ = writeln!(csv, "Section {sections} Savings,,,,,,,,,");
        }
        // Every 20th line reverses the line before it: same source, name and reference, the
        // amounts negated (`Business Support Review` 200, 750 then (200), (750)).
        let reversal = i % 20 == 19 && previous.is_some();
        let (source, name, reference, figures) = if reversal {
            let (s, n, r, f) = previous.take().unwrap();
            (s, n, r, f.map(|v| -v))
        } else {
            let source = SOURCES[rng.below(SOURCES.len() as u64) as usize].to_string();
            let name = format!(
                "{} {} {} {}",
                WORDS[rng.below(24) as usize],
                WORDS[rng.below(24) as usize],
                WORDS[rng.below(24) as usize],
                i
            );
            // References reused: about three proposals per reference; one line in ten has none.
            let reference = if rng.below(10) == 0 {
                String::new()
            } else {
                format!("CYPS{}", rng.below((lines / 3).max(1) as u64))
            };
            let mut figures = [0i64; YEARS];
            for f in &mut figures {
                *f = match rng.below(10) {
                    0..=3 => 0,
                    4 => -(rng.below(5_000) as i64),
                    _ => rng.below(50_000) as i64,
                };
            }
            (source, name, reference, figures)
        };
        let description = if source.starts_with("2018/19 in Year") {
            "One-off savings to be achieved in year".to_string()
        } else {
            format!("Description of proposal {i}")
        };
        let _ = write!(csv, "{source},{name},{reference},{description}");
        amounts_row(&mut csv, &figures);
        for y in 0..YEARS {
            section_sum[y] += figures[y];
            grand[y] += figures[y];
        }
        if !reversal {
            previous = Some((source, name, reference, figures));
        }
        if i % SECTION_LINES == SECTION_LINES - 1 {
            csv.push_str("Total Budget Savings,,,");
            amounts_row(&mut csv, &section_sum);
            total_rows += 1;
            section_sum = [0; YEARS];
        }
    }
    csv.push_str("Total,,,");
    amounts_row(&mut csv, &grand);
    total_rows += 1;
    (csv, sections, total_rows)
}

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

/// Runs `f` `runs` times; returns the fastest and the median run, and the last result.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        times.push(start.elapsed());
        last = Some(std::hint::black_box(out));
    }
    times.sort();
    (times[0], times[runs / 2], last.expect("at least one run"))
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
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
    let (min, median, sent) = time(runs, || {
        encode_job(&ImportReport {
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
            }),
            used_remembered: false,
            proposal: None,
        })
    });
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
