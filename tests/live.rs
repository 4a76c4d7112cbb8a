//! `Live` kept up to date by edits equals `Live` worked out from scratch: totals, checks, profile
//! totals and the fed funding gap, after every one of many generated edits (and their undos) on
//! every fixture.

mod common;

use common::FIXTURES;

use common::generate;
use common::{d, load, schedule, BUDGET_FORECAST};
use gapwise::engine::{
    calculate, compute_gap, gap_model, schedule_profile_totals, Amount, Edit, GapModel, History,
    Live, NoFigure, Profile, Rag, Recurrence, SavingsFeed, Schedule, TextField,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use rust_decimal::Decimal;

/// A cell as an edit writes it: a figure of up to three decimals, either sign (so tolerances and
/// scales vary) eight times in ten, else blank or to be confirmed.
fn amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        8 => (-1_000_000i64..1_000_000, 0..4u32)
            .prop_map(|(m, scale)| Amount::Figure(Decimal::new(m, scale))),
        1 => Just(Amount::Blank),
        1 => Just(Amount::NoFigure(NoFigure::ToBeConfirmed)),
    ]
}

/// One step of an editing session, drawn before the schedule it applies to is known: its lines,
/// years and columns are indexes that `edit` fits to the schedule as it is then.
#[derive(Clone, Debug)]
struct Step {
    kind: u8,
    line: Index,
    year: Index,
    value: Amount,
    cells: Vec<(Index, Index, Amount)>,
    flag: bool,
    rag: Option<Rag>,
    column: Index,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0..12u8,
        any::<Index>(),
        any::<Index>(),
        amount(),
        vec((any::<Index>(), any::<Index>(), amount()), 1..=6),
        any::<bool>(),
        select(vec![
            None,
            Some(Rag::Red),
            Some(Rag::Amber),
            Some(Rag::Green),
        ]),
        any::<Index>(),
    )
        .prop_map(|(kind, line, year, value, cells, flag, rag, column)| Step {
            kind,
            line,
            year,
            value,
            cells,
            flag,
            rag,
            column,
        })
}

/// The edit a step makes on a schedule with at least one line and one year.
fn edit(step: &Step, s: &Schedule) -> Edit {
    let (lines, years) = (s.lines.len(), s.years.len());
    let line = step.line.index(lines);
    let year = step.year.index(years);
    match step.kind {
        0..=4 => Edit::SetAmount {
            line,
            year,
            value: step.value.clone(),
        },
        5 | 6 => Edit::SetCells {
            cells: step
                .cells
                .iter()
                .map(|(l, y, value)| (l.index(lines), y.index(years), value.clone()))
                .collect(),
        },
        7 => Edit::SetRecurrence {
            line,
            recurrence: if step.flag {
                Recurrence::OneOff
            } else {
                Recurrence::Recurring
            },
        },
        8 => Edit::SetMemo {
            line,
            memo: step.flag,
        },
        9 => Edit::SetRag {
            line,
            rag: step.rag,
        },
        // Edits that are worked out again from scratch, mixed in.
        10 if lines > 8 => Edit::DeleteLine { at: line },
        10 => Edit::SetMemo { line, memo: true },
        _ => match s.text_columns.len() {
            0 => Edit::SetMemo { line, memo: false },
            n => Edit::SetText {
                line,
                column: step.column.index(n),
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
    let base = gap_model(&schedule(BUDGET_FORECAST));
    let mut out = vec![base.clone()];
    for profile in [Profile::Cumulative, Profile::Incremental] {
        let mut m = base.clone();
        m.feed = Some(SavingsFeed { profile });
        out.push(m);
    }
    out
}

/// Sessions of 300 steps per fixture, each checked after every step.
const SESSIONS: u32 = 2;

#[test]
fn edits_and_undos_keep_live_results_equal_to_a_fresh_calculation() {
    let gaps = gap_models();
    for (name, bytes) in FIXTURES {
        let start = load(bytes, name).schedule;
        generate::check(SESSIONS, vec(step(), 300), |steps| {
            let mut s = start.clone();
            let mut live = Live::new(&s);
            let mut history = History::new(1_000);
            let mut in_place = 0;
            for (i, step) in steps.iter().enumerate() {
                if s.lines.is_empty() {
                    break;
                }
                // One step in five undoes the latest edit, through what the history will apply.
                let undoing = i % 5 == 4 && history.can_undo();
                let (edit, changed) = if undoing {
                    let next = history.next_undo().expect("can undo").clone();
                    (None, before(&s, &next))
                } else {
                    let e = edit(step, &s);
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
                assert_matches(&live, &s, &gaps, &format!("{name}, step {i}"));
            }
            assert!(in_place > 100, "{name}: only {in_place} edits in place");
        });
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
