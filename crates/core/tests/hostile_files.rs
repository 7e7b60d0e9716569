//! Hostile dashboard files (issue 10): each gives a clear error or a bounded result, in bounded
//! time, and never a panic. The end-to-end twin (`e2e/tests/security_hostile_files.rs`) checks
//! that the browser tab stays responsive with the same kinds of files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use serde_json::{json, Map, Value};
use sightline_core::model::dashboard::{load, Dashboard, Severity};
use sightline_core::model::interpolate::{interpolate, Scope, VariableValue};
use sightline_core::model::variables::{
    apply_regex, compile_variable_regex, resolution_order, variables_of,
};

fn timed<T>(what: &str, limit_ms: u128, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let out = f();
    let took = started.elapsed().as_millis();
    assert!(
        took < limit_ms,
        "{what} took {took} ms (limit {limit_ms} ms)"
    );
    out
}

fn errors(text: &str) -> Vec<String> {
    load(text)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(ToString::to_string)
        .collect()
}

/// Every scalar swapped for another type (the same transformation as the end-to-end test).
fn wrong_types(value: &Value, depth: usize) -> Value {
    match value {
        Value::String(_) => json!(depth),
        Value::Number(n) => json!(format!("n{n}")),
        Value::Bool(b) => json!([b]),
        Value::Null => json!({"null": true}),
        Value::Array(items) if depth > 1 => {
            Value::Array(items.iter().map(|v| wrong_types(v, depth + 1)).collect())
        }
        Value::Array(items) => {
            json!({"was": items.iter().map(|v| wrong_types(v, depth + 1)).collect::<Vec<_>>()})
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), wrong_types(v, depth + 1)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

#[test]
fn a_50_mb_file_is_refused_before_parsing() {
    let panel =
        json!({"type": "timeseries", "title": "x".repeat(1000), "targets": [{"expr": "up"}]});
    let one = panel.to_string();
    let copies = 50 * 1024 * 1024 / one.len() + 1;
    let text = format!("{{\"panels\": [{}]}}", vec![one; copies].join(","));
    assert!(text.len() > 50 * 1024 * 1024);
    let loaded = timed("refusing 50 MB", 1_000, || load(&text));
    assert!(loaded.dashboard.is_none());
    assert!(
        loaded.diagnostics[0]
            .message
            .contains("the limit is 33554432 bytes"),
        "{}",
        loaded.diagnostics[0]
    );
}

#[test]
fn a_file_just_under_the_size_limit_loads_in_bounded_time() {
    // 31 MB of one long description: the parser is linear.
    let text = format!(
        "{{\"title\": \"big\", \"description\": \"{}\", \"panels\": []}}",
        "ab\\n".repeat(31 * 1024 * 1024 / 4)
    );
    let loaded = timed("loading 31 MB", 20_000, || load(&text));
    assert!(loaded.dashboard.is_some());
}

#[test]
fn nesting_of_100_levels_loads_and_deeper_is_refused_without_a_stack_overflow() {
    // Built as text: a serde_json value this deep would overflow the test's own stack.
    let nested = |depth: usize| {
        format!(
            "{{\"title\": \"deep\", \"extra\": {}\"bottom\"{}, \"panels\": [{{\"type\": \"stat\", \"options\": {{\"x\": [[[[1]]]]}}}}]}}",
            "{\"a\": ".repeat(depth),
            "}".repeat(depth)
        )
    };
    let loaded = load(&nested(100));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert!(loaded
        .dashboard
        .unwrap()
        .to_json_pretty()
        .contains("bottom"));
    for depth in [129, 10_000] {
        let text = nested(depth);
        let loaded = timed("refusing deep nesting", 1_000, || load(&text));
        assert!(loaded.dashboard.is_none());
        assert!(loaded.diagnostics[0]
            .message
            .contains("nesting is deeper than 128 levels"));
    }
    // Unbalanced: a megabyte of `[` is refused at the limit, not parsed to the end.
    let opened = "[".repeat(1_000_000);
    assert!(timed("a megabyte of [", 1_000, || load(&opened))
        .dashboard
        .is_none());
}

#[test]
fn wrong_types_everywhere_report_errors_with_paths_and_never_panic() {
    for name in [
        "dcgm-exporter-dashboard.json",
        "foundation-gpu.json",
        "grafanalib-rows.json",
        "grafanalib-panels.json",
    ] {
        let text = std::fs::read_to_string(format!(
            "{}/tests/fixtures/dashboards/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        for start in 0..3 {
            let broken = wrong_types(&value, start).to_string();
            let loaded = timed(name, 2_000, || load(&broken));
            if let Some(dashboard) = &loaded.dashboard {
                // Whatever was read can be written back, and reads back the same.
                let saved = dashboard.to_json_pretty();
                assert_eq!(load(&saved).dashboard.as_ref(), Some(dashboard), "{name}");
                assert!(
                    loaded.has_errors(),
                    "{name}/{start}: wrong types are reported"
                );
            }
            for d in &loaded.diagnostics {
                assert!(!d.to_string().is_empty());
            }
        }
    }
}

#[test]
fn duplicate_panel_ids_get_fresh_ones_and_duplicate_keys_are_reported() {
    let panels: Vec<Value> = (0..1_000)
        .map(|i| json!({"id": 7, "type": "stat", "title": format!("p{i}"), "gridPos": {"x": 0, "y": i, "w": 6, "h": 1}}))
        .collect();
    let text = json!({"title": "dups", "panels": panels}).to_string();
    let dashboard: Dashboard = timed("1,000 duplicate ids", 2_000, || load(&text))
        .dashboard
        .unwrap();
    let mut ids: Vec<u64> = dashboard.panels.iter().filter_map(|p| p.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 1_000, "every panel has its own id");
    let keys = load(r#"{"title": "a", "title": "b", "panels": []}"#);
    assert_eq!(keys.dashboard.unwrap().title, "b");
    assert!(keys.diagnostics[0]
        .message
        .contains("appears more than once"));
}

fn query_var(name: &str, query: &str) -> Value {
    json!({"type": "query", "name": name, "query": query, "datasource": {"type": "prometheus", "uid": "p"}})
}

#[test]
fn cyclic_variables_are_named_and_long_chains_resolve_in_bounded_time() {
    let text = json!({"templating": {"list": [
        query_var("a", "label_values(up{x=~\"$b\"}, a)"),
        query_var("b", "label_values(up{x=~\"$c\"}, b)"),
        query_var("c", "label_values(up{x=~\"$a\"}, c)"),
        query_var("free", "label_values(up, job)"),
    ]}})
    .to_string();
    let dashboard = load(&text).dashboard.unwrap();
    let err = resolution_order(&variables_of(&dashboard)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "variables depend on each other in a cycle: a → b → c → a"
    );
    // A chain of 1,000 (the limit): ordered; closed into a ring: the whole ring is named.
    let chain: Vec<Value> = (0..1_000)
        .map(|i| {
            query_var(
                &format!("v{i}"),
                &format!("label_values(up{{x=~\"$v{}\"}}, a)", i + 1),
            )
        })
        .collect();
    let mut ring = chain.clone();
    ring[999] = query_var("v999", "label_values(up{x=~\"$v0\"}, a)");
    let open_chain = load(&json!({"templating": {"list": chain}}).to_string())
        .dashboard
        .unwrap();
    let order = timed("ordering a 1,000-variable chain", 2_000, || {
        resolution_order(&variables_of(&open_chain))
    })
    .unwrap();
    assert_eq!(order.first(), Some(&999));
    let closed = load(&json!({"templating": {"list": ring}}).to_string())
        .dashboard
        .unwrap();
    let err = timed("finding a 1,000-variable ring", 2_000, || {
        resolution_order(&variables_of(&closed))
    })
    .unwrap_err();
    assert!(err.to_string().matches('→').count() >= 1_000, "{err}");
    // Past the limit: refused at load.
    let too_many: Vec<Value> = (0..1_001)
        .map(|i| query_var(&format!("v{i}"), "x"))
        .collect();
    assert!(
        errors(&json!({"templating": {"list": too_many}}).to_string())
            .iter()
            .any(|e| e.contains("1000"))
    );
}

#[test]
fn catastrophic_backtracking_regexes_run_in_linear_time() {
    // regex-lite has no backtracking: the classic bombs take time linear in the value (times
    // the compiled program, which `compile_variable_regex` caps).
    let haystack = format!("{}!", "a".repeat(5_000));
    for pattern in [
        "/^(a+)+$/",
        "/^(a|aa)+$/",
        "/^(a|a?)+$/",
        "/(.*a){20}/",
        "/^((.*)*)*(x+x+)+y$/",
    ] {
        let regex = compile_variable_regex("bomb", pattern).unwrap();
        let picked = timed(pattern, 2_000, || apply_regex(&regex, &haystack));
        assert!(
            pattern == "/(.*a){20}/" || picked.is_none(),
            "{pattern} does not match"
        );
    }
    // 3,000 options through the classic bomb: still quick.
    let regex = compile_variable_regex("bomb", "/^(a+)+$/").unwrap();
    timed("3,000 options", 2_000, || {
        for i in 0..3_000 {
            let _ = apply_regex(&regex, &format!("{}!{i}", "a".repeat(40)));
        }
    });
    // Huge compiled programs are refused, not built.
    let err = timed("a regex over the size limit", 2_000, || {
        compile_variable_regex("bomb", "/(((a{100}){100}){100})/")
    });
    assert!(err.is_err());
    assert!(compile_variable_regex("broken", "/(unclosed/").is_err());
}

#[test]
fn interpolation_is_one_pass_so_values_cannot_expand_each_other() {
    let values: Vec<(String, VariableValue)> = (0..100)
        .map(|i| {
            (
                format!("v{i}"),
                VariableValue::single(&format!("$v{} ${{v{}}} [[v{}]]", i + 1, i + 1, i + 1)),
            )
        })
        .collect();
    let scope = Scope {
        variables: &values,
        builtins: None,
    };
    let text = "$v0 ".repeat(10_000);
    let out = timed("interpolating 10,000 references", 2_000, || {
        interpolate(&text, &scope)
    });
    // Each reference became its value once; the `$v1` inside a value stayed literal.
    assert_eq!(out.matches("$v1 ").count(), 10_000);
    assert!(out.len() < text.len() * 10);
}

#[test]
fn ten_thousand_panels_load_and_their_variables_too() {
    let panels: Vec<Value> = (0..10_000)
        .map(|i| {
            json!({"id": i, "type": "timeseries", "title": format!("p{i}"),
                        "targets": [{"expr": format!("up{{i=\"{i}\", x=~\"$v{}\"}}", i % 1_000)}]})
        })
        .collect();
    let vars: Vec<Value> = (0..1_000)
        .map(|i| json!({"type": "custom", "name": format!("v{i}"), "query": "a,b,c"}))
        .collect();
    let text = json!({"title": "big", "panels": panels, "templating": {"list": vars}}).to_string();
    let loaded = timed("10,000 panels and 1,000 variables", 20_000, || load(&text));
    let dashboard = loaded.dashboard.unwrap();
    assert_eq!(dashboard.panels.len(), 10_000);
    let order = resolution_order(&variables_of(&dashboard)).unwrap();
    assert_eq!(order.len(), 1_000);
}
