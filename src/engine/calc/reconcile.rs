//! Reconciling: the same proposals in two schedules, compared by reference.
//!
//! This module owns one comparison. Two published tables often restate the same proposals: a
//! savings schedule (incremental, `£'000`, savings positive) and the investment appraisals it
//! came from (cumulative, `£m`, costs positive). [`reconcile`] brings the second schedule's
//! saving lines into the first's terms exactly (full-year effects, savings positive, the first
//! schedule's unit), pairs lines by reference (and by name where a reference is reused), and
//! judges each pair year by year as checks judge a published total: equal, within rounding, or
//! different (docs/domain.md, "Profiles", "Sign conventions", "Netting", "Checks and rounding").
//!
//! It does not net investment against savings (that is netting), does not check either
//! schedule's own totals (that is `checks`), and changes neither schedule. Every figure is an
//! exact [`Decimal`]; converting `£m` to `£'000` multiplies by 1,000 exactly.

use std::cmp::Ordering;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

use rust_decimal::Decimal;

use super::profile::full_year_effects;
use crate::engine::model::schedule::{
    FinancialYear, Line, Measure, Profile, Recurrence, Schedule, TextField, Unit,
};
use crate::engine::model::sum::Sum;

/// The verdict on one reference (or one name under a reused reference).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReconcileStatus {
    /// Every compared year is exactly equal.
    Match,
    /// Not every year is equal, but every difference is within the rounding of the figures
    /// summed into either side (docs/domain.md, "Checks and rounding").
    Rounding,
    /// A difference larger than rounding, or a compared year without a figure on a side.
    Different,
    /// The left schedule only.
    OnlyLeft,
    /// The right schedule only.
    OnlyRight,
}

impl ReconcileStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReconcileStatus::Match => "match",
            ReconcileStatus::Rounding => "rounding",
            ReconcileStatus::Different => "different",
            ReconcileStatus::OnlyLeft => "only left",
            ReconcileStatus::OnlyRight => "only right",
        }
    }
}

/// How many words two names share, out of the distinct words of both (their Jaccard index is
/// `shared / union`). Kept as two counts so no ratio goes through floating point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WordOverlap {
    pub shared: usize,
    pub union: usize,
}

impl WordOverlap {
    /// Orders overlaps by their Jaccard index, exactly (`a/b` against `c/d` as `a·d` against
    /// `c·b`); an overlap of two empty names counts as 0.
    fn cmp_jaccard(&self, other: &WordOverlap) -> Ordering {
        let a = self.shared as u128 * other.union.max(1) as u128;
        let b = other.shared as u128 * self.union.max(1) as u128;
        a.cmp(&b)
    }
}

/// One side of a row: the lines of one schedule under one reference and name, added up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcileEntry {
    /// The reference as the schedule first writes it (`CYPS 1A`).
    pub reference: String,
    /// The name as the schedule first writes it (its line label).
    pub name: String,
    /// The lines added up, as indices into that schedule's `lines`, in file order.
    pub lines: Vec<usize>,
    /// Per compared year ([`Reconciliation::years`]): the lines' full-year effects added up,
    /// savings positive, in the left schedule's unit. `tolerance` is the rounding the summed
    /// published cells can hide, converted likewise; `missing` counts cells without a figure.
    pub values: Vec<Sum>,
}

/// One compared reference (or, for a reused reference, one pairing of names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReconcileRow {
    /// The normalised reference both sides share (`CYPS1A`); rows of a reused reference share
    /// their key and stand together.
    pub key: String,
    pub left: Option<ReconcileEntry>,
    pub right: Option<ReconcileEntry>,
    /// Per compared year, right minus left; `None` where a side is absent or has no figure.
    pub difference: Vec<Option<Decimal>>,
    /// Per compared year, the rounding both sides can hide together (each side's `tolerance`
    /// added); `None` where `difference` is.
    pub tolerance: Vec<Option<Decimal>>,
    /// Compared years where a present side has no figure (`N/A`, `TBC`, unreadable, or too large
    /// to convert): such a year cannot match, so a paired row with any is
    /// [`ReconcileStatus::Different`].
    pub missing_years: usize,
    /// For a paired row, how far the two names agree; `None` for a one-sided row.
    pub name_overlap: Option<WordOverlap>,
    pub status: ReconcileStatus,
}

/// The reconciliation of two schedules (see [`reconcile`] for the rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// The unit every value is in: the left schedule's.
    pub unit: Unit,
    /// The financial years both schedules have, in the left schedule's order.
    pub years: Vec<FinancialYear>,
    pub rows: Vec<ReconcileRow>,
    /// Rows by status.
    pub matches: usize,
    pub rounding: usize,
    pub different: usize,
    pub only_left: usize,
    pub only_right: usize,
    /// Saving lines left out of the comparison because they have no reference.
    pub unreferenced_left: usize,
    pub unreferenced_right: usize,
    /// Lines left out because they are not saving lines (investment, cost and net measures) or
    /// are memo lines.
    pub excluded_left: usize,
    pub excluded_right: usize,
}

