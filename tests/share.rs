//! Scenario links through the public API: every fixture and many generated schedules go
//! through a link and come back exact, and every kind of hostile fragment is refused with a
//! message while the next link still opens.

mod common;

use common::FIXTURES;

use std::cell::Cell;

use common::generate;
use common::load_clean;
use gapwise::engine::{
    apply_scenario, calculate, checksum, decode_link, encode_link, gap_model, share_url, to_json,
    verify_file, ErrorKind, FinancialYear, LinkProblem, LinkState, Prices, Scenario, Schedule,
    MAX_LINK_CHARS, SAFE_LINK_CHARS,
};
use proptest::bool::weighted;
use proptest::prelude::any;

fn fixture(i: usize) -> Schedule {
    load_clean(FIXTURES[i].1, FIXTURES[i].0).schedule
}

/// Exact equality: `PartialEq` on decimals ignores the scale (`0.5 == 0.50`), so the canonical
/// text of the schedule and the scenario's JSON are compared as well.
fn assert_same(a: &LinkState, b: &LinkState, what: &str) {
    assert_eq!(a, b, "{what}");
    match (a, b) {
        (
            LinkState::Full {
                schedule: s1,
                scenario: c1,
                gap: g1,
                prices: p1,
            },
            LinkState::Full {
                schedule: s2,
                scenario: c2,
                gap: g2,
                prices: p2,
            },
        ) => {
            assert_eq!(to_json(s1), to_json(s2), "{what}");
            assert_eq!(json(c1), json(c2), "{what}");
            assert_eq!(json(g1), json(g2), "{what}");
            assert_eq!(json(p1), json(p2), "{what}");
        }
        (LinkState::Short { scenario: c1, .. }, LinkState::Short { scenario: c2, .. }) => {
            assert_eq!(json(c1), json(c2), "{what}")
        }
        _ => panic!("{what}: kinds differ"),
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

#[test]
fn every_fixture_opens_with_the_same_figures_and_checks() {
    let forecast = gap_model(&fixture(4));
    for (name, bytes) in FIXTURES {
        let schedule = load_clean(bytes, name).schedule;
        let mut scenario = Scenario::new("Amber at half, growth 2%");
        scenario.pressure_growth = Some("0.02".parse().unwrap());
        let state = LinkState::Full {
            schedule: schedule.clone(),
            scenario: Some(scenario.clone()),
            gap: Some(forecast.clone()),
            prices: None,
        };
        let url = share_url("https://example.org/gapwise/", &state).unwrap();
        assert!(url.len() <= MAX_LINK_CHARS, "{name}: {}", url.len());
        let back = decode_link(url.split_once('#').unwrap().1).unwrap();
        assert_same(&back, &state, name);
        let LinkState::Full {
            schedule: restored,
            scenario: Some(restored_scenario),
            ..
        } = back
        else {
            panic!("not a full link")
        };
        // Same totals to the penny and the same checks, as published and under the scenario.
        assert_eq!(calculate(&restored), calculate(&schedule), "{name}");
        assert_eq!(
            calculate(&apply_scenario(&restored, &restored_scenario).schedule),
            calculate(&apply_scenario(&schedule, &scenario).schedule),
        );
    }
}

#[test]
fn short_links_carry_the_file_address_checksum_and_scenario() {
    let (name, bytes) = FIXTURES[0];
    let state = LinkState::Short {
        address: format!("published/{name}"),
        checksum: checksum(bytes),
        scenario: Some(Scenario::new("Red slips")),
        prices: None,
    };
    let fragment = encode_link(&state);
    assert!(fragment.len() < SAFE_LINK_CHARS, "{}", fragment.len());
    let back = decode_link(&fragment).unwrap();
    assert_same(&back, &state, "short");
    let LinkState::Short {
        address, checksum, ..
    } = back
    else {
        panic!("not a short link")
    };
    assert_eq!(verify_file(&address, &checksum, bytes), Ok(()));
    // The file was republished with one figure changed: the page says so.
    let changed = String::from_utf8_lossy(bytes).replacen("175.0", "176.0", 1);
    let e = verify_file(&address, &checksum, changed.as_bytes()).unwrap_err();
    assert!(matches!(
        e.kind(),
        ErrorKind::Link(LinkProblem::FileChanged { .. })
    ));
    assert!(e
        .to_string()
        .contains("has changed since the link was made"));
}

#[test]
fn generated_schedules_round_trip_exactly() {
    let forecast = gap_model(&fixture(4));
    let longest = Cell::new(0);
    let states = (
        generate::schedule_and_scenario(),
        weighted(0.7),
        weighted(0.2),
        any::<u64>(),
        0..9usize,
        weighted(0.3),
    );
    generate::check(
        400,
        states,
        |((schedule, scenario), has_scenario, short, key, version, has_gap)| {
            let scenario = has_scenario.then_some(scenario);
            let state = if short {
                LinkState::Short {
                    address: format!("data/{key}.csv?v={version}"),
                    checksum: checksum(&key.to_le_bytes()),
                    scenario,
                    prices: None,
                }
            } else {
                LinkState::Full {
                    schedule,
                    scenario,
                    gap: has_gap.then(|| forecast.clone()),
                    prices: None,
                }
            };
            let fragment = encode_link(&state);
            longest.set(longest.get().max(fragment.len()));
            let back = decode_link(&fragment)
                .unwrap_or_else(|e| panic!("{e}\n{}", json(&format!("{state:?}"))));
            assert_same(&back, &state, "generated");
            // The same state always gives the same link.
            assert_eq!(encode_link(&back), fragment);
        },
    );
    // The generator makes links of every size up to the limit's order.
    assert!(longest.get() > 2_000, "{}", longest.get());
}

#[test]
fn hostile_fragments_are_refused_and_the_next_link_still_opens() {
    let good = encode_link(&LinkState::Full {
        schedule: fixture(1),
        scenario: None,
        gap: None,
        prices: None,
    });
    let long = format!("v1.{}", "A".repeat(MAX_LINK_CHARS));
    let cut = &good[..good.len() * 2 / 3];
    let cases: Vec<(&str, String)> = vec![
        ("empty", String::new()),
        ("foreign", "#section-2".into()),
        ("wrong version", "v7.eJwDAAAAAAE".into()),
        ("bad base64", "v1.eJw!!!".into()),
        ("truncated", cut.to_string()),
        ("too long", long),
    ];
    for (what, fragment) in &cases {
        let e = decode_link(fragment).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Link(_)),
            "{what}: {:?}",
            e.kind()
        );
        assert!(!e.to_string().is_empty());
        // Nothing is left broken: the good link opens after every bad one.
        assert!(decode_link(&good).is_ok(), "after {what}");
    }
}

