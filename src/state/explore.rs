//! The Explore page's state: metric queries with their exemplars and default unit
//! ([`metrics`]), the names autocomplete and the label browser offer ([`catalog`]), and the
//! query history kept in this browser ([`history`]). Log queries run through
//! [`crate::state::logs`], as a dashboard's logs panel does.

pub mod catalog;
pub mod history;
pub mod metrics;

use sightline_core::api::endpoints::Service;
use sightline_core::model::query_lang::Source;

/// The profile service a pane's source queries.
#[must_use]
pub fn service_of(source: Source) -> Service {
    match source {
        Source::Metrics => Service::Metrics,
        Source::Logs => Service::Logs,
        Source::Audit => Service::AuditLogs,
    }
}
