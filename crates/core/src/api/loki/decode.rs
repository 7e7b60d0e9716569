//! Decoding of Loki `query` / `query_range` answers: streams for log queries, matrix / vector
//! for metric queries (the Prometheus sample decoding), `stats` and `encodingFlags`.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::stats::QueryStats;
use super::streams::{LogStream, StreamsSeed};
use crate::api::envelope::{decode_envelope, Enveloped};
use crate::api::error::ApiError;
use crate::api::prometheus::decode::{ResultSeed, ResultType};
use crate::api::prometheus::PromData;
use crate::api::wire::Key;

/// A successful Loki query answer with its warnings.
pub type LokiResponse<T = LokiQueryData> = Enveloped<T>;

/// The `data` of a `query` / `query_range` answer.
#[derive(Debug, Clone, PartialEq)]
pub struct LokiQueryData {
    pub result: LokiResult,
    pub stats: QueryStats,
    /// `["categorize-labels"]` when entries carry structured metadata apart.
    pub encoding_flags: Vec<String>,
}

/// What a LogQL query returned.
#[derive(Debug, Clone, PartialEq)]
pub enum LokiResult {
    /// A log query: streams of entries.
    Streams(Vec<LogStream>),
    /// A metric query: matrix (range), vector (instant) or scalar, as Prometheus sends them.
    Samples(PromData),
}

impl LokiResult {
    /// The streams of a log query (empty for a metric query).
    #[must_use]
    pub fn streams(&self) -> &[LogStream] {
        match self {
            LokiResult::Streams(streams) => streams,
            LokiResult::Samples(_) => &[],
        }
    }

    /// The `resultType` this was decoded from.
    #[must_use]
    pub fn result_type(&self) -> &'static str {
        match self {
            LokiResult::Streams(_) => "streams",
            LokiResult::Samples(data) => data.result_type(),
        }
    }
}

/// Decodes the body of a 2xx answer of `/loki/api/v1/query` or `query_range`.
///
/// # Errors
/// [`ApiError::Malformed`] for truncated or invalid JSON, an unknown result type or a bad
/// timestamp; [`ApiError::BadQuery`] when the body says `"status":"error"`.
pub fn decode_query(host: &str, body: &str) -> Result<LokiResponse, ApiError> {
    decode_envelope(host, body, LokiDataSeed)
}

