//! The funding gap as files: the figures the Funding gap view derives, year by year, as CSV, as an
//! `.xlsx` workbook and as JSON, so the gap after reserves a cabinet paper quotes is the one on
//! screen (docs/domain.md, "The funding gap", "Reserves").
//!
//! Every figure comes from [`compute_gap`](crate::engine::compute_gap)'s [`GapFigures`], nothing
//! is worked out here: the rows ([`gap_export_rows`]) are the budget requirement, funding and
//! savings, the gap before reserves, the table's own planned use of reserves, one row per reserve
//! the reserves plan draws to close the gap (named, in the order drawn), the gap after reserves
//! (after both), the cumulative and annual gap, the annual gap after reserves and the savings
//! still to find. Figures are exact: the CSV and JSON write each as its exact decimal text, the
//! workbook as the nearest double (exact to 15 significant digits, as the schedule's workbook).
//! Text cells (a reserve's name is the user's) are neutralised against formula injection in the
//! CSV and written as string cells in the workbook.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::export::neutralise;
use crate::engine::calc::gap::{GapFigures, GapYear};
use crate::engine::model::gap::GapModel;
use crate::engine::model::sum::Sum;

/// The first cell of the gap CSV's header row (the unit is added: `Gapwise funding gap (£m)`).
pub const GAP_CSV_FIRST: &str = "Gapwise funding gap";
/// The `format` of the gap JSON document.
pub const GAP_FORMAT: &str = "gapwise-gap/1";
/// The name of the gap workbook's sheet.
pub const XLSX_GAP_SHEET: &str = "Funding gap";

/// One row of the gap export: a derived figure per year of the model.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GapExportRow {
    /// What the row is, as the gap table's `data-result`: `gap_after_reserves`, `plan_draw`, ...
    pub key: &'static str,
    pub label: String,
    /// For a `plan_draw` row, the reserve's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserve: Option<u32>,
    /// One per year of the model, exact.
    pub values: Vec<Decimal>,
}

/// The rows of the gap export, in the gap table's order (module doc).
///
/// ```
/// use gapwise::engine::{compute_gap, gap_export_rows, gap_model, import, ImportOptions,
///     Reserve, ReserveKind, ReservesPlan};
/// use rust_decimal::Decimal;
/// let csv = "Line,2020/21,2021/22\n,£m,£m\nNet Budget,50,50\nPressures,3,5\n";
/// let mut model = gap_model(&import(csv.as_bytes(), "t.csv", &ImportOptions::default())?.schedule);
/// let mut general = Reserve::new(1, "General fund", ReserveKind::General, Decimal::new(6, 0));
/// general.gap_order = Some(1);
/// model.reserves_plan = Some(ReservesPlan { reserves: vec![general], ..ReservesPlan::default() });
/// let rows = gap_export_rows(&model, &compute_gap(&model, None));
/// let row = |key| rows.iter().find(|r| r.key == key).unwrap();
/// assert_eq!(row("plan_draw").label, "Drawn from General fund to close the gap");
/// assert_eq!(row("plan_draw").values, [Decimal::new(3, 0), Decimal::new(3, 0)]);
/// assert_eq!(row("gap_after_reserves").values, [Decimal::ZERO, Decimal::TWO]);
/// # Ok::<(), gapwise::engine::Error>(())
/// ```
pub fn gap_export_rows(model: &GapModel, figures: &GapFigures) -> Vec<GapExportRow> {
    let n = model.years.len().min(figures.years.len());
    let years = &figures.years[..n];
    let row = |key: &'static str, label: &str, pick: &dyn Fn(&GapYear) -> Decimal| GapExportRow {
        key,
        label: label.to_string(),
        reserve: None,
        values: years.iter().map(pick).collect(),
    };
    let v = |s: &Sum| s.value;
    let mut rows = Vec::new();
    if years.iter().any(|y| y.fed_savings.is_some()) {
        rows.push(row("fed_savings", "Savings from the schedule", &|y| {
            y.fed_savings.as_ref().map(v).unwrap_or_default()
        }));
    }
    rows.push(row("savings", "Savings (all)", &|y| v(&y.savings)));
    rows.push(row("requirement", "Budget requirement", &|y| {
        v(&y.requirement)
    }));
    rows.push(row("funding", "Funding", &|y| v(&y.funding)));
    rows.push(row("gap_before_reserves", "Gap before reserves", &|y| {
        v(&y.gap_before_reserves)
    }));
    rows.push(row("reserves", "Planned use of reserves", &|y| {
        v(&y.reserves)
    }));
    let draws = years
        .first()
        .map(|y| y.plan_draws.as_slice())
        .unwrap_or(&[]);
    for (k, draw) in draws.iter().enumerate() {
        rows.push(GapExportRow {
            key: "plan_draw",
            label: format!("Drawn from {} to close the gap", draw.name),
            reserve: Some(draw.id),
            values: years
                .iter()
                .map(|y| {
                    y.plan_draws
                        .get(k)
                        .map(|p| p.drawn.value)
                        .unwrap_or_default()
                })
                .collect(),
        });
    }
    rows.push(row("gap_after_reserves", "Gap after reserves", &|y| {
        v(&y.gap_after_reserves)
    }));
    rows.push(row("cumulative_gap", "Cumulative gap", &|y| {
        v(&y.cumulative_gap)
    }));
    rows.push(row(
        "annual_gap",
        "Annual gap (new savings needed that year)",
        &|y| v(&y.annual_gap),
    ));
    rows.push(row(
        "annual_gap_after_reserves",
        "Annual gap after reserves",
        &|y| v(&y.annual_gap_after_reserves),
    ));
    rows.push(row(
        "unidentified",
        "Unidentified savings still to find",
        &|y| v(&y.unidentified),
    ));
    rows
}

