//! Why a JSON document (a `gapwise-schedule/1` schedule, a saved working state, a link's saved
//! view), an edit or a paste is refused: small types with the place and the figures in fields,
//! the message built in `Display`. Where serde_json stopped, its own message is kept ([`JsonAt`])
//! beside what was being read.

use std::fmt;

use super::invalid::{GapError, PlanError, SettingsError};
use super::schedule::{ColumnRef, FinancialYear};

/// The format tag of a canonical schedule, version 1.
pub const FORMAT: &str = "gapwise-schedule/1";

/// Where serde_json stopped and what it said: its line and column (from 1) and its message,
/// without the " at line L column C" it appends (the position is said first instead).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonAt {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl JsonAt {
    pub fn of(e: &serde_json::Error) -> JsonAt {
        let text = e.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        JsonAt {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

impl fmt::Display for JsonAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// What was being read when serde_json stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonRead {
    /// A `gapwise-schedule/1` document (its format tag or its schedule).
    Schedule,
    /// A saved working state that is not JSON at all.
    SavedState,
    /// The fields of a saved working state, which are not of the saved shape.
    SavedFields,
}

/// Why a JSON document is refused: not readable, not a Gapwise document, or a schedule or gap
/// model that does not add up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonProblem {
    /// serde_json stopped: what it was reading, and where and why.
    Unreadable { reading: JsonRead, at: JsonAt },
    /// JSON, but not a `gapwise-schedule/1` document (not an object with a format tag).
    NotSchedule,
    /// A document of another format (its tag, cut to 40 characters).
    OtherFormat { format: String },
    /// A document with no format tag.
    NoFormat,
    /// A schedule document whose parts do not agree.
    Schedule(ScheduleProblem),
    /// JSON that is not a saved working state.
    NotSavedState,
    /// A saved state whose version is not a number (the version as JSON).
    SavedVersionText { version: String },
    /// A saved state's schedule does not add up.
    SavedSchedule(ScheduleProblem),
    /// A saved state's gap model does not add up.
    SavedGap(GapError),
    /// A big schedule's lines, kept apart from the rest of its saved state
    /// (`state::line_bytes`), cannot be read back: why.
    SavedLines(&'static str),
}

impl fmt::Display for JsonProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonProblem::Unreadable { reading, at } => match reading {
                JsonRead::Schedule => write!(f, "JSON {at}"),
                JsonRead::SavedState => write!(f, "the saved work is not readable JSON ({at})"),
                JsonRead::SavedFields => write!(f, "the saved work is damaged ({at})"),
            },
            JsonProblem::NotSchedule => write!(f, "this JSON is not a {FORMAT} document"),
            JsonProblem::OtherFormat { format } => {
                write!(f, "this JSON is `{format}`, not a {FORMAT} document")
            }
            JsonProblem::NoFormat => write!(
                f,
                "this JSON has no \"format\": \"{FORMAT}\" field; Gapwise reads its own JSON \
                 format (see the README) or CSV"
            ),
            JsonProblem::Schedule(p) => write!(f, "{p}"),
            JsonProblem::NotSavedState => write!(f, "the saved work is not a Gapwise saved state"),
            JsonProblem::SavedVersionText { version } => write!(
                f,
                "the saved work's version is {version}, not a version number"
            ),
            JsonProblem::SavedSchedule(p) => write!(f, "the saved schedule is damaged: {p}"),
            JsonProblem::SavedGap(p) => write!(f, "the saved gap model is damaged: {p}"),
            JsonProblem::SavedLines(why) => {
                write!(f, "the saved schedule's lines are damaged: {why}")
            }
        }
    }
}

/// Why a schedule's parts do not agree (lengths, indices, limits). `index` counts lines or
/// total rows from 0 (the message counts from 1); `row` is the row the line came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleProblem {
    TooManyYears {
        years: usize,
        limit: usize,
    },
    YearTwice {
        year: FinancialYear,
    },
    Decimals {
        decimals: u32,
        limit: u32,
    },
    /// The layout names a column the schedule does not have.
    Layout {
        column: ColumnRef,
    },
    Line {
        index: usize,
        row: usize,
        problem: RowProblem,
    },
    TotalRow {
        index: usize,
        row: usize,
        problem: RowProblem,
    },
}

