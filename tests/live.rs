//! `Live` kept up to date by edits equals `Live` worked out from scratch: totals, checks, profile
//! totals and the fed funding gap, after every one of many generated edits (and their undos) on
//! every fixture.

mod common;

use common::FIXTURES;

use common::generate::Rng;
use common::{d, load};
use gapwise::engine::{
    calculate, compute_gap, gap_model, schedule_profile_totals, Amount, Edit, GapModel, History,
    Live, NoFigure, Profile, Rag, Recurrence, SavingsFeed, Schedule, TextField,
};
use rust_decimal::Decimal;

const GAP: &[u8] = include_bytes!("fixtures/cyps-budget-forecast-2016-21.csv");

fn amount(rng: &mut Rng) -> Amount {
    match rng.below(10) {
        0 => Amount::Blank,
        1 => Amount::NoFigure(NoFigure::ToBeConfirmed),
        // Up to three decimals, either sign, so tolerances and scales vary.
        _ => Amount::Figure(Decimal::new(
            rng.below(2_000_000) as i64 - 1_000_000,
            rng.below(4) as u32,
        )),
    }
}

fn edit(rng: &mut Rng, s: &Schedule) -> Edit {
    let line = rng.below(s.lines.len());
    let year = rng.below(s.years.len());
    match rng.below(12) {
        0..=4 => Edit::SetAmount {
            line,
            year,
            value: amount(rng),
        },
        5 | 6 => Edit::SetCells {
            cells: (0..1 + rng.below(6))
                .map(|_| {
                    (
                        rng.below(s.lines.len()),
                        rng.below(s.years.len()),
                        amount(rng),
                    )
                })
                .collect(),
        },
        7 => Edit::SetRecurrence {
            line,
            recurrence: if rng.below(2) == 0 {
                Recurrence::OneOff
            } else {
                Recurrence::Recurring
            },
        },
        8 => Edit::SetMemo {
            line,
            memo: rng.below(2) == 0,
        },
        9 => Edit::SetRag {
            line,
            rag: [None, Some(Rag::Red), Some(Rag::Amber), Some(Rag::Green)][rng.below(4)],
        },
        // Edits that are worked out again from scratch, mixed in.
        10 if s.lines.len() > 8 => Edit::DeleteLine { at: line },
        10 => Edit::SetMemo { line, memo: true },
        _ => match s.text_columns.len() {
            0 => Edit::SetMemo { line, memo: false },
            n => Edit::SetText {
                line,
                column: rng.below(n),
                text: "Investment".into(),
            },
        },
    }
}

/// The lines an edit will change in place, as they are before it.
fn before(s: &Schedule, edit: &Edit) -> Vec<(usize, gapwise::engine::Line)> {
    match edit.lines_in_place() {
        Some(lines) => lines
            .into_iter()
            .filter_map(|i| s.lines.get(i).map(|l| (i, l.clone())))
            .collect(),
        None => Vec::new(),
    }
}

fn assert_matches(live: &Live, s: &Schedule, gaps: &[GapModel], what: &str) {
    assert_eq!(*live, Live::new(s), "{what}");
    assert_eq!(live.results, calculate(s), "{what}");
    let (a, b) = (live.profile_totals(), schedule_profile_totals(s));
    assert_eq!(
        (a.final_year_effect, a.period_sum),
        (b.final_year_effect, b.period_sum),
        "{what}"
    );
    for model in gaps {
        assert_eq!(live.gap(model, s), compute_gap(model, Some(s)), "{what}");
    }
}

fn gap_models() -> Vec<GapModel> {
    let base = gap_model(&load(GAP, "gap.csv").schedule);
    let mut out = vec![base.clone()];
    for profile in [Profile::Cumulative, Profile::Incremental] {
        let mut m = base.clone();
        m.feed = Some(SavingsFeed { profile });
        out.push(m);
    }
    out
}

