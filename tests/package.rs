//! The Fiscal Data Package (docs/domain.md, "The Fiscal Data Package"): the demo's
//! `datapackage.json` says what the standard asks (profiles, a typed Table Schema, a model whose
//! measure is in GBP with the unit's factor and whose dimensions are the proposal, the section,
//! the measure and the financial year, the source file's name and SHA-256); a package imports
//! again as the same schedule, for every published fixture and for generated schedules; and a
//! zip or descriptor that is not a whole package is refused with a message naming the problem.

mod common;

use std::io::{Cursor, Read, Write};

use common::generate;
use common::{load_clean, CYPS_SAVINGS, FIXTURES};
use gapwise::engine::{
    calculate, checksum, import, package_csv, to_data_package, Amount, Error, ErrorKind,
    ImportOptions, PackageProblem, PackageSource, Schedule, DESCRIPTOR, PACKAGE_CSV,
};
use serde_json::Value;

/// The entries of a zip, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut content = Vec::new();
            f.read_to_end(&mut content).unwrap();
            (f.name().to_string(), content)
        })
        .collect()
}

/// A zip of the given entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(content).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn package_of(s: &Schedule, file_name: &str, sha256: Option<&str>) -> Vec<u8> {
    to_data_package(s, &PackageSource { file_name, sha256 }).expect("the package is written")
}

fn demo() -> (Schedule, Vec<u8>) {
    let (name, bytes) = CYPS_SAVINGS;
    let s = load_clean(bytes, name).schedule;
    let sum = checksum(bytes);
    let zip = package_of(&s, name, Some(&sum));
    (s, zip)
}

fn descriptor(zip: &[u8]) -> Value {
    let entries = unzip(zip);
    let (_, json) = entries
        .iter()
        .find(|(n, _)| n == DESCRIPTOR)
        .expect("datapackage.json");
    serde_json::from_slice(json).unwrap()
}

/// Everything the package carries, line by line and for the schedule, in comparable form:
/// rows, section names, texts, amounts as written; text columns, years with headers, unit,
/// sign, profile, decimals and title.
fn carried(s: &Schedule) -> String {
    let lines: Vec<String> = s
        .lines
        .iter()
        .map(|l| {
            let section = l
                .section
                .map(|i| s.sections[i].name.clone())
                .filter(|n| !n.is_empty());
            let cells: Vec<String> = l.amounts.iter().map(Amount::canonical).collect();
            format!("{} {section:?} {:?} {cells:?}", l.row, l.text)
        })
        .collect();
    format!(
        "{lines:#?}\n{:?}\n{:?}\n{:?} {:?} {:?} {} {:?}",
        s.text_columns, s.years, s.unit, s.sign, s.profile, s.decimals, s.title
    )
}

