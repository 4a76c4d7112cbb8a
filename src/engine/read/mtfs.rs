//! Other tools' files: savings programme files from MTFS modelling tools.
//!
//! This module owns recognising a programme file by its header (`name, description, category,
//! grossValue, deliveryYear, achievementRate, isRecurring, ragStatus, responsibleOfficer, year1
//! … yearN`, in any case, camelCase or spaced or underscored) and turning its rows into a
//! cumulative [`Schedule`] plus, when the file states achievement rates, a [`Scenario`] holding
//! them. It also holds the small hook ([`recognise`], [`OtherTable`]) through which `import`
//! hands rows to another tool's reader (this one, or `monitoring`'s). It does not decode bytes or
//! split records (`import` does), nor read savings schedules as councils publish them.
//!
//! The rules, in the domain's words (docs/domain.md "Profiles", "Monitoring"):
//!
//! - **Years**: `year1 … yearN` are relative. Year 1 is the earliest financial year named in any
//!   line's `deliveryYear` (`2024/25`, `2024-25`, `FY2024/25`, or a bare `2024`, read as the
//!   financial year starting in April 2024); year k is the k-th from it. A file where no line
//!   names a delivery year (`deliveryYear` counted `1` … `5`, or none) counts its years from
//!   one: year 1 is the options' `first_year` (docs/domain.md, "Files that count years from
//!   one"), and without it the file is refused with a message asking for it. The columns must
//!   be `year1` to `yearN` with none missing or repeated.
//! - **Percentages**: a year cell is the share of the gross value delivered by that year,
//!   cumulatively. `40` and `40%` are 40 %. Bare numbers are fractions (`0.4` is 40 %) only when
//!   no year cell of the file is above 1 and none is written with `%`. A file that writes some
//!   cells with `%` and every bare one at 1 or below (is `0.5` a half, or half a percent?) is
//!   ambiguous and refused at the first such cell. The same rule, on its own, reads the
//!   `achievementRate` column. A share below 0 % or above 100 % is a cell problem.
//! - **Amounts**: amount of year k = grossValue × share k, exactly (no rounding: 125,000 × 40 %
//!   is 50,000.00). Amounts keep every decimal the product needs and at least two. An empty
//!   year cell is an empty (zero) cell; `N/A`/`TBC` stay no figure; so does every year of a line
//!   whose gross value is missing or not an amount (reported).
//! - **Profile** cumulative (the shares are "by that year"); sign savings positive; unit `£`
//!   unless the options or a header (`grossValue (£'000)`) say otherwise.
//! - **Line**: recurrence from `isRecurring` (`true`/`false`, `yes`/`no`, `y`/`n`, `1`/`0`,
//!   `recurring`/`one-off`; empty is recurring); RAG from `ragStatus` ([`Rag::parse`]);
//!   `category` is the line's type column, `responsibleOfficer` and the other columns are kept as
//!   text columns as published.
//! - **Achievement rates** are not part of the schedule (the `gapwise-schedule/1` format has no
//!   place for them): they come back as a [`Scenario`] named `Achievement rates from <file>`,
//!   every rating at 100 % and each line with a rate at its own rate, in
//!   [`Imported::scenario`](super::Imported::scenario).
//!
//! Cells that are not what their column holds are reported with row and column and the rest of
//! the file loads, as with any schedule.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::grid::Problems;
use super::grid::{title_from_file_name, unit_in_text, unneutralise, Row};
use super::grid::{ImportOptions, Imported};
use crate::engine::model::error::{Error, ErrorKind, Position};
use crate::engine::model::limits::{MAX_COLUMNS, MAX_YEARS};
use crate::engine::model::number::{
    parse_amount, Amount, NoFigure, NumberError, ParsedAmount, MAX_DECIMALS,
};
use crate::engine::model::rating::Rag;
use crate::engine::model::scenario::{LineAssumption, Scenario};
use crate::engine::model::schedule::{
    ColumnRef, FinancialYear, Line, Profile, Recurrence, Schedule, SignConvention, TextColumn,
    TextField, Unit, YearColumn,
};
use crate::engine::model::table::{CellProblem, ShareSet, TableProblem};
use crate::engine::model::units::to_unit;
use crate::engine::model::years::find_year;

/// How many rows from the top another tool's header is looked for in.
pub(crate) const OTHER_HEADER_ROWS: usize = 10;

