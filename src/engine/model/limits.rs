//! The limits every layer holds a file, a schedule or a saved state to, in one place: a hostile
//! or broken input meets them and is refused with a message, instead of exhausting memory.

/// The default size limit of an imported file: 128 MB (a schedule of about 1.3 million lines as
/// CSV; the page parses big files in its worker). Larger files are refused before parsing.
pub const DEFAULT_MAX_BYTES: usize = 128_000_000;
/// The most a data package's `datapackage.json` may unpack to (`read::package`): a descriptor
/// Gapwise writes is a few KB; a bigger one is refused before it is parsed.
pub const MAX_DESCRIPTOR_BYTES: usize = 1_000_000;
/// At most this many year columns.
pub const MAX_YEARS: usize = 100;
/// At most this many columns in all.
pub const MAX_COLUMNS: usize = 2_000;
/// At most this many cell problems are listed; the count of the rest is given.
pub const MAX_PROBLEMS: usize = 200;

/// The version of the link format this build writes and reads.
pub const LINK_VERSION: u32 = 1;
/// The version of the saved state this build writes and reads.
pub const SAVED_VERSION: u32 = 1;
/// The most rows of a table whose arithmetic map is worked out when it is read
/// (`calc::arithmetic`). Every rule runs on tables of up to 300 rows; bigger ones get the
/// linear rules only (blocks, line totals), and a schedule of more rows than this is checked
/// by its total rows alone, so that the import of a 100,000-line file is not slowed.
pub const MAX_MAP_ROWS: usize = 20_000;
