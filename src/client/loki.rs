//! Typed Loki calls, one per endpoint CoreWeave lists, plus paging ("load older / newer") and a
//! connection check: build (pure, in `sightline-core`) → send → decode.

use sightline_core::api::error::ApiError;
use sightline_core::api::loki::{
    self, IndexStats, LogPager, LogQuery, LogRange, LogStream, LokiResponse, PageOutcome,
    VolumeQuery,
};
use sightline_core::api::prometheus::{Feature, PromData};
use sightline_core::model::duration::Duration;
use sightline_core::model::frame::Labels;

use super::call::{built, call};
use super::http::{Endpoint, RequestOptions};
use super::slot::RequestSlot;

/// `query_range`: streams for a log query, a matrix for a metric query.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn query_range(
    endpoint: &Endpoint,
    query: &LogQuery,
    slot: &RequestSlot,
) -> Result<LokiResponse, ApiError> {
    let request = loki::query_range(query);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_query,
    )
    .await
}

/// `query` at `time_ns` (metric queries only: Loki answers log queries with a 400).
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn instant_query(
    endpoint: &Endpoint,
    query: &str,
    time_ns: i64,
    slot: &RequestSlot,
) -> Result<LokiResponse, ApiError> {
    let request = loki::instant_query(query, time_ns);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_query,
    )
    .await
}

/// One page of a paged log query: asks for `page`, merges the answer into `loaded` and says
/// where the next page is. Start with `pager.first_page()`, then the `next` of each outcome.
///
/// # Errors
/// Any [`ApiError`]; `loaded` is unchanged then.
pub async fn load_page(
    endpoint: &Endpoint,
    query: &LogQuery,
    pager: &LogPager,
    page: LogRange,
    loaded: &mut Vec<LogStream>,
    slot: &RequestSlot,
) -> Result<PageOutcome, ApiError> {
    let page_query = LogQuery {
        range: page,
        limit: pager.limit,
        direction: pager.direction,
        ..query.clone()
    };
    let answer = query_range(endpoint, &page_query, slot).await?;
    let streams = match answer.data.result {
        loki::LokiResult::Streams(streams) => streams,
        loki::LokiResult::Samples(_) => Vec::new(),
    };
    Ok(pager.absorb(loaded, streams))
}

/// `labels` in `range`, optionally only of the streams `selector` matches.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn labels(
    endpoint: &Endpoint,
    range: LogRange,
    selector: Option<&str>,
    slot: &RequestSlot,
) -> Result<LokiResponse<Vec<String>>, ApiError> {
    let request = loki::labels(range, selector);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_names,
    )
    .await
}

/// `label/<name>/values` in `range`.
///
/// # Errors
/// [`ApiError::NotSent`] for an empty name; any [`ApiError`] from the call or decoding.
pub async fn label_values(
    endpoint: &Endpoint,
    name: &str,
    range: LogRange,
    selector: Option<&str>,
    slot: &RequestSlot,
) -> Result<LokiResponse<Vec<String>>, ApiError> {
    let request = built(endpoint, loki::label_values(name, range, selector))?;
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_names,
    )
    .await
}

/// `series`: the label sets of the streams the selectors match in `range`.
///
/// # Errors
/// [`ApiError::NotSent`] without a selector; any [`ApiError`] from the call or decoding.
pub async fn series(
    endpoint: &Endpoint,
    selectors: &[String],
    range: LogRange,
    slot: &RequestSlot,
) -> Result<LokiResponse<Vec<Labels>>, ApiError> {
    let request = built(endpoint, loki::series(selectors, range))?;
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_series,
    )
    .await
}

/// `index/stats`: approximate streams, chunks, entries and bytes for `selector` in `range`.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn index_stats(
    endpoint: &Endpoint,
    selector: &str,
    range: LogRange,
    slot: &RequestSlot,
) -> Result<IndexStats, ApiError> {
    let request = loki::index_stats(selector, range);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_index_stats,
    )
    .await
}

/// `index/volume`: bytes per series over the whole range (a vector).
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn index_volume(
    endpoint: &Endpoint,
    query: &VolumeQuery,
    slot: &RequestSlot,
) -> Result<LokiResponse<PromData>, ApiError> {
    let request = loki::index_volume(query);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_volume,
    )
    .await
}

/// `index/volume_range`: bytes per series every `step` (a matrix).
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn index_volume_range(
    endpoint: &Endpoint,
    query: &VolumeQuery,
    step: Duration,
    slot: &RequestSlot,
) -> Result<LokiResponse<PromData>, ApiError> {
    let request = loki::index_volume_range(query, step);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        loki::decode_volume,
    )
    .await
}

/// `format_query`, or [`Feature::NotOnThisHost`] where the host does not offer it.
///
/// # Errors
/// Any [`ApiError`] other than "endpoint missing".
pub async fn format_query(
    endpoint: &Endpoint,
    query: &str,
    slot: &RequestSlot,
) -> Result<Feature<String>, ApiError> {
    let request = loki::format_query(query);
    let options = RequestOptions {
        max_retries: 0,
        ..RequestOptions::default()
    };
    let outcome = call(endpoint, &request, options, slot, loki::decode_format_query).await;
    Feature::detect(outcome.map(|answer| answer.data))
}

/// Proves the logs host is reachable from this page and accepts the token: `labels` over the
/// five minutes before `now_ms` (a listed, cheap call).
///
/// # Errors
/// Any [`ApiError`].
pub async fn check_connection(endpoint: &Endpoint, now_ms: i64) -> Result<(), ApiError> {
    let now_ns = now_ms.saturating_mul(loki::NS_PER_MS);
    let range = LogRange::new(now_ns - 300 * 1_000_000_000, now_ns);
    let options = RequestOptions {
        timeout_ms: 10_000,
        max_body_bytes: 1024 * 1024,
        max_retries: 0,
    };
    let request = loki::labels(range, None);
    call(
        endpoint,
        &request,
        options,
        &RequestSlot::default(),
        loki::decode_names,
    )
    .await
    .map(|_| ())
}
