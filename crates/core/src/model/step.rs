//! Query resolution: the `step` of a range query from the time range and the panel's pixel width.
//!
//! Follows Grafana's `maxDataPoints` idea (one point per pixel at most), rounds up to a clean
//! interval people recognise (15s, 1m, 5m…), honours a panel's minimum step, and never asks for more
//! than the 11,000 points per series that Prometheus and Loki accept.

use super::duration::Duration;

/// The most points per series the Prometheus and Loki range APIs accept: `(end-start)/step` must not
/// exceed 11,000.
pub const MAX_POINTS_PER_SERIES: u64 = 11_000;

/// Clean intervals a step is rounded up to, in milliseconds.
const CLEAN_INTERVALS_MS: [u64; 31] = [
    1,
    10,
    20,
    50,
    100,
    200,
    500,
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    20_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_200_000,
    1_800_000,
    3_600_000,
    7_200_000,
    10_800_000,
    21_600_000,
    43_200_000,
    86_400_000,
    604_800_000,
    2_592_000_000,
    31_536_000_000,
    315_360_000_000,
];

/// Rounds `ms` up to the next clean interval (never below 1 ms).
#[must_use]
pub fn round_up_to_clean_interval(ms: u64) -> u64 {
    CLEAN_INTERVALS_MS
        .iter()
        .copied()
        .find(|&clean| clean >= ms)
        .unwrap_or(ms)
}

/// The inputs of a step decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRequest {
    /// Length of the queried range in milliseconds.
    pub range_ms: u64,
    /// At most this many points per series (usually the panel's width in CSS pixels).
    pub max_data_points: u32,
    /// The panel's or query's minimum interval (Grafana's "Min interval", `interval` on a target).
    pub min_step: Option<Duration>,
}

/// The step to send: `max(clean(range / max_points), min_step, ceil(range / 11000))`.
#[must_use]
pub fn compute_step(request: StepRequest) -> Duration {
    let points = u64::from(request.max_data_points.max(1));
    let raw = request.range_ms.div_ceil(points).max(1);
    let mut step = round_up_to_clean_interval(raw);
    if let Some(min) = request.min_step {
        step = step.max(min.as_millis());
    }
    Duration::from_millis(step.max(min_step_for_point_limit(request.range_ms)))
}

/// The smallest step (ms) that keeps `range/step` within [`MAX_POINTS_PER_SERIES`].
#[must_use]
pub fn min_step_for_point_limit(range_ms: u64) -> u64 {
    range_ms.div_ceil(MAX_POINTS_PER_SERIES).max(1)
}

/// Grafana's `$__rate_interval`: `max($__interval + scrape_interval, 4 × scrape_interval)`.
#[must_use]
pub fn rate_interval(interval: Duration, scrape_interval: Duration) -> Duration {
    let a = interval.as_millis() + scrape_interval.as_millis();
    let b = 4 * scrape_interval.as_millis();
    Duration::from_millis(a.max(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: u64 = 3_600_000;

    #[test]
    fn one_hour_on_a_1000px_panel_uses_a_5s_step() {
        let step = compute_step(StepRequest {
            range_ms: HOUR,
            max_data_points: 1000,
            min_step: None,
        });
        assert_eq!(step, Duration::from_secs(5));
    }

    #[test]
    fn min_step_wins_when_larger() {
        let step = compute_step(StepRequest {
            range_ms: HOUR,
            max_data_points: 1000,
            min_step: Some(Duration::from_secs(15)),
        });
        assert_eq!(step, Duration::from_secs(15));
    }

    #[test]
    fn rate_interval_is_at_least_four_scrapes() {
        let r = rate_interval(Duration::from_secs(5), Duration::from_secs(15));
        assert_eq!(r, Duration::from_secs(60));
        let r = rate_interval(Duration::from_secs(300), Duration::from_secs(15));
        assert_eq!(r, Duration::from_secs(315));
    }

    proptest! {
        #[test]
        fn step_never_exceeds_11000_points_per_series(
            range_ms in 1u64..(100 * 365 * 24 * HOUR),
            width in 0u32..100_000,
        ) {
            let step = compute_step(StepRequest { range_ms, max_data_points: width, min_step: None });
            prop_assert!(range_ms / step.as_millis() <= MAX_POINTS_PER_SERIES);
        }

        #[test]
        fn step_never_exceeds_max_data_points(range_ms in 1u64..(365 * 24 * HOUR), width in 1u32..5000) {
            let step = compute_step(StepRequest { range_ms, max_data_points: width, min_step: None });
            prop_assert!(range_ms / step.as_millis() <= u64::from(width));
        }
    }
}
