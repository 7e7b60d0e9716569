//! The virtualized log list: only the rows in view (plus a margin) are in the DOM, between two
//! spacers as tall as the rows above and below, so thousands of lines scroll smoothly. Row
//! heights are estimated (one line, or the wrapped lines of a monospace column) and replaced by
//! their measured height once drawn (expanded rows, wrapped text).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::logs::follow::follow_rows;
use sightline_core::model::logs::heights::{wrapped_lines, RowHeights};
use sightline_core::model::logs::{LogRow, RowView};
use sightline_core::model::timezone::TimeZone;
use wasm_bindgen::JsCast;

use super::details::FilterAction;
use super::row::{shown_text, LogRowView, RowLook};
use crate::browser::zone_offset;
use crate::ui::components::resize::use_element_width;

/// Height of one text line of a row, in CSS pixels (`.log-row` line-height).
pub const LINE_HEIGHT: f64 = 20.0;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 12;
/// Width of the time column and the level marker, for wrapped-line estimates.
const TIME_COLUMN: f64 = 196.0;
const MARKER_COLUMN: f64 = 24.0;
/// Monospace character width until measured.
const DEFAULT_CHAR_WIDTH: f64 = 7.5;

/// What the list shows.
#[derive(Clone)]
pub struct ListInput {
    /// Every loaded row, in display order.
    pub rows: Arc<Vec<Arc<LogRow>>>,
    /// The rows shown after search, level filters and de-duplication.
    pub view: Arc<RowView>,
    /// The stream label names of each query (by `query_index`), when known.
    pub stream_labels: Arc<Vec<Option<Arc<BTreeSet<String>>>>>,
}

/// What the list last laid out: its rows, their look and the list's width.
type LaidOut = (Arc<Vec<Arc<LogRow>>>, RowLook, f64);

fn estimate(row: &LogRow, look: RowLook, columns: usize) -> f64 {
    if !look.wrap && !look.prettify {
        return LINE_HEIGHT;
    }
    let text = shown_text(&row.line, look.prettify);
    #[allow(clippy::cast_precision_loss)]
    let lines = if look.wrap {
        wrapped_lines(&text, columns)
    } else {
        text.lines().count().max(1)
    } as f64;
    lines * LINE_HEIGHT
}

