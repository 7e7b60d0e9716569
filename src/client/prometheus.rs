//! Typed Prometheus calls, one per endpoint: build the request (pure, in `sightline-core`), send
//! it, decode it. Optional endpoints (`format_query`, `parse_query`) answer with a [`Feature`].

use std::collections::BTreeMap;

use sightline_core::api::error::ApiError;
use sightline_core::api::prometheus::{
    self as prom, BuildInfo, ExemplarSeries, Feature, MetadataFilter, MetricMetadata, PromResponse,
    QueryOptions, RulesData, RulesFilter, SeriesScope,
};
use sightline_core::model::duration::Duration;
use sightline_core::model::frame::Labels;
use sightline_core::model::time_range::TimeRange;

use super::call::{built, call};
use super::http::{Endpoint, RequestOptions};
use super::slot::RequestSlot;

/// Most pages [`all_rules`] follows before it stops (a server that never stops paging).
pub const MAX_RULE_PAGES: usize = 50;

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
    query_range_with(endpoint, query, range, step, QueryOptions::default(), slot).await
}

/// `query_range` with a server-side timeout and/or series limit.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn query_range_with(
    endpoint: &Endpoint,
    query: &str,
    range: TimeRange,
    step: Duration,
    options: QueryOptions,
    slot: &RequestSlot,
) -> Result<PromResponse, ApiError> {
    let request = prom::query_range_with(query, range, step, options);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_query,
    )
    .await
}

/// `query` at `time_ms` (vector, scalar, string, or matrix for a range selector).
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn instant_query(
    endpoint: &Endpoint,
    query: &str,
    time_ms: i64,
    slot: &RequestSlot,
) -> Result<PromResponse, ApiError> {
    let request = prom::instant_query(query, time_ms);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_query,
    )
    .await
}

/// `series`: the label sets of the series the scope's selectors match.
///
/// # Errors
/// [`ApiError::NotSent`] without a selector; any [`ApiError`] from the call or decoding.
pub async fn series(
    endpoint: &Endpoint,
    scope: &SeriesScope,
    slot: &RequestSlot,
) -> Result<PromResponse<Vec<Labels>>, ApiError> {
    let request = built(endpoint, prom::series(scope))?;
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_series,
    )
    .await
}

/// `labels`: label names.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn labels(
    endpoint: &Endpoint,
    scope: &SeriesScope,
    slot: &RequestSlot,
) -> Result<PromResponse<Vec<String>>, ApiError> {
    let request = prom::labels(scope);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_names,
    )
    .await
}

/// `label/<name>/values` (GET only; UTF-8 names are `U__`-escaped).
///
/// # Errors
/// [`ApiError::NotSent`] for an empty name; any [`ApiError`] from the call or decoding.
pub async fn label_values(
    endpoint: &Endpoint,
    name: &str,
    scope: &SeriesScope,
    slot: &RequestSlot,
) -> Result<PromResponse<Vec<String>>, ApiError> {
    let request = built(endpoint, prom::label_values(name, scope))?;
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_names,
    )
    .await
}

/// `query_exemplars` over `range`.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn query_exemplars(
    endpoint: &Endpoint,
    query: &str,
    range: TimeRange,
    slot: &RequestSlot,
) -> Result<PromResponse<Vec<ExemplarSeries>>, ApiError> {
    let request = prom::query_exemplars(query, range);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_exemplars,
    )
    .await
}

/// `metadata` (GET only): type, help and unit per metric.
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn metadata(
    endpoint: &Endpoint,
    filter: &MetadataFilter,
    slot: &RequestSlot,
) -> Result<PromResponse<BTreeMap<String, Vec<MetricMetadata>>>, ApiError> {
    let request = prom::metadata(filter);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_metadata,
    )
    .await
}

/// One page of `rules` (GET only). Pass the answer's `group_next_token` back in `filter` for
/// the next page, or use [`all_rules`].
///
/// # Errors
/// Any [`ApiError`] from the call or from decoding.
pub async fn rules(
    endpoint: &Endpoint,
    filter: &RulesFilter,
    slot: &RequestSlot,
) -> Result<PromResponse<RulesData>, ApiError> {
    let request = prom::rules(filter);
    call(
        endpoint,
        &request,
        RequestOptions::default(),
        slot,
        prom::decode_rules,
    )
    .await
}

/// Every rule group, following `groupNextToken` (at most [`MAX_RULE_PAGES`] pages).
///
/// # Errors
/// Any [`ApiError`] of any page.
pub async fn all_rules(
    endpoint: &Endpoint,
    filter: &RulesFilter,
    slot: &RequestSlot,
) -> Result<PromResponse<RulesData>, ApiError> {
    let mut page_filter = filter.clone();
    let mut all = rules(endpoint, &page_filter, slot).await?;
    for _ in 1..MAX_RULE_PAGES {
        let Some(token) = all.data.group_next_token.take() else {
            return Ok(all);
        };
        page_filter.group_next_token = Some(token);
        let page = rules(endpoint, &page_filter, slot).await?;
        all.data.groups.extend(page.data.groups);
        all.data.group_next_token = page.data.group_next_token;
        all.warnings.extend(page.warnings);
    }
    Ok(all)
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
    let request = prom::format_query(query);
    let outcome = call(
        endpoint,
        &request,
        no_retries(),
        slot,
        prom::decode_format_query,
    )
    .await;
    Feature::detect(outcome.map(|answer| answer.data))
}

/// `parse_query` (the AST, experimental), or [`Feature::NotOnThisHost`].
///
/// # Errors
/// Any [`ApiError`] other than "endpoint missing".
pub async fn parse_query(
    endpoint: &Endpoint,
    query: &str,
    slot: &RequestSlot,
) -> Result<Feature<serde_json::Value>, ApiError> {
    let request = prom::parse_query(query);
    let outcome = call(
        endpoint,
        &request,
        no_retries(),
        slot,
        prom::decode_parse_query,
    )
    .await;
    Feature::detect(outcome.map(|answer| answer.data))
}

/// `status/buildinfo`: which server answers (version, revision).
///
/// # Errors
/// Any [`ApiError`].
pub async fn build_info(endpoint: &Endpoint) -> Result<BuildInfo, ApiError> {
    let request = prom::build_info();
    call(
        endpoint,
        &request,
        check_options(),
        &RequestSlot::default(),
        prom::decode_build_info,
    )
    .await
    .map(|answer| answer.data)
}

/// Proves the host is reachable from this page and accepts the token: `status/buildinfo`, or
/// where the host does not offer it (CoreWeave does not list it), the query `1`.
///
/// # Errors
/// Any [`ApiError`]: [`ApiError::Unreachable`] when the host is down or refuses this origin
/// (CORS: suggest proxy mode), [`ApiError::Unauthorized`] / [`ApiError::Forbidden`] for the token.
pub async fn check_connection(endpoint: &Endpoint) -> Result<(), ApiError> {
    match build_info(endpoint).await {
        Ok(_) => Ok(()),
        Err(error) if error.is_feature_missing() => {
            let probe = prom::connection_probe();
            call(
                endpoint,
                &probe,
                check_options(),
                &RequestSlot::default(),
                prom::decode_query,
            )
            .await
            .map(|_| ())
        }
        Err(error) => Err(error),
    }
}

fn check_options() -> RequestOptions {
    RequestOptions {
        timeout_ms: 10_000,
        max_body_bytes: 1024 * 1024,
        max_retries: 0,
    }
}

fn no_retries() -> RequestOptions {
    RequestOptions {
        max_retries: 0,
        ..RequestOptions::default()
    }
}
