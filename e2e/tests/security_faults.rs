//! End to end (issue 10): broken APIs, through the stack's faults gateway (test mode,
//! `cargo xtask stack faults up`, profile "demo-faults").
//!
//! Each fault shows its own message in the panel that asked for it and nowhere else; retries are
//! bounded and back off (honouring `Retry-After`); stalls and never-ending bodies hit the
//! client's time limit; huge bodies are refused without holding them; a server that echoes the
//! token never gets it onto the page; a 401 in the middle of a session leads to sign-in and back
//! to the same dashboard, time range and variables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod security_support;

use std::collections::BTreeMap;
use std::time::Duration;

use security_support::{
    bypass_csp, injection_found, install_probes, js_heap_bytes, page_html, panel, panel_json,
    settle, sign_in_fresh, wasm_memory_bytes,
};
use serde_json::{json, Value};
use sightline_e2e::{
    browser, open, plant_dashboard, screenshot, sign_in, stack, wait_for_text, Browser, WAIT,
};
use sightline_testkit::faults::{add_double_rule, install_double_rules, marker};
use sightline_testkit::webdriver::SentRequest;

const PROFILE: &str = "demo-faults";
/// How the app names the faults gateway in its messages.
const HOST: &str = "127.0.0.1:9408";

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// Fresh rules on the faults double (timestamps of the canned answers around now).
fn reset_double() {
    install_double_rules(stack::LOKI_FAULTS_PORT, now_ms()).unwrap_or_else(|e| {
        panic!("is the faults gateway up (`cargo xtask stack faults up`)? {e}")
    });
}

/// The Loki test double refuses the next request to `path` with a 401, after `stall_seconds`.
fn refuse_token_once(path: &str, stall_seconds: f64) {
    add_double_rule(
        stack::LOKI_FAULTS_PORT,
        &json!({"path": path, "status": 401, "count": 1, "stall_seconds": stall_seconds,
                "content_type": "text/plain; charset=utf-8", "body": "401 Unauthorized: token expired\n"}),
    )
    .unwrap();
}

/// Explore running a plain Loki selector over the last hour (lines and volume histogram).
const EXPLORE_LOGS_VIEW: &str = "/explore?range=1h&ds=logs&q=%7Bapp%3D%22kube-apiserver%22%7D";

fn prom(fault: &str) -> String {
    format!("sum({})", marker(fault))
}

fn loki(fault: &str) -> String {
    format!(
        "sum(count_over_time({{app=\"kube-apiserver\"}} |= \"{}\" [5m]))",
        marker(fault)
    )
}

/// A table panel with an instant query (for canned instant answers).
fn instant_table(id: u64, index: u32, title: &str, expr: &str) -> Value {
    let mut p = panel_json(id, index, title, "prometheus", expr);
    p["type"] = json!("table");
    p["targets"][0]["instant"] = json!(true);
    p
}

