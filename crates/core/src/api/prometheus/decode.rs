//! Decoding of Prometheus query responses straight into columnar [`Series`].
//!
//! The envelope `{status, data, errorType, error, warnings, infos}` and the `data` of every result
//! type are read by hand-written serde visitors: sample values (JSON strings such as `"1.5"`,
//! `"NaN"`, `"+Inf"`) are parsed from the borrowed input without allocating a `String` each, and
//! times go straight into `Vec<i64>` milliseconds. Unknown fields are skipped.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::api::error::{excerpt, ApiError};
use crate::model::frame::{Labels, Series};

/// A successful response: its data plus the warnings and infos the server attached.
#[derive(Debug, Clone, PartialEq)]
pub struct PromResponse {
    pub data: PromData,
    /// The query ran, but the data may be partial (e.g. "results truncated due to limit").
    pub warnings: Vec<String>,
    /// Advisory hints, possibly false positives.
    pub infos: Vec<String>,
}

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
}

/// Native-histogram samples of one series (experimental in Prometheus).
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSeries {
    pub labels: Labels,
    pub samples: Vec<(i64, NativeHistogram)>,
}

/// One native histogram: total count and sum, and its buckets.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct NativeHistogram {
    #[serde(deserialize_with = "string_number")]
    pub count: f64,
    #[serde(deserialize_with = "string_number")]
    pub sum: f64,
    #[serde(default)]
    pub buckets: Vec<HistogramBucket>,
}

/// `[boundary_rule, lower, upper, count]`; rule 0 = (lo,hi], 1 = [lo,hi), 2 = (lo,hi), 3 = [lo,hi].
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
pub struct HistogramBucket(
    pub u8,
    #[serde(deserialize_with = "string_number")] pub f64,
    #[serde(deserialize_with = "string_number")] pub f64,
    #[serde(deserialize_with = "string_number")] pub f64,
);

fn string_number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(SampleValue)
}

/// Decodes the body of a 2xx answer of `/api/v1/query` or `/api/v1/query_range`.
///
/// # Errors
/// [`ApiError::Malformed`] for truncated or invalid JSON or an unknown result type, and
/// [`ApiError::BadQuery`] when a 2xx body nevertheless says `"status":"error"`.
pub fn decode_query(host: &str, body: &str) -> Result<PromResponse, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let envelope = EnvelopeVisitor
        .deserialize(&mut deserializer)
        .and_then(|e| deserializer.end().map(|()| e))
        .map_err(|e| malformed(host, body, &e))?;
    if envelope.status != "success" {
        return Err(ApiError::BadQuery {
            status: 200,
            error_type: envelope.error_type.unwrap_or_default(),
            message: envelope.error.unwrap_or_else(|| "status was not success".to_owned()),
        });
    }
    let data = envelope.data.ok_or_else(|| ApiError::Malformed {
        host: host.to_owned(),
        detail: "the response has no \"data\"".to_owned(),
    })?;
    Ok(PromResponse {
        data,
        warnings: envelope.warnings,
        infos: envelope.infos,
    })
}

/// A readable description of a JSON decode failure, telling truncation apart from bad syntax.
pub(crate) fn malformed(host: &str, body: &str, error: &serde_json::Error) -> ApiError {
    let detail = if error.is_eof() {
        format!(
            "the JSON ends early (after {} bytes); the response was cut off",
            body.len()
        )
    } else if body.trim_start().starts_with('<') {
        format!("expected JSON but got an HTML page: {}", excerpt(body))
    } else {
        format!("invalid JSON: {error}")
    };
    ApiError::Malformed {
        host: host.to_owned(),
        detail,
    }
}

struct Envelope {
    status: String,
    data: Option<PromData>,
    error_type: Option<String>,
    error: Option<String>,
    warnings: Vec<String>,
    infos: Vec<String>,
}

struct EnvelopeVisitor;

