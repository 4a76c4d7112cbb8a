//! The saved working state: what the page keeps between visits, as versioned JSON.
//!
//! This module owns the shape of the saved state ([`SavedState`]: the schedule being worked on,
//! the gap model, the scenarios and the settings, with the names of the files they came from),
//! writing it ([`save_state`]) and reading it back with the same care as an imported file
//! ([`load_state`]). It does not decide when to save or where (the page keeps it in the
//! browser's storage), and it does not read the scenarios or settings: they are kept as opaque
//! JSON that their own modules read.
//!
//! The rules of reading, each stated again where it is applied:
//!
//! - at most [`MAX_SAVED_BYTES`] of text, and JSON no deeper than serde_json's nesting limit
//!   (128): anything else is refused before it is read;
//! - the version decides: a state saved by a newer Gapwise (a version above [`SAVED_VERSION`])
//!   is refused with the version it names, and one with no version (or version 0) is refused
//!   too, since no conversion from before versions were kept exists;
//! - the schedule is checked as a canonical JSON import is (lengths, indices, limits), and the
//!   gap model's rows must have one amount per year, so nothing read back can panic later.
//!
//! Money inside is the canonical JSON's: every amount a decimal string, never a float.

use serde::{Deserialize, Serialize};

use crate::engine::model::canonical;
use crate::engine::model::document::{JsonAt, JsonProblem, JsonRead};
use crate::engine::model::error::{Error, ErrorKind};
use crate::engine::model::gap::GapModel;
use crate::engine::model::invalid::GapError;
use crate::engine::model::limits::MAX_YEARS;
use crate::engine::model::limits::SAVED_VERSION;
use crate::engine::model::schedule::Schedule;
use crate::engine::state::line_bytes::read_lines;

/// The largest saved state read: 32 MB of text. A bigger schedule's state is saved in two
/// parts (`SaveRun::split`), its lines apart: the text is then the rest of the state.
pub const MAX_SAVED_BYTES: usize = 32_000_000;
/// The most bytes of a big schedule's lines read back ([`load_split`]): 512 MB, four times
/// the largest file imported ([`DEFAULT_MAX_BYTES`](crate::engine::model::limits::DEFAULT_MAX_BYTES)),
/// whose 1,000,000 lines take some 107 MB.
pub const MAX_SAVED_LINE_BYTES: usize = 512_000_000;

/// The working state as saved: version 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedState {
    /// Always [`SAVED_VERSION`] when written by [`save_state`].
    pub version: u32,
    /// The schedule being worked on, edits included.
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// The name of the file the schedule came from.
    #[serde(default)]
    pub schedule_file: Option<String>,
    /// The funding gap model, roles, feed and reserves plan included.
    #[serde(default)]
    pub gap: Option<GapModel>,
    /// The name of the file the gap table came from.
    #[serde(default)]
    pub gap_file: Option<String>,
    /// The scenarios, as their module writes them; kept unread here.
    #[serde(default)]
    pub scenarios: serde_json::Value,
    /// The page's settings, as the page writes them; kept unread here.
    #[serde(default)]
    pub settings: serde_json::Value,
}

impl Default for SavedState {
    /// Nothing loaded yet, at the current version.
    fn default() -> Self {
        SavedState {
            version: SAVED_VERSION,
            schedule: None,
            schedule_file: None,
            gap: None,
            gap_file: None,
            scenarios: serde_json::Value::Null,
            settings: serde_json::Value::Null,
        }
    }
}

