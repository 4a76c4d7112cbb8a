//! Generators of schedules, scenarios and cells for property tests, as `proptest` strategies, and
//! `check`, which runs a property on a fixed number of generated cases. The seed is fixed (set
//! `PROPTEST_RNG_SEED` to draw others), so every run makes the same cases; a failing case is
//! shrunk to a minimal one, which the failure prints.

use std::collections::BTreeMap;
use std::fmt::Debug;

use gapwise::engine::{
    Amount, ColumnRef, FinancialYear, Line, LineAssumption, Measure, NoFigure, Profile, Rag,
    RagRates, Recurrence, Scenario, Schedule, Section, SignConvention, TextColumn, TextField,
    TotalRow, TotalScope, Unit, YearColumn,
};
use proptest::bool::weighted;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use rust_decimal::Decimal;

/// The seed of every run unless `PROPTEST_RNG_SEED` names another.
const SEED: u64 = 0x5EED;

/// Runs `test` on `cases` values drawn by `strategy`. A failure (a panic in `test`) is shrunk to
/// a minimal value, and the test fails with that value and the first failure's message.
pub fn check<S>(cases: u32, strategy: S, test: impl Fn(S::Value))
where
    S: Strategy,
    S::Value: Debug,
{
    let mut config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    if let RngSeed::Random = config.rng_seed {
        config.rng_seed = RngSeed::Fixed(SEED);
    }
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&strategy, |value| {
        test(value);
        Ok(())
    }) {
        panic!("{e}");
    }
}

/// A decimal of 1 to `max_digits` digits (at most 18) with `scale` places, negative three times
/// in ten. Shrinks towards fewer digits, smaller and positive.
pub fn decimal(max_digits: u32, scale: u32) -> impl Strategy<Value = Decimal> + Clone {
    (1..=max_digits.clamp(1, 18))
        .prop_flat_map(|digits| (0..10i64.pow(digits), weighted(0.3)))
        .prop_map(move |(m, negative)| Decimal::new(if negative { -m } else { m }, scale))
}

/// Text of the kinds published tables hold, and of kinds an attacker would write: one to three
/// words.
pub fn text() -> impl Strategy<Value = String> + Clone {
    const WORDS: [&str; 16] = [
        "Early Help",
        "Edge of Care",
        "CYPS1A",
        "=HYPERLINK(\"http://x\",\"y\")",
        "+SUM(A1)",
        "-2",
        "@cmd",
        "£1.5m saving, \"quoted\"",
        "line\nbreak",
        "tab\there",
        "Zoë's café ✓",
        "",
        "N/A",
        "(200.0)",
        "Total",
        "🙂 émoji",
    ];
    vec(select(WORDS.to_vec()), 1..=3).prop_map(|words| words.join(" "))
}

/// A cell of a schedule of `decimals` places: mostly figures (of the schedule's scale four times
/// in five, of 0 to 10 places otherwise), some blank, some with no figure of each kind, zero,
/// and the largest figure a cell holds.
pub fn amount(decimals: u32) -> impl Strategy<Value = Amount> + Clone {
    let scale = prop_oneof![4 => Just(decimals), 1 => 0..=10u32];
    prop_oneof![
        14 => scale.prop_flat_map(|scale| decimal(12, scale)).prop_map(Amount::Figure),
        1 => Just(Amount::Figure(Decimal::new(0, decimals))),
        1 => Just(Amount::Blank),
        1 => Just(Amount::NoFigure(NoFigure::NotApplicable)),
        1 => Just(Amount::NoFigure(NoFigure::ToBeConfirmed)),
        1 => Just(Amount::NoFigure(NoFigure::Unreadable)),
        1 => Just(Amount::Figure(Decimal::new(999_999_999_999_999_999, 0))),
    ]
}

/// Some (with the given chance) or none, but always none when `allowed` is false.
fn maybe<S>(allowed: bool, chance: f64, s: S) -> BoxedStrategy<Option<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Clone + 'static,
{
    if allowed {
        option::weighted(chance, s).boxed()
    } else {
        Just(None).boxed()
    }
}

