//! Property tests over hostile input (issue 10): whatever a dashboard file, a URL or a server
//! sends, the pure layers answer with a value or an error — never a panic — and what they let
//! through stays safe (links, return paths, error texts). `fuzz/` runs the same entry points
//! under cargo-fuzz.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::{json, Value};
use sightline_core::api::auth::Token;
use sightline_core::api::error::{classify_response, FailedResponse, EXCERPT_CHARS};
use sightline_core::api::{loki, prometheus};
use sightline_core::model::dashboard::{load, Link};
use sightline_core::model::duration::Duration;
use sightline_core::model::interpolate::{interpolate, Builtins, Scope, VariableValue};
use sightline_core::model::markdown::{parse as markdown, safe_href, Block, Inline};
use sightline_core::model::navigation::safe_return_path;
use sightline_core::model::time_expr::{RangeExpr, TimeExpr};
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::url_state::UrlState;

/// Any JSON value, including the awkward ones (huge and negative numbers, long and control
/// strings, deep-ish nesting).
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "\\PC{0,16}".prop_map(Value::String),
        "[\\x00-\\x1f<>&\"'`$\\\\{}\\[\\]]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..5)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Keys the dashboard model reads, and others.
fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "title",
            "panels",
            "templating",
            "list",
            "time",
            "from",
            "to",
            "refresh",
            "gridPos",
            "x",
            "y",
            "w",
            "h",
            "id",
            "type",
            "targets",
            "expr",
            "datasource",
            "uid",
            "options",
            "fieldConfig",
            "defaults",
            "links",
            "url",
            "collapsed",
            "rows",
            "query",
            "regex",
            "current",
            "value",
            "text",
            "name",
            "legendFormat",
            "interval",
            "maxDataPoints",
            "thresholds",
            "steps",
            "mappings",
            "overrides",
            "schemaVersion",
            "timezone",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,6}",
    ]
}

/// A JSON text that is a dashboard-shaped object with hostile values at known keys.
fn arb_dashboard_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((arb_key(), arb_json()), 0..8),
        prop::collection::vec(prop::collection::vec((arb_key(), arb_json()), 0..8), 0..4),
    )
        .prop_map(|(top, panels)| {
            let mut doc: serde_json::Map<String, Value> = top.into_iter().collect();
            doc.insert(
                "panels".into(),
                Value::Array(
                    panels
                        .into_iter()
                        .map(|p| Value::Object(p.into_iter().collect()))
                        .collect(),
                ),
            );
            Value::Object(doc).to_string()
        })
}

fn scope_with<'a>(variables: &'a [(String, VariableValue)]) -> Scope<'a> {
    Scope {
        variables,
        builtins: Some(Builtins {
            range: TimeRange::new(1_700_000_000_000, 1_700_003_600_000),
            interval: Duration::from_secs(15),
            scrape_interval: Duration::from_secs(15),
        }),
    }
}

