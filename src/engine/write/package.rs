//! The Fiscal Data Package export: a zip of `datapackage.json` and one CSV, that any Frictionless
//! tool reads and validates and that Gapwise imports again as the same schedule (docs/domain.md,
//! "The Fiscal Data Package").
//!
//! This module owns writing the package: the CSV ([`package_csv`]: the long CSV's seven columns,
//! cell for cell as [`to_csv_long`] writes them, then `Measure` and one column per text column),
//! the descriptor ([`package_descriptor`]: a Tabular Data Package with one Tabular Data Resource
//! whose Table Schema types every field, a Fiscal Data Package `model` of one measure and four
//! dimensions, the source file's name and SHA-256, and a `gapwise` object with what the
//! standard has no place for) and the zip ([`to_data_package`]). Reading it back is
//! `read::package`'s, whose names ([`DESCRIPTOR`], [`MEASURE_COLUMN`], [`PackageExtras`]) both
//! sides use.
//!
//! Amounts are written as their exact decimal text, never through binary floating point; the
//! Table Schema types them `number`, with `N/A`, `TBC`, `#VALUE!` and the empty cell as missing
//! values.
//!
//! [`to_csv_long`]: super::export::to_csv_long

use std::io::{Cursor, Write};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::export::{long_line_cells, neutralise, with_bom};
use crate::engine::model::error::{Error, ErrorKind, PackageProblem};
use crate::engine::model::number::Amount;
use crate::engine::model::schedule::{Measure, Schedule, Unit};
use crate::engine::read::long::LONG_HEADERS;
use crate::engine::read::package::{
    PackageExtras, PackageTextColumn, DESCRIPTOR, MEASURE_COLUMN, MISSING_VALUES, PACKAGE_FORMAT,
};

/// The CSV resource's path inside the package.
pub const PACKAGE_CSV: &str = "savings.csv";

/// The file the schedule was read from: its name and, when the page has its bytes, their
/// SHA-256 (64 hex digits), which the descriptor records under `sources`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PackageSource<'a> {
    pub file_name: &'a str,
    pub sha256: Option<&'a str>,
}

/// The CSV column of each text column: its header when that is a plain, unique name not taken
/// by the long CSV's columns or `Measure`, else `Text 1`, `Text 2`, … by position.
fn text_column_names(schedule: &Schedule) -> Vec<PackageTextColumn> {
    let mut taken: Vec<String> = LONG_HEADERS
        .iter()
        .chain([&MEASURE_COLUMN])
        .map(|h| h.to_lowercase())
        .collect();
    let mut out = Vec::with_capacity(schedule.text_columns.len());
    for (i, c) in schedule.text_columns.iter().enumerate() {
        let header = c.header.trim();
        let plain = !header.is_empty()
            && header.chars().count() <= 80
            && !header.chars().any(char::is_control)
            && neutralise(header) == header
            && !header.starts_with('\'');
        let mut name = if plain && !taken.contains(&header.to_lowercase()) {
            header.to_string()
        } else {
            format!("Text {}", i + 1)
        };
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            name = format!("Text {} ({n})", i + 1);
            n += 1;
        }
        taken.push(name.to_lowercase());
        out.push(PackageTextColumn {
            header: c.header.clone(),
            field: c.field,
            column: name,
        });
    }
    out
}

/// A line's measure, as the model's `measure` dimension names it: the measure its type column
/// names, else `Gross saving` (a plain schedule line is a gross saving; docs/domain.md,
/// "Netting").
fn measure_label(schedule: &Schedule, line: &crate::engine::model::schedule::Line) -> &'static str {
    schedule
        .measure(line)
        .unwrap_or(Measure::GrossSaving)
        .label()
}

