//! The time-series chart: layout (axes, ticks, plot area) and drawing through any plotters
//! backend. The browser passes a canvas backend; tests pass an SVG backend and read the SVG.
//!
//! Layout is separate from drawing so the browser's crosshair, tooltip and drag-to-zoom use
//! exactly the projection the lines were drawn with.

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontFamily, FontStyle, FontTransform,
};

use super::decimate::{decimate, Projection};
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
const AVERAGE_CHAR_WIDTH_EM: f64 = 0.6;

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
    #[allow(clippy::cast_precision_loss)]
    let left = (widest_label as f64 * font_px * AVERAGE_CHAR_WIDTH_EM + font_px).ceil();
    let top = (font_px * 0.6).ceil();
    let right_pad = (font_px * 1.5).ceil();
    let bottom = (font_px * 2.0).ceil();
    let plot = Rect {
        left,
        top,
        width: (f64::from(width) - left - right_pad).max(1.0),
        height: (f64::from(height) - top - bottom).max(1.0),
    };
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

/// What a draw call did, for tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrawStats {
    /// Points handed to the backend for series lines after decimation.
    pub points: usize,
    /// Polyline segments drawn.
    pub segments: usize,
}

struct Stroke {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Stroke {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

fn color(rgb: Rgb, alpha: f64) -> BackendColor {
    BackendColor {
        alpha,
        rgb: (rgb.0, rgb.1, rgb.2),
    }
}

/// A text style for axis labels: the browser measures and draws real text; the size estimate is
/// only used by rasterising backends, which Sightline does not use.
struct Label {
    color: BackendColor,
    size: f64,
    anchor: Pos,
}

impl BackendTextStyle for Label {
    type FontError = std::fmt::Error;
    fn color(&self) -> BackendColor {
        self.color
    }
    fn size(&self) -> f64 {
        self.size
    }
    fn transform(&self) -> FontTransform {
        FontTransform::None
    }
    fn style(&self) -> FontStyle {
        FontStyle::Normal
    }
    fn anchor(&self) -> Pos {
        self.anchor
    }
    fn family(&self) -> FontFamily<'_> {
        FontFamily::SansSerif
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let w = (text.chars().count() as f64 * self.size * AVERAGE_CHAR_WIDTH_EM) as i32;
        Ok(((0, 0), (w, self.size as i32)))
    }
    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _text: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        Ok(Ok(()))
    }
}

#[allow(clippy::cast_possible_truncation)]
fn px(v: f64) -> i32 {
    v.round().clamp(-1.0e6, 1.0e6) as i32
}

