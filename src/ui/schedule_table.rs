//! The schedule as a table, grouped by section: every line with its computed total and check,
//! each section's subtotal (the published row, checked, or a computed one), the published total
//! rows, and the computed grand total.
//!
//! The table is drawn a window at a time. Each row is first described as plain data (its texts,
//! figures and checks as the engine formats them, and where the active cell is): a [`RowView`].
//! Rows are drawn from those descriptions, keyed by them, so a row is drawn again only when what
//! it shows changes: an edit redraws the edited line, its subtotal and the totals, not the table.
//! Up to [`DRAW_ALL`] rows every row is in the page and the page scrolls as usual; beyond that
//! the table scrolls in its own box, every row is [`ROW_PX`] high, and only the rows in view
//! (and [`OVERSCAN`] either side) are in the page, with empty space standing in for the rest.
//! The totals stay in view at the foot of the box.

use std::collections::HashMap;

use leptos::html;
use leptos::prelude::*;

use crate::engine::{
    format_amount, format_cell, scope_totals, Check, CheckColumn, CheckStatus, Edit, Netting, Rag,
    Recurrence, Results, RowTotals, Schedule, Subject, Sum, TextField, TotalScope,
};

use super::checks_panel::{status_badge, status_class};
use super::grid;
use super::state::AppState;

/// The text columns the table shows, when the schedule has them; the line's name (with its
/// description under it) is always shown.
const SHOWN_FIELDS: [TextField; 3] = [TextField::Reference, TextField::Source, TextField::Type];

/// Up to this many rows (lines, headings and subtotals) the whole table is drawn.
const DRAW_ALL: usize = 400;
/// The height of every row of a table drawn a window at a time, in CSS pixels (style/main.css
/// `.virtual` sets it).
const ROW_PX: f64 = 44.0;
/// Rows drawn above and below the ones in view, so that scrolling a little shows rows at once.
const OVERSCAN: usize = 15;

/// A row of the table's body, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum RowRef {
    /// A section heading (index into `Schedule::sections`).
    Section(usize),
    /// A line (index into `Schedule::lines`).
    Line(usize),
    /// A published total row (index into `Schedule::total_rows`).
    TotalRow(usize),
    /// A computed subtotal for a section the file gives no subtotal.
    Subtotal(usize),
}

/// The body's rows, and where each line is among them.
#[derive(Clone, Debug, Default, PartialEq)]
struct Layout {
    rows: Vec<RowRef>,
    line_pos: Vec<usize>,
}

/// The rows of a schedule's body: the lines before the first heading, then each section's
/// heading, lines and subtotal (the published ones, or a computed one).
fn layout(s: &Schedule) -> Layout {
    let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); s.sections.len() + 1];
    for (i, line) in s.lines.iter().enumerate() {
        let g = line
            .section
            .map(|x| x + 1)
            .unwrap_or(0)
            .min(s.sections.len());
        by_section[g].push(i);
    }
    let mut published: Vec<Vec<usize>> = vec![Vec::new(); s.sections.len()];
    for (i, t) in s.total_rows.iter().enumerate() {
        if let TotalScope::Section(x) = t.scope {
            if let Some(p) = published.get_mut(x) {
                p.push(i);
            }
        }
    }
    let mut rows = Vec::with_capacity(s.lines.len() + 2 * s.sections.len() + 1);
    rows.extend(by_section[0].iter().map(|&i| RowRef::Line(i)));
    for x in 0..s.sections.len() {
        rows.push(RowRef::Section(x));
        rows.extend(by_section[x + 1].iter().map(|&i| RowRef::Line(i)));
        if published[x].is_empty() {
            rows.push(RowRef::Subtotal(x));
        } else {
            rows.extend(published[x].iter().map(|&i| RowRef::TotalRow(i)));
        }
    }
    let mut line_pos = vec![0; s.lines.len()];
    for (p, r) in rows.iter().enumerate() {
        if let RowRef::Line(i) = r {
            line_pos[*i] = p;
        }
    }
    Layout { rows, line_pos }
}

