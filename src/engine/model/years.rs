//! Financial years as headers write them.
//!
//! This module owns recognising a financial year in a header cell, in every way published
//! tables write one (docs/domain.md "The schedule": `2017/18` is April 2017 to March 2018), and the
//! two-row heading where a row such as `Financial year` stands over a row of years. It does not
//! decide which row is the header or what the other columns are: `import` does, with these.
//!
//! The forms, the second year always the one after the first:
//!
//! - anywhere in a cell: `2017/18`, `2017/2018` (as before), `2017-18`, `2017-2018`, `2017–18`
//!   (en dash), with or without `FY` in front (`FY2017/18`, `FY 2017-18`);
//! - only at the start of a cell: the short `17/18`, `FY17/18`, `FY 17-18` (20YY), followed by
//!   nothing or by a space or bracket (`17/18 (£'000)`). A short form inside text (`ASR 17/18`,
//!   a source column's words) is not a year, nor is `17-18` without `FY` (an age range).

use super::schedule::FinancialYear;

/// Finds a financial year written in a header cell in any of the module's forms.
///
/// ```
/// use gapwise::engine::find_year;
/// for cell in ["2017/18", "2017-18", "FY2017/18", "FY 2017-18", "17/18", "2017/2018",
///              "FY17/18", "2017/18 Original Saving", "17/18 (£'000)"] {
///     assert_eq!(find_year(cell).map(|y| y.start), Some(2017), "{cell}");
/// }
/// for cell in ["ASR 17/18", "17-18", "2017-19", "2017-18-04", "Savings 2016-21", "117/18"] {
///     assert_eq!(find_year(cell), None, "{cell}");
/// }
/// ```
pub fn find_year(text: &str) -> Option<FinancialYear> {
    if let Some(y) = FinancialYear::find_in(text) {
        return Some(y);
    }
    long_form(text).or_else(|| short_form(text))
}

/// `YYYY-YY`, `YYYY-YYYY`, `YYYY–YY` anywhere, bounded by non-digits, and not part of a date
/// (`2017-18-04`).
fn long_form(text: &str) -> Option<FinancialYear> {
    let chars: Vec<char> = text.chars().collect();
    let digits = |from: usize, n: usize| -> Option<i32> {
        let run = chars.get(from..from + n)?;
        if !run.iter().all(char::is_ascii_digit) {
            return None;
        }
        if from > 0 && chars[from - 1].is_ascii_digit() {
            return None;
        }
        if chars.get(from + n).is_some_and(char::is_ascii_digit) {
            return None;
        }
        run.iter().collect::<String>().parse().ok()
    };
    for (i, &c) in chars.iter().enumerate() {
        if !matches!(c, '-' | '–' | '/') || i < 4 {
            continue;
        }
        let Some(first) = digits(i - 4, 4) else {
            continue;
        };
        if !(1900..=2199).contains(&first) {
            continue;
        }
        let (second, len) = if let Some(s) = digits(i + 1, 4) {
            (s, 4)
        } else if let Some(s) = digits(i + 1, 2) {
            (s, 2)
        } else {
            continue;
        };
        // `2017-18-04` is a date, not a year.
        let after = i + 1 + len;
        if matches!(chars.get(after), Some('-' | '/'))
            && chars.get(after + 1).is_some_and(char::is_ascii_digit)
        {
            continue;
        }
        let follows = if len == 4 {
            second == first + 1
        } else {
            second == (first + 1) % 100
        };
        if follows {
            return Some(FinancialYear { start: first });
        }
    }
    None
}

/// `17/18`, `FY17/18`, `FY 17-18` at the start of a cell: the years 2000–2098.
fn short_form(text: &str) -> Option<FinancialYear> {
    let t = text.trim();
    let (rest, fy) = match t.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("fy") => (t[2..].trim_start(), true),
        _ => (t, false),
    };
    let b = rest.as_bytes();
    if b.len() < 5
        || !b[..2].iter().all(u8::is_ascii_digit)
        || !b[3..5].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    let separator_ok = b[2] == b'/' || (fy && b[2] == b'-');
    if !separator_ok {
        return None;
    }
    if b.get(5)
        .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'/' | b'-' | b'.'))
    {
        return None;
    }
    let first: i32 = rest[..2].parse().ok()?;
    let second: i32 = rest[3..5].parse().ok()?;
    (second == (first + 1) % 100 && first < 99).then_some(FinancialYear {
        start: 2000 + first,
    })
}

/// True for a cell that names a year heading without being a year: `Financial year`,
/// `Years`, `FY`, `Fiscal year`.
fn is_years_caption(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    find_year(&t).is_none()
        && t.split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "year" | "years" | "fy" | "yr" | "yrs"))
}

/// A two-row heading: when the row above the header (`upper`) holds a year caption (`Financial
/// year`, often merged across the year columns; its text is in the first cell of the merge)
/// standing over one of the header's year cells, the two rows are one heading. The header's
/// empty cells take the text above them (`Project` written in the upper row, or merged down
/// over both), and the year cells stay as they are. Returns the joined header cells, or `None`
/// when the upper row is not such a caption row (a title, a note), which leaves both as they
/// were.
pub(crate) fn join_heading(upper: &[String], header: &[String]) -> Option<Vec<String>> {
    let caption_over_year = upper
        .iter()
        .enumerate()
        .any(|(c, u)| is_years_caption(u) && header.get(c).is_some_and(|h| find_year(h).is_some()));
    if !caption_over_year || upper.iter().any(|u| find_year(u).is_some()) {
        return None;
    }
    let width = upper.len().max(header.len());
    let joined = (0..width)
        .map(|c| {
            let h = header.get(c).map(|s| s.trim()).unwrap_or("");
            let u = upper.get(c).map(|s| s.trim()).unwrap_or("");
            let is_year_column = find_year(h).is_some();
            if !h.is_empty() || is_year_column || is_years_caption(u) {
                h.to_string()
            } else {
                u.to_string()
            }
        })
        .collect();
    Some(joined)
}

