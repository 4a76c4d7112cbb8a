//! Programme files that count their years from one (docs/domain.md, "Files that count years
//! from one"): `deliveryYear` 1–5 and `year1 … year5`, no financial year named anywhere. Year 1
//! comes from the import options (the page passes the financial year containing today, or the
//! user's choice); without it the import asks for it. Figures are worked by hand from
//! `tests/fixtures/programme/years-from-one.csv` (the format publishes no total, so the fixture
//! holds no deliberate error).

mod common;

use common::{d, fig};
use gapwise::engine::{
    calculate, detect_mapping, header_key, import, run_import, FinancialYear, ImportJob,
    ImportOptions, Imported, Profile,
};
use rust_decimal::Decimal;

const NAME: &str = "years-from-one.csv";
const FIXTURE: &[u8] = include_bytes!("fixtures/programme/years-from-one.csv");

fn fy(start: i32) -> FinancialYear {
    FinancialYear { start }
}

fn with_year(first_year: Option<FinancialYear>) -> ImportOptions {
    ImportOptions {
        first_year,
        ..ImportOptions::default()
    }
}

fn load(first_year: FinancialYear) -> Imported {
    let i = import(FIXTURE, NAME, &with_year(Some(first_year))).unwrap();
    let problems: Vec<String> = i.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    i
}

fn labels(i: &Imported) -> Vec<String> {
    i.schedule.years.iter().map(|y| y.year.label()).collect()
}

#[test]
fn year_one_2026_27_gives_five_years_from_it_and_the_amounts() {
    let i = load(fy(2026));
    assert_eq!(i.year_one, Some(fy(2026)));
    assert_eq!(
        labels(&i),
        ["2026/27", "2027/28", "2028/29", "2029/30", "2030/31"]
    );
    assert_eq!(i.schedule.years[0].header, "2026/27 (year1)");
    assert_eq!(i.schedule.profile, Profile::Cumulative);
    assert_eq!(i.schedule.lines.len(), 7);
    // Property rationalisation: 320,000 × 0, 0, 0, 25 %, 75 %.
    let property: Vec<Decimal> = i.schedule.lines[5].amounts.iter().map(fig).collect();
    assert_eq!(property, [d("0"), d("0"), d("0"), d("80000"), d("240000")]);
    // Home care 200,000 × 50 % = 100,000 and street lighting 90,000 × 100 % in year 1; by
    // year 5 every recurring line at its last share, the one-off release at 0 %.
    let r = calculate(&i.schedule);
    let years: Vec<Decimal> = r.totals.grand.years.iter().map(|s| s.value).collect();
    assert_eq!(
        years,
        [
            d("190000"),
            d("410000"),
            d("485000"),
            d("595000"),
            d("795000")
        ]
    );
}

#[test]
fn another_year_one_shifts_the_headings_and_keeps_the_amounts() {
    let late = load(fy(2026));
    let early = load(fy(2024));
    assert_eq!(early.year_one, Some(fy(2024)));
    assert_eq!(
        labels(&early),
        ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29"]
    );
    assert_eq!(early.schedule.years[4].header, "2028/29 (year5)");
    let lines = |i: &Imported| -> Vec<Vec<Decimal>> {
        i.schedule
            .lines
            .iter()
            .map(|l| l.amounts.iter().map(fig).collect())
            .collect()
    };
    assert_eq!(lines(&early), lines(&late));
    assert_eq!(
        calculate(&early.schedule).totals.grand.total.value,
        calculate(&late.schedule).totals.grand.total.value
    );
}

#[test]
fn without_a_year_one_the_import_asks_for_it() {
    let e = import(FIXTURE, NAME, &ImportOptions::default()).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("year 1"), "{message}");
    assert!(message.contains("deliveryYear"), "{message}");
    assert!(message.contains(NAME), "{message}");
}

#[test]
fn a_file_naming_its_delivery_years_ignores_the_year_one_given() {
    let named = String::from_utf8(FIXTURE.to_vec()).unwrap().replacen(
        ",1,true,Green,M. Ahmed",
        ",2025/26,true,Green,M. Ahmed",
        1,
    );
    let i = import(named.as_bytes(), NAME, &with_year(Some(fy(2030)))).unwrap();
    assert_eq!(i.year_one, None);
    assert_eq!(i.schedule.years[0].year, fy(2025));
    // The other lines' 1 … 5 beside a named year are each reported: which year is 1 is unclear.
    assert_eq!(i.problems.len(), 6, "{:#?}", i.problems);
}

#[test]
fn the_financial_year_containing_a_date_starts_in_april() {
    assert_eq!(FinancialYear::containing(2026, 4), fy(2026));
    assert_eq!(FinancialYear::containing(2026, 3), fy(2025));
    assert_eq!(FinancialYear::containing(2027, 1), fy(2026));
}

fn job(first_year: Option<FinancialYear>, years_one: Vec<(String, FinancialYear)>) -> ImportJob {
    ImportJob {
        file_name: NAME.into(),
        options: with_year(first_year),
        this_year: Some(fy(2026)),
        years_one,
        ..ImportJob::default()
    }
}

fn first_heading(job: &ImportJob) -> (String, FinancialYear) {
    let report = run_import(FIXTURE, job);
    let file = report.outcome.unwrap();
    let year_one = report.year_one.unwrap();
    assert_eq!(file.year_one, Some(year_one.year));
    (file.schedule.years[0].year.label(), year_one.year)
}

#[test]
fn the_page_s_year_a_remembered_choice_and_the_user_s_choice_in_that_order() {
    let key = header_key(&detect_mapping(FIXTURE, NAME, &ImportOptions::default()).unwrap());
    assert!(key.contains("deliveryyear"), "{key}");
    // Today's financial year when nothing else is said.
    assert_eq!(first_heading(&job(None, Vec::new())).0, "2026/27");
    let report = run_import(FIXTURE, &job(None, Vec::new()));
    let y = report.year_one.unwrap();
    assert_eq!(y.header_key, key);
    assert_eq!(y.choices.first(), Some(&fy(2023)));
    assert_eq!(y.choices.last(), Some(&fy(2029)));
    // A choice remembered for this header is used next time; another header's is not.
    let remembered = vec![("[\"other\"]".to_string(), fy(2020)), (key, fy(2024))];
    assert_eq!(
        first_heading(&job(None, remembered.clone())),
        ("2024/25".to_string(), fy(2024))
    );
    // The year chosen on screen wins over the remembered one.
    assert_eq!(first_heading(&job(Some(fy(2027)), remembered)).0, "2027/28");
    // Another file says nothing of year 1.
    let other = run_import(
        include_bytes!("fixtures/mtfs-programme.csv"),
        &job(None, Vec::new()),
    );
    assert!(other.outcome.is_ok());
    assert_eq!(other.year_one, None);
}
