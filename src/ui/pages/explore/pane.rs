//! One Explore pane: the source picker (metrics, logs or audit logs of the profile), the query
//! editors, the actions (format, history, label browser, add to dashboard) and the results.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::prometheus::Feature;
use sightline_core::model::query_lang::export::ref_id;
use sightline_core::model::query_lang::metric_unit::default_unit;
use sightline_core::model::query_lang::{Pane, Source};
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;

use super::add_to_dashboard::AddToDashboard;
use super::editor::QueryEditor;
use super::history::HistoryDrawer;
use super::label_browser::LabelBrowser;
use super::logs_result::LogsResults;
use super::metrics_result::MetricsResults;
use super::model::PaneModel;
use crate::client::{loki, prometheus, RequestSlot};
use crate::state::explore::catalog::Catalog;
use crate::state::explore::history::HistoryState;
use crate::state::explore::service_of;
use crate::state::session::use_session;
use crate::ui::logs::details::apply_filter;
use crate::ui::logs::FilterAction;

/// Which side panel is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drawer {
    History,
    Labels,
    AddToDashboard,
}

const SOURCES: [Source; 3] = [Source::Metrics, Source::Logs, Source::Audit];

/// Page-level actions a pane triggers.
#[derive(Clone, Copy)]
pub struct PaneActions {
    pub run: UnsyncCallback<()>,
    pub load_more: UnsyncCallback<usize>,
    pub zoom: UnsyncCallback<(i64, i64)>,
    /// Closes the split view (second pane only).
    pub close: Option<UnsyncCallback<()>>,
}

/// Formats every query of the pane with the host's `format_query`, where the host offers it.
fn format_queries(model: PaneModel) {
    let Some(session) = use_session().session.get_untracked() else {
        return;
    };
    let source = model.source.get_untracked();
    let Ok(endpoint) = session.endpoint(service_of(source)) else {
        return;
    };
    for query in model.queries.get_untracked() {
        let text = query.text.get_untracked();
        if text.trim().is_empty() {
            continue;
        }
        let endpoint = endpoint.clone();
        spawn_local(async move {
            let slot = RequestSlot::default();
            let outcome = if source == Source::Metrics {
                prometheus::format_query(&endpoint, &text, &slot).await
            } else {
                loki::format_query(&endpoint, &text, &slot).await
            };
            match outcome {
                Ok(Feature::Available(formatted)) => {
                    query.text.set(formatted);
                    model
                        .message
                        .set(Some("Formatted by the host's format_query.".to_owned()));
                }
                Ok(missing) => model.message.set(missing.unavailable_text("format_query")),
                Err(error) => model.message.set(Some(format!("format_query: {error}"))),
            }
        });
    }
}

