//! Inputs the fuzz targets (`fuzz/`, README "Fuzzing") found or were probed with, each once a
//! panic, an overflow, a hang or a huge allocation: every one now gives a result or an error
//! with a message, and each test pins which.

mod common;

use std::io::Write as _;

use base64::Engine as _;
use common::d;
use gapwise::engine::{
    apply_gap_scenario, apply_scenario, calculate, compute_gap, decode_link, gap_model, half_unit,
    import, Amount, ErrorKind, GapModel, ImportOptions, LineAssumption, NoFigure, Scenario,
    Schedule, SCENARIO_RESERVES_LABEL,
};
use rust_decimal::Decimal;

/// A small funding-gap table (£m): a base budget, a pressure, savings and a reserves row.
const GAP_TABLE: &[u8] = b"Line,2024/25,2025/26,2026/27\n,\xc2\xa3m,\xc2\xa3m,\xc2\xa3m\n\
Net Budget,50.000,50.000,50.000\n\
Pressure (Demand),2.000,3.000,4.000\n\
Savings,(1.000),(2.000),(3.000)\n\
Use of Reserves,0.500,0.500,0.500\n";

/// A small savings schedule (£'000).
const SCHEDULE: &[u8] = b"Project,RAG,2024/25,2025/26\n,,\xc2\xa3'000,\xc2\xa3'000\n\
Early Help,Green,175.0,175.0\nEdge of Care,Red,(165.0),429.0\n";

fn gap() -> GapModel {
    let imported = import(GAP_TABLE, "gap.csv", &ImportOptions::default()).unwrap();
    assert!(imported.problems.is_empty(), "{:?}", imported.problems);
    gap_model(&imported.schedule)
}

fn schedule() -> Schedule {
    import(SCHEDULE, "s.csv", &ImportOptions::default())
        .unwrap()
        .schedule
}

/// A link of the given JSON, packed as `encode_link` packs it.
fn link_of(json: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6);
    format!(
        "v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
    )
}

/// Found by probing the `link_json` target: a pressure growth of 10^-28 grows pressures into
/// figures with all 28 decimal places, and the rounding tolerance of such a figure (half a unit
/// of a 29th place) panicked in `half_unit` when the gap was computed.
#[test]
fn growth_of_ten_to_the_minus_28_gives_a_gap_with_28_places() {
    let model = gap();
    let mut scenario = Scenario::new("tiny growth");
    scenario.pressure_growth = Some(d("0.0000000000000000000000000001"));
    let grown = apply_gap_scenario(&model, &scenario);
    let figures = compute_gap(&grown, None);
    // The third year's pressure is 4.000 × (1 + 10^-28)^2, rounded by `Decimal` to 28 places.
    assert_eq!(
        figures.years[2].pressures.value,
        d("4.0000000000000000000000000008")
    );
    assert_eq!(
        figures.years[2].pressures.tolerance,
        d("0.0000000000000000000000000001")
    );
    assert_eq!(half_unit(d("0.0000000000000000000000000001")), d("1e-28"));
}

/// Found by probing the `link_json` target: a planned use of reserves near `Decimal::MAX`
/// (and a contribution of the same size the next year) overflowed the gap's sums. A use over
/// 10^18 now gives up the table's use that year and is a cell with no figure, so the year's
/// gap after reserves is incomplete; the other years are as the scenario says.
#[test]
fn a_use_of_reserves_over_ten_to_the_18_is_no_figure_not_an_overflow() {
    let model = gap();
    let mut scenario = Scenario::new("huge reserves");
    scenario.reserves = Some(vec![
        Some(Decimal::MAX),
        Some(Decimal::MIN),
        Some(d("1.250")),
    ]);
    let adjusted = apply_gap_scenario(&model, &scenario);
    let added = adjusted
        .rows
        .iter()
        .find(|r| r.label == SCENARIO_RESERVES_LABEL && r.amounts[0] != Amount::Blank)
        .expect("the row of the unknown uses");
    assert_eq!(
        added.amounts,
        [
            Amount::NoFigure(NoFigure::Unreadable),
            Amount::NoFigure(NoFigure::Unreadable),
            Amount::Blank
        ]
    );
    let figures = compute_gap(&adjusted, None);
    assert!(!figures.years[0].reserves.is_complete());
    assert!(!figures.years[1].gap_after_reserves.is_complete());
    assert!(figures.years[2].reserves.is_complete());
    assert_eq!(figures.years[2].reserves.value, d("1.250"));
}

