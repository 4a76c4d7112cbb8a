//! Numbers as published (docs/domain.md): every format read by `parse_amount` on its own, and the same
//! formats met inside a full CSV import (`tests/fixtures/numbers.csv`), where magnitudes convert
//! to the schedule's unit, bad cells are reported with their position, and "no figure" is never
//! silently zero in a check.

mod common;

use common::{check_at, d, export_csv, fig, load, NUMBERS};
use gapwise::engine::{
    calculate, format_amount, import, parse_amount, Amount, CheckColumn, CheckStatus, ErrorKind,
    ImportOptions, Magnitude, NoFigure, NumberError, ParsedAmount, Unit,
};
use rust_decimal::Decimal;

fn parsed(cell: &str) -> ParsedAmount {
    parse_amount(cell).unwrap_or_else(|e| panic!("{cell}: {e}"))
}

fn plain(cell: &str) -> Decimal {
    let p = parsed(cell);
    assert_eq!(p.magnitude, None, "{cell}");
    fig(&p.amount)
}

#[test]
fn every_published_format_of_the_domain() {
    // `1,435.0`, keeping its one decimal place.
    assert_eq!(plain("1,435.0"), d("1435.0"));
    assert_eq!(plain("1,435.0").scale(), 1);
    // `(200.0)` is -200.
    assert_eq!(plain("(200.0)"), d("-200.0"));
    // `-£92,753`.
    assert_eq!(plain("-£92,753"), d("-92753"));
    // `+2.056`.
    assert_eq!(plain("+2.056"), d("2.056"));
    assert_eq!(plain("+2.056").scale(), 3);
    // `£1.374m`: the figure, and its own magnitude for the caller to convert.
    let p = parsed("£1.374m");
    assert_eq!(p.amount, Amount::Figure(d("1.374")));
    assert_eq!(p.magnitude, Some(Magnitude::Millions));
    // `-` or empty is zero: `-` a written zero, empty a blank (zero in a line, no claim in a total).
    assert_eq!(parsed("-").amount, Amount::Figure(Decimal::ZERO));
    assert_eq!(parsed("").amount, Amount::Blank);
    assert_eq!(parsed("").amount.value(), Some(Decimal::ZERO));
    // `N/A` and `TBC` are "no figure", never zero.
    assert_eq!(
        parsed("N/A").amount,
        Amount::NoFigure(NoFigure::NotApplicable)
    );
    assert_eq!(
        parsed("TBC").amount,
        Amount::NoFigure(NoFigure::ToBeConfirmed)
    );
    assert_eq!(parsed("N/A").amount.value(), None);
    assert_eq!(parsed("TBC").amount.value(), None);
    // `aa` is not an amount.
    assert_eq!(parse_amount("aa"), Err(NumberError::NotANumber));
}

#[test]
fn exact_decimals_never_binary_floating_point() {
    // 0.1 + 0.2 is 0.3 exactly, as the cells say; in f64 it would not be.
    let sum = plain("0.1") + plain("0.2");
    assert_eq!(sum, d("0.3"));
    assert_eq!(sum.to_string(), "0.3");
    let csv = "Project,2017/18\n,£m\nA,0.1\nB,0.2\nTotal,0.3\n";
    let s = load(csv.as_bytes(), "exact.csv").schedule;
    let r = calculate(&s);
    assert_eq!(r.totals.grand.years[0].value, d("0.3"));
    assert_eq!(r.checks.total_row_status, [Some(CheckStatus::Ok)]);
}

