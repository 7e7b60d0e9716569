//! Prometheus-style durations (`500ms`, `5m`, `1h30m`, `2d`): parse, display and arithmetic.
//!
//! Durations are held as whole milliseconds, the finest precision Prometheus keeps.

use std::fmt;
use std::str::FromStr;

/// A non-negative length of time in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration {
    ms: u64,
}

/// Why a duration string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("empty duration")]
    Empty,
    #[error("invalid duration {input:?}: expected a number followed by ms, s, m, h, d, w or y (e.g. 5m, 1h30m)")]
    Invalid { input: String },
    #[error("duration {input:?} is too large")]
    Overflow { input: String },
}

const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

impl Duration {
    /// The zero duration.
    pub const ZERO: Duration = Duration { ms: 0 };

    /// A duration of `ms` milliseconds.
    #[must_use]
    pub const fn from_millis(ms: u64) -> Self {
        Duration { ms }
    }

    /// A duration of `s` whole seconds.
    #[must_use]
    pub const fn from_secs(s: u64) -> Self {
        Duration { ms: s * 1000 }
    }

    /// Length in milliseconds.
    #[must_use]
    pub const fn as_millis(self) -> u64 {
        self.ms
    }

    /// Length in seconds, as a float (for APIs that take `step=15.5`).
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn as_secs_f64(self) -> f64 {
        self.ms as f64 / 1000.0
    }

    /// Parses a Prometheus duration (`1h30m`, `500ms`) or a plain number of seconds (`60`, `0.5`),
    /// which is what the Prometheus and Loki APIs accept for `step`.
    ///
    /// # Errors
    /// [`DurationError`] when the text is neither form.
    pub fn parse_api(input: &str) -> Result<Self, DurationError> {
        let trimmed = input.trim();
        if let Ok(seconds) = trimmed.parse::<f64>() {
            if seconds.is_finite() && seconds >= 0.0 {
                let ms = (seconds * 1000.0).round();
                if ms > 9.0e15 {
                    return Err(DurationError::Overflow {
                        input: input.to_owned(),
                    });
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                return Ok(Duration { ms: ms as u64 });
            }
        }
        trimmed.parse()
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    /// Parses `[0-9]+(ms|s|m|h|d|w|y)` repeated, largest unit first, as Prometheus does.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DurationError::Empty);
        }
        let invalid = || DurationError::Invalid {
            input: input.to_owned(),
        };
        let bytes = text.as_bytes();
        let mut total: u64 = 0;
        let mut pos = 0;
        let mut last_unit_rank = usize::MAX;
        while pos < bytes.len() {
            let digits_start = pos;
            while pos < bytes.len() && bytes[pos].is_ascii_digit() {
                pos += 1;
            }
            if pos == digits_start {
                return Err(invalid());
            }
            let number: u64 =
                text[digits_start..pos]
                    .parse()
                    .map_err(|_| DurationError::Overflow {
                        input: input.to_owned(),
                    })?;
            let rest = &text[pos..];
            let (rank, (unit, factor)) = UNITS
                .iter()
                .enumerate()
                .filter(|(_, (unit, _))| rest.starts_with(unit))
                // "ms" must win over "m": take the longest matching unit.
                .max_by_key(|(_, (unit, _))| unit.len())
                .ok_or_else(invalid)?;
            if last_unit_rank != usize::MAX && rank <= last_unit_rank {
                return Err(invalid());
            }
            last_unit_rank = rank;
            pos += unit.len();
            let part = number
                .checked_mul(*factor)
                .ok_or_else(|| DurationError::Overflow {
                    input: input.to_owned(),
                })?;
            total = total
                .checked_add(part)
                .ok_or_else(|| DurationError::Overflow {
                    input: input.to_owned(),
                })?;
        }
        Ok(Duration { ms: total })
    }
}

impl fmt::Display for Duration {
    /// Canonical Prometheus form: largest units first, `0s` for zero (`90000` ms → `1m30s`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ms == 0 {
            return f.write_str("0s");
        }
        let mut rest = self.ms;
        for (unit, factor) in UNITS {
            if rest >= factor {
                write!(f, "{}{unit}", rest / factor)?;
                rest %= factor;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_compound_prometheus_durations() {
        assert_eq!("1h30m".parse::<Duration>(), Ok(Duration::from_secs(5400)));
        assert_eq!("500ms".parse::<Duration>(), Ok(Duration::from_millis(500)));
        assert_eq!("2d".parse::<Duration>(), Ok(Duration::from_secs(172_800)));
        assert_eq!("1w".parse::<Duration>(), Ok(Duration::from_secs(604_800)));
        assert_eq!(
            "1m1ms".parse::<Duration>(),
            Ok(Duration::from_millis(60_001))
        );
    }

    #[test]
    fn rejects_bad_durations_with_the_input_in_the_message() {
        let err = "5 minutes".parse::<Duration>().unwrap_err();
        assert!(err.to_string().contains("5 minutes"), "{err}");
        assert!("m5".parse::<Duration>().is_err());
        assert!("5".parse::<Duration>().is_err());
        assert!(
            "30m1h".parse::<Duration>().is_err(),
            "units must go largest first"
        );
        assert!("".parse::<Duration>().is_err());
        assert!("99999999999999999999y".parse::<Duration>().is_err());
    }

    #[test]
    fn api_form_accepts_float_seconds() {
        assert_eq!(Duration::parse_api("60"), Ok(Duration::from_secs(60)));
        assert_eq!(Duration::parse_api("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(Duration::parse_api("5m"), Ok(Duration::from_secs(300)));
        assert!(Duration::parse_api("-1").is_err());
    }

    #[test]
    fn displays_largest_units_first() {
        assert_eq!(Duration::from_secs(90).to_string(), "1m30s");
        assert_eq!(Duration::from_millis(0).to_string(), "0s");
        assert_eq!(Duration::from_millis(1500).to_string(), "1s500ms");
        assert_eq!(Duration::from_secs(86_400).to_string(), "1d");
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(ms in 0u64..10_000_000_000_000) {
            let d = Duration::from_millis(ms);
            prop_assert_eq!(d.to_string().parse::<Duration>(), Ok(d));
        }
    }
}
