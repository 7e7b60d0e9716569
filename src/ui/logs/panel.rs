//! `LogsPanel`: a self-fetching log list for the dashboard grid (and anywhere else). It runs
//! the panel's LogQL over the absolute range on the logs or audit-log host — split at the logs
//! cut-over, with the stitch note shown — and shows loading, no-data and error (with retry)
//! states, "load older" paging, filters added from a row's details, and optionally the volume
//! histogram.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::Direction;
use sightline_core::model::logs::LogsOptions;
use sightline_core::model::query_lang::logql_edit::FilterOp;
use sightline_core::model::timezone::TimeZone;

use super::details::{apply_filter, FilterAction};
use super::toolbar::LogsControls;
use super::view::LogsView;
use super::volume::{LogVolume, VolumeState};
use crate::client::RequestSlot;
use crate::state::config::use_config;
use crate::state::logs::{fetch_volume, load_more, logs_cutover, run_logs, LogsPage, LogsRequest};
use crate::state::session::use_session;
use crate::ui::components::error_box::ErrorBox;
use crate::ui::components::identity::answer_memo;

/// Lines asked for per request unless the caller says otherwise (Grafana's default).
pub const DEFAULT_LINE_LIMIT: u32 = 1000;
/// Height taken by the toolbar and status line above the list.
const CHROME_HEIGHT: f64 = 72.0;
const VOLUME_HEIGHT: f64 = 160.0;

#[derive(Debug, Clone, PartialEq)]
enum PanelState {
    Waiting,
    /// Asking; the last page (if any) stays on screen, so a refresh does not blank the list
    /// or rebuild it.
    Loading(Option<Arc<LogsPage>>),
    Ready(Arc<LogsPage>),
    Failed(ApiError),
}

impl PanelState {
    /// The page to show: the answer, or the last one while a refresh runs.
    fn page(&self) -> Option<&Arc<LogsPage>> {
        match self {
            PanelState::Ready(page) | PanelState::Loading(Some(page)) => Some(page),
            _ => None,
        }
    }
}