fn read_back(zip: &[u8], name: &str) -> Schedule {
    import(zip, name, &ImportOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .schedule
}

fn grand(s: &Schedule) -> (Vec<String>, String) {
    let r = calculate(s);
    (
        r.totals
            .grand
            .years
            .iter()
            .map(|y| y.value.to_string())
            .collect(),
        r.totals.grand.total.value.to_string(),
    )
}

#[test]
fn the_demo_descriptor_is_a_fiscal_data_package_in_thousands_of_pounds() {
    let (name, bytes) = CYPS_SAVINGS;
    let (_, zip) = demo();
    let names: Vec<String> = unzip(&zip).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, [DESCRIPTOR, PACKAGE_CSV]);
    let d = descriptor(&zip);
    assert_eq!(d["profile"], "tabular-data-package");
    assert_eq!(d["name"], "cyps-savings-2017-21");
    assert_eq!(d["title"], "cyps-savings-2017-21");
    assert_eq!(d["sources"][0]["title"], name);
    assert_eq!(d["sources"][0]["sha256"], checksum(bytes).as_str());

    let resources = d["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1);
    let r = &resources[0];
    assert_eq!(r["path"], PACKAGE_CSV);
    assert_eq!(r["profile"], "tabular-data-resource");
    assert_eq!(r["format"], "csv");
    assert_eq!(r["encoding"], "utf-8");
    let csv = &unzip(&zip)[1].1;
    assert_eq!(r["bytes"], csv.len());
    assert_eq!(r["hash"], format!("sha256:{}", checksum(csv)).as_str());
    let types: Vec<(String, String)> = r["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let ty = |n: &str| types.iter().find(|(f, _)| f == n).map(|(_, t)| t.as_str());
    assert_eq!(ty("Amount"), Some("number"));
    assert_eq!(ty("Row"), Some("integer"));
    for text in [
        "Section",
        "Reference",
        "Line",
        "Year",
        "Unit",
        "Measure",
        "Project name",
    ] {
        assert_eq!(ty(text), Some("string"), "{text}");
    }
    assert_eq!(
        r["schema"]["missingValues"],
        serde_json::json!(["", "N/A", "TBC", "#VALUE!"])
    );
    assert_eq!(
        r["schema"]["primaryKey"],
        serde_json::json!(["Row", "Year"])
    );

    let m = &d["model"]["measures"]["amount"];
    assert_eq!(m["source"], "Amount");
    assert_eq!(m["currency"], "GBP");
    assert_eq!(m["factor"], 1000);
    assert_eq!(m["direction"], "expenditure");
    assert_eq!(m["phase"], "proposed");
    let dims = &d["model"]["dimensions"];
    let source = |dim: &str, attr: &str| dims[dim]["attributes"][attr]["source"].clone();
    assert_eq!(source("proposal", "reference"), "Reference");
    assert_eq!(source("proposal", "name"), "Line");
    assert_eq!(source("proposal", "row"), "Row");
    assert_eq!(source("section", "name"), "Section");
    assert_eq!(source("measure", "kind"), "Measure");
    assert_eq!(source("financial-year", "year"), "Year");
    assert_eq!(dims["financial-year"]["dimensionType"], "datetime");
    // Every field a measure or dimension names is a field of the schema.
    for (_, dim) in dims.as_object().unwrap() {
        for (_, attr) in dim["attributes"].as_object().unwrap() {
            assert!(ty(attr["source"].as_str().unwrap()).is_some(), "{attr}");
        }
    }
    assert_eq!(d["gapwise"]["format"], "gapwise-package/1");
    assert_eq!(d["gapwise"]["sign"], "savings_positive");
}

#[test]
fn the_demo_csv_is_the_long_csv_with_measure_and_text_columns_and_adds_up() {
    let (s, zip) = demo();
    let csv = String::from_utf8(unzip(&zip)[1].1.clone()).unwrap();
    assert_eq!(csv, package_csv(&s));
    let rows = common::csv_rows(&csv);
    assert_eq!(
        rows[0][..8],
        [
            "Row",
            "Section",
            "Reference",
            "Line",
            "Year",
            "Amount",
            "Unit",
            "Measure"
        ]
    );
    assert_eq!(rows.len() - 1, s.lines.len() * s.years.len());
    // The first seven columns are the long CSV's, cell for cell.
    let long = common::csv_rows(&gapwise::engine::to_csv_long(&s, None));
    for (p, l) in rows.iter().zip(&long) {
        assert_eq!(p[..7], l[..]);
    }
    // The amounts add up, exactly, to the computed grand total the page shows.
    let sum: rust_decimal::Decimal = rows[1..]
        .iter()
        .filter(|r| !r[5].is_empty())
        .map(|r| r[5].parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(sum.to_string(), grand(&s).1);
}

#[test]
fn the_demo_package_reads_back_as_the_same_schedule() {
    let (s, zip) = demo();
    let imported = import(&zip, "demo-datapackage.zip", &ImportOptions::default()).unwrap();
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    assert_eq!(imported.encoding, "Data package");
    let again = imported.schedule;
    assert_eq!(carried(&again), carried(&s));
    assert_eq!(grand(&again), grand(&s));
    // Sections come back with the demo's heading rows.
    let sections = |s: &Schedule| {
        s.sections
            .iter()
            .map(|x| (x.name.clone(), x.row))
            .collect::<Vec<_>>()
    };
    assert_eq!(sections(&again), sections(&s));
    // A package of what was read back is the same package, byte for byte.
    assert_eq!(
        package_of(&again, CYPS_SAVINGS.0, None),
        package_of(&s, CYPS_SAVINGS.0, None)
    );
}

#[test]
fn every_fixture_round_trips_through_its_package() {
    for (name, bytes) in FIXTURES {
        let s = load_clean(bytes, name).schedule;
        let again = read_back(&package_of(&s, name, None), "x-datapackage.zip");
        assert_eq!(carried(&again), carried(&s), "{name}");
        assert_eq!(grand(&again), grand(&s), "{name}");
    }
}

/// What a package has no place for, taken off a schedule: published totals and total rows,
/// memo marks, ratings and one-offs (which come back from the text), the column order.
fn without_the_uncarried(mut s: Schedule) -> Schedule {
    for l in &mut s.lines {
        l.total = None;
    }
    s.total_rows.clear();
    s
}

#[test]
fn generated_schedules_round_trip_through_their_package() {
    generate::check(120, generate::schedule(), |s| {
        let s = without_the_uncarried(s);
        let again = read_back(&package_of(&s, "gen.csv", None), "gen-datapackage.zip");
        assert_eq!(carried(&again), carried(&s));
        assert_eq!(grand(&again), grand(&s));
    });
}

fn refused(bytes: &[u8], name: &str) -> Error {
    match import(bytes, name, &ImportOptions::default()) {
        Ok(_) => panic!("{name} was read"),
        Err(e) => e,
    }
}

fn package_problem(e: &Error) -> &PackageProblem {
    match e.kind() {
        ErrorKind::Package(p) => p,
        other => panic!("not a package problem: {other:?} ({e})"),
    }
}

/// The demo package with its descriptor replaced (or the CSV, when `csv` is given).
fn with_descriptor(json: &[u8], csv: Option<&[u8]>) -> Vec<u8> {
    let (_, zip) = demo();
    let entries = unzip(&zip);
    let csv = csv.unwrap_or(&entries[1].1);
    zip_of(&[(DESCRIPTOR, json), (PACKAGE_CSV, csv)])
}

fn edited(edit: impl Fn(&mut Value)) -> Vec<u8> {
    let (_, zip) = demo();
    let mut d = descriptor(&zip);
    edit(&mut d);
    serde_json::to_vec(&d).unwrap()
}

#[test]
fn a_zip_without_a_descriptor_is_refused() {
    let zip = zip_of(&[("savings.csv", b"Row,Section\n")]);
    let e = refused(&zip, "x.zip");
    assert_eq!(package_problem(&e), &PackageProblem::NoDescriptor);
    assert!(
        e.to_string()
            .starts_with("x.zip: the zip holds no datapackage.json"),
        "{e}"
    );
}

#[test]
fn a_damaged_zip_named_zip_says_the_zip_cannot_be_read() {
    let (_, zip) = demo();
    let e = refused(&zip[..zip.len() / 2], "cut.zip");
    assert!(
        matches!(package_problem(&e), PackageProblem::Zip { .. }),
        "{e}"
    );
    assert!(e.to_string().contains("zip cannot be read"), "{e}");
}

#[test]
fn bad_json_is_refused_with_its_line_and_column() {
    let e = refused(
        &with_descriptor(b"{\n  \"resources\": [,]\n}", None),
        "p.zip",
    );
    assert!(matches!(
        package_problem(&e),
        PackageProblem::Descriptor { .. }
    ));
    let text = e.to_string();
    assert!(
        text.contains("datapackage.json is not valid JSON"),
        "{text}"
    );
    assert!(text.contains("line 2"), "{text}");
}

#[test]
fn a_descriptor_without_resources_or_a_csv_is_refused() {
    let e = refused(&with_descriptor(br#"{"name": "x"}"#, None), "p.zip");
    assert_eq!(
        package_problem(&e),
        &PackageProblem::NotAPackage {
            property: "resources".into()
        }
    );
    let e = refused(
        &with_descriptor(
            br#"{"resources": [{"path": "x.json", "format": "json"}]}"#,
            None,
        ),
        "p.zip",
    );
    assert_eq!(package_problem(&e), &PackageProblem::NoCsvResource);
}

#[test]
fn a_missing_or_escaping_resource_is_refused_naming_its_path() {
    let json = edited(|d| d["resources"][0]["path"] = "gone.csv".into());
    let e = refused(&with_descriptor(&json, None), "p.zip");
    assert_eq!(
        package_problem(&e),
        &PackageProblem::MissingResource {
            path: "gone.csv".into()
        }
    );
    assert!(e.to_string().contains("`gone.csv`"), "{e}");
    for path in ["../savings.csv", "/etc/passwd.csv", "https://x.org/a.csv"] {
        let json = edited(|d| d["resources"][0]["path"] = path.into());
        let e = refused(&with_descriptor(&json, None), "p.zip");
        assert_eq!(
            package_problem(&e),
            &PackageProblem::BadPath { path: path.into() },
            "{e}"
        );
    }
}

#[test]
fn a_missing_text_column_or_a_csv_of_another_shape_is_refused() {
    let json = edited(|d| d["gapwise"]["text_columns"][0]["column"] = "Nowhere".into());
    let e = refused(&with_descriptor(&json, None), "p.zip");
    assert_eq!(
        package_problem(&e),
        &PackageProblem::MissingColumn {
            column: "Nowhere".into()
        }
    );
    let (_, zip) = demo();
    let json = descriptor(&zip);
    let e = refused(
        &with_descriptor(
            &serde_json::to_vec(&json).unwrap(),
            Some(b"Project,2017/18\nA,1\n"),
        ),
        "p.zip",
    );
    assert!(
        matches!(package_problem(&e), PackageProblem::NotLong { .. }),
        "{e}"
    );
}

#[test]
fn rows_of_one_line_that_disagree_are_refused_with_row_and_column() {
    let (_, zip) = demo();
    let csv = String::from_utf8(unzip(&zip)[1].1.clone()).unwrap();
    // The second record (the first line's second year) with another description.
    let mut lines: Vec<String> = csv.lines().map(str::to_string).collect();
    lines[2] = lines[2].replace("agency release.", "something else.");
    let csv = lines.join("\n");
    let json = serde_json::to_vec(&descriptor(&zip)).unwrap();
    let e = refused(&with_descriptor(&json, Some(csv.as_bytes())), "p.zip");
    assert!(matches!(e.kind(), ErrorKind::LongTable(_)), "{e}");
    let p = e.position().unwrap();
    assert_eq!(
        (p.row, p.column_header.as_deref()),
        (3, Some("Description"))
    );
}

#[test]
fn huge_entries_are_refused_before_they_are_unpacked() {
    // A CSV that deflates to almost nothing and unpacks past the import limit.
    let (_, zip) = demo();
    let json = serde_json::to_vec(&descriptor(&zip)).unwrap();
    let bomb = vec![b' '; 3_000_000];
    let bytes = with_descriptor(&json, Some(&bomb));
    assert!(bytes.len() < 100_000);
    let small = ImportOptions {
        max_bytes: 1_000_000,
        ..ImportOptions::default()
    };
    let e = import(&bytes, "bomb.zip", &small).unwrap_err();
    assert_eq!(
        package_problem(&e),
        &PackageProblem::EntryTooLarge {
            entry: PACKAGE_CSV.into(),
            limit: 1_000_000
        }
    );
    assert!(e.to_string().contains("unpacks to more than 1 MB"), "{e}");
    // A descriptor over its own limit (1 MB) is refused before it is parsed.
    let big = format!("{{\"pad\": \"{}\"}}", " ".repeat(1_100_000));
    let e = refused(&with_descriptor(big.as_bytes(), None), "p.zip");
    assert!(
        matches!(package_problem(&e), PackageProblem::EntryTooLarge { entry, .. } if entry == DESCRIPTOR),
        "{e}"
    );
}

#[test]
fn a_descriptor_alone_asks_for_the_zip() {
    let (_, zip) = demo();
    let json = serde_json::to_vec(&descriptor(&zip)).unwrap();
    let e = refused(&json, "datapackage.json");
    assert_eq!(package_problem(&e), &PackageProblem::DescriptorAlone);
    assert!(
        e.to_string().contains("load the data package's .zip"),
        "{e}"
    );
}

#[test]
fn a_package_in_a_folder_reads_too() {
    let (s, zip) = demo();
    let entries = unzip(&zip);
    let nested = zip_of(&[
        ("pkg/datapackage.json", &entries[0].1),
        ("pkg/savings.csv", &entries[1].1),
    ]);
    assert_eq!(carried(&read_back(&nested, "n.zip")), carried(&s));
}

#[test]
fn a_workbook_is_still_a_workbook() {
    // A zip without a descriptor and not named .zip goes on to the workbook reader.
    let zip = zip_of(&[("savings.csv", b"Row\n")]);
    let e = refused(&zip, "x.xlsx");
    assert!(matches!(e.kind(), ErrorKind::Workbook(_)), "{e}");
}

#[test]
fn a_package_has_no_columns_to_map() {
    let (_, zip) = demo();
    let e = gapwise::engine::detect_mapping(&zip, "p.zip", &ImportOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("a data package (its datapackage.json) names its own columns"),
        "{e}"
    );
}
