//! Numbers as published, in and out.
//!
//! This module owns the reading of one amount cell (docs/domain.md, "Numbers as published") and the
//! writing of an amount for people (parentheses negatives, thousands separators, the file's own
//! decimals) and for machines (plain decimals). It does not know about rows, columns or files:
//! callers attach the position to the [`NumberError`] it returns.
//!
//! Every amount is a [`rust_decimal::Decimal`]; no binary floating point is used anywhere.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest magnitude an amount cell may have: 10^18 in the file's unit. Bounding cells keeps
/// every sum of up to a billion cells far inside `Decimal`'s 28 digits, so totals cannot overflow.
pub(crate) const MAX_MAGNITUDE: i64 = 1_000_000_000_000_000_000;
/// The most decimal places an amount cell may have.
pub const MAX_DECIMALS: u32 = 10;

/// One cell of a schedule's year or total columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Amount {
    /// A published figure, with the decimals it was written with (`1,435.0` keeps one place).
    Figure(Decimal),
    /// An empty cell. It counts as zero in a line, but in a total row it is no claim at all.
    Blank,
    /// `N/A`, `TBC` and the like: "no figure". Never silently zero in a check.
    NoFigure(NoFigure),
}

/// Why a cell has no figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NoFigure {
    /// `N/A`, `n/a`, `NA`.
    NotApplicable,
    /// `TBC`, `TBA`, `TBD`.
    ToBeConfirmed,
    /// A cell that could not be read: a spreadsheet error value (`#REF!`, `#VALUE!`) or a cell
    /// that is not an amount (`aa`), which import reports with its position.
    Unreadable,
}

impl NoFigure {
    /// The text the cell is shown and exported as.
    pub fn as_str(self) -> &'static str {
        match self {
            NoFigure::NotApplicable => "N/A",
            NoFigure::ToBeConfirmed => "TBC",
            NoFigure::Unreadable => "#VALUE!",
        }
    }
}

impl Amount {
    /// The amount as it counts in a sum: blank is zero, "no figure" is `None`.
    pub fn value(&self) -> Option<Decimal> {
        match self {
            Amount::Figure(d) => Some(*d),
            Amount::Blank => Some(Decimal::ZERO),
            Amount::NoFigure(_) => None,
        }
    }

    /// True for a cell that holds a written figure (`0.0` and `-` included, blank excluded).
    pub fn is_figure(&self) -> bool {
        matches!(self, Amount::Figure(_))
    }

    /// The canonical text of the cell: a plain decimal (`-200.0`), empty, `N/A` or `TBC`.
    /// [`parse_amount`] reads it back to the same `Amount`, scale included.
    pub fn canonical(&self) -> String {
        match self {
            Amount::Figure(d) => d.to_string(),
            Amount::Blank => String::new(),
            Amount::NoFigure(n) => n.as_str().to_string(),
        }
    }
}

/// In text formats (the saved JSON, share links) an amount is its canonical text. In binary
/// formats (the worker's messages, `job`) it is a few bytes ([`write_amount`]), so a big
/// schedule crosses between threads without formatting and parsing every figure.
impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return s.serialize_str(&self.canonical());
        }
        let mut bytes = Vec::with_capacity(16);
        write_amount(self, &mut bytes);
        s.serialize_bytes(&bytes)
    }
}

/// Writes an amount as bytes: a tag (0 figure, 1 blank, 2 N/A, 3 TBC, 4 unreadable); for a
/// figure then its scale (bit 7: negative), the length of its mantissa and the mantissa's
/// magnitude, little-endian without its high zero bytes (`-123.4`: `[0, 0x81, 2, 0xD2, 0x04]`).
pub(crate) fn write_amount(amount: &Amount, out: &mut Vec<u8>) {
    match amount {
        Amount::Figure(d) => {
            let m = d.mantissa().unsigned_abs().to_le_bytes();
            let used = 12 - m[..12].iter().rev().take_while(|b| **b == 0).count();
            out.push(0);
            out.push(d.scale() as u8 | if d.is_sign_negative() { 0x80 } else { 0 });
            out.push(used as u8);
            out.extend_from_slice(&m[..used]);
        }
        Amount::Blank => out.push(1),
        Amount::NoFigure(NoFigure::NotApplicable) => out.push(2),
        Amount::NoFigure(NoFigure::ToBeConfirmed) => out.push(3),
        Amount::NoFigure(NoFigure::Unreadable) => out.push(4),
    }
}

