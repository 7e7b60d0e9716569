//! A sparkline: one series as a line with a soft fill, no axes, for stat panels.

use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, DrawingBackend, DrawingErrorKind,
};

use super::decimate::{decimate, Projection, Scale};
use super::palette::Rgb;
use crate::model::frame::finite_min_max;
use crate::model::time_range::TimeRange;

struct Stroke(BackendColor, u32);

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.0
    }
    fn stroke_width(&self) -> u32 {
        self.1
    }
}

/// Draws `values` over `range` across the whole `width × height` surface.
///
/// # Errors
/// Whatever the backend reports.
pub fn draw_sparkline<DB: DrawingBackend>(
    backend: &mut DB,
    times_ms: &[i64],
    values: &[f64],
    range: TimeRange,
    color: Rgb,
    pixel_ratio: f64,
) -> Result<usize, DrawingErrorKind<DB::ErrorType>> {
    let (width, height) = backend.get_size();
    let Some((lo, hi)) = finite_min_max(values) else {
        return Ok(0);
    };
    let pad = if hi > lo {
        (hi - lo) * 0.1
    } else {
        hi.abs().max(1.0) * 0.1
    };
    let projection = Projection {
        from_ms: range.from_ms,
        to_ms: range.to_ms,
        left: 0.0,
        width: f64::from(width),
        y_min: lo - pad,
        y_max: hi + pad,
        top: 0.0,
        height: f64::from(height),
        scale: Scale::Linear,
    };
    let rgb = (color.0, color.1, color.2);
    let mut points = 0;
    #[allow(clippy::cast_possible_truncation)]
    let px = |v: f64| v.round().clamp(-1.0e6, 1.0e6) as i32;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let line_width = (pixel_ratio.clamp(1.0, 4.0)).round() as u32;
    for segment in decimate(times_ms, values, &projection, None) {
        let coords: Vec<BackendCoord> = segment.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        if let (Some(first), Some(last)) = (coords.first().copied(), coords.last().copied()) {
            let mut area = coords.clone();
            area.push((last.0, px(f64::from(height))));
            area.push((first.0, px(f64::from(height))));
            backend.fill_polygon(area, &BackendColor { alpha: 0.18, rgb })?;
        }
        points += coords.len();
        backend.draw_path(
            coords,
            &Stroke(BackendColor { alpha: 0.9, rgb }, line_width),
        )?;
    }
    backend.present()?;
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters_svg::SVGBackend;

    #[test]
    fn draws_a_filled_line_across_the_box() {
        let times: Vec<i64> = (0..100).collect();
        let values: Vec<f64> = (0..100).map(|i| f64::from(i % 10)).collect();
        let mut svg = String::new();
        let points = {
            let mut backend = SVGBackend::with_string(&mut svg, (120, 40));
            draw_sparkline(
                &mut backend,
                &times,
                &values,
                TimeRange::new(0, 99),
                Rgb(1, 2, 3),
                1.0,
            )
            .unwrap()
        };
        assert!(points > 0);
        assert!(svg.contains("<polyline") && svg.contains("<polygon"));
    }

    #[test]
    fn no_finite_values_draws_nothing() {
        let mut svg = String::new();
        let mut backend = SVGBackend::with_string(&mut svg, (120, 40));
        assert_eq!(
            draw_sparkline(
                &mut backend,
                &[1],
                &[f64::NAN],
                TimeRange::new(0, 2),
                Rgb(1, 2, 3),
                1.0
            )
            .unwrap(),
            0
        );
    }
}
