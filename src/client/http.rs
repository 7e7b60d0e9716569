//! `fetch` with `Authorization: Bearer`, an abort handle per request slot, a timeout, bounded
//! retries with backoff for 429/502/503/504, and a cap on the body size.
//!
//! Every failure becomes an [`ApiError`] that says what happened and what to do. Texts that come
//! from a server are scrubbed of the token before they can reach the page.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_net::http::{Request, RequestBuilder};
use sightline_core::api::auth::Token;
use sightline_core::api::endpoints::{parse_base, EndpointBase};
use sightline_core::api::error::{classify_response, ApiError, FailedResponse};
use sightline_core::api::request::{ApiRequest, Method};
use web_sys::{AbortController, RequestCredentials, ReferrerPolicy};

/// Where requests go and with which token.
#[derive(Clone, PartialEq)]
pub struct Endpoint {
    /// Base URL or same-origin prefix, checked by [`parse_base`].
    pub base: String,
    /// How the host is named in messages (`observe.coreweave.com`, `this site's proxy`).
    pub host_label: String,
    pub token: Token,
    /// Extra headers for every request of this endpoint (e.g. Loki's encoding flags).
    pub extra_headers: Vec<(String, String)>,
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
    /// [`ApiError::Http`] naming the base when it is not a valid endpoint (cannot happen for a
    /// profile that passed validation at sign-in).
    pub fn new(base: &str, token: Token) -> Result<Self, ApiError> {
        let parsed = parse_base(base).map_err(|e| ApiError::Http {
            host: base.to_owned(),
            status: 0,
            message: e.to_string(),
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
        })
    }
}

/// Limits of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestOptions {
    pub timeout_ms: u32,
    /// Bodies larger than this are refused with [`ApiError::TooLarge`].
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

/// Longest wait between retries, whatever `Retry-After` says.
const MAX_RETRY_DELAY_MS: u32 = 10_000;

/// One in-flight request at a time: starting a new one aborts the previous (a panel whose time
/// range changed, a query typed again).
///
/// The browser runs the app on one thread; `SendWrapper` lets the slot live inside Leptos'
/// reactive closures, which must be `Send`.
#[derive(Clone)]
pub struct RequestSlot(send_wrapper::SendWrapper<Rc<RefCell<Option<AbortController>>>>);

impl Default for RequestSlot {
    fn default() -> Self {
        RequestSlot(send_wrapper::SendWrapper::new(Rc::new(RefCell::new(None))))
    }
}

impl RequestSlot {
    /// Aborts the request in flight, if any, and registers `next` as the current one.
    fn replace(&self, next: &AbortController) {
        if let Some(previous) = self.0.borrow_mut().replace(next.clone()) {
            previous.abort();
        }
    }

    /// Aborts the request in flight, if any.
    pub fn abort(&self) {
        if let Some(previous) = self.0.borrow_mut().take() {
            previous.abort();
        }
    }

    fn is_current(&self, controller: &AbortController) -> bool {
        self.0
            .borrow()
            .as_ref()
            .is_some_and(|c| c == controller)
    }

    fn finish(&self, controller: &AbortController) {
        let mut slot = self.0.borrow_mut();
        if slot.as_ref().is_some_and(|c| c == controller) {
            *slot = None;
        }
    }
}

/// What a successful call returned.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub body: String,
    pub status: u16,
    /// Wall time of the call, milliseconds (for the inspector).
    pub elapsed_ms: f64,
    pub attempts: u32,
}

/// Sends `request` to `endpoint`, retrying retryable failures with backoff.
///
/// # Errors
/// Any [`ApiError`]; [`ApiError::Aborted`] when `slot` started a newer request.
pub async fn send(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    slot: &RequestSlot,
) -> Result<Fetched, ApiError> {
    let started = now();
    let mut attempt = 0;
    loop {
        let controller = AbortController::new().map_err(|_| ApiError::Unreachable {
            host: endpoint.host_label.clone(),
        })?;
        slot.replace(&controller);
        let result = send_once(endpoint, request, options, &controller).await;
        let superseded = !slot.is_current(&controller);
        slot.finish(&controller);
        match result {
            Ok((body, status)) => {
                return Ok(Fetched {
                    body,
                    status,
                    elapsed_ms: now() - started,
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

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

async fn send_once(
    endpoint: &Endpoint,
    request: &ApiRequest,
    options: RequestOptions,
    controller: &AbortController,
) -> Result<(String, u16), ApiError> {
    let host = endpoint.host_label.clone();
    let timed_out = Rc::new(Cell::new(false));
    let _timeout = {
        let controller = controller.clone();
        let timed_out = Rc::clone(&timed_out);
        gloo_timers::callback::Timeout::new(options.timeout_ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let fetch_failed = |timed_out: &Cell<bool>| {
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
    let mut builder: RequestBuilder = match request.method {
        Method::Get => Request::get(&url),
        Method::PostForm => Request::post(&url)
            .header("Content-Type", "application/x-www-form-urlencoded"),
    };
    builder = builder
        .header("Authorization", &endpoint.token.authorization_header())
        .header("Accept", "application/json, text/plain;q=0.9, */*;q=0.1")
        .credentials(RequestCredentials::Omit)
        .referrer_policy(ReferrerPolicy::NoReferrer)
        .abort_signal(Some(&controller.signal()));
    for (name, value) in &endpoint.extra_headers {
        builder = builder.header(name, value);
    }
    let built = match request.body() {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Unreachable { host: host.clone() })?;
    let response = built.send().await.map_err(|_| fetch_failed(&timed_out))?;
    let status = response.status();
    let headers = response.headers();
    let declared_length = headers
        .get("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > options.max_body_bytes) {
        controller.abort();
        return Err(ApiError::TooLarge {
            host,
            limit_bytes: options.max_body_bytes,
        });
    }
    let body = response.text().await.map_err(|_| fetch_failed(&timed_out))?;
    if body.len() as u64 > options.max_body_bytes {
        return Err(ApiError::TooLarge {
            host,
            limit_bytes: options.max_body_bytes,
        });
    }
    if !response.ok() {
        // A server or gateway may echo request headers; never let the token reach the page.
        let body = endpoint.token.redact(&body);
        return Err(classify_response(&FailedResponse {
            host: &host,
            path: &request.path,
            status,
            content_type: headers.get("content-type").as_deref(),
            retry_after: headers.get("retry-after").as_deref(),
            body: &body,
        }));
    }
    Ok((body, status))
}
