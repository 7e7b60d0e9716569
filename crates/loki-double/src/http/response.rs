//! HTTP responses, including the deliberately broken bodies fault injection needs.

use std::io::Write;
use std::time::Duration;

/// What follows the headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Declares `declared` bytes, sends `bytes`, then closes the connection.
    Cut {
        bytes: Vec<u8>,
        declared: usize,
    },
    /// `size` bytes of filler (`{"status":"success","data":[` then spaces…), streamed.
    Filler {
        size: u64,
    },
    /// Headers, then one byte per `tick` until the client goes away.
    NeverEnding {
        tick: Duration,
    },
}

/// A response to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Response {
    /// A response with a content type and body.
    #[must_use]
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
        }
    }

    /// `application/json` (what Loki sends for successful queries).
    #[must_use]
    pub fn json(body: String) -> Self {
        Self::new(200, "application/json; charset=UTF-8", body)
    }

    /// Loki's error form: text/plain, `X-Content-Type-Options: nosniff`, no trailing newline.
    #[must_use]
    pub fn loki_error(status: u16, message: &str) -> Self {
        let mut r = Self::new(status, "text/plain; charset=utf-8", message);
        r.headers
            .push(("X-Content-Type-Options".into(), "nosniff".into()));
        r
    }

    /// Adds or replaces a header.
    pub fn set_header(&mut self, name: &str, value: &str) {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.into(), value.into()));
    }

    /// The body bytes, for tests (empty for streamed bodies).
    #[must_use]
    pub fn body_bytes(&self) -> &[u8] {
        match &self.body {
            Body::Bytes(b) | Body::Cut { bytes: b, .. } => b,
            _ => &[],
        }
    }
}

/// The reason phrase of a status code.
#[must_use]
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        499 => "Client Closed Request",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Writes `resp`; returns `Ok(false)` if the connection must close afterwards.
pub fn write_response(
    out: &mut impl Write,
    resp: &Response,
    keep_alive: bool,
    head_only: bool,
) -> std::io::Result<bool> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (k, v) in &resp.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    let (length, keep) = match &resp.body {
        Body::Bytes(b) => (Some(b.len() as u64), keep_alive),
        Body::Cut { declared, .. } => (Some(*declared as u64), false),
        Body::Filler { size } => (Some(*size), keep_alive),
        Body::NeverEnding { .. } => (None, false),
    };
    if let Some(len) = length {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str(if keep {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    out.write_all(head.as_bytes())?;
    if head_only {
        out.flush()?;
        return Ok(keep);
    }
    match &resp.body {
        Body::Bytes(b) | Body::Cut { bytes: b, .. } => out.write_all(b)?,
        Body::Filler { size } => {
            let prefix = b"{\"status\":\"success\",\"data\":[";
            let chunk = vec![b' '; 64 * 1024];
            let mut left = *size;
            let first = prefix.len().min(left as usize);
            out.write_all(&prefix[..first])?;
            left -= first as u64;
            while left > 0 {
                let n = left.min(chunk.len() as u64) as usize;
                out.write_all(&chunk[..n])?;
                left -= n as u64;
            }
        }
        Body::NeverEnding { tick } => {
            out.write_all(
                b"{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[",
            )?;
            loop {
                out.flush()?;
                std::thread::sleep(*tick);
                out.write_all(b" ")?;
            }
        }
    }
    out.flush()?;
    Ok(keep)
}
