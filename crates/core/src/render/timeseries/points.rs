//! Dots at a line's samples (Grafana's `custom.showPoints` and `pointSize`): always, never, or
//! automatically, only when the samples in view are far enough apart to tell apart.

use plotters_backend::BackendCoord;

use super::lines::line_segments;
use super::{ChartLayout, ChartOptions, DrawStyle, PlotSeries};
use crate::render::decimate::visible_range;

/// Samples in view closer than this (CSS px on average) get no dots in `auto` mode.
pub const AUTO_SPACING_PX: f64 = 30.0;

/// When a line series shows a dot at each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ShowPoints {
    /// When the samples in view are at least [`AUTO_SPACING_PX`] apart on average (Grafana's
    /// default).
    #[default]
    Auto,
    Always,
    Never,
}

impl ShowPoints {
    /// Grafana's `custom.showPoints`: `always`, `never`, else `auto`.
    #[must_use]
    pub fn parse(text: &str) -> ShowPoints {
        match text {
            "always" => ShowPoints::Always,
            "never" => ShowPoints::Never,
            _ => ShowPoints::Auto,
        }
    }
}

/// The centres of the dots line series `s` shows (device pixels), none when it shows none.
#[must_use]
pub fn sample_dots(
    s: &PlotSeries<'_>,
    options: &ChartOptions,
    layout: &ChartLayout,
) -> Vec<BackendCoord> {
    if s.style != DrawStyle::Lines || !shows_points(s, options, layout) {
        return Vec::new();
    }
    let at_samples = PlotSeries {
        style: DrawStyle::Points,
        ..*s
    };
    line_segments(&at_samples, options, layout)
        .into_iter()
        .flatten()
        .collect()
}

/// The dots' radius in device pixels (`pointSize` is their diameter in CSS pixels).
#[must_use]
pub fn dot_radius(s: &PlotSeries<'_>, options: &ChartOptions) -> u32 {
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let radius = (s.point_size.clamp(1.0, 40.0) * dpr / 2.0).round().max(1.0) as u32;
    radius
}

fn shows_points(s: &PlotSeries<'_>, options: &ChartOptions, layout: &ChartLayout) -> bool {
    match s.show_points {
        ShowPoints::Always => true,
        ShowPoints::Never => false,
        ShowPoints::Auto => {
            let p = layout.projection_for(s.axis);
            let in_view = visible_range(s.times_ms, p.from_ms, p.to_ms).len();
            let dpr = options.pixel_ratio.clamp(0.5, 8.0);
            #[allow(clippy::cast_precision_loss)]
            let spread = in_view as f64 * AUTO_SPACING_PX * dpr;
            in_view > 0 && spread <= layout.plot.width
        }
    }
}
