//! The log volume histogram: series (from `index/volume_range` or a `count_over_time` query)
//! grouped by level, stacked so that the bars of every level sit on the ones below, and the
//! fallback query for hosts or queries the index cannot answer.

use std::collections::BTreeMap;

use super::audit::is_audit_query;
use super::level::{status_level, LogLevel, ALL_LEVELS};
use crate::model::duration::Duration;
use crate::model::frame::{Labels, Series};

/// The volume of one level over time.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelSeries {
    pub level: LogLevel,
    pub series: Series,
}

/// The level a volume series counts: its `level` label, else `detected_level`, else the class
/// of its `responseStatus_code` (audit events), else unknown — as the rows are classified.
#[must_use]
pub fn level_of(labels: &Labels) -> LogLevel {
    ["level", "detected_level"]
        .iter()
        .find_map(|key| labels.get(key).and_then(LogLevel::parse))
        .or_else(|| labels.get("responseStatus_code").and_then(status_level))
        .unwrap_or(LogLevel::Unknown)
}

/// Sums `series` per level (on their common time grid), most severe level first.
#[must_use]
pub fn by_level(series: &[Series]) -> Vec<LevelSeries> {
    let mut sums: BTreeMap<LogLevel, BTreeMap<i64, f64>> = BTreeMap::new();
    for s in series {
        let bucket = sums.entry(level_of(&s.labels)).or_default();
        for (t, v) in s.times_ms.iter().zip(&s.values) {
            if v.is_finite() {
                *bucket.entry(*t).or_insert(0.0) += v;
            }
        }
    }
    sums.into_iter()
        .map(|(level, points)| LevelSeries {
            level,
            series: Series {
                labels: Labels::new(vec![("level".to_owned(), level.as_str().to_owned())]),
                times_ms: points.keys().copied().collect(),
                values: points.values().copied().collect(),
            },
        })
        .collect()
}

/// Stacks the levels (most severe at the bottom): each returned series is the running total up
/// to its level. They come back in drawing order — the tallest first — so that drawing bars
/// over each other leaves each level's band in its own colour.
#[must_use]
pub fn stacked(levels: &[LevelSeries]) -> Vec<LevelSeries> {
    let mut grid: Vec<i64> = levels
        .iter()
        .flat_map(|l| l.series.times_ms.iter().copied())
        .collect();
    crate::sort::sort(&mut grid);
    grid.dedup();
    let mut running = vec![0.0; grid.len()];
    let mut out = Vec::with_capacity(levels.len());
    for level in ALL_LEVELS {
        let Some(current) = levels.iter().find(|l| l.level == level) else {
            continue;
        };
        for (t, v) in current.series.times_ms.iter().zip(&current.series.values) {
            if let Ok(i) = grid.binary_search(t) {
                running[i] += v;
            }
        }
        out.push(LevelSeries {
            level,
            series: Series {
                labels: current.series.labels.clone(),
                times_ms: grid.clone(),
                values: running.clone(),
            },
        });
    }
    out.reverse();
    out
}

/// `sum by (level, detected_level) (count_over_time(<query> [<step>]))`: the volume of any log
/// query, for hosts without `index/volume_range` and for queries with a pipeline (the index only
/// knows stream selectors). Audit queries also group by `responseStatus_code`, whose class
/// colours their rows.
#[must_use]
pub fn count_query(query: &str, step: Duration) -> String {
    let by = if is_audit_query(query) {
        "level, detected_level, responseStatus_code"
    } else {
        "level, detected_level"
    };
    format!("sum by ({by}) (count_over_time({} [{step}]))", query.trim())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn series(level: Option<&str>, points: &[(i64, f64)]) -> Series {
        Series {
            labels: Labels::new(
                level
                    .map(|l| vec![("level".to_owned(), l.to_owned())])
                    .unwrap_or_default(),
            ),
            times_ms: points.iter().map(|p| p.0).collect(),
            values: points.iter().map(|p| p.1).collect(),
        }
    }

    #[test]
    fn series_are_summed_per_level_most_severe_first() {
        let levels = by_level(&[
            series(Some("info"), &[(0, 5.0), (60, 6.0)]),
            series(Some("ERROR"), &[(0, 1.0)]),
            series(Some("information"), &[(0, 1.0)]),
            series(None, &[(60, 2.0)]),
        ]);
        let summary: Vec<_> = levels
            .iter()
            .map(|l| (l.level, l.series.values.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (LogLevel::Error, vec![1.0]),
                (LogLevel::Info, vec![6.0, 6.0]),
                (LogLevel::Unknown, vec![2.0]),
            ]
        );
    }

    #[test]
    fn stacking_adds_each_level_to_the_ones_below_and_draws_the_tallest_first() {
        let levels = by_level(&[
            series(Some("error"), &[(0, 1.0), (60, 2.0)]),
            series(Some("info"), &[(0, 10.0)]),
        ]);
        let stack = stacked(&levels);
        assert_eq!(stack[0].level, LogLevel::Info);
        assert_eq!(stack[0].series.values, vec![11.0, 2.0]);
        assert_eq!(stack[1].level, LogLevel::Error);
        assert_eq!(stack[1].series.values, vec![1.0, 2.0]);
        assert_eq!(stack[1].series.times_ms, vec![0, 60]);
    }

    #[test]
    fn audit_volumes_are_classed_by_status_code() {
        let mut forbidden = series(None, &[(0, 3.0)]);
        forbidden.labels = Labels::new(vec![
            ("level".to_owned(), "Metadata".to_owned()),
            ("responseStatus_code".to_owned(), "403".to_owned()),
        ]);
        assert_eq!(level_of(&forbidden.labels), LogLevel::Warning);
        assert!(
            count_query(r#"{app="kube-apiserver"} | json"#, Duration::from_secs(60))
                .starts_with("sum by (level, detected_level, responseStatus_code) (")
        );
    }

    #[test]
    fn the_count_query_groups_by_both_level_labels() {
        assert_eq!(
            count_query(r#"{app="api"} |= "GET""#, Duration::from_secs(60)),
            r#"sum by (level, detected_level) (count_over_time({app="api"} |= "GET" [1m]))"#
        );
    }
}
