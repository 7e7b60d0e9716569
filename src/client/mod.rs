//! The only code that touches the network: `fetch` with the bearer token, abort, timeouts,
//! bounded retries and body-size limits ([`http`]), and typed calls per API ([`prometheus`]).

pub mod http;
pub mod prometheus;

pub use http::{Endpoint, RequestOptions, RequestSlot};
