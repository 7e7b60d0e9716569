//! The time-series chart component: a canvas drawn by `sightline-core` through plotters' canvas
//! backend (crisp at any device pixel ratio, redrawn on resize), an overlay with a crosshair that
//! follows the cursor across every chart of the page, a tooltip with each series' value at the
//! cursor, drag-to-zoom, and a legend that isolates or toggles series.

mod legend;
mod paint;
mod path;
mod tooltip;

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::frame::Series;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::units::Unit;
use sightline_core::render::decimate::Scale;
use sightline_core::render::palette::Rgb;
use sightline_core::render::timeseries::{
    AxisSide, ChartLayout, Dash, DrawStyle, LineInterpolation, ShowPoints, ThresholdLine,
};

pub use legend::{apply_click, LegendMode};
pub use paint::{color_of, paint, paint_with, LinePath};
pub use tooltip::tooltip_time;

use super::resize::use_element_width_now;
use crate::browser::device_pixel_ratio;
use legend::Legend;
use tooltip::Tooltip;

/// What a chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartInput {
    pub series: Arc<Vec<Series>>,
    /// One legend name per series.
    pub names: Vec<String>,
    /// Per-series settings (missing: the defaults of [`SeriesLook`]).
    pub looks: Vec<SeriesLook>,
    /// The unit of the right axis' labels.
    pub right_unit: Unit,
    pub range: TimeRange,
    /// The unit of the left axis' labels and of series without their own.
    pub unit: Unit,
    pub decimals: Option<usize>,
    pub fixed_min: Option<f64>,
    pub fixed_max: Option<f64>,
    /// The first axis reaches at least these values (`custom.axisSoftMin`/`axisSoftMax`).
    pub soft_min: Option<f64>,
    pub soft_max: Option<f64>,
    /// Linear or logarithmic value axes.
    pub scale: Scale,
    /// The left axis has no labels (every series on it is placed `hidden`).
    pub hide_left_labels: bool,
    pub thresholds: Vec<ThresholdLine>,
    pub threshold_areas: bool,
    pub style: DrawStyle,
    /// 0–1.
    pub fill_opacity: f64,
    /// CSS pixels.
    pub line_width: f64,
    /// Samples further apart than this are drawn with a gap between them.
    pub gap_ms: Option<i64>,
    /// Minutes east of UTC for labels; `None` = the browser's zone.
    pub utc_offset_minutes: Option<i32>,
    /// The series are stacked (cumulative): drawn last to first so every layer shows.
    pub stacked: bool,
}

/// One series' own settings: from the panel's defaults and field overrides.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeriesLook {
    /// Its colour (`None`: the palette colour).
    pub color: Option<Rgb>,
    /// The value axis it is scaled to.
    pub axis: AxisSide,
    /// Its unit, for the tooltip (`None`: [`ChartInput::unit`]).
    pub unit: Option<Unit>,
    /// How its line runs between samples.
    pub interpolation: LineInterpolation,
    /// Left out of the legend (`custom.hideFrom.legend`).
    pub hide_from_legend: bool,
    /// Left out of the tooltip (`custom.hideFrom.tooltip`).
    pub hide_from_tooltip: bool,
    /// Its own line width in CSS px, 0 for no line (`None`: [`ChartInput::line_width`]).
    pub line_width: Option<f64>,
    /// Its own area opacity, 0–1 (`None`: [`ChartInput::fill_opacity`]).
    pub fill_opacity: Option<f64>,
    /// Drawn as lines, bars or points on its own (`None`: [`ChartInput::style`]).
    pub style: Option<DrawStyle>,
    /// Its line dashed or dotted (`custom.lineStyle`; `None`: solid).
    pub dash: Option<Dash>,
    /// Dots at its samples (`custom.showPoints`).
    pub show_points: ShowPoints,
    /// The dots' diameter in CSS px (`custom.pointSize`; `None`: 5, Grafana's default).
    pub point_size: Option<f64>,
}

impl ChartInput {
    /// The axis series `index` is drawn on.
    #[must_use]
    pub fn axis_of(&self, index: usize) -> AxisSide {
        self.looks.get(index).map(|l| l.axis).unwrap_or_default()
    }

    /// The unit series `index` is shown in.
    #[must_use]
    pub fn unit_of(&self, index: usize) -> &Unit {
        self.looks
            .get(index)
            .and_then(|l| l.unit.as_ref())
            .unwrap_or(&self.unit)
    }

    /// Whether series `index` has a legend entry.
    #[must_use]
    pub fn in_legend(&self, index: usize) -> bool {
        !self.looks.get(index).is_some_and(|l| l.hide_from_legend)
    }

