//! Accept loop: one thread per connection (bounded), keep-alive, idle timeouts.

use std::io::{BufReader, BufWriter};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::request::{ReadError, Request};
use super::response::{write_response, Response};

/// Most connections served at once; more get a 503.
pub const MAX_CONNECTIONS: usize = 256;

/// Handles one request.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, req: &Request) -> Response;
}

/// Serves `listener` forever with `handler`.
pub fn serve(listener: TcpListener, handler: Arc<dyn Handler>) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let mut s = stream;
            let _ = write_response(
                &mut s,
                &Response::loki_error(503, "too many connections"),
                false,
                false,
            );
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let (handler, counter) = (Arc::clone(&handler), Arc::clone(&active));
        let spawned = std::thread::Builder::new()
            .name("conn".into())
            .spawn(move || {
                connection(stream, handler.as_ref());
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn connection(stream: TcpStream, handler: &dyn Handler) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = BufWriter::new(write_half);
    loop {
        let req = match Request::read_from(&mut reader) {
            Ok(req) => req,
            Err(ReadError::Bad(status, text)) => {
                let _ = write_response(
                    &mut writer,
                    &Response::loki_error(status, text),
                    false,
                    false,
                );
                return;
            }
            Err(ReadError::Closed | ReadError::Io(_)) => return,
        };
        let resp = handler.handle(&req);
        let head_only = req.method == "HEAD";
        match write_response(&mut writer, &resp, !req.close, head_only) {
            Ok(true) => {}
            _ => return,
        }
    }
}
