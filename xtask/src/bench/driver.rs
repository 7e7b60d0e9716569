//! Headless Chromium for the benchmark: its own chromedriver (on a port of its own, so an
//! end-to-end run elsewhere on the machine does not collide), precise heap numbers and `gc()`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use sightline_testkit::webdriver::Browser;

use crate::cmd::Result;

/// chromedriver's port during the benchmark.
pub const DRIVER_PORT: u16 = 9584;

/// Chromium flags on top of the test defaults: exact `performance.memory`, `window.gc()`, and
/// no throttling of background work.
const BENCH_ARGS: [&str; 5] = [
    "--enable-precise-memory-info",
    "--js-flags=--expose-gc",
    "--disable-renderer-backgrounding",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
];

/// A chromedriver process, stopped when dropped.
pub struct Driver {
    child: Child,
}

impl Driver {
    /// Starts `/usr/bin/chromedriver` and waits until it answers.
    ///
    /// # Errors
    /// When it does not start or answer.
    pub fn start() -> Result<Driver> {
        let child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={DRIVER_PORT}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let driver = Driver { child };
        if sightline_testkit::http::wait_until_up(
            &format!("{}/status", driver.url()),
            &[],
            Duration::from_secs(20),
        ) {
            Ok(driver)
        } else {
            Err("chromedriver did not answer on its port".to_owned())
        }
    }

    /// `http://127.0.0.1:<port>`
    #[must_use]
    pub fn url(&self) -> String {
        sightline_testkit::stack::url(DRIVER_PORT)
    }

    /// A fresh headless browser (new profile) of `width × height`.
    ///
    /// # Errors
    /// When chromedriver refuses the session.
    pub fn browser(&self, width: u32, height: u32) -> Result<Browser> {
        let size = format!("--window-size={width},{height}");
        let mut args: Vec<&str> = BENCH_ARGS.to_vec();
        args.push(&size);
        let browser = Browser::start_with(&self.url(), &args, false)
            .map_err(|e| format!("cannot start a browser: {e}"))?;
        browser
            .set_window_size(width, height)
            .map_err(|e| format!("cannot size the window: {e}"))?;
        Ok(browser)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `script` (a function body returning a JSON string or null; `{"error": …}` fails)
/// until it returns, and parses the answer.
///
/// # Errors
/// Timeouts, script errors and an `error` the page reported.
pub fn wait_for_json(
    browser: &Browser,
    what: &str,
    script: &str,
    timeout: Duration,
) -> Result<Value> {
    let answer = browser
        .wait_until(what, script, timeout)
        .map_err(|e| e.to_string())?;
    let text = answer.as_str().unwrap_or_default();
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("{what}: not JSON ({e}): {text}"))?;
    if let Some(error) = value.get("error") {
        return Err(format!("{what}: {}", error.as_str().unwrap_or_default()));
    }
    Ok(value)
}

/// The numbers of a JSON array.
#[must_use]
pub fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}
