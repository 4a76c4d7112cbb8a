//! The arithmetic map of a published table as files: a CSV with one row per checked figure
//! (broken ones first, then rounding, then confirmed: [`ArithmeticMap::to_csv_rows`]) and the
//! whole map as JSON (identities, checks, counts, roles), so the report of what was checked
//! travels with a cabinet paper or an audit file. Text cells are neutralised against formula
//! injection as in every export ([`neutralise_cell`](super::export::neutralise_cell): figures are left as numbers).

use serde::Serialize;

use crate::engine::calc::arithmetic::{ArithmeticMap, CSV_HEADER};
use crate::engine::model::canonical::{document, DocumentOut};
use crate::engine::model::schedule::Schedule;

use super::export::neutralise_cell;

/// The map as CSV: the header [`CSV_HEADER`], then one row per checked figure.
///
/// ```
/// use gapwise::engine::arithmetic::map_grid;
/// use gapwise::engine::map_to_csv;
/// let grid: Vec<Vec<String>> = "Line,2024/25,2025/26\n,£m,£m\nBudget,10.500,11.000\n\
///     Funding,9.000,9.250\nGap,1.500,1.750"
///     .lines().map(|l| l.split(',').map(str::to_string).collect()).collect();
/// let csv = map_to_csv(&map_grid(&grid).unwrap());
/// assert!(csv.starts_with("status,cell,row,column,published,computed"));
/// assert_eq!(csv.lines().count(), 3);
/// ```
pub fn map_to_csv(map: &ArithmeticMap) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail; a record that did would only be left out.
    let _ = w.write_record(CSV_HEADER);
    for row in map.to_csv_rows() {
        let _ = w.write_record(row.iter().map(|cell| neutralise_cell(cell)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The whole map as JSON (figures as exact decimal text).
pub fn map_to_json(map: &ArithmeticMap) -> String {
    serde_json::to_string_pretty(map).unwrap_or_else(|_| "{}".to_string())
}

/// The canonical document with the file's map beside it, under `arithmetic_map`.
#[derive(Serialize)]
struct WithMap<'a> {
    #[serde(flatten)]
    document: DocumentOut<'a>,
    arithmetic_map: &'a ArithmeticMap,
}

/// The schedule's canonical `gapwise-schedule/1` document ([`to_json`](super::export::to_json))
/// with the arithmetic map of the file as published added under `arithmetic_map`: the JSON
/// export carries the report of what was checked. Import reads it back as the same schedule
/// (the map is ignored on reading: it is worked out again from the file's figures).
pub fn to_json_with_map(schedule: &Schedule, map: &ArithmeticMap) -> String {
    serde_json::to_string_pretty(&WithMap {
        document: document(schedule),
        arithmetic_map: map,
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::arithmetic::map_grid;

    fn grid(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn a_broken_figure_is_listed_first_with_both_figures() {
        let g = grid(
            "Line,2023/24,2024/25,2025/26\n,£'000,£'000,£'000\nBudget,100,110,120\n\
             Funding,90,95,100\nGap,10,15,25\n",
        );
        let map = map_grid(&g).unwrap();
        let csv = map_to_csv(&map);
        let first = csv.lines().nth(1).unwrap();
        assert!(first.starts_with("broken,"), "{csv}");
        assert!(first.contains(",25,20,"), "{first}");
        let json = map_to_json(&map);
        assert!(json.contains("\"broken\""), "{json}");
    }

    #[test]
    fn the_json_export_carries_the_map_and_reads_back_as_the_same_schedule() {
        use crate::engine::read::{grid::ImportOptions, import};
        let text = "Line,2023/24,2024/25,2025/26,2026/27\n,£'000,£'000,£'000,£'000\n\
                    A,100,110,120,130\nB,90,95,100,105\nTotal,190,215,220,235\n";
        let imported = import(text.as_bytes(), "t.csv", &ImportOptions::default()).unwrap();
        let map = map_grid(&grid(text)).unwrap();
        assert_eq!(map.counts.broken, 1);
        let json = to_json_with_map(&imported.schedule, &map);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["format"], "gapwise-schedule/1");
        assert_eq!(value["arithmetic_map"]["counts"]["broken"], 1);
        assert_eq!(value["arithmetic_map"]["broken"][0]["check"]["cell"], "C5");
        let again = crate::engine::model::canonical::from_json(&json).unwrap();
        assert_eq!(again, imported.schedule);
    }
}
