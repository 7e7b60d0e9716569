//! Every way an API call can fail, told apart so that the user sees what to do next.
//!
//! [`classify_response`] turns a non-2xx answer (JSON from Prometheus, `text/plain` from Loki,
//! HTML or nothing from a gateway) into an [`ApiError`]. The browser client adds the failures
//! only it can see: a blocked or unreachable host, a timeout, an abort. Every message names the
//! host; [`ApiError::redacted`] scrubs the token out of texts a server sent back.

mod classify;
mod suggestion;

pub use classify::{classify_response, excerpt, parse_retry_after, FailedResponse, EXCERPT_CHARS};
pub use suggestion::Suggestion;

use crate::api::auth::Token;

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
    #[error(
        "{host} did not answer within {seconds} s. Try a shorter time range or a larger step."
    )]
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
    /// 400 / 422: the server could not run the query as written (Prometheus `bad_data` and
    /// `execution`, Loki parse errors and limits).
    #[error("{}", bad_query_text(host, *status, error_type, message))]
    BadQuery {
        host: String,
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
    /// 499: the server gave up on the query before it finished (Prometheus `canceled`, Loki
    /// "context canceled"); usually because it ran too long.
    #[error(
        "{host} cancelled the query before it finished (499): {message}. Narrow the time range \
         or raise the step, then run it again."
    )]
    Cancelled { host: String, message: String },
    /// Prometheus' `timeout` error (503): the query ran into the server's time limit. Sending it
    /// again unchanged would time out again, so it is not retried.
    #[error(
        "{host} stopped the query at its time limit: {message}. Narrow the time range or raise \
         the step."
    )]
    QueryTimeout { host: String, message: String },
    /// 502 / 503 / 504: the server or a gateway is overloaded or down.
    #[error("{}", unavailable_text(host, *status, *retry_after_s, message))]
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
    /// The request was not sent because it could not be built (e.g. `series` without a
    /// selector); nothing reached the host.
    #[error("The request to {host} was not sent: {reason}")]
    NotSent { host: String, reason: String },
    /// The body is larger than Sightline will hold in memory.
    #[error(
        "The response from {host} is larger than {} MB. Narrow the time range, raise the step or \
         make the query more selective.", limit_bytes / 1_000_000
    )]
    TooLarge { host: String, limit_bytes: u64 },
}

fn bad_query_text(host: &str, status: u16, error_type: &str, message: &str) -> String {
    let mut text = if error_type.is_empty() {
        format!("{host} rejected the query ({status}): {message}")
    } else {
        format!("{host} rejected the query ({error_type}): {message}")
    };
    if let Some(suggestion) = Suggestion::for_bad_query(message) {
        text.push_str(". ");
        text.push_str(suggestion.text());
    }
    text
}

