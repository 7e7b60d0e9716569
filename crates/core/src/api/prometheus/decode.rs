//! Decoding of Prometheus `query` and `query_range` answers straight into columnar [`Series`].
//!
//! The envelope is read by [`crate::api::envelope`]; `data` by the visitors here and in
//! [`super::samples`], so that no intermediate `serde_json::Value` is built and sample strings
//! are parsed from the borrowed input. Unknown fields are skipped.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

pub use super::samples::{HistogramBucket, HistogramSeries, NativeHistogram};
use super::samples::{PairSeed, SeriesListSeed};
use crate::api::envelope::{decode_envelope, Enveloped};
use crate::api::error::ApiError;
use crate::api::wire::Key;
use crate::model::frame::{Labels, Series};

/// A successful answer with its warnings and infos; `data` is a [`PromData`] for queries.
pub type PromResponse<T = PromData> = Enveloped<T>;

/// The `data` of a query or query_range answer.
#[derive(Debug, Clone, PartialEq)]
pub enum PromData {
    /// Range results: one series per label set, several samples each. Native-histogram samples
    /// are kept in `histograms`, one entry per series that has them.
    Matrix {
        series: Vec<Series>,
        histograms: Vec<HistogramSeries>,
    },
    /// Instant results: one sample per series (each [`Series`] has exactly one point).
    Vector {
        series: Vec<Series>,
        histograms: Vec<HistogramSeries>,
    },
    /// A single number at a time.
    Scalar { time_ms: i64, value: f64 },
    /// A single string at a time.
    String { time_ms: i64, value: String },
}

impl PromData {
    /// The float series of a matrix or vector (empty for scalar and string).
    #[must_use]
    pub fn series(&self) -> &[Series] {
        match self {
            PromData::Matrix { series, .. } | PromData::Vector { series, .. } => series,
            _ => &[],
        }
    }

    /// The native-histogram series of a matrix or vector.
    #[must_use]
    pub fn histograms(&self) -> &[HistogramSeries] {
        match self {
            PromData::Matrix { histograms, .. } | PromData::Vector { histograms, .. } => histograms,
            _ => &[],
        }
    }

    /// Converts into float series: a scalar becomes one unlabelled single-point series.
    #[must_use]
    pub fn into_series(self) -> Vec<Series> {
        match self {
            PromData::Matrix { series, .. } | PromData::Vector { series, .. } => series,
            PromData::Scalar { time_ms, value } => vec![Series {
                labels: Labels::default(),
                times_ms: vec![time_ms],
                values: vec![value],
            }],
            PromData::String { .. } => Vec::new(),
        }
    }

    /// The `resultType` this data was decoded from.
    #[must_use]
    pub fn result_type(&self) -> &'static str {
        match self {
            PromData::Matrix { .. } => "matrix",
            PromData::Vector { .. } => "vector",
            PromData::Scalar { .. } => "scalar",
            PromData::String { .. } => "string",
        }
    }
}

/// Decodes the body of a 2xx answer of `/api/v1/query` or `/api/v1/query_range`.
///
/// # Errors
/// [`ApiError::Malformed`] for truncated or invalid JSON or an unknown result type, and
/// [`ApiError::BadQuery`] when a 2xx body nevertheless says `"status":"error"`.
pub fn decode_query(host: &str, body: &str) -> Result<PromResponse, ApiError> {
    decode_envelope(host, body, DataSeed)
}

/// The `resultType`s of Prometheus answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResultType {
    Matrix,
    Vector,
    Scalar,
    String,
}

impl ResultType {
    pub(crate) fn parse(text: &str) -> Option<ResultType> {
        match text {
            "matrix" => Some(ResultType::Matrix),
            "vector" => Some(ResultType::Vector),
            "scalar" => Some(ResultType::Scalar),
            "string" => Some(ResultType::String),
            _ => None,
        }
    }
}

/// Decodes `{resultType, result}` into [`PromData`].
pub(crate) struct DataSeed;

impl<'de> DeserializeSeed<'de> for DataSeed {
    type Value = PromData;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PromData, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed {
    type Value = PromData;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a data object with resultType and result")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PromData, A::Error> {
        let mut result_type = None;
        let mut decoded = None;
        // `result` before `resultType` (not what Prometheus writes, but valid JSON) is buffered.
        let mut buffered: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "resultType" => {
                    let text = map.next_value::<Key>()?;
                    result_type = Some(ResultType::parse(text.as_str()).ok_or_else(|| {
                        de::Error::custom(format!("unknown resultType {:?}", text.as_str()))
                    })?);
                }
                "result" => match result_type {
                    Some(kind) => decoded = Some(map.next_value_seed(ResultSeed(kind))?),
                    None => buffered = Some(map.next_value()?),
                },
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = result_type.ok_or_else(|| de::Error::missing_field("resultType"))?;
        if let Some(data) = decoded {
            return Ok(data);
        }
        let value = buffered.ok_or_else(|| de::Error::missing_field("result"))?;
        ResultSeed(kind)
            .deserialize(value)
            .map_err(de::Error::custom)
    }
}

/// Decodes a `result` of a known type.
pub(crate) struct ResultSeed(pub(crate) ResultType);

