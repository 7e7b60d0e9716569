//! Log streams: entries with exact nanosecond timestamps, and their decoding.
//!
//! Timestamps arrive as strings of nanoseconds and are parsed into `i64` directly (never via
//! `f64`, which would round them). With `categorize-labels` each entry has a third element
//! `{structuredMetadata?, parsed?}`, kept apart from the stream's labels.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use crate::api::wire::{labels, Key, WireLabels};
use crate::model::frame::Labels;

/// One log line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogEntry {
    /// Unix epoch nanoseconds, exact.
    pub ts_ns: i64,
    pub line: String,
    /// Structured metadata attached at ingestion (`categorize-labels` answers only).
    pub structured_metadata: Labels,
    /// Labels extracted by parsers in the query (`| json`, `| logfmt`; `categorize-labels` only).
    pub parsed: Labels,
}

/// The entries of one stream (one label set), in the order of the query's direction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogStream {
    pub labels: Labels,
    pub entries: Vec<LogEntry>,
}

impl LogStream {
    /// Oldest and newest timestamp, if the stream has entries.
    #[must_use]
    pub fn time_bounds_ns(&self) -> Option<(i64, i64)> {
        self.entries.iter().fold(None, |acc, e| match acc {
            None => Some((e.ts_ns, e.ts_ns)),
            Some((lo, hi)) => Some((lo.min(e.ts_ns), hi.max(e.ts_ns))),
        })
    }
}

/// Total number of entries in `streams`.
#[must_use]
pub fn entry_count(streams: &[LogStream]) -> usize {
    streams.iter().map(|s| s.entries.len()).sum()
}

/// Parses a nanosecond timestamp string (`"1714000000123456789"`) exactly.
#[must_use]
pub fn parse_ns(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Decodes a `result` array of streams.
pub(crate) struct StreamsSeed;

impl<'de> DeserializeSeed<'de> for StreamsSeed {
    type Value = Vec<LogStream>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for StreamsSeed {
    type Value = Vec<LogStream>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of streams")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut streams = Vec::with_capacity(seq.size_hint().unwrap_or(8));
        while let Some(stream) = seq.next_element_seed(StreamSeed)? {
            streams.push(stream);
        }
        Ok(streams)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
}

struct StreamSeed;

impl<'de> DeserializeSeed<'de> for StreamSeed {
    type Value = LogStream;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<LogStream, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for StreamSeed {
    type Value = LogStream;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a stream object with \"stream\" and \"values\"")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LogStream, A::Error> {
        let mut stream = LogStream::default();
        while let Some(key) = map.next_key::<Key>()? {
            match key.as_str() {
                "stream" => stream.labels = map.next_value::<WireLabels>()?.0,
                "values" => stream.entries = map.next_value_seed(EntriesSeed)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(stream)
    }
}

struct EntriesSeed;

impl<'de> DeserializeSeed<'de> for EntriesSeed {
    type Value = Vec<LogEntry>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntriesSeed {
    type Value = Vec<LogEntry>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of [\"<ns>\", \"<line>\"] entries")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(seq.size_hint().unwrap_or(64));
        while let Some(entry) = seq.next_element_seed(EntrySeed)? {
            entries.push(entry);
        }
        Ok(entries)
    }
}

struct EntrySeed;

impl<'de> DeserializeSeed<'de> for EntrySeed {
    type Value = LogEntry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<LogEntry, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed {
    type Value = LogEntry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a [\"<ns>\", \"<line>\", {metadata}?] entry")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LogEntry, A::Error> {
        let ts_ns = seq
            .next_element_seed(NanosSeed)?
            .ok_or_else(|| de::Error::invalid_length(0, &self))?;
        let line: String = seq
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(1, &self))?;
        let metadata: EntryMetadata = seq.next_element()?.unwrap_or_default();
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(de::Error::invalid_length(4, &self));
        }
        Ok(LogEntry {
            ts_ns,
            line,
            structured_metadata: metadata.structured_metadata,
            parsed: metadata.parsed,
        })
    }
}

/// The third element of a `categorize-labels` entry.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct EntryMetadata {
    #[serde(deserialize_with = "labels")]
    structured_metadata: Labels,
    #[serde(deserialize_with = "labels")]
    parsed: Labels,
}

/// A nanosecond timestamp: a string of digits (what Loki sends) or an integer.
struct NanosSeed;

impl<'de> DeserializeSeed<'de> for NanosSeed {
    type Value = i64;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<i64, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for NanosSeed {
    type Value = i64;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a nanosecond timestamp string such as \"1714000000123456789\"")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        parse_ns(v).ok_or_else(|| E::custom(format!("invalid nanosecond timestamp {v:?}")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::custom(format!("timestamp {v} is out of range")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nanosecond_strings_parse_exactly() {
        assert_eq!(
            parse_ns("1714000000123456789"),
            Some(1_714_000_000_123_456_789)
        );
        // f64 would round this to …456768.
        assert_ne!(
            1_714_000_000_123_456_789_f64 as i64,
            1_714_000_000_123_456_789
        );
        assert_eq!(parse_ns("+1"), None);
        assert_eq!(parse_ns("1e9"), None);
        assert_eq!(parse_ns(""), None);
        assert_eq!(parse_ns("99999999999999999999"), None);
    }

    #[test]
    fn entries_with_and_without_the_third_element() {
        let json = r#"[{"stream":{"app":"api"},"values":[
            ["1714000000123456789","GET /healthz 200"],
            ["1714000000000000001","boot",{}],
            ["1714000000000000000","x",{"structuredMetadata":{"trace_id":"abc"},"parsed":{"level":"info"}}]]}]"#;
        let mut d = serde_json::Deserializer::from_str(json);
        let streams = StreamsSeed.deserialize(&mut d).unwrap();
        let entries = &streams[0].entries;
        assert_eq!(entries[0].ts_ns, 1_714_000_000_123_456_789);
        assert!(entries[1].structured_metadata.is_empty());
        assert_eq!(entries[2].structured_metadata.get("trace_id"), Some("abc"));
        assert_eq!(entries[2].parsed.get("level"), Some("info"));
        assert_eq!(
            streams[0].time_bounds_ns(),
            Some((1_714_000_000_000_000_000, 1_714_000_000_123_456_789))
        );
    }
}
