//! A small W3C WebDriver client for chromedriver: sessions, navigation, elements, scripts,
//! screenshots and Chrome's performance log (every network request the page made).

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sightline_core::model::url_state::decode;

use crate::http;

/// The element reference key of the W3C protocol.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A WebDriver error, with the command that failed.
#[derive(Debug)]
pub struct WebDriverError(pub String);

impl std::fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WebDriverError {}

/// Result of WebDriver calls.
pub type WdResult<T> = Result<T, WebDriverError>;

/// A browser session.
pub struct Browser {
    driver: String,
    session: String,
}

/// An element handle.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Element {
    /// The element as a script argument (`arguments[i]` in [`Browser::execute`]).
    #[must_use]
    pub fn as_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// Chromium flags for headless runs on these machines (no sandbox as root, no background
/// networking since there is no internet).
pub const CHROME_ARGS: [&str; 10] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--window-size=1400,900",
];

impl Browser {
    /// Starts a headless Chromium session through the chromedriver at `driver_url`, with the
    /// performance log enabled (network events) and browser console logs kept.
    ///
    /// # Errors
    /// When chromedriver is not reachable or refuses the session.
    pub fn start(driver_url: &str) -> WdResult<Browser> {
        Browser::start_with(driver_url, &[], true)
    }

    /// Like [`Browser::start`], with Chromium flags added after [`CHROME_ARGS`] (a later
    /// `--window-size` wins) and the performance log only when `network_log` is set (the
    /// benchmark leaves it off: recording every network event costs time).
    ///
    /// # Errors
    /// When chromedriver is not reachable or refuses the session.
    pub fn start_with(
        driver_url: &str,
        extra_args: &[&str],
        network_log: bool,
    ) -> WdResult<Browser> {
        let args: Vec<&str> = CHROME_ARGS.iter().chain(extra_args).copied().collect();
        let logging = if network_log {
            json!({"performance": "ALL", "browser": "ALL"})
        } else {
            json!({"browser": "ALL"})
        };
        let capabilities = json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": "/usr/bin/chromium",
                    "args": args,
                },
                "goog:loggingPrefs": logging,
            }}
        });
        let value = call(driver_url, "POST", "/session", Some(&capabilities))?;
        let session = value["sessionId"]
            .as_str()
            .ok_or_else(|| WebDriverError(format!("no sessionId in {value}")))?
            .to_owned();
        Ok(Browser {
            driver: driver_url.to_owned(),
            session,
        })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<&Value>) -> WdResult<Value> {
        call(
            &self.driver,
            method,
            &format!("/session/{}{path}", self.session),
            body,
        )
    }

    /// Opens `url` and waits for the load event.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn goto(&self, url: &str) -> WdResult<()> {
        self.cmd("POST", "/url", Some(&json!({ "url": url })))
            .map(|_| ())
    }

    /// The current URL.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn current_url(&self) -> WdResult<String> {
        Ok(self
            .cmd("GET", "/url", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Sets the window size in CSS pixels.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn set_window_size(&self, width: u32, height: u32) -> WdResult<()> {
        self.cmd(
            "POST",
            "/window/rect",
            Some(&json!({"width": width, "height": height})),
        )
        .map(|_| ())
    }

    /// The first element matching a CSS selector, if any.
    ///
    /// # Errors
    /// WebDriver failures other than "no such element".
    pub fn find(&self, css: &str) -> WdResult<Option<Element>> {
        match self.cmd(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        ) {
            Ok(v) => Ok(v[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))),
            Err(e) if e.0.contains("no such element") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// All elements matching a CSS selector.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn find_all(&self, css: &str) -> WdResult<Vec<Element>> {
        let v = self.cmd(
            "POST",
            "/elements",
            Some(&json!({"using": "css selector", "value": css})),
        )?;
        Ok(v.as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits up to `timeout` for an element matching `css`.
    ///
    /// # Errors
    /// A timeout error naming the selector.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> WdResult<Element> {
        let start = Instant::now();
        loop {
            if let Some(e) = self.find(css)? {
                return Ok(e);
            }
            if start.elapsed() > timeout {
                return Err(WebDriverError(format!(
                    "timed out after {timeout:?} waiting for {css:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until `script` (a JS expression body returning a value) returns something truthy,
    /// and returns that value.
    ///
    /// # Errors
    /// A timeout error naming the condition.
    pub fn wait_until(&self, what: &str, script: &str, timeout: Duration) -> WdResult<Value> {
        let start = Instant::now();
        loop {
            let v = self.execute(script, &[])?;
            let truthy = match &v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
                Value::String(s) => !s.is_empty(),
                _ => true,
            };
            if truthy {
                return Ok(v);
            }
            if start.elapsed() > timeout {
                return Err(WebDriverError(format!(
                    "timed out after {timeout:?} waiting until {what}"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Runs synchronous JavaScript (`script` is a function body; `arguments[i]` are `args`).
    ///
    /// # Errors
    /// Script exceptions and WebDriver failures.
    pub fn execute(&self, script: &str, args: &[Value]) -> WdResult<Value> {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// Clicks an element.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn click(&self, element: &Element) -> WdResult<()> {
        self.cmd(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(&json!({})),
        )
        .map(|_| ())
    }

    /// Types text into an element (after clearing it when `clear` is set).
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn type_into(&self, element: &Element, text: &str, clear: bool) -> WdResult<()> {
        if clear {
            self.cmd(
                "POST",
                &format!("/element/{}/clear", element.0),
                Some(&json!({})),
            )?;
        }
        self.cmd(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(&json!({ "text": text })),
        )
        .map(|_| ())
    }

    /// The visible text of an element.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn text(&self, element: &Element) -> WdResult<String> {
        Ok(self
            .cmd("GET", &format!("/element/{}/text", element.0), None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// A property of an element (`value`, `checked`…).
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn property(&self, element: &Element, name: &str) -> WdResult<Value> {
        self.cmd(
            "GET",
            &format!("/element/{}/property/{name}", element.0),
            None,
        )
    }

    /// Saves a PNG screenshot of the page to `path`.
    ///
    /// # Errors
    /// WebDriver or file-system failures.
    pub fn screenshot(&self, path: &std::path::Path) -> WdResult<()> {
        let encoded = self.cmd("GET", "/screenshot", None)?;
        let bytes = crate::base64::decode(encoded.as_str().unwrap_or_default())
            .ok_or_else(|| WebDriverError("screenshot was not base64".to_owned()))?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| WebDriverError(e.to_string()))?;
        }
        std::fs::write(path, bytes).map_err(|e| WebDriverError(e.to_string()))
    }

    /// Drains a Chrome log (`performance` or `browser`): each entry's `message` parsed as JSON
    /// where possible (performance entries are DevTools events).
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn log(&self, kind: &str) -> WdResult<Vec<Value>> {
        let v = self.cmd("POST", "/se/log", Some(&json!({ "type": kind })))?;
        Ok(v.as_array()
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        let message = e["message"].as_str().unwrap_or_default();
                        serde_json::from_str(message).unwrap_or_else(|_| e.clone())
                    })
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Every request the page sent since the last call, from the performance log: URL, method
    /// and request headers.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn sent_requests(&self) -> WdResult<Vec<SentRequest>> {
        Ok(self
            .log("performance")?
            .into_iter()
            .filter_map(|entry| {
                let message = &entry["message"];
                let method = message["method"].as_str()?;
                if method != "Network.requestWillBeSent"
                    && method != "Network.requestWillBeSentExtraInfo"
                {
                    return None;
                }
                let params = &message["params"];
                let headers = if method == "Network.requestWillBeSent" {
                    &params["request"]["headers"]
                } else {
                    &params["headers"]
                };
                Some(SentRequest {
                    url: params["request"]["url"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    method: params["request"]["method"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    request_id: params["requestId"].as_str().unwrap_or_default().to_owned(),
                    post_data: params["request"]["postData"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    headers: headers
                        .as_object()
                        .map(|h| {
                            h.iter()
                                .map(|(k, v)| {
                                    (
                                        k.to_ascii_lowercase(),
                                        v.as_str().unwrap_or_default().to_owned(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
            })
            .collect())
    }

    /// Runs a Chrome DevTools Protocol command (e.g. `Network.emulateNetworkConditions`).
    ///
    /// # Errors
    /// WebDriver or DevTools failures.
    pub fn cdp(&self, command: &str, params: Value) -> WdResult<Value> {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(&json!({ "cmd": command, "params": params })),
        )
    }

    /// Opens a new tab (not a copy of this one: its `sessionStorage` starts empty) and returns
    /// its handle; the session stays on the current tab until [`Browser::switch_to`].
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn new_tab(&self) -> WdResult<String> {
        let v = self.cmd("POST", "/window/new", Some(&json!({"type": "tab"})))?;
        Ok(v["handle"].as_str().unwrap_or_default().to_owned())
    }

    /// The handle of the current tab.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn current_tab(&self) -> WdResult<String> {
        Ok(self
            .cmd("GET", "/window", None)?
            .as_str()
            .unwrap_or_default()
            .to_owned())
    }

    /// Makes `handle` the current tab.
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn switch_to(&self, handle: &str) -> WdResult<()> {
        self.cmd("POST", "/window", Some(&json!({ "handle": handle })))
            .map(|_| ())
    }

    /// Closes the current tab (switch to another one afterwards).
    ///
    /// # Errors
    /// WebDriver failures.
    pub fn close_tab(&self) -> WdResult<()> {
        self.cmd("DELETE", "/window", None).map(|_| ())
    }

    /// Ends the session (closes the browser). Dropping a `Browser` does the same, so a test
    /// that panics does not leave its Chromium running.
    pub fn quit(self) {
        drop(self);
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = call(
            &self.driver,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
    }
}

/// A request seen in Chrome's performance log.
#[derive(Debug, Clone)]
pub struct SentRequest {
    /// Empty for `requestWillBeSentExtraInfo` events, which carry the final headers only.
    pub url: String,
    pub method: String,
    pub request_id: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body of a POST (a form, for API calls); empty otherwise.
    pub post_data: String,
}

impl SentRequest {
    /// Whether this is an API call as sent (GET or POST): not a preflight, and not a
    /// `requestWillBeSentExtraInfo` record.
    #[must_use]
    pub fn is_call(&self) -> bool {
        !self.url.is_empty() && matches!(self.method.as_str(), "GET" | "POST")
    }

    /// The call's parameters, decoded: its query string, then its form body.
    #[must_use]
    pub fn params(&self) -> Vec<(String, String)> {
        let query = self.url.split_once('?').map_or("", |(_, q)| q);
        let query = query.split('#').next().unwrap_or_default();
        [query, self.post_data.as_str()]
            .into_iter()
            .flat_map(|text| text.split('&'))
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(name), decode(value))
            })
            .collect()
    }

    /// The first parameter called `name`, decoded.
    #[must_use]
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }

    /// URL and body: what tells two calls apart when POSTs share one URL.
    #[must_use]
    pub fn identity(&self) -> String {
        format!("{} {}\n{}", self.method, self.url, self.post_data)
    }
}

fn call(driver: &str, method: &str, path: &str, body: Option<&Value>) -> WdResult<Value> {
    let payload = body.map(Value::to_string);
    let response = http::request(
        method,
        &format!("{driver}{path}"),
        &[("Content-Type", "application/json")],
        payload.as_deref().map(str::as_bytes),
        Duration::from_secs(120),
    )
    .map_err(|e| WebDriverError(format!("{method} {path}: {e}")))?;
    let value: Value = serde_json::from_slice(&response.body).map_err(|e| {
        WebDriverError(format!(
            "{method} {path}: invalid JSON ({e}): {}",
            response.text()
        ))
    })?;
    if response.status >= 400 {
        return Err(WebDriverError(format!(
            "{method} {path}: {} {}",
            value["value"]["error"].as_str().unwrap_or("error"),
            value["value"]["message"].as_str().unwrap_or_default()
        )));
    }
    Ok(value["value"].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(method: &str, url: &str, post_data: &str) -> SentRequest {
        SentRequest {
            url: url.to_owned(),
            method: method.to_owned(),
            request_id: "1".to_owned(),
            headers: Vec::new(),
            post_data: post_data.to_owned(),
        }
    }

    #[test]
    fn parameters_come_from_the_query_string_or_the_form_body_decoded() {
        let get = sent(
            "GET",
            "http://h/api/v1/query?query=max%20by%20%28cluster%29+x&time=1.5",
            "",
        );
        assert_eq!(get.param("query").as_deref(), Some("max by (cluster) x"));
        assert_eq!(get.param("time").as_deref(), Some("1.5"));
        let post = sent(
            "POST",
            "http://h/api/v1/query",
            "query=up%7Ba%3D%22%C3%A9%22%7D&bad=%zz",
        );
        assert_eq!(post.param("query").as_deref(), Some("up{a=\"é\"}"));
        assert_eq!(post.param("bad").as_deref(), Some("%zz"));
        assert_eq!(post.param("missing"), None);
        assert_ne!(
            post.identity(),
            sent("POST", "http://h/api/v1/query", "query=x").identity()
        );
        assert!(get.is_call() && post.is_call());
        assert!(!sent("OPTIONS", "http://h/api/v1/query", "").is_call());
        assert!(!sent("GET", "", "").is_call());
    }
}
