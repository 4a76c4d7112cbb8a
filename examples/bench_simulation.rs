//! Native benchmark of the delivery risk simulation:
//! `cargo run --release --example bench_simulation` (`-- --lines N --runs N` to change the
//! size; 1,000 lines and 10,000 runs by default).
//!
//! It generates in memory, deterministically, a savings schedule CSV of N lines × 5 years
//! (£'000, one decimal place, incremental, a RAG column of red, amber, green and blank, a few
//! reversal lines), feeds it into a 5-year gap model (£m) with a reserves plan of two reserves
//! (one with a minimum of 5 % of the net budget), and times: preparing the simulation
//! ([`Simulation::new`]), the runs at once, and the runs in chunks of 500 (as a Web Worker
//! reporting progress would), checking that the chunked results equal the others. It prints
//! milliseconds and a few of the results.
//!
//! The release profile is the one the page ships (`opt-level = "z"`, LTO), so these are the
//! engine's speeds as built for size, natively; the browser's WebAssembly is slower again.

use std::fmt::Write as _;
use std::time::Instant;

use gapwise::engine::{
    gap_model, import, ImportOptions, Minimum, Profile, Reserve, ReserveKind, ReservesPlan,
    RiskSettings, SavingsFeed, Scenario, Simulation, SimulationInputs,
};
use rust_decimal::Decimal;

#[path = "support/published.rs"]
mod published;
use published::Rng;

const YEARS: [&str; 5] = ["2021/22", "2022/23", "2023/24", "2024/25", "2025/26"];

fn schedule_csv(lines: usize) -> String {
    let mut rng = Rng(20_260_401);
    let mut csv = format!(
        "Project,RAG,{}\n,,{}\n",
        YEARS.join(","),
        ["£'000"; 5].join(",")
    );
    let mut last: Option<(String, Vec<String>)> = None;
    for i in 0..lines {
        // One line in fifty reverses the line before it.
        if i % 50 == 49 {
            if let Some((name, cells)) = last.take() {
                let negated: Vec<String> = cells
                    .iter()
                    .map(|c| {
                        if c == "0.0" {
                            c.clone()
                        } else {
                            format!("({c})")
                        }
                    })
                    .collect();
                let _ = writeln!(csv, "{name},,{}", negated.join(","));
                continue;
            }
        }
        let rag = ["Red", "Amber", "Amber", "Green", "Green", ""][rng.below(6) as usize];
        let cells: Vec<String> = (0..YEARS.len())
            .map(|_| {
                if rng.below(4) == 0 {
                    "0.0".to_string()
                } else {
                    let tenths = rng.below(800) + 1;
                    format!("{}.{}", tenths / 10, tenths % 10)
                }
            })
            .collect();
        let name = format!("Saving {i}");
        let _ = writeln!(csv, "{name},{rag},{}", cells.join(","));
        last = Some((name, cells));
    }
    csv
}

fn gap_csv() -> String {
    format!(
        "Line,{}\n,{}\nNet Budget,250.000,255.000,260.000,265.000,270.000\n\
         Pressure (Demand),25.000,50.000,75.000,100.000,125.000\n\
         Pressure (Inflation),5.000,10.150,15.450,20.900,26.500\n",
        YEARS.join(","),
        ["£m"; 5].join(",")
    )
}

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let lines = arg("--lines", 1_000);
    let runs = arg("--runs", 10_000) as u32;
    let options = ImportOptions::default();
    let schedule = import(schedule_csv(lines).as_bytes(), "bench.csv", &options)
        .expect("the generated schedule imports")
        .schedule;
    let mut gap = gap_model(
        &import(gap_csv().as_bytes(), "gap.csv", &options)
            .expect("the generated gap table imports")
            .schedule,
    );
    gap.feed = Some(SavingsFeed {
        profile: Profile::Cumulative,
    });
    let mut general = Reserve::new(1, "General fund", ReserveKind::General, Decimal::new(30, 0));
    general.gap_order = Some(1);
    general.minimum = Some(Minimum::ShareOfNetBudget(Decimal::new(5, 2)));
    let mut earmarked = Reserve::new(
        2,
        "Transformation",
        ReserveKind::Earmarked,
        Decimal::new(15, 0),
    );
    earmarked.gap_order = Some(2);
    gap.reserves_plan = Some(ReservesPlan {
        reserves: vec![general, earmarked],
        ..ReservesPlan::default()
    });
    let mut scenario = Scenario::new("Delivery risk");
    scenario.risk = Some(RiskSettings {
        runs,
        ..RiskSettings::default()
    });
    let inputs = SimulationInputs {
        schedule,
        gap: Some(gap),
        scenario,
    };

    let t = Instant::now();
    let sim = Simulation::new(&inputs).expect("the simulation can be run");
    let prepare = t.elapsed();
    let t = Instant::now();
    let whole = sim.finish();
    let at_once = t.elapsed();

    let t = Instant::now();
    let mut sim = Simulation::new(&inputs).expect("the simulation can be run");
    while !sim.run_chunk(500).is_done() {}
    let chunked = sim.finish();
    let in_chunks = t.elapsed();
    assert_eq!(chunked, whole, "chunked results equal the results at once");

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{} lines ({} drawn groups, {} fixed) × {} years, {} runs",
        whole.lines,
        whole.drawn,
        whole.fixed,
        whole.years.len(),
        whole.runs
    );
    println!(
        "{:<34}{:>10.1} ms",
        "prepare (Simulation::new)",
        ms(prepare)
    );
    println!("{:<34}{:>10.1} ms", "runs at once (finish)", ms(at_once));
    println!(
        "{:<34}{:>10.1} ms",
        "new + runs in chunks of 500",
        ms(in_chunks)
    );
    println!();
    println!(
        "{:<9}{:>14}{:>14}{:>14}{:>12}{:>14}",
        "year", "savings P10", "savings P50", "savings P90", "P(closed)", "gap left P90"
    );
    for y in &whole.years {
        println!(
            "{:<9}{:>14}{:>14}{:>14}{:>12}{:>14}",
            y.year.to_string(),
            y.savings.p10.round_dp(3).to_string(),
            y.savings.p50.round_dp(3).to_string(),
            y.savings.p90.round_dp(3).to_string(),
            y.p_closed.map(|p| p.to_string()).unwrap_or_default(),
            y.gap_left
                .as_ref()
                .map(|g| g.p90.round_dp(3).to_string())
                .unwrap_or_default(),
        );
    }
}