type DrawResult<DB> = Result<DrawStats, DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the whole chart: background, grid, axes, thresholds and series.
///
/// # Errors
/// Whatever the backend reports.
pub fn draw<DB: DrawingBackend>(
    backend: &mut DB,
    series: &[PlotSeries<'_>],
    options: &ChartOptions,
    layout: &ChartLayout,
) -> DrawResult<DB> {
    let theme = options.theme;
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    let plot = layout.plot;
    let p = &layout.projection;
    backend.draw_rect(
        (0, 0),
        (px(f64::from(layout.width)), px(f64::from(layout.height))),
        &color(theme.background, 1.0),
        true,
    )?;
    let grid = Stroke {
        color: color(theme.grid, 1.0),
        width: 1,
    };
    let y_label = Label {
        color: color(theme.text, 1.0),
        size: layout.font_px,
        anchor: Pos::new(HPos::Right, VPos::Center),
    };
    for tick in &layout.y_axis.ticks {
        let y = px(p.y(tick.value));
        backend.draw_line((px(plot.left), y), (px(plot.right()), y), &grid)?;
        backend.draw_text(
            &tick.label,
            &y_label,
            (px(plot.left - layout.font_px * 0.5), y),
        )?;
    }
    let x_label = Label {
        color: color(theme.text, 1.0),
        size: layout.font_px,
        anchor: Pos::new(HPos::Center, VPos::Top),
    };
    for tick in &layout.x_ticks {
        #[allow(clippy::cast_possible_truncation)]
        let x = px(p.x(tick.value as i64));
        backend.draw_line((x, px(plot.top)), (x, px(plot.bottom())), &grid)?;
        backend.draw_text(
            &tick.label,
            &x_label,
            (x, px(plot.bottom() + layout.font_px * 0.5)),
        )?;
    }
    let axis = Stroke {
        color: color(theme.axis, 1.0),
        width: 1,
    };
    backend.draw_line(
        (px(plot.left), px(plot.bottom())),
        (px(plot.right()), px(plot.bottom())),
        &axis,
    )?;
    draw_thresholds(backend, options, layout, dpr)?;
    let mut stats = DrawStats::default();
    for s in series {
        draw_series(backend, s, options, layout, dpr, &mut stats)?;
    }
    backend.present()?;
    Ok(stats)
}

fn draw_thresholds<DB: DrawingBackend>(
    backend: &mut DB,
    options: &ChartOptions,
    layout: &ChartLayout,
    dpr: f64,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let plot = layout.plot;
    let p = &layout.projection;
    let mut sorted: Vec<&ThresholdLine> = options
        .thresholds
        .iter()
        .filter(|t| t.value.is_finite())
        .collect();
    sorted.sort_by(|a, b| a.value.total_cmp(&b.value));
    for (i, t) in sorted.iter().enumerate() {
        let y = p.y(t.value).clamp(plot.top, plot.bottom());
        if options.threshold_areas {
            let upper = sorted.get(i + 1).map_or(plot.top, |next| {
                p.y(next.value).clamp(plot.top, plot.bottom())
            });
            backend.draw_rect(
                (px(plot.left), px(upper)),
                (px(plot.right()), px(y)),
                &color(t.color, 0.12),
                true,
            )?;
        } else if p.y(t.value) >= plot.top && p.y(t.value) <= plot.bottom() {
            // A dashed line: short segments every 10 CSS px.
            let dash = 6.0 * dpr;
            let gap = 4.0 * dpr;
            let stroke = Stroke {
                color: color(t.color, 0.9),
                width: px(dpr).max(1).unsigned_abs(),
            };
            let mut x = plot.left;
            while x < plot.right() {
                let end = (x + dash).min(plot.right());
                backend.draw_line((px(x), px(y)), (px(end), px(y)), &stroke)?;
                x = end + gap;
            }
        }
    }
    Ok(())
}

fn draw_series<DB: DrawingBackend>(
    backend: &mut DB,
    s: &PlotSeries<'_>,
    options: &ChartOptions,
    layout: &ChartLayout,
    dpr: f64,
    stats: &mut DrawStats,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let plot = layout.plot;
    let p = &layout.projection;
    let width = px(s.line_width * dpr).max(1).unsigned_abs();
    let stroke = Stroke {
        color: color(s.color, 1.0),
        width,
    };
    match s.style {
        DrawStyle::Bars => {
            let range = super::decimate::visible_range(s.times_ms, p.from_ms, p.to_ms);
            let n = range.len().max(1);
            #[allow(clippy::cast_precision_loss)]
            let bar_w = (plot.width / n as f64 * 0.7).clamp(1.0, 40.0 * dpr);
            let zero = p.y(0.0_f64.clamp(p.y_min, p.y_max));
            for i in range {
                let (t, v) = (s.times_ms[i], s.values[i]);
                if !v.is_finite() || t < p.from_ms || t > p.to_ms {
                    continue;
                }
                let x = p.x(t);
                let y = p.y(v).clamp(plot.top, plot.bottom());
                let (top, bottom) = if y < zero { (y, zero) } else { (zero, y) };
                backend.draw_rect(
                    (px(x - bar_w / 2.0), px(top)),
                    (px(x + bar_w / 2.0), px(bottom)),
                    &color(s.color, 0.85),
                    true,
                )?;
                stats.points += 1;
            }
            stats.segments += 1;
        }
        DrawStyle::Lines | DrawStyle::Points => {
            let segments = decimate(s.times_ms, s.values, p, options.gap_ms);
            for raw in &segments {
                for segment in clip_polyline(raw, &plot) {
                    stats.segments += 1;
                    stats.points += segment.len();
                    let points: Vec<BackendCoord> =
                        segment.iter().map(|(x, y)| (px(*x), px(*y))).collect();
                    if s.fill_opacity > 0.0 && points.len() > 1 {
                        let base = px(p.y(0.0_f64.clamp(p.y_min, p.y_max)));
                        let mut polygon = points.clone();
                        if let (Some(first), Some(last)) = (points.first(), points.last()) {
                            polygon.push((last.0, base));
                            polygon.push((first.0, base));
                        }
                        backend.fill_polygon(
                            polygon,
                            &color(s.color, s.fill_opacity.clamp(0.0, 1.0)),
                        )?;
                    }
                    if s.style == DrawStyle::Points || points.len() == 1 {
                        let radius = px(2.0 * dpr).max(1).unsigned_abs();
                        for point in &points {
                            backend.draw_circle(*point, radius, &color(s.color, 1.0), true)?;
                        }
                    } else {
                        backend.draw_path(points, &stroke)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Clips a polyline to `rect`, splitting it where it leaves and re-enters (Liang–Barsky per edge).
#[must_use]
pub fn clip_polyline(points: &[(f64, f64)], rect: &Rect) -> Vec<Vec<(f64, f64)>> {
    let inside_all = points.iter().all(|(x, y)| rect.contains(*x, *y));
    if inside_all {
        return vec![points.to_vec()];
    }
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if points.len() == 1 {
        if rect.contains(points[0].0, points[0].1) {
            out.push(points.to_vec());
        }
        return out;
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        match clip_segment(a, b, rect) {
            Some((ca, cb)) => {
                if current.last() != Some(&ca) {
                    if current.len() > 1 {
                        out.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(ca);
                }
                current.push(cb);
            }
            None => {
                if current.len() > 1 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

fn clip_segment(a: (f64, f64), b: (f64, f64), r: &Rect) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - r.left),
        (dx, r.right() - a.0),
        (-dy, a.1 - r.top),
        (dy, r.bottom() - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((
        if t0 == 0.0 { a } else { at(t0) },
        if t1 == 1.0 { b } else { at(t1) },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::palette::{series_color, DARK};
    use plotters_svg::SVGBackend;

    fn options(range: TimeRange) -> ChartOptions {
        ChartOptions {
            range,
            unit: Unit::Percent,
            fixed_min: None,
            fixed_max: None,
            thresholds: vec![ThresholdLine {
                value: 80.0,
                color: Rgb(0xf2, 0x49, 0x5c),
            }],
            threshold_areas: false,
            utc_offset_minutes: 0,
            pixel_ratio: 1.0,
            gap_ms: Some(60_000),
            theme: DARK,
        }
    }

    fn render_svg(
        series: &[PlotSeries<'_>],
        options: &ChartOptions,
        w: u32,
        h: u32,
    ) -> (String, DrawStats) {
        let mut svg = String::new();
        let stats;
        {
            let mut backend = SVGBackend::with_string(&mut svg, (w, h));
            let layout = layout(series, options, w, h);
            stats = draw(&mut backend, series, options, &layout).unwrap();
        }
        (svg, stats)
    }

    #[test]
    fn draws_axes_labels_thresholds_and_lines_into_svg() {
        let times: Vec<i64> = (0..240).map(|i| 1_700_000_000_000 + i * 15_000).collect();
        let values: Vec<f64> = (0..240)
            .map(|i| 50.0 + 30.0 * (f64::from(i) / 20.0).sin())
            .collect();
        let series = [PlotSeries {
            times_ms: &times,
            values: &values,
            color: series_color(0),
            line_width: 1.0,
            fill_opacity: 0.0,
            style: DrawStyle::Lines,
        }];
        let range = TimeRange::new(times[0], times[239]);
        let (svg, stats) = render_svg(&series, &options(range), 800, 300);
        assert!(svg.contains("<polyline"), "series line missing");
        assert!(
            svg.contains("\n80%\n"),
            "the 80% tick label is missing: {svg}"
        );
        assert!(
            svg.contains("stroke=\"#F2495C\""),
            "the threshold line is missing"
        );
        assert!(stats.points > 0 && stats.points <= 4 * 800);
    }

    #[test]
    fn values_outside_fixed_bounds_are_clipped_to_the_plot() {
        let times: Vec<i64> = (0..100).map(|i| i * 1000).collect();
        let values: Vec<f64> = (0..100)
            .map(|i| if i % 10 == 0 { 500.0 } else { 50.0 })
            .collect();
        let series = [PlotSeries {
            times_ms: &times,
            values: &values,
            color: series_color(1),
            line_width: 1.0,
            fill_opacity: 0.2,
            style: DrawStyle::Lines,
        }];
        let mut opts = options(TimeRange::new(0, 99_000));
        opts.fixed_min = Some(0.0);
        opts.fixed_max = Some(100.0);
        let l = layout(&series, &opts, 600, 200);
        let segments = decimate(&times, &values, &l.projection, None);
        for seg in segments.iter().flat_map(|s| clip_polyline(s, &l.plot)) {
            for (x, y) in seg {
                assert!(l.plot.contains(x, y), "({x},{y}) outside {:?}", l.plot);
            }
        }
        let (svg, _) = render_svg(&series, &opts, 600, 200);
        assert!(
            svg.contains("<polygon") || svg.contains("<path"),
            "area fill missing"
        );
    }

    #[test]
    fn an_empty_chart_still_draws_axes() {
        let (svg, stats) = render_svg(&[], &options(TimeRange::new(0, 3_600_000)), 400, 200);
        assert_eq!(stats.points, 0);
        assert!(svg.contains("<text"));
    }

    #[test]
    fn layout_leaves_room_for_the_widest_label() {
        let times = [0, 1000];
        let values = [0.0, 123_456_789.0];
        let series = [PlotSeries {
            times_ms: &times,
            values: &values,
            color: series_color(0),
            line_width: 1.0,
            fill_opacity: 0.0,
            style: DrawStyle::Lines,
        }];
        let mut opts = options(TimeRange::new(0, 1000));
        opts.unit = Unit::BytesIec { base: 1.0 };
        let l = layout(&series, &opts, 800, 300);
        let widest = l
            .y_axis
            .ticks
            .iter()
            .map(|t| t.label.len())
            .max()
            .unwrap_or(0);
        #[allow(clippy::cast_precision_loss)]
        let needed = widest as f64 * l.font_px * 0.6;
        assert!(l.plot.left >= needed, "{} < {needed}", l.plot.left);
    }

    #[test]
    fn clip_segment_cuts_at_the_edges() {
        let r = Rect {
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 10.0,
        };
        assert_eq!(
            clip_segment((-5.0, 5.0), (5.0, 5.0), &r),
            Some(((0.0, 5.0), (5.0, 5.0)))
        );
        assert_eq!(clip_segment((-5.0, -5.0), (-1.0, -1.0), &r), None);
        let pieces = clip_polyline(&[(1.0, 1.0), (5.0, -10.0), (9.0, 1.0)], &r);
        assert_eq!(pieces.len(), 2);
    }
}
