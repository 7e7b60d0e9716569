//! The crosshair tooltip: the time under the cursor and each visible series' value there.

use std::collections::BTreeSet;

use leptos::prelude::*;
use sightline_core::model::civil::CivilDateTime;
use sightline_core::model::units::format_value;
use sightline_core::render::hover::{hover_rows, HoverSort};

use super::paint::color_of;
use super::ChartInput;
use crate::browser::local_offset_minutes;

/// Most rows a tooltip lists before "+N more".
const MAX_ROWS: usize = 12;

/// `2026-11-23 14:05:30`
#[must_use]
pub fn tooltip_time(ms: i64, offset_minutes: i32) -> String {
    let t = CivilDateTime::from_millis(ms, offset_minutes);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// The tooltip of the chart under the cursor.
#[component]
pub fn Tooltip(
    input: Signal<Option<ChartInput>>,
    hidden: RwSignal<BTreeSet<usize>>,
    /// The cursor on this chart, CSS px (`None` when it is elsewhere).
    pointer: RwSignal<Option<(f64, f64)>>,
    crosshair: RwSignal<Option<i64>>,
    /// Width of the chart, to keep the tooltip inside it.
    width: ReadSignal<f64>,
) -> impl IntoView {
    let content = move || {
        let (x, y) = pointer.get()?;
        let t = crosshair.get()?;
        input.with(|input| {
            let input = input.as_ref()?;
            let span = input.range.span_ms().max(1);
            // Within ~2 % of the range (a few pixels) of the cursor.
            let tolerance = i64::try_from(span / 50).unwrap_or(i64::MAX).max(1);
            let hidden = hidden.get();
            let rows = hover_rows(
                &input.series,
                |i| !hidden.contains(&i) && input.in_tooltip(i),
                t,
                tolerance,
                HoverSort::Descending,
            );
            let offset = input
                .utc_offset_minutes
                .unwrap_or_else(|| local_offset_minutes(t));
            let more = rows.len().saturating_sub(MAX_ROWS);
            let lines: Vec<(String, String, String)> = rows
                .iter()
                .take(MAX_ROWS)
                .map(|r| {
                    (
                        color_of(input, r.series).hex(),
                        input.names.get(r.series).cloned().unwrap_or_default(),
                        format_value(r.value, input.unit_of(r.series), input.decimals),
                    )
                })
                .collect();
            Some((x, y, tooltip_time(t, offset), lines, more))
        })
    };
    move || {
        content().map(|(x, y, time, lines, more)| {
            // Flip to the left of the cursor in the right half so it stays inside the chart.
            let left_side = x > width.get_untracked() / 2.0;
            let (prop, px) = if left_side {
                ("right", width.get_untracked() - x + 12.0)
            } else {
                ("left", x + 12.0)
            };
            view! {
                <div class="chart-tooltip" style=(prop, format!("{px}px")) style:top=format!("{}px", y + 12.0)>
                    <div class="tooltip-time">{time}</div>
                    {if lines.is_empty() {
                        Some(view! { <div class="muted">"No value here"</div> })
                    } else {
                        None
                    }}
                    {lines.into_iter().map(|(color, name, value)| view! {
                        <div class="tooltip-row">
                            <span class="swatch" style:background-color=color></span>
                            <span class="tooltip-name">{name}</span>
                            <span class="tooltip-value">{value}</span>
                        </div>
                    }).collect::<Vec<_>>()}
                    {(more > 0).then(|| view! { <div class="muted">{format!("+{more} more")}</div> })}
                </div>
            }
        })
    }
}