/// A link carries the prices (real terms) chosen, of either kind, exactly; a crafted link whose
/// prices cannot be used (an index of zero, no index for the base year) is refused, saying so.
#[test]
fn links_carry_the_prices_and_refuse_unusable_ones() {
    let schedule = fixture(1);
    let index = schedule
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| (y.year, rust_decimal::Decimal::new(900 + 25 * i as i64, 1)))
        .collect();
    let prices = Prices {
        index,
        base: schedule.years[0].year,
    };
    assert!(prices.is_sound());
    let full = LinkState::Full {
        schedule: schedule.clone(),
        scenario: None,
        gap: None,
        prices: Some(prices.clone()),
    };
    let back = decode_link(&encode_link(&full)).unwrap();
    assert_same(&full, &back, "a full link with prices");
    assert_eq!(back.prices(), Some(&prices));
    let short = LinkState::Short {
        address: "published/a.csv".into(),
        checksum: checksum(b"a"),
        scenario: None,
        prices: Some(prices.clone()),
    };
    assert_eq!(
        decode_link(&encode_link(&short)).unwrap().prices(),
        Some(&prices)
    );

    let mut zero = prices.clone();
    zero.index
        .insert(FinancialYear { start: 1990 }, rust_decimal::Decimal::ZERO);
    let no_base = Prices {
        base: FinancialYear { start: 1990 },
        ..prices.clone()
    };
    for bad in [zero, no_base] {
        let link = encode_link(&LinkState::Short {
            address: "published/a.csv".into(),
            checksum: checksum(b"a"),
            scenario: None,
            prices: Some(bad),
        });
        let e = decode_link(&link).unwrap_err().to_string();
        assert!(e.contains("its prices (real terms)"), "{e}");
    }
}

