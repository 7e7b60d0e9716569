//! How a line runs from one sample to the next (Grafana's `custom.lineInterpolation`): straight,
//! smooth (a monotone cubic, which never overshoots the samples, as Grafana's and uPlot's), or in
//! steps. Works on a decimated polyline in pixel space, before clipping.

/// The shape of a line between samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineInterpolation {
    /// Straight segments (`linear`).
    #[default]
    Linear,
    /// A monotone cubic through the samples (`smooth`).
    Smooth,
    /// Each value holds until the next sample, then jumps (`stepAfter`).
    StepAfter,
    /// Each value is reached by a jump right after the previous sample (`stepBefore`).
    StepBefore,
}

impl LineInterpolation {
    /// Grafana's name (`linear`, `smooth`, `stepAfter`, `stepBefore`); `None` for another.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "linear" => Some(Self::Linear),
            "smooth" => Some(Self::Smooth),
            "stepAfter" => Some(Self::StepAfter),
            "stepBefore" => Some(Self::StepBefore),
            _ => None,
        }
    }
}

/// Pixels between the points a smooth curve is drawn through (a curve over 40 px is 10 lines).
const SMOOTH_STEP_PX: f64 = 4.0;
/// Most lines one smooth span is drawn with, however wide.
const SMOOTH_MAX_PIECES: u32 = 24;

/// The polyline drawn for `points` (samples in pixel space, left to right) under `how`.
#[must_use]
pub fn interpolate(points: Vec<(f64, f64)>, how: LineInterpolation) -> Vec<(f64, f64)> {
    if points.len() < 2 {
        return points;
    }
    match how {
        LineInterpolation::Linear => points,
        LineInterpolation::StepAfter => steps(&points, |(_, y0), (x1, _)| (x1, y0)),
        LineInterpolation::StepBefore => steps(&points, |(x0, _), (_, y1)| (x0, y1)),
        LineInterpolation::Smooth => smooth(&points),
    }
}

/// `points` with a corner, `corner(a, b)`, between each pair of neighbours.
fn steps(
    points: &[(f64, f64)],
    corner: impl Fn((f64, f64), (f64, f64)) -> (f64, f64),
) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() * 2);
    out.push(points[0]);
    for pair in points.windows(2) {
        out.push(corner(pair[0], pair[1]));
        out.push(pair[1]);
    }
    out
}

