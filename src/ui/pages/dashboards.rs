//! The dashboards page (`/dashboards`): the built-in GPU dashboards and this browser's library,
//! searchable by title and tag, with rename, duplicate, delete (confirmed), export and share —
//! and the library operations the import page and the dashboard toolbar share ([`save_to_library`],
//! [`export_json`], [`copy_link`]). Nothing that holds the signed-in token is saved or exported.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::model::civil::format_local_minute;
use sightline_core::model::dashboard::{load, Dashboard};

use crate::browser::{download_text, file_name, local_offset_minutes, now_ms};
use crate::state::catalog::{library, BUILTINS};
use crate::state::session::{use_session, SessionState};
use crate::storage::{
    drafts, library_delete, library_get, library_put, LibraryEntry, StorageError,
};
use crate::ui::components::header::Header;
use crate::ui::components::modal::Modal;

/// Said when sharing a link to a dashboard that exists only in this browser's library.
pub const LOCAL_ONLY_NOTE: &str =
    " — this dashboard is saved in this browser only; export it to share the dashboard itself.";

/// Why a library operation was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LibraryError {
    #[error("Refused: this dashboard contains your sign-in token, so it was not {action}. Remove the token from the dashboard (Edit JSON) and try again.")]
    ContainsToken { action: &'static str },
    #[error("Sign in first.")]
    SignedOut,
    #[error("This dashboard file cannot be read: {0}")]
    Unreadable(String),
    #[error("{0}")]
    Storage(#[from] StorageError),
    #[error("The download failed: {0}")]
    Download(String),
}

/// Refuses `text` when it contains the signed-in token (`action`: "saved", "exported").
///
/// # Errors
/// [`LibraryError::ContainsToken`], or [`LibraryError::SignedOut`] without a session.
pub fn refuse_token(
    text: &str,
    session: SessionState,
    action: &'static str,
) -> Result<(), LibraryError> {
    session.session.with_untracked(|s| match s {
        None => Err(LibraryError::SignedOut),
        Some(s) if s.token.appears_in(text) => Err(LibraryError::ContainsToken { action }),
        Some(_) => Ok(()),
    })
}

/// Saves `dashboard` to the library under `uid` (its key and `/d/<uid>`).
///
/// # Errors
/// [`LibraryError`] when the text holds the token or the browser's storage refuses.
pub fn save_to_library(
    uid: &str,
    dashboard: &Dashboard,
    session: SessionState,
) -> Result<(), LibraryError> {
    let text = dashboard.to_json_pretty();
    refuse_token(&text, session, "saved")?;
    refuse_token(uid, session, "saved")?;
    library_put(&LibraryEntry {
        id: uid.to_owned(),
        title: display_title(&dashboard.title),
        updated_ms: now_ms(),
        text,
    })?;
    Ok(())
}

/// Offers `text` as `<title>.json`.
///
/// # Errors
/// [`LibraryError`] when the text holds the token or the download fails.
pub fn export_json(title: &str, text: &str, session: SessionState) -> Result<(), LibraryError> {
    refuse_token(text, session, "exported")?;
    download_text(&file_name(title, "json"), "application/json", text)
        .map_err(LibraryError::Download)
}

/// Copies `url` to the clipboard.
///
/// # Errors
/// A readable reason when the browser has no clipboard here or refuses.
pub async fn copy_link(url: String) -> Result<(), String> {
    let refused =
        || "The browser did not allow copying; copy the link from the address bar.".to_owned();
    let window = web_sys::window().ok_or_else(refused)?;
    let navigator = window.navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return Err(refused());
    }
    let promise = navigator.clipboard().write_text(&url);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| refused())
}

/// `origin + path`.
#[must_use]
pub fn absolute_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// Whether `uid` can name a dashboard: 1–40 letters, digits, `-` or `_` (Grafana's rule).
#[must_use]
pub fn valid_uid(uid: &str) -> bool {
    (1..=40).contains(&uid.len())
        && uid
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether a dashboard with `uid` exists (library or built in).
#[must_use]
pub fn uid_taken(uid: &str) -> bool {
    library_get(uid).is_some() || BUILTINS.iter().any(|b| b.uid == uid)
}

/// A new random uid that no dashboard uses yet.
#[must_use]
pub fn new_uid() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    loop {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let uid: String = (0..10)
            .map(|_| {
                let i = (js_sys::Math::random() * 36.0) as usize % ALPHABET.len();
                char::from(ALPHABET[i])
            })
            .collect();
        if !uid_taken(&uid) {
            return uid;
        }
    }
}

