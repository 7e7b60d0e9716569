//! Loki time: half-open nanosecond ranges, the query direction, and timestamps written so Loki
//! cannot misread them.
//!
//! Loki reads an integer of 10 digits or fewer as *seconds*, anything longer as nanoseconds.
//! Sightline therefore writes nanoseconds as plain integers only when they have more than 10
//! digits (any instant after 1970-01-01T00:00:10Z), and RFC 3339 with nanoseconds otherwise.

use std::fmt::Write as _;

use crate::model::civil::CivilDateTime;
use crate::model::time_range::TimeRange;

/// Nanoseconds per millisecond.
pub const NS_PER_MS: i64 = 1_000_000;

/// A Loki range `[start_ns, end_ns)`: Loki includes `start` and excludes `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogRange {
    pub start_ns: i64,
    pub end_ns: i64,
}

impl LogRange {
    /// A range from two instants, swapped if given backwards.
    #[must_use]
    pub fn new(a_ns: i64, b_ns: i64) -> Self {
        LogRange {
            start_ns: a_ns.min(b_ns),
            end_ns: a_ns.max(b_ns),
        }
    }

    /// The Loki range covering a closed millisecond [`TimeRange`]: entries in the last
    /// millisecond `to_ms` are included, so `end` is the start of the next millisecond.
    #[must_use]
    pub fn from_time_range(range: TimeRange) -> Self {
        LogRange {
            start_ns: range.from_ms.saturating_mul(NS_PER_MS),
            end_ns: range.to_ms.saturating_add(1).saturating_mul(NS_PER_MS),
        }
    }

    /// Length in nanoseconds.
    #[must_use]
    pub fn span_ns(&self) -> u64 {
        u64::try_from(self.end_ns.saturating_sub(self.start_ns)).unwrap_or(0)
    }

    /// Length in milliseconds, rounded down.
    #[must_use]
    pub fn span_ms(&self) -> u64 {
        self.span_ns() / 1_000_000
    }

    /// True when the range holds no instant.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.end_ns <= self.start_ns
    }

    /// True when `ts_ns` lies in `[start, end)`.
    #[must_use]
    pub fn contains(&self, ts_ns: i64) -> bool {
        self.start_ns <= ts_ns && ts_ns < self.end_ns
    }
}

/// Which end of the range Loki starts from when it applies `limit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Newest first (Loki's default): the `limit` newest entries.
    #[default]
    Backward,
    /// Oldest first: the `limit` oldest entries.
    Forward,
}

impl Direction {
    /// The parameter value.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Backward => "backward",
            Direction::Forward => "forward",
        }
    }
}

/// A timestamp parameter Loki reads as the instant meant: a nanosecond integer (more than 10
/// digits) or, for instants within 10 s of the epoch or before it, RFC 3339 with nanoseconds.
#[must_use]
pub fn loki_time_text(ns: i64) -> String {
    if ns >= 10_000_000_000 {
        ns.to_string()
    } else {
        format_rfc3339_nano(ns)
    }
}

/// RFC 3339 in UTC with nine fractional digits (`2024-10-21T00:00:00.000000001Z`).
#[must_use]
pub fn format_rfc3339_nano(ns: i64) -> String {
    let ms = ns.div_euclid(NS_PER_MS);
    let sub_ms = ns.rem_euclid(NS_PER_MS);
    let dt = CivilDateTime::from_millis(ms, 0);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
    );
    let nanos = i64::from(dt.millisecond) * NS_PER_MS + sub_ms;
    let _ = write!(out, ".{nanos:09}Z");
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nanoseconds_go_out_as_19_digits() {
        assert_eq!(
            loki_time_text(1_714_000_000_123_456_789),
            "1714000000123456789"
        );
        assert_eq!(loki_time_text(1_714_000_000_123_456_789).len(), 19);
    }

    #[test]
    fn instants_loki_would_read_as_seconds_go_out_as_rfc3339() {
        assert_eq!(
            loki_time_text(5_000_000_000),
            "1970-01-01T00:00:05.000000000Z"
        );
        assert_eq!(loki_time_text(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(loki_time_text(-1), "1969-12-31T23:59:59.999999999Z");
        assert_eq!(
            loki_time_text(9_999_999_999),
            "1970-01-01T00:00:09.999999999Z"
        );
        assert_eq!(loki_time_text(10_000_000_000), "10000000000");
    }

    #[test]
    fn a_closed_millisecond_range_becomes_half_open_in_nanoseconds() {
        let r = LogRange::from_time_range(TimeRange::new(1_000, 2_000));
        assert_eq!(
            r,
            LogRange {
                start_ns: 1_000_000_000,
                end_ns: 2_001_000_000
            }
        );
        assert!(r.contains(2_000_999_999));
        assert!(!r.contains(2_001_000_000));
        assert_eq!(r.span_ms(), 1_001);
    }
}
