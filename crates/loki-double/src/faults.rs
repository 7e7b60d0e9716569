//! Fault injection for tests (issue 10): rules registered on the double's own control path
//! `/__double/faults` make the next N matching requests fail in a chosen way.
//!
//! ```text
//! POST   /__double/faults   JSON or form: path, method, count, status, body, content_type,
//!                           retry_after, stall_seconds, mode, body_bytes, headers, no_cors,
//!                           warning
//! GET    /__double/faults   the active rules (JSON)
//! DELETE /__double/faults   remove every rule (also POST /__double/faults/clear)
//! ```
//! `mode`: `status` (default: answer `status` with `body`), `passthrough` (answer normally,
//! after the stall and with header/content-type overrides), `truncated_json` (the real body
//! cut in half, with a matching Content-Length), `abort` (declares the full length, sends half,
//! closes), `never_ending` (a body that never finishes), `huge_body` (`body_bytes` of filler,
//! default 200 MB). `warning` adds a string to the `warnings` of a real answer. `path` is exact, or a prefix when it ends in `*` (`*` alone: every path).
//! `count` 0 keeps the rule until cleared.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use crate::http::{Body, Request, Response};

/// How a faulty response is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultMode {
    Status,
    Passthrough,
    TruncatedJson,
    Abort,
    NeverEnding,
    HugeBody,
}

/// One registered fault.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    pub path: String,
    pub method: Option<String>,
    /// Requests left; `None` until cleared.
    pub remaining: Option<u64>,
    pub mode: FaultMode,
    pub status: u16,
    pub body: Option<String>,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub stall: Duration,
    pub body_bytes: u64,
    pub headers: Vec<(String, String)>,
    pub no_cors: bool,
    /// Added to the real answer's `warnings` (with `passthrough`).
    pub warning: Option<String>,
}

/// Why a fault rule was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultError(pub String);

impl FaultRule {
    fn matches(&self, method: &str, path: &str) -> bool {
        let path_ok = match self.path.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => self.path == path,
        };
        path_ok
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
    }

    /// Parses a rule from a JSON object body or from form/query parameters.
    pub fn from_request(req: &Request) -> Result<Self, FaultError> {
        let is_json = req
            .header("content-type")
            .is_some_and(|c| c.contains("json"));
        let fields: Vec<(String, Value)> = if is_json {
            match serde_json::from_slice::<Value>(&req.body) {
                Ok(Value::Object(map)) => map.into_iter().collect(),
                _ => return Err(FaultError("body must be a JSON object".into())),
            }
        } else {
            req.params
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect()
        };
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let text = |name: &str| {
            get(name).map(|v| match v {
                Value::String(s) => s,
                other => other.to_string(),
            })
        };
        let number = |name: &str| -> Result<Option<f64>, FaultError> {
            text(name)
                .map(|t| {
                    t.parse::<f64>()
                        .map_err(|_| FaultError(format!("{name} must be a number")))
                })
                .transpose()
        };
        let mode = match text("mode").as_deref() {
            None | Some("status") => FaultMode::Status,
            Some("passthrough") => FaultMode::Passthrough,
            Some("truncated_json") => FaultMode::TruncatedJson,
            Some("abort") => FaultMode::Abort,
            Some("never_ending") => FaultMode::NeverEnding,
            Some("huge_body") => FaultMode::HugeBody,
            Some(other) => return Err(FaultError(format!("unknown mode {other:?}"))),
        };
        let status = number("status")?.unwrap_or(if mode == FaultMode::Status {
            500.0
        } else {
            200.0
        });
        if !(100.0..=599.0).contains(&status) {
            return Err(FaultError("status must be 100–599".into()));
        }
        let count = number("count")?.unwrap_or(1.0).max(0.0) as u64;
        let stall = number("stall_seconds")?.unwrap_or(0.0).clamp(0.0, 3600.0);
        let headers = match get("headers") {
            Some(Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| (k, v.as_str().map_or_else(|| v.to_string(), str::to_string)))
                .collect(),
            _ => Vec::new(),
        };
        Ok(Self {
            path: text("path").unwrap_or_else(|| "*".into()),
            method: text("method"),
            remaining: (count > 0).then_some(count),
            mode,
            status: status as u16,
            body: text("body"),
            content_type: text("content_type"),
            retry_after: text("retry_after"),
            stall: Duration::from_secs_f64(stall),
            body_bytes: number("body_bytes")?
                .unwrap_or(200.0 * 1024.0 * 1024.0)
                .max(0.0) as u64,
            headers,
            no_cors: matches!(text("no_cors").as_deref(), Some("true" | "1")),
            warning: text("warning"),
        })
    }

    /// The rule as JSON (for `GET /__double/faults`).
    #[must_use]
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "path": self.path, "method": self.method, "remaining": self.remaining,
            "mode": format!("{:?}", self.mode), "status": self.status, "body": self.body,
            "content_type": self.content_type, "retry_after": self.retry_after,
            "stall_seconds": self.stall.as_secs_f64(), "no_cors": self.no_cors, "warning": self.warning,
        })
    }

    /// Builds the faulty response; `real` computes the normal one when the mode needs it.
    pub fn respond(&self, real: impl FnOnce() -> Response) -> Response {
        if !self.stall.is_zero() {
            std::thread::sleep(self.stall);
        }
        let mut resp = match self.mode {
            FaultMode::Status => {
                let body = self
                    .body
                    .clone()
                    .unwrap_or_else(|| crate::http::response::reason(self.status).to_string());
                Response::new(self.status, "text/plain; charset=utf-8", body)
            }
            FaultMode::Passthrough => real(),
            FaultMode::TruncatedJson | FaultMode::Abort => {
                let mut r = real();
                let bytes = r.body_bytes().to_vec();
                let half = bytes[..bytes.len() / 2].to_vec();
                r.body = if self.mode == FaultMode::Abort {
                    Body::Cut {
                        bytes: half,
                        declared: bytes.len(),
                    }
                } else {
                    Body::Bytes(half)
                };
                r
            }
            FaultMode::NeverEnding => Response {
                status: self.status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Body::NeverEnding {
                    tick: Duration::from_millis(500),
                },
            },
            FaultMode::HugeBody => Response {
                status: self.status,
                headers: vec![("Content-Type".into(), "application/json".into())],
                body: Body::Filler {
                    size: self.body_bytes,
                },
            },
        };
        if let Some(ct) = &self.content_type {
            resp.set_header("Content-Type", ct);
        }
        if let Some(ra) = &self.retry_after {
            resp.set_header("Retry-After", ra);
        }
        for (k, v) in &self.headers {
            resp.set_header(k, v);
        }
        resp
    }
}

