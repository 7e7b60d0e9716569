//! The dashboard page (`/d/<uid>`): top bar (title, time and refresh pickers), variable bar and
//! the panel grid, with the view state in the URL. `?viewPanel=<id>` shows one panel full size.

mod chart_display;
mod chart_style_edit;
mod display;
mod grid;
mod json_editor;
mod logs;
mod menu;
pub mod panel;
mod panel_editor;
mod shortcuts;
mod toolbar;
mod variable_bar;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use sightline_core::model::dashboard::repeat::RepeatScope;
use sightline_core::model::dashboard::{Diagnostic, Severity};
use sightline_core::model::shortcuts::DashboardShortcut;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::url_state::UrlState;
use sightline_core::model::variables::variables_of;

use crate::browser::now_ms;
use crate::client::RequestSlot;
use crate::state::catalog::{find, Found};
use crate::state::dashboard::variables::resolve_all;
use crate::state::dashboard::{provide_dashboard, url::sync_url, DashboardState};
use crate::state::session::use_session;
use crate::ui::components::chart::provide_shared_crosshair;
use crate::ui::components::header::Header;
use crate::ui::components::refresh_picker::RefreshPicker;
use crate::ui::components::time_picker::TimePicker;
use grid::Grid;
use panel::PanelView;
use variable_bar::VariableBar;

/// The dashboard page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let uid = move || params.with(|p| p.get("uid").unwrap_or_default());
    view! {
        <Header/>
        {move || {
            let uid = uid();
            match find(&uid) {
                None => view! {
                    <main class="page"><h1>"Dashboard not found"</h1>
                        <p>{format!("There is no dashboard \"{uid}\" here or in this browser's library.")}</p>
                        <p><a href="/dashboards">"All dashboards"</a></p>
                    </main>
                }.into_any(),
                Some(found) => view! { <DashboardView found=found/> }.into_any(),
            }
        }}
    }
}

/// Diagnostics as "path: message (line L, col C)" lines.
fn diagnostic_lines(diagnostics: &[Diagnostic], severity: Severity) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(ToString::to_string)
        .collect()
}

