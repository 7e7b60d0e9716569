//! Sample decoding shared by every matrix and vector answer (Prometheus, and Loki's metric
//! queries and volume endpoints): series read straight into the columns of [`Series`].
//!
//! Sample values (JSON strings such as `"1.5"`, `"NaN"`, `"+Inf"`, `"1e-07"`) are parsed from the
//! borrowed input without allocating; times go straight into `Vec<i64>` milliseconds.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::api::wire::{Key, WireLabels};
use crate::model::frame::{Labels, Series};

/// Native-histogram samples of one series (experimental in Prometheus).
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSeries {
    pub labels: Labels,
    /// `(time_ms, histogram)` in time order.
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

/// `deserialize_with` helper: a sample value string (`"1.5"`, `"NaN"`, `"+Inf"`) as `f64`.
pub(crate) fn string_number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    d.deserialize_any(SampleValue)
}

/// `deserialize_with` helper: float seconds as whole milliseconds.
pub(crate) fn seconds_as_ms<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let secs: f64 = serde::Deserialize::deserialize(d)?;
    Ok(secs_to_ms(secs))
}

/// Decodes a `result` array of series: `[{metric, values|value, histograms|histogram}, …]`.
pub(crate) struct SeriesListSeed {
    /// `value`/`histogram` (vector) rather than `values`/`histograms` (matrix).
    pub(crate) instant: bool,
}

impl<'de> DeserializeSeed<'de> for SeriesListSeed {
    type Value = (Vec<Series>, Vec<HistogramSeries>);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SeriesListSeed {
    type Value = (Vec<Series>, Vec<HistogramSeries>);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of series")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut series: Vec<Series> = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        let mut histograms = Vec::new();
        // The series of a range query usually have the same number of points: reserve the
        // columns of each one for as many points as the previous had.
        let mut expected_points = 0;
        while let Some(one) = seq.next_element_seed(OneSeriesSeed {
            instant: self.instant,
            expected_points,
        })? {
            expected_points = one.series.len();
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
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok((Vec::new(), Vec::new()))
    }
}

struct OneSeries {
    series: Series,
    histograms: Vec<(i64, NativeHistogram)>,
}

struct OneSeriesSeed {
    instant: bool,
    expected_points: usize,
}

impl<'de> DeserializeSeed<'de> for OneSeriesSeed {
    type Value = OneSeries;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<OneSeries, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for OneSeriesSeed {
    type Value = OneSeries;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a series object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OneSeries, A::Error> {
        let mut series = Series::default();
        let mut histograms = Vec::new();
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "metric" => series.labels = map.next_value::<WireLabels>()?.0,
                "values" if !self.instant => {
                    series.times_ms.reserve(self.expected_points);
                    series.values.reserve(self.expected_points);
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

/// One `[time_seconds, "value"]` pair as `(time_ms, value)`.
pub(crate) struct PairSeed;

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
pub(crate) struct SampleValue;

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

/// Parses a Prometheus sample value string; Go writes `+Inf`, `-Inf` and `NaN`, and Rust's
/// float parser reads all of them, as well as exponent forms (`1e-07`).
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn special_float_strings_parse() {
        assert!(parse_sample_value("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_sample_value("+Inf"), Some(f64::INFINITY));
        assert_eq!(parse_sample_value("-Inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_sample_value("1e-07"), Some(1e-7));
        assert_eq!(parse_sample_value("abc"), None);
    }

    #[test]
    fn seconds_with_millisecond_decimals_become_exact_milliseconds() {
        assert_eq!(secs_to_ms(1_435_781_451.781), 1_435_781_451_781);
        assert_eq!(secs_to_ms(1_700_000_000.0), 1_700_000_000_000);
    }
}
