//! The files of `tests/fixtures/`, each read into the tests once, here: the five published
//! council tables (by name and bytes), the files of odd encodings, delimiters and mistakes, and
//! the files that must be refused.

/// A file as a test loads it: its name and its bytes.
pub type Fixture = (&'static str, &'static [u8]);

macro_rules! fixture {
    ($name:literal) => {
        ($name, include_bytes!(concat!("../fixtures/", $name)))
    };
}

// --- The published council tables (docs/domain.md's worked figures).

pub const CYPS_SAVINGS: Fixture = fixture!("cyps-savings-2017-21.csv");
pub const CHILDRENS_SAVINGS: Fixture = fixture!("childrens-savings-2023-26.csv");
pub const INVESTMENT_BIDS: Fixture = fixture!("cyps-investment-bids-2016-21.csv");
pub const FUNDING_GAP: Fixture = fixture!("cyps-funding-gap-2016-20.csv");
pub const BUDGET_FORECAST: Fixture = fixture!("cyps-budget-forecast-2016-21.csv");

/// The five published council tables, by name.
pub const FIXTURES: [Fixture; 5] = [
    CYPS_SAVINGS,
    CHILDRENS_SAVINGS,
    INVESTMENT_BIDS,
    FUNDING_GAP,
    BUDGET_FORECAST,
];

/// A programme file of the medium-term financial strategy.
pub const MTFS_PROGRAMME: Fixture = fixture!("mtfs-programme.csv");

// --- Files as they arrive: encodings, delimiters, line ends and mistakes; all of them load.

pub const BAD_CELL: &[u8] = include_bytes!("../fixtures/bad-cell.csv");
pub const BLANK_LINES: &str = include_str!("../fixtures/blank-lines.csv");
pub const BOM: &[u8] = include_bytes!("../fixtures/bom.csv");
pub const CP1252_POUND: &[u8] = include_bytes!("../fixtures/cp1252-pound.csv");
pub const CRLF: &[u8] = include_bytes!("../fixtures/crlf.csv");
pub const HEADER_ONLY: &[u8] = include_bytes!("../fixtures/header-only.csv");
pub const NUMBERS: &[u8] = include_bytes!("../fixtures/numbers.csv");
pub const QUOTED_NEWLINE: &str = include_str!("../fixtures/quoted-newline.csv");
pub const SEMICOLON: &[u8] = include_bytes!("../fixtures/semicolon.csv");
pub const SUBTOTAL_OFF_BY_ONE: &[u8] = include_bytes!("../fixtures/subtotal-off-by-one.csv");
pub const TAB: &[u8] = include_bytes!("../fixtures/tab.tsv");
pub const UTF16LE_BOM: &[u8] = include_bytes!("../fixtures/utf16le-bom.csv");

/// The files of odd encodings, delimiters and mistakes, by name (all of them load).
pub const EDGE_FIXTURES: [Fixture; 12] = [
    ("bad-cell.csv", BAD_CELL),
    ("blank-lines.csv", BLANK_LINES.as_bytes()),
    ("bom.csv", BOM),
    ("cp1252-pound.csv", CP1252_POUND),
    ("crlf.csv", CRLF),
    ("header-only.csv", HEADER_ONLY),
    ("numbers.csv", NUMBERS),
    ("quoted-newline.csv", QUOTED_NEWLINE.as_bytes()),
    ("semicolon.csv", SEMICOLON),
    ("subtotal-off-by-one.csv", SUBTOTAL_OFF_BY_ONE),
    ("tab.tsv", TAB),
    ("utf16le-bom.csv", UTF16LE_BOM),
];

// --- Files that are refused, each with its own message.

pub const NO_YEARS: &[u8] = include_bytes!("../fixtures/no-years.csv");
pub const EMPTY: &[u8] = include_bytes!("../fixtures/empty.csv");
pub const JUNK: &[u8] = include_bytes!("../fixtures/junk.bin");
pub const OTHER_FORMAT: &[u8] = include_bytes!("../fixtures/other-format.json");
