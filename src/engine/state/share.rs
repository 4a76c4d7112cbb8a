//! Scenario links: the state of the page in the part of a URL after `#`.
//!
//! This module owns the link format, writing it ([`encode_link`], [`share_url`]) and reading it
//! back with the same care as an imported file ([`decode_link`]), the length a link may have
//! ([`MAX_LINK_CHARS`], [`check_link_length`]), and the checksum that ties a short link to the
//! published file it names ([`checksum`], [`verify_file`]). It does not read the URL, fetch the
//! file or show anything: the page hands it text and bytes and gets a [`LinkState`] or an
//! [`Error`] back. The fragment never leaves the browser (browsers do not send it to the
//! server), so a link shares a view without any server seeing the schedule.
//!
//! # The format, version 1
//!
//! ```text
//! v1.<payload>
//! ```
//!
//! - `v1.` names the version of the format: `v`, the version number in decimal, a dot. A link of
//!   another version is refused with the version it names ([`LinkProblem::Version`]), never
//!   guessed at.
//! - `<payload>` is URL-safe base64 (RFC 4648 §5: `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`; written
//!   without `=` padding, read with or without it) of zlib-wrapped DEFLATE (RFC 1950/1951,
//!   so a cut or altered link fails its Adler-32 check rather than reading as something else)
//!   of one UTF-8 JSON object, of one of two kinds:
//!
//! ```json
//! {"kind": "full", "schedule": { …a gapwise-schedule/1 document… },
//!  "scenario": { …a scenario… }, "gap": { …a gap model… }}
//! {"kind": "short", "address": "published/cyps-savings-2017-21.csv",
//!  "checksum": "<64 lowercase hex digits: SHA-256 of the file's bytes>",
//!  "scenario": { …a scenario… }}
//! ```
//!
//! `scenario` and `gap` may be left out (or `null`). The schedule is the canonical JSON
//! document (`canonical`, README "The gapwise-schedule/1 JSON format") and the scenario and gap
//! model are written as the saved state writes them, every amount and rate a decimal string, so
//! a link restores exactly the same figures, decimals included. Every character of a link is one
//! that URLs never escape, so a link survives being copied, pasted and percent-encoded.
//!
//! Fields added since version 1 was first written are optional and left out when unset, so
//! links made before them open as they did and links that do not use them are unchanged: the
//! gap model's reserves plan (`reserves_plan`, see `reserves`), and the scenario's reserve
//! drawdowns (`reserve_draws`) and delivery risk settings (`risk`, holding the simulation's
//! seed, so the same link gives the same simulated figures). A short link carries no gap model
//! and so no reserves plan; its scenario carries the seed.
//!
//! # Reading a link: the rules
//!
//! Each is stated again where it is applied. A link that breaks one is refused with a message
//! saying which ([`ErrorKind::Link`]) and nothing is loaded:
//!
//! 1. at most [`MAX_LINK_CHARS`] characters, checked before anything is decoded;
//! 2. `v1.` and then base64 only;
//! 3. the payload unpacks to at most [`MAX_LINK_JSON_BYTES`]; the cap is given to the
//!    decompressor, which never grows its buffer beyond it, so a small link that would unpack
//!    to gigabytes (a "decompression bomb") costs at most that much memory;
//! 4. the JSON nests no deeper than serde_json's recursion limit (128, on by default for every
//!    value it reads), so deep JSON is an error, never a stack overflow;
//! 5. what it holds is checked as an import is: the schedule as canonical JSON import checks it
//!    (years ≤ 100, decimals ≤ 10, every line with one amount per year, indices in range), the
//!    gap model as the saved state's is (its reserves plan included), the scenario's reserves at
//!    most one per year, its reserve drawdowns and delivery risk settings valid, a short
//!    link's address relative ([`check_address`]) and its checksum 64 hex digits. Counts
//!    (lines, sections, scenario lines) are bounded by rule 3: no link can hold more than fits
//!    in 1 MB of JSON.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use miniz_oxide::inflate::TINFLStatus;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::engine::model::canonical;
use crate::engine::model::document::{JsonAt, LinkContents};
use crate::engine::model::error::cut;
use crate::engine::model::error::LinkProblem;
use crate::engine::model::error::{Error, ErrorKind};
use crate::engine::model::gap::GapModel;
use crate::engine::model::limits::LINK_VERSION;
use crate::engine::model::limits::MAX_YEARS;
use crate::engine::model::number::within_cell_limit;
use crate::engine::model::prices::Prices;
use crate::engine::model::scenario::Scenario;
use crate::engine::model::schedule::Schedule;
use crate::engine::state::persist;

