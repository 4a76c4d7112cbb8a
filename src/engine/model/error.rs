//! Errors with positions.
//!
//! One [`Error`] type for the engine, with an [`ErrorKind`] and, for anything read from a file, a
//! [`Position`] (file row and column header), so the page can say "cyps.csv, row 14, column
//! 2019/20: `aa` is not an amount" without matching on variants. The engine never turns an error
//! into HTML; `Display` gives plain text.

use std::fmt;

use super::document::{JsonProblem, LinkContents, RangeProblem};
use super::limits::LINK_VERSION;
use super::limits::SAVED_VERSION;
use super::number::NumberError;
use super::problem::limit_text;
pub use super::problem::{column_letters, size_text};
pub use super::problem::{
    ExportProblem, HeaderColumn, Limited, LongProblem, MappingProblem, OwnColumns, PackageProblem,
    SimulationProblem, WorkbookProblem,
};
// Only the workbook reader (the `workbook` feature) names these.
#[cfg(feature = "workbook")]
pub use super::problem::{OdsProblem, WorkbookFormat};
use super::table::{CellProblem, TableProblem};

/// Where in a file something is: the spreadsheet row (from 1), the record number (from 0), the
/// physical line the record starts on (from 1), and the column, by number (from 1) and header.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub row: usize,
    pub line: usize,
    pub column: Option<usize>,
    pub column_header: Option<String>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        match (&self.column_header, self.column) {
            (Some(h), _) if !h.trim().is_empty() => write!(f, ", column {}", h.trim()),
            (_, Some(c)) => write!(f, ", column {}", column_letters(c)),
            _ => Ok(()),
        }
    }
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is empty or holds only blank rows.
    Empty,
    /// The file is larger than the import limit (bytes, limit).
    TooLarge { bytes: usize, limit: usize },
    /// The file holds binary data (NUL bytes) and is not a workbook: an image, a zip of other
    /// files, ...
    Binary,
    /// No header row with financial years (`2017/18`) was found.
    NoYearColumns,
    /// The same financial year heads two columns.
    DuplicateYear { year: String },
    /// A column mapping that does not fit the file, or does not make a schedule: a column it
    /// names the header does not have, a year given to two columns, no year column at all. The
    /// position names the header row and the column.
    Mapping(MappingProblem),
    /// A long CSV (one row per line and year) whose rows do not make a schedule: a row number
    /// that is not one, a year missing or given twice for a line, two units.
    LongTable(LongProblem),
    /// A zip or `datapackage.json` that is not a Gapwise Fiscal Data Package that reads back:
    /// no descriptor, bad JSON, a resource missing, an entry too large.
    Package(PackageProblem),
    /// A cell that should be an amount is not one.
    Amount { text: String, reason: NumberError },
    /// A row has more cells than the header; the extra cells were ignored.
    ExtraCells { count: usize },
    /// The CSV structure itself is broken: the csv reader's message, and where it stopped (the
    /// record from 0, the physical line from 1, the byte offset from 0).
    Csv {
        message: String,
        record: u64,
        line: u64,
        byte: u64,
    },
    /// JSON that is not valid, or not a `gapwise-schedule/1` document or a saved state, or one
    /// whose schedule or gap model does not add up.
    Json(JsonProblem),
    /// A limit was hit (too many columns, years or cells): what, how many were found (or, where
    /// reading stops at the limit, the first count over it) and the most that is read.
    Limit {
        what: Limited,
        found: usize,
        limit: usize,
    },
    /// An edit or a paste names a line, year or column the schedule does not have.
    OutOfRange(RangeProblem),
    /// A saved working state of a version this page cannot read: `None` or `Some(0)` for one
    /// saved before states were versioned, a larger number for one saved by a newer Gapwise.
    SavedVersion { found: Option<u64> },
    /// A scenario link that cannot be made (too long) or opened (damaged, of another version,
    /// hostile), or whose published file has changed since.
    Link(LinkProblem),
    /// An export could not be written: the schedule is beyond what the format holds (a
    /// spreadsheet's rows or columns).
    Export(ExportProblem),
    /// A workbook (`.xlsx`, `.xls`, `.ods`) that cannot be read: damaged, cut short, not a
    /// workbook at all, or without the sheet asked for.
    Workbook(WorkbookProblem),
    /// A workbook protected by a password: it is encrypted and cannot be read without it.
    Protected,
    /// A workbook to read or write in a build without the workbook reader and writer (the
    /// page's: Cargo.toml's features), whose worker, which has them, could not be loaded.
    WorkbookElsewhere,
    /// Another tool's table (an MTFS programme file, a monitoring table) whose rows cannot be
    /// read as one: what is wrong and how to put it right.
    Table(TableProblem),
    /// A cell of another tool's table that is not what its column holds (a percentage over
    /// 100, `maybe` for isRecurring): its text and what is wrong; the rest of the file loads.
    Cell { text: String, problem: CellProblem },
    /// A delivery risk simulation that cannot be run: settings out of bounds, or figures beyond
    /// what it can work out exactly.
    Simulation(SimulationProblem),
}

