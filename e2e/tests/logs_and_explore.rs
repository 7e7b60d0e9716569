//! End to end: logs and Explore against the demo stack. An audit-log query returns the
//! generated kube-apiserver events and "filter for" narrows them; a 5,000-line result keeps
//! fewer than 200 rows in the DOM while scrolling to its end; autocomplete offers the real
//! metric names, labels and values of the stack; `format_query` rewrites a LogQL query (and is
//! reported missing on the metrics host); the query history survives a reload and a new sign-in
//! without the token ever reaching `localStorage`; the Kubernetes audit dashboard shows its
//! events.

use std::time::{Duration, Instant};

use sightline_e2e::{
    browser, element_arg, open, screenshot, sign_in, stack, wait_for_text, Browser, WAIT,
};

/// The seed's audit query for the demo cluster `east-prod`.
const AUDIT_QUERY: &str = r#"{logging_component="unicaster", app="kube-apiserver", stream="", cluster="east-prod"} | json | apiVersion="audit.k8s.io/v1" | json sourceIPs="sourceIPs" | json user_groups="user.groups""#;

/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";

/// Percent-encodes a URL query value (everything but RFC 3986 unreserved characters).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The number at the start of the status line (`1000 lines in …`, `16 series, …`).
fn leading_number(text: &str) -> usize {
    text.trim()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn status_of(b: &Browser, css: &str, needle: &str) -> usize {
    leading_number(&wait_for_text(b, css, needle))
}

fn js(b: &Browser, script: &str) -> serde_json::Value {
    b.execute(script, &[])
        .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
}

fn completions(b: &Browser, needle: &str) -> Vec<String> {
    let script = format!(
        "const l = [...document.querySelectorAll('.completion-item .completion-text')].map(e => e.textContent); \
         return l.includes({needle:?}) ? l : null;"
    );
    let found = b
        .wait_until(&format!("the suggestions include {needle:?}"), &script, WAIT)
        .unwrap_or_else(|e| {
            let seen = js(b, "return [...document.querySelectorAll('.completion-item')].map(e => e.textContent);");
            panic!("{e}; suggestions seen: {seen}")
        });
    serde_json::from_value(found).unwrap_or_default()
}

fn type_keys(b: &Browser, css: &str, keys: &str) {
    let field = b.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&field, keys, false)
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

fn query_text(b: &Browser) -> String {
    js(b, "return document.querySelector('#query').value;")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn an_audit_query_returns_kube_apiserver_events_and_filters_narrow_them() {
    let b = browser();
    open(
        &b,
        &format!("/explore?ds=audit&range=1h&q={}", encode(AUDIT_QUERY)),
    );
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let all = status_of(&b, "#query-status", "lines");
    assert!(all >= 100, "an hour of east-prod audit events: {all}");
    let rows = js(
        &b,
        "return [...document.querySelectorAll('.log-row .log-line')].map(e => e.textContent);",
    );
    let rows: Vec<String> = serde_json::from_value(rows).unwrap_or_default();
    assert!(
        !rows.is_empty() && rows.len() < 200,
        "a window of rows: {}",
        rows.len()
    );
    assert!(
        rows.iter()
            .all(|r| r.contains(r#""apiVersion":"audit.k8s.io/v1""#)
                && r.contains(r#""kind":"Event""#)),
        "every row is an audit event"
    );

    // Expand the first event: its stream labels and parsed fields, with filter buttons.
    js(&b, "document.querySelector('.log-row').click();");
    let details = wait_for_text(&b, ".log-details", "user_username");
    assert!(
        details.contains("kube-apiserver") && details.contains("east-prod"),
        "{details}"
    );
    let verb = js(
        &b,
        "const f = [...document.querySelectorAll('.log-field')].find(r => r.querySelector('.log-field-name').textContent === 'verb'); \
         return f.querySelector('.log-field-value').textContent;",
    );
    let verb = verb.as_str().unwrap_or_default().to_owned();
    assert!(!verb.is_empty(), "the event has a verb");
    js(
        &b,
        "[...document.querySelectorAll('.log-field')].find(r => r.querySelector('.log-field-name').textContent === 'verb').querySelector('.log-filter-for').click();",
    );
    b.wait_until(
        "the query gains the verb filter",
        &format!(
            "return document.querySelector('#query').value.endsWith({:?});",
            format!(" | verb=\"{verb}\"")
        ),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}; query: {}", query_text(&b)));
    let narrowed = b
        .wait_until(
            "the filtered query ran",
            &format!(
                "const e = document.querySelector('#query-status'); const n = e && parseInt(e.textContent); \
                 return n && n < {all} ? n : null;"
            ),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .as_u64()
        .unwrap_or(0);
    assert!(narrowed > 0, "some {verb} events remain");
    let verbs = js(
        &b,
        "return [...document.querySelectorAll('.log-row .log-line')].map(e => JSON.parse(e.textContent).verb);",
    );
    let verbs: Vec<String> = serde_json::from_value(verbs).unwrap_or_default();
    assert!(
        !verbs.is_empty() && verbs.iter().all(|v| *v == verb),
        "only {verb}: {verbs:?}"
    );

    screenshot(&b, "explore-audit-logs");

    // "Filter out" a user: none of that user's events remain.
    js(&b, "document.querySelector('.log-row').click();");
    wait_for_text(&b, ".log-details", "user_username");
    let user = js(
        &b,
        "const f = [...document.querySelectorAll('.log-field')].find(r => r.querySelector('.log-field-name').textContent === 'user_username'); \
         f.querySelector('.log-filter-out').click(); return f.querySelector('.log-field-value').textContent;",
    );
    let user = user.as_str().unwrap_or_default().to_owned();
    b.wait_until(
        "the query drops the user",
        &format!(
            "return document.querySelector('#query').value.endsWith({:?});",
            format!(" | user_username!=\"{user}\"")
        ),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}; query: {}", query_text(&b)));
    b.wait_until(
        "the query without the user ran",
        &format!(
            "const e = document.querySelector('#query-status'); const n = e && parseInt(e.textContent); \
             return n && n < {narrowed} ? n : null;"
        ),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let users = js(
        &b,
        "return [...document.querySelectorAll('.log-row .log-line')].map(e => JSON.parse(e.textContent).user.username);",
    );
    let users: Vec<String> = serde_json::from_value(users).unwrap_or_default();
    assert!(
        !users.is_empty() && !users.contains(&user),
        "{user} is gone: {users:?}"
    );
    b.quit();
}

#[test]
fn filter_for_a_stream_label_narrows_the_selector() {
    let b = browser();
    open(
        &b,
        &format!(
            "/explore?ds=logs&range=1h&q={}",
            encode(r#"{logging_component="application"}"#)
        ),
    );
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let before = wait_for_text(&b, "#query-status", "streams");
    let streams_before = streams_in(&before);
    js(&b, "document.querySelector('.log-row').click();");
    wait_for_text(&b, ".log-details", "pod");
    let pod = js(
        &b,
        "const f = [...document.querySelectorAll('.log-field')].find(r => r.querySelector('.log-field-name').textContent === 'pod' \
           && r.querySelector('.log-field-origin').textContent === 'label'); \
         f.querySelector('.log-filter-for').click(); return f.querySelector('.log-field-value').textContent;",
    );
    let pod = pod.as_str().unwrap_or_default().to_owned();
    b.wait_until(
        "the selector gains the pod",
        &format!(
            "return document.querySelector('#query').value === {:?};",
            format!("{{logging_component=\"application\", pod=\"{pod}\"}}")
        ),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}; query: {}", query_text(&b)));
    // One pod writes a stream per level and container: far fewer streams than the fleet.
    let after = b
        .wait_until(
            "the narrowed query ran",
            &format!(
                "const e = document.querySelector('#query-status'); const m = e && e.textContent.match(/in (\\d+) streams/); \
                 return m && +m[1] < {streams_before} ? e.textContent : null;"
            ),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let streams_after = streams_in(after.as_str().unwrap_or_default());
    assert!(
        streams_after >= 1 && streams_after < streams_before,
        "{pod}: {after} (before: {before})"
    );
    b.quit();
}

/// `N` of `… lines in N streams`.
fn streams_in(status: &str) -> usize {
    status.split(" in ").nth(1).map(leading_number).unwrap_or(0)
}

#[test]
fn a_5000_line_result_keeps_fewer_than_200_rows_in_the_dom_while_scrolling_to_the_end() {
    let b = browser();
    open(&b, "/explore");
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let started = Instant::now();
    open(
        &b,
        &format!(
            "/explore?ds=logs&range=6h&limit=5000&q={}",
            encode(r#"{logging_component="application"}"#)
        ),
    );
    let lines = status_of(&b, "#query-status", "lines");
    b.wait_for(".log-row", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    let first_render = started.elapsed();
    assert_eq!(lines, 5000, "the line limit was reached");
    let mut most_rows = 0;
    let mut steps = 0;
    loop {
        let state = js(
            &b,
            "const s = document.querySelector('.log-scroll'); s.scrollTop += s.clientHeight * 2; \
             return [document.querySelectorAll('.log-row').length, s.scrollTop + s.clientHeight >= s.scrollHeight - 1];",
        );
        std::thread::sleep(Duration::from_millis(30));
        let rows = js(&b, "return document.querySelectorAll('.log-row').length;")
            .as_u64()
            .unwrap_or(0);
        most_rows = most_rows.max(rows).max(state[0].as_u64().unwrap_or(0));
        steps += 1;
        if state[1].as_bool() == Some(true) || steps > 2000 {
            break;
        }
    }
    // At the end, the last of the 5,000 rows is drawn.
    let last = b
        .wait_until(
            "the last row is drawn",
            "const r = [...document.querySelectorAll('.log-row')].map(e => +e.dataset.rowId); return r.includes(4999) ? r.length : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "5,000 lines: first rows after {first_render:?}; at most {most_rows} rows in the DOM over {steps} scroll steps; {last} at the end"
    );
    assert!(
        most_rows > 0 && most_rows < 200,
        "rows alive while scrolling: {most_rows}"
    );
    screenshot(&b, "explore-logs-5000");
    b.quit();
}

#[test]
fn autocomplete_offers_real_metric_names_labels_and_values() {
    let b = browser();
    open(&b, "/explore");
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let field = b.wait_for("#query", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&field, "DCGM_FI_DEV_GPU_UT", true)
        .unwrap_or_else(|e| panic!("{e}"));
    completions(&b, "DCGM_FI_DEV_GPU_UTIL");
    let doc = wait_for_text(&b, ".completion-doc", "GPU utilization");
    assert!(doc.contains("GAUGE"), "HELP and TYPE from metadata: {doc}");
    type_keys(&b, "#query", ENTER);
    type_keys(&b, "#query", "{");
    let labels = completions(&b, "Hostname");
    assert!(
        labels.contains(&"gpu".to_owned()) && labels.contains(&"UUID".to_owned()),
        "{labels:?}"
    );
    type_keys(&b, "#query", "Hostn");
    completions(&b, "Hostname");
    type_keys(&b, "#query", ENTER);
    let values = completions(&b, "gpu-east-prod-01");
    assert_eq!(values.len(), 16, "one value per node: {values:?}");
    type_keys(&b, "#query", ENTER);
    assert_eq!(
        query_text(&b),
        r#"DCGM_FI_DEV_GPU_UTIL{Hostname="gpu-east-prod-01""#
    );
    type_keys(&b, "#query", "}");
    screenshot(&b, "explore-metrics-autocomplete");
    let run = b.wait_for("#run", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.click(&run).unwrap_or_else(|e| panic!("{e}"));
    let series = status_of(&b, "#query-status", "series");
    assert!(
        series >= 8,
        "every GPU of the node (a GPU's series splits when its job changes): {series}"
    );
    wait_for_text(&b, ".explore-unit", "percent");
    wait_for_text(&b, ".explore-no-exemplars", "No exemplars");

    // A second query beside the first: both in one graph and table.
    let add = b
        .wait_for(".query-add", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&add).unwrap_or_else(|e| panic!("{e}"));
    type_keys(&b, "#query-1-2", "avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)");
    type_keys(&b, "#query-1-2", "\u{E009}\u{E007}");
    b.wait_until(
        "both queries ran",
        "const names = [...document.querySelectorAll('.explore-series-name')].map(e => e.textContent); \
         return names.some(n => n.startsWith('A: ')) && names.filter(n => n.startsWith('B: ')).length === 16;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let url = b.current_url().unwrap_or_default();
    assert!(
        url.matches("q=").count() == 2,
        "both queries are in the URL: {url}"
    );
    screenshot(&b, "explore-metrics");

    // The logs host: label names and values from Loki.
    let select = b
        .wait_for(".pane-source", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.execute(
        "arguments[0].value = 'logs'; arguments[0].dispatchEvent(new Event('change'));",
        &[element_arg(&select)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let field = b.wait_for("#query", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&field, "{", true)
        .unwrap_or_else(|e| panic!("{e}"));
    let labels = completions(&b, "namespace");
    assert!(labels.contains(&"cluster".to_owned()), "{labels:?}");
    type_keys(&b, "#query", "namespace=");
    completions(&b, "ml-training");
    b.quit();
}

#[test]
fn format_query_rewrites_a_logql_query_and_is_reported_missing_for_promql() {
    let b = browser();
    open(
        &b,
        &format!(
            "/explore?ds=logs&range=1h&q={}",
            encode(r#"{app="kube-apiserver",cluster="west-prod"}|json|responseStatus_code>=400"#)
        ),
    );
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let format = b
        .wait_for(".pane-format", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&format).unwrap_or_else(|e| panic!("{e}"));
    b.wait_until(
        "the host's format_query rewrote the query",
        r#"return document.querySelector('#query').value === '{app="kube-apiserver", cluster="west-prod"} | json | responseStatus_code>=400';"#,
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}; query: {}", query_text(&b)));
    wait_for_text(&b, ".pane-message", "Formatted");

    open(&b, &format!("/explore?q={}", encode("sum(up)")));
    let format = b
        .wait_for(".pane-format", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&format).unwrap_or_else(|e| panic!("{e}"));
    let message = wait_for_text(&b, ".pane-message", "not available");
    assert!(message.contains("format_query"), "{message}");
    assert_eq!(query_text(&b), "sum(up)", "the query is left as typed");
    b.quit();
}

#[test]
fn query_history_survives_a_reload_and_a_new_sign_in_without_the_token() {
    let b = browser();
    open(&b, "/explore");
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let marker = format!("count(up) # history e2e {}", std::process::id());
    let field = b.wait_for("#query", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&field, &marker, true)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = b.wait_for("#run", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.click(&run).unwrap_or_else(|e| panic!("{e}"));
    status_of(&b, "#query-status", "series");
    let history = b
        .wait_for(".pane-history", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&history).unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, ".history-list", "history e2e");
    js(
        &b,
        "[...document.querySelectorAll('.history-item')].find(i => i.textContent.includes('history e2e')).querySelector('.history-star').click();",
    );
    wait_for_text(&b, ".history-item.starred", "history e2e");

    // Reload: the history is back, starred.
    let url = b.current_url().unwrap_or_default();
    b.goto(&url).unwrap_or_else(|e| panic!("{e}"));
    let history = b
        .wait_for(".pane-history", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&history).unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, ".history-item.starred", "history e2e");
    let search = b
        .wait_for(".history-search", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&search, "history e2e", true)
        .unwrap_or_else(|e| panic!("{e}"));
    let listed = js(
        &b,
        "return document.querySelectorAll('.history-item').length;",
    );
    assert_eq!(
        listed.as_u64(),
        Some(1),
        "the search finds exactly the query"
    );
    // Runs, and when it last ran, in the reader's zone and to the minute (not raw RFC 3339).
    let meta = js(
        &b,
        "return /^\\d+× · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}$/.test(document.querySelector('.history-item .history-meta').textContent) || document.querySelector('.history-item .history-meta').textContent;",
    );
    assert_eq!(meta, serde_json::Value::Bool(true), "history meta: {meta}");
    screenshot(&b, "explore-history");

    // Sign out and in again: still there, and the token never reached localStorage.
    let stored = js(&b, "return JSON.stringify(localStorage);");
    assert!(!stored.to_string().contains(stack::DEMO_TOKEN), "{stored}");
    assert!(
        stored.to_string().contains("history e2e"),
        "the history is in localStorage"
    );
    let out = b
        .wait_for("#sign-out", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&out).unwrap_or_else(|e| panic!("{e}"));
    // A fresh sign-in lands on the fleet dashboard; the history is on Explore.
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/explore");
    let history = b
        .wait_for(".pane-history", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&history).unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(&b, ".history-item.starred", "history e2e");
    let stored = js(&b, "return JSON.stringify(localStorage);");
    assert!(!stored.to_string().contains(stack::DEMO_TOKEN), "{stored}");
    b.quit();
}

#[test]
fn the_kubernetes_audit_dashboard_shows_events_and_counts() {
    let b = browser();
    open(&b, "/d/k8s-audit?from=now-1h&to=now&var-cluster=east-prod");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".logs-panel");
    b.wait_until(
        "the logs panel shows audit events",
        r#"return [...document.querySelectorAll('.logs-panel .log-line')].some(l => l.textContent.includes('"apiVersion":"audit.k8s.io/v1"'));"#,
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.wait_until(
        "the stat panels show counts",
        "return [...document.querySelectorAll('.stat-value')].some(v => /[1-9]/.test(v.textContent));",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::thread::sleep(Duration::from_secs(2));
    screenshot(&b, "audit-dashboard");
    b.quit();
}
