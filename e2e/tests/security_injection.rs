//! End to end (issue 10): hostile strings in every field a dashboard file or an API answer can
//! fill render as text. The page's CSP is bypassed in these tests, so what is proven is the
//! app's own rendering: the canary global is never set, no element the payloads describe
//! appears, links keep only `http(s)` or in-app targets, and the layout stays usable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod security_support;

use std::time::Duration;

use security_support::{
    bypass_csp, injection_found, install_probes, navigate_in_app, panel_json, settle,
    sign_in_fresh, start_heartbeat, stop_heartbeat, timeout_latency_ms,
};
use serde_json::{json, Value};
use sightline_e2e::{
    browser, open, plant_dashboard, screenshot, settled_panels, stack, Browser, WAIT,
};
use sightline_testkit::faults::marker;
use sightline_testkit::hostile::{all_in_one, long_text, PAYLOADS};

/// `label_replace(vector(i), "evil", <payload>, "", "")` for every payload, as one PromQL
/// expression (Prometheus itself then answers with the hostile label values).
fn hostile_promql() -> String {
    PAYLOADS
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.text.contains('`'))
        .map(|(i, p)| {
            format!(
                "label_replace(label_replace(vector({}), \"evil\", `{}`, \"\", \"\"), \"payload\", \"{}\", \"\", \"\")",
                i + 1,
                p.text.replace('\u{0}', ""),
                p.name
            )
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn hostile_dashboard() -> Value {
    let every = all_in_one();
    let custom_options: Vec<String> = PAYLOADS.iter().map(|p| p.text.replace(',', ";")).collect();
    let mut panels: Vec<Value> = vec![json!({
        "id": 1, "type": "row", "title": PAYLOADS[0].text, "collapsed": false,
        "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1}, "panels": []
    })];
    let mut chart = panel_json(2, 0, PAYLOADS[0].text, "prometheus", &hostile_promql());
    chart["gridPos"] = json!({"x": 0, "y": 1, "w": 12, "h": 10});
    chart["description"] = json!(every);
    chart["targets"][0]["legendFormat"] = json!(format!("{{{{evil}}}} {} $evil", PAYLOADS[1].text));
    chart["links"] = json!(PAYLOADS
        .iter()
        .map(|p| json!({"title": p.text, "url": p.text}))
        .collect::<Vec<_>>());
    panels.push(chart);
    let mut table = panel_json(3, 0, PAYLOADS[2].text, "prometheus", &hostile_promql());
    table["type"] = json!("table");
    table["targets"][0]["instant"] = json!(true);
    table["gridPos"] = json!({"x": 12, "y": 1, "w": 12, "h": 10});
    panels.push(table);
    let markdown: String = PAYLOADS
        .iter()
        .map(|p| format!("- **{}**: {}\n", p.name, p.text))
        .collect::<String>()
        + "\n[javascript link](javascript:window.__sightline_canary='md-link') [data link](data:text/html,x) [web link](https://example.org/ok)\n";
    panels.push(json!({"id": 4, "type": "text", "title": PAYLOADS[3].text,
        "gridPos": {"x": 0, "y": 11, "w": 12, "h": 12},
        "options": {"mode": "markdown", "content": markdown}}));
    panels.push(json!({"id": 5, "type": "text", "title": PAYLOADS[9].text,
        "gridPos": {"x": 12, "y": 11, "w": 12, "h": 12},
        "options": {"mode": "html", "content": every}}));
    for (i, p) in PAYLOADS.iter().enumerate().skip(4) {
        let id = 10 + i as u64;
        let mut stat = panel_json(id, 0, p.text, "prometheus", "count(DCGM_FI_DEV_GPU_UTIL)");
        stat["type"] = json!("stat");
        stat["description"] = json!(p.text);
        stat["gridPos"] =
            json!({"x": ((i - 4) % 4) * 6, "y": 23 + ((i - 4) / 4) * 5, "w": 6, "h": 5});
        stat["fieldConfig"] = json!({"defaults": {"unit": p.text, "displayName": p.text}});
        panels.push(stat);
    }
    json!({
        "uid": "hostile", "title": every, "description": every,
        "tags": PAYLOADS.iter().map(|p| p.text).collect::<Vec<_>>(),
        "links": PAYLOADS.iter().map(|p| json!({"title": p.text, "url": p.text, "type": "link"})).collect::<Vec<_>>(),
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [
            {"type": "custom", "name": "evil", "label": PAYLOADS[0].text, "query": custom_options.join(","),
             "current": {"text": custom_options[0], "value": custom_options[0]}},
            {"type": "textbox", "name": "box", "label": PAYLOADS[1].text, "query": PAYLOADS[2].text},
            {"type": "constant", "name": "const", "query": PAYLOADS[4].text},
        ]},
        "panels": panels,
    })
}

fn assert_inert(b: &Browser, when: &str) {
    assert_eq!(injection_found(b), None, "{when}");
}

/// The page does not scroll sideways, and the dashboard's bar (title, time picker) is on screen.
fn assert_layout_usable(b: &Browser, when: &str) {
    let layout = b
        .execute(
            r"const bar = document.querySelector('.dashboard-bar');
              const picker = document.querySelector('#time-picker-button');
              const title = document.querySelector('#dashboard-title');
              const r = e => e ? e.getBoundingClientRect() : null;
              return {
                overflowX: document.documentElement.scrollWidth - innerWidth,
                bar: r(bar) && r(bar).height, title: r(title) && r(title).height,
                pickerVisible: !!picker && r(picker).right <= innerWidth && r(picker).bottom <= innerHeight && r(picker).width > 0,
              };",
            &[],
        )
        .unwrap();
    println!("{when}: layout {layout}");
    assert!(
        layout["overflowX"].as_f64().unwrap_or(1e9) <= 2.0,
        "{when}: the page scrolls sideways: {layout}"
    );
    assert!(
        layout["bar"].as_f64().unwrap_or(1e9) < 200.0,
        "{when}: the dashboard bar grew: {layout}"
    );
    assert_eq!(
        layout["pickerVisible"],
        json!(true),
        "{when}: the time picker is off screen: {layout}"
    );
}

#[test]
fn hostile_dashboard_fields_and_label_values_render_as_text() {
    let b = browser();
    b.set_window_size(1400, 2000).unwrap();
    bypass_csp(&b);
    install_probes(&b);
    sign_in_fresh(&b, "demo", ".panel");
    plant_dashboard(&b, "hostile", &hostile_dashboard());
    let evil = encode_query_value(PAYLOADS[0].text);
    open(&b, &format!("/d/hostile?var-box={evil}&var-evil={evil}"));
    let panels = settled_panels(&b);
    println!("panels: {panels:?}");
    screenshot(&b, "security-injection-dashboard");
    assert_inert(&b, "after loading");
    // The payloads are on the page, as text.
    let text = b.execute("return document.body.innerText;", &[]).unwrap();
    let text = text.as_str().unwrap_or_default();
    for needle in [
        "<img src=x onerror=",
        "</script><script>",
        "javascript:window.__sightline_canary",
    ] {
        assert!(text.contains(needle), "{needle:?} shown as text");
    }
    // Label values from Prometheus, through the legend format.
    let legend = b
        .execute(
            "return [...document.querySelectorAll('.legend-name')].map(e => e.textContent).join('\\n');",
            &[],
        )
        .unwrap();
    assert!(
        legend.as_str().unwrap_or_default().contains("<svg/onload="),
        "hostile label values in the legend: {legend}"
    );
    // Links: the markdown's javascript: and data: links are not links.
    let hrefs = b
        .execute("return [...document.querySelectorAll('.panel a[href]')].map(a => a.getAttribute('href'));", &[])
        .unwrap();
    assert!(
        hrefs
            .as_array()
            .is_some_and(|h| h.iter().any(|x| x == "https://example.org/ok")),
        "the web link is kept: {hrefs}"
    );
    // Menus, dropdowns and dialogs show the same text safely.
    b.execute(
        "document.querySelector('[data-variable=evil] .variable-button').click(); return true;",
        &[],
    )
    .unwrap();
    b.wait_for(".variable-options", WAIT).unwrap();
    assert_inert(&b, "with the variable's options open");
    screenshot(&b, "security-injection-variable-options");
    b.execute("document.body.click(); return true;", &[])
        .unwrap();
    for item in [".menu-inspect", ".menu-json"] {
        b.execute(
            "document.querySelector('.panel .panel-menu-button').click(); return true;",
            &[],
        )
        .unwrap();
        b.wait_until(
            item,
            &format!("const i = document.querySelector('{item}'); if (!i) return null; i.click(); return true;"),
            WAIT,
        )
        .unwrap();
        b.wait_for(".modal", WAIT).unwrap();
        assert_inert(&b, item);
        b.execute(
            "document.querySelector('.modal-close').click(); return true;",
            &[],
        )
        .unwrap();
    }
    b.execute("document.querySelector('.panel-info') && document.querySelector('.panel-info').dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); return true;", &[])
        .unwrap();
    assert_layout_usable(&b, "hostile dashboard");
    assert_inert(&b, "at the end");
    b.quit();
}

#[test]
fn one_megabyte_titles_and_texts_keep_the_page_usable() {
    let b = browser();
    bypass_csp(&b);
    install_probes(&b);
    sign_in_fresh(&b, "demo", ".panel");
    let mega = long_text(1_000_000);
    let dashboard = json!({
        "uid": "hostile-long", "title": mega, "description": "d",
        "time": {"from": "now-1h", "to": "now"},
        "panels": [
            {"id": 1, "type": "timeseries", "title": mega, "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
             "targets": [{"refId": "A", "expr": "sum(DCGM_FI_DEV_GPU_UTIL)", "legendFormat": "{{cluster}}"}]},
            {"id": 2, "type": "text", "title": "one megabyte of markdown", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8},
             "options": {"mode": "markdown", "content": format!("{mega}\n\n{}", "- item\n".repeat(20_000))}}
        ],
    });
    plant_dashboard(&b, "hostile-long", &dashboard);
    navigate_in_app(&b, "/dashboards");
    b.wait_for(".dashboard-list", WAIT).unwrap();
    start_heartbeat(&b);
    let started = std::time::Instant::now();
    navigate_in_app(&b, "/d/hostile-long");
    b.wait_for("#dashboard-title", WAIT).unwrap();
    let shown = started.elapsed();
    std::thread::sleep(Duration::from_millis(300));
    let (stall, _) = stop_heartbeat(&b);
    settled_panels(&b);
    println!("shown after {shown:?}; longest main-thread stall {stall:.0} ms");
    assert!(stall < 2_000.0, "the main thread stalled for {stall} ms");
    let latency = timeout_latency_ms(&b);
    println!("setTimeout(0) fires after {latency:.1} ms");
    assert!(latency < 500.0, "the page stays responsive ({latency} ms)");
    screenshot(&b, "security-injection-one-megabyte");
    assert_layout_usable(&b, "1 MB title");
    // The time picker still works.
    b.click(&b.wait_for("#time-picker-button", WAIT).unwrap())
        .unwrap();
    b.wait_for(".time-dropdown", WAIT).unwrap();
    assert_inert(&b, "1 MB texts");
    b.quit();
}

