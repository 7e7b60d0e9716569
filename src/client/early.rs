//! The answers `early.js` asked for before the app started (see `sightline_core::api::early`):
//! a request of the app whose URL (and body, for a POST form) is one of them takes that answer
//! instead of sending again.
//!
//! `early.js` leaves `window.__sightlineEarly = {page, now, requests: Map(key → {response,
//! controller})}`, keyed by [`sightline_core::api::early::answer_key`]. Each answer is taken at
//! most once; when the app aborts the request that took it (a newer query, a timeout), the early
//! fetch is aborted with it.

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal};

use sightline_core::api::early::MAX_AGE_MS;

const GLOBAL: &str = "__sightlineEarly";

fn early() -> Option<JsValue> {
    let value = Reflect::get(&js_sys::global(), &JsValue::from_str(GLOBAL)).ok()?;
    value.is_object().then_some(value)
}

fn field(object: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(object, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// The "now" `early.js` moved the requests of `page` to, once, while it is recent: the page
/// evaluates its range at that instant, so its panels build the URLs `early.js` sent. Later
/// pages of the same tab (or this page opened again) get `None` and use the clock.
#[must_use]
pub fn take_page_now(page: &str) -> Option<i64> {
    let early = early()?;
    if field(&early, "page")?.as_string()? != page || field(&early, "nowTaken").is_some() {
        return None;
    }
    let now = field(&early, "now")?.as_f64()?;
    let _ = Reflect::set(&early, &JsValue::from_str("nowTaken"), &JsValue::TRUE);
    #[allow(clippy::cast_possible_truncation)]
    let now = now as i64;
    (crate::browser::now_ms().saturating_sub(now) < MAX_AGE_MS).then_some(now)
}

/// True while `early.js` holds answers nobody took yet (a repeat visit of the page, its
/// requests already in flight).
#[must_use]
pub fn any_waiting() -> bool {
    early()
        .and_then(|e| field(&e, "requests"))
        .and_then(|r| r.dyn_into::<Map>().ok())
        .is_some_and(|requests| requests.size() > 0)
}

/// The early answer kept under `key` (its [`sightline_core::api::early::answer_key`]), if
/// `early.js` asked for it: a promise of the `Response`. Aborting `signal` aborts the early
/// fetch.
#[must_use]
pub fn claim(key: &str, signal: &AbortSignal) -> Option<Promise> {
    let early = early()?;
    let requests: Map = field(&early, "requests")?.dyn_into().ok()?;
    let key = JsValue::from_str(key);
    let entry = requests.get(&key);
    if entry.is_undefined() {
        return None;
    }
    requests.delete(&key);
    let response: Promise = field(&entry, "response")?.dyn_into().ok()?;
    let controller: AbortController = field(&entry, "controller")?.dyn_into().ok()?;
    if signal.aborted() {
        controller.abort();
    } else {
        let abort = Closure::once_into_js(move || controller.abort());
        let _ = signal.add_event_listener_with_callback("abort", abort.unchecked_ref());
    }
    let taken = field(&early, "taken")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    let _ = Reflect::set(
        &early,
        &JsValue::from_str("taken"),
        &JsValue::from_f64(taken + 1.0),
    );
    Some(response)
}

/// Aborts and forgets every early request not taken yet (sign-out: a later session must not
/// receive answers asked with this one's token).
pub fn forget_all() {
    let Some(requests) = early()
        .and_then(|e| field(&e, "requests"))
        .and_then(|r| r.dyn_into::<Map>().ok())
    else {
        return;
    };
    requests.for_each(&mut |entry, _| {
        if let Some(controller) =
            field(&entry, "controller").and_then(|c| c.dyn_into::<AbortController>().ok())
        {
            controller.abort();
        }
    });
    requests.clear();
}
