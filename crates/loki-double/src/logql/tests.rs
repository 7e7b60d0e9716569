//! Parser and pipeline tests: every operator, Loki's error texts, and odd inputs.

use super::ast::{Expr, MetricExpr, RangeOp, Stage, VectorOp};
use super::pipeline::{EntryView, Pipeline};
use super::{parse, parse_selector};
use crate::labels::LabelSet;

fn log(q: &str) -> super::ast::LogExpr {
    match parse(q).unwrap() {
        Expr::Log(l) => l,
        Expr::Metric(m) => panic!("expected log query, got {m}"),
    }
}

fn run(q: &str, line: &str) -> Option<LabelSet> {
    let stream = LabelSet::from_pairs([("app", "api"), ("level", "info")]);
    let l = log(q);
    let p = Pipeline::new(l.stages);
    p.process(EntryView {
        ts_ns: 0,
        line,
        stream: &stream,
        structured: &[("detected_level", "info")],
    })
    .map(|out| out.all_labels(&stream))
}

#[test]
fn selector_operators_match_anchored() {
    let l = log(r#"{app="api", ns!="x", pod=~"web-.*", node!~"gpu-.*"}"#);
    let [eq, neq, re, nre] = &l.matchers[..] else {
        panic!()
    };
    assert!(eq.matches("api") && !eq.matches("api2"));
    assert!(neq.matches("y") && !neq.matches("x"));
    assert!(
        re.matches("web-1") && !re.matches("xweb-1"),
        "regex is anchored"
    );
    assert!(nre.matches("cpu-1") && !nre.matches("gpu-1"));
}

#[test]
fn line_filters_chain_and_support_or() {
    let q = r#"{app="api"} |= "GET" != "health" |~ "status=(4|5)\\d\\d" !~ "(?i)debug""#;
    assert!(run(q, "GET /x status=503").is_some());
    assert!(run(q, "GET /health status=503").is_none());
    assert!(run(q, "GET /x status=200").is_none());
    assert!(run(q, "GET /x status=500 DEBUG").is_none());
    assert!(run(r#"{app="api"} |= "a" or "b""#, "xbx").is_some());
    assert!(run(r#"{app="api"} != "a" or "b""#, "xbx").is_none());
}

#[test]
fn json_extracts_flattened_fields_and_renames_conflicts() {
    let labels = run(
        r#"{app="api"} | json"#,
        r#"{"level":"error","req":{"code":503}}"#,
    )
    .unwrap();
    assert_eq!(labels.get("level"), Some("info"), "stream label kept");
    assert_eq!(labels.get("level_extracted"), Some("error"));
    assert_eq!(labels.get("req_code"), Some("503"));
}

#[test]
fn json_errors_are_labelled_not_dropped() {
    let labels = run(r#"{app="api"} | json"#, "not json").unwrap();
    assert_eq!(labels.get("__error__"), Some("JSONParserErr"));
    assert!(run(r#"{app="api"} | json | __error__="""#, "not json").is_none());
}

#[test]
fn json_with_paths_and_the_audit_query_shape() {
    let q = r#"{app="api"} | json | apiVersion="audit.k8s.io/v1" | json sourceIPs="sourceIPs" | json user_groups="user.groups""#;
    let line =
        r#"{"apiVersion":"audit.k8s.io/v1","sourceIPs":["10.0.0.1"],"user":{"groups":["a","b"]}}"#;
    let labels = run(q, line).unwrap();
    assert_eq!(labels.get("sourceIPs"), Some(r#"["10.0.0.1"]"#));
    assert_eq!(labels.get("user_groups"), Some(r#"["a","b"]"#));
    assert!(run(q, &line.replace("audit.k8s.io/v1", "v2")).is_none());
}

#[test]
fn logfmt_and_numeric_label_filters() {
    let q = r#"{app="api"} | logfmt | status >= 400 and duration > 1s"#;
    assert!(run(q, "status=503 duration=1.5s").is_some());
    assert!(run(q, "status=200 duration=1.5s").is_none());
    assert!(run(q, "status=503 duration=20ms").is_none());
    let labels = run(r#"{app="api"} | logfmt | status > 1"#, "status=abc").unwrap();
    assert_eq!(labels.get("__error__"), Some("LabelFilterErr"));
    assert!(run(r#"{app="api"} | logfmt | size > 1KB"#, "size=2KB").is_some());
}

#[test]
fn string_label_filters_with_or_and_parentheses() {
    let q = r#"{app="api"} | logfmt | (method="GET" or method=~"P.*") and path!="/health""#;
    assert!(run(q, "method=PUT path=/x").is_some());
    assert!(run(q, "method=DELETE path=/x").is_none());
    assert!(run(q, "method=GET path=/health").is_none());
    assert!(run(r#"{app="api"} | detected_level="info""#, "x").is_some());
    assert!(run(r#"{app="api"} | level!~"info|debug""#, "x").is_none());
}

#[test]
fn line_format_drop_keep_and_label_format() {
    let stream = LabelSet::from_pairs([("app", "api")]);
    let p = Pipeline::new(log(r#"{app="api"} | logfmt | line_format "{{.method}} {{ .path }}!" | drop path | label_format verb=method"#).stages);
    let out = p
        .process(EntryView {
            ts_ns: 0,
            line: "method=GET path=/x",
            stream: &stream,
            structured: &[],
        })
        .unwrap();
    assert_eq!(out.line.as_deref(), Some("GET /x!"));
    let all = out.all_labels(&stream);
    assert_eq!(all.get("path"), None);
    assert_eq!(all.get("verb"), Some("GET"));
    assert_eq!(all.get("method"), None);
    let kept = run(r#"{app="api"} | logfmt | keep app, a"#, "a=1 b=2").unwrap();
    assert_eq!(kept.to_string(), r#"{a="1", app="api"}"#);
}

#[test]
fn metric_queries_parse_with_grouping_before_or_after() {
    for q in [
        r#"sum by (level) (count_over_time({app="api"}[5m]))"#,
        r#"sum(count_over_time({app="api"} |= "x" [5m])) by (level)"#,
        r#"topk(3, sum by (pod) (rate({app="api"} | json [1m])))"#,
        r#"avg(bytes_rate({app="api"}[1m] | logfmt))"#,
        r#"sum(rate({app="api"}[5m])) * 60"#,
        r#"quantile_over_time(0.99, {app="api"} | logfmt | unwrap duration(d) [5m]) by (pod)"#,
        r#"count_over_time(({app="api"} |= "x")[5m] offset 1h)"#,
    ] {
        assert!(
            matches!(parse(q), Ok(Expr::Metric(_))),
            "{q}: {:?}",
            parse(q).err()
        );
    }
    let Expr::Metric(MetricExpr::Vector {
        op,
        grouping,
        inner,
        ..
    }) = parse(r#"sum(count_over_time({app="api"}[5m])) by (level)"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(op, VectorOp::Sum);
    assert_eq!(grouping.unwrap().labels, vec!["level"]);
    assert!(matches!(
        *inner,
        MetricExpr::Range {
            op: RangeOp::Count,
            range_ns: 300_000_000_000,
            ..
        }
    ));
}

#[test]
fn parse_errors_read_like_loki() {
    let cases = [
        (
            r#"{foo="bar""#,
            "parse error at line 1, col 11: syntax error: unexpected $end, expecting } or ,",
        ),
        (
            r#"{foo="bar"} |~"#,
            "parse error at line 1, col 15: syntax error: unexpected $end, expecting STRING or ip",
        ),
        (
            r#"{foo="bar"} "foo""#,
            "parse error at line 1, col 13: syntax error: unexpected STRING",
        ),
        (
            r#"{foo="bar"} foo"#,
            "parse error at line 1, col 13: syntax error: unexpected IDENTIFIER",
        ),
        (
            r#"unk({ foo = "bar" }[5m])"#,
            "parse error at line 1, col 1: syntax error: unexpected IDENTIFIER",
        ),
        (
            r#"{foo="bar}"#,
            "parse error at line 1, col 6: literal not terminated",
        ),
        (
            r#"sum_over_time({a="b"}[5m])"#,
            "parse error : invalid aggregation sum_over_time without unwrap",
        ),
        (
            r#"topk(count_over_time({a="b"}[5m]))"#,
            "parse error : parameter required for operation topk",
        ),
        (
            "",
            "parse error at line 1, col 1: syntax error: unexpected $end",
        ),
    ];
    for (q, want) in cases {
        assert_eq!(parse(q).unwrap_err().to_string(), want, "{q}");
    }
    let empty = parse(r#"{app=~".*"}"#).unwrap_err().to_string();
    assert!(
        empty.starts_with("parse error : queries require at least one regexp or equality matcher"),
        "{empty}"
    );
}

#[test]
fn selectors_only_where_required() {
    assert_eq!(parse_selector(r#"{a="b"}"#).unwrap().len(), 1);
    assert_eq!(
        parse_selector(r#"{a="b"} |= "x""#).unwrap_err(),
        "only label matchers are supported"
    );
}

#[test]
fn format_query_prints_canonical_text() {
    let cases = [
        (r#"{foo=   "bar"}"#, r#"{foo="bar"}"#),
        (
            r#"{a="b"}|="x"|json|level="error""#,
            r#"{a="b"} |= "x" | json | level="error""#,
        ),
        (
            r#"sum by(level)(count_over_time({a="b"}[5m]))"#,
            r#"sum by (level)(count_over_time({a="b"}[5m]))"#,
        ),
        (r#"{a="b"} | json x="y.z""#, r#"{a="b"} | json x="y.z""#),
    ];
    for (q, want) in cases {
        assert_eq!(parse(q).unwrap().to_string(), want);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let long = "{a=\"".to_string() + &"x".repeat(200_000) + "\"}";
    let inputs = [
        "{",
        "}",
        "{a",
        "{a=",
        "{a=\"b\"",
        "{a=\"b\"} |",
        "{a=\"b\"} | json x=",
        "(((",
        ")))",
        "[5m]",
        "[",
        "sum(",
        "sum by (",
        "count_over_time({a=\"b\"}[5x])",
        "\u{0}",
        "{a=\"\\xZZ\"}",
        "{a=~\"(\"}",
        "{a=\"b\"} |~ \"(\"",
        "topk(-1, count_over_time({a=\"b\"}[1m]))",
        "1 + ",
        "- -",
        "{a=\"b\"} | unwrap x",
        "quantile_over_time(",
        "{a=\"b\"} | logfmt --",
        "#only a comment",
        "{a=\"b\"} |= \"x\" or",
        long.as_str(),
        "sum(count_over_time({a=\"b\"}[0s]))",
        "{é=\"b\"}",
        "{a=\"b\"} | label_format x=",
        "{a=\"b\"} | drop",
    ];
    for q in inputs {
        let _ = parse(q);
    }
    assert!(parse(&long)
        .unwrap_err()
        .to_string()
        .contains("input size too long"));
    assert!(matches!(
        log(r#"{a="b"} | decolorize"#).stages[0],
        Stage::Decolorize
    ));
}
