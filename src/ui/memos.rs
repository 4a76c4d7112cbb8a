//! What the page derives from its state with memos, worked out again only when what they read
//! changes: the schedule in another profile, the reconciliation against a second schedule, the
//! gap's figures fed by the live results, and the scenario looked at compared with the baseline.

use leptos::prelude::*;

use crate::engine::{
    apply_gap_scenario, apply_scenario, calculate, compare_with, compute_gap, judge_gap,
    missing_years, reconcile, schedule_in_prices, schedule_in_profile, schedule_net, Comparison,
    GapFigures, GapModel, JudgedGap, Live, Prices, Profile, Reconciliation, Results, Scenario,
    Schedule,
};

use super::state::{GapLoaded, Loaded};

/// Whether the price index has every year of the schedule and the base year, so that the
/// schedule can be shown in real terms.
pub(super) fn prices_apply(schedule: &Schedule, prices: &Prices) -> bool {
    let years: Vec<_> = schedule.years.iter().map(|y| y.year).collect();
    missing_years(&years, prices).is_empty()
}

/// The memos derived from the page state.
#[derive(Clone, Copy)]
pub struct Derived {
    /// The schedule converted to the profile shown and its results, when that differs from the
    /// schedule's own profile; `None` when the table shows the figures as published.
    pub shown: Memo<Option<(Schedule, Results)>>,
    /// The reconciliation of the schedule on screen against the second one.
    pub reconciliation: Memo<Option<Reconciliation>>,
    /// The gap model's figures, fed by the schedule on screen, its published results judged by
    /// the file's arithmetic map when there is one, with the rows whose labels name a result
    /// that no identity of the file's figures derives (`engine::judge_gap`, worked out once).
    pub gap_judged: Memo<Option<JudgedGap>>,
    /// The comparison of the baseline with the active scenario.
    pub comparison: Memo<Option<Comparison>>,
    /// The gap model under the active scenario (`apply_gap_scenario`, its reserves plan with the
    /// scenario's drawdowns) and its figures, fed by the scenario's schedule; `None` for the
    /// baseline or with no gap model.
    pub scenario_gap: Memo<Option<(GapModel, GapFigures)>>,
}

impl Derived {
    pub fn new(
        loaded: RwSignal<Option<Loaded>>,
        live: RwSignal<Option<Live>>,
        (shown_profile, prices): (RwSignal<Option<Profile>>, RwSignal<Option<Prices>>),
        second: RwSignal<Option<Loaded>>,
        gap: RwSignal<Option<GapLoaded>>,
        scenarios: RwSignal<Vec<Scenario>>,
        active_scenario: RwSignal<Option<usize>>,
    ) -> Derived {
        // Only a converted view (another profile, or real terms) needs its own copy and
        // results; as published, the table reads `loaded` and `results` directly. An index that
        // lacks a year of the schedule converts nothing (`AppState::price_basis` is then `None`,
        // and the prices setting says which years it lacks).
        let shown = Memo::new(move |_| {
            let profile = shown_profile.get();
            let prices = prices.get();
            loaded.with(|l| {
                let l = l.as_ref()?;
                let profile = profile.filter(|p| *p != l.schedule.profile);
                let real = prices.as_ref().filter(|p| prices_apply(&l.schedule, p));
                if profile.is_none() && real.is_none() {
                    return None;
                }
                let mut s = match profile {
                    Some(p) => schedule_in_profile(&l.schedule, p),
                    None => l.schedule.clone(),
                };
                if let Some(p) = real {
                    s = schedule_in_prices(&s, p).ok()?;
                }
                let r = calculate(&s);
                Some((s, r))
            })
        });
        let reconciliation = Memo::new(move |_| {
            loaded.with(|l| {
                second.with(|r| match (l, r) {
                    (Some(l), Some(r)) => Some(reconcile(&l.schedule, &r.schedule)),
                    _ => None,
                })
            })
        });
        // The gap fed by the live results: an edit moves it without going through every line.
        let gap_judged = Memo::new(move |_| {
            gap.with(|g| {
                let g = g.as_ref()?;
                let figures = loaded.with(|l| {
                    live.with(|live| match (l, live) {
                        (Some(l), Some(live)) => live.gap(&g.model, &l.schedule),
                        _ => compute_gap(&g.model, None),
                    })
                });
                Some(judge_gap(&g.model, figures, g.map.as_ref()))
            })
        });
        // The baseline's net, kept while scenarios are switched (worked out again when the
        // schedule changes and a comparison is looked at).
        let baseline_net =
            Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| schedule_net(&l.schedule))));
        // The active scenario's schedule, shared by the comparison and the scenario's gap.
        let applied = Memo::new(move |_| {
            let index = active_scenario.get()?;
            scenarios.with(|all| {
                let scenario = all.get(index)?;
                loaded.with(|l| Some(apply_scenario(&l.as_ref()?.schedule, scenario).schedule))
            })
        });
        // The gap model under the active scenario (pressures, reserves rows, reserves plan) and
        // its figures, fed by the scenario's schedule.
        let scenario_gap = Memo::new(move |_| {
            let index = active_scenario.get()?;
            scenarios.with(|all| {
                let scenario = all.get(index)?;
                gap.with(|g| {
                    let model = apply_gap_scenario(&g.as_ref()?.model, scenario);
                    let figures = applied.with(|s| compute_gap(&model, s.as_ref()));
                    Some((model, figures))
                })
            })
        });
        let comparison = Memo::new(move |_| {
            active_scenario.get()?;
            loaded.with(|l| {
                let base = &l.as_ref()?.schedule;
                let net = baseline_net.get()?;
                applied.with(|applied| {
                    let applied = applied.as_ref()?;
                    live.with(|live| {
                        let live = live.as_ref()?;
                        let base_totals = &live.results.totals;
                        let base_gap = gap.with(|g| g.as_ref().map(|g| live.gap(&g.model, base)));
                        scenario_gap.with(|sg| {
                            let scen_gap = sg.as_ref().map(|(_, f)| f);
                            Some(compare_with(
                                base,
                                base_totals,
                                net,
                                applied,
                                base_gap.as_ref(),
                                scen_gap.filter(|_| base_gap.is_some()),
                            ))
                        })
                    })
                })
            })
        });
        Derived {
            shown,
            reconciliation,
            gap_judged,
            comparison,
            scenario_gap,
        }
    }
}
