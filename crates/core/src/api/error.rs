//! Every way an API call can fail, told apart so that the user sees what to do next.
//!
//! [`classify_response`] turns a non-2xx answer (JSON from Prometheus, `text/plain` from Loki,
//! HTML or nothing from a gateway) into an [`ApiError`]. The browser client adds the failures
//! only it can see: a blocked or unreachable host, a timeout, an abort.

/// How much of an unreadable body an error message quotes.
pub const EXCERPT_CHARS: usize = 300;

/// A failed API call, with the context a user needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// `fetch` failed without a status: CORS refusal, DNS failure, connection refused.
    #[error(
        "{host} could not be reached. The host may not allow requests from this page's origin \
         (CORS), or the network is down. If the host is up, use a profile in proxy mode."
    )]
    Unreachable { host: String },
    /// No answer within the request's time limit.
    #[error("{host} did not answer within {seconds} s. Try a shorter time range or a larger step.")]
    Timeout { host: String, seconds: u32 },
    /// Superseded by a newer request (time range or variables changed). Never shown as an error.
    #[error("request cancelled")]
    Aborted,
    /// 401: the token is missing, wrong or expired.
    #[error("{host} rejected the token (401 Unauthorized): it is missing, wrong or expired. Sign in again.")]
    Unauthorized { host: String },
    /// 403: the token is valid but lacks a role.
    #[error(
        "{host} refused access (403 Forbidden): the token is valid but lacks the Observability \
         Viewer role for this data."
    )]
    Forbidden { host: String },
    /// 400 / 422: the server could not run the query as written.
    #[error("{}", bad_query_text(error_type, message))]
    BadQuery {
        status: u16,
        error_type: String,
        message: String,
    },
    /// 404: the host does not serve this path (an endpoint it does not offer).
    #[error("{host} does not offer {path} (404 Not Found).")]
    NotFound { host: String, path: String },
    /// 429: too many requests.
    #[error("{host} is rate limiting requests (429 Too Many Requests){}.", retry_text(*retry_after_s))]
    RateLimited {
        host: String,
        retry_after_s: Option<u32>,
    },
    /// 502 / 503 / 504 and Prometheus' `timeout` errors: the server or a gateway is overloaded.
    #[error("{host} is unavailable ({status}){}: {message}", retry_text(*retry_after_s))]
    Unavailable {
        host: String,
        status: u16,
        retry_after_s: Option<u32>,
        message: String,
    },
    /// Any other non-2xx answer.
    #[error("{host} answered {status}: {message}")]
    Http {
        host: String,
        status: u16,
        message: String,
    },
    /// A 2xx answer whose body is not what the API documents (truncated or malformed JSON).
    #[error("{host} sent a response Sightline could not read: {detail}")]
    Malformed { host: String, detail: String },
    /// The body is larger than Sightline will hold in memory.
    #[error(
        "The response from {host} is larger than {} MB. Narrow the time range, raise the step or \
         make the query more selective.", limit_bytes / 1_000_000
    )]
    TooLarge { host: String, limit_bytes: u64 },
}

fn bad_query_text(error_type: &str, message: &str) -> String {
    if error_type.is_empty() {
        format!("The query was rejected: {message}")
    } else {
        format!("The query was rejected ({error_type}): {message}")
    }
}

fn retry_text(retry_after_s: Option<u32>) -> String {
    match retry_after_s {
        Some(s) => format!("; retry in {s} s"),
        None => String::new(),
    }
}

impl ApiError {
    /// True when sending the same request again later may succeed (429, 502, 503, 504).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::RateLimited { .. } | ApiError::Unavailable { .. }
        )
    }

    /// The server's `Retry-After`, when it sent one.
    #[must_use]
    pub fn retry_after_s(&self) -> Option<u32> {
        match self {
            ApiError::RateLimited { retry_after_s, .. }
            | ApiError::Unavailable { retry_after_s, .. } => *retry_after_s,
            _ => None,
        }
    }

    /// True when the user must sign in again (the token was rejected).
    #[must_use]
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// True for a superseded request, which is not an error to show.
    #[must_use]
    pub fn is_aborted(&self) -> bool {
        matches!(self, ApiError::Aborted)
    }
}

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
    let retry_after_s = response.retry_after.and_then(parse_retry_after);
    let (error_type, message) = error_text(response.content_type, response.body);
    match response.status {
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
        400 | 422 => ApiError::BadQuery {
            status: response.status,
            error_type,
            message: if message.is_empty() {
                "no reason given".to_owned()
            } else {
                message
            },
        },
        502..=504 => ApiError::Unavailable {
            host,
            status: response.status,
            retry_after_s,
            message: if message.is_empty() {
                status_reason(response.status).to_owned()
            } else {
                message
            },
        },
        status => ApiError::Http {
            host,
            status,
            message: if message.is_empty() {
                status_reason(status).to_owned()
            } else {
                message
            },
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
    let is_html = content_type.is_some_and(|ct| ct.contains("html"))
        || trimmed.starts_with('<');
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
        499 => "request cancelled by the client",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "no details in the response",
    }
}

#[cfg(test)]
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
                status: 400,
                error_type: "bad_data".into(),
                message: "invalid parameter \"query\": 1:5: parse error: unexpected end of input".into()
            }
        );
        assert!(err.to_string().contains("bad_data"));
    }

    #[test]
    fn loki_plain_text_errors_are_quoted() {
        let err = failed(400, "text/plain; charset=utf-8", "parse error at line 1, col 5: syntax error\n");
        assert!(err.to_string().contains("parse error at line 1, col 5"), "{err}");
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
        assert!(failed(403, "application/json", "{}").to_string().contains("Observability Viewer"));
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
        assert!(failed(503, "", "").to_string().contains("Service Unavailable"));
    }

    #[test]
    fn bad_queries_are_never_retried() {
        assert!(!failed(422, "application/json", r#"{"errorType":"execution","error":"x"}"#).is_retryable());
    }
}
