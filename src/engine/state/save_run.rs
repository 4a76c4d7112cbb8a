//! Writing the saved state a slice at a time: the same text as [`save_state`], written a number
//! of lines at a time so a page can save a big schedule between frames.
//!
//! [`save_state`] writes a 100,000-line schedule in one go, which holds a page's thread for
//! about 400 ms (measured by `make bench`: the longest task after the totals). A [`SaveRun`]
//! writes everything but the lines when it starts (a few hundred bytes to a few kilobytes),
//! then the lines as many at a time as it is asked, and gives the whole text when the last is
//! written. The text is exactly [`save_state`]'s (tests below), so [`load_state`] reads it.
//!
//! The run borrows nothing: each [`SaveRun::advance`] is given the schedule again. A page that
//! changes the schedule meanwhile drops the run and starts another (a run given a schedule of
//! another length says so with `Err`, rather than write lines of two schedules).
//!
//! A big schedule is saved [`SaveRun::split`]: the same JSON with no lines, and the lines as
//! bytes (`line_bytes`) beside it, read back by `load_split`.
//!
//! [`save_state`]: super::persist::save_state
//! [`load_state`]: super::persist::load_state

use serde::Serialize;

use super::line_bytes::{write_count, write_line};
use super::persist::SavedState;
use crate::engine::model::limits::SAVED_VERSION;
use crate::engine::model::schedule::Schedule;

/// A saved state as written by a [`SaveRun`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavedForm {
    /// The whole state as JSON: [`save_state`]'s text, read back by [`load_state`].
    Text(String),
    /// A big schedule's state in two parts ([`SaveRun::split`]): the JSON of the state with no
    /// lines, and the lines' bytes (`line_bytes`), read back by [`load_split`].
    ///
    /// [`load_split`]: super::persist::load_split
    Split { head: String, lines: Vec<u8> },
}

/// A saved state being written; see the module's documentation.
#[derive(Debug)]
pub struct SaveRun {
    /// The lines so far: JSON text (UTF-8) after everything before the lines, or when split,
    /// the lines' bytes.
    text: Vec<u8>,
    /// When split: the JSON of everything but the lines (the lines are `[]` in it).
    head: Option<String>,
    /// What follows the lines, written when the run starts.
    tail: String,
    /// The next line to write, and how many the schedule had when the run started.
    next: usize,
    lines: usize,
}

/// The schedule changed length while it was being saved: the run cannot go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScheduleChanged;

fn json<T: Serialize + ?Sized>(out: &mut String, value: &T) {
    // Serialising our own types cannot fail (no map with non-string keys, no failing Serialize
    // impl); were it ever to, the text would not read back and the page's load would say so,
    // as it does for any damaged save.
    if let Ok(text) = serde_json::to_string(value) {
        out.push_str(&text);
    }
}

/// Appends a line's JSON to the bytes written (serde_json writes UTF-8; straight into the
/// buffer, without a String per line).
fn json_bytes<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    let mark = out.len();
    if serde_json::to_writer(&mut *out, value).is_err() {
        out.truncate(mark);
    }
}

/// Appends `,"name":` and the value's JSON.
fn field<T: Serialize + ?Sized>(out: &mut String, name: &str, value: &T) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    json(out, value);
}

impl SaveRun {
    /// Starts writing `state` with `schedule` as its schedule (`state.schedule` is not read, so
    /// the page need not copy a big schedule into it); `None` saves no schedule. The run ends
    /// with [`SavedForm::Text`].
    pub fn new(state: &SavedState, schedule: Option<&Schedule>) -> SaveRun {
        SaveRun::start(state, schedule, false)
    }

    /// As [`SaveRun::new`], but the run ends with [`SavedForm::Split`]: the lines as bytes,
    /// apart from the JSON of the rest. For a schedule too big for one JSON text: a
    /// 1,000,000-line schedule's JSON is some 196 MB and takes seconds to read back; its lines'
    /// bytes are 107 MB, read back three times faster (natively 1.0 s rather than 3.2 s).
    pub fn split(state: &SavedState, schedule: Option<&Schedule>) -> SaveRun {
        SaveRun::start(state, schedule, true)
    }

