//! Exports: every export of every published fixture reads back as what was exported. The wide
//! CSV and the canonical JSON import as the same schedule (with text a spreadsheet would run
//! as a formula in every line); the long CSV regroups into the same cells; the XLSX workbook,
//! read back with calamine, holds the same figures and text, and its formulas cover the right
//! cells: evaluated over the sheet's own cells they give Gapwise's totals, and an edited cell
//! moves its line, its subtotal and the grand total.

mod common;

use common::{FIXTURES, FORMULA};

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};
use common::{csv_rows, export_csv, load_clean};
use gapwise::engine::{
    apply_scenario, calculate, to_csv_long, to_json, to_xlsx, totals, xlsx_number_format, Amount,
    ColumnRef, Scenario, Schedule, TextField, GRAND_TOTAL_LABEL, LONG_HEADERS, XLSX_SHEET,
    XLSX_SUBTOTAL_PREFIX, XLSX_TOTAL_HEADER,
};

/// The schedule with a formula at the start of every line's name (or description).
fn hostile(mut s: Schedule) -> Schedule {
    let column = s
        .column_of(TextField::Name)
        .or_else(|| s.column_of(TextField::Description))
        .expect("a name or description column");
    for line in &mut s.lines {
        let text = &mut line.text[column];
        *text = format!("{FORMULA}{text}");
    }
    s
}

// --- The formats Gapwise imports: the wide CSV and the canonical JSON.

#[test]
fn every_fixture_round_trips_through_wide_csv_and_json_with_formula_text() {
    for (name, bytes) in FIXTURES {
        let s = hostile(load_clean(bytes, name).schedule);
        let csv = export_csv(&s);
        // Every formula is written as text, with a leading `'`.
        let rows = csv_rows(&csv);
        let cells: Vec<&String> = rows.iter().flatten().collect();
        assert!(cells.iter().any(|c| c.starts_with(&format!("'{FORMULA}"))));
        assert!(!cells.iter().any(|c| c.starts_with(['=', '@'])), "{name}");
        let again = load_clean(csv.as_bytes(), name).schedule;
        assert_eq!(again, s, "{name}: CSV");
        assert_eq!(export_csv(&again), csv, "{name}: CSV");

        let json = to_json(&s);
        let again = load_clean(json.as_bytes(), "x.json").schedule;
        assert_eq!(again, s, "{name}: JSON");
        assert_eq!(to_json(&again), json, "{name}: JSON");
        assert_eq!(calculate(&again), calculate(&s), "{name}");
    }
}

#[test]
fn a_schedule_under_a_scenario_round_trips_through_json_exactly() {
    for (name, bytes) in FIXTURES {
        let s = load_clean(bytes, name).schedule;
        let mut scenario = Scenario::new("Amber at a third");
        scenario.rates.amber = "0.3333".parse().unwrap();
        scenario.rates.unrated = "0.95".parse().unwrap();
        let applied = apply_scenario(&s, &scenario).schedule;
        let json = to_json(&applied);
        let again = load_clean(json.as_bytes(), "x.json").schedule;
        assert_eq!(to_json(&again), json, "{name}");
        assert_eq!(calculate(&again), calculate(&applied), "{name}");
    }
}

// --- The long CSV.