/// `(title, expected state, a text the panel must show)`.
type Expectation = (&'static str, &'static str, &'static str);

const FAST: [Expectation; 18] = [
    ("control metrics", "done", ""),
    ("control logs", "done", ""),
    (
        "500 html",
        "error",
        "answered 500: 500 Internal Server Error",
    ),
    ("502 html", "error", "is unavailable (502): 502 Bad Gateway"),
    (
        "504 html",
        "error",
        "is unavailable (504): 504 Gateway Time-out",
    ),
    (
        "429 retry-after",
        "error",
        "(429 Too Many Requests); retry in 1 s",
    ),
    ("403 this query", "error", "refused access (403 Forbidden)"),
    ("truncated json", "error", "could not read"),
    ("not json", "error", "could not read"),
    ("html sign-in page", "error", "could not read"),
    ("json as text/plain", "done", "text-plain"),
    ("cors refusal", "error", "could not be reached"),
    ("echo token", "error", "…redacted…"),
    ("echo token at the cut", "error", "…redacted…"),
    ("echo token in data", "done", "…redacted…"),
    ("invalid utf-8", "error", "not UTF-8"),
    ("loki 502", "error", "is unavailable (502)"),
    ("loki truncated", "error", "could not read"),
];

fn fast_dashboard() -> Value {
    let metrics = |fault: &str| prom(fault);
    let panels: Vec<Value> = FAST
        .iter()
        .enumerate()
        .map(|(i, (title, _, _))| {
            let id = i as u64 + 1;
            let index = u32::try_from(i).unwrap_or(0);
            match *title {
                "control metrics" => {
                    panel_json(id, index, title, "prometheus", "sum(DCGM_FI_DEV_GPU_UTIL)")
                }
                "control logs" => panel_json(
                    id,
                    index,
                    title,
                    "loki",
                    "sum(count_over_time({app=\"kube-apiserver\"}[5m]))",
                ),
                "500 html" => panel_json(id, index, title, "prometheus", &metrics("500_html")),
                "502 html" => panel_json(id, index, title, "prometheus", &metrics("502_html")),
                "504 html" => panel_json(id, index, title, "prometheus", &metrics("504_html")),
                "429 retry-after" => panel_json(id, index, title, "prometheus", &metrics("429")),
                "403 this query" => panel_json(id, index, title, "prometheus", &metrics("403")),
                "truncated json" => {
                    panel_json(id, index, title, "prometheus", &metrics("truncated_json"))
                }
                "not json" => panel_json(id, index, title, "prometheus", &metrics("not_json")),
                "html sign-in page" => {
                    panel_json(id, index, title, "prometheus", &metrics("html_200"))
                }
                "json as text/plain" => instant_table(id, index, title, &metrics("json_as_text")),
                "cors refusal" => panel_json(id, index, title, "prometheus", &metrics("no_cors")),
                "echo token" => panel_json(id, index, title, "prometheus", &metrics("echo_token")),
                "echo token at the cut" => {
                    panel_json(id, index, title, "prometheus", &metrics("echo_token_cut"))
                }
                "echo token in data" => {
                    instant_table(id, index, title, &metrics("echo_token_data"))
                }
                "invalid utf-8" => instant_table(id, index, title, &metrics("invalid_utf8")),
                "loki 502" => panel_json(id, index, title, "loki", &loki("502_html")),
                _ => panel_json(id, index, title, "loki", &loki("truncated_json")),
            }
        })
        .collect();
    json!({"uid": "faults-fast", "title": "Faults: fast answers", "time": {"from": "now-1h", "to": "now"}, "panels": panels})
}

/// Requests seen in the performance log, by API (`prom`, `loki`) and the fault their URL names
/// (`prom:502_html`): their monotonic send times (seconds), preflights left out.
fn attempts_by_fault(log: &[Value]) -> BTreeMap<String, Vec<f64>> {
    let mut by_fault: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for entry in log {
        let message = &entry["message"];
        if message["method"] != json!("Network.requestWillBeSent") {
            continue;
        }
        let request = &message["params"]["request"];
        if request["method"] == json!("OPTIONS") {
            continue;
        }
        let url = request["url"].as_str().unwrap_or_default();
        if let Some(at) = url.find("sightline_fault_") {
            let name: String = url[at + "sightline_fault_".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let api = if url.contains("/loki/api/") {
                "loki"
            } else {
                "prom"
            };
            by_fault
                .entry(format!("{api}:{name}"))
                .or_default()
                .push(message["params"]["timestamp"].as_f64().unwrap_or(0.0));
        }
    }
    by_fault
}

#[test]
fn every_broken_answer_shows_its_own_message_in_its_own_panel() {
    reset_double();
    let b = browser();
    b.set_window_size(1400, 2000).unwrap();
    bypass_csp(&b);
    install_probes(&b);
    sign_in_fresh(&b, PROFILE, ".panel");
    plant_dashboard(&b, "faults-fast", &fast_dashboard());
    b.log("performance").unwrap();
    open(&b, "/d/faults-fast");
    settle(&b, Duration::from_secs(60));
    screenshot(&b, "security-faults-fast");
    let mut report = Vec::new();
    for (title, state, text) in FAST {
        let (seen_state, seen_text) = panel(&b, title);
        report.push(format!(
            "{title}: {seen_state}: {}",
            seen_text.replace('\n', " ⏎ ")
        ));
        assert_eq!(seen_state, state, "{title}: {seen_text}");
        assert!(
            seen_text.contains(text),
            "{title} should show {text:?}: {seen_text}"
        );
        if state == "error" {
            assert!(
                seen_text.contains(HOST),
                "{title} names the host: {seen_text}"
            );
            assert!(
                seen_text.contains("Retry"),
                "{title} offers a retry: {seen_text}"
            );
        }
    }
    println!("what each panel showed:\n  {}", report.join("\n  "));
    // The messages stay in their panels: no page-level error, and the control panels are fine.
    let outside = b
        .execute(
            "return [...document.querySelectorAll('.error-box, [role=alert]')].filter(e => !e.closest('.panel')).map(e => e.textContent);",
            &[],
        )
        .unwrap();
    assert_eq!(outside, json!([]), "errors outside the panels");
    // Error pages with script stay text, and the echoed token never reaches the page.
    assert_eq!(injection_found(&b), None);
    let html = page_html(&b);
    assert!(
        !html.contains(stack::DEMO_TOKEN),
        "the token reached the page"
    );
    assert!(
        !html.contains(&stack::DEMO_TOKEN[..12]),
        "a prefix of the token reached the page"
    );
    // Retries: bounded (1 + 2 for 429/502/504, none for the rest) and spaced by backoff, or by
    // Retry-After for the 429.
    let attempts = attempts_by_fault(&b.log("performance").unwrap());
    println!("attempts per fault (send times, s): {attempts:?}");
    for (fault, retried) in [
        ("prom:502_html", true),
        ("prom:504_html", true),
        ("prom:429", true),
        ("loki:502_html", true),
        ("prom:500_html", false),
        ("prom:403", false),
        ("prom:truncated_json", false),
        ("loki:truncated_json", false),
        ("prom:no_cors", false),
        ("prom:echo_token", false),
    ] {
        let times = attempts.get(fault).cloned().unwrap_or_default();
        let expected = if retried { 3 } else { 1 };
        assert!(
            !times.is_empty() && times.len() % expected == 0 && times.len() <= expected * 2,
            "{fault}: {} attempts, expected {expected} per run",
            times.len()
        );
        if retried {
            let gaps: Vec<f64> = times.windows(2).take(2).map(|w| w[1] - w[0]).collect();
            let (first, second) = if fault == "prom:429" {
                (0.95, 0.95)
            } else {
                (0.45, 0.95)
            };
            assert!(
                gaps.len() == 2 && gaps[0] >= first && gaps[1] >= second && gaps[1] < 12.0,
                "{fault}: gaps between attempts {gaps:?}"
            );
        }
    }
    b.quit();
}

#[test]
fn stalls_endless_and_huge_bodies_end_in_their_panels_with_bounded_memory() {
    reset_double();
    let b = browser();
    install_probes(&b);
    sign_in_fresh(&b, PROFILE, ".panel");
    let panels = vec![
        panel_json(1, 0, "control", "prometheus", "sum(DCGM_FI_DEV_GPU_UTIL)"),
        panel_json(2, 1, "stall 40 s", "prometheus", &prom("stall")),
        panel_json(
            3,
            2,
            "never-ending body",
            "prometheus",
            &prom("never_ending"),
        ),
        instant_table(4, 3, "slow 3 s", &prom("slow")),
        panel_json(5, 6, "200 MB body", "prometheus", &prom("huge_body")),
        panel_json(
            6,
            7,
            "200 MB body, no length",
            "prometheus",
            &prom("huge_body_chunked"),
        ),
        panel_json(7, 8, "loki never-ending", "loki", &loki("never_ending")),
    ];
    plant_dashboard(
        &b,
        "faults-slow",
        &json!({"uid": "faults-slow", "title": "Faults: slow answers", "time": {"from": "now-1h", "to": "now"}, "panels": panels}),
    );
    open(&b, "/d/faults-slow");
    b.wait_for(".panel", WAIT).unwrap();
    let wasm_before = wasm_memory_bytes(&b);
    let heap_before = js_heap_bytes(&b);
    let started = std::time::Instant::now();
    // While the slow ones run, the fast ones are already drawn.
    b.wait_until(
        "the control and the slow panel finish while the stalls go on",
        "const s = t => { const p = [...document.querySelectorAll('.panel')].find(p => p.querySelector('.panel-title').textContent === t); return p && p.dataset.state; };
         return s('control') === 'done' && s('slow 3 s') === 'done' && s('stall 40 s') === 'loading' ? true : null;",
        Duration::from_secs(25),
    )
    .unwrap();
    let settled = settle(&b, Duration::from_secs(90));
    let waited = started.elapsed();
    screenshot(&b, "security-faults-slow");
    let expect = [
        ("control", "done", ""),
        ("slow 3 s", "done", "slow"),
        ("stall 40 s", "error", "did not answer within 30 s"),
        ("never-ending body", "error", "did not answer within 30 s"),
        ("loki never-ending", "error", "did not answer within 30 s"),
        ("200 MB body", "error", "larger than 67 MB"),
        ("200 MB body, no length", "error", "larger than 67 MB"),
    ];
    for (title, state, text) in expect {
        let (seen_state, seen_text) = panel(&b, title);
        println!("{title}: {seen_state}: {}", seen_text.replace('\n', " ⏎ "));
        assert_eq!(seen_state, state, "{title}: {seen_text}");
        assert!(
            seen_text.contains(text),
            "{title} should show {text:?}: {seen_text}"
        );
    }
    assert!(
        waited < Duration::from_secs(75),
        "the time limit ended the stalls ({waited:?}): {settled:?}"
    );
    let wasm_after = wasm_memory_bytes(&b);
    let heap_after = js_heap_bytes(&b);
    println!(
        "memory: wasm {} → {} MB, JS heap {} → {} MB",
        wasm_before / 1_000_000,
        wasm_after / 1_000_000,
        heap_before / 1_000_000,
        heap_after / 1_000_000
    );
    assert!(wasm_after > 0, "the probe sees the app's memory");
    // Refused bodies never enter the WebAssembly heap (which never shrinks): it stays far
    // below even one body at the 64 MiB cap.
    assert!(
        wasm_after < 64_000_000,
        "the 200 MB bodies were not held: wasm memory {wasm_after} bytes"
    );
    assert!(
        heap_after < heap_before + 150_000_000,
        "the JS heap stayed bounded: {heap_before} → {heap_after}"
    );
    b.quit();
}

#[test]
fn a_401_mid_session_leads_to_sign_in_and_back_to_the_same_view() {
    reset_double();
    let b = browser();
    install_probes(&b);
    sign_in_fresh(&b, PROFILE, ".panel");
    let mut panels = vec![
        panel_json(
            1,
            0,
            "gpus of the cluster",
            "prometheus",
            "count(DCGM_FI_DEV_GPU_UTIL{cluster=~\"$cluster\"})",
        ),
        panel_json(
            2,
            1,
            "audit events",
            "loki",
            "sum(count_over_time({app=\"kube-apiserver\"}[5m]))",
        ),
    ];
    panels[1]["gridPos"]["y"] = json!(8);
    let dashboard = json!({
        "uid": "faults-401", "title": "Faults: 401 mid-session", "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [{"type": "custom", "name": "cluster", "query": "east-prod,east-research,west-prod",
            "multi": true, "current": {"text": ["east-prod"], "value": ["east-prod"]}}]},
        "panels": panels,
    });
    plant_dashboard(&b, "faults-401", &dashboard);
    let view = "/d/faults-401?from=now-3h&to=now&var-cluster=east-research&var-cluster=west-prod";
    open(&b, view);
    settle(&b, Duration::from_secs(60));
    // The token expires: the next logs query is refused once.
    refuse_token_once("/loki/api/v1/query_range", 0.0);
    b.click(&b.wait_for("#refresh-now", WAIT).unwrap()).unwrap();
    b.wait_for("#session-expired", WAIT).unwrap();
    let at_sign_in = b.current_url().unwrap();
    assert!(at_sign_in.contains("/sign-in?next="), "{at_sign_in}");
    let stored = b
        .execute("return sessionStorage.getItem('sightline.token');", &[])
        .unwrap();
    assert!(stored.is_null(), "the rejected token is forgotten");
    screenshot(&b, "security-faults-401-sign-in");
    sign_in(&b, PROFILE, stack::DEMO_TOKEN, ".panel");
    let back = b.current_url().unwrap();
    assert!(back.ends_with(view), "back at {back}, expected {view}");
    settle(&b, Duration::from_secs(60));
    wait_for_text(&b, "#time-picker-button", "Last 3 hours");
    wait_for_text(
        &b,
        "[data-variable=cluster] .variable-button",
        "east-research + west-prod",
    );
    for title in ["gpus of the cluster", "audit events"] {
        let (state, text) = panel(&b, title);
        assert_eq!(state, "done", "{title}: {text}");
    }
    screenshot(&b, "security-faults-401-back");
    b.quit();
}