/// The longest link Gapwise makes or opens: 250,000 characters, the whole URL.
///
/// Why: the fragment never reaches a server, so only the browser's own limit applies, and
/// browsers keep far more than the HTTP standard's minimum of 8,000 octets (RFC 9110 §4.1):
/// Chromium keeps URLs up to 2 MB (its `url::kMaxURLChars`, 2,097,152; the end-to-end suite
/// opens a 500-line schedule's link in Chromium), Firefox up to 1 MB
/// (`network.standard-url.max-length`, 1,048,576 by default). 250,000 lets a schedule of several
/// thousand lines with its gap model and a scenario travel whole (measured in
/// `tests/share.rs`: 64 lines 3,988 characters, 500 lines 17,894, 2,000 lines 64,431) while a
/// link stays
/// something a clipboard, a chat message and a document hold. Tools between people are the
/// weaker link: mail programs have cut clickable links near 2,048 characters
/// ([`SAFE_LINK_CHARS`]), and chat apps and forms cap a message's length (tens of thousands of
/// characters), so over [`LONG_LINK_CHARS`] the page says to check that the link arrived whole,
/// or to share the file. A longer schedule is shared as a file (export JSON); the refusal says so.
pub const MAX_LINK_CHARS: usize = 250_000;

/// Over this length (8,000 characters, the standard's minimum) the page advises checking that a
/// link arrived whole: chat apps, forms and documents may cut it.
pub const LONG_LINK_CHARS: usize = 8_000;

/// Links up to this length (2,000 characters) survive even the oldest limits in use: Internet
/// Explorer's 2,083 and mail clients that cut links near 2,048. Longer ones, up to
/// [`MAX_LINK_CHARS`], open in every current browser; the page may advise a short link or a
/// file when a link is to go by email.
pub const SAFE_LINK_CHARS: usize = 2_000;

/// The most a link's payload may unpack to: 8 MB of JSON. A link of [`MAX_LINK_CHARS`] holds
/// at most 187,500 compressed bytes; real schedules compress 5 to 20 times, so 8 MB leaves room
/// for any real one and refuses a bomb (DEFLATE can expand about 1,000 times) before it grows.
pub const MAX_LINK_JSON_BYTES: usize = 8_000_000;

/// The longest address a short link may name, in characters.
pub const MAX_ADDRESS_CHARS: usize = 1_000;

/// The state a link carries.
// One is made or read per link: boxing the schedule would cost every caller a `Box` for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// The whole schedule (as canonical JSON, so exact), with the scenario applied to it and the
    /// gap model, if any.
    Full {
        schedule: Schedule,
        scenario: Option<Scenario>,
        gap: Option<GapModel>,
        /// The prices the figures are shown in (real terms), if not cash.
        prices: Option<Prices>,
    },
    /// A schedule published as a file on the same site: its address (relative to the page), the
    /// SHA-256 of its bytes when the link was made ([`checksum`]), and the scenario.
    Short {
        address: String,
        checksum: String,
        scenario: Option<Scenario>,
        prices: Option<Prices>,
    },
}

impl LinkState {
    /// The prices (real terms) the link carries, of either kind.
    pub fn prices(&self) -> Option<&Prices> {
        match self {
            LinkState::Full { prices, .. } | LinkState::Short { prices, .. } => prices.as_ref(),
        }
    }

    /// The scenario the link carries, of either kind.
    pub fn scenario(&self) -> Option<&Scenario> {
        match self {
            LinkState::Full { scenario, .. } | LinkState::Short { scenario, .. } => {
                scenario.as_ref()
            }
        }
    }
}

fn problem(p: LinkProblem) -> Error {
    Error::new(ErrorKind::Link(p))
}

fn contents(contents: LinkContents) -> Error {
    problem(LinkProblem::Contents(contents))
}

/// URL-safe base64, written without padding, read with or without it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// DEFLATE level: miniz_oxide's best (10). Links are small, so the time is nothing and every
/// byte saved is a character fewer in the link. The same input always gives the same link.
const LEVEL: u8 = 10;

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum WireOut<'a> {
    Full {
        schedule: canonical::DocumentOut<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        scenario: Option<&'a Scenario>,
        #[serde(skip_serializing_if = "Option::is_none")]
        gap: Option<&'a GapModel>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prices: Option<&'a Prices>,
    },
    Short {
        address: &'a str,
        checksum: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        scenario: Option<&'a Scenario>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prices: Option<&'a Prices>,
    },
}

/// What a link's JSON is read into first; fields of the other kind are ignored.
#[derive(Deserialize)]
struct WireIn {
    kind: String,
    #[serde(default)]
    schedule: Option<serde_json::Value>,
    #[serde(default)]
    scenario: Option<Scenario>,
    #[serde(default)]
    gap: Option<GapModel>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    checksum: Option<String>,
    #[serde(default)]
    prices: Option<Prices>,
}