/// Compares two schedules proposal by proposal.
///
/// The rules, from docs/domain.md:
/// - **What is compared**: each line's **full-year effects** ("Profiles": the running sum of an
///   incremental recurring line, a cumulative line's figures, a one-off's figures as written,
///   via [`full_year_effects`] with each schedule's own profile), in Gapwise's convention,
///   savings positive ("Sign conventions"), in the **left** schedule's unit (the right's figures
///   converted exactly by powers of ten: `£m` → `£'000` multiplies by 1,000), over the financial
///   years **both** schedules have. Effects are measured against each schedule's own base year,
///   so years before the compared ones still count in an incremental schedule's running sum.
/// - **Which lines**: saving lines only, whose type column names a gross saving or a benefit,
///   or no measure at all (a savings schedule's lines). Investment, cost and net lines, and
///   memo lines ("Netting"), are left out and counted in `excluded_left/right`.
/// - **Key**: the reference, normalised (upper case, spaces and punctuation removed:
///   `CYPS 1A` = `CYPS1A`, `CYPS-07 A` = `CYPS07A`). Lines without one are not compared and are
///   counted in `unreferenced_left/right`.
/// - **Reused references** ("References are not unique": `CYPS9` is both the NQSW bid and Edge
///   of Care Interventions): a schedule's lines of one reference are grouped by normalised name
///   (the name column, else the description; same reference and name: added together, as a
///   saving and its reversal are). The groups of a reference are paired left to right greedily
///   by the word overlap (Jaccard index) of their names, best first; identical names pair
///   first. A pairing needs a shared word (small
///   words like `and`, `of` do not count): two different proposals that happen to share a
///   reference are not compared. The one exception is a reference with one group on each side
///   where a name has no words to compare: the reference alone decides. Unpaired groups are
///   [`ReconcileStatus::OnlyLeft`] / [`ReconcileStatus::OnlyRight`].
/// - **Status** of a pair ("Checks and rounding"): [`ReconcileStatus::Match`] if every compared
///   year is exactly equal; [`ReconcileStatus::Rounding`] if every difference is within the
///   rounding of the figures involved (half a unit of the last shown digit of each published
///   cell summed into either side, the two sides' tolerances added); [`ReconcileStatus::Different`]
///   otherwise. A compared year where a side has no figure cannot match: the pair is
///   `Different`, that year's difference is `None`, and `missing_years` counts it. With no
///   year in common nothing is compared: `years` is empty and every pair is a vacuous `Match`.
/// - **Order**: by reference in the order the left schedule first lists it, then references
///   only the right has, in its order; under one reference, pairs and left-only names in left
///   order, then right-only names.
///
/// Time and memory grow linearly with the lines (hash maps by reference and name); only names
/// left unpaired after exact name matching are compared word by word, per reference.
///
/// ```
/// use gapwise::engine::{import, reconcile, ImportOptions, ReconcileStatus};
/// use rust_decimal::Decimal;
///
/// let schedule = "Project,Ref,2017/18,2018/19\n,,£'000,£'000\nFGC,CYPS2,165.0,462.0\n";
/// let appraisal = "Ref,Proposal,Measure,2017/18,2018/19,Cumulative\n,,,£m,£m,£m\n\
///                  CYPS 2,FGC,Investment,0.164,0.164,0.328\n\
///                  CYPS 2,FGC,Gross Saving,(0.165),(0.627),(0.792)\n";
/// let left = import(schedule.as_bytes(), "s.csv", &ImportOptions::default())?.schedule;
/// let right = import(appraisal.as_bytes(), "a.csv", &ImportOptions::default())?.schedule;
/// let r = reconcile(&left, &right);
/// assert_eq!(r.rows[0].status, ReconcileStatus::Match);
/// let right_values = &r.rows[0].right.as_ref().unwrap().values;
/// assert_eq!(right_values[1].value, Decimal::from(627)); // 0.627 £m = 627 £'000
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn reconcile(left: &Schedule, right: &Schedule) -> Reconciliation {
    let right_years: HashMap<FinancialYear, usize> = right
        .years
        .iter()
        .enumerate()
        .rev()
        .map(|(i, y)| (y.year, i))
        .collect();
    let (left_index, right_index): (Vec<usize>, Vec<usize>) = left
        .years
        .iter()
        .enumerate()
        .filter_map(|(i, y)| right_years.get(&y.year).map(|j| (i, *j)))
        .unzip();
    let years: Vec<FinancialYear> = left_index.iter().map(|i| left.years[*i].year).collect();

    let mut l = Side::collect(left, &left_index, left.unit);
    let mut r = Side::collect(right, &right_index, left.unit);

    let mut out = Reconciliation {
        unit: left.unit,
        years,
        rows: Vec::with_capacity(l.groups.len().max(r.groups.len())),
        matches: 0,
        rounding: 0,
        different: 0,
        only_left: 0,
        only_right: 0,
        unreferenced_left: l.unreferenced,
        unreferenced_right: r.unreferenced,
        excluded_left: l.excluded,
        excluded_right: r.excluded,
    };
    let no_groups: Vec<usize> = Vec::new();
    let mut groups_l: Vec<Option<Group>> = std::mem::take(&mut l.groups)
        .into_iter()
        .map(Some)
        .collect();
    let mut groups_r: Vec<Option<Group>> = std::mem::take(&mut r.groups)
        .into_iter()
        .map(Some)
        .collect();
    let keys = l.keys.iter().chain(
        r.keys
            .iter()
            .filter(|k| !l.key_index.contains_key(k.as_str())),
    );
    for key in keys {
        let lg = l.groups_of(key).unwrap_or(&no_groups);
        let rg = r.groups_of(key).unwrap_or(&no_groups);
        for (a, b, overlap) in pair(lg, rg, &groups_l, &groups_r) {
            let left = a.and_then(|i| groups_l[i].take()).map(Group::into_entry);
            let right = b.and_then(|i| groups_r[i].take()).map(Group::into_entry);
            let row = compare(key, left, right, overlap);
            match row.status {
                ReconcileStatus::Match => out.matches += 1,
                ReconcileStatus::Rounding => out.rounding += 1,
                ReconcileStatus::Different => out.different += 1,
                ReconcileStatus::OnlyLeft => out.only_left += 1,
                ReconcileStatus::OnlyRight => out.only_right += 1,
            }
            out.rows.push(row);
        }
    }
    out
}

