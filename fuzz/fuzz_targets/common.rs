//! What the page does with whatever a reader accepted: every derived view of the schedule,
//! every export, and (for a link) its scenario and gap model applied. A hostile file or link
//! must not panic, overflow or hang in any of them either.

#![allow(dead_code)]

use gapwise::engine::{
    apply_gap_scenario, apply_scenario, bridge, calculate, compare, compute_gap, decode_link,
    detect_mapping, encode_link, gap_model, import, monitoring, netting, to_csv, to_csv_long,
    to_json, GapModel, ImportOptions, LinkState, Scenario, Schedule,
};

/// The options every import target uses: the defaults, with a 1 MB size limit (libFuzzer's
/// `-max_len` keeps inputs far smaller anyway).
pub fn options() -> ImportOptions {
    ImportOptions {
        max_bytes: 1_000_000,
        ..ImportOptions::default()
    }
}

/// Imports `bytes` as `file_name`, as the page does (column mapping proposal, then the import),
/// and exercises what it gives.
pub fn import_and_use(bytes: &[u8], file_name: &str) {
    let options = options();
    let _ = detect_mapping(bytes, file_name, &options);
    if let Ok(imported) = import(bytes, file_name, &options) {
        for p in &imported.problems {
            let _ = p.to_string();
        }
        use_schedule(&imported.schedule, imported.scenario.as_ref());
    }
}

/// Every view and export of a schedule, with its scenario if it states one.
pub fn use_schedule(schedule: &Schedule, scenario: Option<&Scenario>) {
    let results = calculate(schedule);
    let _ = netting(schedule);
    let _ = monitoring(schedule);
    let model = gap_model(schedule);
    let figures = compute_gap(&model, Some(schedule));
    for year in 0..model.years.len() {
        let _ = bridge(&model, &figures, year);
    }
    let _ = to_csv(schedule, &results.totals, &results.checks);
    let _ = to_csv_long(schedule, scenario);
    let json = to_json(schedule);
    // Our own JSON export reads back: a schedule the engine accepted is one it can write.
    if let Err(e) = import(json.as_bytes(), "export.json", &ImportOptions::default()) {
        panic!("the JSON export of an accepted schedule does not read back: {e}\n{json}");
    }
    if let Some(s) = scenario {
        use_scenario(schedule, Some(&model), s);
    }
}

/// A scenario applied as the page applies it: to the schedule and to a gap model, compared with
/// the baseline.
pub fn use_scenario(schedule: &Schedule, gap: Option<&GapModel>, scenario: &Scenario) {
    let applied = apply_scenario(schedule, scenario);
    let _ = calculate(&applied.schedule);
    let (base_gap, scenario_gap) = match gap {
        Some(model) => {
            let adjusted = apply_gap_scenario(model, scenario);
            (
                Some(compute_gap(model, Some(schedule))),
                Some(compute_gap(&adjusted, Some(&applied.schedule))),
            )
        }
        None => (None, None),
    };
    let _ = compare(
        schedule,
        &applied.schedule,
        base_gap.as_ref(),
        scenario_gap.as_ref(),
    );
}

/// Decodes a link and, if it is accepted, restores what it carries as the page does; an
/// accepted link written again reads back to the same state.
pub fn link_and_use(fragment: &str) {
    let _ = gapwise::engine::is_link_fragment(fragment);
    let Ok(state) = decode_link(fragment) else {
        return;
    };
    match &state {
        LinkState::Full {
            schedule,
            scenario,
            gap,
            ..
        } => {
            let results = calculate(schedule);
            let _ = results;
            if let Some(model) = gap {
                let figures = compute_gap(model, Some(schedule));
                for year in 0..model.years.len() {
                    let _ = bridge(model, &figures, year);
                }
            }
            if let Some(s) = scenario {
                use_scenario(schedule, gap.as_ref(), s);
            }
        }
        LinkState::Short { .. } => {}
    }
    let again = encode_link(&state);
    match decode_link(&again) {
        Ok(back) => assert_eq!(
            back, state,
            "an accepted link written again reads back differently"
        ),
        Err(e) => panic!("an accepted link written again does not read back: {e}"),
    }
}
