//! Behaviour of variables: options, selection, chaining and requests.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::model::dashboard::load;

fn dashboard(variables: &str) -> Dashboard {
    let text = format!(r#"{{"title": "t", "templating": {{"list": {variables}}}}}"#);
    load(&text).dashboard.unwrap()
}

fn no_scope() -> Scope<'static> {
    Scope {
        variables: &[],
        builtins: None,
    }
}

#[test]
fn custom_values_split_on_commas_and_key_value_pairs() {
    assert_eq!(
        parse_custom("a, b\\,c ,Prod : prod-1"),
        vec![
            VariableOption::new("a", "a"),
            VariableOption::new("b,c", "b,c"),
            VariableOption::new("Prod", "prod-1")
        ]
    );
}

#[test]
fn chained_variables_resolve_after_their_parents() {
    let d = dashboard(
        r#"[{"type": "query", "name": "gpu", "query": "label_values(DCGM_FI_DEV_GPU_TEMP{instance=~\"$instance\"}, gpu)"},
            {"type": "query", "name": "instance", "query": "label_values(DCGM_FI_DEV_GPU_TEMP{cluster=\"$cluster\"}, instance)"},
            {"type": "custom", "name": "cluster", "query": "a,b"}]"#,
    );
    let vars = variables_of(&d);
    let order: Vec<&str> = resolution_order(&vars)
        .unwrap()
        .iter()
        .map(|&i| vars[i].name.as_str())
        .collect();
    assert_eq!(order, vec!["cluster", "instance", "gpu"]);
}

#[test]
fn a_cycle_is_named_in_the_error() {
    let d = dashboard(
        r#"[{"type": "query", "name": "a", "query": "label_values(up{x=\"$b\"}, a)"},
            {"type": "query", "name": "b", "query": "label_values(up{x=\"$a\"}, b)"}]"#,
    );
    let err = resolution_order(&variables_of(&d)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "variables depend on each other in a cycle: a → b → a"
    );
}