/// What a column of a programme file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Name,
    Description,
    Category,
    Gross,
    DeliveryYear,
    Achievement,
    Recurring,
    Rag,
    Officer,
    /// `yearK`, K from 1.
    Year(usize),
    Other,
}

/// A header cell without its bracketed unit, lower case, letters and digits only:
/// `grossValue (£'000)`, `Gross value`, `gross_value` → `grossvalue`.
pub(crate) fn header_key(cell: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in cell.trim_start_matches('\u{feff}').chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 && c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

fn role(cell: &str) -> Role {
    let key = header_key(cell);
    if let Some(k) = key.strip_prefix("year") {
        if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
            return match k.parse::<usize>() {
                Ok(n) if n >= 1 => Role::Year(n),
                _ => Role::Other,
            };
        }
    }
    match key.as_str() {
        "name" | "savingname" | "proposalname" => Role::Name,
        "description" => Role::Description,
        "category" => Role::Category,
        "grossvalue" | "grosssaving" => Role::Gross,
        "deliveryyear" => Role::DeliveryYear,
        "achievementrate" | "achievement" => Role::Achievement,
        "isrecurring" | "recurring" => Role::Recurring,
        "ragstatus" | "rag" | "ragrating" => Role::Rag,
        "responsibleofficer" | "officer" => Role::Officer,
        _ => Role::Other,
    }
}

/// A programme file's header: the first row (of the first 10) with a `grossValue` column and a
/// `year1` column.
pub(crate) fn find_header(rows: &[Row]) -> Option<usize> {
    rows.iter().take(OTHER_HEADER_ROWS).position(|r| {
        let roles: Vec<Role> = r.cells.iter().map(|c| role(c)).collect();
        roles.contains(&Role::Gross) && roles.contains(&Role::Year(1))
    })
}

fn table_error(problem: TableProblem, position: Position) -> Error {
    Error::at(ErrorKind::Table(problem), position)
}

/// A cell of the programme file that is not what its column holds: its text and what is wrong.
fn cell_problem(text: &str, problem: CellProblem, position: Position) -> Error {
    Error::at(
        ErrorKind::Cell {
            text: text.to_string(),
            problem,
        },
        position,
    )
}

/// A share read from a cell: its number and whether it was written with `%`.
#[derive(Clone, Copy, Debug)]
struct Share {
    value: Decimal,
    percent: bool,
}

/// A percentage cell read: its share (none for an empty or `N/A` cell) and what it holds.
type ShareCell = Result<(Option<Share>, Amount), NumberError>;

/// Reads a percentage cell: `40`, `40%`, `0.4`, `N/A`, empty. `Ok(None)` for a cell with no
/// number (empty, `N/A`, `TBC`), with what it holds.
fn read_share(cell: &str) -> ShareCell {
    let t = cell.trim();
    let (t, percent) = match t.strip_suffix('%') {
        Some(rest) => (rest.trim(), true),
        None => (t, false),
    };
    match parse_amount(t)? {
        ParsedAmount {
            amount: Amount::Figure(value),
            magnitude: None,
        } => Ok((Some(Share { value, percent }), Amount::Figure(value))),
        ParsedAmount {
            amount: Amount::Figure(_),
            magnitude: Some(_),
        } => Err(NumberError::NotANumber),
        ParsedAmount {
            amount: Amount::NoFigure(NoFigure::Unreadable),
            ..
        } => Err(NumberError::NotANumber),
        ParsedAmount { amount, .. } => Ok((None, amount)),
    }
}

/// Decides, for one set of cells (every year cell, or the achievement column), whether bare
/// numbers are fractions (`0.4` is 40 %) or percentages (`40`): see the module doc. The error
/// names the first ambiguous cell.
fn fractions(shares: &[(Share, Position)], set: ShareSet) -> Result<bool, Error> {
    let bare = || shares.iter().filter(|(s, _)| !s.percent);
    if bare().any(|(s, _)| s.value > Decimal::ONE) {
        return Ok(false);
    }
    if shares.iter().all(|(s, _)| !s.percent) {
        return Ok(true);
    }
    match bare().find(|(s, _)| s.value > Decimal::ZERO) {
        Some((s, at)) => Err(table_error(
            TableProblem::Ambiguous {
                value: s.value,
                set,
            },
            at.clone(),
        )),
        None => Ok(false),
    }
}

