//! Netting worked out a slice at a time, so that a page can net a big schedule between frames.
//!
//! [`netting`](netting) of a 100,000-line schedule takes about a second in the
//! browser; done in one go on the page's thread it would freeze the page that long after every
//! change. A [`NettingRun`] does the same work in steps (a line keyed, a proposal netted, a line
//! looked at for the line it reverses), as many as it is given each time, and answers exactly
//! what `netting` answers once every step is done: `netting` is a run given no limit.
//!
//! The rules (what a proposal, a reversal and a duplicate reference are) are written on
//! [`netting`](netting) and on the stages below. The run keys each line once:
//! its normalised reference, label and source, each as a number standing for the text
//! (interned), so that grouping compares numbers rather than strings.

use std::collections::HashMap;

use super::netting::REVERSAL_WINDOW;
use super::netting::{negation, normalise, proposal, DuplicateRef, Netting, ProposalNet, Reversal};
use crate::engine::model::schedule::{Measure, Schedule, TextField};
use crate::engine::model::sum::Sum;

/// A line's normalised reference, label and source, as interned numbers (0 is the empty text).
#[derive(Clone, Copy)]
struct Keys {
    reference: u32,
    label: u32,
    source: u32,
}

/// Where a run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Keying lines, grouping them into proposals and references.
    Keys,
    /// Netting the proposals, one group at a time.
    Proposals,
    /// Looking for reversals, line by line in file order.
    Reversals,
    /// Letting go of the run's tables, a text or a list at a time: the hundreds of thousands of
    /// small allocations of a 100,000-line run took some 50 ms to free in one go (natively:
    /// `bench_netting`), a task the page would feel.
    Release,
    Done,
}

/// A reversal candidate's bucket: section, normalised label and measure.
type Bucket = (Option<usize>, u32, Option<Measure>);

/// Netting in progress (see the module's documentation). Made for one schedule: the caller
/// starts a new run when the schedule changes. As a guard, a run given a schedule with another
/// number of lines than it started with starts again from the beginning.
pub struct NettingRun {
    lines: usize,
    with_findings: bool,
    stage: Stage,
    /// The next line (keys, reversals) or group (proposals) to do.
    next: usize,
    texts: HashMap<String, u32>,
    keys: Vec<Keys>,
    /// Proposals: the group of each (reference, label), and each group's lines.
    proposal_of: HashMap<(u32, u32), usize>,
    groups: Vec<Vec<usize>>,
    /// Duplicate references: the group of each reference, each group's lines and whether any
    /// differs from its first line in label or source.
    reference_of: HashMap<u32, usize>,
    references: Vec<(Vec<usize>, bool)>,
    proposals: Vec<ProposalNet>,
    candidates: HashMap<Bucket, Vec<usize>>,
    reversals: Vec<Reversal>,
    duplicate_refs: Vec<DuplicateRef>,
    /// What the run no longer needs, freed in [`Stage::Release`].
    spent_texts: Vec<String>,
    spent_lists: Vec<Vec<usize>>,
}

impl NettingRun {
    /// A run of the whole of [`netting`](netting).
    pub fn new(schedule: &Schedule) -> NettingRun {
        NettingRun::start(schedule.lines.len(), true)
    }

    /// A run of the proposals only: reversals and duplicate references are left empty.
    pub(crate) fn proposals_only(schedule: &Schedule) -> NettingRun {
        NettingRun::start(schedule.lines.len(), false)
    }

    fn start(lines: usize, with_findings: bool) -> NettingRun {
        NettingRun {
            lines,
            with_findings,
            stage: Stage::Keys,
            next: 0,
            texts: HashMap::from([(String::new(), 0)]),
            keys: Vec::with_capacity(lines),
            proposal_of: HashMap::new(),
            groups: Vec::new(),
            reference_of: HashMap::new(),
            references: Vec::new(),
            proposals: Vec::new(),
            candidates: HashMap::new(),
            reversals: Vec::new(),
            duplicate_refs: Vec::new(),
            spent_texts: Vec::new(),
            spent_lists: Vec::new(),
        }
    }

