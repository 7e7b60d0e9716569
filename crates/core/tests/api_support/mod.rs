//! Shared helpers of the API fixture tests: reading recorded bodies and whole recorded answers
//! (`curl -si` output: status line, headers, body).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use sightline_core::api::error::{classify_response, ApiError, FailedResponse};

/// The text of `tests/fixtures/api/<relative>`.
pub fn fixture(relative: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/api/{relative}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A whole recorded HTTP answer.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub status: u16,
    pub content_type: Option<String>,
    pub retry_after: Option<String>,
    pub body: String,
}

/// Parses a `.http` fixture recorded with `curl -si`.
pub fn recorded(relative: &str) -> Recorded {
    let text = fixture(relative);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .unwrap_or((text.as_str(), ""));
    let mut lines = head.lines();
    let status_line = lines.next().expect("a status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status code");
    let mut content_type = None;
    let mut retry_after = None;
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = Some(value.trim().to_owned()),
                "retry-after" => retry_after = Some(value.trim().to_owned()),
                _ => {}
            }
        }
    }
    Recorded {
        status,
        content_type,
        retry_after,
        body: body.to_owned(),
    }
}

/// What the client makes of a recorded non-2xx answer from `host` for `path`.
pub fn classify(host: &str, path: &str, answer: &Recorded) -> ApiError {
    classify_response(&FailedResponse {
        host,
        path,
        status: answer.status,
        content_type: answer.content_type.as_deref(),
        retry_after: answer.retry_after.as_deref(),
        body: &answer.body,
    })
}
