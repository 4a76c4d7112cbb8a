//! The model: a savings schedule as the finance officer keeps it.
//!
//! This module owns the data types (`Schedule`, `Line`, `FinancialYear`, `Unit`, `TotalRow`) and
//! nothing that computes: totals and checks live in `totals` and `checks`, reading and writing
//! files in `import` and `export`. Everything here is plain data, `serde`-ready, and keeps what the
//! file said (its headers, its row numbers, its decimals) so that every figure on screen can be
//! traced back to a cell.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::number::Amount;
use super::rating::Rag;

/// How a document signs its figures (docs/domain.md, "Sign conventions"). Gapwise computes in one
/// convention, savings and benefits positive, and shows and exports the file's own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignConvention {
    /// Savings schedules: savings positive, withdrawn savings negative `(200.0)`.
    #[default]
    SavingsPositive,
    /// Investment appraisals: costs positive, savings negative ("a positive number represents a
    /// net investment/cost").
    CostsPositive,
    /// Business cases: benefits positive, costs negative (`-£92,753`).
    BenefitsPositive,
}

impl SignConvention {
    /// The factor from the file's figures to Gapwise's (savings positive), and back: 1 or −1.
    pub fn factor(self) -> Decimal {
        match self {
            SignConvention::CostsPositive => Decimal::NEGATIVE_ONE,
            _ => Decimal::ONE,
        }
    }

    /// Converts a figure as the file writes it to savings-positive.
    pub fn to_internal(self, file_value: Decimal) -> Decimal {
        file_value * self.factor()
    }

    /// Converts a savings-positive figure to the file's convention.
    pub fn to_file(self, internal: Decimal) -> Decimal {
        internal * self.factor()
    }

    pub fn label(self) -> &'static str {
        match self {
            SignConvention::SavingsPositive => "Savings positive (savings schedule)",
            SignConvention::CostsPositive => {
                "Costs positive, savings negative (investment appraisal)"
            }
            SignConvention::BenefitsPositive => "Benefits positive, costs negative (business case)",
        }
    }

    pub const ALL: [SignConvention; 3] = [
        SignConvention::SavingsPositive,
        SignConvention::CostsPositive,
        SignConvention::BenefitsPositive,
    ];
}

/// What each year's figure of a schedule means (docs/domain.md, "Profiles").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Each year's figure is the saving added on top of the previous year's.
    #[default]
    Incremental,
    /// Each year's figure is the whole saving against the base year (full-year effect).
    Cumulative,
}

impl Profile {
    pub fn label(self) -> &'static str {
        match self {
            Profile::Incremental => "Incremental (year on year)",
            Profile::Cumulative => "Cumulative (full-year effect)",
        }
    }
}

/// Whether a line's saving recurs (docs/domain.md, "Profiles": one-off savings help only their year).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recurrence {
    #[default]
    Recurring,
    /// A one-off: its figures are in-year amounts, in either profile.
    OneOff,
}

/// The unit every amount of a schedule is in (docs/domain.md, "The schedule").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Unit {
    /// Pounds.
    #[serde(rename = "£")]
    Pounds,
    /// Thousands of pounds, `£'000`.
    #[serde(rename = "£'000")]
    Thousands,
    /// Millions of pounds, `£m`.
    #[serde(rename = "£m")]
    Millions,
}

