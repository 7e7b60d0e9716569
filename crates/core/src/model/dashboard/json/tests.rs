//! Tests of `json`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

fn parse_default(text: &str) -> Result<Parsed, JsonError> {
    parse(text, ParseLimits::default())
}

#[test]
fn records_the_offset_of_every_value() {
    let text = "{\n  \"a\": [1, \"x\"],\n  \"b\": {\"c\": null}\n}";
    let root = parse_default(text).map(|p| p.root).unwrap();
    let a = root.get("a").unwrap();
    assert_eq!(&text[a.offset..a.offset + 1], "[");
    let c = root.get("b").and_then(|b| b.get("c")).unwrap();
    assert_eq!(&text[c.offset..c.offset + 4], "null");
    let index = LineIndex::new(text);
    assert_eq!(index.position(c.offset), (3, 14));
}

#[test]
fn agrees_with_serde_json_on_values() {
    let text = r#"{"s":"a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","n":[0,-1,1.5,1e3,18446744073709551615,-9223372036854775808,2.5e-3],"b":[true,false,null],"o":{}}"#;
    let mine = parse_default(text).map(|p| p.root.into_value()).unwrap();
    let theirs: Value = serde_json::from_str(text).unwrap();
    assert_eq!(mine, theirs);
}

#[test]
fn rejects_malformed_json_with_a_position() {
    for (text, at) in [
        ("{\"a\": 1,}", 8),
        ("[1 2]", 3),
        ("{\"a\" 1}", 5),
        ("\"abc", 0),
        ("01", 0),
        ("[1.]", 3),
        ("{} x", 3),
        ("\"\\ud800\"", 7),
        ("nul", 0),
        ("1e999", 0),
    ] {
        let err = parse_default(text).unwrap_err();
        assert_eq!(err.offset, Some(at), "{text}: {err}");
    }
}

#[test]
fn later_duplicate_keys_win_and_are_reported() {
    let parsed = parse_default(r#"{"a":1,"b":2,"a":3}"#).unwrap();
    assert_eq!(parsed.root.into_value(), serde_json::json!({"a":3,"b":2}));
    assert_eq!(parsed.duplicate_keys.len(), 1);
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = "[".repeat(100_000);
    let err = parse_default(&deep).unwrap_err();
    assert!(err.message.contains("nesting"), "{err}");
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse_default(&ok).is_ok());
}

#[test]
fn oversized_input_is_refused_before_parsing() {
    let limits = ParseLimits {
        max_bytes: 10,
        max_depth: 10,
    };
    let err = parse("[1,2,3,4,5,6]", limits).unwrap_err();
    assert!(err.message.contains("limit"), "{err}");
}

proptest! {
    #[test]
    fn any_serde_json_value_parses_to_itself(value in arb_json()) {
        let text = serde_json::to_string_pretty(&value).unwrap();
        let mine = parse_default(&text).map(|p| p.root.into_value());
        prop_assert_eq!(mine, Ok(value));
    }

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,60}") {
        let _ = parse_default(&text);
    }
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-z]{1,6}", inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}