/// A token that expired before an Explore logs run: every request of the run (the lines and the
/// volume histogram) is refused. The first 401 sends the user to sign in and disposes the page;
/// the later ones must still end quietly, so that signing in again brings the same query back.
#[test]
fn a_401_on_every_request_of_an_explore_run_leads_to_sign_in_and_back() {
    reset_double();
    let b = browser();
    sign_in_fresh(&b, PROFILE, ".panel");
    // The volume's refusal comes a second later, after the page is gone.
    refuse_token_once("/loki/api/v1/query_range", 0.0);
    refuse_token_once("/loki/api/v1/index/volume_range", 1.0);
    let view = EXPLORE_LOGS_VIEW;
    open(&b, view);
    b.wait_for("#session-expired", WAIT).unwrap();
    // Both refusals answered before the form is used (the second one panicked the app).
    std::thread::sleep(Duration::from_millis(1500));
    sign_in(&b, PROFILE, stack::DEMO_TOKEN, "#query");
    let back = b.current_url().unwrap();
    assert!(back.ends_with(view), "back at {back}, expected {view}");
    wait_for_text(&b, "#query-status", "streams");
    b.quit();
}

/// A 401 on the log volume's index request alone signs out. Before, the volume fell back to the
/// count query it uses for a host without the index, which the double answers, and the refusal
/// went unseen.
#[test]
fn a_401_on_the_log_volume_alone_leads_to_sign_in() {
    reset_double();
    let b = browser();
    sign_in_fresh(&b, PROFILE, ".panel");
    refuse_token_once("/loki/api/v1/index/volume_range", 0.0);
    open(&b, EXPLORE_LOGS_VIEW);
    b.wait_for("#session-expired", WAIT).unwrap();
    b.quit();
}