/// The normalised form of a reference, the key lines are compared by: upper case, letters and
/// digits only (`CYPS 1A` and `CYPS1A` are one reference, `CYPS-07 A` is `CYPS07A`).
///
/// ```
/// use gapwise::engine::normalise_reference;
/// assert_eq!(normalise_reference("CYPS 1A"), "CYPS1A");
/// assert_eq!(normalise_reference("cyps-07 a"), "CYPS07A");
/// assert_eq!(normalise_reference(" - "), "");
/// ```
pub fn normalise_reference(reference: &str) -> String {
    reference
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A name's words, lower case, in order: what groups lines of one reference by name.
fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Small words that say nothing about which proposal a name is.
const STOP_WORDS: [&str; 11] = [
    "a", "an", "and", "by", "for", "in", "of", "on", "the", "to", "with",
];

/// The distinct words of a normalised name that count in the overlap, sorted.
fn name_words(normalised: &str) -> Vec<&str> {
    let mut words: Vec<&str> = normalised
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w))
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

fn overlap(a: &[&str], b: &[&str]) -> WordOverlap {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    WordOverlap {
        shared,
        union: a.len() + b.len() - shared,
    }
}

/// The lines of one schedule under one reference and one name, added up.
struct Group {
    reference: String,
    name: String,
    normalised_name: String,
    lines: Vec<usize>,
    values: Vec<Sum>,
}

impl Group {
    fn into_entry(self) -> ReconcileEntry {
        ReconcileEntry {
            reference: self.reference,
            name: self.name,
            lines: self.lines,
            values: self.values,
        }
    }
}

/// One schedule's compared lines, grouped by reference and name.
struct Side {
    groups: Vec<Group>,
    /// The normalised references in order of their first line.
    keys: Vec<String>,
    /// Per normalised reference, its index in `keys`.
    key_index: HashMap<String, usize>,
    /// Per index in `keys`, its groups in order of their first line.
    key_groups: Vec<Vec<usize>>,
    unreferenced: usize,
    excluded: usize,
}

/// What a line is called for pairing: its name, else its description. A line with neither has
/// no name to compare (its label would fall back to the reference, which says nothing more).
fn pairing_name<'a>(schedule: &Schedule, line: &'a Line) -> &'a str {
    match schedule.text(line, TextField::Name) {
        "" => schedule.text(line, TextField::Description),
        name => name,
    }
}

/// A saving line: a gross saving or benefit measure, or no measure (a savings schedule's line).
fn is_saving(measure: Option<Measure>) -> bool {
    matches!(
        measure,
        None | Some(Measure::GrossSaving) | Some(Measure::Benefit)
    )
}

