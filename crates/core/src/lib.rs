//! Sightline's pure layers, shared by the browser app, the `sightline` CLI and the benchmarks.
//!
//! Nothing here touches the browser or the network: every function takes its inputs (including
//! "now") as arguments, so all of it is tested natively with plain `cargo test`.
//!
//! - [`model`]: time ranges, durations, steps, series frames, units.
//! - [`api`]: Prometheus and Loki wire types, request builders, response decoding, errors.
//! - [`render`]: chart layout, ticks, decimation and drawing over any plotters `DrawingBackend`.

pub mod api;
pub mod model;
pub mod render;
pub mod sort;