impl<'de> DeserializeSeed<'de> for EnvelopeVisitor {
    type Value = Envelope;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Envelope, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Prometheus response object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut envelope = Envelope {
            status: String::new(),
            data: None,
            error_type: None,
            error: None,
            warnings: Vec::new(),
            infos: Vec::new(),
        };
        while let Some(key) = map.next_key::<KeyName>()? {
            match key.0.as_str() {
                "status" => envelope.status = map.next_value()?,
                // Error bodies may carry data of any shape; only decode it on success.
                "data" if envelope.status == "error" => {
                    map.next_value::<IgnoredAny>()?;
                }
                "data" => envelope.data = Some(map.next_value_seed(DataVisitor)?),
                "errorType" => envelope.error_type = map.next_value()?,
                "error" => envelope.error = map.next_value()?,
                "warnings" => envelope.warnings = map.next_value::<Option<_>>()?.unwrap_or_default(),
                "infos" => envelope.infos = map.next_value::<Option<_>>()?.unwrap_or_default(),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if envelope.status.is_empty() {
            return Err(de::Error::missing_field("status"));
        }
        Ok(envelope)
    }
}

/// An object key, borrowed when possible.
struct KeyName(String);

impl<'de> serde::Deserialize<'de> for KeyName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = KeyName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName, E> {
                Ok(KeyName(v.to_owned()))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum ResultType {
    Matrix,
    Vector,
    Scalar,
    String,
}

struct DataVisitor;

impl<'de> DeserializeSeed<'de> for DataVisitor {
    type Value = PromData;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PromData, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataVisitor {
    type Value = PromData;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a data object with resultType and result")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PromData, A::Error> {
        let mut result_type = None;
        let mut decoded = None;
        // `result` before `resultType` (not what Prometheus writes, but valid JSON) is buffered.
        let mut buffered: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<KeyName>()? {
            match key.0.as_str() {
                "resultType" => {
                    let text: String = map.next_value()?;
                    result_type = Some(match text.as_str() {
                        "matrix" => ResultType::Matrix,
                        "vector" => ResultType::Vector,
                        "scalar" => ResultType::Scalar,
                        "string" => ResultType::String,
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown resultType {other:?}"
                            )))
                        }
                    });
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

struct ResultSeed(ResultType);

impl<'de> DeserializeSeed<'de> for ResultSeed {
    type Value = PromData;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<PromData, D::Error> {
        match self.0 {
            ResultType::Matrix | ResultType::Vector => {
                let (series, histograms) = d.deserialize_seq(SeriesListVisitor {
                    instant: self.0 == ResultType::Vector,
                })?;
                Ok(if self.0 == ResultType::Matrix {
                    PromData::Matrix { series, histograms }
                } else {
                    PromData::Vector { series, histograms }
                })
            }
            ResultType::Scalar => {
                let (time_ms, value) = d.deserialize_seq(PairVisitor)?;
                Ok(PromData::Scalar { time_ms, value })
            }
            ResultType::String => {
                let (time, value): (f64, String) = serde::Deserialize::deserialize(d)?;
                Ok(PromData::String {
                    time_ms: secs_to_ms(time),
                    value,
                })
            }
        }
    }
}

struct SeriesListVisitor {
    instant: bool,
}

impl<'de> Visitor<'de> for SeriesListVisitor {
    type Value = (Vec<Series>, Vec<HistogramSeries>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of series")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut series = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        let mut histograms = Vec::new();
        while let Some(one) = seq.next_element_seed(OneSeriesVisitor {
            instant: self.instant,
        })? {
            let histogram_only = one.series.is_empty() && !one.histograms.is_empty();
            if !one.histograms.is_empty() {
                histograms.push(HistogramSeries {
                    labels: one.series.labels.clone(),
                    samples: one.histograms,
                });
            }
            if !histogram_only {
                series.push(one.series);
            }
        }
        Ok((series, histograms))
    }
}

struct OneSeries {
    series: Series,
    histograms: Vec<(i64, NativeHistogram)>,
}

struct OneSeriesVisitor {
    instant: bool,
}

impl<'de> DeserializeSeed<'de> for OneSeriesVisitor {
    type Value = OneSeries;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<OneSeries, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneSeriesVisitor {
    type Value = OneSeries;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a series object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OneSeries, A::Error> {
        let mut series = Series::default();
        let mut histograms = Vec::new();
        while let Some(key) = map.next_key::<KeyName>()? {
            match key.0.as_str() {
                "metric" => {
                    let pairs: Vec<(String, String)> = map
                        .next_value::<std::collections::BTreeMap<String, String>>()?
                        .into_iter()
                        .collect();
                    series.labels = Labels::new(pairs);
                }
                "values" if !self.instant => {
                    map.next_value_seed(ColumnsSeed(&mut series))?;
                }
                "value" if self.instant => {
                    let (t, v) = map.next_value_seed(PairSeed)?;
                    series.times_ms.push(t);
                    series.values.push(v);
                }
                "histograms" if !self.instant => {
                    let raw: Vec<(f64, NativeHistogram)> = map.next_value()?;
                    histograms = raw.into_iter().map(|(t, h)| (secs_to_ms(t), h)).collect();
                }
                "histogram" if self.instant => {
                    let (t, h): (f64, NativeHistogram) = map.next_value()?;
                    histograms.push((secs_to_ms(t), h));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(OneSeries { series, histograms })
    }
}

/// Appends `[[t, "v"], …]` to a series' columns.
struct ColumnsSeed<'s>(&'s mut Series);

impl<'de> DeserializeSeed<'de> for ColumnsSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ColumnsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of [time, \"value\"] pairs")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if let Some(n) = seq.size_hint() {
            self.0.times_ms.reserve(n);
            self.0.values.reserve(n);
        }
        while let Some((t, v)) = seq.next_element_seed(PairSeed)? {
            self.0.times_ms.push(t);
            self.0.values.push(v);
        }
        Ok(())
    }
}

struct PairSeed;

impl<'de> DeserializeSeed<'de> for PairSeed {
    type Value = (i64, f64);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(i64, f64), D::Error> {
        d.deserialize_seq(PairVisitor)
    }
}

struct PairVisitor;

impl<'de> Visitor<'de> for PairVisitor {
    type Value = (i64, f64);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [time, \"value\"] pair")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(i64, f64), A::Error> {
        let time: f64 = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let value = seq
            .next_element_seed(SampleValue)?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(3, &self));
        }
        Ok((secs_to_ms(time), value))
    }
}

/// A sample value: a JSON string holding a float (`"1e-07"`, `"NaN"`, `"+Inf"`), parsed without
/// allocating. Plain JSON numbers are accepted too (some compatible servers send them).
struct SampleValue;

impl<'de> DeserializeSeed<'de> for SampleValue {
    type Value = f64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<f64, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for SampleValue {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sample value string such as \"1.5\", \"NaN\" or \"+Inf\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        parse_sample_value(v).ok_or_else(|| E::custom(format!("invalid sample value {v:?}")))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
}

/// Parses a Prometheus sample value string; Go writes `+Inf`, `-Inf` and `NaN`.
#[must_use]
pub fn parse_sample_value(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

/// Prometheus times are float seconds with at most millisecond precision.
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub fn secs_to_ms(secs: f64) -> i64 {
    (secs * 1000.0).round() as i64
}

#[cfg(test)]
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
        assert_eq!(s.times_ms, vec![1_435_781_430_781, 1_435_781_445_781, 1_435_781_460_781, 1_435_781_475_000]);
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
        let scalar = r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"42"]}}"#;
        assert_eq!(decode_query(HOST, scalar).unwrap().data, PromData::Scalar { time_ms: 1_700_000_000_500, value: 42.0 });
        let string = r#"{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}"#;
        assert_eq!(decode_query(HOST, string).unwrap().data, PromData::String { time_ms: 1_700_000_000_000, value: "hello".into() });
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
        assert_eq!(decode_query(HOST, body).unwrap().data.series()[0].values, vec![2.0]);
    }

    #[test]
    fn decodes_native_histograms() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"h"},
            "histograms":[[1700000000,{"count":"10","sum":"3.5","buckets":[[0,"0.5","1","4"],[3,"1","2","6"]]}]]}]}}"#;
        match decode_query(HOST, body).unwrap().data {
            PromData::Matrix { series, histograms } => {
                assert!(series.is_empty());
                assert_eq!(histograms[0].samples[0].1.count, 10.0);
                assert_eq!(histograms[0].samples[0].1.buckets[1], HistogramBucket(3, 1.0, 2.0, 6.0));
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
        let body = r#"{"status":"error","errorType":"execution","error":"boom","data":{"weird":true}}"#;
        assert!(matches!(decode_query(HOST, body), Err(ApiError::BadQuery { message, .. }) if message == "boom"));
    }

    #[test]
    fn unknown_result_type_is_malformed() {
        let body = r#"{"status":"success","data":{"resultType":"streams","result":[]}}"#;
        assert!(matches!(decode_query(HOST, body), Err(ApiError::Malformed { .. })));
    }
}
