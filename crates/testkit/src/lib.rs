//! Test plumbing shared by `xtask` and the end-to-end tests.
//!
//! - [`stack`]: the demo stack's ports, hosts and tokens (one source of truth).
//! - [`http`]: a tiny blocking HTTP/1.1 client over `TcpStream` for loopback servers.
//! - [`webdriver`]: a small W3C WebDriver client for chromedriver (plain HTTP + JSON).
//! - [`faults`]: the faults gateway's catalogue (test mode of the stack, issue 10).
//! - [`hostile`]: hostile strings for injection tests, and the canary they try to set.
//! - [`base64`]: decoding of WebDriver screenshots.

pub mod base64;
pub mod faults;
pub mod hostile;
pub mod http;
pub mod stack;
pub mod webdriver;
