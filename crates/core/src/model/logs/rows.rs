//! Log rows: the entries of every stream in one list, ordered by their exact nanosecond
//! timestamps (newest or oldest first), each with its stream's labels and its detected level.

use std::sync::Arc;

use super::level::{detect_level, LogLevel};
use crate::model::frame::Labels;

/// Which end of the list is shown first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortOrder {
    /// Newest first (Grafana's `Descending`).
    #[default]
    NewestFirst,
    /// Oldest first (`Ascending`).
    OldestFirst,
}

impl SortOrder {
    /// Reads Grafana's `sortOrder` (`Descending` / `Ascending`, any case).
    #[must_use]
    pub fn parse(text: &str) -> Option<SortOrder> {
        match text.trim().to_ascii_lowercase().as_str() {
            "descending" | "desc" | "newest" => Some(SortOrder::NewestFirst),
            "ascending" | "asc" | "oldest" => Some(SortOrder::OldestFirst),
            _ => None,
        }
    }

    /// Grafana's name.
    #[must_use]
    pub fn grafana_name(self) -> &'static str {
        match self {
            SortOrder::NewestFirst => "Descending",
            SortOrder::OldestFirst => "Ascending",
        }
    }
}

/// One log line ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    /// Unique within one result: the position in the ordered list of all rows.
    pub id: usize,
    /// Unix epoch nanoseconds, exact.
    pub ts_ns: i64,
    pub line: String,
    /// The stream's labels (with a parser in the query, Loki merges parsed fields in here).
    pub labels: Arc<Labels>,
    /// Structured metadata and parsed labels kept apart (`categorize-labels` answers only).
    pub metadata: Labels,
    pub level: LogLevel,
    /// Which query of several the row came from (0 for the first).
    pub query_index: usize,
}

/// One entry as the list reads it, borrowed from a decoded answer (the app's state layer
/// turns Loki's streams into these, so this model does not depend on the wire types).
#[derive(Debug, Clone, Copy)]
pub struct RowInput<'a> {
    /// Which query of several the entry answers.
    pub query_index: usize,
    /// The stream's labels, shared by its entries.
    pub labels: &'a Arc<Labels>,
    pub ts_ns: i64,
    pub line: &'a str,
    pub structured_metadata: &'a Labels,
    pub parsed: &'a Labels,
}

/// Every entry as rows in `order`. Equal timestamps keep the input's order (query, then stream,
/// then answer), so nanosecond order is exact and ties are stable.
#[must_use]
pub fn build_rows<'a>(
    entries: impl IntoIterator<Item = RowInput<'a>>,
    order: SortOrder,
) -> Vec<LogRow> {
    let mut rows: Vec<LogRow> = entries
        .into_iter()
        .map(|entry| {
            let metadata = merged_metadata(entry.structured_metadata, entry.parsed);
            let level = detect_level(&[entry.labels, &metadata], entry.line);
            LogRow {
                id: 0,
                ts_ns: entry.ts_ns,
                line: entry.line.to_owned(),
                labels: Arc::clone(entry.labels),
                metadata,
                level,
                query_index: entry.query_index,
            }
        })
        .collect();
    match order {
        SortOrder::NewestFirst => {
            crate::sort::sort_by_key(&mut rows, |r| std::cmp::Reverse(r.ts_ns))
        }
        SortOrder::OldestFirst => crate::sort::sort_by_key(&mut rows, |r| r.ts_ns),
    }
    for (id, row) in rows.iter_mut().enumerate() {
        row.id = id;
    }
    rows
}

fn merged_metadata(structured: &Labels, parsed: &Labels) -> Labels {
    if parsed.is_empty() {
        return structured.clone();
    }
    if structured.is_empty() {
        return parsed.clone();
    }
    Labels::new(
        structured
            .iter()
            .chain(parsed.iter())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    )
}

/// Level counts of `rows`, most severe level first, levels without rows left out.
#[must_use]
pub fn level_counts<R: std::borrow::Borrow<LogRow>>(rows: &[R]) -> Vec<(LogLevel, usize)> {
    let mut counts = [0usize; 7];
    for row in rows {
        counts[row.borrow().level as usize] += 1;
    }
    super::level::ALL_LEVELS
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(level, n)| (*level, n))
        .collect()
}

/// A group of lines for [`rows_from_lines`]: query index, stream labels, `(ts_ns, line)`s.
pub type LineGroup<'a> = (usize, &'a [(&'a str, &'a str)], &'a [(i64, &'a str)]);

/// Test and benchmark helper: rows for groups of lines.
#[must_use]
pub fn rows_from_lines(groups: &[LineGroup<'_>], order: SortOrder) -> Vec<LogRow> {
    let empty = Labels::default();
    let labels: Vec<Arc<Labels>> = groups
        .iter()
        .map(|(_, pairs, _)| {
            Arc::new(Labels::new(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ))
        })
        .collect();
    let inputs = groups
        .iter()
        .zip(&labels)
        .flat_map(|((query_index, _, entries), labels)| {
            let empty = &empty;
            entries.iter().map(move |(ts_ns, line)| RowInput {
                query_index: *query_index,
                labels,
                ts_ns: *ts_ns,
                line,
                structured_metadata: empty,
                parsed: empty,
            })
        });
    build_rows(inputs, order)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_interleave_streams_by_exact_nanoseconds() {
        let groups: [LineGroup<'_>; 2] = [
            (
                0,
                &[("app", "a")],
                &[
                    (1_714_000_000_000_000_003, "a3"),
                    (1_714_000_000_000_000_001, "a1"),
                ],
            ),
            (0, &[("app", "b")], &[(1_714_000_000_000_000_002, "b2")]),
        ];
        let newest: Vec<_> = rows_from_lines(&groups, SortOrder::NewestFirst)
            .into_iter()
            .map(|r| r.line)
            .collect();
        assert_eq!(newest, ["a3", "b2", "a1"]);
        let oldest = rows_from_lines(&groups, SortOrder::OldestFirst);
        assert_eq!(oldest[0].line, "a1");
        assert_eq!(oldest[2].id, 2);
        assert_eq!(oldest[1].labels.get("app"), Some("b"));
    }

    #[test]
    fn equal_timestamps_keep_query_then_stream_order() {
        let groups: [LineGroup<'_>; 3] = [
            (0, &[("app", "a")], &[(5, "x")]),
            (0, &[("app", "b")], &[(5, "y")]),
            (1, &[("app", "c")], &[(5, "z")]),
        ];
        let rows = rows_from_lines(&groups, SortOrder::NewestFirst);
        let lines: Vec<_> = rows.iter().map(|r| r.line.as_str()).collect();
        assert_eq!(lines, ["x", "y", "z"]);
        assert_eq!(rows[2].query_index, 1);
    }

    #[test]
    fn levels_are_detected_and_counted() {
        let groups: [LineGroup<'_>; 1] = [(
            0,
            &[("app", "a")],
            &[(3, "level=error msg=x"), (2, "INFO ok"), (1, "ERROR again")],
        )];
        let rows = rows_from_lines(&groups, SortOrder::NewestFirst);
        assert_eq!(
            level_counts(&rows),
            vec![(LogLevel::Error, 2), (LogLevel::Info, 1)]
        );
    }

    #[test]
    fn sort_order_reads_grafana_names() {
        assert_eq!(SortOrder::parse("Descending"), Some(SortOrder::NewestFirst));
        assert_eq!(SortOrder::parse("Ascending"), Some(SortOrder::OldestFirst));
        assert_eq!(SortOrder::parse("sideways"), None);
    }
}