#[component]
fn DashboardView(found: Found) -> impl IntoView {
    let errors = diagnostic_lines(&found.loaded.diagnostics, Severity::Error);
    let warnings = diagnostic_lines(&found.loaded.diagnostics, Severity::Warning);
    let Some(dashboard) = found.loaded.dashboard else {
        return view! {
            <main class="page">
                <h1>"This dashboard file cannot be opened"</h1>
                <ul class="diagnostics">{errors.into_iter().map(|e| view! { <li class="error-text">{e}</li> }).collect::<Vec<_>>()}</ul>
            </main>
        }
        .into_any();
    };
    let location = use_location();
    let session = use_session();
    let url = UrlState::parse(&location.search.get_untracked());
    let state = DashboardState::new(dashboard, found.source, &url);
    crate::state::dashboard::keep_drafts(state, session);
    provide_dashboard(state);
    provide_shared_crosshair();
    sync_url(state);
    resolve_variables(state, session);
    auto_refresh(state);

    // A memo, so the grid is rebuilt only when `viewPanel` itself changes: the URL also changes
    // with the time range and the variables, and rebuilding the grid then would remount every
    // panel (and mount the whole grid twice when the page first writes its URL).
    let view_panel = Memo::new(move |_| {
        let url = UrlState::parse(&location.search.get());
        let id = url
            .other
            .iter()
            .find(|(k, _)| k == "viewPanel")
            .and_then(|(_, v)| v.parse::<u64>().ok())?;
        let scopes: Vec<RepeatScope> = url
            .other
            .iter()
            .filter(|(k, _)| k == menu::VIEW_REPEAT_PARAM)
            .filter_map(|(_, v)| v.split_once(':'))
            .map(|(variable, value)| RepeatScope {
                variable: variable.to_owned(),
                value: value.to_owned(),
                text: value.to_owned(),
            })
            .collect();
        Some((id, scopes))
    });
    let title = move || state.dashboard.with(|d| d.title.clone());
    let description = move || state.dashboard.with(|d| d.description.clone());
    let zoom_out = move |()| {
        let r = state.range();
        let half = i64::try_from(r.span_ms()).unwrap_or(i64::MAX) / 2;
        state.set_absolute(TimeRange::new(
            r.from_ms - half,
            r.to_ms.saturating_add(half).min(now_ms()),
        ));
    };
    let shift = move |direction: i32| {
        let r = state.range();
        let step = i64::try_from(r.span_ms()).unwrap_or(i64::MAX) / 2 * i64::from(direction);
        state.set_absolute(TimeRange::new(r.from_ms + step, r.to_ms + step));
    };
    // The grid's URL, without the full-size panel.
    let grid_url = move || {
        let mut url = UrlState::parse(&location.search.get());
        url.other
            .retain(|(k, _)| k != "viewPanel" && k != menu::VIEW_REPEAT_PARAM);
        format!("{}?{}", location.pathname.get(), url.to_query())
    };
    let navigate = use_navigate();
    shortcuts::use_dashboard_shortcuts(move |shortcut| match shortcut {
        DashboardShortcut::ZoomOut => zoom_out(()),
        DashboardShortcut::ShiftBack => shift(-1),
        DashboardShortcut::ShiftForward => shift(1),
        DashboardShortcut::Refresh => state.refresh_now(),
        DashboardShortcut::ExitPanelView => {
            if view_panel.with_untracked(Option::is_some) {
                navigate(
                    &untrack(grid_url),
                    leptos_router::NavigateOptions::default(),
                );
            }
        }
    });
    let issues = errors.len() + warnings.len();
    view! {
        <main class="page dashboard-page">
            <div class="dashboard-bar">
                <div class="dashboard-title">
                    <h1 id="dashboard-title" title=description>{title}</h1>
                    {(issues > 0).then(|| view! {
                        <details class="diagnostics-summary">
                            <summary class=if errors.is_empty() { "muted small" } else { "error-text small" }>
                                {format!("{} problem(s), {} note(s) in this file", errors.len(), warnings.len())}
                            </summary>
                            <ul class="diagnostics">
                                {errors.iter().map(|e| view! { <li class="error-text">{e.clone()}</li> }).collect::<Vec<_>>()}
                                {warnings.iter().map(|w| view! { <li class="muted">{w.clone()}</li> }).collect::<Vec<_>>()}
                            </ul>
                        </details>
                    })}
                </div>
                <span class="spacer"></span>
                <toolbar::DashboardToolbar/>
                <TimePicker
                    from=state.from.into()
                    to=state.to.into()
                    timezone=state.timezone.into()
                    on_change=move |(f, t): (String, String)| state.set_range(f, t)
                    on_zone=move |z| state.timezone.set(z)
                    on_zoom_out=zoom_out
                    on_shift=shift
                    shortcuts=true
                />
                <RefreshPicker
                    refresh=state.refresh.into()
                    on_change=move |r| state.refresh.set(r)
                    on_refresh_now=move |()| state.refresh_now()
                    busy=Signal::derive(move || state.in_flight.get() > 0)
                />
            </div>
            <VariableBar/>
            {move || match view_panel.get() {
                Some((id, scopes)) => view! {
                    <div class="view-panel">
                        <a class="btn view-panel-back" href=grid_url title="Back to the dashboard (Esc)">"← Back to dashboard"</a>
                        <PanelView id=id full_size=true scopes=scopes/>
                    </div>
                }.into_any(),
                None => view! { <Grid/> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

/// Resolves the variables whenever the dashboard, the wanted selections or the range's
/// expressions change; an older resolution that finishes late is ignored.
fn resolve_variables(state: DashboardState, session: crate::state::session::SessionState) {
    let slot = RequestSlot::default();
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let variables = state.dashboard.with(variables_of);
        let wanted = state.wanted.get();
        state.from.track();
        state.to.track();
        state.timezone.track();
        // The range's expressions matter, not every refresh tick.
        let range = untrack(|| state.range());
        let early_now = state.early_range_now();
        let Some(current) = session.session.get_untracked() else {
            return;
        };
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let slot = slot.clone();
        spawn_local(async move {
            let resolved = resolve_all(&current, variables, range, &wanted, &slot, early_now).await;
            // The page may be gone by now (left, or signed out by a panel's 401).
            if generation.try_get_value() == Some(mine) {
                // A 401: sign in again and come back to the selection in the URL.
                if resolved.iter().any(|v| v.needs_sign_in) {
                    session.expire();
                    return;
                }
                state.variables.set(resolved);
                state.variables_ready.set(true);
            }
        });
    });
}

/// Moves "now" forward every refresh interval, skipping a tick while panels are still loading
/// (so slow hosts never get stacked requests).
fn auto_refresh(state: DashboardState) {
    let timer =
        StoredValue::new(None::<send_wrapper::SendWrapper<gloo_timers::callback::Interval>>);
    Effect::new(move |_| {
        let refresh = state.refresh.get();
        timer.set_value(None);
        if let Some(every) = refresh.interval() {
            let millis = u32::try_from(every.as_millis()).unwrap_or(u32::MAX);
            let interval = gloo_timers::callback::Interval::new(millis, move || {
                if state.in_flight.get_untracked() == 0 {
                    state.now_ms.set(now_ms());
                }
            });
            timer.set_value(Some(send_wrapper::SendWrapper::new(interval)));
        }
    });
    on_cleanup(move || timer.set_value(None));
}
