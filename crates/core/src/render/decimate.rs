//! Min/max decimation: reduce a series to at most four points per pixel column (first, min, max,
//! last), uPlot's approach, so drawing cost follows the panel width rather than the sample count
//! while every spike stays visible.

/// How values map to heights: evenly, or by their logarithm (Grafana's
/// `custom.scaleDistribution`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Scale {
    #[default]
    Linear,
    /// Equal heights per factor of `base` (2 or 10); values ≤ 0 are not drawn.
    Log { base: f64 },
    /// Symmetric log: linear within `threshold` of zero, logarithmic beyond it on both sides
    /// (`asinh(v / threshold)`, as uPlot's and so Grafana's); `base` places the ticks.
    SymLog { base: f64, threshold: f64 },
}

impl Scale {
    /// The value's position on the scale (its logarithm on a log scale; NaN for values ≤ 0).
    #[must_use]
    pub fn position(self, value: f64) -> f64 {
        match self {
            Scale::Linear => value,
            Scale::Log { base } if value > 0.0 => value.ln() / base.ln(),
            Scale::Log { .. } => f64::NAN,
            Scale::SymLog { threshold, .. } => (value / threshold).asinh(),
        }
    }

    /// The value at `position` (inverse of [`Scale::position`]).
    #[must_use]
    pub fn value(self, position: f64) -> f64 {
        match self {
            Scale::Linear => position,
            Scale::Log { base } => base.powf(position),
            Scale::SymLog { threshold, .. } => position.sinh() * threshold,
        }
    }

    /// Whether `value` has a place on the scale (finite, and positive on a log scale).
    #[must_use]
    pub fn shows(self, value: f64) -> bool {
        value.is_finite() && (!matches!(self, Scale::Log { .. }) || value > 0.0)
    }
}

/// Maps data coordinates to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub from_ms: i64,
    pub to_ms: i64,
    pub left: f64,
    pub width: f64,
    pub y_min: f64,
    pub y_max: f64,
    pub top: f64,
    pub height: f64,
    pub scale: Scale,
}

impl Projection {
    /// Pixel x of a time.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn x(&self, t_ms: i64) -> f64 {
        let span = (self.to_ms - self.from_ms).max(1) as f64;
        self.left + (t_ms - self.from_ms) as f64 / span * self.width
    }

    /// Time at pixel x (inverse of [`Projection::x`]).
    #[must_use]
    #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
    pub fn time_at(&self, x: f64) -> i64 {
        let span = (self.to_ms - self.from_ms).max(1) as f64;
        self.from_ms + ((x - self.left) / self.width.max(1e-9) * span).round() as i64
    }

    /// Pixel y of a value (larger values are higher up).
    #[must_use]
    pub fn y(&self, value: f64) -> f64 {
        let (lo, hi) = (
            self.scale.position(self.y_min),
            self.scale.position(self.y_max),
        );
        let at = self.scale.position(value);
        let span = hi - lo;
        let fraction = if !at.is_finite() {
            // Off a log scale (≤ 0): far below the plot, where clipping leaves it.
            -10.0
        } else if span > 0.0 {
            (at - lo) / span
        } else {
            0.5
        };
        // Clamp far-off values so canvas coordinates stay finite and small.
        self.top + self.height * (1.0 - fraction.clamp(-10.0, 11.0))
    }

    /// Value at pixel y (inverse of [`Projection::y`]).
    #[must_use]
    pub fn value_at(&self, y: f64) -> f64 {
        let fraction = 1.0 - (y - self.top) / self.height.max(1e-9);
        let (lo, hi) = (
            self.scale.position(self.y_min),
            self.scale.position(self.y_max),
        );
        self.scale.value(lo + fraction * (hi - lo))
    }
}

/// Index range of the samples that can touch `[from_ms, to_ms]`: the visible ones plus one on each
/// side, so lines run to the plot's edges.
#[must_use]
pub fn visible_range(times_ms: &[i64], from_ms: i64, to_ms: i64) -> std::ops::Range<usize> {
    let start = times_ms.partition_point(|&t| t < from_ms).saturating_sub(1);
    let end = (times_ms.partition_point(|&t| t <= to_ms) + 1).min(times_ms.len());
    start..end.max(start)
}