fn unavailable_text(host: &str, status: u16, retry_after_s: Option<u32>, message: &str) -> String {
    let mut text = format!(
        "{host} is unavailable ({status}){}: {message}",
        retry_text(retry_after_s)
    );
    if status == 504
        || Suggestion::for_bad_query(message) == Some(Suggestion::NarrowRangeOrRaiseStep)
    {
        text.push_str(". ");
        text.push_str(Suggestion::NarrowRangeOrRaiseStep.text());
    }
    text
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

    /// True when the host does not offer the endpoint at all (404, 405, 501, or a 403 from a
    /// gateway that only lets listed paths through): an optional feature such as
    /// `format_query` should then be hidden, not reported as a failure.
    #[must_use]
    pub fn is_feature_missing(&self) -> bool {
        match self {
            ApiError::NotFound { .. } | ApiError::Forbidden { .. } => true,
            ApiError::Http { status, .. } => matches!(status, 405 | 501),
            _ => false,
        }
    }

    /// True when a POST form may have failed only because the host does not take POST: a
    /// missing-feature answer (404, 405, 501, or the 403 nginx's `limit_except` gives), or a
    /// browser-side refusal, which a CORS preflight that does not allow POST or `Content-Type`
    /// looks like. The same parameters then go once more as a GET.
    #[must_use]
    pub fn may_refuse_post(&self) -> bool {
        self.is_feature_missing() || matches!(self, ApiError::Unreachable { .. })
    }

    /// The host the error is about (`None` only for [`ApiError::Aborted`]).
    #[must_use]
    pub fn host(&self) -> Option<&str> {
        match self {
            ApiError::Aborted => None,
            ApiError::Unreachable { host }
            | ApiError::Timeout { host, .. }
            | ApiError::Unauthorized { host }
            | ApiError::Forbidden { host }
            | ApiError::BadQuery { host, .. }
            | ApiError::NotFound { host, .. }
            | ApiError::RateLimited { host, .. }
            | ApiError::Cancelled { host, .. }
            | ApiError::QueryTimeout { host, .. }
            | ApiError::Unavailable { host, .. }
            | ApiError::Http { host, .. }
            | ApiError::Malformed { host, .. }
            | ApiError::NotSent { host, .. }
            | ApiError::TooLarge { host, .. } => Some(host),
        }
    }

    /// A request that could not be built for `host`.
    #[must_use]
    pub fn not_sent(host: &str, reason: &crate::api::request::RequestError) -> ApiError {
        ApiError::NotSent {
            host: host.to_owned(),
            reason: reason.to_string(),
        }
    }

    /// What the user can do about it, for a button or a link next to the message.
    #[must_use]
    pub fn suggestion(&self) -> Option<Suggestion> {
        match self {
            ApiError::Unreachable { .. } => Some(Suggestion::UseProxyMode),
            ApiError::Unauthorized { .. } => Some(Suggestion::SignInAgain),
            ApiError::Forbidden { .. } => Some(Suggestion::AskForViewerRole),
            ApiError::BadQuery { message, .. } => {
                Some(Suggestion::for_bad_query(message).unwrap_or(Suggestion::FixQuery))
            }
            ApiError::Timeout { .. }
            | ApiError::Cancelled { .. }
            | ApiError::QueryTimeout { .. }
            | ApiError::TooLarge { .. } => Some(Suggestion::NarrowRangeOrRaiseStep),
            ApiError::Unavailable {
                status, message, ..
            } if *status == 504
                || Suggestion::for_bad_query(message)
                    == Some(Suggestion::NarrowRangeOrRaiseStep) =>
            {
                Some(Suggestion::NarrowRangeOrRaiseStep)
            }
            ApiError::RateLimited { .. } | ApiError::Unavailable { .. } => {
                Some(Suggestion::RetryLater)
            }
            ApiError::NotFound { .. } => Some(Suggestion::NotOnThisHost),
            ApiError::NotSent { .. } => Some(Suggestion::FixQuery),
            ApiError::Aborted | ApiError::Http { .. } | ApiError::Malformed { .. } => None,
        }
    }

    /// The same error with every occurrence of `token` in server-sent text replaced by
    /// `…redacted…` (a gateway may echo request headers in an error page).
    #[must_use]
    pub fn redacted(self, token: &Token) -> ApiError {
        let scrub = |text: String| {
            if token.appears_in(&text) {
                token.redact(&text)
            } else {
                text
            }
        };
        match self {
            ApiError::BadQuery {
                host,
                status,
                error_type,
                message,
            } => ApiError::BadQuery {
                host: scrub(host),
                status,
                error_type: scrub(error_type),
                message: scrub(message),
            },
            ApiError::Cancelled { host, message } => ApiError::Cancelled {
                host: scrub(host),
                message: scrub(message),
            },
            ApiError::QueryTimeout { host, message } => ApiError::QueryTimeout {
                host: scrub(host),
                message: scrub(message),
            },
            ApiError::Unavailable {
                host,
                status,
                retry_after_s,
                message,
            } => ApiError::Unavailable {
                host: scrub(host),
                status,
                retry_after_s,
                message: scrub(message),
            },
            ApiError::Http {
                host,
                status,
                message,
            } => ApiError::Http {
                host: scrub(host),
                status,
                message: scrub(message),
            },
            ApiError::Malformed { host, detail } => ApiError::Malformed {
                host: scrub(host),
                detail: scrub(detail),
            },
            ApiError::NotFound { host, path } => ApiError::NotFound {
                host: scrub(host),
                path: scrub(path),
            },
            other => other,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bad_query(message: &str) -> ApiError {
        ApiError::BadQuery {
            host: "observe.example".into(),
            status: 400,
            error_type: String::new(),
            message: message.into(),
        }
    }

    #[test]
    fn every_message_but_aborted_names_the_host() {
        let host = "observe.example".to_owned();
        let errors = [
            ApiError::Unreachable { host: host.clone() },
            ApiError::Timeout {
                host: host.clone(),
                seconds: 30,
            },
            ApiError::Unauthorized { host: host.clone() },
            ApiError::Forbidden { host: host.clone() },
            bad_query("x"),
            ApiError::NotFound {
                host: host.clone(),
                path: "/p".into(),
            },
            ApiError::RateLimited {
                host: host.clone(),
                retry_after_s: None,
            },
            ApiError::Cancelled {
                host: host.clone(),
                message: "context canceled".into(),
            },
            ApiError::QueryTimeout {
                host: host.clone(),
                message: "query timed out in query execution".into(),
            },
            ApiError::Unavailable {
                host: host.clone(),
                status: 503,
                retry_after_s: Some(2),
                message: "m".into(),
            },
            ApiError::Http {
                host: host.clone(),
                status: 418,
                message: "m".into(),
            },
            ApiError::Malformed {
                host: host.clone(),
                detail: "d".into(),
            },
            ApiError::NotSent {
                host: host.clone(),
                reason: "r".into(),
            },
            ApiError::TooLarge {
                host: host.clone(),
                limit_bytes: 64_000_000,
            },
        ];
        for error in errors {
            assert!(error.to_string().contains(&host), "{error}");
            assert_eq!(error.host(), Some(host.as_str()));
        }
        assert_eq!(ApiError::Aborted.host(), None);
    }

    #[test]
    fn a_post_is_tried_again_as_get_only_after_answers_that_can_mean_post_is_refused() {
        let host = || "h".to_owned();
        let http = |status| ApiError::Http {
            host: host(),
            status,
            message: "m".into(),
        };
        for refused in [
            ApiError::Unreachable { host: host() },
            ApiError::Forbidden { host: host() },
            ApiError::NotFound {
                host: host(),
                path: "/api/v1/query".into(),
            },
            http(405),
            http(501),
        ] {
            assert!(refused.may_refuse_post(), "{refused}");
        }
        for other in [
            ApiError::Unauthorized { host: host() },
            bad_query("parse error"),
            ApiError::Timeout {
                host: host(),
                seconds: 30,
            },
            ApiError::Aborted,
            http(500),
        ] {
            assert!(!other.may_refuse_post(), "{other}");
        }
    }

    #[test]
    fn a_504_suggests_a_narrower_range_or_a_larger_step() {
        let error = ApiError::Unavailable {
            host: "h".into(),
            status: 504,
            retry_after_s: None,
            message: "Gateway Timeout".into(),
        };
        assert!(
            error
                .to_string()
                .contains("Narrow the time range or raise the step"),
            "{error}"
        );
        assert_eq!(error.suggestion(), Some(Suggestion::NarrowRangeOrRaiseStep));
    }

    #[test]
    fn redaction_scrubs_the_token_from_server_texts() {
        let token = Token::parse("s3cr3t-token").unwrap();
        let error = ApiError::Http {
            host: "h".into(),
            status: 500,
            message: "echo: Authorization: Bearer s3cr3t-token".into(),
        }
        .redacted(&token);
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
        let error = bad_query("bad token s3cr3t-token").redacted(&token);
        assert!(!error.to_string().contains("s3cr3t"), "{error}");
    }

    #[test]
    fn missing_features_are_told_apart_from_failures() {
        assert!(ApiError::NotFound {
            host: "h".into(),
            path: "/api/v1/parse_query".into()
        }
        .is_feature_missing());
        assert!(ApiError::Http {
            host: "h".into(),
            status: 405,
            message: String::new()
        }
        .is_feature_missing());
        assert!(!bad_query("x").is_feature_missing());
        assert!(!ApiError::Unreachable { host: "h".into() }.is_feature_missing());
    }
}
