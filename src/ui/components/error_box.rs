//! An error message shown where the failure happened, with an optional retry button.

use leptos::prelude::*;

/// A red box with the message as text (never HTML) and a "Retry" button when `on_retry` is given.
#[component]
pub fn ErrorBox(
    #[prop(into)] message: String,
    #[prop(optional, into)] on_retry: Option<UnsyncCallback<()>>,
) -> impl IntoView {
    view! {
        <div class="error-box" role="alert">
            <span class="error-text">{message}</span>
            {on_retry.map(|retry| view! {
                <button class="btn btn-small" on:click=move |_| retry.run(())>"Retry"</button>
            })}
        </div>
    }
}