/// The columns of the table.
#[derive(Clone, Debug, PartialEq)]
struct Head {
    fields: Vec<(TextField, String)>,
    years: Vec<String>,
    total_header: Option<String>,
    /// True when the table shows the schedule as published, so its cells can be edited.
    editable: bool,
    caption: String,
}

impl Head {
    /// The columns of `s`, converted to another profile or not; `read_only` for a published
    /// schedule, whose cells cannot be edited.
    fn new(s: &Schedule, converted: bool, read_only: bool) -> Head {
        let fields = SHOWN_FIELDS
            .iter()
            .filter_map(|f| {
                s.column_of(*f)
                    .map(|i| (*f, s.text_columns[i].header.clone()))
            })
            .collect();
        let caption = if converted {
            format!(
                "{}: every line by year in {}, converted to the {} profile. Published totals are not shown in a converted view; the checks above are of the figures as published.",
                s.title,
                s.unit.label(),
                s.profile.label().to_lowercase()
            )
        } else {
            format!(
                "{}: every line by year in {}, with computed totals and the check of each published figure.",
                s.title,
                s.unit.label()
            )
        };
        Head {
            fields,
            years: s.years.iter().map(|y| y.header.clone()).collect(),
            total_header: s.total_header.clone(),
            editable: !converted && !read_only,
            caption,
        }
    }

    /// Columns before the years: the shown text fields and the line.
    fn label_span(&self) -> usize {
        self.fields.len() + 1
    }

    fn width(&self) -> usize {
        self.label_span()
            + self.years.len()
            + 2
            + usize::from(self.total_header.is_some())
            + if self.editable { 3 } else { 0 }
    }
}

/// A computed sum as shown: its figure, and how many cells it lacks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct SumText {
    text: String,
    missing: usize,
}

impl SumText {
    fn new(sum: &Sum, decimals: u32) -> SumText {
        SumText {
            text: format_amount(sum.value, decimals),
            missing: sum.missing,
        }
    }
}

/// A computed figure of a published total row, with the published figure when they differ.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CheckedText {
    sum: SumText,
    differs: Option<(CheckStatus, String)>,
}

/// One amount cell of a line.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CellView {
    text: String,
    no_figure: bool,
}

/// Everything a line's row shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct LineView {
    index: usize,
    row: usize,
    fields: Vec<String>,
    label: String,
    description: Option<String>,
    one_off: bool,
    notes: Vec<(String, &'static str)>,
    cells: Vec<CellView>,
    total: SumText,
    /// The published total: `None` when the table has no total column.
    published: Option<String>,
    status: Option<CheckStatus>,
    rag: Option<Rag>,
    included: bool,
    /// The active cell's year, if it is in this line; the editor's opening text when editing.
    active: Option<usize>,
    editing: Option<String>,
    /// The year of the table's tab stop, if it is in this line.
    tab_stop: Option<usize>,
}

/// Everything a published total row shows.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TotalView {
    row: usize,
    label: String,
    covers: String,
    years: Vec<CheckedText>,
    total: CheckedText,
    published: Option<String>,
    status: Option<CheckStatus>,
}

/// A computed row: a section's subtotal, a measure's total, the grand total.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ComputedView {
    label: String,
    class: &'static str,
    years: Vec<SumText>,
    total: SumText,
    /// The grand total row carries the test ids the end-to-end tests read.
    grand: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum RowView {
    Section { row: usize, name: String },
    Line(Box<LineView>),
    Total(Box<TotalView>),
    Computed(Box<ComputedView>),
}

