//! Typed answers of the Loki index endpoints and of `format_query`.
//!
//! `labels`, `label/<name>/values` and `series` use the same `{status, data:[…]}` shape as
//! Prometheus (Loki may send `"data": null` for "none"); `index/stats` has no envelope.

use super::decode::LokiResponse;
use super::stats::IndexStats;
use crate::api::envelope::{decode_bare, decode_envelope_of};
use crate::api::error::ApiError;
use crate::api::wire::WireLabelsList;
use crate::model::frame::Labels;

/// Decodes a `labels` or `label/<name>/values` answer.
///
/// # Errors
/// [`ApiError::Malformed`] for an unreadable body, [`ApiError::BadQuery`] for `status: error`.
pub fn decode_names(host: &str, body: &str) -> Result<LokiResponse<Vec<String>>, ApiError> {
    decode_envelope_of(host, body)
}

/// Decodes a `series` answer: one label set per stream.
///
/// # Errors
/// As [`decode_names`].
pub fn decode_series(host: &str, body: &str) -> Result<LokiResponse<Vec<Labels>>, ApiError> {
    decode_envelope_of::<WireLabelsList>(host, body).map(|e| e.map(|list| list.0))
}

/// Decodes an `index/stats` answer (no envelope).
///
/// # Errors
/// [`ApiError::Malformed`] for an unreadable body.
pub fn decode_index_stats(host: &str, body: &str) -> Result<IndexStats, ApiError> {
    decode_bare(host, body)
}

/// Decodes a `format_query` answer: the formatted LogQL.
///
/// # Errors
/// As [`decode_names`].
pub fn decode_format_query(host: &str, body: &str) -> Result<LokiResponse<String>, ApiError> {
    decode_envelope_of(host, body)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOST: &str = "loki.example";

    #[test]
    fn documented_label_and_series_answers() {
        let names =
            decode_names(HOST, r#"{"status":"success","data":["foo","bar","baz"]}"#).unwrap();
        assert_eq!(names.data, vec!["foo", "bar", "baz"]);
        let none = decode_names(HOST, r#"{"status":"success"}"#);
        assert!(
            none.is_err(),
            "a missing data is malformed, a null one is empty"
        );
        assert!(decode_names(HOST, r#"{"status":"success","data":null}"#)
            .unwrap()
            .data
            .is_empty());
        let series = decode_series(
            HOST,
            r#"{"status":"success","data":[{"container_name":"loki","app":"loki","stream":"stderr"},{"app":"prometheus"}]}"#,
        )
        .unwrap();
        assert_eq!(series.data.len(), 2);
        assert_eq!(series.data[0].get("stream"), Some("stderr"));
    }

    #[test]
    fn index_stats_have_no_envelope() {
        let stats = decode_index_stats(
            HOST,
            r#"{"streams":100,"chunks":1000,"entries":5000,"bytes":100000}"#,
        )
        .unwrap();
        assert_eq!(
            stats,
            IndexStats {
                streams: 100,
                chunks: 1000,
                entries: 5000,
                bytes: 100_000
            }
        );
        assert_eq!(
            decode_index_stats(HOST, "{}").unwrap(),
            IndexStats::default()
        );
        assert!(decode_index_stats(HOST, r#"{"streams":1"#).is_err());
    }

    #[test]
    fn format_query_returns_the_text() {
        let answer = decode_format_query(
            HOST,
            r#"{"status":"success","data":"{app=\"api\"} |= \"x\""}"#,
        )
        .unwrap();
        assert_eq!(answer.data, r#"{app="api"} |= "x""#);
    }
}