/// The JSON a link carries, before packing (see the module doc for its shape).
fn link_json(state: &LinkState) -> String {
    let wire = match state {
        LinkState::Full {
            schedule,
            scenario,
            gap,
            prices,
        } => WireOut::Full {
            schedule: canonical::document(schedule),
            scenario: scenario.as_ref(),
            gap: gap.as_ref(),
            prices: prices.as_ref(),
        },
        LinkState::Short {
            address,
            checksum,
            scenario,
            prices,
        } => WireOut::Short {
            address,
            checksum,
            scenario: scenario.as_ref(),
            prices: prices.as_ref(),
        },
    };
    serde_json::to_string(&wire).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// Writes the state as the text after `#` (version 1, see the module doc): `v1.` and the
/// URL-safe base64 of the zlib-compressed JSON. Deterministic: the same state gives the same
/// link. The length is not checked here; [`share_url`] checks it.
///
/// ```
/// use gapwise::engine::{decode_link, encode_link, LinkState, Scenario};
/// let state = LinkState::Short {
///     address: "published/cyps-savings-2017-21.csv".into(),
///     checksum: "0".repeat(64),
///     scenario: Some(Scenario::new("Red slips")),
///     prices: None,
/// };
/// let fragment = encode_link(&state);
/// assert!(fragment.starts_with("v1."));
/// assert_eq!(decode_link(&fragment)?, state);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn encode_link(state: &LinkState) -> String {
    let json = link_json(state);
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), LEVEL);
    format!("v{LINK_VERSION}.{}", BASE64.encode(packed))
}

/// True when a fragment (with or without its `#`) looks like a Gapwise link of any version
/// (`v` and digits and a dot), so the page can leave other fragments (`#top`) alone and give a
/// message for every fragment that was meant as a link.
pub fn is_link_fragment(fragment: &str) -> bool {
    version_and_payload(fragment.trim().trim_start_matches('#')).is_some()
}

/// Splits `v<digits>.<payload>`; `None` when the text is not of that form.
fn version_and_payload(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix('v')?;
    let dot = rest.find('.')?;
    let digits = &rest[..dot];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((digits, &rest[dot + 1..]))
}

/// Reads the text after `#` back into the state it carries, refusing anything else with a
/// message ([`ErrorKind::Link`]). The leading `#` and surrounding white space are optional.
/// The rules, in the order they are applied (module doc, "Reading a link"):
///
/// 1. longer than [`MAX_LINK_CHARS`]: refused unread ([`LinkProblem::OpenedTooLong`]);
/// 2. empty ([`LinkProblem::Empty`]); not `v<n>.` ([`LinkProblem::NotALink`]); a version other
///    than [`LINK_VERSION`] ([`LinkProblem::Version`]); not base64 ([`LinkProblem::Base64`]);
/// 3. unpacks to more than [`MAX_LINK_JSON_BYTES`] ([`LinkProblem::Unpacked`], the
///    decompressor stops there) or does not unpack ([`LinkProblem::Damaged`]);
/// 4. not UTF-8 JSON of the link's shape, or nested deeper than serde_json's limit of 128
///    ([`LinkProblem::Contents`]);
/// 5. a schedule canonical JSON import refuses, a gap model a saved state may not hold, a
///    scenario with more reserves than a schedule has years ([`LinkProblem::Contents`]); a
///    short link's address not relative ([`LinkProblem::Address`]) or its checksum not 64 hex
///    digits ([`LinkProblem::Checksum`]).
///
/// Never panics, whatever the text.
pub fn decode_link(fragment: &str) -> Result<LinkState, Error> {
    let text = fragment.trim();
    let text = text.strip_prefix('#').unwrap_or(text);
    if text.len() > MAX_LINK_CHARS {
        return Err(problem(LinkProblem::OpenedTooLong {
            chars: text.chars().count(),
            limit: MAX_LINK_CHARS,
        }));
    }
    if text.is_empty() {
        return Err(problem(LinkProblem::Empty));
    }
    let Some((digits, payload)) = version_and_payload(text) else {
        return Err(problem(LinkProblem::NotALink));
    };
    let version: u64 = digits.parse().unwrap_or(u64::MAX);
    if version != u64::from(LINK_VERSION) {
        return Err(problem(LinkProblem::Version { found: version }));
    }
    if payload.is_empty() {
        return Err(problem(LinkProblem::Empty));
    }
    let packed = BASE64.decode(payload).map_err(|e| {
        use base64::DecodeError::*;
        let position = match e {
            InvalidByte(at, _) | InvalidLastSymbol(at, _) => Some(at + 1),
            InvalidLength(_) | InvalidPadding => None,
        };
        problem(LinkProblem::Base64 { position })
    })?;
    let json =
        miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(&packed, MAX_LINK_JSON_BYTES)
            .map_err(|e| match e.status {
                TINFLStatus::HasMoreOutput => problem(LinkProblem::Unpacked {
                    limit: MAX_LINK_JSON_BYTES,
                }),
                _ => problem(LinkProblem::Damaged),
            })?;
    let json = String::from_utf8(json).map_err(|_| contents(LinkContents::NotText))?;
    read_json(&json)
}

