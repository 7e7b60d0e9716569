//! The faults gateway (test mode of the demo stack, issue 10): an emulated observe host on
//! [`FAULTS_PORT`] that checks the bearer token and answers CORS like the others, forwards normal
//! Prometheus queries to the real Prometheus and Loki queries to its own Loki test double, and
//! breaks an answer on demand.
//!
//! A query selects a fault by naming `sightline_fault_<name>` anywhere in its text (a metric
//! name in PromQL, a line filter in LogQL): `sum(sightline_fault_502_html)`. The catalogue below
//! says what each fault answers; `cargo xtask stack faults up` turns it into nginx locations,
//! files and rules of the Loki double ([`double_rules`]).
//!
//! [`FAULTS_PORT`]: crate::stack::FAULTS_PORT

use std::time::Duration;

use serde_json::{json, Value};

use crate::hostile::{long_text, PAYLOADS};
use crate::http;

/// What a query contains to select fault `name`.
#[must_use]
pub fn marker(name: &str) -> String {
    format!("sightline_fault_{name}")
}

/// How the gateway produces a fault's answer.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// nginx answers itself (`return`): the body may use nginx variables such as
    /// `$http_authorization` (a gateway that echoes request headers).
    Canned {
        status: u16,
        content_type: &'static str,
        /// Extra response headers.
        headers: &'static [(&'static str, &'static str)],
        body: &'static str,
        /// False: no `Access-Control-Allow-Origin` (the browser refuses to hand over the answer).
        cors: bool,
    },
    /// nginx serves a file the stack writes (bytes that are not valid UTF-8 cannot live in
    /// nginx's configuration text).
    File {
        content_type: &'static str,
        bytes: fn() -> Vec<u8>,
    },
    /// Forwarded to the faults Loki double at `/__fault/<name>`, where [`double_rules`] installs
    /// a rule (stalls, never-ending and huge bodies, answers built at test time).
    Double {
        /// Strip `Content-Length`, so the browser must stream the body to learn its size.
        hide_length: bool,
    },
}

/// One fault of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    pub name: &'static str,
    /// What it stands for, for people reading test output.
    pub what: &'static str,
    pub answer: Answer,
}

const JSON: &str = "application/json";
const HTML: &str = "text/html; charset=utf-8";
const EMPTY_VECTOR: &str = r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#;

