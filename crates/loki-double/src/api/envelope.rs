//! JSON envelopes exactly as Loki writes them: `{"status":"success","data":{"resultType",
//! "encodingFlags"?, "result", "stats"}}`, ns string timestamps, string sample values.

use crate::engine::logs::OutStream;
use crate::engine::{Series, Stats, Steps};
use crate::http::{Body, Response};
use crate::json::{push_labels, push_str, sample_value, seconds_from_ms};
use crate::timefmt::NS_PER_MS;

/// `data.stats`, shaped like Loki's (every field optional for clients; most are zeros here).
#[must_use]
pub fn stats_json(stats: Stats, exec_secs: f64, returned: usize) -> String {
    let per_sec = |n: u64| {
        if exec_secs > 0.0 {
            (n as f64 / exec_secs) as u64
        } else {
            0
        }
    };
    let store = format!(
        "{{\"totalChunksRef\":0,\"totalChunksDownloaded\":0,\"chunksDownloadTime\":0,\"queryReferencedStructuredMetadata\":false,\"chunk\":{{\"headChunkBytes\":0,\"headChunkLines\":0,\"decompressedBytes\":{},\"decompressedLines\":{},\"compressedBytes\":0,\"totalDuplicates\":0,\"postFilterLines\":{},\"headChunkStructuredMetadataBytes\":0,\"decompressedStructuredMetadataBytes\":0}}}}",
        stats.bytes_processed, stats.lines_processed, stats.post_filter_lines
    );
    format!(
        "{{\"summary\":{{\"bytesProcessedPerSecond\":{},\"linesProcessedPerSecond\":{},\"totalBytesProcessed\":{},\"totalLinesProcessed\":{},\"execTime\":{exec_secs},\"queueTime\":0,\"subqueries\":0,\"totalEntriesReturned\":{returned},\"splits\":0,\"shards\":0,\"totalPostFilterLines\":{},\"totalStructuredMetadataBytesProcessed\":0}},\"querier\":{{\"store\":{store}}},\"ingester\":{{\"totalReached\":0,\"totalChunksMatched\":0,\"totalBatches\":0,\"totalLinesSent\":0,\"store\":{store}}},\"cache\":{{}},\"index\":{{\"totalChunks\":0,\"postFilterChunks\":0,\"shardsDuration\":0,\"usedBloomFilters\":false}}}}",
        per_sec(stats.bytes_processed),
        per_sec(stats.lines_processed),
        stats.bytes_processed,
        stats.lines_processed,
        stats.post_filter_lines,
    )
}

fn envelope(result_type: &str, flags: bool, result: &str, stats: &str) -> String {
    let flags = if flags {
        ",\"encodingFlags\":[\"categorize-labels\"]"
    } else {
        ""
    };
    format!("{{\"status\":\"success\",\"data\":{{\"resultType\":\"{result_type}\"{flags},\"result\":{result},\"stats\":{stats}}}}}")
}

/// A `streams` result.
#[must_use]
pub fn streams(result: &[OutStream], categorize: bool, stats: &str) -> String {
    let mut out = String::from("[");
    for (i, s) in result.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"stream\":");
        push_labels(&mut out, &s.labels);
        out.push_str(",\"values\":[");
        for (j, e) in s.entries.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            out.push_str(&format!("[\"{}\",", e.ts_ns));
            push_str(&mut out, &e.line, true);
            if categorize {
                out.push_str(",{");
                if !e.structured.is_empty() {
                    out.push_str("\"structuredMetadata\":");
                    push_labels(&mut out, &e.structured);
                }
                if !e.parsed.is_empty() {
                    if !e.structured.is_empty() {
                        out.push(',');
                    }
                    out.push_str("\"parsed\":");
                    push_labels(&mut out, &e.parsed);
                }
                out.push('}');
            }
            out.push(']');
        }
        out.push_str("]}");
    }
    out.push(']');
    envelope("streams", categorize, &out, stats)
}

/// A `matrix` result (`values: [[seconds, "v"], …]`).
#[must_use]
pub fn matrix(series: &[Series], steps: &Steps, stats: &str) -> String {
    envelope("matrix", false, &matrix_result(series, steps), stats)
}

/// The `result` array of a matrix.
#[must_use]
pub fn matrix_result(series: &[Series], steps: &Steps) -> String {
    let mut out = String::from("[");
    for (i, s) in series.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"metric\":");
        push_labels(&mut out, &s.labels);
        out.push_str(",\"values\":[");
        let mut first = true;
        for (k, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&format!(
                    "[{},\"{}\"]",
                    seconds_from_ms(steps.at(k).div_euclid(NS_PER_MS)),
                    sample_value(*v)
                ));
            }
        }
        out.push_str("]}");
    }
    out.push(']');
    out
}

/// A `vector` result at instant `t_ns` (step 0 of each series).
#[must_use]
pub fn vector(series: &[Series], t_ns: i64, stats: &str) -> String {
    envelope("vector", false, &vector_result(series, t_ns), stats)
}

/// The `result` array of a vector.
#[must_use]
pub fn vector_result(series: &[Series], t_ns: i64) -> String {
    let mut out = String::from("[");
    let mut first = true;
    for s in series {
        if let Some(Some(v)) = s.values.first() {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str("{\"metric\":");
            push_labels(&mut out, &s.labels);
            out.push_str(&format!(
                ",\"value\":[{},\"{}\"]}}",
                seconds_from_ms(t_ns.div_euclid(NS_PER_MS)),
                sample_value(*v)
            ));
        }
    }
    out.push(']');
    out
}

/// `{"status":"success","data":<data>}` for labels, values, series, format_query.
#[must_use]
pub fn data(data_json: &str) -> String {
    format!("{{\"status\":\"success\",\"data\":{data_json}}}")
}

/// Inserts a warning into a successful JSON envelope (fault injection's `warning`).
pub fn add_warning(resp: &mut Response, warning: &str) {
    let Body::Bytes(bytes) = &mut resp.body else {
        return;
    };
    let prefix = b"{\"status\":\"success\",";
    if !bytes.starts_with(prefix) {
        return;
    }
    let mut text = String::from("\"warnings\":[");
    push_str(&mut text, warning, false);
    text.push_str("],");
    let mut out = prefix.to_vec();
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&bytes[prefix.len()..]);
    *bytes = out;
}
