//! Explore's metrics results: the status line, each query's error, the graph of every series
//! (drag to zoom), the series as a table (last, min, max, mean), and the exemplars when the
//! server keeps any, as points on their own strip below the graph.

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::api::error::ApiError;
use sightline_core::model::frame::{Labels, Series};
use sightline_core::model::reduce::Reducer;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;
use sightline_core::model::units::{format_value, Unit};
use sightline_core::render::timeseries::DrawStyle;

use crate::browser::zone_offset;
use crate::state::explore::metrics::MetricsResult;
use crate::ui::components::chart::{ChartInput, LegendMode, TimeSeriesChart};
use crate::ui::components::error_box::ErrorBox;

/// One query's run.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryRun {
    Loading,
    Done(Arc<MetricsResult>),
    Failed(ApiError),
}

/// A query of the pane with its run: `(refId, run)`.
pub type Runs = Vec<(String, QueryRun)>;

fn done(runs: &Runs) -> Vec<(String, Arc<MetricsResult>)> {
    runs.iter()
        .filter_map(|(id, run)| match run {
            QueryRun::Done(result) => Some((id.clone(), Arc::clone(result))),
            _ => None,
        })
        .collect()
}

fn chart_of(runs: &Runs, unit: Option<&str>, zone: &TimeZone) -> Option<ChartInput> {
    let results = done(runs);
    let first = results.first()?;
    let several = runs.len() > 1;
    let mut names = Vec::new();
    let mut gap = 0_i64;
    for (id, result) in &results {
        #[allow(clippy::cast_possible_wrap)]
        let step = result.step.as_millis() as i64;
        gap = gap.max(step.saturating_mul(3) / 2);
        for s in result.series.iter() {
            let name = s.labels.format_legend("");
            names.push(if several {
                format!("{id}: {name}")
            } else {
                name
            });
        }
    }
    // One query's answer is drawn as it is, shared; several are put together in a copy.
    let series = match results.as_slice() {
        [(_, only)] => Arc::clone(&only.series),
        _ => Arc::new(
            results
                .iter()
                .flat_map(|(_, result)| result.series.iter().cloned())
                .collect(),
        ),
    };
    let range = first.1.range;
    let mut input = ChartInput::simple(series, names, range, Some(gap));
    input.unit = unit.map_or(Unit::Short, Unit::parse);
    input.utc_offset_minutes = offset_for(zone, range);
    Some(input)
}

fn offset_for(zone: &TimeZone, range: TimeRange) -> Option<i32> {
    match zone {
        TimeZone::Browser => None,
        other => Some(zone_offset(other, range.to_ms)),
    }
}

fn exemplar_chart(runs: &Runs, zone: &TimeZone) -> Option<ChartInput> {
    let results = done(runs);
    let range = results.first()?.1.range;
    let mut series = Vec::new();
    let mut names = Vec::new();
    for (_, result) in &results {
        for s in &result.exemplars {
            let mut points: Vec<(i64, f64)> =
                s.exemplars.iter().map(|e| (e.time_ms, e.value)).collect();
            sightline_core::sort::sort_by_key(&mut points, |p| p.0);
            names.push(s.series_labels.format_legend(""));
            series.push(Series {
                labels: s.series_labels.clone(),
                times_ms: points.iter().map(|p| p.0).collect(),
                values: points.iter().map(|p| p.1).collect(),
            });
        }
    }
    if series.iter().all(Series::is_empty) {
        return None;
    }
    let mut input = ChartInput::simple(series, names, range, None);
    input.style = DrawStyle::Points;
    input.utc_offset_minutes = offset_for(zone, range);
    Some(input)
}

/// The status line: series, points and step of the finished queries.
#[must_use]
pub fn status_text(runs: &Runs) -> String {
    if runs.iter().any(|(_, r)| *r == QueryRun::Loading) {
        return "Running…".to_owned();
    }
    let results = done(runs);
    if results.is_empty() {
        return String::new();
    }
    let series: usize = results.iter().map(|(_, r)| r.series.len()).sum();
    let points: usize = results.iter().map(|(_, r)| r.points()).sum();
    let steps: Vec<String> = results.iter().map(|(_, r)| r.step.to_string()).collect();
    let exemplars: usize = results.iter().map(|(_, r)| r.exemplar_count()).sum();
    let mut text = format!("{series} series, {points} points, step {}", steps.join("/"));
    if exemplars > 0 {
        text.push_str(&format!(", {exemplars} exemplars"));
    }
    text
}

