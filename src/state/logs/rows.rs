//! Rows for the log list from loaded pages (one page per query), through the pure row
//! builder of `sightline-core`.

use std::sync::Arc;

use sightline_core::model::frame::Labels;
use sightline_core::model::logs::{build_rows, LogRow, RowInput, SortOrder};

use super::LogsPage;

/// The rows of every page in `order`; rows remember which page (query) they came from.
#[must_use]
pub fn rows_of_pages(pages: &[&LogsPage], order: SortOrder) -> Vec<LogRow> {
    let labels: Vec<Vec<Arc<Labels>>> = pages
        .iter()
        .map(|page| {
            page.streams
                .iter()
                .map(|s| Arc::new(s.labels.clone()))
                .collect()
        })
        .collect();
    let inputs = pages
        .iter()
        .zip(&labels)
        .enumerate()
        .flat_map(|(query_index, (page, labels))| {
            page.streams
                .iter()
                .zip(labels)
                .flat_map(move |(stream, labels)| {
                    stream.entries.iter().map(move |entry| RowInput {
                        query_index,
                        labels,
                        ts_ns: entry.ts_ns,
                        line: &entry.line,
                        structured_metadata: &entry.structured_metadata,
                        parsed: &entry.parsed,
                    })
                })
        });
    build_rows(inputs, order)
}