impl Unit {
    /// The label as published: `£`, `£'000`, `£m`.
    pub fn label(self) -> &'static str {
        match self {
            Unit::Pounds => "£",
            Unit::Thousands => "£'000",
            Unit::Millions => "£m",
        }
    }

    /// Reads a unit label as found in unit rows and headers: `£'000`, `£000`, `£k`, `£000s`,
    /// `£m`, `£M`, `£ million`, `£`, `GBP`. Returns `None` for anything else.
    pub fn from_label(text: &str) -> Option<Unit> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{2019}' && *c != '\'')
            .collect::<String>()
            .to_ascii_lowercase();
        let t = t.trim_start_matches('(').trim_end_matches(')');
        match t {
            "£" | "gbp" | "£s" | "pounds" => Some(Unit::Pounds),
            "£000" | "£000s" | "£k" | "£thousand" | "£thousands" | "gbp000" | "000" | "000s" => {
                Some(Unit::Thousands)
            }
            "£m" | "£million" | "£millions" | "£mn" | "gbpm" => Some(Unit::Millions),
            _ => None,
        }
    }

    /// How many pounds one unit is, as a power of ten.
    pub fn exponent(self) -> u32 {
        match self {
            Unit::Pounds => 0,
            Unit::Thousands => 3,
            Unit::Millions => 6,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A financial year, April to March: `2017/18` starts in April 2017.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear {
    /// The calendar year the financial year starts in.
    pub start: i32,
}

impl FinancialYear {
    /// Finds a financial year written anywhere in a header cell as `YYYY/YY` or `YYYY/YYYY`
    /// (`2018/19 Original Saving`, `2020/2021`). The second year must follow the first.
    ///
    /// ```
    /// use gapwise::engine::FinancialYear;
    /// assert_eq!(FinancialYear::find_in("2018/19 Original Saving").unwrap().start, 2018);
    /// assert_eq!(FinancialYear::find_in("2020/2021").unwrap().start, 2020);
    /// assert!(FinancialYear::find_in("2018/20").is_none());
    /// ```
    pub fn find_in(text: &str) -> Option<FinancialYear> {
        let b = text.as_bytes();
        let digits_at = |i: usize, n: usize| -> Option<i32> {
            let s = b.get(i..i + n)?;
            if !s.iter().all(u8::is_ascii_digit) {
                return None;
            }
            // The run must not continue with another digit on either side.
            if i > 0 && b[i - 1].is_ascii_digit() {
                return None;
            }
            if b.get(i + n).is_some_and(u8::is_ascii_digit) {
                return None;
            }
            std::str::from_utf8(s).ok()?.parse().ok()
        };
        for (i, &c) in b.iter().enumerate() {
            if c != b'/' || i < 4 {
                continue;
            }
            let Some(first) = digits_at(i - 4, 4) else {
                continue;
            };
            if !(1900..=2199).contains(&first) {
                continue;
            }
            if let Some(second) = digits_at(i + 1, 4) {
                if second == first + 1 {
                    return Some(FinancialYear { start: first });
                }
            } else if let Some(second) = digits_at(i + 1, 2) {
                if second == (first + 1) % 100 {
                    return Some(FinancialYear { start: first });
                }
            }
        }
        None
    }

    /// Reads a label exactly of the form `2017/18` (the canonical JSON form).
    pub fn parse(label: &str) -> Option<FinancialYear> {
        let y = FinancialYear::find_in(label)?;
        (y.label() == label.trim()).then_some(y)
    }

    /// The financial year a calendar date falls in: April to December are in the year that
    /// starts that calendar year, January to March in the one that started the year before
    /// (docs/domain.md, "The schedule"). `month` counts from 1 (January).
    ///
    /// ```
    /// use gapwise::engine::FinancialYear;
    /// assert_eq!(FinancialYear::containing(2026, 12).label(), "2026/27");
    /// assert_eq!(FinancialYear::containing(2027, 3).label(), "2026/27");
    /// assert_eq!(FinancialYear::containing(2027, 4).label(), "2027/28");
    /// ```
    pub fn containing(year: i32, month: u32) -> FinancialYear {
        FinancialYear {
            start: if month >= 4 { year } else { year - 1 },
        }
    }

    /// The short label, `2017/18`.
    pub fn label(self) -> String {
        format!("{}/{:02}", self.start, (self.start + 1) % 100)
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        FinancialYear::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not a financial year like 2017/18"))
        })
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// A year column: the year it holds and its header as the file wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearColumn {
    pub year: FinancialYear,
    /// The header cell as published (`2018/19 Original Saving`).
    pub header: String,
}

/// What a text column of a line holds (docs/domain.md, "The schedule").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    /// Where the saving came from (`16/17 Investment Bids`, `ASR 17/18`).
    Source,
    /// Service, section or directorate.
    Service,
    /// Project or proposal name; the label of a line-labelled table.
    Name,
    /// Reference number (`CYPS9`). Not unique.
    Reference,
    /// Description of the saving.
    Description,
    /// Type of saving or measure (`Efficiency`, `Investment`, `Gross Saving`).
    Type,
    /// RAG rating or impact.
    Rag,
    /// FTE impact.
    Fte,
    /// Published payback (`Year 2`, `N/A`).
    Payback,
    /// Any other column, kept as text and exported as it came.
    Other,
}

