//! The log list's controls: time column, wrapping, pretty JSON, newest or oldest first,
//! de-duplication, search in the results (with match count and previous/next), and the level
//! chips that hide or show a level.

use std::collections::BTreeSet;

use leptos::prelude::*;
use sightline_core::model::logs::dedup::ALL_STRATEGIES;
use sightline_core::model::logs::{DedupStrategy, LogLevel, LogsOptions, SortOrder, ViewFilter};

use super::row::RowLook;

/// The state behind the controls. Cheap to copy.
#[derive(Clone, Copy)]
pub struct LogsControls {
    pub look: RwSignal<RowLook>,
    pub order: RwSignal<SortOrder>,
    pub dedup: RwSignal<DedupStrategy>,
    pub search: RwSignal<String>,
    pub only_matching: RwSignal<bool>,
    pub hidden_levels: RwSignal<BTreeSet<LogLevel>>,
    /// Which search match is current (position in the match list).
    pub current_match: RwSignal<usize>,
}

impl LogsControls {
    /// Controls starting from a panel's options.
    #[must_use]
    pub fn new(options: LogsOptions) -> Self {
        LogsControls {
            look: RwSignal::new(look_of(options)),
            order: RwSignal::new(options.order),
            dedup: RwSignal::new(options.dedup),
            search: RwSignal::new(String::new()),
            only_matching: RwSignal::new(false),
            hidden_levels: RwSignal::new(BTreeSet::new()),
            current_match: RwSignal::new(0),
        }
    }

    /// Applies new panel options (a dashboard edit), keeping search and level filters.
    pub fn apply(&self, options: LogsOptions) {
        self.look.set(look_of(options));
        self.order.set(options.order);
        self.dedup.set(options.dedup);
    }

    /// The filter the list applies (tracked).
    #[must_use]
    pub fn filter(&self) -> ViewFilter {
        ViewFilter {
            search: self.search.get(),
            only_matching: self.only_matching.get(),
            hidden_levels: self.hidden_levels.get(),
            dedup: self.dedup.get(),
        }
    }
}

fn look_of(options: LogsOptions) -> RowLook {
    RowLook {
        show_time: options.show_time,
        wrap: options.wrap,
        prettify: options.prettify,
        details: options.details,
    }
}

fn toggle(
    label: &'static str,
    class: &'static str,
    value: Signal<bool>,
    set: impl Fn(bool) + 'static,
) -> impl IntoView {
    view! {
        <label class=format!("log-toggle {class}")>
            <input type="checkbox" prop:checked=move || value.get()
                on:change=move |ev| set(event_target_checked(&ev))/>
            {label}
        </label>
    }
}

/// The toolbar above the list. `match_count` is the number of rows matching the search.
#[component]
pub fn LogsToolbar(
    controls: LogsControls,
    #[prop(into)] match_count: Signal<usize>,
) -> impl IntoView {
    let c = controls;
    let look_flag = move |pick: fn(&RowLook) -> bool| Signal::derive(move || c.look.with(pick));
    let step = move |delta: isize| {
        let n = match_count.get_untracked();
        if n == 0 {
            return;
        }
        c.current_match.update(|i| {
            #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
            let next = (*i as isize + delta).rem_euclid(n as isize) as usize;
            *i = next;
        });
    };
    view! {
        <div class="logs-toolbar">
            {toggle("Time", "log-toggle-time", look_flag(|l| l.show_time), move |v| c.look.update(|l| l.show_time = v))}
            {toggle("Wrap lines", "log-toggle-wrap", look_flag(|l| l.wrap), move |v| c.look.update(|l| l.wrap = v))}
            {toggle("Pretty JSON", "log-toggle-pretty", look_flag(|l| l.prettify), move |v| c.look.update(|l| l.prettify = v))}
            <div class="btn-group" role="group" aria-label="Order">
                <button class="btn btn-small log-order-newest" class:active=move || c.order.get() == SortOrder::NewestFirst
                    on:click=move |_| c.order.set(SortOrder::NewestFirst)>"Newest first"</button>
                <button class="btn btn-small log-order-oldest" class:active=move || c.order.get() == SortOrder::OldestFirst
                    on:click=move |_| c.order.set(SortOrder::OldestFirst)>"Oldest first"</button>
            </div>
            <label class="log-toggle">"Dedup "
                <select class="log-dedup" on:change=move |ev| {
                    if let Some(s) = DedupStrategy::parse(&event_target_value(&ev)) { c.dedup.set(s) }
                }>
                    {ALL_STRATEGIES.iter().map(|s| {
                        let s = *s;
                        view! { <option value=s.as_str() selected=move || c.dedup.get() == s>{s.as_str()}</option> }
                    }).collect::<Vec<_>>()}
                </select>
            </label>
            <span class="spacer"></span>
            <input class="log-search" type="search" placeholder="Search in results" aria-label="Search in the loaded lines"
                prop:value=move || c.search.get()
                on:input=move |ev| { c.search.set(event_target_value(&ev)); c.current_match.set(0); }
                on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { step(if ev.shift_key() { -1 } else { 1 }) }/>
            <span class="log-match-count muted small">{move || {
                let n = match_count.get();
                if c.search.with(|s| s.trim().is_empty()) { String::new() }
                else if n == 0 { "no matches".to_owned() }
                else { format!("{} of {n}", c.current_match.get().min(n - 1) + 1) }
            }}</span>
            <button class="btn btn-small" title="Previous match" aria-label="Previous match" on:click=move |_| step(-1)>"↑"</button>
            <button class="btn btn-small" title="Next match" aria-label="Next match" on:click=move |_| step(1)>"↓"</button>
            {toggle("Only matching", "log-toggle-only", Signal::derive(move || c.only_matching.get()), move |v| c.only_matching.set(v))}
        </div>
    }
}

/// The level chips: each level's count; a click hides or shows the level.
#[component]
pub fn LevelChips(
    controls: LogsControls,
    #[prop(into)] counts: Signal<Vec<(LogLevel, usize)>>,
) -> impl IntoView {
    view! {
        <div class="log-levels">
            // The hidden set is read here, not by each chip: chips are drawn again with every
            // answer, and a chip subscribed to the long-lived set would stay in its list.
            {move || controls.hidden_levels.with(|hidden_levels| counts.get().into_iter().map(|(level, n)| {
                let hidden = hidden_levels.contains(&level);
                view! {
                    <button class=format!("log-level-chip level-{}", level.as_str()) class:hidden=hidden
                        title="Show or hide this level"
                        on:click=move |_| controls.hidden_levels.update(|h| { if !h.remove(&level) { h.insert(level); } })>
                        <span class=format!("log-level level-{}", level.as_str())></span>
                        {format!("{} {n}", level.as_str())}
                    </button>
                }
            }).collect::<Vec<_>>())}
        </div>
    }
}