#[test]
fn edits_and_undos_keep_live_results_equal_to_a_fresh_calculation() {
    let gaps = gap_models();
    for (name, bytes) in FIXTURES {
        let mut s = load(bytes, name).schedule;
        let mut live = Live::new(&s);
        let mut history = History::new(1_000);
        let mut rng = Rng::new(name.len() as u64);
        let mut in_place = 0;
        for step in 0..300 {
            if s.lines.is_empty() {
                break;
            }
            // One step in five undoes the latest edit, through what the history will apply.
            let undoing = step % 5 == 4 && history.can_undo();
            let (edit, changed) = if undoing {
                let next = history.next_undo().expect("can undo").clone();
                (None, before(&s, &next))
            } else {
                let e = edit(&mut rng, &s);
                let b = before(&s, &e);
                (Some(e), b)
            };
            let applied = match edit {
                None => history.undo(&mut s),
                Some(e) => history.perform(&mut s, e).is_ok(),
            };
            if !applied {
                continue;
            }
            if changed.is_empty() {
                live = Live::new(&s);
            } else {
                in_place += 1;
                live.update(&s, &changed);
            }
            assert_matches(&live, &s, &gaps, &format!("{name}, step {step}"));
        }
        assert!(in_place > 100, "{name}: only {in_place} edits in place");
    }
}

#[test]
fn an_update_that_is_not_in_place_is_worked_out_from_scratch() {
    let (name, bytes) = FIXTURES[2];
    let mut s = load(bytes, name).schedule;
    let mut live = Live::new(&s);
    // The type column changed behind `update`'s back: an investment line becomes a saving.
    let type_col = s
        .column_of(TextField::Type)
        .expect("the investment bids table has a measure column");
    let i = s
        .lines
        .iter()
        .position(|l| l.text[type_col].to_lowercase().contains("investment"))
        .expect("an investment line");
    let old = s.lines[i].clone();
    s.lines[i].text[type_col] = "Gross Saving".into();
    s.lines[i].amounts[0] = Amount::Figure(d("12.5"));
    live.update(&s, &[(i, old)]);
    assert_eq!(live, Live::new(&s));
    // And a line named twice.
    let old = s.lines[0].clone();
    s.lines[0].amounts[1] = Amount::Figure(d("1"));
    live.update(&s, &[(0, old.clone()), (0, old)]);
    assert_eq!(live, Live::new(&s));
}

#[test]
fn an_amount_edit_moves_the_grand_total_and_the_fed_gap_by_the_change() {
    let (name, bytes) = FIXTURES[0];
    let mut s = load(bytes, name).schedule;
    let mut model = gap_models().remove(0);
    model.feed = Some(SavingsFeed {
        profile: Profile::Incremental,
    });
    let mut live = Live::new(&s);
    let grand_before = live.results.totals.grand.years[0].value;
    let gap_before = live.gap(&model, &s).years.clone();
    let i = s
        .lines
        .iter()
        .position(|l| !l.memo && matches!(l.amounts[0], Amount::Figure(_)))
        .expect("a line with a figure in the first year");
    let old = s.lines[i].clone();
    let Amount::Figure(v) = old.amounts[0] else {
        unreachable!()
    };
    // 100.0 more savings (£'000) in the schedule's first year.
    s.lines[i].amounts[0] = Amount::Figure(v + d("100.0"));
    live.update(&s, &[(i, old)]);
    assert_eq!(
        live.results.totals.grand.years[0].value - grand_before,
        d("100.0")
    );
    let first = s.years[0].year;
    let y = model
        .years
        .iter()
        .position(|c| c.year == first)
        .expect("the gap model has the schedule's first year");
    let gap_after = live.gap(&model, &s).years;
    // The gap model is in £m: 100.0 £'000 more savings is 0.1 £m less gap.
    assert_eq!(
        gap_before[y].gap_after_reserves.value - gap_after[y].gap_after_reserves.value,
        d("0.1")
    );
}