/// The virtualized list.
#[component]
pub fn LogList(
    #[prop(into)] input: Signal<ListInput>,
    #[prop(into)] look: Signal<RowLook>,
    #[prop(into)] search: Signal<String>,
    #[prop(into)] timezone: Signal<TimeZone>,
    /// Height of the scrolling box, CSS pixels.
    #[prop(into)]
    height: Signal<f64>,
    /// Scroll so that this position of the view is visible (search navigation).
    #[prop(optional)]
    scroll_request: Option<RwSignal<Option<usize>>>,
    #[prop(optional_no_strip)] on_filter: Option<UnsyncCallback<FilterAction>>,
    /// Shown after the last row (e.g. "Load older lines").
    #[prop(optional, into)]
    footer: Option<ViewFn>,
) -> impl IntoView {
    let scroller = NodeRef::<leptos::html::Div>::new();
    let probe = NodeRef::<leptos::html::Span>::new();
    let width = use_element_width(scroller);
    let scroll_top = RwSignal::new(0.0_f64);
    let measured = RwSignal::new(HashMap::<usize, f64>::new());
    let expanded = RwSignal::new(HashSet::<usize>::new());
    let char_width = RwSignal::new(DEFAULT_CHAR_WIDTH);

    Effect::new(move |_| {
        width.track();
        if let Some(span) = probe.get() {
            let w = span.get_bounding_client_rect().width() / 10.0;
            if w > 1.0 {
                char_width.set(w);
            }
        }
    });

    let estimates = Memo::new(move |_| {
        let look = look.get();
        let text_width =
            width.get() - MARKER_COLUMN - if look.show_time { TIME_COLUMN } else { 0.0 };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let columns = (text_width / char_width.get()).floor().max(20.0) as usize;
        input.with(|i| {
            i.view
                .rows
                .iter()
                .map(|f| {
                    (
                        i.rows[f.index].id,
                        estimate(&i.rows[f.index], look, columns),
                    )
                })
                .collect::<Vec<(usize, f64)>>()
        })
    });
    let heights = Memo::new(move |_| {
        measured.with(|m| {
            estimates
                .with(|e| RowHeights::new(e.iter().map(|(id, h)| m.get(id).copied().unwrap_or(*h))))
        })
    });
    let window =
        Memo::new(move |_| heights.with(|h| h.window(scroll_top.get(), height.get(), OVERSCAN)));

    // The row at the top of the view and how far it is scrolled past, while the list is not at
    // its top: a new answer scrolls to the same line rather than back to the start.
    let anchor = StoredValue::new(None::<(usize, f64)>);
    // Whether the list is scrolled to its end: oldest first, that is where newer lines arrive.
    let at_end = StoredValue::new(false);
    let end_reached = move |top: f64| {
        let total = heights.with_untracked(RowHeights::total);
        let viewport = height.get_untracked();
        total > viewport && top + viewport >= total - 2.0
    };
    let anchor_at = move |top: f64| {
        if top < 1.0 {
            return None;
        }
        let (index, row_top) = heights.with_untracked(|h| {
            let index = h.index_at(top);
            (index, h.top_of(index))
        });
        input
            .with_untracked(|i| i.view.rows.get(index).map(|f| f.index))
            .map(|id| (id, top - row_top))
    };
    // Another look or width: heights are estimated afresh. A new answer (a refresh, older
    // lines, another run): expanded rows, measured heights and the reader's place follow their
    // lines; at the edge where newer lines arrive (the top, or the end when oldest first), the
    // list stays at that edge.
    Effect::new(move |previous: Option<LaidOut>| {
        let rows = input.with(|i| Arc::clone(&i.rows));
        let now = (look.get(), width.get());
        let Some((old_rows, old_look, old_width)) = previous else {
            return (rows, now.0, now.1);
        };
        let same_layout = (old_look, old_width) == now;
        if Arc::ptr_eq(&old_rows, &rows) {
            if !same_layout {
                measured.set(HashMap::new());
            }
            return (rows, now.0, now.1);
        }
        let kept_anchor = anchor.get_value();
        let followed: Vec<usize> = measured
            .with_untracked(|m| {
                if same_layout {
                    m.keys().copied().collect()
                } else {
                    Vec::new()
                }
            })
            .into_iter()
            .chain(expanded.with_untracked(|e| e.iter().copied().collect::<Vec<_>>()))
            .chain(kept_anchor.map(|(id, _)| id))
            .collect();
        let moved = follow_rows(&old_rows, followed, &rows);
        drop(old_rows);
        let carried = |id: &usize| moved.get(id).copied();
        measured.set(if same_layout {
            measured.with_untracked(|m| {
                m.iter()
                    .filter_map(|(id, h)| Some((carried(id)?, *h)))
                    .collect()
            })
        } else {
            HashMap::new()
        });
        expanded.set(expanded.with_untracked(|e| e.iter().filter_map(carried).collect()));
        let oldest_first = rows
            .first()
            .zip(rows.last())
            .is_some_and(|(first, last)| first.ts_ns < last.ts_ns);
        // Following the newest lines at the end: stay there. Otherwise the reader's row and
        // offset, where it went; or the top.
        let (top, followed_anchor) = if oldest_first && at_end.get_value() {
            let end = heights.with_untracked(RowHeights::total) - height.get_untracked();
            (end, None)
        } else {
            kept_anchor
                .and_then(|(id, offset)| {
                    let id = carried(&id)?;
                    let index =
                        input.with_untracked(|i| i.view.rows.iter().position(|f| f.index == id))?;
                    let top = heights.with_untracked(|h| h.top_of(index)) + offset;
                    Some((top, Some((id, offset))))
                })
                .unwrap_or((0.0, None))
        };
        anchor.set_value(followed_anchor);
        let top = top.max(0.0);
        scroll_top.set(top);
        // After the spacers took their new heights, or the browser would clamp the position.
        request_animation_frame(move || {
            // The list may be gone by the next frame (its values disposed).
            if let Some(Some(el)) = scroller.try_get_untracked() {
                #[allow(clippy::cast_possible_truncation)]
                el.set_scroll_top(top.round() as i32);
            }
        });
        (rows, now.0, now.1)
    });

    // Measure the rows drawn, after the browser laid them out.
    Effect::new(move |_| {
        window.track();
        expanded.track();
        request_animation_frame(move || {
            // Gone by the next frame: every value below was disposed with the list.
            let Some(Some(el)) = scroller.try_get_untracked() else {
                return;
            };
            let Ok(nodes) = el.query_selector_all(".log-row") else {
                return;
            };
            let mut changes = Vec::new();
            measured.with_untracked(|m| {
                estimates.with_untracked(|e| {
                    let estimate_of: HashMap<usize, f64> = e.iter().copied().collect();
                    for i in 0..nodes.length() {
                        let Some(node) = nodes
                            .item(i)
                            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                        else {
                            continue;
                        };
                        let Some(id) = node
                            .get_attribute("data-row-id")
                            .and_then(|v| v.parse::<usize>().ok())
                        else {
                            continue;
                        };
                        let h = node.get_bounding_client_rect().height();
                        let known = m
                            .get(&id)
                            .or_else(|| estimate_of.get(&id))
                            .copied()
                            .unwrap_or(LINE_HEIGHT);
                        if h > 0.0 && (h - known).abs() > 0.5 {
                            changes.push((id, h));
                        }
                    }
                });
            });
            if !changes.is_empty() {
                measured.update(|m| m.extend(changes));
                // Rows above moved: the reader now sees the row at this position. (Following
                // the end is the reader's choice, made by scrolling: it stays as it was.)
                anchor.set_value(anchor_at(scroll_top.get_untracked()));
            }
        });
    });

    if let Some(request) = scroll_request {
        Effect::new(move |_| {
            let Some(position) = request.get() else {
                return;
            };
            let top = heights.with_untracked(|h| h.top_of(position));
            if let Some(el) = scroller.get_untracked() {
                #[allow(clippy::cast_possible_truncation)]
                el.set_scroll_top((top - height.get_untracked() / 3.0).max(0.0) as i32);
            }
        });
    }

    let offsets = StoredValue::new(HashMap::<(String, i64), i32>::new());
    let offset_of = move |zone: &TimeZone, ts_ns: i64| -> i32 {
        let ms = ts_ns.div_euclid(1_000_000);
        let key = (zone.to_string(), ms.div_euclid(900_000));
        if let Some(found) = offsets.with_value(|o| o.get(&key).copied()) {
            return found;
        }
        let offset = zone_offset(zone, ms);
        offsets.update_value(|o| {
            o.insert(key, offset);
        });
        offset
    };
    let on_toggle = UnsyncCallback::new(move |id: usize| {
        expanded.update(|set| {
            if !set.remove(&id) {
                set.insert(id);
            }
        });
    });
    // Each visible row with what it shows: a row whose search text or expanded state changes
    // gets a new key, so the list draws it again instead of the row reading those signals.
    let visible = move || {
        let range = window.get();
        let needle: Arc<str> = search.with(|s| Arc::from(s.trim()));
        expanded.with(|open| {
            input.with(|i| {
                i.view.rows[range.start.min(i.view.rows.len())..range.end.min(i.view.rows.len())]
                    .iter()
                    .map(|f| {
                        let row = Arc::clone(&i.rows[f.index]);
                        let expanded = open.contains(&row.id);
                        (row, f.duplicates, expanded, Arc::clone(&needle))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let top_pad = move || format!("{}px", heights.with(|h| h.top_of(window.get().start)));
    let bottom_pad = move || {
        format!(
            "{}px",
            heights.with(|h| (h.total() - h.top_of(window.get().end)).max(0.0))
        )
    };
    let rows_view = move || {
        let look = look.get();
        let zone = timezone.get();
        let labels = input.with(|i| Arc::clone(&i.stream_labels));
        view! {
            <For
                each=visible
                key=|(row, duplicates, expanded, needle)| (row.id, *duplicates, *expanded, Arc::clone(needle))
                children=move |(row, duplicates, expanded, needle)| {
                    let offset = offset_of(&zone, row.ts_ns);
                    let stream_labels = labels.get(row.query_index).cloned().flatten();
                    view! {
                        <LogRowView row=row duplicates=duplicates look=look offset_minutes=offset
                            search=needle expanded=expanded
                            on_toggle=on_toggle stream_labels=stream_labels on_filter=on_filter/>
                    }
                }
            />
        }
    };
    view! {
        <div
            class="log-scroll"
            class:log-nowrap=move || !look.get().wrap
            node_ref=scroller
            style:height=move || format!("{}px", height.get())
            // Structural, not cosmetic: the list only works as its own scroll box.
            style:overflow="auto"
            style:position="relative"
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    let top = f64::from(el.scroll_top());
                    scroll_top.set(top);
                    anchor.set_value(anchor_at(top));
                    at_end.set_value(end_reached(top));
                }
            }
        >
            <span class="log-probe" node_ref=probe aria-hidden="true">"0000000000"</span>
            <div class="log-spacer" style:height=top_pad></div>
            <div class="log-rows" role="list">{rows_view}</div>
            <div class="log-spacer" style:height=bottom_pad></div>
            {footer.map(|f| move || f.run())}
        </div>
    }
}
