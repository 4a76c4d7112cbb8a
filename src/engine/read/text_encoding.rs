//! Decoding the encodings a CSV arrives in other than plain UTF-8: UTF-8 or UTF-16 (either byte
//! order) after a byte order mark, and Windows-1252, Excel's CSV on Windows.
//!
//! Written here rather than with `encoding_rs`, which did this until the page's size was
//! measured (issue 18): `encoding_rs` picks its decoder by a `match` over every encoding it
//! knows, so decoding even UTF-16 linked all of them, with their Chinese, Japanese and Korean
//! index tables, into the page's WebAssembly. These three decoders are a few lines each;
//! `tests/text_encoding.rs` checks them against `encoding_rs` (a dev-dependency) on generated
//! bytes, so they decode exactly as it does, replacement characters included.

use std::borrow::Cow;

/// The encoding a byte order mark names, with the mark's length in bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bom {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Bom {
    /// The encoding's name, as the import reports it.
    pub fn name(self) -> &'static str {
        match self {
            Bom::Utf8 => "UTF-8 (BOM)",
            Bom::Utf16Le => "UTF-16LE",
            Bom::Utf16Be => "UTF-16BE",
        }
    }
}

/// The byte order mark the bytes open with, and its length.
pub fn bom(bytes: &[u8]) -> Option<(Bom, usize)> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some((Bom::Utf8, 3))
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some((Bom::Utf16Le, 2))
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some((Bom::Utf16Be, 2))
    } else {
        None
    }
}

/// Decodes the bytes after a byte order mark: malformed sequences (an unpaired surrogate, an
/// odd byte at the end, bytes that are not UTF-8) become U+FFFD.
pub fn decode_after_bom(bom: Bom, bytes: &[u8]) -> String {
    match bom {
        Bom::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
        Bom::Utf16Le | Bom::Utf16Be => {
            let unit = |p: &[u8]| match bom {
                Bom::Utf16Be => u16::from_be_bytes([p[0], p[1]]),
                _ => u16::from_le_bytes([p[0], p[1]]),
            };
            let pairs = bytes.chunks_exact(2).map(unit);
            let mut text: String = char::decode_utf16(pairs)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            // An odd byte at the end is one more U+FFFD, unless it follows a high surrogate
            // left unpaired at the end: the two are one malformed sequence, one U+FFFD.
            let pending_high = bytes.len() >= 3
                && (0xD800..=0xDBFF).contains(&unit(&bytes[bytes.len() - 3..bytes.len() - 1]));
            if bytes.len() % 2 == 1 && !pending_high {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            text
        }
    }
}

/// Windows-1252's characters for the bytes 0x80 to 0x9F (WHATWG's table: the five bytes it
/// leaves undefined stand for the C1 controls of the same number).
const HIGH_1252: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes Windows-1252: every byte is a character (0xA0 to 0xFF are Latin-1's).
pub fn decode_windows_1252(bytes: &[u8]) -> Cow<'_, str> {
    if bytes.is_ascii() {
        // ASCII is the same in both: no copy.
        return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or_default());
    }
    Cow::Owned(
        bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => HIGH_1252[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    )
}
