//! Checks made on a workbook's bytes before calamine reads them, so that a hostile file is
//! refused with a message instead of overflowing or looping in the reader: an `.xlsx`'s cell
//! references must be within the sheet's limits (`XFD1048576`), and an `.ods`'s content must be
//! well formed with bounded runs of repeated cells and spaces (found by fuzzing, issue 8).

use crate::engine::model::error::{Error, ErrorKind, OdsProblem, WorkbookProblem};
use std::io::Cursor;

/// The longest cell reference a workbook can hold, `XFD1048576`: three letters, seven digits.
const MAX_REFERENCE_LETTERS: usize = 3;

const MAX_REFERENCE_DIGITS: usize = 7;

/// A value of an `r` or `ref` attribute longer than this is no reference: `XFD1048576:XFD1048576`
/// has 21 bytes.
const MAX_REFERENCE_BYTES: usize = 64;

/// Checks every cell reference of an `.xlsx` (the `r` and `ref` attributes: cells, rows, the
/// sheet's dimension, merged regions) before `calamine` reads them: at most three letters and
/// seven digits (`XFD1048576` is the last cell a workbook has), and a range's first corner
/// above and left of its last (`A1:C3`, not `C3:A1`). `calamine` 0.35 (and 0.38) adds up a
/// reference's digits in a `u32` and subtracts a range's corners without checking, so a
/// longer reference (`A99999999999`) or a reversed range overflows: a panic where overflow
/// is checked, a cell put at a wrong place where it is not. Such a file is damaged and refused
/// with the reference named. Every part of the zip is read, whatever its name, since the
/// workbook's relationships may place a sheet anywhere; a zip that does not open is left to
/// `calamine` to refuse with its own message.
pub(crate) fn check_references(bytes: &[u8]) -> Result<(), Error> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut scanner = ReferenceScanner::default();
    let mut chunk = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            continue;
        };
        let name = part.name().to_string();
        scanner.reset();
        loop {
            let n = match std::io::Read::read(&mut part, &mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            if let Err(reference) = scanner.feed(&chunk[..n]) {
                let shown: String = String::from_utf8_lossy(&reference)
                    .chars()
                    .take(40)
                    .collect();
                return Err(workbook_error(WorkbookProblem::Reference {
                    part: name,
                    reference: shown,
                }));
            }
        }
    }
    Ok(())
}

/// The longest run of spaces an `.ods` cell may write as one `<text:s text:c="N"/>`.
const MAX_ODS_SPACES: u64 = 10_000;

/// Checks an `.ods`'s `content.xml` before `calamine` reads it: well-formed XML to its end,
/// every element closed, and no run of more than [`MAX_ODS_SPACES`] spaces. `calamine` 0.35
/// reads a table, a row's cells or a comment until the element's end tag and does not stop at
/// the end of the file, so a table left open (`<table:table>` with no `</table:table>`) made it
/// loop for ever; and it writes out `text:c` spaces one by one, so `text:c="4000000000"` asked
/// for 4 GB. Such a file is damaged and refused with what is wrong and where (the byte offset
/// in `content.xml`). A zip without a `content.xml` is left to `calamine` to refuse.
pub(crate) fn check_ods_content(bytes: &[u8]) -> Result<(), Error> {
    use quick_xml::events::Event;
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(content) = zip.by_name("content.xml") else {
        return Ok(());
    };
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let damaged =
        |problem: OdsProblem, at: u64| workbook_error(WorkbookProblem::OdsContent { at, problem });
    let mut buf = Vec::new();
    let mut depth = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf);
        let at = reader.buffer_position();
        match event {
            Err(e) => {
                return Err(damaged(
                    OdsProblem::NotXml {
                        message: e.to_string(),
                    },
                    at,
                ))
            }
            Ok(Event::Start(e)) => {
                depth += 1;
                spaces_within_limit(&e).map_err(|problem| damaged(problem, at))?;
            }
            Ok(Event::Empty(e)) => {
                spaces_within_limit(&e).map_err(|problem| damaged(problem, at))?
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Eof) if depth > 0 => {
                return Err(damaged(OdsProblem::NotClosed { open: depth }, at))
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
        }
        buf.clear();
    }
}

/// `Err` with the count when an element's `text:c` (spaces to repeat) is over the limit; one
/// that is not a count at all is left to `calamine`.
fn spaces_within_limit(e: &quick_xml::events::BytesStart<'_>) -> Result<(), OdsProblem> {
    let Ok(Some(c)) = e.try_get_attribute("text:c") else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(&c.value);
    match text.trim().parse::<u64>() {
        Ok(n) if n <= MAX_ODS_SPACES => Ok(()),
        // Not a count: `calamine` refuses it with its own message.
        Err(_) => Ok(()),
        Ok(_) => Err(OdsProblem::Spaces {
            count: text.chars().take(20).collect(),
            limit: MAX_ODS_SPACES,
        }),
    }
}

