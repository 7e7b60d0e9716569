//! Helpers for the end-to-end tests: a signed-in browser session against the local stack, and
//! screenshots under `target/e2e-screenshots/`.
//!
//! The tests need `cargo xtask build` and `cargo xtask stack up`, and a chromedriver whose URL
//! is in `SIGHTLINE_WEBDRIVER` (`cargo xtask e2e` and `cargo xtask test` arrange all of it).

use std::path::PathBuf;
use std::time::Duration;

pub use sightline_testkit::stack;
pub use sightline_testkit::webdriver::{Browser, Element, WdResult, WebDriverError};

/// How long to wait for the app to react (generous: 2-core CI machines, and the Loki test
/// double parses every audit line of the range for each audit panel).
pub const WAIT: Duration = Duration::from_secs(60);

/// Starts a browser through the chromedriver named by `SIGHTLINE_WEBDRIVER`.
///
/// # Panics
/// When the variable is missing or chromedriver refuses (the test cannot run).
#[must_use]
pub fn browser() -> Browser {
    let driver = std::env::var("SIGHTLINE_WEBDRIVER").unwrap_or_else(|_| {
        panic!("SIGHTLINE_WEBDRIVER is not set: run the end-to-end tests with `cargo xtask e2e`")
    });
    let browser =
        Browser::start(&driver).unwrap_or_else(|e| panic!("cannot start a browser session: {e}"));
    browser
        .set_window_size(1400, 900)
        .unwrap_or_else(|e| panic!("cannot size the window: {e}"));
    browser
}

/// `target/e2e-screenshots/<name>.png`
#[must_use]
pub fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("target")
        .join("e2e-screenshots")
        .join(format!("{name}.png"))
}

/// Saves a screenshot of the current page.
///
/// # Panics
/// When the screenshot cannot be taken.
pub fn screenshot(browser: &Browser, name: &str) {
    browser
        .screenshot(&screenshot_path(name))
        .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
}

/// Opens the app at `path` (e.g. `/sign-in`).
///
/// # Panics
/// On WebDriver failures.
pub fn open(browser: &Browser, path: &str) {
    browser
        .goto(&format!("{}{path}", stack::app_url()))
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
}