const FIELDS: [TextField; 10] = [
    TextField::Source,
    TextField::Service,
    TextField::Name,
    TextField::Reference,
    TextField::Description,
    TextField::Type,
    TextField::Rag,
    TextField::Fte,
    TextField::Payback,
    TextField::Other,
];

/// The sizes a schedule's parts are drawn for: decimals, years, text columns, sections, lines,
/// and whether it has a total column.
#[derive(Clone, Copy, Debug)]
struct Shape {
    decimals: u32,
    years: usize,
    text: usize,
    sections: usize,
    lines: usize,
    total: bool,
}

fn line(shape: Shape) -> impl Strategy<Value = Line> {
    (
        maybe(shape.sections > 0, 0.8, 0..shape.sections.max(1)),
        vec(text(), shape.text),
        vec(amount(shape.decimals), shape.years),
        maybe(shape.total, 0.8, amount(shape.decimals)),
        weighted(0.1),
        weighted(0.1),
        select(vec![
            None,
            Some(Rag::Red),
            Some(Rag::Amber),
            Some(Rag::Green),
        ]),
    )
        .prop_map(|(section, text, amounts, total, one_off, memo, rag)| Line {
            row: 0,
            section,
            text,
            amounts,
            total,
            recurrence: if one_off {
                Recurrence::OneOff
            } else {
                Recurrence::Recurring
            },
            memo,
            rag,
        })
}

fn scope(shape: Shape) -> BoxedStrategy<TotalScope> {
    let lines = shape.lines;
    let since = (0..=lines)
        .prop_flat_map(|end| (0..=end, Just(end)))
        .prop_map(|(first_line, end_line)| TotalScope::Since {
            first_line,
            end_line,
        });
    let measure = select(vec![
        Measure::Investment,
        Measure::GrossSaving,
        Measure::Net,
        Measure::Cost,
        Measure::Benefit,
    ])
    .prop_map(TotalScope::Measure);
    if shape.sections > 0 {
        prop_oneof![
            Just(TotalScope::All),
            (0..shape.sections).prop_map(TotalScope::Section),
            since,
            measure,
            Just(TotalScope::AllButBase),
        ]
        .boxed()
    } else {
        prop_oneof![
            2 => Just(TotalScope::All),
            1 => since,
            1 => measure,
            1 => Just(TotalScope::AllButBase),
        ]
        .boxed()
    }
}

fn total_row(shape: Shape) -> impl Strategy<Value = TotalRow> {
    (
        text(),
        scope(shape),
        vec(amount(shape.decimals), shape.years),
        maybe(shape.total, 0.7, amount(shape.decimals)),
        prop_oneof![Just(Vec::new()), vec(text(), shape.text)],
    )
        .prop_map(|(label, scope, amounts, total, text)| TotalRow {
            row: 0,
            label,
            scope,
            amounts,
            total,
            text,
        })
}