/// Reads an amount [`write_amount`] wrote at the start of `bytes`, and how many bytes it took;
/// `None` when they are not one: a figure's scale must be one `Decimal` allows (at most 28
/// places) and its magnitude within the cell limit, as for a figure read from a file.
pub(crate) fn read_amount(bytes: &[u8]) -> Option<(Amount, usize)> {
    match bytes {
        [0, flags, len, rest @ ..] if *len <= 12 && rest.len() >= usize::from(*len) => {
            let len = usize::from(*len);
            let scale = u32::from(flags & 0x7F);
            if scale > 28 {
                return None;
            }
            // The mantissa's twelve bytes at most, as `Decimal`'s three 32-bit words: no
            // 128-bit arithmetic (slow in WebAssembly) for the figures of a big schedule.
            let mut m = [0u8; 12];
            m[..len].copy_from_slice(&rest[..len]);
            let word = |i: usize| u32::from_le_bytes([m[i], m[i + 1], m[i + 2], m[i + 3]]);
            let (lo, mid, hi) = (word(0), word(4), word(8));
            let within = if hi == 0 && scale <= 10 {
                (u64::from(mid) << 32 | u64::from(lo)) <= LIMIT_AT_SCALE[scale as usize]
            } else {
                within_limit(
                    u128::from(hi) << 64 | u128::from(mid) << 32 | u128::from(lo),
                    scale,
                )
            };
            let negative = flags & 0x80 != 0 && (lo | mid | hi) != 0;
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            within.then_some((Amount::Figure(d), 3 + len))
        }
        [1, ..] => Some((Amount::Blank, 1)),
        [2, ..] => Some((Amount::NoFigure(NoFigure::NotApplicable), 1)),
        [3, ..] => Some((Amount::NoFigure(NoFigure::ToBeConfirmed), 1)),
        [4, ..] => Some((Amount::NoFigure(NoFigure::Unreadable), 1)),
        _ => None,
    }
}

/// `MAX_MAGNITUDE · 10^scale` where it fits in a `u64` (scales 0 and 1; beyond, any mantissa
/// of 64 bits is within the limit).
const LIMIT_AT_SCALE: [u64; 11] = {
    let mut t = [u64::MAX; 11];
    t[0] = MAX_MAGNITUDE as u64;
    t[1] = MAX_MAGNITUDE as u64 * 10;
    t
};

/// `|mantissa| / 10^scale <= MAX_MAGNITUDE`, in integers: `|mantissa| <= MAX_MAGNITUDE ·
/// 10^scale`, exactly what comparing the `Decimal` with the limit says, without building and
/// rescaling two `Decimal`s for every figure a big schedule brings across from the worker.
/// When `MAX_MAGNITUDE · 10^scale` is beyond `u128` no 96-bit mantissa reaches it.
pub(crate) fn within_limit(magnitude: u128, scale: u32) -> bool {
    10u128
        .checked_pow(scale)
        .and_then(|p| p.checked_mul(MAX_MAGNITUDE as u128))
        .is_none_or(|limit| magnitude <= limit)
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if !d.is_human_readable() {
            struct Bytes;
            impl<'de> serde::de::Visitor<'de> for Bytes {
                type Value = Amount;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an amount of 17 bytes")
                }
                fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Amount, E> {
                    match read_amount(v) {
                        Some((amount, used)) if used == v.len() => Ok(amount),
                        _ => Err(E::custom(
                            "an amount as a tag, a scale and a mantissa (engine::number)",
                        )),
                    }
                }
            }
            return d.deserialize_bytes(Bytes);
        }
        let text = String::deserialize(d)?;
        match parse_amount(&text) {
            Ok(ParsedAmount {
                amount,
                magnitude: None,
            }) => Ok(amount),
            Ok(_) => Err(serde::de::Error::custom(format!(
                "`{text}`: amounts are plain decimals in the schedule's unit, without k or m"
            ))),
            Err(e) => Err(serde::de::Error::custom(format!("`{text}` {e}"))),
        }
    }
}

