//! The structured parts of an [`ErrorKind`](super::error::ErrorKind): what was limited, what is
//! wrong with a column mapping, a long CSV, a workbook or an export, each with the figures and
//! the place (column, row, byte) in fields. The messages are built here, in `Display`, from
//! those fields; the engine never writes an error as prose where it is found.

use std::fmt;

use super::invalid::SettingsError;
use super::schedule::{FinancialYear, Unit};

/// Spreadsheet column letters for a column number counted from 1: 1 → A, 27 → AA.
pub fn column_letters(mut n: usize) -> String {
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A byte count for people: `64 MB`, `1.5 MB`, `812 bytes`.
pub fn size_text(bytes: usize) -> String {
    if bytes >= 1_000_000 {
        let tenths = bytes / 100_000;
        if tenths % 10 == 0 {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else if bytes >= 1_000 {
        format!("{} KB", bytes / 1_000)
    } else {
        format!("{bytes} bytes")
    }
}

/// The thing a [`Limit`](super::error::ErrorKind::Limit) bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limited {
    /// The columns of a header row.
    HeaderColumns,
    /// The year columns of a wide schedule's header.
    YearColumns,
    /// The distinct years of a long CSV (`found` is one over the limit: reading stops there).
    LongYears,
    /// The filled cells of one sheet of a workbook (`found` is one over the limit).
    SheetCells,
    /// The bytes of one row (CSV record) of a file: 4 GB or more.
    RowBytes,
}

/// A limit hit: what, how many were found (or, where reading stopped at the limit, the first
/// count over it) and the most that is read.
pub(crate) fn limit_text(
    f: &mut fmt::Formatter<'_>,
    what: Limited,
    found: usize,
    limit: usize,
) -> fmt::Result {
    match what {
        Limited::HeaderColumns => {
            write!(
                f,
                "the header has {found} columns; at most {limit} are read"
            )
        }
        Limited::YearColumns => write!(f, "the header has {found} year columns; at most {limit}"),
        Limited::LongYears => write!(f, "more than {limit} years; at most {limit}"),
        Limited::SheetCells => write!(f, "the sheet has over {limit} filled cells"),
        Limited::RowBytes => write!(f, "a row of the file is 4 GB or more"),
    }
}

/// A column of a header row, by number (from 0) and header text, shown as `B (2019/20)` or `B`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderColumn {
    pub index: usize,
    pub header: String,
}

impl fmt::Display for HeaderColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = self.header.trim();
        if h.is_empty() {
            write!(f, "{}", column_letters(self.index + 1))
        } else {
            write!(f, "{} ({h})", column_letters(self.index + 1))
        }
    }
}

/// A file that names its own columns, so a column mapping has nothing to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OwnColumns {
    Json,
    LongCsv,
    /// A Fiscal Data Package (`read::package`): its descriptor names every column.
    DataPackage,
}

/// Why a column mapping does not fit the file or does not make a schedule. Column numbers count
/// from 0, rows are file rows (from 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingProblem {
    /// The header row it names is empty or past the file's last row.
    HeaderRow { header_row: usize, last_row: usize },
    /// It names a column past the header's last (`width` columns).
    NoSuchColumn { index: usize, width: usize },
    /// It lists a column twice.
    ListedTwice { column: HeaderColumn },
    /// A column is headed otherwise in the file than in the mapping.
    OtherHeader {
        index: usize,
        mapped: String,
        found: String,
    },
    /// Two columns are given the same year.
    YearTwice {
        year: FinancialYear,
        first: HeaderColumn,
        column: HeaderColumn,
    },
    /// Two columns are made the published total.
    TotalTwice {
        first: HeaderColumn,
        column: HeaderColumn,
    },
    /// No column is a year.
    NoYear,
    /// The file names its own columns (JSON, a long CSV).
    OwnColumns(OwnColumns),
}

impl fmt::Display for MappingProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MappingProblem::HeaderRow {
                header_row,
                last_row,
            } => write!(
                f,
                "the header row is row {header_row}, which is empty or not in the file (its \
                 last row is {last_row})"
            ),
            MappingProblem::NoSuchColumn { index, width } => write!(
                f,
                "the mapping names column {} (index {index}), but the header row has {width} \
                 column(s), A to {}",
                column_letters(index + 1),
                column_letters(*width)
            ),
            MappingProblem::ListedTwice { column } => {
                write!(f, "the mapping lists column {column} twice")
            }
            MappingProblem::OtherHeader {
                index,
                mapped,
                found,
            } => write!(
                f,
                "the mapping was made for another header: it heads column {} `{}`, the file \
                 `{}`",
                column_letters(index + 1),
                mapped.trim(),
                found.trim()
            ),
            MappingProblem::YearTwice {
                year,
                first,
                column,
            } => write!(
                f,
                "the mapping makes columns {first} and {column} both the year {year}"
            ),
            MappingProblem::TotalTwice { first, column } => write!(
                f,
                "the mapping makes columns {first} and {column} both the published total"
            ),
            MappingProblem::NoYear => write!(
                f,
                "the mapping makes no column a year; at least one column must hold a financial \
                 year's amounts"
            ),
            MappingProblem::OwnColumns(which) => {
                let what = match which {
                    OwnColumns::Json => "a JSON file",
                    OwnColumns::LongCsv => "Gapwise's long CSV (one row per line and year)",
                    OwnColumns::DataPackage => "a data package (its datapackage.json)",
                };
                write!(f, "{what} names its own columns; there is nothing to map")
            }
        }
    }
}

