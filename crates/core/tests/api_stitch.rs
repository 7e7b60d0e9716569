//! Legacy stitching end to end on answers: plan the split, decode both halves, merge, note.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::{classify, fixture, recorded};
use sightline_core::api::loki::{self, Direction, LogRange, NS_PER_MS};
use sightline_core::api::prometheus::decode_query;
use sightline_core::api::stitch::{
    plan_logs, plan_metrics, stitch_logs, stitch_metrics, Half, LogQueryKind, StitchKind,
};
use sightline_core::model::civil::parse_rfc3339;
use sightline_core::model::duration::Duration;
use sightline_core::model::time_range::TimeRange;

const LEGACY: &str = "prometheus-legacy.ord1.coreweave.com";
const CURRENT: &str = "observe.coreweave.com";
const HOUR_MS: i64 = 3_600_000;

fn at(text: &str) -> i64 {
    parse_rfc3339(text).unwrap()
}

/// A query_range body as Prometheus writes it, one series `{job="gpu"}` with `value(t)`.
fn matrix_body(from_ms: i64, to_ms: i64, step_ms: i64, value: impl Fn(i64) -> f64) -> String {
    let points: Vec<String> = (0..)
        .map(|k| from_ms + k * step_ms)
        .take_while(|t| *t <= to_ms)
        .map(|t| format!("[{},\"{}\"]", t / 1000, value(t)))
        .collect();
    format!(
        r#"{{"status":"success","data":{{"resultType":"matrix","result":[{{"metric":{{"job":"gpu"}},"values":[{}]}}]}}}}"#,
        points.join(",")
    )
}

#[test]
fn a_week_across_2024_10_21_becomes_one_continuous_series() {
    let cutover = at("2024-10-21T00:00:00Z");
    let range = TimeRange::new(at("2024-10-14T00:00:00Z"), at("2024-10-28T00:00:00Z"));
    let step = Duration::from_secs(3600);
    let plan = plan_metrics(range, step, cutover, true);
    let (legacy_range, current_range) = (plan.legacy.unwrap(), plan.current.unwrap());
    assert_eq!(
        legacy_range.to_ms,
        cutover - HOUR_MS,
        "the legacy part ends one step before the cut-over"
    );
    assert_eq!(
        current_range.from_ms, cutover,
        "the current part starts at the cut-over"
    );

    // Each host answers only for its part (the legacy host has nothing after the cut-over).
    let legacy_body = matrix_body(legacy_range.from_ms, legacy_range.to_ms, HOUR_MS, |t| {
        (t / HOUR_MS) as f64
    });
    let current_body = matrix_body(current_range.from_ms, current_range.to_ms, HOUR_MS, |t| {
        (t / HOUR_MS) as f64
    });
    let stitched = stitch_metrics(
        Some(Half {
            host: LEGACY.into(),
            from_ms: legacy_range.from_ms,
            to_ms: legacy_range.to_ms,
            outcome: decode_query(LEGACY, &legacy_body),
        }),
        Some(Half {
            host: CURRENT.into(),
            from_ms: current_range.from_ms,
            to_ms: current_range.to_ms,
            outcome: decode_query(CURRENT, &current_body),
        }),
        cutover,
    )
    .unwrap();

    let series = stitched.answer.data.series();
    assert_eq!(series.len(), 1, "same labels → one series");
    let s = &series[0];
    assert_eq!(s.times_ms.first(), Some(&range.from_ms));
    assert_eq!(s.times_ms.last(), Some(&range.to_ms));
    assert_eq!(
        s.len(),
        14 * 24 + 1,
        "every hour of both weeks, both ends included"
    );
    assert!(
        s.times_ms.windows(2).all(|w| w[1] - w[0] == HOUR_MS),
        "no gap and no duplicate at the cut-over"
    );
    assert!(s
        .values
        .iter()
        .zip(&s.times_ms)
        .all(|(v, t)| *v == (t / HOUR_MS) as f64));
    let note = stitched.note.unwrap();
    assert_eq!(note.kind, StitchKind::Stitched);
    assert_eq!(
        note.text,
        "stitched: 2024-10-14 → 2024-10-21 from prometheus-legacy.ord1.coreweave.com, \
         2024-10-21 → 2024-10-28 from observe.coreweave.com"
    );
}