fn all_links(blocks: &[Block]) -> Vec<Option<String>> {
    fn inlines(items: &[Inline], out: &mut Vec<Option<String>>) {
        for item in items {
            match item {
                Inline::Link { content, href } => {
                    out.push(href.clone());
                    inlines(content, out);
                }
                Inline::Strong(c) | Inline::Emphasis(c) => inlines(c, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Quote(content) => {
                inlines(content, &mut out);
            }
            Block::List { items, .. } => items.iter().for_each(|i| inlines(i, &mut out)),
            Block::Code(_) | Block::Rule => {}
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_dashboard_shaped_json_loads_or_reports_and_saves_back(text in arb_dashboard_text()) {
        let loaded = load(&text);
        if let Some(dashboard) = loaded.dashboard {
            let saved = dashboard.to_json_pretty();
            let again = load(&saved);
            prop_assert_eq!(again.dashboard.as_ref(), Some(&dashboard));
        } else {
            prop_assert!(loaded.has_errors());
        }
    }

    #[test]
    fn any_bytes_as_a_dashboard_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = load(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn decoders_never_panic_on_cut_or_mangled_answers(
        cut in 0usize..400,
        flip in 0usize..400,
        byte in any::<u8>(),
    ) {
        let bodies = [
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"<b>"},"values":[[1700000000,"1"],[1700000015,"NaN"],[1700000030,"+Inf"]]}]},"warnings":["w"]}"#,
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.5,"-1e308"]}]}}"#,
            r#"{"status":"success","data":{"resultType":"streams","result":[{"stream":{"app":"x"},"values":[["1700000000000000000","line \u003cb\u003e"],["1700000000000000001","x",{"structuredMetadata":{"k":"v"}}]]}],"stats":{}}}"#,
            r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#,
        ];
        for body in bodies {
            let mut bytes = body.as_bytes().to_vec();
            bytes.truncate(cut.min(bytes.len()));
            if let Some(b) = bytes.get_mut(flip) {
                *b = byte;
            }
            let text = String::from_utf8_lossy(&bytes);
            let _ = prometheus::decode_query("h", &text);
            let _ = loki::decode_query("h", &text);
            let _ = prometheus::decode_series("h", &text);
            let _ = loki::decode_names("h", &text);
        }
    }

    #[test]
    fn decoders_never_panic_on_any_json(value in arb_json()) {
        let text = json!({"status": "success", "data": value}).to_string();
        let _ = prometheus::decode_query("h", &text);
        let _ = loki::decode_query("h", &text);
        let _ = loki::decode_volume("h", &text);
        let _ = prometheus::decode_rules("h", &text);
        let _ = prometheus::decode_metadata("h", &text);
    }

    #[test]
    fn error_texts_are_bounded_and_free_of_control_characters(
        status in 100u16..600,
        body in "\\PC{0,700}|[\\x00-\\x1f<>]{0,50}",
        content_type in prop::sample::select(vec!["text/html", "application/json", "text/plain", ""]),
        retry_after in "[0-9a-z ]{0,12}",
    ) {
        let error = classify_response(&FailedResponse {
            host: "observe.example",
            path: "/api/v1/query",
            status,
            content_type: Some(content_type),
            retry_after: Some(&retry_after),
            body: &body,
        });
        let text = error.to_string();
        prop_assert!(text.chars().count() < EXCERPT_CHARS + 400, "{} chars", text.chars().count());
        prop_assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
    }

    #[test]
    fn a_token_echoed_anywhere_in_a_body_is_scrubbed_from_the_error(
        secret in "[A-Za-z0-9._~+/-]{8,40}",
        before in 0usize..600,
        status in prop::sample::select(vec![400u16, 422, 500, 502, 503, 504]),
    ) {
        // The client scrubs the body before classifying it (see `src/client/http.rs`): an
        // excerpt can then never keep a piece of the token.
        let token = Token::parse(&secret).unwrap();
        let body = format!("{}Authorization: Bearer {secret} end", "x".repeat(before));
        let scrubbed = token.redact(&body);
        let error = classify_response(&FailedResponse {
            host: "h", path: "/p", status, content_type: Some("text/plain"), retry_after: None, body: &scrubbed,
        }).redacted(&token);
        let text = error.to_string();
        prop_assert!(!text.contains(&secret[..8]), "{text}");
    }

    #[test]
    fn markdown_never_panics_and_only_lets_safe_links_through(text in "(\\PC|\\n|\\[|\\]|\\(|\\)|\\*|_|`|#|>|-|:){0,300}") {
        for href in all_links(&markdown(&text)).into_iter().flatten() {
            let again = safe_href(&href);
            prop_assert_eq!(again.as_deref(), Some(href.as_str()));
            let lower = href.to_ascii_lowercase();
            prop_assert!(!lower.trim_start().starts_with("javascript:") && !lower.starts_with("data:") && !href.starts_with("//"), "{href}");
        }
    }

    #[test]
    fn allowed_links_are_web_or_in_app(url in "\\PC{0,40}|(javascript|data|vbscript|file|JaVaScRiPt): ?\\PC{0,10}|[ \\t]*//\\PC{0,10}") {
        let link = Link { url: url.clone(), ..Link::default() };
        for allowed in [link.safe_url().map(str::to_owned), safe_href(&url)].into_iter().flatten() {
            let lower = allowed.to_ascii_lowercase();
            prop_assert!(
                lower.starts_with("http://") || lower.starts_with("https://")
                    || (allowed.starts_with('/') && !allowed.starts_with("//") && !allowed.starts_with("/\\"))
                    || allowed.starts_with('#') || allowed.starts_with('?'),
                "{allowed:?}"
            );
            prop_assert!(!allowed.chars().any(char::is_control));
        }
    }

    #[test]
    fn return_paths_never_leave_the_app(next in "\\PC{0,40}|/[/\\\\]\\PC{0,10}|https?://\\PC{0,10}") {
        if let Some(path) = safe_return_path(&next) {
            prop_assert!(path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\"));
            prop_assert!(!path.contains('\\') && !path.chars().any(char::is_control));
        }
    }

    #[test]
    fn time_expressions_never_panic_and_resolve_anywhere(
        from in "now(-[0-9]{1,20}[smhdwMy])?(/[smhdwMy])?|\\PC{0,20}|[0-9]{1,20}|now[-+/]?\\PC{0,3}",
        to in "now(\\+[0-9]{1,20}[smhdwMy])?|\\PC{0,12}",
        now in any::<i64>(),
        offset in -100_000i32..100_000,
    ) {
        let _ = from.parse::<TimeExpr>();
        if let Ok(range) = RangeExpr::parse(&from, &to) {
            let zone = move |_| offset;
            let _ = range.resolve(now, &zone);
        }
    }

    #[test]
    fn interpolation_is_bounded_by_its_inputs(
        text in "(\\$[a-z_]{1,6}|\\$\\{[a-z_:]{1,12}\\}|\\[\\[[a-z]{1,4}\\]\\]|\\PC){0,60}",
        values in prop::collection::vec(("[a-z]{1,6}", prop::collection::vec("\\PC{0,12}", 0..4)), 0..6),
    ) {
        let variables: Vec<(String, VariableValue)> = values
            .iter()
            .map(|(name, vs)| {
                let texts = vs.clone();
                (name.clone(), VariableValue { values: vs.clone(), texts, multi_or_all: vs.len() > 1, ..VariableValue::default() })
            })
            .collect();
        let longest = values.iter().flat_map(|(_, v)| v.iter().map(String::len)).sum::<usize>() + 64;
        let out = interpolate(&text, &scope_with(&variables));
        // Every reference is replaced once, by at most all values escaped (×4) and joined.
        prop_assert!(out.len() <= text.len() * (longest * 4 + 64), "{} → {}", text.len(), out.len());
    }

    #[test]
    fn url_state_never_panics_and_round_trips_its_own_output(query in "\\PC{0,80}|([a-z-]{1,8}=[^&]{0,8}&?){0,6}") {
        let state = UrlState::parse(&query);
        let again = UrlState::parse(&state.to_query());
        prop_assert_eq!(again.to_query(), state.to_query());
    }
}
