//! Prometheus decoders against answers recorded from a real Prometheus 2.42
//! (`tests/fixtures/api/prometheus/`, see its README for how they were recorded).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::fixture;
use sightline_core::api::prometheus::rules::Rule;
use sightline_core::api::prometheus::{
    decode_build_info, decode_exemplars, decode_format_query, decode_metadata, decode_names,
    decode_query, decode_rules, decode_series, PromData,
};

const HOST: &str = "127.0.0.1:19998";

fn prom(name: &str) -> String {
    fixture(&format!("prometheus/{name}"))
}

#[test]
fn query_returns_a_vector_with_labels_and_millisecond_times() {
    let answer = decode_query(HOST, &prom("query_vector.json")).unwrap();
    let PromData::Vector { series, .. } = &answer.data else {
        panic!("expected a vector, got {:?}", answer.data)
    };
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].labels.metric_name(), Some("up"));
    assert_eq!(series[0].labels.get("job"), Some("prometheus"));
    assert_eq!(series[0].values, vec![1.0]);
    assert_eq!(
        series[0].times_ms[0] % 1000,
        0,
        "time was sent as whole seconds"
    );
    assert!(answer.warnings.is_empty() && answer.infos.is_empty());
}

#[test]
fn query_returns_scalars_strings_and_instant_matrices() {
    let scalar = decode_query(HOST, &prom("query_scalar.json")).unwrap().data;
    assert!(
        matches!(scalar, PromData::Scalar { value, .. } if value == 1.0),
        "{scalar:?}"
    );
    let string = decode_query(HOST, &prom("query_string.json")).unwrap().data;
    assert!(
        matches!(string, PromData::String { ref value, .. } if value == "sightline"),
        "{string:?}"
    );
    let matrix = decode_query(HOST, &prom("query_instant_matrix.json"))
        .unwrap()
        .data;
    let PromData::Matrix { series, .. } = matrix else {
        panic!("expected a matrix")
    };
    assert!(series[0].len() >= 2, "30 s of 5 s scrapes");
    assert!(series[0].times_ms.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn query_range_fills_columns_on_the_step_grid() {
    let answer = decode_query(HOST, &prom("query_range_matrix.json")).unwrap();
    let series = answer.data.series();
    assert!(series.len() >= 2, "one series per (handler, code)");
    for s in series {
        assert!(s.labels.get("handler").is_some() && s.labels.get("code").is_some());
        assert_eq!(s.times_ms.len(), s.values.len());
        assert!(
            s.times_ms.windows(2).all(|w| w[1] - w[0] == 15_000),
            "15 s step"
        );
    }
    // A matrix comes sorted by labels.
    let labels: Vec<_> = series.iter().map(|s| s.labels.clone()).collect();
    let mut sorted = labels.clone();
    sorted.sort();
    assert_eq!(labels, sorted);
}

#[test]
fn query_range_keeps_nan_infinities_and_exponents() {
    let answer = decode_query(HOST, &prom("query_range_special_floats.json")).unwrap();
    let by_kind = |kind: &str| {
        answer
            .data
            .series()
            .iter()
            .find(|s| s.labels.get("kind") == Some(kind))
            .unwrap()
            .values
            .clone()
    };
    assert!(by_kind("nan").iter().all(|v| v.is_nan()));
    assert!(by_kind("pos_inf").iter().all(|v| *v == f64::INFINITY));
    assert!(by_kind("neg_inf").iter().all(|v| *v == f64::NEG_INFINITY));
    assert!(by_kind("tiny").iter().all(|v| (*v - 1e-7).abs() < 1e-20));
}

#[test]
fn a_posted_query_range_answers_the_same_shape() {
    let answer = decode_query(HOST, &prom("query_range_post.json")).unwrap();
    assert_eq!(answer.data.result_type(), "matrix");
    assert_eq!(answer.data.series()[0].labels.metric_name(), Some("up"));
}

#[test]
fn series_returns_label_sets() {
    let series = decode_series(HOST, &prom("series.json")).unwrap().data;
    let names: Vec<_> = series.iter().filter_map(|l| l.metric_name()).collect();
    assert_eq!(names, vec!["prometheus_build_info", "up"]);
    assert_eq!(series[0].get("version"), Some("2.42.0+ds"));
}

#[test]
fn labels_and_label_values_return_names() {
    let labels = decode_names(HOST, &prom("labels.json")).unwrap().data;
    assert!(labels.iter().any(|l| l == "__name__") && labels.iter().any(|l| l == "job"));
    assert_eq!(
        decode_names(HOST, &prom("label_values_job.json"))
            .unwrap()
            .data,
        vec!["prometheus"]
    );
    let handlers = decode_names(HOST, &prom("label_values_handler_matched.json"))
        .unwrap()
        .data;
    assert!(handlers.iter().all(|h| h.starts_with('/')), "{handlers:?}");
    // Prometheus 2.42 predates UTF-8 names: the escaped name is an unknown label, so no values.
    assert!(decode_names(HOST, &prom("label_values_utf8_escaped.json"))
        .unwrap()
        .data
        .is_empty());
}

#[test]
fn metadata_maps_metrics_to_type_help_and_unit() {
    let all = decode_metadata(HOST, &prom("metadata.json")).unwrap().data;
    assert_eq!(all.len(), 3, "limit=3");
    let one = decode_metadata(HOST, &prom("metadata_metric.json"))
        .unwrap()
        .data;
    let entry = &one["prometheus_http_requests_total"][0];
    assert_eq!(entry.kind, "counter");
    assert!(!entry.help.is_empty());
}

#[test]
fn exemplars_decode_when_empty() {
    assert!(decode_exemplars(HOST, &prom("query_exemplars.json"))
        .unwrap()
        .data
        .is_empty());
}

#[test]
fn rules_list_alerting_and_recording_rules_with_active_alerts() {
    let data = decode_rules(HOST, &prom("rules.json")).unwrap().data;
    assert_eq!(data.group_next_token, None, "2.42 does not page");
    let rules: Vec<&Rule> = data.groups.iter().flat_map(|g| &g.rules).collect();
    let firing = rules
        .iter()
        .find_map(|r| match r {
            Rule::Alerting(a) if a.name == "PrometheusUp" => Some(a),
            _ => None,
        })
        .unwrap();
    assert_eq!(firing.state, "firing");
    assert_eq!(firing.alerts[0].value, 1.0);
    assert_eq!(firing.alerts[0].labels.get("severity"), Some("info"));
    assert!(firing.alerts[0].active_at.is_some());
    assert!(rules
        .iter()
        .any(|r| matches!(r, Rule::Recording(rec) if rec.name == "job:up:sum")));
    let alerts_only = decode_rules(HOST, &prom("rules_alert.json")).unwrap().data;
    assert!(alerts_only
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .all(|r| matches!(r, Rule::Alerting(_))));
    let records_only = decode_rules(HOST, &prom("rules_record.json")).unwrap().data;
    assert!(records_only
        .groups
        .iter()
        .flat_map(|g| &g.rules)
        .all(|r| matches!(r, Rule::Recording(_))));
}

#[test]
fn format_query_returns_the_pretty_text() {
    let text = decode_format_query(HOST, &prom("format_query.json"))
        .unwrap()
        .data;
    assert_eq!(
        text,
        r#"sum by (handler) (rate(prometheus_http_requests_total{code="200"}[5m]))"#
    );
}

#[test]
fn build_info_names_the_server() {
    let info = decode_build_info(HOST, &prom("buildinfo.json"))
        .unwrap()
        .data;
    assert_eq!(info.version, "2.42.0+ds");
    assert!(info.go_version.starts_with("go"));
}

#[test]
fn a_body_cut_off_mid_way_is_reported_as_truncated() {
    let body = prom("query_range_matrix.json");
    let cut = &body[..body.len() / 2];
    let err = decode_query(HOST, cut).unwrap_err();
    assert!(err.to_string().contains("cut off"), "{err}");
    assert!(err.to_string().contains(HOST), "{err}");
}
