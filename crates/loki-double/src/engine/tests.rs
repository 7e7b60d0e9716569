//! Engine tests over the generated data: limits, direction, end-exclusivity, interval,
//! metric queries and their agreement with log queries.

use std::time::Duration;

use super::logs::{query_logs, LogQuery};
use super::*;
use crate::logql::ast::Expr;
use crate::logql::parse;
use crate::params::Direction;
use crate::timefmt::NS_PER_SEC;

const NOW: i64 = 1_760_000_000 * NS_PER_SEC;

fn cfg() -> DataConfig {
    DataConfig {
        retention_ns: None,
        ..DataConfig::default()
    }
}

fn logs(q: &str, start: i64, end: i64, limit: usize, direction: Direction) -> Vec<logs::OutStream> {
    let cfg = cfg();
    let ctx = Ctx::new(&cfg, NOW, Duration::from_secs(60));
    let Expr::Log(expr) = parse(q).unwrap() else {
        panic!("not a log query")
    };
    let query = LogQuery {
        start_ns: start,
        end_ns: end,
        limit,
        direction,
        interval_ns: 0,
        categorize: false,
    };
    query_logs(&ctx, &expr, query).unwrap()
}

fn metric(q: &str, steps: Steps) -> Vec<Series> {
    let cfg = cfg();
    let ctx = Ctx::new(&cfg, NOW, Duration::from_secs(60));
    let Expr::Metric(expr) = parse(q).unwrap() else {
        panic!("not a metric query")
    };
    eval_metric(&ctx, &expr, &steps).unwrap()
}

fn timestamps(streams: &[logs::OutStream]) -> Vec<i64> {
    let mut ts: Vec<i64> = streams
        .iter()
        .flat_map(|s| s.entries.iter().map(|e| e.ts_ns))
        .collect();
    ts.sort_unstable();
    ts
}

const AUDIT: &str =
    r#"{logging_component="unicaster", app="kube-apiserver", stream="", cluster="east-prod"}"#;

#[test]
fn limit_caps_total_entries_and_backward_returns_the_newest() {
    let (start, end) = (NOW - 600 * NS_PER_SEC, NOW);
    let all = timestamps(&logs(AUDIT, start, end, 100_000, Direction::Backward));
    assert!(all.len() > 100);
    let newest = timestamps(&logs(AUDIT, start, end, 10, Direction::Backward));
    assert_eq!(newest, all[all.len() - 10..]);
    let oldest = timestamps(&logs(AUDIT, start, end, 10, Direction::Forward));
    assert_eq!(oldest, all[..10]);
}

#[test]
fn entries_are_ordered_by_direction_within_streams() {
    let (start, end) = (NOW - 300 * NS_PER_SEC, NOW);
    for (dir, desc) in [(Direction::Backward, true), (Direction::Forward, false)] {
        for s in logs(r#"{namespace="kube-system"}"#, start, end, 1000, dir) {
            let ts: Vec<i64> = s.entries.iter().map(|e| e.ts_ns).collect();
            let mut sorted = ts.clone();
            sorted.sort_unstable();
            if desc {
                sorted.reverse();
            }
            assert_eq!(ts, sorted);
        }
    }
}

#[test]
fn start_is_inclusive_and_end_exclusive() {
    let (start, end) = (NOW - 600 * NS_PER_SEC, NOW);
    let all = timestamps(&logs(AUDIT, start, end, 100_000, Direction::Forward));
    let (a, b) = (all[3], all[9]);
    let window = timestamps(&logs(AUDIT, a, b, 100_000, Direction::Forward));
    assert_eq!(window, all[3..9]);
}

#[test]
fn the_seed_audit_query_extracts_source_ips_and_groups() {
    let q = format!("{AUDIT} | json | apiVersion=\"audit.k8s.io/v1\" | json sourceIPs=\"sourceIPs\" | json user_groups=\"user.groups\"");
    let streams = logs(&q, NOW - 600 * NS_PER_SEC, NOW, 50, Direction::Backward);
    assert_eq!(streams.iter().map(|s| s.entries.len()).sum::<usize>(), 50);
    for s in &streams {
        assert!(s.labels.get("sourceIPs").unwrap().starts_with("[\""));
        assert!(s.labels.get("user_groups").unwrap().contains("system:"));
        assert_eq!(s.labels.get("cluster"), Some("east-prod"));
    }
}