#[test]
fn hostile_label_values_and_log_lines_from_the_api_stay_text() {
    sightline_testkit::faults::install_double_rules(stack::LOKI_FAULTS_PORT, now_ms())
        .unwrap_or_else(|e| {
            panic!("is the faults gateway up (`cargo xtask stack faults up`)? {e}")
        });
    let b = browser();
    bypass_csp(&b);
    install_probes(&b);
    sign_in_fresh(&b, "demo-faults", ".panel");
    let hostile = format!("sum by (evil, payload) ({})", marker("hostile_labels"));
    let mut legend = panel_json(1, 0, "hostile labels, legend", "prometheus", &hostile);
    legend["gridPos"] = json!({"x": 0, "y": 0, "w": 12, "h": 12});
    legend["targets"][0]["instant"] = json!(true);
    legend["targets"][0]["legendFormat"] = json!("{{payload}}: {{evil}}");
    legend["options"] = json!({"legend": {"displayMode": "table", "placement": "bottom"}});
    let mut table = panel_json(2, 0, "hostile labels, table", "prometheus", &hostile);
    table["type"] = json!("table");
    table["gridPos"] = json!({"x": 12, "y": 0, "w": 12, "h": 12});
    table["targets"][0]["instant"] = json!(true);
    let logs = json!({"id": 3, "type": "logs", "title": "hostile log lines",
        "gridPos": {"x": 0, "y": 12, "w": 24, "h": 12},
        "datasource": {"type": "loki", "uid": "loki"},
        "targets": [{"refId": "A", "expr": format!("{{namespace=\"hostile\"}} |= \"{}\"", marker("hostile_streams")),
                     "datasource": {"type": "loki", "uid": "loki"}}]});
    plant_dashboard(
        &b,
        "hostile-api",
        &json!({"uid": "hostile-api", "title": "Hostile answers", "time": {"from": "now-1h", "to": "now"},
                "panels": [legend, table, logs]}),
    );
    open(&b, "/d/hostile-api");
    settle(&b, Duration::from_secs(60));
    screenshot(&b, "security-injection-api-answers");
    assert_inert(&b, "hostile label values");
    let text = b.execute("return document.body.innerText;", &[]).unwrap();
    assert!(
        text.as_str()
            .unwrap_or_default()
            .contains("<img src=x onerror="),
        "the hostile label values are shown as text"
    );
    assert_layout_usable(&b, "hostile label values");
    // Log lines: shown by the log list where this build has one.
    let log_lines = b
        .wait_until(
            "log lines or the log-panel placeholder",
            "const p = [...document.querySelectorAll('.panel')].find(p => p.querySelector('.panel-title').textContent === 'hostile log lines');
             if (!p) return null;
             const lines = [...p.querySelectorAll('.log-line')].map(e => e.textContent);
             if (lines.length) return lines.join('\\n');
             return p.innerText.includes('coming with the Logs view') ? 'no log list in this build' : null;",
            Duration::from_secs(30),
        )
        .unwrap();
    let log_lines = log_lines.as_str().unwrap_or_default();
    if log_lines == "no log list in this build" {
        println!("note: this build draws no log lines in dashboards; the log-line check runs once it does");
    } else {
        assert!(
            log_lines.contains("<img src=x onerror="),
            "log lines as text: {log_lines}"
        );
        assert_inert(&b, "hostile log lines");
    }
    b.quit();
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// Percent-encodes a URL query value (everything but unreserved characters).
fn encode_query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Hostile URL parameters: a link someone shares can carry anything. The page keeps working
/// (no panic, which would blank the whole app) and shows the dashboard with sane defaults.
#[test]
fn hostile_url_parameters_never_break_the_page() {
    let b = browser();
    bypass_csp(&b);
    install_probes(&b);
    sign_in_fresh(&b, "demo", ".panel");
    // Long, but under the 8 KB request line web servers accept (nginx answers 414 beyond).
    let long = "x".repeat(3_000);
    let evil = encode_query_value(PAYLOADS[0].text);
    let urls = [
        // `nowр`: a character after `now` used to panic the time parser (found by fuzzing).
        "/d/gpu-fleet?from=now%D1%80&to=now%F0%9F%92%A5".to_owned(),
        "/d/gpu-fleet?from=now-99999999999999999999y&to=now%2B1000000w/w".to_owned(),
        "/d/gpu-fleet?from=-9223372036854775808&to=9223372036854775807".to_owned(),
        "/d/gpu-fleet?from=9999999999999999&to=0".to_owned(),
        "/d/gpu-fleet?timezone=%00%0A%3Cscript%3E&refresh=%F0%9F%92%A5&refresh=-1s".to_owned(),
        format!("/d/gpu-fleet?var-cluster={evil}&var-cluster={long}&var-%E2%80%AE=1"),
        "/d/gpu-fleet?viewPanel=99999999999999999999999&viewPanel=-1".to_owned(),
        format!("/d/gpu-fleet?{long}=&&&=&%%%&orgId=%FF"),
        format!("/d/{evil}?from={evil}"),
        format!("/explore?q={evil}&range=now%D1%80"),
    ];
    for url in &urls {
        open(&b, url);
        b.wait_until(
            &format!("the page answers for {}", &url[..url.len().min(80)]),
            "return document.querySelector('#dashboard-title, main h1, #query') ? true : null;",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(500));
        let panics: Vec<String> = b
            .log("browser")
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .filter(|m| m.contains("panicked") || m.contains("RuntimeError"))
            .collect();
        assert!(
            panics.is_empty(),
            "{}: {panics:?}",
            &url[..url.len().min(80)]
        );
        assert_inert(&b, url);
        let latency = timeout_latency_ms(&b);
        assert!(latency < 250.0, "{url}: responsive ({latency} ms)");
    }
    screenshot(&b, "security-hostile-url");
    b.quit();
}
