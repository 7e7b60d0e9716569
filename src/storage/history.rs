//! Query history in `localStorage`: the queries run in Explore with their use counts and stars.
//! Queries only — never results, never the token.

use sightline_core::model::query_lang::history::HistoryEntry;

use super::{js_reason, local_storage, StorageError};

const HISTORY_KEY: &str = "sightline.query-history";

/// The stored history (empty when there is none or it does not parse).
#[must_use]
pub fn history_load() -> Vec<HistoryEntry> {
    local_storage()
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Replaces the stored history.
///
/// # Errors
/// [`StorageError`] when storage is unavailable or full.
pub fn history_save(entries: &[HistoryEntry]) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let text = serde_json::to_string(entries).map_err(|e| StorageError::Write {
        what: "query history",
        reason: e.to_string(),
    })?;
    storage
        .set_item(HISTORY_KEY, &text)
        .map_err(|e| StorageError::Write {
            what: "query history",
            reason: js_reason(&e),
        })
}

/// Forgets the whole history.
pub fn history_clear() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(HISTORY_KEY);
    }
}
