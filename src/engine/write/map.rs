//! The arithmetic map of a published table as files: a CSV with one row per checked figure
//! (broken ones first, then rounding, then confirmed: [`ArithmeticMap::to_csv_rows`]) and the
//! whole map as JSON (identities, checks, counts, roles), so the report of what was checked
//! travels with a cabinet paper or an audit file. Text cells are neutralised against formula
//! injection as in every export ([`neutralise`]).

use crate::engine::calc::arithmetic::{ArithmeticMap, CSV_HEADER};

use super::export::neutralise;

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
        let _ = w.write_record(row.iter().map(|cell| neutralise(cell)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The whole map as JSON (figures as exact decimal text).
pub fn map_to_json(map: &ArithmeticMap) -> String {
    serde_json::to_string_pretty(map).unwrap_or_else(|_| "{}".to_string())
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
}