/// An engine error: a kind, and where it happened when it came from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    file: Option<String>,
    position: Option<Position>,
}

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            file: None,
            position: None,
        }
    }

    pub fn at(kind: ErrorKind, position: Position) -> Error {
        Error {
            kind,
            file: None,
            position: Some(position),
        }
    }

    /// Names the file the error came from.
    pub fn in_file(mut self, file: &str) -> Error {
        if !file.is_empty() {
            self.file = Some(file.to_string());
        }
        self
    }

    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// True when the rest of the file could still be read (a bad cell, extra cells).
    pub fn is_cell_problem(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Amount { .. } | ErrorKind::ExtraCells { .. } | ErrorKind::Cell { .. }
        )
    }
}

/// Quotes user text for a message, cut short so a 50 MB cell does not become a 50 MB message.
fn quoted(text: &str) -> String {
    const MAX: usize = 40;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX).collect();
    if chars.next().is_some() {
        format!("`{head}…`")
    } else {
        format!("`{head}`")
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Empty => write!(f, "the file is empty"),
            ErrorKind::TooLarge { bytes, limit } => write!(
                f,
                "the file is {}, over the {} limit; nothing was read",
                size_text(*bytes),
                size_text(*limit)
            ),
            ErrorKind::Binary => write!(
                f,
                "the file is not text (it holds binary data); save the sheet as CSV (comma \
                 separated) or as an Excel workbook (.xlsx), or load a gapwise JSON file"
            ),
            ErrorKind::NoYearColumns => write!(
                f,
                "no header row with financial years was found; the header needs columns such as \
                 2017/18 or 2020/2021"
            ),
            ErrorKind::DuplicateYear { year } => write!(f, "the year {year} heads two columns"),
            ErrorKind::Mapping(problem) => write!(f, "{problem}"),
            ErrorKind::LongTable(problem) => write!(f, "{problem}"),
            ErrorKind::Package(problem) => write!(f, "{problem}"),
            ErrorKind::Amount { text, reason } => write!(f, "{} {reason}", quoted(text)),
            ErrorKind::ExtraCells { count } => {
                write!(
                    f,
                    "{count} cell(s) beyond the last header column were ignored"
                )
            }
            ErrorKind::Csv { message, .. } => write!(f, "the CSV is malformed: {message}"),
            ErrorKind::Json(problem) => write!(f, "{problem}"),
            ErrorKind::Limit { what, found, limit } => limit_text(f, *what, *found, *limit),
            ErrorKind::OutOfRange(problem) => write!(f, "{problem}"),
            ErrorKind::Link(problem) => write!(f, "{problem}"),
            ErrorKind::Export(problem) => write!(f, "{problem}"),
            ErrorKind::Workbook(problem) => write!(f, "the workbook cannot be read: {problem}"),
            ErrorKind::Table(problem) => write!(f, "{problem}"),
            ErrorKind::Cell { text, problem } => write!(f, "{} {problem}", quoted(text)),
            ErrorKind::Simulation(problem) => {
                write!(f, "the delivery risk simulation cannot be run: {problem}")
            }
            ErrorKind::WorkbookElsewhere => write!(
                f,
                "workbooks are read and written by the page's worker, which could not be \
                 loaded (offline before this page kept it, or blocked); reload the page \
                 when online, or save the sheet as CSV and load that"
            ),
            ErrorKind::Protected => write!(
                f,
                "the workbook is protected by a password; save a copy without the password \
                 (or as CSV) and load that"
            ),
            ErrorKind::SavedVersion { found } => match found {
                Some(v) if *v > u64::from(SAVED_VERSION) => write!(
                    f,
                    "saved by a newer Gapwise (version {v}); this page reads version \
                     {SAVED_VERSION}"
                ),
                _ => write!(
                    f,
                    "the saved work has no version number (saved before versions were kept); \
                     this page reads version {SAVED_VERSION} and cannot convert it"
                ),
            },
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut wrote = false;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            wrote = true;
        }
        if let Some(p) = &self.position {
            if wrote {
                write!(f, ", ")?;
            }
            write!(f, "{p}")?;
            wrote = true;
        }
        if wrote {
            write!(f, ": ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::super::problem::OdsProblem;
    use super::*;

    #[test]
    fn message_says_what_and_where() {
        let e = Error::at(
            ErrorKind::Amount {
                text: "aa".into(),
                reason: NumberError::NotANumber,
            },
            Position {
                row: 14,
                line: 14,
                column: Some(7),
                column_header: Some("2019/20".into()),
            },
        )
        .in_file("cyps.csv");
        assert_eq!(
            e.to_string(),
            "cyps.csv, row 14, column 2019/20: `aa` is not an amount"
        );
        assert!(e.is_cell_problem());
        assert_eq!(e.position().unwrap().row, 14);
    }

    #[test]
    fn long_text_is_cut_in_messages() {
        let long = "x".repeat(10_000);
        let e = Error::new(ErrorKind::Amount {
            text: long,
            reason: NumberError::NotANumber,
        });
        assert!(e.to_string().len() < 100);
    }

    #[test]
    fn sizes() {
        assert_eq!(size_text(64_000_000), "64 MB");
        assert_eq!(size_text(201_500_000), "201.5 MB");
        assert_eq!(size_text(2_500), "2 KB");
        assert_eq!(size_text(10), "10 bytes");
        let e = Error::new(ErrorKind::TooLarge {
            bytes: 201_500_000,
            limit: 64_000_000,
        });
        assert_eq!(
            e.to_string(),
            "the file is 201.5 MB, over the 64 MB limit; nothing was read"
        );
    }

    #[test]
    fn limits_say_what_was_limited_with_the_figures() {
        let e = Error::new(ErrorKind::Limit {
            what: Limited::HeaderColumns,
            found: 20_001,
            limit: 20_000,
        });
        assert_eq!(
            e.to_string(),
            "the header has 20001 columns; at most 20000 are read"
        );
        let kind = ErrorKind::Limit {
            what: Limited::LongYears,
            found: 61,
            limit: 60,
        };
        assert_eq!(kind.to_string(), "more than 60 years; at most 60");
        assert!(matches!(
            kind,
            ErrorKind::Limit {
                what: Limited::LongYears,
                found: 61,
                limit: 60
            }
        ));
    }

    #[test]
    fn structured_kinds_keep_their_messages() {
        let column = |index: usize, header: &str| HeaderColumn {
            index,
            header: header.into(),
        };
        let year = crate::engine::model::years::find_year("2019/20").unwrap();
        assert_eq!(
            ErrorKind::Mapping(MappingProblem::YearTwice {
                year,
                first: column(1, "2019/20"),
                column: column(27, " "),
            })
            .to_string(),
            "the mapping makes columns B (2019/20) and AB both the year 2019/20"
        );
        assert_eq!(
            ErrorKind::Mapping(MappingProblem::OwnColumns(OwnColumns::Json)).to_string(),
            "a JSON file names its own columns; there is nothing to map"
        );
        assert_eq!(
            ErrorKind::Workbook(WorkbookProblem::OdsContent {
                at: 812,
                problem: OdsProblem::NotClosed { open: 3 },
            })
            .to_string(),
            "the workbook cannot be read: it is damaged or cut short: its `content.xml` ends \
             with 3 element(s) not closed (at byte 812)"
        );
        assert_eq!(
            ErrorKind::Export(ExportProblem::TooManyRows {
                rows: 1_048_577,
                limit: 1_048_576,
            })
            .to_string(),
            "the schedule needs 1048577 spreadsheet rows; a sheet holds at most 1048576; export \
             CSV instead"
        );
        assert_eq!(
            ErrorKind::Simulation(SimulationProblem::Places {
                places: 30,
                limit: 28
            })
            .to_string(),
            "the delivery risk simulation cannot be run: the figures need 30 decimal places to \
             simulate exactly; at most 28"
        );
    }

    #[test]
    fn letters() {
        assert_eq!(column_letters(1), "A");
        assert_eq!(column_letters(26), "Z");
        assert_eq!(column_letters(27), "AA");
        assert_eq!(column_letters(0), "");
    }
}

/// Why a link cannot be made or opened. Each says what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// Nothing after `#`.
    Empty,
    /// The text after `#` is not a Gapwise link (it does not start `v1.`).
    NotALink,
    /// A link of a version this page does not read.
    Version { found: u64 },
    /// A link being made would be longer than [`MAX_LINK_CHARS`].
    TooLong { chars: usize, limit: usize },
    /// A link being opened is longer than [`MAX_LINK_CHARS`]; it was not read.
    OpenedTooLong { chars: usize, limit: usize },
    /// The payload is not base64: a character a link never holds at this position (counted
    /// from 1 after `v1.`), or a length no link has (a link cut short).
    Base64 { position: Option<usize> },
    /// The payload does not unpack: the link was cut short or changed.
    Damaged,
    /// The payload unpacks to more than [`MAX_LINK_JSON_BYTES`].
    Unpacked { limit: usize },
    /// The payload is not JSON, not of the link's shape, or holds something refused on reading
    /// (a damaged schedule, an absurd size).
    Contents(LinkContents),
    /// A short link's address is not a relative address on this site.
    Address { address: String },
    /// A short link's checksum is not 64 hex digits.
    Checksum,
    /// The file a short link names has changed since the link was made.
    FileChanged { address: String },
}