fn read_json(json: &str) -> Result<LinkState, Error> {
    if !json.trim_start().starts_with('{') {
        return Err(contents(LinkContents::NotObject));
    }
    let wire: WireIn = serde_json::from_str(json).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => contents(LinkContents::Shape(JsonAt::of(&e))),
        _ => contents(LinkContents::Unreadable(JsonAt::of(&e))),
    })?;
    if let Some(scenario) = &wire.scenario {
        check_scenario(scenario)?;
    }
    if wire.prices.as_ref().is_some_and(|p| !p.is_sound()) {
        return Err(contents(LinkContents::Prices));
    }
    match wire.kind.as_str() {
        "full" => {
            let Some(schedule) = wire.schedule else {
                return Err(contents(LinkContents::NoSchedule));
            };
            let schedule =
                canonical::from_json(&schedule.to_string()).map_err(|e| match e.kind() {
                    ErrorKind::Json(p) => contents(LinkContents::Schedule(p.clone())),
                    _ => e,
                })?;
            if let Some(gap) = &wire.gap {
                persist::validate_gap(gap).map_err(|p| contents(LinkContents::Gap(p)))?;
            }
            Ok(LinkState::Full {
                schedule,
                scenario: wire.scenario,
                gap: wire.gap,
                prices: wire.prices,
            })
        }
        "short" => {
            let (Some(address), Some(checksum)) = (wire.address, wire.checksum) else {
                return Err(contents(LinkContents::NoAddress));
            };
            check_address(&address)?;
            if !is_checksum(&checksum) {
                return Err(problem(LinkProblem::Checksum));
            }
            Ok(LinkState::Short {
                address,
                checksum,
                scenario: wire.scenario,
                prices: wire.prices,
            })
        }
        other => Err(contents(LinkContents::Kind { kind: cut(other) })),
    }
}

/// A scenario read from a link gives at most one planned use of reserves per year a schedule
/// can have ([`MAX_YEARS`]), each at most 10^18 as a cell may hold, reserve drawdowns
/// [`ReserveDraws::validate`](super::ReserveDraws::validate) accepts, and delivery risk settings
/// [`RiskSettings::validate`](super::RiskSettings::validate) accepts (a run count within bounds,
/// distributions within 0–100 %); its other sizes are
/// bounded by the link's size.
fn check_scenario(scenario: &Scenario) -> Result<(), Error> {
    if let Some(r) = &scenario.reserves {
        if r.len() > MAX_YEARS {
            return Err(contents(LinkContents::ReserveYears {
                years: r.len(),
                limit: MAX_YEARS,
            }));
        }
        if let Some(y) = r
            .iter()
            .position(|v| v.is_some_and(|v| !within_cell_limit(v)))
        {
            return Err(contents(LinkContents::ReserveOver { year: y + 1 }));
        }
    }
    scenario
        .reserve_draws
        .validate()
        .map_err(|p| contents(LinkContents::Draws(p)))?;
    if let Some(risk) = &scenario.risk {
        risk.validate()
            .map_err(|p| contents(LinkContents::Risk(p)))?;
    }
    Ok(())
}

fn is_checksum(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks that a short link's address is a relative address on the page's own site, so a link
/// can never make the page fetch from another site or run a script. Refused: an empty address
/// or one over [`MAX_ADDRESS_CHARS`]; one with a scheme (`https:`, `javascript:`, `data:`: a
/// `:` before the first `/`, `?` or `#`); one starting `//` (another host); any white space,
/// control character or `\` (browsers read `\` as `/` and drop tabs and newlines, which would
/// turn `/\host` or `java\tscript:` into the forms above); and a `#`.
///
/// ```
/// use gapwise::engine::check_address;
/// assert!(check_address("published/cyps.csv").is_ok());
/// assert!(check_address("/data/2017/cyps.csv?v=2").is_ok());
/// assert!(check_address("https://elsewhere.example/x.csv").is_err());
/// assert!(check_address("//elsewhere.example/x.csv").is_err());
/// ```
pub fn check_address(address: &str) -> Result<(), Error> {
    let refuse = || {
        problem(LinkProblem::Address {
            address: address.to_string(),
        })
    };
    let n = address.chars().count();
    if n == 0 || n > MAX_ADDRESS_CHARS {
        return Err(refuse());
    }
    if address
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\' || c == '#')
    {
        return Err(refuse());
    }
    if address.starts_with("//") {
        return Err(refuse());
    }
    let head_end = address.find(['/', '?']).unwrap_or(address.len());
    if address[..head_end].contains(':') {
        return Err(refuse());
    }
    Ok(())
}

/// The checksum of a published file: the SHA-256 of its bytes, as 64 lowercase hex digits.
///
/// ```
/// use gapwise::engine::checksum;
/// assert_eq!(
///     checksum(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn checksum(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
        out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
    }
    out
}