/// A scale written on the figure itself (`£1.374m`, `£75k`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Magnitude {
    /// `k`: thousands of pounds.
    Thousands,
    /// `m`: millions of pounds.
    Millions,
}

/// A parsed cell: the amount and, if the figure carried one, its own magnitude suffix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedAmount {
    pub amount: Amount,
    pub magnitude: Option<Magnitude>,
}

/// Why a cell is not an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not a number in any published format (`aa`, `12..5`, `1,43`).
    NotANumber,
    /// Larger than 10^18 in the file's unit.
    TooLarge,
    /// More than [`MAX_DECIMALS`] decimal places.
    TooManyDecimals,
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::NotANumber => write!(f, "is not an amount"),
            NumberError::TooLarge => write!(f, "is too large to be an amount (over 10^18)"),
            NumberError::TooManyDecimals => {
                write!(f, "has more than {MAX_DECIMALS} decimal places")
            }
        }
    }
}

/// Reads one published amount cell.
///
/// Accepted, from docs/domain.md "Numbers as published": `1,435.0`; `(200.0)` is −200; `-£92,753`;
/// `£-92,753`; `+2.056`; `£1.374m` and `£75k` (magnitude returned separately so the caller can
/// convert to the schedule's unit); `-`, `–` or `—` alone is zero; an empty cell is
/// [`Amount::Blank`]; `N/A` and `TBC` (any case, also `NA`, `TBA`, `TBD`) are "no figure".
/// A Unicode minus sign `−` counts as `-`. Thousands separators must be in groups of three, so
/// `1,43` (a European decimal comma, or a typing slip) is refused rather than guessed.
/// A leading `'` (a spreadsheet's text marker, and what our exports add against formula injection)
/// is ignored.
///
/// ```
/// use gapwise::engine::{parse_amount, Amount};
/// use rust_decimal::Decimal;
/// let p = parse_amount("(1,435.0)").unwrap();
/// assert_eq!(p.amount, Amount::Figure(Decimal::new(-14350, 1)));
/// assert!(parse_amount("aa").is_err());
/// ```
pub fn parse_amount(cell: &str) -> Result<ParsedAmount, NumberError> {
    let s = trim(cell);
    match parse_plain(s) {
        Some(value) => Ok(ParsedAmount {
            amount: Amount::Figure(value),
            magnitude: None,
        }),
        None => parse_general(s),
    }
}

/// `text.trim()`, without looking at the characters when the first and the last are visible ASCII
/// (as in nearly every cell of a file), which no whitespace is: `str::trim` is the import's most
/// called function.
pub(crate) fn trim(text: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|b| (0x21..0x7f).contains(b));
    let b = text.as_bytes();
    if visible(b.first()) && visible(b.last()) {
        text
    } else {
        text.trim()
    }
}

