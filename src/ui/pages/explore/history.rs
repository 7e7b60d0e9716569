//! The query history drawer: this browser's past queries for the pane's source, searchable,
//! starred ones first, most used and most recent next. Picking one puts it in the editor.

use leptos::prelude::*;
use sightline_core::model::civil::format_local_minute;
use sightline_core::model::query_lang::history::{search, HistoryFilter};
use sightline_core::model::query_lang::Source;

use crate::browser::{local_offset_minutes, now_ms};
use crate::state::explore::history::HistoryState;

/// Most entries listed at once.
const SHOWN: usize = 100;

/// The drawer.
#[component]
pub fn HistoryDrawer(
    history: HistoryState,
    #[prop(into)] source: Signal<Source>,
    on_pick: UnsyncCallback<String>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let starred_only = RwSignal::new(false);
    let entries = move || {
        let filter = HistoryFilter {
            text: text.get(),
            source: Some(source.get()),
            starred_only: starred_only.get(),
        };
        history.entries.with(|all| {
            search(all, &filter, now_ms())
                .into_iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="explore-drawer history-drawer">
            <div class="drawer-head">
                <strong>"Query history"</strong>
                <span class="muted small">" (this browser only; queries, never results or tokens)"</span>
            </div>
            <div class="drawer-tools">
                <input class="history-search" type="search" placeholder="Search history" aria-label="Search the query history"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))/>
                <label class="log-toggle"><input type="checkbox" class="history-starred-only" prop:checked=move || starred_only.get()
                    on:change=move |ev| starred_only.set(event_target_checked(&ev))/>"Starred only"</label>
            </div>
            {move || history.error.get().map(|e| view! { <p class="error-text small">{e}</p> })}
            <ul class="history-list">
                {move || {
                    let list = entries();
                    if list.is_empty() {
                        return vec![view! { <li class="muted small">"No queries yet: run one and it shows here."</li> }.into_any()];
                    }
                    list.into_iter().map(|entry| {
                        let (q1, q2, q3) = (entry.query.clone(), entry.query.clone(), entry.query.clone());
                        let src = entry.source;
                        let starred = entry.starred;
                        let at = entry.last_used_ms;
                        let when = format_local_minute(at, local_offset_minutes(at));
                        view! {
                            <li class="history-item" class:starred=starred>
                                <button class="btn btn-quiet btn-small history-star" title=if starred { "Unstar" } else { "Star" }
                                    on:click=move |_| history.set_starred(&q1, src, !starred)>{if starred { "★" } else { "☆" }}</button>
                                <button class="link-button history-query" title="Use this query" on:click=move |_| on_pick.run(q2.clone())>
                                    {entry.query.clone()}
                                </button>
                                <span class="muted small history-meta" title="Runs, and when it last ran (this browser's time zone)">{format!("{}× · {when}", entry.uses)}</span>
                                <button class="btn btn-quiet btn-small history-remove" title="Forget this query"
                                    on:click=move |_| history.remove(&q3, src)>"×"</button>
                            </li>
                        }.into_any()
                    }).collect::<Vec<_>>()
                }}
            </ul>
        </div>
    }
}
