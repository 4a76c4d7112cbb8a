//! MTFS programme files (`name, …, grossValue, deliveryYear, achievementRate, isRecurring,
//! ragStatus, responsibleOfficer, year1 … year5`): read as a cumulative schedule whose amounts
//! are gross × cumulative percentage exactly, with recurrence, RAG and the achievement rates as
//! a scenario. Figures below are worked by hand from `tests/fixtures/mtfs-programme.csv`.

mod common;

use common::{d, fig, load_clean, MTFS_PROGRAMME};
use gapwise::engine::{
    apply_scenario, calculate, import, Amount, ErrorKind, ImportOptions, Profile, Rag, Recurrence,
    TextField, Unit,
};

const FIXTURE: &[u8] = MTFS_PROGRAMME.1;
const NAME: &str = MTFS_PROGRAMME.0;

fn row_of(s: &gapwise::engine::Schedule, row: usize) -> &gapwise::engine::Line {
    s.lines
        .iter()
        .find(|l| l.row == row)
        .expect("a line of that row")
}

#[test]
fn the_programme_reads_as_a_cumulative_schedule_from_the_first_delivery_year() {
    let i = load_clean(FIXTURE, NAME);
    let s = &i.schedule;
    assert_eq!(s.lines.len(), 12);
    assert_eq!(s.profile, Profile::Cumulative);
    assert_eq!(s.unit, Unit::Pounds);
    assert!(!i.unit_stated);
    let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
    assert_eq!(
        years,
        ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"]
    );
    assert_eq!(s.years[0].header, "2024/25 (year1)");
    assert_eq!(s.column_of(TextField::Name), Some(0));
    assert_eq!(s.column_of(TextField::Type), Some(2));
    assert_eq!(s.column_of(TextField::Rag), Some(7));
    let officer = s
        .text_columns
        .iter()
        .position(|c| c.header == "responsibleOfficer")
        .unwrap();
    assert_eq!(s.lines[0].text[officer], "A. Patel");
    assert_eq!(s.decimals, 3);
}

#[test]
fn amounts_are_gross_times_percentage_exactly() {
    let s = load_clean(FIXTURE, NAME).schedule;
    let cells = |row: usize| -> Vec<rust_decimal::Decimal> {
        row_of(&s, row).amounts.iter().map(fig).collect()
    };
    // 125,000 × 40 %, 80 %, 100 %.
    assert_eq!(
        cells(2)[..3],
        [d("50000.00"), d("100000.00"), d("125000.00")]
    );
    // 155,500 × 33.5 % = 52,092.50; × 67 % = 104,185.00.
    assert_eq!(cells(9)[..2], [d("52092.50"), d("104185.00")]);
    // 420,000 × 12.5 %, 37.5 %, 62.5 %, 100 %.
    assert_eq!(
        cells(11)[1..],
        [
            d("52500.00"),
            d("157500.00"),
            d("262500.00"),
            d("420000.00")
        ]
    );
    // 199,999.99 × 50 % = 99,999.995: a half penny is kept, not rounded.
    assert_eq!(cells(13)[2], d("99999.995"));
    assert_eq!(cells(13)[4], d("199999.99"));
    // 0 % is a zero.
    assert_eq!(cells(4)[0], d("0.00"));
}

#[test]
fn totals_per_year() {
    let s = load_clean(FIXTURE, NAME).schedule;
    let r = calculate(&s);
    let year = |y: usize| r.totals.grand.years[y].value;
    // 50,000 + 62,500 + 30,000 + 64,000 + 52,092.50 + 11,250.
    assert_eq!(year(0), d("269842.50"));
    // Every recurring line at 100 %, the one-offs at 0 %.
    assert_eq!(year(4), d("1609749.99"));
}

#[test]
fn recurrence_and_rag_are_carried() {
    let s = load_clean(FIXTURE, NAME).schedule;
    let one_off: Vec<usize> = s
        .lines
        .iter()
        .filter(|l| l.recurrence == Recurrence::OneOff)
        .map(|l| l.row)
        .collect();
    assert_eq!(one_off, [5, 8, 10]);
    let count = |rag: Rag| s.lines.iter().filter(|l| l.rag == Some(rag)).count();
    assert_eq!(
        (count(Rag::Red), count(Rag::Amber), count(Rag::Green)),
        (2, 5, 5)
    );
    assert_eq!(row_of(&s, 11).rag, Some(Rag::Red)); // `RED`
    assert_eq!(row_of(&s, 12).rag, Some(Rag::Green)); // `G`
}

#[test]
fn achievement_rates_come_back_as_a_scenario() {
    let i = load_clean(FIXTURE, NAME);
    let sc = i.scenario.expect("the file states achievement rates");
    assert_eq!(sc.name, "Achievement rates from mtfs-programme.csv");
    assert_eq!(sc.lines.len(), 12);
    assert_eq!(sc.lines[&2].rate, Some(d("0.90")));
    assert_eq!(sc.lines[&3].rate, Some(d("0.75")));
    assert_eq!(sc.lines[&11].rate, Some(d("0.40")));
    // Lines count at their own rate, whatever their rating.
    let applied = apply_scenario(&i.schedule, &sc).schedule;
    assert_eq!(fig(&row_of(&applied, 2).amounts[0]), d("45000"));
    assert_eq!(fig(&row_of(&applied, 11).amounts[4]), d("168000"));
    assert_eq!(fig(&row_of(&applied, 6).amounts[4]), d("41250"));
}

#[test]
fn header_variants_units_and_refusals() {
    let opts = ImportOptions::default();
    let text = "Savings programme 2025\nName,Gross Value (£'000),Delivery_Year,Is Recurring,\
                Year 1,Year 2\nA,1.5,2025,no,50%,100%\n";
    let i = import(text.as_bytes(), "p.csv", &opts).unwrap();
    assert!(i.problems.is_empty(), "{:?}", i.problems);
    assert_eq!(i.schedule.title, "Savings programme 2025");
    assert_eq!(i.schedule.unit, Unit::Thousands);
    assert_eq!(i.schedule.years[0].year.label(), "2025/26");
    assert_eq!(i.schedule.lines[0].amounts[0], Amount::Figure(d("0.75")));
    assert_eq!(i.schedule.lines[0].recurrence, Recurrence::OneOff);
    assert!(i.scenario.is_none());

    let e = import(
        b"name,grossValue,deliveryYear,year1,year3\nA,10,2024,1,2\n",
        "p.csv",
        &opts,
    )
    .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Table { .. }));
    assert_eq!(e.position().unwrap().column, Some(5));

    let e = import(b"name,grossValue,year1\nA,10,50\n", "p.csv", &opts).unwrap_err();
    assert!(e.to_string().contains("no deliveryYear column"), "{e}");
}