/// A savings schedule as councils write them, of `lines` lines: a reference, a service, a
/// proposal name and a RAG rating, four years of £'000 to one place that vary as real ones do.
fn council_schedule(lines: usize) -> Schedule {
    const SERVICES: [&str; 6] = [
        "Adult Social Care",
        "Children's Services",
        "Environment",
        "Housing",
        "Resources",
        "Place and Economy",
    ];
    const WORDS: [&str; 10] = [
        "Review of",
        "Redesign of",
        "Reduce",
        "Digital",
        "Commissioning of",
        "Income from",
        "Consolidate",
        "Restructure",
        "Efficiencies in",
        "Demand management:",
    ];
    const THINGS: [&str; 10] = [
        "day services",
        "transport",
        "libraries",
        "waste collection",
        "the contact centre",
        "fees and charges",
        "agency staffing",
        "office accommodation",
        "placements",
        "grounds maintenance",
    ];
    let mut csv = String::from(
        "Ref,Service,Proposal,RAG,2024/25,2025/26,2026/27,2027/28\n,,,,£'000,£'000,£'000,£'000\n",
    );
    let mut x: u64 = 7;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    for i in 0..lines {
        let amounts: Vec<String> = (0..4)
            .map(|_| {
                let v = next() % 25_000;
                if v % 7 == 0 {
                    "-".to_string()
                } else {
                    format!("{}.{}", v / 10, v % 10)
                }
            })
            .collect();
        csv += &format!(
            "{}{:03},{},{} {},{},{}\n",
            &SERVICES[i % 6][..3].to_uppercase(),
            i + 1,
            SERVICES[i % 6],
            WORDS[next() as usize % 10],
            THINGS[next() as usize % 10],
            ["Green", "Amber", "Red"][next() as usize % 3],
            amounts.join(",")
        );
    }
    common::from_csv(&csv)
}

/// Links for real-sized schedules (issue 19): a full link with the gap model and a scenario
/// for 64, 500 and 2,000 lines is made, within [`MAX_LINK_CHARS`], and opens exact. The lengths
/// are printed (`cargo test --test share -- --nocapture link_lengths`) for the closing note.
#[test]
fn link_lengths_for_real_sized_schedules() {
    let forecast = gap_model(&fixture(4));
    for lines in [64, 500, 2_000] {
        let schedule = council_schedule(lines);
        assert_eq!(schedule.lines.len(), lines);
        let mut scenario = Scenario::new("Amber at half");
        scenario.rates.amber = "0.5".parse().unwrap();
        scenario.pressure_growth = Some("0.02".parse().unwrap());
        let state = LinkState::Full {
            schedule,
            scenario: Some(scenario),
            gap: Some(forecast.clone()),
            prices: None,
        };
        let url = share_url("https://example.org/gapwise/", &state)
            .unwrap_or_else(|e| panic!("{lines} lines: {e}"));
        println!("{lines} lines: a link of {} characters", url.len());
        assert!(url.len() <= MAX_LINK_CHARS);
        if lines == 500 {
            assert!(url.len() > SAFE_LINK_CHARS * 4, "{}", url.len());
        }
        let back = decode_link(url.split_once('#').unwrap().1).unwrap();
        assert_same(&back, &state, &format!("{lines} lines"));
    }
}
