//! The table's rows: each described as plain data from the schedule and its results
//! ([`Describe`]), then drawn from that description (`draw_row`), so that a row whose
//! description is unchanged is not drawn again.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::engine::{
    format_amount, format_cell, scope_totals, Check, CheckColumn, CheckStatus, Edit, Netting, Rag,
    Recurrence, Results, RowTotals, Schedule, Subject, Sum, TextField, TotalScope,
};

use super::super::checks_panel::{status_badge, status_class};
use super::super::grid;
use super::super::state::AppState;
use super::{
    CellView, CheckedText, ComputedView, Head, LineView, RowRef, RowView, SumText, TotalView,
};

/// Line notes from netting: reversal pairs and duplicate references, by line.
pub(super) type Notes = HashMap<usize, Vec<(String, &'static str)>>;

pub(super) fn line_notes(s: &Schedule, n: &Netting) -> Notes {
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
pub(super) struct Describe<'a> {
    pub(super) s: &'a Schedule,
    pub(super) r: &'a Results,
    pub(super) head: &'a Head,
    pub(super) notes: &'a Notes,
    pub(super) active: Option<(usize, usize)>,
    pub(super) editing: Option<&'a String>,
    pub(super) d: u32,
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

    pub(super) fn row(&self, r: RowRef) -> RowView {
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
        let covers = s.scope_text(&row.scope);
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
    pub(super) fn foot(&self) -> Vec<RowView> {
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

/// Empty cells under the text field and edit columns, for rows that are not lines.
fn pad(head: &Head) -> impl IntoView {
    let fields = head.fields.len();
    (
        (fields > 0).then(|| view! { <td colspan=fields></td> }),
        head.editable.then(|| view! { <td></td><td></td><td></td> }),
    )
}

pub(super) fn draw_row(state: AppState, head: &Head, row: RowView) -> AnyView {
    match row {
        RowView::Section { row, name } => view! {
            <tr class="section" id=format!("row-{row}")>
                <th scope="rowgroup" class="label">{name}</th>
                <td colspan=head.width() - 1></td>
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
            {fields}
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
            <th scope="row" class="label">
                {t.label}
                <span class="description">{format!("Published row {}: {}. Figures shown are computed.", t.row, t.covers)}</span>
            </th>
            {years}
            {checked_cell(&t.total)}
            {published}
            {badge(t.status)}
            {pad(head)}
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
            <th scope="row" class="label">{c.label}</th>
            {years}
            {sum_cell(&c.total, grand.then_some("grand-total-all"))}
            {published}
            <td class="check"></td>
            {pad(head)}
        </tr>
    }
    .into_any()
}