/// [`parse_amount`] of a trimmed cell, every published format.
fn parse_general(mut s: &str) -> Result<ParsedAmount, NumberError> {
    let plain = |amount| {
        Ok(ParsedAmount {
            amount,
            magnitude: None,
        })
    };
    if let Some(rest) = s.strip_prefix('\'') {
        s = rest.trim();
    }
    if s.is_empty() {
        return plain(Amount::Blank);
    }
    if matches!(s, "-" | "–" | "—" | "--") {
        return plain(Amount::Figure(Decimal::ZERO));
    }
    let upper = s.to_ascii_uppercase();
    match upper.as_str() {
        "N/A" | "NA" | "N.A." | "N/K" => return plain(Amount::NoFigure(NoFigure::NotApplicable)),
        "TBC" | "TBA" | "TBD" | "TBC." => return plain(Amount::NoFigure(NoFigure::ToBeConfirmed)),
        _ => {}
    }
    if is_spreadsheet_error(&upper) {
        return plain(Amount::NoFigure(NoFigure::Unreadable));
    }

    let mut negative = false;
    let mut in_parentheses = false;
    let mut body: &str = s;
    // Parentheses negative, possibly around a pound sign: (200.0), (£200), £(200).
    body = body.strip_prefix('£').map(str::trim_start).unwrap_or(body);
    if let Some(inner) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
        negative = true;
        in_parentheses = true;
        body = inner.trim();
    }
    // Sign, before or after the pound sign: -£92,753, £-92,753, +2.056, −5.
    let mut signed = false;
    for _ in 0..2 {
        if let Some(rest) = body.strip_prefix('£') {
            body = rest.trim_start();
            continue;
        }
        if signed {
            break;
        }
        if in_parentheses && body.starts_with(['-', '−', '+']) {
            return Err(NumberError::NotANumber);
        }
        if let Some(rest) = body.strip_prefix('-').or_else(|| body.strip_prefix('−')) {
            negative = !negative;
            signed = true;
            body = rest.trim_start();
        } else if let Some(rest) = body.strip_prefix('+') {
            signed = true;
            body = rest.trim_start();
        }
    }
    let mut magnitude = None;
    if let Some(rest) = body.strip_suffix(['m', 'M']) {
        magnitude = Some(Magnitude::Millions);
        body = rest.trim_end();
    } else if let Some(rest) = body.strip_suffix(['k', 'K']) {
        magnitude = Some(Magnitude::Thousands);
        body = rest.trim_end();
    }
    let digits = strip_thousands(body).ok_or(NumberError::NotANumber)?;
    let value = decimal_from_digits(&digits)?;
    let value = if negative { -value } else { value };
    Ok(ParsedAmount {
        amount: Amount::Figure(value),
        magnitude,
    })
}

/// The shapes nearly every cell of a published schedule has, read without allocating:
/// `1435.0`, `1,435.0`, `(200.0)`, `-92,753`: an optional `-` or enclosing parentheses, digits
/// with thousands separators in groups of three, optional decimals (at most [`MAX_DECIMALS`]),
/// at most 18 digits in all (so under 10^18: never too large). `None` for anything else, which
/// [`parse_amount`] reads the general way; for these shapes the general way gives the same
/// `Decimal`, digits and scale alike (checked by `plain_shapes_read_as_the_general_way`).
fn parse_plain(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    let (negative, body) = match b {
        [b'(', inner @ .., b')'] => (true, inner),
        [b'-', rest @ ..] => (true, rest),
        _ => (false, b),
    };
    let mut mantissa = 0u64;
    let mut digits = 0u32;
    // Digits since the last separator, and whether there was one.
    let mut run = 0u32;
    let mut grouped = false;
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(c - b'0');
                digits += 1;
                run += 1;
                if digits > 18 {
                    return None;
                }
            }
            b',' => {
                // The first group has one to three digits, every later group three.
                if run == 0 || run > 3 || (grouped && run != 3) {
                    return None;
                }
                grouped = true;
                run = 0;
            }
            _ => break,
        }
        i += 1;
    }
    if run == 0 || (grouped && run != 3) {
        return None;
    }
    let mut scale = 0u32;
    if body.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = body.get(i) {
            if !c.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa * 10 + u64::from(c - b'0');
            digits += 1;
            scale += 1;
            if digits > 18 || scale > MAX_DECIMALS {
                return None;
            }
            i += 1;
        }
        if scale == 0 {
            return None;
        }
    }
    if i != body.len() {
        return None;
    }
    let value = Decimal::new(mantissa as i64, scale);
    Some(if negative { -value } else { value })
}

/// Spreadsheet error values as they appear in a CSV saved from a sheet with broken formulas.
fn is_spreadsheet_error(upper: &str) -> bool {
    matches!(
        upper,
        "#VALUE!"
            | "#REF!"
            | "#DIV/0!"
            | "#N/A"
            | "#NAME?"
            | "#NUM!"
            | "#NULL!"
            | "#SPILL!"
            | "#CALC!"
            | "#ERROR!"
    )
}

