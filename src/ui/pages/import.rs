//! The import page (`/import`): open a dashboard file, drop one on the page, or paste its JSON.
//! Every problem is listed with its JSON path and line/column, errors apart from warnings. Like
//! Grafana, a file with errors is refused (nothing is saved); warnings are shown and the user may
//! continue. The dashboard is saved to the library under its uid (or a new one) — asking first
//! whether to replace a dashboard with the same uid or keep both — and opened.
//!
//! Files are treated as hostile: the size is checked before a file is read (the model's 32 MiB
//! limit), the model bounds nesting and counts, and at most [`SHOWN_PER_LIST`] diagnostics of each
//! kind are drawn.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use sightline_core::model::dashboard::{load, Dashboard, ParseLimits, Severity};

use super::dashboards::{display_title, new_uid, save_to_library, uid_taken, valid_uid};
use crate::state::catalog::find;
use crate::state::session::use_session;
use crate::ui::components::header::Header;
use crate::ui::components::spinner::Spinner;

/// Most diagnostics drawn per list (the rest are counted).
pub const SHOWN_PER_LIST: usize = 200;

/// The largest dashboard file, in bytes (the model's limit).
#[must_use]
pub fn max_file_bytes() -> usize {
    ParseLimits::default().max_bytes
}

/// Says why a file of `size` bytes is not read, or nothing when it may be.
#[must_use]
pub fn too_large(name: &str, size: f64) -> Option<String> {
    #[allow(clippy::cast_precision_loss)]
    let limit = max_file_bytes() as f64;
    (size > limit).then(|| {
        format!(
            "“{name}” is {:.1} MiB; Sightline opens dashboard files up to {:.0} MiB. The file was not read and nothing was saved.",
            size / 1_048_576.0,
            limit / 1_048_576.0
        )
    })
}

/// A checked file: what it says about itself and every problem found.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// The file name, or "pasted JSON".
    pub source: String,
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
    /// The dashboard, when the file has no errors.
    pub dashboard: Option<Dashboard>,
}

/// Loads `text` and sorts its diagnostics.
#[must_use]
pub fn check(source: &str, text: &str) -> Checked {
    let loaded = load(text);
    let lines = |severity: Severity| {
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .map(|d| {
                let line = d.to_string();
                if line.chars().count() > 600 {
                    format!("{}…", line.chars().take(600).collect::<String>())
                } else {
                    line
                }
            })
            .collect::<Vec<_>>()
    };
    let errors = lines(Severity::Error);
    let warnings = lines(Severity::Warning);
    Checked {
        source: source.to_owned(),
        dashboard: loaded.dashboard.filter(|_| errors.is_empty()),
        errors,
        warnings,
    }
}

/// Where the import page is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Idle,
    Working(String),
    Refused(String),
    Checked(Box<Checked>),
}

/// Reads a file after checking its size.
async fn read_file(file: web_sys::File) -> Result<String, String> {
    let name = file.name();
    if let Some(reason) = too_large(&name, file.size()) {
        return Err(reason);
    }
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| format!("The browser could not read “{name}”."))?;
    text.as_string()
        .ok_or_else(|| format!("“{name}” is not a text file."))
}

