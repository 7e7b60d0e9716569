//! Recording the requests a dashboard page sends at its first "now", so that the next full load
//! of the same page can send them before the app starts (`src/early.js`; the rules are in
//! `sightline_core::api::early`). A refresh, a new range or another page moves "now" on, and
//! what is asked then is not recorded.
//!
//! The recording is written to storage once no request was added for [`QUIET_MS`], and at the
//! latest when the page is left (`pagehide`): a reload right after the panels painted still
//! finds it.

use std::cell::{Cell, RefCell};

use sightline_core::api::early::{EarlyRequest, PagePlan, PlanBook, MAX_REQUESTS_PER_PAGE};
use sightline_core::api::request::ApiRequest;
use sightline_core::model::duration::Duration;
use sightline_core::model::time_range::TimeRange;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;

use crate::browser::performance_now;
use crate::client::Endpoint;
use crate::storage;

/// Requests asked later than this after the page's first are not recorded: the first screen's
/// panels have all asked by then, and panels scrolled to later should not be asked early.
const WINDOW_MS: f64 = 2_000.0;
/// The recording is written after this long without a new request.
const QUIET_MS: u32 = 250;

struct Recording {
    page: String,
    now_ms: i64,
    /// `performance.now()` of the first request recorded.
    first_at: Option<f64>,
    requests: Vec<EarlyRequest>,
    /// Bumped by every request recorded; a scheduled write only runs if nothing came since.
    version: u64,
    unwritten: bool,
}

thread_local! {
    static RECORDING: RefCell<Option<Recording>> = const { RefCell::new(None) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// Starts recording for the dashboard page `page` (path and query), evaluated at `now_ms`. A
/// recording of the page before that was not written yet is written first.
pub fn begin(page: String, now_ms: i64) {
    write_now();
    listen_for_pagehide();
    RECORDING.with_borrow_mut(|recording| {
        *recording = Some(Recording {
            page,
            now_ms,
            first_at: None,
            requests: Vec::new(),
            version: 0,
            unwritten: false,
        });
    });
}

/// Records `request` to `endpoint` over `range` (evaluated at `now_ms`; its times floored to
/// `align`, zero for none), if it can be sent early at all ([`EarlyRequest::from_request`]).
pub fn record_request(
    now_ms: i64,
    endpoint: &Endpoint,
    request: &ApiRequest,
    range: TimeRange,
    align: Duration,
) {
    if !endpoint.extra_headers.is_empty() {
        return;
    }
    let sent = crate::client::post::wire_request(endpoint, request);
    if let Some(early) = EarlyRequest::from_request(&sent, &endpoint.base, range, now_ms, align) {
        record(now_ms, early);
    }
}

/// Records `request`, asked with the range evaluated at `now_ms`, if that is still the page's
/// first "now" and its first requests are still going out.
fn record(now_ms: i64, request: EarlyRequest) {
    let at = performance_now();
    let scheduled = RECORDING.with_borrow_mut(|recording| {
        let recording = recording.as_mut()?;
        let first_at = *recording.first_at.get_or_insert(at);
        if recording.now_ms != now_ms
            || at - first_at > WINDOW_MS
            || recording.requests.len() >= MAX_REQUESTS_PER_PAGE
            || recording.requests.contains(&request)
        {
            return None;
        }
        recording.requests.push(request);
        recording.version += 1;
        recording.unwritten = true;
        Some(recording.version)
    });
    if let Some(version) = scheduled {
        gloo_timers::callback::Timeout::new(QUIET_MS, move || {
            let quiet = RECORDING.with_borrow(|r| r.as_ref().is_some_and(|r| r.version == version));
            if quiet {
                write_now();
            }
        })
        .forget();
    }
}

/// Writes the current recording if it has requests not written yet, replacing the page's
/// older plan in the book.
fn write_now() {
    let plan = RECORDING.with_borrow_mut(|recording| {
        let recording = recording.as_mut().filter(|r| r.unwritten)?;
        recording.unwritten = false;
        Some(PagePlan {
            page: recording.page.clone(),
            profile: storage::session_profile_text()?,
            requests: recording.requests.clone(),
        })
    });
    let Some(plan) = plan else {
        return;
    };
    let mut book = PlanBook::parse(storage::early_plans_text().as_deref());
    book.put(plan);
    storage::save_early_plans(&book.to_json());
}

fn listen_for_pagehide() {
    if LISTENING.replace(true) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_hide = Closure::<dyn Fn()>::new(write_now);
    let _ = window.add_event_listener_with_callback("pagehide", on_hide.as_ref().unchecked_ref());
    // Listens for the life of the page.
    on_hide.forget();
}
