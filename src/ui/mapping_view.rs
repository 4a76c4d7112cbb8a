//! The column-mapping step: when detection is unsure of a file (no year columns, a year twice,
//! no column naming the lines), or when the user asks, the page shows how each column of the
//! header would be read, lets the user change any of them and the unit, sign convention and
//! profile, previews the first rows, and reads the file that way. A mapping that reads is
//! remembered in this browser for files with the same header (`gapwise-mapping:` + the engine's
//! `header_key`), so the next such file is read the same way without asking.

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::{
    column_letters, find_year, header_key, ColumnMapping, ColumnRole, ImportOptions,
    MappingProposal, Measure, Profile, SignConvention, TextField, Unit,
};

use super::settings::{profile_from_key, profile_key, sign_key};
use super::state::AppState;

/// Where a mapping is remembered, per header.
const MAPPING_KEY_PREFIX: &str = "gapwise-mapping:";

/// A file waiting for its columns to be confirmed.
#[derive(Clone, Debug)]
pub struct MappingStep {
    pub file_name: String,
    pub bytes: Arc<Vec<u8>>,
    pub proposal: MappingProposal,
}

/// Every mapping remembered in this browser, by header key (for `engine::run_import`).
pub fn all_remembered() -> Vec<(String, ColumnMapping)> {
    let Some(storage) = super::saved::local_storage() else {
        return Vec::new();
    };
    let n = storage.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|k| {
            let key = k.strip_prefix(MAPPING_KEY_PREFIX)?.to_string();
            let text = storage.get_item(&k).ok()??;
            Some((key, serde_json::from_str(&text).ok()?))
        })
        .collect()
}

fn remember(proposal: &MappingProposal, mapping: &ColumnMapping) {
    let key = format!("{MAPPING_KEY_PREFIX}{}", header_key(proposal));
    if let (Ok(text), Some(storage)) = (
        serde_json::to_string(mapping),
        super::saved::local_storage(),
    ) {
        let _ = storage.set_item(&key, &text);
    }
}

/// The roles a column can be given, as (key, label).
const ROLES: [(&str, &str); 11] = [
    ("ignored", "Not used"),
    ("text:reference", "Reference"),
    ("text:name", "Name of the line"),
    ("text:description", "Description"),
    ("text:source", "Source of the saving"),
    ("text:service", "Service or section"),
    ("text:type", "Type or measure"),
    ("text:rag", "RAG rating"),
    ("text:other", "Other text"),
    ("year", "Amounts of a year"),
    ("total", "Published total"),
];

fn role_key(role: &ColumnRole) -> String {
    match role {
        ColumnRole::Ignored => "ignored".into(),
        ColumnRole::Text { field } => format!("text:{}", field_key(*field)),
        ColumnRole::Year { .. } => "year".into(),
        ColumnRole::Total => "total".into(),
    }
}

fn field_key(field: TextField) -> &'static str {
    match field {
        TextField::Reference => "reference",
        TextField::Name => "name",
        TextField::Description => "description",
        TextField::Source => "source",
        TextField::Service => "service",
        TextField::Type => "type",
        TextField::Rag => "rag",
        _ => "other",
    }
}

fn field_from_key(key: &str) -> TextField {
    match key {
        "reference" => TextField::Reference,
        "name" => TextField::Name,
        "description" => TextField::Description,
        "source" => TextField::Source,
        "service" => TextField::Service,
        "type" => TextField::Type,
        "rag" => TextField::Rag,
        _ => TextField::Other,
    }
}

/// The measures a year or total column can carry (domain.md "Measures beside years"), as
/// (key, measure); the key is the measure's name in a saved mapping.
const MEASURES: [(&str, Measure); 5] = [
    ("benefit", Measure::Benefit),
    ("gross_saving", Measure::GrossSaving),
    ("cost", Measure::Cost),
    ("investment", Measure::Investment),
    ("net", Measure::Net),
];

fn measure_key(measure: Option<Measure>) -> &'static str {
    MEASURES
        .iter()
        .find(|(_, m)| Some(*m) == measure)
        .map_or("", |(k, _)| k)
}

const UNITS: [Unit; 3] = [Unit::Pounds, Unit::Thousands, Unit::Millions];

/// The mapping step, when a file is waiting for it.
#[component]
pub fn MappingStepView() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state
            .import
            .mapping_step
            .get()
            .map(|step| view! { <MappingForm step=step /> })
    }
}

