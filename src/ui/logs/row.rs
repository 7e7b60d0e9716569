//! One row of the log list: level marker, time, a "×N" badge for folded duplicates, and the
//! line as text with the search matches highlighted; a click expands the details.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::logs::fields::pretty_json;
use sightline_core::model::logs::search::pieces;
use sightline_core::model::logs::time_format::format_row_time;
use sightline_core::model::logs::LogRow;

use super::details::{FilterAction, LogDetails};

/// How rows are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowLook {
    pub show_time: bool,
    pub wrap: bool,
    pub prettify: bool,
    pub details: bool,
}

/// The text a row shows: the line, or its pretty-printed JSON when prettifying.
#[must_use]
pub fn shown_text(line: &str, prettify: bool) -> String {
    if prettify {
        if let Some(pretty) = pretty_json(line) {
            return pretty;
        }
    }
    line.to_owned()
}

/// One log row. It reads no signal: the list draws a row again when its search text or its
/// expanded state changes (see [`super::list`]), so a row never subscribes to the list's
/// long-lived signals, which would keep every row ever drawn in their subscriber lists.
#[component]
pub fn LogRowView(
    row: Arc<LogRow>,
    duplicates: usize,
    look: RowLook,
    offset_minutes: i32,
    /// The search text whose matches are highlighted.
    search: Arc<str>,
    expanded: bool,
    on_toggle: UnsyncCallback<usize>,
    stream_labels: Option<Arc<BTreeSet<String>>>,
    on_filter: Option<UnsyncCallback<FilterAction>>,
) -> impl IntoView {
    let id = row.id;
    let text = shown_text(&row.line, look.prettify);
    let line = pieces(&text, search.trim())
        .into_iter()
        .map(|piece| {
            if piece.hit {
                view! { <mark class="log-hit">{piece.text.to_owned()}</mark> }.into_any()
            } else {
                piece.text.to_owned().into_any()
            }
        })
        .collect::<Vec<_>>();
    let level = row.level.as_str();
    let details_row = Arc::clone(&row);
    view! {
        <div
            class="log-row"
            class:log-wrap=look.wrap
            class:log-expandable=look.details
            class:log-expanded=expanded
            data-row-id=id.to_string()
            data-level=level
            on:click=move |_| if look.details { on_toggle.run(id) }
        >
            <div class="log-main">
                <span class=format!("log-level level-{level}") title=level></span>
                {look.show_time.then(|| view! { <span class="log-time">{format_row_time(row.ts_ns, offset_minutes)}</span> })}
                {(duplicates > 0).then(|| view! {
                    <span class="log-dup" title="Identical lines folded into this one">{format!("×{}", duplicates + 1)}</span>
                })}
                <span class="log-line">{line}</span>
            </div>
            {expanded.then(|| view! {
                <LogDetails row=details_row offset_minutes=offset_minutes
                    stream_labels=stream_labels on_filter=on_filter/>
            })}
        </div>
    }
}
