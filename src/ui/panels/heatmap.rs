//! The heatmap panel: counts over time and value buckets (Prometheus histogram buckets, or the
//! panel's series counted into buckets), drawn on a canvas by `sightline_core::render::heatmap`,
//! with the cell under the pointer in a tooltip and the colour scale beside it.

use std::sync::Arc;

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use sightline_core::model::heatmap::HeatmapGrid;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::units::{format_value, Unit};
use sightline_core::render::heatmap::{cell_at, draw, layout, HeatmapLayout, HeatmapOptions, RAMP};
use sightline_core::render::palette::DARK;

use crate::browser::device_pixel_ratio;
use crate::ui::components::chart::tooltip_time;
use crate::ui::components::resize::use_element_width_now;

/// Height of the colour scale under the plot, in CSS pixels.
const SCALE_PX: f64 = 22.0;

/// A heatmap panel body.
#[component]
pub fn HeatmapPanel(
    /// The counts (`sightline_core::model::heatmap::heatmap` of the panel's series).
    grid: Option<HeatmapGrid>,
    range: TimeRange,
    /// Unit of the values bucketed (calculated buckets).
    unit: Unit,
    height: f64,
    utc_offset_minutes: i32,
) -> impl IntoView {
    let Some(grid) = grid.map(Arc::new) else {
        return view! { <div class="no-data">"No data"</div> }.into_any();
    };
    let container = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = use_element_width_now(container);
    let placed = StoredValue::new(None::<(HeatmapLayout, f64)>);
    let hover = RwSignal::new(None::<(usize, usize, f64, f64)>);
    let options = HeatmapOptions {
        range,
        unit: unit.clone(),
        utc_offset_minutes,
        pixel_ratio: 1.0,
        theme: DARK,
    };
    let plot_height = (height - SCALE_PX).max(40.0);
    {
        let grid = grid.clone();
        Effect::new(move |_| {
            let (css_width, Some(canvas)) = (width.get(), canvas.get()) else {
                return;
            };
            if css_width <= 0.0 {
                return;
            }
            let dpr = device_pixel_ratio();
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let (w, h) = (
                (css_width * dpr).round().max(1.0) as u32,
                (plot_height * dpr).round().max(1.0) as u32,
            );
            canvas.set_width(w);
            canvas.set_height(h);
            let options = HeatmapOptions {
                pixel_ratio: dpr,
                ..options.clone()
            };
            let laid_out = layout(&grid, &options, w, h);
            if let Some(mut backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
                let _ = draw(&mut backend, &grid, &options, &laid_out);
            }
            placed.set_value(Some((laid_out, dpr)));
        });
    }
    let on_move = {
        let grid = grid.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(element) = canvas.get_untracked() else {
                return;
            };
            let rect = element.get_bounding_client_rect();
            let x = f64::from(ev.client_x()) - rect.left();
            let y = f64::from(ev.client_y()) - rect.top();
            let cell = placed.with_value(|p| {
                p.as_ref()
                    .and_then(|(l, dpr)| cell_at(&grid, l, x * dpr, y * dpr))
            });
            hover.set(cell.map(|(column, row)| (column, row, x, y)));
        }
    };
    let tooltip = {
        let grid = grid.clone();
        move || {
            let (column, row, x, y) = hover.get()?;
            let bucket = bucket_text(&grid, row, &unit);
            let count = grid.count(column, row);
            let time = grid
                .times_ms
                .get(column)
                .map(|t| tooltip_time(*t, utc_offset_minutes))
                .unwrap_or_default();
            Some(view! {
                <div class="chart-tooltip heatmap-tooltip" style:left=format!("{:.0}px", x + 12.0) style:top=format!("{:.0}px", y + 12.0)>
                    <div class="tooltip-time">{time}</div>
                    <div class="tooltip-row"><span class="tooltip-name">{bucket}</span><span class="tooltip-value">{format_value(count, &Unit::Short, None)}</span></div>
                </div>
            })
        }
    };
    let gradient = format!(
        "linear-gradient(to right, {}, {}, {})",
        RAMP[0].hex(),
        RAMP[1].hex(),
        RAMP[2].hex()
    );
    let max = format_value(grid.max, &Unit::Short, None);
    view! {
        <div class="heatmap" node_ref=container>
            <div class="heatmap-plot">
                <canvas class="chart-canvas heatmap-canvas" node_ref=canvas style:height=format!("{plot_height}px")
                    on:mousemove=on_move on:mouseleave=move |_| hover.set(None)></canvas>
                {tooltip}
            </div>
            <div class="heatmap-scale muted small">
                <span>"0"</span>
                <span class="heatmap-gradient" style:background=gradient></span>
                <span class="heatmap-max">{max}</span>
            </div>
        </div>
    }
    .into_any()
}

/// "0.5 – 1" for a histogram bucket, "40% – 50%" for a calculated one.
fn bucket_text(grid: &HeatmapGrid, row: usize, unit: &Unit) -> String {
    let Some(r) = grid.rows.get(row) else {
        return String::new();
    };
    if grid.from_buckets {
        let lower = row
            .checked_sub(1)
            .and_then(|i| grid.rows.get(i))
            .map_or_else(|| "0".to_owned(), |p| p.label.clone());
        return format!("{lower} – {}", r.label);
    }
    format!(
        "{} – {}",
        format_value(r.lower, unit, None),
        format_value(r.upper, unit, None)
    )
}
