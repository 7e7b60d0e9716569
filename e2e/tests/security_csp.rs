//! End to end (issue 10): the app runs under its Content-Security-Policy with no violation on
//! any page, and the policy is really enforced (an injected inline script and style attribute
//! are refused). The server sends the header form (with `frame-ancestors` and
//! `Referrer-Policy`) on every file, the page carries the `<meta>` form; content-hashed build
//! files are cached for good, the page and `config.json` revalidated.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod security_support;

use std::time::Duration;

use security_support::{csp_violations, install_probes, navigate_in_app};
use serde_json::json;
use sightline_e2e::{browser, open, settled_panels, sign_in, stack, Browser, WAIT};

/// Console messages about CSP (Chromium reports refusals there too).
fn console_csp(b: &Browser) -> Vec<String> {
    b.log("browser")
        .unwrap()
        .iter()
        .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
        .filter(|m| m.contains("Content Security Policy") || m.contains("Refused to"))
        .collect()
}

/// Violations in the current document plus CSP console messages since the last call.
fn collect(b: &Browser, page: &str, seen: &mut Vec<String>) {
    for v in csp_violations(b).into_iter().chain(console_csp(b)) {
        seen.push(format!("{page}: {v}"));
    }
}

#[test]
fn the_server_sends_the_policy_and_the_page_carries_it() {
    let response = sightline_testkit::http::get(
        &format!("{}/d/gpu-fleet", stack::app_url()),
        &[],
        Duration::from_secs(10),
    )
    .unwrap();
    assert_eq!(response.status, 200);
    let header = response
        .header("content-security-policy")
        .unwrap_or_default()
        .to_owned();
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
    ] {
        assert!(
            header.contains(directive),
            "header lacks {directive}: {header}"
        );
    }
    assert_eq!(response.header("referrer-policy"), Some("no-referrer"));
    let html = response.text();
    assert!(
        html.contains("<meta http-equiv=\"Content-Security-Policy\""),
        "the page carries the policy too"
    );
    assert!(
        !html.contains("<script>") && !html.contains("<script type=module>"),
        "no inline script in index.html"
    );
}

/// The paths `index.html` links to (`href=/…`, `src="/…"`).
fn linked_paths(html: &str) -> Vec<String> {
    html.split(['=', ' ', '>'])
        .map(|part| part.trim_matches('"'))
        .filter(|part| part.starts_with('/') && part.len() > 1)
        .map(str::to_owned)
        .collect()
}

/// `main-d5e4a57e649694c9.css`: Trunk's content hash, a 64-bit hash written in hex without
/// leading zeros (so 15 digits one time in 16); `/app-0123456789abcdef/main_bg.wasm`: the split
/// app's directory, named after the hash of its parts.
fn is_content_hashed(path: &str) -> bool {
    let is_hash = |hash: &str, digits: std::ops::RangeInclusive<usize>| {
        digits.contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    };
    if let Some(hash) = path
        .strip_prefix("/app-")
        .and_then(|rest| rest.split_once('/'))
        .map(|(hash, _)| hash)
    {
        return is_hash(hash, 16..=16);
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| is_hash(hash, 12..=16))
}