/// Checks a short link's file as fetched against the checksum the link carries: the same
/// bytes, or [`LinkProblem::FileChanged`], whose message tells the reader that the figures are
/// the file's today, not the ones shared. The page still shows the file; the check only says
/// whether it is the one the link was made from.
pub fn verify_file(address: &str, expected: &str, bytes: &[u8]) -> Result<(), Error> {
    if checksum(bytes).eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(problem(LinkProblem::FileChanged {
            address: address.to_string(),
        }))
    }
}

/// Counts a whole link's characters and refuses one over [`MAX_LINK_CHARS`]
/// ([`LinkProblem::TooLong`], whose message advises exporting a file instead). Returns the
/// length, for the page to show.
pub fn check_link_length(url: &str) -> Result<usize, Error> {
    let chars = url.chars().count();
    if chars > MAX_LINK_CHARS {
        return Err(problem(LinkProblem::TooLong {
            chars,
            limit: MAX_LINK_CHARS,
        }));
    }
    Ok(chars)
}

/// The link to share: the page's address (any fragment it has dropped), `#`, and
/// [`encode_link`]'s text; refused when the whole is over [`MAX_LINK_CHARS`]
/// ([`check_link_length`]).
///
/// ```
/// use gapwise::engine::{share_url, LinkState};
/// let state = LinkState::Short {
///     address: "cyps.csv".into(), checksum: "a".repeat(64), scenario: None, prices: None,
/// };
/// let url = share_url("https://example.org/gapwise/#old", &state)?;
/// assert!(url.starts_with("https://example.org/gapwise/#v1."));
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn share_url(page_url: &str, state: &LinkState) -> Result<String, Error> {
    let base = page_url.split('#').next().unwrap_or("");
    let url = format!("{base}#{}", encode_link(state));
    check_link_length(&url)?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::model::scenario::LineAssumption;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    const DEMO: &[u8] = include_bytes!("../../../tests/fixtures/cyps-savings-2017-21.csv");

    fn demo() -> Schedule {
        import(DEMO, "cyps-savings-2017-21.csv", &ImportOptions::default())
            .unwrap()
            .schedule
    }

    fn pack(json: &[u8]) -> String {
        format!(
            "v1.{}",
            BASE64.encode(miniz_oxide::deflate::compress_to_vec_zlib(json, 10))
        )
    }

    fn kind(fragment: &str) -> LinkProblem {
        match decode_link(fragment).unwrap_err().kind() {
            ErrorKind::Link(p) => p.clone(),
            other => panic!("not a link problem: {other:?}"),
        }
    }

    fn message(fragment: &str) -> String {
        decode_link(fragment).unwrap_err().to_string()
    }

    fn scenario() -> Scenario {
        let mut s = Scenario::new("Red slips a year");
        s.rates.amber = Decimal::from_str("0.50").unwrap();
        s.lines.insert(
            7,
            LineAssumption {
                rate: Some(Decimal::from_str("0.25").unwrap()),
                slip: 1,
                scale: None,
                exclude: false,
            },
        );
        s.pressure_growth = Some(Decimal::from_str("0.020").unwrap());
        s.reserves = Some(vec![None, Some(Decimal::from_str("1.500").unwrap())]);
        s
    }

    #[test]
    fn the_demo_round_trips_exactly() {
        let state = LinkState::Full {
            schedule: demo(),
            scenario: Some(scenario()),
            gap: None,
            prices: None,
        };
        let fragment = encode_link(&state);
        assert!(fragment.starts_with("v1."));
        assert!(fragment[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        let back = decode_link(&format!("#{fragment}")).unwrap();
        assert_eq!(back, state);
        // Exact to the decimal place: `0.50` stays `0.50`, not `0.5`.
        assert_eq!(link_json(&back), link_json(&state));
        assert!(link_json(&state).contains("\"amber\":\"0.50\""));
        // The same state gives the same link.
        assert_eq!(encode_link(&back), fragment);
        assert!(fragment.len() < MAX_LINK_CHARS, "{}", fragment.len());
    }

    #[test]
    fn empty_and_foreign_fragments() {
        assert_eq!(kind(""), LinkProblem::Empty);
        assert_eq!(kind("#"), LinkProblem::Empty);
        assert_eq!(kind("  # "), LinkProblem::Empty);
        assert_eq!(kind("v1."), LinkProblem::Empty);
        assert_eq!(kind("#top"), LinkProblem::NotALink);
        assert_eq!(kind("v.abc"), LinkProblem::NotALink);
        assert_eq!(kind("vx.abc"), LinkProblem::NotALink);
        assert_eq!(kind("v1abc"), LinkProblem::NotALink);
        assert!(!is_link_fragment("#top"));
        assert!(is_link_fragment("#v2.abc"));
        assert_eq!(
            message("#top"),
            "the text after # is not a Gapwise link (a link starts #v1.)"
        );
    }

    #[test]
    fn wrong_versions() {
        assert_eq!(kind("v2.eJw"), LinkProblem::Version { found: 2 });
        assert_eq!(
            message("v2.eJw"),
            "the link was made by a newer Gapwise (link version 2); this page opens version 1 \
             links"
        );
        assert_eq!(kind("v0.eJw"), LinkProblem::Version { found: 0 });
        assert!(message("v0.eJw").contains("not one Gapwise makes"));
        assert_eq!(
            kind("v99999999999999999999999.x"),
            LinkProblem::Version { found: u64::MAX }
        );
    }

    #[test]
    fn bad_base64() {
        assert_eq!(
            kind("v1.eJw*abc"),
            LinkProblem::Base64 { position: Some(4) }
        );
        assert_eq!(
            message("v1.eJw*abc"),
            "the link is damaged: character 4 of its saved view is not one a link holds; copy \
             the whole link again"
        );
        // Standard base64's `+` and `/` are not in a link's alphabet.
        assert!(matches!(kind("v1.ab+/"), LinkProblem::Base64 { .. }));
        // A length no base64 text has.
        assert!(matches!(kind("v1.a"), LinkProblem::Base64 { .. }));
        // Padding is tolerated.
        let state = LinkState::Short {
            address: "a.csv".into(),
            checksum: checksum(b"x"),
            scenario: None,
            prices: None,
        };
        let mut padded = encode_link(&state);
        while (padded.len() - 3) % 4 != 0 {
            padded.push('=');
        }
        assert_eq!(decode_link(&padded).unwrap(), state);
    }

    #[test]
    fn truncated_or_altered_links_are_damaged() {
        let full = encode_link(&LinkState::Full {
            schedule: demo(),
            scenario: None,
            gap: None,
            prices: None,
        });
        for cut_at in [full.len() - 1, full.len() - 7, full.len() / 2, 8, 4] {
            let p = kind(&full[..cut_at]);
            assert!(
                matches!(
                    p,
                    LinkProblem::Damaged | LinkProblem::Base64 { .. } | LinkProblem::Empty
                ),
                "{cut_at}: {p:?}"
            );
        }
        let half = 3 + (full.len() - 3) / 8 * 4;
        assert_eq!(
            message(&full[..half]),
            "the link is damaged or cut short (its saved view does not unpack); copy the \
             whole link again"
        );
        // One character changed in the middle: the Adler-32 check (or DEFLATE itself) fails.
        let mut bytes = full.clone().into_bytes();
        let i = bytes.len() / 2;
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        let altered = String::from_utf8(bytes).unwrap();
        assert_eq!(kind(&altered), LinkProblem::Damaged);
        // Not zlib at all.
        assert_eq!(
            kind(&format!("v1.{}", BASE64.encode(b"hello world"))),
            LinkProblem::Damaged
        );
    }

    #[test]
    fn a_decompression_bomb_is_stopped_at_the_cap() {
        // 40 MB of spaces packs into a link of well under the limit.
        let bomb = vec![b' '; 40_000_000];
        let fragment = pack(&bomb);
        assert!(fragment.len() < MAX_LINK_CHARS, "{}", fragment.len());
        assert_eq!(
            kind(&fragment),
            LinkProblem::Unpacked {
                limit: MAX_LINK_JSON_BYTES
            }
        );
        assert_eq!(
            message(&fragment),
            "the link unpacks to more than 8 MB, over the limit; nothing was read"
        );
        // Just over the cap is refused, just under is read (and then refused as not JSON).
        assert!(matches!(
            kind(&pack(&vec![b' '; MAX_LINK_JSON_BYTES + 1])),
            LinkProblem::Unpacked { .. }
        ));
        assert!(matches!(
            kind(&pack(&vec![b' '; MAX_LINK_JSON_BYTES])),
            LinkProblem::Contents { .. }
        ));
    }

    #[test]
    fn over_long_links_are_refused_unread() {
        let long = format!("v1.{}", "A".repeat(MAX_LINK_CHARS));
        assert_eq!(
            kind(&long),
            LinkProblem::OpenedTooLong {
                chars: MAX_LINK_CHARS + 3,
                limit: MAX_LINK_CHARS
            }
        );
        let e = check_link_length(&format!("https://x.org/#{long}")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the link would be 250018 characters long, over the 250000 Gapwise makes (a link \
             people can paste and send whole); export the schedule as a file (JSON) and share \
             the file instead"
        );
        assert_eq!(check_link_length("https://x.org/#v1.abc"), Ok(21));
    }

    #[test]
    fn deep_json_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            kind(&pack(deep.as_bytes())),
            LinkProblem::Contents { .. }
        ));
        let deep = format!(
            "{{\"kind\": \"full\", \"schedule\": {}1{}}}",
            "{\"a\":".repeat(100_000),
            "}".repeat(100_000)
        );
        let fragment = pack(deep.as_bytes());
        assert!(fragment.len() < MAX_LINK_CHARS);
        let m = message(&fragment);
        assert!(m.contains("recursion limit exceeded"), "{m}");
        // 127 levels are fine for serde_json, and then refused as not a schedule.
        let ok_depth = format!(
            "{{\"kind\": \"full\", \"schedule\": {}1{}}}",
            "[".repeat(120),
            "]".repeat(120)
        );
        assert!(matches!(
            kind(&pack(ok_depth.as_bytes())),
            LinkProblem::Contents { .. }
        ));
    }

    #[test]
    fn absurd_sizes_in_valid_json_are_refused() {
        let good: serde_json::Value = serde_json::from_str(&link_json(&LinkState::Full {
            schedule: demo(),
            scenario: Some(scenario()),
            gap: None,
            prices: None,
        }))
        .unwrap();
        let with = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            edit(&mut v);
            message(&pack(v.to_string().as_bytes()))
        };
        let m = with(&|v| v["schedule"]["decimals"] = 4_000_000_000u64.into());
        assert!(m.contains("decimals is 4000000000; at most 10"), "{m}");
        let m = with(&|v| v["schedule"]["decimals"] = serde_json::json!(1e300));
        assert!(m.contains("its schedule"), "{m}");
        let m = with(&|v| {
            let years: Vec<serde_json::Value> = (0..1000)
                .map(|i| serde_json::json!({"year": format!("{}/{:02}", 1900 + i % 300, (1901 + i % 300) % 100), "header": "x"}))
                .collect();
            v["schedule"]["years"] = years.into();
        });
        assert!(m.contains("1000 years; at most 100"), "{m}");
        let m = with(&|v| v["schedule"]["lines"][0]["section"] = 1_000_000_000u64.into());
        assert!(m.contains("names a section that does not exist"), "{m}");
        let m = with(&|v| v["schedule"]["lines"][0]["amounts"][0] = "1e999999999".into());
        assert!(m.contains("is not an amount"), "{m}");
        let m = with(&|v| {
            v["scenario"]["reserves"] = serde_json::Value::Array(vec!["1".into(); 1_000]);
        });
        assert!(
            m.contains("plans reserves for 1000 years; at most 100"),
            "{m}"
        );
        let kind_with = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            edit(&mut v);
            kind(&pack(v.to_string().as_bytes()))
        };
        assert_eq!(
            kind_with(&|v| {
                v["scenario"]["reserves"] = serde_json::Value::Array(vec!["1".into(); 1_000]);
            }),
            LinkProblem::Contents(LinkContents::ReserveYears {
                years: 1_000,
                limit: MAX_YEARS
            })
        );
        {
            use crate::engine::model::document::{JsonProblem, RowProblem, ScheduleProblem};
            assert!(matches!(
                kind_with(&|v| v["schedule"]["lines"][0]["section"] = 1_000_000_000u64.into()),
                LinkProblem::Contents(LinkContents::Schedule(JsonProblem::Schedule(
                    ScheduleProblem::Line {
                        index: 0,
                        problem: RowProblem::Section,
                        ..
                    }
                )))
            ));
            assert_eq!(
                kind_with(&|v| v["schedule"]["decimals"] = 4_000_000_000u64.into()),
                LinkProblem::Contents(LinkContents::Schedule(JsonProblem::Schedule(
                    ScheduleProblem::Decimals {
                        decimals: 4_000_000_000,
                        limit: 10
                    }
                )))
            );
        }
        let m = with(&|v| v["scenario"]["lines"]["7"]["slip"] = serde_json::json!(-1));
        assert!(m.contains("cannot be read"), "{m}");
        // 10^9 lines cannot be sent: a few thousand already unpack past the cap.
        let line = good["schedule"]["lines"][0].to_string();
        let count = MAX_LINK_JSON_BYTES / line.len() + 1;
        let many = format!(
            "{{\"kind\":\"full\",\"schedule\":{{\"lines\":[{}]}}}}",
            vec![line.as_str(); count].join(",")
        );
        let fragment = pack(many.as_bytes());
        assert!(fragment.len() < MAX_LINK_CHARS, "{}", fragment.len());
        assert!(matches!(kind(&fragment), LinkProblem::Unpacked { .. }));
    }

    #[test]
    fn json_of_the_wrong_shape() {
        assert!(message(&pack(b"not json")).contains("not a Gapwise link's JSON object"));
        assert!(message(&pack(b"[1, 2]")).contains("not a Gapwise link's JSON object"));
        assert!(message(&pack(b"{\"kind\": \"full\"")).contains("not readable JSON"));
        assert!(message(&pack(b"{\"kind\": \"other\"}")).contains("`other`, not `full`"));
        assert!(message(&pack(b"{\"kind\": \"full\"}")).contains("no schedule"));
        assert!(message(&pack(b"{\"kind\": \"short\"}")).contains("no file address"));
        assert!(message(&pack(b"{}")).contains("missing field `kind`"));
        let m = message(&pack(
            b"{\"kind\": \"full\", \"schedule\": {\"format\": \"x/9\"}}",
        ));
        assert!(
            m.contains("`x/9`, not a gapwise-schedule/1 document"),
            "{m}"
        );
        assert_eq!(
            kind(&pack(&[0xff, 0xfe, b'{'])),
            LinkProblem::Contents(LinkContents::NotText)
        );
    }

    #[test]
    fn contents_problems_carry_their_kinds_and_fields() {
        use crate::engine::model::document::JsonProblem;
        assert_eq!(
            kind(&pack(b"{\"kind\": \"other\"}")),
            LinkProblem::Contents(LinkContents::Kind {
                kind: "other".into()
            })
        );
        assert_eq!(
            kind(&pack(
                b"{\"kind\": \"full\", \"schedule\": {\"format\": \"x/9\"}}"
            )),
            LinkProblem::Contents(LinkContents::Schedule(JsonProblem::OtherFormat {
                format: "x/9".into()
            }))
        );
        match kind(&pack(b"{\"kind\": \"full\"")) {
            LinkProblem::Contents(LinkContents::Unreadable(at)) => {
                assert_eq!(at.line, 1);
                assert!(!at.message.contains(" at line "), "{}", at.message);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn short_links_name_files_on_this_site_only() {
        let short = |address: &str, checksum: &str| {
            let json =
                serde_json::json!({"kind": "short", "address": address, "checksum": checksum});
            decode_link(&pack(json.to_string().as_bytes()))
        };
        let sum = checksum(DEMO);
        let ok = short("published/cyps.csv", &sum).unwrap();
        assert_eq!(
            ok,
            LinkState::Short {
                address: "published/cyps.csv".into(),
                checksum: sum.clone(),
                scenario: None,
                prices: None,
            }
        );
        for bad in [
            "",
            "https://evil.example/x.csv",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/csv,a",
            "//evil.example/x.csv",
            "/\\evil.example/x.csv",
            "java\tscript:alert(1)",
            "a b.csv",
            "x.csv#v1.abc",
            "x\u{0}.csv",
        ] {
            let e = short(bad, &sum).unwrap_err();
            assert!(
                matches!(e.kind(), ErrorKind::Link(LinkProblem::Address { .. })),
                "{bad:?}: {e}"
            );
        }
        assert!(short(&"a".repeat(MAX_ADDRESS_CHARS + 1), &sum).is_err());
        assert!(short("./a:b.csv", &sum).is_ok());
        assert!(short("../data/x.csv?v=2", &sum).is_ok());
        assert_eq!(
            short("x.csv", "abc").unwrap_err().kind(),
            &ErrorKind::Link(LinkProblem::Checksum)
        );
        assert_eq!(
            short("x.csv", &sum.to_uppercase()).unwrap_err().kind(),
            &ErrorKind::Link(LinkProblem::Checksum)
        );
    }

    #[test]
    fn a_changed_file_is_reported() {
        let sum = checksum(DEMO);
        assert_eq!(sum.len(), 64);
        assert_eq!(verify_file("cyps.csv", &sum, DEMO), Ok(()));
        let mut changed = DEMO.to_vec();
        changed.push(b'\n');
        let e = verify_file("published/cyps.csv", &sum, &changed).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::Link(LinkProblem::FileChanged {
                address: "published/cyps.csv".into()
            })
        );
        assert_eq!(
            e.to_string(),
            "the file `published/cyps.csv` has changed since the link was made (its checksum \
             differs): the figures shown are the file's today, not the ones shared"
        );
    }

    #[test]
    fn share_url_drops_the_old_fragment_and_checks_the_length() {
        let state = LinkState::Full {
            schedule: demo(),
            scenario: None,
            gap: None,
            prices: None,
        };
        let url = share_url("https://example.org/gapwise/index.html#v1.old", &state).unwrap();
        let (base, fragment) = url.split_once('#').unwrap();
        assert_eq!(base, "https://example.org/gapwise/index.html");
        assert_eq!(decode_link(fragment).unwrap(), state);
        let long = format!("https://example.org/{}", "x".repeat(MAX_LINK_CHARS));
        assert!(matches!(
            share_url(&long, &state).unwrap_err().kind(),
            ErrorKind::Link(LinkProblem::TooLong { .. })
        ));
    }
}