/// A share as a fraction of one, exactly: `40` (percentages) or `40%` is 0.40, `0.4`
/// (fractions) is 0.4.
fn as_fraction(share: Share, fractions: bool) -> Decimal {
    if share.percent || !fractions {
        let mut f = share.value;
        // Dividing by 100 exactly: the same digits, two more places.
        if f.set_scale(share.value.scale() + 2).is_err() {
            return share.value / Decimal::ONE_HUNDRED;
        }
        f
    } else {
        share.value
    }
}

/// `true`, `yes`, `y`, `1`, `recurring` → recurring; `false`, `no`, `n`, `0`, `one-off` → one-off;
/// empty → recurring; anything else `None`.
fn read_recurring(cell: &str) -> Option<Recurrence> {
    match cell.trim().to_lowercase().as_str() {
        "" | "true" | "yes" | "y" | "1" | "recurring" | "t" => Some(Recurrence::Recurring),
        "false" | "no" | "n" | "0" | "one-off" | "one off" | "oneoff" | "f" | "non-recurring" => {
            Some(Recurrence::OneOff)
        }
        _ => None,
    }
}

/// A delivery year: any financial year form a header takes (`2024/25`, `FY2024-25`), or a bare
/// four-digit year, the year the financial year starts in (`2024` is 2024/25).
fn read_delivery_year(cell: &str) -> Option<FinancialYear> {
    let t = cell.trim();
    if let Some(y) = find_year(t) {
        return Some(y);
    }
    let digits = t.strip_prefix("FY").unwrap_or(t).trim();
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let start: i32 = digits.parse().ok()?;
        return (1900..=2199)
            .contains(&start)
            .then_some(FinancialYear { start });
    }
    None
}

/// A delivery year counted from one (`1`, `Year 2`): the plan's k-th year, k from 1 to 99.
fn read_year_number(cell: &str) -> Option<u32> {
    let key = header_key(cell);
    let digits = key.strip_prefix("year").unwrap_or(&key);
    let k: u32 = digits.parse().ok()?;
    (digits.len() <= 2 && (1..=99).contains(&k)).then_some(k)
}

