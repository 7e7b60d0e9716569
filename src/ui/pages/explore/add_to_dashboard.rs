//! "Add to dashboard": a new dashboard in this browser's library holding the pane's queries (a
//! time series panel for metrics, a logs panel for logs) over the current range.

use leptos::prelude::*;
use sightline_core::model::civil::format_rfc3339;
use sightline_core::model::query_lang::export::explore_dashboard;
use sightline_core::model::query_lang::Pane;

use crate::browser::now_ms;
use crate::storage::{library_put, LibraryEntry};

/// A uid for a new Explore dashboard, from the clock (base 36).
fn new_uid(now: i64) -> String {
    let mut n = u64::try_from(now).unwrap_or(0);
    let mut digits = Vec::new();
    while n > 0 {
        let d = u8::try_from(n % 36).unwrap_or(0);
        digits.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
        n /= 36;
    }
    format!("explore-{}", digits.iter().rev().collect::<String>())
}

/// The form.
#[component]
pub fn AddToDashboard(
    /// The pane(s) whose queries go into the dashboard.
    #[prop(into)]
    panes: Signal<Vec<Pane>>,
    #[prop(into)] from: Signal<String>,
    #[prop(into)] to: Signal<String>,
) -> impl IntoView {
    let title = RwSignal::new(format!(
        "Explore {}",
        format_rfc3339(now_ms()).get(..16).unwrap_or_default()
    ));
    let outcome = RwSignal::new(None::<Result<(String, String), String>>);
    let save = move |_| {
        let name = title.get_untracked();
        let name = if name.trim().is_empty() {
            "Explore".to_owned()
        } else {
            name.trim().to_owned()
        };
        let now = now_ms();
        let uid = new_uid(now);
        let text = explore_dashboard(
            &uid,
            &name,
            &panes.get_untracked(),
            &from.get_untracked(),
            &to.get_untracked(),
        );
        let entry = LibraryEntry {
            id: uid.clone(),
            title: name.clone(),
            updated_ms: now,
            text,
        };
        outcome.set(Some(
            library_put(&entry)
                .map(|()| (uid, name))
                .map_err(|e| e.to_string()),
        ));
    };
    view! {
        <div class="explore-drawer add-dashboard">
            <div class="drawer-head"><strong>"Add to a new dashboard"</strong></div>
            <div class="drawer-tools">
                <input class="add-dashboard-title" aria-label="Dashboard title" prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))/>
                <button class="btn btn-primary btn-small add-dashboard-save" on:click=save>"Save to library"</button>
            </div>
            {move || outcome.get().map(|result| match result {
                Ok((uid, name)) => view! {
                    <p class="ok-text small add-dashboard-done">
                        {format!("Saved “{name}” to this browser's library. ")}
                        <a href=format!("/d/{uid}")>"Open it"</a>
                    </p>
                }.into_any(),
                Err(e) => view! { <p class="error-text small">{e}</p> }.into_any(),
            })}
        </div>
    }
}