#[test]
fn formats_inside_a_full_csv_import() {
    let imported = load(NUMBERS, "numbers.csv");
    let s = &imported.schedule;
    assert_eq!(s.unit, Unit::Pounds);
    // The most decimals any cell is written with (`+2.056`).
    assert_eq!(s.decimals, 3);
    let row = |label: &str| -> &Vec<Amount> {
        &s.lines
            .iter()
            .find(|l| l.text[0] == label)
            .unwrap_or_else(|| panic!("no line {label}"))
            .amounts
    };
    let figures = |label: &str| -> Vec<Decimal> { row(label).iter().map(fig).collect() };

    assert_eq!(
        figures("Thousands separator"),
        [d("1435.0"), d("1000000"), d("0")]
    );
    assert_eq!(
        figures("Parentheses negative"),
        [d("-200.0"), d("-200"), d("-200")]
    );
    // `-£92,753`, `£-92,753`, and a Unicode minus `−5`.
    assert_eq!(
        figures("Minus before pound"),
        [d("-92753"), d("-92753"), d("-5")]
    );
    assert_eq!(figures("Explicit plus"), [d("2.056"), d("0.5"), d("7")]);
    // In a `£` schedule: £1.374m is 1,374,000; £75k is 75,000; £0.5M is 500,000.
    assert_eq!(
        figures("Magnitude suffix"),
        [d("1374000"), d("75000"), d("500000")]
    );
    // `-`, `–` and `—` alone are written zeros.
    assert_eq!(row("Dash is zero"), &vec![Amount::Figure(d("0")); 3]);
    assert_eq!(row("Empty is blank"), &vec![Amount::Blank; 3]);
    assert_eq!(
        row("No figure"),
        &vec![
            Amount::NoFigure(NoFigure::NotApplicable),
            Amount::NoFigure(NoFigure::ToBeConfirmed),
            Amount::NoFigure(NoFigure::NotApplicable),
        ]
    );
    // A spreadsheet's leading `'` (text marker) is ignored.
    assert_eq!(
        figures("Spreadsheet text marker"),
        [d("-200"), d("1.5"), d("-3")]
    );
    assert_eq!(
        row("Spreadsheet error"),
        &vec![Amount::NoFigure(NoFigure::Unreadable); 3]
    );

    // Spreadsheet error values are bad cells: each reported where it is, the rest loads.
    let problems: Vec<String> = imported.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        problems,
        [
            "numbers.csv, row 12, column 2017/18: `#REF!` is not an amount",
            "numbers.csv, row 12, column 2018/19: `#VALUE!` is not an amount",
            "numbers.csv, row 12, column 2019/20: `#DIV/0!` is not an amount",
        ]
    );
    assert_eq!(s.lines.len(), 10);

    // Totals skip the cells with no figure and say so.
    let r = calculate(s);
    let grand = &r.totals.grand.years[0];
    // 1,435.0 - 200.0 - 92,753 + 2.056 + 1,374,000 + 0 - 200 = 1,282,284.056.
    assert_eq!(grand.value, d("1282284.056"));
    assert_eq!(grand.missing, 2);
    assert_eq!(format_amount(grand.value, s.decimals), "1,282,284.056");
}

#[test]
fn magnitudes_convert_to_the_schedule_unit() {
    let csv =
        "Project,2017/18,2018/19,2019/20\n,£m,£m,£m\nFoster Carer,£1.374m,£75k,\"-£92,753\"\n";
    let s = load(csv.as_bytes(), "m.csv").schedule;
    assert_eq!(
        s.lines[0].amounts.iter().map(fig).collect::<Vec<_>>(),
        // A figure without a magnitude is in the schedule's unit, as written.
        [d("1.374"), d("0.075"), d("-92753")]
    );
    let csv = "Project,2017/18,2018/19\n,£'000,£'000\nFoster Carer,£1.374m,£75k\n";
    let s = load(csv.as_bytes(), "k.csv").schedule;
    let a: Vec<_> = s.lines[0].amounts.iter().map(fig).collect();
    assert_eq!(a, [d("1374"), d("75")]);
    assert_eq!(format_amount(a[0], s.decimals), "1,374");
}

