#![allow(clippy::unwrap_used)]

use serde_json::json;

use super::*;

fn mappings() -> Vec<ValueMapping> {
    parse_mappings(&json!([
        {"type": "value", "options": {
            "1": {"text": "Up", "color": "green", "index": 0},
            "0": {"text": "Down", "color": "red", "index": 1},
            "2.5": {"color": "blue"}}},
        {"type": "range", "options": {"from": 80, "to": 100, "result": {"text": "Hot", "color": "orange"}}},
        {"type": "range", "options": {"from": null, "to": -1, "result": {"text": "Below zero"}}},
        {"type": "regex", "options": {"pattern": "/gpu-(\\d+)/i", "result": {"text": "GPU $1"}}},
        {"type": "special", "options": {"match": "null+nan", "result": {"text": "Offline", "color": "gray"}}},
        {"type": "special", "options": {"match": "empty", "result": {"text": "(none)"}}},
        {"type": "value", "options": {"ok": {"text": "Healthy"}}},
        {"type": "special", "options": {"match": "sometimes", "result": {"text": "?"}}},
        {"type": "regex", "options": {"pattern": "(unclosed", "result": {"text": "?"}}},
        {"type": "heatmap", "options": {}},
        "not a mapping"
    ]))
}

fn text(value: Mapped<'_>) -> Option<String> {
    map_value(&mappings(), value).and_then(|r| r.text)
}

#[test]
fn unreadable_mappings_are_skipped() {
    assert_eq!(mappings().len(), 7);
    assert!(parse_mappings(&json!({"type": "value"})).is_empty());
}

#[test]
fn exact_values_match_by_their_text() {
    let up = map_value(&mappings(), Mapped::Number(Some(1.0))).unwrap();
    assert_eq!(up.text.as_deref(), Some("Up"));
    assert_eq!(up.color.as_deref(), Some("green"));
    assert_eq!(text(Mapped::Number(Some(0.0))).as_deref(), Some("Down"));
    // A colour without a text keeps the number's own text.
    let colour_only = map_value(&mappings(), Mapped::Number(Some(2.5))).unwrap();
    assert_eq!(
        (colour_only.text, colour_only.color.as_deref()),
        (None, Some("blue"))
    );
    assert_eq!(text(Mapped::Text("ok")).as_deref(), Some("Healthy"));
    assert_eq!(text(Mapped::Text("1")).as_deref(), Some("Up"));
    assert_eq!(text(Mapped::Number(Some(1.5))), None);
}

#[test]
fn ranges_include_their_ends_and_may_be_open() {
    for v in [80.0, 92.5, 100.0] {
        assert_eq!(text(Mapped::Number(Some(v))).as_deref(), Some("Hot"), "{v}");
    }
    assert_eq!(text(Mapped::Number(Some(100.01))), None);
    assert_eq!(
        text(Mapped::Number(Some(-40.0))).as_deref(),
        Some("Below zero")
    );
    assert_eq!(text(Mapped::Text("85")).as_deref(), Some("Hot"));
}

#[test]
fn a_regex_replaces_its_match_in_texts_only() {
    assert_eq!(text(Mapped::Text("GPU-7")).as_deref(), Some("GPU 7"));
    assert_eq!(
        text(Mapped::Text("node a gpu-12 b")).as_deref(),
        Some("node a GPU 12 b")
    );
    assert_eq!(text(Mapped::Text("cpu-1")), None);
}

#[test]
fn specials_match_missing_not_a_number_and_empty_values() {
    assert_eq!(text(Mapped::Number(None)).as_deref(), Some("Offline"));
    assert_eq!(
        text(Mapped::Number(Some(f64::NAN))).as_deref(),
        Some("Offline")
    );
    assert_eq!(text(Mapped::Text("")).as_deref(), Some("(none)"));
    assert_eq!(text(Mapped::Number(Some(f64::INFINITY))), None);
}

#[test]
fn the_first_matching_mapping_wins() {
    let list = parse_mappings(&json!([
        {"type": "range", "options": {"from": 0, "to": 10, "result": {"text": "low"}}},
        {"type": "value", "options": {"5": {"text": "five"}}}
    ]));
    assert_eq!(
        map_value(&list, Mapped::Number(Some(5.0)))
            .and_then(|r| r.text)
            .as_deref(),
        Some("low")
    );
    assert_eq!(list, list.clone());
}