    /// Whether series `index` has a tooltip row.
    #[must_use]
    pub fn in_tooltip(&self, index: usize) -> bool {
        !self.looks.get(index).is_some_and(|l| l.hide_from_tooltip)
    }

    /// How the line of series `index` runs between samples.
    #[must_use]
    pub fn interpolation_of(&self, index: usize) -> LineInterpolation {
        self.looks
            .get(index)
            .map(|l| l.interpolation)
            .unwrap_or_default()
    }

    /// The line width of series `index` (CSS px).
    #[must_use]
    pub fn line_width_of(&self, index: usize) -> f64 {
        self.looks
            .get(index)
            .and_then(|l| l.line_width)
            .unwrap_or(self.line_width)
    }

    /// The area opacity of series `index` (0–1).
    #[must_use]
    pub fn fill_opacity_of(&self, index: usize) -> f64 {
        self.looks
            .get(index)
            .and_then(|l| l.fill_opacity)
            .unwrap_or(self.fill_opacity)
    }

    /// The dash pattern of series `index`'s line (`None`: solid).
    #[must_use]
    pub fn dash_of(&self, index: usize) -> Option<Dash> {
        self.looks.get(index).and_then(|l| l.dash)
    }

    /// Whether series `index` shows dots at its samples.
    #[must_use]
    pub fn show_points_of(&self, index: usize) -> ShowPoints {
        self.looks
            .get(index)
            .map(|l| l.show_points)
            .unwrap_or_default()
    }

    /// The diameter of series `index`'s dots (CSS px).
    #[must_use]
    pub fn point_size_of(&self, index: usize) -> f64 {
        self.looks
            .get(index)
            .and_then(|l| l.point_size)
            .unwrap_or(5.0)
    }

    /// How series `index` is drawn.
    #[must_use]
    pub fn style_of(&self, index: usize) -> DrawStyle {
        self.looks
            .get(index)
            .and_then(|l| l.style)
            .unwrap_or(self.style)
    }

    /// A chart of `series` over `range` with default styling.
    #[must_use]
    pub fn simple(
        series: impl Into<Arc<Vec<Series>>>,
        names: Vec<String>,
        range: TimeRange,
        gap_ms: Option<i64>,
    ) -> Self {
        ChartInput {
            series: series.into(),
            names,
            looks: Vec::new(),
            right_unit: Unit::Short,
            range,
            unit: Unit::Short,
            decimals: None,
            fixed_min: None,
            fixed_max: None,
            soft_min: None,
            soft_max: None,
            scale: Scale::Linear,
            hide_left_labels: false,
            thresholds: Vec::new(),
            threshold_areas: false,
            style: DrawStyle::Lines,
            fill_opacity: 0.0,
            line_width: 1.0,
            gap_ms,
            utc_offset_minutes: None,
            stacked: false,
        }
    }
}

/// The time under the cursor, shared by every chart of a page (Grafana's shared crosshair).
#[derive(Clone, Copy)]
pub struct SharedCrosshair(pub RwSignal<Option<i64>>);

/// Provides a [`SharedCrosshair`] for the charts below.
pub fn provide_shared_crosshair() -> SharedCrosshair {
    let shared = SharedCrosshair(RwSignal::new(None));
    provide_context(shared);
    shared
}

/// Mouse position in the canvas' CSS pixels.
fn offset(ev: &web_sys::MouseEvent) -> (f64, f64) {
    (f64::from(ev.offset_x()), f64::from(ev.offset_y()))
}

