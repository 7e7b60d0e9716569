//! A dashboard's logs panel: the panel's first visible target, interpolated with the page's
//! variables and range, handed to the log list (`ui::logs::LogsPanel`), which fetches by itself.

use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::api::endpoints::Service;
use sightline_core::model::dashboard::Panel;
use sightline_core::model::duration::Duration;
use sightline_core::model::interpolate::{interpolate, Builtins, Scope, VariableValue};
use sightline_core::model::logs::audit::is_audit_datasource;
use sightline_core::model::logs::LogsOptions;
use sightline_core::model::time_range::TimeRange;

use crate::state::dashboard::panel_data::SCRAPE_INTERVAL;
use crate::state::dashboard::DashboardState;
use crate::state::logs::LogsRequest;
use crate::ui::logs::LogsPanel;

/// The service a logs target goes to: the audit-log host for audit datasources.
#[must_use]
pub fn logs_service_of(panel: &Panel) -> Service {
    let target = panel.active_targets().next();
    let reference = target
        .and_then(|t| t.datasource.as_ref())
        .or(panel.datasource.as_ref());
    if is_audit_datasource(reference) {
        Service::AuditLogs
    } else {
        Service::Logs
    }
}

/// The logs panel `id` of the page.
#[component]
pub fn DashboardLogsPanel(
    id: u64,
    state: DashboardState,
    height: f64,
    /// The page's variables as this panel sees them (narrowed in a repeat's copy).
    variables: Memo<Arc<Vec<(String, VariableValue)>>>,
) -> impl IntoView {
    let panel = Memo::new(move |_| state.dashboard.with(|d| d.panel(id).cloned()));
    let request = Signal::derive(move || {
        let variables = variables.get();
        let generation = state.generation.get();
        panel.with(|p| {
            let Some(p) = p else {
                let range: TimeRange = state.range();
                return LogsRequest {
                    expr: String::new(),
                    range,
                    service: Service::Logs,
                    refresh: generation,
                };
            };
            let range = state.panel_time(p, &variables).range;
            let scope = Scope {
                variables: &variables,
                builtins: Some(Builtins {
                    range,
                    interval: Duration::from_secs(60),
                    scrape_interval: SCRAPE_INTERVAL,
                }),
            };
            LogsRequest {
                expr: p
                    .active_targets()
                    .next()
                    .map(|t| interpolate(&t.expr, &scope))
                    .unwrap_or_default(),
                range,
                service: logs_service_of(p),
                refresh: generation,
            }
        })
    });
    let options = Signal::derive(move || {
        panel.with(|p| LogsOptions::from_panel(p.as_ref().and_then(|p| p.options.as_ref())))
    });
    let on_zoom = UnsyncCallback::new(move |(from, to): (i64, i64)| {
        state.set_absolute(TimeRange::new(from, to))
    });
    view! {
        <LogsPanel query=request options=options height=Signal::derive(move || height)
            timezone=Signal::derive(move || state.timezone.get()) on_zoom=on_zoom/>
    }
}