/// A logs panel. See the module documentation.
#[component]
pub fn LogsPanel(
    /// The interpolated query, absolute range, service (`Logs` or `AuditLogs`) and refresh tick.
    #[prop(into)]
    query: Signal<LogsRequest>,
    /// `showTime`, `wrapLogMessage`, `prettifyLogMessage`, `enableLogDetails`,
    /// `dedupStrategy`, `sortOrder` (see `LogsOptions::from_panel`).
    #[prop(into)]
    options: Signal<LogsOptions>,
    /// Height of the panel body in CSS pixels.
    #[prop(into)]
    height: Signal<f64>,
    /// Zone of the timestamps (the browser's when not given).
    #[prop(optional, into)]
    timezone: Option<Signal<TimeZone>>,
    /// Show the volume histogram above the list.
    #[prop(optional)]
    show_volume: bool,
    /// Called with `(from_ms, to_ms)` when the user drags across the histogram.
    #[prop(optional)]
    on_zoom: Option<UnsyncCallback<(i64, i64)>>,
    /// Lines per request (default 1000, at most the host's 5000).
    #[prop(optional)]
    line_limit: Option<u32>,
) -> impl IntoView {
    let session = use_session();
    let config = use_config();
    let timezone = timezone.unwrap_or_else(|| Signal::stored(TimeZone::Browser));
    let controls = LogsControls::new(options.get_untracked());
    Effect::new(move |_| controls.apply(options.get()));
    let filters = RwSignal::new(Vec::<FilterAction>::new());
    let retry = RwSignal::new(0_u64);
    let state = RwSignal::new(PanelState::Waiting);
    let volume = RwSignal::new(None::<VolumeState>);
    let loading_more = RwSignal::new(false);
    let (slot, labels_slot, volume_slot, more_slot) = (
        RequestSlot::default(),
        RequestSlot::default(),
        RequestSlot::default(),
        RequestSlot::default(),
    );
    let limit = line_limit.unwrap_or(DEFAULT_LINE_LIMIT);
    let effective_expr = move || {
        let base = query.with(|q| q.expr.clone());
        filters.with(|f| {
            f.iter()
                .fold(base, |expr, action| apply_filter(&expr, action))
        })
    };

    let effect_more_slot = more_slot.clone();
    Effect::new(move |_| {
        retry.track();
        let request = query.get();
        let expr = effective_expr();
        let Some(cutover_ms) = logs_cutover(&config) else {
            return;
        };
        let Some(current) = session.session.get() else {
            return;
        };
        if expr.trim().is_empty() {
            state.set(PanelState::Waiting);
            return;
        }
        let last = state.with_untracked(|s| s.page().cloned());
        state.set(PanelState::Loading(last));
        effect_more_slot.abort();
        loading_more.set(false);
        let (slot, labels_slot) = (slot.clone(), labels_slot.clone());
        let run_session = current.clone();
        let run_expr = expr.clone();
        spawn_local(async move {
            let outcome = run_logs(
                &run_session,
                request.service,
                cutover_ms,
                &run_expr,
                request.range,
                limit,
                Direction::Backward,
                &slot,
                &labels_slot,
            )
            .await;
            match outcome {
                Ok(page) => state.set(PanelState::Ready(Arc::new(page))),
                Err(error) if error.is_aborted() => {}
                Err(error) if error.needs_sign_in() => session.expire(),
                Err(error) => state.set(PanelState::Failed(error)),
            }
        });
        if show_volume {
            volume.set(Some(VolumeState::Loading));
            let volume_slot = volume_slot.clone();
            spawn_local(async move {
                match fetch_volume(
                    &current,
                    request.service,
                    cutover_ms,
                    &expr,
                    request.range,
                    1000,
                    &volume_slot,
                )
                .await
                {
                    Ok(v) => volume.set(Some(VolumeState::Ready(Arc::new(v)))),
                    Err(error) if error.is_aborted() => {}
                    Err(error) if error.needs_sign_in() => session.expire(),
                    Err(error) => volume.set(Some(VolumeState::Failed(error.to_string()))),
                }
            });
        }
    });

    let on_load_more = UnsyncCallback::new(move |()| {
        let PanelState::Ready(page) = state.get_untracked() else {
            return;
        };
        let (Some(current), Some(cutover_ms)) =
            (session.session.get_untracked(), logs_cutover(&config))
        else {
            return;
        };
        loading_more.set(true);
        let more_slot = more_slot.clone();
        spawn_local(async move {
            match load_more(&current, cutover_ms, &page, &more_slot).await {
                Ok(next) => state.set(PanelState::Ready(Arc::new(next))),
                Err(error) if error.is_aborted() => return,
                // Signed out: the page is on its way out; write nothing more to it.
                Err(error) if error.needs_sign_in() => return session.expire(),
                Err(error) => state.set(PanelState::Failed(error)),
            }
            loading_more.set(false);
        });
    });
    let on_filter =
        UnsyncCallback::new(move |action: FilterAction| filters.update(|f| f.push(action)));
    let pages = answer_memo(move || state.with(|s| s.page().cloned()));
    let pages = Signal::derive(move || pages.get().into_iter().collect::<Vec<_>>());
    let listed = move || state.with(|s| s.page().is_some_and(|p| p.entries > 0));
    let list_height = Signal::derive(move || {
        let chips = if filters.with(Vec::is_empty) {
            0.0
        } else {
            30.0
        };
        let histogram = if show_volume { VOLUME_HEIGHT } else { 0.0 };
        (height.get() - CHROME_HEIGHT - chips - histogram).max(80.0)
    });
    let filter_chips = move || {
        filters.with(|f| {
            f.iter()
                .enumerate()
                .map(|(i, action)| {
                    let op = match action.op {
                        FilterOp::Include => "=",
                        FilterOp::Exclude => "!=",
                    };
                    view! {
                        <button class="btn btn-small log-filter-chip" title="Remove this filter"
                            on:click=move |_| filters.update(|f| { if i < f.len() { f.remove(i); } })>
                            {format!("{}{op}\"{}\" ×", action.name, action.value)}
                        </button>
                    }
                })
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div class="logs-panel" class:logs-refreshing=move || matches!(state.get(), PanelState::Loading(Some(_)))>
            {show_volume.then(|| view! { <LogVolume state=volume on_zoom=on_zoom/> })}
            <div class="log-filters">{filter_chips}</div>
            {move || match state.get() {
                PanelState::Waiting => view! { <p class="no-data">"No query."</p> }.into_any(),
                PanelState::Loading(None) => view! { <p class="no-data logs-loading">"Loading logs…"</p> }.into_any(),
                PanelState::Failed(error) => view! {
                    <ErrorBox message=error.to_string() on_retry=UnsyncCallback::new(move |()| retry.update(|r| *r += 1))/>
                }.into_any(),
                PanelState::Ready(page) | PanelState::Loading(Some(page)) if page.samples.is_some() => view! {
                    <p class="no-data">"This query returns samples, not lines: show it in a time series panel."</p>
                }.into_any(),
                PanelState::Ready(page) | PanelState::Loading(Some(page)) if page.entries == 0 => view! {
                    <p class="no-data">"No logs in this range."</p>
                    {page.note.clone().map(|n| view! { <p class="muted small">{n.text}</p> })}
                }.into_any(),
                PanelState::Ready(_) | PanelState::Loading(Some(_)) => ().into_any(),
            }}
            <Show when=listed>
                <LogsView pages=pages controls=controls timezone=timezone height=list_height
                    on_filter=Some(on_filter) on_load_more=Some(on_load_more) loading_more=loading_more/>
            </Show>
        </div>
    }
}