/// The package's CSV (UTF-8 with a byte-order mark, as the long CSV): a header, then one row per
/// line and year, lines in file order and years in column order. Its first seven columns are
/// [`to_csv_long`](super::export::to_csv_long)'s without a scenario, cell for cell; then
/// `Measure` (the line's measure) and one column per text column of the schedule, in order,
/// every text made safe with [`neutralise`].
pub fn package_csv(schedule: &Schedule) -> String {
    let columns = text_column_names(schedule);
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let mut header: Vec<String> = LONG_HEADERS.iter().map(|h| h.to_string()).collect();
    header.push(MEASURE_COLUMN.to_string());
    header.extend(columns.iter().map(|c| c.column.clone()));
    let _ = w.write_record(&header);
    let unit = schedule.unit.label();
    for line in &schedule.lines {
        let [row, section, reference, label] = long_line_cells(schedule, line);
        let measure = measure_label(schedule, line);
        let texts: Vec<String> = (0..columns.len())
            .map(|i| neutralise(line.text.get(i).map(String::as_str).unwrap_or("")))
            .collect();
        for (y, year) in schedule.years.iter().enumerate() {
            let mut record = vec![
                row.clone(),
                section.clone(),
                reference.clone(),
                label.clone(),
                year.year.label(),
                line.amounts
                    .get(y)
                    .map(Amount::canonical)
                    .unwrap_or_default(),
                unit.to_string(),
                measure.to_string(),
            ];
            record.extend(texts.iter().cloned());
            let _ = w.write_record(&record);
        }
    }
    with_bom(w)
}

/// The amounts' factor: what one unit of the schedule is in pounds (Fiscal Data Package
/// `factor`): 1, 1,000 or 1,000,000.
fn factor(unit: Unit) -> u64 {
    match unit {
        Unit::Pounds => 1,
        Unit::Thousands => 1_000,
        Unit::Millions => 1_000_000,
    }
}

/// A package `name` from the title: lower case letters, digits, `-`, `.` and `_` (the
/// standard's pattern), the rest `-`; `gapwise-schedule` when nothing is left.
fn package_name(title: &str) -> String {
    let mut name = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        let c = if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && name.ends_with('-')) {
            name.push(c);
        }
    }
    let name: String = name.trim_matches('-').chars().take(100).collect();
    if name.is_empty() {
        "gapwise-schedule".to_string()
    } else {
        name
    }
}

fn field(name: &str, kind: &str, description: &str) -> Value {
    json!({ "name": name, "type": kind, "description": description })
}