/// Every fault the gateway knows.
pub const FAULTS: [Fault; 21] = [
    Fault {
        name: "500_html",
        what: "500 with an HTML error page that carries script",
        answer: Answer::Canned {
            status: 500,
            content_type: HTML,
            headers: &[],
            body: "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>Oops</h1><img src=x onerror=\"window.__sightline_canary='500_html'\"><script>window.__sightline_canary='500_html'</script></body></html>",
            cors: true,
        },
    },
    Fault {
        name: "502_html",
        what: "502 Bad Gateway (nginx's own page)",
        answer: Answer::Canned {
            status: 502,
            content_type: HTML,
            headers: &[],
            body: "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            cors: true,
        },
    },
    Fault {
        name: "504_html",
        what: "504 Gateway Time-out",
        answer: Answer::Canned {
            status: 504,
            content_type: HTML,
            headers: &[],
            body: "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n</body>\r\n</html>\r\n",
            cors: true,
        },
    },
    Fault {
        name: "429",
        what: "429 Too Many Requests with Retry-After: 1",
        answer: Answer::Canned {
            status: 429,
            content_type: JSON,
            headers: &[("Retry-After", "1")],
            body: r#"{"status":"error","errorType":"too_many_requests","error":"rate limit exceeded"}"#,
            cors: true,
        },
    },
    Fault {
        name: "403",
        what: "403 Forbidden for this query only",
        answer: Answer::Canned {
            status: 403,
            content_type: JSON,
            headers: &[],
            body: r#"{"status":"error","errorType":"forbidden","error":"the token lacks access to this data"}"#,
            cors: true,
        },
    },
    Fault {
        name: "truncated_json",
        what: "200 with JSON cut off in the middle",
        answer: Answer::Canned {
            status: 200,
            content_type: JSON,
            headers: &[],
            body: r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"x"},"values":[[1700000000,"1"],[17000"#,
            cors: true,
        },
    },
    Fault {
        name: "not_json",
        what: "200 labelled JSON whose body is not JSON",
        answer: Answer::Canned {
            status: 200,
            content_type: JSON,
            headers: &[],
            body: "upstream connect error or disconnect/reset before headers",
            cors: true,
        },
    },
    Fault {
        name: "html_200",
        what: "200 with an HTML sign-in page (wrong content type)",
        answer: Answer::Canned {
            status: 200,
            content_type: HTML,
            headers: &[],
            body: "<!DOCTYPE html><html><head><title>Sign in - Example SSO</title></head><body><form action=\"https://sso.example/login\"><input name=user></form><script>window.__sightline_canary='html_200'</script></body></html>",
            cors: true,
        },
    },
    Fault {
        name: "json_as_text",
        what: "200 with a valid answer labelled text/plain (tolerated)",
        answer: Answer::Canned {
            status: 200,
            content_type: "text/plain; charset=utf-8",
            headers: &[],
            body: r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"source":"text-plain"},"value":[1700000000,"42"]}]}}"#,
            cors: true,
        },
    },
    Fault {
        name: "no_cors",
        what: "200 without Access-Control-Allow-Origin (a CORS refusal)",
        answer: Answer::Canned {
            status: 200,
            content_type: JSON,
            headers: &[],
            body: EMPTY_VECTOR,
            cors: false,
        },
    },
    Fault {
        name: "echo_token",
        what: "500 whose HTML title echoes the Authorization header",
        answer: Answer::Canned {
            status: 500,
            content_type: HTML,
            headers: &[],
            body: "<html><head><title>Bad request: header Authorization: $http_authorization was refused</title></head><body>$http_authorization</body></html>",
            cors: true,
        },
    },
    Fault {
        name: "echo_token_cut",
        what: "500 whose text echoes the token right where error excerpts are cut (300 characters)",
        answer: Answer::Canned {
            status: 500,
            content_type: "text/plain; charset=utf-8",
            headers: &[],
            // 275 characters, then "Bearer " and the token: an excerpt of 300 characters would
            // keep all but the token's last characters.
            body: "upstream rejected the request; the request headers were: Accept: application/json, text/plain;q=0.9, */*;q=0.1; Origin: (the page); Sec-Fetch-Mode: cors; User-Agent: (the browser) ................................................................................ Authorization: $http_authorization; end of headers",
            cors: true,
        },
    },
    Fault {
        name: "echo_token_data",
        what: "200 whose warnings and label values echo the Authorization header",
        answer: Answer::Canned {
            status: 200,
            content_type: JSON,
            headers: &[],
            body: r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"echo":"$http_authorization"},"value":[1700000000,"1"]}]},"warnings":["the gateway saw $http_authorization"]}"#,
            cors: true,
        },
    },
    Fault {
        name: "invalid_utf8",
        what: "200 whose JSON has bytes that are not UTF-8",
        answer: Answer::File {
            content_type: JSON,
            bytes: invalid_utf8_vector,
        },
    },
    Fault {
        name: "never_ending",
        what: "200 whose body never ends",
        answer: Answer::Double { hide_length: false },
    },
    Fault {
        name: "stall",
        what: "no answer for 40 s (longer than the app's 30 s limit)",
        answer: Answer::Double { hide_length: false },
    },
    Fault {
        name: "slow",
        what: "a valid answer after 3 s",
        answer: Answer::Double { hide_length: false },
    },
    Fault {
        name: "huge_body",
        what: "a 200 MB body with its Content-Length",
        answer: Answer::Double { hide_length: false },
    },
    Fault {
        name: "huge_body_chunked",
        what: "a 200 MB body without Content-Length (the size shows only while streaming)",
        answer: Answer::Double { hide_length: true },
    },
    Fault {
        name: "hostile_labels",
        what: "a valid answer whose label values are the hostile corpus, NUL bytes and 1 MB",
        answer: Answer::Double { hide_length: false },
    },
    Fault {
        name: "hostile_streams",
        what: "a Loki answer whose log lines and stream labels are the hostile corpus",
        answer: Answer::Double { hide_length: false },
    },
];

/// The fault called `name`.
#[must_use]
pub fn fault(name: &str) -> Option<&'static Fault> {
    FAULTS.iter().find(|f| f.name == name)
}

/// An instant vector whose one label value holds bytes 0xFF 0xFE (not UTF-8).
#[must_use]
pub fn invalid_utf8_vector() -> Vec<u8> {
    let mut bytes =
        br#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"gpu":""#
            .to_vec();
    bytes.extend_from_slice(&[0xFF, 0xFE, b'x']);
    bytes.extend_from_slice(br#""},"value":[1700000000,"1"]}]}}"#);
    bytes
}

/// The double's path for fault `name` (what the gateway forwards to).
#[must_use]
pub fn double_path(name: &str) -> String {
    format!("/__fault/{name}")
}

/// The Loki double's rules behind the [`Answer::Double`] faults, with timestamps around `now_ms`.
#[must_use]
pub fn double_rules(now_ms: i64) -> Vec<Value> {
    let rule = |name: &str, fields: Value| {
        let mut rule = json!({"path": double_path(name), "count": 0});
        if let (Some(target), Value::Object(extra)) = (rule.as_object_mut(), fields) {
            target.extend(extra);
        }
        rule
    };
    let one_sample = json!({"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"source": "slow"}, "value": [now_ms / 1000, "7"]}
    ]}});
    vec![
        rule("never_ending", json!({"mode": "never_ending"})),
        rule(
            "stall",
            json!({"mode": "status", "status": 200, "stall_seconds": 40,
                   "content_type": JSON, "body": EMPTY_VECTOR}),
        ),
        rule(
            "slow",
            json!({"mode": "status", "status": 200, "stall_seconds": 3,
                   "content_type": JSON, "body": one_sample.to_string()}),
        ),
        rule(
            "huge_body",
            json!({"mode": "huge_body", "body_bytes": 200 * 1024 * 1024}),
        ),
        rule(
            "huge_body_chunked",
            json!({"mode": "huge_body", "body_bytes": 200 * 1024 * 1024}),
        ),
        rule(
            "hostile_labels",
            json!({"mode": "status", "status": 200, "content_type": JSON,
                   "body": hostile_vector(now_ms).to_string()}),
        ),
        rule(
            "hostile_streams",
            json!({"mode": "status", "status": 200, "content_type": JSON,
                   "body": hostile_streams(now_ms).to_string()}),
        ),
    ]
}

