//! Typed answers of the Prometheus metadata endpoints (`series`, `labels`, label values,
//! `metadata`, `query_exemplars`), of `format_query` / `parse_query` and of `status/buildinfo`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::decode::PromResponse;
use super::samples::{seconds_as_ms, string_number};
use crate::api::envelope::decode_envelope_of;
use crate::api::error::ApiError;
use crate::api::wire::{labels, WireLabelsList};
use crate::model::frame::Labels;

/// Decodes a `series` answer: one label set per matching series.
///
/// # Errors
/// [`ApiError::Malformed`] for an unreadable body, [`ApiError::BadQuery`] for `status: error`.
pub fn decode_series(host: &str, body: &str) -> Result<PromResponse<Vec<Labels>>, ApiError> {
    decode_envelope_of::<WireLabelsList>(host, body).map(|e| e.map(|list| list.0))
}

/// Decodes a `labels` or `label/<name>/values` answer: a list of strings.
///
/// # Errors
/// As [`decode_series`].
pub fn decode_names(host: &str, body: &str) -> Result<PromResponse<Vec<String>>, ApiError> {
    decode_envelope_of(host, body)
}

/// What `metadata` says about one metric (several entries when targets disagree).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct MetricMetadata {
    /// `counter`, `gauge`, `histogram`, `summary`, `unknown`…
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub unit: String,
}

/// Decodes a `metadata` answer: metric name → its metadata entries.
///
/// # Errors
/// As [`decode_series`].
pub fn decode_metadata(
    host: &str,
    body: &str,
) -> Result<PromResponse<BTreeMap<String, Vec<MetricMetadata>>>, ApiError> {
    decode_envelope_of(host, body)
}

/// One exemplar: its own labels (often a trace id), value and time.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Exemplar {
    #[serde(deserialize_with = "labels", default)]
    pub labels: Labels,
    #[serde(deserialize_with = "string_number")]
    pub value: f64,
    #[serde(rename = "timestamp", deserialize_with = "seconds_as_ms")]
    pub time_ms: i64,
}

/// The exemplars of one series.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExemplarSeries {
    #[serde(rename = "seriesLabels", deserialize_with = "labels", default)]
    pub series_labels: Labels,
    #[serde(default)]
    pub exemplars: Vec<Exemplar>,
}

/// Decodes a `query_exemplars` answer.
///
/// # Errors
/// As [`decode_series`].
pub fn decode_exemplars(
    host: &str,
    body: &str,
) -> Result<PromResponse<Vec<ExemplarSeries>>, ApiError> {
    decode_envelope_of(host, body)
}

/// `status/buildinfo`: which server answered (every field may be missing on compatible servers).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct BuildInfo {
    pub version: String,
    pub revision: String,
    pub branch: String,
    pub build_user: String,
    pub build_date: String,
    pub go_version: String,
}

/// Decodes a `status/buildinfo` answer.
///
/// # Errors
/// As [`decode_series`].
pub fn decode_build_info(host: &str, body: &str) -> Result<PromResponse<BuildInfo>, ApiError> {
    decode_envelope_of(host, body)
}

/// Decodes a `format_query` answer: the formatted expression.
///
/// # Errors
/// As [`decode_series`].
pub fn decode_format_query(host: &str, body: &str) -> Result<PromResponse<String>, ApiError> {
    decode_envelope_of(host, body)
}

/// Decodes a `parse_query` answer: the AST as JSON (its shape is experimental upstream).
///
/// # Errors
/// As [`decode_series`].
pub fn decode_parse_query(
    host: &str,
    body: &str,
) -> Result<PromResponse<serde_json::Value>, ApiError> {
    decode_envelope_of(host, body)
}

/// An optional endpoint's answer: available, or not offered by this host (404/403/405/501).
#[derive(Debug, Clone, PartialEq)]
pub enum Feature<T> {
    Available(T),
    /// The host does not offer the endpoint; hide the feature rather than report an error.
    NotOnThisHost {
        host: String,
    },
}

impl<T> Feature<T> {
    /// Turns a call's outcome into a feature answer: "missing endpoint" errors become
    /// [`Feature::NotOnThisHost`], other errors stay errors.
    ///
    /// # Errors
    /// Any [`ApiError`] that does not mean "no such endpoint".
    pub fn detect(outcome: Result<T, ApiError>) -> Result<Feature<T>, ApiError> {
        match outcome {
            Ok(value) => Ok(Feature::Available(value)),
            Err(error) if error.is_feature_missing() => Ok(Feature::NotOnThisHost {
                host: error.host().unwrap_or_default().to_owned(),
            }),
            Err(error) => Err(error),
        }
    }

    /// The message for the UI when the feature is missing.
    #[must_use]
    pub fn unavailable_text(&self, feature: &str) -> Option<String> {
        match self {
            Feature::Available(_) => None,
            Feature::NotOnThisHost { host } => {
                Some(format!("{feature} is not available on {host}"))
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOST: &str = "prom.example";

    #[test]
    fn exemplar_values_and_times_are_converted() {
        let body = r#"{"status":"success","data":[{"seriesLabels":{"__name__":"test_exemplar_metric_total","job":"prometheus"},
            "exemplars":[{"labels":{"trace_id":"EpTxMJ40fUus7aGY"},"value":"6","timestamp":1600096945.479}]}]}"#;
        let data = decode_exemplars(HOST, body).unwrap().data;
        assert_eq!(data[0].series_labels.get("job"), Some("prometheus"));
        assert_eq!(
            data[0].exemplars[0].labels.get("trace_id"),
            Some("EpTxMJ40fUus7aGY")
        );
        assert_eq!(data[0].exemplars[0].value, 6.0);
        assert_eq!(data[0].exemplars[0].time_ms, 1_600_096_945_479);
    }

    #[test]
    fn missing_features_are_detected_not_reported() {
        let missing: Result<String, ApiError> = Err(ApiError::NotFound {
            host: "h".into(),
            path: "/api/v1/parse_query".into(),
        });
        let feature = Feature::detect(missing).unwrap();
        assert_eq!(
            feature.unavailable_text("parse_query").as_deref(),
            Some("parse_query is not available on h")
        );
        let failed: Result<String, ApiError> = Err(ApiError::Unreachable { host: "h".into() });
        assert!(Feature::detect(failed).is_err());
    }
}
