//! Heatmap data: a grid of counts over time (columns) and value buckets (rows), as Grafana's
//! heatmap panel shows it. Two sources:
//!
//! - **Prometheus histogram buckets** — every series has an `le` label (`sum by (le) (rate(
//!   x_bucket[5m]))`): a row per bucket bound, and the cumulative counts turned into per-bucket
//!   counts (`le=1` minus `le=0.5`), as Grafana's "heatmap" format does;
//! - **calculated** — any other series: at each instant every series' value falls into one of
//!   `rows` equal buckets between the smallest and largest value, and a cell counts how many did
//!   (the fleet's utilisation spread over time).

use super::frame::Series;

/// One bucket (a row), bottom to top.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapRow {
    pub lower: f64,
    pub upper: f64,
    /// `le` buckets: the bound as written (`0.5`, `+Inf`); calculated buckets: empty.
    pub label: String,
}

/// Counts per column (instant) and row (bucket).
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapGrid {
    /// Each column's instant, ascending; a column spans `step_ms` from it.
    pub times_ms: Vec<i64>,
    pub step_ms: i64,
    pub rows: Vec<HeatmapRow>,
    /// `counts[column * rows.len() + row]`.
    pub counts: Vec<f64>,
    /// The largest count (0 when empty).
    pub max: f64,
    /// Whether rows are histogram buckets (`le`), not calculated ones.
    pub from_buckets: bool,
}

impl HeatmapGrid {
    /// The count of `column`, `row`.
    #[must_use]
    pub fn count(&self, column: usize, row: usize) -> f64 {
        self.counts
            .get(column * self.rows.len() + row)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Buckets a calculated heatmap uses when the panel does not say.
pub const DEFAULT_ROWS: usize = 10;
/// Most columns kept (one per instant; a longer query is thinned to every n-th instant).
const MAX_COLUMNS: usize = 2_000;

/// The heatmap of `series`: histogram buckets when every series has an `le` label, else
/// calculated into `rows` buckets. `None` when there is nothing to show.
#[must_use]
pub fn heatmap(series: &[Series], rows: usize) -> Option<HeatmapGrid> {
    let has_le = !series.is_empty() && series.iter().all(|s| s.labels.get("le").is_some());
    if has_le {
        from_buckets(series)
    } else {
        calculate(series, rows.clamp(1, 200))
    }
}

/// Every instant any series has, ascending, thinned to at most [`MAX_COLUMNS`], and the step.
fn columns(series: &[Series]) -> (Vec<i64>, i64) {
    let mut times: Vec<i64> = Vec::new();
    for s in series {
        // The series of a range query share one step grid: the union is almost always the
        // first series' instants, found without gathering (and sorting) every sample's time.
        if s.times_ms != times {
            times = sorted_union(&times, &s.times_ms);
        }
    }
    if times.len() > MAX_COLUMNS {
        let every = times.len().div_ceil(MAX_COLUMNS);
        times = times.into_iter().step_by(every).collect();
    }
    let step = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|d| *d > 0)
        .min()
        .unwrap_or(60_000);
    (times, step)
}

/// The instants of `union` (ascending, no repeats) and of `times` (any order), ascending and
/// without repeats.
fn sorted_union(union: &[i64], times: &[i64]) -> Vec<i64> {
    let sorted_copy;
    let times = if times.is_sorted() {
        times
    } else {
        let mut copy = times.to_vec();
        copy.sort_unstable();
        sorted_copy = copy;
        &sorted_copy
    };
    let mut out = Vec::with_capacity(union.len().max(times.len()));
    let (mut a, mut b) = (union.iter().peekable(), times.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&&x), Some(&&y)) if x <= y => {
                a.next();
                x
            }
            (_, Some(&&y)) => {
                b.next();
                y
            }
            (Some(&&x), None) => {
                a.next();
                x
            }
            (None, None) => break,
        };
        if out.last() != Some(&next) {
            out.push(next);
        }
    }
    out
}

/// The value of `series` at `t`, if it has a sample there.
fn value_at(series: &Series, t: i64) -> Option<f64> {
    let i = series.times_ms.binary_search(&t).ok()?;
    series.values.get(i).copied().filter(|v| v.is_finite())
}