    fn start(state: &SavedState, schedule: Option<&Schedule>, split: bool) -> SaveRun {
        let mut text = String::from("{\"version\":");
        json(&mut text, &SAVED_VERSION);
        text.push_str(",\"schedule\":");
        let mut tail = String::new();
        let mut lines = 0;
        match schedule {
            None => text.push_str("null"),
            Some(schedule) => {
                // Every field named, so a field added to Schedule does not compile until it
                // is saved here too, in its place (serde writes fields in declaration order).
                let Schedule {
                    title,
                    unit,
                    years,
                    text_columns,
                    total_header,
                    layout,
                    sections,
                    lines: schedule_lines,
                    total_rows,
                    decimals,
                    sign,
                    profile,
                } = schedule;
                text.push_str("{\"title\":");
                json(&mut text, title);
                field(&mut text, "unit", unit);
                field(&mut text, "years", years);
                field(&mut text, "text_columns", text_columns);
                field(&mut text, "total_header", total_header);
                field(&mut text, "layout", layout);
                field(&mut text, "sections", sections);
                text.push_str(",\"lines\":[");
                lines = schedule_lines.len();
                tail.push_str("],\"total_rows\":");
                json(&mut tail, total_rows);
                field(&mut tail, "decimals", decimals);
                field(&mut tail, "sign", sign);
                field(&mut tail, "profile", profile);
                tail.push('}');
            }
        }
        let SavedState {
            version: _,
            schedule: _,
            schedule_file,
            gap,
            gap_file,
            scenarios,
            settings,
        } = state;
        field(&mut tail, "schedule_file", schedule_file);
        field(&mut tail, "gap", gap);
        field(&mut tail, "gap_file", gap_file);
        field(&mut tail, "scenarios", scenarios);
        field(&mut tail, "settings", settings);
        tail.push('}');
        if split {
            let mut bytes = Vec::new();
            write_count(&mut bytes, lines);
            text.push_str(&tail);
            return SaveRun {
                text: bytes,
                head: Some(text),
                tail: String::new(),
                next: 0,
                lines,
            };
        }
        SaveRun {
            text: text.into_bytes(),
            head: None,
            tail,
            next: 0,
            lines,
        }
    }

    /// How many of the schedule's lines are written, and how many there are.
    pub fn progress(&self) -> (usize, usize) {
        (self.next, self.lines)
    }

    /// Writes up to `lines` more lines of `schedule` (the schedule the run started with; `None`
    /// if it started with none) and gives the whole text after the last. `Err` if the schedule
    /// is not of the length the run started with.
    pub fn advance(
        &mut self,
        schedule: Option<&Schedule>,
        lines: usize,
    ) -> Result<Option<SavedForm>, ScheduleChanged> {
        let all = schedule.map_or(&[][..], |s| &s.lines[..]);
        if all.len() != self.lines {
            return Err(ScheduleChanged);
        }
        let end = self.next.saturating_add(lines).min(self.lines);
        for (i, line) in all[self.next..end].iter().enumerate() {
            if self.head.is_some() {
                write_line(&mut self.text, line);
                continue;
            }
            if self.next + i > 0 {
                self.text.push(b',');
            }
            json_bytes(&mut self.text, line);
        }
        self.next = end;
        if self.next < self.lines {
            return Ok(None);
        }
        let mut text = std::mem::take(&mut self.text);
        if let Some(head) = self.head.take() {
            return Ok(Some(SavedForm::Split { head, lines: text }));
        }
        text.extend_from_slice(self.tail.as_bytes());
        // Only serde_json's output and our own ASCII are in it: always UTF-8.
        Ok(Some(SavedForm::Text(
            String::from_utf8(text).unwrap_or_default(),
        )))
    }
}
