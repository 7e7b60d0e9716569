//! The label browser: pick a metric (PromQL, with its HELP), then labels and their values from
//! the API, see the selector they make and how many series (streams) it matches, and use it as
//! the query.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::model::query_lang::selector::build_selector;
use sightline_core::model::query_lang::Source;

use crate::client::RequestSlot;
use crate::state::explore::catalog::{Catalog, Lookup};

/// Values listed per label.
const VALUES_SHOWN: usize = 200;

/// The browser.
#[component]
pub fn LabelBrowser(
    catalog: Catalog,
    #[prop(into)] source: Signal<Source>,
    on_use: UnsyncCallback<String>,
) -> impl IntoView {
    let metric = RwSignal::new(None::<String>);
    let metric_filter = RwSignal::new(String::new());
    let open_label = RwSignal::new(None::<String>);
    let value_filter = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeMap::<String, BTreeSet<String>>::new());
    let count = RwSignal::new(None::<String>);
    let slot = RequestSlot::default();
    let is_metrics = move || source.get() == Source::Metrics;
    Effect::new(move |_| {
        source.track();
        metric.set(None);
        chosen.set(BTreeMap::new());
        open_label.set(None);
        count.set(None);
    });
    let selector = Memo::new(move |_| {
        let m = metric.get();
        chosen.with(|c| build_selector(m.as_deref(), c))
    });
    let metric_list = move || {
        if !is_metrics() {
            return None;
        }
        catalog.ensure_metrics();
        let needle = metric_filter.get().to_lowercase();
        let items = match catalog.metrics.get() {
            Some(Lookup::Ready(list)) => list
                .iter()
                .filter(|(name, _, _)| name.to_lowercase().contains(&needle))
                .take(60)
                .map(|(name, kind, help)| {
                    let (pick, shown, title) = (name.clone(), name.clone(), format!("{kind} · {help}"));
                    let selected = name.clone();
                    view! {
                        <li><button class="link-button browser-metric" class:active=move || metric.get().as_deref() == Some(selected.as_str())
                            title=title on:click=move |_| { metric.set(Some(pick.clone())); count.set(None); }>{shown}</button></li>
                    }
                })
                .collect::<Vec<_>>()
                .into_any(),
            Some(Lookup::Failed(e)) => view! { <li class="error-text small">{e}</li> }.into_any(),
            _ => view! { <li class="muted small">"Loading metric names…"</li> }.into_any(),
        };
        Some(view! {
            <div class="browser-column">
                <div class="browser-title">"1. Metric"</div>
                <input class="browser-metric-filter" type="search" placeholder="Filter metrics"
                    prop:value=move || metric_filter.get() on:input=move |ev| metric_filter.set(event_target_value(&ev))/>
                <ul class="browser-list">{items}</ul>
                {move || metric.get().and_then(|m| catalog.metric_info(&m)).map(|info| view! {
                    <p class="small browser-help"><span class="completion-type">{info.kind.to_uppercase()}</span>" "{info.help}</p>
                })}
            </div>
        })
    };
    let label_list = move || {
        let narrow = metric.get();
        match catalog.labels(source.get(), narrow.as_deref()) {
            Some(Lookup::Ready(names)) => names
                .iter()
                .filter(|n| *n != "__name__")
                .map(|name| {
                    let (open_name, shown, active) = (name.clone(), name.clone(), name.clone());
                    let picked = name.clone();
                    view! {
                        <button class="btn btn-small browser-label"
                            class:active=move || open_label.get().as_deref() == Some(active.as_str())
                            class:chosen=move || chosen.with(|c| c.get(&picked).is_some_and(|v| !v.is_empty()))
                            on:click=move |_| { open_label.set(Some(open_name.clone())); value_filter.set(String::new()); }>{shown}</button>
                    }
                })
                .collect::<Vec<_>>()
                .into_any(),
            Some(Lookup::Failed(e)) => view! { <span class="error-text small">{e}</span> }.into_any(),
            _ => view! { <span class="muted small">"Loading labels…"</span> }.into_any(),
        }
    };
    let value_list = move || {
        let label = open_label.get()?;
        let narrow = metric.get();
        let needle = value_filter.get().to_lowercase();
        let body = match catalog.values(source.get(), &label, narrow.as_deref()) {
            Some(Lookup::Ready(values)) => values
                .iter()
                .filter(|v| v.to_lowercase().contains(&needle))
                .take(VALUES_SHOWN)
                .map(|value| {
                    let (l1, v1, l2, v2) = (label.clone(), value.clone(), label.clone(), value.clone());
                    view! {
                        <li><label class="log-toggle browser-value">
                            <input type="checkbox" prop:checked=move || chosen.with(|c| c.get(&l1).is_some_and(|s| s.contains(&v1)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        let set = c.entry(l2.clone()).or_default();
                                        if on { set.insert(v2.clone()); } else { set.remove(&v2); }
                                    });
                                    count.set(None);
                                }/>
                            {value.clone()}
                        </label></li>
                    }
                })
                .collect::<Vec<_>>()
                .into_any(),
            Some(Lookup::Failed(e)) => view! { <li class="error-text small">{e}</li> }.into_any(),
            _ => view! { <li class="muted small">"Loading values…"</li> }.into_any(),
        };
        Some(view! {
            <div class="browser-column">
                <div class="browser-title">{format!("3. Values of {label}")}</div>
                <input class="browser-value-filter" type="search" placeholder="Filter values"
                    prop:value=move || value_filter.get() on:input=move |ev| value_filter.set(event_target_value(&ev))/>
                <ul class="browser-list">{body}</ul>
            </div>
        })
    };
    let count_series = move |_| {
        let text = selector.get_untracked();
        let (slot, src) = (slot.clone(), source.get_untracked());
        count.set(Some("Counting…".to_owned()));
        spawn_local(async move {
            let result = catalog.count_series(src, &text, &slot).await;
            count.set(Some(match result {
                Ok(n) => format!(
                    "{n} {} match",
                    if src == Source::Metrics {
                        "series"
                    } else {
                        "streams"
                    }
                ),
                Err(e) if e.is_aborted() => return,
                Err(e) => e.to_string(),
            }));
        });
    };
    view! {
        <div class="explore-drawer label-browser">
            <div class="drawer-head"><strong>"Label browser"</strong></div>
            <div class="browser-columns">
                {metric_list}
                <div class="browser-column">
                    <div class="browser-title">{move || if is_metrics() { "2. Labels" } else { "1. Labels" }}</div>
                    <div class="browser-labels">{label_list}</div>
                </div>
                {value_list}
            </div>
            <div class="browser-result">
                <code class="browser-selector">{move || selector.get()}</code>
                <button class="btn btn-small browser-count" on:click=count_series>"Count series"</button>
                <span class="muted small">{move || count.get().unwrap_or_default()}</span>
                <button class="btn btn-primary btn-small browser-use" on:click=move |_| on_use.run(selector.get_untracked())>"Use as query"</button>
            </div>
        </div>
    }
}
