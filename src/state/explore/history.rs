//! The query history as a signal over `localStorage` (queries only): record a run, star,
//! forget, and the ranked search the history drawer shows.

use leptos::prelude::*;
use sightline_core::model::query_lang::history::{self, HistoryEntry};
use sightline_core::model::query_lang::Source;

use crate::browser::now_ms;
use crate::storage::history::{history_load, history_save};

/// The history, loaded once per page and saved on every change.
#[derive(Clone, Copy)]
pub struct HistoryState {
    pub entries: RwSignal<Vec<HistoryEntry>>,
    /// Why the last save failed (storage full or disabled), if it did.
    pub error: RwSignal<Option<String>>,
}

impl HistoryState {
    /// Loads the stored history.
    #[must_use]
    pub fn load() -> Self {
        HistoryState {
            entries: RwSignal::new(history_load()),
            error: RwSignal::new(None),
        }
    }

    fn change(&self, edit: impl FnOnce(&mut Vec<HistoryEntry>)) {
        self.entries.update(edit);
        let result = self.entries.with_untracked(|entries| history_save(entries));
        self.error.set(result.err().map(|e| e.to_string()));
    }

    /// Remembers that `query` ran on `source` now.
    pub fn record(&self, query: &str, source: Source) {
        let now = now_ms();
        self.change(|entries| history::record(entries, query, source, now));
    }

    /// Stars or un-stars a query.
    pub fn set_starred(&self, query: &str, source: Source, starred: bool) {
        self.change(|entries| history::set_starred(entries, query, source, starred));
    }

    /// Forgets a query.
    pub fn remove(&self, query: &str, source: Source) {
        self.change(|entries| history::remove(entries, query, source));
    }
}
