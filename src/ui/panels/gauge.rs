//! The gauge panel: a 240° arc per series, filled to the value in its threshold colour, with the
//! threshold bands as a thin outer ring. Drawn as SVG paths computed in `sightline-core`.

use leptos::prelude::*;
use sightline_core::model::reduce::Reducer;
use sightline_core::render::gauge::{arc_path, fraction};

use super::{value_span, FieldDisplay, PanelFrame};

/// Most gauges one panel shows.
const MAX_GAUGES: usize = 16;

/// A gauge panel body.
#[component]
pub fn GaugePanel(
    frame: PanelFrame,
    display: FieldDisplay,
    reducer: Reducer,
    show_threshold_markers: bool,
) -> impl IntoView {
    let values = frame.reduce(reducer);
    let show_names = values.len() > 1;
    let gauges = values
        .iter()
        .take(MAX_GAUGES)
        .map(|v| {
            // Each gauge with its series' overrides (unit, min/max, thresholds, colour).
            let display = display.for_series(&frame, v.index);
            let (min, max) = value_span(&display, &values);
            let bands = display.thresholds.bands(min, max);
            let f = fraction(v.value.unwrap_or(f64::NAN), min, max);
            let color = display.color(v.value, v.index, min, max).hex();
            let text = display.format(v.value);
            let band_paths: Vec<(String, String)> = if show_threshold_markers {
                bands
                    .iter()
                    .map(|(from, to, c)| (arc_path(100.0, 100.0, 88.0, fraction(*from, min, max), fraction(*to, min, max)), c.hex()))
                    .collect()
            } else {
                Vec::new()
            };
            let label = format!("{} {}", v.name, text);
            view! {
                <div class="gauge" title=v.name.clone()>
                    <svg class="gauge-svg" viewBox="0 0 200 170" role="img" aria-label=label>
                        {band_paths.into_iter().map(|(d, c)| view! {
                            <path d=d stroke=c stroke-width="5" fill="none"></path>
                        }).collect::<Vec<_>>()}
                        <path d=arc_path(100.0, 100.0, 74.0, 0.0, 1.0) stroke="#2c3035" stroke-width="18" fill="none"></path>
                        <path d=arc_path(100.0, 100.0, 74.0, 0.0, f) stroke=color.clone() stroke-width="18" fill="none"></path>
                        <text x="100" y="110" text-anchor="middle" class="gauge-value" fill=color>{text}</text>
                    </svg>
                    {(show_names && !v.name.is_empty()).then(|| view! { <div class="gauge-name">{v.name.clone()}</div> })}
                </div>
            }
        })
        .collect::<Vec<_>>();
    view! { <div class="gauge-grid">{gauges}</div> }
}
