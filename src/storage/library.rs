//! The dashboard library: dashboards saved in this browser (`localStorage`), one key each plus an
//! index. Dashboards only; never the token.

use super::{js_reason, local_storage, StorageError};

const LIBRARY_INDEX_KEY: &str = "sightline.library";
const LIBRARY_ENTRY_PREFIX: &str = "sightline.dashboard.";

/// A dashboard kept in this browser's library (`localStorage`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LibraryEntry {
    /// The dashboard's uid, also its key.
    pub id: String,
    pub title: String,
    /// When it was last saved, Unix ms.
    pub updated_ms: i64,
    /// The dashboard file.
    pub text: String,
}

fn library_ids(storage: &web_sys::Storage) -> Vec<String> {
    storage
        .get_item(LIBRARY_INDEX_KEY)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Every dashboard in the library, by title.
#[must_use]
pub fn library_list() -> Vec<LibraryEntry> {
    let Some(storage) = local_storage() else {
        return Vec::new();
    };
    let mut entries: Vec<LibraryEntry> = library_ids(&storage)
        .iter()
        .filter_map(|id| library_get_in(&storage, id))
        .collect();
    sightline_core::sort::sort_by_key(&mut entries, |e| e.title.to_lowercase());
    entries
}

fn library_get_in(storage: &web_sys::Storage, id: &str) -> Option<LibraryEntry> {
    let text = storage
        .get_item(&format!("{LIBRARY_ENTRY_PREFIX}{id}"))
        .ok()??;
    serde_json::from_str(&text).ok()
}

/// The library dashboard with `id`.
#[must_use]
pub fn library_get(id: &str) -> Option<LibraryEntry> {
    library_get_in(&local_storage()?, id)
}

/// Saves (or replaces) a library dashboard.
///
/// # Errors
/// [`StorageError`] when storage is unavailable or full (quota).
pub fn library_put(entry: &LibraryEntry) -> Result<(), StorageError> {
    let storage = local_storage().ok_or(StorageError::Unavailable)?;
    let text = serde_json::to_string(entry).map_err(|e| StorageError::Write {
        what: "dashboard",
        reason: e.to_string(),
    })?;
    storage
        .set_item(&format!("{LIBRARY_ENTRY_PREFIX}{}", entry.id), &text)
        .map_err(|e| StorageError::Write {
            what: "dashboard",
            reason: format!(
                "{} (the browser's storage for this site may be full)",
                js_reason(&e)
            ),
        })?;
    let mut ids = library_ids(&storage);
    if !ids.contains(&entry.id) {
        ids.push(entry.id.clone());
    }
    let index = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned());
    storage
        .set_item(LIBRARY_INDEX_KEY, &index)
        .map_err(|e| StorageError::Write {
            what: "library index",
            reason: js_reason(&e),
        })
}

/// Removes a library dashboard.
pub fn library_delete(id: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&format!("{LIBRARY_ENTRY_PREFIX}{id}"));
        let ids: Vec<String> = library_ids(&storage)
            .into_iter()
            .filter(|i| i != id)
            .collect();
        let _ = storage.set_item(
            LIBRARY_INDEX_KEY,
            &serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()),
        );
    }
}