    /// How far the run is, as steps done and steps in all (a line keyed, a proposal netted, a
    /// line looked at for reversals): for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        let reversals = if self.with_findings { self.lines } else { 0 };
        let all = self.lines + self.groups.len().max(1) + reversals;
        let done = match self.stage {
            Stage::Keys => self.next,
            Stage::Proposals => self.lines + self.next,
            Stage::Reversals => self.lines + self.groups.len() + self.next,
            Stage::Release => all.saturating_sub(1),
            Stage::Done => all,
        };
        (done.min(all), all)
    }

    /// Does at most `budget` steps (at least one), and answers the netting once the last is
    /// done; `None` while there is more to do. After the answer the run starts again.
    pub fn advance(&mut self, schedule: &Schedule, budget: usize) -> Option<Netting> {
        if schedule.lines.len() != self.lines || self.stage == Stage::Done {
            *self = NettingRun::start(schedule.lines.len(), self.with_findings);
        }
        let mut left = budget.max(1);
        while left > 0 {
            let end = |total: usize| total.min(self.next.saturating_add(left));
            match self.stage {
                Stage::Keys => {
                    let to = end(self.lines);
                    (self.next..to).for_each(|i| self.key(schedule, i));
                    left -= to - self.next;
                    self.next = to;
                    if to == self.lines {
                        self.stage = Stage::Proposals;
                        self.next = 0;
                        // The texts are numbers from here on: their strings are freed later,
                        // a few at a time (moving them out frees nothing yet).
                        self.spent_texts = std::mem::take(&mut self.texts).into_keys().collect();
                        self.proposal_of = HashMap::new();
                        self.reference_of = HashMap::new();
                    }
                }
                Stage::Proposals => {
                    let to = end(self.groups.len());
                    for g in self.next..to {
                        let lines = std::mem::take(&mut self.groups[g]);
                        self.proposals.push(proposal(schedule, lines));
                    }
                    left -= (to - self.next).max(1);
                    self.next = to;
                    if to == self.groups.len() {
                        self.next = 0;
                        if self.with_findings {
                            self.stage = Stage::Reversals;
                        } else {
                            self.stage = Stage::Release;
                            self.duplicates(schedule);
                        }
                    }
                }
                Stage::Reversals => {
                    let to = end(self.lines);
                    (self.next..to).for_each(|j| self.look_for_reversal(schedule, j));
                    left -= (to - self.next).max(1);
                    self.next = to;
                    if to == self.lines {
                        self.stage = Stage::Release;
                        self.duplicates(schedule);
                    }
                }
                Stage::Release => {
                    if self.spent_texts.pop().is_none() && self.spent_lists.pop().is_none() {
                        self.stage = Stage::Done;
                    } else {
                        left -= 1;
                    }
                }
                Stage::Done => break,
            }
        }
        (self.stage == Stage::Done).then(|| self.answer())
    }

    fn intern(&mut self, text: String) -> u32 {
        let next = self.texts.len() as u32;
        *self.texts.entry(text).or_insert(next)
    }

    /// Keys line `i` and adds it to its proposal's group and its reference's.
    fn key(&mut self, schedule: &Schedule, i: usize) {
        let line = &schedule.lines[i];
        let k = Keys {
            reference: self.intern(normalise(schedule.text(line, TextField::Reference))),
            label: self.intern(normalise(&schedule.line_label(line))),
            source: self.intern(normalise(schedule.text(line, TextField::Source))),
        };
        self.keys.push(k);
        let groups = &mut self.groups;
        let g = *self
            .proposal_of
            .entry((k.reference, k.label))
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[g].push(i);
        if !self.with_findings || k.reference == 0 {
            return;
        }
        let references = &mut self.references;
        let r = *self.reference_of.entry(k.reference).or_insert_with(|| {
            references.push((Vec::new(), false));
            references.len() - 1
        });
        let (lines, differs) = &mut references[r];
        if let Some(&first) = lines.first() {
            let f = self.keys[first];
            *differs |= f.label != k.label || f.source != k.source;
        }
        lines.push(i);
    }

    /// Looks for the earlier line that line `j` reverses (reversal pairs: docs/domain.md,
    /// "Netting", "Reversals and replacements": `Business Support Review` 200, 750 then (200),
    /// (750)).
    ///
    /// A line reverses an **earlier** line of the same section, the same normalised label and the
    /// same measure when, year by year on the figures as published, each of its figures is zero or
    /// of the opposite sign to the earlier line's with no greater magnitude, and at least one is not
    /// zero. (The measure is part of the match so that an appraisal's net line, which has the
    /// proposal's label and often the opposite sign to its investment line, is not taken for a
    /// reversal of it.) Every cell of both lines must have a figure: a line with `N/A` or `TBC`
    /// cannot be shown to negate another.
    ///
    /// A line negating an earlier one exactly is a **full** reversal, and is preferred; otherwise the
    /// latest line it partly negates is taken. Each line is reversed at most once, and a line that
    /// reverses another is not itself a candidate to be reversed. Only the [`REVERSAL_WINDOW`] most
    /// recent candidates of a (section, label, measure) are compared.
    fn look_for_reversal(&mut self, schedule: &Schedule, j: usize) {
        let line = &schedule.lines[j];
        let bucket = self
            .candidates
            .entry((line.section, self.keys[j].label, schedule.measure(line)))
            .or_default();
        let start = bucket.len().saturating_sub(REVERSAL_WINDOW);
        let mut full = None;
        let mut partial = None;
        for (at, &i) in bucket.iter().enumerate().skip(start).rev() {
            match negation(&schedule.lines[i], line) {
                Some(true) => {
                    full = Some(at);
                    break;
                }
                Some(false) if partial.is_none() => partial = Some(at),
                _ => {}
            }
        }
        let found = full.map(|at| (at, true)).or(partial.map(|at| (at, false)));
        let Some((at, is_full)) = found else {
            bucket.push(j);
            return;
        };
        // Within the window, so removing shifts at most REVERSAL_WINDOW entries.
        let original = bucket.remove(at);
        let net: Vec<Sum> = schedule.lines[original]
            .amounts
            .iter()
            .zip(&line.amounts)
            .map(|(a, b)| {
                let mut s = Sum::default();
                s.add(a);
                s.add(b);
                s
            })
            .collect();
        let mut net_total = Sum::default();
        net.iter().for_each(|s| net_total.merge(s));
        self.reversals.push(Reversal {
            original,
            reversal: j,
            full: is_full,
            net,
            net_total,
        });
    }

    /// Finds references used for more than one proposal (docs/domain.md, "Netting", "References are not
    /// unique": identity is source, reference and name). A normalised reference on lines whose
    /// normalised labels or sources differ is a duplicate, listed with every line that carries it.
    /// Lines of one proposal sharing a reference (an appraisal's investment, gross saving and net
    /// lines) have one label and one source and are not duplicates.
    fn duplicates(&mut self, schedule: &Schedule) {
        let mut spent = std::mem::take(&mut self.spent_lists);
        for (lines, differs) in std::mem::take(&mut self.references) {
            if !differs {
                spent.push(lines);
                continue;
            }
            self.duplicate_refs.push(DuplicateRef {
                reference: schedule
                    .text(&schedule.lines[lines[0]], TextField::Reference)
                    .to_string(),
                lines,
            });
        }
        spent.extend(std::mem::take(&mut self.candidates).into_values());
        self.spent_lists = spent;
    }

    /// The netting, once every step is done: the run's parts are handed over.
    fn answer(&mut self) -> Netting {
        Netting {
            proposals: std::mem::take(&mut self.proposals),
            reversals: std::mem::take(&mut self.reversals),
            duplicate_refs: std::mem::take(&mut self.duplicate_refs),
        }
    }
}

