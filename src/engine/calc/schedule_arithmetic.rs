//! A schedule's total rows follow its arithmetic (docs/domain.md, "Checks and rounding" and
//! "The arithmetic map"): the reader tells a subtotal from a line by its label (`Total …`), so a
//! subtotal labelled `Adults Total`, or one whose label sits in a later column, is read as a
//! line and counted twice, and every total above it then looks wrong. The arithmetic map finds
//! the same rows from the figures. Here every line the map derives as a subtotal, a total or a
//! sum of rows (every term added) becomes a total row, its scope the lines its terms
//! cover; a total row the reader scoped by its position gets the map's scope when the map
//! says which rows it adds. Labels play no part: a line whose figures are not a sum of others
//! stays a line whatever it is called.
//!
//! The scope must be one a schedule can hold: every line, a run of consecutive lines, or one
//! section's lines. A row the map derives in another way (every k-th row, a difference, a
//! net) is left as it is.

use std::collections::HashMap;

use super::arithmetic::{ArithmeticMap, RowRole};
use crate::engine::model::schedule::{Line, Schedule, TotalRow, TotalScope};

/// The file rows a derived row adds, from the map: `Some` when the map's identity for the row
/// is a sum of rows (a subtotal, a total, or a sum of a few rows such as the subtotals; every
/// term added).
fn summed_rows(
    map: &ArithmeticMap,
    roles: &HashMap<usize, RowRole>,
    measured: bool,
    row: usize,
) -> Option<Vec<usize>> {
    match roles.get(&row) {
        Some(RowRole::Subtotal | RowRole::Total | RowRole::Sum) => {}
        // Savings and investments in brackets make a block's subtotal a sum of opposite signs,
        // which the map calls a net; in a table whose lines name their measure, a net line is
        // its proposal's net (`monitoring_arithmetic`), not a subtotal.
        Some(RowRole::Net) if !measured => {}
        _ => return None,
    }
    let identity = map.row_identity(row)?;
    (identity.terms.len() >= 2 && identity.terms.iter().all(|t| t.sign > 0))
        .then(|| identity.terms.iter().map(|t| t.index).collect())
}

/// The scope of a total row over `lines` (indices into the kept lines, sorted, no repeats),
/// if a schedule can hold it.
fn scope_of(
    kept: &[&Line],
    in_section: &HashMap<usize, usize>,
    lines: &[usize],
) -> Option<TotalScope> {
    let (&first, &last) = (lines.first()?, lines.last()?);
    if lines.len() == kept.len() {
        return Some(TotalScope::All);
    }
    if let Some(x) = kept[first].section {
        if in_section.get(&x) == Some(&lines.len())
            && lines.iter().all(|&i| kept[i].section == Some(x))
        {
            return Some(TotalScope::Section(x));
        }
    }
    (last - first + 1 == lines.len()).then_some(TotalScope::Since {
        first_line: first,
        end_line: last + 1,
    })
}

/// Makes the schedule's total rows those its arithmetic says (module doc). Returns the file
/// rows of the lines that became total rows.
///
/// ```
/// use gapwise::engine::{arithmetic::map_grid, follow_row_sums, import, ImportOptions, TotalScope};
/// let csv = "Ref,Proposal,2024/25,2025/26\nA1,Day care,10.0,20.0\nA2,Transport,5.0,5.0\n\
///            ,Adult Social Care,15.0,25.0\nC1,Fostering,1.0,2.0\nC2,Adoption,4.0,4.0\n\
///            ,Children's Services,5.0,6.0\n,All savings,20.0,31.0\n";
/// let mut imported = import(csv.as_bytes(), "s.csv", &ImportOptions::default())?;
/// let map = map_grid(&imported.grid).unwrap();
/// assert_eq!(follow_row_sums(&mut imported.schedule, &map), [4, 7, 8]);
/// let s = &imported.schedule;
/// assert_eq!(s.lines.len(), 4);
/// let scopes: Vec<_> = s.total_rows.iter().map(|t| (t.row, t.scope.clone())).collect();
/// assert_eq!(scopes, [
///     (4, TotalScope::Since { first_line: 0, end_line: 2 }),
///     (7, TotalScope::Since { first_line: 2, end_line: 4 }),
///     (8, TotalScope::All),
/// ]);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn follow_row_sums(schedule: &mut Schedule, map: &ArithmeticMap) -> Vec<usize> {
    // Only derived rows matter: a big table's lines are left out of the lookup.
    let roles: HashMap<usize, RowRole> = map
        .rows
        .iter()
        .filter(|r| !matches!(r.role, RowRole::Line | RowRole::Heading))
        .map(|r| (r.row, r.role))
        .collect();
    let measured = schedule.lines.iter().any(|l| schedule.measure(l).is_some());
    let mut sums: HashMap<usize, Vec<usize>> = HashMap::new();
    for line in &schedule.lines {
        if let Some(terms) = summed_rows(map, &roles, measured, line.row) {
            sums.insert(line.row, terms);
        }
    }
    for total in &schedule.total_rows {
        if let Some(terms) = summed_rows(map, &roles, measured, total.row) {
            sums.insert(total.row, terms);
        }
    }
    if sums.is_empty() {
        return Vec::new();
    }
    let referenced: std::collections::HashSet<usize> = sums.values().flatten().copied().collect();
    // The lines that become total rows; one whose scope a schedule cannot hold stays a line,
    // which may leave another without a scope: repeat until nothing changes.
    let mut becoming: Vec<usize> = schedule
        .lines
        .iter()
        .filter(|l| sums.contains_key(&l.row))
        .map(|l| l.row)
        .collect();
    // The lines (by file row) of each total row the reader scoped and the map does not derive
    // as a sum, for the sums that add it (`Grand total` = `Total Adults` + `Total Children`).
    let read: HashMap<usize, Vec<usize>> = schedule
        .total_rows
        .iter()
        .filter(|t| !sums.contains_key(&t.row) && referenced.contains(&t.row))
        .filter(|t| {
            matches!(
                t.scope,
                TotalScope::All | TotalScope::Since { .. } | TotalScope::Section(_)
            )
        })
        .map(|t| {
            let lines = (0..schedule.lines.len()).filter(|&i| schedule.covers(&t.scope, i));
            (t.row, lines.map(|i| schedule.lines[i].row).collect())
        })
        .collect();
    loop {
        let kept: Vec<&Line> = schedule
            .lines
            .iter()
            .filter(|l| becoming.binary_search(&l.row).is_err())
            .collect();
        let scopes = scopes(&kept, &sums, &read);
        let before = becoming.len();
        becoming.retain(|row| scopes.get(row).is_some_and(Option::is_some));
        if becoming.len() == before {
            apply(schedule, &becoming, &scopes);
            return becoming;
        }
    }
}

