//! The only code that touches the network: `fetch` with the bearer token, abort, timeouts,
//! bounded retries and capped body reading ([`http`], [`slot`]), GET or POST per host
//! ([`post`]), and typed calls per API ([`prometheus`], [`loki`]) and across legacy cut-overs
//! ([`stitch`]); answers asked before the app started are taken over by [`early`].
//!
//! Every typed call is build (pure, `sightline-core`) → [`http::send`] → decode (pure).

mod body;
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;
mod call;
pub mod early;
pub mod http;
pub mod loki;
pub mod post;
pub mod prometheus;
pub mod slot;
pub mod stitch;

pub use http::{Endpoint, RequestOptions};
pub use slot::RequestSlot;
pub use stitch::StitchTargets;
