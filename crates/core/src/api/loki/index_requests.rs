//! Builders for the Loki index endpoints: `labels`, `label/<name>/values`, `series`,
//! `index/stats`, `index/volume` and `index/volume_range`.
//!
//! Every one takes a range: Loki's defaults differ between code (1 h) and docs (6 h).

use super::time::{loki_time_text, LogRange};
use crate::api::prometheus::step_text;
use crate::api::request::{encode_component, ApiRequest, RequestError};
use crate::model::duration::Duration;

fn range_params(range: LogRange) -> Vec<(String, String)> {
    vec![
        ("start".to_owned(), loki_time_text(range.start_ns)),
        ("end".to_owned(), loki_time_text(range.end_ns)),
    ]
}

/// `GET|POST /loki/api/v1/labels`: label names seen in `range`, optionally only of the streams
/// `selector` matches.
#[must_use]
pub fn labels(range: LogRange, selector: Option<&str>) -> ApiRequest {
    let mut list = range_params(range);
    if let Some(selector) = selector {
        list.push(("query".to_owned(), selector.to_owned()));
    }
    ApiRequest::new("/loki/api/v1/labels", list, true)
}

/// `GET|POST /loki/api/v1/label/<name>/values`.
///
/// # Errors
/// [`RequestError::EmptyLabelName`] for an empty name.
pub fn label_values(
    name: &str,
    range: LogRange,
    selector: Option<&str>,
) -> Result<ApiRequest, RequestError> {
    if name.is_empty() {
        return Err(RequestError::EmptyLabelName {
            path: "/loki/api/v1/label/<name>/values",
        });
    }
    let mut list = range_params(range);
    if let Some(selector) = selector {
        list.push(("query".to_owned(), selector.to_owned()));
    }
    let path = format!("/loki/api/v1/label/{}/values", encode_component(name));
    Ok(ApiRequest::new(path, list, true))
}

/// `GET|POST /loki/api/v1/series`: the label sets of the streams the selectors match.
///
/// # Errors
/// [`RequestError::NoSelector`] without a selector (the API requires one).
pub fn series(selectors: &[String], range: LogRange) -> Result<ApiRequest, RequestError> {
    if selectors.is_empty() {
        return Err(RequestError::NoSelector {
            path: "/loki/api/v1/series",
        });
    }
    let mut list: Vec<(String, String)> = selectors
        .iter()
        .map(|s| ("match[]".to_owned(), s.clone()))
        .collect();
    list.extend(range_params(range));
    Ok(ApiRequest::new("/loki/api/v1/series", list, true))
}

/// `GET|POST /loki/api/v1/index/stats`: approximate streams, chunks, entries and bytes.
#[must_use]
pub fn index_stats(selector: &str, range: LogRange) -> ApiRequest {
    let mut list = vec![("query".to_owned(), selector.to_owned())];
    list.extend(range_params(range));
    ApiRequest::new("/loki/api/v1/index/stats", list, true)
}

/// How `index/volume` groups its answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeAggregation {
    /// By label-value combinations (Loki's default).
    Series,
    /// By label name only.
    Labels,
}

/// Parameters of `index/volume` and `index/volume_range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeQuery {
    /// A stream selector such as `{job="foo", env=~".+"}`.
    pub selector: String,
    pub range: LogRange,
    /// How many series to return (Loki's default is 100).
    pub limit: Option<u32>,
    /// Aggregate into these labels only (`targetLabels`, sent comma-separated).
    pub target_labels: Vec<String>,
    pub aggregate_by: Option<VolumeAggregation>,
}

impl VolumeQuery {
    /// A volume query for `selector` over `range` with Loki's defaults.
    #[must_use]
    pub fn new(selector: &str, range: LogRange) -> Self {
        VolumeQuery {
            selector: selector.to_owned(),
            range,
            limit: None,
            target_labels: Vec::new(),
            aggregate_by: None,
        }
    }

    fn to_params(&self) -> Vec<(String, String)> {
        let mut list = vec![("query".to_owned(), self.selector.clone())];
        list.extend(range_params(self.range));
        if let Some(limit) = self.limit {
            list.push(("limit".to_owned(), limit.to_string()));
        }
        if !self.target_labels.is_empty() {
            list.push(("targetLabels".to_owned(), self.target_labels.join(",")));
        }
        match self.aggregate_by {
            Some(VolumeAggregation::Series) => {
                list.push(("aggregateBy".to_owned(), "series".to_owned()))
            }
            Some(VolumeAggregation::Labels) => {
                list.push(("aggregateBy".to_owned(), "labels".to_owned()))
            }
            None => {}
        }
        list
    }
}

/// `GET|POST /loki/api/v1/index/volume`: one value per series over the whole range (a vector).
#[must_use]
pub fn index_volume(query: &VolumeQuery) -> ApiRequest {
    ApiRequest::new("/loki/api/v1/index/volume", query.to_params(), true)
}

/// `GET|POST /loki/api/v1/index/volume_range`: volume per `step` (a matrix).
#[must_use]
pub fn index_volume_range(query: &VolumeQuery, step: Duration) -> ApiRequest {
    let mut list = query.to_params();
    list.push(("step".to_owned(), step_text(step)));
    ApiRequest::new("/loki/api/v1/index/volume_range", list, true)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const START: i64 = 1_714_000_000_000_000_000;

    fn hour() -> LogRange {
        LogRange::new(START, START + 3_600_000_000_000)
    }

    #[test]
    fn labels_and_values_always_carry_the_range() {
        assert_eq!(
            labels(hour(), None).url(""),
            "/loki/api/v1/labels?start=1714000000000000000&end=1714003600000000000"
        );
        assert_eq!(
            label_values("namespace", hour(), Some("{app=\"api\"}")).unwrap().url(""),
            "/loki/api/v1/label/namespace/values?start=1714000000000000000&end=1714003600000000000&query=%7Bapp%3D%22api%22%7D"
        );
        assert!(label_values("", hour(), None).is_err());
    }

    #[test]
    fn series_needs_a_selector() {
        let r = series(&["{app=\"api\"}".to_owned()], hour()).unwrap();
        assert_eq!(
            r.url(""),
            "/loki/api/v1/series?match%5B%5D=%7Bapp%3D%22api%22%7D&start=1714000000000000000&end=1714003600000000000"
        );
        assert!(series(&[], hour()).is_err());
    }

    #[test]
    fn index_stats_and_volume_parameters() {
        assert_eq!(
            index_stats("{app=\"api\"}", hour()).url(""),
            "/loki/api/v1/index/stats?query=%7Bapp%3D%22api%22%7D&start=1714000000000000000&end=1714003600000000000"
        );
        let mut v = VolumeQuery::new("{app=~\".+\"}", hour());
        v.limit = Some(10);
        v.target_labels = vec!["app".into(), "namespace".into()];
        v.aggregate_by = Some(VolumeAggregation::Labels);
        assert_eq!(
            index_volume(&v).encoded_params(),
            "query=%7Bapp%3D~%22.%2B%22%7D&start=1714000000000000000&end=1714003600000000000&limit=10&targetLabels=app%2Cnamespace&aggregateBy=labels"
        );
        let r = index_volume_range(&v, Duration::from_secs(60));
        assert_eq!(r.path, "/loki/api/v1/index/volume_range");
        assert_eq!(r.param("step"), Some("60"));
    }
}
