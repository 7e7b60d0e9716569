//! Wire types, request builders and response decoding for the Prometheus and Loki HTTP APIs.
//!
//! Requests are described as [`request::ApiRequest`] values (method, path, parameters) that the
//! browser client sends as they are; responses are decoded from the body text into
//! [`crate::model::frame`] types. Errors of every kind a user can meet are [`error::ApiError`].

pub mod auth;
pub mod endpoints;
pub mod error;
pub mod prometheus;
pub mod request;