/// A figure as exact decimal text, a zero never written `-0`.
fn exact_text(value: Decimal) -> String {
    let mut v = value;
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string()
}

/// The gap as CSV: a header row ([`GAP_CSV_FIRST`] with the unit, then each year's heading as
/// published), then one row per [`gap_export_rows`] row: its label and its exact figures. UTF-8
/// with a byte-order mark and CRLF line ends, as the schedule's CSV export.
pub fn gap_to_csv(model: &GapModel, figures: &GapFigures) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = std::iter::once(format!("{GAP_CSV_FIRST} ({})", model.unit.label()))
        .chain(model.years.iter().map(|y| neutralise(&y.header)));
    // Writing to memory cannot fail; a record that did would only be left out.
    let _ = w.write_record(header);
    for row in gap_export_rows(model, figures) {
        let record = std::iter::once(neutralise(&row.label))
            .chain(row.values.iter().map(|v| exact_text(*v)));
        let _ = w.write_record(record);
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("\u{feff}{body}")
}

#[derive(Serialize)]
struct GapDocument<'a> {
    format: &'static str,
    title: &'a str,
    unit: &'static str,
    years: Vec<String>,
    rows: Vec<GapExportRow>,
}

/// The gap as a JSON document: `format` ([`GAP_FORMAT`]), `title`, `unit`, `years` (each
/// year's heading) and `rows` ([`gap_export_rows`]: `key`, `label`, `reserve` for a reserve
/// drawn, `values` as exact decimal text).
pub fn gap_to_json(model: &GapModel, figures: &GapFigures) -> String {
    let document = GapDocument {
        format: GAP_FORMAT,
        title: &model.title,
        unit: model.unit.label(),
        years: model.years.iter().map(|y| y.header.clone()).collect(),
        rows: gap_export_rows(model, figures),
    };
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_string())
}

/// The gap's workbook as it is written ([`gap_sheet`]): owned, so it can cross to the worker,
/// which writes it (`state::workbook_job`; the page has no workbook writer).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapSheet {
    pub title: String,
    /// The unit's label, `£'000`.
    pub unit: String,
    /// Each year's heading.
    pub years: Vec<String>,
    /// Each row of [`gap_export_rows`]: its label and its figures, one per year.
    pub rows: Vec<(String, Vec<Decimal>)>,
}

/// The gap's workbook's content: the model's title, unit and years, and the export's rows.
pub fn gap_sheet(model: &GapModel, figures: &GapFigures) -> GapSheet {
    GapSheet {
        title: model.title.clone(),
        unit: model.unit.label().to_string(),
        years: model.years.iter().map(|y| y.header.clone()).collect(),
        rows: gap_export_rows(model, figures)
            .into_iter()
            .map(|r| (r.label, r.values))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::calc::gap::compute_gap;
    use crate::engine::read::gap::gap_model;
    use crate::engine::read::grid::ImportOptions;
    use crate::engine::read::import;

    fn model() -> GapModel {
        let csv = "Line,2020/21,2021/22\n,£m,£m\nNet Budget,50,50\nPressures,3.5,5\n";
        gap_model(
            &import(csv.as_bytes(), "t.csv", &ImportOptions::default())
                .unwrap()
                .schedule,
        )
    }

    #[test]
    fn with_no_plan_the_gap_after_reserves_is_the_tables() {
        let m = model();
        let rows = gap_export_rows(&m, &compute_gap(&m, None));
        assert!(rows.iter().all(|r| r.key != "plan_draw"));
        let after = rows.iter().find(|r| r.key == "gap_after_reserves").unwrap();
        assert_eq!(after.values, [Decimal::new(35, 1), Decimal::new(5, 0)]);
        let csv = gap_to_csv(&m, &compute_gap(&m, None));
        assert!(
            csv.starts_with("\u{feff}Gapwise funding gap (£m),2020/21,2021/22\r\n"),
            "{csv}"
        );
        assert!(csv.contains("\r\nGap after reserves,3.5,5\r\n"), "{csv}");
    }

    #[test]
    fn a_reserve_name_is_text_never_a_formula() {
        use crate::engine::model::reserves::{Reserve, ReserveKind, ReservesPlan};
        let mut m = model();
        let mut r = Reserve::new(4, "=HYPERLINK(\"x\")", ReserveKind::General, Decimal::ONE);
        r.gap_order = Some(1);
        m.reserves_plan = Some(ReservesPlan {
            reserves: vec![r],
            ..ReservesPlan::default()
        });
        let f = compute_gap(&m, None);
        let csv = gap_to_csv(&m, &f);
        assert!(csv.contains("Drawn from =HYPERLINK"), "{csv}");
        assert!(csv.contains("\r\nGap after reserves,2.5,5\r\n"), "{csv}");
        let json: serde_json::Value = serde_json::from_str(&gap_to_json(&m, &f)).unwrap();
        assert_eq!(json["format"], GAP_FORMAT);
        let draw = &json["rows"].as_array().unwrap()[5];
        assert_eq!(draw["key"], "plan_draw");
        assert_eq!(draw["reserve"], 4);
        assert_eq!(draw["values"][0], "1");
        #[cfg(feature = "xlsx")]
        assert!(crate::engine::write::xlsx::gap_to_xlsx(&m, &f)
            .unwrap()
            .starts_with(b"PK"));
    }
}
