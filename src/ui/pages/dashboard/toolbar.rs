//! The dashboard page's toolbar: an "unsaved changes" marker (and a way to discard them), Save to
//! the library (a built-in is saved as a library copy under the same uid, which then opens
//! instead), Export JSON, Share (copies the page's URL, view state included) and Edit JSON.
//! Save and Export refuse a dashboard that contains the signed-in token.

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;

use super::json_editor::JsonEditor;
use crate::state::catalog::BUILTINS;
use crate::state::dashboard::use_dashboard;
use crate::state::session::use_session;
use crate::ui::pages::dashboards::{
    copy_link, display_title, export_json, save_to_library, LOCAL_ONLY_NOTE,
};

/// How long a confirmation ("Saved") stays, in ms.
const NOTICE_MS: u32 = 5_000;

/// The toolbar, shown in the dashboard's top bar.
#[component]
pub fn DashboardToolbar() -> impl IntoView {
    let state = use_dashboard();
    let session = use_session();
    let json_open = RwSignal::new(false);
    let notice = RwSignal::new(None::<Result<String, String>>);
    let clear_timer = StoredValue::new(None::<SendWrapper<gloo_timers::callback::Timeout>>);
    on_cleanup(move || clear_timer.set_value(None));
    // Confirmations fade after a few seconds; refusals stay until the next action.
    let tell = move |message: Result<String, String>| {
        let fades = message.is_ok();
        notice.set(Some(message));
        clear_timer.set_value(fades.then(|| {
            SendWrapper::new(gloo_timers::callback::Timeout::new(NOTICE_MS, move || {
                notice.set(None);
            }))
        }));
    };

    let save = move |_| {
        let uid = state.uid();
        let result = state
            .dashboard
            .with_untracked(|d| save_to_library(&uid, d, session));
        match result {
            Ok(()) => {
                state.mark_saved();
                tell(Ok("Saved to this browser's library.".to_owned()));
            }
            Err(e) => tell(Err(e.to_string())),
        }
    };
    let export = move |_| {
        let (title, text) = state
            .dashboard
            .with_untracked(|d| (display_title(&d.title), d.to_json_pretty()));
        match export_json(&title, &text, session) {
            Ok(()) => tell(Ok(format!("Exported “{title}”."))),
            Err(e) => tell(Err(e.to_string())),
        }
    };
    let share = move |_| {
        let url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let local_only = !BUILTINS.iter().any(|b| b.uid == state.uid());
        spawn_local(async move {
            match copy_link(url).await {
                Ok(()) => tell(Ok(format!(
                    "Link copied (time range and variables included){}",
                    if local_only { LOCAL_ONLY_NOTE } else { "." }
                ))),
                Err(e) => tell(Err(e)),
            }
        });
    };
    let discard = move |_| {
        state.discard_draft();
        tell(Ok("Changes discarded.".to_owned()));
    };

    view! {
        <div class="dashboard-toolbar">
            {move || state.dirty.get().then(|| view! {
                <span class="badge badge-warn" id="unsaved-marker"
                    title="Kept for this tab as a draft until you save or discard">
                    {move || if state.from_draft.get() { "Unsaved changes (restored draft)" } else { "Unsaved changes" }}
                </span>
                <button class="btn btn-small btn-quiet" id="discard-draft" title="Go back to the saved (or built-in) version"
                    on:click=discard>{move || if state.from_draft.get() { "Discard draft" } else { "Discard changes" }}</button>
            })}
            <button class="btn btn-small" id="save-dashboard" title="Save to this browser's library" on:click=save>"Save"</button>
            <button class="btn btn-small" id="export-dashboard" title="Download the dashboard JSON" on:click=export>"Export"</button>
            <button class="btn btn-small" id="share-dashboard" title="Copy a link to this view" on:click=share>"Share"</button>
            <button class="btn btn-small" id="edit-json" class:active=move || json_open.get()
                aria-pressed=move || json_open.get().to_string()
                on:click=move |_| json_open.update(|o| *o = !*o)>"Edit JSON"</button>
            {move || notice.get().map(|n| match n {
                Ok(text) => view! { <span class="ok-text small toolbar-message" id="toolbar-message" role="status">{text}</span> }.into_any(),
                Err(text) => view! { <span class="error-text small toolbar-message" id="toolbar-message" role="alert">{text}</span> }.into_any(),
            })}
            <JsonEditor open=json_open/>
        </div>
    }
}