/// Signs in with `profile` and `token` through the sign-in form, then waits for `landing`.
///
/// # Panics
/// When the form or the landing element does not appear.
pub fn sign_in(browser: &Browser, profile: &str, token: &str, landing: &str) {
    let select = browser
        .wait_for("#profile", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .execute(
            "const s = arguments[0]; s.value = arguments[1]; s.dispatchEvent(new Event('change'));",
            &[element_arg(&select), serde_json::json!(profile)],
        )
        .unwrap_or_else(|e| panic!("choose profile {profile}: {e}"));
    let field = browser
        .wait_for("#token", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    browser
        .type_into(&field, token, true)
        .unwrap_or_else(|e| panic!("{e}"));
    let button = browser
        .wait_for("#sign-in", WAIT)
        .unwrap_or_else(|e| panic!("{e}"));
    browser.click(&button).unwrap_or_else(|e| panic!("{e}"));
    browser
        .wait_for(landing, WAIT)
        .unwrap_or_else(|e| panic!("after sign-in: {e}"));
}

/// An element as a script argument.
#[must_use]
pub fn element_arg(element: &Element) -> serde_json::Value {
    element.as_json()
}

/// Waits until `css` has text containing `needle`; returns the text.
///
/// # Panics
/// On timeout, with the text last seen.
pub fn wait_for_text(browser: &Browser, css: &str, needle: &str) -> String {
    let script = format!(
        "const e = document.querySelector({css:?}); return e && e.textContent.includes({needle:?}) ? e.textContent : null;"
    );
    match browser.wait_until(&format!("{css} contains {needle:?}"), &script, WAIT) {
        Ok(v) => v.as_str().unwrap_or_default().to_owned(),
        Err(e) => {
            let last = browser
                .execute(&format!("const e = document.querySelector({css:?}); return e ? e.textContent : '(missing)';"), &[])
                .map(|v| v.to_string())
                .unwrap_or_default();
            panic!("{e}; last text: {last}");
        }
    }
}

/// Scrolls to the bottom of the page in steps (so lazily loaded panels come into view) and back
/// to the top.
///
/// # Panics
/// On WebDriver failures.
pub fn scroll_through(browser: &Browser) {
    for _ in 0..12 {
        browser
            .execute("window.scrollBy(0, 600); return window.scrollY + window.innerHeight >= document.body.scrollHeight;", &[])
            .unwrap_or_else(|e| panic!("scroll: {e}"));
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    browser
        .execute("window.scrollTo(0, 0); return true;", &[])
        .unwrap_or_else(|e| panic!("scroll: {e}"));
}

/// Waits until no panel is waiting or loading; returns `(title, state)` per panel
/// (`done`, `empty`, `error`, `static`).
///
/// # Panics
/// On timeout, listing the panels still pending.
pub fn settled_panels(browser: &Browser) -> Vec<(String, String)> {
    settled_panels_within(browser, WAIT)
}

/// [`settled_panels`] with its own `timeout` (for panels that wait out a stall).
///
/// # Panics
/// On timeout, listing the panels still pending.
pub fn settled_panels_within(browser: &Browser, timeout: Duration) -> Vec<(String, String)> {
    scroll_through(browser);
    let script = r"
        const panels = [...document.querySelectorAll('.panel')];
        if (panels.length === 0) return null;
        const states = panels.map(p => [p.querySelector('.panel-title').textContent, p.dataset.state]);
        return states.some(([, s]) => s === 'waiting' || s === 'loading') ? null : states;";
    let settled = browser.wait_until("every panel settled", script, timeout).unwrap_or_else(|e| {
        let pending = browser
            .execute("return [...document.querySelectorAll('.panel')].map(p => p.querySelector('.panel-title').textContent + '=' + p.dataset.state).join(', ');", &[])
            .map(|v| v.to_string())
            .unwrap_or_default();
        panic!("{e}: {pending}")
    });
    settled
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    (
                        r[0].as_str().unwrap_or_default().to_owned(),
                        r[1].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Saves `dashboard` in this browser's dashboard library under `uid` (what the app's own "save"
/// writes), so `/d/<uid>` opens it. The page must be on the app's origin.
///
/// # Panics
/// When the browser refuses the script or the storage is full.
pub fn plant_dashboard(b: &Browser, uid: &str, dashboard: &serde_json::Value) {
    plant_dashboard_text(b, uid, &dashboard.to_string());
}

/// [`plant_dashboard`] with the file's text as is (it need not be valid JSON).
///
/// # Panics
/// When the browser refuses the script or the storage is full.
pub fn plant_dashboard_text(b: &Browser, uid: &str, text: &str) {
    let result = b
        .execute(
            r"const [uid, text] = arguments;
              try {
                localStorage.setItem('sightline.dashboard.' + uid, JSON.stringify({id: uid, title: uid, updated_ms: Date.now(), text}));
                const ids = JSON.parse(localStorage.getItem('sightline.library') || '[]');
                if (!ids.includes(uid)) ids.push(uid);
                localStorage.setItem('sightline.library', JSON.stringify(ids));
                return 'ok';
              } catch (e) { return String(e); }",
            &[serde_json::json!(uid), serde_json::json!(text)],
        )
        .unwrap_or_else(|e| panic!("planting {uid}: {e}"));
    assert_eq!(
        result,
        serde_json::json!("ok"),
        "planting {uid} ({} bytes)",
        text.len()
    );
}

/// Clicks `item` (`.menu-inspect`, `.menu-json`, …) in the menu of the first panel titled
/// `title`.
///
/// # Panics
/// When there is no such panel or the item never appears.
pub fn panel_menu(b: &Browser, title: &str, item: &str) {
    let find = format!(
        "const p = [...document.querySelectorAll('.panel')].find(p => p.querySelector('.panel-title').textContent === {});",
        serde_json::json!(title)
    );
    let clicked = b
        .execute(
            &format!("{find} if (!p) return 'no panel'; p.querySelector('.panel-menu-button').click(); return true;"),
            &[],
        )
        .unwrap_or_else(|e| panic!("menu of {title}: {e}"));
    assert_eq!(clicked, serde_json::json!(true), "menu of {title}");
    b.wait_until(
        &format!("{item} in the menu of {title}"),
        &format!("{find} const i = p && p.querySelector('{item}'); if (!i) return null; i.click(); return true;"),
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Closes the open modal.
///
/// # Panics
/// When no modal appears.
pub fn close_modal(b: &Browser) {
    b.wait_until(
        "a modal to close",
        "const c = document.querySelector('.modal-close'); if (!c) return null; c.click(); return true;",
        WAIT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
