//! The bar gauge panel: a horizontal bar per series, its length the value within min–max and
//! its colour the threshold step.

use leptos::prelude::*;
use sightline_core::model::reduce::Reducer;
use sightline_core::render::gauge::fraction;

use super::{value_span, FieldDisplay, PanelFrame};

/// Most bars one panel shows.
const MAX_BARS: usize = 100;

/// A bar gauge panel body.
#[component]
pub fn BarGaugePanel(frame: PanelFrame, display: FieldDisplay, reducer: Reducer) -> impl IntoView {
    let values = frame.reduce(reducer);
    let more = values.len().saturating_sub(MAX_BARS);
    let rows = values
        .iter()
        .take(MAX_BARS)
        .map(|v| {
            // Each bar with its series' overrides (unit, min/max, thresholds, colour).
            let display = display.for_series(&frame, v.index);
            let (min, max) = value_span(&display, &values);
            let f = fraction(v.value.unwrap_or(f64::NAN), min, max);
            let color = display.color(v.value, v.index, min, max).hex();
            view! {
                <div class="bar-row" title=v.name.clone()>
                    <div class="bar-name">{v.name.clone()}</div>
                    <div class="bar-track">
                        <div class="bar-fill" style:width=format!("{:.2}%", f * 100.0) style:background-color=color.clone()></div>
                    </div>
                    <div class="bar-value" style:color=color>{display.format(v.value)}</div>
                </div>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="bar-list">
            {rows}
            {(more > 0).then(|| view! { <div class="muted small">{format!("+{more} more")}</div> })}
        </div>
    }
}