#[test]
fn build_files_are_cached_for_good_and_the_page_and_config_revalidated() {
    let get = |path: &str| {
        sightline_testkit::http::get(
            &format!("{}{path}", stack::app_url()),
            &[],
            Duration::from_secs(10),
        )
        .unwrap()
    };
    let page = get("/d/gpu-fleet");
    let hashed: Vec<String> = linked_paths(&page.text())
        .into_iter()
        .filter(|p| is_content_hashed(p))
        .collect();
    assert!(
        hashed.iter().any(|p| p.ends_with("_bg.wasm")) && hashed.len() >= 4,
        "index.html links the hashed wasm, JS and CSS: {hashed:?}"
    );
    for path in &hashed {
        let response = get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(
            response.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert!(
            response.header("content-security-policy").is_some(),
            "{path} keeps the policy"
        );
    }
    for path in ["/d/gpu-fleet", "/index.html", "/config.json"] {
        assert_eq!(
            get(path).header("cache-control"),
            Some("no-cache"),
            "{path}"
        );
    }
}

#[test]
fn every_page_runs_under_the_policy_without_a_violation() {
    let b = browser();
    b.set_window_size(1400, 2000).unwrap();
    install_probes(&b);
    let mut seen = Vec::new();
    open(&b, "/sign-in");
    b.wait_for("#token", WAIT).unwrap();
    b.click(&b.wait_for("#test-connection", WAIT).unwrap())
        .unwrap();
    collect(&b, "sign-in", &mut seen);
    sign_in(&b, "demo", stack::DEMO_TOKEN, ".panel");
    navigate_in_app(&b, "/dashboards");
    b.wait_for(".dashboard-list", WAIT).unwrap();
    collect(&b, "dashboards", &mut seen);
    for uid in ["gpu-fleet", "gpu-node", "gpu-jobs", "dcgm-exporter"] {
        open(&b, &format!("/d/{uid}"));
        settled_panels(&b);
        // Menus, dialogs and pickers: everything that builds DOM on demand.
        b.execute(
            "document.querySelector('.panel .panel-menu-button').click(); return true;",
            &[],
        )
        .unwrap();
        b.wait_until(
            "the inspect item",
            "const i = document.querySelector('.menu-inspect'); if (!i) return null; i.click(); return true;",
            WAIT,
        )
        .unwrap();
        b.wait_for(".modal", WAIT).unwrap();
        b.execute(
            "document.querySelector('.modal-close').click(); return true;",
            &[],
        )
        .unwrap();
        b.click(&b.wait_for("#time-picker-button", WAIT).unwrap())
            .unwrap();
        b.wait_for(".time-dropdown", WAIT).unwrap();
        b.click(&b.wait_for("#time-picker-button", WAIT).unwrap())
            .unwrap();
        if let Some(button) = b.find(".variable-button").unwrap() {
            b.click(&button).unwrap();
            b.wait_for(".variable-options", WAIT).unwrap();
        }
        // Hover a chart (crosshair and tooltip draw on the fly).
        b.execute(
            "const c = document.querySelector('.chart-canvas'); if (c) { const r = c.getBoundingClientRect(); c.dispatchEvent(new MouseEvent('mousemove', {bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2})); } return true;",
            &[],
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(300));
        collect(&b, uid, &mut seen);
    }
    open(&b, "/explore?q=up&range=1h");
    sightline_e2e::wait_for_text(&b, "#query-status", "series");
    collect(&b, "explore", &mut seen);
    b.click(&b.wait_for("#sign-out", WAIT).unwrap()).unwrap();
    b.wait_for("#token", WAIT).unwrap();
    collect(&b, "after sign-out", &mut seen);
    assert!(seen.is_empty(), "CSP violations: {seen:#?}");

    // The policy is enforced: an inline script and a style attribute are refused, and reported.
    b.execute(
        "const s = document.createElement('script'); s.textContent = 'window.__inline_ran = 1'; document.head.appendChild(s);
         const d = document.createElement('div'); d.setAttribute('style', 'outline: 3px solid red'); document.body.appendChild(d);
         return true;",
        &[],
    )
    .unwrap();
    let violations = b
        .wait_until(
            "the injected script to be refused",
            "return window.__csp && window.__csp.length >= 2 ? window.__csp : null;",
            WAIT,
        )
        .unwrap();
    let ran = b
        .execute("return window.__inline_ran === undefined;", &[])
        .unwrap();
    assert_eq!(ran, json!(true), "an inline script ran: {violations}");
    let text = violations.to_string();
    assert!(
        text.contains("script-src") && text.contains("style-src"),
        "{text}"
    );
    b.quit();
}
