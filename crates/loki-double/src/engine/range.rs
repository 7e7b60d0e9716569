//! Turns the time-ordered points of one series into one value per step, for each range
//! function, over Loki's left-open window `(t − range, t]`.

use crate::logql::ast::RangeOp;

use super::Steps;

/// Values at each step for points `(ts_ns, value)` sorted by time.
#[must_use]
pub fn window_values(
    op: RangeOp,
    param: Option<f64>,
    points: &[(i64, f64)],
    steps: &Steps,
    range_ns: i64,
    offset_ns: i64,
) -> Vec<Option<f64>> {
    let mut prefix = Vec::with_capacity(points.len() + 1);
    prefix.push(0.0);
    for (_, v) in points {
        let last = prefix.last().copied().unwrap_or(0.0);
        prefix.push(last + v);
    }
    let range_s = range_ns as f64 / 1e9;
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut out = Vec::with_capacity(steps.count);
    for k in 0..steps.count {
        let end = steps.at(k) - offset_ns;
        let start = end - range_ns;
        while hi < points.len() && points[hi].0 <= end {
            hi += 1;
        }
        while lo < hi && points[lo].0 <= start {
            lo += 1;
        }
        let n = hi - lo;
        if n == 0 {
            out.push(None);
            continue;
        }
        let sum = prefix[hi] - prefix[lo];
        let slice = &points[lo..hi];
        let value = match op {
            RangeOp::Count => n as f64,
            RangeOp::Rate => n as f64 / range_s,
            RangeOp::Bytes | RangeOp::Sum => sum,
            RangeOp::BytesRate => sum / range_s,
            RangeOp::Absent => 1.0,
            RangeOp::Avg => sum / n as f64,
            RangeOp::Min => slice.iter().map(|p| p.1).fold(f64::INFINITY, f64::min),
            RangeOp::Max => slice.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max),
            RangeOp::First => slice[0].1,
            RangeOp::Last => slice[n - 1].1,
            RangeOp::Stddev | RangeOp::Stdvar => {
                let mean = sum / n as f64;
                let var = slice.iter().map(|p| (p.1 - mean).powi(2)).sum::<f64>() / n as f64;
                if op == RangeOp::Stddev {
                    var.sqrt()
                } else {
                    var
                }
            }
            RangeOp::Quantile => {
                quantile(param.unwrap_or(0.5), slice.iter().map(|p| p.1).collect())
            }
            RangeOp::RateCounter => counter_increase(slice) / range_s,
        };
        out.push(Some(value));
    }
    out
}

/// Prometheus' quantile with linear interpolation; φ outside [0, 1] gives ±Inf.
#[must_use]
pub fn quantile(phi: f64, mut values: Vec<f64>) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    if phi < 0.0 {
        return f64::NEG_INFINITY;
    }
    if phi > 1.0 {
        return f64::INFINITY;
    }
    values.sort_by(f64::total_cmp);
    let rank = phi * (values.len() - 1) as f64;
    let lower = rank.floor() as usize;
    let upper = (lower + 1).min(values.len() - 1);
    let weight = rank - lower as f64;
    values[lower] * (1.0 - weight) + values[upper] * weight
}

fn counter_increase(points: &[(i64, f64)]) -> f64 {
    let mut total = 0.0;
    for w in points.windows(2) {
        let (a, b) = (w[0].1, w[1].1);
        total += if b >= a { b - a } else { b };
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    #[test]
    fn windows_are_left_open_right_closed() {
        let points = [(10 * S, 1.0), (20 * S, 1.0), (30 * S, 1.0)];
        let steps = Steps::range(20 * S, 30 * S, 10 * S);
        // (10s, 20s] holds the 20s point only; (20s, 30s] the 30s point only.
        assert_eq!(
            window_values(RangeOp::Count, None, &points, &steps, 10 * S, 0),
            vec![Some(1.0), Some(1.0)]
        );
        assert_eq!(
            window_values(RangeOp::Rate, None, &points, &steps, 20 * S, 0),
            vec![Some(0.1), Some(0.1)]
        );
    }

    #[test]
    fn empty_windows_have_no_value_and_offset_shifts_windows() {
        let points = [(100 * S, 5.0)];
        let steps = Steps::range(50 * S, 150 * S, 50 * S);
        assert_eq!(
            window_values(RangeOp::Sum, None, &points, &steps, 10 * S, 0),
            vec![None, Some(5.0), None]
        );
        assert_eq!(
            window_values(RangeOp::Sum, None, &points, &steps, 10 * S, 50 * S),
            vec![None, None, Some(5.0)]
        );
    }

    #[test]
    fn unwrap_functions_compute_like_prometheus() {
        let points = [(S, 1.0), (2 * S, 3.0), (3 * S, 2.0), (4 * S, 10.0)];
        let steps = Steps::instant(4 * S);
        let at = |op, param| window_values(op, param, &points, &steps, 10 * S, 0)[0].unwrap();
        assert_eq!(at(RangeOp::Avg, None), 4.0);
        assert_eq!(at(RangeOp::Min, None), 1.0);
        assert_eq!(at(RangeOp::Max, None), 10.0);
        assert_eq!(at(RangeOp::First, None), 1.0);
        assert_eq!(at(RangeOp::Last, None), 10.0);
        assert_eq!(at(RangeOp::Quantile, Some(0.5)), 2.5);
        assert_eq!(at(RangeOp::Stdvar, None), 12.5);
    }
}
