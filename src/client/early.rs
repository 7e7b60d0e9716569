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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    //! `early.js` itself in headless Chromium, with `fetch` replaced by one that answers when
    //! the test says:
    //! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib client::early::`
    #![allow(clippy::unwrap_used)]

    use js_sys::{Array, Function, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Replaces `fetch` with one that records each call (`window.__fetched`: url, and the
    /// function answering it) and the most calls unanswered at once (`window.__mostOpen`).
    const FAKE_FETCH: &str = "
      window.__realFetch = window.__realFetch || window.fetch;
      window.__fetched = []; window.__open = 0; window.__mostOpen = 0;
      window.fetch = (url) => new Promise((resolve) => {
        window.__open += 1;
        window.__mostOpen = Math.max(window.__mostOpen, window.__open);
        let answered = false;
        window.__fetched.push([url, () => {
          if (answered) return;
          answered = true;
          window.__open -= 1;
          resolve(new Response('{}'));
        }]);
      });";

    fn run(js: &str) -> JsValue {
        Function::new_no_args(js).call0(&JsValue::NULL).unwrap()
    }

    fn window_field(name: &str) -> JsValue {
        Reflect::get(&js_sys::global(), &JsValue::from_str(name)).unwrap()
    }

    fn fetched() -> Array {
        window_field("__fetched").unchecked_into()
    }

    async fn settle() {
        gloo_timers::future::TimeoutFuture::new(10).await;
    }

    /// Signs the tab in and keeps a plan of `count` requests for this very page.
    fn plan(count: usize) {
        let profile = r#"{"metrics":"http://early.test"}"#;
        let requests: Vec<serde_json::Value> = (0..count)
            .map(|i| {
                serde_json::json!({
                    "url": format!("http://early.test/api/v1/query_range?query=q{i}&start=__SIGHTLINE_FROM__&end=__SIGHTLINE_TO__&step=15"),
                    "from_lag_ms": 3_600_000, "to_lag_ms": 0, "align_ms": 15_000,
                })
            })
            .collect();
        let location = web_sys::window().unwrap().location();
        let page = format!(
            "{}{}",
            location.pathname().unwrap(),
            location.search().unwrap()
        );
        let book = serde_json::json!({"pages": [{"page": page, "profile": profile, "requests": requests}]});
        let window = web_sys::window().unwrap();
        let session = window.session_storage().unwrap().unwrap();
        session
            .set_item("sightline.token", "early-test-token")
            .unwrap();
        session.set_item("sightline.profile", profile).unwrap();
        let local = window.local_storage().unwrap().unwrap();
        local
            .set_item("sightline.early", &book.to_string())
            .unwrap();
    }

    fn clean_up() {
        super::forget_all();
        run("window.fetch = window.__realFetch;
             sessionStorage.removeItem('sightline.token');
             sessionStorage.removeItem('sightline.profile');
             localStorage.removeItem('sightline.early');");
    }

    #[wasm_bindgen_test]
    async fn early_js_starts_with_two_requests_and_keeps_at_most_the_apps_cap_in_flight() {
        plan(30);
        run(FAKE_FETCH);
        run(include_str!("../early.js"));
        settle().await;
        assert_eq!(fetched().length(), 2, "two sent at once, 28 waiting");
        let early = window_field("__sightlineEarly");
        let requests: js_sys::Map = Reflect::get(&early, &"requests".into())
            .unwrap()
            .unchecked_into();
        assert_eq!(requests.size(), 30, "every request can be claimed");

        // The app is handed an answer before its freed place sends anything.
        let first_key = requests
            .keys()
            .into_iter()
            .map(Result::unwrap)
            .find(|key| key.as_string().unwrap().contains("query=q0&"))
            .unwrap();
        let first_response: js_sys::Promise =
            Reflect::get(&requests.get(&first_key), &"response".into())
                .unwrap()
                .unchecked_into();
        let sent_when_handed = std::rc::Rc::new(std::cell::Cell::new(0_u32));
        let record = {
            let sent_when_handed = std::rc::Rc::clone(&sent_when_handed);
            wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| {
                sent_when_handed.set(fetched().length());
            })
        };
        let _ = first_response.then(&record);
        // Each answer in frees its place and opens two more: 2 → 4 → 6 in flight.
        for (answered, sent) in [(0, 5), (1, 8)] {
            let call: Array = fetched().get(answered).unchecked_into();
            call.get(1)
                .unchecked_into::<Function>()
                .call0(&JsValue::NULL)
                .unwrap();
            settle().await;
            assert_eq!(fetched().length(), sent, "after answer {answered}");
        }
        assert_eq!(window_field("__open").as_f64(), Some(6.0));
        assert_eq!(
            sent_when_handed.get(),
            2,
            "sent when the app had the first answer"
        );

        // A waiting request aborted (the app superseded it) is never sent, and its answer
        // fails at once.
        let waiting_key = requests
            .keys()
            .into_iter()
            .map(Result::unwrap)
            .find(|key| key.as_string().unwrap().contains("query=q29&"))
            .unwrap();
        let entry = requests.get(&waiting_key);
        let controller: web_sys::AbortController = Reflect::get(&entry, &"controller".into())
            .unwrap()
            .unchecked_into();
        let response: js_sys::Promise = Reflect::get(&entry, &"response".into())
            .unwrap()
            .unchecked_into();
        controller.abort();
        assert!(wasm_bindgen_futures::JsFuture::from(response)
            .await
            .is_err());
        for _ in 0..30 {
            let calls = fetched();
            for call in calls.iter() {
                let call: Array = call.unchecked_into();
                call.get(1)
                    .unchecked_into::<Function>()
                    .call0(&JsValue::NULL)
                    .unwrap();
            }
            settle().await;
        }
        let urls: Vec<String> = fetched()
            .iter()
            .map(|call| call.unchecked_into::<Array>().get(0).as_string().unwrap())
            .collect();
        assert_eq!(urls.len(), 29, "all but the aborted one were sent");
        assert!(!urls.iter().any(|u| u.contains("query=q29&")));
        assert_eq!(window_field("__mostOpen").as_f64(), Some(16.0));
        clean_up();
    }
}
