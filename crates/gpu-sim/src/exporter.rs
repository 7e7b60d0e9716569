//! The live exporter: a tiny HTTP/1.1 server on std's `TcpListener`, a thread per connection,
//! `Connection: close`. `GET /metrics` renders [`crate::exposition`] at the request time, `GET
//! /health` answers `OK`; other paths get 404, other methods 405, garbage 400, and nothing
//! panics. SIGTERM/SIGINT set a flag; the accept loop sees it within 50 ms, lets running
//! requests finish (up to 5 s) and returns, so the process exits with status 0.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::RunError;
use crate::exposition::{render, CONTENT_TYPE};
use crate::timearg::now_ms;

/// Largest request head accepted.
const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the accept loop looks at the stop flag.
const POLL: Duration = Duration::from_millis(50);
/// How long to wait for running requests at shutdown.
const DRAIN: Duration = Duration::from_secs(5);

/// Binds `addr`, installs SIGTERM/SIGINT handlers and serves until one arrives.
///
/// # Errors
/// Binding or signal-handler installation failures.
pub fn run(addr: &str) -> Result<(), RunError> {
    let listener = TcpListener::bind(addr).map_err(|source| RunError::Listen {
        addr: addr.to_owned(),
        source,
    })?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop)).map_err(RunError::Signals)?;
    }
    let local = listener
        .local_addr()
        .map_or_else(|_| addr.to_owned(), |a| a.to_string());
    eprintln!("gpu-sim exporter: serving http://{local}/metrics (stop with SIGTERM)");
    serve(&listener, &stop).map_err(|source| RunError::Listen {
        addr: addr.to_owned(),
        source,
    })?;
    eprintln!("gpu-sim exporter: stopped");
    Ok(())
}

/// Serves connections on `listener` until `stop` is set, then drains running requests.
///
/// # Errors
/// When the listener cannot be switched to non-blocking mode.
pub fn serve(listener: &TcpListener, stop: &AtomicBool) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let active = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let active = Arc::clone(&active);
                active.fetch_add(1, Ordering::SeqCst);
                let spawned = std::thread::Builder::new()
                    .name("gpu-sim-conn".to_owned())
                    .spawn(move || {
                        handle(stream);
                        active.fetch_sub(1, Ordering::SeqCst);
                    });
                if let Err(e) = spawned {
                    eprintln!("gpu-sim exporter: cannot start a connection thread: {e}");
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(e) => {
                eprintln!("gpu-sim exporter: accept failed: {e}");
                std::thread::sleep(POLL);
            }
        }
    }
    let deadline = Instant::now() + DRAIN;
    while active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Answers one request on `stream`; I/O errors just end the connection.
fn handle(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let response = match read_head(&mut stream) {
        Ok(head) => respond(&head),
        Err(HeadError::TooLarge) => Response::text(
            431,
            "Request Header Fields Too Large",
            "request head too large\n",
        ),
        Err(HeadError::Io) => return,
    };
    let _ = response.write_to(&mut stream);
    let _ = stream.flush();
}

#[derive(Debug)]
enum HeadError {
    TooLarge,
    Io,
}

/// Reads up to the blank line that ends the request head.
fn read_head(stream: &mut impl Read) -> Result<Vec<u8>, HeadError> {
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).map_err(|_| HeadError::Io)?;
        if n == 0 {
            return if head.is_empty() {
                Err(HeadError::Io)
            } else {
                Ok(head)
            };
        }
        head.extend_from_slice(&chunk[..n]);
        if head.windows(4).any(|w| w == b"\r\n\r\n") || head.windows(2).any(|w| w == b"\n\n") {
            return Ok(head);
        }
        if head.len() > MAX_HEAD_BYTES {
            return Err(HeadError::TooLarge);
        }
    }
}

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub reason: &'static str,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Send headers only (HEAD).
    pub head_only: bool,
    pub allow: bool,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Self {
        Self {
            status,
            reason,
            content_type: "text/plain; charset=utf-8",
            body: body.as_bytes().to_vec(),
            head_only: false,
            allow: false,
        }
    }

    fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            self.reason,
            self.content_type,
            self.body.len()
        );
        if self.allow {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !self.head_only {
            out.write_all(&self.body)?;
        }
        Ok(())
    }
}

/// Routes a request head to its response.
#[must_use]
pub fn respond(head: &[u8]) -> Response {
    let request_line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let request_line = String::from_utf8_lossy(request_line);
    let mut parts = request_line.trim_end_matches('\r').split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Response::text(400, "Bad Request", "malformed request line\n");
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Response::text(400, "Bad Request", "malformed request line\n");
    }
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return Response {
            allow: true,
            ..Response::text(405, "Method Not Allowed", "only GET and HEAD\n")
        };
    }
    let path = target.split(['?', '#']).next().unwrap_or(target);
    let response = match path {
        "/metrics" => Response {
            content_type: CONTENT_TYPE,
            body: render(now_ms()),
            ..Response::text(200, "OK", "")
        },
        "/health" => Response::text(200, "OK", "OK\n"),
        "/" => Response::text(
            200,
            "OK",
            "gpu-sim: simulated dcgm-exporter. Metrics at /metrics, health at /health.\n",
        ),
        _ => Response::text(404, "Not Found", "not found; metrics are at /metrics\n"),
    };
    Response {
        head_only,
        ..response
    }
}

#[cfg(test)]
#[path = "exporter_tests.rs"]
mod tests;
