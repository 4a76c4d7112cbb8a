//! The delivery risk simulation: its settings (kept in the scenario looked at), the run in its
//! worker with its progress, and the last results with the inputs they ran on.

use leptos::prelude::*;

use crate::engine::{
    run_simulation, RiskSettings, Scenario, SimulationJob, SimulationReport, DEFAULT_RUNS,
};

use super::state::AppState;
use super::worker::{Answer, Slot};

/// A simulation running in the worker, as its progress bar shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RiskRun {
    pub id: u64,
    /// Runs done of `total`.
    pub done: u64,
    pub total: u64,
}

/// The delivery risk simulation running, and its last results.
#[derive(Clone, Copy)]
pub struct RiskState {
    /// The simulation running in its worker, and how far it has got.
    pub run: RwSignal<Option<RiskRun>>,
    /// The last simulation's results, with the inputs it ran on (to say when they are out of
    /// date), or the message saying why it could not run.
    pub report: RwSignal<Option<(u64, SimulationJob, SimulationReport)>>,
    job: StoredValue<Option<SimulationJob>>,
}

impl RiskState {
    pub fn new() -> RiskState {
        RiskState {
            run: RwSignal::new(None),
            report: RwSignal::new(None),
            job: StoredValue::new(None),
        }
    }

    /// Stops the simulation running: the results shown before stay.
    pub fn cancel(&self) {
        if self.run.get_untracked().is_some() {
            super::worker::cancel(Slot::Risk);
            self.run.set(None);
            self.job.set_value(None);
        }
    }

    /// The job running, taken (it is answered once).
    fn take_job(&self) -> Option<SimulationJob> {
        self.job.try_update_value(Option::take).flatten()
    }
}

impl AppState {
    /// What a delivery risk simulation of the schedule on screen runs on: the schedule, the gap
    /// model and the scenario looked at (the baseline when none is).
    pub fn simulation_job(&self) -> Option<SimulationJob> {
        let schedule = self
            .loaded
            .with_untracked(|l| l.as_ref().map(|l| l.schedule.clone()))?;
        let gap = self
            .gap
            .with_untracked(|g| g.as_ref().map(|g| g.model.clone()));
        let scenario = self
            .active_scenario
            .get_untracked()
            .and_then(|i| self.scenarios.with_untracked(|all| all.get(i).cloned()))
            .unwrap_or_else(Scenario::baseline);
        Some(SimulationJob {
            schedule,
            gap,
            scenario,
        })
    }

    /// Starts a delivery risk simulation in its worker (one at a time: a new one replaces a
    /// running one); without a worker it runs here, at once.
    pub fn run_simulation(&self) {
        let Some(job) = self.simulation_job() else {
            return;
        };
        let risk = self.risk;
        if risk.run.get_untracked().is_some() {
            super::worker::cancel(Slot::Risk);
        }
        let id = self.new_job_id();
        let total = job.scenario.risk.as_ref().map_or(DEFAULT_RUNS, |r| r.runs);
        if super::worker::simulate(id, &job) {
            risk.job.set_value(Some(job));
            risk.run.set(Some(RiskRun {
                id,
                done: 0,
                total: u64::from(total),
            }));
        } else {
            let report = run_simulation(job.clone(), |_| {});
            risk.run.set(None);
            risk.report.set(Some((id, job, report)));
        }
    }

    /// Changes the risk settings of the scenario looked at; on the baseline, a scenario named
    /// "Delivery risk" is made for them (the baseline itself has none: its figures are the
    /// file's), and looked at.
    pub fn edit_risk(&self, change: impl FnOnce(&mut RiskSettings)) {
        match self.active_scenario.get_untracked() {
            Some(i) => self.scenarios.update(|all| {
                if let Some(s) = all.get_mut(i) {
                    change(s.risk.get_or_insert_with(Default::default));
                }
            }),
            None => {
                let mut scenario = Scenario::new("Delivery risk");
                change(scenario.risk.get_or_insert_with(Default::default));
                let n = self.scenarios.with_untracked(Vec::len);
                self.scenarios.update(|all| all.push(scenario));
                self.active_scenario.set(Some(n));
            }
        }
    }

    /// What the simulation's worker says: how far it has got, its results, or that it failed.
    pub(super) fn risk_answer(&self, answer: Answer) {
        let risk = self.risk;
        match answer {
            Answer::Progress {
                slot: Slot::Risk,
                id,
                done,
                total,
            } => risk.run.update(|r| {
                if let Some(r) = r.as_mut().filter(|r| r.id == id) {
                    r.done = done;
                    r.total = total;
                }
            }),
            Answer::Simulated { id, report }
                if risk
                    .run
                    .with_untracked(|r| r.as_ref().is_some_and(|r| r.id == id)) =>
            {
                risk.run.set(None);
                if let Some(job) = risk.take_job() {
                    risk.report.set(Some((id, job, report)));
                }
            }
            Answer::Failed {
                slot: Slot::Risk,
                message,
                started,
                ..
            } if risk.run.with_untracked(Option::is_some) => {
                risk.run.set(None);
                if let Some(job) = risk.take_job() {
                    let id = self.last_job_id();
                    // A worker that could not start: the page runs the simulation itself.
                    let report = if started {
                        Err(format!("the simulation stopped before the end ({message})"))
                    } else {
                        run_simulation(job.clone(), |_| {})
                    };
                    risk.report.set(Some((id, job, report)));
                }
            }
            _ => {}
        }
    }
}
