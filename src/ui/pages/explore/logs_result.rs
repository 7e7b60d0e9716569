//! Explore's logs results: the volume histogram (drag to zoom), each query's error, and the
//! log list over every query's lines; a LogQL metric query (`count_over_time(…)`) is drawn as a
//! graph instead.

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::api::error::ApiError;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;

use crate::state::logs::LogsPage;
use crate::ui::components::chart::{ChartInput, TimeSeriesChart};
use crate::ui::components::error_box::ErrorBox;
use crate::ui::logs::{FilterAction, LogVolume, LogsControls, LogsView, VolumeState};

/// One log query's run.
#[derive(Debug, Clone, PartialEq)]
pub enum LogsRun {
    Loading,
    Done(Arc<LogsPage>),
    Failed(ApiError),
}

/// The log queries of a pane with their runs: `(refId, run)`.
pub type LogRuns = Vec<(String, LogsRun)>;

fn pages(runs: &LogRuns) -> Vec<Arc<LogsPage>> {
    runs.iter()
        .filter_map(|(_, run)| match run {
            LogsRun::Done(page) if page.samples.is_none() => Some(Arc::clone(page)),
            _ => None,
        })
        .collect()
}

fn samples_chart(runs: &LogRuns, range: TimeRange) -> Option<ChartInput> {
    let mut series = Vec::new();
    let mut names = Vec::new();
    for (id, run) in runs {
        if let LogsRun::Done(page) = run {
            for s in page.samples.iter().flatten() {
                names.push(format!("{id}: {}", s.labels.format_legend("")));
                series.push(s.clone());
            }
        }
    }
    (!series.is_empty()).then(|| ChartInput::simple(series, names, range, None))
}

/// The status line of a logs pane.
#[must_use]
pub fn logs_status(runs: &LogRuns) -> String {
    if runs.iter().any(|(_, r)| *r == LogsRun::Loading) {
        return "Running…".to_owned();
    }
    let done: Vec<&LogsPage> = runs
        .iter()
        .filter_map(|(_, r)| match r {
            LogsRun::Done(page) => Some(page.as_ref()),
            _ => None,
        })
        .collect();
    if done.is_empty() {
        return String::new();
    }
    let lines: usize = done.iter().map(|p| p.entries).sum();
    let streams: usize = done.iter().map(|p| p.streams.len()).sum();
    let series: usize = done
        .iter()
        .filter_map(|p| p.samples.as_ref())
        .map(Vec::len)
        .sum();
    if series > 0 {
        format!("{series} series")
    } else {
        format!("{lines} lines in {streams} streams")
    }
}

/// The results of a logs pane.
#[allow(clippy::too_many_arguments)]
#[component]
pub fn LogsResults(
    #[prop(into)] runs: Signal<LogRuns>,
    #[prop(into)] volume: Signal<Option<VolumeState>>,
    controls: LogsControls,
    #[prop(into)] timezone: Signal<TimeZone>,
    #[prop(into)] range: Signal<TimeRange>,
    on_zoom: UnsyncCallback<(i64, i64)>,
    on_filter: UnsyncCallback<FilterAction>,
    on_load_more: UnsyncCallback<()>,
    #[prop(into)] loading_more: Signal<bool>,
    on_retry: UnsyncCallback<()>,
    status_id: String,
) -> impl IntoView {
    let log_pages = Memo::new(move |_| runs.with(pages));
    let chart = Memo::new(move |_| runs.with(|r| samples_chart(r, range.get())));
    let errors = move || {
        runs.get()
            .into_iter()
            .filter_map(|(id, run)| match run {
                LogsRun::Failed(error) => Some(
                    view! { <ErrorBox message=format!("Query {id}: {error}") on_retry=on_retry/> },
                ),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let empty = move || {
        runs.with(|r| {
            let finished: Vec<&LogsPage> = r
                .iter()
                .filter_map(|(_, run)| match run {
                    LogsRun::Done(p) => Some(p.as_ref()),
                    _ => None,
                })
                .collect();
            !finished.is_empty()
                && finished
                    .iter()
                    .all(|p| p.entries == 0 && p.samples.as_ref().is_none_or(Vec::is_empty))
        })
    };
    let has_lines = move || log_pages.with(|p| p.iter().any(|page| page.entries > 0));
    view! {
        <div class="status-line">
            <span id=status_id class="muted explore-status">{move || runs.with(logs_status)}</span>
        </div>
        {errors}
        <Show when=move || chart.with(Option::is_none)>
            <LogVolume state=volume on_zoom=Some(on_zoom)/>
        </Show>
        {move || chart.with(Option::is_some).then(|| view! {
            <div class="chart-box"><TimeSeriesChart input=chart on_zoom=on_zoom/></div>
        })}
        {move || empty().then(|| view! { <p class="no-data">"No logs: the query matched no lines in this range."</p> })}
        <Show when=has_lines>
            <LogsView pages=Signal::derive(move || log_pages.get()) controls=controls timezone=timezone
                height=560.0 on_filter=Some(on_filter) on_load_more=Some(on_load_more) loading_more=loading_more/>
        </Show>
    }
}
