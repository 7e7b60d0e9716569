//! The pie chart panel: a slice per series (each reduced to one value), as a pie or a donut,
//! with slice labels and a legend of names, values and shares. Geometry comes from
//! `sightline_core::render::pie`.

use leptos::prelude::*;
use sightline_core::model::reduce::Reducer;
use sightline_core::render::palette::series_color;
use sightline_core::render::pie::slices;

use super::{ColorMode, FieldDisplay, PanelFrame};

/// Most slices one panel draws (the legend says how many more there are).
const MAX_SLICES: usize = 50;
/// Slices smaller than this share get no label (it would not fit).
const MIN_LABELLED_SHARE: f64 = 0.04;

/// How a pie chart panel is drawn (Grafana's `options`).
#[derive(Debug, Clone, PartialEq)]
pub struct PieOptions {
    pub reducer: Reducer,
    /// `pieType: "donut"`.
    pub donut: bool,
    /// `displayLabels`: any of `name`, `value`, `percent`.
    pub labels: Vec<String>,
    /// `legend.values`: any of `value`, `percent`.
    pub legend_values: Vec<String>,
    pub legend: bool,
}

/// A pie chart panel body.
#[component]
pub fn PiePanel(frame: PanelFrame, display: FieldDisplay, options: PieOptions) -> impl IntoView {
    let values = frame.reduce(options.reducer);
    let more = values.len().saturating_sub(MAX_SLICES);
    let shown = &values[..values.len().min(MAX_SLICES)];
    let numbers: Vec<f64> = shown.iter().map(|v| v.value.unwrap_or(f64::NAN)).collect();
    let hole = if options.donut { 54.0 } else { 0.0 };
    let geometry = slices(&numbers, 100.0, 100.0, 96.0, hole);
    let total: f64 = numbers.iter().filter(|v| v.is_finite() && **v > 0.0).sum();
    // A series' own fixed colour (an override), else the palette, as Grafana's pie chart.
    let color_of = |index: usize| {
        match display.for_series(&frame, index).color {
            ColorMode::Fixed(rgb) => rgb,
            _ => series_color(index),
        }
        .hex()
    };
    let text_of = |index: usize| {
        let v = &values[index];
        let formatted = display.for_series(&frame, index).format(v.value);
        let share = v
            .value
            .filter(|x| x.is_finite() && *x > 0.0 && total > 0.0)
            .map_or(0.0, |x| x / total);
        (v.name.clone(), formatted, format!("{:.0}%", share * 100.0))
    };
    let paths = geometry
        .iter()
        .map(|slice| {
            let (name, value, percent) = text_of(slice.index);
            let tip = format!("{name}: {value} ({percent})");
            let label: Vec<String> = options
                .labels
                .iter()
                .filter_map(|l| match l.as_str() {
                    "name" => Some(name.clone()),
                    "value" => Some(value.clone()),
                    "percent" => Some(percent.clone()),
                    _ => None,
                })
                .collect();
            let (x, y) = slice.label_at;
            let show_label = !label.is_empty() && slice.fraction >= MIN_LABELLED_SHARE;
            view! {
                <path class="pie-slice" d=slice.path.clone() fill=color_of(slice.index) data-name=name>
                    <title>{tip}</title>
                </path>
                {show_label.then(|| view! {
                    <text class="pie-label" x=format!("{x:.1}") y=format!("{y:.1}")>{label.join(" ")}</text>
                })}
            }
        })
        .collect::<Vec<_>>();
    let legend = options.legend.then(|| {
        let rows = (0..shown.len())
            .map(|index| {
                let (name, value, percent) = text_of(index);
                let extra: Vec<String> = options
                    .legend_values
                    .iter()
                    .filter_map(|l| match l.as_str() {
                        "value" => Some(value.clone()),
                        "percent" => Some(percent.clone()),
                        _ => None,
                    })
                    .collect();
                view! {
                    <li class="pie-legend-row" title=name.clone()>
                        <span class="swatch" style:background-color=color_of(index)></span>
                        <span class="legend-name">{name.clone()}</span>
                        {extra.into_iter().map(|t| view! { <span class="num muted">{t}</span> }).collect::<Vec<_>>()}
                    </li>
                }
            })
            .collect::<Vec<_>>();
        view! {
            <ul class="pie-legend">
                {rows}
                {(more > 0).then(|| view! { <li class="muted small">{format!("+{more} more")}</li> })}
            </ul>
        }
    });
    let label = format!("Pie chart of {} values", shown.len());
    view! {
        <div class="pie-panel">
            <svg class="pie-svg" viewBox="0 0 200 200" role="img" aria-label=label>{paths}</svg>
            {legend}
        </div>
    }
}