impl Side {
    /// Groups a schedule's saving lines; `years` are the indices of the compared years in this
    /// schedule, and every value is converted to `unit`.
    fn collect(schedule: &Schedule, years: &[usize], unit: Unit) -> Side {
        let mut side = Side {
            groups: Vec::new(),
            keys: Vec::new(),
            key_index: HashMap::new(),
            key_groups: Vec::new(),
            unreferenced: 0,
            excluded: 0,
        };
        let mut by_name: HashMap<(usize, String), usize> = HashMap::new();
        let mut effects = Vec::with_capacity(schedule.years.len());
        for (index, line) in schedule.lines.iter().enumerate() {
            if line.memo || !is_saving(schedule.measure(line)) {
                side.excluded += 1;
                continue;
            }
            let reference = schedule.text(line, TextField::Reference);
            let key = normalise_reference(reference);
            if key.is_empty() {
                side.unreferenced += 1;
                continue;
            }
            let k = match side.key_index.get(key.as_str()) {
                Some(k) => *k,
                None => {
                    let k = side.keys.len();
                    side.keys.push(key.clone());
                    side.key_groups.push(Vec::new());
                    side.key_index.insert(key, k);
                    k
                }
            };
            let next = side.groups.len();
            let g = match by_name.entry((k, normalise_name(pairing_name(schedule, line)))) {
                Entry::Occupied(e) => *e.get(),
                Entry::Vacant(e) => {
                    side.groups.push(Group {
                        reference: reference.to_string(),
                        name: schedule.line_label(line),
                        normalised_name: e.key().1.clone(),
                        lines: Vec::new(),
                        values: vec![Sum::default(); years.len()],
                    });
                    side.key_groups[k].push(next);
                    e.insert(next);
                    next
                }
            };
            effect_sums(line, schedule, &mut effects);
            let group = &mut side.groups[g];
            group.lines.push(index);
            for (sum, y) in group.values.iter_mut().zip(years) {
                sum.merge(&effects[*y]);
            }
        }
        if schedule.unit != unit {
            for sum in side.groups.iter_mut().flat_map(|g| g.values.iter_mut()) {
                convert_sum(sum, schedule.unit, unit);
            }
        }
        side
    }

    /// The groups of a normalised reference, if this schedule has it.
    fn groups_of(&self, key: &str) -> Option<&Vec<usize>> {
        self.key_index.get(key).map(|k| &self.key_groups[*k])
    }
}

/// A line's full-year effect per year of its schedule, savings positive, as a [`Sum`] of the
/// published cells it is made of: for a recurring line of an incremental schedule, that year's
/// cell and every earlier one; otherwise that year's cell alone. The value is
/// [`full_year_effects`]'s where it has one; the tolerance is half a unit of the last digit of
/// each cell, added up; a cell without a figure counts as missing.
/// Written into `out`, one per year, so that one buffer serves every line.
fn effect_sums(line: &Line, schedule: &Schedule, out: &mut Vec<Sum>) {
    let running =
        schedule.profile == Profile::Incremental && line.recurrence == Recurrence::Recurring;
    let effects = full_year_effects(line, schedule.profile);
    let mut acc = Sum::default();
    out.clear();
    out.extend(line.amounts.iter().zip(effects).map(|(cell, effect)| {
        if !running {
            acc = Sum::default();
        }
        acc.add(cell);
        let mut sum = acc.clone();
        if let Ok(v) = effect {
            sum.value = v;
        }
        sum.value = schedule.sign.to_internal(sum.value);
        sum
    }));
}

/// Converts a figure between units exactly: by a power of ten, keeping no more decimals than
/// the figure needs (`1.374` £m is `1374` £'000, `1374.0` £'000 is `1.3740` £m). `None` if the
/// result is beyond `Decimal`'s range.
fn convert(value: Decimal, from: Unit, to: Unit) -> Option<Decimal> {
    let shift = from.exponent() as i64 - to.exponent() as i64;
    match shift.cmp(&0) {
        Ordering::Equal => Some(value),
        Ordering::Greater => {
            let factor = Decimal::from(10i64.checked_pow(shift as u32)?);
            let mut out = value.checked_mul(factor)?;
            let keep = value.scale().saturating_sub(shift as u32);
            if out.scale() > keep {
                // The dropped digits are the zeros the multiplication added: exact.
                out.rescale(keep);
            }
            Some(out)
        }
        Ordering::Less => {
            let mut out = value;
            out.set_scale(value.scale() + (-shift) as u32).ok()?;
            Some(out)
        }
    }
}

/// Converts a sum's value and tolerance; a sum too large to convert counts as missing a figure.
fn convert_sum(sum: &mut Sum, from: Unit, to: Unit) {
    match (
        convert(sum.value, from, to),
        convert(sum.tolerance, from, to),
    ) {
        (Some(v), Some(t)) => {
            sum.value = v;
            sum.tolerance = t;
        }
        _ => {
            sum.missing += 1;
        }
    }
}