/// The scope of every derived row (`None` where a schedule cannot hold it), its terms
/// expanded through the derived rows they name.
fn scopes(
    kept: &[&Line],
    sums: &HashMap<usize, Vec<usize>>,
    read: &HashMap<usize, Vec<usize>>,
) -> HashMap<usize, Option<TotalScope>> {
    // Lines are in file order: a file row's line is found by halving.
    let index_of = |row: usize| kept.binary_search_by_key(&row, |l| l.row).ok();
    let mut in_section: HashMap<usize, usize> = HashMap::new();
    for line in kept {
        if let Some(x) = line.section {
            *in_section.entry(x).or_default() += 1;
        }
    }
    let mut out = HashMap::new();
    for &row in sums.keys() {
        let mut lines = Vec::new();
        let mut stack = vec![row];
        let mut seen = 0usize;
        let mut whole = true;
        while let Some(r) = stack.pop() {
            seen += 1;
            if seen > sums.len() + 1 {
                whole = false;
                break;
            }
            for &t in &sums[&r] {
                if let Some(i) = index_of(t) {
                    lines.push(i);
                } else if sums.contains_key(&t) {
                    stack.push(t);
                } else if let Some(rows) = read.get(&t) {
                    for r in rows {
                        match index_of(*r) {
                            Some(i) => lines.push(i),
                            None => whole = false,
                        }
                    }
                } else {
                    // A term that is neither a kept line nor a derived row (a heading, a line
                    // that stays a line elsewhere): the scope cannot be said.
                    whole = false;
                }
            }
        }
        lines.sort_unstable();
        let repeats = lines.windows(2).any(|w| w[0] == w[1]);
        let scope = (whole && !repeats)
            .then(|| scope_of(kept, &in_section, &lines))
            .flatten();
        out.insert(row, scope);
    }
    out
}

/// Moves the `becoming` lines to the total rows with their scopes, re-scopes the total rows
/// the map explains, and keeps the other total rows' line ranges pointing at the same lines.
fn apply(schedule: &mut Schedule, becoming: &[usize], scopes: &HashMap<usize, Option<TotalScope>>) {
    // The scope a line takes as a total row; a line without one stays a line.
    let becomes = |row: usize| {
        becoming
            .binary_search(&row)
            .ok()
            .and_then(|_| scopes.get(&row).cloned().flatten())
    };
    // Line indices before → after: the number of kept lines before each old index.
    let mut kept_before = Vec::with_capacity(schedule.lines.len() + 1);
    let mut lines = Vec::with_capacity(schedule.lines.len());
    let mut totals = Vec::new();
    for line in std::mem::take(&mut schedule.lines) {
        kept_before.push(lines.len());
        match becomes(line.row) {
            Some(scope) => totals.push(TotalRow {
                row: line.row,
                label: schedule.line_label(&line),
                scope,
                amounts: line.amounts,
                total: line.total,
                text: line.text,
            }),
            None => lines.push(line),
        }
    }
    kept_before.push(lines.len());
    for mut total in std::mem::take(&mut schedule.total_rows) {
        if let Some(Some(scope)) = scopes.get(&total.row) {
            total.scope = scope.clone();
        } else if let TotalScope::Since {
            first_line,
            end_line,
        } = total.scope
        {
            let at = |i: usize| kept_before[i.min(kept_before.len() - 1)];
            total.scope = TotalScope::Since {
                first_line: at(first_line),
                end_line: at(end_line),
            };
        }
        totals.push(total);
    }
    totals.sort_by_key(|t| t.row);
    schedule.lines = lines;
    schedule.total_rows = totals;
}
