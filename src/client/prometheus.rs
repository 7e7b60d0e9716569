//! Typed Prometheus calls: build the request (pure, in `sightline-core`), send it, decode it.

use sightline_core::api::error::ApiError;
use sightline_core::api::prometheus::{self, decode_query, PromResponse};
use sightline_core::model::duration::Duration;
use sightline_core::model::time_range::TimeRange;

use super::http::{send, Endpoint, RequestOptions, RequestSlot};

/// `query_range` over `range` every `step`.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn query_range(
    endpoint: &Endpoint,
    query: &str,
    range: TimeRange,
    step: Duration,
    slot: &RequestSlot,
) -> Result<PromResponse, ApiError> {
    let request = prometheus::query_range(query, range, step);
    let fetched = send(endpoint, &request, RequestOptions::default(), slot).await?;
    decode_query(&endpoint.host_label, &fetched.body)
}

/// `status/buildinfo`: proves the host is reachable from this page and accepts the token.
///
/// # Errors
/// Any [`ApiError`].
pub async fn check_connection(endpoint: &Endpoint) -> Result<(), ApiError> {
    let options = RequestOptions {
        timeout_ms: 10_000,
        max_body_bytes: 1024 * 1024,
        max_retries: 0,
    };
    send(endpoint, &prometheus::build_info(), options, &RequestSlot::default())
        .await
        .map(|_| ())
}
