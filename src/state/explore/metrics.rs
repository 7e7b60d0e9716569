//! Running an Explore metrics query: `query_range` split at the metrics cut-over when the range
//! reaches before it, the query's exemplars when the server keeps any (an empty answer or an
//! error just means none), and the metric's default unit from its metadata.

use std::sync::Arc;

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::api::prometheus::ExemplarSeries;
use sightline_core::api::stitch::StitchNote;
use sightline_core::model::duration::Duration;
use sightline_core::model::frame::Series;
use sightline_core::model::step::{compute_step, StepRequest};
use sightline_core::model::time_range::TimeRange;

use crate::client::stitch::{join, metrics_range};
use crate::client::{prometheus, RequestSlot, StitchTargets};
use crate::state::session::Session;

/// A finished metrics query.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricsResult {
    /// Shared with the chart when it draws this query alone.
    pub series: Arc<Vec<Series>>,
    pub exemplars: Vec<ExemplarSeries>,
    pub warnings: Vec<String>,
    pub note: Option<StitchNote>,
    pub step: Duration,
    pub range: TimeRange,
}

impl MetricsResult {
    /// Samples in every series.
    #[must_use]
    pub fn points(&self) -> usize {
        self.series.iter().map(Series::len).sum()
    }

    /// Exemplars in every series.
    #[must_use]
    pub fn exemplar_count(&self) -> usize {
        self.exemplars.iter().map(|s| s.exemplars.len()).sum()
    }
}

/// Runs `expr` over `range` for a graph `width_px` wide on the metrics host (and the legacy
/// metrics host before `cutover_ms`); exemplars are asked for beside it on `exemplar_slot`.
///
/// # Errors
/// The query's [`ApiError`]; [`ApiError::Aborted`] when `slot` started a newer request.
pub async fn run_metrics(
    session: &Session,
    cutover_ms: i64,
    expr: &str,
    range: TimeRange,
    width_px: u32,
    slot: &RequestSlot,
    exemplar_slot: &RequestSlot,
) -> Result<MetricsResult, ApiError> {
    let targets = StitchTargets {
        current: session.endpoint(Service::Metrics)?,
        legacy: session.endpoint(Service::LegacyMetrics).ok(),
        cutover_ms,
    };
    let step = compute_step(StepRequest {
        range_ms: range.span_ms(),
        max_data_points: width_px.max(100),
        min_step: None,
    });
    let exemplars = async {
        prometheus::query_exemplars(&targets.current, expr, range, exemplar_slot)
            .await
            .map(|answer| answer.data)
            .unwrap_or_default()
    };
    let (answer, exemplars) =
        join(metrics_range(&targets, expr, range, step, slot), exemplars).await;
    let stitched = answer?;
    let mut warnings = stitched.answer.warnings;
    warnings.extend(stitched.answer.infos);
    Ok(MetricsResult {
        series: Arc::new(stitched.answer.data.into_series()),
        exemplars,
        warnings,
        note: stitched.note,
        step,
        range,
    })
}
