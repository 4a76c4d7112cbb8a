//! A gap table's published results judged by the table's own arithmetic (docs/domain.md, "The
//! arithmetic map"): labels say which rows claim a result (`gap after reserves`, `savings
//! requirement`), but councils word those rows in many ways, and a label read the wrong way
//! turned correct tables into lists of errors. So once the file's arithmetic map is known, each
//! published result is judged by the identity that derives it, whatever its label: its status,
//! its computed figure and its tolerance are the map's. A row whose label names a result but
//! which no identity among the figures derives is a figure of the table, not a result: it is
//! not checked, and is listed ([`NotDerived`]) so the reader sees why.
//!
//! The rows' roles, and so the gap itself (requirement, gap before and after reserves, the
//! bridge), come from the map where it settles them and from the labels elsewhere
//! (`gap_roles`); here only the checks of published figures are judged. [`judge_gap`] does both
//! halves of the judgement at once (the judged figures and the rows not derived), for the page.

use serde::{Deserialize, Serialize};

use super::arithmetic::{ArithmeticMap, Shape, Status};
use super::checks::{CheckColumn, CheckStatus};
use super::gap::GapFigures;
use crate::engine::model::gap::GapModel;

/// A row whose label names a published result that no identity among the table's figures
/// derives: read as a figure, not checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotDerived {
    /// The file row.
    pub row: usize,
    pub label: String,
}

/// A gap's figures with their published results judged by the file's arithmetic, and the rows
/// whose labels name a result that no identity derives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JudgedGap {
    pub figures: GapFigures,
    pub not_derived: Vec<NotDerived>,
}

/// `figures` (worked out by [`compute_gap`](super::gap::compute_gap) or the live results) judged by
/// the file's map when there is one ([`judge_by_arithmetic`]); without a map the checks stand
/// as computed and no row is listed as not derived.
pub fn judge_gap(
    model: &GapModel,
    mut figures: GapFigures,
    map: Option<&ArithmeticMap>,
) -> JudgedGap {
    let not_derived = match map {
        Some(map) => judge_by_arithmetic(model, &mut figures, map),
        None => Vec::new(),
    };
    JudgedGap {
        figures,
        not_derived,
    }
}

