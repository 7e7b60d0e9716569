//! A minimal HTTP/1.1 server on std's `TcpListener`, one thread per connection, keep-alive,
//! bounded header and body sizes. Just enough for the double; no TLS, no chunked requests.

pub mod form;
pub mod request;
pub mod response;
pub mod server;

pub use request::Request;
pub use response::{Body, Response};