/// Line notes from netting: reversal pairs and duplicate references, by line.
type Notes = HashMap<usize, Vec<(String, &'static str)>>;

fn line_notes(s: &Schedule, n: &Netting) -> Notes {
    let mut notes: Notes = HashMap::new();
    let d = s.decimals;
    for r in &n.reversals {
        let (Some(original), Some(reversal)) = (s.lines.get(r.original), s.lines.get(r.reversal))
        else {
            continue;
        };
        let kind = if r.full {
            "reverses"
        } else {
            "partly reverses"
        };
        notes.entry(r.reversal).or_default().push((
            format!(
                "↩ {kind} row {}; the pair nets to {}",
                original.row,
                format_amount(r.net_total.value, d)
            ),
            "note-reversal",
        ));
        notes.entry(r.original).or_default().push((
            format!("↩ reversed by row {}", reversal.row),
            "note-reversal",
        ));
    }
    for dup in &n.duplicate_refs {
        for &i in &dup.lines {
            let others: Vec<String> = dup
                .lines
                .iter()
                .filter(|&&j| j != i)
                .filter_map(|&j| s.lines.get(j).map(|l| l.row.to_string()))
                .collect();
            notes.entry(i).or_default().push((
                format!(
                    "⚠ reference {} is also used on row {} for another line",
                    dup.reference,
                    others.join(", ")
                ),
                "note-duplicate",
            ));
        }
    }
    notes
}

/// Describes rows of a schedule and its results.
struct Describe<'a> {
    s: &'a Schedule,
    r: &'a Results,
    head: &'a Head,
    notes: &'a Notes,
    active: Option<(usize, usize)>,
    editing: Option<&'a String>,
    d: u32,
}

impl Describe<'_> {
    fn check(&self, subject: Subject, column: CheckColumn) -> Option<&Check> {
        // Only total rows' checks are looked up here, and they come after every line's check.
        let first = self
            .r
            .checks
            .checks
            .partition_point(|c| matches!(c.subject, Subject::LineTotal { .. }));
        self.r.checks.checks[first..]
            .iter()
            .find(|c| c.subject == subject && c.column == column)
    }

    fn row(&self, r: RowRef) -> RowView {
        match r {
            RowRef::Section(x) => {
                let section = &self.s.sections[x];
                RowView::Section {
                    row: section.row,
                    name: section.name.clone(),
                }
            }
            RowRef::Line(i) => RowView::Line(Box::new(self.line(i))),
            RowRef::TotalRow(t) => RowView::Total(Box::new(self.total_row(t))),
            RowRef::Subtotal(x) => RowView::Computed(Box::new(self.computed(
                format!("Subtotal: {}", self.s.sections[x].name),
                &self.r.totals.sections[x],
                "subtotal computed",
                false,
            ))),
        }
    }

    fn line(&self, i: usize) -> LineView {
        let s = self.s;
        let line = &s.lines[i];
        let label = s.line_label(line);
        let description = s.text(line, TextField::Description);
        let description =
            (!description.is_empty() && description != label).then(|| description.to_string());
        let active = self.active.filter(|(l, _)| *l == i).map(|(_, y)| y);
        let tab_stop = match self.active {
            Some((l, y)) if l == i => Some(y),
            None if i == 0 => Some(0),
            _ => None,
        };
        LineView {
            index: i,
            row: line.row,
            fields: self
                .head
                .fields
                .iter()
                .map(|(f, _)| s.text(line, *f).to_string())
                .collect(),
            label,
            description,
            one_off: line.recurrence == Recurrence::OneOff,
            notes: self.notes.get(&i).cloned().unwrap_or_default(),
            cells: line
                .amounts
                .iter()
                .map(|a| CellView {
                    text: format_cell(a, self.d),
                    no_figure: matches!(a, crate::engine::Amount::NoFigure(_)),
                })
                .collect(),
            total: SumText::new(&self.r.totals.lines[i], self.d),
            published: self.head.total_header.as_ref().map(|_| {
                line.total
                    .as_ref()
                    .map(|t| format_cell(t, self.d))
                    .unwrap_or_default()
            }),
            status: self.r.checks.line_status.get(i).copied().flatten(),
            rag: line.rag,
            included: !line.memo,
            active,
            editing: active.and(self.editing.cloned()),
            tab_stop,
        }
    }

    fn checked(&self, sum: &Sum, check: Option<&Check>) -> CheckedText {
        CheckedText {
            sum: SumText::new(sum, self.d),
            differs: check.filter(|c| c.status != CheckStatus::Ok).map(|c| {
                (
                    c.status,
                    format!(
                        "published {}",
                        format_amount(c.published, self.d.max(c.published.scale()))
                    ),
                )
            }),
        }
    }

    fn total_row(&self, index: usize) -> TotalView {
        let s = self.s;
        let row = &s.total_rows[index];
        let sums = scope_totals(s, &self.r.totals, &row.scope);
        let subject = Subject::TotalRow { index };
        let covers = match &row.scope {
            TotalScope::Section(x) => format!("subtotal of {}", s.sections[*x].name),
            TotalScope::All => "total of every line".to_string(),
            TotalScope::Measure(m) => format!("total of every {} line", m.label().to_lowercase()),
            TotalScope::Since {
                first_line,
                end_line,
            } => format!("total of the {} lines above it", end_line - first_line),
            TotalScope::AllButBase => "total of every line but the base budget".to_string(),
        };
        TotalView {
            row: row.row,
            label: row.label.clone(),
            covers,
            years: sums
                .years
                .iter()
                .enumerate()
                .map(|(y, sum)| self.checked(sum, self.check(subject, CheckColumn::Year(y))))
                .collect(),
            total: self.checked(&sums.total, self.check(subject, CheckColumn::Total)),
            published: self.head.total_header.as_ref().map(|_| {
                row.total
                    .as_ref()
                    .map(|t| format_cell(t, self.d))
                    .unwrap_or_default()
            }),
            status: self.r.checks.total_row_status.get(index).copied().flatten(),
        }
    }

    fn computed(
        &self,
        label: String,
        sums: &RowTotals,
        class: &'static str,
        grand: bool,
    ) -> ComputedView {
        ComputedView {
            label,
            class,
            years: sums.years.iter().map(|s| SumText::new(s, self.d)).collect(),
            total: SumText::new(&sums.total, self.d),
            grand,
        }
    }

    /// The rows after the body: total rows that are not a section's, per-measure totals, and
    /// the grand total (when lines are not of several measures).
    fn foot(&self) -> Vec<RowView> {
        let mut rows: Vec<RowView> = self
            .s
            .total_rows
            .iter()
            .enumerate()
            .filter(|(_, t)| !matches!(t.scope, TotalScope::Section(_)))
            .map(|(i, _)| RowView::Total(Box::new(self.total_row(i))))
            .collect();
        rows.extend(self.r.totals.by_measure.iter().map(|(m, t)| {
            RowView::Computed(Box::new(self.computed(
                format!("All {} lines (computed)", m.label().to_lowercase()),
                t,
                "grand by-measure",
                false,
            )))
        }));
        if self.r.totals.by_measure.is_empty() {
            rows.push(RowView::Computed(Box::new(self.computed(
                "Grand total (computed)".to_string(),
                &self.r.totals.grand,
                "grand",
                true,
            ))));
        }
        rows
    }
}

