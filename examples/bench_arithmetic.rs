//! Times the arithmetic map natively (issue 15): a 300-row × 12-column table (every rule runs)
//! and a 100,000-line schedule (blocks and line totals only). Not a test: prints the figures.
//!
//! `cargo run --release --example bench_arithmetic`

use std::time::Instant;

use gapwise::engine::arithmetic::{arithmetic_map, read_table};

fn rng(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// A schedule of `lines` lines over `years` years with a Total column, a subtotal after every
/// `section` lines and a grand total, figures to one place.
fn schedule(lines: usize, years: usize, section: usize) -> Vec<Vec<String>> {
    let mut s = 0x9E37_79B9_7F4A_7C15u64;
    let mut grid = vec![std::iter::once("Proposal".to_string())
        .chain((0..years).map(|y| format!("Y{y}")))
        .chain(std::iter::once("Total".into()))
        .collect::<Vec<_>>()];
    let write = |v: i64| {
        if v == 0 {
            "-".to_string()
        } else if v < 0 {
            format!("({}.{})", -v / 10, -v % 10)
        } else {
            format!("{}.{}", v / 10, v % 10)
        }
    };
    let mut sub = vec![0i64; years + 1];
    let mut grand = vec![0i64; years + 1];
    for l in 0..lines {
        let mut v: Vec<i64> = (0..years)
            .map(|_| {
                if rng(&mut s) % 4 == 0 {
                    0
                } else {
                    (rng(&mut s) % 99_999) as i64
                }
            })
            .collect();
        v.push(v.iter().sum());
        for i in 0..=years {
            sub[i] += v[i];
            grand[i] += v[i];
        }
        grid.push(
            std::iter::once(format!("Line {l}"))
                .chain(v.iter().map(|&x| write(x)))
                .collect(),
        );
        if (l + 1) % section == 0 {
            grid.push(
                std::iter::once("Subtotal".to_string())
                    .chain(sub.iter().map(|&x| write(x)))
                    .collect(),
            );
            sub = vec![0; years + 1];
        }
    }
    grid.push(
        std::iter::once("Total".to_string())
            .chain(grand.iter().map(|&x| write(x)))
            .collect(),
    );
    grid
}

fn time(name: &str, grid: &[Vec<String>], runs: u32) {
    let t0 = Instant::now();
    let table = read_table(grid).expect("a table");
    let read = t0.elapsed();
    let mut best = f64::MAX;
    let mut map = None;
    for _ in 0..runs {
        let t = Instant::now();
        map = Some(arithmetic_map(&table));
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    let map = map.unwrap_or_default();
    println!(
        "{name}: read {:.1} ms, map {best:.1} ms (best of {runs}); {} identities, {:?}",
        read.as_secs_f64() * 1000.0,
        map.identities.len(),
        map.counts
    );
}

/// `cargo run --release --example bench_arithmetic [small|large]`: one of the two (for a profiler).
fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    if which != "large" {
        // RUNS=1 for a profiler or an instruction count (valgrind); best of 25 by default.
        let runs = std::env::var("RUNS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(25);
        time("300 rows × 12 columns", &schedule(270, 11, 10), runs);
    }
    if which != "small" {
        time("100,000-line schedule", &schedule(100_000, 4, 100_000), 3);
    }
}