/// A time-series chart with its legend.
#[component]
pub fn TimeSeriesChart(
    /// The data; `None` draws nothing.
    #[prop(into)]
    input: Signal<Option<ChartInput>>,
    /// Height of the plot in CSS pixels.
    #[prop(into, default = Signal::stored(320.0))]
    height: Signal<f64>,
    /// How the legend is shown.
    #[prop(optional)]
    legend: LegendMode,
    /// Called with `(from_ms, to_ms)` when the user drags across the plot.
    #[prop(optional)]
    on_zoom: Option<UnsyncCallback<(i64, i64)>>,
    /// Put the legend to the right of the plot (Grafana's `placement: right`).
    #[prop(optional)]
    legend_right: bool,
) -> impl IntoView {
    let container = NodeRef::<leptos::html::Div>::new();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let width = use_element_width_now(container);
    let hidden = RwSignal::new(BTreeSet::<usize>::new());
    let chart_layout = RwSignal::new(None::<ChartLayout>);
    let crosshair =
        use_context::<SharedCrosshair>().unwrap_or_else(|| SharedCrosshair(RwSignal::new(None)));
    // Where this chart's own cursor is (CSS px); the tooltip shows only on the hovered chart.
    let pointer = RwSignal::new(None::<(f64, f64)>);
    let drag = RwSignal::new(None::<(f64, f64)>);

    // Other series show every series again; a refresh of the same ones keeps what the legend
    // hid (an auto-refresh every few seconds must not undo the user's clicks).
    let names = Memo::new(move |_| input.with(|i| i.as_ref().map(|i| i.names.clone())));
    Effect::new(move |_| {
        names.track();
        hidden.set(BTreeSet::new());
    });
    Effect::new(move |_| {
        let css_width = width.get();
        let hidden = hidden.get();
        let height = height.get();
        let painted = input.with(|input| {
            let (input, canvas) = (input.as_ref()?, canvas.get()?);
            paint::paint(&canvas, input, &hidden, css_width, height)
        });
        chart_layout.set(painted);
    });

    let time_at = move |x_css: f64| -> Option<i64> {
        chart_layout.with_untracked(|l| {
            let l = l.as_ref()?;
            let x = x_css * device_pixel_ratio();
            (x >= l.plot.left && x <= l.plot.right()).then(|| l.projection.time_at(x))
        })
    };
    let on_move = move |ev: web_sys::MouseEvent| {
        let (x, y) = offset(&ev);
        pointer.set(Some((x, y)));
        crosshair.0.set(time_at(x));
        if let Some((start, _)) = drag.get_untracked() {
            drag.set(Some((start, x)));
        }
    };
    let on_leave = move |_| {
        pointer.set(None);
        crosshair.0.set(None);
        drag.set(None);
    };
    let on_down = move |ev: web_sys::MouseEvent| {
        if ev.button() == 0 && on_zoom.is_some() {
            let (x, _) = offset(&ev);
            if time_at(x).is_some() {
                ev.prevent_default();
                drag.set(Some((x, x)));
            }
        }
    };
    let on_up = move |_| {
        let Some((a, b)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        if (a - b).abs() < 5.0 {
            return;
        }
        let clamp = |x: f64| {
            chart_layout.with_untracked(|l| {
                l.as_ref().map(|l| {
                    let dpr = device_pixel_ratio();
                    (x * dpr).clamp(l.plot.left, l.plot.right()) / dpr
                })
            })
        };
        if let (Some(zoom), Some(a), Some(b)) = (on_zoom, clamp(a), clamp(b)) {
            if let (Some(from), Some(to)) = (time_at(a.min(b)), time_at(a.max(b))) {
                zoom.run((from, to));
            }
        }
    };

    // Overlay geometry in CSS pixels.
    let plot_box = move || {
        chart_layout.with(|l| {
            l.as_ref().map(|l| {
                let dpr = device_pixel_ratio();
                (
                    l.plot.left / dpr,
                    l.plot.top / dpr,
                    l.plot.width / dpr,
                    l.plot.height / dpr,
                )
            })
        })
    };
    let crosshair_x = move || {
        let t = crosshair.0.get()?;
        chart_layout.with(|l| {
            let l = l.as_ref()?;
            let x = l.projection.x(t);
            (x >= l.plot.left && x <= l.plot.right()).then(|| x / device_pixel_ratio())
        })
    };
    let selection = move || {
        let (a, b) = drag.get()?;
        let (_, top, _, h) = plot_box()?;
        Some((a.min(b), top, (a - b).abs(), h))
    };

    view! {
        <div class="chart" class:legend-right=legend_right>
            <div class="chart-plot" node_ref=container>
                <canvas node_ref=canvas class="chart-canvas" style:height=move || format!("{}px", height.get())></canvas>
                <div
                    class="chart-overlay"
                    on:mousemove=on_move
                    on:mouseleave=on_leave
                    on:mousedown=on_down
                    on:mouseup=on_up
                ></div>
                {move || crosshair_x().zip(plot_box()).map(|(x, (_, top, _, h))| view! {
                    <div class="crosshair" style:left=format!("{x}px") style:top=format!("{top}px") style:height=format!("{h}px")></div>
                })}
                {move || selection().map(|(x, top, w, h)| view! {
                    <div class="zoom-selection" style:left=format!("{x}px") style:top=format!("{top}px")
                        style:width=format!("{w}px") style:height=format!("{h}px")></div>
                })}
                <Tooltip input=input hidden=hidden pointer=pointer crosshair=crosshair.0 width=width/>
            </div>
            <Legend input=input hidden=hidden mode=legend/>
        </div>
    }
}
