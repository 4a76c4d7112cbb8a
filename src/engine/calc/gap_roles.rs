//! A funding-gap table recognised, and its rows given their roles, by the table's own
//! arithmetic, with labels only as a hint (docs/domain.md, "The funding gap", "Roles from the
//! arithmetic").
//!
//! Labels are worded in many ways: `Cumulative savings requirement` reads as a budget
//! requirement but is the gap after reserves; `Base budget requirement` reads as a result but is
//! the figure the gap starts from. The arithmetic map ([`super::arithmetic`]) finds which row is
//! derived from which, and so which row is the gap before reserves, which rows are the reserves
//! taken from it, which row is what is left (the gap after reserves) and which is its change
//! year on year. [`gap_model_by_arithmetic`] puts the two together: the map's roles where it
//! found them, the labels (`read::gap`) for every row the arithmetic does not settle.

use std::collections::BTreeMap;

use super::arithmetic::{ArithmeticMap, Axis, GapRole as Found, RowRole, Shape};
use crate::engine::model::gap::{
    mostly_negative, GapCheckRow, GapModel, GapResult, GapRole, GapRow, Stated,
};
use crate::engine::model::schedule::Schedule;
use crate::engine::read::gap::{gap_model, is_line_table, looks_like_gap_table};

/// How many derived rows deep the inputs of the gap before reserves are looked for (a gap that
/// is a requirement subtotal minus funding has the subtotal's lines as its inputs).
const DEPTH: usize = 4;

/// The gap model of a line-labelled table, or `None` when the table is not a gap table
/// (docs/domain.md, "Roles from the arithmetic").
///
/// - When the map finds a gap before reserves with reserves taken from it (a row equal to one
///   derived row minus lines), the table is a gap table whatever its labels say, and each row
///   the map gives a gap role takes it: the gap before reserves, the gap after reserves and their
///   year-on-year changes are published results ([`GapResult::GapBeforeReserves`],
///   [`GapResult::GapAfterReserves`], [`GapResult::AnnualGap`],
///   [`GapResult::AnnualGapAfterReserves`]); a reserve line is [`GapRole::Reserves`]; the
///   subtotal of the reserves is shown, not counted (its lines are). The lines the gap before
///   reserves is summed from are its inputs, each with the role of its label when that role
///   adds or takes away the row as the identity does, else one that does (added: the base
///   budget, or funding when its figures are negatives; taken away: funding). A row the map
///   derives that a label reads as an input is shown, not counted (counted, its terms would be
///   counted twice). Every other row is read by its label ([`gap_model`]).
/// - Otherwise the labels decide ([`looks_like_gap_table`], [`gap_model`]), unless the map
///   contradicts them: a row the labels read as an input (counted or shown) that the map
///   derives from other rows (`Projected deficit / (surplus)` = outturn − revised budget −
///   programme savings − funding, read as a figure no result checks) means the labels do not
///   explain the table, and it is not a gap table: it would be one with no published result
///   to check while its bottom line went unchecked.
///
/// Without a map (a JSON file, a table too big to map) the labels decide.
///
/// ```
/// use gapwise::engine::{arithmetic::map_grid, gap_model_by_arithmetic, import, GapResult, GapRole, ImportOptions};
/// let csv = ",2025/26,2026/27\n,£'000,£'000\nBase budget,\"412,300\",\"425,150\"\n\
///            Funding,\"(398,750)\",\"(405,200)\"\nCumulative gap before reserves,\"13,550\",\"19,950\"\n\
///            Planned use of reserves,\"5,000\",\"3,000\"\nCumulative savings requirement,\"8,550\",\"16,950\"\n";
/// let imported = import(csv.as_bytes(), "plan.csv", &ImportOptions::default())?;
/// let map = map_grid(&imported.grid);
/// let model = gap_model_by_arithmetic(&imported.schedule, map.as_ref()).expect("a gap table");
/// let roles: Vec<_> = model.rows.iter().map(|r| r.role).collect();
/// assert_eq!(roles, [GapRole::BaseBudget, GapRole::Funding, GapRole::Reserves]);
/// // Read by its label this row would be a budget requirement; by the arithmetic it is the gap
/// // after reserves.
/// assert_eq!(model.results[1].result, GapResult::GapAfterReserves);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn gap_model_by_arithmetic(
    schedule: &Schedule,
    map: Option<&ArithmeticMap>,
) -> Option<GapModel> {
    if !is_line_table(schedule) {
        return None;
    }
    let Some(map) = map else {
        return looks_like_gap_table(schedule).then(|| gap_model(schedule));
    };
    if map
        .rows
        .iter()
        .any(|r| matches!(r.gap, Some(Found::AfterReserves | Found::BeforeReserves)))
    {
        return Some(by_arithmetic(schedule, map));
    }
    if !looks_like_gap_table(schedule) {
        return None;
    }
    // A derived row read as an input would count its terms twice, or (not counted) leave a
    // figure of the table that the model neither works out nor checks.
    let model = gap_model(schedule);
    let contradicted = model.rows.iter().any(|r| derived(map, r.row));
    (!contradicted).then_some(model)
}

