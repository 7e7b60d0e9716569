//! Loki decoders against answers recorded from the project's Loki test double
//! (`tests/fixtures/api/loki/`) and the documented examples of the Loki HTTP API
//! (`tests/fixtures/api/loki/docs/`); see the README there.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::fixture;
use sightline_core::api::loki::{
    decode_format_query, decode_index_stats, decode_names, decode_query, decode_series,
    decode_volume, entry_count, IndexStats, LokiResult,
};
use sightline_core::api::prometheus::PromData;

const HOST: &str = "loki.example";

/// Answers recorded from the Loki test double.
fn loki(name: &str) -> String {
    fixture(&format!("loki/{name}"))
}

/// The documented examples of the Loki HTTP API.
fn docs(name: &str) -> String {
    fixture(&format!("loki/docs/{name}"))
}

#[test]
fn documented_streams_keep_nanosecond_timestamps_exact() {
    let answer = decode_query(HOST, &docs("query_range_streams.json")).unwrap();
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
    let answer = decode_query(HOST, &docs("query_range_streams_docs.json")).unwrap();
    assert_eq!(entry_count(answer.data.result.streams()), 2);
    assert_eq!(answer.data.stats.summary.total_bytes_processed, Some(0));
    assert!(answer.data.stats.raw.get("ingester").is_some());
}

#[test]
fn categorized_entries_carry_structured_metadata_and_parsed_labels_apart() {
    let answer = decode_query(HOST, &docs("query_range_streams_categorized.json")).unwrap();
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
    let matrix = decode_query(HOST, &docs("query_range_matrix.json")).unwrap();
    let LokiResult::Samples(PromData::Matrix { series, .. }) = matrix.data.result else {
        panic!("expected a matrix")
    };
    assert_eq!(series[0].labels.get("level"), Some("error"));
    assert_eq!(series[0].values, vec![3.0, 5.0]);
    let vector = decode_query(HOST, &docs("query_vector.json")).unwrap();
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
        decode_names(HOST, &docs("labels.json")).unwrap().data,
        vec!["foo", "bar", "baz"]
    );
    assert_eq!(
        decode_names(HOST, &docs("label_values.json")).unwrap().data,
        vec!["cat", "dog", "axolotl"]
    );
    let series = decode_series(HOST, &docs("series.json")).unwrap().data;
    assert_eq!(series.len(), 2);
    assert_eq!(series[1].get("component"), Some("server"));
}

#[test]
fn index_stats_volume_and_format_query() {
    assert_eq!(
        decode_index_stats(HOST, &docs("index_stats.json")).unwrap(),
        IndexStats {
            streams: 100,
            chunks: 1000,
            entries: 5000,
            bytes: 100_000
        }
    );
    let volume = decode_volume(HOST, &docs("index_volume.json"))
        .unwrap()
        .data;
    assert_eq!(volume.series()[0].values, vec![1_048_576.0]);
    let volume_range = decode_volume(HOST, &docs("index_volume_range.json"))
        .unwrap()
        .data;
    assert_eq!(volume_range.result_type(), "matrix");
    assert_eq!(volume_range.series()[0].len(), 2);
    assert_eq!(
        decode_format_query(HOST, &docs("format_query.json"))
            .unwrap()
            .data,
        r#"{app="api"} |= "error" | json"#
    );
}

// ---- recorded from the Loki test double (clock frozen at 2025-03-02T12:00:00Z) ----

fn all_times(streams: &[sightline_core::api::loki::LogStream]) -> Vec<i64> {
    let mut times: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns))
        .collect();
    times.sort_unstable();
    times
}

#[test]
fn recorded_backward_streams_are_newest_first_within_the_limit_and_range() {
    let answer = decode_query(HOST, &loki("query_range_streams.json")).unwrap();
    let streams = answer.data.result.streams();
    assert_eq!(entry_count(streams), 20, "limit=20");
    let (start, end) = (1_740_916_200_000_000_000_i64, 1_740_916_800_000_000_000_i64);
    for stream in streams {
        assert_eq!(stream.labels.get("app"), Some("chat-serving"));
        assert!(
            stream.entries.windows(2).all(|w| w[0].ts_ns >= w[1].ts_ns),
            "backward"
        );
        assert!(
            stream
                .entries
                .iter()
                .all(|e| (start..end).contains(&e.ts_ns)),
            "end is exclusive"
        );
        // Real nanoseconds, not milliseconds padded with zeros.
        assert!(stream.entries.iter().any(|e| e.ts_ns % 1_000_000 != 0));
    }
    let forward = decode_query(HOST, &loki("query_range_streams_forward.json")).unwrap();
    for stream in forward.data.result.streams() {
        assert!(
            stream.entries.windows(2).all(|w| w[0].ts_ns <= w[1].ts_ns),
            "forward"
        );
    }
}

