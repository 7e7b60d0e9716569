//! Builders for the Prometheus expression endpoints: `query`, `query_range`, `format_query`,
//! `parse_query` and the `status/buildinfo` connection check.
//!
//! All of them may be POSTed, so long queries switch to a form body on their own
//! ([`ApiRequest::new`]). Times go out as Unix seconds with millisecond decimals, steps as
//! seconds.

use crate::api::request::{params, ApiRequest};
use crate::model::duration::Duration;
use crate::model::time_range::{millis_to_secs_text, TimeRange};

/// Optional parameters of `query` and `query_range`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueryOptions {
    /// Evaluation timeout sent to the server (capped there by `-query.timeout`).
    pub timeout: Option<Duration>,
    /// Maximum number of series returned (Prometheus 2.54+; `0` disables it). Servers that do not
    /// know the parameter ignore it.
    pub limit: Option<u64>,
}

impl QueryOptions {
    fn append_to(self, out: &mut Vec<(String, String)>) {
        if let Some(timeout) = self.timeout {
            out.push(("timeout".to_owned(), step_text(timeout)));
        }
        if let Some(limit) = self.limit {
            out.push(("limit".to_owned(), limit.to_string()));
        }
    }
}

/// `GET|POST /api/v1/query_range`: `query` over `range` (both ends included) every `step`.
#[must_use]
pub fn query_range(query: &str, range: TimeRange, step: Duration) -> ApiRequest {
    query_range_with(query, range, step, QueryOptions::default())
}

/// [`query_range`] with a timeout and/or a series limit.
#[must_use]
pub fn query_range_with(
    query: &str,
    range: TimeRange,
    step: Duration,
    options: QueryOptions,
) -> ApiRequest {
    let mut list = params([
        ("query", query.to_owned()),
        ("start", range.from_secs_text()),
        ("end", range.to_secs_text()),
        ("step", step_text(step)),
    ]);
    options.append_to(&mut list);
    ApiRequest::new("/api/v1/query_range", list, true)
}

/// `GET|POST /api/v1/query`: `query` evaluated at `time_ms`.
#[must_use]
pub fn instant_query(query: &str, time_ms: i64) -> ApiRequest {
    instant_query_with(query, time_ms, QueryOptions::default())
}

/// [`instant_query`] with a timeout and/or a series limit.
#[must_use]
pub fn instant_query_with(query: &str, time_ms: i64, options: QueryOptions) -> ApiRequest {
    let mut list = params([
        ("query", query.to_owned()),
        ("time", millis_to_secs_text(time_ms)),
    ]);
    options.append_to(&mut list);
    ApiRequest::new("/api/v1/query", list, true)
}

/// `GET|POST /api/v1/format_query`: the server's pretty-printed form of `query`. Not on
/// CoreWeave's list of paths: feature-detect it ([`crate::api::error::ApiError::is_feature_missing`]).
#[must_use]
pub fn format_query(query: &str) -> ApiRequest {
    ApiRequest::new(
        "/api/v1/format_query",
        params([("query", query.to_owned())]),
        true,
    )
}

/// `GET|POST /api/v1/parse_query`: the AST of `query` (experimental, Prometheus 2.48+). Not on
/// CoreWeave's list of paths: feature-detect it.
#[must_use]
pub fn parse_query(query: &str) -> ApiRequest {
    ApiRequest::new(
        "/api/v1/parse_query",
        params([("query", query.to_owned())]),
        true,
    )
}

/// `GET /api/v1/status/buildinfo`: a cheap authenticated call used as a connection check.
#[must_use]
pub fn build_info() -> ApiRequest {
    ApiRequest::get_only("/api/v1/status/buildinfo", Vec::new())
}

/// `GET /api/v1/query?query=1`: the cheapest call on CoreWeave's list of paths, for a
/// connection check on hosts that do not offer `status/buildinfo`.
#[must_use]
pub fn connection_probe() -> ApiRequest {
    ApiRequest::get_only("/api/v1/query", params([("query", "1".to_owned())]))
}

/// A step or duration as the API wants it: whole seconds when possible (`15`), else decimals
/// (`0.5`).
#[must_use]
pub fn step_text(step: Duration) -> String {
    millis_to_secs_text(i64::try_from(step.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    #[test]
    fn query_range_sends_seconds_and_a_numeric_step() {
        let r = query_range(
            "up",
            TimeRange::new(1_700_000_000_000, 1_700_003_600_500),
            Duration::from_secs(15),
        );
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url("http://h"),
            "http://h/api/v1/query_range?query=up&start=1700000000&end=1700003600.5&step=15"
        );
    }

    #[test]
    fn query_range_options_follow_the_required_parameters() {
        let r = query_range_with(
            "up",
            TimeRange::new(0, 60_000),
            Duration::from_millis(500),
            QueryOptions {
                timeout: Some(Duration::from_secs(20)),
                limit: Some(100),
            },
        );
        assert_eq!(
            r.encoded_params(),
            "query=up&start=0&end=60&step=0.5&timeout=20&limit=100"
        );
    }

    #[test]
    fn instant_query_sends_time() {
        let r = instant_query("sum(up)", 1_700_000_000_250);
        assert_eq!(
            r.url(""),
            "/api/v1/query?query=sum%28up%29&time=1700000000.25"
        );
    }

    #[test]
    fn long_range_queries_become_post_form_bodies() {
        let long = format!("up{{job=~\"{}\"}}", "a|".repeat(2500));
        let r = query_range(&long, TimeRange::new(0, 1000), Duration::from_secs(1));
        assert_eq!(r.method, Method::PostForm);
        assert_eq!(r.url("https://h"), "https://h/api/v1/query_range");
        assert!(r
            .body()
            .is_some_and(|b| b.ends_with("&start=0&end=1&step=1")));
    }

    #[test]
    fn format_parse_and_build_info_paths() {
        assert_eq!(
            format_query("a/b").url(""),
            "/api/v1/format_query?query=a%2Fb"
        );
        assert_eq!(parse_query("up").url(""), "/api/v1/parse_query?query=up");
        assert_eq!(
            build_info().url("https://h/prom/"),
            "https://h/prom/api/v1/status/buildinfo"
        );
    }
}