#[test]
fn no_figure_is_never_silently_zero_in_a_check() {
    // Were N/A zero, line A's total and the 2017/18 subtotal would both be "ok".
    let csv = "Project,2017/18,2018/19,Total\nA,N/A,5,5\nB,5,5,10\nC,TBC,1,1\nTotal,5,11,16\n";
    let s = load(csv.as_bytes(), "na.csv").schedule;
    let r = calculate(&s);
    assert_eq!(
        r.checks.line_status,
        [
            Some(CheckStatus::Incomplete),
            Some(CheckStatus::Ok),
            Some(CheckStatus::Incomplete)
        ]
    );
    let c = check_at(&r.checks.checks, 5, CheckColumn::Year(0));
    assert_eq!(c.status, CheckStatus::Incomplete);
    assert_eq!(c.missing, 2);
    assert_eq!(c.computed, d("5"));
    let c = check_at(&r.checks.checks, 5, CheckColumn::Year(1));
    assert_eq!(c.status, CheckStatus::Ok);
    assert_eq!(r.checks.total_row_status, [Some(CheckStatus::Incomplete)]);
    // N/A and TBC in a total row are no claim at all.
    let csv = "Project,2017/18,2018/19\nA,1,2\nTotal,N/A,TBC\n";
    let s = load(csv.as_bytes(), "na.csv").schedule;
    let r = calculate(&s);
    assert_eq!(r.checks.total_row_status, [None]);
    assert!(r.checks.checks.is_empty());
}

#[test]
fn a_bad_cell_keeps_its_text_and_kind_in_the_error() {
    let csv = "Project,2017/18,2018/19\nA,\"1,43\",12..5\nB,1.12345678901,1000000000000000001\n";
    let imported = load(csv.as_bytes(), "bad.csv");
    let kinds: Vec<(usize, usize, &ErrorKind)> = imported
        .problems
        .iter()
        .map(|e| {
            let p = e.position().unwrap();
            (p.row, p.column.unwrap(), e.kind())
        })
        .collect();
    let amount = |text: &str, reason| ErrorKind::Amount {
        text: text.to_string(),
        reason,
    };
    assert_eq!(
        kinds,
        [
            (2, 2, &amount("1,43", NumberError::NotANumber)),
            (2, 3, &amount("12..5", NumberError::NotANumber)),
            (3, 2, &amount("1.12345678901", NumberError::TooManyDecimals)),
            (3, 3, &amount("1000000000000000001", NumberError::TooLarge)),
        ]
    );
}

#[test]
fn magnitudes_beyond_the_bound_are_refused_not_overflowed() {
    // 10^18 millions is 10^24 pounds: over the bound on a cell in the schedule's unit, so the
    // cell is refused (before the fix it was accepted, and ~80,000 of them overflowed the sum).
    let csv = "Project,2017/18\n,£\nA,£1000000000000000000m\nB,£1000000000000000000\n";
    let imported = load(csv.as_bytes(), "big.csv");
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(
        imported.problems[0].to_string(),
        "big.csv, row 3, column 2017/18: `£1000000000000000000m` is too large to be an amount \
         (over 10^18)"
    );
    assert_eq!(
        imported.schedule.lines[1].amounts[0],
        Amount::Figure(d("1000000000000000000"))
    );

    let mut csv = String::from("Project,2017/18\n,£\n");
    for _ in 0..80_000 {
        csv.push_str("A,£1000000000000000000m\n");
    }
    let options = ImportOptions::default();
    let imported = import(csv.as_bytes(), "many.csv", &options).unwrap();
    assert_eq!(imported.problems.len() + imported.more_problems, 80_000);
    let r = calculate(&imported.schedule);
    assert_eq!(r.totals.grand.years[0].missing, 80_000);
    assert!(!export_csv(&imported.schedule).is_empty());
}

#[test]
fn numbers_round_trip_through_both_exports() {
    let s = load(NUMBERS, "numbers.csv").schedule;
    let again = load(export_csv(&s).as_bytes(), "numbers.csv");
    assert_eq!(again.schedule, s);
    // The unreadable cells are still unreadable, and still reported where they are (they are
    // written as `#VALUE!`, the text of an unreadable cell).
    let positions: Vec<(usize, usize)> = again
        .problems
        .iter()
        .map(|p| {
            (
                p.position().unwrap().row,
                p.position().unwrap().column.unwrap(),
            )
        })
        .collect();
    assert_eq!(positions, [(12, 3), (12, 4), (12, 5)]);
    let json = gapwise::engine::to_json(&s);
    assert_eq!(load(json.as_bytes(), "numbers.json").schedule, s);
}