#[test]
fn recorded_categorized_answer_splits_structured_metadata_and_parsed_labels() {
    let answer = decode_query(HOST, &loki("query_range_streams_categorized.json")).unwrap();
    assert_eq!(answer.data.encoding_flags, vec!["categorize-labels"]);
    let entries: Vec<_> = answer
        .data
        .result
        .streams()
        .iter()
        .flat_map(|s| &s.entries)
        .collect();
    assert!(!entries.is_empty());
    assert!(entries.iter().any(|e| !e.structured_metadata.is_empty()));
    assert!(
        entries.iter().any(|e| !e.parsed.is_empty()),
        "`| json` adds parsed labels (or __error__)"
    );
}

#[test]
fn recorded_metric_queries_labels_series_and_index() {
    let matrix = decode_query(HOST, &loki("query_range_matrix.json")).unwrap();
    let LokiResult::Samples(PromData::Matrix { series, .. }) = &matrix.data.result else {
        panic!("matrix")
    };
    assert!(series
        .iter()
        .any(|s| s.labels.get("level") == Some("error")));
    assert!(series
        .iter()
        .all(|s| s.times_ms.windows(2).all(|w| (w[1] - w[0]) % 60_000 == 0)));
    let vector = decode_query(HOST, &loki("query_vector.json")).unwrap();
    assert_eq!(vector.data.result.result_type(), "vector");
    assert!(decode_names(HOST, &loki("labels.json"))
        .unwrap()
        .data
        .contains(&"namespace".to_owned()));
    assert!(decode_names(HOST, &loki("label_values_app.json"))
        .unwrap()
        .data
        .contains(&"chat-serving".to_owned()));
    let series = decode_series(HOST, &loki("series.json")).unwrap().data;
    assert!(series
        .iter()
        .all(|l| l.get("namespace") == Some("inference")));
    let stats = decode_index_stats(HOST, &loki("index_stats.json")).unwrap();
    assert!(stats.streams > 0 && stats.entries > 0 && stats.bytes > 0);
    let volume = decode_volume(HOST, &loki("index_volume.json"))
        .unwrap()
        .data;
    assert!(volume
        .series()
        .iter()
        .all(|s| s.labels.get("namespace").is_some()));
    assert_eq!(
        decode_volume(HOST, &loki("index_volume_range.json"))
            .unwrap()
            .data
            .result_type(),
        "matrix"
    );
    assert_eq!(
        decode_format_query(HOST, &loki("format_query.json"))
            .unwrap()
            .data,
        r#"{app="chat-serving", namespace="inference"} |= "error" | json"#
    );
    let warned = decode_query(HOST, &loki("warning_injected.json")).unwrap();
    assert_eq!(
        warned.warnings,
        vec!["query was truncated: max_query_series reached"]
    );
}

#[test]
fn recorded_pages_merge_into_the_same_lines_as_one_bigger_request() {
    use sightline_core::api::loki::{Direction, LogPager, LogRange};
    let (start, end) = (1_740_916_200_000_000_000_i64, 1_740_916_800_000_000_000_i64);
    let pager = LogPager {
        range: LogRange::new(start, end),
        direction: Direction::Backward,
        limit: 5,
    };
    let mut loaded = Vec::new();
    let page_1 = decode_query(HOST, &loki("page_1.json"))
        .unwrap()
        .data
        .result;
    let first = pager.absorb(&mut loaded, page_1.streams().to_vec());
    let next = first.next.unwrap();
    let recorded_end: i64 = fixture("loki/page_params.txt")
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix("page_2_end="))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        next,
        LogRange::new(start, recorded_end),
        "page 2 was recorded with the range the pager chose"
    );
    let page_2 = decode_query(HOST, &loki("page_2.json"))
        .unwrap()
        .data
        .result;
    let second = pager.absorb(&mut loaded, page_2.streams().to_vec());
    assert!(
        second.added >= 4,
        "at most the boundary entry repeats: {second:?}"
    );
    let whole = decode_query(HOST, &loki("page_whole.json"))
        .unwrap()
        .data
        .result;
    let expected: Vec<i64> = all_times(whole.streams())
        .into_iter()
        .rev()
        .take(first.added + second.added)
        .collect();
    let mut got = all_times(&loaded);
    got.reverse();
    assert_eq!(got, expected);
}
