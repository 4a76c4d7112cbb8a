//! Reading back a Fiscal Data Package: a zip holding `datapackage.json` and the table it
//! describes, as `write::package` makes it (docs/domain.md, "The Fiscal Data Package").
//!
//! This module owns recognising a data package (a zip with a `datapackage.json`, at its top or
//! in one folder), reading its descriptor and its CSV resource within the limits of
//! `model::limits`, and rebuilding the schedule: the resource is the long CSV (`long` reads its
//! first seven columns: rows, years, amounts, unit, with every check of the long import) with,
//! after them, a `Measure` column and one column per text column of the schedule; the
//! descriptor's `gapwise` object says which column is which text column and carries the sign
//! convention, the profile and the decimals, and its `title` is the schedule's title. Every
//! text and amount comes back exactly as written (no trimming, no rescaling of a zero).
//!
//! What a package does not carry (so a package of an imported file reads back without it): the
//! published total column and total rows (the checks), the file's column order (text columns
//! come first, then the years), year headers beyond the year, section headings without lines,
//! memo marks, a line's recurrence other than what its text says, and RAG ratings set by hand.
//!
//! It does not write packages (that is `write::package`, which uses the names defined here so
//! both sides agree).

use std::collections::HashMap;
use std::io::{Cursor, Read};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::grid::{decode, detect_recurrence, read_rows, title_from_file_name, ImportOptions};
use super::grid::{Imported, Row};
use super::long::{build_long, is_long_header, LONG_HEADERS};
use crate::engine::model::error::{Error, ErrorKind, LongProblem, PackageProblem, Position};
use crate::engine::model::limits::MAX_DESCRIPTOR_BYTES;
use crate::engine::model::number::{parse_amount, Amount, MAX_DECIMALS};
use crate::engine::model::schedule::{
    ColumnRef, FinancialYear, Profile, Section, SignConvention, TextColumn, TextField, Unit,
    YearColumn,
};

/// The descriptor's name inside the zip.
pub const DESCRIPTOR: &str = "datapackage.json";
/// The `format` of the descriptor's `gapwise` object.
pub const PACKAGE_FORMAT: &str = "gapwise-package/1";
/// The column after the long CSV's seven naming each line's measure (a dimension of the model).
pub const MEASURE_COLUMN: &str = "Measure";
/// The texts that stand for "no figure" or an empty cell in the CSV: Table Schema's
/// `missingValues`, so that a `number` field holds only numbers.
pub const MISSING_VALUES: [&str; 4] = ["", "N/A", "TBC", "#VALUE!"];

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// What the descriptor's `gapwise` object holds: what the Fiscal Data Package has no place for
/// and a schedule needs to come back the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageExtras {
    /// [`PACKAGE_FORMAT`].
    pub format: String,
    /// The schedule's title exactly (the descriptor's `title` is never empty).
    #[serde(default)]
    pub title: Option<String>,
    /// The year columns in order with their headers as published (`2018/19 Original Saving`);
    /// a schedule without lines has its years only here.
    #[serde(default)]
    pub years: Vec<YearColumn>,
    /// The unit (also in every CSV row's `Unit`): a schedule without lines has it only here.
    #[serde(default)]
    pub unit: Option<Unit>,
    #[serde(default)]
    pub sign: SignConvention,
    #[serde(default)]
    pub profile: Profile,
    /// The decimal places the schedule shows its figures with.
    #[serde(default)]
    pub decimals: Option<u32>,
    /// The schedule's text columns in order, each with the CSV column holding it.
    #[serde(default)]
    pub text_columns: Vec<PackageTextColumn>,
}

/// One text column of the schedule: its header and kind as in the schedule, and the name of the
/// CSV column (and Table Schema field) holding its cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageTextColumn {
    pub header: String,
    pub field: TextField,
    pub column: String,
}

fn problem(p: PackageProblem) -> Error {
    Error::new(ErrorKind::Package(p))
}

fn zip_error(e: zip::result::ZipError) -> Error {
    problem(PackageProblem::Zip {
        message: e.to_string(),
    })
}

fn is_zip_name(file_name: &str) -> bool {
    file_name.to_ascii_lowercase().ends_with(".zip")
}

/// The descriptor's entry in the zip: `datapackage.json` at the top, else the shallowest one in
/// a folder (a package zipped with its folder).
fn descriptor_entry<R: Read + std::io::Seek>(zip: &zip::ZipArchive<R>) -> Option<String> {
    zip.file_names()
        .filter(|n| *n == DESCRIPTOR || n.ends_with(&format!("/{DESCRIPTOR}")))
        .min_by_key(|n| (n.matches('/').count(), n.len()))
        .map(str::to_string)
}