/// Reads a programme file, header at `header_index`, into a cumulative schedule and the
/// scenario of its achievement rates (module doc).
pub(crate) fn build_mtfs(
    rows: Vec<Row>,
    header_index: usize,
    file_name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let header = &rows[header_index];
    let at_header = |c: usize| Position {
        row: header.row,
        line: header.line,
        column: Some(c + 1),
        column_header: Some(header.cells[c].trim().to_string()),
    };
    if header.cells.len() > MAX_COLUMNS {
        return Err(table_error(
            TableProblem::HeaderColumns {
                columns: header.cells.len(),
                limit: MAX_COLUMNS,
            },
            Position {
                row: header.row,
                line: header.line,
                ..Position::default()
            },
        ));
    }

    // Columns: roles, each once; years 1..N, none missing.
    let roles: Vec<Role> = header.cells.iter().map(|c| role(c)).collect();
    let mut seen: Vec<(Role, usize)> = Vec::new();
    for (c, r) in roles.iter().enumerate() {
        if *r == Role::Other {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(s, _)| s == r) {
            return Err(table_error(
                TableProblem::ColumnTwice {
                    header: header.cells[c].trim().to_string(),
                    also: first + 1,
                },
                at_header(c),
            ));
        }
        seen.push((*r, c));
    }
    let column = |want: Role| roles.iter().position(|r| *r == want);
    let year_count = roles.iter().filter(|r| matches!(r, Role::Year(_))).count();
    if year_count > MAX_YEARS {
        return Err(table_error(
            TableProblem::YearColumns {
                count: year_count,
                limit: MAX_YEARS,
            },
            Position {
                row: header.row,
                line: header.line,
                ..Position::default()
            },
        ));
    }
    for (c, r) in roles.iter().enumerate() {
        if let Role::Year(k) = r {
            if *k > year_count {
                return Err(table_error(
                    TableProblem::YearBeyond {
                        header: header.cells[c].trim().to_string(),
                        count: year_count,
                    },
                    at_header(c),
                ));
            }
        }
    }
    let year_columns: Vec<usize> = (1..=year_count)
        .filter_map(|k| column(Role::Year(k)))
        .collect();
    let gross_column = column(Role::Gross).unwrap_or(0);

    let unit_stated =
        options.unit.is_some() || header.cells.iter().any(|c| unit_in_text(c).is_some());
    let unit = options
        .unit
        .or_else(|| unit_in_text(&header.cells[gross_column]))
        .or_else(|| header.cells.iter().find_map(|c| unit_in_text(c)))
        .unwrap_or(Unit::Pounds);

    let title = rows[..header_index]
        .iter()
        .flat_map(|r| r.cells.iter())
        .map(|c| c.trim())
        .find(|c| !c.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| title_from_file_name(file_name));

    let body: Vec<&Row> = rows[header_index + 1..]
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.trim().is_empty()))
        .collect();
    let at = |r: &Row, c: usize| Position {
        row: r.row,
        line: r.line,
        column: Some(c + 1),
        column_header: Some(header.cells[c].trim().to_string()),
    };

    let mut problems = Problems::default();

    // The first year: the earliest delivery year named; else, for a file that counts its
    // years from one (docs/domain.md, "Files that count years from one"), the options' year 1.
    let delivery = column(Role::DeliveryYear);
    let mut first_year: Option<FinancialYear> = None;
    let mut counted: Vec<(&str, Position)> = Vec::new();
    if let Some(dc) = delivery {
        for r in &body {
            let text = cell(r, dc);
            if text.is_empty() {
                continue;
            }
            match read_delivery_year(text) {
                Some(y) => first_year = Some(first_year.map_or(y, |f| f.min(y))),
                None if read_year_number(text).is_some() => counted.push((text, at(r, dc))),
                None => problems.report(cell_problem(text, CellProblem::DeliveryYear, at(r, dc))),
            }
        }
    }
    let mut year_one = None;
    if first_year.is_some() {
        // Years counted from one beside named years: which is year 1 is unclear; reported.
        for (text, position) in counted {
            problems.report(cell_problem(text, CellProblem::DeliveryYear, position));
        }
    } else if let Some(y) = options.first_year {
        first_year = Some(y);
        year_one = Some(y);
    }
    let Some(first_year) = first_year else {
        let (problem, position) = match delivery {
            Some(dc) => (
                TableProblem::NoDeliveryYear { years: year_count },
                at_header(dc),
            ),
            None => (
                TableProblem::NoDeliveryColumn { years: year_count },
                Position {
                    row: header.row,
                    line: header.line,
                    ..Position::default()
                },
            ),
        };
        return Err(table_error(problem, position));
    };

    // Shares: every year cell together, the achievement column on its own.
    let mut year_shares: Vec<(Share, Position)> = Vec::new();
    let mut year_cells: Vec<Vec<ShareCell>> = Vec::new();
    for r in &body {
        let read: Vec<_> = year_columns
            .iter()
            .map(|&c| {
                let read = read_share(cell(r, c));
                if let Ok((Some(s), _)) = &read {
                    year_shares.push((*s, at(r, c)));
                }
                read
            })
            .collect();
        year_cells.push(read);
    }
    let year_fractions = fractions(&year_shares, ShareSet::YearPercentages)?;
    let achievement = column(Role::Achievement);
    let mut rate_cells: Vec<Option<ShareCell>> = Vec::new();
    let mut rate_shares: Vec<(Share, Position)> = Vec::new();
    for r in &body {
        let read = achievement.map(|c| read_share(cell(r, c)));
        if let (Some(Ok((Some(s), _))), Some(c)) = (&read, achievement) {
            rate_shares.push((*s, at(r, c)));
        }
        rate_cells.push(read);
    }
    let rate_fractions = fractions(&rate_shares, ShareSet::AchievementRates)?;

    // Text columns: every column but the years, in file order.
    let mut text_columns: Vec<TextColumn> = Vec::new();
    let mut layout: Vec<ColumnRef> = Vec::new();
    let mut text_of_column: Vec<Option<usize>> = Vec::new();
    for (c, r) in roles.iter().enumerate() {
        if let Role::Year(k) = r {
            layout.push(ColumnRef::Year(k - 1));
            text_of_column.push(None);
            continue;
        }
        let h = header.cells[c].trim().to_string();
        if h.is_empty() && body.iter().all(|row| cell(row, c).is_empty()) {
            text_of_column.push(None);
            continue;
        }
        let field = match r {
            Role::Name => TextField::Name,
            Role::Description => TextField::Description,
            Role::Category => TextField::Type,
            Role::Rag => TextField::Rag,
            Role::Other => TextField::from_header(&h),
            _ => TextField::Other,
        };
        text_columns.push(TextColumn { header: h, field });
        layout.push(ColumnRef::Text(text_columns.len() - 1));
        text_of_column.push(Some(text_columns.len() - 1));
    }
    if !text_columns.iter().any(|t| {
        matches!(
            t.field,
            TextField::Name | TextField::Description | TextField::Reference
        )
    }) {
        if let Some(first) = text_columns.first_mut() {
            first.field = TextField::Name;
        }
    }
    let years: Vec<YearColumn> = year_columns
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let year = FinancialYear {
                start: first_year.start + k as i32,
            };
            YearColumn {
                header: format!("{} ({})", year.label(), header.cells[c].trim()),
                year,
            }
        })
        .collect();

    let mut lines = Vec::with_capacity(body.len());
    let mut rates: BTreeMap<usize, LineAssumption> = BTreeMap::new();
    let mut max_scale = 2u32;
    for (i, r) in body.iter().enumerate() {
        let extra = r
            .cells
            .iter()
            .skip(header.cells.len())
            .filter(|c| !c.trim().is_empty())
            .count();
        problems.extra_cells(r, extra);
        let mut text = vec![String::new(); text_columns.len()];
        for (c, t) in text_of_column.iter().enumerate() {
            if let Some(t) = t {
                text[*t] = unneutralise(cell(r, c));
            }
        }

        // The gross value, in the schedule's unit.
        let gross_text = cell(r, gross_column);
        let gross: Amount = match parse_amount(gross_text) {
            Ok(ParsedAmount {
                amount: Amount::Figure(d),
                magnitude,
            }) => Amount::Figure(to_unit(d, magnitude, unit)),
            Ok(ParsedAmount {
                amount: Amount::Blank,
                ..
            }) => {
                problems.report(cell_problem(
                    gross_text,
                    CellProblem::NoGross,
                    at(r, gross_column),
                ));
                Amount::NoFigure(NoFigure::Unreadable)
            }
            Ok(ParsedAmount {
                amount: Amount::NoFigure(NoFigure::Unreadable),
                ..
            }) => {
                problems.report(Error::at(
                    ErrorKind::Amount {
                        text: gross_text.to_string(),
                        reason: NumberError::NotANumber,
                    },
                    at(r, gross_column),
                ));
                Amount::NoFigure(NoFigure::Unreadable)
            }
            Ok(ParsedAmount { amount, .. }) => amount,
            Err(reason) => {
                problems.report(Error::at(
                    ErrorKind::Amount {
                        text: gross_text.to_string(),
                        reason,
                    },
                    at(r, gross_column),
                ));
                Amount::NoFigure(NoFigure::Unreadable)
            }
        };

        let mut amounts = Vec::with_capacity(year_columns.len());
        for (k, read) in year_cells[i].iter().enumerate() {
            let c = year_columns[k];
            let amount = match read {
                Err(reason) => {
                    problems.report(Error::at(
                        ErrorKind::Amount {
                            text: cell(r, c).to_string(),
                            reason: reason.clone(),
                        },
                        at(r, c),
                    ));
                    Amount::NoFigure(NoFigure::Unreadable)
                }
                Ok((None, written)) => written.clone(),
                Ok((Some(share), _)) => {
                    let f = as_fraction(*share, year_fractions);
                    if f < Decimal::ZERO || f > Decimal::ONE {
                        problems.report(cell_problem(
                            cell(r, c),
                            CellProblem::Percentage,
                            at(r, c),
                        ));
                        Amount::NoFigure(NoFigure::Unreadable)
                    } else {
                        match &gross {
                            Amount::Figure(g) => match product(*g, f) {
                                Some(p) => {
                                    max_scale = max_scale.max(p.scale());
                                    Amount::Figure(p)
                                }
                                None => {
                                    problems.report(cell_problem(
                                        cell(r, c),
                                        CellProblem::Places {
                                            limit: MAX_DECIMALS,
                                        },
                                        at(r, c),
                                    ));
                                    Amount::NoFigure(NoFigure::Unreadable)
                                }
                            },
                            other => other.clone(),
                        }
                    }
                }
            };
            amounts.push(amount);
        }

        let recurrence = match column(Role::Recurring) {
            Some(c) => read_recurring(cell(r, c)).unwrap_or_else(|| {
                problems.report(cell_problem(cell(r, c), CellProblem::Recurring, at(r, c)));
                Recurrence::Recurring
            }),
            None => Recurrence::Recurring,
        };
        let rag = column(Role::Rag).and_then(|c| {
            let t = cell(r, c);
            let rag = Rag::parse(t);
            if rag.is_none() && !t.is_empty() {
                problems.report(cell_problem(t, CellProblem::Rag, at(r, c)));
            }
            rag
        });
        if let (Some(read), Some(c)) = (&rate_cells[i], achievement) {
            match read {
                Ok((Some(share), _)) => {
                    let f = as_fraction(*share, rate_fractions);
                    if f < Decimal::ZERO || f > Decimal::ONE {
                        problems.report(cell_problem(cell(r, c), CellProblem::Rate, at(r, c)));
                    } else {
                        rates.insert(
                            r.row,
                            LineAssumption {
                                rate: Some(f),
                                ..LineAssumption::default()
                            },
                        );
                    }
                }
                Ok((None, _)) => {}
                Err(reason) => problems.report(Error::at(
                    ErrorKind::Amount {
                        text: cell(r, c).to_string(),
                        reason: reason.clone(),
                    },
                    at(r, c),
                )),
            }
        }
        lines.push(Line {
            row: r.row,
            section: None,
            text,
            amounts,
            total: None,
            recurrence,
            memo: false,
            rag,
        });
    }

    let schedule = Schedule {
        title,
        unit,
        years,
        text_columns,
        total_header: None,
        layout,
        sections: Vec::new(),
        lines,
        total_rows: Vec::new(),
        decimals: max_scale.min(MAX_DECIMALS),
        sign: SignConvention::SavingsPositive,
        profile: Profile::Cumulative,
    };
    let scenario = (!rates.is_empty()).then(|| {
        let mut s = Scenario::baseline();
        s.name = format!("Achievement rates from {file_name}");
        s.lines = rates;
        s
    });
    Ok(Imported {
        scenario,
        year_one,
        ..Imported::read(schedule, problems, unit_stated)
    })
}

