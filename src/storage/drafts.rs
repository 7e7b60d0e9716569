//! Drafts: the unsaved edits of an open dashboard, kept in this tab's `sessionStorage` under the
//! dashboard's uid, so that signing in again after a 401 (or reloading the tab) loses nothing.
//! Dashboards only: a draft whose text contains the signed-in token is refused.

use sightline_core::api::auth::Token;

use super::{js_reason, session_storage, StorageError};

const DRAFT_PREFIX: &str = "sightline.draft.";

/// An unsaved dashboard, kept for this tab.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Draft {
    /// The uid the dashboard was opened under (`/d/<uid>`).
    pub uid: String,
    /// When it was last written, Unix ms.
    pub saved_ms: i64,
    /// The dashboard file, as edited.
    pub text: String,
}

/// Why a draft was not kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("the draft was not kept: it contains the signed-in token")]
    ContainsToken,
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn key(uid: &str) -> String {
    format!("{DRAFT_PREFIX}{uid}")
}

/// The draft of dashboard `uid`, if this tab has one (and it still reads).
#[must_use]
pub fn draft_get(uid: &str) -> Option<Draft> {
    let text = session_storage().ok()?.get_item(&key(uid)).ok()??;
    serde_json::from_str::<Draft>(&text)
        .ok()
        .filter(|d| d.uid == uid)
}

/// Keeps `draft` for this tab, replacing the previous one of the same uid.
///
/// # Errors
/// [`DraftError::ContainsToken`] when the text contains `token`; [`DraftError::Storage`] when
/// session storage is unavailable or full.
pub fn draft_put(draft: &Draft, token: &Token) -> Result<(), DraftError> {
    if token.appears_in(&draft.text) || token.appears_in(&draft.uid) {
        return Err(DraftError::ContainsToken);
    }
    let storage = session_storage()?;
    let text = serde_json::to_string(draft).map_err(|e| StorageError::Write {
        what: "draft",
        reason: e.to_string(),
    })?;
    storage
        .set_item(&key(&draft.uid), &text)
        .map_err(|e| StorageError::Write {
            what: "draft",
            reason: js_reason(&e),
        })?;
    Ok(())
}

/// Forgets the draft of dashboard `uid` (saved, or discarded).
pub fn draft_delete(uid: &str) {
    if let Ok(storage) = session_storage() {
        let _ = storage.remove_item(&key(uid));
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    fn token() -> Token {
        Token::parse("draft-test-secret-81b2").unwrap()
    }

    fn draft(uid: &str, text: &str) -> Draft {
        Draft {
            uid: uid.to_owned(),
            saved_ms: 1,
            text: text.to_owned(),
        }
    }

    #[wasm_bindgen_test]
    fn a_draft_is_kept_per_uid_in_session_storage_and_forgotten_on_delete() {
        draft_put(&draft("d-one", r#"{"title":"One"}"#), &token()).unwrap();
        draft_put(&draft("d-two", r#"{"title":"Two"}"#), &token()).unwrap();
        assert_eq!(draft_get("d-one").unwrap().text, r#"{"title":"One"}"#);
        let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
        assert!(local.get_item("sightline.draft.d-one").unwrap().is_none());
        draft_delete("d-one");
        assert!(draft_get("d-one").is_none());
        assert_eq!(draft_get("d-two").unwrap().text, r#"{"title":"Two"}"#);
        draft_delete("d-two");
    }

    #[wasm_bindgen_test]
    fn a_draft_containing_the_token_is_refused_and_nothing_is_stored() {
        let text = format!(r#"{{"title":"{}"}}"#, token().expose());
        assert_eq!(
            draft_put(&draft("d-secret", &text), &token()),
            Err(DraftError::ContainsToken)
        );
        assert!(draft_get("d-secret").is_none());
    }
}