/// Why the rows of a long CSV do not make a schedule. Rows are file rows (from 1); the error's
/// position names the row and column where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LongProblem {
    /// A `Unit` cell that is not £, £'000 or £m.
    NotAUnit { text: String },
    /// A unit other than the one of an earlier row.
    TwoUnits {
        unit: Unit,
        first: Unit,
        first_row: usize,
    },
    /// A `Row` cell that is not a whole number from 1.
    NotARowNumber { text: String },
    /// A `Year` cell that is not a financial year.
    NotAYear { text: String },
    /// The rows of one line disagree on a text column (`column` is its header).
    LineDisagrees {
        line_row: usize,
        column: String,
        given: String,
        before: String,
        first_row: usize,
    },
    /// A line has two rows for one year.
    YearTwice {
        line_row: usize,
        year: FinancialYear,
        first_row: usize,
    },
    /// A line has no row for a year.
    YearMissing {
        line_row: usize,
        year: FinancialYear,
    },
}

impl fmt::Display for LongProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LongProblem::NotAUnit { text } => write!(
                f,
                "`{text}` is not a unit; a long CSV's unit is £, £'000 or £m"
            ),
            LongProblem::TwoUnits {
                unit,
                first,
                first_row,
            } => write!(
                f,
                "the unit is {unit} here but {first} in row {first_row}; a long CSV has one \
                 unit for the whole file"
            ),
            LongProblem::NotARowNumber { text } => write!(
                f,
                "`{text}` is not a row number; `Row` is the file row of the line, a whole \
                 number from 1"
            ),
            LongProblem::NotAYear { text } => {
                write!(f, "`{text}` is not a financial year like 2017/18")
            }
            LongProblem::LineDisagrees {
                line_row,
                column,
                given,
                before,
                first_row,
            } => write!(
                f,
                "the line of row {line_row} has {column} `{given}` here but `{before}` in row \
                 {first_row}; the rows of one line must agree"
            ),
            LongProblem::YearTwice {
                line_row,
                year,
                first_row,
            } => write!(
                f,
                "the line of row {line_row} has {} twice, here and in row {first_row}; a line \
                 has one row per year",
                year.label()
            ),
            LongProblem::YearMissing { line_row, year } => write!(
                f,
                "the line of row {line_row} has no row for {}; a line has one row per year",
                year.label()
            ),
        }
    }
}

/// Why a zip cannot be read as a Fiscal Data Package (`read::package`; docs/domain.md, "The
/// Fiscal Data Package"): what is missing or wrong, naming the entry, resource or column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageProblem {
    /// A `.zip` that holds no `datapackage.json` (and is not a workbook).
    NoDescriptor,
    /// The zip itself cannot be opened or an entry cannot be read: the zip reader's message.
    Zip { message: String },
    /// An entry that unpacks to more than its limit: the entry and the limit in bytes.
    EntryTooLarge { entry: String, limit: usize },
    /// `datapackage.json` is not JSON: serde_json's message (with its line and column).
    Descriptor { message: String },
    /// `datapackage.json` is JSON but not a package: the property missing or of the wrong type.
    NotAPackage { property: String },
    /// No resource is a CSV file with a `path`.
    NoCsvResource,
    /// A resource path that is not a plain relative path inside the package.
    BadPath { path: String },
    /// A resource the descriptor names is not in the zip.
    MissingResource { path: String },
    /// The resource's CSV does not start with the long CSV's columns: the header found.
    NotLong { header: String },
    /// A column the descriptor says the CSV has is not in its header.
    MissingColumn { column: String },
    /// A `datapackage.json` loaded on its own: its data (the CSV) is in the zip, not in it.
    DescriptorAlone,
}