/// One pane.
#[component]
pub fn PaneView(
    model: PaneModel,
    catalog: Catalog,
    history: HistoryState,
    #[prop(into)] timezone: Signal<TimeZone>,
    #[prop(into)] range: Signal<TimeRange>,
    #[prop(into)] from: Signal<String>,
    #[prop(into)] to: Signal<String>,
    actions: PaneActions,
) -> impl IntoView {
    let drawer = RwSignal::new(None::<Drawer>);
    let toggle = move |d: Drawer| {
        drawer.update(|open| *open = if *open == Some(d) { None } else { Some(d) })
    };
    let source = model.source;
    let unit = Memo::new(move |_| {
        if source.get() != Source::Metrics {
            return None;
        }
        catalog.ensure_metrics();
        let first = model.queries.with(|q| q.first().map(|m| m.text.get()))?;
        default_unit(&first, &|name| catalog.metric_info(name))
    });
    let on_filter = UnsyncCallback::new(move |action: FilterAction| {
        if let Some(text) = model.ran_query(action.query_index) {
            text.update(|t| *t = apply_filter(t, &action));
            actions.run.run(());
        }
    });
    let status_id = if model.index == 0 {
        "query-status".to_owned()
    } else {
        format!("query-status-{}", model.index + 1)
    };
    let editors = move || {
        let count = model.queries.with(Vec::len);
        model
            .queries
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, query)| {
                let id = if model.index == 0 && i == 0 { "query".to_owned() } else { format!("query-{}-{}", model.index + 1, i + 1) };
                view! {
                    <div class="query-row">
                        <span class="ref-id" title="Query name">{ref_id(i)}</span>
                        <QueryEditor text=query.text source=source catalog=catalog id=id on_run=actions.run/>
                        {(count > 1).then(|| view! {
                            <button class="btn btn-quiet btn-small query-remove" title="Remove this query"
                                on:click=move |_| model.remove_query(query.id)>"×"</button>
                        })}
                    </div>
                }
            })
            .collect::<Vec<_>>()
    };
    let pick_history = UnsyncCallback::new(move |q: String| {
        model.set_first_query(&q);
        drawer.set(None);
    });
    let use_selector = UnsyncCallback::new(move |q: String| {
        model.set_first_query(&q);
        drawer.set(None);
        actions.run.run(());
    });
    let snapshot = Signal::derive(move || {
        let _ = (
            source.get(),
            model
                .queries
                .with(|q| q.iter().map(|m| m.text.get()).collect::<Vec<_>>()),
        );
        vec![model.snapshot()]
    });
    view! {
        <section class="explore-pane" data-source=move || source.get().as_str()>
            <div class="pane-head">
                <select class="pane-source" aria-label="What to query" on:change=move |ev| {
                    if let Some(s) = Source::parse(&event_target_value(&ev)) {
                        source.set(s);
                        model.metrics.set(Vec::new());
                        model.logs.set(Vec::new());
                        model.volume.set(None);
                        model.message.set(None);
                    }
                }>
                    {SOURCES.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || source.get() == s>{s.label()}</option> }
                    }).collect::<Vec<_>>()}
                </select>
                <button class="btn btn-small pane-format" title="Pretty-print the queries with the host's format_query"
                    on:click=move |_| format_queries(model)>"Format"</button>
                <button class="btn btn-small pane-history" class:active=move || drawer.get() == Some(Drawer::History)
                    on:click=move |_| toggle(Drawer::History)>"History"</button>
                <button class="btn btn-small pane-labels" class:active=move || drawer.get() == Some(Drawer::Labels)
                    on:click=move |_| toggle(Drawer::Labels)>"Label browser"</button>
                <button class="btn btn-small pane-add-dashboard" class:active=move || drawer.get() == Some(Drawer::AddToDashboard)
                    on:click=move |_| toggle(Drawer::AddToDashboard)>"Add to dashboard"</button>
                <span class="spacer"></span>
                {actions.close.map(|close| view! {
                    <button class="btn btn-quiet btn-small pane-close" title="Close this pane" on:click=move |_| close.run(())>"Close ×"</button>
                })}
            </div>
            <div class="query-list">{editors}</div>
            <div class="row pane-actions">
                <button class="btn btn-small query-add" on:click=move |_| model.add_query("")>"+ Query"</button>
                <span class="muted small">"Ctrl/Cmd+Enter runs every query"</span>
            </div>
            {move || model.message.get().map(|m| view! { <p class="muted small pane-message">{m}</p> })}
            {move || match drawer.get() {
                Some(Drawer::History) => view! { <HistoryDrawer history=history source=source on_pick=pick_history/> }.into_any(),
                Some(Drawer::Labels) => view! { <LabelBrowser catalog=catalog source=source on_use=use_selector/> }.into_any(),
                Some(Drawer::AddToDashboard) => view! { <AddToDashboard panes=snapshot from=from to=to/> }.into_any(),
                None => ().into_any(),
            }}
            {move || if source.get() == Source::Metrics {
                view! {
                    <MetricsResults runs=model.metrics unit=unit timezone=timezone on_zoom=actions.zoom
                        on_retry=actions.run status_id=status_id.clone()/>
                }.into_any()
            } else {
                view! {
                    <LogsResults runs=model.logs volume=model.volume controls=model.controls timezone=timezone range=range
                        on_zoom=actions.zoom on_filter=on_filter
                        on_load_more=UnsyncCallback::new(move |()| actions.load_more.run(model.index))
                        loading_more=model.loading_more on_retry=actions.run status_id=status_id.clone()/>
                }.into_any()
            }}
        </section>
    }
}

/// The panes as the URL writes them.
#[must_use]
pub fn snapshots(models: &[PaneModel]) -> Vec<Pane> {
    models.iter().map(PaneModel::snapshot).collect()
}
