//! Explore (`/explore`): ad-hoc PromQL and LogQL against the profile's metrics, logs and
//! audit-log hosts, one pane or two side by side on the same time range. Everything the view
//! shows is in the URL (`range`/`from`/`to`, `tz`, `ds`/`q`, `ds2`/`q2`, `limit`), so a link
//! reopens it; old links (`?q=…&range=6h`) still work.

mod add_to_dashboard;
mod editor;
mod history;
mod label_browser;
mod logs_result;
mod metrics_result;
mod model;
mod pane;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use sightline_core::model::query_lang::{ExploreState, Pane, Source};
use sightline_core::model::time_expr::RangeExpr;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;

use crate::browser::{now_ms, zone_offset};
use crate::state::config::use_config;
use crate::state::explore::catalog::Catalog;
use crate::state::explore::history::HistoryState;
use crate::state::logs::{logs_cutover, metrics_cutover};
use crate::state::session::use_session;
use crate::ui::components::header::Header;
use crate::ui::components::resize::use_element_width;
use crate::ui::components::time_picker::TimePicker;
use model::{PaneModel, RunContext};
use pane::{snapshots, PaneActions, PaneView};

/// Line limits offered for log queries.
const LIMITS: [u32; 5] = [100, 500, 1000, 2000, 5000];

fn resolve(from: &str, to: &str, zone: &TimeZone) -> TimeRange {
    let expr = RangeExpr::parse(from, to).unwrap_or_else(|_| RangeExpr::last_6_hours());
    expr.resolve(now_ms(), &|ms| zone_offset(zone, ms))
}

/// The query a fresh Explore (a URL without queries) starts with, as before this page.
const DEFAULT_QUERY: &str = "up";

/// The state of a URL's query string; a URL naming no query starts with [`DEFAULT_QUERY`].
fn initial_state(search: &str) -> ExploreState {
    let mut state = ExploreState::parse(search);
    let names_a_query = search.trim_start_matches('?').split('&').any(|pair| {
        pair.split('=')
            .next()
            .is_some_and(|key| key == "q" || key == "q2")
    });
    if !names_a_query && state.panes[0].source == Source::Metrics {
        state.panes[0].queries = vec![DEFAULT_QUERY.to_owned()];
    }
    state
}