impl TextField {
    /// Recognises a text column by the words in its header, tolerant of case and wording.
    /// Order matters: `Description of Saving` is a description, `Indicative FTE Impact` an FTE
    /// column, `RAG Impact` a RAG column.
    pub fn from_header(header: &str) -> TextField {
        let h = header.to_lowercase();
        let has = |w: &str| h.contains(w);
        let words: Vec<&str> = h.split(|c: char| !c.is_alphanumeric()).collect();
        let word = |w: &str| words.contains(&w);
        if has("payback") {
            TextField::Payback
        } else if has("description") || has("detail") {
            TextField::Description
        } else if word("fte") || has("posts") {
            TextField::Fte
        } else if word("rag") || has("risk") || has("impact") || has("rating") {
            TextField::Rag
        } else if word("ref") || has("reference") || word("id") || has("code") {
            TextField::Reference
        } else if has("type") || has("measure") || has("category") {
            TextField::Type
        } else if has("source") || has("origin") {
            TextField::Source
        } else if has("service")
            || has("section")
            || has("directorate")
            || has("department")
            || has("division")
            || has("portfolio")
        {
            TextField::Service
        } else if has("project")
            || has("proposal")
            || has("name")
            || has("title")
            || h.trim() == "line"
            || has("item")
            || has("saving")
            || has("scheme")
            || has("workstream")
        {
            TextField::Name
        } else {
            TextField::Other
        }
    }

    /// The short name used in the canonical JSON format and in messages.
    pub fn key(self) -> &'static str {
        match self {
            TextField::Source => "source",
            TextField::Service => "service",
            TextField::Name => "name",
            TextField::Reference => "reference",
            TextField::Description => "description",
            TextField::Type => "type",
            TextField::Rag => "rag",
            TextField::Fte => "fte",
            TextField::Payback => "payback",
            TextField::Other => "other",
        }
    }
}

/// A text column of the file, in file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextColumn {
    pub header: String,
    pub field: TextField,
}

/// Where a column of the file stands, so exports keep the file's own column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnRef {
    /// The n-th text column.
    Text(usize),
    /// The n-th year column.
    Year(usize),
    /// The published total column.
    Total,
}

/// A section heading row (`Child Related Savings`): lines under it belong to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub name: String,
    /// The file row of the heading, counting from 1 as a spreadsheet does.
    pub row: usize,
}

/// One line of a schedule: a proposal, or one measure of a proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The file row it came from, counting from 1 as a spreadsheet does.
    pub row: usize,
    /// Index into [`Schedule::sections`], or `None` before the first heading.
    pub section: Option<usize>,
    /// One text per [`Schedule::text_columns`] entry, trimmed.
    pub text: Vec<String>,
    /// One amount per [`Schedule::years`] entry.
    pub amounts: Vec<Amount>,
    /// The published total for the line, if the file has a total column.
    pub total: Option<Amount>,
    /// Recurring, or one-off (detected from the words "one-off" in the line's text).
    #[serde(default)]
    pub recurrence: Recurrence,
    /// A memo line is shown but left out of every net (docs/domain.md, "Netting").
    #[serde(default)]
    pub memo: bool,
    /// The line's RAG delivery rating (docs/domain.md, "Monitoring"), read at import from the RAG
    /// column's text by [`Rag::parse`]; editable. `None`: unrated.
    // Last of the fields, so that the worker's messages (`job`), which write fields in order
    // without names, read a line written without it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rag: Option<Rag>,
}

/// What a published total row claims to add up.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TotalScope {
    /// The lines of one section (index into [`Schedule::sections`]).
    Section(usize),
    /// The lines between the previous total row and this one, across sections.
    Since { first_line: usize, end_line: usize },
    /// Every line of the schedule: a grand total restating the subtotals.
    All,
    /// Every line whose type column is this measure (`Investment`, `Gross Saving`, `Net`).
    Measure(Measure),
    /// Every line but the base budget lines: the change a forecast table calls "overall
    /// investment / funding support".
    AllButBase,
}

/// The measure a line's type column names, for tables that put several measures of a proposal
/// on separate lines (investment appraisals, business cases).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Investment,
    GrossSaving,
    Net,
    Cost,
    Benefit,
}

