//! The dashboard's view state in the URL, in Grafana's form
//! (`?from=now-6h&to=now&var-gpu=0&var-gpu=1&refresh=30s&timezone=utc`): every change is a
//! history entry (so back/forward work and a copied URL reopens the same view), and arriving at
//! a URL — or going back to one — sets the state from it.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use sightline_core::model::refresh::Refresh;
use sightline_core::model::timezone::TimeZone;
use sightline_core::model::url_state::UrlState;
use sightline_core::model::variables::VariableSource;

use super::DashboardState;

/// The URL state of `state` now (`other` keeps parameters Sightline does not use).
#[must_use]
pub fn url_state_of(state: &DashboardState, other: Vec<(String, String)>) -> UrlState {
    let variables = state.variables.with(|vars| {
        vars.iter()
            .filter(|v| !matches!(v.variable.source, VariableSource::Constant { .. }))
            .map(|v| (v.variable.name.clone(), v.selection.url_values()))
            .collect()
    });
    let timezone = state.timezone.get();
    let refresh = state.refresh.get();
    UrlState {
        from: Some(state.from.get()),
        to: Some(state.to.get()),
        variables,
        refresh: (refresh != Refresh::Off).then(|| refresh.to_string()),
        timezone: (timezone != TimeZone::Browser).then(|| timezone.to_string()),
        other,
    }
}

/// Applies a URL's state to `state` (back/forward, or a pasted link on the same page).
pub fn apply_url(state: &DashboardState, url: &UrlState) {
    if let (Some(from), Some(to)) = (&url.from, &url.to) {
        if *from != state.from.get_untracked() || *to != state.to.get_untracked() {
            state.set_range(from.clone(), to.clone());
        }
    }
    let zone: TimeZone = url
        .timezone
        .as_deref()
        .and_then(|z| z.parse().ok())
        .unwrap_or_default();
    if zone != state.timezone.get_untracked() {
        state.timezone.set(zone);
    }
    let refresh: Refresh = url
        .refresh
        .as_deref()
        .and_then(|r| r.parse().ok())
        .unwrap_or_default();
    if refresh != state.refresh.get_untracked() {
        state.refresh.set(refresh);
    }
    for (name, values) in &url.variables {
        let current = state.variables.with_untracked(|vars| {
            vars.iter()
                .find(|v| v.variable.name == *name)
                .map(|v| v.selection.url_values())
        });
        if current.as_ref() != Some(values) {
            state.select(name, values.clone());
        }
    }
}

/// Keeps the URL and `state` in step, both ways.
pub fn sync_url(state: DashboardState) {
    let location = use_location();
    let navigate = use_navigate();
    let first_write = StoredValue::new(true);
    // URL → state (back/forward).
    Effect::new(move |_| {
        let search = location.search.get();
        let url = UrlState::parse(&search);
        if state.variables_ready.get_untracked() {
            apply_url(&state, &url);
        }
    });
    // State → URL.
    Effect::new(move |_| {
        if !state.variables_ready.get() {
            return;
        }
        let search = location.search.get_untracked();
        let other = UrlState::parse(&search).other;
        let wanted = url_state_of(&state, other).to_query();
        if search.trim_start_matches('?') == wanted {
            return;
        }
        let path = location.pathname.get_untracked();
        let replace = first_write.get_value();
        first_write.set_value(false);
        navigate(
            &format!("{path}?{wanted}"),
            NavigateOptions {
                replace,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
}
