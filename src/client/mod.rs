//! The only code that touches the network: `fetch` with the bearer token, abort, timeouts,
//! bounded retries and capped body reading ([`http`], [`slot`]), and typed calls per API
//! ([`prometheus`], [`loki`]) and across legacy cut-overs ([`stitch`]).
//!
//! Every typed call is build (pure, `sightline-core`) → [`http::send`] → decode (pure).

mod body;
mod call;
pub mod http;
pub mod loki;
pub mod prometheus;
pub mod slot;
pub mod stitch;

pub use http::{Endpoint, RequestOptions};
pub use slot::RequestSlot;
pub use stitch::StitchTargets;
