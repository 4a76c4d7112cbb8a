//! A small deterministic generator of schedules and scenarios for property tests: a
//! SplitMix64 stream, so every run makes the same cases and a failure names its seed.

use std::collections::BTreeMap;

use gapwise::engine::{
    Amount, ColumnRef, FinancialYear, Line, LineAssumption, Measure, NoFigure, Profile, Rag,
    RagRates, Recurrence, Scenario, Schedule, Section, SignConvention, TextColumn, TextField,
    TotalRow, TotalScope, Unit, YearColumn,
};
use rust_decimal::Decimal;

/// SplitMix64: tiny, fast, and good enough to spread test cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A decimal up to `max_digits` digits with `scale` places, either sign.
    pub fn decimal(&mut self, max_digits: u32, scale: u32) -> Decimal {
        let digits = 1 + self.below(max_digits as usize) as u32;
        let m = (self.next() % 10u64.pow(digits.min(18))) as i64;
        let m = if self.chance(30) { -m } else { m };
        Decimal::new(m, scale)
    }

    /// Text of the kinds published tables hold, and of kinds an attacker would write.
    pub fn text(&mut self) -> String {
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
        let n = 1 + self.below(3);
        (0..n)
            .map(|_| *self.pick(&WORDS))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn amount(&mut self, decimals: u32) -> Amount {
        match self.below(20) {
            0 => Amount::Blank,
            1 => Amount::NoFigure(NoFigure::NotApplicable),
            2 => Amount::NoFigure(NoFigure::ToBeConfirmed),
            3 => Amount::NoFigure(NoFigure::Unreadable),
            4 => Amount::Figure(Decimal::new(0, decimals)),
            5 => Amount::Figure(Decimal::new(999_999_999_999_999_999, 0)),
            _ => {
                let scale = if self.chance(80) {
                    decimals
                } else {
                    self.below(11) as u32
                };
                Amount::Figure(self.decimal(12, scale))
            }
        }
    }
}

/// A schedule that canonical JSON import accepts: every length and index consistent, every
/// other field drawn at random.
pub fn schedule(rng: &mut Rng) -> Schedule {
    let decimals = rng.below(11) as u32;
    let start = 1990 + rng.below(60) as i32;
    let n_years = 1 + rng.below(8);
    let years: Vec<YearColumn> = (0..n_years)
        .map(|i| {
            let year = FinancialYear {
                start: start + i as i32,
            };
            let header = if rng.chance(50) {
                year.label()
            } else {
                format!("{} {}", year.label(), rng.text())
            };
            YearColumn { year, header }
        })
        .collect();
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
    let n_text = rng.below(5);
    let text_columns: Vec<TextColumn> = (0..n_text)
        .map(|_| TextColumn {
            header: rng.text(),
            field: *rng.pick(&FIELDS),
        })
        .collect();
    let total_header = rng.chance(60).then(|| rng.text());
    let mut layout: Vec<ColumnRef> = (0..n_text)
        .map(ColumnRef::Text)
        .chain((0..n_years).map(ColumnRef::Year))
        .collect();
    if total_header.is_some() {
        layout.push(ColumnRef::Total);
    }
    // Shuffle the file's column order (Fisher–Yates).
    for i in (1..layout.len()).rev() {
        let j = rng.below(i + 1);
        layout.swap(i, j);
    }
    let n_sections = rng.below(4);
    let sections: Vec<Section> = (0..n_sections)
        .map(|i| Section {
            name: rng.text(),
            row: 3 + i * 100,
        })
        .collect();
    let n_lines = rng.below(40);
    let lines: Vec<Line> = (0..n_lines)
        .map(|i| Line {
            row: 4 + i,
            section: if n_sections > 0 && rng.chance(80) {
                Some(rng.below(n_sections))
            } else {
                None
            },
            text: (0..n_text).map(|_| rng.text()).collect(),
            amounts: (0..n_years).map(|_| rng.amount(decimals)).collect(),
            total: total_header
                .as_ref()
                .and_then(|_| rng.chance(80).then(|| rng.amount(decimals))),
            recurrence: if rng.chance(10) {
                Recurrence::OneOff
            } else {
                Recurrence::Recurring
            },
            memo: rng.chance(10),
            rag: match rng.below(4) {
                0 => Some(Rag::Red),
                1 => Some(Rag::Amber),
                2 => Some(Rag::Green),
                _ => None,
            },
        })
        .collect();
    let n_totals = rng.below(4);
    let total_rows: Vec<TotalRow> = (0..n_totals)
        .map(|i| {
            let scope = match rng.below(5) {
                0 if n_sections > 0 => TotalScope::Section(rng.below(n_sections)),
                1 => {
                    let end = rng.below(n_lines + 1);
                    TotalScope::Since {
                        first_line: rng.below(end + 1),
                        end_line: end,
                    }
                }
                2 => TotalScope::Measure(*rng.pick(&[
                    Measure::Investment,
                    Measure::GrossSaving,
                    Measure::Net,
                    Measure::Cost,
                    Measure::Benefit,
                ])),
                3 => TotalScope::AllButBase,
                _ => TotalScope::All,
            };
            TotalRow {
                row: 1_000 + i,
                label: rng.text(),
                scope,
                amounts: (0..n_years).map(|_| rng.amount(decimals)).collect(),
                total: total_header
                    .as_ref()
                    .and_then(|_| rng.chance(70).then(|| rng.amount(decimals))),
                text: if rng.chance(50) {
                    Vec::new()
                } else {
                    (0..n_text).map(|_| rng.text()).collect()
                },
            }
        })
        .collect();
    Schedule {
        title: rng.text(),
        unit: *rng.pick(&[Unit::Pounds, Unit::Thousands, Unit::Millions]),
        years,
        text_columns,
        total_header,
        layout,
        sections,
        lines,
        total_rows,
        decimals,
        sign: *rng.pick(&SignConvention::ALL),
        profile: *rng.pick(&[Profile::Incremental, Profile::Cumulative]),
    }
}

/// A scenario over a schedule's lines: rates, per-line assumptions, growth and reserves.
pub fn scenario(rng: &mut Rng, schedule: &Schedule) -> Scenario {
    let rate = |rng: &mut Rng| Decimal::new(rng.below(1_001) as i64, rng.below(4) as u32);
    let rates = RagRates {
        red: rate(rng),
        amber: rate(rng),
        green: rate(rng),
        unrated: rate(rng),
    };
    let mut lines = BTreeMap::new();
    for line in &schedule.lines {
        if rng.chance(30) {
            lines.insert(
                line.row,
                LineAssumption {
                    rate: rng.chance(50).then(|| rate(rng)),
                    slip: rng.below(4) as u32,
                    scale: rng.chance(30).then(|| rng.decimal(4, 2)),
                    exclude: rng.chance(15),
                },
            );
        }
    }
    Scenario {
        name: rng.text(),
        rates,
        lines,
        pressure_growth: rng.chance(40).then(|| rng.decimal(3, 3)),
        reserves: rng.chance(40).then(|| {
            (0..schedule.years.len())
                .map(|_| rng.chance(60).then(|| rng.decimal(6, 3)))
                .collect()
        }),
        ..Scenario::baseline()
    }
}
