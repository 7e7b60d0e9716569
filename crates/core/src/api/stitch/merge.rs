//! Merging the answers of the legacy and current hosts into one result: one series per label
//! set, samples in time order, one sample per (labels, timestamp).
//!
//! When both hosts answered for the same instant, the host that owns it wins: the legacy host
//! before the cut-over, the current one from it on.

use std::collections::BTreeMap;

use crate::api::error::ApiError;
use crate::api::prometheus::{HistogramSeries, PromData};
use crate::model::frame::{Labels, Series};

/// Merges two sets of series (legacy part, current part) into one, sorted by labels as
/// Prometheus sorts a matrix.
#[must_use]
pub fn merge_series(legacy: Vec<Series>, current: Vec<Series>, cutover_ms: i64) -> Vec<Series> {
    let mut by_labels: BTreeMap<Labels, (Option<Series>, Option<Series>)> = BTreeMap::new();
    for series in legacy {
        let slot = by_labels.entry(series.labels.clone()).or_default();
        slot.0 = Some(append(slot.0.take(), series));
    }
    for series in current {
        let slot = by_labels.entry(series.labels.clone()).or_default();
        slot.1 = Some(append(slot.1.take(), series));
    }
    by_labels
        .into_values()
        .filter_map(|pair| match pair {
            (Some(old), Some(new)) => Some(merge_two(old, new, cutover_ms)),
            (one, None) | (None, one) => one,
        })
        .collect()
}

/// Joins two series with the same labels from one host (a server that split a label set).
fn append(existing: Option<Series>, more: Series) -> Series {
    match existing {
        None => more,
        Some(first) => merge_two(first, more, i64::MAX),
    }
}

/// Merges two time-ordered series; on equal times `old` wins before `cutover_ms`, `new` from it.
fn merge_two(old: Series, new: Series, cutover_ms: i64) -> Series {
    let (times_ms, values) = merge_columns(
        old.times_ms.iter().copied().zip(old.values.iter().copied()),
        new.times_ms.iter().copied().zip(new.values.iter().copied()),
        cutover_ms,
    )
    .into_iter()
    .unzip();
    Series {
        labels: old.labels,
        times_ms,
        values,
    }
}

/// Two-way merge of time-ordered `(time_ms, value)` samples, one sample per time.
fn merge_columns<T>(
    old: impl Iterator<Item = (i64, T)>,
    new: impl Iterator<Item = (i64, T)>,
    cutover_ms: i64,
) -> Vec<(i64, T)> {
    let mut old = old.peekable();
    let mut new = new.peekable();
    let mut out: Vec<(i64, T)> = Vec::with_capacity(old.size_hint().0 + new.size_hint().0);
    loop {
        let next = match (old.peek(), new.peek()) {
            (None, None) => break,
            (Some(_), None) => old.next(),
            (None, Some(_)) => new.next(),
            (Some((a, _)), Some((b, _))) if a < b => old.next(),
            (Some((a, _)), Some((b, _))) if b < a => new.next(),
            (Some((t, _)), Some(_)) => {
                let owned_by_old = *t < cutover_ms;
                let (from_old, from_new) = (old.next(), new.next());
                if owned_by_old {
                    from_old
                } else {
                    from_new
                }
            }
        };
        if let Some(sample) = next {
            // Inputs are in time order; a repeated time within one input keeps its first sample.
            if out.last().is_none_or(|(last, _)| *last < sample.0) {
                out.push(sample);
            }
        }
    }
    out
}

/// Merges native-histogram series like [`merge_series`].
#[must_use]
pub fn merge_histograms(
    legacy: Vec<HistogramSeries>,
    current: Vec<HistogramSeries>,
    cutover_ms: i64,
) -> Vec<HistogramSeries> {
    let mut by_labels: BTreeMap<Labels, HistogramSeries> = BTreeMap::new();
    for (part_cutover, list) in [(i64::MAX, legacy), (cutover_ms, current)] {
        for series in list {
            match by_labels.remove(&series.labels) {
                None => {
                    by_labels.insert(series.labels.clone(), series);
                }
                Some(existing) => {
                    let labels = existing.labels;
                    let samples = merge_columns(
                        existing.samples.into_iter(),
                        series.samples.into_iter(),
                        part_cutover,
                    );
                    by_labels.insert(labels.clone(), HistogramSeries { labels, samples });
                }
            }
        }
    }
    by_labels.into_values().collect()
}