#[component]
fn MappingForm(step: MappingStep) -> impl IntoView {
    let state = expect_context::<AppState>();
    let proposal = step.proposal.clone();
    let mapping = RwSignal::new(proposal.mapping.clone());
    // The year typed for each column (by position in the mapping), kept as text until read.
    let years: Vec<RwSignal<String>> = proposal
        .mapping
        .columns
        .iter()
        .map(|c| {
            RwSignal::new(match c.role {
                ColumnRole::Year { year } => year.label(),
                _ => String::new(),
            })
        })
        .collect();
    let message = RwSignal::new(None::<String>);
    let doubts = proposal
        .doubts
        .iter()
        .map(|d| view! { <li>{d.to_string()}</li> })
        .collect_view();
    let rows = proposal
        .mapping
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let year_text = years[k];
            let letter = column_letters(c.index + 1);
            let header = c.header.clone();
            let id = format!("map-role-{k}");
            let year_id = format!("map-year-{k}");
            let measure_id = format!("map-measure-{k}");
            let current_measure = measure_key(c.measure);
            let measure_options = std::iter::once(("", "One figure per year"))
                .chain(MEASURES.iter().map(|(key, m)| (*key, m.label())))
                .map(|(key, label)| view! { <option value=key selected=key == current_measure>{label}</option> })
                .collect_view();
            let on_measure = move |ev: leptos::ev::Event| {
                let key = event_target_value(&ev);
                mapping.update(|m| {
                    m.columns[k].measure =
                        MEASURES.iter().find(|(x, _)| *x == key).map(|(_, m)| *m);
                });
            };
            let current = role_key(&c.role);
            let options = ROLES
                .iter()
                .map(|(key, label)| view! { <option value=*key selected=*key == current>{*label}</option> })
                .collect_view();
            let on_role = move |ev: leptos::ev::Event| {
                let key = event_target_value(&ev);
                mapping.update(|m| {
                    let col = &mut m.columns[k];
                    col.role = match key.as_str() {
                        "ignored" => ColumnRole::Ignored,
                        "total" => ColumnRole::Total,
                        "year" => {
                            // A year the header names, else the one typed, else next year.
                            let year = find_year(&col.header)
                                .or_else(|| find_year(&year_text.get_untracked()))
                                .unwrap_or(crate::engine::FinancialYear { start: 2024 });
                            year_text.set(year.label());
                            ColumnRole::Year { year }
                        }
                        other => ColumnRole::Text {
                            field: field_from_key(other.trim_start_matches("text:")),
                        },
                    };
                });
            };
            let on_year = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev);
                year_text.set(text.clone());
                match find_year(&text) {
                    Some(year) => {
                        message.set(None);
                        mapping.update(|m| m.columns[k].role = ColumnRole::Year { year });
                    }
                    None => message.set(Some(format!(
                        "`{}` is not a financial year; write it as 2024/25.",
                        text.chars().take(40).collect::<String>()
                    ))),
                }
            };
            let is_year = move || mapping.with(|m| matches!(m.columns[k].role, ColumnRole::Year { .. }));
            let has_measure = move || {
                mapping.with(|m| matches!(m.columns[k].role, ColumnRole::Year { .. } | ColumnRole::Total))
            };
            view! {
                <tr data-testid="map-column">
                    <th scope="row">{letter}</th>
                    <td>{header.clone()}</td>
                    <td>
                        <label class="visually-hidden" for=id.clone()>{format!("Read column {} as", header)}</label>
                        <select id=id data-testid="map-role" on:change=on_role>{options}</select>
                    </td>
                    <td>
                        <Show when=is_year>
                            <label class="visually-hidden" for=year_id.clone()>"Financial year"</label>
                            <input id=year_id.clone() type="text" class="year-input" data-testid="map-year" prop:value=move || year_text.get() on:change=on_year />
                        </Show>
                    </td>
                    <td>
                        <Show when=has_measure>
                            <label class="visually-hidden" for=measure_id.clone()>{format!("Measure of column {}", header)}</label>
                            <select id=measure_id.clone() data-testid="map-measure" on:change=on_measure.clone()>{measure_options.clone()}</select>
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let preview_rows = proposal
        .preview
        .iter()
        .map(|r| {
            let cells = r
                .cells
                .iter()
                .map(|c| view! { <td>{c.clone()}</td> })
                .collect_view();
            view! { <tr><th scope="row">{r.row}</th>{cells}</tr> }
        })
        .collect_view();
    let preview_head = proposal
        .mapping
        .columns
        .iter()
        .map(|c| view! { <th scope="col">{c.header.clone()}</th> })
        .collect_view();
    let unit_options = {
        let detected = proposal.unit;
        let mut v = vec![view! { <option value="" selected=true>{format!("As the file says ({})", detected.label())}</option> }.into_any()];
        v.extend(
            UNITS
                .iter()
                .map(|u| view! { <option value=u.label()>{u.label()}</option> }.into_any()),
        );
        v
    };
    let sign_options = {
        let mut v = vec![view! { <option value="" selected=true>{format!("As detected ({})", proposal.sign.label())}</option> }.into_any()];
        v.extend(
            SignConvention::ALL
                .iter()
                .map(|s| view! { <option value=sign_key(*s)>{s.label()}</option> }.into_any()),
        );
        v
    };
    let profile_options = {
        let mut v = vec![view! { <option value="" selected=true>{format!("As detected ({})", proposal.profile.label())}</option> }.into_any()];
        v.extend(
            [Profile::Incremental, Profile::Cumulative]
                .iter()
                .map(|p| view! { <option value=profile_key(*p)>{p.label()}</option> }.into_any()),
        );
        v
    };
    let on_unit = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        mapping.update(|m| m.unit = UNITS.iter().copied().find(|u| u.label() == key));
    };
    let on_sign = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        mapping.update(|m| {
            m.sign = SignConvention::ALL
                .into_iter()
                .find(|s| sign_key(*s) == key)
        });
    };
    let on_profile = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        mapping.update(|m| m.profile = profile_from_key(&key));
    };
    let file_name = step.file_name.clone();
    let bytes = step.bytes.clone();
    let read = move |_| {
        let m = mapping.get_untracked();
        let options = ImportOptions {
            mapping: Some(m.clone()),
            ..ImportOptions::default()
        };
        match state.load_mapped(&file_name, &bytes, &options) {
            Ok(()) => {
                remember(&proposal, &m);
                state.import.mapping_step.set(None);
                state.status.set(Some(format!(
                    "{file_name} was read with your columns; files with the same header will be read this way."
                )));
            }
            Err(e) => message.set(Some(e)),
        }
    };
    let title = format!("How should {} be read?", step.file_name);
    view! {
        <section class="mapping-step" aria-labelledby="mapping-heading" data-testid="mapping-step">
            <h2 id="mapping-heading">{title}</h2>
            <ul class="finding-list" data-testid="map-doubts">{doubts}</ul>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Columns of the file">
                <table data-testid="map-columns">
                    <caption>"Each column of the header row and how it is read. The schedule on screen stays until the file is read."</caption>
                    <thead><tr><th scope="col">"Column"</th><th scope="col">"Header"</th><th scope="col">"Read as"</th><th scope="col">"Year"</th><th scope="col">"Measure"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="settings-grid">
                <div class="field">
                    <label for="map-unit">"Unit of the amounts"</label>
                    <select id="map-unit" data-testid="map-unit" on:change=on_unit>{unit_options}</select>
                </div>
                <div class="field">
                    <label for="map-sign">"Signs"</label>
                    <select id="map-sign" data-testid="map-sign" on:change=on_sign>{sign_options}</select>
                </div>
                <div class="field">
                    <label for="map-profile">"Year figures are"</label>
                    <select id="map-profile" data-testid="map-profile" on:change=on_profile>{profile_options}</select>
                </div>
            </div>
            <div class="table-scroll" tabindex="0" role="region" aria-label="The first rows of the file">
                <table data-testid="map-preview">
                    <caption>"The first rows under the header, as written in the file."</caption>
                    <thead><tr><th scope="col">"Row"</th>{preview_head}</tr></thead>
                    <tbody>{preview_rows}</tbody>
                </table>
            </div>
            {move || message.get().map(|m| view! { <p class="alert" role="alert" data-testid="map-message">{m}</p> })}
            <div class="button-row">
                <button type="button" class="button primary" data-testid="map-read" on:click=read>"Read the file this way"</button>
                <button type="button" class="button" data-testid="map-cancel" on:click=move |_| state.import.mapping_step.set(None)>"Cancel"</button>
            </div>
        </section>
    }
}
