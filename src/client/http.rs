//! `fetch` with `Authorization: Bearer`, an abort handle per request slot, a timeout, bounded
//! retries with backoff for 429/502/503/504, and a byte cap enforced while the body streams in.
//!
//! Every failure becomes an [`ApiError`] that names the host and says what to do. Every body
//! that comes from a server (answers and error pages alike) is scrubbed of the token before
//! anything parses, quotes or shows it.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder, Response};
use sightline_core::api::auth::Token;
use sightline_core::api::early::answer_key;
use sightline_core::api::endpoints::{parse_base, EndpointBase};
use sightline_core::api::error::{classify_response, ApiError, FailedResponse};
use sightline_core::api::request::{ApiRequest, Method};
use web_sys::{AbortController, ReferrerPolicy, RequestCredentials};

use super::body::{read_capped, Overflow};
use super::slot::RequestSlot;
use crate::browser::performance_now;

/// Where requests go and with which token.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    /// Base URL or same-origin prefix, checked by [`parse_base`].
    pub base: String,
    /// How the host is named in messages (`observe.coreweave.com`, `this site's proxy`).
    pub host_label: String,
    pub token: Token,
    /// Extra headers for every request of this endpoint.
    pub extra_headers: Vec<(String, String)>,
    /// Queries that may go either way go as POST forms ([`super::post`]).
    pub prefer_post: bool,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("base", &self.base)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    /// An endpoint for a base from the signed-in profile.
    ///
    /// # Errors
    /// [`ApiError::NotSent`] naming the base when it is not a valid endpoint (cannot happen for
    /// a profile that passed validation at sign-in).
    pub fn new(base: &str, token: Token) -> Result<Self, ApiError> {
        let parsed = parse_base(base).map_err(|e| ApiError::NotSent {
            host: base.to_owned(),
            reason: e.to_string(),
        })?;
        let host_label = match &parsed {
            EndpointBase::Absolute { origin, .. } => origin
                .split_once("://")
                .map_or(origin.as_str(), |(_, host)| host)
                .to_owned(),
            EndpointBase::SameOrigin { path } => format!("this site's proxy ({path})"),
        };
        Ok(Endpoint {
            base: parsed.as_prefix(),
            host_label,
            token,
            extra_headers: Vec::new(),
            prefer_post: false,
        })
    }

    /// The same endpoint, sending queries as POST forms when `prefer_post`.
    #[must_use]
    pub fn preferring_post(mut self, prefer_post: bool) -> Self {
        self.prefer_post = prefer_post;
        self
    }
}

/// Limits of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestOptions {
    /// Whole call, body included.
    pub timeout_ms: u32,
    /// Successful bodies larger than this are refused with [`ApiError::TooLarge`]; reading
    /// stops at the limit.
    pub max_body_bytes: u64,
    /// Further attempts after a retryable failure (429, 502, 503, 504).
    pub max_retries: u32,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions {
            timeout_ms: 30_000,
            max_body_bytes: 64 * 1024 * 1024,
            max_retries: 2,
        }
    }
}

/// Error bodies are only quoted: this much is plenty.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

/// Longest wait between retries, whatever `Retry-After` says.
const MAX_RETRY_DELAY_MS: u32 = 10_000;

/// What a successful call returned.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: String,
    pub status: u16,
    /// Wall time of the call, milliseconds (for the inspector).
    pub elapsed_ms: f64,
    pub attempts: u32,
}

/// Sends `request` to `endpoint` (as a POST form when the endpoint prefers it, and once more as
/// GET if the host seems to refuse the POST), retrying retryable failures with backoff. Every
/// message that can reach the page is scrubbed of the token.
///
/// # Errors
/// Any [`ApiError`]; [`ApiError::Aborted`] when `slot` started a newer request.
pub async fn send(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    slot: &RequestSlot,
) -> Result<Fetched, ApiError> {
    let wired = super::post::wire_request(endpoint, request);
    let result = match send_attempts(endpoint, &wired, options, slot).await {
        Err(error) if error.may_refuse_post() => match wired.get_fallback() {
            Some(get) => {
                let retried = send_attempts(endpoint, &get, options, slot).await;
                if retried.is_ok() {
                    super::post::remember_refused(&endpoint.base);
                }
                retried
            }
            None => Err(error),
        },
        other => other,
    };
    result.map_err(|e| e.redacted(&endpoint.token))
}

async fn send_attempts(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    slot: &RequestSlot,
) -> Result<Fetched, ApiError> {
    let started = performance_now();
    let generation = slot.begin();
    let mut attempt = 0;
    loop {
        let controller = AbortController::new().map_err(|_| ApiError::Unreachable {
            host: endpoint.host_label.clone(),
        })?;
        if !slot.register(generation, &controller) {
            return Err(ApiError::Aborted);
        }
        let result = send_once(endpoint, request, options, &controller).await;
        let superseded = !slot.is_current(generation);
        slot.finish(&controller);
        match result {
            Ok((body, status)) => {
                return Ok(Fetched {
                    body,
                    status,
                    elapsed_ms: performance_now() - started,
                    attempts: attempt + 1,
                })
            }
            Err(_) if superseded => return Err(ApiError::Aborted),
            Err(error) if error.is_retryable() && attempt < options.max_retries => {
                let delay = retry_delay_ms(attempt, error.retry_after_s());
                gloo_timers::future::TimeoutFuture::new(delay).await;
                attempt += 1;
            }
            Err(error) => return Err(error),
        }
    }
}

