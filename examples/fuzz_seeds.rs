//! Writes the seed inputs of the fuzz targets (`fuzz/`, README "Fuzzing") into
//! `fuzz/seeds/<target>/`, from the fixtures and the engine's own writers: exports of every
//! fixture (CSV, long CSV, JSON, XLSX), workbooks built from them, and share links made by
//! `encode_link`. `scripts/fuzz.sh` runs it first, and also hands the fixtures themselves to
//! the import targets. The seeds are not kept in git (`fuzz/.gitignore`).
//!
//! ```sh
//! cargo run --example fuzz_seeds
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use gapwise::engine::{
    calculate, encode_link, gap_model, import, looks_like_gap_table, to_csv, to_csv_long, to_json,
    to_xlsx, ImportOptions, LineAssumption, LinkState, Scenario,
};
use rust_decimal::Decimal;

const NUMBERS: &[&str] = &[
    "1,435.0",
    "(200.0)",
    "-£92,753",
    "£-92,753",
    "+2.056",
    "£1.374m",
    "£75k",
    "-",
    "–",
    "—",
    "",
    "N/A",
    "n/a",
    "TBC",
    "#REF!",
    "#DIV/0!",
    "aa",
    "1,43",
    "12..5",
    "'=1+2",
    "'1,000",
    "−5",
    "(£200)",
    "£(200)",
    "0.0000000001",
    "999,999,999,999,999,999",
    "1000000000000000000",
    "0.30000000000000004",
    "(1,435.0)",
    " 7.359 ",
    "1e5",
    "-0.0",
    "£1.5M",
    "2.5K",
    "--",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seeds = root.join("fuzz/seeds");
    let fixtures = root.join("tests/fixtures");
    let mut files: Vec<PathBuf> = fs::read_dir(&fixtures)
        .expect("tests/fixtures")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv" || e == "tsv"))
        .collect();
    files.sort();

    let mut out: BTreeMap<&str, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    let mut put = |target: &'static str, name: String, bytes: Vec<u8>| {
        out.entry(target).or_default().push((name, bytes));
    };
    for (i, n) in NUMBERS.iter().enumerate() {
        put("number", format!("{i:02}"), n.as_bytes().to_vec());
    }
    put(
        "import_mtfs",
        "mtfs-programme.csv".into(),
        fs::read(fixtures.join("mtfs-programme.csv")).unwrap(),
    );
    for (name, text) in MONITORING {
        put(
            "import_mtfs",
            format!("{name}.csv"),
            text.as_bytes().to_vec(),
        );
    }

    let mut scenario = Scenario::new("Red slips");
    scenario.pressure_growth = Some(Decimal::new(3, 2));
    scenario.reserves = Some(vec![Some(Decimal::new(15, 1)), None]);

    for path in &files {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = fs::read(path).unwrap();
        let Ok(imported) = import(&bytes, &format!("{stem}.csv"), &ImportOptions::default()) else {
            continue;
        };
        let schedule = imported.schedule;
        let results = calculate(&schedule);
        let mut scenario = scenario.clone();
        if let Some(line) = schedule.lines.first() {
            scenario.lines.insert(
                line.row,
                LineAssumption {
                    rate: Some(Decimal::new(5, 1)),
                    slip: 1,
                    scale: Some(Decimal::new(11, 1)),
                    exclude: false,
                },
            );
        }
        let csv = to_csv(&schedule, &results.totals, &results.checks);
        put("import_csv", format!("{stem}-export.csv"), csv.into_bytes());
        put(
            "import_long",
            format!("{stem}-long.csv"),
            to_csv_long(&schedule, None).into_bytes(),
        );
        put(
            "import_long",
            format!("{stem}-long-scenario.csv"),
            to_csv_long(&schedule, Some(&scenario)).into_bytes(),
        );
        put(
            "import_json",
            format!("{stem}.json"),
            to_json(&schedule).into_bytes(),
        );
        let xlsx = to_xlsx(&schedule, &results.totals).expect("xlsx");
        put(
            "spreadsheet",
            format!("{stem}.xlsx"),
            [&[0u8][..], &xlsx].concat(),
        );
        put("spreadsheet_xml", format!("{stem}-xlsx"), xlsx_parts(&xlsx));
        let ods = ods_of(&bytes);
        put(
            "spreadsheet",
            format!("{stem}.ods"),
            [&[1u8][..], &ods].concat(),
        );
        put(
            "spreadsheet_xml",
            format!("{stem}-ods"),
            [&[1u8][..], &ods_content(&bytes)].concat(),
        );

        let gap = looks_like_gap_table(&schedule).then(|| gap_model(&schedule));
        let states = [
            LinkState::Full {
                schedule: schedule.clone(),
                scenario: Some(scenario.clone()),
                gap,
                prices: None,
            },
            LinkState::Short {
                address: format!("published/{stem}.csv"),
                checksum: gapwise::engine::checksum(&bytes),
                scenario: Some(scenario),
                prices: None,
            },
        ];
        for (k, state) in states.iter().enumerate() {
            let link = encode_link(state);
            let json = unpack(&link);
            put("link", format!("{stem}-{k}"), link.into_bytes());
            put("link_json", format!("{stem}-{k}.json"), json);
        }
    }

    for (target, seeds_of) in out {
        let dir = seeds.join(target);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in &seeds_of {
            fs::write(dir.join(name), bytes).unwrap();
        }
        println!("{target}: {} seeds in {}", seeds_of.len(), dir.display());
    }
}

