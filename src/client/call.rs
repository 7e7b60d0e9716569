//! The one shape of every typed call: build (pure, in `sightline-core`) → send ([`send`]) →
//! decode (pure), with decode errors scrubbed of the token like transport errors.

use sightline_core::api::error::ApiError;
use sightline_core::api::request::{ApiRequest, RequestError};

use super::http::{send, Endpoint, RequestOptions};
use super::slot::RequestSlot;

/// A core decoder: `(host, body) -> value`.
pub(crate) type Decoder<T> = fn(&str, &str) -> Result<T, ApiError>;

/// Sends `request` and decodes the body with `decode`.
pub(crate) async fn call<T>(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    slot: &RequestSlot,
    decode: Decoder<T>,
) -> Result<T, ApiError> {
    let fetched = send(endpoint, request, options, slot).await?;
    decode(&endpoint.host_label, &fetched.body).map_err(|e| e.redacted(&endpoint.token))
}

/// A builder's result as a call's error: nothing was sent.
pub(crate) fn built(
    endpoint: &Endpoint,
    request: Result<ApiRequest, RequestError>,
) -> Result<ApiRequest, ApiError> {
    request.map_err(|e| ApiError::not_sent(&endpoint.host_label, &e))
}