/// The title to list, `Untitled` when empty.
#[must_use]
pub fn display_title(title: &str) -> String {
    let title = title.trim();
    if title.is_empty() {
        "Untitled".to_owned()
    } else {
        title.chars().take(200).collect()
    }
}

/// Whether a card with `title` and `tags` matches every word of `query` (title or tag,
/// ignoring case).
#[must_use]
pub fn matches_query(title: &str, tags: &[String], query: &str) -> bool {
    let title = title.to_lowercase();
    query.split_whitespace().all(|word| {
        let word = word.trim_start_matches("tag:").to_lowercase();
        title.contains(&word) || tags.iter().any(|t| t.to_lowercase().contains(&word))
    })
}

/// The `tags` of a dashboard file, without reading the rest into a model.
#[must_use]
pub fn tags_of(text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(default)]
        tags: Vec<serde_json::Value>,
    }
    serde_json::from_str::<Head>(text)
        .map(|h| {
            h.tags
                .into_iter()
                .filter_map(|t| t.as_str().map(|s| s.chars().take(60).collect()))
                .collect()
        })
        .unwrap_or_default()
}

/// One dashboard on the page.
#[derive(Debug, Clone, PartialEq)]
struct Card {
    uid: String,
    title: String,
    tags: Vec<String>,
    description: String,
    /// Saved in the library (rename and delete apply); otherwise built in.
    saved: bool,
    /// A built-in uid (a saved card then is an edited copy of a built-in).
    builtin: bool,
    /// A built-in whose uid the library also has: the saved copy opens instead.
    shadowed: bool,
    updated_ms: i64,
    text: String,
}

fn cards() -> Vec<Card> {
    let mut out: Vec<Card> = library()
        .into_iter()
        .map(|e| Card {
            tags: tags_of(&e.text),
            builtin: BUILTINS.iter().any(|b| b.uid == e.id),
            shadowed: false,
            uid: e.id,
            title: e.title,
            description: String::new(),
            saved: true,
            updated_ms: e.updated_ms,
            text: e.text,
        })
        .collect();
    let saved: Vec<String> = out.iter().map(|c| c.uid.clone()).collect();
    out.extend(BUILTINS.iter().map(|b| Card {
        shadowed: saved.iter().any(|uid| uid == b.uid),
        uid: b.uid.to_owned(),
        title: b.title.to_owned(),
        tags: tags_of(b.text),
        description: b.description.to_owned(),
        saved: false,
        builtin: true,
        updated_ms: 0,
        text: b.text.to_owned(),
    }));
    out
}

fn saved_at(ms: i64) -> String {
    format!(
        "saved {}",
        format_local_minute(ms, local_offset_minutes(ms))
    )
}

