//! Log queries for a view (a dashboard's logs panel, an Explore pane): the request a view
//! makes, the hosts it goes to (split at the logs cut-over), the loaded pages with "load
//! older", the rows built from them, and the volume histogram.

pub mod fetch;
pub mod rows;
pub mod volume;

use leptos::prelude::With;
use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::model::time_range::TimeRange;

pub use fetch::{load_more, run_logs, LogsPage};
pub use rows::rows_of_pages;
pub use volume::{fetch_volume, VolumeResult, VolumeSource};

use super::session::Session;
use crate::client::StitchTargets;

/// What a logs view asks for. The dashboard page builds one per logs panel; Explore one per
/// logs query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogsRequest {
    /// The LogQL query, variables already replaced.
    pub expr: String,
    /// The absolute range (Unix ms, both ends included).
    pub range: TimeRange,
    /// [`Service::Logs`] or [`Service::AuditLogs`] (anything else is read as `Logs`).
    pub service: Service,
    /// Bumped to run the same request again (refresh, retry).
    pub refresh: u64,
}

/// The logs service a request goes to: audit logs, or else application logs.
#[must_use]
pub fn logs_service(service: Service) -> Service {
    if service == Service::AuditLogs {
        Service::AuditLogs
    } else {
        Service::Logs
    }
}

/// The hosts of `service` for the signed-in profile: its current host and the legacy logs host
/// for data before `cutover_ms`.
///
/// # Errors
/// [`ApiError`] when the profile has no host for the service.
pub fn logs_targets(
    session: &Session,
    service: Service,
    cutover_ms: i64,
) -> Result<StitchTargets, ApiError> {
    Ok(StitchTargets {
        current: session.endpoint(logs_service(service))?,
        legacy: session.endpoint(Service::LegacyLogs).ok(),
        cutover_ms,
    })
}

/// The logs cut-over of the loaded config (Unix ms); `None` while `config.json` loads. A config
/// that failed to load uses the default date.
#[must_use]
pub fn logs_cutover(config: &crate::state::config::ConfigState) -> Option<i64> {
    use sightline_core::api::endpoints::DEFAULT_LEGACY_LOGS_CUTOVER;
    use sightline_core::model::civil::parse_rfc3339;
    let fallback = parse_rfc3339(DEFAULT_LEGACY_LOGS_CUTOVER).unwrap_or(0);
    config.config.with(|c| match c {
        None => None,
        Some(Ok(config)) => Some(config.logs_cutover_ms().unwrap_or(fallback)),
        Some(Err(_)) => Some(fallback),
    })
}

/// The metrics cut-over of the loaded config (Unix ms); `None` while `config.json` loads.
#[must_use]
pub fn metrics_cutover(config: &crate::state::config::ConfigState) -> Option<i64> {
    use sightline_core::api::endpoints::DEFAULT_LEGACY_METRICS_CUTOVER;
    use sightline_core::model::civil::parse_rfc3339;
    let fallback = parse_rfc3339(DEFAULT_LEGACY_METRICS_CUTOVER).unwrap_or(0);
    config.config.with(|c| match c {
        None => None,
        Some(Ok(config)) => Some(config.metrics_cutover_ms().unwrap_or(fallback)),
        Some(Err(_)) => Some(fallback),
    })
}