impl<'de> DeserializeSeed<'de> for ResultSeed {
    type Value = PromData;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PromData, D::Error> {
        match self.0 {
            ResultType::Matrix | ResultType::Vector => {
                let instant = self.0 == ResultType::Vector;
                let (series, histograms) = SeriesListSeed { instant }.deserialize(d)?;
                Ok(if instant {
                    PromData::Vector { series, histograms }
                } else {
                    PromData::Matrix { series, histograms }
                })
            }
            ResultType::Scalar => {
                let (time_ms, value) = PairSeed.deserialize(d)?;
                Ok(PromData::Scalar { time_ms, value })
            }
            ResultType::String => {
                let (time, value): (f64, String) = serde::Deserialize::deserialize(d)?;
                Ok(PromData::String {
                    time_ms: super::samples::secs_to_ms(time),
                    value,
                })
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
    fn decodes_a_matrix_into_columns() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"prometheus","instance":"localhost:9090"},
             "values":[[1435781430.781,"1"],[1435781445.781,"NaN"],[1435781460.781,"+Inf"],[1435781475,"1e-07"]]}]}}"#;
        let response = decode_query(HOST, body).unwrap();
        let series = response.data.series();
        assert_eq!(series.len(), 1);
        let s = &series[0];
        assert_eq!(s.labels.get("job"), Some("prometheus"));
        assert_eq!(
            s.times_ms,
            vec![
                1_435_781_430_781,
                1_435_781_445_781,
                1_435_781_460_781,
                1_435_781_475_000
            ]
        );
        assert_eq!(s.values[0], 1.0);
        assert!(s.values[1].is_nan());
        assert_eq!(s.values[2], f64::INFINITY);
        assert!((s.values[3] - 1e-7).abs() < 1e-20);
    }

    #[test]
    fn decodes_vector_scalar_and_string() {
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1700000000,"-Inf"]}]}}"#;
        let data = decode_query(HOST, vector).unwrap().data;
        assert_eq!(data.series()[0].values, vec![f64::NEG_INFINITY]);
        let scalar =
            r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}"#;
        assert_eq!(
            decode_query(HOST, scalar).unwrap().data,
            PromData::Scalar {
                time_ms: 1_700_000_000_500,
                value: 42.0
            }
        );
        let string =
            r#"{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}"#;
        assert_eq!(
            decode_query(HOST, string).unwrap().data,
            PromData::String {
                time_ms: 1_700_000_000_000,
                value: "hello".into()
            }
        );
    }

    #[test]
    fn keeps_warnings_and_infos_and_ignores_unknown_fields() {
        let body = r#"{"status":"success","extra":{"x":[1,2]},"data":{"resultType":"vector","result":[],"stats":{"a":1}},
            "warnings":["results truncated due to limit"],"infos":["metric might not be a counter"]}"#;
        let response = decode_query(HOST, body).unwrap();
        assert_eq!(response.warnings, vec!["results truncated due to limit"]);
        assert_eq!(response.infos, vec!["metric might not be a counter"]);
    }

    #[test]
    fn result_before_result_type_still_decodes() {
        let body = r#"{"data":{"result":[{"metric":{},"values":[[1,"2"]]}],"resultType":"matrix"},"status":"success"}"#;
        assert_eq!(
            decode_query(HOST, body).unwrap().data.series()[0].values,
            vec![2.0]
        );
    }

    #[test]
    fn decodes_native_histograms() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"h"},
            "histograms":[[1700000000,{"count":"10","sum":"3.5","buckets":[[0,"0.5","1","4"],[3,"1","2","6"]]}]]}]}}"#;
        match decode_query(HOST, body).unwrap().data {
            PromData::Matrix { series, histograms } => {
                assert!(series.is_empty());
                assert_eq!(histograms[0].samples[0].1.count, 10.0);
                assert_eq!(
                    histograms[0].samples[0].1.buckets[1],
                    HistogramBucket(3, 1.0, 2.0, 6.0)
                );
            }
            other => panic!("expected a matrix, got {other:?}"),
        }
    }

    #[test]
    fn truncated_json_says_it_was_cut_off() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"],[2,"#;
        let err = decode_query(HOST, body).unwrap_err();
        assert!(err.to_string().contains("cut off"), "{err}");
    }

    #[test]
    fn html_instead_of_json_is_named() {
        let err = decode_query(HOST, "<html><body>Sign in</body></html>").unwrap_err();
        assert!(err.to_string().contains("HTML page"), "{err}");
    }

    #[test]
    fn a_bad_sample_value_is_an_error_not_a_zero() {
        let body = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}"#;
        let err = decode_query(HOST, body).unwrap_err();
        assert!(err.to_string().contains("abc"), "{err}");
    }

    #[test]
    fn status_error_in_a_2xx_body_is_a_bad_query() {
        let body =
            r#"{"status":"error","errorType":"execution","error":"boom","data":{"weird":true}}"#;
        assert!(
            matches!(decode_query(HOST, body), Err(ApiError::BadQuery { message, .. }) if message == "boom")
        );
    }

    #[test]
    fn unknown_result_type_is_malformed() {
        let body = r#"{"status":"success","data":{"resultType":"streams","result":[]}}"#;
        assert!(matches!(
            decode_query(HOST, body),
            Err(ApiError::Malformed { .. })
        ));
    }
}
