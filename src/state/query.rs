//! Running a range query for a view: the request slot that aborts superseded requests, and the
//! state a view shows (loading, data with warnings, or an error).

use std::sync::Arc;

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::model::duration::Duration;
use sightline_core::model::frame::Series;
use sightline_core::model::step::{compute_step, StepRequest};
use sightline_core::model::time_range::TimeRange;

use super::session::Session;
use crate::client::{prometheus, RequestSlot};

/// A finished range query.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeResult {
    pub series: Vec<Series>,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
    pub range: TimeRange,
    pub step: Duration,
}

/// What a view shows for its query.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryState {
    Idle,
    Loading,
    Done(Arc<RangeResult>),
    Failed(ApiError),
}

/// Runs `query` over `range` for a chart `width_px` wide, on the session's metrics host.
///
/// # Errors
/// Any [`ApiError`]; [`ApiError::Aborted`] when `slot` started a newer request meanwhile.
pub async fn run_range_query(
    session: &Session,
    query: &str,
    range: TimeRange,
    width_px: u32,
    slot: &RequestSlot,
) -> Result<RangeResult, ApiError> {
    let endpoint = session.endpoint(Service::Metrics)?;
    let step = compute_step(StepRequest {
        range_ms: range.span_ms(),
        max_data_points: width_px.max(100),
        min_step: None,
    });
    let response = prometheus::query_range(&endpoint, query, range, step, slot).await?;
    Ok(RangeResult {
        series: response.data.into_series(),
        warnings: response.warnings,
        infos: response.infos,
        range,
        step,
    })
}
