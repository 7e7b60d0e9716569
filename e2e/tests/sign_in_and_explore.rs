//! End to end: sign in to the demo stack, run a PromQL query, see a chart drawn from the real
//! Prometheus, see an API error in the page, get sent back to sign-in by a 401, and sign out.

use serde_json::json;
use sightline_e2e::{browser, open, screenshot, sign_in, stack, wait_for_text, WAIT};

/// How many pixels of the canvas have the first series' colour (#7eb26d).
const SERIES_PIXELS: &str = r"
const c = document.querySelector('.chart-canvas');
if (!c || c.width === 0) return 0;
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let n = 0;
for (let i = 0; i < d.length; i += 4) {
  if (Math.abs(d[i] - 126) < 30 && Math.abs(d[i + 1] - 178) < 30 && Math.abs(d[i + 2] - 109) < 30) n++;
}
return n;";

#[test]
fn sign_in_run_a_query_and_see_a_chart_from_prometheus() {
    let b = browser();
    open(
        &b,
        "/explore?q=avg%20by%20(Hostname)%20(DCGM_FI_DEV_GPU_UTIL)&range=6h",
    );
    // Not signed in: the app asks for a token first, then comes back to the same query.
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let status = wait_for_text(&b, "#query-status", "series");
    assert!(
        status.contains("16 series"),
        "one series per node expected: {status}"
    );
    let pixels = b
        .wait_until(
            "the chart shows the first series",
            &format!("const n = (function() {{ {SERIES_PIXELS} }})(); return n > 200 ? n : null;"),
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"))
        .as_u64()
        .unwrap_or(0);
    assert!(
        pixels > 200,
        "the first series should be drawn on the canvas ({pixels} pixels)"
    );
    let legend = b.find_all(".legend-item").unwrap_or_default();
    assert_eq!(legend.len(), 16, "a legend entry per series");
    // The series table's number columns: heading and values aligned alike (to the right).
    let alignments = b
        .wait_until(
            "the series table",
            "const heads = [...document.querySelectorAll('.explore-table thead th')];
             const cells = [...document.querySelectorAll('.explore-table tbody tr:first-child td')];
             if (heads.length !== 5 || cells.length !== 5) return null;
             return heads.slice(1).map((h, i) => getComputedStyle(h).textAlign + '/' + getComputedStyle(cells[i + 1]).textAlign);",
            WAIT,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        alignments,
        json!(["right/right", "right/right", "right/right", "right/right"])
    );
    let url = b.current_url().unwrap_or_default();
    assert!(
        url.contains("range=6h") && url.contains("DCGM_FI_DEV_GPU_UTIL"),
        "the view is in the URL: {url}"
    );
    screenshot(&b, "explore-gpu-utilisation");
    b.quit();
}

#[test]
fn a_bad_query_shows_the_servers_error_in_the_page() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/explore");
    let query = b.wait_for("#query", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.type_into(&query, "sum(rate(DCGM_FI_DEV_GPU_UTIL[5m]", true)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = b.wait_for("#run", WAIT).unwrap_or_else(|e| panic!("{e}"));
    b.click(&run).unwrap_or_else(|e| panic!("{e}"));
    let text = wait_for_text(&b, ".error-box", "rejected");
    assert!(
        text.contains("bad_data") && text.contains("parse error"),
        "{text}"
    );
    assert!(!text.contains(stack::DEMO_TOKEN));
    screenshot(&b, "explore-bad-query");
    b.quit();
}

#[test]
fn a_rejected_token_leads_back_to_sign_in_and_keeps_the_place() {
    let b = browser();
    open(&b, "/explore?q=up&range=15m");
    sign_in(&b, "demo", "not-the-demo-token", "#sign-in");
    // The 401 sends the user back to sign-in, remembering where they were.
    b.wait_until(
        "the app returns to sign-in",
        "return location.pathname === '/sign-in' && location.search.includes('next=') ? location.search : null;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let stored = b
        .execute("return sessionStorage.getItem('sightline.token');", &[])
        .unwrap_or_default();
    assert!(stored.is_null(), "a rejected token is forgotten: {stored}");
    sign_in(&b, "demo", stack::DEMO_TOKEN, "#query");
    let url = b.current_url().unwrap_or_default();
    assert!(
        url.contains("/explore") && url.contains("range=15m"),
        "back at the same view: {url}"
    );
    b.quit();
}

#[test]
fn sign_out_forgets_the_token() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let button = b
        .wait_for("#sign-out", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    b.click(&button).unwrap_or_else(|e| panic!("{e}"));
    b.wait_for("#token", WAIT).unwrap_or_else(|e| panic!("{e}"));
    let stored = b
        .execute(
            "return JSON.stringify(sessionStorage) + JSON.stringify(localStorage);",
            &[],
        )
        .unwrap_or_default();
    assert!(!stored.to_string().contains(stack::DEMO_TOKEN), "{stored}");
    screenshot(&b, "sign-in");
    b.quit();
}

#[test]
fn the_token_goes_only_to_the_signed_in_hosts() {
    let b = browser();
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/explore?q=up&range=1h");
    wait_for_text(&b, "#query-status", "series");
    let requests = b.sent_requests().unwrap_or_else(|e| panic!("{e}"));
    assert!(!requests.is_empty(), "the performance log records requests");
    let gateway = stack::url(stack::global().port);
    let mut with_token = 0;
    for request in &requests {
        let carries_token = request
            .headers
            .iter()
            .any(|(name, value)| value.contains(stack::DEMO_TOKEN) && name == "authorization");
        if carries_token && !request.url.is_empty() {
            with_token += 1;
            assert!(
                request.url.starts_with(&gateway),
                "token sent to {}",
                request.url
            );
        }
        assert!(
            !request.url.contains(stack::DEMO_TOKEN),
            "token in a URL: {}",
            request.url
        );
        assert!(
            !request.post_data.contains(stack::DEMO_TOKEN),
            "token in a request body: {}",
            request.url
        );
    }
    assert!(
        with_token > 0,
        "the query went to the gateway with the token"
    );
    // The icon is inline (index.html): the deployment answers /favicon.ico with the app's page.
    assert!(
        !requests.iter().any(|r| r.url.contains("/favicon.ico")),
        "the browser asked for /favicon.ico"
    );
    assert!(
        requests
            .iter()
            .any(|r| r.method == "POST" && r.param("query").as_deref() == Some("up")),
        "the query went as a form body (the bodies above were checked for the token)"
    );
    b.quit();
}

/// The file names of the `.wasm` files this document has downloaded.
fn downloaded_wasm(b: &sightline_e2e::Browser) -> Vec<String> {
    let names = b
        .execute(
            "return performance.getEntriesByType('resource').map(r => r.name.split('?')[0]).filter(n => n.endsWith('.wasm')).map(n => n.split('/').pop());",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    names
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_page_downloads_its_own_code_and_a_failed_download_says_so_and_retries() {
    let b = browser();
    open(&b, "/sign-in");
    b.wait_for("#token", WAIT).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        downloaded_wasm(&b),
        ["main_bg.wasm"],
        "the sign-in page needs only the main module"
    );
    // Explore's part cannot be downloaded (network down, or an old deployment's file is gone).
    b.cdp("Network.enable", json!({}))
        .unwrap_or_else(|e| panic!("{e}"));
    b.cdp(
        "Network.setBlockedURLs",
        json!({"urls": ["*split_explore_page*"]}),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    let wasm = downloaded_wasm(&b);
    assert!(
        wasm.iter().any(|n| n == "split_dashboard_page.wasm")
            && !wasm.iter().any(|n| n.starts_with("split_explore")),
        "the dashboard downloads its own part, not Explore's: {wasm:?}"
    );
    b.execute(
        "document.querySelector('.topnav a[href=\"/explore\"]').click(); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let message = wait_for_text(&b, ".error-box", "could not be downloaded");
    assert!(
        message.contains("Retry"),
        "the error offers a retry: {message}"
    );
    assert!(
        b.find_all(".topnav a").unwrap_or_default().len() >= 3,
        "the header stays, so the user can go elsewhere"
    );
    screenshot(&b, "page-code-download-failed");
    // The network is back: Retry downloads the part and shows Explore.
    b.cdp("Network.setBlockedURLs", json!({"urls": []}))
        .unwrap_or_else(|e| panic!("{e}"));
    b.execute(
        "document.querySelector('.error-box button').click(); return true;",
        &[],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    b.wait_for("#query", WAIT)
        .unwrap_or_else(|e| panic!("after Retry: {e}"));
    assert!(
        downloaded_wasm(&b)
            .iter()
            .any(|n| n == "split_explore_page.wasm"),
        "Retry downloaded Explore's part"
    );
    b.quit();
}

#[test]
fn an_unknown_path_says_which_and_offers_the_way_back() {
    let b = browser();
    open(&b, "/no-such-page?x=1");
    let text = wait_for_text(&b, ".not-found", "Page not found");
    assert!(
        text.contains("/no-such-page?x=1"),
        "the page names the path asked for: {text}"
    );
    assert!(
        b.find_all("#sign-out").unwrap_or_default().is_empty(),
        "no top bar before sign-in"
    );
    open(&b, "/sign-in");
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    open(&b, "/logs");
    wait_for_text(&b, ".not-found", "/logs");
    assert_eq!(
        b.find_all("#sign-out").unwrap_or_default().len(),
        1,
        "signed in, the top bar is there"
    );
    let links = b
        .execute(
            "return [...document.querySelectorAll('.not-found-links a')].map(a => a.getAttribute('href'));",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(links, json!(["/d/gpu-fleet", "/dashboards", "/explore"]));
    screenshot(&b, "not-found");
    b.quit();
}
