//! Loki's limits as Sightline applies them: the log line `limit` (default and cap) and the
//! default `step` of metric queries.

use crate::model::duration::Duration;
use crate::model::step::min_step_for_point_limit;

/// Loki's upstream `max_entries_limit_per_query`: a larger `limit` is answered with a 400.
pub const UPSTREAM_MAX_ENTRIES: u32 = 5000;

/// Lines asked for when the user has not chosen (Grafana's default for log panels).
pub const DEFAULT_LINE_LIMIT: u32 = 1000;

/// The line limits of a deployment: what to ask for by default, and the most to ever ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogLimits {
    pub default_limit: u32,
    /// Never ask for more lines per request than this (the host's `max_entries_limit_per_query`).
    pub max_limit: u32,
}

impl Default for LogLimits {
    fn default() -> Self {
        LogLimits {
            default_limit: DEFAULT_LINE_LIMIT,
            max_limit: UPSTREAM_MAX_ENTRIES,
        }
    }
}

impl LogLimits {
    /// The `limit` to send: the request (or the default), at least 1 and at most the cap.
    #[must_use]
    pub fn effective(&self, requested: Option<u32>) -> u32 {
        requested
            .unwrap_or(self.default_limit)
            .clamp(1, self.max_limit.max(1))
    }
}

/// Loki's own default step for a range: `max(floor(range_s / 250), 1)` seconds, raised if needed
/// so that the range holds at most 11,000 points.
#[must_use]
pub fn default_step(range_ms: u64) -> Duration {
    let seconds = (range_ms / 1000 / 250).max(1);
    let step_ms = (seconds * 1000).max(min_step_for_point_limit(range_ms));
    Duration::from_millis(step_ms)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_and_cap() {
        let limits = LogLimits::default();
        assert_eq!(limits.effective(None), 1000);
        assert_eq!(limits.effective(Some(20_000)), 5000);
        assert_eq!(limits.effective(Some(0)), 1);
        let strict = LogLimits {
            default_limit: 100,
            max_limit: 500,
        };
        assert_eq!(strict.effective(None), 100);
        assert_eq!(strict.effective(Some(1000)), 500);
    }

    #[test]
    fn default_step_follows_loki() {
        assert_eq!(default_step(3_600_000), Duration::from_secs(14));
        assert_eq!(default_step(60_000), Duration::from_secs(1));
        assert_eq!(default_step(7 * 24 * 3_600_000), Duration::from_secs(2419));
    }
}
