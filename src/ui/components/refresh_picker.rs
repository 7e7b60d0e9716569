//! The refresh picker: reload now, or automatically every 5 s … 1 d.

use leptos::prelude::*;

use super::spinner::slow_after;
use sightline_core::model::refresh::{Refresh, DEFAULT_REFRESH_INTERVALS};
use sightline_core::model::shortcuts::{keys_of, DashboardShortcut};

/// "Refresh now" and the auto-refresh interval.
#[component]
pub fn RefreshPicker(
    refresh: Signal<Refresh>,
    #[prop(into)] on_change: Callback<Refresh>,
    #[prop(into)] on_refresh_now: Callback<()>,
    /// True while panels are loading (the button spins once that has lasted a second).
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let busy = slow_after(busy);
    view! {
        <div class="refresh-picker">
            <button id="refresh-now" class="btn" class:busy=move || busy.get() title=format!("Refresh now ({})", keys_of(DashboardShortcut::Refresh)) on:click=move |_| on_refresh_now.run(())>"⟳"</button>
            <select id="refresh-interval" aria-label="Auto refresh" on:change=move |ev| {
                if let Ok(r) = event_target_value(&ev).parse::<Refresh>() {
                    on_change.run(r);
                }
            }>
                <option value="" selected=move || refresh.get() == Refresh::Off>"Off"</option>
                {DEFAULT_REFRESH_INTERVALS.iter().map(|i| {
                    let wanted = i.parse::<Refresh>().unwrap_or_default();
                    view! { <option value=*i selected=move || refresh.get() == wanted>{*i}</option> }
                }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}
