//! The value axis of a symmetric log scale (Grafana's `scaleDistribution: {type: "symlog"}`):
//! linear within the threshold around zero, logarithmic beyond it on both sides, so a series
//! that crosses zero (transmit drawn below receive) still shows every decade.

use super::decimate::Scale;
use super::ticks::{label_values, ValueAxis};
use crate::model::units::Unit;

/// Chooses a symmetric-log axis for data spanning `[lo, hi]` on an axis about `pixels` long:
/// its ends are zero or the next power of `base` beyond the data (a fixed end is kept), and its
/// ticks are zero and ± the powers of `base` from the `threshold` up, at least `spacing_px`
/// apart, the ones nearest zero first.
#[must_use]
pub fn symlog_value_axis(
    (lo, hi): (f64, f64),
    scale: (f64, f64),
    fixed: (Option<f64>, Option<f64>),
    pixels: f64,
    spacing_px: f64,
    unit: &Unit,
) -> ValueAxis {
    let base = if scale.0 > 1.0 { scale.0 } else { 10.0 };
    let threshold = if scale.1.is_finite() && scale.1 > 0.0 {
        scale.1
    } else {
        1.0
    };
    let symlog = Scale::SymLog { base, threshold };
    let (lo, hi) = if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.0, threshold * base)
    };
    let power = |v: f64| v.abs().ln() / base.ln();
    // The power of `base` at or beyond `v`, away from zero (float dust does not add a decade).
    let outward = |v: f64| {
        if v == 0.0 {
            0.0
        } else {
            v.signum() * base.powf((power(v) - 1e-9).ceil().clamp(-300.0, 300.0))
        }
    };
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    let min = finite(fixed.0).unwrap_or_else(|| if lo >= 0.0 { 0.0 } else { outward(lo) });
    let mut max = finite(fixed.1).unwrap_or_else(|| if hi <= 0.0 { 0.0 } else { outward(hi) });
    if max <= min {
        max = min + threshold * base;
    }
    let (p_min, p_max) = (symlog.position(min), symlog.position(max));
    let pixel = |v: f64| (symlog.position(v) - p_min) / (p_max - p_min) * pixels;
    let mut ticks = Vec::new();
    if (min..=max).contains(&0.0) {
        ticks.push(0.0);
    }
    // Outward from zero on each side: a power is kept when it is far enough from the last.
    let first = power(threshold).floor();
    let last = power(min.abs().max(max.abs())).ceil().min(first + 600.0);
    for side in [1.0, -1.0] {
        let mut previous: Option<f64> = ticks.first().copied();
        let mut k = first;
        while k <= last {
            let value = side * base.powf(k);
            let slack = 1e-9 * value.abs();
            let inside = value >= min - slack && value <= max + slack;
            if inside && previous.is_none_or(|p| (pixel(value) - pixel(p)).abs() >= spacing_px) {
                ticks.push(value);
                previous = Some(value);
            }
            k += 1.0;
        }
    }
    ticks.sort_by(f64::total_cmp);
    // Each label alone: a decade's label needs its own decimals (0.01, 1, 100).
    let ticks = ticks
        .iter()
        .flat_map(|v| label_values(&[*v], unit))
        .collect();
    ValueAxis { min, max, ticks }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(axis: &ValueAxis) -> Vec<f64> {
        axis.ticks.iter().map(|t| t.value).collect()
    }

    #[test]
    fn data_across_zero_gets_zero_and_the_powers_on_both_sides() {
        let axis = symlog_value_axis(
            (-3_500.0, 42_000.0),
            (10.0, 1.0),
            (None, None),
            400.0,
            30.0,
            &Unit::Short,
        );
        assert_eq!((axis.min, axis.max), (-10_000.0, 100_000.0));
        // ±1 sits 16 px from zero on this 400 px axis, closer than 30 px: left out.
        assert_eq!(
            values(&axis),
            vec![
                -10_000.0, -1_000.0, -100.0, -10.0, 0.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0
            ]
        );
        let labels: Vec<&str> = axis.ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels[4], "0");
        assert_eq!(labels[9], "100 K");
    }

    #[test]
    fn positive_data_starts_at_zero_and_a_short_axis_thins_the_powers() {
        let axis = symlog_value_axis(
            (5.0, 9e8),
            (10.0, 1.0),
            (None, None),
            120.0,
            40.0,
            &Unit::Short,
        );
        assert_eq!((axis.min, axis.max), (0.0, 1e9));
        let ticks = values(&axis);
        assert_eq!(ticks[0], 0.0);
        assert!(ticks.len() <= 4, "{ticks:?}");
        let symlog = Scale::SymLog {
            base: 10.0,
            threshold: 1.0,
        };
        let px = |v: f64| symlog.position(v) / symlog.position(1e9) * 120.0;
        for pair in ticks.windows(2) {
            assert!(px(pair[1]) - px(pair[0]) >= 40.0, "{ticks:?}");
        }
    }

    #[test]
    fn the_threshold_sets_the_first_power_and_fixed_ends_are_kept() {
        let axis = symlog_value_axis(
            (-0.5, 0.5),
            (2.0, 4.0),
            (Some(-64.0), Some(64.0)),
            600.0,
            20.0,
            &Unit::Short,
        );
        assert_eq!((axis.min, axis.max), (-64.0, 64.0));
        assert_eq!(
            values(&axis),
            vec![-64.0, -32.0, -16.0, -8.0, -4.0, 0.0, 4.0, 8.0, 16.0, 32.0, 64.0]
        );
        let empty = symlog_value_axis(
            (f64::INFINITY, f64::NEG_INFINITY),
            (10.0, 1.0),
            (None, None),
            300.0,
            30.0,
            &Unit::Short,
        );
        assert_eq!((empty.min, empty.max), (0.0, 10.0));
    }
}
