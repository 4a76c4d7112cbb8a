//! On the web: installs the panic hook and mounts the page. Natively: `gapwise FILE...` imports
//! each file and prints its totals and checks, the same figures the page shows.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    gapwise::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use gapwise::engine::{calculate, format_amount, import, ImportOptions};
    let files: Vec<String> = std::env::args().skip(1).collect();
    if files.is_empty() {
        eprintln!("usage: gapwise FILE.csv|FILE.json ...");
        std::process::exit(2);
    }
    let mut failed = false;
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        let imported = match import(&bytes, &path, &ImportOptions::default()) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        let s = &imported.schedule;
        let r = calculate(s);
        println!(
            "{} ({}, {} lines, {} sections)",
            s.title,
            s.unit,
            s.lines.len(),
            s.sections.len()
        );
        for p in &imported.problems {
            println!("  problem: {p}");
        }
        let d = s.decimals;
        let years: Vec<String> = s
            .years
            .iter()
            .zip(&r.totals.grand.years)
            .map(|(y, t)| format!("{} {}", y.year, format_amount(t.value, d)))
            .collect();
        println!(
            "  grand total: {} | all years {}",
            years.join(" | "),
            format_amount(r.totals.grand.total.value, d)
        );
        let c = &r.checks;
        println!(
            "  line totals: {} ok, {} rounding, {} incomplete, {} error; total rows: {} ok, {} rounding, {} incomplete, {} error",
            c.line_totals.ok, c.line_totals.rounding, c.line_totals.incomplete, c.line_totals.error,
            c.total_rows.ok, c.total_rows.rounding, c.total_rows.incomplete, c.total_rows.error
        );
        for p in c.problems() {
            println!(
                "  {} row {} {} [{}]: published {} computed {} difference {}",
                p.status.label(),
                p.row,
                p.label,
                p.column_header,
                p.published,
                p.computed,
                p.difference
            );
        }
    }
    if failed {
        std::process::exit(1);
    }
}
