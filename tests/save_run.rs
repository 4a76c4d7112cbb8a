//! The saved state written a slice at a time (`SaveRun`) is, byte for byte, the text
//! `save_state` writes in one go, whatever the slices; it reads back as the state saved; and a
//! run given a schedule of another length stops rather than mix two schedules.

mod common;

use common::generate;
use common::{schedule, FIXTURES, FUNDING_GAP};
use gapwise::engine::{
    gap_model, load_split, load_state, save_state, ErrorKind, SaveRun, SavedForm, SavedState,
    Scenario, ScheduleChanged,
};

/// Writes `state` a `lines` at a time, counting the calls.
fn sliced(state: &SavedState, lines: usize) -> (String, usize) {
    let mut run = SaveRun::new(state, state.schedule.as_ref());
    let mut calls = 0;
    loop {
        calls += 1;
        let (done, all) = run.progress();
        assert!(done <= all, "progress {done} of {all}");
        match run
            .advance(state.schedule.as_ref(), lines)
            .expect("the same schedule")
        {
            Some(SavedForm::Text(text)) => return (text, calls),
            Some(split) => panic!("SaveRun::new gave {split:?}"),
            None => {}
        }
        assert!(calls < 1_000_000, "the run ends");
    }
}

fn state_of(schedule: Option<gapwise::engine::Schedule>) -> SavedState {
    let mut scenario = Scenario::new("Amber at half");
    scenario.name.push_str(" \"quoted\", \u{1F4B7}");
    SavedState {
        schedule_file: schedule.as_ref().map(|s| format!("{}.csv", s.title)),
        gap: Some(gap_model(&common::schedule(FUNDING_GAP))),
        gap_file: Some("gap.csv".into()),
        scenarios: serde_json::to_value(vec![scenario]).unwrap(),
        settings: serde_json::json!({ "active_scenario": 0 }),
        schedule,
        ..SavedState::default()
    }
}

#[test]
fn the_published_tables_saved_a_slice_at_a_time_are_what_save_state_writes() {
    for fixture in FIXTURES {
        let state = state_of(Some(schedule(fixture)));
        let whole = save_state(&state);
        for lines in [1, 2, 7, usize::MAX] {
            let (text, calls) = sliced(&state, lines);
            assert_eq!(text, whole, "{}, {lines} lines at a time", fixture.0);
            if lines == 1 {
                assert_eq!(calls, state.schedule.as_ref().unwrap().lines.len().max(1));
            }
        }
        assert_eq!(
            load_state(&whole).unwrap(),
            state,
            "{} reads back",
            fixture.0
        );
    }
}

#[test]
fn a_state_with_no_schedule_is_written_in_one_call() {
    let state = state_of(None);
    let (text, calls) = sliced(&state, 3);
    assert_eq!(calls, 1);
    assert_eq!(text, save_state(&state));
    assert_eq!(load_state(&text).unwrap(), state);
}

#[test]
fn generated_schedules_saved_a_slice_at_a_time_are_what_save_state_writes() {
    generate::check(64, generate::schedule(), |s| {
        let state = state_of(Some(s));
        let whole = save_state(&state);
        for lines in [1, 3, 50] {
            assert_eq!(sliced(&state, lines).0, whole, "{lines} lines at a time");
        }
    });
}

#[test]
fn a_run_given_a_schedule_of_another_length_stops() {
    let state = state_of(Some(schedule(FIXTURES[0])));
    let full = state.schedule.as_ref().unwrap();
    let mut shorter = full.clone();
    shorter.lines.pop();
    let mut run = SaveRun::new(&state, Some(full));
    assert_eq!(run.advance(Some(full), 2), Ok(None));
    assert_eq!(run.advance(Some(&shorter), 2), Err(ScheduleChanged));
    assert_eq!(run.advance(None, 2), Err(ScheduleChanged));
}

/// Writes `state` split (its lines apart), `lines` at a time.
fn split(state: &SavedState, lines: usize) -> (String, Vec<u8>) {
    let mut run = SaveRun::split(state, state.schedule.as_ref());
    loop {
        match run
            .advance(state.schedule.as_ref(), lines)
            .expect("the same schedule")
        {
            Some(SavedForm::Split { head, lines }) => return (head, lines),
            Some(text) => panic!("SaveRun::split gave {text:?}"),
            None => {}
        }
    }
}

#[test]
fn a_big_schedule_saved_split_reads_back_as_the_state_saved() {
    for fixture in FIXTURES {
        let state = state_of(Some(schedule(fixture)));
        let (head, bytes) = split(&state, 3);
        assert_eq!(split(&state, usize::MAX), (head.clone(), bytes.clone()));
        assert!(
            head.contains("\"lines\":[]"),
            "{}: no lines in the JSON",
            fixture.0
        );
        assert_eq!(load_split(&head, &bytes).unwrap(), state, "{}", fixture.0);
    }
    generate::check(64, generate::schedule(), |s| {
        let state = state_of(Some(s));
        let (head, bytes) = split(&state, 7);
        assert_eq!(load_split(&head, &bytes).unwrap(), state);
    });
}

#[test]
fn damaged_split_parts_are_refused_with_a_message() {
    let state = state_of(Some(schedule(FIXTURES[0])));
    let (head, bytes) = split(&state, 50);
    for cut in [0, 3, bytes.len() / 2, bytes.len() - 1] {
        let e = load_split(&head, &bytes[..cut]).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("the saved schedule's lines are damaged: "),
            "cut at {cut}: {e}"
        );
    }
    // The lines without a schedule, or beside a schedule with lines of its own.
    let none = save_state(&state_of(None));
    assert!(load_split(&none, &bytes)
        .unwrap_err()
        .to_string()
        .contains("no schedule to go in"));
    let whole = save_state(&state);
    assert!(load_split(&whole, &bytes)
        .unwrap_err()
        .to_string()
        .contains("lines of its own"));
    // A head of a version this page cannot read is refused as load_state refuses it.
    let e = load_split("{\"version\":9}", &bytes).unwrap_err();
    assert_eq!(e.kind(), &ErrorKind::SavedVersion { found: Some(9) });
}
