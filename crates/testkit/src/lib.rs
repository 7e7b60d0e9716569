//! Test plumbing shared by `xtask` and the end-to-end tests.
//!
//! - [`stack`]: the demo stack's ports, hosts and tokens (one source of truth).
//! - [`http`]: a tiny blocking HTTP/1.1 client over `TcpStream` for loopback servers.
//! - [`webdriver`]: a small W3C WebDriver client for chromedriver (plain HTTP + JSON).
//! - [`base64`]: decoding of WebDriver screenshots.

pub mod base64;
pub mod http;
pub mod stack;
pub mod webdriver;