/// The active rules.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<FaultRule>>,
}

impl Faults {
    /// Adds a rule (checked after the ones already there).
    pub fn add(&self, rule: FaultRule) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.push(rule);
        }
    }

    /// Removes every rule.
    pub fn clear(&self) {
        if let Ok(mut rules) = self.rules.lock() {
            rules.clear();
        }
    }

    /// The active rules as a JSON array.
    #[must_use]
    pub fn list_json(&self) -> String {
        let rules: Vec<Value> = self
            .rules
            .lock()
            .map(|r| r.iter().map(FaultRule::to_json).collect())
            .unwrap_or_default();
        Value::Array(rules).to_string()
    }

    /// The first rule matching the request, counting it down (and dropping it at zero).
    pub fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules.lock().ok()?;
        let index = rules.iter().position(|r| r.matches(method, path))?;
        let rule = rules[index].clone();
        if let Some(left) = rules[index].remaining.as_mut() {
            *left -= 1;
            if *left == 0 {
                rules.remove(index);
            }
        }
        Some(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(params: &[(&str, &str)]) -> FaultRule {
        let req = Request {
            params: params
                .iter()
                .map(|(k, v)| ((*k).into(), (*v).into()))
                .collect(),
            ..Request::default()
        };
        FaultRule::from_request(&req).unwrap()
    }

    #[test]
    fn rules_count_down_and_match_prefixes() {
        let faults = Faults::default();
        faults.add(rule(&[
            ("path", "/loki/api/v1/*"),
            ("count", "2"),
            ("status", "429"),
            ("retry_after", "3"),
        ]));
        assert!(faults.take("GET", "/ready").is_none());
        let first = faults.take("GET", "/loki/api/v1/query_range").unwrap();
        let resp = first.respond(|| Response::json(String::new()));
        assert_eq!(resp.status, 429);
        assert!(resp.headers.contains(&("Retry-After".into(), "3".into())));
        assert!(faults.take("POST", "/loki/api/v1/labels").is_some());
        assert!(
            faults.take("GET", "/loki/api/v1/labels").is_none(),
            "used up"
        );
    }

    #[test]
    fn truncated_json_cuts_the_real_body() {
        let r = rule(&[("mode", "truncated_json")]);
        let resp = r.respond(|| Response::json("{\"status\":\"success\"}".into()));
        assert_eq!(resp.body_bytes(), b"{\"status\":");
        assert!(serde_json::from_slice::<Value>(resp.body_bytes()).is_err());
    }

    #[test]
    fn json_bodies_and_bad_rules() {
        let req = Request {
            headers: vec![("Content-Type".into(), "application/json".into())],
            body:
                br#"{"status":500,"body":"<html>oops</html>","content_type":"text/html","count":0}"#
                    .to_vec(),
            ..Request::default()
        };
        let r = FaultRule::from_request(&req).unwrap();
        assert_eq!((r.status, r.remaining), (500, None));
        let bad = Request {
            params: vec![("mode".into(), "explode".into())],
            ..Request::default()
        };
        assert!(FaultRule::from_request(&bad).is_err());
        let bad = Request {
            params: vec![("status".into(), "42".into())],
            ..Request::default()
        };
        assert!(FaultRule::from_request(&bad).is_err());
    }
}
