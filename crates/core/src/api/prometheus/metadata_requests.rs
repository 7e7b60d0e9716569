//! Builders for the Prometheus metadata endpoints: `series`, `labels`, `label/<name>/values`,
//! `query_exemplars`, `metadata` and `rules`.
//!
//! `label/<name>/values`, `metadata` and `rules` are GET only and never switch to POST, however
//! many parameters they carry; the others switch to a form body when long.

use crate::api::request::{params, ApiRequest, RequestError};
use crate::model::time_range::TimeRange;

use super::label_name::escape_label_name;

/// Which series a metadata call looks at: `match[]` selectors, an optional range and a limit.
///
/// These endpoints read the index: the range is approximate, and without one they search all
/// time, which is slow on a big server. Send a range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SeriesScope {
    /// Series selectors (`up{job="a"}`), sent as repeated `match[]`.
    pub matchers: Vec<String>,
    pub range: Option<TimeRange>,
    /// At most this many results (Prometheus 2.49+; older servers ignore it).
    pub limit: Option<u64>,
}

impl SeriesScope {
    /// A scope over `range` with no selector.
    #[must_use]
    pub fn over(range: TimeRange) -> Self {
        SeriesScope {
            range: Some(range),
            ..SeriesScope::default()
        }
    }

    /// A scope over `range` limited to the series `matchers` select.
    #[must_use]
    pub fn matching(matchers: Vec<String>, range: TimeRange) -> Self {
        SeriesScope {
            matchers,
            range: Some(range),
            limit: None,
        }
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .matchers
            .iter()
            .map(|m| ("match[]".to_owned(), m.clone()))
            .collect();
        if let Some(range) = self.range {
            out.push(("start".to_owned(), range.from_secs_text()));
            out.push(("end".to_owned(), range.to_secs_text()));
        }
        if let Some(limit) = self.limit {
            out.push(("limit".to_owned(), limit.to_string()));
        }
        out
    }
}

/// `GET|POST /api/v1/series`: the label sets of the series matching the selectors.
///
/// # Errors
/// [`RequestError::NoSelector`] when `scope` has no `match[]` (the API requires one).
pub fn series(scope: &SeriesScope) -> Result<ApiRequest, RequestError> {
    if scope.matchers.is_empty() {
        return Err(RequestError::NoSelector {
            path: "/api/v1/series",
        });
    }
    Ok(ApiRequest::new("/api/v1/series", scope.to_params(), true))
}

/// `GET|POST /api/v1/labels`: label names, optionally only those of matching series.
#[must_use]
pub fn labels(scope: &SeriesScope) -> ApiRequest {
    ApiRequest::new("/api/v1/labels", scope.to_params(), true)
}

/// `GET /api/v1/label/<name>/values` (GET only): the values of label `name`, with UTF-8 names
/// escaped as `U__…` in the path.
///
/// # Errors
/// [`RequestError::EmptyLabelName`] for an empty name.
pub fn label_values(name: &str, scope: &SeriesScope) -> Result<ApiRequest, RequestError> {
    if name.is_empty() {
        return Err(RequestError::EmptyLabelName {
            path: "/api/v1/label/<name>/values",
        });
    }
    let path = format!("/api/v1/label/{}/values", escape_label_name(name));
    Ok(ApiRequest::get_only(path, scope.to_params()))
}

/// `GET|POST /api/v1/query_exemplars`: exemplars of the series `query` selects over `range`.
#[must_use]
pub fn query_exemplars(query: &str, range: TimeRange) -> ApiRequest {
    ApiRequest::new(
        "/api/v1/query_exemplars",
        params([
            ("query", query.to_owned()),
            ("start", range.from_secs_text()),
            ("end", range.to_secs_text()),
        ]),
        true,
    )
}

/// Parameters of `metadata`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MetadataFilter {
    /// Only this metric.
    pub metric: Option<String>,
    /// At most this many metrics.
    pub limit: Option<u64>,
    /// At most this many metadata entries per metric.
    pub limit_per_metric: Option<u64>,
}

/// `GET /api/v1/metadata` (GET only): type, help and unit of scraped metrics.
#[must_use]
pub fn metadata(filter: &MetadataFilter) -> ApiRequest {
    let mut list = Vec::new();
    if let Some(metric) = &filter.metric {
        list.push(("metric".to_owned(), metric.clone()));
    }
    if let Some(limit) = filter.limit {
        list.push(("limit".to_owned(), limit.to_string()));
    }
    if let Some(limit) = filter.limit_per_metric {
        list.push(("limit_per_metric".to_owned(), limit.to_string()));
    }
    ApiRequest::get_only("/api/v1/metadata", list)
}

/// Which rules `rules` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Alert,
    Record,
}

/// Parameters of `rules`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RulesFilter {
    pub kind: Option<RuleKind>,
    pub rule_names: Vec<String>,
    pub rule_groups: Vec<String>,
    pub files: Vec<String>,
    /// Only rules whose labels match these selectors.
    pub matchers: Vec<String>,
    /// Leave out the active alerts of alerting rules (smaller answers).
    pub exclude_alerts: bool,
    /// Page size in groups (Prometheus 3.x); the answer then carries `groupNextToken`.
    pub group_limit: Option<u32>,
    /// The `groupNextToken` of the previous page.
    pub group_next_token: Option<String>,
}

