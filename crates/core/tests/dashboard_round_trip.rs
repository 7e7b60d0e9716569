//! Property tests: whatever a file holds (known fields of the wrong type, unknown members, any
//! key order), `load(save(d)) == d` and saving again gives the same text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use sightline_core::model::dashboard::{json, load, ParseLimits};

fn base() -> Value {
    let path = format!(
        "{}/tests/fixtures/dashboards/foundation-gpu.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{1,8}", inner), 0..4)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Places Sightline reads, where a random value is put.
const KNOWN_PATHS: [&[&str]; 14] = [
    &["title"],
    &["refresh"],
    &["time"],
    &["time", "from"],
    &["panels", "1", "gridPos", "w"],
    &["panels", "1", "title"],
    &["panels", "1", "targets", "0", "expr"],
    &["panels", "1", "fieldConfig", "defaults", "unit"],
    &[
        "panels",
        "1",
        "fieldConfig",
        "defaults",
        "thresholds",
        "steps",
    ],
    &["panels", "1", "options", "legend"],
    &["panels", "2", "datasource"],
    &["templating", "list", "2", "current"],
    &["templating", "list", "2", "multi"],
    &["links"],
];

fn set_path(value: &mut Value, path: &[&str], new: Value) {
    let Some((first, rest)) = path.split_first() else {
        *value = new;
        return;
    };
    let child = match value {
        Value::Object(map) => map.entry((*first).to_owned()).or_insert(Value::Null),
        Value::Array(items) => match first.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
            Some(item) => item,
            None => return,
        },
        _ => return,
    };
    set_path(child, rest, new);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn load_of_save_is_the_same_dashboard(
        edits in prop::collection::vec((0..KNOWN_PATHS.len(), arb_json()), 0..4),
        unknown in prop::collection::vec(("[a-z]{1,6}", arb_json()), 0..3),
        shuffle_panel_keys in any::<bool>(),
    ) {
        let mut doc = base();
        for (at, value) in edits {
            set_path(&mut doc, KNOWN_PATHS[at], value);
        }
        for (key, value) in &unknown {
            set_path(&mut doc, &["panels", "1", &format!("x_{key}")], value.clone());
        }
        if shuffle_panel_keys {
            if let Some(Value::Object(panel)) = doc.get_mut("panels").and_then(|p| p.get_mut(1)) {
                let reversed: Map<String, Value> = panel.clone().into_iter().rev().collect();
                *panel = reversed;
            }
        }
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let first = load(&text).dashboard.unwrap();
        let saved = first.to_json_pretty();
        let second = load(&saved).dashboard.unwrap();
        prop_assert_eq!(&second, &first);
        prop_assert_eq!(second.to_json_pretty(), saved.clone());
        // Unknown members come back untouched, in their place.
        // serde_json's own float parsing is not exact; read back with Sightline's parser.
        let saved_value = json::parse(&saved, ParseLimits::default()).unwrap().root.into_value();
        // A key drawn twice was written twice: the document holds its last value.
        let expected: std::collections::BTreeMap<&String, &Value> =
            unknown.iter().map(|(key, value)| (key, value)).collect();
        for (key, value) in expected {
            let panel = &saved_value["panels"][1];
            prop_assert_eq!(&panel[format!("x_{key}")], value);
        }
    }
}

#[test]
fn an_unchanged_modern_file_is_written_back_byte_for_byte_once_ids_are_set() {
    let mut doc = base();
    let mut next = 0;
    for panel in doc["panels"].as_array_mut().unwrap() {
        next += 1;
        panel["id"] = json!(next);
        for child in panel
            .get_mut("panels")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            next += 1;
            child["id"] = json!(next);
        }
    }
    let text = format!("{}\n", serde_json::to_string_pretty(&doc).unwrap());
    assert_eq!(load(&text).dashboard.unwrap().to_json_pretty(), text);
}
