//! A broken file reports every problem at once, each with its JSON path and line/column, and
//! hostile files are refused or handled in bounded time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use serde_json::{json, Value};
use sightline_core::model::dashboard::{
    load, load_with_limits, Diagnostic, Limits, ParseLimits, Severity,
};

fn dcgm() -> String {
    let path = format!(
        "{}/tests/fixtures/dashboards/dcgm-exporter-dashboard.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// The DCGM dashboard with one occurrence of `from` replaced by `to`.
fn break_once(text: &str, from: &str, to: &str, nth: usize) -> String {
    let at = text
        .match_indices(from)
        .nth(nth)
        .map(|(i, _)| i)
        .expect(from);
    format!("{}{to}{}", &text[..at], &text[at + from.len()..])
}

/// The text at a diagnostic's line and column.
fn text_at<'a>(text: &'a str, d: &Diagnostic) -> &'a str {
    let position = d.position.unwrap();
    let line = text.lines().nth(position.line - 1).unwrap();
    let start: usize = line
        .chars()
        .take(position.column - 1)
        .map(char::len_utf8)
        .sum();
    &line[start..]
}

pub fn broken_dcgm() -> String {
    let mut text = dcgm();
    text = break_once(&text, "\"w\": 18,", "\"w\": \"wide\",", 0);
    text = break_once(&text, "\"title\": \"GPU Power Usage\"", "\"title\": 42", 0);
    text = break_once(
        &text,
        "\"legendFormat\": \"GPU {{gpu}}\"",
        "\"legendFormat\": false",
        1,
    );
    text = break_once(&text, "\"multi\": true", "\"multi\": \"yes\"", 0);
    text = break_once(&text, "\"h\": 8,", "\"h\": -3,", 4);
    text = break_once(&text, "\"x\": 18,", "\"x\": 30,", 1);
    text
}

#[test]
fn a_broken_file_reports_every_problem_with_path_and_position() {
    let text = broken_dcgm();
    let loaded = load(&text);
    let errors: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    let expected_prefixes = [
        "panels[0].gridPos.w: expected a whole number, found \"wide\" (line ",
        "panels[2].targets[0].legendFormat: expected a string, found false (line ",
        "panels[2].title: expected a string, found 42 (line ",
        "panels[4].gridPos.h: expected a whole number, found -3 (line ",
        "templating.list[1].multi: expected true or false, found \"yes\" (line ",
    ];
    assert_eq!(shown.len(), expected_prefixes.len(), "{shown:#?}");
    for (line, prefix) in shown.iter().zip(expected_prefixes) {
        assert!(line.starts_with(prefix), "{line}\nexpected {prefix}");
    }
    for (d, value) in errors
        .iter()
        .zip(["\"wide\"", "false", "42", "-3", "\"yes\""])
    {
        assert!(
            text_at(&text, d).starts_with(value),
            "{d}: position shows {:?}",
            text_at(&text, d)
        );
    }
    // The out-of-grid panel is a warning, repaired.
    let repaired: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("24-column"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(repaired.len(), 3, "{repaired:?}");
    assert!(
        repaired[1].starts_with(
            "panels[3].gridPos: x=30, w=6, h=8 does not fit the 24-column grid; changed to x=18"
        ),
        "{}",
        repaired[1]
    );
    // A broken file still opens; values it could not read are written back as they were,
    // except grid numbers, which are replaced by their repair.
    let saved = loaded.dashboard.unwrap().to_value();
    assert_eq!(saved["panels"][0]["gridPos"]["w"], json!(1));
    assert_eq!(saved["panels"][2]["title"], json!(42));
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let text = break_once(&dcgm(), "\"refId\": \"A\"", "\"refId\": \"A\",,", 2);
    let loaded = load(&text);
    assert!(loaded.dashboard.is_none());
    let d = &loaded.diagnostics[0];
    assert!(
        d.to_string()
            .starts_with("(root): expected a quoted key, found ',' (line 249, col "),
        "{d}"
    );
    assert!(text_at(&text, d).starts_with(','));
}

fn panel(i: usize) -> Value {
    json!({
        "id": i, "type": "timeseries", "title": format!("panel {i}"),
        "gridPos": {"x": (i % 2) * 12, "y": 0, "w": 12, "h": 8},
        "targets": [{"refId": "A", "expr": format!("DCGM_FI_DEV_GPU_TEMP{{gpu=\"{i}\"}}")}],
    })
}

#[test]
fn ten_thousand_overlapping_panels_load_and_are_stacked() {
    let panels: Vec<Value> = (0..10_000).map(panel).collect();
    let text = serde_json::to_string(&json!({"title": "big", "panels": panels})).unwrap();
    let started = Instant::now();
    let loaded = load(&text);
    let elapsed = started.elapsed();
    let dashboard = loaded.dashboard.unwrap();
    assert_eq!(dashboard.panels.len(), 10_000);
    assert_eq!(
        dashboard.panels[9_999].grid_pos.as_ref().map(|g| g.y),
        Some(4_999 * 8)
    );
    assert!(elapsed.as_secs() < 30, "took {elapsed:?}");
}

#[test]
fn more_panels_than_the_limit_is_a_clear_error() {
    let panels: Vec<Value> = (0..10_001).map(panel).collect();
    let text = serde_json::to_string(&json!({"panels": panels})).unwrap();
    let loaded = load(&text);
    assert!(loaded.dashboard.is_none());
    assert_eq!(
        loaded.diagnostics[0].message,
        "the dashboard has 10001 panels; the limit is 10000"
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_parsing() {
    let text = format!("{{\"title\": \"{}\"}}", "x".repeat(50 * 1024 * 1024));
    let started = Instant::now();
    let loaded = load(&text);
    assert!(started.elapsed().as_millis() < 1_000);
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("the limit is 33554432 bytes"),
        "{}",
        loaded.diagnostics[0]
    );
}

#[test]
fn deep_nesting_is_refused_past_the_limit_and_kept_below_it() {
    let nested = |depth: usize| {
        format!(
            "{{\"title\": \"n\", \"x\": {}1{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let ok = load(&nested(100));
    assert!(!ok.has_errors());
    assert_eq!(
        ok.dashboard.unwrap().to_value()["x"].to_string(),
        format!("{}1{}", "[".repeat(100), "]".repeat(100))
    );
    let refused = load(&nested(100_000));
    assert!(refused.diagnostics[0]
        .message
        .contains("nesting is deeper than 128 levels"));
}

#[test]
fn limits_can_be_tightened() {
    let limits = Limits {
        parse: ParseLimits {
            max_bytes: 100,
            max_depth: 4,
        },
        max_panels: 1,
        max_variables: 0,
    };
    assert!(load_with_limits(&dcgm(), limits).dashboard.is_none());
}

#[test]
fn wrong_shapes_never_panic() {
    for text in [
        "[]",
        "null",
        "{\"panels\": 5}",
        "{\"panels\": [1, null, \"x\", {\"gridPos\": []}]}",
        "{\"templating\": {\"list\": {}}}",
        "{\"rows\": [{\"panels\": [{\"span\": \"wide\"}]}]}",
    ] {
        let loaded = load(text);
        assert!(loaded.has_errors() || loaded.dashboard.is_some(), "{text}");
    }
}