impl fmt::Display for ScheduleProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScheduleProblem::TooManyYears { years, limit } => {
                write!(f, "{years} years; at most {limit}")
            }
            ScheduleProblem::YearTwice { year } => write!(f, "the year {year} is listed twice"),
            ScheduleProblem::Decimals { decimals, limit } => {
                write!(f, "decimals is {decimals}; at most {limit}")
            }
            ScheduleProblem::Layout { column } => {
                write!(f, "layout names a column that does not exist: {column:?}")
            }
            ScheduleProblem::Line {
                index,
                row,
                problem,
            } => write!(f, "line {} (row {row}) {problem}", index + 1),
            ScheduleProblem::TotalRow {
                index,
                row,
                problem,
            } => write!(f, "total row {} (row {row}) {problem}", index + 1),
        }
    }
}

/// What is wrong with a line or a total row of a schedule; the message follows its name ("line
/// 2 (row 5) has 3 amounts for 4 years").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    Amounts {
        amounts: usize,
        years: usize,
    },
    Texts {
        texts: usize,
        columns: usize,
    },
    /// A section index the schedule does not have.
    Section,
    /// A published total in a schedule with no total column.
    TotalWithoutColumn,
    /// A total row's scope covers lines the schedule does not have.
    Scope,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Amounts { amounts, years } => {
                write!(f, "has {amounts} amounts for {years} years")
            }
            RowProblem::Texts { texts, columns } => {
                write!(f, "has {texts} texts for {columns} text columns")
            }
            RowProblem::Section => write!(f, "names a section that does not exist"),
            RowProblem::TotalWithoutColumn => {
                write!(f, "has a total but the schedule has no total column")
            }
            RowProblem::Scope => write!(f, "covers lines that do not exist"),
        }
    }
}

/// Why a link's saved view cannot be read (after "the link's saved view cannot be read: ").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkContents {
    /// It unpacks to bytes that are not UTF-8.
    NotText,
    /// It is not a JSON object.
    NotObject,
    /// JSON, but not of a link's shape: where serde_json stopped.
    Shape(JsonAt),
    /// Not JSON: where serde_json stopped.
    Unreadable(JsonAt),
    /// A full link without its schedule.
    NoSchedule,
    /// A full link whose schedule is refused.
    Schedule(JsonProblem),
    /// A full link whose gap model is refused.
    Gap(GapError),
    /// A short link without its file address or its checksum.
    NoAddress,
    /// A link of neither kind (its kind, cut to 60 characters).
    Kind { kind: String },
    /// A scenario planning reserves for more years than a schedule may have.
    ReserveYears { years: usize, limit: usize },
    /// A scenario's use of reserves over 10^18 in a year (counted from 1).
    ReserveOver { year: usize },
    /// A scenario's reserve drawdowns refused.
    Draws(PlanError),
    /// A scenario's delivery risk settings refused.
    Risk(SettingsError),
    /// Prices (real terms) that cannot be used: an index of zero or below, more years than
    /// an index may have, or no index for the year whose prices are shown.
    Prices,
}

impl fmt::Display for LinkContents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkContents::Prices => write!(
                f,
                "its prices (real terms): an index of zero or below, too many years, or no \
                 index for the year whose prices are shown"
            ),
            LinkContents::NotText => write!(f, "it is not text (not UTF-8)"),
            LinkContents::NotObject => write!(f, "it is not a Gapwise link's JSON object"),
            LinkContents::Shape(at) => write!(f, "{at}"),
            LinkContents::Unreadable(at) => write!(f, "it is not readable JSON ({at})"),
            LinkContents::NoSchedule => write!(f, "a full link with no schedule"),
            LinkContents::Schedule(p) => write!(f, "its schedule: {p}"),
            LinkContents::Gap(p) => write!(f, "its gap model: {p}"),
            LinkContents::NoAddress => {
                write!(f, "a short link with no file address or no checksum")
            }
            LinkContents::Kind { kind } => {
                write!(f, "its kind is `{kind}`, not `full` or `short`")
            }
            LinkContents::ReserveYears { years, limit } => write!(
                f,
                "its scenario plans reserves for {years} years; at most {limit}"
            ),
            LinkContents::ReserveOver { year } => write!(
                f,
                "its scenario's use of reserves in year {year} is over 10^18"
            ),
            LinkContents::Draws(p) => write!(f, "its scenario's reserves: {p}"),
            LinkContents::Risk(p) => write!(f, "its scenario's delivery risk: {p}"),
        }
    }
}