fn sum_cell(sum: &SumText, testid: Option<&'static str>) -> AnyView {
    if sum.missing == 0 {
        view! { <td class="num" data-testid=testid>{sum.text.clone()}</td> }.into_any()
    } else {
        let note = format!("Excludes {} cell(s) with no figure", sum.missing);
        view! {
            <td class="num incomplete" data-testid=testid title=note.clone()>
                {sum.text.clone()}
                <span class="visually-hidden">{format!(" ({note})")}</span>
                <span aria-hidden="true">" *"</span>
            </td>
        }
        .into_any()
    }
}

fn checked_cell(c: &CheckedText) -> AnyView {
    match &c.differs {
        Some((status, published)) => view! {
            <td class=format!("num {}", status_class(*status))>
                {c.sum.text.clone()}
                <span class="published">{published.clone()}</span>
            </td>
        }
        .into_any(),
        None => sum_cell(&c.sum, None),
    }
}

fn badge(status: Option<CheckStatus>) -> AnyView {
    match status {
        Some(s) => view! { <td class=format!("check {}", status_class(s))>{status_badge(s)}</td> }
            .into_any(),
        None => view! { <td class="check"></td> }.into_any(),
    }
}

/// Empty cells under the edit columns, for rows that are not lines.
fn edit_pad(head: &Head) -> Option<AnyView> {
    head.editable
        .then(|| view! { <td></td><td></td><td></td> }.into_any())
}