/// Removes thousands separators, checking they stand in groups of three; returns the bare
/// `digits[.digits]` text, or `None` if the text is not of that shape.
fn strip_thousands(body: &str) -> Option<String> {
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return None;
    }
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let mut out = String::with_capacity(body.len());
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first = groups[0];
        if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        for g in &groups[1..] {
            if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
        }
        groups.iter().for_each(|g| out.push_str(g));
    } else {
        if !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(if int_part.is_empty() { "0" } else { int_part });
    }
    if let Some(f) = frac_part {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

fn decimal_from_digits(digits: &str) -> Result<Decimal, NumberError> {
    let (int_part, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if frac.len() > MAX_DECIMALS as usize {
        return Err(NumberError::TooManyDecimals);
    }
    if int_part.trim_start_matches('0').len() > 19 {
        return Err(NumberError::TooLarge);
    }
    let value = Decimal::from_str(digits).map_err(|_| NumberError::NotANumber)?;
    if value.abs() > Decimal::from(MAX_MAGNITUDE) {
        return Err(NumberError::TooLarge);
    }
    Ok(value)
}

/// Rounds a figure to `decimals` places, halves away from zero, as published tables do.
///
/// ```
/// use gapwise::engine::round_published;
/// use rust_decimal::Decimal;
/// assert_eq!(round_published(Decimal::new(73585, 4), 3), Decimal::new(7359, 3));
/// assert_eq!(round_published(Decimal::new(-25, 1), 0), Decimal::from(-3));
/// ```
pub fn round_published(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Half a unit of the last digit a figure was written with: the most its rounding can hide.
/// `1,435.0` hides up to 0.05; `7.359` up to 0.0005; `4,000` up to 0.5. A figure with all 28
/// places a `Decimal` has (only a product can have them: a scenario's rate times a figure)
/// hides less than 10^-28, the smallest step a `Decimal` can hold, which is given instead.
///
/// ```
/// use gapwise::engine::half_unit;
/// use rust_decimal::Decimal;
/// assert_eq!(half_unit(Decimal::new(14350, 1)), Decimal::new(5, 2));
/// assert_eq!(half_unit(Decimal::new(1, 28)), Decimal::new(1, 28));
/// ```
pub fn half_unit(figure: Decimal) -> Decimal {
    match figure.scale() {
        scale @ 0..=27 => Decimal::new(5, scale + 1),
        _ => Decimal::new(1, 28),
    }
}

/// True when a figure is within what a cell may hold: at most 10^18 in magnitude (see
/// `MAX_MAGNITUDE`). Figures the engine derives (a scenario's products, grown pressures, a
/// planned use of reserves) are held to it too, so that every sum stays far inside `Decimal`.
pub(crate) fn within_cell_limit(figure: Decimal) -> bool {
    figure.abs() <= Decimal::from(MAX_MAGNITUDE)
}

/// Writes an amount for people: thousands separators, negatives in parentheses, exactly
/// `decimals` places (rounded halves away from zero if the figure has more).
///
/// ```
/// use gapwise::engine::format_amount;
/// use rust_decimal::Decimal;
/// assert_eq!(format_amount(Decimal::new(-18985_7, 1), 1), "(18,985.7)");
/// assert_eq!(format_amount(Decimal::new(43977, 0), 1), "43,977.0");
/// ```
pub fn format_amount(value: Decimal, decimals: u32) -> String {
    let mut v = round_published(value, decimals);
    v.rescale(decimals);
    let negative = v.is_sign_negative() && !v.is_zero();
    let text = v.abs().to_string();
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + text.len() / 3 + 2);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if !frac.is_empty() {
        grouped.push('.');
        grouped.push_str(frac);
    }
    if negative {
        format!("({grouped})")
    } else {
        grouped
    }
}

/// Writes an amount cell for people: figures as [`format_amount`], blank as empty, no-figure as
/// its text.
pub fn format_cell(amount: &Amount, decimals: u32) -> String {
    match amount {
        Amount::Figure(d) => format_amount(*d, decimals),
        Amount::Blank => String::new(),
        Amount::NoFigure(n) => n.as_str().to_string(),
    }
}

/// Writes a figure for machines (CSV export): plain digits, leading `-`, exactly `decimals`
/// places. Spreadsheets read it as a number.
pub fn plain_amount(value: Decimal, decimals: u32) -> String {
    let mut v = round_published(value, decimals);
    v.rescale(decimals);
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// Reads a percentage as the user typed it (`50`, `50 %`, `12.5`) as a fraction (0.5, 0.125):
/// from 0 % to 1000 % (a rate or a scale above the plan can be over 100 %); anything else, a
/// negative included, is `None`. Used by the scenario and delivery risk inputs.
///
/// ```
/// use gapwise::engine::parse_percent;
/// use rust_decimal::Decimal;
/// assert_eq!(parse_percent(" 12.5 % "), Some(Decimal::new(125, 3)));
/// assert_eq!(parse_percent("-5"), None);
/// ```
pub fn parse_percent(text: &str) -> Option<Decimal> {
    let t = text.trim().trim_end_matches('%').trim();
    let d = Decimal::from_str(t).ok()?;
    (d >= Decimal::ZERO && d <= Decimal::from(1000)).then(|| d / Decimal::ONE_HUNDRED)
}

/// Writes a fraction as the percentage an input shows it with, the inverse of
/// [`parse_percent`]: 0.5 → `50`, 0.125 → `12.5` (no `%`, no trailing zeros).
pub fn percent_entry(fraction: Decimal) -> String {
    (fraction * Decimal::ONE_HUNDRED).normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> Decimal {
        match parse_amount(s).expect(s).amount {
            Amount::Figure(d) => d,
            other => panic!("{s}: {other:?}"),
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn published_formats() {
        assert_eq!(fig("1,435.0"), d("1435.0"));
        assert_eq!(fig("1,435.0").scale(), 1);
        assert_eq!(fig("(200.0)"), d("-200.0"));
        assert_eq!(fig("-£92,753"), d("-92753"));
        assert_eq!(fig("£-92,753"), d("-92753"));
        assert_eq!(fig("+2.056"), d("2.056"));
        assert_eq!(fig("£1.374m"), d("1.374"));
        assert_eq!(fig("(£200)"), d("-200"));
        assert_eq!(fig("£(200)"), d("-200"));
        assert_eq!(fig(" 12 "), d("12"));
        assert_eq!(fig("−5.5"), d("-5.5"));
        assert_eq!(fig(".5"), d("0.5"));
        assert_eq!(fig("0.000"), d("0.000"));
        assert_eq!(fig("1,000,000"), d("1000000"));
        assert_eq!(fig("'-200"), d("-200"));
    }

    #[test]
    fn magnitudes_are_reported() {
        let p = parse_amount("£1.374m").unwrap();
        assert_eq!(p.magnitude, Some(Magnitude::Millions));
        let p = parse_amount("£75k").unwrap();
        assert_eq!(p.magnitude, Some(Magnitude::Thousands));
        assert_eq!(p.amount, Amount::Figure(d("75")));
        assert_eq!(parse_amount("75").unwrap().magnitude, None);
    }

    #[test]
    fn dash_and_empty_are_zero_but_empty_is_blank() {
        assert_eq!(
            parse_amount("-").unwrap().amount,
            Amount::Figure(Decimal::ZERO)
        );
        assert_eq!(
            parse_amount("–").unwrap().amount,
            Amount::Figure(Decimal::ZERO)
        );
        assert_eq!(parse_amount("").unwrap().amount, Amount::Blank);
        assert_eq!(parse_amount("   ").unwrap().amount, Amount::Blank);
        assert_eq!(Amount::Blank.value(), Some(Decimal::ZERO));
    }

    #[test]
    fn no_figure_is_never_zero() {
        for s in ["N/A", "n/a", "NA", "TBC", "tbc", "TBA"] {
            let a = parse_amount(s).unwrap().amount;
            assert!(matches!(a, Amount::NoFigure(_)), "{s}");
            assert_eq!(a.value(), None, "{s}");
        }
    }

    #[test]
    fn spreadsheet_errors_are_unreadable() {
        for s in ["#REF!", "#value!", "#DIV/0!", "#N/A"] {
            assert_eq!(
                parse_amount(s).unwrap().amount,
                Amount::NoFigure(NoFigure::Unreadable),
                "{s}"
            );
        }
    }

    #[test]
    fn junk_is_refused() {
        for s in [
            "aa", "12..5", "1,43", "1,4350", ",100", "1.2.3", "£", "()", "(200", "200)", "--5",
            "1e5", "0x10", "12a", "five", "1 000", "+-5", "1.", "m", "£m", "(-5)x", "NaN", "(-5)",
        ] {
            assert_eq!(parse_amount(s), Err(NumberError::NotANumber), "{s}");
        }
    }

    /// The fast reading of plain cells gives exactly what the general reading gives: the same
    /// digits, scale and sign, over every short string of digits, separators, points,
    /// parentheses, minus signs and spaces, and over longer generated ones.
    /// The integer bound [`read_amount`] uses says what comparing the `Decimal` with the limit
    /// says, at every scale, on and either side of the limit and far beyond it.
    #[test]
    fn the_integer_bound_is_the_decimal_bound() {
        let limit = Decimal::from(MAX_MAGNITUDE);
        let max96 = (1u128 << 96) - 1;
        for scale in 0..=28u32 {
            let at = 10u128
                .checked_pow(scale)
                .and_then(|p| p.checked_mul(MAX_MAGNITUDE as u128));
            let mut cases = vec![0, 1, 9, 10, 12_345, max96, max96 - 1, 1u128 << 64];
            if let Some(at) = at.filter(|a| *a <= max96) {
                cases.extend([at - 1, at, at + 1]);
            }
            for m in cases.into_iter().filter(|m| *m <= max96) {
                for negative in [false, true] {
                    let v = if negative { -(m as i128) } else { m as i128 };
                    let d = Decimal::from_i128_with_scale(v, scale);
                    assert_eq!(
                        within_limit(m, scale),
                        d.abs() <= limit,
                        "{m} at scale {scale}"
                    );
                    // read_amount's own bound (words, a table for small scales) agrees, and
                    // gives the figure back with its scale.
                    let mut bytes = Vec::new();
                    write_amount(&Amount::Figure(d), &mut bytes);
                    let read = read_amount(&bytes).map(|(a, _)| a);
                    assert_eq!(read.is_some(), d.abs() <= limit, "{m} at scale {scale}");
                    if let Some(Amount::Figure(r)) = read {
                        assert_eq!((r, r.scale()), (d, d.scale()));
                    }
                }
            }
        }
        // And read_amount with it: just over the limit is refused, the limit read back.
        let mut bytes = Vec::new();
        write_amount(&Amount::Figure(Decimal::new(-MAX_MAGNITUDE, 0)), &mut bytes);
        assert!(read_amount(&bytes).is_some());
        bytes.clear();
        write_amount(
            &Amount::Figure(Decimal::from_i128_with_scale(10_000_000_000_000_000_001, 1)),
            &mut bytes,
        );
        assert!(read_amount(&bytes).is_none());
    }

    #[test]
    fn plain_shapes_read_as_the_general_way() {
        let check = |s: &str| {
            if let Some(fast) = parse_plain(s) {
                let Ok(ParsedAmount {
                    amount: Amount::Figure(general),
                    magnitude: None,
                }) = parse_general(s)
                else {
                    panic!("`{s}`: fast {fast}, general {:?}", parse_general(s));
                };
                assert_eq!(
                    (fast.mantissa(), fast.scale(), fast.is_sign_negative()),
                    (
                        general.mantissa(),
                        general.scale(),
                        general.is_sign_negative()
                    ),
                    "`{s}`"
                );
            }
        };
        let alphabet = ['0', '1', '9', ',', '.', '(', ')', '-', ' '];
        let mut s = String::new();
        fn all(s: &mut String, depth: usize, alphabet: &[char], check: &dyn Fn(&str)) {
            check(s);
            if depth == 0 {
                return;
            }
            for c in alphabet {
                s.push(*c);
                all(s, depth - 1, alphabet, check);
                s.pop();
            }
        }
        all(&mut s, 6, &alphabet, &check);
        let mut state = 7u64;
        for _ in 0..200_000 {
            s.clear();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 59) as usize + 1;
            for k in 0..len {
                let r = (state >> ((k * 5) % 60)) as usize;
                s.push(match r % 16 {
                    0 => ',',
                    1 => '.',
                    2 if k == 0 => '(',
                    3 if k == 0 => '-',
                    4 if k + 1 == len => ')',
                    _ => char::from(b'0' + (r % 10) as u8),
                });
            }
            check(&s);
        }
        for s in [
            "999999999999999999",
            "999,999,999,999,999,999",
            "(99,999,999.9999999999)",
            "-0.0",
            "(0)",
            "0.1234567890",
            "00012.50",
        ] {
            assert!(parse_plain(s).is_some(), "{s}");
            check(s);
        }
        for s in [
            "1000000000000000000",
            "0.12345678901",
            ".5",
            "1.",
            "1,43",
            "+5",
            "- 5",
        ] {
            assert!(parse_plain(s).is_none(), "{s}");
        }
    }

    #[test]
    fn bounds() {
        assert_eq!(
            parse_amount("99999999999999999999999"),
            Err(NumberError::TooLarge)
        );
        assert_eq!(
            parse_amount("1000000000000000001"),
            Err(NumberError::TooLarge)
        );
        assert!(parse_amount("1000000000000000000").is_ok());
        assert_eq!(
            parse_amount("0.12345678901"),
            Err(NumberError::TooManyDecimals)
        );
        assert!(parse_amount("0.1234567890").is_ok());
    }

    #[test]
    fn canonical_round_trip_keeps_scale() {
        for s in [
            "1435.0", "-200.00", "0", "0.000", "", "N/A", "TBC", "7.359", "#VALUE!",
        ] {
            let a = parse_amount(s).unwrap().amount;
            assert_eq!(a.canonical(), s);
            assert_eq!(parse_amount(&a.canonical()).unwrap().amount, a);
        }
    }

    #[test]
    fn formatting() {
        assert_eq!(format_amount(d("4886"), 1), "4,886.0");
        assert_eq!(format_amount(d("-200.0"), 1), "(200.0)");
        assert_eq!(format_amount(d("0.0"), 1), "0.0");
        assert_eq!(format_amount(d("-0.0"), 1), "0.0");
        assert_eq!(format_amount(d("999.95"), 1), "1,000.0");
        assert_eq!(format_amount(d("123456789.123"), 3), "123,456,789.123");
        assert_eq!(format_amount(d("100"), 0), "100");
        assert_eq!(plain_amount(d("-1435"), 1), "-1435.0");
        assert_eq!(plain_amount(d("-0.0"), 1), "0.0");
        assert_eq!(
            format_cell(&Amount::NoFigure(NoFigure::ToBeConfirmed), 1),
            "TBC"
        );
        assert_eq!(format_cell(&Amount::Blank, 1), "");
    }

    #[test]
    fn trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\ta\n",
            "1,435.0",
            "(200.0)",
            "\u{a0}5",
            "5\u{a0}",
            "\u{85}x",
            "x\u{3000}",
            "£5",
            "5£",
            "\u{1c}x\u{1f}",
            "\r\n",
            "\u{7f}a",
            "a\u{7f}",
            "~",
            "!a!",
            "é",
            " é ",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn half_units() {
        assert_eq!(half_unit(d("7.359")), d("0.0005"));
        assert_eq!(half_unit(d("4000")), d("0.5"));
        assert_eq!(half_unit(d("1.0")), d("0.05"));
    }

    #[test]
    fn percentages_read_and_written() {
        assert_eq!(parse_percent("50"), Some(d("0.5")));
        assert_eq!(parse_percent("50 %"), Some(d("0.5")));
        assert_eq!(parse_percent(" 12.5% "), Some(d("0.125")));
        assert_eq!(parse_percent("0"), Some(d("0")));
        assert_eq!(parse_percent("1000"), Some(d("10")));
        assert_eq!(parse_percent("1000.1"), None);
        assert_eq!(parse_percent("-1"), None);
        assert_eq!(parse_percent("abc"), None);
        assert_eq!(parse_percent(""), None);
        assert_eq!(percent_entry(d("0.5")), "50");
        assert_eq!(percent_entry(d("0.125")), "12.5");
        assert_eq!(percent_entry(d("1.0000")), "100");
        assert_eq!(percent_entry(parse_percent("37.5").unwrap()), "37.5");
    }
}
