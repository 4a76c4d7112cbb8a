//! How to read the schedule: what its figures mean (profile, sign convention) and in which
//! profile to show them. The first two are part of the schedule (kept in the JSON export); the
//! third only changes the table. They sit in a disclosure, closed at first, whose summary says
//! what is chosen.

use leptos::prelude::*;

use crate::engine::{Profile, SignConvention};

use super::state::AppState;

pub(super) fn profile_key(p: Profile) -> &'static str {
    match p {
        Profile::Incremental => "incremental",
        Profile::Cumulative => "cumulative",
    }
}

pub(super) fn profile_from_key(k: &str) -> Option<Profile> {
    match k {
        "incremental" => Some(Profile::Incremental),
        "cumulative" => Some(Profile::Cumulative),
        _ => None,
    }
}

pub(super) fn sign_key(s: SignConvention) -> &'static str {
    match s {
        SignConvention::SavingsPositive => "savings-positive",
        SignConvention::CostsPositive => "costs-positive",
        SignConvention::BenefitsPositive => "benefits-positive",
    }
}

#[component]
pub fn Settings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let own_profile = move || {
        state
            .loaded
            .with(|l| l.as_ref().map(|l| l.schedule.profile))
    };
    let sign = move || state.loaded.with(|l| l.as_ref().map(|l| l.schedule.sign));

    let on_profile = move |ev: leptos::ev::Event| {
        if let Some(p) = profile_from_key(&event_target_value(&ev)) {
            state.edit(|s| s.profile = p);
        }
    };
    let on_sign = move |ev: leptos::ev::Event| {
        let key = event_target_value(&ev);
        if let Some(c) = SignConvention::ALL
            .into_iter()
            .find(|c| sign_key(*c) == key)
        {
            state.edit(|s| s.sign = c);
        }
    };
    let on_shown = move |ev: leptos::ev::Event| {
        state
            .shown_profile
            .set(profile_from_key(&event_target_value(&ev)));
    };
    let profile_options = move |selected: Option<Profile>| {
        [Profile::Incremental, Profile::Cumulative]
            .into_iter()
            .map(|p| {
                view! { <option value=profile_key(p) selected=selected == Some(p)>{p.label()}</option> }
            })
            .collect_view()
    };

    // What is chosen, in the disclosure's summary: seen without opening it.
    let chosen = move || {
        let shown = match state.shown_profile.get() {
            None => "shown as published".to_string(),
            Some(p) => format!("shown converted to {}", p.label().to_lowercase()),
        };
        let prices = match (state.price_basis(), state.prices.with(Option::is_some)) {
            (Some(basis), _) => format!("real terms, {basis}"),
            (None, true) => "cash (the price index lacks a year of this schedule)".to_string(),
            (None, false) => "cash".to_string(),
        };
        match (own_profile(), sign()) {
            (Some(p), Some(c)) => format!("{} · {} · {shown} · {prices}", p.label(), c.label()),
            _ => format!("{shown} · {prices}"),
        }
    };

    view! {
        <details class="settings" data-testid="settings">
            <summary>
                <h2 id="settings-heading">"How to read the figures"</h2>
                <span class="settings-chosen" data-testid="settings-chosen">{chosen}</span>
            </summary>
            <div class="settings-grid">
                <div class="field">
                    <label for="own-profile">"The file's year figures are"</label>
                    <select id="own-profile" data-testid="own-profile" on:change=on_profile>
                        {move || profile_options(own_profile())}
                    </select>
                </div>
                <div class="field">
                    <label for="sign">"The file's signs"</label>
                    <select id="sign" data-testid="sign-convention" on:change=on_sign>
                        {move || {
                            let current = sign();
                            SignConvention::ALL
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <option value=sign_key(c) selected=current == Some(c)>
                                            {c.label()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="shown-profile">"Show the schedule"</label>
                    <select id="shown-profile" data-testid="shown-profile" on:change=on_shown>
                        <option value="published" selected=move || state.shown_profile.get().is_none()>
                            "As published"
                        </option>
                        {move || {
                            let shown = state.shown_profile.get();
                            [Profile::Incremental, Profile::Cumulative]
                                .into_iter()
                                .map(|p| {
                                    view! {
                                        <option value=profile_key(p) selected=shown == Some(p)>
                                            {format!("Converted to {}", p.label().to_lowercase())}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            </div>
            <p class="hint">
                "Gapwise computes with savings positive and shows every figure in the file's own signs. Converting between profiles is exact; one-off savings count only in their year. Checks are always of the figures as published."
            </p>
            <super::prices::PricesSettings />
        </details>
    }
}
