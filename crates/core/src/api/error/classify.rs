//! Classification of non-2xx answers: status, `Content-Type` and body become an [`ApiError`].
//!
//! Prometheus sends a JSON envelope (`errorType`, `error`), Loki sends `text/plain`, gateways send
//! HTML, JSON or nothing; each becomes a readable message that keeps the status.

use super::ApiError;

/// How much of an unreadable body an error message quotes.
pub const EXCERPT_CHARS: usize = 300;

/// What a non-2xx HTTP answer consisted of.
#[derive(Debug, Clone, Copy)]
pub struct FailedResponse<'a> {
    pub host: &'a str,
    pub path: &'a str,
    pub status: u16,
    pub content_type: Option<&'a str>,
    pub retry_after: Option<&'a str>,
    pub body: &'a str,
}

/// Classifies a non-2xx answer. Prometheus sends a JSON envelope (`errorType`, `error`), Loki
/// sends `text/plain`, gateways send HTML, JSON or nothing: all of them become a readable message.
#[must_use]
pub fn classify_response(response: &FailedResponse<'_>) -> ApiError {
    let host = response.host.to_owned();
    let status = response.status;
    let retry_after_s = response.retry_after.and_then(parse_retry_after);
    let (error_type, message) = error_text(response.content_type, response.body);
    let message_or_reason = || {
        if message.is_empty() {
            status_reason(status).to_owned()
        } else {
            message.clone()
        }
    };
    match status {
        401 => ApiError::Unauthorized { host },
        403 => ApiError::Forbidden { host },
        404 => ApiError::NotFound {
            host,
            path: response.path.to_owned(),
        },
        429 => ApiError::RateLimited {
            host,
            retry_after_s,
        },
        // Prometheus' own codes: `timeout` (503) and `canceled` (499) say what happened to the
        // query, whatever the status.
        _ if error_type == "timeout" => ApiError::QueryTimeout {
            host,
            message: message_or_reason(),
        },
        499 => ApiError::Cancelled {
            host,
            message: message_or_reason(),
        },
        _ if error_type == "canceled" => ApiError::Cancelled {
            host,
            message: message_or_reason(),
        },
        400 | 422 => ApiError::BadQuery {
            host,
            status,
            message: message_or_reason(),
            error_type,
        },
        502..=504 => ApiError::Unavailable {
            host,
            status,
            retry_after_s,
            message: message_or_reason(),
        },
        _ => ApiError::Http {
            host,
            status,
            message: message_or_reason(),
        },
    }
}

/// Extracts `(errorType, error)` from a JSON envelope, or a readable excerpt of any other body.
fn error_text(content_type: Option<&str>, body: &str) -> (String, String) {
    let trimmed = body.trim();
    if trimmed.starts_with('{') {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) {
            let error_type = value
                .get("errorType")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_owned();
            let message = value
                .get("error")
                .or_else(|| value.get("message"))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
                .unwrap_or_else(|| excerpt(trimmed));
            return (error_type, message);
        }
    }
    let is_html = content_type.is_some_and(|ct| ct.contains("html")) || trimmed.starts_with('<');
    if is_html {
        return (String::new(), html_title_or_text(trimmed));
    }
    (String::new(), excerpt(trimmed))
}