/// Decodes an `index/volume` or `index/volume_range` answer: a Prometheus-style vector or
/// matrix, one series per label combination.
///
/// # Errors
/// As [`decode_query`], and [`ApiError::Malformed`] if the answer holds streams.
pub fn decode_volume(host: &str, body: &str) -> Result<LokiResponse<PromData>, ApiError> {
    let answer = decode_query(host, body)?;
    match answer.data.result {
        LokiResult::Samples(data) => Ok(Enveloped {
            data,
            warnings: answer.warnings,
            infos: answer.infos,
        }),
        LokiResult::Streams(_) => Err(ApiError::Malformed {
            host: host.to_owned(),
            detail: "a volume answer must be a vector or matrix, not streams".to_owned(),
        }),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Streams,
    Samples(ResultType),
}

impl Kind {
    fn parse(text: &str) -> Option<Kind> {
        if text == "streams" {
            Some(Kind::Streams)
        } else {
            ResultType::parse(text).map(Kind::Samples)
        }
    }
}

struct KindSeed(Kind);

impl<'de> DeserializeSeed<'de> for KindSeed {
    type Value = LokiResult;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<LokiResult, D::Error> {
        match self.0 {
            Kind::Streams => StreamsSeed.deserialize(d).map(LokiResult::Streams),
            Kind::Samples(kind) => ResultSeed(kind).deserialize(d).map(LokiResult::Samples),
        }
    }
}

struct LokiDataSeed;

impl<'de> DeserializeSeed<'de> for LokiDataSeed {
    type Value = LokiQueryData;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<LokiQueryData, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for LokiDataSeed {
    type Value = LokiQueryData;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a data object with resultType and result")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LokiQueryData, A::Error> {
        let mut kind = None;
        let mut result = None;
        let mut buffered: Option<serde_json::Value> = None;
        let mut stats = QueryStats::default();
        let mut encoding_flags = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "resultType" => {
                    let text = map.next_value::<Key>()?;
                    kind = Some(Kind::parse(text.as_str()).ok_or_else(|| {
                        de::Error::custom(format!("unknown resultType {:?}", text.as_str()))
                    })?);
                }
                "result" => match kind {
                    Some(kind) => result = Some(map.next_value_seed(KindSeed(kind))?),
                    None => buffered = Some(map.next_value()?),
                },
                "stats" => stats = QueryStats::from_value(map.next_value()?),
                "encodingFlags" => {
                    encoding_flags = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("resultType"))?;
        let result = match (result, buffered) {
            (Some(result), _) => result,
            (None, Some(value)) => KindSeed(kind)
                .deserialize(value)
                .map_err(de::Error::custom)?,
            (None, None) => return Err(de::Error::missing_field("result")),
        };
        Ok(LokiQueryData {
            result,
            stats,
            encoding_flags,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HOST: &str = "loki.example";

    #[test]
    fn decodes_the_documented_streams_example() {
        let body = r#"{"status":"success","data":{"resultType":"streams","result":[
  {"stream":{"app":"api","namespace":"prod"},
   "values":[["1714000000123456789","GET /healthz 200"],["1714000000000000001","boot"]]}],
  "stats":{"summary":{"execTime":0.012,"totalLinesProcessed":2}}}}"#;
        let answer = decode_query(HOST, body).unwrap();
        let streams = answer.data.result.streams();
        assert_eq!(streams[0].labels.get("namespace"), Some("prod"));
        assert_eq!(streams[0].entries[0].ts_ns, 1_714_000_000_123_456_789);
        assert_eq!(streams[0].entries[1].line, "boot");
        assert_eq!(answer.data.stats.summary.total_lines_processed, Some(2));
    }

    #[test]
    fn decodes_the_documented_matrix_example() {
        let body = r#"{"status":"success","data":{"resultType":"matrix","result":[
  {"metric":{"level":"error"},"values":[[1714000000,"3"],[1714000060,"5"]]}],"stats":{}}}"#;
        let answer = decode_query(HOST, body).unwrap();
        match answer.data.result {
            LokiResult::Samples(PromData::Matrix { series, .. }) => {
                assert_eq!(
                    series[0].times_ms,
                    vec![1_714_000_000_000, 1_714_000_060_000]
                );
                assert_eq!(series[0].values, vec![3.0, 5.0]);
            }
            other => panic!("expected a matrix, got {other:?}"),
        }
    }

    #[test]
    fn warnings_encoding_flags_and_unknown_fields_are_handled() {
        let body = r#"{"status":"success","warnings":["query was truncated"],"extra":1,"data":{"resultType":"streams",
            "encodingFlags":["categorize-labels"],"result":[],"stats":{},"future":[1]}}"#;
        let answer = decode_query(HOST, body).unwrap();
        assert_eq!(answer.warnings, vec!["query was truncated"]);
        assert_eq!(answer.data.encoding_flags, vec!["categorize-labels"]);
    }

    #[test]
    fn a_float_timestamp_in_a_stream_is_malformed() {
        let body = r#"{"status":"success","data":{"resultType":"streams","result":[{"stream":{},"values":[["1.7e18","x"]]}]}}"#;
        let err = decode_query(HOST, body).unwrap_err();
        assert!(err.to_string().contains("1.7e18"), "{err}");
    }

    #[test]
    fn volume_must_be_samples() {
        let vector = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"app":"api"},"value":[1714000000,"1024"]}]}}"#;
        assert_eq!(
            decode_volume(HOST, vector).unwrap().data.series()[0].values,
            vec![1024.0]
        );
        let streams = r#"{"status":"success","data":{"resultType":"streams","result":[]}}"#;
        assert!(decode_volume(HOST, streams).is_err());
    }
}