/// The descriptor, `datapackage.json`, of a package whose CSV is `csv` (as [`package_csv`]
/// writes it; its size and SHA-256 are recorded as the resource's `bytes` and `hash`). Pretty
/// printed JSON; keys in a fixed order.
pub fn package_descriptor(schedule: &Schedule, source: &PackageSource, csv: &str) -> String {
    let columns = text_column_names(schedule);
    let unit = schedule.unit;
    let mut fields = vec![
        field(
            "Row",
            "integer",
            "The line's row in the source file: it tells two lines of one reference apart",
        ),
        field("Section", "string", "The section heading the line sits under, or empty"),
        field("Reference", "string", "The line's reference, or empty"),
        field("Line", "string", "The line's label: its project name, else description, else reference"),
        field("Year", "string", "The financial year, 1 April to 31 March: 2017/18"),
        field(
            "Amount",
            "number",
            &format!(
                "The figure as published, exact, in the file's own signs ({}) and in {} (one unit is {} pounds)",
                schedule.sign.label(),
                unit.label(),
                factor(unit)
            ),
        ),
        field("Unit", "string", "The unit of Amount: £, £'000 or £m"),
        field(
            MEASURE_COLUMN,
            "string",
            "What the line is: Gross saving, Investment, Net, Cost or Benefit",
        ),
    ];
    for c in &columns {
        fields.push(field(
            &c.column,
            "string",
            &format!("The schedule's text column `{}`", c.header),
        ));
    }
    // Row, Year and each line once per year; the figures are also constrained to be present.
    if let Some(Value::Object(row)) = fields.first_mut() {
        row.insert(
            "constraints".into(),
            json!({ "required": true, "minimum": 1 }),
        );
    }
    if let Some(Value::Object(year)) = fields.get_mut(4) {
        year.insert("constraints".into(), json!({ "required": true }));
    }

    let mut proposal = Map::new();
    proposal.insert("row".into(), json!({ "source": "Row" }));
    proposal.insert("reference".into(), json!({ "source": "Reference" }));
    proposal.insert("name".into(), json!({ "source": "Line" }));
    for (i, c) in columns.iter().enumerate() {
        proposal.insert(format!("text-{}", i + 1), json!({ "source": c.column }));
    }
    let extras = PackageExtras {
        format: PACKAGE_FORMAT.to_string(),
        title: Some(schedule.title.clone()),
        years: schedule.years.clone(),
        unit: Some(schedule.unit),
        sign: schedule.sign,
        profile: schedule.profile,
        decimals: Some(schedule.decimals),
        text_columns: columns,
    };
    let hash = hex(&Sha256::digest(csv.as_bytes()));
    let mut source_entry = json!({ "title": source.file_name });
    if let (Some(sha), Value::Object(m)) = (source.sha256, &mut source_entry) {
        m.insert("sha256".into(), json!(sha));
    }
    let title = if schedule.title.trim().is_empty() {
        "Savings schedule".to_string()
    } else {
        schedule.title.clone()
    };
    let descriptor = json!({
        "profile": "tabular-data-package",
        "name": package_name(&schedule.title),
        "title": title,
        "description": format!(
            "A savings schedule exported by Gapwise: one row per line and financial year, each \
             amount exact as published, in {} (factor {}). A Fiscal Data Package (v0.3): see \
             `model`.",
            unit.label(),
            factor(unit)
        ),
        "sources": [source_entry],
        "resources": [{
            "name": "savings",
            "path": PACKAGE_CSV,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": csv.len(),
            "hash": format!("sha256:{hash}"),
            "schema": {
                "fields": fields,
                "missingValues": MISSING_VALUES,
                "primaryKey": ["Row", "Year"],
            },
        }],
        "model": {
            "measures": {
                "amount": {
                    "source": "Amount",
                    "currency": "GBP",
                    "factor": factor(unit),
                    "direction": "expenditure",
                    "phase": "proposed",
                    "title": "Amount as published",
                    "description": format!(
                        "Planned changes to spending, in the schedule's signs: {}. Whether a \
                         figure is a saving, an investment or a net is the `measure` dimension.",
                        schedule.sign.label()
                    ),
                },
            },
            "dimensions": {
                "proposal": {
                    "dimensionType": "classification",
                    "primaryKey": ["row"],
                    "attributes": proposal,
                },
                "section": {
                    "dimensionType": "classification",
                    "primaryKey": ["name"],
                    "attributes": { "name": { "source": "Section" } },
                },
                "measure": {
                    "dimensionType": "classification",
                    "primaryKey": ["kind"],
                    "attributes": { "kind": { "source": MEASURE_COLUMN } },
                },
                "financial-year": {
                    "dimensionType": "datetime",
                    "primaryKey": ["year"],
                    "attributes": { "year": { "source": "Year" } },
                },
            },
        },
        "gapwise": extras,
    });
    let mut out = serde_json::to_string_pretty(&descriptor).unwrap_or_default();
    out.push('\n');
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The data package as zip bytes: `datapackage.json` ([`package_descriptor`]) and
/// [`PACKAGE_CSV`] ([`package_csv`]), deflated, with the zip format's earliest date on every
/// entry, so the same schedule always gives the same bytes.
pub fn to_data_package(schedule: &Schedule, source: &PackageSource) -> Result<Vec<u8>, Error> {
    let csv = package_csv(schedule);
    let descriptor = package_descriptor(schedule, source, &csv);
    let failed = |e: &dyn std::fmt::Display| {
        Error::new(ErrorKind::Package(PackageProblem::Zip {
            message: e.to_string(),
        }))
    };
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in [
        (DESCRIPTOR, descriptor.as_bytes()),
        (PACKAGE_CSV, csv.as_bytes()),
    ] {
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(content).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_standard_pattern() {
        assert_eq!(package_name("CYPS Savings 2017/21"), "cyps-savings-2017-21");
        assert_eq!(package_name("  "), "gapwise-schedule");
        assert_eq!(package_name("Zoë's café"), "zo-s-caf");
    }

    #[test]
    fn factors_are_the_units_in_pounds() {
        assert_eq!(factor(Unit::Pounds), 1);
        assert_eq!(factor(Unit::Thousands), 1_000);
        assert_eq!(factor(Unit::Millions), 1_000_000);
    }
}