/// Monitoring tables (`mtfs` recognises them): target against forecast, by year and quarter.
const MONITORING: &[(&str, &str)] = &[
    (
        "monitoring-year",
        "Savings monitoring 2024/25\nRef,Saving,RAG,Target,Forecast\n,,,£'000,£'000\n\
         S1,Agency staffing,Green,125.0,130.5\nS2,Digital front door,Amber,250.0,200.0\n\
         S3,Fleet,Green,48.0,48.0\nTotal,,,423.0,378.5\n",
    ),
    (
        "monitoring-quarters",
        "Ref,Saving,Type,Q1 Target,Q1 Forecast,Q2 Target,Q2 Forecast\n,,,£,£,£,£\n\
         S1,Agency staffing,Saving,100,90,100,110\nC1,Agency staffing,Cost,20,25,20,15\n",
    ),
];

/// The link's JSON, unpacked.
fn unpack(link: &str) -> Vec<u8> {
    use base64::Engine as _;
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(link.trim_start_matches("v1."))
        .expect("base64");
    miniz_oxide::inflate::decompress_to_vec_zlib(&packed).expect("zlib")
}

/// An XLSX's sheet, shared strings, styles and workbook XML, NUL-separated after a 0 byte: the
/// `spreadsheet_xml` target's input.
fn xlsx_parts(xlsx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut out = vec![0u8];
    for (i, name) in [
        "xl/worksheets/sheet1.xml",
        "xl/sharedStrings.xml",
        "xl/styles.xml",
        "xl/workbook.xml",
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            out.push(0);
        }
        let mut text = Vec::new();
        if let Ok(mut f) = archive.by_name(name) {
            f.read_to_end(&mut text).unwrap();
        }
        out.extend(text);
    }
    out
}

/// A CSV's cells as an `.ods` `content.xml`: numbers as floats, the rest as strings.
fn ods_content(csv: &[u8]) -> Vec<u8> {
    let (text, _) = gapwise::engine::decode(csv).expect("text");
    let mut content = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Schedule">"#,
    );
    let delimiter = gapwise::engine::detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    for record in reader.records().map_while(Result::ok) {
        content.push_str("<table:table-row>");
        for cell in record.iter() {
            let escaped = cell
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            match cell.replace(',', "").parse::<f64>() {
                Ok(n) if !cell.is_empty() => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{escaped}</text:p></table:table-cell>"#
                )),
                _ => content.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{escaped}</text:p></table:table-cell>"#
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    content.into_bytes()
}

/// A whole `.ods` of a CSV's cells.
fn ods_of(csv: &[u8]) -> Vec<u8> {
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut out = Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("META-INF/manifest.xml", deflated).unwrap();
        zip.write_all(manifest.as_bytes()).unwrap();
        zip.start_file("content.xml", deflated).unwrap();
        zip.write_all(&ods_content(csv)).unwrap();
        zip.finish().unwrap();
    }
    out.into_inner()
}
