//! Reconciling the CYPS savings schedule (incremental, £'000, savings positive) with the
//! investment bids it restates (cumulative, £m, costs positive, gross savings negative).
//!
//! Every expected figure below was worked out by hand from the fixtures, not copied from the
//! output: a schedule line's full-year effects are the running sums of its increments
//! (165, 462, 627, 660 → 165, 627, 1,254, 1,914); a bid's gross saving line is already
//! cumulative, and `(1.374)` £m is a saving of 1,374 £'000.

mod common;

use common::{d, ds, load_clean, schedule, CYPS_SAVINGS, INVESTMENT_BIDS};
use gapwise::engine::{
    reconcile, schedule_in_profile, Amount, Profile, ReconcileRow, ReconcileStatus, Reconciliation,
    Schedule, SignConvention, Unit, WordOverlap,
};
use rust_decimal::Decimal;

use ReconcileStatus::{Match, OnlyLeft, OnlyRight};

fn savings() -> Schedule {
    schedule(CYPS_SAVINGS)
}

fn bids() -> Schedule {
    schedule(INVESTMENT_BIDS)
}

fn decimals(values: [&str; 4]) -> Vec<Decimal> {
    ds(&values)
}

fn left_values(row: &ReconcileRow) -> Vec<Decimal> {
    row.left
        .as_ref()
        .unwrap()
        .values
        .iter()
        .map(|s| s.value)
        .collect()
}

fn right_values(row: &ReconcileRow) -> Vec<Decimal> {
    row.right
        .as_ref()
        .unwrap()
        .values
        .iter()
        .map(|s| s.value)
        .collect()
}