fn from_buckets(series: &[Series]) -> Option<HeatmapGrid> {
    // Series with the same bound (other labels differing) are added together.
    let mut bounds: Vec<(f64, String, Vec<usize>)> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let text = s.labels.get("le").unwrap_or_default();
        let bound = match text.trim() {
            "+Inf" | "Inf" | "inf" => f64::INFINITY,
            other => other.parse().ok()?,
        };
        match bounds.iter_mut().find(|(b, _, _)| *b == bound) {
            Some((_, _, members)) => members.push(i),
            None => bounds.push((bound, text.to_owned(), vec![i])),
        }
    }
    crate::sort::sort_by(&mut bounds, |a, b| a.0.total_cmp(&b.0));
    let (times, step_ms) = columns(series);
    if times.is_empty() {
        return None;
    }
    let rows: Vec<HeatmapRow> = bounds
        .iter()
        .enumerate()
        .map(|(i, (upper, label, _))| HeatmapRow {
            lower: if i == 0 {
                0.0_f64.min(*upper)
            } else {
                bounds[i - 1].0
            },
            upper: *upper,
            label: label.clone(),
        })
        .collect();
    let mut counts = vec![0.0; times.len() * rows.len()];
    for (column, &t) in times.iter().enumerate() {
        let mut below = 0.0;
        for (row, (_, _, members)) in bounds.iter().enumerate() {
            let cumulative: f64 = members
                .iter()
                .filter_map(|&m| value_at(&series[m], t))
                .sum();
            counts[column * rows.len() + row] = (cumulative - below).max(0.0);
            below = below.max(cumulative);
        }
    }
    Some(finish(times, step_ms, rows, counts, true))
}

fn calculate(series: &[Series], rows: usize) -> Option<HeatmapGrid> {
    let (lo, hi) = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .filter(|v| v.is_finite())
        .fold(None, |acc: Option<(f64, f64)>, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })?;
    let (times, step_ms) = columns(series);
    let rows = if hi > lo { rows } else { 1 };
    #[allow(clippy::cast_precision_loss)]
    let width = if hi > lo {
        (hi - lo) / rows as f64
    } else {
        1.0
    };
    #[allow(clippy::cast_precision_loss)]
    let bucket_rows: Vec<HeatmapRow> = (0..rows)
        .map(|r| HeatmapRow {
            lower: lo + width * r as f64,
            upper: if r + 1 == rows {
                hi.max(lo + width)
            } else {
                lo + width * (r + 1) as f64
            },
            label: String::new(),
        })
        .collect();
    let mut counts = vec![0.0; times.len() * rows];
    for (column, &t) in times.iter().enumerate() {
        for s in series {
            if let Some(v) = value_at(s, t) {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let row = (((v - lo) / width).floor().max(0.0) as usize).min(rows - 1);
                counts[column * rows + row] += 1.0;
            }
        }
    }
    Some(finish(times, step_ms, bucket_rows, counts, false))
}

