//! The schedule as a table, grouped by section: every line with its computed total and check,
//! each section's subtotal (the published row, checked, or a computed one), the published total
//! rows, and the computed grand total.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::engine::{
    format_amount, format_cell, schedule_profile_totals, scope_totals, Check, CheckColumn,
    CheckStatus, Edit, Netting, Rag, Recurrence, Results, RowTotals, Schedule, Subject, Sum,
    TextField, TotalScope,
};

use super::app::AppState;
use super::checks_panel::{status_badge, status_class};
use super::grid;

/// The text columns the table shows, when the schedule has them; the line's name (with its
/// description under it) is always shown.
const SHOWN_FIELDS: [TextField; 3] = [TextField::Reference, TextField::Source, TextField::Type];

/// Checks by (subject, column), to mark cells.
type CheckIndex<'a> = HashMap<(SubjectKey, ColumnKey), &'a Check>;
type SubjectKey = (u8, usize);
type ColumnKey = Option<usize>;

fn subject_key(s: Subject) -> SubjectKey {
    match s {
        Subject::LineTotal { line } => (0, line),
        Subject::TotalRow { index } => (1, index),
        Subject::NetLine { line } => (2, line),
        Subject::GapResult { index } => (3, index),
    }
}

fn column_key(c: CheckColumn) -> ColumnKey {
    match c {
        CheckColumn::Year(y) => Some(y),
        CheckColumn::Total => None,
    }
}

fn sum_cell(sum: &Sum, decimals: u32, testid: Option<&'static str>) -> AnyView {
    let text = format_amount(sum.value, decimals);
    if sum.is_complete() {
        view! { <td class="num" data-testid=testid>{text}</td> }.into_any()
    } else {
        let note = format!("Excludes {} cell(s) with no figure", sum.missing);
        view! {
            <td class="num incomplete" data-testid=testid title=note.clone()>
                {text}
                <span class="visually-hidden">{format!(" ({note})")}</span>
                <span aria-hidden="true">" *"</span>
            </td>
        }
        .into_any()
    }
}

/// A computed figure in a published total row: marked, with the published figure, when the
/// published one differs.
fn checked_cell(sum: &Sum, decimals: u32, check: Option<&&Check>) -> AnyView {
    match check {
        Some(c) if c.status != CheckStatus::Ok => {
            let published = format!(
                "published {}",
                format_amount(c.published, decimals.max(c.published.scale()))
            );
            view! {
                <td class=format!("num {}", status_class(c.status))>
                    {format_amount(sum.value, decimals)}
                    <span class="published">{published}</span>
                </td>
            }
            .into_any()
        }
        _ => sum_cell(sum, decimals, None),
    }
}

fn badge(status: Option<CheckStatus>) -> AnyView {
    match status {
        Some(s) => view! { <td class=format!("check {}", status_class(s))>{status_badge(s)}</td> }
            .into_any(),
        None => view! { <td class="check"></td> }.into_any(),
    }
}

