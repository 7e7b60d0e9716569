//! The only code that touches `sessionStorage` and `localStorage`.
//!
//! - `sessionStorage` (this tab only, gone when the tab closes): the token, the signed-in
//!   profile, and the metrics hosts that refused a POSTed query (`crate::client::post`).
//! - `localStorage` (kept): non-secret preferences such as the last profile chosen, the
//!   dashboard [`library`], and the requests of recently loaded dashboards that `early.js` sends
//!   before the app starts (`sightline_core::api::early`). Never the token.

pub mod drafts;
pub mod history;
pub mod library;

pub use library::{library_delete, library_get, library_list, library_put, LibraryEntry};

use sightline_core::api::auth::Token;
use sightline_core::api::endpoints::Profile;

const TOKEN_KEY: &str = "sightline.token";
const PROFILE_KEY: &str = "sightline.profile";
const LAST_PROFILE_KEY: &str = "sightline.last-profile";
/// Read by `src/early.js` too.
const EARLY_KEY: &str = "sightline.early";
/// Read by `src/early.js` too.
const POST_REFUSED_KEY: &str = "sightline.post-refused";

/// Why storage could not be used (private mode, quota, disabled storage).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("this browser does not allow session storage here, so the token cannot be kept for this tab")]
    Unavailable,
    #[error("the browser refused to store the {what}: {reason}")]
    Write { what: &'static str, reason: String },
}

fn session_storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.session_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

pub(crate) fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

pub(crate) fn js_reason(value: &wasm_bindgen::JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            js_sys::Reflect::get(value, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
        })
        .unwrap_or_else(|| "unknown reason".to_owned())
}

/// Keeps the signed-in profile and token for this tab.
///
/// # Errors
/// [`StorageError`] when session storage is unavailable or full.
pub fn save_session(profile: &Profile, token: &Token) -> Result<(), StorageError> {
    let storage = session_storage()?;
    let profile_json = serde_json::to_string(profile).map_err(|e| StorageError::Write {
        what: "profile",
        reason: e.to_string(),
    })?;
    storage
        .set_item(PROFILE_KEY, &profile_json)
        .map_err(|e| StorageError::Write {
            what: "profile",
            reason: js_reason(&e),
        })?;
    storage
        .set_item(TOKEN_KEY, token.expose())
        .map_err(|e| StorageError::Write {
            what: "token",
            reason: js_reason(&e),
        })
}

/// The profile and token kept for this tab, if any (and if they still parse).
#[must_use]
pub fn load_session() -> Option<(Profile, Token)> {
    let storage = session_storage().ok()?;
    let token = Token::parse(&storage.get_item(TOKEN_KEY).ok()??).ok()?;
    let profile: Profile = serde_json::from_str(&storage.get_item(PROFILE_KEY).ok()??).ok()?;
    Some((profile, token))
}

/// Forgets the token and profile of this tab (sign-out, or a token the server rejected).
pub fn clear_session() {
    if let Ok(storage) = session_storage() {
        let _ = storage.remove_item(TOKEN_KEY);
        let _ = storage.remove_item(PROFILE_KEY);
    }
}

/// Remembers which profile was chosen last (an id, not a secret).
pub fn remember_profile_id(id: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LAST_PROFILE_KEY, id);
    }
}

/// The profile id chosen last, if any.
#[must_use]
pub fn remembered_profile_id() -> Option<String> {
    local_storage()?.get_item(LAST_PROFILE_KEY).ok()?
}

/// The signed-in profile exactly as this tab keeps it (JSON, no token), if any.
#[must_use]
pub fn session_profile_text() -> Option<String> {
    session_storage().ok()?.get_item(PROFILE_KEY).ok()?
}

/// The kept early requests (`sightline_core::api::early::PlanBook` as JSON), if any.
#[must_use]
pub fn early_plans_text() -> Option<String> {
    local_storage()?.get_item(EARLY_KEY).ok()?
}

/// Keeps the early requests. A full or disabled storage only loses the head start of the next
/// load, so the failure is not reported.
pub fn save_early_plans(text: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(EARLY_KEY, text);
    }
}

/// The endpoint bases that refused a POSTed query in this tab (a JSON array), if any.
#[must_use]
pub fn post_refused_bases() -> Vec<String> {
    session_storage()
        .ok()
        .and_then(|s| s.get_item(POST_REFUSED_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Keeps the bases that refused a POST for this tab. Not kept, a reload only costs one refused
/// POST again, so the failure is not reported.
pub fn save_post_refused_bases(bases: &[String]) {
    if let (Ok(storage), Ok(text)) = (session_storage(), serde_json::to_string(bases)) {
        let _ = storage.set_item(POST_REFUSED_KEY, &text);
    }
}
