//! **A test double of the Loki HTTP API** — not a Loki. Sightline's demo stack and end-to-end
//! tests use it in place of CoreWeave's Loki-compatible log hosts, which nobody here can reach.
//!
//! It serves logs that are generated on the fly as a pure function of time from the shared
//! fleet model (`sightline-fleet`), so they tell the same story as the metrics: the pods of the
//! GPU jobs log while they run, XID bursts show up as kernel and driver errors, the missing
//! node's agents go quiet, and each cluster's kube-apiserver writes audit events.
//!
//! What it implements faithfully (from Loki's docs and code): the query endpoints CoreWeave
//! lists, their parameter rules (times, limits, direction, step, the 11,000-point rule),
//! envelopes, `categorize-labels` encoding, `detected_level`, text/plain errors and a LogQL
//! subset. See the crate's README for what is simplified, and [`faults`] for fault injection.

#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod api;
pub mod cli;
pub mod config;
pub mod engine;
pub mod faults;
pub mod gen;
pub mod http;
pub mod json;
pub mod labels;
pub mod logql;
pub mod params;
pub mod timefmt;
