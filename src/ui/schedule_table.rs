//! The schedule as a table, grouped by section: every line with its computed total and check,
//! each section's subtotal (the published row, checked, or a computed one), the published total
//! rows, and the computed grand total.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::engine::{
    format_amount, format_cell, scope_totals, Amount, Check, CheckColumn, CheckStatus, Results,
    RowTotals, Schedule, Subject, Sum, TextField, TotalScope,
};

use super::app::AppState;
use super::checks_panel::{status_badge, status_class};

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

struct Table<'a> {
    s: &'a Schedule,
    r: &'a Results,
    checks: CheckIndex<'a>,
    fields: Vec<(TextField, String)>,
    d: u32,
}

impl<'a> Table<'a> {
    fn new(s: &'a Schedule, r: &'a Results) -> Table<'a> {
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
        Table {
            s,
            r,
            checks,
            fields,
            d: s.decimals,
        }
    }

    /// Columns before the years: the shown text fields and the line.
    fn label_span(&self) -> usize {
        self.fields.len() + 1
    }

    fn width(&self) -> usize {
        self.label_span() + self.s.years.len() + 2 + usize::from(self.s.total_header.is_some())
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
        let fields = self
            .fields
            .iter()
            .map(|(f, _)| view! { <td class="text">{self.s.text(line, *f).to_string()}</td> })
            .collect_view();
        let amounts = line
            .amounts
            .iter()
            .map(|a| {
                let class = if matches!(a, Amount::NoFigure(_)) {
                    "num no-figure"
                } else {
                    "num"
                };
                view! { <td class=class>{format_cell(a, self.d)}</td> }
            })
            .collect_view();
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
                </th>
                {amounts}
                {sum_cell(&self.r.totals.lines[i], self.d, None)}
                {published}
                {badge(status)}
            </tr>
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
    move || {
        state.loaded.with(|l| {
            let l = l.as_ref()?;
            state.results.with(|r| {
                let r = r.as_ref()?;
                let t = Table::new(&l.schedule, r);
                let caption = format!(
                    "{}: every line by year in {}, with computed totals and the check of each published figure.",
                    l.schedule.title,
                    l.schedule.unit.label()
                );
                Some(view! {
                    <section class="schedule" aria-labelledby="table-heading">
                        <h2 id="table-heading">"Schedule"</h2>
                        <div class="table-scroll" tabindex="0" role="region" aria-label="Schedule table, scrolls sideways">
                            <table data-testid="schedule-table">
                                <caption>{caption}</caption>
                                {t.head()}
                                {t.bodies()}
                                {t.foot()}
                            </table>
                        </div>
                    </section>
                })
            })
        })
    }
}