fn draw_row(state: AppState, head: &Head, row: RowView) -> AnyView {
    match row {
        RowView::Section { row, name } => view! {
            <tr class="section" id=format!("row-{row}")>
                <th scope="rowgroup" colspan=head.width()>{name}</th>
            </tr>
        }
        .into_any(),
        RowView::Line(l) => draw_line(state, head, *l),
        RowView::Total(t) => draw_total(head, *t),
        RowView::Computed(c) => draw_computed(head, *c),
    }
}

fn draw_line(state: AppState, head: &Head, l: LineView) -> AnyView {
    let i = l.index;
    let description = l
        .description
        .map(|d| view! { <span class="description">{d}</span> });
    let notes = l
        .notes
        .into_iter()
        .map(|(text, class)| {
            view! { <span class=format!("line-note {class}") data-testid=class>{text}</span> }
        })
        .collect_view();
    let one_off = l
        .one_off
        .then(|| view! { <span class="line-note">"one-off: counts only in its year"</span> });
    let fields = l
        .fields
        .into_iter()
        .map(|t| view! { <td class="text">{t}</td> })
        .collect_view();
    let editable = head.editable;
    let (active, editing, tab_stop) = (l.active, l.editing, l.tab_stop);
    let amounts = l
        .cells
        .into_iter()
        .enumerate()
        .map(|(y, c)| {
            grid::amount_cell(
                state,
                grid::CellState {
                    line: i,
                    year: y,
                    text: c.text,
                    no_figure: c.no_figure,
                    active: active == Some(y),
                    editing: if active == Some(y) {
                        editing.clone()
                    } else {
                        None
                    },
                    tab_stop: tab_stop == Some(y),
                    editable,
                },
            )
        })
        .collect_view();
    let published = l.published.map(|text| {
        let class = match l.status {
            Some(s) if s != CheckStatus::Ok && !text.is_empty() => {
                format!("num {}", status_class(s))
            }
            _ => "num".to_string(),
        };
        view! { <td class=class>{text}</td> }
    });
    let row_class = match l.status {
        Some(s) if s != CheckStatus::Ok => format!("line {}", status_class(s)),
        _ => "line".to_string(),
    };
    let edits = editable.then(|| edit_cells(state, i, &l.label, l.rag, l.one_off, l.included));
    view! {
        <tr id=format!("row-{}", l.row) class=row_class>
            {fields}
            <th scope="row" class="label">
                {l.label}
                {description}
                {one_off}
                {notes}
            </th>
            {amounts}
            {sum_cell(&l.total, None)}
            {published}
            {badge(l.status)}
            {edits}
        </tr>
    }
    .into_any()
}

/// The RAG rating, one-off and include controls of a line.
fn edit_cells(
    state: AppState,
    i: usize,
    label: &str,
    rag: Option<Rag>,
    one_off: bool,
    included: bool,
) -> AnyView {
    let on_rag = move |ev: leptos::ev::Event| {
        let rag = Rag::parse(&event_target_value(&ev));
        state.perform(Edit::SetRag { line: i, rag });
    };
    let on_one_off = move |ev: leptos::ev::Event| {
        let recurrence = if event_target_checked(&ev) {
            Recurrence::OneOff
        } else {
            Recurrence::Recurring
        };
        state.perform(Edit::SetRecurrence {
            line: i,
            recurrence,
        });
    };
    let on_include = move |ev: leptos::ev::Event| {
        state.perform(Edit::SetMemo {
            line: i,
            memo: !event_target_checked(&ev),
        });
    };
    let options = [None, Some(Rag::Red), Some(Rag::Amber), Some(Rag::Green)]
        .into_iter()
        .map(|r| {
            let text = r.map(Rag::label).unwrap_or("—");
            view! { <option value=text selected=r == rag>{text}</option> }
        })
        .collect_view();
    view! {
        <td class="edit">
            <select aria-label=format!("RAG rating of {label}") data-testid="rag-select" on:change=on_rag>{options}</select>
        </td>
        <td class="edit">
            <input type="checkbox" aria-label=format!("{label} is one-off") checked=one_off on:change=on_one_off data-testid="one-off-toggle" />
        </td>
        <td class="edit">
            <input type="checkbox" aria-label=format!("Include {label} in the net and the gap") checked=included on:change=on_include data-testid="include-toggle" />
        </td>
    }
    .into_any()
}

