//! Wire types, request builders and response decoding for the Prometheus and Loki HTTP APIs.
//!
//! Requests are described as [`request::ApiRequest`] values (method, path, parameters, headers)
//! that the browser client sends as they are; responses are decoded from the body text into
//! [`crate::model::frame`] types. Errors of every kind a user can meet are [`error::ApiError`].
//! [`stitch`] splits ranges at the legacy cut-overs and merges the answers of both hosts;
//! [`early`] keeps a page's requests so its next full load can send them before the app starts.
//! [`incremental`] asks a refreshed range query only for what is new and joins it to the last
//! answer.

pub mod auth;
pub mod coreweave;
pub mod early;
pub mod endpoints;
pub mod envelope;
pub mod error;
pub mod incremental;
pub mod loki;
pub mod prometheus;
pub mod request;
pub mod stitch;
pub(crate) mod wire;