/// The faults gateway refuses what the others refuse: no token, or a token without access.
#[test]
fn the_faults_gateway_checks_the_token_like_the_others() {
    let url = format!(
        "{}/api/v1/query?query={}",
        stack::url(stack::FAULTS_PORT),
        prom("502_html")
    );
    let anonymous = sightline_testkit::http::get(&url, &[], Duration::from_secs(5)).unwrap();
    assert_eq!(anonymous.status, 401);
    let forbidden = format!("Bearer {}", stack::NO_ACCESS_TOKEN);
    let refused = sightline_testkit::http::get(
        &url,
        &[("Authorization", &forbidden)],
        Duration::from_secs(5),
    )
    .unwrap();
    assert_eq!(refused.status, 403);
}

/// Waits for every panel to settle, checks each drew, and returns the query calls (GET or
/// POST, preflights left out) sent since the last look at the log.
fn drawn_with_queries(b: &Browser) -> Vec<SentRequest> {
    let panels = settle(b, Duration::from_secs(60));
    assert!(
        panels.iter().all(|(_, s)| s == "done" || s == "static"),
        "{panels:?}"
    );
    b.sent_requests()
        .unwrap()
        .into_iter()
        .filter(|r| r.url.contains("/api/v1/query") && r.is_call())
        .collect()
}

