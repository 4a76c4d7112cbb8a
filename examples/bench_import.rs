//! Native benchmark of importing a large CSV, step by step:
//! `cargo run --release --example bench_import` (options below).
//!
//! Two generated schedules, deterministic:
//!
//! - `page`: the file `tests/e2e/bench.mjs --import-sizes` uploads in Chromium (the same bytes:
//!   its mulberry32 stream and layout are reproduced here): 20 sections, 5 years of plain tenths
//!   (`123.4`), a `TOTAL` column, a `Total Directorate n` row closing each section. 100,000
//!   lines are about 9 MB.
//! - `published`: `bench_netting`'s schedule (`support/published.rs`): amounts as published
//!   (`"1,435.0"`, `(200.0)`), a section and subtotal every 1,000 lines. 100,000 lines are about
//!   14 MB.
//!
//! For each it times, separately: decoding (`decode`), tokenising with the `csv` crate alone
//! (one `ByteRecord` reused: the floor any CSV import has), reading every amount cell with
//! `parse_amount`, the whole `import`, then `totals`, `check` and `calculate` (both).
//!
//! Options: `--lines N` (100,000 by default), `--style page|published|both` (both by default),
//! `--runs N` (5 by default), `--only import|calculate|live|decode|generate` (just that step, once per
//! run, for `valgrind --tool=callgrind --toggle-collect='*bench_step*'` or `/usr/bin/time -v`),
//! `--only dump` (the generated CSV to stdout).
//! The release profile is the one the page ships (`opt-level = "z"`, LTO).

use std::time::Duration;

use gapwise::engine::{
    calculate, check, decode, decode_job, detect_delimiter, encode_job, import, parse_amount,
    run_import, totals, ImportJob, ImportOptions, ImportReport, Live, Results, Schedule,
    DEFAULT_MAX_BYTES,
};

#[path = "support/published.rs"]
mod published;
use published::{ms, time};

/// bench.mjs's mulberry32, to the bit: the same seed gives the same file as the browser bench.
struct Mulberry32(u32);

impl Mulberry32 {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6d2b_79f5);
        let mut t = self.0;
        t = (t ^ (t >> 15)).wrapping_mul(t | 1);
        t ^= t.wrapping_add((t ^ (t >> 7)).wrapping_mul(t | 61));
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }
}

const PAGE_SECTIONS: usize = 20;
const PAGE_YEARS: [&str; 5] = ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"];

fn tenths(t: u64) -> String {
    format!("{}.{}", t / 10, t % 10)
}

/// bench.mjs `largeSchedule(lines)`: the CSV, and the grand total in tenths. Written straight
/// into one string (a table of rows first would cost more memory than the import measured).
fn page_schedule(line_count: usize) -> (String, u64) {
    let mut rand = Mulberry32(20_212_026);
    let mut csv = String::with_capacity(line_count * 100);
    let row = |csv: &mut String, cells: &[String]| {
        csv.push_str(&cells.join(","));
        csv.push('\n');
    };
    let mut head: Vec<String> = ["Source", "Project name", "Reference No.", "Description"]
        .map(String::from)
        .to_vec();
    head.extend(PAGE_YEARS.map(String::from));
    head.push("TOTAL".into());
    row(&mut csv, &head);
    let mut units = vec![String::new(); 4];
    units.extend(std::iter::repeat_n(
        "£'000".to_string(),
        PAGE_YEARS.len() + 1,
    ));
    row(&mut csv, &units);
    let mut n = 0;
    let mut grand = 0;
    for s in 0..PAGE_SECTIONS {
        let in_section = line_count / PAGE_SECTIONS + usize::from(s < line_count % PAGE_SECTIONS);
        let mut heading = vec![format!("Directorate {}", s + 1)];
        heading.extend(std::iter::repeat_n(String::new(), 3 + PAGE_YEARS.len() + 1));
        row(&mut csv, &heading);
        let mut sums = [0u64; 5];
        for _ in 0..in_section {
            n += 1;
            let years: Vec<u64> = (0..PAGE_YEARS.len())
                .map(|_| {
                    if rand.next() < 0.125 {
                        0
                    } else {
                        (rand.next() * 2001.0).floor() as u64
                    }
                })
                .collect();
            for (sum, t) in sums.iter_mut().zip(&years) {
                *sum += t;
            }
            let total: u64 = years.iter().sum();
            grand += total;
            let mut line = vec![
                if s % 2 == 1 { "Capital" } else { "Revenue" }.to_string(),
                format!("Project {n}"),
                format!("BR{n:05}"),
                format!("Saving {n} in directorate {}", s + 1),
            ];
            line.extend(years.iter().map(|t| tenths(*t)));
            line.push(tenths(total));
            row(&mut csv, &line);
        }
        let mut total_row = vec![format!("Total Directorate {}", s + 1)];
        total_row.extend(std::iter::repeat_n(String::new(), 3));
        total_row.extend(sums.iter().map(|t| tenths(*t)));
        total_row.push(tenths(sums.iter().sum()));
        row(&mut csv, &total_row);
    }
    (csv, grand)
}

// The steps, not inlined, so that callgrind can count each alone
// (`--toggle-collect='*bench_step_import*'`).
#[inline(never)]
fn bench_step_import(bytes: &[u8], options: &ImportOptions) -> Schedule {
    let imported = import(bytes, "bench.csv", options).expect("the generated file imports");
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    imported.schedule
}