/// True when the map derives the file row from other rows.
fn derived(map: &ArithmeticMap, row: usize) -> bool {
    map.row_role(row)
        .is_some_and(|e| !matches!(e.role, RowRole::Line | RowRole::Heading))
}

/// The lines a row is summed from, each with its sign (+1 added, −1 taken away), through
/// derived terms down to [`DEPTH`] rows deep. Changes and running sums are not sums of rows.
fn inputs(map: &ArithmeticMap, row: usize, sign: i8, depth: usize, out: &mut BTreeMap<usize, i8>) {
    let Some(identity) = map.identities.iter().find(|i| {
        i.axis == Axis::Row
            && i.target == row
            && !matches!(i.shape, Shape::Change | Shape::RunningSum)
    }) else {
        return;
    };
    for t in &identity.terms {
        let s = sign * t.sign;
        if derived(map, t.index) {
            if depth < DEPTH {
                inputs(map, t.index, s, depth + 1, out);
            }
        } else {
            out.entry(t.index).or_insert(s);
        }
    }
}

/// The role of a line the gap before reserves is summed from with `sign`: its label's role when
/// the gap model adds (takes away) that role's figures as the identity does, else a role that
/// does. A row of mostly negative figures taken away fits no role; its label's role stays.
fn input_role(label: GapRole, negative: bool, sign: i8) -> GapRole {
    let effect = match label {
        GapRole::BaseBudget
        | GapRole::Pressure
        | GapRole::Investment
        | GapRole::Change
        | GapRole::ReportedGap => 1,
        // Read negated when mostly negative (`GapRow::factor`), then taken away.
        GapRole::Savings | GapRole::Funding if negative => 1,
        GapRole::Savings | GapRole::Funding => -1,
        GapRole::Reserves | GapRole::Other => 0,
    };
    match (effect == sign, sign > 0, negative) {
        (true, _, _) => label,
        (false, true, true) => GapRole::Funding,
        (false, true, false) => GapRole::BaseBudget,
        (false, false, false) => GapRole::Funding,
        (false, false, true) => label,
    }
}

/// How one row of the table is read into the model.
enum Reading {
    Input(GapRole, Stated),
    Result(GapResult),
    Left,
}