/// A caption row of years over groups of headings: the year written once, in the first cell of
/// its group (often merged across it), over headings that name no year (`2024/25` over `Gross`,
/// `Investment`, `Net`; `Total` over the same again). At least two cells of `upper` name a
/// year, each over two or more filled header cells, and no header cell names one. Each header
/// cell under a group is joined with its caption (`2024/25 Gross`, `Total Net`); an empty header
/// cell takes the text above it (a label written in the upper row). `None` otherwise.
pub(crate) fn join_years_over_headings(upper: &[String], header: &[String]) -> Option<Vec<String>> {
    let filled = |v: &[String], c: usize| v.get(c).is_some_and(|s| !s.trim().is_empty());
    if header.iter().any(|h| find_year(h).is_some()) {
        return None;
    }
    let width = upper.len().max(header.len());
    // The caption over each column: the last filled upper cell at or before it.
    let mut over: Vec<Option<usize>> = vec![None; width];
    let mut current = None;
    for (c, slot) in over.iter_mut().enumerate() {
        if filled(upper, c) {
            current = Some(c);
        }
        *slot = current;
    }
    let groups: Vec<usize> = (0..width).filter(|&c| filled(upper, c)).collect();
    let year_groups = groups
        .iter()
        .filter(|&&g| {
            find_year(&upper[g]).is_some()
                && (0..width)
                    .filter(|&c| over[c] == Some(g) && filled(header, c))
                    .count()
                    >= 2
        })
        .count();
    if year_groups < 2 {
        return None;
    }
    let joined = (0..width)
        .map(|c| {
            let h = header.get(c).map(|s| s.trim()).unwrap_or("");
            let caption = over[c].map(|g| upper[g].trim()).unwrap_or("");
            if h.is_empty() {
                if filled(upper, c) {
                    caption.to_string()
                } else {
                    String::new()
                }
            } else if find_year(caption).is_some() || is_over_years_caption(caption) {
                format!("{caption} {h}")
            } else {
                h.to_string()
            }
        })
        .collect();
    Some(joined)
}

/// A caption over the columns of all the years: `Total`, `Ongoing`, `All years`, `Cumulative`.
fn is_over_years_caption(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    ["total", "ongoing", "all years", "cumulative"]
        .iter()
        .any(|w| t.starts_with(w))
}

/// The financial year a date names when it is clearly one: 1 April starts the year it opens
/// (`2017-04-01` → `2017/18`), 31 March ends the one it closes (`2018-03-31` → `2017/18`). Any
/// other date is not a year.
#[cfg_attr(not(feature = "workbook"), allow(dead_code))] // the workbook reader's
pub(crate) fn year_of_date(year: i32, month: u32, day: u32) -> Option<FinancialYear> {
    match (month, day) {
        (4, 1) => Some(FinancialYear { start: year }),
        (3, 31) => Some(FinancialYear { start: year - 1 }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(s: &str) -> Option<i32> {
        find_year(s).map(|y| y.start)
    }

    #[test]
    fn forms() {
        assert_eq!(start("2017-18"), Some(2017));
        assert_eq!(start("2017–18"), Some(2017));
        assert_eq!(start("2017-2018"), Some(2017));
        assert_eq!(start("FY2017/18"), Some(2017));
        assert_eq!(start("FY 2017-18"), Some(2017));
        assert_eq!(start("fy 17-18"), Some(2017));
        assert_eq!(start("17/18"), Some(2017));
        assert_eq!(start("99/00"), None);
        assert_eq!(start("2019-20 (£'000)"), Some(2019));
        assert_eq!(start("2099/2100"), Some(2099));
        assert_eq!(start("17/19"), None);
        assert_eq!(start("17/18/19"), None);
        assert_eq!(start("1/2"), None);
        assert_eq!(start("Savings plan 2017-21"), None);
        assert_eq!(start("ASR 17/18"), None);
    }

    #[test]
    fn two_row_heading() {
        let s = |v: &[&str]| v.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        let joined = join_heading(
            &s(&["Project", "Financial year", "", "Total"]),
            &s(&["", "2017/18", "2018/19", ""]),
        )
        .unwrap();
        assert_eq!(joined, s(&["Project", "2017/18", "2018/19", "Total"]));
        // A title above the header is not a heading row.
        assert!(join_heading(&s(&["Savings 2017"]), &s(&["P", "2017/18"])).is_none());
        // A caption that is not over a year column is not one either.
        assert!(join_heading(&s(&["Year of decision", ""]), &s(&["P", "2017/18"])).is_none());
    }

    #[test]
    fn dates() {
        assert_eq!(year_of_date(2017, 4, 1).unwrap().label(), "2017/18");
        assert_eq!(year_of_date(2018, 3, 31).unwrap().label(), "2017/18");
        assert_eq!(year_of_date(2018, 1, 1), None);
    }
}
