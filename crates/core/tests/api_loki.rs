//! Loki decoders against the answers in `tests/fixtures/api/loki/` (the documented examples of
//! the Loki HTTP API and Loki's own encoder shapes; see the README there).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::fixture;
use sightline_core::api::loki::{
    decode_format_query, decode_index_stats, decode_names, decode_query, decode_series,
    decode_volume, entry_count, IndexStats, LokiResult,
};
use sightline_core::api::prometheus::PromData;

const HOST: &str = "loki.example";

fn loki(name: &str) -> String {
    fixture(&format!("loki/{name}"))
}

#[test]
fn streams_keep_nanosecond_timestamps_exact() {
    let answer = decode_query(HOST, &loki("query_range_streams.json")).unwrap();
    let streams = answer.data.result.streams();
    assert_eq!(streams.len(), 1);
    assert_eq!(streams[0].labels.get("app"), Some("api"));
    let times: Vec<i64> = streams[0].entries.iter().map(|e| e.ts_ns).collect();
    assert_eq!(
        times,
        vec![1_714_000_000_123_456_789, 1_714_000_000_000_000_001]
    );
    assert_eq!(answer.data.stats.summary.exec_time_s, Some(0.012));
}

#[test]
fn the_documented_stream_answer_with_full_stats_decodes() {
    let answer = decode_query(HOST, &loki("query_range_streams_docs.json")).unwrap();
    assert_eq!(entry_count(answer.data.result.streams()), 2);
    assert_eq!(answer.data.stats.summary.total_bytes_processed, Some(0));
    assert!(answer.data.stats.raw.get("ingester").is_some());
}

#[test]
fn categorized_entries_carry_structured_metadata_and_parsed_labels_apart() {
    let answer = decode_query(HOST, &loki("query_range_streams_categorized.json")).unwrap();
    assert_eq!(answer.data.encoding_flags, vec!["categorize-labels"]);
    let stream = &answer.data.result.streams()[0];
    assert_eq!(stream.labels.len(), 2, "stream labels stay unsplit");
    let first = &stream.entries[0];
    assert_eq!(
        first.structured_metadata.get("trace_id"),
        Some("0242ac120002")
    );
    assert_eq!(first.parsed.get("level"), Some("error"));
    assert_eq!(first.line, r#"{"level":"error","msg":"upstream timeout"}"#);
    assert!(
        stream.entries[1].structured_metadata.is_empty() && stream.entries[1].parsed.is_empty()
    );
}

#[test]
fn metric_queries_decode_like_prometheus() {
    let matrix = decode_query(HOST, &loki("query_range_matrix.json")).unwrap();
    let LokiResult::Samples(PromData::Matrix { series, .. }) = matrix.data.result else {
        panic!("expected a matrix")
    };
    assert_eq!(series[0].labels.get("level"), Some("error"));
    assert_eq!(series[0].values, vec![3.0, 5.0]);
    let vector = decode_query(HOST, &loki("query_vector.json")).unwrap();
    let LokiResult::Samples(PromData::Vector { series, .. }) = vector.data.result else {
        panic!("expected a vector")
    };
    assert_eq!(series.len(), 3);
    assert!(series[0].labels.is_empty());
    assert_eq!(series[0].times_ms, vec![1_588_889_221_000]);
}

#[test]
fn labels_values_and_series() {
    assert_eq!(
        decode_names(HOST, &loki("labels.json")).unwrap().data,
        vec!["foo", "bar", "baz"]
    );
    assert_eq!(
        decode_names(HOST, &loki("label_values.json")).unwrap().data,
        vec!["cat", "dog", "axolotl"]
    );
    let series = decode_series(HOST, &loki("series.json")).unwrap().data;
    assert_eq!(series.len(), 2);
    assert_eq!(series[1].get("component"), Some("server"));
}

#[test]
fn index_stats_volume_and_format_query() {
    assert_eq!(
        decode_index_stats(HOST, &loki("index_stats.json")).unwrap(),
        IndexStats {
            streams: 100,
            chunks: 1000,
            entries: 5000,
            bytes: 100_000
        }
    );
    let volume = decode_volume(HOST, &loki("index_volume.json"))
        .unwrap()
        .data;
    assert_eq!(volume.series()[0].values, vec![1_048_576.0]);
    let volume_range = decode_volume(HOST, &loki("index_volume_range.json"))
        .unwrap()
        .data;
    assert_eq!(volume_range.result_type(), "matrix");
    assert_eq!(volume_range.series()[0].len(), 2);
    assert_eq!(
        decode_format_query(HOST, &loki("format_query.json"))
            .unwrap()
            .data,
        r#"{app="api"} |= "error" | json"#
    );
}