/// Decimates one series into polyline segments in pixel space.
///
/// A segment ends at a missing value (NaN/±Inf, or ≤ 0 on a log scale) and where consecutive
/// samples are more than `gap_ms` apart (a scrape target that went away), so gaps are drawn as
/// gaps.
#[must_use]
pub fn decimate(
    times_ms: &[i64],
    values: &[f64],
    projection: &Projection,
    gap_ms: Option<i64>,
) -> Vec<Vec<(f64, f64)>> {
    let mut segments = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let range = visible_range(times_ms, projection.from_ms, projection.to_ms);
    let mut column = Column::default();
    let mut previous_time: Option<i64> = None;
    for i in range {
        let (t, v) = (times_ms[i], values.get(i).copied().unwrap_or(f64::NAN));
        let gap = match (previous_time, gap_ms) {
            (Some(prev), Some(limit)) => t - prev > limit,
            _ => false,
        };
        let shown = projection.scale.shows(v);
        if !shown || gap {
            column.flush(&mut current, projection);
            if !current.is_empty() {
                // A lone sample between gaps stays as a one-point segment (drawn as a dot).
                segments.push(std::mem::take(&mut current));
            }
            if !shown {
                previous_time = None;
                continue;
            }
        }
        previous_time = Some(t);
        let x = projection.x(t);
        #[allow(clippy::cast_possible_truncation)]
        let px = x.floor() as i64;
        if column.px != Some(px) {
            column.flush(&mut current, projection);
            column = Column {
                px: Some(px),
                x,
                first: v,
                min: v,
                max: v,
                last: v,
                last_x: x,
                count: 1,
            };
        } else {
            column.min = column.min.min(v);
            column.max = column.max.max(v);
            column.last = v;
            column.last_x = x;
            column.count += 1;
        }
    }
    column.flush(&mut current, projection);
    if !current.is_empty() {
        segments.push(current);
    }
    segments
}

#[derive(Default)]
struct Column {
    px: Option<i64>,
    x: f64,
    first: f64,
    min: f64,
    max: f64,
    last: f64,
    last_x: f64,
    count: u32,
}

impl Column {
    fn flush(&mut self, out: &mut Vec<(f64, f64)>, p: &Projection) {
        if self.px.is_none() {
            return;
        }
        let x = self.x;
        out.push((x, p.y(self.first)));
        if self.count > 1 {
            if self.min < self.first && self.min < self.last {
                out.push((x, p.y(self.min)));
            }
            if self.max > self.first && self.max > self.last {
                out.push((x, p.y(self.max)));
            }
            out.push((self.last_x, p.y(self.last)));
        }
        self.px = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn projection(width: f64) -> Projection {
        Projection {
            from_ms: 0,
            to_ms: 1000,
            left: 0.0,
            width,
            y_min: 0.0,
            y_max: 100.0,
            top: 0.0,
            height: 100.0,
            scale: Scale::Linear,
        }
    }

    #[test]
    fn keeps_at_most_four_points_per_pixel_column_and_every_spike() {
        let times: Vec<i64> = (0..=1000).collect();
        let mut values: Vec<f64> = times.iter().map(|t| (t % 7) as f64).collect();
        values[500] = 100.0;
        let segments = decimate(&times, &values, &projection(100.0), None);
        let points: usize = segments.iter().map(Vec::len).sum();
        assert!(points <= 4 * 101, "{points}");
        let top = segments.iter().flatten().any(|(_, y)| *y == 0.0);
        assert!(top, "the spike to 100 (y = 0 px) must survive decimation");
    }

    #[test]
    fn nan_and_long_gaps_split_the_line() {
        let times = vec![0, 100, 200, 300, 900, 1000];
        let values = vec![1.0, 2.0, f64::NAN, 3.0, 4.0, 5.0];
        let segments = decimate(&times, &values, &projection(1000.0), Some(250));
        // [0,100] | [300] (a lone sample, drawn as a dot) | [900,1000]
        let lengths: Vec<usize> = segments.iter().map(Vec::len).collect();
        assert_eq!(lengths, vec![2, 1, 2]);
    }

    #[test]
    fn includes_one_sample_beyond_each_edge() {
        let times = vec![-50, 10, 20, 2000];
        assert_eq!(visible_range(&times, 0, 1000), 0..4);
        assert_eq!(visible_range(&times, 15, 18), 1..3);
        assert_eq!(visible_range(&[], 0, 1), 0..0);
    }

    #[test]
    fn projection_round_trips() {
        let p = projection(500.0);
        assert_eq!(p.time_at(p.x(250)), 250);
        assert!((p.value_at(p.y(42.0)) - 42.0).abs() < 1e-9);
    }

    #[test]
    fn a_log_scale_gives_each_decade_the_same_height_and_leaves_out_values_up_to_zero() {
        let p = Projection {
            y_min: 1.0,
            y_max: 1000.0,
            scale: Scale::Log { base: 10.0 },
            ..projection(100.0)
        };
        // 100 px for three decades: 1 at the bottom, 10 a third up, 1000 at the top.
        assert!((p.y(1.0) - 100.0).abs() < 1e-9);
        assert!((p.y(10.0) - 200.0 / 3.0).abs() < 1e-9);
        assert!(p.y(1000.0).abs() < 1e-9);
        assert!((p.value_at(p.y(42.0)) - 42.0).abs() < 1e-9);
        assert!(p.y(0.0) > 100.0, "0 is below the plot");
        let p = Projection { to_ms: 4, ..p };
        let segments = decimate(&[0, 1, 2, 3, 4], &[5.0, 0.0, 50.0, -1.0, 500.0], &p, None);
        let lengths: Vec<usize> = segments.iter().map(Vec::len).collect();
        assert_eq!(lengths, vec![1, 1, 1], "0 and -1 are gaps");
    }
}
