//! The time-series chart: layout (axes, ticks, plot area) and drawing through any plotters
//! backend. The browser passes a canvas backend; tests pass an SVG backend and read the SVG.
//!
//! Series sit on the left value axis or on a second one at the right ([`AxisSide`], Grafana's
//! `custom.axisPlacement`), each axis scaled to its own series; when every series is on the
//! right, the one axis is drawn there.
//!
//! Layout is separate from drawing so the browser's crosshair, tooltip and drag-to-zoom use
//! exactly the projection the lines were drawn with. Drawing is split into the frame and the
//! series ([`draw`]); line series are decimated, clipped polylines ([`line_segments`]) that any
//! backend strokes, or that the browser turns into one `Path2D` per series ([`svg_path`]).

mod clip;
mod dash;
mod draw;
mod interpolate;
mod lines;
mod points;
mod style;
#[cfg(test)]
mod tests;

pub use clip::clip_polyline;
pub use dash::{dash_polyline, Dash};
pub use draw::{draw, draw_frame, draw_series, DrawStats};
pub use interpolate::{interpolate, LineInterpolation};
pub use lines::{area_polygon, fill_base, line_segments, svg_path};
pub use points::{dot_radius, sample_dots, ShowPoints, AUTO_SPACING_PX};
pub(crate) use style::{color, px, Label, Stroke};

use super::decimate::{Projection, Scale};
use super::palette::{Rgb, Theme};
use super::symlog_axis::symlog_value_axis;
use super::ticks::{log_value_axis, time_ticks, value_axis, Tick, ValueAxis};
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

/// Which value axis a series is scaled to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AxisSide {
    #[default]
    Left,
    Right,
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
    /// How lines run between samples (line style only).
    pub interpolation: LineInterpolation,
    pub axis: AxisSide,
    /// Dashed or dotted (line style only; `None`: solid).
    pub dash: Option<Dash>,
    /// Dots at the samples of a line (line style only).
    pub show_points: ShowPoints,
    /// The dots' diameter in CSS pixels.
    pub point_size: f64,
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
    /// The unit of the left axis' labels.
    pub unit: Unit,
    /// The unit of the right axis' labels (used when a series is on the right).
    pub right_unit: Unit,
    pub fixed_min: Option<f64>,
    pub fixed_max: Option<f64>,
    /// Grafana's `custom.axisSoftMin`/`axisSoftMax`: the first axis reaches at least this far
    /// (a 0 that stays in view), unlike the fixed ends the data may go beyond it.
    pub soft_min: Option<f64>,
    pub soft_max: Option<f64>,
    /// Linear or logarithmic value axes (Grafana's `custom.scaleDistribution`).
    pub scale: Scale,
    /// The left axis has no labels (Grafana's `axisPlacement: hidden` for its series); the
    /// plot takes their room. An axis drawn at the right is always labelled.
    pub hide_left_labels: bool,
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

    /// The plot area of a `width` × `height` chart whose value axis labels are up to
    /// `widest_left` characters on the left and `widest_right` on the right (0: no labels on
    /// that side): room for those labels, the time axis below and a margin.
    #[must_use]
    pub fn plot_area(
        width: u32,
        height: u32,
        font_px: f64,
        widest_left: usize,
        widest_right: usize,
    ) -> Self {
        #[allow(clippy::cast_precision_loss)]
        let label_room =
            |chars: usize| (chars as f64 * font_px * AVERAGE_CHAR_WIDTH_EM + font_px).ceil();
        let left = if widest_left > 0 {
            label_room(widest_left)
        } else {
            font_px.ceil()
        };
        let top = (font_px * 0.6).ceil();
        let right = if widest_right > 0 {
            label_room(widest_right)
        } else {
            (font_px * 1.5).ceil()
        };
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
    /// The projection of the first axis: the left one, or the only one when every series is on
    /// the right ([`ChartLayout::labels_right`]). Thresholds are drawn on it.
    pub projection: Projection,
    pub y_axis: ValueAxis,
    /// The second axis, at the right, when series are on both sides.
    pub right: Option<RightAxis>,
    /// The first axis' labels are drawn at the right (every series is on the right).
    pub labels_right: bool,
    /// The first axis' labels are drawn (not hidden, see [`ChartOptions::hide_left_labels`]).
    pub first_labels: bool,
    pub x_ticks: Vec<Tick>,
    pub font_px: f64,
}

/// The second value axis: its ticks and the projection of the series on it.
#[derive(Debug, Clone, PartialEq)]
pub struct RightAxis {
    pub y_axis: ValueAxis,
    pub projection: Projection,
}

