//! Sightline, the browser app: a Grafana-style dashboard that runs entirely in the browser.
//!
//! The pure layers (time, queries, API wire types, dashboard model, chart drawing) live in the
//! `sightline-core` crate and are tested natively. This crate is the thin part that touches the
//! browser, in layers whose imports point downward only:
//!
//! - [`ui`]: Leptos components and pages. They draw state and send intents; no fetch, no parsing.
//! - [`state`]: signals and contexts: the session, the loaded config, per-panel requests.
//! - [`client`]: the only code that touches the network (fetch, abort, timeouts, retries, 401).
//! - [`storage`]: the only code that touches `sessionStorage` / `localStorage`.
//! - [`browser`]: small helpers over `window` (clock, time zone, device pixel ratio).

pub mod browser;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_test_support;
pub mod client;
pub mod state;
pub mod storage;
pub mod ui;