/// An instant vector with one series per hostile payload (label `evil`), one with NUL bytes and
/// one with a 1 MB label value.
#[must_use]
pub fn hostile_vector(now_ms: i64) -> Value {
    let mut result: Vec<Value> = PAYLOADS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({"metric": {"evil": p.text, "payload": p.name},
                   "value": [now_ms / 1000, (i + 1).to_string()]})
        })
        .collect();
    result.push(
        json!({"metric": {"evil": long_text(1_000_000), "payload": "one-megabyte"},
                       "value": [now_ms / 1000, "99"]}),
    );
    json!({"status": "success", "data": {"resultType": "vector", "result": result}})
}

/// A Loki `streams` answer: each payload as a log line (and a stream label), newest first, plus
/// a 1 MB line.
#[must_use]
pub fn hostile_streams(now_ms: i64) -> Value {
    let base_ns = i128::from(now_ms) * 1_000_000;
    let values: Vec<Value> = PAYLOADS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ts = base_ns - i128::try_from(i).unwrap_or(0) * 1_000_000_000;
            json!([
                ts.to_string(),
                format!("level=error msg=\"{}\" payload={}", p.text, p.name)
            ])
        })
        .chain(std::iter::once(json!([
            (base_ns - 60_000_000_000).to_string(),
            long_text(1_000_000)
        ])))
        .collect();
    json!({"status": "success", "data": {"resultType": "streams", "result": [
        {"stream": {"app": PAYLOADS[0].text, "level": "error", "namespace": "hostile"}, "values": values}
    ], "stats": {}}})
}

/// Replaces every rule of the Loki double on `port` with [`double_rules`].
///
/// # Errors
/// A message naming the double when it does not accept the rules.
pub fn install_double_rules(port: u16, now_ms: i64) -> Result<(), String> {
    clear_double_rules(port)?;
    for rule in double_rules(now_ms) {
        add_double_rule(port, &rule)?;
    }
    Ok(())
}

/// Adds one rule to the Loki double on `port` (`POST /__double/faults`).
///
/// # Errors
/// A message naming the double when the request fails or the rule is refused.
pub fn add_double_rule(port: u16, rule: &Value) -> Result<(), String> {
    let url = format!("{}/__double/faults", crate::stack::url(port));
    let body = rule.to_string();
    match http::request(
        "POST",
        &url,
        &[("Content-Type", "application/json")],
        Some(body.as_bytes()),
        Duration::from_secs(10),
    ) {
        Ok(r) if r.status == 200 => Ok(()),
        Ok(r) => Err(format!(
            "{url} refused the rule ({}): {}",
            r.status,
            r.text()
        )),
        Err(e) => Err(format!("{url}: {e}")),
    }
}

/// Removes every rule of the Loki double on `port`.
///
/// # Errors
/// A message naming the double when it cannot be reached.
pub fn clear_double_rules(port: u16) -> Result<(), String> {
    let url = format!("{}/__double/faults/clear", crate::stack::url(port));
    http::request("POST", &url, &[], Some(b""), Duration::from_secs(10))
        .map(|_| ())
        .map_err(|e| format!("{url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_marker_safe() {
        for (i, f) in FAULTS.iter().enumerate() {
            assert!(
                f.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                f.name
            );
            assert!(FAULTS[..i].iter().all(|g| g.name != f.name), "{}", f.name);
        }
    }

    #[test]
    fn every_double_fault_has_a_rule() {
        let rules = double_rules(1_700_000_000_000);
        for f in FAULTS
            .iter()
            .filter(|f| matches!(f.answer, Answer::Double { .. }))
        {
            assert!(
                rules
                    .iter()
                    .any(|r| r["path"] == json!(double_path(f.name))),
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn canned_bodies_use_no_nginx_variables_but_the_echoed_header() {
        for f in &FAULTS {
            if let Answer::Canned { body, .. } = f.answer {
                let stripped = body.replace("$http_authorization", "");
                assert!(!stripped.contains('$'), "{}", f.name);
            }
        }
    }

    #[test]
    fn the_token_echo_straddles_the_excerpt_limit() {
        let Some(Answer::Canned { body, .. }) = fault("echo_token_cut").map(|f| f.answer) else {
            panic!("echo_token_cut is canned");
        };
        let at = body.find("$http_authorization").unwrap_or(0) + "Bearer ".len();
        assert!((270..300).contains(&at), "the token starts at {at}");
    }

    #[test]
    fn the_invalid_utf8_body_is_not_utf8() {
        assert!(String::from_utf8(invalid_utf8_vector()).is_err());
    }
}