/// True when the bytes are a zip holding a `datapackage.json`.
pub(crate) fn is_package(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
        && zip::ZipArchive::new(Cursor::new(bytes))
            .ok()
            .is_some_and(|z| descriptor_entry(&z).is_some())
}

/// Reads the bytes as a data package when they are one: `None` for anything else (a workbook, a
/// CSV), which the other readers take. A zip named `.zip` that is not a package is refused here
/// with [`PackageProblem::NoDescriptor`] (or the zip's own error), rather than read as a damaged
/// workbook.
pub(crate) fn read_if_package(
    bytes: &[u8],
    file_name: &str,
    options: &ImportOptions,
) -> Option<Result<Imported, Error>> {
    if !bytes.starts_with(ZIP_MAGIC) {
        return None;
    }
    let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(e) if is_zip_name(file_name) => return Some(Err(zip_error(e))),
        Err(_) => return None,
    };
    match descriptor_entry(&zip) {
        Some(entry) => Some(read_package(&mut zip, &entry, file_name, options)),
        None if is_zip_name(file_name) => Some(Err(problem(PackageProblem::NoDescriptor))),
        None => None,
    }
}

/// An entry's bytes, refused when it unpacks (or says it unpacks) to more than `limit`.
fn read_entry<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let too_large = || {
        problem(PackageProblem::EntryTooLarge {
            entry: name.to_string(),
            limit,
        })
    };
    let file = zip.by_name(name).map_err(zip_error)?;
    if file.size() > limit as u64 {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            problem(PackageProblem::Zip {
                message: format!("{name}: {e}"),
            })
        })?;
    if bytes.len() > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A resource path the package may name: relative, inside the package, no `..`, no scheme.
fn safe_path(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != "." && s != "..")
}

/// The descriptor's CSV resource: its path.
fn csv_resource(descriptor: &Value) -> Result<String, Error> {
    let not = |property: &str| {
        problem(PackageProblem::NotAPackage {
            property: property.to_string(),
        })
    };
    let resources = descriptor
        .get("resources")
        .and_then(Value::as_array)
        .ok_or_else(|| not("resources"))?;
    let is_csv = |r: &Value| {
        let format = r.get("format").and_then(Value::as_str).unwrap_or("");
        let path = r.get("path").and_then(Value::as_str).unwrap_or("");
        format.eq_ignore_ascii_case("csv") || path.to_ascii_lowercase().ends_with(".csv")
    };
    let resource = resources
        .iter()
        .find(|r| is_csv(r))
        .ok_or_else(|| problem(PackageProblem::NoCsvResource))?;
    let path = match resource.get("path") {
        Some(Value::String(p)) => p.clone(),
        Some(other) => {
            return Err(problem(PackageProblem::BadPath {
                path: other.to_string(),
            }))
        }
        None => return Err(problem(PackageProblem::NoCsvResource)),
    };
    if !safe_path(&path) {
        return Err(problem(PackageProblem::BadPath { path }));
    }
    Ok(path)
}

/// A text cell as the package wrote it: the `'` written before text a spreadsheet would run as
/// a formula is taken off again; nothing else changes (no trimming).
fn restore(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text.to_string(),
    }
}

