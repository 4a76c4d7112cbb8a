//! The canonical JSON format, `gapwise-schedule/1`.
//!
//! This module owns the one JSON shape Gapwise reads and writes: the [`Schedule`] model itself,
//! with a `format` tag, every amount as a decimal string so nothing passes through binary
//! floating point, and every field kept (headers, rows, sections, published totals, decimals) so
//! that export then import gives the same schedule. It validates what it reads (lengths,
//! indices, limits) so a crafted document cannot produce a schedule that panics later.
//! The README documents the format with an example.

use serde::{Deserialize, Serialize};

use super::error::{Error, ErrorKind};
use super::limits::MAX_YEARS;
use super::number::MAX_DECIMALS;
use super::schedule::{ColumnRef, Schedule, TotalScope};

/// The format tag of version 1.
pub const FORMAT: &str = "gapwise-schedule/1";

/// A schedule as a `gapwise-schedule/1` document: the schedule's fields and the format tag.
#[derive(Serialize)]
pub(crate) struct DocumentOut<'a> {
    format: &'static str,
    #[serde(flatten)]
    schedule: &'a Schedule,
}

/// The document of a schedule, for writers that put it inside another (scenario links).
pub(crate) fn document(schedule: &Schedule) -> DocumentOut<'_> {
    DocumentOut {
        format: FORMAT,
        schedule,
    }
}

#[derive(Deserialize)]
struct Tag {
    format: Option<String>,
}

/// Writes a schedule as a `gapwise-schedule/1` document, pretty-printed.
pub fn to_json(schedule: &Schedule) -> String {
    serde_json::to_string_pretty(&DocumentOut {
        format: FORMAT,
        schedule,
    })
    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn json_error(e: &serde_json::Error) -> Error {
    Error::new(ErrorKind::Json {
        message: format!(
            "JSON line {}, column {}: {}",
            e.line(),
            e.column(),
            strip_position(e)
        ),
    })
}

/// serde_json appends " at line L column C" to its messages; we say it first instead.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::Json { message })
}

/// Reads a `gapwise-schedule/1` document. Anything else (another format tag, a missing field, a
/// line with the wrong number of amounts, an index out of range) is an error saying what.
/// Nesting is bounded by serde_json's recursion limit, so deep documents fail cleanly.
pub fn from_json(text: &str) -> Result<Schedule, Error> {
    let tag: Tag = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => {
            invalid(format!("this JSON is not a {FORMAT} document"))
        }
        _ => json_error(&e),
    })?;
    match tag.format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(invalid(format!(
                "this JSON is `{}`, not a {FORMAT} document",
                other.chars().take(40).collect::<String>()
            )))
        }
        None => {
            return Err(invalid(format!(
            "this JSON has no \"format\": \"{FORMAT}\" field; Gapwise reads its own JSON format \
                 (see the README) or CSV"
        )))
        }
    }
    let schedule: Schedule = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    validate(&schedule)?;
    Ok(schedule)
}