#[test]
fn a_failed_legacy_half_still_returns_the_current_half_with_a_note() {
    let cutover = at("2024-10-21T00:00:00Z");
    let range = TimeRange::new(at("2024-10-14T00:00:00Z"), at("2024-10-28T00:00:00Z"));
    let plan = plan_metrics(range, Duration::from_secs(3600), cutover, true);
    let (legacy_range, current_range) = (plan.legacy.unwrap(), plan.current.unwrap());
    let gateway_502 = classify(
        LEGACY,
        "/api/v1/query_range",
        &recorded("gateway/error_502_upstream_down.http"),
    );
    let current_body = matrix_body(current_range.from_ms, current_range.to_ms, HOUR_MS, |_| 1.0);
    let stitched = stitch_metrics(
        Some(Half {
            host: LEGACY.into(),
            from_ms: legacy_range.from_ms,
            to_ms: legacy_range.to_ms,
            outcome: Err(gateway_502),
        }),
        Some(Half {
            host: CURRENT.into(),
            from_ms: current_range.from_ms,
            to_ms: current_range.to_ms,
            outcome: decode_query(CURRENT, &current_body),
        }),
        cutover,
    )
    .unwrap();
    assert_eq!(
        stitched.answer.data.series()[0].times_ms.first(),
        Some(&cutover)
    );
    let note = stitched.note.unwrap();
    assert_eq!(note.kind, StitchKind::LegacyFailed);
    assert_eq!(
        note.text,
        "legacy host prometheus-legacy.ord1.coreweave.com failed: prometheus-legacy.ord1.coreweave.com \
         is unavailable (502): 502 Bad Gateway; showing data from 2024-10-21 on"
    );
}

/// `start=… end=… cutover=… step=…` of the recorded split (Unix seconds).
fn recorded_split() -> (i64, i64, i64, i64) {
    let text = fixture("prometheus/stitch_params.txt");
    let value = |name: &str| -> i64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap()
            .parse()
            .unwrap()
    };
    (
        value("start"),
        value("end"),
        value("cutover"),
        value("step"),
    )
}

#[test]
fn halves_recorded_from_a_real_prometheus_stitch_back_into_the_whole_range() {
    let (start, end, cutover_s, step_s) = recorded_split();
    let cutover = cutover_s * 1000;
    let range = TimeRange::new(start * 1000, end * 1000);
    let step = Duration::from_secs(u64::try_from(step_s).unwrap());
    let plan = plan_metrics(range, step, cutover, true);
    let (legacy_range, current_range) = (plan.legacy.unwrap(), plan.current.unwrap());
    let legacy = decode_query("a", &fixture("prometheus/stitch_legacy_half.json")).unwrap();
    let current = decode_query("b", &fixture("prometheus/stitch_current_half.json")).unwrap();
    // The halves were recorded with exactly the ranges the planner chooses.
    let last_legacy = legacy
        .data
        .series()
        .iter()
        .filter_map(|s| s.times_ms.last())
        .max()
        .copied();
    let first_current = current
        .data
        .series()
        .iter()
        .filter_map(|s| s.times_ms.first())
        .min()
        .copied();
    assert_eq!(last_legacy, Some(legacy_range.to_ms));
    assert_eq!(first_current, Some(current_range.from_ms));

    let stitched = stitch_metrics(
        Some(Half {
            host: "a".into(),
            from_ms: legacy_range.from_ms,
            to_ms: legacy_range.to_ms,
            outcome: Ok(legacy),
        }),
        Some(Half {
            host: "b".into(),
            from_ms: current_range.from_ms,
            to_ms: current_range.to_ms,
            outcome: Ok(current),
        }),
        cutover,
    )
    .unwrap();
    let whole = decode_query("w", &fixture("prometheus/stitch_whole.json")).unwrap();
    assert_eq!(stitched.answer.data.series(), whole.data.series());
}

fn streams_body(app: &str, entries: &[(i64, &str)]) -> String {
    let values: Vec<String> = entries
        .iter()
        .map(|(ts, line)| format!("[\"{ts}\",\"{line}\"]"))
        .collect();
    format!(
        r#"{{"status":"success","data":{{"resultType":"streams","result":[{{"stream":{{"app":"{app}"}},"values":[{}]}}],"stats":{{}}}}}}"#,
        values.join(",")
    )
}

