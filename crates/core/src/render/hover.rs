//! What the crosshair tooltip shows: for a time under the cursor, each series' nearest sample
//! (within a tolerance), sorted for reading.

use crate::model::frame::Series;

/// The index of the sample nearest to `t_ms` in ascending `times_ms`.
#[must_use]
pub fn nearest_index(times_ms: &[i64], t_ms: i64) -> Option<usize> {
    if times_ms.is_empty() {
        return None;
    }
    let after = times_ms.partition_point(|&t| t < t_ms);
    if after == 0 {
        return Some(0);
    }
    if after == times_ms.len() {
        return Some(after - 1);
    }
    let (before_t, after_t) = (times_ms[after - 1], times_ms[after]);
    Some(if t_ms - before_t <= after_t - t_ms {
        after - 1
    } else {
        after
    })
}

/// One tooltip row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoverRow {
    /// Index of the series in the chart's input.
    pub series: usize,
    pub time_ms: i64,
    pub value: f64,
}

/// How tooltip rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HoverSort {
    /// In series order (Grafana's `none`).
    #[default]
    None,
    Descending,
    Ascending,
}

/// Rows for the series in `visible` that have a finite sample within `tolerance_ms` of `t_ms`.
#[must_use]
pub fn hover_rows(
    series: &[Series],
    visible: impl Fn(usize) -> bool,
    t_ms: i64,
    tolerance_ms: i64,
    sort: HoverSort,
) -> Vec<HoverRow> {
    let mut rows: Vec<HoverRow> = series
        .iter()
        .enumerate()
        .filter(|(i, _)| visible(*i))
        .filter_map(|(i, s)| {
            let at = nearest_index(&s.times_ms, t_ms)?;
            let (time_ms, value) = (s.times_ms[at], *s.values.get(at)?);
            ((time_ms - t_ms).abs() <= tolerance_ms && value.is_finite()).then_some(HoverRow {
                series: i,
                time_ms,
                value,
            })
        })
        .collect();
    match sort {
        HoverSort::None => {}
        HoverSort::Descending => {
            crate::sort::sort_by(&mut rows, |a, b| b.value.total_cmp(&a.value))
        }
        HoverSort::Ascending => crate::sort::sort_by(&mut rows, |a, b| a.value.total_cmp(&b.value)),
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frame::Labels;

    fn s(times: &[i64], values: &[f64]) -> Series {
        Series {
            labels: Labels::default(),
            times_ms: times.to_vec(),
            values: values.to_vec(),
        }
    }

    #[test]
    fn nearest_sample_on_either_side() {
        let t = [0, 10, 20];
        assert_eq!(nearest_index(&t, -5), Some(0));
        assert_eq!(nearest_index(&t, 4), Some(0));
        assert_eq!(nearest_index(&t, 6), Some(1));
        assert_eq!(nearest_index(&t, 99), Some(2));
        assert_eq!(nearest_index(&[], 1), None);
    }

    #[test]
    fn rows_skip_far_missing_and_hidden_series_and_sort() {
        let series = [
            s(&[0, 10], &[1.0, 2.0]),
            s(&[0, 10], &[5.0, f64::NAN]),
            s(&[100], &[9.0]),
            s(&[10], &[7.0]),
        ];
        let rows = hover_rows(&series, |i| i != 3, 9, 5, HoverSort::Descending);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!((rows[0].series, rows[0].value), (0, 2.0));
        let all = hover_rows(&series, |_| true, 9, 5, HoverSort::Descending);
        assert_eq!(all.iter().map(|r| r.series).collect::<Vec<_>>(), vec![3, 0]);
    }
}