fn read_package<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    entry: &str,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let base = &entry[..entry.len() - DESCRIPTOR.len()];
    let descriptor_bytes = read_entry(zip, entry, MAX_DESCRIPTOR_BYTES)?;
    let descriptor: Value = serde_json::from_slice(&descriptor_bytes).map_err(|e| {
        problem(PackageProblem::Descriptor {
            message: e.to_string(),
        })
    })?;
    if !descriptor.is_object() {
        return Err(problem(PackageProblem::NotAPackage {
            property: "{ … } (the descriptor is not an object)".into(),
        }));
    }
    let extras: Option<PackageExtras> = match descriptor.get("gapwise") {
        None => None,
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(|e| {
            problem(PackageProblem::NotAPackage {
                property: format!("gapwise ({e})"),
            })
        })?),
    };
    let path = csv_resource(&descriptor)?;
    let full = format!("{base}{path}");
    if zip.index_for_name(&full).is_none() {
        return Err(problem(PackageProblem::MissingResource { path }));
    }
    let csv = read_entry(zip, &full, options.max_bytes)?;
    let (text, _) = decode(&csv)?;
    let rows = read_rows(&text, b',')?;
    let Some(header) = rows.first() else {
        return Err(Error::new(ErrorKind::Empty));
    };
    if header.cells.len() < LONG_HEADERS.len()
        || !is_long_header(header.cells.iter().take(LONG_HEADERS.len()))
    {
        let cells: Vec<&str> = header.cells.iter().take(10).collect();
        return Err(problem(PackageProblem::NotLong {
            header: cells.join(","),
        }));
    }
    let names: Vec<String> = header.cells.iter().map(|c| c.trim().to_string()).collect();
    let columns: Vec<(usize, &PackageTextColumn)> = extras
        .iter()
        .flat_map(|x| &x.text_columns)
        .map(|c| {
            names
                .iter()
                .position(|n| *n == c.column.trim())
                .map(|i| (i, c))
                .ok_or_else(|| {
                    problem(PackageProblem::MissingColumn {
                        column: c.column.clone(),
                    })
                })
        })
        .collect::<Result<_, _>>()?;

    // The long CSV's seven columns make the schedule, with every check of the long import.
    let long: Vec<Row> = rows
        .iter()
        .map(|r| Row {
            row: r.row,
            line: r.line,
            cells: r.cells.iter().take(LONG_HEADERS.len()).collect(),
        })
        .collect();
    let mut imported = build_long(long, file_name, options)?;
    imported.encoding = "Data package";
    let title = ["title", "name"]
        .iter()
        .find_map(|k| descriptor.get(*k).and_then(Value::as_str))
        .filter(|t| !t.trim().is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| title_from_file_name(file_name));
    imported.schedule.title = title;
    if let Some(extras) = &extras {
        restore_schedule(&mut imported, &rows, &names, &columns, extras)?;
        if let (None, true, Some(unit)) = (
            options.unit,
            imported.schedule.lines.is_empty(),
            extras.unit,
        ) {
            imported.schedule.unit = unit;
            imported.unit_stated = true;
        }
    }
    Ok(imported)
}

/// Puts back what the long CSV's seven columns lose and the package carries: the text columns
/// and the section names exactly as written, each amount exactly as written (a zero keeps its
/// places), the sign convention, the profile and the decimals.
fn restore_schedule(
    imported: &mut Imported,
    rows: &[Row],
    names: &[String],
    columns: &[(usize, &PackageTextColumn)],
    extras: &PackageExtras,
) -> Result<(), Error> {
    const ROW: usize = 0;
    const SECTION: usize = 1;
    const YEAR: usize = 4;
    const AMOUNT: usize = 5;
    let schedule = &mut imported.schedule;
    let line_of: HashMap<usize, usize> = schedule
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| (l.row, i))
        .collect();
    let cell = |r: &Row, c: usize| r.cells.get(c).unwrap_or("").to_string();
    // Per line, its first record's section and texts; every other record must agree.
    let mut first: Vec<Option<(usize, String, Vec<String>)>> = vec![None; schedule.lines.len()];
    for r in rows.iter().skip(1) {
        if r.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let Some(&i) = r
            .cells
            .get(ROW)
            .and_then(|c| c.trim().parse::<usize>().ok())
            .and_then(|n| line_of.get(&n))
        else {
            continue;
        };
        let section = restore(&cell(r, SECTION));
        let texts: Vec<String> = columns.iter().map(|(c, _)| restore(&cell(r, *c))).collect();
        match &first[i] {
            None => first[i] = Some((r.row, section, texts)),
            Some((first_row, s, t)) => {
                let differs = std::iter::once((SECTION, &section, s))
                    .chain(
                        columns
                            .iter()
                            .zip(texts.iter().zip(t))
                            .map(|((c, _), (a, b))| (*c, a, b)),
                    )
                    .find(|(_, a, b)| a != b);
                if let Some((c, given, before)) = differs {
                    return Err(Error::at(
                        ErrorKind::LongTable(LongProblem::LineDisagrees {
                            line_row: schedule.lines[i].row,
                            column: names[c].clone(),
                            given: given.clone(),
                            before: before.clone(),
                            first_row: *first_row,
                        }),
                        Position {
                            row: r.row,
                            line: r.line,
                            column: Some(c + 1),
                            column_header: Some(names[c].clone()),
                        },
                    ));
                }
            }
        }
        // The amount exactly as written, when it is written as Gapwise writes amounts.
        let year = FinancialYear::find_in(cell(r, YEAR).trim());
        let y = year.and_then(|y| schedule.years.iter().position(|c| c.year == y));
        let raw = cell(r, AMOUNT);
        if let (Some(y), Ok(parsed)) = (y, parse_amount(&raw)) {
            if parsed.magnitude.is_none() && parsed.amount.canonical() == raw.trim() {
                if let Some(a) = schedule.lines[i].amounts.get_mut(y) {
                    *a = parsed.amount;
                }
            }
        }
    }

    schedule.text_columns = extras
        .text_columns
        .iter()
        .map(|c| TextColumn {
            header: c.header.clone(),
            field: c.field,
        })
        .collect();
    let rows_of_lines: std::collections::HashSet<usize> =
        schedule.lines.iter().map(|l| l.row).collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut previous: Option<String> = None;
    for (line, first) in schedule.lines.iter_mut().zip(first) {
        let (_, section, texts) = first.unwrap_or_default();
        line.section = if section.is_empty() {
            None
        } else {
            if previous.as_deref() != Some(section.as_str()) {
                let above = line.row - 1;
                sections.push(Section {
                    name: section.clone(),
                    row: if above >= 1 && !rows_of_lines.contains(&above) {
                        above
                    } else {
                        line.row
                    },
                });
            }
            Some(sections.len() - 1)
        };
        previous = Some(section);
        line.recurrence = detect_recurrence(&texts);
        line.text = texts;
    }
    schedule.sections = sections;
    let mut layout: Vec<ColumnRef> = (0..schedule.text_columns.len())
        .map(ColumnRef::Text)
        .collect();
    layout.extend((0..schedule.years.len()).map(ColumnRef::Year));
    schedule.layout = layout;
    if !extras.years.is_empty() {
        restore_years(schedule, &extras.years)?;
    }
    if let Some(title) = &extras.title {
        schedule.title = title.clone();
    }
    schedule.sign = extras.sign;
    schedule.profile = extras.profile;
    if let Some(d) = extras.decimals {
        schedule.decimals = d.min(MAX_DECIMALS);
    }
    Ok(())
}