/// `when` asked its queries again, every one of them as GET.
fn assert_only_gets(calls: &[SentRequest], when: &str) {
    assert!(!calls.is_empty(), "{when} asked again");
    assert!(
        calls.iter().all(|r| r.method == "GET"),
        "{when}: {:?}",
        calls.iter().map(SentRequest::identity).collect::<Vec<_>>()
    );
}

#[test]
fn a_host_that_refuses_post_gets_the_same_queries_as_get_and_keeps_getting_get() {
    // The faults gateway takes metrics queries as GET only (405 to a POST). Signed in to it
    // with a custom profile, which prefers POST forms, the app must draw every panel anyway.
    reset_double();
    let b = browser();
    b.set_window_size(1400, 2000).unwrap();
    open(&b, "/sign-in");
    let select = b.wait_for("#profile", WAIT).unwrap();
    b.execute(
        "const s = arguments[0]; s.value = 'custom'; s.dispatchEvent(new Event('change'));",
        &[sightline_e2e::element_arg(&select)],
    )
    .unwrap();
    let metrics = b.wait_for("#custom-metrics", WAIT).unwrap();
    b.type_into(&metrics, &stack::url(stack::FAULTS_PORT), true)
        .unwrap();
    let token = b.wait_for("#token", WAIT).unwrap();
    b.type_into(&token, stack::DEMO_TOKEN, true).unwrap();
    b.sent_requests().unwrap();
    b.click(&b.wait_for("#sign-in", WAIT).unwrap()).unwrap();
    b.wait_for(".panel", WAIT).unwrap();
    let calls = drawn_with_queries(&b);
    screenshot(&b, "post-refused-falls-back-to-get");
    let posts: Vec<_> = calls.iter().filter(|r| r.method == "POST").collect();
    assert!(!posts.is_empty(), "the custom profile prefers POST forms");
    for post in &posts {
        let twin = calls
            .iter()
            .any(|r| r.method == "GET" && r.params() == post.params());
        assert!(twin, "no GET followed the refused POST {}", post.identity());
    }

    // The refusal is remembered: a refresh asks every query as GET at once.
    b.click(&b.wait_for("#refresh-now", WAIT).unwrap()).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_only_gets(&drawn_with_queries(&b), "the refresh");

    // Kept for the tab: full reloads send no POST either, neither the app nor `early.js` (whose
    // plan from the first load holds forms; the second reload replays the GETs kept by the
    // first).
    let page = b
        .execute("return location.pathname + location.search;", &[])
        .unwrap();
    let page = page.as_str().unwrap_or_default().to_owned();
    for reload in ["first", "second"] {
        open(&b, &page);
        b.wait_for(".panel", WAIT).unwrap();
        assert_only_gets(&drawn_with_queries(&b), &format!("the {reload} reload"));
    }
    let early = b
        .execute(
            "return window.__sightlineEarly ? window.__sightlineEarly.sent : 0;",
            &[],
        )
        .unwrap();
    assert!(
        early.as_u64().unwrap_or(0) > 0,
        "early.js sent the kept GETs: {early}"
    );
    b.quit();
}
