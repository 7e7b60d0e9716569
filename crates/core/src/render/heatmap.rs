//! The heatmap chart: time across, buckets up, each cell's colour its count on an orange ramp
//! (Grafana's default "Oranges" scheme, square-root scaled so small counts still show). Drawn
//! through any plotters backend like the time-series chart; [`cell_at`] maps a pointer position
//! back to the cell for the tooltip.

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{DrawingBackend, DrawingErrorKind};

use super::decimate::{Projection, Scale};
use super::palette::{Rgb, Theme};
use super::ticks::{time_ticks, Tick};
use super::timeseries::{color as rgba, px, Label, Rect, Stroke, AXIS_FONT_CSS_PX};
use crate::model::heatmap::HeatmapGrid;
use crate::model::time_range::TimeRange;
use crate::model::units::{format_value, Unit};

/// The colour ramp, low to high.
pub const RAMP: [Rgb; 3] = [
    Rgb(0x5c, 0x1a, 0x0b),
    Rgb(0xff, 0x98, 0x30),
    Rgb(0xff, 0xf0, 0xb3),
];

/// What the heatmap needs besides the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapOptions {
    pub range: TimeRange,
    /// Unit of the bucket bounds (calculated buckets).
    pub unit: Unit,
    pub utc_offset_minutes: i32,
    pub pixel_ratio: f64,
    pub theme: Theme,
}

/// Where everything goes, in device pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatmapLayout {
    pub width: u32,
    pub height: u32,
    pub plot: Rect,
    pub projection: Projection,
    pub x_ticks: Vec<Tick>,
    /// Row-boundary labels: (y, text).
    pub y_labels: Vec<(f64, String)>,
    pub font_px: f64,
}

/// The colour of a count: transparent for none, else along [`RAMP`] by `sqrt(count / max)`.
#[must_use]
pub fn cell_color(count: f64, max: f64) -> Option<Rgb> {
    let positive = |v: f64| v.is_finite() && v > 0.0;
    if !positive(count) || !positive(max) {
        return None;
    }
    let t = (count / max).clamp(0.0, 1.0).sqrt();
    let (a, b, f) = if t < 0.5 {
        (RAMP[0], RAMP[1], t * 2.0)
    } else {
        (RAMP[1], RAMP[2], (t - 0.5) * 2.0)
    };
    let mix = |x: u8, y: u8| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let v = (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
        v
    };
    Some(Rgb(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)))
}

/// The label of the boundary below row `row` (and above the last for `row == rows.len()`).
fn boundary_label(grid: &HeatmapGrid, row: usize, unit: &Unit) -> String {
    if grid.from_buckets {
        return grid
            .rows
            .get(row)
            .map(|r| r.label.clone())
            .unwrap_or_default();
    }
    let value = match grid.rows.get(row) {
        Some(r) => r.lower,
        None => grid.rows.last().map_or(0.0, |r| r.upper),
    };
    format_value(value, unit, None)
}

/// Lays the heatmap out on a `width × height` device-pixel surface.
#[must_use]
pub fn layout(
    grid: &HeatmapGrid,
    options: &HeatmapOptions,
    width: u32,
    height: u32,
) -> HeatmapLayout {
    let dpr = options.pixel_ratio.clamp(0.5, 8.0);
    let font_px = AXIS_FONT_CSS_PX * dpr;
    let rows = grid.rows.len().max(1);
    // Histogram rows are labelled with their upper bound; calculated ones at each boundary.
    let labels: Vec<String> = if grid.from_buckets {
        (0..rows)
            .map(|r| boundary_label(grid, r, &options.unit))
            .collect()
    } else {
        (0..=rows)
            .map(|r| boundary_label(grid, r, &options.unit))
            .collect()
    };
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    let plot = Rect::plot_area(width, height, font_px, widest, 0);
    #[allow(clippy::cast_precision_loss)]
    let row_px = plot.height / rows as f64;
    // As many labels as fit, one per `font_px * 1.6`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let every = ((font_px * 1.6 / row_px).ceil() as usize).max(1);
    let y_labels = labels
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, text)| {
            #[allow(clippy::cast_precision_loss)]
            let y = if grid.from_buckets {
                plot.bottom() - (i as f64 + 0.5) * row_px
            } else {
                plot.bottom() - i as f64 * row_px
            };
            (y, text)
        })
        .collect();
    let x_ticks = time_ticks(
        options.range.from_ms,
        options.range.to_ms,
        plot.width,
        font_px * 9.0,
        options.utc_offset_minutes,
    );
    #[allow(clippy::cast_precision_loss)]
    let projection = Projection {
        from_ms: options.range.from_ms,
        to_ms: options.range.to_ms,
        left: plot.left,
        width: plot.width,
        y_min: 0.0,
        y_max: rows as f64,
        top: plot.top,
        height: plot.height,
        scale: Scale::Linear,
    };
    HeatmapLayout {
        width,
        height,
        plot,
        projection,
        x_ticks,
        y_labels,
        font_px,
    }
}

/// The cell under `(x, y)` (device pixels): `(column, row)`.
#[must_use]
pub fn cell_at(
    grid: &HeatmapGrid,
    layout: &HeatmapLayout,
    x: f64,
    y: f64,
) -> Option<(usize, usize)> {
    if !layout.plot.contains(x, y) || grid.rows.is_empty() {
        return None;
    }
    let t = layout.projection.time_at(x);
    let column = grid.times_ms.partition_point(|&c| c <= t).checked_sub(1)?;
    if t >= grid.times_ms[column] + grid.step_ms {
        return None;
    }
    #[allow(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss
    )]
    let row =
        ((layout.plot.bottom() - y) / layout.plot.height * grid.rows.len() as f64).floor() as usize;
    Some((column, row.min(grid.rows.len() - 1)))
}