/// The import page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let stage = RwSignal::new(Stage::Idle);
    let pasted = RwSignal::new(String::new());
    let dragging = RwSignal::new(false);
    let save_error = RwSignal::new(None::<String>);

    let run_check = move |source: String, text: String| {
        save_error.set(None);
        if let Some(reason) = too_large(&source, text.len() as f64) {
            stage.set(Stage::Refused(reason));
            return;
        }
        stage.set(Stage::Working(format!("Checking {source}…")));
        spawn_local(async move {
            // Let the browser paint "Checking…" before the (bounded) parse.
            gloo_timers::future::TimeoutFuture::new(16).await;
            stage.set(Stage::Checked(Box::new(check(&source, &text))));
        });
    };
    let open_file = move |file: web_sys::File| {
        save_error.set(None);
        stage.set(Stage::Working(format!("Reading “{}”…", file.name())));
        let name = file.name();
        spawn_local(async move {
            match read_file(file).await {
                Ok(text) => run_check(format!("“{name}”"), text),
                Err(reason) => stage.set(Stage::Refused(reason)),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        {
            open_file(file);
        }
        if let Some(input) = input {
            // Choosing the same file again should check it again.
            input.set_value("");
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        match file {
            Some(file) => open_file(file),
            None => stage.set(Stage::Refused("Drop a dashboard JSON file.".to_owned())),
        }
    };
    let save = move |uid: String| {
        let Stage::Checked(checked) = stage.get_untracked() else {
            return;
        };
        let Some(mut dashboard) = checked.dashboard else {
            return;
        };
        dashboard.uid = Some(uid.clone());
        match save_to_library(&uid, &dashboard, session) {
            Ok(()) => navigate(
                &format!("/d/{uid}"),
                leptos_router::NavigateOptions::default(),
            ),
            Err(e) => save_error.set(Some(e.to_string())),
        }
    };

    view! {
        <Header/>
        <main class="page import-page" class:drag-over=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop>
            <h1>"Import a dashboard"</h1>
            <p class="muted">"Open a Grafana dashboard JSON file, drop one anywhere on this page, or paste its JSON. Files up to 32 MiB. The dashboard is saved in this browser's library."</p>
            <div class="import-sources">
                <div class="drop-zone">
                    <label for="import-file">"Dashboard file"</label>
                    <input id="import-file" type="file" accept=".json,application/json" on:change=on_file/>
                    <p class="muted small">"…or drop the file here."</p>
                </div>
                <div class="paste-zone">
                    <label for="import-text">"Paste JSON"</label>
                    <textarea id="import-text" rows="8" spellcheck="false" placeholder="{ \"title\": …, \"panels\": [ … ] }"
                        prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                    <button class="btn" id="import-paste" disabled=move || pasted.with(|p| p.trim().is_empty())
                        on:click=move |_| run_check("pasted JSON".to_owned(), pasted.get_untracked())>"Check pasted JSON"</button>
                </div>
            </div>
            {move || match stage.get() {
                Stage::Idle => ().into_any(),
                Stage::Working(what) => view! { <p class="muted" id="import-status"><Spinner active=true/>" "{what}</p> }.into_any(),
                Stage::Refused(reason) => view! { <div class="error-box" id="import-refused" role="alert">{reason}</div> }.into_any(),
                Stage::Checked(checked) => view! { <CheckResult checked=*checked on_save=save.clone() save_error=save_error/> }.into_any(),
            }}
        </main>
    }
}

/// The outcome of a check: the problems and, for a file without errors, the import choices.
#[component]
fn CheckResult(
    checked: Checked,
    on_save: impl Fn(String) + Clone + Send + Sync + 'static,
    save_error: RwSignal<Option<String>>,
) -> impl IntoView {
    let errors = checked.errors.len();
    let warnings = checked.warnings.len();
    let choices = checked.dashboard.as_ref().map(|dashboard| {
        let title = display_title(&dashboard.title);
        let panels = dashboard.all_panels().len();
        let wanted = dashboard.uid.clone().filter(|u| valid_uid(u));
        let existing = wanted
            .as_ref()
            .filter(|u| uid_taken(u))
            .map(|u| find(u).and_then(|f| f.loaded.dashboard).map_or_else(|| u.clone(), |d| display_title(&d.title)));
        let uid = wanted.clone().unwrap_or_else(new_uid);
        let note = match (&dashboard.uid, &wanted) {
            (Some(given), None) => format!("The file's uid {given:?} cannot be used in a link; it will be saved as {uid:?}."),
            (None, _) => format!("The file has no uid; it will be saved as {uid:?}."),
            _ => format!("uid {uid:?}"),
        };
        let keep = on_save.clone();
        let save = on_save.clone();
        view! {
            <section class="import-ready">
                <h2 id="import-title">{title}</h2>
                <p class="muted small">{format!("{panels} panel(s) · {note}")}</p>
                {match existing {
                    Some(existing_title) => {
                        let replace_uid = uid.clone();
                        view! {
                            <p class="warn-text" id="import-conflict">{format!("A dashboard with uid {uid:?} already exists: “{existing_title}”. Replace it, or keep both (the import gets a new uid)?")}</p>
                            <div class="row">
                                <button class="btn btn-danger" id="import-replace" on:click=move |_| save(replace_uid.clone())>"Replace"</button>
                                <button class="btn btn-primary" id="import-keep-both" on:click=move |_| keep(new_uid())>"Keep both"</button>
                            </div>
                        }.into_any()
                    }
                    None => view! {
                        <div class="row">
                            <button class="btn btn-primary" id="import-save" on:click=move |_| save(uid.clone())>
                                {if warnings > 0 { "Import anyway" } else { "Import" }}
                            </button>
                        </div>
                    }.into_any(),
                }}
                {move || save_error.get().map(|e| view! { <div class="error-box" id="import-save-error" role="alert">{e}</div> })}
            </section>
        }
    });
    let list = |lines: Vec<String>, id: &'static str, class: &'static str| {
        let hidden = lines.len().saturating_sub(SHOWN_PER_LIST);
        view! {
            <ul class="diagnostics import-diagnostics" id=id>
                {lines.into_iter().take(SHOWN_PER_LIST).map(|l| view! { <li class=class>{l}</li> }).collect::<Vec<_>>()}
                {(hidden > 0).then(|| view! { <li class="muted">{format!("…and {hidden} more")}</li> })}
            </ul>
        }
    };
    view! {
        <div class="import-result">
            {(errors > 0).then(|| view! {
                <section class="import-errors">
                    <h2 class="error-text">{format!("{errors} error(s) in {} — nothing was saved", checked.source)}</h2>
                    <p class="muted small">"Fix the file and open it again. Each line names the JSON path and the line and column."</p>
                    {list(checked.errors.clone(), "import-errors", "error-text")}
                </section>
            })}
            {(warnings > 0).then(|| view! {
                <section class="import-warnings">
                    <h2 class="warn-text">{format!("{warnings} warning(s)")}</h2>
                    <p class="muted small">{if errors > 0 { "Also noted (these alone would not stop the import):" } else { "The dashboard opens; these parts are repaired or not drawn by Sightline." }}</p>
                    {list(checked.warnings.clone(), "import-warnings", "muted")}
                </section>
            })}
            {(errors == 0 && warnings == 0).then(|| view! { <p class="ok-text" id="import-clean">{format!("{} has no problems.", checked.source)}</p> })}
            {choices}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_before_reading_with_its_size() {
        let reason = too_large("big.json", 50.0 * 1_048_576.0).unwrap_or_default();
        assert!(reason.contains("50.0 MiB"), "{reason}");
        assert!(reason.contains("32 MiB"), "{reason}");
        assert!(too_large("ok.json", 1024.0).is_none());
    }

    #[test]
    fn a_file_with_errors_lists_them_with_positions_and_offers_no_dashboard() {
        let text = "{\"title\": \"x\",\n \"panels\": [{\"id\": 1, \"type\": \"stat\", \"gridPos\": {\"x\": 0, \"y\": 0, \"w\": \"wide\", \"h\": 4}}]}";
        let checked = check("f", text);
        assert!(checked.dashboard.is_none());
        assert!(
            checked.errors[0].starts_with("panels[0].gridPos.w: expected a whole number"),
            "{:?}",
            checked.errors
        );
        assert!(
            checked.errors[0].ends_with("(line 2, col 72)"),
            "{:?}",
            checked.errors
        );
    }

    #[test]
    fn a_file_with_only_warnings_can_be_imported() {
        let text = r#"{"title": "x", "panels": [{"id": 1, "type": "nodeGraph", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4}}]}"#;
        let checked = check("f", text);
        assert!(checked.errors.is_empty());
        assert!(!checked.warnings.is_empty());
        assert!(checked.dashboard.is_some());
    }
}