/// The `<title>` of an HTML error page, or its text with tags removed.
fn html_title_or_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    if let (Some(start), Some(end)) = (lower.find("<title>"), lower.find("</title>")) {
        if start + 7 <= end {
            let title = html[start + 7..end].trim();
            if !title.is_empty() {
                return excerpt(title);
            }
        }
    }
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    excerpt(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// At most [`EXCERPT_CHARS`] characters of `text`, control characters replaced, with `…` when cut.
#[must_use]
pub fn excerpt(text: &str) -> String {
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// `Retry-After` in seconds (the HTTP-date form is not used by these APIs and is ignored).
#[must_use]
pub fn parse_retry_after(value: &str) -> Option<u32> {
    value.trim().parse::<u32>().ok()
}

fn status_reason(status: u16) -> &'static str {
    match status {
        400 | 422 => "no reason given",
        499 => "request cancelled",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "no details in the response",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn failed(status: u16, content_type: &str, body: &str) -> ApiError {
        classify_response(&FailedResponse {
            host: "observe.example",
            path: "/api/v1/query",
            status,
            content_type: Some(content_type),
            retry_after: None,
            body,
        })
    }

    #[test]
    fn prometheus_bad_data_keeps_its_error_type_and_text() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected end of input"}"#;
        let err = failed(400, "application/json", body);
        assert_eq!(
            err,
            ApiError::BadQuery {
                host: "observe.example".into(),
                status: 400,
                error_type: "bad_data".into(),
                message: "invalid parameter \"query\": 1:5: parse error: unexpected end of input"
                    .into()
            }
        );
        assert!(err.to_string().contains("bad_data"));
    }

    #[test]
    fn loki_plain_text_errors_are_quoted() {
        let err = failed(
            400,
            "text/plain; charset=utf-8",
            "parse error at line 1, col 5: syntax error\n",
        );
        assert!(
            err.to_string().contains("parse error at line 1, col 5"),
            "{err}"
        );
    }

    #[test]
    fn an_html_page_from_a_proxy_becomes_its_title() {
        let body = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let err = failed(502, "text/html", body);
        assert!(err.is_retryable());
        assert!(err.to_string().contains("502 Bad Gateway"), "{err}");
        assert!(!err.to_string().contains("<html>"));
    }

    #[test]
    fn auth_errors_say_what_to_do() {
        assert!(failed(401, "text/plain", "").needs_sign_in());
        assert!(failed(403, "application/json", "{}")
            .to_string()
            .contains("Observability Viewer"));
    }

    #[test]
    fn rate_limits_keep_retry_after() {
        let err = classify_response(&FailedResponse {
            host: "h",
            path: "/p",
            status: 429,
            content_type: None,
            retry_after: Some("7"),
            body: "",
        });
        assert_eq!(err.retry_after_s(), Some(7));
        assert!(err.is_retryable());
        assert!(err.to_string().contains("retry in 7 s"));
    }

    #[test]
    fn long_bodies_are_cut_and_empty_ones_get_a_reason() {
        let err = failed(500, "text/plain", &"x".repeat(10_000));
        assert!(err.to_string().len() < 400);
        assert!(err.to_string().ends_with('…'));
        assert!(failed(503, "", "")
            .to_string()
            .contains("Service Unavailable"));
    }

    #[test]
    fn prometheus_timeouts_and_cancellations_are_not_retried() {
        let timeout = failed(
            503,
            "application/json",
            r#"{"status":"error","errorType":"timeout","error":"query timed out in query execution"}"#,
        );
        assert!(
            matches!(timeout, ApiError::QueryTimeout { .. }),
            "{timeout:?}"
        );
        assert!(!timeout.is_retryable());
        let cancelled = failed(499, "text/plain", "context canceled\n");
        assert!(
            matches!(cancelled, ApiError::Cancelled { ref message, .. } if message == "context canceled")
        );
        assert!(!cancelled.is_retryable());
    }

    #[test]
    fn loki_limit_errors_suggest_the_remedy() {
        let err = failed(
            400,
            "text/plain; charset=utf-8",
            "max entries limit per query exceeded, limit > max_entries_limit (10000 > 5000)\n",
        );
        assert_eq!(
            err.suggestion(),
            Some(super::super::Suggestion::LowerLineLimit)
        );
        assert!(err.to_string().contains("smaller line limit"), "{err}");
        assert!(err.to_string().starts_with("observe.example"), "{err}");
    }

    #[test]
    fn bad_queries_are_never_retried() {
        assert!(!failed(
            422,
            "application/json",
            r#"{"errorType":"execution","error":"x"}"#
        )
        .is_retryable());
    }
}
