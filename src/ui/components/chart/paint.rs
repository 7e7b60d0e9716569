//! Painting a chart on a canvas: size it for the device pixel ratio, then hand plotters' canvas
//! backend to the pure chart code in `sightline-core`.

use std::collections::BTreeSet;

use plotters_canvas::CanvasBackend;
use sightline_core::render::palette::{series_color, DARK};
use sightline_core::render::timeseries::{draw, layout, ChartLayout, ChartOptions, PlotSeries};

use super::ChartInput;
use crate::browser::{device_pixel_ratio, local_offset_minutes};

/// The colour of series `index` of `input` (its override, else the palette).
#[must_use]
pub fn color_of(input: &ChartInput, index: usize) -> sightline_core::render::palette::Rgb {
    input
        .colors
        .get(index)
        .copied()
        .flatten()
        .unwrap_or_else(|| series_color(index))
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
            line_width: input.line_width,
            fill_opacity: input.fill_opacity,
            style: input.style,
        })
        .collect();
    if input.stacked {
        // Cumulative layers: the tallest first, so each lower layer is drawn over it.
        plot_series.reverse();
    }
    let options = ChartOptions {
        range: input.range,
        unit: input.unit.clone(),
        fixed_min: input.fixed_min,
        fixed_max: input.fixed_max,
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
    draw(&mut backend, &plot_series, &options, &chart_layout).ok()?;
    Some(chart_layout)
}