pub(crate) fn cut(text: &str) -> String {
    const MAX: usize = 60;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(MAX).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

impl fmt::Display for LinkProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const AGAIN: &str = "copy the whole link again";
        match self {
            LinkProblem::Empty => write!(f, "the link holds no saved view"),
            LinkProblem::NotALink => write!(
                f,
                "the text after # is not a Gapwise link (a link starts #v{LINK_VERSION}.)"
            ),
            LinkProblem::Version { found } if *found > u64::from(LINK_VERSION) => write!(
                f,
                "the link was made by a newer Gapwise (link version {found}); this page opens \
                 version {LINK_VERSION} links"
            ),
            LinkProblem::Version { found } => write!(
                f,
                "link version {found} is not one Gapwise makes; this page opens version \
                 {LINK_VERSION} links"
            ),
            LinkProblem::TooLong { chars, limit } => write!(
                f,
                "the link would be {chars} characters long, over the {limit} Gapwise makes (a \
                 link people can paste and send whole); export the schedule as a file (JSON) and \
                 share the file instead"
            ),
            LinkProblem::OpenedTooLong { chars, limit } => write!(
                f,
                "the link is {chars} characters long, over the {limit} Gapwise opens; nothing \
                 was read (ask for the schedule as a file)"
            ),
            LinkProblem::Base64 { position: Some(p) } => write!(
                f,
                "the link is damaged: character {p} of its saved view is not one a link \
                 holds; {AGAIN}"
            ),
            LinkProblem::Base64 { position: None } => {
                write!(f, "the link is damaged or cut short; {AGAIN}")
            }
            LinkProblem::Damaged => write!(
                f,
                "the link is damaged or cut short (its saved view does not unpack); {AGAIN}"
            ),
            LinkProblem::Unpacked { limit } => write!(
                f,
                "the link unpacks to more than {}, over the limit; nothing was read",
                crate::engine::model::error::size_text(*limit)
            ),
            LinkProblem::Contents(contents) => {
                write!(f, "the link's saved view cannot be read: {contents}")
            }
            LinkProblem::Address { address } => write!(
                f,
                "the link names the file `{}`, which is not an address on this site; only \
                 files published beside the page are opened",
                cut(address)
            ),
            LinkProblem::Checksum => write!(
                f,
                "the link's file checksum is not 64 hexadecimal digits; {AGAIN}"
            ),
            LinkProblem::FileChanged { address } => write!(
                f,
                "the file `{}` has changed since the link was made (its checksum differs): the \
                 figures shown are the file's today, not the ones shared",
                cut(address)
            ),
        }
    }
}
