//! Builders for every Prometheus API call Sightline makes.

use crate::api::request::{params, ApiRequest};
use crate::model::duration::Duration;
use crate::model::time_range::{millis_to_secs_text, TimeRange};

/// `GET|POST /api/v1/query_range`: `query` over `range` every `step`.
#[must_use]
pub fn query_range(query: &str, range: TimeRange, step: Duration) -> ApiRequest {
    ApiRequest::new(
        "/api/v1/query_range",
        params([
            ("query", query.to_owned()),
            ("start", range.from_secs_text()),
            ("end", range.to_secs_text()),
            ("step", step_text(step)),
        ]),
        true,
    )
}

/// `GET|POST /api/v1/query`: `query` evaluated at `time_ms`.
#[must_use]
pub fn instant_query(query: &str, time_ms: i64) -> ApiRequest {
    ApiRequest::new(
        "/api/v1/query",
        params([("query", query.to_owned()), ("time", millis_to_secs_text(time_ms))]),
        true,
    )
}

/// `GET /api/v1/status/buildinfo`: a cheap authenticated call used as a connection check.
#[must_use]
pub fn build_info() -> ApiRequest {
    ApiRequest::new("/api/v1/status/buildinfo", Vec::new(), false)
}

/// A step as the API wants it: whole seconds when possible (`15`), else decimals (`0.5`).
#[must_use]
pub fn step_text(step: Duration) -> String {
    millis_to_secs_text(i64::try_from(step.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
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
    fn instant_query_sends_time() {
        let r = instant_query("sum(up)", 1_700_000_000_250);
        assert_eq!(r.url(""), "/api/v1/query?query=sum%28up%29&time=1700000000.25");
    }
}
