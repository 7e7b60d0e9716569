//! The time-series chart component: a canvas drawn by `sightline-core`'s chart code through
//! plotters' canvas backend, sized for the device pixel ratio, redrawn on resize, with a legend
//! whose entries isolate (click) or toggle (Ctrl/Cmd-click) series.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use sightline_core::model::frame::Series;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::units::Unit;
use sightline_core::render::palette::{series_color, DARK};
use sightline_core::render::timeseries::{
    draw, layout, ChartLayout, ChartOptions, DrawStyle, PlotSeries, ThresholdLine,
};

use super::resize::use_element_width;
use crate::browser::{device_pixel_ratio, local_offset_minutes};

/// What a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartInput {
    pub series: Arc<Vec<Series>>,
    /// One legend name per series.
    pub names: Vec<String>,
    pub range: TimeRange,
    pub unit: Unit,
    pub fixed_min: Option<f64>,
    pub fixed_max: Option<f64>,
    pub thresholds: Vec<ThresholdLine>,
    pub style: DrawStyle,
    pub fill_opacity: f64,
    /// Samples further apart than this are drawn with a gap between them.
    pub gap_ms: Option<i64>,
}

impl ChartInput {
    /// A chart of `series` over `range` with default styling and Prometheus-style names.
    #[must_use]
    pub fn simple(
        series: Vec<Series>,
        names: Vec<String>,
        range: TimeRange,
        gap_ms: Option<i64>,
    ) -> Self {
        ChartInput {
            series: Arc::new(series),
            names,
            range,
            unit: Unit::Short,
            fixed_min: None,
            fixed_max: None,
            thresholds: Vec::new(),
            style: DrawStyle::Lines,
            fill_opacity: 0.0,
            gap_ms,
        }
    }
}

/// Draws `input` on `canvas` at `css_width × css_height`, skipping `hidden` series.
fn paint(
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
    canvas.set_width(width);
    canvas.set_height(height);
    let plot_series: Vec<PlotSeries<'_>> = input
        .series
        .iter()
        .enumerate()
        .filter(|(i, _)| !hidden.contains(i))
        .map(|(i, s)| PlotSeries {
            times_ms: &s.times_ms,
            values: &s.values,
            color: series_color(i),
            line_width: 1.0,
            fill_opacity: input.fill_opacity,
            style: input.style,
        })
        .collect();
    let options = ChartOptions {
        range: input.range,
        unit: input.unit.clone(),
        fixed_min: input.fixed_min,
        fixed_max: input.fixed_max,
        thresholds: input.thresholds.clone(),
        threshold_areas: false,
        utc_offset_minutes: local_offset_minutes(input.range.to_ms),
        pixel_ratio: dpr,
        gap_ms: input.gap_ms,
        theme: DARK,
    };
    let chart_layout = layout(&plot_series, &options, width, height);
    let mut backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    draw(&mut backend, &plot_series, &options, &chart_layout).ok()?;
    Some(chart_layout)
}

/// A time-series chart with its legend.
#[component]
pub fn TimeSeriesChart(
    /// The data; `None` draws nothing.
    #[prop(into)]
    input: Signal<Option<ChartInput>>,
    /// Height of the plot in CSS pixels.
    #[prop(default = 320.0)]
    height: f64,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = use_element_width(container);
    let hidden = RwSignal::new(BTreeSet::<usize>::new());
    // A new result shows every series again.
    Effect::new(move |_| {
        input.track();
        hidden.set(BTreeSet::new());
    });
    Effect::new(move |_| {
        let css_width = width.get();
        let hidden = hidden.get();
        input.with(|input| {
            if let (Some(input), Some(canvas)) = (input, canvas.get()) {
                let _ = paint(&canvas, input, &hidden, css_width, height);
            }
        });
    });
    let legend = move || {
        input.with(|input| {
            input
                .as_ref()
                .map(|input| input.names.clone())
                .unwrap_or_default()
        })
    };
    let on_legend_click = move |index: usize, toggle: bool| {
        let count = input.with_untracked(|i| i.as_ref().map_or(0, |i| i.series.len()));
        hidden.update(|hidden| {
            if toggle {
                if !hidden.remove(&index) {
                    hidden.insert(index);
                }
            } else {
                let isolated = hidden.len() + 1 == count && !hidden.contains(&index);
                hidden.clear();
                if !isolated {
                    hidden.extend((0..count).filter(|i| *i != index));
                }
            }
        });
    };
    view! {
        <div class="chart" node_ref=container>
            <canvas
                node_ref=canvas
                class="chart-canvas"
                style:height=format!("{height}px")
            ></canvas>
            <ul class="legend">
                {move || {
                    legend()
                        .into_iter()
                        .enumerate()
                        .map(|(index, name)| {
                            let color = series_color(index).hex();
                            let is_hidden = move || hidden.with(|h| h.contains(&index));
                            view! {
                                <li
                                    class="legend-item"
                                    class:legend-hidden=is_hidden
                                    title="Click to isolate, Ctrl/Cmd-click to toggle"
                                    on:click=move |ev: web_sys::MouseEvent| {
                                        on_legend_click(index, ev.ctrl_key() || ev.meta_key());
                                    }
                                >
                                    <span class="swatch" style:background-color=color></span>
                                    <span class="legend-name">{name}</span>
                                </li>
                            }
                        })
                        .collect::<Vec<_>>()
                }}
            </ul>
        </div>
    }
}
