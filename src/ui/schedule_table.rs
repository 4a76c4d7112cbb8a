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

use leptos::html;
use leptos::prelude::*;

use crate::engine::{
    format_amount, CheckStatus, Rag, Results, Schedule, Sum, TextField, TotalScope,
};

use super::grid;
use super::scroll_hint::scroll_hint;
use super::state::AppState;

mod rows;
use rows::{draw_row, line_notes, Describe, Notes};

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
    fn new(s: &Schedule, converted: bool, read_only: bool, prices: Option<String>) -> Head {
        let fields = SHOWN_FIELDS
            .iter()
            .filter_map(|f| {
                s.column_of(*f)
                    .map(|i| (*f, s.text_columns[i].header.clone()))
            })
            .collect();
        let caption = if let (true, Some(prices)) = (converted, &prices) {
            format!(
                "{}: every line by year in {}, {prices} (real terms), {} profile. Published totals are not shown in real terms; the checks above are of the cash figures as published.",
                s.title,
                s.unit.label(),
                s.profile.label().to_lowercase()
            )
        } else if converted {
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

    /// Every column: the line (the row labels, kept in view when the table scrolls sideways),
    /// the years, the computed total, the published one, the check, then the shown text fields
    /// and the edit controls.
    fn width(&self) -> usize {
        1 + self.fields.len()
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
    view! {
        <section class="schedule" aria-labelledby="table-heading">
            <h2 id="table-heading">"Schedule"</h2>
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
            state.derived.gap_judged.with(|j| {
                let f = &j.as_ref()?.figures;
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
        let read_only = state.read_only();
        let prices = state.price_basis();
        with_shown(state, |s, _, converted| {
            Head::new(s, converted, read_only, prices)
        })
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
    // The table's width can change with its rows (a longer figure, a new line): the region
    // says again whether there is more to either side once they are drawn.
    Effect::new(move |_| {
        visible.track();
        foot.track();
        request_animation_frame(move || {
            if let Some(el) = scroller.get_untracked() {
                super::scroll_hint::update(&el);
            }
        });
    });
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
                .map(|y| view! { <th scope="col" class="num" data-testid="year-heading">{y.clone()}</th> })
                .collect_view();
            let published = h
                .total_header
                .as_ref()
                .map(|t| view! { <th scope="col" class="num">{format!("{t} (published)")}</th> });
            view! {
                <tr>
                    <th scope="col">"Line"</th>
                    {years}
                    <th scope="col" class="num">"Total (computed)"</th>
                    {published}
                    <th scope="col">"Check"</th>
                    {fields}
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
                    <col class="col-label" />
                    {years}
                    <col class="col-num" />
                    {published}
                    <col class="col-check" />
                    {fields}
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
            <div class="table-frame">
            <div
                class="table-scroll sticky-first"
                class:virtual=move || windowed.get()
                data-row-px=ROW_PX
                tabindex="0"
                role="region"
                aria-label="Schedule table, scrolls sideways"
                node_ref=scroller
                use:scroll_hint
                on:scroll=move |ev| {
                    measure();
                    super::scroll_hint::on_scroll(ev);
                }
            >
                <table
                    data-testid="schedule-table"
                    on:paste=move |ev| grid::on_paste(state, ev)
                >
                    <caption><span>{h.caption.clone()}</span></caption>
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
            </div>
        }
        .into_any()
    }
}