#[test]
fn query_requests_use_the_values_of_resolved_parents() {
    let d = dashboard(
        r#"[{"type": "query", "name": "gpu", "datasource": "$ds", "query": "label_values(DCGM_FI_DEV_GPU_TEMP{instance=~\"$instance\"}, gpu)"}, {"type": "datasource", "name": "ds", "query": "prometheus"}]"#,
    );
    let gpu = &variables_of(&d)[0];
    let instance = VariableValue {
        values: vec!["n1:9400".into(), "n2:9400".into()],
        multi_or_all: true,
        ..VariableValue::default()
    };
    let values = vec![("instance".to_owned(), instance)];
    let request = gpu
        .request(&Scope {
            variables: &values,
            builtins: None,
        })
        .unwrap()
        .unwrap();
    assert_eq!(
        request,
        VariableRequest {
            endpoint: DataSourceKind::Metrics,
            kind: RequestKind::LabelValues {
                label: "gpu".into(),
                matchers: vec![r#"DCGM_FI_DEV_GPU_TEMP{instance=~"(n1:9400|n2:9400)"}"#.into()]
            }
        }
    );
}

#[test]
fn regex_extracts_a_capture_group_and_sorts_numerically() {
    let d = dashboard(
        r#"[{"type": "query", "name": "gpu", "query": "label_values(gpu)", "regex": "/gpu-(\\d+)/", "sort": 3, "includeAll": true, "multi": true}]"#,
    );
    let gpu = &variables_of(&d)[0];
    let answer = VariableAnswer::Values(vec![
        "gpu-10".into(),
        "gpu-9".into(),
        "cpu-1".into(),
        "gpu-9".into(),
    ]);
    let options = gpu.options_from_answer(&answer, &no_scope()).unwrap();
    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
    assert_eq!(values, vec![ALL_VALUE, "9", "10"]);
}

#[test]
fn named_groups_give_text_and_value() {
    let regex = compile_variable_regex("x", "/(?<text>[^:]+):(?<value>.*)/").unwrap();
    assert_eq!(
        apply_regex(&regex, "Prod:p1"),
        Some(VariableOption::new("Prod", "p1"))
    );
    assert!(compile_variable_regex("x", "/(unclosed/").is_err());
}

#[test]
fn query_result_options_read_grafana_sample_text() {
    let d = dashboard(
        r#"[{"type": "query", "name": "top", "query": "query_result(topk(2, up))", "regex": "/instance=\"([^\"]+)\"/"}]"#,
    );
    let top = &variables_of(&d)[0];
    let sample = InstantSample {
        labels: vec![
            ("__name__".into(), "up".into()),
            ("instance".into(), "n1:9400".into()),
        ],
        value: "1".into(),
        timestamp_ms: 1_700_000_000_000,
    };
    assert_eq!(
        sample.display_text(),
        r#"up{instance="n1:9400"} 1 1700000000000"#
    );
    let options = top
        .options_from_answer(&VariableAnswer::Samples(vec![sample]), &no_scope())
        .unwrap();
    assert_eq!(options, vec![VariableOption::new("n1:9400", "n1:9400")]);
}

#[test]
fn metrics_query_filters_names_by_its_regex() {
    let d =
        dashboard(r#"[{"type": "query", "name": "m", "query": "metrics(^DCGM_FI_DEV_.*TEMP$)"}]"#);
    let m = &variables_of(&d)[0];
    let request = m.request(&no_scope()).unwrap().unwrap();
    assert_eq!(
        request.kind,
        RequestKind::LabelValues {
            label: "__name__".into(),
            matchers: vec![]
        }
    );
    let answer = VariableAnswer::Values(vec![
        "DCGM_FI_DEV_GPU_TEMP".into(),
        "up".into(),
        "DCGM_FI_DEV_MEMORY_TEMP".into(),
    ]);
    assert_eq!(
        m.options_from_answer(&answer, &no_scope()).unwrap().len(),
        2
    );
}

#[test]
fn selection_keeps_wanted_values_that_still_exist_else_the_first() {
    let d = dashboard(
        r#"[{"type": "custom", "name": "c", "query": "a,b,c", "multi": true, "current": {"text": ["b"], "value": ["b"]}}]"#,
    );
    let c = &variables_of(&d)[0];
    let options = c.static_options(None).unwrap();
    assert_eq!(c.select(&options, None).url_values(), vec!["b"]);
    let wanted = vec!["c".to_owned(), "zz".to_owned(), "a".to_owned()];
    assert_eq!(
        c.select(&options, Some(&wanted)).url_values(),
        vec!["a", "c"]
    );
    assert_eq!(
        c.select(&options, Some(&["zz".to_owned()])).url_values(),
        vec!["a"]
    );
}

#[test]
fn all_selection_expands_to_every_option_or_the_custom_all_value() {
    let d = dashboard(
        r#"[{"type": "custom", "name": "c", "query": "a,b.c", "includeAll": true, "allValue": ".*"}, {"type": "custom", "name": "d", "query": "a,b.c", "includeAll": true}]"#,
    );
    let vars = variables_of(&d);
    for (var, expected) in vars.iter().zip([r#"x=~".*""#, r#"x=~"(a|b\\.c)""#]) {
        let options = var.static_options(None).unwrap();
        let selection = var.select(&options, Some(&[ALL_VALUE.to_owned()]));
        assert!(selection.is_all);
        let values = vec![("v".to_owned(), selection.value(var, &options))];
        let out = interpolate(
            r#"x=~"$v""#,
            &Scope {
                variables: &values,
                builtins: None,
            },
        );
        assert_eq!(out, expected);
    }
}

#[test]
fn interval_auto_follows_the_range() {
    let d = dashboard(
        r#"[{"type": "interval", "name": "iv", "query": "1m,10m,1h", "auto": true, "auto_count": 30, "auto_min": "10s"}]"#,
    );
    let iv = &variables_of(&d)[0];
    let options = iv
        .static_options(Some(TimeRange::new(0, 6 * 3_600_000)))
        .unwrap();
    assert_eq!(options[0], VariableOption::new("auto", "15m"));
    assert_eq!(options.len(), 4);
}

#[test]
fn textbox_keeps_any_text_and_constant_its_value() {
    let d = dashboard(
        r#"[{"type": "textbox", "name": "t", "query": "default"}, {"type": "constant", "name": "k", "query": "42"}, {"type": "adhoc", "name": "f"}]"#,
    );
    let vars = variables_of(&d);
    let options = vars[0].static_options(None).unwrap();
    assert_eq!(
        vars[0]
            .select(&options, Some(&["typed".to_owned()]))
            .url_values(),
        vec!["typed"]
    );
    assert_eq!(
        vars[1].static_options(None).unwrap(),
        vec![VariableOption::new("42", "42")]
    );
    assert_eq!(
        vars[2].source,
        VariableSource::Unsupported {
            kind: "adhoc".into()
        }
    );
}