/// A schedule that canonical JSON import accepts: every length and index consistent, every
/// other field drawn. It shrinks towards fewer years, columns, sections, lines and total rows.
pub fn schedule() -> impl Strategy<Value = Schedule> {
    (
        0..=10u32,
        1990..2050i32,
        1..=8usize,
        0..5usize,
        0..4usize,
        0..40usize,
        weighted(0.6),
    )
        .prop_flat_map(|(decimals, start, years, text_n, sections, lines, total)| {
            let shape = Shape {
                decimals,
                years,
                text: text_n,
                sections,
                lines,
                total,
            };
            let year_columns = vec(option::weighted(0.5, text()), years).prop_map(move |notes| {
                notes
                    .into_iter()
                    .enumerate()
                    .map(|(i, note)| {
                        let year = FinancialYear {
                            start: start + i as i32,
                        };
                        let header = match note {
                            None => year.label(),
                            Some(note) => format!("{} {note}", year.label()),
                        };
                        YearColumn { year, header }
                    })
                    .collect::<Vec<_>>()
            });
            let text_columns = vec(
                (text(), select(FIELDS.to_vec()))
                    .prop_map(|(header, field)| TextColumn { header, field }),
                text_n,
            );
            let total_header = if total {
                text().prop_map(Some).boxed()
            } else {
                Just(None).boxed()
            };
            // The file's column order, shuffled.
            let mut layout: Vec<ColumnRef> = (0..text_n)
                .map(ColumnRef::Text)
                .chain((0..years).map(ColumnRef::Year))
                .collect();
            if total {
                layout.push(ColumnRef::Total);
            }
            let layout = Just(layout).prop_shuffle();
            let sections = vec(text(), sections);
            let lines = vec(line(shape), lines);
            let total_rows = vec(total_row(shape), 0..4);
            let rest = (
                text(),
                select(vec![Unit::Pounds, Unit::Thousands, Unit::Millions]),
                select(SignConvention::ALL.to_vec()),
                select(vec![Profile::Incremental, Profile::Cumulative]),
            );
            (
                year_columns,
                text_columns,
                total_header,
                layout,
                sections,
                lines,
                total_rows,
                rest,
            )
                .prop_map(
                    move |(
                        years,
                        text_columns,
                        total_header,
                        layout,
                        sections,
                        mut lines,
                        mut total_rows,
                        (title, unit, sign, profile),
                    )| {
                        for (i, line) in lines.iter_mut().enumerate() {
                            line.row = 4 + i;
                        }
                        for (i, row) in total_rows.iter_mut().enumerate() {
                            row.row = 1_000 + i;
                        }
                        Schedule {
                            title,
                            unit,
                            years,
                            text_columns,
                            total_header,
                            layout,
                            sections: sections
                                .into_iter()
                                .enumerate()
                                .map(|(i, name)| Section {
                                    name,
                                    row: 3 + i * 100,
                                })
                                .collect(),
                            lines,
                            total_rows,
                            decimals,
                            sign,
                            profile,
                        }
                    },
                )
        })
}

/// A rating's rate: 0 to 1,000 with 0 to 3 places.
fn rate() -> impl Strategy<Value = Decimal> + Clone {
    (0..=1_000i64, 0..4u32).prop_map(|(m, scale)| Decimal::new(m, scale))
}

/// A scenario over a schedule's lines: rates, per-line assumptions (three lines in ten), growth
/// and reserves.
pub fn scenario(schedule: &Schedule) -> impl Strategy<Value = Scenario> {
    let assumption = (
        option::weighted(0.5, rate()),
        0..4u32,
        option::weighted(0.3, decimal(4, 2)),
        weighted(0.15),
    )
        .prop_map(|(rate, slip, scale, exclude)| LineAssumption {
            rate,
            slip,
            scale,
            exclude,
        });
    let rows: Vec<usize> = schedule.lines.iter().map(|l| l.row).collect();
    let lines = vec(option::weighted(0.3, assumption), rows.len()).prop_map(move |drawn| {
        rows.iter()
            .zip(drawn)
            .filter_map(|(row, a)| a.map(|a| (*row, a)))
            .collect::<BTreeMap<_, _>>()
    });
    (
        text(),
        (rate(), rate(), rate(), rate()),
        lines,
        option::weighted(0.4, decimal(3, 3)),
        option::weighted(
            0.4,
            vec(option::weighted(0.6, decimal(6, 3)), schedule.years.len()),
        ),
    )
        .prop_map(
            |(name, (red, amber, green, unrated), lines, pressure_growth, reserves)| Scenario {
                name,
                rates: RagRates {
                    red,
                    amber,
                    green,
                    unrated,
                },
                lines,
                pressure_growth,
                reserves,
                ..Scenario::baseline()
            },
        )
}

/// A schedule and a scenario over it.
pub fn schedule_and_scenario() -> impl Strategy<Value = (Schedule, Scenario)> {
    schedule().prop_flat_map(|s| {
        let scenario = scenario(&s);
        (Just(s), scenario)
    })
}
