//! The log volume histogram above the list: bars per time bucket, one colour per level stacked
//! on each other, drawn by the shared chart component; dragging across it zooms the range.

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::logs::volume::stacked;
use sightline_core::model::units::Unit;
use sightline_core::render::palette::Rgb;
use sightline_core::render::timeseries::DrawStyle;

use crate::state::logs::{VolumeResult, VolumeSource};
use crate::ui::components::chart::{ChartInput, LegendMode, SeriesLook, TimeSeriesChart};

/// What the histogram shows.
#[derive(Debug, Clone, PartialEq)]
pub enum VolumeState {
    Loading,
    Ready(Arc<VolumeResult>),
    Failed(String),
}

fn chart_input(volume: &VolumeResult) -> ChartInput {
    let stack = stacked(&volume.levels);
    let names = stack.iter().map(|l| l.level.as_str().to_owned()).collect();
    let looks = stack
        .iter()
        .map(|l| SeriesLook {
            color: Rgb::parse(l.level.color_hex()),
            ..SeriesLook::default()
        })
        .collect();
    let series: Vec<_> = stack.into_iter().map(|l| l.series).collect();
    let mut input = ChartInput::simple(series, names, volume.range, None);
    input.looks = looks;
    input.style = DrawStyle::Bars;
    input.fixed_min = Some(0.0);
    input.unit = match volume.source {
        VolumeSource::Index => Unit::parse("decbytes"),
        VolumeSource::Count => Unit::Short,
    };
    input
}

/// The histogram, or a one-line message while loading or when it failed.
#[component]
pub fn LogVolume(
    #[prop(into)] state: Signal<Option<VolumeState>>,
    #[prop(optional_no_strip)] on_zoom: Option<UnsyncCallback<(i64, i64)>>,
) -> impl IntoView {
    let input = Memo::new(move |_| match state.get() {
        Some(VolumeState::Ready(volume)) if !volume.levels.is_empty() => Some(chart_input(&volume)),
        _ => None,
    });
    let caption = move || match state.get() {
        None => String::new(),
        Some(VolumeState::Loading) => "Log volume: loading…".to_owned(),
        Some(VolumeState::Failed(message)) => format!("Log volume unavailable: {message}"),
        Some(VolumeState::Ready(volume)) => {
            let what = match volume.source {
                VolumeSource::Index => "bytes per level, from the index (index/volume_range)",
                VolumeSource::Count => "lines per level (count_over_time)",
            };
            format!("Log volume: {what}, every {}", volume.step)
        }
    };
    view! {
        <div class="log-volume">
            <div class="log-volume-caption muted small">{caption}</div>
            <Show when=move || input.with(Option::is_some)>
                {match on_zoom {
                    Some(zoom) => view! { <TimeSeriesChart input=input height=110.0 legend=LegendMode::List on_zoom=zoom/> }.into_any(),
                    None => view! { <TimeSeriesChart input=input height=110.0 legend=LegendMode::List/> }.into_any(),
                }}
            </Show>
        </div>
    }
}