/// Nets a schedule: its proposals, reversal pairs and duplicate references.
///
/// **Proposals** (docs/domain.md, "Netting", "Per proposal"). Lines are grouped by their normalised
/// reference together with their normalised label ([`Schedule::line_label`]); normalising keeps
/// letters and digits only, in upper case, so `CYPS 1A` and `cyps1a` are one reference. A line
/// with no reference groups with other lines of its label that have none. Identity is more than
/// the reference because references are not unique (docs/domain.md: `CYPS9` names two proposals).
///
/// Within a proposal each line counts by the measure its type column names
/// ([`Schedule::measure`]): investment and cost lines go to `investment`; gross saving and
/// benefit lines, and lines naming no measure (a savings schedule's lines are gross savings), go
/// to `gross_saving`. Net lines are published nets, checked and never summed. Memo lines
/// ("an investment shown but excluded from the net") stay in `lines` but are left out of every
/// sum. The **net** is investment plus gross saving as signed in the file; in the appraisal's
/// costs-positive convention that is "investment − gross saving" with savings negative:
/// Foster Carer 1.276 + (1.374) = (0.098).
///
/// Each line counts by its **full-year effects** ([`full_year_effects`](super::profile::full_year_effects) in the schedule's
/// profile, docs/domain.md "Profiles"): the figures of a cumulative appraisal, the running sum of an
/// incremental schedule's recurring increments, the in-year amount of a one-off. A cell with no
/// figure makes its year (and, in an incremental schedule, every later year of that line)
/// incomplete, never zero.
///
/// **Paybacks** (docs/domain.md, "Payback"): the first year whose annual net, and the first whose
/// cumulative net, is a saving, that is positive in Gapwise's savings-positive convention
/// (`schedule.sign.to_internal(net) > 0`). A published payback (`Year 2`, `N/A`; case and spaces
/// ignored) is checked against the annual one, which is what the published tables use.
///
/// **Published net lines** are checked in the file's own profile, as every published figure is
/// (see `profile`): each year's figure against that year's investment and gross saving cells as
/// published, and the total column against the sum of those over all years, each judged with
/// [`classify`](super::checks::classify) and the rounding of the summed cells. In a cumulative
/// appraisal that is exactly the `net` above and its sum over the period.
///
/// **Reversals** and **duplicate references**: see [`Reversal`], [`DuplicateRef`] and the
/// rules written on [`NettingRun`], which finds them (a slice at a time on a
/// page; `netting` is a run given no limit).
pub fn netting(schedule: &Schedule) -> Netting {
    let mut run = NettingRun::new(schedule);
    loop {
        if let Some(done) = run.advance(schedule, usize::MAX) {
            return done;
        }
    }
}

/// Only the proposals of [`netting`], with their nets and paybacks: what a scenario comparison
/// needs, without looking for reversals and duplicate references.
pub(crate) fn proposal_nets(schedule: &Schedule) -> Vec<ProposalNet> {
    let mut run = NettingRun::proposals_only(schedule);
    loop {
        if let Some(done) = run.advance(schedule, usize::MAX) {
            return done.proposals;
        }
    }
}