fn draw_total(head: &Head, t: TotalView) -> AnyView {
    let years = t.years.iter().map(checked_cell).collect_view();
    let published = t.published.map(|p| view! { <td class="num">{p}</td> });
    view! {
        <tr id=format!("row-{}", t.row) class=format!("subtotal {}", t.status.map(status_class).unwrap_or(""))>
            <th scope="row" colspan=head.label_span() class="label">
                {t.label}
                <span class="description">{format!("Published row {}: {}. Figures shown are computed.", t.row, t.covers)}</span>
            </th>
            {years}
            {checked_cell(&t.total)}
            {published}
            {badge(t.status)}
            {edit_pad(head)}
        </tr>
    }
    .into_any()
}

fn draw_computed(head: &Head, c: ComputedView) -> AnyView {
    let grand = c.grand;
    let years = c
        .years
        .iter()
        .map(|s| sum_cell(s, grand.then_some("grand-total-year")))
        .collect_view();
    let published = head.total_header.as_ref().map(|_| view! { <td></td> });
    view! {
        <tr class=c.class data-testid=grand.then_some("grand-total-row")>
            <th scope="row" colspan=head.label_span() class="label">{c.label}</th>
            {years}
            {sum_cell(&c.total, grand.then_some("grand-total-all"))}
            {published}
            <td class="check"></td>
            {edit_pad(head)}
        </tr>
    }
    .into_any()
}

/// Runs `f` on the schedule the table shows and its results: converted to the chosen profile,
/// or as published (with the live results).
fn with_shown<T>(state: AppState, f: impl FnOnce(&Schedule, &Results, bool) -> T) -> Option<T> {
    state.derived.shown.with(|shown| match shown {
        Some((s, r)) => Some(f(s, r, true)),
        None => state.loaded.with(|l| {
            state.live.with(|live| match (l, live) {
                (Some(l), Some(live)) => Some(f(&l.schedule, &live.results, false)),
                _ => None,
            })
        }),
    })
}

#[component]
pub fn ScheduleTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let both_totals = move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let t = state
                .live
                .with(|live| live.as_ref().map(|l| l.profile_totals()))?;
            let last = s.years.last()?.year.label();
            let show = |v: Option<rust_decimal::Decimal>| {
                v.map(|v| format_amount(v, s.decimals))
                    .unwrap_or_else(|| "no figure".to_string())
            };
            Some(view! {
                <dl class="both-totals">
                    <div>
                        <dt>{format!("Full-year effect in {last}")}</dt>
                        <dd data-testid="fye-total">{show(t.final_year_effect)}</dd>
                    </div>
                    <div>
                        <dt>"Sum over the period (cash)"</dt>
                        <dd data-testid="period-total">{show(t.period_sum)}</dd>
                    </div>
                </dl>
            })
        })
    };
    view! {
        <section class="schedule" aria-labelledby="table-heading">
            <h2 id="table-heading">"Schedule"</h2>
            {both_totals}
            <GapSummary />
            <super::toolbar::EditToolbar />
            <Table />
        </section>
    }
}

/// The funding gap after reserves per year, under the schedule's totals, when a gap model is
/// loaded: it moves as the schedule is edited when the schedule feeds the gap.
#[component]
fn GapSummary() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.gap.with(|g| {
            let g = g.as_ref()?;
            let model = &g.model;
            state.derived.gap_figures.with(|f| {
                let f = f.as_ref()?;
                let d = super::gap_view::decimals(model);
                let years = model
                    .years
                    .iter()
                    .zip(&f.years)
                    .map(|(c, y)| {
                        view! {
                            <div>
                                <dt>{c.header.clone()}</dt>
                                <dd data-testid="summary-gap">{format_amount(y.gap_after_reserves.value, d)}</dd>
                            </div>
                        }
                    })
                    .collect_view();
                let feed = if model.feed.is_some() {
                    "with this schedule's savings fed in"
                } else {
                    "from the gap table alone; the schedule can feed its savings in the Funding gap view"
                };
                Some(view! {
                    <div class="gap-summary" data-testid="gap-summary">
                        <p class="gap-summary-title">
                            {format!("Funding gap after reserves ({}), {feed}", model.unit.label())}
                        </p>
                        <dl class="both-totals small">{years}</dl>
                    </div>
                })
            })
        })
    }
}