#[test]
fn every_fixture_long_csv_regroups_into_the_same_cells() {
    for (name, bytes) in FIXTURES {
        let s = hostile(load_clean(bytes, name).schedule);
        let scenario = Scenario::new("Default rates");
        let applied = apply_scenario(&s, &scenario).schedule;
        let rows = csv_rows(&to_csv_long(&s, Some(&scenario)));
        assert_eq!(rows[0][..7], LONG_HEADERS, "{name}");
        assert_eq!(rows[0][7], "Scenario amount: Default rates");
        assert_eq!(rows.len(), 1 + s.lines.len() * s.years.len(), "{name}");
        let mut by_row: HashMap<usize, Vec<(String, String, String)>> = HashMap::new();
        for r in &rows[1..] {
            assert_eq!(r[6], s.unit.label());
            assert!(
                !r.iter().any(|c| c.starts_with(['=', '@'])),
                "{name}: {r:?}"
            );
            by_row.entry(r[0].parse().unwrap()).or_default().push((
                r[4].clone(),
                r[5].clone(),
                r[7].clone(),
            ));
        }
        for (i, line) in s.lines.iter().enumerate() {
            let cells = &by_row[&line.row];
            let years: Vec<String> = s.years.iter().map(|y| y.year.label()).collect();
            let published: Vec<String> = line.amounts.iter().map(Amount::canonical).collect();
            let adjusted: Vec<String> = applied.lines[i]
                .amounts
                .iter()
                .map(Amount::canonical)
                .collect();
            assert_eq!(cells.iter().map(|c| c.0.clone()).collect::<Vec<_>>(), years);
            assert_eq!(
                cells.iter().map(|c| c.1.clone()).collect::<Vec<_>>(),
                published
            );
            assert_eq!(
                cells.iter().map(|c| c.2.clone()).collect::<Vec<_>>(),
                adjusted
            );
        }
    }
}

// --- The XLSX workbook.

struct Sheet {
    values: Range<Data>,
    formulas: Range<String>,
}

fn read_xlsx(bytes: &[u8]) -> Sheet {
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(book.sheet_names(), [XLSX_SHEET]);
    Sheet {
        values: book.worksheet_range(XLSX_SHEET).unwrap(),
        formulas: book.worksheet_formula(XLSX_SHEET).unwrap(),
    }
}

/// `C4` → (row 3, column 2), 0-based.
fn parse_ref(text: &str) -> (u32, u32) {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    let row: u32 = text[letters.len()..].parse().unwrap();
    (row - 1, col - 1)
}

fn cells_of(arg: &str) -> Vec<(u32, u32)> {
    match arg.split_once(':') {
        Some((a, b)) => {
            let (r1, c1) = parse_ref(a);
            let (r2, c2) = parse_ref(b);
            (r1..=r2)
                .flat_map(|r| (c1..=c2).map(move |c| (r, c)))
                .collect()
        }
        None => vec![parse_ref(arg)],
    }
}