fn table_rows(runs: &Runs, unit: &Unit) -> Vec<(String, [String; 4])> {
    let several = runs.len() > 1;
    done(runs)
        .iter()
        .flat_map(|(id, result)| {
            result.series.iter().map(move |s| {
                let name = label_text(&s.labels);
                let cell = |r: Reducer| {
                    r.apply(&s.values)
                        .map_or_else(|| "–".to_owned(), |v| format_value(v, unit, None))
                };
                (
                    if several {
                        format!("{id}: {name}")
                    } else {
                        name
                    },
                    [
                        cell(Reducer::LastNotNull),
                        cell(Reducer::Min),
                        cell(Reducer::Max),
                        cell(Reducer::Mean),
                    ],
                )
            })
        })
        .take(500)
        .collect()
}

fn label_text(labels: &Labels) -> String {
    labels.prometheus_text()
}

/// The results of a metrics pane.
#[component]
pub fn MetricsResults(
    #[prop(into)] runs: Signal<Runs>,
    #[prop(into)] unit: Signal<Option<&'static str>>,
    #[prop(into)] timezone: Signal<TimeZone>,
    on_zoom: UnsyncCallback<(i64, i64)>,
    on_retry: UnsyncCallback<()>,
    /// The status line's id (`query-status` in the first pane).
    status_id: String,
) -> impl IntoView {
    let chart = Memo::new(move |_| runs.with(|r| chart_of(r, unit.get(), &timezone.get())));
    let exemplars = Memo::new(move |_| runs.with(|r| exemplar_chart(r, &timezone.get())));
    let errors = move || {
        runs.get()
            .into_iter()
            .filter_map(|(id, run)| match run {
                QueryRun::Failed(error) => Some(view! {
                    <ErrorBox message=format!("Query {id}: {error}") on_retry=on_retry/>
                }),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let notes = move || {
        runs.with(|r| {
            done(r)
                .iter()
                .flat_map(|(id, result)| {
                    result
                        .note
                        .iter()
                        .map(|n| n.text.clone())
                        .chain(result.warnings.iter().map(|w| format!("Warning: {w}")))
                        .map(|t| format!("{id}: {t}"))
                        .collect::<Vec<_>>()
                })
                .map(|t| view! { <span class="badge badge-warn">{t}</span> })
                .collect::<Vec<_>>()
        })
    };
    let no_data = move || {
        runs.with(|r| {
            let results = done(r);
            !results.is_empty() && results.iter().all(|(_, res)| res.series.is_empty())
        })
    };
    let ran = move || runs.with(|r| !done(r).is_empty());
    let table = move || {
        let unit = unit.get().map_or(Unit::Short, Unit::parse);
        runs.with(|r| table_rows(r, &unit))
            .into_iter()
            .map(|(name, cells)| view! {
                <tr><td class="explore-series-name">{name}</td>
                    {cells.into_iter().map(|c| view! { <td class="num">{c}</td> }).collect::<Vec<_>>()}</tr>
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="status-line">
            <span id=status_id class="muted explore-status">{move || runs.with(status_text)}</span>
            {move || unit.get().map(|u| view! { <span class="badge explore-unit" title="Unit from the metric's metadata">{format!("unit: {u}")}</span> })}
            {notes}
        </div>
        {errors}
        <div class="chart-box" class:explore-idle=move || !ran() && !runs.with(|r| r.iter().any(|(_, q)| *q == QueryRun::Loading))>
            {move || no_data().then(|| view! { <p class="no-data">"No data: the query returned no series for this range."</p> })}
            <TimeSeriesChart input=chart on_zoom=on_zoom/>
        </div>
        {move || ran().then(|| match exemplars.get() {
            Some(_) => view! {
                <div class="chart-box explore-exemplars">
                    <div class="muted small">"Exemplars"</div>
                    <TimeSeriesChart input=exemplars height=90.0 legend=LegendMode::Hidden on_zoom=on_zoom/>
                </div>
            }.into_any(),
            None => view! { <p class="muted small explore-no-exemplars">"No exemplars for this query on this host."</p> }.into_any(),
        })}
        {move || ran().then(|| view! {
            <div class="explore-table-wrap">
                <table class="explore-table">
                    <thead><tr><th>"Series"</th><th class="num">"Last"</th><th class="num">"Min"</th><th class="num">"Max"</th><th class="num">"Mean"</th></tr></thead>
                    <tbody>{table}</tbody>
                </table>
            </div>
        })}
    }
}