fn finish(
    times_ms: Vec<i64>,
    step_ms: i64,
    rows: Vec<HeatmapRow>,
    counts: Vec<f64>,
    from_buckets: bool,
) -> HeatmapGrid {
    let max = counts.iter().copied().fold(0.0, f64::max);
    HeatmapGrid {
        times_ms,
        step_ms,
        rows,
        counts,
        max,
        from_buckets,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::frame::Labels;

    fn series(labels: &[(&str, &str)], values: &[f64]) -> Series {
        Series {
            labels: Labels::new(
                labels
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            times_ms: (0..values.len() as i64).map(|i| i * 15_000).collect(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn histogram_buckets_become_per_bucket_counts_in_bound_order() {
        let grid = heatmap(
            &[
                series(&[("le", "+Inf")], &[10.0, 12.0]),
                series(&[("le", "0.5")], &[4.0, 1.0]),
                series(&[("le", "1"), ("pod", "a")], &[5.0, 6.0]),
                series(&[("le", "1"), ("pod", "b")], &[2.0, 0.0]),
            ],
            DEFAULT_ROWS,
        )
        .unwrap();
        assert!(grid.from_buckets);
        let labels: Vec<&str> = grid.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["0.5", "1", "+Inf"]);
        assert_eq!((grid.rows[1].lower, grid.rows[1].upper), (0.5, 1.0));
        // Column 0: 4 under 0.5, 7 − 4 = 3 under 1, 10 − 7 = 3 above.
        let column0: Vec<f64> = (0..3).map(|r| grid.count(0, r)).collect();
        assert_eq!(column0, vec![4.0, 3.0, 3.0]);
        let column1: Vec<f64> = (0..3).map(|r| grid.count(1, r)).collect();
        assert_eq!(column1, vec![1.0, 5.0, 6.0]);
        assert_eq!(
            (grid.max, grid.step_ms, grid.times_ms.len()),
            (6.0, 15_000, 2)
        );
    }

    #[test]
    fn other_series_are_counted_into_equal_buckets_per_instant() {
        let gpus: Vec<Series> = [[0.0, 100.0], [10.0, 95.0], [55.0, 90.0], [100.0, 5.0]]
            .iter()
            .map(|v| series(&[("gpu", "x")], v))
            .collect();
        let grid = heatmap(&gpus, 4).unwrap();
        assert!(!grid.from_buckets);
        assert_eq!(grid.rows.len(), 4);
        assert_eq!((grid.rows[0].lower, grid.rows[3].upper), (0.0, 100.0));
        let column0: Vec<f64> = (0..4).map(|r| grid.count(0, r)).collect();
        assert_eq!(
            column0,
            vec![2.0, 0.0, 1.0, 1.0],
            "0 and 10 in the first quarter, 100 in the last"
        );
        let column1: Vec<f64> = (0..4).map(|r| grid.count(1, r)).collect();
        assert_eq!(column1, vec![1.0, 0.0, 0.0, 3.0]);
    }

    #[test]
    fn nothing_to_show_is_none_and_one_value_is_one_row() {
        assert_eq!(heatmap(&[], DEFAULT_ROWS), None);
        assert_eq!(heatmap(&[series(&[], &[f64::NAN])], DEFAULT_ROWS), None);
        let flat = heatmap(&[series(&[], &[3.0, 3.0])], DEFAULT_ROWS).unwrap();
        assert_eq!(flat.rows.len(), 1);
        assert_eq!(flat.count(1, 0), 1.0);
        assert!(heatmap(&[series(&[("le", "fast")], &[1.0])], 4).is_none());
    }

    #[test]
    fn long_ranges_keep_at_most_two_thousand_columns() {
        let long = series(&[], &vec![1.0; 5_001]);
        let grid = heatmap(&[long], 4).unwrap();
        assert!(grid.times_ms.len() <= 2_000, "{}", grid.times_ms.len());
    }

    #[test]
    fn columns_are_every_instant_of_every_series_once_and_ascending() {
        let on_grid = |times: &[i64]| Series {
            times_ms: times.to_vec(),
            values: vec![1.0; times.len()],
            ..series(&[], &[])
        };
        let shared = [on_grid(&[0, 15, 30]), on_grid(&[0, 15, 30])];
        assert_eq!(columns(&shared), (vec![0, 15, 30], 15));
        let apart = [
            on_grid(&[10, 20]),
            on_grid(&[0, 20, 40]),
            on_grid(&[40, 5, 5, 10]),
            on_grid(&[]),
        ];
        assert_eq!(columns(&apart), (vec![0, 5, 10, 20, 40], 5));
        assert_eq!(columns(&[]), (vec![], 60_000));
    }

    proptest::proptest! {
        #[test]
        fn columns_are_the_sorted_distinct_instants(
            all in proptest::collection::vec(proptest::collection::vec(-50_i64..50, 0..12), 0..6)
        ) {
            let many: Vec<Series> = all
                .iter()
                .map(|times| Series { times_ms: times.clone(), values: vec![1.0; times.len()], ..series(&[], &[]) })
                .collect();
            let mut expected: Vec<i64> = all.concat();
            expected.sort_unstable();
            expected.dedup();
            proptest::prop_assert_eq!(columns(&many).0, expected);
        }
    }
}
