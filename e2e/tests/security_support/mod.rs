//! Shared plumbing of the security end-to-end tests (issue 10): probes installed before the app
//! starts (CSP violations, the WebAssembly memory, a main-thread heartbeat), planting dashboard
//! files in the browser's library, in-app navigation, and reading what a panel shows.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde_json::{json, Value};
use sightline_e2e::{open, stack, Browser, WAIT};

/// Installed with `Page.addScriptToEvaluateOnNewDocument`, so it runs in every document before
/// the app: records CSP violations in `window.__csp` and keeps the app's WebAssembly memory in
/// `window.__wasmMemory` when Trunk's loader announces the start.
const PROBES: &str = r"
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} ${e.sample || ''}`.trim());
});
addEventListener('sightline:started', (e) => {
  window.__wasmMemory = e.detail && e.detail.wasm && e.detail.wasm.memory;
});
";

/// Installs [`PROBES`] in every future document of this browser session.
pub fn install_probes(b: &Browser) {
    b.cdp("Page.enable", json!({})).unwrap();
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": PROBES }),
    )
    .unwrap();
}

/// Turns the page's Content-Security-Policy off for this session: the injection tests prove
/// that the app's own rendering keeps hostile text inert, without CSP as a safety net.
pub fn bypass_csp(b: &Browser) {
    b.cdp("Page.enable", json!({})).unwrap();
    b.cdp("Page.setBypassCSP", json!({ "enabled": true }))
        .unwrap();
}

/// CSP violations recorded in the current document since it loaded.
pub fn csp_violations(b: &Browser) -> Vec<String> {
    let v = b
        .execute("return window.__csp || [];", &[])
        .unwrap_or(Value::Null);
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Bytes of the app's WebAssembly memory (0 when the probe has not seen the start).
pub fn wasm_memory_bytes(b: &Browser) -> u64 {
    b.execute(
        "return window.__wasmMemory ? window.__wasmMemory.buffer.byteLength : 0;",
        &[],
    )
    .ok()
    .and_then(|v| v.as_u64())
    .unwrap_or(0)
}

/// The JavaScript heap in use, bytes (Chromium's `performance.memory`).
pub fn js_heap_bytes(b: &Browser) -> u64 {
    b.execute(
        "return performance.memory ? performance.memory.usedJSHeapSize : 0;",
        &[],
    )
    .ok()
    .and_then(|v| v.as_u64())
    .unwrap_or(0)
}

/// Removes the whole dashboard library from this browser.
pub fn clear_library(b: &Browser) {
    b.execute(
        "for (const k of Object.keys(localStorage)) if (k.startsWith('sightline.dashboard.') || k === 'sightline.library') localStorage.removeItem(k); return true;",
        &[],
    )
    .unwrap();
}

/// Navigates inside the app without reloading the page (the router follows `popstate`), so the
/// document and its probes (heartbeat, listeners) live on.
pub fn navigate_in_app(b: &Browser, path: &str) {
    b.execute(
        "history.pushState(null, '', arguments[0]); dispatchEvent(new PopStateEvent('popstate')); return true;",
        &[json!(path)],
    )
    .unwrap();
}

/// Starts a main-thread heartbeat: a `setTimeout(…, 0)` chain that records the longest wait
/// between two beats (`window.__beat.maxGap`, ms). A busy main thread delays every beat.
pub fn start_heartbeat(b: &Browser) {
    b.execute(
        r"const beat = window.__beat = {last: performance.now(), maxGap: 0, beats: 0, stop: false};
          const tick = () => {
            const now = performance.now();
            beat.maxGap = Math.max(beat.maxGap, now - beat.last);
            beat.last = now; beat.beats++;
            if (!beat.stop) setTimeout(tick, 0);
          };
          setTimeout(tick, 0);
          return true;",
        &[],
    )
    .unwrap();
}

/// Stops the heartbeat; returns the longest gap seen (ms) and the number of beats.
pub fn stop_heartbeat(b: &Browser) -> (f64, u64) {
    let v = b
        .execute(
            "const b = window.__beat; if (!b) return null; b.stop = true; return [Math.max(b.maxGap, performance.now() - b.last), b.beats];",
            &[],
        )
        .unwrap();
    (
        v[0].as_f64().unwrap_or(f64::MAX),
        v[1].as_u64().unwrap_or(0),
    )
}

/// How long (ms) a `setTimeout(…, 0)` scheduled now takes to fire.
pub fn timeout_latency_ms(b: &Browser) -> f64 {
    b.execute(
        "window.__lat = null; const t = performance.now(); setTimeout(() => { window.__lat = performance.now() - t; }, 0); return true;",
        &[],
    )
    .unwrap();
    // Wrapped in a list: an idle tab fires within the 0.1 ms resolution of `performance.now()`,
    // and a bare 0 reads as "not yet" to `wait_until`.
    b.wait_until(
        "a setTimeout(0) fires",
        "return window.__lat === null ? null : [window.__lat];",
        WAIT,
    )
    .ok()
    .and_then(|v| v[0].as_f64())
    .unwrap_or(f64::MAX)
}

/// The state (`data-state`) and the text of the panel titled `title`.
pub fn panel(b: &Browser, title: &str) -> (String, String) {
    let v = b
        .execute(
            "const p = [...document.querySelectorAll('.panel')].find(p => p.querySelector('.panel-title').textContent === arguments[0]);
             return p ? [p.dataset.state, p.innerText] : null;",
            &[json!(title)],
        )
        .unwrap();
    (
        v[0].as_str().unwrap_or("(missing)").to_owned(),
        v[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// Every text the page could show or keep: the whole DOM (attributes and titles included).
pub fn page_html(b: &Browser) -> String {
    b.execute("return document.documentElement.outerHTML;", &[])
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// What the injection probe found (`None`: nothing ran, nothing was injected).
pub fn injection_found(b: &Browser) -> Option<String> {
    b.execute(
        &format!("return {};", sightline_testkit::hostile::INJECTION_PROBE),
        &[],
    )
    .ok()
    .and_then(|v| v.as_str().map(str::to_owned))
}

/// Signs in on a fresh page with `profile` and the demo token, landing on `landing`.
pub fn sign_in_fresh(b: &Browser, profile: &str, landing: &str) {
    open(b, "/sign-in");
    sightline_e2e::sign_in(b, profile, stack::DEMO_TOKEN, landing);
}

/// Waits until no panel is waiting or loading, for up to `timeout` (longer than
/// `settled_panels` for stalls); returns `(title, state)` per panel.
pub fn settle(b: &Browser, timeout: Duration) -> Vec<(String, String)> {
    sightline_e2e::settled_panels_within(b, timeout)
}

/// A time-series panel at grid cell `index` (6 per row) querying `expr` on its default
/// datasource (`kind`: `prometheus` or `loki`).
pub fn panel_json(id: u64, index: u32, title: &str, kind: &str, expr: &str) -> Value {
    json!({
        "id": id, "type": "timeseries", "title": title,
        "gridPos": {"x": (index % 6) * 4, "y": (index / 6) * 7, "w": 4, "h": 7},
        "datasource": {"type": kind, "uid": kind},
        "targets": [{"refId": "A", "expr": expr, "datasource": {"type": kind, "uid": kind}}],
    })
}

/// The origins the demo profile's token may go to (its metrics/logs and legacy hosts).
pub fn demo_profile_origins() -> Vec<String> {
    vec![
        stack::url(stack::global().port),
        stack::url(9406),
        stack::url(9407),
    ]
}

/// The origin of a URL (`scheme://host[:port]`), or the URL itself for `data:`/`blob:`.
pub fn origin_of(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
            format!("{scheme}://{authority}")
        }
        None => url.split(':').next().unwrap_or_default().to_owned() + ":",
    }
}