fn by_arithmetic(schedule: &Schedule, map: &ArithmeticMap) -> GapModel {
    let mut terms = BTreeMap::new();
    for e in map
        .rows
        .iter()
        .filter(|e| e.gap == Some(Found::BeforeReserves))
    {
        inputs(map, e.row, 1, 0, &mut terms);
    }
    let lines = schedule
        .lines
        .iter()
        .map(|l| (l.row, schedule.line_label(l), &l.amounts, false));
    let totals = schedule
        .total_rows
        .iter()
        .map(|t| (t.row, t.label.clone(), &t.amounts, true));
    let mut rows = Vec::new();
    let mut results = Vec::new();
    let mut from_terms = Vec::new();
    for (row, label, amounts, total) in lines.chain(totals) {
        let by_label = GapResult::from_label(&label);
        let label_role = GapRole::from_label(&label);
        let reading = match map.row_role(row).and_then(|e| e.gap) {
            Some(Found::BeforeReserves) => Reading::Result(match by_label {
                Some(r @ (GapResult::GapBeforeReserves | GapResult::RevisedGap)) => r,
                _ => GapResult::GapBeforeReserves,
            }),
            Some(Found::AfterReserves) => Reading::Result(GapResult::GapAfterReserves),
            Some(Found::AnnualAfterReserves) => Reading::Result(GapResult::AnnualGapAfterReserves),
            Some(Found::AnnualBeforeReserves) => Reading::Result(GapResult::AnnualGap),
            Some(Found::Reserve) => Reading::Input(GapRole::Reserves, Stated::PerYear),
            Some(Found::TotalReserves) => Reading::Input(GapRole::Other, Stated::PerYear),
            None => match terms.get(&row) {
                Some(&sign) => {
                    from_terms.push(row);
                    Reading::Input(
                        input_role(label_role, mostly_negative(amounts), sign),
                        Stated::PerYear,
                    )
                }
                // As `gap_model` reads it: a result by its label (a line whose label names a
                // result is not counted), a total row naming none left out, a derived row not
                // counted, any other line by its label.
                None => match by_label {
                    Some(r) if total || label_role == GapRole::Other => Reading::Result(r),
                    _ if total => Reading::Left,
                    _ if derived(map, row) => Reading::Input(GapRole::Other, Stated::PerYear),
                    _ => Reading::Input(label_role, Stated::from_label(&label)),
                },
            },
        };
        match reading {
            Reading::Input(role, stated) => rows.push(GapRow {
                label,
                row,
                role,
                stated,
                amounts: amounts.clone(),
            }),
            Reading::Result(result) => results.push(GapCheckRow {
                label,
                row,
                result,
                amounts: amounts.clone(),
            }),
            Reading::Left => {}
        }
    }
    // With no funding row the gap model funds the table at its base budget, which would cancel
    // a base budget the identity adds: such a term is added as a change instead.
    if !rows.iter().any(|r| r.role == GapRole::Funding) {
        for r in rows.iter_mut() {
            if r.role == GapRole::BaseBudget && from_terms.contains(&r.row) {
                r.role = GapRole::Change;
            }
        }
    }
    GapModel::of(schedule, rows, results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::arithmetic::map_grid;
    use crate::engine::calc::checks::{CheckColumn, CheckStatus};
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::calc::gap_arithmetic::judge_gap;
    use crate::engine::read::{import, ImportOptions};

    /// The file's schedule and arithmetic map, and its gap model if it is a gap table.
    fn read(path: &str) -> (Schedule, Option<ArithmeticMap>, Option<GapModel>) {
        let bytes = std::fs::read(path).unwrap();
        let imported = import(&bytes, path, &ImportOptions::default()).unwrap();
        let map = map_grid(&imported.grid);
        let model = gap_model_by_arithmetic(&imported.schedule, map.as_ref());
        (imported.schedule, map, model)
    }

    fn inputs_of(m: &GapModel) -> Vec<(usize, GapRole)> {
        m.rows.iter().map(|r| (r.row, r.role)).collect()
    }

    fn results_of(m: &GapModel) -> Vec<(usize, GapResult)> {
        m.results.iter().map(|r| (r.row, r.result)).collect()
    }

    /// The (row, year) of every published result that is not ok, with its status.
    fn not_ok(checks: &[crate::engine::calc::checks::Check]) -> Vec<(usize, usize, CheckStatus)> {
        checks
            .iter()
            .filter(|c| c.status != CheckStatus::Ok)
            .map(|c| match c.column {
                CheckColumn::Year(y) => (c.row, y, c.status),
                CheckColumn::Total => (c.row, usize::MAX, c.status),
            })
            .collect()
    }

    #[test]
    fn next_years_plan_is_a_gap_table_by_its_arithmetic() {
        let (schedule, map, model) = read("tests/fixtures/arithmetic/mtfs-next-year.csv");
        let model = model.expect("a gap table by its arithmetic");
        use GapResult::*;
        use GapRole::*;
        // Funding is written as negatives and added in the identity: it is funding, negated.
        assert_eq!(
            inputs_of(&model),
            [(3, BaseBudget), (4, Funding), (6, Reserves)]
        );
        // `Cumulative savings requirement` and `Annual savings requirement` read as budget
        // requirements by their labels; the arithmetic says gap after reserves and its change.
        let by_labels = gap_model(&schedule);
        assert_eq!(
            results_of(&by_labels),
            [(5, GapBeforeReserves), (7, Requirement), (8, Requirement)]
        );
        assert_eq!(
            results_of(&model),
            [
                (5, GapBeforeReserves),
                (7, GapAfterReserves),
                (8, AnnualGapAfterReserves)
            ]
        );
        // Worked out from these roles, before any judging by the map, the published results
        // agree but for the deliberate error (F8: 7,850 published, 42,170 − 34,590 = 7,580)
        // and, within rounding, the drift of C5 (19,951 against 425,150 − 405,200 = 19,950)
        // and the figures that follow from it.
        let figures = compute_gap(&model, None);
        assert_eq!(figures.checks.len(), 15);
        assert_eq!(
            not_ok(&figures.checks),
            [
                (5, 1, CheckStatus::Rounding),
                (7, 1, CheckStatus::Rounding),
                (8, 1, CheckStatus::Rounding),
                (8, 2, CheckStatus::Rounding),
                (8, 4, CheckStatus::Error)
            ]
        );
        let wrong = figures
            .checks
            .iter()
            .find(|c| c.status == CheckStatus::Error)
            .unwrap();
        assert_eq!(wrong.computed.to_string(), "7580");
        // Judged by the map, which derives row 7 from the published 19,951 (row 7 = row 5 −
        // row 6), only the drift itself and the error are left.
        let judged = judge_gap(&model, figures, map.as_ref());
        assert_eq!(judged.figures.checks.len(), 15);
        assert_eq!(
            not_ok(&judged.figures.checks),
            [(5, 1, CheckStatus::Rounding), (8, 4, CheckStatus::Error)]
        );
        assert!(judged.not_derived.is_empty());
    }

    #[test]
    fn a_plan_whose_labels_mislead_has_its_roles_from_the_arithmetic() {
        let (schedule, map, model) = read("tests/fixtures/arithmetic/mtfs-plan.csv");
        assert!(looks_like_gap_table(&schedule));
        let model = model.expect("a gap table");
        use GapResult::*;
        use GapRole::*;
        // `Base budget requirement` names a result by its label; it is the figure the gap
        // before reserves starts from. `Total reserves applied` is shown, not counted: its
        // two lines are the reserves.
        assert_eq!(
            inputs_of(&model),
            [
                (3, BaseBudget),
                (4, Funding),
                (6, Reserves),
                (7, Reserves),
                (8, Other)
            ]
        );
        // `Annual budget gap after reserves` reads as the gap after reserves by its label.
        assert_eq!(
            results_of(&model),
            [
                (5, GapBeforeReserves),
                (9, GapAfterReserves),
                (10, AnnualGapAfterReserves)
            ]
        );
        let figures = compute_gap(&model, None);
        let after: Vec<String> = figures
            .years
            .iter()
            .map(|y| y.gap_after_reserves.value.to_string())
            .collect();
        assert_eq!(after, ["4.075", "11.730", "19.209", "26.625"]);
        // Judged by the map (row 9 = row 5 − row 8: 14.230 − 2.501 = 11.729 exactly; row 10 =
        // the change of row 9), only the deliberate error is left (E10: 7.614 published,
        // 26.625 − 19.209 = 7.416), and no row is a result that nothing derives.
        let judged = judge_gap(&model, figures, map.as_ref());
        assert_eq!(judged.figures.checks.len(), 12);
        assert_eq!(
            not_ok(&judged.figures.checks),
            [(10, 3, CheckStatus::Error)]
        );
        assert!(judged.not_derived.is_empty());
    }

    #[test]
    fn a_budget_position_is_not_a_gap_table() {
        let (_, map, model) = read("tests/fixtures/arithmetic/budget-position.csv");
        assert!(map.unwrap().rows.iter().all(|r| r.gap.is_none()));
        assert!(model.is_none());
        // The same figures with years for columns: the labels alone would make it a gap table
        // (a budget, savings, growth, funding) with no published result to check; the map
        // finds no gap before or after reserves, and derives its bottom line, `Projected
        // deficit / (surplus)` (row 8 − rows 7, 9 and 10), which the labels read as a figure
        // no result checks. (`Revised budget`, rows 3–6, is a total the schedule checks.)
        let csv = "Budget position,2024/25,2025/26,2026/27\n,£'000,£'000,£'000\n\
                   Original budget,\"120,450.0\",\"85,300.0\",\"40,120.0\"\n\
                   Savings,\"(4,200.0)\",\"(3,150.0)\",\"(1,800.0)\"\n\
                   Growth,\"6,350.0\",\"5,900.0\",\"1,200.0\"\n\
                   Other changes,\"1,120.5\",(640.0),310.0\n\
                   Revised budget,\"123,720.5\",\"87,410.0\",\"39,830.0\"\n\
                   Projected outturn,\"128,900.0\",\"92,150.0\",\"40,650.0\"\n\
                   Programme savings,\"1,500.0\",\"1,200.0\",300.0\n\
                   Corporate and partner funding,\"2,250.0\",\"1,875.0\",200.0\n\
                   Projected deficit / (surplus),\"1,429.5\",\"1,665.0\",320.0\n";
        let imported = import(csv.as_bytes(), "t.csv", &ImportOptions::default()).unwrap();
        let map = map_grid(&imported.grid).unwrap();
        assert!(looks_like_gap_table(&imported.schedule));
        assert!(map.rows.iter().all(|r| r.gap.is_none()));
        let by_labels = gap_model(&imported.schedule);
        let deficit = by_labels.rows.iter().find(|r| r.row == 11).unwrap();
        assert_eq!(deficit.role, GapRole::Other);
        assert!(by_labels.results.is_empty());
        assert!(derived(&map, 11));
        assert!(gap_model_by_arithmetic(&imported.schedule, Some(&map)).is_none());
        // Without a map the labels decide, as before.
        assert!(gap_model_by_arithmetic(&imported.schedule, None).is_some());
    }

    #[test]
    fn the_published_gap_tables_read_as_their_labels_say() {
        for path in [
            "tests/fixtures/cyps-budget-forecast-2016-21.csv",
            "tests/fixtures/cyps-funding-gap-2016-20.csv",
        ] {
            let (schedule, map, model) = read(path);
            let model = model.unwrap_or_else(|| panic!("{path} is a gap table"));
            assert_eq!(model, gap_model(&schedule), "{path}");
            let judged = judge_gap(&model, compute_gap(&model, None), map.as_ref());
            assert!(!judged.figures.checks.is_empty(), "{path}");
            assert!(not_ok(&judged.figures.checks).is_empty(), "{path}");
            assert!(judged.not_derived.is_empty(), "{path}");
        }
    }

    #[test]
    fn schedules_are_not_gap_tables() {
        for path in [
            "tests/fixtures/cyps-savings-2017-21.csv",
            "tests/fixtures/childrens-savings-2023-26.csv",
            "tests/fixtures/arithmetic/schedule-dash-3dp.csv",
            "tests/fixtures/arithmetic/monitoring.csv",
        ] {
            let (_, _, model) = read(path);
            assert!(model.is_none(), "{path}");
        }
    }

    #[test]
    fn a_term_takes_a_role_that_adds_or_takes_it_away_as_the_identity_does() {
        use GapRole::*;
        // Labels that fit are kept.
        assert_eq!(input_role(Pressure, false, 1), Pressure);
        assert_eq!(input_role(Funding, false, -1), Funding);
        assert_eq!(input_role(Funding, true, 1), Funding);
        assert_eq!(input_role(Savings, false, -1), Savings);
        // Labels that do not are replaced.
        assert_eq!(input_role(Other, false, 1), BaseBudget);
        assert_eq!(input_role(Other, true, 1), Funding);
        assert_eq!(input_role(Funding, false, 1), BaseBudget);
        assert_eq!(input_role(Pressure, false, -1), Funding);
        // Nothing takes away a row of negatives as written.
        assert_eq!(input_role(Pressure, true, -1), Pressure);
    }

    #[test]
    fn a_gap_without_funding_adds_its_base_as_a_change() {
        // Gap before reserves = base + pressures (no funding row): funded at its base budget,
        // the model would cancel the base; the identity adds it.
        let csv = "Line,2024/25,2025/26,2026/27\n,£m,£m,£m\nStarting position,2.0,3.0,4.0\n\
                   Demand,1.0,1.5,2.5\nShortfall,3.0,4.5,6.5\nReserves used,1.0,1.0,0.5\n\
                   Remaining,2.0,3.5,6.0\n";
        let imported = import(csv.as_bytes(), "t.csv", &ImportOptions::default()).unwrap();
        let map = map_grid(&imported.grid).unwrap();
        let model = gap_model_by_arithmetic(&imported.schedule, Some(&map)).unwrap();
        use GapRole::*;
        assert_eq!(
            inputs_of(&model),
            [(3, Change), (4, Pressure), (6, Reserves)]
        );
        let figures = compute_gap(&model, None);
        assert_eq!(figures.checks.len(), 6);
        assert!(not_ok(&figures.checks).is_empty(), "{:?}", figures.checks);
    }
}