/// Where [`ReferenceScanner`] is in the XML.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Scan {
    /// Between tags.
    #[default]
    Text,
    /// In a tag, reading a name (an attribute's, or the element's); `bool`: the name read so
    /// far is still a prefix of `r` or `ref`.
    Name(bool),
    /// In a tag, between names and values; `bool`: the last name was `r` or `ref`.
    Between(bool),
    /// After `=`; `bool` as above.
    Equals(bool),
    /// In a quoted value: the quote, and whether it is an `r` or `ref` value.
    Value(u8, bool),
}

/// Finds the values of `r` and `ref` attributes in XML given in chunks, and checks each as a
/// cell reference ([`check_references`]).
#[derive(Default)]
pub(crate) struct ReferenceScanner {
    state: Scan,
    name: Vec<u8>,
    value: Vec<u8>,
}

impl ReferenceScanner {
    fn reset(&mut self) {
        self.state = Scan::Text;
        self.name.clear();
        self.value.clear();
    }

    /// Reads more of the XML; `Err` with the first bad reference.
    pub(crate) fn feed(&mut self, xml: &[u8]) -> Result<(), Vec<u8>> {
        for &b in xml {
            self.state = match self.state {
                Scan::Text if b == b'<' => {
                    self.name.clear();
                    Scan::Name(false)
                }
                Scan::Text => Scan::Text,
                Scan::Name(_) | Scan::Between(_) if b == b'>' => Scan::Text,
                Scan::Name(_) if b == b'=' => Scan::Equals(self.is_reference_name()),
                Scan::Name(_) if b.is_ascii_whitespace() => Scan::Between(self.is_reference_name()),
                Scan::Name(_) => {
                    // Four bytes tell `r` and `ref` from every longer name.
                    if self.name.len() < 4 {
                        self.name.push(b);
                    }
                    Scan::Name(false)
                }
                Scan::Between(r) if b == b'=' => Scan::Equals(r),
                Scan::Between(r) if b.is_ascii_whitespace() => Scan::Between(r),
                Scan::Between(_) => {
                    self.name.clear();
                    self.name.push(b);
                    Scan::Name(false)
                }
                Scan::Equals(r) if b == b'"' || b == b'\'' => {
                    self.value.clear();
                    Scan::Value(b, r)
                }
                Scan::Equals(r) if b.is_ascii_whitespace() => Scan::Equals(r),
                Scan::Equals(_) if b == b'>' => Scan::Text,
                Scan::Equals(_) => Scan::Between(false),
                Scan::Value(q, r) if b == q => {
                    if r && !is_reference(&self.value) {
                        return Err(std::mem::take(&mut self.value));
                    }
                    self.name.clear();
                    Scan::Between(false)
                }
                Scan::Value(q, true) => {
                    // No reference is this long: refused without reading the rest.
                    if self.value.len() >= MAX_REFERENCE_BYTES {
                        return Err(std::mem::take(&mut self.value));
                    }
                    self.value.push(b);
                    Scan::Value(q, true)
                }
                Scan::Value(q, false) => Scan::Value(q, false),
            };
        }
        Ok(())
    }

    fn is_reference_name(&self) -> bool {
        self.name == b"r" || self.name == b"ref"
    }
}

/// A cell (`B7`), row (`7`) or column (`B`) reference, or a range of two (`A1:C3`), each part
/// within `XFD1048576` in length and a range's corners in order. What `calamine` refuses
/// without overflowing (a part not made of letters then digits) passes here.
pub(crate) fn is_reference(value: &[u8]) -> bool {
    // Letters then digits: the column (1-based, 0 for none) and the row, or `None` when too long.
    let corner = |part: &[u8]| -> Option<(u64, u64)> {
        let letters = part.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = part[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if letters > MAX_REFERENCE_LETTERS || digits > MAX_REFERENCE_DIGITS {
            return None;
        }
        let column = part[..letters].iter().fold(0u64, |c, b| {
            c * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
        });
        let row = part[letters..letters + digits]
            .iter()
            .fold(0u64, |r, b| r * 10 + u64::from(b - b'0'));
        Some((column, row))
    };
    let corners: Option<Vec<(u64, u64)>> = value.split(|b| *b == b':').map(corner).collect();
    match corners.as_deref() {
        None => false,
        Some([start, end]) => end.0 >= start.0 && end.1 >= start.1,
        Some(_) => true,
    }
}

pub(crate) fn workbook_error(problem: WorkbookProblem) -> Error {
    Error::new(ErrorKind::Workbook(problem))
}