/// Puts the years in the order the descriptor lists them, with their headers, and each line's
/// amounts with them. A year the CSV has and the descriptor does not, or (for a schedule with
/// lines) one the descriptor lists and the CSV has no row for, is refused.
fn restore_years(
    schedule: &mut crate::engine::model::schedule::Schedule,
    years: &[YearColumn],
) -> Result<(), Error> {
    if let Some(extra) = schedule
        .years
        .iter()
        .find(|c| !years.iter().any(|y| y.year == c.year))
    {
        return Err(problem(PackageProblem::NotAPackage {
            property: format!("gapwise.years (the CSV has {} too)", extra.year.label()),
        }));
    }
    let from: Vec<Option<usize>> = years
        .iter()
        .map(|y| schedule.years.iter().position(|c| c.year == y.year))
        .collect();
    if let (Some(line), Some(missing)) = (
        schedule.lines.first(),
        years.iter().zip(&from).find(|(_, f)| f.is_none()),
    ) {
        return Err(Error::new(ErrorKind::LongTable(LongProblem::YearMissing {
            line_row: line.row,
            year: missing.0.year,
        })));
    }
    for line in &mut schedule.lines {
        line.amounts = from
            .iter()
            .map(|f| {
                f.and_then(|i| line.amounts.get(i).cloned())
                    .unwrap_or(Amount::Blank)
            })
            .collect();
    }
    schedule.years = years.to_vec();
    Ok(())
}

/// True when a JSON text that is not a Gapwise document is a data package's descriptor
/// (`resources`, or a data package `profile`): loaded alone, it is refused with
/// [`PackageProblem::DescriptorAlone`].
pub(crate) fn is_descriptor(text: &str) -> bool {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else {
        return false;
    };
    map.get("resources").is_some_and(Value::is_array)
        || map
            .get("profile")
            .and_then(Value::as_str)
            .is_some_and(|p| p.contains("data-package"))
}

/// The error for a descriptor loaded on its own.
pub(crate) fn descriptor_alone() -> Error {
    problem(PackageProblem::DescriptorAlone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_paths_stay_inside_the_package() {
        for ok in ["savings.csv", "data/savings.csv", "a-b_c.csv"] {
            assert!(safe_path(ok), "{ok}");
        }
        for bad in [
            "",
            "/etc/passwd",
            "../x.csv",
            "data/../../x.csv",
            "https://example.org/x.csv",
            "C:\\x.csv",
            "a//b.csv",
            "./x.csv",
        ] {
            assert!(!safe_path(bad), "{bad}");
        }
    }

    #[test]
    fn restore_takes_off_only_the_formula_guard() {
        assert_eq!(restore("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(restore("'plain"), "'plain");
        assert_eq!(restore(" spaced "), " spaced ");
    }

    #[test]
    fn descriptors_are_told_from_gapwise_json() {
        assert!(is_descriptor(
            r#"{"profile":"tabular-data-package","resources":[]}"#
        ));
        assert!(!is_descriptor(r#"{"format":"gapwise-schedule/1"}"#));
        assert!(!is_descriptor("[1, 2]"));
    }
}
