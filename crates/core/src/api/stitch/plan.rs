//! Planning a split at a legacy cut-over: which part of a range goes to the legacy host and
//! which to the current one.
//!
//! Metrics: Prometheus evaluates a range query at `start + k·step` up to `end`, both ends
//! included. The split falls on the first grid point at or after the cut-over, the legacy part
//! ends one step before it, so both parts evaluate on the same grid with no gap and no overlap.
//!
//! Logs: Loki's `end` is exclusive, so log queries split exactly at the cut-over
//! (`[start, cutover)` and `[cutover, end)`). Metric LogQL queries split on the step grid like
//! Prometheus; the legacy part ends at the split, and an instant evaluated by both hosts is
//! resolved when merging (the current host owns instants from the cut-over on).

use crate::api::loki::time::{LogRange, NS_PER_MS};
use crate::model::duration::Duration;
use crate::model::time_range::TimeRange;

/// Which host a part of a range goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// The legacy host (data before the cut-over).
    Legacy,
    /// The current host (data from the cut-over on).
    Current,
}

/// The parts of a range: each `None` when that host has nothing to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitPlan<R> {
    pub legacy: Option<R>,
    pub current: Option<R>,
}

impl<R> SplitPlan<R> {
    /// True when both hosts are asked.
    #[must_use]
    pub fn is_split(&self) -> bool {
        self.legacy.is_some() && self.current.is_some()
    }

    fn current_only(range: R) -> Self {
        SplitPlan {
            legacy: None,
            current: Some(range),
        }
    }

    fn legacy_only(range: R) -> Self {
        SplitPlan {
            legacy: Some(range),
            current: None,
        }
    }
}

/// Splits a Prometheus range query at `cutover_ms` on its step grid. Without a legacy host, or
/// for a range that starts at or after the cut-over, everything goes to the current host.
#[must_use]
pub fn plan_metrics(
    range: TimeRange,
    step: Duration,
    cutover_ms: i64,
    has_legacy: bool,
) -> SplitPlan<TimeRange> {
    if !has_legacy || range.from_ms >= cutover_ms {
        return SplitPlan::current_only(range);
    }
    let step_ms = i64::try_from(step.as_millis()).unwrap_or(i64::MAX).max(1);
    let split = first_grid_point_at_or_after(range.from_ms, step_ms, cutover_ms);
    if split > range.to_ms {
        return SplitPlan::legacy_only(range);
    }
    SplitPlan {
        legacy: Some(TimeRange::new(range.from_ms, split - step_ms)),
        current: Some(TimeRange::new(split, range.to_ms)),
    }
}

/// What a LogQL query returns, which decides how its range is split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogQueryKind {
    /// A log query (`{…} |= …`): streams of entries.
    Logs,
    /// A metric query (`rate({…}[5m])`, `sum by (…) (…)`): samples on a step grid.
    Metric,
}

impl LogQueryKind {
    /// A LogQL log query starts with its stream selector `{`; anything else (a function, an
    /// aggregation, a literal) is a metric query. Leading `#` comment lines are skipped.
    #[must_use]
    pub fn of(query: &str) -> LogQueryKind {
        let first = query
            .lines()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with('#'))
            .unwrap_or("");
        if first.starts_with('{') {
            LogQueryKind::Logs
        } else {
            LogQueryKind::Metric
        }
    }
}

/// Splits a Loki range at `cutover_ns`: exactly at the cut-over for log queries, on the step
/// grid for metric queries.
#[must_use]
pub fn plan_logs(
    range: LogRange,
    kind: LogQueryKind,
    step: Duration,
    cutover_ns: i64,
    has_legacy: bool,
) -> SplitPlan<LogRange> {
    if !has_legacy || range.start_ns >= cutover_ns {
        return SplitPlan::current_only(range);
    }
    let split = match kind {
        LogQueryKind::Logs => cutover_ns,
        LogQueryKind::Metric => {
            let step_ns = i64::try_from(step.as_millis())
                .unwrap_or(i64::MAX)
                .saturating_mul(NS_PER_MS)
                .max(1);
            first_grid_point_at_or_after(range.start_ns, step_ns, cutover_ns)
        }
    };
    if split >= range.end_ns {
        return SplitPlan::legacy_only(range);
    }
    SplitPlan {
        legacy: Some(LogRange::new(range.start_ns, split)),
        current: Some(LogRange::new(split, range.end_ns)),
    }
}

/// Which host answers an instant query at `time_ms`.
#[must_use]
pub fn plan_instant(time_ms: i64, cutover_ms: i64, has_legacy: bool) -> Part {
    if has_legacy && time_ms < cutover_ms {
        Part::Legacy
    } else {
        Part::Current
    }
}