/// A monotone cubic through `points` (d3's `curveMonotoneX`, which uPlot's spline follows): the
/// tangent at each sample is limited so the curve stays between its neighbours. Points sharing a
/// pixel column (decimated samples) are joined straight.
fn smooth(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    // The slope of each span; `None` for a vertical one (same column).
    let secants: Vec<Option<f64>> = points
        .windows(2)
        .map(|p| {
            let dx = p[1].0 - p[0].0;
            (dx > 0.0).then(|| (p[1].1 - p[0].1) / dx)
        })
        .collect();
    let tangents: Vec<f64> = (0..points.len())
        .map(|i| {
            let before = i.checked_sub(1).and_then(|j| secants[j]);
            let after = secants.get(i).copied().flatten();
            match (before, after) {
                (Some(s0), Some(s1)) => {
                    let h0 = points[i].0 - points[i - 1].0;
                    let h1 = points[i + 1].0 - points[i].0;
                    let p = (s0 * h1 + s1 * h0) / (h0 + h1);
                    (s0.signum() + s1.signum()) * s0.abs().min(s1.abs()).min(0.5 * p.abs())
                }
                (Some(s), None) | (None, Some(s)) => s,
                (None, None) => 0.0,
            }
        })
        .collect();
    let mut out = Vec::with_capacity(points.len() * 2);
    out.push(points[0]);
    for (i, pair) in points.windows(2).enumerate() {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let h = x1 - x0;
        if secants[i].is_some() && h >= 2.0 * SMOOTH_STEP_PX {
            // The cubic Bézier of the Hermite span: control points a third of the way along
            // each tangent.
            let c0 = (x0 + h / 3.0, y0 + tangents[i] * h / 3.0);
            let c1 = (x1 - h / 3.0, y1 - tangents[i + 1] * h / 3.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let pieces = ((h / SMOOTH_STEP_PX).ceil() as u32).min(SMOOTH_MAX_PIECES);
            for k in 1..pieces {
                let t = f64::from(k) / f64::from(pieces);
                out.push(bezier((x0, y0), c0, c1, (x1, y1), t));
            }
        }
        out.push((x1, y1));
    }
    out
}

/// The point at `t` (0–1) of the cubic Bézier `a`, `b`, `c`, `d`.
fn bezier(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64), t: f64) -> (f64, f64) {
    let u = 1.0 - t;
    let (w0, w1, w2, w3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (
        w0 * a.0 + w1 * b.0 + w2 * c.0 + w3 * d.0,
        w0 * a.1 + w1 * b.1 + w2 * c.1 + w3 * d.1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grafana_names_parse_and_others_do_not() {
        assert_eq!(
            LineInterpolation::parse("stepAfter"),
            Some(LineInterpolation::StepAfter)
        );
        assert_eq!(
            LineInterpolation::parse("smooth"),
            Some(LineInterpolation::Smooth)
        );
        assert_eq!(LineInterpolation::parse("spline"), None);
    }

    #[test]
    fn steps_hold_the_value_after_or_jump_before() {
        let points = vec![(0.0, 10.0), (5.0, 20.0), (9.0, 15.0)];
        assert_eq!(
            interpolate(points.clone(), LineInterpolation::StepAfter),
            vec![
                (0.0, 10.0),
                (5.0, 10.0),
                (5.0, 20.0),
                (9.0, 20.0),
                (9.0, 15.0)
            ]
        );
        assert_eq!(
            interpolate(points.clone(), LineInterpolation::StepBefore),
            vec![
                (0.0, 10.0),
                (0.0, 20.0),
                (5.0, 20.0),
                (5.0, 15.0),
                (9.0, 15.0)
            ]
        );
        assert_eq!(
            interpolate(points.clone(), LineInterpolation::Linear),
            points
        );
        assert_eq!(
            interpolate(vec![(1.0, 1.0)], LineInterpolation::StepAfter),
            vec![(1.0, 1.0)]
        );
    }

    #[test]
    fn a_smooth_line_passes_through_every_sample_and_never_overshoots() {
        let points = vec![(0.0, 50.0), (40.0, 10.0), (80.0, 10.0), (120.0, 90.0)];
        let curve = interpolate(points.clone(), LineInterpolation::Smooth);
        assert!(curve.len() > points.len() * 3, "{}", curve.len());
        for p in &points {
            assert!(curve.contains(p), "{p:?} is on the curve");
        }
        // x only grows; y stays within each span's ends (monotone: no bump below the flat
        // stretch at 10, no dip under 10 before the climb).
        for pair in curve.windows(2) {
            assert!(pair[1].0 > pair[0].0, "{pair:?}");
        }
        for span in points.windows(2) {
            let (lo, hi) = (span[0].1.min(span[1].1), span[0].1.max(span[1].1));
            for (x, y) in curve
                .iter()
                .filter(|(x, _)| *x > span[0].0 && *x < span[1].0)
            {
                assert!(
                    *y >= lo - 1e-9 && *y <= hi + 1e-9,
                    "({x}, {y}) outside {lo}–{hi}"
                );
            }
        }
    }

    #[test]
    fn decimated_columns_and_close_samples_stay_straight() {
        // Two points in one pixel column (a min/max pair) and a 3 px span: nothing added.
        let points = vec![(0.0, 5.0), (0.0, 9.0), (3.0, 1.0)];
        assert_eq!(
            interpolate(points.clone(), LineInterpolation::Smooth),
            points
        );
    }
}
