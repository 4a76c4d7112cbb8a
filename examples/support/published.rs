//! The savings schedule the native benches generate, deterministically: 5 years, a unit row,
//! a section heading every 1,000 lines followed by its published subtotal and a grand total at
//! the end, amounts as published (`"1,435.0"`, `(200.0)`), references reused, reversal lines.
//! Shared by `bench_netting`, `bench_import` and `bench_simulation` (`#[path]`-included: not an
//! example itself), with the generator and the timing helpers they all use.

// Each bench uses part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

pub const YEARS: usize = 5;
const SECTION_LINES: usize = 1_000;

/// splitmix64: a small deterministic generator, so every run benches the same file.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Runs `f` `runs` times; the fastest and the median run, and the last result.
pub fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
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

/// A duration in milliseconds, one decimal place.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
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
pub fn generate(lines: usize) -> (String, usize, usize) {
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