impl Measure {
    /// Recognises the measure a type cell or summary label names: `Investment`; `Gross Saving`,
    /// `Savings / Cost Avoidance`; `Net Saving`, `Net Investment / Saving`; `Cost`; `Benefit`.
    /// Types that are not measures (`Efficiency`, `Service Reduction`) give `None`.
    pub fn from_text(text: &str) -> Option<Measure> {
        let t = text.trim().to_lowercase();
        if t.starts_with("net") {
            Some(Measure::Net)
        } else if t.contains("invest") {
            Some(Measure::Investment)
        } else if t.starts_with("gross")
            || t.contains("cost avoidance")
            || t == "saving"
            || t == "savings"
        {
            Some(Measure::GrossSaving)
        } else if t.starts_with("benefit") {
            Some(Measure::Benefit)
        } else if t.starts_with("cost") {
            Some(Measure::Cost)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Measure::Investment => "Investment",
            Measure::GrossSaving => "Gross saving",
            Measure::Net => "Net",
            Measure::Cost => "Cost",
            Measure::Benefit => "Benefit",
        }
    }
}

/// A published subtotal or total row: a claim to check, never a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotalRow {
    pub row: usize,
    /// The row's label as published (`Total Budget Savings / Demand Management Cost Reductions`).
    pub label: String,
    pub scope: TotalScope,
    /// The published figure per year; [`Amount::Blank`] is no claim.
    pub amounts: Vec<Amount>,
    /// The published figure in the total column, if any.
    pub total: Option<Amount>,
    /// The row's text cells, one per text column, so exports can restate the row as published.
    #[serde(default)]
    pub text: Vec<String>,
}

/// A savings schedule: the lines, their years and unit, and the totals the file published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// The schedule's title (from the file name or the JSON).
    pub title: String,
    pub unit: Unit,
    pub years: Vec<YearColumn>,
    pub text_columns: Vec<TextColumn>,
    /// The header of the published total column, if the file has one.
    pub total_header: Option<String>,
    /// The file's column order.
    pub layout: Vec<ColumnRef>,
    pub sections: Vec<Section>,
    pub lines: Vec<Line>,
    pub total_rows: Vec<TotalRow>,
    /// Decimal places the file writes its amounts with; figures are shown with as many.
    pub decimals: u32,
    /// How the file signs its figures.
    #[serde(default)]
    pub sign: SignConvention,
    /// Whether the file's year figures are incremental or cumulative.
    #[serde(default)]
    pub profile: Profile,
}

impl Schedule {
    /// True when a total row of `scope` adds line `i` (an index into [`Schedule::lines`]).
    pub fn covers(&self, scope: &TotalScope, i: usize) -> bool {
        let line = &self.lines[i];
        match *scope {
            TotalScope::All => true,
            TotalScope::Section(x) => line.section == Some(x),
            TotalScope::Since {
                first_line,
                end_line,
            } => (first_line..end_line).contains(&i),
            TotalScope::Measure(m) => self.measure(line) == Some(m),
            TotalScope::AllButBase => !self.is_base_budget(line),
        }
    }

    /// What a published total row claims to add up, for people: "subtotal of Adults",
    /// "total of every line", "total of the 4 lines above it".
    pub fn scope_text(&self, scope: &TotalScope) -> String {
        match scope {
            TotalScope::Section(x) => format!(
                "subtotal of {}",
                self.sections
                    .get(*x)
                    .map_or("a section", |s| s.name.as_str())
            ),
            TotalScope::All => "total of every line".to_string(),
            TotalScope::Measure(m) => {
                format!("total of every {} line", m.label().to_lowercase())
            }
            TotalScope::Since {
                first_line,
                end_line,
            } => format!(
                "total of the {} lines above it",
                end_line.saturating_sub(*first_line)
            ),
            TotalScope::AllButBase => "total of every line but the base budget".to_string(),
        }
    }

    /// The index of the first text column holding `field`.
    pub fn column_of(&self, field: TextField) -> Option<usize> {
        self.text_columns.iter().position(|c| c.field == field)
    }

