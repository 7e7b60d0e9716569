//! Builders for the Loki query endpoints: `query_range`, `query` and `format_query`.
//!
//! Ranges are always sent explicitly, as 19-digit nanoseconds ([`loki_time_text`]); the step is
//! always sent too, so that a split range (legacy stitching) evaluates on one grid. Long queries
//! switch to a form POST, which Loki accepts on all of these paths.

use super::limits::{default_step, LogLimits};
use super::time::{loki_time_text, Direction, LogRange};
use crate::api::prometheus::step_text;
use crate::api::request::{params, ApiRequest};
use crate::model::duration::Duration;
use crate::model::step::min_step_for_point_limit;

/// The header that asks Loki to keep structured metadata and parsed labels apart from the
/// stream labels (a third element per entry). Custom headers need a CORS preflight that
/// allows them, so it is opt-in.
pub const ENCODING_FLAGS_HEADER: &str = "X-Loki-Response-Encoding-Flags";
/// The value of [`ENCODING_FLAGS_HEADER`].
pub const CATEGORIZE_LABELS: &str = "categorize-labels";

/// A LogQL range query: a log query (streams) or a metric query (matrix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogQuery {
    pub query: String,
    pub range: LogRange,
    /// Most entries returned (log queries only); see [`LogLimits::effective`].
    pub limit: u32,
    pub direction: Direction,
    /// Metric queries: evaluation step. `None` sends Loki's own default for the range.
    pub step: Option<Duration>,
    /// Log queries: at most one entry per interval.
    pub interval: Option<Duration>,
    /// Send `X-Loki-Response-Encoding-Flags: categorize-labels`.
    pub categorize_labels: bool,
}

impl LogQuery {
    /// A backward query over `range` with the default line limit.
    #[must_use]
    pub fn new(query: &str, range: LogRange, limits: &LogLimits) -> Self {
        LogQuery {
            query: query.to_owned(),
            range,
            limit: limits.effective(None),
            direction: Direction::Backward,
            step: None,
            interval: None,
            categorize_labels: false,
        }
    }

    /// The step that is sent: the one asked for, or Loki's default, never more than 11,000
    /// points.
    #[must_use]
    pub fn effective_step(&self) -> Duration {
        let range_ms = self.range.span_ms();
        match self.step {
            Some(step) => Duration::from_millis(
                step.as_millis()
                    .max(min_step_for_point_limit(range_ms))
                    .max(1),
            ),
            None => default_step(range_ms),
        }
    }
}

/// `GET|POST /loki/api/v1/query_range`.
#[must_use]
pub fn query_range(query: &LogQuery) -> ApiRequest {
    let mut list = params([
        ("query", query.query.clone()),
        ("start", loki_time_text(query.range.start_ns)),
        ("end", loki_time_text(query.range.end_ns)),
        ("limit", query.limit.to_string()),
        ("direction", query.direction.as_str().to_owned()),
        ("step", step_text(query.effective_step())),
    ]);
    if let Some(interval) = query.interval {
        list.push(("interval".to_owned(), step_text(interval)));
    }
    let request = ApiRequest::new("/loki/api/v1/query_range", list, true);
    if query.categorize_labels {
        request.with_header(ENCODING_FLAGS_HEADER, CATEGORIZE_LABELS)
    } else {
        request
    }
}

/// `GET|POST /loki/api/v1/query`: a metric query at `time_ns` (Loki answers log queries here
/// with a 400).
#[must_use]
pub fn instant_query(query: &str, time_ns: i64) -> ApiRequest {
    ApiRequest::new(
        "/loki/api/v1/query",
        params([
            ("query", query.to_owned()),
            ("time", loki_time_text(time_ns)),
        ]),
        true,
    )
}

/// `GET|POST /loki/api/v1/format_query`: Loki's pretty-printed form of `query`.
#[must_use]
pub fn format_query(query: &str) -> ApiRequest {
    ApiRequest::new(
        "/loki/api/v1/format_query",
        params([("query", query.to_owned())]),
        true,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    const START: i64 = 1_714_000_000_000_000_000;

    fn hour() -> LogRange {
        LogRange::new(START, START + 3_600_000_000_000)
    }

    #[test]
    fn query_range_sends_explicit_nanosecond_range_limit_direction_and_step() {
        let q = LogQuery::new(r#"{app="api"} |= "GET""#, hour(), &LogLimits::default());
        assert_eq!(
            query_range(&q).url("https://h"),
            "https://h/loki/api/v1/query_range?query=%7Bapp%3D%22api%22%7D%20%7C%3D%20%22GET%22\
             &start=1714000000000000000&end=1714003600000000000&limit=1000&direction=backward&step=14"
        );
        assert!(query_range(&q).headers.is_empty());
    }

    #[test]
    fn categorize_labels_adds_the_encoding_flags_header() {
        let mut q = LogQuery::new("{app=\"api\"}", hour(), &LogLimits::default());
        q.categorize_labels = true;
        q.direction = Direction::Forward;
        q.interval = Some(Duration::from_secs(30));
        let r = query_range(&q);
        assert_eq!(
            r.headers,
            vec![(
                ENCODING_FLAGS_HEADER.to_owned(),
                CATEGORIZE_LABELS.to_owned()
            )]
        );
        assert_eq!(r.param("direction"), Some("forward"));
        assert_eq!(r.param("interval"), Some("30"));
    }

    #[test]
    fn a_step_too_small_for_11000_points_is_raised() {
        let mut q = LogQuery::new(
            "count_over_time({a=\"b\"}[1m])",
            hour(),
            &LogLimits::default(),
        );
        q.step = Some(Duration::from_millis(10));
        // 3,600 s / 11,000 points → at least 328 ms (rounded up).
        assert_eq!(q.effective_step(), Duration::from_millis(328));
        q.step = Some(Duration::from_secs(60));
        assert_eq!(query_range(&q).param("step"), Some("60"));
    }

    #[test]
    fn instant_and_format_query() {
        assert_eq!(
            instant_query("sum(rate({a=\"b\"}[1m]))", START).url(""),
            "/loki/api/v1/query?query=sum%28rate%28%7Ba%3D%22b%22%7D%5B1m%5D%29%29&time=1714000000000000000"
        );
        assert_eq!(
            format_query("{a=\"b\"}").url(""),
            "/loki/api/v1/format_query?query=%7Ba%3D%22b%22%7D"
        );
    }

    #[test]
    fn long_log_queries_are_posted() {
        let long = format!("{{app=~\"{}\"}}", "x|".repeat(3000));
        let q = LogQuery::new(&long, hour(), &LogLimits::default());
        assert_eq!(query_range(&q).method, Method::PostForm);
    }
}
