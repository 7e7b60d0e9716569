//! Loki's statistics: the `stats` of query answers (every field optional) and the bare
//! `index/stats` answer.

use serde::Deserialize;

/// The `stats` object of a `query` / `query_range` answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QueryStats {
    /// The parts a UI shows (execution time, bytes and lines processed).
    pub summary: StatsSummary,
    /// The whole object as sent (ingester, store, querier, cache breakdowns) for an inspector.
    pub raw: serde_json::Value,
}

/// `stats.summary`; servers differ in what they fill, so every field is optional.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StatsSummary {
    pub exec_time_s: Option<f64>,
    pub queue_time_s: Option<f64>,
    pub total_bytes_processed: Option<u64>,
    pub total_lines_processed: Option<u64>,
    pub bytes_processed_per_second: Option<u64>,
    pub lines_processed_per_second: Option<u64>,
    pub total_entries_returned: Option<u64>,
    pub total_post_filter_lines: Option<u64>,
    pub splits: Option<u64>,
    pub shards: Option<u64>,
}

impl QueryStats {
    /// Reads the stats object leniently: missing or oddly typed fields are `None`.
    #[must_use]
    pub fn from_value(raw: serde_json::Value) -> Self {
        let summary = raw.get("summary");
        let float = |name: &str| {
            summary
                .and_then(|s| s.get(name))
                .and_then(serde_json::Value::as_f64)
        };
        let whole = |name: &str| {
            summary.and_then(|s| s.get(name)).and_then(|v| {
                v.as_u64().or_else(|| {
                    v.as_f64()
                        .filter(|f| *f >= 0.0 && f.is_finite())
                        .map(round_to_u64)
                })
            })
        };
        let summary = StatsSummary {
            exec_time_s: float("execTime"),
            queue_time_s: float("queueTime"),
            total_bytes_processed: whole("totalBytesProcessed"),
            total_lines_processed: whole("totalLinesProcessed"),
            bytes_processed_per_second: whole("bytesProcessedPerSecond"),
            lines_processed_per_second: whole("linesProcessedPerSecond"),
            total_entries_returned: whole("totalEntriesReturned"),
            total_post_filter_lines: whole("totalPostFilterLines"),
            splits: whole("splits"),
            shards: whole("shards"),
        };
        QueryStats { summary, raw }
    }
}

#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn round_to_u64(value: f64) -> u64 {
    value.round() as u64
}

/// The answer of `index/stats` (no envelope; approximate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(default)]
pub struct IndexStats {
    pub streams: u64,
    pub chunks: u64,
    pub entries: u64,
    pub bytes: u64,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stats_fields_are_all_optional() {
        let stats = QueryStats::from_value(
            serde_json::json!({"summary":{"execTime":0.012,"totalLinesProcessed":2}}),
        );
        assert_eq!(stats.summary.exec_time_s, Some(0.012));
        assert_eq!(stats.summary.total_lines_processed, Some(2));
        assert_eq!(stats.summary.total_bytes_processed, None);
        assert_eq!(
            QueryStats::from_value(serde_json::json!({})).summary,
            StatsSummary::default()
        );
        let odd = QueryStats::from_value(
            serde_json::json!({"summary":{"execTime":"fast","totalBytesProcessed":12.0}}),
        );
        assert_eq!(odd.summary.exec_time_s, None);
        assert_eq!(odd.summary.total_bytes_processed, Some(12));
    }
}