impl ChartLayout {
    /// The projection a series on `axis` is drawn with.
    #[must_use]
    pub fn projection_for(&self, axis: AxisSide) -> &Projection {
        match (axis, &self.right) {
            (AxisSide::Right, Some(right)) => &right.projection,
            _ => &self.projection,
        }
    }
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
    let on = |side: AxisSide| series.iter().any(|s| s.axis == side);
    // Two axes only when both sides have series; all on the right is one axis drawn there.
    let (two_axes, labels_right) = match (on(AxisSide::Left), on(AxisSide::Right)) {
        (true, true) => (true, false),
        (false, true) => (false, true),
        _ => (false, false),
    };
    let plot_height_guess = (f64::from(height) - font_px * 2.6).max(10.0);
    // The panel's fixed bounds and thresholds belong to the first axis; the second fits its data.
    let axis_over = |side: Option<AxisSide>, first: bool, unit: &Unit| {
        let thresholds: &[ThresholdLine] = if first { &options.thresholds } else { &[] };
        let (mut lo, mut hi) = visible_min_max(series, side, options, thresholds);
        if first {
            let soft = |v: Option<f64>| v.filter(|v| options.scale.shows(*v));
            lo = soft(options.soft_min).map_or(lo, |soft| lo.min(soft));
            hi = soft(options.soft_max).map_or(hi, |soft| hi.max(soft));
        }
        let fixed = (
            options.fixed_min.filter(|_| first),
            options.fixed_max.filter(|_| first),
        );
        match options.scale {
            Scale::Linear => value_axis(
                lo,
                hi,
                fixed.0,
                fixed.1,
                plot_height_guess,
                font_px * 4.0,
                unit,
            ),
            Scale::Log { base } => {
                log_value_axis(lo, hi, base, fixed, plot_height_guess, font_px * 4.0, unit)
            }
            Scale::SymLog { base, threshold } => symlog_value_axis(
                (lo, hi),
                (base, threshold),
                fixed,
                plot_height_guess,
                font_px * 2.0,
                unit,
            ),
        }
    };
    let first_unit = if labels_right {
        &options.right_unit
    } else {
        &options.unit
    };
    let y_axis = axis_over(two_axes.then_some(AxisSide::Left), true, first_unit);
    let right_axis = two_axes.then(|| axis_over(Some(AxisSide::Right), false, &options.right_unit));
    let widest = |axis: &ValueAxis| {
        axis.ticks
            .iter()
            .map(|t| t.label.chars().count())
            .max()
            .unwrap_or(1)
    };
    let first_labels = labels_right || !options.hide_left_labels;
    let (widest_left, widest_right) = match (&right_axis, labels_right) {
        (Some(right), _) => (widest(&y_axis), widest(right)),
        (None, true) => (0, widest(&y_axis)),
        (None, false) => (widest(&y_axis), 0),
    };
    let widest_left = if first_labels { widest_left } else { 0 };
    let plot = Rect::plot_area(width, height, font_px, widest_left, widest_right);
    let x_ticks = time_ticks(
        options.range.from_ms,
        options.range.to_ms,
        plot.width,
        font_px * 9.0,
        options.utc_offset_minutes,
    );
    let projection_of = |axis: &ValueAxis| Projection {
        from_ms: options.range.from_ms,
        to_ms: options.range.to_ms,
        left: plot.left,
        width: plot.width,
        y_min: axis.min,
        y_max: axis.max,
        top: plot.top,
        height: plot.height,
        scale: options.scale,
    };
    ChartLayout {
        width,
        height,
        plot,
        projection: projection_of(&y_axis),
        right: right_axis.map(|y_axis| RightAxis {
            projection: projection_of(&y_axis),
            y_axis,
        }),
        y_axis,
        labels_right,
        first_labels,
        x_ticks,
        font_px,
    }
}

/// Min/max of the samples inside the range of the series on `side` (all series when `None`)
/// that the scale shows (finite; positive on a log scale); thresholds count, so their lines
/// show.
fn visible_min_max(
    series: &[PlotSeries<'_>],
    side: Option<AxisSide>,
    options: &ChartOptions,
    thresholds: &[ThresholdLine],
) -> (f64, f64) {
    let (range, scale) = (options.range, options.scale);
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for s in series
        .iter()
        .filter(|s| side.is_none_or(|side| s.axis == side))
    {
        let visible = super::decimate::visible_range(s.times_ms, range.from_ms, range.to_ms);
        for (t, v) in s.times_ms[visible.clone()].iter().zip(&s.values[visible]) {
            if scale.shows(*v) && *t >= range.from_ms && *t <= range.to_ms {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        if scale.shows(0.0) && (s.style == DrawStyle::Bars || s.fill_opacity > 0.0) {
            lo = lo.min(0.0);
        }
    }
    if lo.is_finite() {
        // Keep a threshold in view only when it is near the data (within the data's span).
        let span = (hi - lo).max(hi.abs() * 0.1).max(1e-9);
        for t in thresholds {
            if scale.shows(t.value) && t.value >= lo - span && t.value <= hi + span {
                lo = lo.min(t.value);
                hi = hi.max(t.value);
            }
        }
    }
    (lo, hi)
}