/// The same reserves in a link are refused when the link is opened, with the year named.
#[test]
fn a_link_with_reserves_over_ten_to_the_18_is_refused_with_the_year() {
    let json = r#"{"kind":"short","address":"published/gap.csv","checksum":"0000000000000000000000000000000000000000000000000000000000000000","scenario":{"name":"x","rates":{"red":"0","amber":"0.5","green":"1","unrated":"1"},"reserves":["1.5","79228162514264337593543950335"]}}"#;
    let e = decode_link(&link_of(json)).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Link(_)), "{e:?}");
    assert!(
        e.to_string()
            .contains("its scenario's use of reserves in year 2 is over 10^18"),
        "{e}"
    );
    // Within the limit, the same link opens.
    let json = json.replace("79228162514264337593543950335", "-2.5");
    assert!(decode_link(&link_of(&json)).is_ok());
}

/// Seen reading the code after the two above: achievement rates and scales far beyond any
/// sense make products that fit a `Decimal` but whose sums can overflow the totals. A product
/// over 10^18 is now a cell with no figure, and the totals add up.
#[test]
fn a_rate_whose_products_exceed_ten_to_the_18_gives_no_figure() {
    let s = schedule();
    let mut scenario = Scenario::new("absurd");
    scenario.rates.green = d("10000000000000000"); // 10^16: 175.0 × 10^16 is over 10^18
    scenario.rates.red = d("0.5");
    let second_row = s.lines[1].row;
    scenario.lines.insert(
        second_row,
        LineAssumption {
            scale: Some(Decimal::MAX),
            ..LineAssumption::default()
        },
    );
    let applied = apply_scenario(&s, &scenario);
    assert_eq!(
        applied.schedule.lines[0].amounts,
        [
            Amount::NoFigure(NoFigure::Unreadable),
            Amount::NoFigure(NoFigure::Unreadable)
        ]
    );
    assert_eq!(
        applied.schedule.lines[1].amounts,
        [
            Amount::NoFigure(NoFigure::Unreadable),
            Amount::NoFigure(NoFigure::Unreadable)
        ]
    );
    let results = calculate(&applied.schedule);
    assert_eq!(results.totals.grand.years[0].missing, 2);
    // A sane rate on the same line is exact.
    scenario.rates.green = d("0.5");
    scenario.lines.clear();
    let applied = apply_scenario(&s, &scenario);
    assert_eq!(
        applied.schedule.lines[0].amounts[0],
        Amount::Figure(d("87.50"))
    );
}