/// One expected row: key, the schedule's name, the bids' name, status, and the full-year effects
/// per year 2017/18 to 2020/21 in £'000 (the right's only where it has the reference too).
struct Expected {
    key: &'static str,
    left: Option<&'static str>,
    right: Option<&'static str>,
    status: ReconcileStatus,
    left_values: Option<[&'static str; 4]>,
    right_values: Option<[&'static str; 4]>,
}

const fn row(
    key: &'static str,
    left: Option<&'static str>,
    right: Option<&'static str>,
    status: ReconcileStatus,
    left_values: Option<[&'static str; 4]>,
    right_values: Option<[&'static str; 4]>,
) -> Expected {
    Expected {
        key,
        left,
        right,
        status,
        left_values,
        right_values,
    }
}

/// The schedule against the bids, every row, in the order of the schedule's references.
/// Paired rows: both sides' full-year effects, worked out by hand. The schedule's incremental
/// figures are in the comments.
const SAVINGS_AGAINST_BIDS: [Expected; 33] = [
    // 330, 385, 110, 0 against (0.330), (0.715), (0.825), (0.825).
    row(
        "CYPS9",
        Some("9 - Appointment of Newly Qualified Social Workers"),
        Some("Appointment of Newly Qualified Social Workers (x 22)"),
        Match,
        Some(["330", "715", "825", "825"]),
        Some(["330", "715", "825", "825"]),
    ),
    // 0, 112, 113, 0: the 17/18 saving that reuses CYPS9.
    row(
        "CYPS9",
        Some("Edge of Care Interventions"),
        None,
        OnlyLeft,
        Some(["0", "112", "225", "225"]),
        None,
    ),
    // 0, 300, 300, 0: the 17/18 saving that reuses CYPS10.
    row(
        "CYPS10",
        Some("Social Care staffing. MVF Regional Agreement for Agency Social Workers"),
        None,
        OnlyLeft,
        Some(["0", "300", "600", "600"]),
        None,
    ),
    row(
        "CYPS10",
        Some("10 - Workforce Development and Practice Improvement"),
        Some("Workforce Development and Practice Improvement"),
        Match,
        Some(["0", "0", "0", "0"]),
        Some(["0", "0", "0", "0"]),
    ),
    row(
        "CYPS8",
        Some("8 - Single Assessment Review Duty Team"),
        Some("Single Assessment Review Duty Team"),
        Match,
        Some(["0", "0", "0", "0"]),
        Some(["0", "0", "0", "0"]),
    ),
    // 0, 100, 0, 0.
    row(
        "CYPS8",
        Some("Foster Care Recruitment"),
        None,
        OnlyLeft,
        Some(["0", "100", "100", "100"]),
        None,
    ),
    row(
        "CYPS07A",
        Some("Safeguarding, Children & Families"),
        None,
        OnlyLeft,
        Some(["0", "300", "300", "300"]),
        None,
    ),
    row(
        "CYPS1",
        Some("Early Help Review"),
        None,
        OnlyLeft,
        Some(["0", "175", "350", "350"]),
        None,
    ),
    row(
        "CYPS11",
        Some("Early Years Workforce Transformation"),
        None,
        OnlyLeft,
        Some(["0", "15", "15", "15"]),
        None,
    ),
    row(
        "ASRCPQA",
        Some("Commissioning, Performance & Quality"),
        None,
        OnlyLeft,
        Some(["750", "750", "750", "750"]),
        None,
    ),
    row(
        "ASRCPQB",
        Some("Commissioning, Performance & Quality"),
        None,
        OnlyLeft,
        Some(["100", "100", "100", "100"]),
        None,
    ),
    row(
        "CYPS1B",
        Some("1B - Therapeutic Service"),
        Some("Therapeutic Service"),
        Match,
        Some(["0", "0", "0", "0"]),
        Some(["0", "0", "0", "0"]),
    ),
    // docs/domain.md: incremental 165, 462, 627, 660 ⇔ cumulative 165, 627, 1,254, 1,914.
    row(
        "CYPS2",
        Some("2 - Family group conferencing"),
        Some("Family Group Conferencing"),
        Match,
        Some(["165", "627", "1254", "1914"]),
        Some(["165", "627", "1254", "1914"]),
    ),
    row(
        "CYPS2",
        Some("Education Psychology Services"),
        None,
        OnlyLeft,
        Some(["0", "383", "383", "383"]),
        None,
    ),
    // 44, 88, 88, 88 against (0.044), (0.132), (0.220), (0.308).
    row(
        "CYPS6",
        Some("6 - Multi-systemic Therapy"),
        Some("Multi-systemic Therapy (MST)"),
        Match,
        Some(["44", "132", "220", "308"]),
        Some(["44", "132", "220", "308"]),
    ),
    row(
        "CYPS6",
        Some("IFA First Preference"),
        None,
        OnlyLeft,
        Some(["0", "150", "150", "150"]),
        None,
    ),
    // 165, 429, 594, 660 against (0.165), (0.594), (1.188), (1.848).
    row(
        "CYPS5",
        Some("5 - Edge of Care"),
        Some("Edge of Care"),
        Match,
        Some(["165", "594", "1188", "1848"]),
        Some(["165", "594", "1188", "1848"]),
    ),
    row(
        "CYPS5",
        Some("School Improvement Service"),
        None,
        OnlyLeft,
        Some(["0", "133", "133", "133"]),
        None,
    ),
    // CYPS4 is Troubled Families in the schedule and the Pause Project in the bids: names with
    // no word in common are different proposals, not a difference.
    row(
        "CYPS4",
        Some("Troubled Families - Payment by Results"),
        None,
        OnlyLeft,
        Some(["0", "30", "30", "30"]),
        None,
    ),
    row(
        "CYPS4",
        None,
        Some("Pause Project"),
        OnlyRight,
        None,
        Some(["0", "0", "0", "0"]),
    ),
    row(
        "ASRESSA",
        Some("Education & Skills Service"),
        None,
        OnlyLeft,
        Some(["200", "200", "200", "200"]),
        None,
    ),
    row(
        "EHMAJORPROJECT",
        Some("Early Help"),
        None,
        OnlyLeft,
        Some(["421", "421", "421", "421"]),
        None,
    ),
    row(
        "CYPS03D",
        Some("Early Years and Childcare"),
        None,
        OnlyLeft,
        Some(["27", "27", "27", "27"]),
        None,
    ),
    // 1,374.0, 1,286.0, 1,320.0, 0.0 against (1.374), (2.660), (3.980), (3.980).
    row(
        "CYPS1A",
        Some("1A - Foster Carer Payments Scheme, Support & Development"),
        Some("Foster Carer Payments Scheme, Support and Development"),
        Match,
        Some(["1374", "2660", "3980", "3980"]),
        Some(["1374", "2660", "3980", "3980"]),
    ),
    // 66, 132, 132, 132 against (0.066), (0.198), (0.330), (0.462).
    row(
        "CYPS3",
        Some("3 - Special Guardianship Looked After Children"),
        Some("Special Guardianship Looked After Children"),
        Match,
        Some(["66", "198", "330", "462"]),
        Some(["66", "198", "330", "462"]),
    ),
    row(
        "CYPS3",
        Some("Admissions and Appeals"),
        None,
        OnlyLeft,
        Some(["0", "84", "84", "84"]),
        None,
    ),
    // 132, 132, 0, 0 against (0.132), (0.264), (0.264), (0.264).
    row(
        "CYPS7",
        Some("7 - Reunification Project"),
        Some("Reunification Project"),
        Match,
        Some(["132", "264", "264", "264"]),
        Some(["132", "264", "264", "264"]),
    ),
    row(
        "CYPS7",
        Some("Block Contracts (Residential)"),
        None,
        OnlyLeft,
        Some(["0", "50", "50", "50"]),
        None,
    ),
    row(
        "A",
        Some("Transport"),
        None,
        OnlyLeft,
        Some(["100", "200", "200", "200"]),
        None,
    ),
    row(
        "ASRCPQC",
        Some("Commissioning, Performance & Quality"),
        None,
        OnlyLeft,
        Some(["559", "800", "800", "800"]),
        None,
    ),
    row(
        "ASRCPQD",
        Some("Commissioning, Performance & Quality"),
        None,
        OnlyLeft,
        Some(["250", "500", "500", "500"]),
        None,
    ),
    row(
        "CYPS03E",
        Some("Early Years and Childcare"),
        None,
        OnlyLeft,
        Some(["3", "3", "3", "3"]),
        None,
    ),
    row(
        "ASRESSB",
        Some("Education & Skills Service"),
        None,
        OnlyLeft,
        Some(["200", "200", "200", "200"]),
        None,
    ),
];

fn assert_rows(r: &Reconciliation, expected: &[Expected]) {
    let got: Vec<_> = r
        .rows
        .iter()
        .map(|row| {
            (
                row.key.as_str(),
                row.left.as_ref().map(|e| e.name.as_str()),
                row.right.as_ref().map(|e| e.name.as_str()),
                row.status,
            )
        })
        .collect();
    let want: Vec<_> = expected
        .iter()
        .map(|e| (e.key, e.left, e.right, e.status))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn savings_schedule_against_the_investment_bids() {
    let (left, right) = (savings(), bids());
    assert_eq!(
        (left.unit, left.profile, left.sign),
        (
            Unit::Thousands,
            Profile::Incremental,
            SignConvention::SavingsPositive
        )
    );
    assert_eq!(
        (right.unit, right.profile, right.sign),
        (
            Unit::Millions,
            Profile::Cumulative,
            SignConvention::CostsPositive
        )
    );
    let r = reconcile(&left, &right);
    assert_eq!(r.unit, Unit::Thousands);
    let years: Vec<String> = r.years.iter().map(|y| y.label()).collect();
    assert_eq!(years, ["2017/18", "2018/19", "2019/20", "2020/21"]);

    assert_rows(&r, &SAVINGS_AGAINST_BIDS);
    for (row, e) in r.rows.iter().zip(&SAVINGS_AGAINST_BIDS) {
        if let Some(v) = e.left_values {
            assert_eq!(left_values(row), decimals(v), "{} left", e.key);
        }
        if let Some(v) = e.right_values {
            assert_eq!(right_values(row), decimals(v), "{} right", e.key);
        }
        match e.status {
            Match => assert_eq!(row.difference, vec![Some(Decimal::ZERO); 4], "{}", e.key),
            _ => assert_eq!(row.difference, vec![None; 4], "{}", e.key),
        }
        assert_eq!(row.missing_years, 0);
    }
    assert_eq!(
        (
            r.matches,
            r.rounding,
            r.different,
            r.only_left,
            r.only_right
        ),
        (10, 0, 0, 22, 1)
    );
    // 32 of the schedule's 64 lines (the Demand Management lines, the one-offs, the pathway
    // lines) carry no reference; every line of it is a saving line. The bids are 11 proposals
    // (CYPS 1A, 1B, 2 to 10) of three lines: the 11 investment and 11 net lines are left out,
    // and every gross saving line has a reference.
    assert_eq!(left.lines.len(), 64);
    assert_eq!((r.unreferenced_left, r.excluded_left), (32, 0));
    assert_eq!(right.lines.len(), 33);
    assert_eq!((r.unreferenced_right, r.excluded_right), (0, 22));
}

#[test]
fn foster_carer_payments_match_in_thousands() {
    let (left, right) = (savings(), bids());
    let r = reconcile(&left, &right);
    let row = r.rows.iter().find(|row| row.key == "CYPS1A").unwrap();
    assert_eq!(row.status, Match);
    let l = row.left.as_ref().unwrap();
    let values: Vec<String> = l.values.iter().map(|s| s.value.to_string()).collect();
    assert_eq!(values, ["1374.0", "2660.0", "3980.0", "3980.0"]);
    assert_eq!(l.reference, "CYPS1A");
    assert_eq!(left.lines[l.lines[0]].row, 44);
    let rt = row.right.as_ref().unwrap();
    assert_eq!(rt.reference, "CYPS 1A");
    // The gross saving line only: the second of the bids' lines.
    assert_eq!(rt.lines, [1]);
    let values: Vec<String> = rt.values.iter().map(|s| s.value.to_string()).collect();
    assert_eq!(values, ["1374", "2660", "3980", "3980"]);
    // Rounding each side can hide: 1 to 4 schedule cells of 0.05, one bids cell of 0.0005 £m.
    let tolerance: Vec<_> = row.tolerance.iter().map(|t| t.unwrap()).collect();
    assert_eq!(tolerance, decimals(["0.55", "0.60", "0.65", "0.70"]));
    // {1a, foster, carer, payments, scheme, support, development} and the same without `1a`.
    assert_eq!(
        row.name_overlap,
        Some(WordOverlap {
            shared: 6,
            union: 7
        })
    );
}

#[test]
fn cyps9_pairs_nqsw_with_nqsw_not_edge_of_care() {
    let r = reconcile(&savings(), &bids());
    let cyps9: Vec<&ReconcileRow> = r.rows.iter().filter(|row| row.key == "CYPS9").collect();
    assert_eq!(cyps9.len(), 2);
    assert_eq!(cyps9[0].status, Match);
    assert!(cyps9[0]
        .left
        .as_ref()
        .unwrap()
        .name
        .contains("Newly Qualified"));
    assert!(cyps9[0]
        .right
        .as_ref()
        .unwrap()
        .name
        .contains("Newly Qualified"));
    assert_eq!(
        cyps9[0].name_overlap,
        Some(WordOverlap {
            shared: 5,
            union: 8
        })
    );
    assert_eq!(cyps9[1].status, OnlyLeft);
    assert_eq!(
        cyps9[1].left.as_ref().unwrap().name,
        "Edge of Care Interventions"
    );
    assert!(cyps9[1].right.is_none());
}

#[test]
fn bids_against_the_savings_schedule_in_millions() {
    let (left, right) = (bids(), savings());
    let r = reconcile(&left, &right);
    assert_eq!(r.unit, Unit::Millions);
    // The bids start in 2016/17, which the schedule does not have.
    let years: Vec<String> = r.years.iter().map(|y| y.label()).collect();
    assert_eq!(years, ["2017/18", "2018/19", "2019/20", "2020/21"]);
    assert_eq!(
        (
            r.matches,
            r.rounding,
            r.different,
            r.only_left,
            r.only_right
        ),
        (10, 0, 0, 1, 22)
    );
    // The bids' order: CYPS 1A to CYPS 10, each pair first, then the schedule's other names
    // under that reference, then references only the schedule has, in its order.
    let paired_first: Vec<&str> = r
        .rows
        .iter()
        .filter(|row| row.status != OnlyRight)
        .map(|row| row.key.as_str())
        .collect();
    assert_eq!(
        paired_first,
        [
            "CYPS1A", "CYPS1B", "CYPS2", "CYPS3", "CYPS4", "CYPS5", "CYPS6", "CYPS7", "CYPS8",
            "CYPS9", "CYPS10"
        ]
    );
    let foster = &r.rows[0];
    let values: Vec<String> = right_values(foster).iter().map(|v| v.to_string()).collect();
    // 1,374.0 £'000 is 1.3740 £m exactly.
    assert_eq!(values, ["1.3740", "2.6600", "3.9800", "3.9800"]);
    assert_eq!(
        left_values(foster),
        decimals(["1.374", "2.660", "3.980", "3.980"])
    );
    // The same rows as the other way round, sides swapped, in the bids' order.
    let mut expected: Vec<&Expected> = SAVINGS_AGAINST_BIDS
        .iter()
        .filter(|e| e.right.is_some())
        .collect();
    expected.sort_by_key(|e| {
        [
            "CYPS1A", "CYPS1B", "CYPS2", "CYPS3", "CYPS4", "CYPS5", "CYPS6", "CYPS7", "CYPS8",
            "CYPS9", "CYPS10",
        ]
        .iter()
        .position(|k| *k == e.key)
    });
    let got: Vec<_> = r
        .rows
        .iter()
        .filter(|row| row.left.is_some())
        .map(|row| {
            (
                row.key.as_str(),
                row.left.as_ref().unwrap().name.as_str(),
                row.status,
            )
        })
        .collect();
    let want: Vec<_> = expected
        .iter()
        .map(|e| {
            (
                e.key,
                e.right.unwrap(),
                if e.status == OnlyRight {
                    OnlyLeft
                } else {
                    e.status
                },
            )
        })
        .collect();
    assert_eq!(got, want);
}

/// The schedule as an appraisal would publish it: cumulative, in £m, costs positive.
fn as_appraisal(s: &Schedule) -> Schedule {
    let mut copy = schedule_in_profile(s, Profile::Cumulative);
    copy.unit = Unit::Millions;
    copy.sign = SignConvention::CostsPositive;
    for line in &mut copy.lines {
        for a in &mut line.amounts {
            if let Amount::Figure(v) = a {
                let mut m = -*v;
                m.set_scale(v.scale() + 3).unwrap();
                *v = m;
            }
        }
    }
    copy
}

#[test]
fn a_schedule_matches_itself_in_every_profile_unit_and_sign() {
    let s = savings();
    for other in [
        s.clone(),
        schedule_in_profile(&s, Profile::Cumulative),
        as_appraisal(&s),
    ] {
        let r = reconcile(&s, &other);
        // One row per reference and name: the 32 referenced lines, each its own.
        assert_eq!(r.rows.len(), 32);
        assert_eq!(r.matches, r.rows.len());
        assert_eq!((r.unreferenced_left, r.unreferenced_right), (32, 32));
        // And from the other side, in the other's unit.
        let back = reconcile(&other, &s);
        assert_eq!(back.matches, back.rows.len());
        assert_eq!(back.unit, other.unit);
    }
}

#[test]
fn a_slipped_saving_is_different_and_a_rounded_one_is_rounding() {
    let left = savings();
    let mut right = as_appraisal(&left);
    let fgc = right
        .lines
        .iter()
        .position(|l| l.text.iter().any(|t| t == "CYPS2") && l.text[1].contains("Family group"))
        .unwrap();
    let foster = right
        .lines
        .iter()
        .position(|l| l.text.iter().any(|t| t == "CYPS1A"))
        .unwrap();
    // FGC slips a year: cumulative 0, 165, 627, 1,254 (in £m, costs positive).
    right.lines[fgc].amounts = ["0.000", "-0.165", "-0.627", "-1.254"]
        .iter()
        .map(|v| Amount::Figure(d(v)))
        .collect();
    // Foster Carer rounded to two decimals of £m: 1.37, 2.66, 3.98, 3.98.
    right.lines[foster].amounts = ["-1.37", "-2.66", "-3.98", "-3.98"]
        .iter()
        .map(|v| Amount::Figure(d(v)))
        .collect();
    let r = reconcile(&left, &right);
    let fgc_row = r.rows.iter().find(|row| row.key == "CYPS2").unwrap();
    assert_eq!(fgc_row.status, ReconcileStatus::Different);
    assert_eq!(
        fgc_row.difference,
        ["-165", "-462", "-627", "-660"].map(|v| Some(d(v)))
    );
    let foster_row = r.rows.iter().find(|row| row.key == "CYPS1A").unwrap();
    // 1,370 against 1,374.0: 4 apart, where 0.005 £m (5 £'000) plus 0.05 can hide 5.05.
    assert_eq!(foster_row.status, ReconcileStatus::Rounding);
    assert_eq!(foster_row.difference[0], Some(d("-4")));
    assert_eq!(foster_row.tolerance[0], Some(d("5.05")));
    assert_eq!((r.matches, r.rounding, r.different), (30, 1, 1));
}

#[test]
fn a_hundred_thousand_lines_reconcile_in_linear_time() {
    // 100,000 lines, each reference used by two names, against its appraisal copy.
    let mut csv = String::from("Project,Ref,2017/18,2018/19,2019/20\n,,£'000,£'000,£'000\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "Proposal {} {},R{},{}.5,{}.0,(1.0)\n",
            i % 2,
            i,
            i / 2,
            i % 997,
            i % 13
        ));
    }
    let s = load_clean(csv.as_bytes(), "big.csv").schedule;
    let start = std::time::Instant::now();
    let r = reconcile(&s, &as_appraisal(&s));
    assert_eq!(r.rows.len(), 100_000);
    assert_eq!(r.matches, 100_000);
    // Generous even for a debug build; a quadratic pairing would take minutes.
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}