/// The first `origin + k·step` (k ≥ 0) that is `>= target`.
fn first_grid_point_at_or_after(origin: i64, step: i64, target: i64) -> i64 {
    if target <= origin {
        return origin;
    }
    let steps = (target - origin + step - 1) / step;
    origin.saturating_add(steps.saturating_mul(step))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::civil::parse_rfc3339;

    fn at(text: &str) -> i64 {
        parse_rfc3339(text).unwrap()
    }

    #[test]
    fn metrics_split_on_the_step_grid_without_gap_or_overlap() {
        let cutover = at("2024-10-21T00:00:00Z");
        // Start 7 minutes past a 5-minute boundary: the grid is …:07, …:12, …
        let range = TimeRange::new(at("2024-10-20T23:47:00Z"), at("2024-10-21T00:22:00Z"));
        let plan = plan_metrics(range, Duration::from_secs(300), cutover, true);
        assert_eq!(
            plan.legacy,
            Some(TimeRange::new(
                at("2024-10-20T23:47:00Z"),
                at("2024-10-20T23:57:00Z")
            ))
        );
        assert_eq!(
            plan.current,
            Some(TimeRange::new(
                at("2024-10-21T00:02:00Z"),
                at("2024-10-21T00:22:00Z")
            ))
        );
    }

    #[test]
    fn a_cutover_on_the_grid_belongs_to_the_current_host() {
        let cutover = at("2024-10-21T00:00:00Z");
        let range = TimeRange::new(at("2024-10-20T23:00:00Z"), at("2024-10-21T01:00:00Z"));
        let plan = plan_metrics(range, Duration::from_secs(600), cutover, true);
        assert_eq!(
            plan.legacy.map(|r| r.to_ms),
            Some(at("2024-10-20T23:50:00Z"))
        );
        assert_eq!(plan.current.map(|r| r.from_ms), Some(cutover));
    }

    #[test]
    fn ranges_on_one_side_or_without_a_legacy_host_are_not_split() {
        let cutover = at("2024-10-21T00:00:00Z");
        let after = TimeRange::new(cutover, cutover + 3_600_000);
        assert_eq!(
            plan_metrics(after, Duration::from_secs(60), cutover, true),
            SplitPlan {
                legacy: None,
                current: Some(after)
            }
        );
        let before = TimeRange::new(cutover - 7_200_000, cutover - 3_600_000);
        assert_eq!(
            plan_metrics(before, Duration::from_secs(60), cutover, true),
            SplitPlan {
                legacy: Some(before),
                current: None
            }
        );
        let across = TimeRange::new(cutover - 3_600_000, cutover + 3_600_000);
        assert!(!plan_metrics(across, Duration::from_secs(60), cutover, false).is_split());
        // The last grid point before the end lies before the cut-over: legacy only.
        let ends_just_after = TimeRange::new(cutover - 3_590_000, cutover + 1_000);
        assert_eq!(
            plan_metrics(ends_just_after, Duration::from_secs(600), cutover, true).current,
            None
        );
    }

    #[test]
    fn log_queries_split_exactly_at_the_cutover() {
        let cutover_ns = at("2025-03-01T00:00:00Z") * NS_PER_MS;
        let range = LogRange::new(cutover_ns - 5_000, cutover_ns + 5_000);
        let plan = plan_logs(
            range,
            LogQueryKind::Logs,
            Duration::from_secs(60),
            cutover_ns,
            true,
        );
        assert_eq!(
            plan.legacy,
            Some(LogRange::new(cutover_ns - 5_000, cutover_ns))
        );
        assert_eq!(
            plan.current,
            Some(LogRange::new(cutover_ns, cutover_ns + 5_000))
        );
    }

    #[test]
    fn metric_log_queries_split_on_the_grid() {
        let cutover_ns = at("2025-03-01T00:00:00Z") * NS_PER_MS;
        let start = cutover_ns - 90 * 1_000_000_000;
        let range = LogRange::new(start, cutover_ns + 600 * 1_000_000_000);
        let plan = plan_logs(
            range,
            LogQueryKind::Metric,
            Duration::from_secs(60),
            cutover_ns,
            true,
        );
        let split = start + 120 * 1_000_000_000;
        assert_eq!(plan.legacy, Some(LogRange::new(start, split)));
        assert_eq!(plan.current.map(|r| r.start_ns), Some(split));
    }

    #[test]
    fn log_query_kind_from_the_text() {
        assert_eq!(
            LogQueryKind::of(r#"{app="api"} |= "x""#),
            LogQueryKind::Logs
        );
        assert_eq!(
            LogQueryKind::of("# errors\n  {app=\"api\"}"),
            LogQueryKind::Logs
        );
        assert_eq!(
            LogQueryKind::of(r#"sum by (level) (rate({app="api"}[5m]))"#),
            LogQueryKind::Metric
        );
        assert_eq!(
            LogQueryKind::of(r#"count_over_time({a="b"}[1m])"#),
            LogQueryKind::Metric
        );
    }

    #[test]
    fn instants_go_to_the_host_that_holds_them() {
        assert_eq!(plan_instant(5, 10, true), Part::Legacy);
        assert_eq!(plan_instant(10, 10, true), Part::Current);
        assert_eq!(plan_instant(5, 10, false), Part::Current);
    }
}