/// Judges the published results of `figures` by the file's arithmetic map: a check whose cell
/// the map checks takes the map's status, computed figure, difference and tolerance; a check
/// whose row no identity derives is taken out, and its row returned. Checks in a year the map
/// has no column for (a heading it did not read) are left as they are.
///
/// ```
/// use gapwise::engine::{arithmetic::map_grid, compute_gap, gap_model, import, judge_by_arithmetic, ImportOptions};
/// let csv = "Plan,2024/25,2025/26,2026/27\n,£m,£m,£m\nBase budget requirement,100.0,104.0,109.0\n\
///            Funding,96.0,98.5,101.0\nGap before use of reserves,4.0,5.5,8.0\n\
///            General reserve,1.0,1.5,2.0\nCumulative budget gap after reserves,3.0,4.0,6.0\n";
/// let imported = import(csv.as_bytes(), "plan.csv", &ImportOptions::default())?;
/// let model = gap_model(&imported.schedule);
/// let mut figures = compute_gap(&model, None);
/// let map = map_grid(&imported.grid).unwrap();
/// let not_derived = judge_by_arithmetic(&model, &mut figures, &map);
/// assert!(figures.checks.iter().all(|c| c.status == gapwise::engine::CheckStatus::Ok));
/// assert_eq!(not_derived.len(), 1);
/// assert_eq!(not_derived[0].row, 3);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn judge_by_arithmetic(
    model: &GapModel,
    figures: &mut GapFigures,
    map: &ArithmeticMap,
) -> Vec<NotDerived> {
    // The map's column of each year of the model, by its heading as published.
    let columns: Vec<Option<usize>> = model
        .years
        .iter()
        .map(|y| {
            map.columns
                .iter()
                .find(|c| c.heading.trim() == y.header.trim())
                .map(|c| c.column)
        })
        .collect();
    let map_check = |row: usize, column: usize| {
        map.identities
            .iter()
            // A % column's ratio check says nothing of a row's money.
            .filter(|i| i.shape != Shape::Ratio)
            .flat_map(|i| i.checks.iter())
            .filter(|c| c.row == row && c.column == column)
            // A figure two identities derive is judged by the worse of them.
            .max_by_key(|c| match c.status {
                Status::Confirmed => 0,
                Status::Rounding => 1,
                Status::Broken => 2,
            })
    };
    let derived_rows: std::collections::BTreeSet<usize> = map
        .identities
        .iter()
        .filter(|i| i.shape != Shape::Ratio)
        .flat_map(|i| i.checks.iter().map(|c| c.row))
        .collect();
    let mut not_derived: Vec<NotDerived> = Vec::new();
    figures.checks.retain_mut(|check| {
        let CheckColumn::Year(y) = check.column else {
            return true;
        };
        let Some(column) = columns.get(y).copied().flatten() else {
            return true;
        };
        match map_check(check.row, column) {
            Some(found) => {
                check.status = match found.status {
                    Status::Confirmed => CheckStatus::Ok,
                    Status::Rounding => CheckStatus::Rounding,
                    Status::Broken => CheckStatus::Error,
                };
                check.computed = found.computed;
                check.difference = found.difference;
                check.tolerance = found.tolerance;
                check.missing = 0;
                true
            }
            None if derived_rows.contains(&check.row) => true,
            None => {
                if !not_derived.iter().any(|n| n.row == check.row) {
                    not_derived.push(NotDerived {
                        row: check.row,
                        label: check.label.clone(),
                    });
                }
                false
            }
        }
    });
    not_derived
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::arithmetic::map_grid;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::{import, ImportOptions};

    fn judged(path: &str) -> (GapFigures, Vec<NotDerived>, GapFigures) {
        let bytes = std::fs::read(path).unwrap();
        let imported = import(&bytes, path, &ImportOptions::default()).unwrap();
        let model = gap_model(&imported.schedule);
        let by_labels = compute_gap(&model, None);
        let mut figures = by_labels.clone();
        let map = map_grid(&imported.grid).unwrap();
        let not_derived = judge_by_arithmetic(&model, &mut figures, &map);
        (figures, not_derived, by_labels)
    }

    fn errors(f: &GapFigures) -> Vec<(usize, usize)> {
        f.checks
            .iter()
            .filter(|c| c.status == CheckStatus::Error)
            .map(|c| match c.column {
                CheckColumn::Year(y) => (c.row, y),
                CheckColumn::Total => (c.row, usize::MAX),
            })
            .collect()
    }

    #[test]
    fn a_plan_whose_labels_mislead_keeps_only_its_real_error() {
        // Every result row read by its label was an error (16 of 16); by the arithmetic only
        // the annual gap of the last year is, the deliberate error of the fixture.
        let (figures, not_derived, by_labels) = judged("tests/fixtures/arithmetic/mtfs-plan.csv");
        assert_eq!(errors(&by_labels).len(), 16);
        assert_eq!(errors(&figures), [(10, 3)]);
        assert_eq!(figures.checks.len(), 12);
        assert_eq!(
            not_derived,
            [NotDerived {
                row: 3,
                label: "Base budget requirement".into()
            }]
        );
    }

    #[test]
    fn next_years_plan_savings_requirement_rows_are_checked_by_their_identities() {
        let (figures, not_derived, by_labels) =
            judged("tests/fixtures/arithmetic/mtfs-next-year.csv");
        assert_eq!(errors(&by_labels).len(), 10);
        assert_eq!(errors(&figures), [(8, 4)]);
        assert!(not_derived.is_empty());
        let rounding = figures
            .checks
            .iter()
            .filter(|c| c.status == CheckStatus::Rounding)
            .count();
        assert_eq!(rounding, 1);
    }

    #[test]
    fn the_published_tables_that_agreed_still_agree() {
        for path in [
            "tests/fixtures/cyps-budget-forecast-2016-21.csv",
            "tests/fixtures/cyps-funding-gap-2016-20.csv",
        ] {
            let (figures, not_derived, by_labels) = judged(path);
            assert_eq!(figures.checks.len(), by_labels.checks.len(), "{path}");
            assert!(
                figures.checks.iter().all(|c| c.status == CheckStatus::Ok),
                "{path}"
            );
            assert!(not_derived.is_empty(), "{path}");
        }
    }
}
