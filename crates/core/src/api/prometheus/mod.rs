//! The Prometheus HTTP API (`/api/v1/...`): request builders and response decoding.
//!
//! Works with Prometheus, Thanos, Mimir, VictoriaMetrics and CoreWeave's observe hosts, which all
//! serve this API. See `docs/observe-reference.md` for the rules encoded here.

pub mod decode;
pub mod requests;

pub use decode::{decode_query, PromData, PromResponse};
pub use requests::*;