#[component]
fn Table() -> impl IntoView {
    let state = expect_context::<AppState>();
    let head = Memo::new(move |_| {
        let read_only = state.published.with(Option::is_some);
        with_shown(state, |s, _, converted| Head::new(s, converted, read_only))
    });
    let layout = Memo::new(move |_| with_shown(state, |s, _, _| layout(s)).unwrap_or_default());
    // Netting notes change only when netting does (after an edit, a moment later).
    let notes = Memo::new(move |_| {
        state.netting.with(|n| {
            state.loaded.with_untracked(|l| match (n, l) {
                (Some(n), Some(l)) => line_notes(&l.schedule, n),
                _ => Notes::new(),
            })
        })
    });
    let scroller = NodeRef::<html::Div>::new();
    let top_spacer = NodeRef::<html::Tr>::new();
    // The body's scroll position (from its first row) and the box's height, in pixels.
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(900.0f64);
    // Printing draws every row (the print stylesheet undoes the scroll box).
    let printing = RwSignal::new(false);
    let before = window_event_listener(leptos::ev::beforeprint, move |_| printing.set(true));
    let after = window_event_listener(leptos::ev::afterprint, move |_| printing.set(false));
    on_cleanup(move || {
        before.remove();
        after.remove();
    });
    let windowed = Memo::new(move |_| layout.with(|l| l.rows.len() > DRAW_ALL));
    let range = Memo::new(move |_| {
        let n = layout.with(|l| l.rows.len());
        if n <= DRAW_ALL || printing.get() {
            return (0, n);
        }
        let top = scroll_top.get().max(0.0);
        let height = viewport.get().max(ROW_PX);
        let first = ((top / ROW_PX) as usize).saturating_sub(OVERSCAN).min(n);
        let last = (((top + height) / ROW_PX).ceil() as usize + OVERSCAN).min(n);
        (first, last.max(first))
    });
    let visible = Memo::new(move |_| {
        let (first, last) = range.get();
        let active = state.grid.active.get();
        state
            .grid
            .editing
            .with(|editing| {
                notes.with(|notes| {
                    layout.with(|layout| {
                        head.with(|head| {
                            let head = head.as_ref()?;
                            with_shown(state, |s, r, converted| {
                                let describe = Describe {
                                    s,
                                    r,
                                    head,
                                    notes,
                                    active: if converted { None } else { active },
                                    editing: editing.as_ref(),
                                    d: s.decimals,
                                };
                                layout.rows[first..last]
                                    .iter()
                                    .map(|row| describe.row(*row))
                                    .collect::<Vec<_>>()
                            })
                        })
                    })
                })
            })
            .unwrap_or_default()
    });
    let foot = Memo::new(move |_| {
        let empty = Notes::new();
        head.with(|head| {
            let head = head.as_ref()?;
            with_shown(state, |s, r, _| {
                Describe {
                    s,
                    r,
                    head,
                    notes: &empty,
                    active: None,
                    editing: None,
                    d: s.decimals,
                }
                .foot()
            })
        })
        .unwrap_or_default()
    });

    let measure = move || {
        let (Some(el), Some(spacer)) = (scroller.get_untracked(), top_spacer.get_untracked())
        else {
            return;
        };
        let body_top = spacer.offset_top() as f64;
        scroll_top.set(el.scroll_top() as f64 - body_top);
        viewport.set(el.client_height() as f64);
    };
    // Keeps the active cell in view: scrolls the box to a line the keyboard moved to that is
    // outside it, so its row is drawn.
    Effect::new(move |_| {
        let Some((line, _)) = state.grid.active.get() else {
            return;
        };
        if !windowed.get_untracked() {
            return;
        }
        let Some(pos) = layout.with_untracked(|l| l.line_pos.get(line).copied()) else {
            return;
        };
        let (Some(el), Some(spacer)) = (scroller.get_untracked(), top_spacer.get_untracked())
        else {
            return;
        };
        let body_top = spacer.offset_top() as f64;
        let row_top = body_top + pos as f64 * ROW_PX;
        let view_top = el.scroll_top() as f64;
        let height = el.client_height() as f64;
        // The header row and the totals at the foot cover part of the box.
        let margin = 3.0 * ROW_PX;
        if row_top < view_top + margin || row_top + ROW_PX > view_top + height - margin {
            let to = (row_top - height / 2.0).max(0.0);
            el.set_scroll_top(to as i32);
            measure();
        }
    });

    move || {
        let Some(h) = head.get() else {
            return ().into_any();
        };
        let width = h.width();
        let head_row = {
            let fields = h
                .fields
                .iter()
                .map(|(_, name)| view! { <th scope="col">{name.clone()}</th> })
                .collect_view();
            let years = h
                .years
                .iter()
                .map(|y| view! { <th scope="col" class="num">{y.clone()}</th> })
                .collect_view();
            let published = h
                .total_header
                .as_ref()
                .map(|t| view! { <th scope="col" class="num">{format!("{t} (published)")}</th> });
            view! {
                <tr>
                    {fields}
                    <th scope="col">"Line"</th>
                    {years}
                    <th scope="col" class="num">"Total (computed)"</th>
                    {published}
                    <th scope="col">"Check"</th>
                    {h.editable.then(|| view! {
                        <th scope="col">"RAG"</th>
                        <th scope="col">"One-off"</th>
                        <th scope="col">"Include"</th>
                    })}
                </tr>
            }
        };
        let cols = {
            let fields = h
                .fields
                .iter()
                .map(|_| view! { <col class="col-text" /> })
                .collect_view();
            let years = h
                .years
                .iter()
                .map(|_| view! { <col class="col-num" /> })
                .collect_view();
            let published = h
                .total_header
                .as_ref()
                .map(|_| view! { <col class="col-num" /> });
            view! {
                <colgroup>
                    {fields}
                    <col class="col-label" />
                    {years}
                    <col class="col-num" />
                    {published}
                    <col class="col-check" />
                    {h.editable.then(|| view! { <col class="col-edit" /><col class="col-edit" /><col class="col-edit" /> })}
                </colgroup>
            }
        };
        let head_for_rows = h.clone();
        let head_for_foot = h.clone();
        let top_px = move || {
            let (first, _) = range.get();
            format!("{}px", first as f64 * ROW_PX)
        };
        let bottom_px = move || {
            let (_, last) = range.get();
            let n = layout.with(|l| l.rows.len());
            format!("{}px", (n - last.min(n)) as f64 * ROW_PX)
        };
        view! {
            <div
                class="table-scroll"
                class:virtual=move || windowed.get()
                data-row-px=ROW_PX
                tabindex="0"
                role="region"
                aria-label="Schedule table, scrolls sideways"
                node_ref=scroller
                on:scroll=move |_| measure()
            >
                <table
                    data-testid="schedule-table"
                    on:paste=move |ev| grid::on_paste(state, ev)
                >
                    <caption>{h.caption.clone()}</caption>
                    {cols}
                    <thead>{head_row}</thead>
                    <tbody>
                        <tr class="spacer" aria-hidden="true" node_ref=top_spacer style:height=top_px>
                            <td colspan=width></td>
                        </tr>
                        <For
                            each=move || visible.get()
                            key=|row| row.clone()
                            children=move |row| draw_row(state, &head_for_rows, row)
                        />
                        <tr class="spacer" aria-hidden="true" style:height=bottom_px>
                            <td colspan=width></td>
                        </tr>
                    </tbody>
                    <tfoot class="totals">
                        <For
                            each=move || foot.get()
                            key=|row| row.clone()
                            children=move |row| draw_row(state, &head_for_foot, row)
                        />
                    </tfoot>
                </table>
            </div>
        }
        .into_any()
    }
}