/// `GET /api/v1/rules` (GET only): alerting and recording rules, with paging by group.
#[must_use]
pub fn rules(filter: &RulesFilter) -> ApiRequest {
    let mut list = Vec::new();
    match filter.kind {
        Some(RuleKind::Alert) => list.push(("type".to_owned(), "alert".to_owned())),
        Some(RuleKind::Record) => list.push(("type".to_owned(), "record".to_owned())),
        None => {}
    }
    for (name, values) in [
        ("rule_name[]", &filter.rule_names),
        ("rule_group[]", &filter.rule_groups),
        ("file[]", &filter.files),
        ("match[]", &filter.matchers),
    ] {
        list.extend(values.iter().map(|v| (name.to_owned(), v.clone())));
    }
    if filter.exclude_alerts {
        list.push(("exclude_alerts".to_owned(), "true".to_owned()));
    }
    if let Some(limit) = filter.group_limit {
        list.push(("group_limit".to_owned(), limit.to_string()));
    }
    if let Some(token) = &filter.group_next_token {
        list.push(("group_next_token".to_owned(), token.clone()));
    }
    ApiRequest::get_only("/api/v1/rules", list)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::request::Method;

    fn scope(matchers: &[&str]) -> SeriesScope {
        SeriesScope {
            matchers: matchers.iter().map(|m| (*m).to_owned()).collect(),
            range: Some(TimeRange::new(1_700_000_000_000, 1_700_003_600_000)),
            limit: None,
        }
    }

    #[test]
    fn series_repeats_match_and_sends_the_range() {
        let r = series(&scope(&[
            "up",
            r#"process_start_time_seconds{job="prometheus"}"#,
        ]))
        .unwrap();
        assert_eq!(
            r.url("http://h"),
            "http://h/api/v1/series?match%5B%5D=up&match%5B%5D=process_start_time_seconds%7Bjob%3D%22prometheus%22%7D&start=1700000000&end=1700003600"
        );
    }

    #[test]
    fn series_without_a_selector_is_refused() {
        assert_eq!(
            series(&SeriesScope::default()),
            Err(RequestError::NoSelector {
                path: "/api/v1/series"
            })
        );
    }

    #[test]
    fn labels_with_a_limit() {
        let mut s = scope(&[]);
        s.limit = Some(50);
        assert_eq!(
            labels(&s).url(""),
            "/api/v1/labels?start=1700000000&end=1700003600&limit=50"
        );
    }

    #[test]
    fn label_values_escape_utf8_names_in_the_path() {
        let r = label_values("http.status_code", &scope(&["up"])).unwrap();
        assert_eq!(
            r.url(""),
            "/api/v1/label/U__http_2e_status__code/values?match%5B%5D=up&start=1700000000&end=1700003600"
        );
        assert!(label_values("", &scope(&[])).is_err());
    }

    #[test]
    fn get_only_endpoints_never_switch_to_post() {
        let many: Vec<String> = (0..500)
            .map(|i| format!("metric_{i}{{job=\"x\"}}"))
            .collect();
        let big = SeriesScope {
            matchers: many.clone(),
            ..SeriesScope::default()
        };
        assert_eq!(label_values("job", &big).unwrap().method, Method::Get);
        let big_rules = RulesFilter {
            matchers: many,
            ..RulesFilter::default()
        };
        assert_eq!(rules(&big_rules).method, Method::Get);
        let big_metadata = MetadataFilter {
            metric: Some("x".repeat(5000)),
            ..MetadataFilter::default()
        };
        assert_eq!(metadata(&big_metadata).method, Method::Get);
        // …while the endpoints that accept POST do switch.
        assert_eq!(series(&big).unwrap().method, Method::PostForm);
        assert_eq!(labels(&big).method, Method::PostForm);
    }

    #[test]
    fn exemplars_need_a_range() {
        let r = query_exemplars("up", TimeRange::new(1_000, 61_500));
        assert_eq!(
            r.url(""),
            "/api/v1/query_exemplars?query=up&start=1&end=61.5"
        );
    }

    #[test]
    fn metadata_parameters() {
        let f = MetadataFilter {
            metric: Some("up".into()),
            limit: Some(10),
            limit_per_metric: Some(1),
        };
        assert_eq!(
            metadata(&f).url(""),
            "/api/v1/metadata?metric=up&limit=10&limit_per_metric=1"
        );
        assert_eq!(
            metadata(&MetadataFilter::default()).url(""),
            "/api/v1/metadata"
        );
    }

    #[test]
    fn rules_filters_and_paging_token() {
        let f = RulesFilter {
            kind: Some(RuleKind::Alert),
            rule_groups: vec!["g 1".into()],
            exclude_alerts: true,
            group_limit: Some(10),
            group_next_token: Some("abc=".into()),
            ..RulesFilter::default()
        };
        assert_eq!(
            rules(&f).url(""),
            "/api/v1/rules?type=alert&rule_group%5B%5D=g%201&exclude_alerts=true&group_limit=10&group_next_token=abc%3D"
        );
    }
}
