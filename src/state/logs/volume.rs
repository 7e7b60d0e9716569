//! The log volume histogram's data: `index/volume_range` grouped by `level` for a plain stream
//! selector on the current host, else (a pipeline, a range before the cut-over, or a host that
//! answers 404) `sum by (level, detected_level) (count_over_time(…))`.

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::{
    LogLimits, LogQuery, LogRange, LokiResult, VolumeAggregation, VolumeQuery,
};
use sightline_core::model::duration::Duration;
use sightline_core::model::logs::volume::{by_level, count_query, LevelSeries};
use sightline_core::model::query_lang::logql_edit::is_plain_selector;
use sightline_core::model::step::{compute_step, StepRequest};
use sightline_core::model::time_range::TimeRange;

use super::logs_targets;
use crate::client::stitch::logs_range;
use crate::client::{loki, RequestSlot};
use crate::state::session::Session;

/// Where the volume came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VolumeSource {
    /// `index/volume_range`: bytes per bucket (approximate, from the index).
    Index,
    /// `count_over_time`: lines per bucket.
    Count,
}

/// The volume of a query per level.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeResult {
    pub levels: Vec<LevelSeries>,
    pub source: VolumeSource,
    pub step: Duration,
    pub range: TimeRange,
}

/// Bars for a histogram `width_px` wide: one per 8 pixels, 20 to 200 of them.
fn volume_step(range: TimeRange, width_px: u32) -> Duration {
    compute_step(StepRequest {
        range_ms: range.span_ms(),
        max_data_points: (width_px / 8).clamp(20, 200),
        min_step: Some(Duration::from_secs(1)),
    })
}

/// The volume of `expr` over `range`.
///
/// # Errors
/// The [`ApiError`] of the count query (index failures fall back to it), or the index's own
/// refusal of the token.
pub async fn fetch_volume(
    session: &Session,
    service: Service,
    cutover_ms: i64,
    expr: &str,
    range: TimeRange,
    width_px: u32,
    slot: &RequestSlot,
) -> Result<VolumeResult, ApiError> {
    let targets = logs_targets(session, service, cutover_ms)?;
    let step = volume_step(range, width_px);
    let log_range = LogRange::from_time_range(range);
    if is_plain_selector(expr) && range.from_ms >= cutover_ms {
        let mut query = VolumeQuery::new(expr.trim(), log_range);
        query.target_labels = vec!["level".to_owned()];
        query.aggregate_by = Some(VolumeAggregation::Series);
        match loki::index_volume_range(&targets.current, &query, step, slot).await {
            Ok(answer) => {
                return Ok(VolumeResult {
                    levels: by_level(answer.data.series()),
                    source: VolumeSource::Index,
                    step,
                    range,
                })
            }
            // A refused token is refused by the count query too: sign in again at once.
            Err(error) if error.is_aborted() || error.needs_sign_in() => return Err(error),
            // Not offered here (404/405, or a CORS-less 404): count lines instead.
            Err(_) => {}
        }
    }
    let mut query = LogQuery::new(&count_query(expr, step), log_range, &LogLimits::default());
    query.step = Some(step);
    let answer = logs_range(&targets, &query, slot).await?;
    let series = match answer.answer.data.result {
        LokiResult::Samples(data) => data.into_series(),
        LokiResult::Streams(_) => Vec::new(),
    };
    Ok(VolumeResult {
        levels: by_level(&series),
        source: VolumeSource::Count,
        step,
        range,
    })
}
