//! Tests of `interpolate`.

#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;

fn multi(values: &[&str]) -> VariableValue {
    VariableValue {
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        texts: values.iter().map(|v| (*v).to_owned()).collect(),
        multi_or_all: true,
        ..VariableValue::default()
    }
}

fn run(text: &str, vars: &[(&str, VariableValue)]) -> String {
    let vars: Vec<(String, VariableValue)> = vars
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    let builtins = Builtins {
        range: TimeRange::new(1_700_000_000_000, 1_700_003_600_000),
        interval: Duration::from_secs(30),
        scrape_interval: Duration::from_secs(15),
    };
    interpolate(
        text,
        &Scope {
            variables: &vars,
            builtins: Some(builtins),
        },
    )
}

#[test]
fn multi_values_become_an_escaped_alternation_inside_promql_strings() {
    let gpu = multi(&["a", "b.c"]);
    assert_eq!(
        run(r#"up{gpu=~"$gpu"}"#, &[("gpu", gpu.clone())]),
        r#"up{gpu=~"(a|b\\.c)"}"#
    );
    assert_eq!(
        run("up{gpu=~`${gpu}`}", &[("gpu", gpu.clone())]),
        r"up{gpu=~`(a|b\.c)`}"
    );
    assert_eq!(
        run("up{gpu=~'[[gpu]]'}", &[("gpu", gpu)]),
        r"up{gpu=~'(a|b\\.c)'}"
    );
}

#[test]
fn every_reference_syntax_is_replaced() {
    let x = VariableValue::single("v");
    assert_eq!(run("$x ${x} [[x]] $xy $$x", &[("x", x)]), "v v v $xy $v");
}

#[test]
fn formats_follow_grafana() {
    let v = multi(&["a", "b.c"]);
    let vars = [("v", v)];
    assert_eq!(run("${v:pipe}", &vars), "a|b.c");
    assert_eq!(run("${v:csv}", &vars), "a,b.c");
    assert_eq!(run("${v:json}", &vars), r#"["a","b.c"]"#);
    assert_eq!(run("${v:raw}", &vars), "a,b.c");
    assert_eq!(run("${v:regex}", &vars), r"(a|b\.c)");
    assert_eq!(run("${v:text}", &vars), "a + b.c");
    assert_eq!(run("${v:queryparam}", &vars), "var-v=a&var-v=b.c");
    assert_eq!(run("${v:glob}", &vars), "{a,b.c}");
}

#[test]
fn all_with_a_custom_value_is_inserted_raw() {
    let all = VariableValue {
        values: vec!["a".into(), "b".into()],
        is_all: true,
        all_value: Some(".*".into()),
        multi_or_all: true,
        ..VariableValue::default()
    };
    assert_eq!(
        run(r#"up{x=~"$x"}"#, &[("x", all.clone())]),
        r#"up{x=~".*"}"#
    );
    assert_eq!(run("${x:text}", &[("x", all)]), "All");
}

#[test]
fn single_values_are_only_escaped_for_the_string() {
    let path = VariableValue::single(r#"C:\dir "x""#);
    assert_eq!(run(r#"{p="$p"}"#, &[("p", path)]), r#"{p="C:\\dir \"x\""}"#);
}

#[test]
fn builtins_come_from_the_range_and_step() {
    let out = run(
        "rate(x[$__rate_interval]) $__interval $__interval_ms $__range $__range_s $__range_ms",
        &[],
    );
    assert_eq!(out, "rate(x[1m]) 30s 30000 3600s 3600 3600000");
    assert_eq!(
        run("$__from ${__to:date:seconds}", &[]),
        "1700000000000 1700003600"
    );
    assert_eq!(run("${__from:date:iso}", &[]), "2023-11-14T22:13:20Z");
}

#[test]
fn unknown_names_stay_as_written() {
    assert_eq!(
        run("up{a=\"$nope\"} ${nope:csv}", &[]),
        "up{a=\"$nope\"} ${nope:csv}"
    );
}

/// Reads a PromQL double-quoted string body back (`\\` and `\"`).
fn unquote(body: &str) -> String {
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            out.extend(chars.next());
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #[test]
    fn multi_value_regex_matches_exactly_the_selected_values(values in prop::collection::vec("\\PC{1,8}", 1..5), other in "\\PC{1,8}") {
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        let out = run(r#"{l=~"$v"}"#, &[("v", multi(&refs))]);
        let body = out.strip_prefix("{l=~\"").and_then(|s| s.strip_suffix("\"}")).unwrap();
        let regex = regex_lite::Regex::new(&format!("^(?:{})$", unquote(body))).unwrap();
        for value in &values {
            prop_assert!(regex.is_match(value), "{value:?} not matched by {body}");
        }
        prop_assert_eq!(regex.is_match(&other), values.contains(&other));
    }

    #[test]
    fn text_without_references_is_unchanged(text in "[^$\\[]{0,40}") {
        prop_assert_eq!(run(&text, &[("x", VariableValue::single("v"))]), text);
    }

    #[test]
    fn single_value_in_a_string_reads_back_as_itself(value in "\\PC{0,12}") {
        let out = run(r#""$v""#, &[("v", VariableValue::single(&value))]);
        let body = out.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap();
        prop_assert_eq!(unquote(body), value);
    }
}

#[test]
fn titles_show_each_value_as_its_text_unescaped() {
    let mut gpu = multi(&["0", "1.5"]);
    gpu.texts = vec!["GPU 0".to_owned(), "GPU 1.5".to_owned()];
    let vars = vec![
        ("gpu".to_owned(), gpu),
        ("node".to_owned(), VariableValue::single("node-\"a\"")),
    ];
    let scope = Scope {
        variables: &vars,
        builtins: None,
    };
    assert_eq!(
        interpolate_display("Util \"$gpu\" on ${node} ($unknown)", &scope),
        "Util \"GPU 0 + GPU 1.5\" on node-\"a\" ($unknown)"
    );
    assert_eq!(interpolate_display("${gpu:csv}", &scope), "0,1.5");
    assert_eq!(
        interpolate_display("no references", &scope),
        "no references"
    );
}
