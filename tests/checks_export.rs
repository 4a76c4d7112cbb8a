//! "Download checks": one row per checked figure of the schedule and of the file's arithmetic
//! map, problems first, as CSV and JSON (write::checks). Every row's difference is its published
//! figure less its computed one, exactly; an error injected into a published table is the first
//! row, with both figures; text is neutralised.

mod common;

use common::{csv_rows, d, from_csv, CYPS_SAVINGS, FIXTURES};
use gapwise::engine::arithmetic::map_grid;
use gapwise::engine::{
    calculate, checked_figures, checks_to_csv, checks_to_json, read_grid, ImportOptions,
    CHECKS_HEADER,
};

/// The schedule, its checks and its map, as the page has them after loading `bytes`.
fn load(
    name: &str,
    bytes: &[u8],
) -> (
    gapwise::engine::Schedule,
    gapwise::engine::Results,
    gapwise::engine::arithmetic::ArithmeticMap,
) {
    let s = common::load(bytes, name).schedule;
    let r = calculate(&s);
    let grid = read_grid(bytes, name, &ImportOptions::default()).unwrap();
    (s, r, map_grid(&grid).expect("a table of money"))
}

#[test]
fn every_checked_figure_of_every_fixture_is_a_row() {
    for (name, bytes) in FIXTURES {
        let (s, r, map) = load(name, bytes);
        let csv = checks_to_csv(&s, &r.checks, Some((name, &map)));
        let rows = csv_rows(&csv);
        assert_eq!(rows[0], CHECKS_HEADER, "{name}");
        let map_figures: usize = map.identities.iter().map(|i| i.checks.len()).sum();
        assert_eq!(
            rows.len() - 1,
            r.checks.checks.len() + map_figures,
            "{name}"
        );
        for row in &rows[1..] {
            // difference = published - computed, exactly, on every row of both sources.
            assert_eq!(d(&row[8]), d(&row[6]) - d(&row[7]), "{name}: {row:?}");
            assert!(row[3].parse::<usize>().unwrap() > 0, "{name}: {row:?}");
            assert!(!row[10].is_empty(), "{name}: an identity is named: {row:?}");
        }
        let schedule_rows = rows[1..].iter().filter(|r| r[0] == "schedule").count();
        assert_eq!(schedule_rows, r.checks.checks.len(), "{name}");
        // The JSON has the same figures, and counts that add up to them.
        let json: serde_json::Value =
            serde_json::from_str(&checks_to_json(&s, &r.checks, Some((name, &map)))).unwrap();
        let checks = json["checks"].as_array().unwrap();
        assert_eq!(checks.len(), rows.len() - 1, "{name}");
        let counted: u64 = json["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["figures"].as_u64().unwrap())
            .sum();
        assert_eq!(counted as usize, checks.len(), "{name}");
        for (j, row) in checks.iter().zip(&rows[1..]) {
            assert_eq!(j["published"].as_str().unwrap(), row[6], "{name}");
            assert_eq!(j["status"].as_str().unwrap(), row[1], "{name}");
        }
    }
}

#[test]
fn an_injected_error_comes_first_with_both_figures() {
    let (name, bytes) = CYPS_SAVINGS;
    let text = std::str::from_utf8(bytes).unwrap();
    // CYPS9's published total 825.0 (330 + 385 + 110 + 0) made 826.0.
    let wrong = text.replacen("110.0,0.0,825.0", "110.0,0.0,826.0", 1);
    assert_ne!(wrong, text);
    let (s, r, map) = load(name, wrong.as_bytes());
    let figures = checked_figures(&s, &r.checks, Some((name, &map)));
    let first = &figures[0];
    assert_eq!(
        (first.source.as_str(), first.status.as_str(), first.row),
        ("schedule", "error", 4)
    );
    assert_eq!(
        (first.published.as_str(), first.computed.as_str()),
        ("826.0", "825.0")
    );
    assert_eq!(first.difference, "1.0");
    assert_eq!(first.identity, "the sum of the line's years");
    // The map finds it too, as a broken figure, before its confirmed ones.
    let map_rows: Vec<_> = figures
        .iter()
        .filter(|f| f.source.starts_with("arithmetic map"))
        .collect();
    assert_eq!(map_rows[0].status, "broken");
    assert_eq!(map_rows[0].row, 4);
    assert!(map_rows.iter().skip(1).all(|f| f.status != "broken"));
    // And the correct file has no error at all.
    let (s, r, _) = load(name, bytes);
    assert!(checked_figures(&s, &r.checks, None)
        .iter()
        .all(|f| f.status == "ok" || f.status == "rounding"));
}

#[test]
fn text_is_neutralised_and_total_rows_say_what_they_cover() {
    let s = from_csv(
        "Project,2024/25,2025/26,Total\n=HYPERLINK(\"x\"),1.0,2.0,3.0\nB,1.0,1.0,2.0\n\
         Total,2.0,3.5,5.0\n",
    );
    let r = calculate(&s);
    let rows = csv_rows(&checks_to_csv(&s, &r.checks, None));
    let error = &rows[1];
    assert_eq!(
        &error[1..8],
        ["error", "", "4", "2025/26", "Total", "3.5", "3.0"]
    );
    assert_eq!(error[10], "total of every line (2025/26)");
    let formula = rows.iter().find(|r| r[5].contains("HYPERLINK")).unwrap();
    assert!(formula[5].starts_with('\''), "{formula:?}");
}
