//! A small static file server for the benchmark, on one of the dev origins the stack's gateway
//! answers CORS for: the app's release build (`dist/`, with an `index.html` fallback), the bench
//! page (`bench/`), the app's stylesheet (`style/`), uPlot (`target/bench/node_modules/uplot`),
//! the bench wasm (`target/bench/wasm`) and recorded response bodies (`target/bench/data`).
//!
//! Caching is the deployment's (`xtask/src/stack/nginx.rs`): the build outputs named after their
//! content hash, and uPlot's package, are cached for good, so a page loaded again takes them from
//! the HTTP cache (and Chromium its compiled code) as a returning user's browser does; everything
//! else says `no-store`. The benchmark clears the browser's cache before a load it calls cold or a
//! first visit. The app's `index.html` gets one extra classic script,
//! `/bench/probe.js`, which keeps a handle on the wasm memory for the memory figure.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use crate::cmd::Result;

/// URL prefixes and the directories they serve.
#[derive(Debug, Clone)]
pub struct Routes {
    pub mounts: Vec<(String, PathBuf)>,
    /// Everything else: the app (`dist/`), with `index.html` for unknown paths.
    pub app: PathBuf,
}

/// Starts serving on `127.0.0.1:port` in background threads (they end with the process).
///
/// # Errors
/// When the port is taken.
pub fn start(port: u16, routes: Routes) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &routes);
            });
        }
    });
    Ok(())
}

fn answer(mut stream: TcpStream, routes: &Routes) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, content_type, body) = if method != "GET" && method != "HEAD" {
        ("405 Method Not Allowed", "text/plain", b"GET only".to_vec())
    } else {
        match resolve(routes, path) {
            Some((file, inject)) => match std::fs::read(&file) {
                Ok(bytes) => (
                    "200 OK",
                    content_type(&file),
                    if inject { with_probe(&bytes) } else { bytes },
                ),
                Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            },
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        }
    };
    let cache = if status.starts_with("200") {
        cache_control(path)
    } else {
        NOT_CACHED
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: {cache}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

const CACHED_FOR_GOOD: &str = "public, max-age=31536000, immutable";
const NOT_CACHED: &str = "no-store";

/// The nginx gateway's rule for the app (`-<hash>.js|css`, `/app-<hash>/….js|wasm`), plus uPlot's
/// package (a pinned npm version) for the reference page.
fn cache_control(path: &str) -> &'static str {
    let hex = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let hashed_name = path
        .rsplit_once('.')
        .filter(|(_, ext)| matches!(*ext, "js" | "css"))
        .and_then(|(stem, _)| stem.rsplit_once('-'))
        .is_some_and(|(_, hash)| hex(hash, 12..=16));
    let hashed_app_part = path
        .strip_prefix("/app-")
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(hash, file)| {
            hex(hash, 16..=16)
                && !file.is_empty()
                && (file.ends_with(".js") || file.ends_with(".wasm"))
        });
    if hashed_name || hashed_app_part || path.starts_with("/uplot/") {
        CACHED_FOR_GOOD
    } else {
        NOT_CACHED
    }
}

/// The file for `path`, and whether it is the app's `index.html` (which gets the probe).
fn resolve(routes: &Routes, path: &str) -> Option<(PathBuf, bool)> {
    if path.split('/').any(|segment| segment == "..") {
        return None;
    }
    for (prefix, dir) in &routes.mounts {
        if let Some(rest) = path.strip_prefix(prefix.as_str()) {
            let file = dir.join(rest.trim_start_matches('/'));
            return file.is_file().then_some((file, false));
        }
    }
    let file = routes.app.join(path.trim_start_matches('/'));
    if file.is_file() && !path.ends_with("index.html") {
        Some((file, false))
    } else {
        Some((routes.app.join("index.html"), true))
    }
}

/// `index.html` with `<script defer src="/bench/probe.js"></script>` before the module loader:
/// deferred, so it does not hold the parser (and with it the loader's download), and still runs
/// before the loader, which is a module script and so runs in document order after it.
#[must_use]
pub fn with_probe(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let probe = "<script defer src=\"/bench/probe.js\"></script>";
    match text.find("<script") {
        Some(at) => format!("{}{probe}{}", &text[..at], &text[at..]).into_bytes(),
        None => html.to_vec(),
    }
}

fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_probe_goes_before_the_first_script() {
        let html = b"<html><head><meta charset=utf-8><script type=module src=\"/l.js\"></script></head></html>";
        let out = String::from_utf8(with_probe(html)).unwrap_or_default();
        assert!(out.contains(
            "<meta charset=utf-8><script defer src=\"/bench/probe.js\"></script><script type=module"
        ));
    }

    #[test]
    fn content_hashed_files_and_uplot_are_cached_for_good_and_nothing_else() {
        for path in [
            "/app-0123456789abcdef/main_bg.wasm",
            "/app-0123456789abcdef/snippets/sightline-409a1f182ba610bb/inline0.js",
            "/sightline-loader-ed7b2257ebc1475b.js",
            "/main-56a7661a866a7013.css",
            "/uplot/uPlot.esm.js",
        ] {
            assert_eq!(cache_control(path), CACHED_FOR_GOOD, "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/d/bench-30",
            "/config.json",
            "/bench/dashboard.js",
            "/bench/probe.js",
            "/app-0123/main.js",
            "/app-0123456789abcdef/",
            "/main-xyz.css",
            "/sightline-loader-ed7b2257ebc1475b.json",
        ] {
            assert_eq!(cache_control(path), NOT_CACHED, "{path}");
        }
    }

    #[test]
    fn parent_directories_are_refused_and_unknown_app_paths_get_index_html() {
        let routes = Routes {
            mounts: vec![("/bench/".to_owned(), PathBuf::from("/nonexistent/bench"))],
            app: PathBuf::from("/nonexistent/dist"),
        };
        assert_eq!(resolve(&routes, "/bench/../secret"), None);
        assert_eq!(resolve(&routes, "/bench/missing.js"), None);
        assert_eq!(
            resolve(&routes, "/d/gpu-fleet"),
            Some((PathBuf::from("/nonexistent/dist/index.html"), true))
        );
    }
}
