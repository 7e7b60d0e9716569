//! Range queries that may span a legacy cut-over: the planner (in `sightline-core`) splits the
//! range, the legacy and current halves run in parallel on one request slot, and the core merges
//! them, keeping one half when the other fails and saying so in the note.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;

use sightline_core::api::error::ApiError;
use sightline_core::api::loki::{LogQuery, LokiResponse, NS_PER_MS};
use sightline_core::api::prometheus::PromResponse;
use sightline_core::api::stitch::{
    plan_logs, plan_metrics, stitch_logs, stitch_metrics, Half, LogQueryKind, Stitched,
};
use sightline_core::model::duration::Duration;
use sightline_core::model::time_range::TimeRange;

use super::http::Endpoint;
use super::slot::RequestSlot;
use super::{loki, prometheus};

/// The hosts of one service and its cut-over.
#[derive(Debug, Clone, PartialEq)]
pub struct StitchTargets {
    pub current: Endpoint,
    /// The profile's legacy host, if it has one.
    pub legacy: Option<Endpoint>,
    /// Data before this instant (Unix ms) lives only on the legacy host.
    pub cutover_ms: i64,
}

/// A Prometheus range query over `range` aligned to the step grid ([`TimeRange::aligned_to`]),
/// split at the metrics cut-over when the range reaches before it.
///
/// # Errors
/// The error of the only half asked, or when both halves failed (the current host's);
/// [`ApiError::Aborted`] when `slot` started a newer request.
pub async fn metrics_range(
    targets: &StitchTargets,
    query: &str,
    range: TimeRange,
    step: Duration,
    slot: &RequestSlot,
) -> Result<Stitched<PromResponse>, ApiError> {
    let range = range.aligned_to(step);
    let plan = plan_metrics(range, step, targets.cutover_ms, targets.legacy.is_some());
    let group = slot.group();
    let legacy = async {
        match (plan.legacy, &targets.legacy) {
            (Some(part), Some(endpoint)) => Some(Half {
                host: endpoint.host_label.clone(),
                from_ms: part.from_ms,
                to_ms: part.to_ms,
                outcome: prometheus::query_range(endpoint, query, part, step, &group).await,
            }),
            _ => None,
        }
    };
    let current = async {
        match plan.current {
            Some(part) => Some(Half {
                host: targets.current.host_label.clone(),
                from_ms: part.from_ms,
                to_ms: part.to_ms,
                outcome: prometheus::query_range(&targets.current, query, part, step, &group).await,
            }),
            None => None,
        }
    };
    let (legacy, current) = join(legacy, current).await;
    stitch_metrics(legacy, current, targets.cutover_ms)
}

/// A Loki range query, split at the logs cut-over when the range reaches before it: log queries
/// exactly at the cut-over, metric queries on their step grid. Streams are merged and cut to the
/// query's `limit`.
///
/// # Errors
/// As [`metrics_range`].
pub async fn logs_range(
    targets: &StitchTargets,
    query: &LogQuery,
    slot: &RequestSlot,
) -> Result<Stitched<LokiResponse>, ApiError> {
    let cutover_ns = targets.cutover_ms.saturating_mul(NS_PER_MS);
    let kind = LogQueryKind::of(&query.query);
    let step = query.effective_step();
    let plan = plan_logs(
        query.range,
        kind,
        step,
        cutover_ns,
        targets.legacy.is_some(),
    );
    let group = slot.group();
    let with_range = |range| LogQuery {
        range,
        step: Some(step),
        ..query.clone()
    };
    let legacy = async {
        match (plan.legacy, &targets.legacy) {
            (Some(part), Some(endpoint)) => Some(Half {
                host: endpoint.host_label.clone(),
                from_ms: part.start_ns / NS_PER_MS,
                to_ms: part.end_ns / NS_PER_MS,
                outcome: loki::query_range(endpoint, &with_range(part), &group).await,
            }),
            _ => None,
        }
    };
    let current = async {
        match plan.current {
            Some(part) => Some(Half {
                host: targets.current.host_label.clone(),
                from_ms: part.start_ns / NS_PER_MS,
                to_ms: part.end_ns / NS_PER_MS,
                outcome: loki::query_range(&targets.current, &with_range(part), &group).await,
            }),
            None => None,
        }
    };
    let (legacy, current) = join(legacy, current).await;
    stitch_logs(
        legacy,
        current,
        targets.cutover_ms,
        query.direction,
        query.limit,
    )
}

/// Runs two futures concurrently and returns both outputs (a two-way `join`).
pub(crate) async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = pin!(a);
    let mut b = pin!(b);
    let mut a_out = None;
    let mut b_out = None;
    std::future::poll_fn(move |cx| {
        if a_out.is_none() {
            if let Poll::Ready(value) = a.as_mut().poll(cx) {
                a_out = Some(value);
            }
        }
        if b_out.is_none() {
            if let Poll::Ready(value) = b.as_mut().poll(cx) {
                b_out = Some(value);
            }
        }
        match (a_out.take(), b_out.take()) {
            (Some(a_value), Some(b_value)) => Poll::Ready((a_value, b_value)),
            (a_value, b_value) => {
                a_out = a_value;
                b_out = b_value;
                Poll::Pending
            }
        }
    })
    .await
}