#[test]
fn count_over_time_agrees_with_the_log_query() {
    let end = NOW;
    let start = end - 3600 * NS_PER_SEC;
    let entries = timestamps(&logs(AUDIT, start, end, 1_000_000, Direction::Forward)).len();
    let series = metric(
        &format!("sum(count_over_time({AUDIT}[1h]))"),
        Steps::instant(end - 1),
    );
    assert_eq!(series[0].values[0], Some(entries as f64));
}

#[test]
fn sum_by_level_splits_app_logs_by_level() {
    let steps = Steps::range(NOW - 3600 * NS_PER_SEC, NOW, 300 * NS_PER_SEC);
    let series = metric(
        r#"sum by (level) (count_over_time({logging_component="application"}[5m]))"#,
        steps,
    );
    let levels: Vec<&str> = series
        .iter()
        .filter_map(|s| s.labels.get("level"))
        .collect();
    assert_eq!(levels, vec!["debug", "error", "info", "warn"]);
    let info = series
        .iter()
        .find(|s| s.labels.get("level") == Some("info"))
        .unwrap();
    assert!(
        series.iter().any(|s| s.labels.is_empty()),
        "stderr streams have no level label"
    );
    assert_eq!(info.values.len(), 13);
    assert!(
        info.values.iter().all(|v| v.is_some_and(|v| v > 10.0)),
        "{:?}",
        info.values
    );
}

#[test]
fn rate_is_count_over_range_seconds() {
    let t = Steps::instant(NOW);
    let count = metric(&format!("sum(count_over_time({AUDIT}[5m]))"), t)[0].values[0].unwrap();
    let rate = metric(&format!("sum(rate({AUDIT}[5m]))"), t)[0].values[0].unwrap();
    assert!((rate - count / 300.0).abs() < 1e-9);
}

#[test]
fn line_filters_and_parsers_work_in_metric_queries() {
    let t = Steps::instant(NOW);
    let forbidden = metric(
        &format!("sum(count_over_time({AUDIT} | json | responseStatus_code=403 [1h]))"),
        t,
    );
    let contains = metric(
        &format!("sum(count_over_time({AUDIT} |= `\"code\":403` [1h]))"),
        t,
    );
    assert!(forbidden[0].values[0].unwrap() > 0.0);
    assert_eq!(forbidden[0].values[0], contains[0].values[0]);
    let top = metric(
        &format!("topk(2, sum by (verb) (count_over_time({AUDIT} | json [1h])))"),
        t,
    );
    assert_eq!(top.len(), 2);
}

#[test]
fn json_errors_in_metric_queries_are_pipeline_errors() {
    let cfg = cfg();
    let ctx = Ctx::new(&cfg, NOW, Duration::from_secs(60));
    let Expr::Metric(expr) =
        parse(r#"count_over_time({app="kubelet", node="gpu-east-prod-01"} | json [5m])"#).unwrap()
    else {
        panic!()
    };
    let err = eval_metric(&ctx, &expr, &Steps::instant(NOW)).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("pipeline error: 'JSONParserErr' for series:"),
        "{err}"
    );
}

#[test]
fn too_many_series_is_refused() {
    let cfg = cfg();
    let ctx = Ctx::new(&cfg, NOW, Duration::from_secs(60));
    let Expr::Metric(expr) =
        parse(r#"count_over_time({logging_component="unicaster"} | json [1h])"#).unwrap()
    else {
        panic!()
    };
    let err = eval_metric(&ctx, &expr, &Steps::instant(NOW)).unwrap_err();
    assert_eq!(err, EvalError::SeriesLimit(500));
}

#[test]
fn deadlines_turn_into_timeouts() {
    let cfg = cfg();
    let ctx = Ctx::new(&cfg, NOW, Duration::ZERO);
    std::thread::sleep(Duration::from_millis(2));
    let Expr::Metric(expr) = parse(r#"count_over_time({app="kubelet"}[1h])"#).unwrap() else {
        panic!()
    };
    assert_eq!(
        eval_metric(&ctx, &expr, &Steps::instant(NOW)).unwrap_err(),
        EvalError::Timeout
    );
}