/// Exponential backoff (500 ms, 1 s, 2 s…) with jitter, or the server's `Retry-After`, capped.
fn retry_delay_ms(attempt: u32, retry_after_s: Option<u32>) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let jitter = (js_sys::Math::random() * 250.0) as u32;
    let base = match retry_after_s {
        Some(s) => s.saturating_mul(1000),
        None => 500u32.saturating_mul(1 << attempt.min(5)),
    };
    base.saturating_add(jitter).min(MAX_RETRY_DELAY_MS)
}

fn build(
    endpoint: &Endpoint,
    request: &ApiRequest,
    url: &str,
    body: Option<&str>,
    controller: &AbortController,
) -> Result<Request, ApiError> {
    let mut builder: RequestBuilder = match request.method {
        Method::Get => Request::get(url),
        Method::PostForm => {
            Request::post(url).header("Content-Type", "application/x-www-form-urlencoded")
        }
    };
    builder = builder
        .header("Authorization", &endpoint.token.authorization_header())
        .header("Accept", "application/json, text/plain;q=0.9, */*;q=0.1")
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .abort_signal(Some(&controller.signal()));
    for (name, value) in endpoint.extra_headers.iter().chain(&request.headers) {
        builder = builder.header(name, value);
    }
    match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::NotSent {
        host: endpoint.host_label.clone(),
        reason: "the browser refused to build the request".to_owned(),
    })
}

/// The answer `early.js` already asked for this very request, if any: only one with no headers
/// of its own, which is all `early.js` sends (the token and `Accept` are the same).
fn early_answer(
    endpoint: &Endpoint,
    request: &ApiRequest,
    url: &str,
    body: Option<&str>,
    controller: &AbortController,
) -> Option<js_sys::Promise> {
    if !request.headers.is_empty() || !endpoint.extra_headers.is_empty() {
        return None;
    }
    let key = answer_key(url, body);
    super::early::claim(&key, &controller.signal())
}

async fn send_once(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    controller: &AbortController,
) -> Result<(String, u16), ApiError> {
    let host = endpoint.host_label.clone();
    let timed_out = Rc::new(Cell::new(false));
    // Dropped (cancelled) when this function returns: the limit covers the body too.
    let _timeout = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        gloo_timers::callback::Timeout::new(options.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let fetch_failed = || {
        if timed_out.get() {
            ApiError::Timeout {
                host: host.clone(),
                seconds: options.timeout_ms / 1000,
            }
        } else if controller.signal().aborted() {
            ApiError::Aborted
        } else {
            ApiError::Unreachable { host: host.clone() }
        }
    };
    let url = request.url(&endpoint.base);
    // Built once: the early answer's key and the request itself both carry it.
    let body = request.body();
    let response = match early_answer(endpoint, request, &url, body.as_deref(), controller) {
        Some(early) => wasm_bindgen_futures::JsFuture::from(early)
            .await
            .ok()
            .and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::Response>(r).ok())
            .map(Response::from)
            .ok_or_else(fetch_failed)?,
        None => build(endpoint, request, &url, body.as_deref(), controller)?
            .send()
            .await
            .map_err(|_| fetch_failed())?,
    };
    let status = response.status();
    let headers = response.headers();
    let too_large = || ApiError::TooLarge {
        host: host.clone(),
        limit_bytes: options.max_body_bytes,
    };
    if !response.ok() {
        let body = read_capped(&response, MAX_ERROR_BODY_BYTES, Overflow::KeepPrefix)
            .await
            .map_err(|_| fetch_failed())?;
        // Scrubbed before classification: an excerpt could otherwise cut the token in two and
        // keep a prefix that `redact` no longer recognises.
        let text = scrub(
            &endpoint.token,
            String::from_utf8_lossy(&body.bytes).into_owned(),
        );
        return Err(classify_response(&FailedResponse {
            host: &host,
            path: &request.path,
            status,
            content_type: headers.get("content-type").as_deref(),
            retry_after: headers.get("retry-after").as_deref(),
            body: &text,
        }));
    }
    let declared_length = headers
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > options.max_body_bytes) {
        controller.abort();
        return Err(too_large());
    }
    let body = read_capped(&response, options.max_body_bytes, Overflow::Discard)
        .await
        .map_err(|_| fetch_failed())?;
    if body.truncated {
        controller.abort();
        return Err(too_large());
    }
    let text = String::from_utf8(body.bytes).map_err(|e| ApiError::Malformed {
        host: host.clone(),
        detail: format!(
            "the body is not UTF-8 text (invalid byte at {})",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok((scrub(&endpoint.token, text), status))
}

/// `text` with the token replaced, when a server echoed it: whatever the page later shows of a
/// body (warnings, label values, log lines, quoted errors) cannot carry it.
fn scrub(token: &Token, text: String) -> String {
    if token.appears_in(&text) {
        token.redact(&text)
    } else {
        text
    }
}
