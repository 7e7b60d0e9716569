//! Every error class a user can meet, classified from real recorded answers: Prometheus' own
//! errors, nginx gateway pages (`tests/fixtures/api/gateway/`), Loki's `text/plain` errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_support;

use api_support::{classify, fixture, recorded};
use sightline_core::api::auth::Token;
use sightline_core::api::error::{ApiError, Suggestion};
use sightline_core::api::prometheus::{decode_query, Feature};

const PROM: &str = "127.0.0.1:19998";
const GATEWAY: &str = "observe.example";

fn prom_error(name: &str, path: &str) -> ApiError {
    classify(PROM, path, &recorded(&format!("prometheus/{name}.http")))
}

fn gateway_error(name: &str) -> ApiError {
    classify(
        GATEWAY,
        "/api/v1/query",
        &recorded(&format!("gateway/{name}.http")),
    )
}

#[test]
fn a_parse_error_is_a_bad_query_with_the_servers_text() {
    let err = prom_error("error_400_parse", "/api/v1/query");
    let ApiError::BadQuery {
        status,
        ref error_type,
        ref message,
        ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!((status, error_type.as_str()), (400, "bad_data"));
    assert!(message.contains("unclosed left parenthesis"));
    assert_eq!(err.suggestion(), Some(Suggestion::FixQuery));
    assert!(!err.is_retryable());
    assert!(err.to_string().starts_with(PROM), "{err}");
}

#[test]
fn too_many_points_suggests_a_larger_step() {
    let err = prom_error("error_400_too_many_points", "/api/v1/query_range");
    assert_eq!(err.suggestion(), Some(Suggestion::RaiseStep));
    assert!(err.to_string().contains("Raise the step"), "{err}");
}

#[test]
fn end_before_start_is_a_bad_query() {
    let err = prom_error("error_400_end_before_start", "/api/v1/query_range");
    assert!(
        err.to_string()
            .contains("end timestamp must not be before start time"),
        "{err}"
    );
}

#[test]
fn an_execution_error_is_a_422_bad_query() {
    let err = prom_error("error_422_execution", "/api/v1/query");
    assert!(
        matches!(err, ApiError::BadQuery { status: 422, ref error_type, .. } if error_type == "execution")
    );
    assert!(!err.is_retryable());
}

#[test]
fn a_query_timeout_is_not_retried_and_suggests_a_narrower_range() {
    let err = prom_error("error_503_timeout", "/api/v1/query");
    assert!(matches!(err, ApiError::QueryTimeout { .. }), "{err:?}");
    assert!(!err.is_retryable());
    assert_eq!(err.suggestion(), Some(Suggestion::NarrowRangeOrRaiseStep));
    // The heavy query ran out of time either in the queue/evaluation (503 timeout) or while
    // expanding series (422 "context deadline exceeded"): both suggest the same remedy.
    let heavy = prom_error("error_timeout_heavy_query", "/api/v1/query");
    assert_eq!(
        heavy.suggestion(),
        Some(Suggestion::NarrowRangeOrRaiseStep),
        "{heavy:?}"
    );
}

#[test]
fn a_missing_endpoint_is_a_missing_feature() {
    let err = prom_error("error_404_parse_query", "/api/v1/parse_query");
    assert_eq!(
        err,
        ApiError::NotFound {
            host: PROM.into(),
            path: "/api/v1/parse_query".into()
        }
    );
    assert!(err.is_feature_missing());
    let feature = Feature::<String>::detect(Err(err)).unwrap();
    assert_eq!(
        feature.unavailable_text("parse_query").as_deref(),
        Some("parse_query is not available on 127.0.0.1:19998")
    );
    assert!(
        prom_error("error_404_unknown_endpoint", "/api/v1/no_such_endpoint").is_feature_missing()
    );
}

#[test]
fn posting_to_a_get_only_endpoint_is_refused_with_405() {
    let err = prom_error("error_405_post_to_label_values", "/api/v1/label/job/values");
    assert!(
        matches!(err, ApiError::Http { status: 405, ref message, .. } if message == "Method Not Allowed"),
        "{err:?}"
    );
}

#[test]
fn gateway_401_sends_the_user_to_sign_in() {
    let err = gateway_error("error_401_no_token");
    assert!(err.needs_sign_in());
    assert_eq!(err.suggestion(), Some(Suggestion::SignInAgain));
    assert!(!err.is_retryable());
}

#[test]
fn gateway_403_asks_for_the_viewer_role() {
    let err = gateway_error("error_403_no_role");
    assert_eq!(
        err,
        ApiError::Forbidden {
            host: GATEWAY.into()
        }
    );
    assert!(err.to_string().contains("Observability Viewer"));
}

#[test]
fn gateway_429_is_retried_after_the_servers_delay() {
    let err = gateway_error("error_429_retry_after");
    assert_eq!(err.retry_after_s(), Some(7));
    assert!(err.is_retryable());
}

#[test]
fn gateway_5xx_html_pages_become_their_titles() {
    for (name, status, title) in [
        ("error_502_upstream_down", 502, "502 Bad Gateway"),
        (
            "error_503_maintenance",
            503,
            "503 Service Temporarily Unavailable",
        ),
        ("error_504_upstream_timeout", 504, "504 Gateway Time-out"),
    ] {
        let err = gateway_error(name);
        assert!(
            matches!(err, ApiError::Unavailable { status: s, .. } if s == status),
            "{err:?}"
        );
        assert!(err.is_retryable());
        let text = err.to_string();
        assert!(text.contains(title) && !text.contains("<html>"), "{text}");
    }
    assert_eq!(
        gateway_error("error_503_maintenance").retry_after_s(),
        Some(30)
    );
    assert_eq!(
        gateway_error("error_504_upstream_timeout").suggestion(),
        Some(Suggestion::NarrowRangeOrRaiseStep)
    );
}

#[test]
fn an_html_sign_in_page_with_status_200_is_malformed_not_data() {
    let answer = recorded("gateway/html_200_sso_page.http");
    assert_eq!(answer.status, 200);
    let err = decode_query(GATEWAY, &answer.body).unwrap_err();
    assert!(err.to_string().contains("HTML page"), "{err}");
}

#[test]
fn a_200_through_the_gateway_decodes() {
    let answer = recorded("gateway/ok_200_through_gateway.http");
    assert_eq!(
        decode_query(GATEWAY, &answer.body)
            .unwrap()
            .data
            .series()
            .len(),
        1
    );
}

#[test]
fn loki_text_errors_keep_their_text_and_suggest_the_remedy() {
    // Recorded from the Loki test double, and (docs/) Loki's own texts for what the double
    // cannot produce.
    let cases = [
        ("loki/error_400_parse.http", Suggestion::FixQuery),
        (
            "loki/error_400_max_entries.http",
            Suggestion::LowerLineLimit,
        ),
        (
            "loki/error_400_instant_log_query.http",
            Suggestion::UseRangeQuery,
        ),
        ("loki/error_400_too_many_points.http", Suggestion::RaiseStep),
        (
            "loki/error_504_query_timeout.http",
            Suggestion::NarrowRangeOrRaiseStep,
        ),
        (
            "loki/docs/error_400_past_lookback.http",
            Suggestion::OutsideRetention,
        ),
    ];
    for (name, suggestion) in cases {
        let answer = recorded(name);
        assert!(
            answer
                .content_type
                .as_deref()
                .is_some_and(|c| c.starts_with("text/plain")),
            "{name}"
        );
        let err = classify("loki.example", "/loki/api/v1/query_range", &answer);
        let body = answer.body.trim();
        assert!(
            err.to_string().contains(&body[..body.len().min(40)]),
            "{name}: {err}"
        );
        assert!(err.to_string().starts_with("loki.example"), "{name}: {err}");
        assert_eq!(err.suggestion(), Some(suggestion), "{name}");
    }
    let limited = classify(
        "loki.example",
        "/p",
        &recorded("loki/error_429_injected.http"),
    );
    assert_eq!(limited.retry_after_s(), Some(3));
    let cancelled = classify(
        "loki.example",
        "/p",
        &recorded("loki/docs/error_499_cancelled.http"),
    );
    assert!(
        matches!(cancelled, ApiError::Cancelled { .. }),
        "{cancelled:?}"
    );
}

#[test]
fn a_body_cut_in_half_by_the_server_is_reported_as_truncated() {
    let answer = recorded("loki/truncated_json_injected.http");
    assert_eq!(answer.status, 200);
    let err = sightline_core::api::loki::decode_query("loki.example", &answer.body).unwrap_err();
    assert!(err.to_string().contains("cut off"), "{err}");
}

#[test]
fn a_token_echoed_in_an_error_page_never_reaches_the_message() {
    let token = Token::parse("s3cr3t-token-value").unwrap();
    let body = fixture("gateway/error_502_upstream_down.http")
        .replace("nginx/1.22.1", "Authorization: Bearer s3cr3t-token-value");
    let answer = api_support::Recorded {
        status: 500,
        content_type: Some("text/plain".into()),
        retry_after: None,
        body,
    };
    let err = classify(GATEWAY, "/api/v1/query", &answer).redacted(&token);
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
}