/// Checks that a schedule is whole: its years, decimals, layout, lines and total rows agree
/// (lengths, indices, limits), so nothing computed from it can panic. Used on every canonical
/// import, on a saved state read back, and on a schedule an edit puts in place.
pub(crate) fn validate(s: &Schedule) -> Result<(), Error> {
    let years = s.years.len();
    if years > MAX_YEARS {
        return Err(invalid(format!("{years} years; at most {MAX_YEARS}")));
    }
    for (i, y) in s.years.iter().enumerate() {
        if s.years[..i].iter().any(|o| o.year == y.year) {
            return Err(invalid(format!("the year {} is listed twice", y.year)));
        }
    }
    if s.decimals > MAX_DECIMALS {
        return Err(invalid(format!(
            "decimals is {}; at most {MAX_DECIMALS}",
            s.decimals
        )));
    }
    let texts = s.text_columns.len();
    for r in &s.layout {
        let ok = match r {
            ColumnRef::Text(i) => *i < texts,
            ColumnRef::Year(i) => *i < years,
            ColumnRef::Total => s.total_header.is_some(),
        };
        if !ok {
            return Err(invalid(format!(
                "layout names a column that does not exist: {r:?}"
            )));
        }
    }
    for (n, line) in s.lines.iter().enumerate() {
        let what = format!("line {} (row {})", n + 1, line.row);
        if line.amounts.len() != years {
            return Err(invalid(format!(
                "{what} has {} amounts for {years} years",
                line.amounts.len()
            )));
        }
        if line.text.len() != texts {
            return Err(invalid(format!(
                "{what} has {} texts for {texts} text columns",
                line.text.len()
            )));
        }
        if line.section.is_some_and(|i| i >= s.sections.len()) {
            return Err(invalid(format!(
                "{what} names a section that does not exist"
            )));
        }
        if line.total.is_some() && s.total_header.is_none() {
            return Err(invalid(format!(
                "{what} has a total but the schedule has no total column"
            )));
        }
    }
    for (n, t) in s.total_rows.iter().enumerate() {
        let what = format!("total row {} (row {})", n + 1, t.row);
        if t.amounts.len() != years {
            return Err(invalid(format!(
                "{what} has {} amounts for {years} years",
                t.amounts.len()
            )));
        }
        if !t.text.is_empty() && t.text.len() != texts {
            return Err(invalid(format!(
                "{what} has {} texts for {texts} text columns",
                t.text.len()
            )));
        }
        let scope_ok = match &t.scope {
            TotalScope::Section(i) => *i < s.sections.len(),
            TotalScope::Since {
                first_line,
                end_line,
            } => first_line <= end_line && *end_line <= s.lines.len(),
            _ => true,
        };
        if !scope_ok {
            return Err(invalid(format!("{what} covers lines that do not exist")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
      "format": "gapwise-schedule/1",
      "title": "T", "unit": "£'000",
      "years": [{"year": "2017/18", "header": "2017/18"}],
      "text_columns": [{"header": "Project", "field": "name"}],
      "total_header": null,
      "layout": [{"text": 0}, {"year": 0}],
      "sections": [], "total_rows": [], "decimals": 1,
      "lines": [{"row": 2, "section": null, "text": ["A"], "amounts": ["1.5"], "total": null}]
    }"#;

    #[test]
    fn reads_the_documented_shape() {
        let s = from_json(MINIMAL).unwrap();
        assert_eq!(s.lines[0].amounts[0].value().unwrap().to_string(), "1.5");
        let again = from_json(&to_json(&s)).unwrap();
        assert_eq!(again, s);
    }

    #[test]
    fn refuses_other_json() {
        let e = from_json(r#"{"a": 1}"#).unwrap_err();
        assert!(e.to_string().contains("no \"format\""), "{e}");
        let e = from_json(r#"{"format": "other/2"}"#).unwrap_err();
        assert!(e.to_string().contains("`other/2`"), "{e}");
        let e = from_json("{\"format\": ").unwrap_err();
        assert!(e.to_string().starts_with("JSON line 1"), "{e}");
    }

    #[test]
    fn refuses_bad_amounts_and_shapes() {
        let bad = MINIMAL.replace("\"1.5\"", "\"aa\"");
        assert!(from_json(&bad).unwrap_err().to_string().contains("`aa`"));
        let bad = MINIMAL.replace("\"1.5\"", "1.5");
        assert!(from_json(&bad).is_err());
        let bad = MINIMAL.replace("[\"1.5\"]", "[\"1.5\", \"2\"]");
        assert!(from_json(&bad)
            .unwrap_err()
            .to_string()
            .contains("2 amounts for 1 years"));
        let bad = MINIMAL.replace("\"section\": null", "\"section\": 7");
        assert!(from_json(&bad).unwrap_err().to_string().contains("section"));
        let bad = MINIMAL.replace("{\"year\": 0}", "{\"year\": 9}");
        assert!(from_json(&bad).is_err());
        let bad = MINIMAL.replace("\"1.5\"", "\"1.5m\"");
        assert!(from_json(&bad).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(from_json(&deep).is_err());
        let deep = format!(
            "{{\"format\": \"gapwise-schedule/1\", \"title\": {}1{}}}",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        assert!(from_json(&deep).is_err());
    }
}