/// An `.xlsx` holding one sheet with the given XML (and the parts `calamine` needs), stored.
fn xlsx_with_sheet(sheet: &[u8]) -> Vec<u8> {
    let parts: [(&str, &[u8]); 3] = [
        (
            "xl/workbook.xml",
            br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        zip.start_file(name, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const SHEET_OPEN: &str =
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_CLOSE: &str = "</sheetData></worksheet>";

fn sheet(rows: &str) -> Vec<u8> {
    format!("{SHEET_OPEN}{rows}{SHEET_CLOSE}").into_bytes()
}

/// Found by the `spreadsheet_xml` target (a cell reference lengthened by inserted digits):
/// `calamine` adds up a reference's row digits in a `u32` unchecked, so `A99999999999`
/// overflowed (a panic with overflow checks, a cell at a wrong row without). The workbook is
/// now refused as damaged, naming the part and the reference.
#[test]
fn a_cell_reference_beyond_the_last_row_is_refused_naming_it() {
    let book = xlsx_with_sheet(&sheet(
        r#"<row r="1"><c r="A99999999999" t="inlineStr"><is><t>2024/25</t></is></c></row>"#,
    ));
    let e = import(&book, "hostile.xlsx", &ImportOptions::default()).unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("hostile.xlsx"), "{text}");
    assert!(
        text.contains("`xl/worksheets/sheet1.xml` names the cell or range `A99999999999`"),
        "{text}"
    );
    // The same for a column of more than three letters, and for the listing of sheets.
    let book = xlsx_with_sheet(&sheet(r#"<row r="1"><c r="AAAAAAAAA1"><v>1</v></c></row>"#));
    assert!(gapwise::engine::sheet_names(&book, "hostile.xlsx").is_err());
}

/// Found reading `calamine`'s code after the crash above: a merged region or dimension whose
/// corners are the wrong way round (`B2:A1`) made it subtract them unchecked (an overflow
/// panic where overflow is checked). Refused as damaged too.
#[test]
fn a_range_with_its_corners_the_wrong_way_round_is_refused() {
    let xml = format!(
        r#"{SHEET_OPEN}<row r="1"><c r="A1" t="inlineStr"><is><t>Project</t></is></c><c r="B1" t="inlineStr"><is><t>2024/25</t></is></c></row>{SHEET_CLOSE}<mergeCells count="1"><mergeCell ref="B2:A1"/></mergeCells>"#
    )
    .replace("</worksheet><mergeCells", "<mergeCells")
        + "</worksheet>";
    let e = import(
        &xlsx_with_sheet(xml.as_bytes()),
        "hostile.xlsx",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("`B2:A1`"), "{e}");
    // In order, the same workbook reads.
    let xml = xml.replace("B2:A1", "C3:D3");
    let imported = import(
        &xlsx_with_sheet(xml.as_bytes()),
        "fine.xlsx",
        &ImportOptions::default(),
    );
    assert!(imported.is_ok(), "{:?}", imported.err());
}

/// An `.ods` with the given `content.xml`.
fn ods_with_content(content: &str) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap();
    out.into_inner()
}

const ODS_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Schedule">"#;
const ODS_ROW: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>Project</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>2024/25</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Early Help</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="175"><text:p>175</text:p></table:table-cell></table:table-row>"#;
const ODS_CLOSE: &str =
    "</table:table></office:spreadsheet></office:body></office:document-content>";

/// Found by the `spreadsheet_xml` target (a timeout: a mutation cut `</table:table>` out of
/// `content.xml`): `calamine` reads a table until its end tag and does not stop at the end of
/// the file, so it looped for ever. The workbook is now refused as damaged, saying what.
#[test]
fn an_ods_table_left_open_is_refused_not_a_hang() {
    let content =
        format!("{ODS_OPEN}{ODS_ROW}</office:spreadsheet></office:body></office:document-content>");
    let e = import(
        &ods_with_content(&content),
        "cut.ods",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Workbook { .. }), "{e:?}");
    assert!(e.to_string().contains("cut.ods"), "{e}");
    assert!(
        e.to_string()
            .contains("`content.xml` is not well-formed XML"),
        "{e}"
    );
    // Cut at the end of the file, with the table still open.
    let content = format!("{ODS_OPEN}{ODS_ROW}");
    let e = import(
        &ods_with_content(&content),
        "cut.ods",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("element(s) not closed"), "{e}");
    // Whole, the same table reads.
    let content = format!("{ODS_OPEN}{ODS_ROW}{ODS_CLOSE}");
    let imported = import(
        &ods_with_content(&content),
        "whole.ods",
        &ImportOptions::default(),
    )
    .expect("a whole .ods reads");
    assert_eq!(imported.schedule.lines.len(), 1);
}

/// Found reading `calamine`'s code after the hang above: `<text:s text:c="4000000000"/>` (a
/// run of spaces) made it write 4 billion spaces into the cell. Refused over 10,000.
#[test]
fn an_ods_run_of_four_billion_spaces_is_refused() {
    let row = ODS_ROW.replace(
        "<text:p>Early Help</text:p>",
        r#"<text:p>Early<text:s text:c="4000000000"/>Help</text:p>"#,
    );
    let content = format!("{ODS_OPEN}{row}{ODS_CLOSE}");
    let e = import(
        &ods_with_content(&content),
        "spaces.ods",
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("a run of 4000000000 spaces; at most 10000"),
        "{e}"
    );
    let row = ODS_ROW.replace(
        "<text:p>Early Help</text:p>",
        r#"<text:p>Early<text:s text:c="3"/>Help</text:p>"#,
    );
    let content = format!("{ODS_OPEN}{row}{ODS_CLOSE}");
    let imported = import(
        &ods_with_content(&content),
        "spaces.ods",
        &ImportOptions::default(),
    )
    .expect("three spaces read");
    assert_eq!(imported.schedule.lines[0].text[0], "Early   Help");
}