/// The Explore page.
#[component]
pub fn ExplorePage() -> impl IntoView {
    let session = use_session();
    let config = use_config();
    let navigate = use_navigate();
    let initial = initial_state(&use_location().search.get_untracked());
    let from = RwSignal::new(initial.from.clone());
    let to = RwSignal::new(initial.to.clone());
    let timezone = RwSignal::new(
        initial
            .timezone
            .as_deref()
            .and_then(|z| z.parse::<TimeZone>().ok())
            .unwrap_or_default(),
    );
    let limit = RwSignal::new(initial.limit.unwrap_or(1000));
    let split = RwSignal::new(initial.panes.len() > 1);
    let second = initial.panes.get(1).cloned().unwrap_or(Pane {
        source: Source::Logs,
        queries: vec![String::new()],
    });
    let panes = [
        PaneModel::new(0, &initial.panes[0]),
        PaneModel::new(1, &second),
    ];
    let range = RwSignal::new(resolve(
        &initial.from,
        &initial.to,
        &timezone.get_untracked(),
    ));
    let catalog = Catalog::new(session, range.get_untracked());
    let history = HistoryState::load();
    let main = NodeRef::<leptos::html::Main>::new();
    let width = use_element_width(main);

    let visible = move || -> Vec<PaneModel> {
        if split.get_untracked() {
            panes.to_vec()
        } else {
            vec![panes[0]]
        }
    };
    let context = move || -> Option<RunContext> {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let full = (width.get_untracked() - 40.0).max(400.0) as u32;
        Some(RunContext {
            session: session.session.get_untracked()?,
            range: range.get_untracked(),
            metrics_cutover_ms: metrics_cutover(&config)?,
            logs_cutover_ms: logs_cutover(&config)?,
            limit: limit.get_untracked(),
            width_px: if split.get_untracked() {
                full / 2
            } else {
                full
            },
            session_state: session,
        })
    };
    let write_url = StoredValue::new_local(move || {
        let state = ExploreState {
            from: from.get_untracked(),
            to: to.get_untracked(),
            timezone: match timezone.get_untracked() {
                TimeZone::Browser => None,
                zone => Some(zone.to_string()),
            },
            panes: snapshots(&visible()),
            limit: (limit.get_untracked() != 1000).then(|| limit.get_untracked()),
        };
        navigate(
            &format!("/explore?{}", state.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..NavigateOptions::default()
            },
        );
    });
    let run_all = UnsyncCallback::new(move |()| {
        let resolved = resolve(
            &from.get_untracked(),
            &to.get_untracked(),
            &timezone.get_untracked(),
        );
        range.set(resolved);
        catalog.range.set(resolved);
        write_url.with_value(|w| w());
        let Some(ctx) = context() else {
            return;
        };
        for pane in visible() {
            let source = pane.source.get_untracked();
            for (_, query) in pane.runnable() {
                history.record(&query, source);
            }
            pane.run(&ctx);
        }
    });
    // Run once when the config is in, so a shared link shows its results straight away.
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        if logs_cutover(&config).is_none() {
            return false;
        }
        if visible().iter().any(|p| !p.runnable().is_empty()) {
            run_all.run(());
        }
        true
    });
    let set_range = move |f: String, t: String| {
        from.set(f);
        to.set(t);
        run_all.run(());
    };
    let zoom =
        UnsyncCallback::new(move |(a, b): (i64, i64)| set_range(a.to_string(), b.to_string()));
    let load_more = UnsyncCallback::new(move |index: usize| {
        if let (Some(ctx), Some(pane)) = (context(), panes.get(index)) {
            pane.load_more(&ctx);
        }
    });
    let on_zoom_out = move |()| {
        let r = range.get_untracked();
        #[allow(clippy::cast_possible_wrap)]
        let span = r.span_ms() as i64;
        let end = (r.to_ms + span / 2).min(now_ms());
        set_range((end - 2 * span).to_string(), end.to_string());
    };
    let on_shift = move |direction: i32| {
        let r = range.get_untracked();
        #[allow(clippy::cast_possible_wrap)]
        let delta = r.span_ms() as i64 / 2 * i64::from(direction);
        set_range(
            (r.from_ms + delta).to_string(),
            (r.to_ms + delta).to_string(),
        );
    };
    let toggle_split = move |_| {
        let on = !split.get_untracked();
        if on {
            let other = if panes[0].source.get_untracked() == Source::Metrics {
                Source::Logs
            } else {
                Source::Metrics
            };
            if panes[1].runnable().is_empty() {
                panes[1].source.set(other);
            }
        }
        split.set(on);
        run_all.run(());
    };
    let actions = |index: usize| PaneActions {
        run: run_all,
        load_more,
        zoom,
        close: (index == 1).then(|| {
            UnsyncCallback::new(move |()| {
                split.set(false);
                write_url.with_value(|w| w());
            })
        }),
    };
    let (first_actions, second_actions) = (actions(0), actions(1));
    view! {
        <Header/>
        <main class="page explore" node_ref=main>
            <section class="explore-bar">
                <h1 class="explore-title">"Explore"</h1>
                <span class="spacer"></span>
                <TimePicker from=from.into() to=to.into() timezone=timezone.into()
                    on_change=move |(f, t)| set_range(f, t)
                    on_zone=move |z| { timezone.set(z); run_all.run(()); }
                    on_zoom_out=on_zoom_out on_shift=on_shift/>
                <label class="log-toggle explore-limit-label">"Line limit "
                    <select class="explore-limit" on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() { limit.set(n); run_all.run(()); }
                    }>
                        {LIMITS.iter().map(|n| {
                            let n = *n;
                            view! { <option value=n.to_string() selected=move || limit.get() == n>{n.to_string()}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </label>
                <button class="btn explore-split" class:active=move || split.get() on:click=toggle_split
                    title="Metrics beside logs on the same time range">"Split view"</button>
                <button id="run" class="btn btn-primary" on:click=move |_| run_all.run(())>"Run"</button>
            </section>
            <div class="explore-panes" class:split=move || split.get()>
                <PaneView model=panes[0] catalog=catalog history=history timezone=timezone range=range
                    from=from to=to actions=first_actions/>
                <Show when=move || split.get()>
                    <PaneView model=panes[1] catalog=catalog history=history timezone=timezone range=range
                        from=from to=to actions=second_actions/>
                </Show>
            </div>
        </main>
    }
}
