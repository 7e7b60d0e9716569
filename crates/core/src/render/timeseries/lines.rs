//! A series' line in device pixels: decimated (at most first/min/max/last per pixel column),
//! split at gaps, shaped by the series' interpolation (steps, smooth), clipped to the plot and rounded to whole pixels, with repeated pixels dropped.
//!
//! Every backend draws these same polylines: plotters' `draw_path` per segment in [`super::draw`],
//! or, in the browser's fast path, one `Path2D` per series built from [`svg_path`].

use plotters_backend::BackendCoord;

use super::clip::clip_polyline;
use super::interpolate::interpolate;
use super::style::px;
use super::{AxisSide, ChartLayout, ChartOptions, DrawStyle, PlotSeries};
use crate::render::decimate::decimate;

/// The polylines of one line series, in whole device pixels. A one-point polyline is a lone
/// sample between gaps (drawn as a dot).
#[must_use]
pub fn line_segments(
    series: &PlotSeries<'_>,
    options: &ChartOptions,
    layout: &ChartLayout,
) -> Vec<Vec<BackendCoord>> {
    let plot = layout.plot;
    let mut out = Vec::new();
    for raw in decimate(
        series.times_ms,
        series.values,
        layout.projection_for(series.axis),
        options.gap_ms,
    ) {
        // Points are drawn at the samples only; lines take their interpolated shape.
        let raw = if series.style == DrawStyle::Lines {
            interpolate(raw, series.interpolation)
        } else {
            raw
        };
        // A point inside a straight run is a dot of its own when points are drawn.
        let keep_runs = series.style == DrawStyle::Points;
        if raw.iter().all(|(x, y)| plot.contains(*x, *y)) {
            out.push(to_pixels(&raw, keep_runs));
        } else {
            out.extend(
                clip_polyline(&raw, &plot)
                    .iter()
                    .map(|s| to_pixels(s, keep_runs)),
            );
        }
    }
    out
}

/// Rounds to whole pixels and drops the points that change nothing drawn: one on the pixel of
/// the point before it (a zero-length segment), and, unless `keep_runs`, one in the middle of a
/// straight run (a flat stretch at 100 % utilisation is one segment, not hundreds).
fn to_pixels(points: &[(f64, f64)], keep_runs: bool) -> Vec<BackendCoord> {
    let mut out: Vec<BackendCoord> = Vec::with_capacity(points.len());
    for (x, y) in points {
        let p = (px(*x), px(*y));
        match out.as_slice() {
            [.., last] if *last == p => {}
            [.., a, b] if !keep_runs && continues_straight(*a, *b, p) => {
                let n = out.len();
                out[n - 1] = p;
            }
            _ => out.push(p),
        }
    }
    out
}

/// True when `b` lies on the segment from `a` to `c` (same line, same direction).
fn continues_straight(a: BackendCoord, b: BackendCoord, c: BackendCoord) -> bool {
    let (ux, uy) = (i64::from(b.0 - a.0), i64::from(b.1 - a.1));
    let (vx, vy) = (i64::from(c.0 - b.0), i64::from(c.1 - b.1));
    ux * vy == uy * vx && ux * vx + uy * vy > 0
}

/// The pixel row areas of series on `axis` are filled down to: zero, or the axis edge nearest
/// to it.
#[must_use]
pub fn fill_base(layout: &ChartLayout, axis: AxisSide) -> i32 {
    let p = layout.projection_for(axis);
    px(p.y(0.0_f64.clamp(p.y_min, p.y_max)))
}

/// The area under one polyline down to `base_y`: the polygon a fill draws.
#[must_use]
pub fn area_polygon(segment: &[BackendCoord], base_y: i32) -> Vec<BackendCoord> {
    let mut polygon = segment.to_vec();
    if let (Some(first), Some(last)) = (segment.first(), segment.last()) {
        polygon.push((last.0, base_y));
        polygon.push((first.0, base_y));
    }
    polygon
}

/// SVG path data for `segments` (`M x y L x y …`, one subpath each), the form
/// `new Path2D(d)` takes; with `close`, each subpath is closed (`Z`) for filling.
/// One-point segments are left out (they are drawn as dots).
#[must_use]
pub fn svg_path<'a>(segments: impl IntoIterator<Item = &'a [BackendCoord]>, close: bool) -> String {
    let mut d = String::new();
    for segment in segments {
        if segment.len() < 2 {
            continue;
        }
        for (i, (x, y)) in segment.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            push_int(&mut d, *x);
            d.push(' ');
            push_int(&mut d, *y);
        }
        if close {
            d.push('Z');
        }
    }
    d
}

/// Appends `n` in decimal without going through `fmt` (this runs once per point).
fn push_int(out: &mut String, n: i32) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 10];
    let mut len = 0;
    let mut rest = n.unsigned_abs();
    loop {
        // `rest % 10` is a single decimal digit.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (rest % 10) as u8;
        digits[len] = b'0' + digit;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for d in digits[..len].iter().rev() {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_path_has_one_subpath_per_segment_and_skips_lone_points() {
        let a = [(0, 0), (10, -5), (2_147_483_647, 3)];
        let lone = [(4, 4)];
        let b = [(1, 2), (3, 4)];
        let d = svg_path([&a[..], &lone[..], &b[..]], false);
        assert_eq!(d, "M0 0L10 -5L2147483647 3M1 2L3 4");
        assert_eq!(svg_path([&b[..]], true), "M1 2L3 4Z");
        let mut min = String::new();
        push_int(&mut min, i32::MIN);
        assert_eq!(min, "-2147483648");
    }

    #[test]
    fn repeated_pixels_are_dropped_but_the_shape_kept() {
        let points = [(0.2, 0.4), (0.4, 0.1), (1.6, 5.0), (1.7, 5.2), (3.0, 0.0)];
        assert_eq!(to_pixels(&points, false), vec![(0, 0), (2, 5), (3, 0)]);
    }

    #[test]
    fn straight_runs_become_one_segment_but_turns_and_reversals_stay() {
        let flat: Vec<(f64, f64)> = (0..100).map(|x| (f64::from(x), 7.0)).collect();
        assert_eq!(to_pixels(&flat, false), vec![(0, 7), (99, 7)]);
        // Drawn as points, every sample of the run stays a dot.
        assert_eq!(to_pixels(&flat, true).len(), 100);
        // A spike up and back down the same column keeps its top.
        let spike = [(0.0, 10.0), (0.0, 2.0), (0.0, 10.0), (1.0, 10.0)];
        assert_eq!(
            to_pixels(&spike, false),
            vec![(0, 10), (0, 2), (0, 10), (1, 10)]
        );
        let diagonal = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 1.0)];
        assert_eq!(to_pixels(&diagonal, false), vec![(0, 0), (2, 2), (3, 1)]);
    }

    #[test]
    fn the_area_runs_down_to_the_base_and_back() {
        assert_eq!(
            area_polygon(&[(0, 5), (4, 2)], 10),
            vec![(0, 5), (4, 2), (4, 10), (0, 10)]
        );
    }
}
