//! Auto-refresh: off, or every interval (`5s` … `1d`), as Grafana writes it in `refresh` and in
//! the URL.

use std::fmt;
use std::str::FromStr;

use super::duration::{Duration, DurationError};

/// The intervals offered by default (Grafana's `timepicker.refresh_intervals`).
pub const DEFAULT_REFRESH_INTERVALS: [&str; 10] = [
    "5s", "10s", "30s", "1m", "5m", "15m", "30m", "1h", "2h", "1d",
];

/// The shortest interval honoured; faster ones are raised to it.
pub const MIN_REFRESH: Duration = Duration::from_secs(5);

/// Whether and how often a dashboard reloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Refresh {
    #[default]
    Off,
    Every(Duration),
}

impl FromStr for Refresh {
    type Err = DurationError;

    /// `""`, `off` and `false` are off; anything else is a duration (`30s`, `1m`).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match input.trim() {
            "" | "off" | "false" => Ok(Refresh::Off),
            text => {
                let every: Duration = text.parse()?;
                if every == Duration::ZERO {
                    Ok(Refresh::Off)
                } else {
                    Ok(Refresh::Every(every))
                }
            }
        }
    }
}

impl fmt::Display for Refresh {
    /// Off is the empty string, as Grafana stores it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refresh::Off => Ok(()),
            Refresh::Every(every) => write!(f, "{every}"),
        }
    }
}

impl Refresh {
    /// The interval to wait, never below [`MIN_REFRESH`]; `None` when off.
    #[must_use]
    pub fn interval(self) -> Option<Duration> {
        match self {
            Refresh::Off => None,
            Refresh::Every(every) => Some(every.max(MIN_REFRESH)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn off_has_three_spellings() {
        for off in ["", "off", "false", "0s"] {
            assert_eq!(off.parse(), Ok(Refresh::Off), "{off}");
        }
        assert_eq!("30s".parse(), Ok(Refresh::Every(Duration::from_secs(30))));
        assert!("soon".parse::<Refresh>().is_err());
    }

    #[test]
    fn too_fast_intervals_are_raised_to_the_minimum() {
        assert_eq!(
            Refresh::Every(Duration::from_secs(1)).interval(),
            Some(MIN_REFRESH)
        );
        assert_eq!(Refresh::Off.interval(), None);
    }

    #[test]
    fn default_intervals_all_parse() {
        for text in DEFAULT_REFRESH_INTERVALS {
            assert!(matches!(text.parse(), Ok(Refresh::Every(_))), "{text}");
        }
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(ms in 1u64..10_000_000_000) {
            let refresh = Refresh::Every(Duration::from_millis(ms));
            prop_assert_eq!(refresh.to_string().parse::<Refresh>(), Ok(refresh));
        }
    }
}