/// Draws the heatmap; returns how many cells were filled.
///
/// # Errors
/// Whatever the backend reports.
pub fn draw<DB: DrawingBackend>(
    backend: &mut DB,
    grid: &HeatmapGrid,
    options: &HeatmapOptions,
    layout: &HeatmapLayout,
) -> Result<usize, DrawingErrorKind<DB::ErrorType>> {
    let theme = options.theme;
    let plot = layout.plot;
    let p = &layout.projection;
    backend.draw_rect(
        (0, 0),
        (px(f64::from(layout.width)), px(f64::from(layout.height))),
        &rgba(theme.background, 1.0),
        true,
    )?;
    let rows = grid.rows.len();
    let mut cells = 0;
    if rows > 0 {
        #[allow(clippy::cast_precision_loss)]
        let row_px = plot.height / rows as f64;
        for (column, &t) in grid.times_ms.iter().enumerate() {
            let x0 = p.x(t).max(plot.left);
            let x1 = p.x(t.saturating_add(grid.step_ms)).min(plot.right());
            if x1 <= x0 {
                continue;
            }
            for row in 0..rows {
                let Some(color) = cell_color(grid.count(column, row), grid.max) else {
                    continue;
                };
                #[allow(clippy::cast_precision_loss)]
                let y1 = plot.bottom() - row as f64 * row_px;
                let y0 = y1 - row_px;
                // One device pixel of the background between rows, and between columns wide
                // enough to spare it (narrow ones would turn into stripes).
                let column_gap = i32::from(x1 - x0 >= 6.0);
                backend.draw_rect(
                    (px(x0), px(y0)),
                    (
                        px(x1).max(px(x0) + 1) - column_gap,
                        px(y1).max(px(y0) + 1) - 1,
                    ),
                    &rgba(color, 1.0),
                    true,
                )?;
                cells += 1;
            }
        }
    }
    let text = |anchor| Label {
        color: rgba(theme.text, 1.0),
        size: layout.font_px,
        anchor,
    };
    let y_text = text(Pos::new(HPos::Right, VPos::Center));
    for (y, label) in &layout.y_labels {
        backend.draw_text(
            label,
            &y_text,
            (px(plot.left - layout.font_px * 0.5), px(*y)),
        )?;
    }
    let x_text = text(Pos::new(HPos::Center, VPos::Top));
    for tick in &layout.x_ticks {
        #[allow(clippy::cast_possible_truncation)]
        let x = px(p.x(tick.value as i64));
        backend.draw_text(
            &tick.label,
            &x_text,
            (x, px(plot.bottom() + layout.font_px * 0.5)),
        )?;
    }
    backend.draw_line(
        (px(plot.left), px(plot.bottom())),
        (px(plot.right()), px(plot.bottom())),
        &Stroke {
            color: rgba(theme.axis, 1.0),
            width: 1,
        },
    )?;
    backend.present()?;
    Ok(cells)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::frame::{Labels, Series};
    use crate::model::heatmap::heatmap;
    use crate::render::palette::DARK;

    fn grid() -> HeatmapGrid {
        let gpus: Vec<Series> = [[0.0, 100.0], [10.0, 95.0], [55.0, 90.0], [100.0, 5.0]]
            .iter()
            .map(|v| Series {
                labels: Labels::new(Vec::new()),
                times_ms: vec![0, 60_000],
                values: v.to_vec(),
            })
            .collect();
        heatmap(&gpus, 4).unwrap()
    }

    fn options() -> HeatmapOptions {
        HeatmapOptions {
            range: TimeRange::new(0, 120_000),
            unit: Unit::parse("percent"),
            utc_offset_minutes: 0,
            pixel_ratio: 1.0,
            theme: DARK,
        }
    }

    #[test]
    fn the_ramp_runs_from_dark_to_light_and_empty_cells_stay_clear() {
        assert_eq!(cell_color(0.0, 4.0), None);
        assert_eq!(cell_color(1.0, 0.0), None);
        assert_eq!(cell_color(4.0, 4.0), Some(RAMP[2]));
        assert_eq!(
            cell_color(1.0, 4.0),
            Some(RAMP[1]),
            "sqrt(1/4) is the middle"
        );
        assert_eq!(cell_color(f64::NAN, 4.0), None);
    }

    #[test]
    fn cells_fill_their_column_and_row_and_the_pointer_finds_them() {
        let grid = grid();
        let options = options();
        let layout = layout(&grid, &options, 400, 200);
        let mut svg = String::new();
        let drawn = {
            let mut backend = plotters_svg::SVGBackend::with_string(&mut svg, (400, 200));
            draw(&mut backend, &grid, &options, &layout).unwrap()
        };
        // Column 0: rows 0, 2, 3; column 1: rows 0 and 3.
        assert_eq!(drawn, 5);
        assert!(
            svg.contains("100%") && svg.contains("0%"),
            "boundary labels: {svg}"
        );
        let plot = layout.plot;
        let x = plot.left + plot.width * 0.25;
        let y = plot.bottom() - plot.height * 0.9;
        assert_eq!(cell_at(&grid, &layout, x, y), Some((0, 3)));
        assert_eq!(cell_at(&grid, &layout, plot.left - 5.0, y), None);
        let late = plot.left + plot.width * 0.75;
        assert_eq!(
            cell_at(&grid, &layout, late, plot.bottom() - 1.0),
            Some((1, 0))
        );
    }
}
