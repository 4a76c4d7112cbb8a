//! Cash and real terms (calc::real_terms, read::deflator): the demo's totals in 2020/21 prices,
//! worked out by hand; conversion and its inverse; an index that lacks a year is refused with the
//! years it lacks.

mod common;

use common::{d, schedule, CYPS_SAVINGS};
use gapwise::engine::{
    calculate, format_amount, in_prices, parse_deflator, schedule_in_prices, Amount, FinancialYear,
    Prices,
};

fn y(start: i32) -> FinancialYear {
    FinancialYear { start }
}

fn prices() -> Prices {
    Prices {
        index: parse_deflator(
            "Year,GDP deflator\n2017/18,90\n2018/19,92\n2019/20,96\n2020/21,100\n",
        )
        .unwrap(),
        base: y(2020),
    }
}

#[test]
fn the_demo_in_2020_21_prices_by_hand() {
    let s = schedule(CYPS_SAVINGS);
    let real = schedule_in_prices(&s, &prices()).unwrap();
    let t = calculate(&real).totals;
    let shown: Vec<String> = t
        .grand
        .years
        .iter()
        .map(|v| format_amount(v.value, s.decimals))
        .collect();
    // 4,886.0 × 100 / 90 = 5,428.888…; 10,824.0 × 100 / 92 = 11,765.217…;
    // 18,985.7 × 100 / 96 = 19,776.770…; 9,281.3 × 100 / 100 = 9,281.3.
    assert_eq!(shown, ["5,428.9", "11,765.2", "19,776.8", "9,281.3"]);
    // Over the period: 5,428.888… + 11,765.217… + 19,776.770… + 9,281.3 = 46,252.176…
    assert_eq!(format_amount(t.grand.total.value, s.decimals), "46,252.2");
    // The published totals are claims about cash figures: left out in real terms.
    assert!(real.total_rows.is_empty());
    assert!(real.lines.iter().all(|l| l.total.is_none()));
    assert!(calculate(&real).checks.checks.is_empty());
}

#[test]
fn every_figure_converts_and_converts_back_within_the_places_kept() {
    let s = schedule(CYPS_SAVINGS);
    let p = prices();
    let real = schedule_in_prices(&s, &p).unwrap();
    let back_prices = Prices {
        index: p.index.clone(),
        base: y(2017),
    };
    for (line, real_line) in s.lines.iter().zip(&real.lines) {
        for ((a, r), col) in line.amounts.iter().zip(&real_line.amounts).zip(&s.years) {
            match (a, r) {
                (Amount::Figure(cash), Amount::Figure(real)) => {
                    // Back into the year's own prices from the base year's.
                    let own = Prices {
                        index: p.index.clone(),
                        base: col.year,
                    };
                    let again = in_prices(*real, y(2020), &own).unwrap();
                    assert!(
                        (again - cash).abs() < d("0.000000001"),
                        "{cash} → {real} → {again}"
                    );
                }
                (a, r) => assert_eq!(a, r, "a cell of no figure stays as it is"),
            }
        }
    }
    // 2017/18 prices of a 2020/21 figure: × 90 / 100, exactly.
    assert_eq!(in_prices(d("100"), y(2020), &back_prices), Some(d("90")));
}

#[test]
fn an_index_without_a_year_or_the_base_is_refused_with_the_years() {
    let s = schedule(CYPS_SAVINGS);
    let short = Prices {
        index: parse_deflator("2017/18,90\n2018/19,92\n").unwrap(),
        base: y(2024),
    };
    assert_eq!(
        schedule_in_prices(&s, &short).unwrap_err(),
        "The price index has no figure for 2024/25, 2019/20 and 2020/21."
    );
}

#[test]
fn a_bad_index_says_which_line() {
    for (text, line) in [
        ("2017/18,90\n2017/18,91\n", "Line 2"),
        ("Year,Index\n2018/19,-4\n", "Line 2"),
        ("2018/19,aa\n", "Line 1"),
        ("2018/19\n", "Line 1"),
        ("Year,Index\n17,90\n", "Line 2"),
    ] {
        let err = parse_deflator(text).unwrap_err();
        assert!(err.starts_with(line), "{text:?}: {err}");
    }
    assert!(parse_deflator("").is_err());
    assert!(parse_deflator(&"2018/19,1\n".repeat(1_001)).is_err());
    // Tab- and space-separated, and four-digit second years, read as well.
    let i = parse_deflator("2018/2019\t101.5\nFY 2019/20: 103\n").unwrap();
    assert_eq!(i[&y(2018)], d("101.5"));
    assert_eq!(i[&y(2019)], d("103"));
}
