//! Inputs the fuzz targets (`fuzz/`, README "Fuzzing") found or were probed with, each once a
//! panic, an overflow, a hang or a huge allocation: every one now gives a result or an error
//! with a message, and each test pins which.

use std::str::FromStr;

use base64::Engine as _;
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

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

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

/// Found by probing the `link_json` target: achievement rates and scales far beyond any sense
/// (up to `Decimal::MAX`) make products that fit a `Decimal` but whose sums overflowed the
/// totals. A product over 10^18 is now a cell with no figure, and the totals add up.
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
