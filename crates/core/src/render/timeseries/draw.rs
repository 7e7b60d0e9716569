//! Drawing the chart through any plotters [`DrawingBackend`]: the frame (background, grid,
//! labels, axis, thresholds), then each series. The browser may draw the frame here and stroke
//! line series itself from [`super::lines`] (the same polylines), so both stay identical.

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{DrawingBackend, DrawingErrorKind};

use super::dash::dash_polyline;
use super::lines::{area_polygon, fill_base, line_segments};
use super::points::{dot_radius, sample_dots};
use super::style::{color, px, Label, Stroke};
use super::{ChartLayout, ChartOptions, DrawStyle, PlotSeries, ThresholdLine};

/// What a draw call did, for tests and the benchmark.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrawStats {
    /// Points handed to the backend for series lines after decimation.
    pub points: usize,
    /// Polyline segments drawn.
    pub segments: usize,
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
    draw_frame(backend, options, layout)?;
    let mut stats = DrawStats::default();
    for s in series {
        draw_series(backend, s, options, layout, &mut stats)?;
    }
    backend.present()?;
    Ok(stats)
}

/// Draws everything but the series: background, grid, tick labels, the x axis and thresholds.
///
/// # Errors
/// Whatever the backend reports.
pub fn draw_frame<DB: DrawingBackend>(
    backend: &mut DB,
    options: &ChartOptions,
    layout: &ChartLayout,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
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
    let right_label = Label {
        anchor: Pos::new(HPos::Left, VPos::Center),
        ..y_label
    };
    let (first_label, first_x) = if layout.labels_right {
        (&right_label, plot.right() + layout.font_px * 0.5)
    } else {
        (&y_label, plot.left - layout.font_px * 0.5)
    };
    for tick in &layout.y_axis.ticks {
        let y = px(p.y(tick.value));
        backend.draw_line((px(plot.left), y), (px(plot.right()), y), &grid)?;
        if layout.first_labels {
            backend.draw_text(&tick.label, first_label, (px(first_x), y))?;
        }
    }
    // The second axis: labels only (the grid follows the first axis, as Grafana's does).
    if let Some(right) = &layout.right {
        for tick in &right.y_axis.ticks {
            let y = px(right.projection.y(tick.value));
            backend.draw_text(
                &tick.label,
                &right_label,
                (px(plot.right() + layout.font_px * 0.5), y),
            )?;
        }
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
    draw_thresholds(backend, options, layout, dpr)
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
    crate::sort::sort_by(&mut sorted, |a, b| a.value.total_cmp(&b.value));
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

/// Draws one series (bars, points, or lines with their area fill), counting into `stats`.
///
/// # Errors
/// Whatever the backend reports.
pub fn draw_series<DB: DrawingBackend>(
    backend: &mut DB,
    s: &PlotSeries<'_>,
    options: &ChartOptions,
    layout: &ChartLayout,
    stats: &mut DrawStats,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    let plot = layout.plot;
    let p = layout.projection_for(s.axis);
    let width = px(s.line_width * dpr).max(1).unsigned_abs();
    let stroke = Stroke {
        color: color(s.color, 1.0),
        width,
    };
    match s.style {
        DrawStyle::Bars => {
            let range = crate::render::decimate::visible_range(s.times_ms, p.from_ms, p.to_ms);
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
            let base = fill_base(layout, s.axis);
            for points in line_segments(s, options, layout) {
                stats.segments += 1;
                stats.points += points.len();
                if s.fill_opacity > 0.0 && points.len() > 1 {
                    backend.fill_polygon(
                        area_polygon(&points, base),
                        &color(s.color, s.fill_opacity.clamp(0.0, 1.0)),
                    )?;
                }
                if s.style == DrawStyle::Lines && s.line_width <= 0.0 {
                    // `lineWidth: 0`: the area alone.
                    continue;
                }
                if s.style == DrawStyle::Points || points.len() == 1 {
                    let radius = px(2.0 * dpr).max(1).unsigned_abs();
                    for point in &points {
                        backend.draw_circle(*point, radius, &color(s.color, 1.0), true)?;
                    }
                } else if let Some(dash) = s.dash {
                    for piece in dash_polyline(&points, dash, dpr) {
                        backend.draw_path(piece, &stroke)?;
                    }
                } else {
                    backend.draw_path(points, &stroke)?;
                }
            }
            let radius = dot_radius(s, options);
            for dot in sample_dots(s, options, layout) {
                backend.draw_circle(dot, radius, &color(s.color, 1.0), true)?;
            }
        }
    }
    Ok(())
}