/// Why an edit or a paste is refused: it names a line, year or column the schedule does not
/// have, or brings a line that does not fit. Indices count from 0, as the messages say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeProblem {
    NoLine {
        line: usize,
        lines: usize,
    },
    NoYear {
        year: usize,
        years: usize,
    },
    NoTextColumn {
        column: usize,
        line: usize,
        texts: usize,
    },
    /// A line inserted past the end.
    InsertAt {
        at: usize,
        lines: usize,
    },
    /// A line inserted that does not fit the schedule.
    NewLine(RowProblem),
    /// Scopes to restore, not one per total row.
    Scopes {
        given: usize,
        total_rows: usize,
    },
    /// Scopes to restore that do not match the total rows.
    ScopesDiffer,
    NothingToPaste,
    /// A paste of `height` rows × `width` columns at the line labelled `from_line` (cut to 40
    /// characters) and the year `from_year`, where only `lines_left` lines and `years_left`
    /// years remain.
    PasteTooBig {
        height: usize,
        width: usize,
        lines_left: usize,
        years_left: usize,
        from_line: String,
        from_year: FinancialYear,
    },
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

impl fmt::Display for RangeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeProblem::NoLine { line, lines } => write!(
                f,
                "line {line} does not exist: the schedule has {lines} lines (numbered from 0)"
            ),
            RangeProblem::NoYear { year, years } => write!(
                f,
                "year {year} does not exist: the schedule has {years} years (numbered from 0)"
            ),
            RangeProblem::NoTextColumn {
                column,
                line,
                texts,
            } => write!(
                f,
                "text column {column} does not exist: line {line} has {texts} text columns"
            ),
            RangeProblem::InsertAt { at, lines } => write!(
                f,
                "a line cannot go at position {at}: the schedule has {lines} lines"
            ),
            RangeProblem::NewLine(p) => write!(f, "the line {p}"),
            RangeProblem::Scopes { given, total_rows } => {
                write!(f, "{given} scopes given for {total_rows} total rows")
            }
            RangeProblem::ScopesDiffer => write!(
                f,
                "the scopes to restore do not match the schedule's total rows"
            ),
            RangeProblem::NothingToPaste => write!(f, "there is nothing to paste"),
            RangeProblem::PasteTooBig {
                height,
                width,
                lines_left,
                years_left,
                from_line,
                from_year,
            } => {
                let mut short = Vec::new();
                if height > lines_left {
                    short.push(format!(
                        "only {lines_left} {} from `{from_line}` down",
                        plural(*lines_left, "line remains", "lines remain")
                    ));
                }
                if width > years_left {
                    short.push(format!(
                        "only {years_left} {} from {} on",
                        plural(*years_left, "year remains", "years remain"),
                        from_year.label()
                    ));
                }
                write!(
                    f,
                    "the paste is {height} {} × {width} {} but {}; nothing was pasted",
                    plural(*height, "row", "rows"),
                    plural(*width, "column", "columns"),
                    short.join(" and ")
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_built_from_the_fields() {
        let year = FinancialYear::parse("2019/20").unwrap();
        assert_eq!(
            RangeProblem::PasteTooBig {
                height: 3,
                width: 1,
                lines_left: 2,
                years_left: 4,
                from_line: "Fostering".into(),
                from_year: year,
            }
            .to_string(),
            "the paste is 3 rows × 1 column but only 2 lines remain from `Fostering` down; \
             nothing was pasted"
        );
        assert_eq!(
            ScheduleProblem::TotalRow {
                index: 0,
                row: 9,
                problem: RowProblem::Scope
            }
            .to_string(),
            "total row 1 (row 9) covers lines that do not exist"
        );
        let at = JsonAt::of(&serde_json::from_str::<u32>("{").unwrap_err());
        assert_eq!((at.line, at.column), (1, 0));
        assert!(!at.message.contains(" at line "));
        assert_eq!(
            JsonProblem::Unreadable {
                reading: JsonRead::SavedFields,
                at: JsonAt {
                    line: 2,
                    column: 7,
                    message: "expected value".into()
                }
            }
            .to_string(),
            "the saved work is damaged (line 2, column 7: expected value)"
        );
    }
}