fn group_name(groups: &[Option<Group>], i: usize) -> &str {
    groups[i]
        .as_ref()
        .map_or("", |g| g.normalised_name.as_str())
}

/// Below this many name comparisons, identical names are found by comparing each pair.
const SMALL_PAIRING: usize = 64;

/// Pairs the groups of one reference (indices into each side's groups), in output order: pairs
/// and left-only groups in left order, then right-only groups in right order.
fn pair(
    left: &[usize],
    right: &[usize],
    lg: &[Option<Group>],
    rg: &[Option<Group>],
) -> Vec<(Option<usize>, Option<usize>, Option<WordOverlap>)> {
    let mut partner_of_left: Vec<Option<(usize, WordOverlap)>> = vec![None; left.len()];
    let mut right_taken = vec![false; right.len()];

    if left.len() == 1 && right.len() == 1 {
        let a = name_words(group_name(lg, left[0]));
        let b = name_words(group_name(rg, right[0]));
        let o = overlap(&a, &b);
        if o.shared > 0 || a.is_empty() || b.is_empty() {
            partner_of_left[0] = Some((0, o));
            right_taken[0] = true;
        }
    } else if !left.is_empty() && !right.is_empty() {
        // Identical names first: the best overlap there is.
        let mut identical = |i: usize, j: usize, taken: &mut [bool]| {
            let n = name_words(group_name(lg, left[i])).len();
            partner_of_left[i] = Some((
                j,
                WordOverlap {
                    shared: n,
                    union: n,
                },
            ));
            taken[j] = true;
        };
        if left.len() * right.len() <= SMALL_PAIRING {
            for (i, a) in left.iter().enumerate() {
                let name = group_name(lg, *a);
                if let Some(j) =
                    (0..right.len()).find(|j| !right_taken[*j] && group_name(rg, right[*j]) == name)
                {
                    identical(i, j, &mut right_taken);
                }
            }
        } else {
            let mut right_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
            for (j, b) in right.iter().enumerate().rev() {
                right_by_name.entry(group_name(rg, *b)).or_default().push(j);
            }
            for (i, a) in left.iter().enumerate() {
                if let Some(j) = right_by_name.get_mut(group_name(lg, *a)).and_then(Vec::pop) {
                    identical(i, j, &mut right_taken);
                }
            }
        }
        // Then the rest, best word overlap first, ties in file order.
        let unpaired_left: Vec<(usize, Vec<&str>)> = (0..left.len())
            .filter(|i| partner_of_left[*i].is_none())
            .map(|i| (i, name_words(group_name(lg, left[i]))))
            .collect();
        let unpaired_right: Vec<(usize, Vec<&str>)> = (0..right.len())
            .filter(|j| !right_taken[*j])
            .map(|j| (j, name_words(group_name(rg, right[j]))))
            .collect();
        let mut candidates = Vec::new();
        for (i, a) in &unpaired_left {
            for (j, b) in &unpaired_right {
                let o = overlap(a, b);
                if o.shared > 0 {
                    candidates.push((*i, *j, o));
                }
            }
        }
        candidates.sort_by(|x, y| {
            y.2.cmp_jaccard(&x.2)
                .then(x.0.cmp(&y.0))
                .then(x.1.cmp(&y.1))
        });
        for (i, j, o) in candidates {
            if partner_of_left[i].is_none() && !right_taken[j] {
                partner_of_left[i] = Some((j, o));
                right_taken[j] = true;
            }
        }
    }

    let mut out: Vec<_> = left
        .iter()
        .zip(&partner_of_left)
        .map(|(a, p)| match p {
            Some((j, o)) => (Some(*a), Some(right[*j]), Some(*o)),
            None => (Some(*a), None, None),
        })
        .collect();
    out.extend(
        right
            .iter()
            .zip(&right_taken)
            .filter(|(_, taken)| !**taken)
            .map(|(b, _)| (None, Some(*b), None)),
    );
    out
}