impl fmt::Display for PackageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageProblem::NoDescriptor => write!(
                f,
                "the zip holds no datapackage.json, so it is not a data package (nor a \
                 workbook); load a Gapwise data package, a CSV, a workbook or a JSON file"
            ),
            PackageProblem::Zip { message } => {
                write!(f, "the data package's zip cannot be read: {message}")
            }
            PackageProblem::EntryTooLarge { entry, limit } => write!(
                f,
                "{entry} in the data package unpacks to more than {}; nothing was read",
                size_text(*limit)
            ),
            PackageProblem::Descriptor { message } => {
                write!(f, "datapackage.json is not valid JSON: {message}")
            }
            PackageProblem::NotAPackage { property } => write!(
                f,
                "datapackage.json is not a data package descriptor: `{property}` is missing or \
                 not what the standard says"
            ),
            PackageProblem::NoCsvResource => write!(
                f,
                "datapackage.json names no CSV resource with a `path`; there is no table to read"
            ),
            PackageProblem::BadPath { path } => write!(
                f,
                "the resource path `{path}` is not a relative path inside the package"
            ),
            PackageProblem::MissingResource { path } => write!(
                f,
                "the resource `{path}` that datapackage.json names is not in the zip"
            ),
            PackageProblem::NotLong { header } => write!(
                f,
                "the resource's CSV does not start with the columns Row, Section, Reference, \
                 Line, Year, Amount, Unit (its header is `{header}`)"
            ),
            PackageProblem::MissingColumn { column } => write!(
                f,
                "datapackage.json names the column `{column}` but the resource's CSV has none"
            ),
            PackageProblem::DescriptorAlone => write!(
                f,
                "this is a data package's datapackage.json alone; its figures are in the CSV \
                 beside it: load the data package's .zip instead"
            ),
        }
    }
}

/// The kind of workbook being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkbookFormat {
    Xlsx,
    Xls,
    Ods,
}

/// Why a workbook cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkbookProblem {
    /// Its zip container is damaged or cut short (the zip reader's message).
    Zip {
        format: WorkbookFormat,
        message: String,
    },
    /// A zip without the part every Excel workbook has.
    NotExcel { missing: String },
    /// The workbook reader (calamine) refused it, with its message.
    Reader {
        format: WorkbookFormat,
        message: String,
    },
    /// No sheet of the name asked for.
    NoSheet { name: String },
    /// A part (`part`, by its path in the zip) names a cell or range beyond the last cell or
    /// with its corners the wrong way round.
    Reference { part: String, reference: String },
    /// An `.ods`'s `content.xml` is damaged at byte `at`.
    OdsContent { at: u64, problem: OdsProblem },
}

/// What is wrong in an `.ods`'s `content.xml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OdsProblem {
    /// Not well-formed XML (the XML reader's message).
    NotXml { message: String },
    /// A run of spaces (`text:c`, as written, cut to 20 characters) over the limit.
    Spaces { count: String, limit: u64 },
    /// The file ends with `open` elements not closed.
    NotClosed { open: usize },
}

const DAMAGED: &str = "it is damaged or cut short";

impl fmt::Display for WorkbookProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkbookProblem::Zip { message, .. } => write!(f, "{DAMAGED} ({message})"),
            WorkbookProblem::NotExcel { missing } => {
                write!(f, "it is not an Excel workbook (no `{missing}` in it)")
            }
            WorkbookProblem::Reader { message, .. } => write!(f, "{message}"),
            WorkbookProblem::NoSheet { name } => write!(f, "it has no sheet named `{name}`"),
            WorkbookProblem::Reference { part, reference } => write!(
                f,
                "{DAMAGED}: `{part}` names the cell or range `{reference}`, beyond the last cell \
                 a workbook can have (XFD1048576) or with its corners the wrong way round"
            ),
            WorkbookProblem::OdsContent { at, problem } => {
                write!(f, "{DAMAGED}: its `content.xml` ")?;
                match problem {
                    OdsProblem::NotXml { message } => {
                        write!(f, "is not well-formed XML: {message}")?
                    }
                    OdsProblem::Spaces { count, limit } => {
                        write!(f, "writes a run of {count} spaces; at most {limit}")?
                    }
                    OdsProblem::NotClosed { open } => {
                        write!(f, "ends with {open} element(s) not closed")?
                    }
                }
                write!(f, " (at byte {at})")
            }
        }
    }
}

/// Why an export could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportProblem {
    /// The schedule needs more spreadsheet rows than a sheet holds.
    TooManyRows { rows: usize, limit: usize },
    /// The spreadsheet writer failed, with its message.
    Writer { message: String },
}

impl fmt::Display for ExportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportProblem::TooManyRows { rows, limit } => write!(
                f,
                "the schedule needs {rows} spreadsheet rows; a sheet holds at most {limit}; \
                 export CSV instead"
            ),
            ExportProblem::Writer { message } => {
                write!(f, "the spreadsheet could not be written: {message}")
            }
        }
    }
}

/// Why a delivery risk simulation cannot be run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimulationProblem {
    /// The settings are refused.
    Settings(SettingsError),
    /// The savings add up beyond what a `Decimal` holds.
    SavingsTooLarge,
    /// The figures need more decimal places than a `Decimal` has.
    Places { places: u32, limit: u32 },
    /// The figures are too large for their decimal places to be worked out exactly.
    FiguresTooLarge,
}

impl fmt::Display for SimulationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimulationProblem::Settings(e) => write!(f, "{e}"),
            SimulationProblem::SavingsTooLarge => {
                write!(f, "the savings are too large to simulate")
            }
            SimulationProblem::Places { places, limit } => write!(
                f,
                "the figures need {places} decimal places to simulate exactly; at most {limit}"
            ),
            SimulationProblem::FiguresTooLarge => write!(
                f,
                "the figures are too large for their decimal places to be worked out exactly"
            ),
        }
    }
}
