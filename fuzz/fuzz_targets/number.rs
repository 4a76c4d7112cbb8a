//! The amount parser (`parse_amount`) and the typed-entry parser (`parse_entry`): any text gives
//! an amount or a `NumberError`; a figure read back from its canonical text and from its
//! formatted text is the same figure.
#![no_main]

use gapwise::engine::{
    format_amount, parse_amount, parse_entry, plain_amount, round_published, Amount, ParsedAmount,
    Unit,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unit in [Unit::Pounds, Unit::Thousands, Unit::Millions] {
        let _ = parse_entry(text, unit);
    }
    let Ok(ParsedAmount { amount, .. }) = parse_amount(text) else {
        return;
    };
    // The canonical text reads back to the same amount, scale included (`Amount::canonical`).
    let canonical = amount.canonical();
    assert_eq!(
        parse_amount(&canonical).map(|p| p.amount),
        Ok(amount.clone()),
        "canonical text {canonical:?}"
    );
    if let Amount::Figure(d) = amount {
        for decimals in [0, 1, 3, 10] {
            let shown = format_amount(d, decimals);
            let expected = round_published(d, decimals);
            match parse_amount(&shown).map(|p| p.amount) {
                Ok(Amount::Figure(back)) => assert_eq!(back, expected, "{shown:?}"),
                other => panic!("{shown:?} reads as {other:?}"),
            }
            let plain = plain_amount(d, decimals);
            match parse_amount(&plain).map(|p| p.amount) {
                Ok(Amount::Figure(back)) => assert_eq!(back, expected, "{plain:?}"),
                other => panic!("{plain:?} reads as {other:?}"),
            }
        }
    }
});
