//! The canonical JSON format, `gapwise-schedule/1`.
//!
//! This module owns the one JSON shape Gapwise reads and writes: the [`Schedule`] model itself,
//! with a `format` tag, every amount as a decimal string so nothing passes through binary
//! floating point, and every field kept (headers, rows, sections, published totals, decimals) so
//! that export then import gives the same schedule. It validates what it reads (lengths,
//! indices, limits) so a crafted document cannot produce a schedule that panics later.
//! The README documents the format with an example.

use serde::{Deserialize, Serialize};

pub use super::document::FORMAT;
use super::document::{JsonAt, JsonProblem, JsonRead, RowProblem, ScheduleProblem};
use super::error::{Error, ErrorKind};
use super::limits::MAX_YEARS;
use super::number::MAX_DECIMALS;
use super::schedule::{ColumnRef, Line, Schedule, TotalScope};

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

fn json(problem: JsonProblem) -> Error {
    Error::new(ErrorKind::Json(problem))
}

fn unreadable(e: &serde_json::Error) -> Error {
    json(JsonProblem::Unreadable {
        reading: JsonRead::Schedule,
        at: JsonAt::of(e),
    })
}

/// Reads a `gapwise-schedule/1` document. Anything else (another format tag, a missing field, a
/// line with the wrong number of amounts, an index out of range) is an error saying what
/// ([`ErrorKind::Json`]). Nesting is bounded by serde_json's recursion limit, so deep documents
/// fail cleanly. Its figures are kept with the places the document writes them with, so that
/// JSON round-trips exactly: Gapwise writes the places a file's table shows each figure to
/// (`shown`, applied when a file is read).
pub fn from_json(text: &str) -> Result<Schedule, Error> {
    let tag: Tag = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => json(JsonProblem::NotSchedule),
        _ => unreadable(&e),
    })?;
    match tag.format.as_deref() {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(json(JsonProblem::OtherFormat {
                format: other.chars().take(40).collect(),
            }))
        }
        None => return Err(json(JsonProblem::NoFormat)),
    }
    let schedule: Schedule = serde_json::from_str(text).map_err(|e| unreadable(&e))?;
    validate(&schedule)?;
    Ok(schedule)
}

/// Checks that a schedule is whole ([`check`]), as an error of kind [`ErrorKind::Json`].
pub(crate) fn validate(s: &Schedule) -> Result<(), Error> {
    check(s).map_err(|p| json(JsonProblem::Schedule(p)))
}

/// Checks that a schedule is whole: its years, decimals, layout, lines and total rows agree
/// (lengths, indices, limits), so nothing computed from it can panic. Used on every canonical
/// import, on a saved state read back, and on a schedule an edit puts in place.
pub(crate) fn check(s: &Schedule) -> Result<(), ScheduleProblem> {
    let years = s.years.len();
    if years > MAX_YEARS {
        return Err(ScheduleProblem::TooManyYears {
            years,
            limit: MAX_YEARS,
        });
    }
    for (i, y) in s.years.iter().enumerate() {
        if s.years[..i].iter().any(|o| o.year == y.year) {
            return Err(ScheduleProblem::YearTwice { year: y.year });
        }
    }
    if s.decimals > MAX_DECIMALS {
        return Err(ScheduleProblem::Decimals {
            decimals: s.decimals,
            limit: MAX_DECIMALS,
        });
    }
    let texts = s.text_columns.len();
    for r in &s.layout {
        let ok = match r {
            ColumnRef::Text(i) => *i < texts,
            ColumnRef::Year(i) => *i < years,
            ColumnRef::Total => s.total_header.is_some(),
        };
        if !ok {
            return Err(ScheduleProblem::Layout { column: *r });
        }
    }
    for (index, line) in s.lines.iter().enumerate() {
        if let Some(problem) = line_problem(s, line) {
            return Err(ScheduleProblem::Line {
                index,
                row: line.row,
                problem,
            });
        }
    }
    for (index, t) in s.total_rows.iter().enumerate() {
        let scope_ok = match &t.scope {
            TotalScope::Section(i) => *i < s.sections.len(),
            TotalScope::Since {
                first_line,
                end_line,
            } => first_line <= end_line && *end_line <= s.lines.len(),
            _ => true,
        };
        let problem = if t.amounts.len() != years {
            Some(RowProblem::Amounts {
                amounts: t.amounts.len(),
                years,
            })
        } else if !t.text.is_empty() && t.text.len() != texts {
            Some(RowProblem::Texts {
                texts: t.text.len(),
                columns: texts,
            })
        } else if !scope_ok {
            Some(RowProblem::Scope)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(ScheduleProblem::TotalRow {
                index,
                row: t.row,
                problem,
            });
        }
    }
    Ok(())
}

/// What is wrong with a line for this schedule, if anything: its amounts must match the year
/// columns, its texts the text columns, its section must exist, and a line total needs a total
/// column. Checked for every line of a schedule read ([`check`]) and for a line added by an edit.
pub(crate) fn line_problem(s: &Schedule, line: &Line) -> Option<RowProblem> {
    if line.amounts.len() != s.years.len() {
        Some(RowProblem::Amounts {
            amounts: line.amounts.len(),
            years: s.years.len(),
        })
    } else if line.text.len() != s.text_columns.len() {
        Some(RowProblem::Texts {
            texts: line.text.len(),
            columns: s.text_columns.len(),
        })
    } else if line.section.is_some_and(|i| i >= s.sections.len()) {
        Some(RowProblem::Section)
    } else if line.total.is_some() && s.total_header.is_none() {
        Some(RowProblem::TotalWithoutColumn)
    } else {
        None
    }
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
    fn refusals_carry_their_kinds_and_fields() {
        let kind = |text: &str| from_json(text).unwrap_err().kind().clone();
        assert_eq!(
            kind(r#"{"format": "other/2"}"#),
            ErrorKind::Json(JsonProblem::OtherFormat {
                format: "other/2".into()
            })
        );
        assert_eq!(kind(r#"{"a": 1}"#), ErrorKind::Json(JsonProblem::NoFormat));
        assert_eq!(kind("[1]"), ErrorKind::Json(JsonProblem::NotSchedule));
        match kind("{\"format\": ") {
            ErrorKind::Json(JsonProblem::Unreadable {
                reading: JsonRead::Schedule,
                at,
            }) => assert_eq!((at.line, at.column), (1, 11)),
            other => panic!("{other:?}"),
        }
        let bad = MINIMAL.replace("[\"1.5\"]", "[\"1.5\", \"2\"]");
        let e = from_json(&bad).unwrap_err();
        assert!(matches!(
            e.kind(),
            ErrorKind::Json(JsonProblem::Schedule(ScheduleProblem::Line {
                index: 0,
                problem: RowProblem::Amounts {
                    amounts: 2,
                    years: 1
                },
                ..
            }))
        ));
        assert!(e.to_string().starts_with("line 1 (row "), "{e}");
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
