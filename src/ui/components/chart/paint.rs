//! Painting a chart on a canvas: size it for the device pixel ratio, then draw with the pure
//! chart code in `sightline-core`: the frame (grid, labels, axis, thresholds) and non-line
//! series through plotters' canvas backend, and each line series as one `Path2D` (its stroke
//! and its area fill) built from the same decimated, clipped polylines the SVG tests draw.
//!
//! The fast path exists because plotters' canvas backend makes one JS call per point; a `Path2D`
//! from path data is one call per series. The benchmark (`cargo xtask bench`) times both.

use std::collections::BTreeSet;

use plotters_backend::{BackendColor, BackendCoord, DrawingBackend};
use plotters_canvas::CanvasBackend;
use sightline_core::render::palette::{series_color, Rgb, DARK};
use sightline_core::render::timeseries::{
    area_polygon, dash_polyline, dot_radius, draw, draw_frame, draw_series, fill_base, layout,
    line_segments, sample_dots, svg_path, ChartLayout, ChartOptions, DrawStats, DrawStyle,
    PlotSeries,
};
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Path2d};

use super::path::path_of;
use super::ChartInput;
use crate::browser::{device_pixel_ratio, local_offset_minutes};

/// The colour of series `index` of `input` (its override, else the palette).
#[must_use]
pub fn color_of(input: &ChartInput, index: usize) -> sightline_core::render::palette::Rgb {
    input
        .looks
        .get(index)
        .and_then(|l| l.color)
        .unwrap_or_else(|| series_color(index))
}

/// How line series reach the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinePath {
    /// One `Path2D` per series built by a JS loop from the points in wasm memory (the app's).
    Path2d,
    /// One `Path2D` per series from SVG path data (`new Path2D("M…L…")`).
    Path2dSvg,
    /// Everything through plotters' canvas backend (one call per point).
    Plotters,
}

/// Draws `input` on `canvas` at `css_width × css_height`, skipping `hidden` series; returns the
/// layout used (in device pixels), for the crosshair and zoom.
pub fn paint(
    canvas: &web_sys::HtmlCanvasElement,
    input: &ChartInput,
    hidden: &BTreeSet<usize>,
    css_width: f64,
    css_height: f64,
) -> Option<ChartLayout> {
    paint_with(
        canvas,
        input,
        hidden,
        css_width,
        css_height,
        LinePath::Path2d,
    )
}

/// [`paint`], choosing how line series are drawn.
pub fn paint_with(
    canvas: &web_sys::HtmlCanvasElement,
    input: &ChartInput,
    hidden: &BTreeSet<usize>,
    css_width: f64,
    css_height: f64,
    lines: LinePath,
) -> Option<ChartLayout> {
    let dpr = device_pixel_ratio();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let (width, height) = (
        (css_width * dpr).round() as u32,
        (css_height * dpr).round() as u32,
    );
    if width == 0 || height == 0 {
        return None;
    }
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let mut plot_series: Vec<PlotSeries<'_>> = input
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.contains(i))
        .map(|(i, s)| PlotSeries {
            times_ms: &s.times_ms,
            values: &s.values,
            color: color_of(input, i),
            line_width: input.line_width_of(i),
            fill_opacity: input.fill_opacity_of(i),
            style: input.style_of(i),
            interpolation: input.interpolation_of(i),
            axis: input.axis_of(i),
            dash: input.dash_of(i),
            show_points: input.show_points_of(i),
            point_size: input.point_size_of(i),
        })
        .collect();
    if input.stacked {
        // Cumulative layers: the tallest first, so each lower layer is drawn over it.
        plot_series.reverse();
    }
    let options = ChartOptions {
        range: input.range,
        unit: input.unit.clone(),
        right_unit: input.right_unit.clone(),
        fixed_min: input.fixed_min,
        fixed_max: input.fixed_max,
        soft_min: input.soft_min,
        soft_max: input.soft_max,
        scale: input.scale,
        hide_left_labels: input.hide_left_labels,
        thresholds: input.thresholds.clone(),
        threshold_areas: input.threshold_areas,
        utc_offset_minutes: input
            .utc_offset_minutes
            .unwrap_or_else(|| local_offset_minutes(input.range.to_ms)),
        pixel_ratio: dpr,
        gap_ms: input.gap_ms,
        theme: DARK,
    };
    let chart_layout = layout(&plot_series, &options, width, height);
    let mut backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    match lines {
        LinePath::Plotters => {
            draw(&mut backend, &plot_series, &options, &chart_layout).ok()?;
        }
        LinePath::Path2d | LinePath::Path2dSvg => {
            let context = canvas
                .get_context("2d")
                .ok()??
                .dyn_into::<CanvasRenderingContext2d>()
                .ok()?;
            draw_frame(&mut backend, &options, &chart_layout).ok()?;
            let mut stats = DrawStats::default();
            for s in &plot_series {
                if s.style == DrawStyle::Lines {
                    stroke_line_series(&context, &mut backend, s, &options, &chart_layout, lines)
                        .ok()?;
                } else {
                    draw_series(&mut backend, s, &options, &chart_layout, &mut stats).ok()?;
                }
            }
        }
    }
    mark_first_paint(canvas);
    Some(chart_layout)
}