/// Writes the state as compact JSON, stamped with [`SAVED_VERSION`] whatever its `version`
/// field says: the struct is this version's shape.
pub fn save_state(state: &SavedState) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        schedule: &'a Option<Schedule>,
        schedule_file: &'a Option<String>,
        gap: &'a Option<GapModel>,
        gap_file: &'a Option<String>,
        scenarios: &'a serde_json::Value,
        settings: &'a serde_json::Value,
    }
    serde_json::to_string(&Out {
        version: SAVED_VERSION,
        schedule: &state.schedule,
        schedule_file: &state.schedule_file,
        gap: &state.gap,
        gap_file: &state.gap_file,
        scenarios: &state.scenarios,
        settings: &state.settings,
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The state `text` holds, read as [`load_state`] says but for its schedule and gap model's
/// arithmetic ([`checked`]).
fn read_state(text: &str) -> Result<SavedState, Error> {
    if text.len() > MAX_SAVED_BYTES {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: text.len(),
            limit: MAX_SAVED_BYTES,
        }));
    }
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        version: Option<serde_json::Value>,
    }
    // A saved state is a JSON object; serde would also read a struct from an array.
    if !text.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Ok(_) => json(JsonProblem::NotSavedState),
            Err(e) => unreadable(JsonRead::SavedState, &e),
        });
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => json(JsonProblem::NotSavedState),
        _ => unreadable(JsonRead::SavedState, &e),
    })?;
    match probe.version {
        None | Some(serde_json::Value::Null) => {
            return Err(Error::new(ErrorKind::SavedVersion { found: None }))
        }
        Some(v) => match v.as_u64() {
            Some(n) if n == u64::from(SAVED_VERSION) => {}
            Some(n) => return Err(Error::new(ErrorKind::SavedVersion { found: Some(n) })),
            None => {
                return Err(json(JsonProblem::SavedVersionText {
                    version: v.to_string(),
                }))
            }
        },
    }
    let state: SavedState =
        serde_json::from_str(text).map_err(|e| unreadable(JsonRead::SavedFields, &e))?;
    Ok(state)
}

/// Reads a saved state back, refusing (with a message saying why) text over
/// [`MAX_SAVED_BYTES`], anything that is not JSON or nests too deep, a state with no version,
/// version 0 or a version newer than [`SAVED_VERSION`]
/// ([`ErrorKind::SavedVersion`]), a schedule that canonical JSON import would refuse, and a gap
/// model whose rows do not have one amount per year. Never panics.
///
/// ```
/// use gapwise::engine::{load_state, save_state, ErrorKind, SavedState};
/// let state = SavedState::default();
/// assert_eq!(load_state(&save_state(&state))?, state);
/// let e = load_state(r#"{"version": 3}"#).unwrap_err();
/// assert_eq!(e.kind(), &ErrorKind::SavedVersion { found: Some(3) });
/// assert_eq!(e.to_string(), "saved by a newer Gapwise (version 3); this page reads version 1");
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn load_state(text: &str) -> Result<SavedState, Error> {
    checked(read_state(text)?)
}

/// Reads back a big schedule's saved state kept in two parts (`SaveRun::split`): `head`, the
/// JSON of the state with no lines, and `lines`, the lines' bytes (`line_bytes`). Refuses what
/// [`load_state`] refuses, lines over [`MAX_SAVED_LINE_BYTES`], and lines that are damaged or
/// without a schedule to go in. Never panics.
pub fn load_split(head: &str, lines: &[u8]) -> Result<SavedState, Error> {
    if lines.len() > MAX_SAVED_LINE_BYTES {
        return Err(Error::new(ErrorKind::TooLarge {
            bytes: lines.len(),
            limit: MAX_SAVED_LINE_BYTES,
        }));
    }
    let mut state = read_state(head)?;
    let schedule = state.schedule.as_mut().ok_or(json(JsonProblem::SavedLines(
        "they have no schedule to go in",
    )))?;
    if !schedule.lines.is_empty() {
        return Err(json(JsonProblem::SavedLines(
            "the schedule has lines of its own",
        )));
    }
    schedule.lines = read_lines(lines).map_err(|why| json(JsonProblem::SavedLines(why)))?;
    checked(state)
}

/// The state, if its schedule and gap model add up.
fn checked(state: SavedState) -> Result<SavedState, Error> {
    if let Some(schedule) = &state.schedule {
        canonical::check(schedule).map_err(|p| json(JsonProblem::SavedSchedule(p)))?;
    }
    if let Some(gap) = &state.gap {
        validate_gap(gap).map_err(|p| json(JsonProblem::SavedGap(p)))?;
    }
    Ok(state)
}

fn json(problem: JsonProblem) -> Error {
    Error::new(ErrorKind::Json(problem))
}

fn unreadable(reading: JsonRead, e: &serde_json::Error) -> Error {
    json(JsonProblem::Unreadable {
        reading,
        at: JsonAt::of(e),
    })
}