/// Notes on lines from netting: reversal pairs and duplicate references.
fn line_notes(s: &Schedule, n: &Netting) -> HashMap<usize, Vec<(String, &'static str)>> {
    let mut notes: HashMap<usize, Vec<(String, &'static str)>> = HashMap::new();
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

struct Table<'a> {
    state: AppState,
    /// True when the table shows the schedule as published, so its cells can be edited.
    editable: bool,
    s: &'a Schedule,
    r: &'a Results,
    checks: CheckIndex<'a>,
    fields: Vec<(TextField, String)>,
    d: u32,
    notes: HashMap<usize, Vec<(String, &'static str)>>,
}

impl<'a> Table<'a> {
    fn new(
        state: AppState,
        editable: bool,
        s: &'a Schedule,
        r: &'a Results,
        netting: Option<&Netting>,
    ) -> Table<'a> {
        let checks = r
            .checks
            .checks
            .iter()
            .map(|c| ((subject_key(c.subject), column_key(c.column)), c))
            .collect();
        let fields = SHOWN_FIELDS
            .iter()
            .filter_map(|f| {
                s.column_of(*f)
                    .map(|i| (*f, s.text_columns[i].header.clone()))
            })
            .collect();
        let notes = netting.map(|n| line_notes(s, n)).unwrap_or_default();
        Table {
            state,
            editable,
            s,
            r,
            checks,
            fields,
            d: s.decimals,
            notes,
        }
    }

    /// Columns before the years: the shown text fields and the line.
    fn label_span(&self) -> usize {
        self.fields.len() + 1
    }

    fn width(&self) -> usize {
        self.label_span()
            + self.s.years.len()
            + 2
            + usize::from(self.s.total_header.is_some())
            + if self.editable { 3 } else { 0 }
    }

    /// Empty cells under the edit columns, for rows that are not lines.
    fn edit_pad(&self) -> Option<AnyView> {
        self.editable
            .then(|| view! { <td></td><td></td><td></td> }.into_any())
    }

    fn head(&self) -> AnyView {
        let fields = self
            .fields
            .iter()
            .map(|(_, h)| view! { <th scope="col">{h.clone()}</th> })
            .collect_view();
        let years = self
            .s
            .years
            .iter()
            .map(|y| view! { <th scope="col" class="num">{y.header.clone()}</th> })
            .collect_view();
        let published = self.s.total_header.as_ref().map(|h| {
            view! { <th scope="col" class="num">{format!("{h} (published)")}</th> }
        });
        view! {
            <thead>
                <tr>
                    {fields}
                    <th scope="col">"Line"</th>
                    {years}
                    <th scope="col" class="num">"Total (computed)"</th>
                    {published}
                    <th scope="col">"Check"</th>
                    {self.editable.then(|| view! {
                        <th scope="col">"RAG"</th>
                        <th scope="col">"One-off"</th>
                        <th scope="col">"Include"</th>
                    })}
                </tr>
            </thead>
        }
        .into_any()
    }

    fn line_row(&self, i: usize) -> AnyView {
        let line = &self.s.lines[i];
        let status = self.r.checks.line_status[i];
        let label = self.s.line_label(line);
        let description = self.s.text(line, TextField::Description);
        let description = (!description.is_empty() && description != label).then(|| {
            view! { <span class="description">{description.to_string()}</span> }
        });
        let notes = self.notes.get(&i).map(|notes| {
            notes
                .iter()
                .map(|(text, class)| {
                    view! { <span class=format!("line-note {class}") data-testid=*class>{text.clone()}</span> }
                })
                .collect_view()
        });
        let one_off = (line.recurrence == crate::engine::Recurrence::OneOff)
            .then(|| view! { <span class="line-note">"one-off: counts only in its year"</span> });
        let fields = self
            .fields
            .iter()
            .map(|(f, _)| view! { <td class="text">{self.s.text(line, *f).to_string()}</td> })
            .collect_view();
        let amounts = line
            .amounts
            .iter()
            .enumerate()
            .map(|(y, a)| grid::amount_cell(self.state, i, y, a, self.d, self.editable))
            .collect_view();
        let edits = self.editable.then(|| self.edit_cells(i));
        let published = line.total.as_ref().map(|t| {
            let class = match status {
                Some(s) if s != CheckStatus::Ok => format!("num {}", status_class(s)),
                _ => "num".to_string(),
            };
            view! { <td class=class>{format_cell(t, self.d)}</td> }
        });
        let published = match (published, self.s.total_header.is_some()) {
            (Some(p), _) => Some(p.into_any()),
            (None, true) => Some(view! { <td></td> }.into_any()),
            (None, false) => None,
        };
        let row_class = match status {
            Some(s) if s != CheckStatus::Ok => format!("line {}", status_class(s)),
            _ => "line".to_string(),
        };
        view! {
            <tr id=format!("row-{}", line.row) class=row_class>
                {fields}
                <th scope="row" class="label">
                    {label}
                    {description}
                    {one_off}
                    {notes}
                </th>
                {amounts}
                {sum_cell(&self.r.totals.lines[i], self.d, None)}
                {published}
                {badge(status)}
                {edits}
            </tr>
        }
        .into_any()
    }

    /// The RAG rating, one-off and include controls of a line.
    fn edit_cells(&self, i: usize) -> AnyView {
        let state = self.state;
        let line = &self.s.lines[i];
        let label = self.s.line_label(line);
        let rag = line.rag;
        let on_rag = move |ev: leptos::ev::Event| {
            let rag = Rag::parse(&event_target_value(&ev));
            state.perform(Edit::SetRag { line: i, rag });
        };
        let one_off = line.recurrence == Recurrence::OneOff;
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
        let included = !line.memo;
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

    /// A published total row, showing the computed figures of what it covers.
    fn total_row(&self, index: usize) -> AnyView {
        let row = &self.s.total_rows[index];
        let sums = scope_totals(self.s, &self.r.totals, &row.scope);
        let key = subject_key(Subject::TotalRow { index });
        let years = sums
            .years
            .iter()
            .enumerate()
            .map(|(y, sum)| checked_cell(sum, self.d, self.checks.get(&(key, Some(y)))))
            .collect_view();
        let total = checked_cell(&sums.total, self.d, self.checks.get(&(key, None)));
        let published = self.s.total_header.as_ref().map(|_| {
            let text = row
                .total
                .as_ref()
                .map(|t| format_cell(t, self.d))
                .unwrap_or_default();
            view! { <td class="num">{text}</td> }
        });
        let status = self.r.checks.total_row_status[index];
        let covers = match &row.scope {
            TotalScope::Section(s) => format!("subtotal of {}", self.s.sections[*s].name),
            TotalScope::All => "total of every line".to_string(),
            TotalScope::Measure(m) => format!("total of every {} line", m.label().to_lowercase()),
            TotalScope::Since {
                first_line,
                end_line,
            } => {
                format!("total of the {} lines above it", end_line - first_line)
            }
            TotalScope::AllButBase => "total of every line but the base budget".to_string(),
        };
        view! {
            <tr id=format!("row-{}", row.row) class=format!("subtotal {}", status.map(status_class).unwrap_or(""))>
                <th scope="row" colspan=self.label_span() class="label">
                    {row.label.clone()}
                    <span class="description">{format!("Published row {}: {covers}. Figures shown are computed.", row.row)}</span>
                </th>
                {years}
                {total}
                {published}
                {badge(status)}
                {self.edit_pad()}
            </tr>
        }
        .into_any()
    }

    fn computed_row(
        &self,
        label: String,
        sums: &RowTotals,
        class: &'static str,
        testids: bool,
    ) -> AnyView {
        let years = sums
            .years
            .iter()
            .map(|s| sum_cell(s, self.d, testids.then_some("grand-total-year")))
            .collect_view();
        let published = self.s.total_header.as_ref().map(|_| view! { <td></td> });
        view! {
            <tr class=class data-testid=testids.then_some("grand-total-row")>
                <th scope="row" colspan=self.label_span() class="label">{label}</th>
                {years}
                {sum_cell(&sums.total, self.d, testids.then_some("grand-total-all"))}
                {published}
                <td class="check"></td>
                {self.edit_pad()}
            </tr>
        }
        .into_any()
    }

    /// One `<tbody>` per section (and one for lines before the first heading).
    fn bodies(&self) -> AnyView {
        let mut groups: Vec<Option<usize>> = Vec::new();
        if self.s.lines.iter().any(|l| l.section.is_none()) {
            groups.push(None);
        }
        groups.extend((0..self.s.sections.len()).map(Some));
        groups
            .into_iter()
            .map(|g| {
                let heading = g.map(|s| {
                    let section = &self.s.sections[s];
                    view! {
                        <tr class="section" id=format!("row-{}", section.row)>
                            <th scope="rowgroup" colspan=self.width()>{section.name.clone()}</th>
                        </tr>
                    }
                });
                let lines = self
                    .s
                    .lines_in_section(g)
                    .map(|i| self.line_row(i))
                    .collect_view();
                let published: Vec<usize> = match g {
                    Some(s) => self
                        .s
                        .total_rows
                        .iter()
                        .enumerate()
                        .filter(|(_, t)| t.scope == TotalScope::Section(s))
                        .map(|(i, _)| i)
                        .collect(),
                    None => Vec::new(),
                };
                let subtotal = if !published.is_empty() {
                    published
                        .into_iter()
                        .map(|i| self.total_row(i))
                        .collect_view()
                        .into_any()
                } else if let Some(s) = g {
                    self.computed_row(
                        format!("Subtotal: {}", self.s.sections[s].name),
                        &self.r.totals.sections[s],
                        "subtotal computed",
                        false,
                    )
                } else {
                    ().into_any()
                };
                view! { <tbody>{heading}{lines}{subtotal}</tbody> }
            })
            .collect_view()
            .into_any()
    }

    fn foot(&self) -> AnyView {
        let others = self
            .s
            .total_rows
            .iter()
            .enumerate()
            .filter(|(_, t)| !matches!(t.scope, TotalScope::Section(_)))
            .map(|(i, _)| self.total_row(i))
            .collect_view();
        let by_measure = self
            .r
            .totals
            .by_measure
            .iter()
            .map(|(m, t)| {
                self.computed_row(
                    format!("All {} lines (computed)", m.label().to_lowercase()),
                    t,
                    "grand by-measure",
                    false,
                )
            })
            .collect_view();
        let grand = self.r.totals.by_measure.is_empty().then(|| {
            self.computed_row(
                "Grand total (computed)".to_string(),
                &self.r.totals.grand,
                "grand",
                true,
            )
        });
        view! { <tbody class="totals">{others}{by_measure}{grand}</tbody> }.into_any()
    }
}

#[component]
pub fn ScheduleTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let both_totals = move || {
        state.loaded.with(|l| {
            let s = &l.as_ref()?.schedule;
            let t = schedule_profile_totals(s);
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
    let table = move || {
        // The active cell and its editor are drawn with the table.
        let _ = (state.grid.active.get(), state.grid.editing.get());
        state.shown.with(|shown| {
            state.loaded.with(|loaded| {
                state.results.with(|results| {
                    let (schedule, r) = match (shown, loaded, results) {
                        (Some((s, r)), _, _) => (s, r),
                        (None, Some(l), Some(r)) => (&l.schedule, r),
                        _ => return None,
                    };
                    let converted = shown.is_some();
                    render_table(state, schedule, r, converted)
                })
            })
        })
    };
    view! {
        <section class="schedule" aria-labelledby="table-heading">
            <h2 id="table-heading">"Schedule"</h2>
            {both_totals}
            <super::toolbar::EditToolbar />
            {table}
        </section>
    }
}

fn render_table(
    state: AppState,
    schedule: &Schedule,
    r: &Results,
    converted: bool,
) -> Option<AnyView> {
    state.netting.with(|n| {
                let t = Table::new(state, !converted, schedule, r, n.as_ref());
                let caption = if converted {
                    format!(
                        "{}: every line by year in {}, converted to the {} profile. Published totals are not shown in a converted view; the checks above are of the figures as published.",
                        schedule.title,
                        schedule.unit.label(),
                        schedule.profile.label().to_lowercase()
                    )
                } else {
                    format!(
                        "{}: every line by year in {}, with computed totals and the check of each published figure.",
                        schedule.title,
                        schedule.unit.label()
                    )
                };
                Some(view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Schedule table, scrolls sideways">
                        <table
                            data-testid="schedule-table"
                            on:paste=move |ev| grid::on_paste(state, ev)
                        >
                            <caption>{caption}</caption>
                            {t.head()}
                            {t.bodies()}
                            {t.foot()}
                        </table>
                    </div>
                }.into_any())
            })
}
