//! The query page: type PromQL, pick a range, and see the `query_range` result as a chart with a
//! legend. The query and range live in the URL (`?q=…&range=1h`), so a link reopens the view.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use sightline_core::api::request::encode_component;
use sightline_core::model::time_range::{TimeRange, QUICK_RANGES};

use crate::browser::now_ms;
use crate::client::RequestSlot;
use crate::state::query::{run_range_query, QueryState};
use crate::state::session::use_session;
use crate::ui::components::chart::{ChartInput, TimeSeriesChart};
use crate::ui::components::error_box::ErrorBox;
use crate::ui::components::header::Header;

const DEFAULT_QUERY: &str = "up";
const DEFAULT_RANGE: &str = "1h";

/// The quick-range key used in the URL (`15m`, `1h`…), from the range's `now-…` form.
fn range_key(from: &str) -> &str {
    from.trim_start_matches("now-")
}

/// The query page.
#[component]
pub fn ExplorePage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let params = use_query_map();
    let query_text = RwSignal::new(
        params
            .get_untracked()
            .get("q")
            .unwrap_or_else(|| DEFAULT_QUERY.to_owned()),
    );
    let range_choice = RwSignal::new(
        params
            .get_untracked()
            .get("range")
            .filter(|r| QUICK_RANGES.iter().any(|q| range_key(q.from) == r))
            .unwrap_or_else(|| DEFAULT_RANGE.to_owned()),
    );
    let state = RwSignal::new(QueryState::Idle);
    let slot = RequestSlot::default();
    let chart_box = NodeRef::<leptos::html::Div>::new();

    let run = {
        let navigate = navigate.clone();
        move || {
            let Some(current) = session.session.get_untracked() else {
                return;
            };
            let query = query_text.get_untracked();
            if query.trim().is_empty() {
                state.set(QueryState::Idle);
                return;
            }
            let key = range_choice.get_untracked();
            let span = QUICK_RANGES
                .iter()
                .find(|q| range_key(q.from) == key)
                .map_or(QUICK_RANGES[1].span, |q| q.span);
            let range = TimeRange::last(span, now_ms());
            // Keep the view in the URL without adding a history entry per run.
            navigate(
                &format!(
                    "/explore?q={}&range={}",
                    encode_component(&query),
                    encode_component(&key)
                ),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let width = chart_box
                .get_untracked()
                .map_or(1000.0, |el| el.get_bounding_client_rect().width())
                as u32;
            state.set(QueryState::Loading);
            let slot = slot.clone();
            spawn_local(async move {
                match run_range_query(&current, &query, range, width, &slot).await {
                    Ok(result) => state.set(QueryState::Done(Arc::new(result))),
                    Err(error) if error.is_aborted() => {}
                    Err(error) if error.needs_sign_in() => session.expire(),
                    Err(error) => state.set(QueryState::Failed(error)),
                }
            });
        }
    };
    // Run once on arrival, so a shared link shows its chart straight away.
    let first_run = run.clone();
    Effect::new(move |done: Option<()>| {
        if done.is_none() {
            first_run();
        }
    });

    let chart_input = Memo::new(move |_| match state.get() {
        QueryState::Done(result) => {
            let names = result
                .series
                .iter()
                .map(|s| s.labels.format_legend(""))
                .collect();
            #[allow(clippy::cast_possible_wrap)]
            let gap = (result.step.as_millis() as i64).saturating_mul(3) / 2;
            Some(ChartInput::simple(
                result.series.clone(),
                names,
                result.range,
                Some(gap),
            ))
        }
        _ => None,
    });
    let status = move || match state.get() {
        QueryState::Idle => String::new(),
        QueryState::Loading => "Running…".to_owned(),
        QueryState::Done(result) => {
            let points: usize = result.series.iter().map(|s| s.len()).sum();
            format!(
                "{} series, {} points, step {}",
                result.series.len(),
                points,
                result.step
            )
        }
        QueryState::Failed(_) => String::new(),
    };
    let warnings = move || match state.get() {
        QueryState::Done(result) => result
            .warnings
            .iter()
            .map(|w| format!("Warning: {w}"))
            .chain(result.infos.iter().map(|i| format!("Info: {i}")))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    let run_for_retry = run.clone();
    let run_for_keys = run.clone();
    let run_for_button = run.clone();
    let run_for_range = run;

    view! {
        <Header/>
        <main class="page explore">
            <section class="query-bar">
                <textarea
                    id="query"
                    class="query-input"
                    rows="2"
                    spellcheck="false"
                    aria-label="PromQL query"
                    placeholder="PromQL, e.g. avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)"
                    prop:value=move || query_text.get()
                    on:input=move |ev| query_text.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
                            ev.prevent_default();
                            run_for_keys();
                        }
                    }
                ></textarea>
                <div class="range-buttons" role="group" aria-label="Time range">
                    {QUICK_RANGES.iter().map(|q| {
                        let key = range_key(q.from).to_owned();
                        let key_for_class = key.clone();
                        let run = run_for_range.clone();
                        view! {
                            <button
                                class="btn range-btn"
                                class:active=move || range_choice.get() == key_for_class
                                data-range=key.clone()
                                on:click=move |_| {
                                    range_choice.set(key.clone());
                                    run();
                                }
                            >{q.label}</button>
                        }
                    }).collect::<Vec<_>>()}
                </div>
                <button id="run" class="btn btn-primary" on:click=move |_| run_for_button()>"Run"</button>
            </section>
            <div class="status-line">
                <span id="query-status" class="muted">{status}</span>
                {move || warnings().into_iter().map(|w| view! { <span class="badge badge-warn">{w}</span> }).collect::<Vec<_>>()}
            </div>
            {move || match state.get() {
                QueryState::Failed(error) => {
                    let retry = run_for_retry.clone();
                    Some(view! {
                        <ErrorBox message=error.to_string() on_retry=UnsyncCallback::new(move |()| retry())/>
                    })
                }
                _ => None,
            }}
            <div class="chart-box" node_ref=chart_box>
                {move || match state.get() {
                    QueryState::Done(result) if result.series.is_empty() => {
                        Some(view! { <p class="no-data">"No data: the query returned no series for this range."</p> })
                    }
                    _ => None,
                }}
                <TimeSeriesChart input=chart_input/>
            </div>
        </main>
    }
}
