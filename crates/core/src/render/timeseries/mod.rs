//! The time-series chart: layout (axes, ticks, plot area) and drawing through any plotters
//! backend. The browser passes a canvas backend; tests pass an SVG backend and read the SVG.
//!
//! Layout is separate from drawing so the browser's crosshair, tooltip and drag-to-zoom use
//! exactly the projection the lines were drawn with. Drawing is split into the frame and the
//! series ([`draw`]); line series are decimated, clipped polylines ([`line_segments`]) that any
//! backend strokes, or that the browser turns into one `Path2D` per series ([`svg_path`]).

mod clip;
mod draw;
mod lines;
mod style;
#[cfg(test)]
mod tests;

pub use clip::clip_polyline;
pub use draw::{draw, draw_frame, draw_series, DrawStats};
pub use lines::{area_polygon, fill_base, line_segments, svg_path};
pub(crate) use style::{color, px, Label, Stroke};

use super::decimate::Projection;
use super::palette::{Rgb, Theme};
use super::ticks::{time_ticks, value_axis, Tick, ValueAxis};
use crate::model::time_range::TimeRange;
use crate::model::units::Unit;

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DrawStyle {
    #[default]
    Lines,
    Points,
    Bars,
}

/// One series to draw: borrowed columns plus its look.
#[derive(Debug, Clone, Copy)]
pub struct PlotSeries<'a> {
    pub times_ms: &'a [i64],
    pub values: &'a [f64],
    pub color: Rgb,
    /// Line width in CSS pixels.
    pub line_width: f64,
    /// 0–1 opacity of the area under the line (0 = no fill).
    pub fill_opacity: f64,
    pub style: DrawStyle,
}

/// A horizontal threshold line (and the band above it when `area` is set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThresholdLine {
    pub value: f64,
    pub color: Rgb,
}

/// Everything the chart needs besides the series.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartOptions {
    pub range: TimeRange,
    pub unit: Unit,
    pub fixed_min: Option<f64>,
    pub fixed_max: Option<f64>,
    pub thresholds: Vec<ThresholdLine>,
    /// Draw thresholds as shaded bands rather than lines.
    pub threshold_areas: bool,
    /// Minutes east of UTC for time labels.
    pub utc_offset_minutes: i32,
    /// Device pixels per CSS pixel; fonts and line widths scale with it.
    pub pixel_ratio: f64,
    /// Samples further apart than this are not joined by a line.
    pub gap_ms: Option<i64>,
    pub theme: Theme,
}

/// A rectangle in device pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    #[must_use]
    pub fn right(&self) -> f64 {
        self.left + self.width
    }
    #[must_use]
    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }
    /// True when `(x, y)` lies inside.
    #[must_use]
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.left && x <= self.right() && y >= self.top && y <= self.bottom()
    }

    /// The plot area of a `width` × `height` chart whose value axis, on the left, has labels up
    /// to `widest_label` characters: room for those labels, the time axis below and a margin.
    #[must_use]
    pub fn plot_area(width: u32, height: u32, font_px: f64, widest_label: usize) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let left = (widest_label as f64 * font_px * AVERAGE_CHAR_WIDTH_EM + font_px).ceil();
        let top = (font_px * 0.6).ceil();
        let right = (font_px * 1.5).ceil();
        let bottom = (font_px * 2.0).ceil();
        Self {
            left,
            top,
            width: (f64::from(width) - left - right).max(1.0),
            height: (f64::from(height) - top - bottom).max(1.0),
        }
    }
}

/// Where everything goes, computed before drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLayout {
    pub width: u32,
    pub height: u32,
    pub plot: Rect,
    pub projection: Projection,
    pub y_axis: ValueAxis,
    pub x_ticks: Vec<Tick>,
    pub font_px: f64,
}

/// Font size of axis labels in CSS pixels.
pub const AXIS_FONT_CSS_PX: f64 = 11.0;
pub(crate) const AVERAGE_CHAR_WIDTH_EM: f64 = 0.6;

/// Lays the chart out on a `width × height` device-pixel surface.
#[must_use]
pub fn layout(
    series: &[PlotSeries<'_>],
    options: &ChartOptions,
    width: u32,
    height: u32,
) -> ChartLayout {
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    let font_px = AXIS_FONT_CSS_PX * dpr;
    let (lo, hi) = visible_min_max(series, options.range, &options.thresholds);
    let plot_height_guess = (f64::from(height) - font_px * 2.6).max(10.0);
    let y_axis = value_axis(
        lo,
        hi,
        options.fixed_min,
        options.fixed_max,
        plot_height_guess,
        font_px * 4.0,
        &options.unit,
    );
    let widest_label = y_axis
        .ticks
        .iter()
        .map(|t| t.label.chars().count())
        .max()
        .unwrap_or(1);
    let plot = Rect::plot_area(width, height, font_px, widest_label);
    let x_ticks = time_ticks(
        options.range.from_ms,
        options.range.to_ms,
        plot.width,
        font_px * 9.0,
        options.utc_offset_minutes,
    );
    let projection = Projection {
        from_ms: options.range.from_ms,
        to_ms: options.range.to_ms,
        left: plot.left,
        width: plot.width,
        y_min: y_axis.min,
        y_max: y_axis.max,
        top: plot.top,
        height: plot.height,
    };
    ChartLayout {
        width,
        height,
        plot,
        projection,
        y_axis,
        x_ticks,
        font_px,
    }
}

/// Finite min/max of the samples inside the range (thresholds count, so their lines show).
fn visible_min_max(
    series: &[PlotSeries<'_>],
    range: TimeRange,
    thresholds: &[ThresholdLine],
) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series {
        let visible = super::decimate::visible_range(s.times_ms, range.from_ms, range.to_ms);
        for (t, v) in s.times_ms[visible.clone()].iter().zip(&s.values[visible]) {
            if v.is_finite() && *t >= range.from_ms && *t <= range.to_ms {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        if s.style == DrawStyle::Bars || s.fill_opacity > 0.0 {
            lo = lo.min(0.0);
        }
    }
    if lo.is_finite() {
        // Keep a threshold in view only when it is near the data (within the data's span).
        let span = (hi - lo).max(hi.abs() * 0.1).max(1e-9);
        for t in thresholds {
            if t.value.is_finite() && t.value >= lo - span && t.value <= hi + span {
                lo = lo.min(t.value);
                hi = hi.max(t.value);
            }
        }
    }
    (lo, hi)
}