/// `rgba(r,g,b,a)`, the colour form plotters' canvas backend writes too.
fn css_color(rgb: Rgb, alpha: f64) -> String {
    format!("rgba({},{},{},{alpha})", rgb.0, rgb.1, rgb.2)
}

/// One line series: its area (one fill of one `Path2D`), its line (one stroke of one
/// `Path2D`) and a dot for each lone sample between gaps (neither when its width is 0), then
/// its sample dots, in the order [`draw_series`] draws them.
fn stroke_line_series(
    context: &CanvasRenderingContext2d,
    backend: &mut CanvasBackend,
    s: &PlotSeries<'_>,
    options: &ChartOptions,
    layout: &ChartLayout,
    how: LinePath,
) -> Result<(), wasm_bindgen::JsValue> {
    let build = |lines: &[Vec<plotters_backend::BackendCoord>], close: bool| {
        if how == LinePath::Path2dSvg {
            Path2d::new_with_path_string(&svg_path(lines.iter().map(Vec::as_slice), close))
        } else {
            Ok(path_of(lines.iter().map(Vec::as_slice), close))
        }
    };
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    let segments = line_segments(s, options, layout);
    if s.fill_opacity > 0.0 {
        let base = fill_base(layout, s.axis);
        let areas: Vec<_> = segments
            .iter()
            .filter(|points| points.len() > 1)
            .map(|points| area_polygon(points, base))
            .collect();
        let area = build(&areas, true)?;
        context.set_fill_style_str(&css_color(s.color, s.fill_opacity.clamp(0.0, 1.0)));
        context.fill_with_path_2d(&area);
    }
    let dot = BackendColor {
        alpha: 1.0,
        rgb: (s.color.0, s.color.1, s.color.2),
    };
    // `lineWidth: 0`: the area (and any sample dots) alone.
    if s.line_width > 0.0 {
        stroke_line(context, backend, s, &segments, dot, dpr, build)?;
    }
    let sample_radius = dot_radius(s, options);
    for centre in sample_dots(s, options, layout) {
        backend
            .draw_circle(centre, sample_radius, &dot, true)
            .map_err(|e| wasm_bindgen::JsValue::from_str(&e.to_string()))?;
    }
    Ok(())
}

/// The line of one series, dashed when it says so, and a `dot` for each lone sample; `build`
/// makes the `Path2D`.
fn stroke_line(
    context: &CanvasRenderingContext2d,
    backend: &mut CanvasBackend,
    s: &PlotSeries<'_>,
    segments: &[Vec<BackendCoord>],
    dot: BackendColor,
    dpr: f64,
    build: impl Fn(&[Vec<BackendCoord>], bool) -> Result<Path2d, wasm_bindgen::JsValue>,
) -> Result<(), wasm_bindgen::JsValue> {
    let line = match s.dash {
        Some(dash) => {
            let pieces: Vec<_> = segments
                .iter()
                .flat_map(|points| dash_polyline(points, dash, dpr))
                .collect();
            build(&pieces, false)?
        }
        None => build(segments, false)?,
    };
    context.set_stroke_style_str(&css_color(s.color, 1.0));
    #[allow(clippy::cast_possible_truncation)]
    let width = (s.line_width * dpr).round().max(1.0);
    context.set_line_width(width);
    context.stroke_with_path(&line);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let radius = (2.0 * dpr).round().max(1.0) as u32;
    for lone in segments.iter().filter(|points| points.len() == 1) {
        backend
            .draw_circle(lone[0], radius, &dot, true)
            .map_err(|e| wasm_bindgen::JsValue::from_str(&e.to_string()))?;
    }
    Ok(())
}

/// Marks the first paint of each canvas on the performance timeline
/// (`sightline:chart-painted:<n>`), for the benchmark's "first panel painted" and "all
/// painted"; at most [`MAX_PAINT_MARKS`] per page so the timeline stays small.
fn mark_first_paint(canvas: &web_sys::HtmlCanvasElement) {
    const ID: &str = "data-paint-id";
    if canvas.has_attribute(ID) {
        return;
    }
    let n = PAINT_MARKS.with(|count| {
        let n = count.get();
        count.set(n.saturating_add(1));
        n
    });
    let _ = canvas.set_attribute(ID, &n.to_string());
    if n < MAX_PAINT_MARKS {
        if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
            let _ = performance.mark(&format!("sightline:chart-painted:{n}"));
        }
    }
}

/// Paint marks left on one page's timeline at most.
const MAX_PAINT_MARKS: u32 = 256;

thread_local! {
    static PAINT_MARKS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}
