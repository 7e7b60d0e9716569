//! A dashboard's time zone: the browser's, UTC, or an IANA name. The offsets of a named zone are
//! looked up by the browser layer (JS `Intl`); pure code takes them as a function.

use std::fmt;
use std::str::FromStr;

/// Where wall-clock times are shown and calendar rounding happens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum TimeZone {
    /// The viewer's zone (Grafana's `browser` or an empty `timezone`).
    #[default]
    Browser,
    Utc,
    /// An IANA name such as `Europe/Berlin`, carried through to the browser layer.
    Named(String),
}

/// Why a zone name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time zone {input:?}: expected browser, utc or an IANA name such as Europe/Berlin")]
pub struct TimeZoneError {
    pub input: String,
}

impl FromStr for TimeZone {
    type Err = TimeZoneError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("browser") {
            return Ok(TimeZone::Browser);
        }
        if text.eq_ignore_ascii_case("utc") {
            return Ok(TimeZone::Utc);
        }
        let valid = text.len() <= 64
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
        if valid {
            Ok(TimeZone::Named(text.to_owned()))
        } else {
            Err(TimeZoneError {
                input: input.to_owned(),
            })
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeZone::Browser => f.write_str("browser"),
            TimeZone::Utc => f.write_str("utc"),
            TimeZone::Named(name) => f.write_str(name),
        }
    }
}

/// The offset function of UTC (always 0 minutes).
#[must_use]
pub fn utc_offset(_ms: i64) -> i32 {
    0
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_grafana_zone_names() {
        assert_eq!("".parse(), Ok(TimeZone::Browser));
        assert_eq!("browser".parse(), Ok(TimeZone::Browser));
        assert_eq!("UTC".parse(), Ok(TimeZone::Utc));
        assert_eq!(
            "Europe/Berlin".parse(),
            Ok(TimeZone::Named("Europe/Berlin".into()))
        );
        assert!("<script>".parse::<TimeZone>().is_err());
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(name in "[A-Z][a-z]{1,10}/[A-Z][a-z_]{1,12}") {
            let zone = TimeZone::Named(name);
            prop_assert_eq!(zone.to_string().parse::<TimeZone>(), Ok(zone));
        }
    }
}
