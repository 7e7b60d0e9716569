//! Reading one HTTP request from a stream: request line, headers, `Content-Length` body,
//! and the merged query-string + form parameters.

use std::io::{BufRead, Read};

use super::form::parse_urlencoded;

/// Largest accepted header block.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Largest accepted body.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// A parsed request.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// Path without the query string, percent-decoded.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Query-string parameters followed by form-body parameters.
    pub params: Vec<(String, String)>,
    /// HTTP/1.0 or `Connection: close`.
    pub close: bool,
}

/// Why a request could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The peer closed the connection before a request started.
    Closed,
    Io(std::io::Error),
    /// Malformed or too large: answer with this status and text.
    Bad(u16, &'static str),
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

impl Request {
    /// The first value of a header (case-insensitive name).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a parameter, or `""` (Go's `Form.Get`).
    #[must_use]
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated parameter.
    #[must_use]
    pub fn params_named(&self, name: &str) -> Vec<&str> {
        self.params
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Reads one request; `Closed` if the connection ended cleanly first.
    pub fn read_from(reader: &mut impl BufRead) -> Result<Self, ReadError> {
        let mut head = Vec::new();
        loop {
            let mut line = Vec::new();
            let n = reader
                .by_ref()
                .take((MAX_HEADER_BYTES + 1 - head.len().min(MAX_HEADER_BYTES)) as u64)
                .read_until(b'\n', &mut line)?;
            if n == 0 {
                return if head.is_empty() {
                    Err(ReadError::Closed)
                } else {
                    Err(ReadError::Bad(400, "truncated request"))
                };
            }
            if head.is_empty() && (line == b"\r\n" || line == b"\n") {
                continue;
            }
            let end = line == b"\r\n" || line == b"\n";
            head.extend_from_slice(&line);
            if head.len() > MAX_HEADER_BYTES {
                return Err(ReadError::Bad(431, "request header fields too large"));
            }
            if end {
                break;
            }
        }
        let text = String::from_utf8_lossy(&head);
        let mut lines = text.lines();
        let request_line = lines.next().unwrap_or_default();
        let mut parts = request_line.split_whitespace();
        let (Some(method), Some(target), version) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(ReadError::Bad(400, "malformed request line"));
        };
        let mut req = Request {
            method: method.to_string(),
            ..Request::default()
        };
        for line in lines.filter(|l| !l.is_empty()) {
            if let Some((k, v)) = line.split_once(':') {
                req.headers
                    .push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let connection = req
            .header("connection")
            .unwrap_or_default()
            .to_ascii_lowercase();
        req.close =
            version == Some("HTTP/1.0") && connection != "keep-alive" || connection == "close";
        if req.header("transfer-encoding").is_some() {
            return Err(ReadError::Bad(411, "length required"));
        }
        let length: usize = match req.header("content-length") {
            None => 0,
            Some(v) => v
                .parse()
                .map_err(|_| ReadError::Bad(400, "bad content-length"))?,
        };
        if length > MAX_BODY_BYTES {
            return Err(ReadError::Bad(413, "request body too large"));
        }
        req.body = vec![0; length];
        reader.read_exact(&mut req.body)?;
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        req.path = super::form::percent_decode(&path.replace('+', "%2B"));
        req.params = parse_urlencoded(query);
        let form = req.header("content-type").is_some_and(|ct| {
            ct.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
        if req.method == "POST" && form {
            let body = String::from_utf8_lossy(&req.body).into_owned();
            req.params.extend(parse_urlencoded(&body));
        }
        Ok(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &str) -> Result<Request, ReadError> {
        Request::read_from(&mut std::io::BufReader::new(raw.as_bytes()))
    }

    #[test]
    fn reads_query_string_and_form_body() {
        let raw = "POST /loki/api/v1/query_range?limit=5 HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nquery=%7Ba%3D%22b%22";
        let req = read(raw).unwrap();
        assert_eq!(req.path, "/loki/api/v1/query_range");
        assert_eq!(req.param("limit"), "5");
        assert_eq!(req.param("query"), "{a=\"b\"");
        assert!(!req.close);
    }

    #[test]
    fn malformed_requests_are_rejected_not_panicking() {
        assert!(matches!(read(""), Err(ReadError::Closed)));
        assert!(matches!(
            read("GARBAGE\r\n\r\n"),
            Err(ReadError::Bad(400, _))
        ));
        assert!(matches!(
            read("GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"),
            Err(ReadError::Bad(400, _))
        ));
        assert!(matches!(
            read("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Err(ReadError::Bad(411, _))
        ));
        let huge = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEADER_BYTES)
        );
        assert!(matches!(read(&huge), Err(ReadError::Bad(431, _))));
        assert!(read("GET /a%ZZ%00\u{7f} HTTP/1.0\r\n\r\n").unwrap().close);
    }
}