/// A cell of a row, trimmed; `""` past its end.
fn cell(r: &Row, c: usize) -> &str {
    r.cells.get(c).map(|s| s.trim()).unwrap_or("")
}

/// gross × share, exact, written with the fewest decimals that hold it and at least two;
/// `None` when that is more than [`MAX_DECIMALS`].
fn product(gross: Decimal, share: Decimal) -> Option<Decimal> {
    let mut p = gross.checked_mul(share)?.normalize();
    if p.scale() > MAX_DECIMALS {
        return None;
    }
    if p.scale() < 2 {
        p.rescale(2);
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::read::import;
    use std::str::FromStr;

    const HEAD: &str = "name,description,category,grossValue,deliveryYear,achievementRate,\
                        isRecurring,ragStatus,responsibleOfficer,year1,year2,year3\n";

    fn imp(text: &str) -> Result<Imported, Error> {
        import(text.as_bytes(), "prog.csv", &ImportOptions::default())
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn header_keys_and_roles() {
        assert_eq!(header_key("grossValue (£'000)"), "grossvalue");
        assert_eq!(header_key("Gross value"), "grossvalue");
        assert_eq!(header_key("GROSS_VALUE"), "grossvalue");
        assert_eq!(role("Year 2"), Role::Year(2));
        assert_eq!(role("year_10"), Role::Year(10));
        assert_eq!(role("year0"), Role::Other);
        assert_eq!(role("Is Recurring"), Role::Recurring);
        assert_eq!(role("2024/25"), Role::Other);
        assert_eq!(unit_in_text("grossValue (£'000)"), Some(Unit::Thousands));
    }

    #[test]
    fn shares_and_years() {
        assert_eq!(
            read_delivery_year("2024/25"),
            Some(FinancialYear { start: 2024 })
        );
        assert_eq!(
            read_delivery_year("2024"),
            Some(FinancialYear { start: 2024 })
        );
        assert_eq!(
            read_delivery_year("FY2025-26"),
            Some(FinancialYear { start: 2025 })
        );
        assert_eq!(read_delivery_year("soon"), None);
        let s = |v: &str, percent| Share {
            value: d(v),
            percent,
        };
        assert_eq!(as_fraction(s("40", false), false), d("0.40"));
        assert_eq!(as_fraction(s("40", true), false), d("0.40"));
        assert_eq!(as_fraction(s("0.4", false), true), d("0.4"));
        assert_eq!(product(d("125000"), d("0.40")), Some(d("50000.00")));
        assert_eq!(product(d("1000"), d("0.333")), Some(d("333.00")));
    }

    #[test]
    fn reads_a_small_programme() {
        let text = format!(
            "{HEAD}A,,Efficiency,125000,2024/25,90%,true,Green,Jo,40,80%,100\n\
             B,,Income,\"£10,000\",2025/26,50,no,amber,Sam,0,50,100\n"
        );
        let i = imp(&text).unwrap();
        assert!(i.problems.is_empty(), "{:?}", i.problems);
        let s = &i.schedule;
        assert_eq!(s.profile, Profile::Cumulative);
        assert_eq!(s.years[0].year.label(), "2024/25");
        assert_eq!(s.years[0].header, "2024/25 (year1)");
        assert_eq!(s.lines[0].amounts[0], Amount::Figure(d("50000.00")));
        assert_eq!(s.lines[0].amounts[1], Amount::Figure(d("100000.00")));
        assert_eq!(s.lines[1].amounts[1], Amount::Figure(d("5000.00")));
        assert_eq!(s.lines[1].recurrence, Recurrence::OneOff);
        assert_eq!(s.lines[0].rag, Some(Rag::Green));
        let sc = i.scenario.unwrap();
        assert_eq!(sc.lines[&2].rate, Some(d("0.90")));
        assert_eq!(sc.lines[&3].rate, Some(d("0.50")));
        assert!(crate::engine::model::canonical::validate(s).is_ok());
    }

    #[test]
    fn refusals_name_row_and_column() {
        let e = imp(&format!("{HEAD}A,,,100,,,,,,10,20,30\n")).unwrap_err();
        assert!(matches!(e.kind(), ErrorKind::Table { .. }));
        assert!(e.to_string().contains("deliveryYear"), "{e}");

        let e = imp(&format!("{HEAD}A,,,100,2024,,,,,10%,0.5,1\n")).unwrap_err();
        let p = e.position().unwrap();
        assert_eq!((p.row, p.column), (2, Some(11)));
        assert!(e.to_string().contains("ambiguous"), "{e}");

        let i = imp(&format!("{HEAD}A,,,100,2024,,maybe,Blue,,10,120,x\n")).unwrap();
        let at: Vec<(usize, Option<usize>)> = i
            .problems
            .iter()
            .map(|p| (p.position().unwrap().row, p.position().unwrap().column))
            .collect();
        assert_eq!(
            at,
            [(2, Some(11)), (2, Some(12)), (2, Some(7)), (2, Some(8))]
        );
    }

    #[test]
    fn refusals_and_cell_problems_carry_their_kinds_and_fields() {
        let e = imp(&format!("{HEAD}A,,,100,,,,,,10,20,30\n")).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::Table(TableProblem::NoDeliveryYear { years: 3 })
        );
        let e = imp(&format!("{HEAD}A,,,100,2024,,,,,10%,0.5,1\n")).unwrap_err();
        assert_eq!(
            e.kind(),
            &ErrorKind::Table(TableProblem::Ambiguous {
                value: d("0.5"),
                set: ShareSet::YearPercentages
            })
        );
        let i = imp(&format!("{HEAD}A,,,100,2024,,maybe,Blue,,10,120,x\n")).unwrap();
        let kinds: Vec<&ErrorKind> = i.problems.iter().map(|p| p.kind()).collect();
        assert_eq!(
            kinds[0],
            &ErrorKind::Cell {
                text: "120".into(),
                problem: CellProblem::Percentage
            }
        );
        assert_eq!(
            kinds[2],
            &ErrorKind::Cell {
                text: "maybe".into(),
                problem: CellProblem::Recurring
            }
        );
        assert_eq!(
            i.problems[3].to_string(),
            "prog.csv, row 2, column ragStatus: `Blue` is not a RAG rating (red, amber, green); the line is \
             unrated"
        );
    }

    #[test]
    fn fractions_when_no_cell_is_over_one() {
        let i = imp(&format!("{HEAD}A,,,200,2024,0.9,1,,,0.25,0.5,1\n")).unwrap();
        let a = &i.schedule.lines[0].amounts;
        assert_eq!(a[0], Amount::Figure(d("50.00")));
        assert_eq!(a[2], Amount::Figure(d("200.00")));
        assert_eq!(i.scenario.unwrap().lines[&2].rate, Some(d("0.9")));
    }
}