#[inline(never)]
fn bench_step_calculate(s: &Schedule) -> Results {
    calculate(s)
}

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runs = arg(&args, "--runs").unwrap_or(5usize).max(1);
    let lines = arg(&args, "--lines").unwrap_or(100_000usize).max(1);
    let style: String = arg(&args, "--style").unwrap_or_else(|| "both".into());
    let only: Option<String> = arg(&args, "--only");

    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();
    if style == "page" || style == "both" {
        files.push(("page", page_schedule(lines).0.into_bytes()));
    }
    if style == "published" || style == "both" {
        files.push(("published", published::generate(lines).0.into_bytes()));
    }

    for (name, bytes) in &files {
        // 1,000,000 lines are over the page's 64 MB limit: the bench lifts it.
        let options = ImportOptions {
            max_bytes: bytes.len().max(DEFAULT_MAX_BYTES),
            ..ImportOptions::default()
        };
        match only.as_deref() {
            Some("generate") => continue,
            Some("dump") => {
                use std::io::Write as _;
                std::io::stdout().write_all(bytes).expect("writes");
                continue;
            }
            Some("import") => {
                for _ in 0..runs {
                    std::hint::black_box(bench_step_import(bytes, &options));
                }
                continue;
            }
            Some("calculate") => {
                let s = bench_step_import(bytes, &options);
                for _ in 0..runs {
                    std::hint::black_box(bench_step_calculate(&s));
                }
                continue;
            }
            Some("decode") => {
                let job = ImportJob {
                    file_name: "bench.csv".into(),
                    options: options.clone(),
                    ..ImportJob::default()
                };
                let wire = encode_job(&run_import(bytes, &job));
                for _ in 0..runs {
                    std::hint::black_box(decode_job::<ImportReport>(&wire).expect("decodes"));
                }
                continue;
            }
            Some("live") => {
                let s = bench_step_import(bytes, &options);
                for _ in 0..runs {
                    std::hint::black_box(Live::new(&s));
                }
                continue;
            }
            Some(other) => {
                panic!("--only {other}: import, calculate, live, decode, generate or dump")
            }
            None => {}
        }

        println!(
            "\n{name}: {lines} lines, {:.1} MB; {runs} runs per step",
            bytes.len() as f64 / 1e6
        );
        let mut table: Vec<(&str, Duration, Duration, String)> = Vec::new();

        let (min, median, (text, encoding)) = time(runs, || decode(bytes).expect("decodes"));
        table.push(("decode", min, median, encoding.to_string()));

        let delimiter = detect_delimiter(&text);
        let (min, median, cells) = time(runs, || {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            let mut record = csv::ByteRecord::new();
            let mut cells = 0usize;
            while reader.read_byte_record(&mut record).expect("reads") {
                cells += record.len();
            }
            cells
        });
        table.push((
            "csv alone",
            min,
            median,
            format!("{cells} cells, ByteRecord reused"),
        ));

        // Every cell of the year and total columns (the last six), as text.
        let amount_cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .skip(2)
            .flat_map(|r| {
                let r = r.expect("reads");
                let n = r.len();
                r.iter()
                    .skip(n.saturating_sub(6))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect();
        let (min, median, figures) = time(runs, || {
            amount_cells
                .iter()
                .filter(|c| parse_amount(c).is_ok_and(|p| p.amount.is_figure()))
                .count()
        });
        table.push((
            "parse_amount",
            min,
            median,
            format!("{} cells, {figures} figures", amount_cells.len()),
        ));
        drop(amount_cells);
        drop(text);

        let (min, median, s) = time(runs, || bench_step_import(bytes, &options));
        table.push((
            "import",
            min,
            median,
            format!(
                "{} lines, {} total rows, {:.0} MB/s",
                s.lines.len(),
                s.total_rows.len(),
                bytes.len() as f64 / 1e6 / min.as_secs_f64()
            ),
        ));

        let (min, median, t) = time(runs, || totals(&s));
        table.push((
            "totals",
            min,
            median,
            format!("{} line sums", t.lines.len()),
        ));
        let (min, median, c) = time(runs, || check(&s, &t));
        table.push((
            "check",
            min,
            median,
            format!(
                "{} checks, {} total rows ok",
                c.checks.len(),
                c.total_rows.ok
            ),
        ));
        assert_eq!(
            c.total_rows.ok,
            s.total_rows.len(),
            "every published subtotal reconciles"
        );
        let (min, median, _) = time(runs, || bench_step_calculate(&s));
        table.push(("calculate", min, median, "totals and checks".into()));
        let (min, median, _) = time(runs, || Live::new(&s));
        table.push(("Live::new", min, median, "what the page works out".into()));

        // What the worker sends the page, and the page reads back.
        let job = ImportJob {
            file_name: "bench.csv".into(),
            options: options.clone(),
            ..ImportJob::default()
        };
        let report = run_import(bytes, &job);
        let (min, median, wire) = time(runs, || encode_job(&report));
        table.push((
            "encode report",
            min,
            median,
            format!("{} bytes", wire.len()),
        ));
        let (min, median, _) = time(runs, || {
            decode_job::<ImportReport>(&wire).expect("reads back")
        });
        table.push(("decode report", min, median, "the page's side".into()));

        println!("{:<14} {:>9} {:>10}  result", "step", "min ms", "median ms");
        for (step, min, median, note) in &table {
            println!("{step:<14} {:>9} {:>10}  {note}", ms(*min), ms(*median));
        }
    }
}