impl Sheet {
    fn text(&self, r: u32, c: u32) -> String {
        match self.values.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            other => panic!("({r}, {c}) is not text: {other:?}"),
        }
    }

    fn formula(&self, r: u32, c: u32) -> &str {
        self.formulas
            .get_value((r, c))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn cached(&self, r: u32, c: u32) -> f64 {
        match self.values.get_value((r, c)) {
            Some(Data::Float(x)) => *x,
            Some(Data::Int(i)) => *i as f64,
            other => panic!("({r}, {c}) holds no number: {other:?}"),
        }
    }

    /// What a spreadsheet computes in a cell, recalculating every formula from the cells it
    /// names (never from cached results), with some cells edited.
    fn eval(&self, r: u32, c: u32, edits: &HashMap<(u32, u32), f64>) -> f64 {
        if let Some(v) = edits.get(&(r, c)) {
            return *v;
        }
        let f = self.formula(r, c);
        if f.is_empty() {
            return match self.values.get_value((r, c)) {
                Some(Data::Float(x)) => *x,
                Some(Data::Int(i)) => *i as f64,
                _ => 0.0, // text and empty cells count for nothing in SUM and SUBTOTAL
            };
        }
        if let Some(args) = f.strip_prefix("SUM(").and_then(|a| a.strip_suffix(')')) {
            args.split(',')
                .flat_map(cells_of)
                .map(|(r, c)| self.eval(r, c, edits))
                .sum()
        } else if let Some(arg) = f
            .strip_prefix("SUBTOTAL(9,")
            .and_then(|a| a.strip_suffix(')'))
        {
            cells_of(arg)
                .into_iter()
                .filter(|&(r, c)| !self.formula(r, c).starts_with("SUBTOTAL("))
                .map(|(r, c)| self.eval(r, c, edits))
                .sum()
        } else {
            panic!("a formula the test does not evaluate: {f}")
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn f64_of(d: rust_decimal::Decimal) -> f64 {
    d.to_string().parse().unwrap()
}

fn col_letter(c: u32) -> String {
    let mut n = c + 1;
    let mut out = Vec::new();
    while n > 0 {
        out.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_fixture_xlsx_holds_the_schedule_and_live_totals() {
    for (name, bytes) in FIXTURES {
        let s = hostile(load_clean(bytes, name).schedule);
        let t = totals(&s);
        let xlsx = to_xlsx(&s, &t).unwrap();
        assert_eq!(to_xlsx(&s, &t).unwrap(), xlsx, "{name}: deterministic");
        let sheet = read_xlsx(&xlsx);
        let unit = s.unit.label();
        let width = s.layout.len() as u32;
        let total_col = width;

        assert_eq!(sheet.text(0, 0), s.title);
        for (c, col) in s.layout.iter().enumerate() {
            let expected = match col {
                ColumnRef::Text(i) => s.text_columns[*i].header.clone(),
                ColumnRef::Year(y) => format!("{} ({unit})", s.years[*y].header),
                ColumnRef::Total => format!("{} ({unit})", s.total_header.as_ref().unwrap()),
            };
            assert_eq!(sheet.text(1, c as u32), expected, "{name}");
        }
        assert_eq!(
            sheet.text(1, total_col),
            format!("{XLSX_TOTAL_HEADER} ({unit})")
        );
        let year_cols: Vec<(usize, u32)> = s
            .layout
            .iter()
            .enumerate()
            .filter_map(|(c, r)| match r {
                ColumnRef::Year(y) => Some((*y, c as u32)),
                _ => None,
            })
            .collect();
        let label_col = s
            .layout
            .iter()
            .position(|c| matches!(c, ColumnRef::Text(_)))
            .unwrap() as u32;

        // The order the lines are written in: unsectioned first, then by section.
        let mut order: Vec<usize> = s.lines_in_section(None).collect();
        for sec in 0..s.sections.len() {
            order.extend(s.lines_in_section(Some(sec)));
        }
        let mut next_line = order.iter();
        let mut section_lines: Vec<u32> = Vec::new();
        let mut section: Option<usize> = None;
        let mut r = 2u32;
        let mut first_edit = None;
        let mut subtotals = 0;
        loop {
            let label = sheet.text(r, label_col);
            let formula = sheet.formula(r, total_col).to_string();
            if label == GRAND_TOTAL_LABEL {
                break;
            }
            if formula.starts_with("SUM(") {
                // A line: its text, its figures, and its total over exactly its year cells.
                let i = *next_line.next().expect("more line rows than lines");
                let line = &s.lines[i];
                section_lines.push(r);
                for (c, col) in s.layout.iter().enumerate() {
                    let c = c as u32;
                    let cell = match col {
                        ColumnRef::Text(t) => {
                            assert_eq!(sheet.text(r, c), line.text[*t], "{name} row {r}");
                            assert_eq!(sheet.formula(r, c), "", "text is never a formula");
                            continue;
                        }
                        ColumnRef::Year(y) => Some(&line.amounts[*y]),
                        ColumnRef::Total => line.total.as_ref(),
                    };
                    match cell {
                        Some(Amount::Figure(v)) => {
                            assert_eq!(sheet.cached(r, c), f64_of(*v), "{name} row {r}");
                            first_edit.get_or_insert((r, c, i));
                        }
                        Some(Amount::NoFigure(n)) => assert_eq!(sheet.text(r, c), n.as_str()),
                        Some(Amount::Blank) | None => assert_eq!(sheet.text(r, c), ""),
                    }
                }
                let cols: Vec<u32> = year_cols.iter().map(|(_, c)| *c).collect();
                let contiguous = cols.windows(2).all(|w| w[1] == w[0] + 1);
                if contiguous {
                    assert_eq!(
                        formula,
                        format!(
                            "SUM({}{}:{}{})",
                            col_letter(cols[0]),
                            r + 1,
                            col_letter(*cols.last().unwrap()),
                            r + 1
                        )
                    );
                }
                let expected = f64_of(t.lines[i].value);
                assert!(close(sheet.eval(r, total_col, &HashMap::new()), expected));
                assert!(
                    close(sheet.cached(r, total_col), expected),
                    "{name} row {r}"
                );
            } else if let Some(sec_name) = label.strip_prefix(XLSX_SUBTOTAL_PREFIX) {
                let sec: usize = section.expect("a subtotal under a heading");
                subtotals += 1;
                assert_eq!(sec_name, s.sections[sec].name);
                let (first, last) = (section_lines[0], *section_lines.last().unwrap());
                for &(y, c) in &year_cols {
                    assert_eq!(
                        sheet.formula(r, c),
                        format!(
                            "SUBTOTAL(9,{0}{1}:{0}{2})",
                            col_letter(c),
                            first + 1,
                            last + 1
                        )
                    );
                    let expected = f64_of(t.sections[sec].years[y].value);
                    assert!(close(sheet.eval(r, c, &HashMap::new()), expected), "{name}");
                    assert!(close(sheet.cached(r, c), expected), "{name}");
                }
                let expected = f64_of(t.sections[sec].total.value);
                assert!(close(sheet.eval(r, total_col, &HashMap::new()), expected));
            } else if !label.is_empty() {
                // A section heading.
                let sec = section.map_or(0, |s| s + 1);
                assert_eq!(label, s.sections[sec].name, "{name} row {r}");
                section = Some(sec);
                section_lines.clear();
            } else {
                panic!("{name}: unexpected row {r}");
            }
            r += 1;
        }
        assert!(next_line.next().is_none(), "{name}: every line written");
        let with_lines = (0..s.sections.len())
            .filter(|&sec| s.lines_in_section(Some(sec)).next().is_some())
            .count();
        assert_eq!(
            subtotals, with_lines,
            "{name}: a subtotal per section with lines"
        );

        // The grand total covers every row above it, and recomputes when a cell is edited.
        let grand = r;
        for &(y, c) in &year_cols {
            assert_eq!(
                sheet.formula(grand, c),
                format!("SUBTOTAL(9,{0}3:{0}{1})", col_letter(c), grand)
            );
            let expected = f64_of(t.grand.years[y].value);
            assert!(close(sheet.eval(grand, c, &HashMap::new()), expected));
            assert!(close(sheet.cached(grand, c), expected));
        }
        let expected = f64_of(t.grand.total.value);
        assert!(close(
            sheet.eval(grand, total_col, &HashMap::new()),
            expected
        ));
        assert!(close(sheet.cached(grand, total_col), expected));
        let (er, ec, _) = first_edit.expect("a figure");
        if year_cols.iter().any(|&(_, c)| c == ec) {
            let edits = HashMap::from([((er, ec), sheet.cached(er, ec) + 1000.0)]);
            let before = sheet.eval(grand, total_col, &HashMap::new());
            let after = sheet.eval(grand, total_col, &edits);
            assert!(close(after - before, 1000.0), "{name}");
            let line_before = sheet.eval(er, total_col, &HashMap::new());
            assert!(close(
                sheet.eval(er, total_col, &edits) - line_before,
                1000.0
            ));
            let col_before = sheet.eval(grand, ec, &HashMap::new());
            assert!(close(sheet.eval(grand, ec, &edits) - col_before, 1000.0));
        }

        // Figures show the schedule's decimals with negatives in parentheses.
        let styles = zip_entry(&xlsx, "xl/styles.xml");
        let code = xlsx_number_format(s.decimals);
        assert!(
            styles.contains(&format!("formatCode=\"{code}\"")),
            "{name}: {code}"
        );
    }
}

fn zip_entry(bytes: &[u8], path: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(path)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn xlsx_keeps_hostile_and_odd_text_as_text() {
    let csv = "Project,Ref,2017/18,2018/19,Total\n,,£'000,£'000,£'000\nCare\n\
               \"=cmd|' /C calc'!A0\",@SUM(A1),(5.0),N/A,-5.0\n+1+1,\"tab\tand\u{7}bell\",,TBC,\n";
    let s = load_clean(csv.as_bytes(), "odd.csv").schedule;
    let t = totals(&s);
    let sheet = read_xlsx(&to_xlsx(&s, &t).unwrap());
    assert_eq!(sheet.text(3, 0), "=cmd|' /C calc'!A0");
    assert_eq!(sheet.formula(3, 0), "");
    assert_eq!(sheet.text(3, 1), "@SUM(A1)");
    assert_eq!(sheet.formula(3, 1), "");
    assert_eq!(sheet.cached(3, 2), -5.0);
    assert_eq!(sheet.text(3, 3), "N/A");
    assert_eq!(sheet.text(4, 0), "+1+1");
    assert_eq!(sheet.text(4, 1), "tab\tand\u{7}bell");
    assert_eq!(sheet.text(4, 2), "");
    assert_eq!(sheet.text(4, 3), "TBC");
    // The line with N/A: Gapwise's total leaves the cell out, as SUM does.
    assert_eq!(sheet.formula(3, 5), "SUM(C4:D4)");
    assert_eq!(sheet.cached(3, 5), -5.0);
    assert_eq!(sheet.text(5, 0), "Subtotal: Care");
    assert_eq!(sheet.formula(5, 2), "SUBTOTAL(9,C4:C5)");
    assert_eq!(sheet.text(6, 0), GRAND_TOTAL_LABEL);
    assert_eq!(sheet.formula(6, 5), "SUBTOTAL(9,F3:F6)");
    assert_eq!(sheet.cached(6, 5), -5.0);
}

#[test]
fn an_empty_schedule_still_writes_a_workbook() {
    let csv = "Project,2017/18\n,£m\n";
    let s = load_clean(csv.as_bytes(), "empty-lines.csv").schedule;
    let sheet = read_xlsx(&to_xlsx(&s, &totals(&s)).unwrap());
    assert_eq!(sheet.text(1, 1), "2017/18 (£m)");
    assert_eq!(sheet.text(2, 0), GRAND_TOTAL_LABEL);
    assert_eq!(sheet.cached(2, 1), 0.0);
}

/// Importing the XLSX export gives the same schedule: the same lines (labels, sections, every
/// amount's value), years, unit, sign and profile. Spreadsheet numbers are doubles, so an
/// amount comes back with its value, not its written decimals (`1,435.0` is `1435`); the
/// published total rows are not written (the workbook's formulas take their place), and the
/// workbook's own subtotal and total rows are read as the total rows they are, and check ok.
#[test]
fn every_fixture_xlsx_export_imports_as_the_same_schedule() {
    use gapwise::engine::{import, CheckStatus, ImportOptions};
    for (name, bytes) in FIXTURES {
        let s = load_clean(bytes, name).schedule;
        let x = to_xlsx(&s, &calculate(&s).totals).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back = import(&x, "export.xlsx", &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .schedule;
        assert_eq!(back.lines.len(), s.lines.len(), "{name}: lines");
        assert_eq!(
            back.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            s.years.iter().map(|y| y.year).collect::<Vec<_>>(),
            "{name}: years"
        );
        assert_eq!(
            (back.unit, back.sign, back.profile),
            (s.unit, s.sign, s.profile),
            "{name}"
        );
        assert_eq!(
            back.sections.iter().map(|x| &x.name).collect::<Vec<_>>(),
            s.sections.iter().map(|x| &x.name).collect::<Vec<_>>(),
            "{name}: sections"
        );
        for (a, b) in s.lines.iter().zip(&back.lines) {
            assert_eq!(back.line_label(b), s.line_label(a), "{name}: row {}", a.row);
            assert_eq!(b.section, a.section, "{name}: row {}", a.row);
            let values =
                |l: &gapwise::engine::Line| l.amounts.iter().map(|x| x.value()).collect::<Vec<_>>();
            assert_eq!(values(b), values(a), "{name}: row {}", a.row);
        }
        let checks = calculate(&back).checks;
        assert!(
            checks
                .checks
                .iter()
                .all(|c| c.status <= CheckStatus::Rounding),
            "{name}: the workbook's own totals check: {:?}",
            checks.problems()
        );
    }
}