/// A gap model fits its years: at most [`MAX_YEARS`] of them, none twice, every row and
/// result row with one amount per year, and its reserves plan, if any, as
/// [`ReservesPlan::validate`](super::ReservesPlan::validate) asks.
pub(crate) fn validate_gap(gap: &GapModel) -> Result<(), GapError> {
    let years = gap.years.len();
    if years > MAX_YEARS {
        return Err(GapError::TooManyYears {
            years,
            limit: MAX_YEARS,
        });
    }
    for (i, y) in gap.years.iter().enumerate() {
        if gap.years[..i].iter().any(|o| o.year == y.year) {
            return Err(GapError::YearTwice { year: y.year });
        }
    }
    let rows = gap.rows.iter().map(|r| (r.row, &r.label, r.amounts.len()));
    let results = gap
        .results
        .iter()
        .map(|r| (r.row, &r.label, r.amounts.len()));
    for (row, label, count) in rows.chain(results) {
        if count != years {
            return Err(GapError::RowAmounts {
                row,
                label: label.chars().take(40).collect(),
                count,
                years,
            });
        }
    }
    if let Some(plan) = &gap.reserves_plan {
        plan.validate(years).map_err(GapError::Plan)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::gap::SavingsFeed;
    use crate::engine::model::number::Amount;
    use crate::engine::model::schedule::Profile;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use serde_json::json;

    const DEMO: &[u8] = include_bytes!("../../../tests/fixtures/cyps-savings-2017-21.csv");
    const FORECAST: &[u8] =
        include_bytes!("../../../tests/fixtures/cyps-budget-forecast-2016-21.csv");

    fn load(bytes: &[u8]) -> Schedule {
        import(bytes, "t.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn state() -> SavedState {
        let mut gap = gap_model(&load(FORECAST));
        gap.feed = Some(SavingsFeed {
            profile: Profile::Cumulative,
        });
        let mut schedule = load(DEMO);
        schedule.lines[3].memo = true;
        schedule.lines[4].rag = Some(crate::engine::Rag::Amber);
        SavedState {
            version: SAVED_VERSION,
            schedule: Some(schedule),
            schedule_file: Some("cyps-savings-2017-21.csv".into()),
            gap: Some(gap),
            gap_file: Some("cyps-budget-forecast-2016-21.csv".into()),
            scenarios: json!([{"name": "Red slips a year", "rates": {"red": "0.5"}}]),
            settings: json!({"view": "net", "profile": "cumulative"}),
        }
    }

    fn message(text: &str) -> String {
        load_state(text).unwrap_err().to_string()
    }

    #[test]
    fn round_trip_with_the_demo_and_the_forecast() {
        let s = state();
        let text = save_state(&s);
        assert!(!text.contains('\n'), "compact");
        // Money stays decimal text: 56.468 is written as a string, never a float.
        assert!(text.contains("\"56.468\""));
        assert_eq!(load_state(&text).unwrap(), s);
        assert_eq!(
            load_state(&save_state(&SavedState::default())).unwrap(),
            SavedState::default()
        );
        // Fields a version-1 state may leave out read as empty.
        let bare = load_state(r#"{"version": 1}"#).unwrap();
        assert_eq!(bare, SavedState::default());
    }

    #[test]
    fn saving_stamps_the_current_version() {
        let old = SavedState {
            version: 0,
            ..SavedState::default()
        };
        assert_eq!(
            load_state(&save_state(&old)).unwrap().version,
            SAVED_VERSION
        );
    }

    #[test]
    fn versions_this_page_cannot_read_are_refused() {
        let e = load_state(r#"{"version": 3, "schedule": {"whatever": true}}"#).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::SavedVersion { found: Some(3) });
        assert_eq!(
            e.to_string(),
            "saved by a newer Gapwise (version 3); this page reads version 1"
        );
        let missing = "the saved work has no version number (saved before versions were kept); \
                       this page reads version 1 and cannot convert it";
        let mut unversioned: serde_json::Value =
            serde_json::from_str(&save_state(&state())).unwrap();
        unversioned.as_object_mut().unwrap().remove("version");
        let e = load_state(&unversioned.to_string()).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::SavedVersion { found: None });
        assert_eq!(e.to_string(), missing);
        assert_eq!(message(r#"{"version": null}"#), missing);
        let e = load_state(r#"{"version": 0}"#).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::SavedVersion { found: Some(0) });
        assert_eq!(e.to_string(), missing);
        assert_eq!(
            message(r#"{"version": "1"}"#),
            "the saved work's version is \"1\", not a version number"
        );
        assert!(message(r#"{"version": -1}"#).contains("not a version number"));
        assert!(message(r#"{"version": 1.5}"#).contains("not a version number"));
        let e = load_state(r#"{"version": 18446744073709551615}"#).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::SavedVersion {
                found: Some(u64::MAX)
            }
        );
    }

    #[test]
    fn corrupt_or_foreign_text_is_refused() {
        let text = save_state(&state());
        let cut = &text[..text.len() / 2];
        assert!(
            message(cut).starts_with("the saved work is not readable JSON (line 1, column"),
            "{}",
            message(cut)
        );
        assert!(message("hello").starts_with("the saved work is not readable JSON"));
        assert!(message("").starts_with("the saved work is not readable JSON"));
        assert_eq!(
            message("[1, 2]"),
            "the saved work is not a Gapwise saved state"
        );
        assert_eq!(message("42"), "the saved work is not a Gapwise saved state");
        // The version is right but a field is not what it should be.
        let damaged = text.replace("\"56.468\"", "56.468");
        assert!(
            message(&damaged).starts_with("the saved work is damaged (line 1, column"),
            "{}",
            message(&damaged)
        );
        let damaged = text.replace("\"56.468\"", "\"56.4.68\"");
        assert!(message(&damaged).contains("`56.4.68` is not an amount"));
    }

    #[test]
    fn refusals_carry_their_kinds_and_fields() {
        let kind = |text: &str| load_state(text).unwrap_err().kind().clone();
        assert_eq!(kind("[1, 2]"), ErrorKind::Json(JsonProblem::NotSavedState));
        assert_eq!(
            kind(r#"{"version": "one"}"#),
            ErrorKind::Json(JsonProblem::SavedVersionText {
                version: "\"one\"".into()
            })
        );
        assert_eq!(
            message(r#"{"version": "one"}"#),
            "the saved work's version is \"one\", not a version number"
        );
        match kind("{\"version\": 1,\n \"schedule\": 7}") {
            ErrorKind::Json(JsonProblem::Unreadable {
                reading: JsonRead::SavedFields,
                at,
            }) => assert_eq!(at.line, 2),
            other => panic!("{other:?}"),
        }
        match kind("{\"version\": ") {
            ErrorKind::Json(JsonProblem::Unreadable {
                reading: JsonRead::SavedState,
                at,
            }) => assert_eq!((at.line, at.column), (1, 12)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_deep_or_too_big_is_refused_without_a_crash() {
        let deep = format!(
            "{{\"version\": 1, \"settings\": {}1{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(load_state(&deep).is_err());
        let deep_first = format!("{}{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert!(load_state(&deep_first).is_err());
        let big = format!(
            "{{\"version\": 1, \"settings\": \"{}\"}}",
            "x".repeat(MAX_SAVED_BYTES)
        );
        let e = load_state(&big).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::TooLarge { .. }));
        assert!(e.to_string().contains("over the 32 MB limit"), "{e}");
    }

    #[test]
    fn a_schedule_or_gap_model_that_does_not_add_up_is_refused() {
        let mut s = state();
        s.schedule.as_mut().unwrap().lines[2].amounts.pop();
        let text = save_state(&s);
        assert_eq!(
            message(&text),
            "the saved schedule is damaged: line 3 (row 6) has 3 amounts for 4 years"
        );

        let mut s = state();
        s.schedule.as_mut().unwrap().lines[0].section = Some(40);
        assert!(message(&save_state(&s)).contains("names a section that does not exist"));

        let mut s = state();
        s.gap.as_mut().unwrap().rows[1].amounts.push(Amount::Blank);
        assert_eq!(
            message(&save_state(&s)),
            "the saved gap model is damaged: row 4 (`Pressure (Demand/Demographic)`) has 6 \
             amounts for 5 years"
        );
        let mut s = state();
        s.gap.as_mut().unwrap().results[0].amounts.clear();
        assert!(message(&save_state(&s)).contains("has 0 amounts for 5 years"));
        let mut s = state();
        let gap = s.gap.as_mut().unwrap();
        gap.years[1] = gap.years[0].clone();
        assert!(message(&save_state(&s)).contains("listed twice"));
    }
}