    /// The text of a line's `field`, or `""` when the schedule has no such column.
    pub fn text<'a>(&self, line: &'a Line, field: TextField) -> &'a str {
        self.column_of(field)
            .and_then(|i| line.text.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// How a line is named on screen and in messages: its project name, else its description,
    /// else its reference, else its first non-empty text, else its row.
    pub fn line_label(&self, line: &Line) -> String {
        for field in [
            TextField::Name,
            TextField::Description,
            TextField::Reference,
        ] {
            let t = self.text(line, field);
            if !t.is_empty() {
                return t.to_string();
            }
        }
        line.text
            .iter()
            .find(|t| !t.is_empty())
            .cloned()
            .unwrap_or_else(|| format!("Row {}", line.row))
    }

    /// The measure a line's type column names, if any (see [`Measure::from_text`]).
    pub fn measure(&self, line: &Line) -> Option<Measure> {
        Measure::from_text(self.text(line, TextField::Type))
    }

    /// True for a base budget line of a forecast table (`Net Budget`, `Base Budget`): the
    /// starting point that an "overall investment / funding support" row leaves out.
    pub fn is_base_budget(&self, line: &Line) -> bool {
        let l = self.line_label(line).to_lowercase();
        l.contains("net budget") || l.contains("base budget")
    }

    /// A row number no line, section heading or total row uses: one past the largest (1 for an
    /// empty schedule). A line added by an edit takes it, so every row stays one line's.
    pub fn next_row(&self) -> usize {
        let lines = self.lines.iter().map(|l| l.row);
        let sections = self.sections.iter().map(|s| s.row);
        let totals = self.total_rows.iter().map(|t| t.row);
        lines
            .chain(sections)
            .chain(totals)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }

    /// The lines of one section, in file order, by index into `lines`.
    pub fn lines_in_section(&self, section: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        self.lines
            .iter()
            .enumerate()
            .filter(move |(_, l)| l.section == section)
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_headers() {
        let y = |s: &str| FinancialYear::find_in(s).map(|y| y.start);
        assert_eq!(y("2017/18 Original Saving"), Some(2017));
        assert_eq!(y("2019/20"), Some(2019));
        assert_eq!(y("2020/2021"), Some(2020));
        assert_eq!(y("Budget 1999/00"), Some(1999));
        assert_eq!(y("2018/20"), None);
        assert_eq!(y("12017/18"), None);
        assert_eq!(y("2017/189"), None);
        assert_eq!(y("TOTAL SAVING DUE"), None);
        assert_eq!(y("16/17 Investment Bids"), None);
        assert_eq!(FinancialYear { start: 2020 }.label(), "2020/21");
        assert_eq!(FinancialYear { start: 1999 }.label(), "1999/00");
        assert_eq!(
            FinancialYear::parse("2020/21"),
            Some(FinancialYear { start: 2020 })
        );
        assert_eq!(FinancialYear::parse("2020/2021"), None);
    }

    #[test]
    fn units() {
        assert_eq!(Unit::from_label("£'000"), Some(Unit::Thousands));
        assert_eq!(Unit::from_label("£\u{2019}000"), Some(Unit::Thousands));
        assert_eq!(Unit::from_label("£000s"), Some(Unit::Thousands));
        assert_eq!(Unit::from_label("£m"), Some(Unit::Millions));
        assert_eq!(Unit::from_label("(£m)"), Some(Unit::Millions));
        assert_eq!(Unit::from_label("£"), Some(Unit::Pounds));
        assert_eq!(Unit::from_label("Efficiency"), None);
        assert_eq!(Unit::from_label(""), None);
    }

    #[test]
    fn text_columns_by_header_words() {
        use TextField::*;
        let cases = [
            ("Source of Saving", Source),
            ("Project name", Name),
            ("Reference No.", Reference),
            ("Description", Description),
            ("Service", Service),
            ("Description of Saving", Description),
            ("Type of Saving", Type),
            ("RAG Impact", Rag),
            ("Indicative FTE Impact", Fte),
            ("Proposal", Name),
            ("Measure", Type),
            ("Line", Name),
            ("Payback", Payback),
            ("Average cost", Other),
            ("Ref", Reference),
            ("Workstream", Name),
        ];
        for (h, f) in cases {
            assert_eq!(TextField::from_header(h), f, "{h}");
        }
    }

    #[test]
    fn measures() {
        assert_eq!(Measure::from_text("Investment"), Some(Measure::Investment));
        assert_eq!(
            Measure::from_text("Gross Saving"),
            Some(Measure::GrossSaving)
        );
        assert_eq!(
            Measure::from_text("Savings / Cost Avoidance"),
            Some(Measure::GrossSaving)
        );
        assert_eq!(Measure::from_text("Net Saving"), Some(Measure::Net));
        assert_eq!(
            Measure::from_text("Net Investment / Saving"),
            Some(Measure::Net)
        );
        assert_eq!(Measure::from_text("Efficiency"), None);
        assert_eq!(Measure::from_text(""), None);
    }
}
