//! The log list with its toolbar, level chips and status line, over the pages one or more log
//! queries loaded. Shared by the dashboard's logs panel and Explore.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::logs::rows::level_counts;
use sightline_core::model::logs::{view_rows, LogRow};
use sightline_core::model::timezone::TimeZone;

use super::details::FilterAction;
use super::list::{ListInput, LogList};
use super::toolbar::{LevelChips, LogsControls, LogsToolbar};
use crate::state::logs::{rows_of_pages, LogsPage};

/// Rows of `pages` in the controls' order, shared between the list and its helpers.
fn rows_memo(
    pages: Signal<Vec<Arc<LogsPage>>>,
    controls: LogsControls,
) -> Memo<Arc<Vec<Arc<LogRow>>>> {
    Memo::new(move |_| {
        let order = controls.order.get();
        pages.with(|pages| {
            let refs: Vec<&LogsPage> = pages.iter().map(AsRef::as_ref).collect();
            Arc::new(
                rows_of_pages(&refs, order)
                    .into_iter()
                    .map(Arc::new)
                    .collect(),
            )
        })
    })
}

/// The list over `pages`, with everything around it.
#[component]
pub fn LogsView(
    #[prop(into)] pages: Signal<Vec<Arc<LogsPage>>>,
    controls: LogsControls,
    #[prop(into)] timezone: Signal<TimeZone>,
    /// Height of the scrolling list, CSS pixels.
    #[prop(into)]
    height: Signal<f64>,
    #[prop(optional_no_strip)] on_filter: Option<UnsyncCallback<FilterAction>>,
    /// "Load older lines": shown while a page says more lines exist.
    #[prop(optional_no_strip)]
    on_load_more: Option<UnsyncCallback<()>>,
    #[prop(optional, into)] loading_more: Signal<bool>,
) -> impl IntoView {
    let rows = rows_memo(pages, controls);
    let view = Memo::new(move |_| {
        let filter = controls.filter();
        rows.with(|rows| Arc::new(view_rows(rows, &filter)))
    });
    let counts = Signal::derive(move || rows.with(|rows| level_counts(rows)));
    let input = Signal::derive(move || ListInput {
        rows: rows.get(),
        view: view.get(),
        stream_labels: Arc::new(pages.with(|p| {
            p.iter()
                .map(|page| page.stream_labels.clone().map(Arc::new))
                .collect()
        })),
    });
    let match_count = Signal::derive(move || view.with(|v| v.matches.len()));
    let scroll_request = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let current = controls.current_match.get();
        let target = view.with(|v| {
            v.matches
                .get(current.min(v.matches.len().saturating_sub(1)))
                .copied()
        });
        scroll_request.set(target);
    });
    let search = Signal::derive(move || controls.search.get());
    let has_more = move || pages.with(|p| p.iter().any(|page| page.next.is_some()));
    let footer = on_load_more.map(|load| {
        // Drawn again with every answer: it reads `loading_more` here rather than in reactive
        // attributes, which would leave each drawn button subscribed to the long-lived signal.
        ViewFn::from(move || {
            let busy = loading_more.get();
            has_more().then(|| view! {
                <div class="log-more">
                    <button class="btn btn-small log-load-more" disabled=busy
                        on:click=move |_| load.run(())>
                        {if busy { "Loading…" } else { "Load older lines" }}
                    </button>
                    <span class="muted small">" Loki returns at most the line limit per request; this asks for the next page."</span>
                </div>
            })
        })
    });
    let status = move || {
        let total = rows.with(|r| r.len());
        let shown = view.with(|v| v.rows.len());
        let more = if has_more() { " (more available)" } else { "" };
        if shown == total {
            format!("{total} lines{more}")
        } else {
            format!("{shown} of {total} lines shown{more}")
        }
    };
    let notes = move || {
        pages.with(|p| {
            let mut texts: BTreeSet<String> = BTreeSet::new();
            for page in p {
                if let Some(note) = &page.note {
                    texts.insert(note.text.clone());
                }
                for warning in &page.warnings {
                    texts.insert(format!("Warning: {warning}"));
                }
            }
            texts
                .into_iter()
                .map(|t| view! { <span class="badge badge-warn log-note">{t}</span> })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="logs-view">
            <LogsToolbar controls=controls match_count=match_count/>
            <div class="logs-status">
                <LevelChips controls=controls counts=counts/>
                <span class="log-count muted small">{status}</span>
                {notes}
            </div>
            <LogList input=input look=controls.look search=search timezone=timezone height=height
                scroll_request=scroll_request on_filter=on_filter footer=footer.unwrap_or_default()/>
        </div>
    }
}
