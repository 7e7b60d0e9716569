//! The stat panel: one big value per series (reduced, with unit and threshold colour) and an
//! optional sparkline under it.

use leptos::prelude::*;
use plotters_canvas::CanvasBackend;
use sightline_core::model::reduce::Reducer;
use sightline_core::render::sparkline::draw_sparkline;

use super::{value_span, FieldDisplay, PanelFrame};
use crate::browser::device_pixel_ratio;

/// Most values a stat panel shows.
const MAX_VALUES: usize = 24;

/// Options of a stat panel.
#[derive(Debug, Clone, PartialEq)]
pub struct StatOptions {
    pub reducer: Reducer,
    pub sparkline: bool,
    /// Colour the card's background instead of the value's text.
    pub background: bool,
}

/// A stat panel body.
#[component]
pub fn StatPanel(frame: PanelFrame, display: FieldDisplay, options: StatOptions) -> impl IntoView {
    let values = frame.reduce(options.reducer);
    let more = values.len().saturating_sub(MAX_VALUES);
    // One value needs no name (Grafana's "auto" text mode).
    let show_names = values.len() > 1;
    let cards = values
        .iter()
        .take(MAX_VALUES)
        .map(|v| {
            // Each value with its series' overrides (unit, thresholds, mappings, colour).
            let display = display.for_series(&frame, v.index);
            let (min, max) = value_span(&display, &values);
            let color = display.color(v.value, v.index, min, max).hex();
            let text = display.format(v.value);
            // The value's length sizes its font, so a narrow card shrinks the number instead of
            // cutting off its leading digits (style/main.css, `.stat-value`).
            let chars = text.chars().count().max(1).to_string();
            let series = frame.series.get(v.index).cloned();
            let range = frame.range;
            let canvas = NodeRef::<leptos::html::Canvas>::new();
            if options.sparkline {
                let color_rgb = display.color(v.value, v.index, min, max);
                Effect::new(move |_| {
                    let (Some(canvas), Some(s)) = (canvas.get(), series.as_ref()) else {
                        return;
                    };
                    let dpr = device_pixel_ratio();
                    let rect = canvas.get_bounding_client_rect();
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    {
                        canvas.set_width((rect.width() * dpr).round().max(1.0) as u32);
                        canvas.set_height((rect.height() * dpr).round().max(1.0) as u32);
                    }
                    if let Some(mut backend) = CanvasBackend::with_canvas_object(canvas.clone()) {
                        let _ = draw_sparkline(&mut backend, &s.times_ms, &s.values, range, color_rgb, dpr);
                    }
                });
            }
            let (text_color, background) = if options.background {
                ("#ffffff".to_owned(), color)
            } else {
                (color, "transparent".to_owned())
            };
            view! {
                <div class="stat-card" style:background-color=background title=v.name.clone()>
                    <div class="stat-value" style:color=text_color style:--chars=chars>{text}</div>
                    {(show_names && !v.name.is_empty()).then(|| view! { <div class="stat-name">{v.name.clone()}</div> })}
                    {options.sparkline.then(|| view! { <canvas class="stat-sparkline" node_ref=canvas></canvas> })}
                </div>
            }
        })
        .collect::<Vec<_>>();
    let single = cards.len() == 1;
    view! {
        <div class="stat-grid" class:stat-single=single>
            {cards}
            {(more > 0).then(|| view! { <div class="muted small">{format!("+{more} more")}</div> })}
        </div>
    }
}