/// Merges two range-query answers (Prometheus, or Loki metric queries). Both must be matrices.
///
/// # Errors
/// [`ApiError::Malformed`] naming `host` when either part is not a matrix.
pub fn merge_matrices(
    legacy: PromData,
    current: PromData,
    cutover_ms: i64,
    host: &str,
) -> Result<PromData, ApiError> {
    match (legacy, current) {
        (
            PromData::Matrix {
                series: old_series,
                histograms: old_histograms,
            },
            PromData::Matrix {
                series: new_series,
                histograms: new_histograms,
            },
        ) => Ok(PromData::Matrix {
            series: merge_series(old_series, new_series, cutover_ms),
            histograms: merge_histograms(old_histograms, new_histograms, cutover_ms),
        }),
        (old, new) => Err(ApiError::Malformed {
            host: host.to_owned(),
            detail: format!(
                "cannot stitch a {} answer to a {} answer; range queries return matrices",
                old.result_type(),
                new.result_type()
            ),
        }),
    }
}

/// The union of two name lists (`labels`, label values), sorted and de-duplicated.
#[must_use]
pub fn union_names(mut a: Vec<String>, b: Vec<String>) -> Vec<String> {
    a.extend(b);
    crate::sort::sort(&mut a);
    a.dedup();
    a
}

/// The union of two label-set lists (`series`), sorted and de-duplicated.
#[must_use]
pub fn union_label_sets(mut a: Vec<Labels>, b: Vec<Labels>) -> Vec<Labels> {
    a.extend(b);
    crate::sort::sort(&mut a);
    a.dedup();
    a
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn series(job: &str, points: &[(i64, f64)]) -> Series {
        Series {
            labels: Labels::new(vec![("job".into(), job.into())]),
            times_ms: points.iter().map(|p| p.0).collect(),
            values: points.iter().map(|p| p.1).collect(),
        }
    }

    #[test]
    fn same_labels_become_one_series_in_time_order() {
        let merged = merge_series(
            vec![
                series("a", &[(10, 1.0), (20, 2.0)]),
                series("only-old", &[(10, 9.0)]),
            ],
            vec![
                series("a", &[(30, 3.0), (40, 4.0)]),
                series("b", &[(30, 5.0)]),
            ],
            30,
        );
        assert_eq!(merged.len(), 3);
        assert_eq!(merged[0].times_ms, vec![10, 20, 30, 40]);
        assert_eq!(merged[0].values, vec![1.0, 2.0, 3.0, 4.0]);
        assert_eq!(merged[1].labels.get("job"), Some("b"));
        assert_eq!(merged[2].labels.get("job"), Some("only-old"));
    }

    #[test]
    fn a_timestamp_answered_by_both_hosts_is_kept_once_from_its_owner() {
        let merged = merge_series(
            vec![series("a", &[(20, 2.0), (30, -1.0)])],
            vec![series("a", &[(20, -1.0), (30, 3.0)])],
            30,
        );
        assert_eq!(merged[0].times_ms, vec![20, 30]);
        assert_eq!(merged[0].values, vec![2.0, 3.0]);
    }

    #[test]
    fn non_matrix_parts_cannot_be_stitched() {
        let scalar = PromData::Scalar {
            time_ms: 1,
            value: 1.0,
        };
        let matrix = PromData::Matrix {
            series: vec![],
            histograms: vec![],
        };
        assert!(merge_matrices(scalar, matrix, 0, "h").is_err());
    }

    #[test]
    fn unions_are_sorted_and_unique() {
        assert_eq!(
            union_names(vec!["b".into(), "a".into()], vec!["a".into(), "c".into()]),
            vec!["a", "b", "c"]
        );
    }
}