/// The dashboard a library entry's `text` holds, or its first problem.
fn readable(text: &str) -> Result<Dashboard, LibraryError> {
    let loaded = load(text);
    loaded.dashboard.ok_or_else(|| {
        LibraryError::Unreadable(
            loaded
                .diagnostics
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
    })
}

/// A copy of `text` under a new uid and title.
fn duplicate(text: &str, title: &str, session: SessionState) -> Result<String, LibraryError> {
    let mut dashboard = readable(text)?;
    let uid = new_uid();
    dashboard.uid = Some(uid.clone());
    dashboard.title = format!("{} (copy)", display_title(title));
    save_to_library(&uid, &dashboard, session)?;
    Ok(dashboard.title)
}

/// `entry` renamed to `title` (in the list and in the file).
fn rename(entry: &LibraryEntry, title: &str, session: SessionState) -> Result<(), LibraryError> {
    let mut dashboard = readable(&entry.text)?;
    dashboard.title = display_title(title);
    save_to_library(&entry.id, &dashboard, session)
}

/// The list of dashboards.
#[component]
pub fn DashboardsPage() -> impl IntoView {
    let session = use_session();
    let all = RwSignal::new(cards());
    let query = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(None::<String>);
    let rename_open = RwSignal::new(false);
    let rename_target = RwSignal::new(None::<LibraryEntry>);
    let rename_text = RwSignal::new(String::new());
    let delete_open = RwSignal::new(false);
    let delete_target = RwSignal::new(None::<Card>);
    let reload = move || all.set(cards());
    let report = move |result: Result<String, LibraryError>| {
        notice.set(Some(result.map_err(|e| e.to_string())));
    };

    let visible = move |saved: bool| {
        let q = query.get();
        all.with(|cards| {
            cards
                .iter()
                .filter(|c| c.saved == saved && matches_query(&c.title, &c.tags, &q))
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let card_view = move |card: Card| {
        let uid = StoredValue::new(card.uid.clone());
        let title = StoredValue::new(card.title.clone());
        let text = StoredValue::new(card.text.clone());
        let export = move |_| {
            let result = export_json(&title.get_value(), &text.get_value(), session);
            report(result.map(|()| format!("Exported “{}”.", title.get_value())));
        };
        let local_only = card.saved && !card.builtin;
        let share = move |_| {
            let url = absolute_url(&format!("/d/{}", uid.get_value()));
            spawn_local(async move {
                match copy_link(url.clone()).await {
                    Ok(()) => {
                        copied.set(Some(uid.get_value()));
                        let note = if local_only { LOCAL_ONLY_NOTE } else { "" };
                        notice.set(Some(Ok(format!("Link copied: {url}{note}"))));
                    }
                    Err(e) => notice.set(Some(Err(format!("{e} ({url})")))),
                }
            });
        };
        let copy = move |_| {
            report(
                duplicate(&text.get_value(), &title.get_value(), session)
                    .map(|t| format!("Saved “{t}”.")),
            );
            reload();
        };
        let start_rename = move |_| {
            if let Some(entry) = library_get(&uid.get_value()) {
                rename_text.set(entry.title.clone());
                rename_target.set(Some(entry));
                rename_open.set(true);
            }
        };
        let start_delete = {
            let card = card.clone();
            move |_| {
                delete_target.set(Some(card.clone()));
                delete_open.set(true);
            }
        };
        let tags = card.tags.clone();
        view! {
            <li class="dashboard-card" data-uid=card.uid.clone()>
                <div class="card-head">
                    <a class="dashboard-link" href=format!("/d/{}", card.uid)>{card.title.clone()}</a>
                    {(card.saved && card.builtin).then(|| view! { <span class="badge badge-info">"edited built-in"</span> })}
                </div>
                {(!card.description.is_empty()).then(|| view! { <p class="muted small">{card.description.clone()}</p> })}
                {card.shadowed.then(|| view! { <p class="warn-text small">"Your saved copy opens instead; delete it to get this one back."</p> })}
                <div class="tag-list">
                    {tags.into_iter().map(|t| {
                        let tag = t.clone();
                        view! { <button class="tag" title="Show dashboards with this tag" on:click=move |_| query.set(tag.clone())>{t}</button> }
                    }).collect::<Vec<_>>()}
                    {card.saved.then(|| view! { <span class="muted small">{saved_at(card.updated_ms)}</span> })}
                </div>
                <div class="card-actions">
                    {card.saved.then(|| view! { <button class="btn btn-small library-rename" on:click=start_rename>"Rename"</button> })}
                    <button class="btn btn-small library-duplicate" on:click=copy>"Duplicate"</button>
                    <button class="btn btn-small library-export" on:click=export>"Export"</button>
                    <button class="btn btn-small library-share" on:click=share>
                        {move || if copied.get().as_deref() == Some(uid.get_value().as_str()) { "Copied ✓" } else { "Share" }}
                    </button>
                    {card.saved.then(|| view! { <button class="btn btn-small btn-danger library-delete" on:click=start_delete>"Delete"</button> })}
                </div>
            </li>
        }
    };
    let list = move |saved: bool, empty: &'static str| {
        view! {
            {move || {
                let shown = visible(saved);
                if shown.is_empty() {
                    let text = if query.with(String::is_empty) { empty } else { "Nothing matches the search." };
                    view! { <p class="muted">{text}</p> }.into_any()
                } else {
                    view! {
                        <ul class="dashboard-list" class:library-list=saved>
                            <For each=move || visible(saved) key=|c| (c.uid.clone(), c.title.clone(), c.updated_ms) children=card_view/>
                        </ul>
                    }.into_any()
                }
            }}
        }
    };
    let confirm_rename = move |_| {
        if let Some(entry) = rename_target.get_untracked() {
            let result = rename(&entry, &rename_text.get_untracked(), session);
            report(result.map(|()| "Renamed.".to_owned()));
            rename_open.set(false);
            reload();
        }
    };
    let confirm_delete = move |_| {
        if let Some(card) = delete_target.get_untracked() {
            library_delete(&card.uid);
            drafts::draft_delete(&card.uid);
            notice.set(Some(Ok(format!("Deleted “{}”.", card.title))));
            delete_open.set(false);
            reload();
        }
    };

    view! {
        <Header/>
        <main class="page dashboards-page">
            <div class="library-head">
                <h1>"Dashboards"</h1>
                <span class="spacer"></span>
                <input id="library-search" type="search" class="library-search" placeholder="Search by title or tag"
                    aria-label="Search dashboards by title or tag"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                <a class="btn btn-primary" id="import-link" href="/import">"Import"</a>
            </div>
            {move || notice.get().map(|n| match n {
                Ok(text) => view! { <p id="library-message" class="ok-text small" role="status">{text}</p> }.into_any(),
                Err(text) => view! { <p id="library-message" class="error-text small" role="alert">{text}</p> }.into_any(),
            })}
            <section>
                <h2>"In this browser"</h2>
                {list(true, "No saved dashboards yet. Open one and save it, or import a Grafana JSON file.")}
            </section>
            <section>
                <h2>"Built in"</h2>
                {list(false, "")}
            </section>
            <Modal open=rename_open title="Rename dashboard">
                <label for="rename-input">"Title"</label>
                <input id="rename-input" prop:value=move || rename_text.get() on:input=move |ev| rename_text.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { confirm_rename(()) }/>
                <div class="row">
                    <button class="btn btn-primary" id="rename-save" on:click=move |_| confirm_rename(())>"Rename"</button>
                    <button class="btn" on:click=move |_| rename_open.set(false)>"Cancel"</button>
                </div>
            </Modal>
            <Modal open=delete_open title="Delete dashboard">
                {move || delete_target.get().map(|card| view! {
                    <p>{format!("Delete “{}” from this browser's library? This cannot be undone.", card.title)}</p>
                    {card.builtin.then(|| view! { <p class="muted small">"The built-in version of this dashboard stays available."</p> })}
                })}
                <div class="row">
                    <button class="btn btn-danger" id="confirm-delete" on:click=confirm_delete>"Delete"</button>
                    <button class="btn" on:click=move |_| delete_open.set(false)>"Cancel"</button>
                </div>
            </Modal>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uid_is_letters_digits_dashes_and_underscores_up_to_forty() {
        assert!(valid_uid("gpu-fleet_2"));
        assert!(!valid_uid(""));
        assert!(!valid_uid("a/b"));
        assert!(!valid_uid("../x"));
        assert!(!valid_uid(&"a".repeat(41)));
    }

    #[test]
    fn search_matches_every_word_in_the_title_or_a_tag() {
        let tags = vec!["GPU".to_owned(), "nvidia".to_owned()];
        assert!(matches_query("Fleet overview", &tags, ""));
        assert!(matches_query("Fleet overview", &tags, "fleet gpu"));
        assert!(matches_query("Fleet overview", &tags, "tag:nvidia"));
        assert!(!matches_query("Fleet overview", &tags, "fleet amd"));
    }

    #[test]
    fn tags_are_read_without_the_rest_of_the_file() {
        assert_eq!(
            tags_of(r#"{"title":"x","tags":["a",2,"b"],"panels":[]}"#),
            vec!["a".to_owned(), "b".to_owned()]
        );
        assert!(tags_of("not json").is_empty());
    }
}