#[test]
fn log_ranges_split_at_the_cutover_and_merge_to_the_newest_lines_within_the_limit() {
    let cutover_ms = at("2025-03-01T00:00:00Z");
    let cutover_ns = cutover_ms * NS_PER_MS;
    let range = LogRange::new(cutover_ns - 10_000, cutover_ns + 10_000);
    let plan = plan_logs(
        range,
        LogQueryKind::of(r#"{app="api"}"#),
        Duration::from_secs(1),
        cutover_ns,
        true,
    );
    assert_eq!(
        plan.legacy,
        Some(LogRange::new(cutover_ns - 10_000, cutover_ns))
    );
    assert_eq!(
        plan.current,
        Some(LogRange::new(cutover_ns, cutover_ns + 10_000))
    );

    let legacy = streams_body(
        "api",
        &[(cutover_ns - 1, "old-1"), (cutover_ns - 2, "old-2")],
    );
    let current = streams_body("api", &[(cutover_ns + 5, "new-5"), (cutover_ns, "new-0")]);
    let stitched = stitch_logs(
        Some(Half {
            host: "observe-legacy.coreweave.com".into(),
            from_ms: cutover_ms - 1,
            to_ms: cutover_ms,
            outcome: loki::decode_query("l", &legacy),
        }),
        Some(Half {
            host: CURRENT.into(),
            from_ms: cutover_ms,
            to_ms: cutover_ms + 1,
            outcome: loki::decode_query("c", &current),
        }),
        cutover_ms,
        Direction::Backward,
        3,
    )
    .unwrap();
    let streams = stitched.answer.data.result.streams();
    assert_eq!(streams.len(), 1);
    let lines: Vec<&str> = streams[0].entries.iter().map(|e| e.line.as_str()).collect();
    assert_eq!(
        lines,
        vec!["new-5", "new-0", "old-1"],
        "newest first, cut to the limit of 3"
    );
    assert_eq!(stitched.note.unwrap().kind, StitchKind::Stitched);
}

#[test]
fn log_halves_recorded_from_the_legacy_and_current_doubles_stitch_at_2025_03_01() {
    let cutover_ms = at("2025-03-01T00:00:00Z");
    let cutover_ns = cutover_ms * NS_PER_MS;
    let five_min = 300 * 1_000_000_000;
    let range = LogRange::new(cutover_ns - five_min, cutover_ns + five_min);
    let plan = plan_logs(
        range,
        LogQueryKind::of(r#"{namespace="ml-training"}"#),
        Duration::from_secs(1),
        cutover_ns,
        true,
    );
    assert_eq!(
        plan.legacy,
        Some(LogRange::new(cutover_ns - five_min, cutover_ns))
    );
    assert_eq!(
        plan.current,
        Some(LogRange::new(cutover_ns, cutover_ns + five_min))
    );
    let legacy = loki::decode_query("observe-legacy", &fixture("loki/stitch_legacy_half.json"));
    let current = loki::decode_query("observe", &fixture("loki/stitch_current_half.json"));
    let legacy_count = loki::entry_count(legacy.as_ref().unwrap().data.result.streams());
    let current_count = loki::entry_count(current.as_ref().unwrap().data.result.streams());
    assert!(
        legacy_count > 0 && current_count > 0,
        "both doubles answered for their side"
    );
    let stitched = stitch_logs(
        Some(Half {
            host: "observe-legacy.coreweave.com".into(),
            from_ms: cutover_ms - 300_000,
            to_ms: cutover_ms,
            outcome: legacy,
        }),
        Some(Half {
            host: CURRENT.into(),
            from_ms: cutover_ms,
            to_ms: cutover_ms + 300_000,
            outcome: current,
        }),
        cutover_ms,
        Direction::Backward,
        30,
    )
    .unwrap();
    let streams = stitched.answer.data.result.streams();
    let times: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns))
        .collect();
    assert_eq!(
        times.len(),
        30.min(legacy_count + current_count),
        "cut to the limit"
    );
    for stream in streams {
        assert!(
            stream.entries.windows(2).all(|w| w[0].ts_ns >= w[1].ts_ns),
            "newest first"
        );
    }
    // Backward with a limit keeps the newest lines: the current host's first.
    let kept_current = times.iter().filter(|t| **t >= cutover_ns).count();
    assert_eq!(kept_current, current_count.min(30));
    assert!(times.iter().filter(|t| **t < cutover_ns).all(|old| times
        .iter()
        .filter(|t| **t >= cutover_ns)
        .all(|new| old < new)));
    assert_eq!(
        stitched.note.unwrap().text,
        "stitched: 2025-02-28 23:55 UTC → 2025-03-01 from observe-legacy.coreweave.com, \
         2025-03-01 → 2025-03-01 00:05 UTC from observe.coreweave.com"
    );
}

#[test]
fn forward_log_stitching_keeps_the_oldest_lines_from_the_legacy_double() {
    let cutover_ms = at("2025-03-01T00:00:00Z");
    let cutover_ns = cutover_ms * NS_PER_MS;
    let legacy = loki::decode_query("l", &fixture("loki/stitch_legacy_half.json")).unwrap();
    let current = loki::decode_query("c", &fixture("loki/stitch_current_half.json")).unwrap();
    let legacy_count = loki::entry_count(legacy.data.result.streams());
    // The halves were recorded backward; what is checked here is the merge and the cut.
    let limit = 40;
    let stitched = stitch_logs(
        Some(Half {
            host: "l".into(),
            from_ms: cutover_ms - 300_000,
            to_ms: cutover_ms,
            outcome: Ok(legacy),
        }),
        Some(Half {
            host: "c".into(),
            from_ms: cutover_ms,
            to_ms: cutover_ms + 300_000,
            outcome: Ok(current),
        }),
        cutover_ms,
        Direction::Forward,
        limit,
    )
    .unwrap();
    let streams = stitched.answer.data.result.streams();
    let times: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns))
        .collect();
    assert_eq!(times.len(), 40);
    assert_eq!(
        times.iter().filter(|t| **t < cutover_ns).count(),
        legacy_count,
        "every legacy line, oldest first"
    );
    for stream in streams {
        assert!(
            stream.entries.windows(2).all(|w| w[0].ts_ns <= w[1].ts_ns),
            "oldest first"
        );
    }
}