/// Judges one row year by year (see [`reconcile`], "Status").
fn compare(
    key: &str,
    left: Option<ReconcileEntry>,
    right: Option<ReconcileEntry>,
    name_overlap: Option<WordOverlap>,
) -> ReconcileRow {
    let n = left
        .as_ref()
        .or(right.as_ref())
        .map_or(0, |e| e.values.len());
    let mut difference = vec![None; n];
    let mut tolerance = vec![None; n];
    let mut missing_years = 0;
    let status = match (&left, &right) {
        (Some(l), Some(r)) => {
            let mut exact = true;
            let mut within = true;
            for (y, (a, b)) in l.values.iter().zip(&r.values).enumerate() {
                let d = b.value.checked_sub(a.value);
                let t = a.tolerance.checked_add(b.tolerance);
                match (a.is_complete() && b.is_complete(), d, t) {
                    (true, Some(d), Some(t)) => {
                        exact &= d.is_zero();
                        within &= d.abs() <= t;
                        difference[y] = Some(d);
                        tolerance[y] = Some(t);
                    }
                    _ => missing_years += 1,
                }
            }
            if missing_years > 0 || !within {
                ReconcileStatus::Different
            } else if exact {
                ReconcileStatus::Match
            } else {
                ReconcileStatus::Rounding
            }
        }
        (Some(l), None) => {
            missing_years = l.values.iter().filter(|s| !s.is_complete()).count();
            ReconcileStatus::OnlyLeft
        }
        (None, _) => {
            missing_years = right
                .as_ref()
                .map_or(0, |r| r.values.iter().filter(|s| !s.is_complete()).count());
            ReconcileStatus::OnlyRight
        }
    };
    ReconcileRow {
        key: key.to_string(),
        left,
        right,
        difference,
        tolerance,
        missing_years,
        name_overlap,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn schedule(csv: &str) -> Schedule {
        import(csv.as_bytes(), "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn values(e: &Option<ReconcileEntry>) -> Vec<Decimal> {
        e.as_ref().unwrap().values.iter().map(|s| s.value).collect()
    }

    fn statuses(r: &Reconciliation) -> Vec<(String, ReconcileStatus)> {
        r.rows
            .iter()
            .map(|row| (row.key.clone(), row.status))
            .collect()
    }

    #[test]
    fn references_normalise() {
        assert_eq!(normalise_reference("CYPS 1A"), "CYPS1A");
        assert_eq!(normalise_reference("CYPS1A"), "CYPS1A");
        assert_eq!(normalise_reference("CYPS-07 A"), "CYPS07A");
        assert_eq!(normalise_reference("asr-cpq-a"), "ASRCPQA");
        assert_eq!(normalise_reference("CYPS.9"), "CYPS9");
        assert_eq!(normalise_reference(""), "");
        assert_eq!(
            normalise_name("1A - Foster Carer Payments, Support & Development"),
            "1a foster carer payments support development"
        );
    }

    #[test]
    fn units_convert_exactly() {
        assert_eq!(
            convert(d("1.374"), Unit::Millions, Unit::Thousands),
            Some(d("1374"))
        );
        assert_eq!(
            convert(d("1.374"), Unit::Millions, Unit::Thousands)
                .unwrap()
                .scale(),
            0
        );
        assert_eq!(
            convert(d("0.0005"), Unit::Millions, Unit::Thousands)
                .unwrap()
                .to_string(),
            "0.5"
        );
        assert_eq!(
            convert(d("1374.0"), Unit::Thousands, Unit::Millions)
                .unwrap()
                .to_string(),
            "1.3740"
        );
        assert_eq!(
            convert(d("92753"), Unit::Pounds, Unit::Millions),
            Some(d("0.092753"))
        );
        assert_eq!(
            convert(d("1.5"), Unit::Millions, Unit::Pounds)
                .unwrap()
                .to_string(),
            "1500000"
        );
        assert_eq!(convert(d("7"), Unit::Pounds, Unit::Pounds), Some(d("7")));
    }

    #[test]
    fn incremental_thousands_against_cumulative_millions_costs_positive() {
        let left = schedule(
            "Project,Ref,2017/18,2018/19,2019/20,2020/21\n,,£'000,£'000,£'000,£'000\n\
             Foster Carer,CYPS1A,\"1,374.0\",\"1,286.0\",\"1,320.0\",0.0\n",
        );
        let right = schedule(
            "Reference,Proposal,Measure,2016/17,2017/18,2018/19,2019/20,2020/21,Cumulative\n\
             ,,,£m,£m,£m,£m,£m,£m\n\
             CYPS 1A,Foster Carer,Investment,0.000,1.276,1.718,2.182,2.182,7.359\n\
             CYPS 1A,Foster Carer,Gross Saving,0.000,(1.374),(2.660),(3.980),(3.980),(11.994)\n\
             CYPS 1A,Foster Carer,Net Saving,0.000,(0.098),(0.942),(1.798),(1.798),(4.635)\n",
        );
        let r = reconcile(&left, &right);
        assert_eq!(r.unit, Unit::Thousands);
        let years: Vec<_> = r.years.iter().map(|y| y.label()).collect();
        assert_eq!(years, ["2017/18", "2018/19", "2019/20", "2020/21"]);
        assert_eq!(r.rows.len(), 1);
        let row = &r.rows[0];
        assert_eq!(row.status, ReconcileStatus::Match);
        assert_eq!(
            values(&row.left),
            [d("1374.0"), d("2660.0"), d("3980.0"), d("3980.0")]
        );
        assert_eq!(
            values(&row.right),
            [d("1374"), d("2660"), d("3980"), d("3980")]
        );
        assert_eq!(row.difference, vec![Some(Decimal::ZERO); 4]);
        // Left: one to four cells of one decimal (0.05 each); right: one cell of 3 decimals in
        // £m (0.0005 £m = 0.5 £'000).
        assert_eq!(row.tolerance[0], Some(d("0.55")));
        assert_eq!(row.tolerance[3], Some(d("0.70")));
        assert_eq!(row.right.as_ref().unwrap().lines, [1]);
        assert_eq!((r.excluded_left, r.excluded_right), (0, 2));
        assert_eq!(r.matches, 1);
    }

    #[test]
    fn rounding_and_different() {
        let left = schedule(
            "Project,Ref,2017/18,2018/19\n,,£'000,£'000\nA,R1,1374.4,0.0\nB,R2,1374.6,0.0\n\
             C,R3,10.0,5.0\n",
        );
        let right = schedule(
            "Project,Ref,2017/18,2018/19\n,,£m,£m\nA,R1,1.374,0.000\nB,R2,1.374,0.000\n\
             C,R3,0.010,N/A\n",
        );
        let r = reconcile(&left, &right);
        // R1: 1374.4 vs 1374, differ by 0.4 within 0.05 + 0.5.
        // R2: 1374.6 vs 1374, differ by 0.6: more than the 0.55 rounding can hide.
        // R3: 2018/19 has no figure on the right.
        assert_eq!(
            statuses(&r),
            [
                ("R1".to_string(), ReconcileStatus::Rounding),
                ("R2".to_string(), ReconcileStatus::Different),
                ("R3".to_string(), ReconcileStatus::Different),
            ]
        );
        assert_eq!(r.rows[0].difference[0], Some(d("-0.4")));
        assert_eq!(r.rows[0].tolerance[0], Some(d("0.55")));
        // 2018/19 sums two cells on each side: 2 × 0.05 and 2 × 0.5.
        assert_eq!(r.rows[0].difference[1], Some(d("-0.4")));
        assert_eq!(r.rows[0].tolerance[1], Some(d("1.10")));
        assert_eq!(r.rows[1].difference[0], Some(d("-0.6")));
        assert_eq!(r.rows[2].difference, [Some(Decimal::ZERO), None]);
        assert_eq!(r.rows[2].missing_years, 1);
        assert_eq!((r.matches, r.rounding, r.different), (0, 1, 2));
    }

    #[test]
    fn a_reused_reference_pairs_by_name() {
        let left = schedule(
            "Project name,Reference No.,2017/18,2018/19\n\
             9 - Appointment of Newly Qualified Social Workers,CYPS9,330.0,385.0\n\
             Edge of Care Interventions,CYPS9,0.0,112.0\n",
        );
        let right = schedule(
            "Reference,Proposal,Measure,2017/18,2018/19,Cumulative\n\
             CYPS 9,Appointment of Newly Qualified Social Workers (x 22),Gross Saving,\
             (330),(715),\n",
        );
        let r = reconcile(&left, &right);
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].status, ReconcileStatus::Match);
        assert_eq!(r.rows[0].left.as_ref().unwrap().lines, [0]);
        // {9, appointment, newly, qualified, social, workers} and {appointment, newly,
        // qualified, social, workers, x, 22}: 5 shared of 8 (`of` does not count).
        assert_eq!(
            r.rows[0].name_overlap,
            Some(WordOverlap {
                shared: 5,
                union: 8
            })
        );
        assert_eq!(r.rows[1].status, ReconcileStatus::OnlyLeft);
        assert_eq!(
            r.rows[1].left.as_ref().unwrap().name,
            "Edge of Care Interventions"
        );
        assert_eq!(r.rows[1].key, "CYPS9");
    }

    #[test]
    fn greedy_pairing_takes_the_best_overlap_first() {
        // Left names: "care team" and "care team north"; right: "care team north", "care".
        // Identical names pair first (care team north), then "care team" with "care" (1 of 2).
        let left = schedule("Name,Ref,2017/18\ncare team,R,1\nCare Team - North,R,2\n");
        let right = schedule("Name,Ref,2017/18\ncare team north,R,2\ncare,R,1\n");
        let r = reconcile(&left, &right);
        let pairs: Vec<_> = r
            .rows
            .iter()
            .map(|row| {
                (
                    row.left.as_ref().map(|e| e.lines.clone()),
                    row.right.as_ref().map(|e| e.lines.clone()),
                )
            })
            .collect();
        assert_eq!(
            pairs,
            [
                (Some(vec![0]), Some(vec![1])),
                (Some(vec![1]), Some(vec![0]))
            ]
        );
        assert!(r
            .rows
            .iter()
            .all(|row| row.status == ReconcileStatus::Match));
    }

    #[test]
    fn same_reference_different_proposal_is_not_compared() {
        // CYPS4 is Troubled Families in the schedule and the Pause Project in the appraisals.
        let left =
            schedule("Project,Ref,2017/18\nTroubled Families - Payment by Results,CYPS4,30\n");
        let right = schedule("Project,Ref,2017/18\nPause Project,CYPS 4,0\n");
        let r = reconcile(&left, &right);
        assert_eq!(
            statuses(&r),
            [
                ("CYPS4".to_string(), ReconcileStatus::OnlyLeft),
                ("CYPS4".to_string(), ReconcileStatus::OnlyRight),
            ]
        );
        assert_eq!(r.rows[0].difference, [None]);
        // With no name to compare, the reference alone pairs.
        let right = schedule("Ref,Other,2017/18\nCYPS 4,,30\n");
        let r = reconcile(&left, &right);
        assert_eq!(
            statuses(&r),
            [("CYPS4".to_string(), ReconcileStatus::Match)]
        );
    }

    #[test]
    fn reversals_group_with_their_saving_and_unreferenced_lines_are_counted() {
        let left = schedule(
            "Project,Ref,2017/18,2018/19\nBusiness Support Review,BSR,200.0,750.0\n\
             Business Support Review,BSR,(200.0),(750.0)\nNo reference,,5.0,5.0\n",
        );
        let right = schedule("Project,Ref,2017/18,2018/19\nBusiness Support Review,BSR,0,0\n");
        let r = reconcile(&left, &right);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rows[0].left.as_ref().unwrap().lines, [0, 1]);
        assert_eq!(values(&r.rows[0].left), [d("0.0"), d("0.0")]);
        assert_eq!(r.rows[0].status, ReconcileStatus::Match);
        assert_eq!((r.unreferenced_left, r.unreferenced_right), (1, 0));
    }

    #[test]
    fn memo_and_non_saving_lines_are_left_out() {
        let mut left = schedule(
            "Ref,Proposal,Measure,2017/18\nX,P,Investment,5\nX,P,Gross Saving,7\nX,P,Net,2\n\
             Y,Q,Benefit,3\nZ,M,Gross Saving,9\n",
        );
        left.lines[4].memo = true;
        let r = reconcile(&left, &left);
        assert_eq!(
            statuses(&r),
            [
                ("X".into(), ReconcileStatus::Match),
                ("Y".into(), ReconcileStatus::Match)
            ]
        );
        assert_eq!(values(&r.rows[0].left), [d("7")]);
        assert_eq!(r.excluded_left, 3);
    }

    #[test]
    fn one_offs_and_missing_figures_follow_the_profile_rules() {
        // A one-off counts only in its year; a TBC makes every later running effect unknown.
        let left =
            schedule("Project,Ref,2017/18,2018/19,2019/20\nOne-off saving,A,0,40,0\nB,B,1,TBC,2\n");
        let right = schedule(
            "Project,Ref,2017/18,2018/19,2019/20,Cumulative\n\
             One-off saving,A,0,40,0,40\nB,B,1,1,3,5\n",
        );
        let r = reconcile(&left, &right);
        assert_eq!(r.rows[0].status, ReconcileStatus::Match);
        assert_eq!(r.rows[1].status, ReconcileStatus::Different);
        assert_eq!(r.rows[1].missing_years, 2);
        assert_eq!(r.rows[1].difference, [Some(Decimal::ZERO), None, None]);
        let left_b = &r.rows[1].left.as_ref().unwrap().values;
        assert_eq!((left_b[2].missing, left_b[2].figures), (1, 2));
    }

    #[test]
    fn only_common_years_in_left_order_and_right_only_references_last() {
        let left = schedule("Project,Ref,2018/19,2019/20\nA,A,10,10\nB,B,1,1\n");
        let right = schedule("Project,Ref,2017/18,2018/19\nC,C,5,5\nA,A,10,10\n");
        let r = reconcile(&left, &right);
        assert_eq!(r.years, [FinancialYear { start: 2018 }]);
        assert_eq!(
            statuses(&r),
            [
                ("A".into(), ReconcileStatus::Different),
                ("B".into(), ReconcileStatus::OnlyLeft),
                ("C".into(), ReconcileStatus::OnlyRight),
            ]
        );
        // Full-year effects are measured against each schedule's own base year: the right's A
        // is incremental from 2017/18, so its 2018/19 effect is 10 + 10; the left starts in
        // 2018/19 and its effect is 10. They are different claims (10 apart, where rounding
        // can hide 0.5 + 2 × 0.5), and say so.
        assert_eq!(values(&r.rows[0].left), [d("10")]);
        assert_eq!(values(&r.rows[0].right), [d("20")]);
        assert_eq!(r.rows[0].status, ReconcileStatus::Different);
        assert_eq!(r.rows[0].difference, [Some(d("10"))]);
        assert_eq!(r.rows[0].tolerance, [Some(d("1.5"))]);
    }
}
