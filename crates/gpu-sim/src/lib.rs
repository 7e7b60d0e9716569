//! Simulated DCGM-exporter metrics for Sightline's demo stack: a deterministic value model over
//! the shared fleet (`sightline-fleet`), an OpenMetrics history writer for
//! `promtool tsdb create-blocks-from openmetrics`, the text exposition for a live exporter, and
//! the command line around them.

pub mod backfill;
pub mod cli;
pub mod counters;
pub mod error;
pub mod exporter;
pub mod exposition;
pub mod history;
pub mod labels;
pub mod load;
pub mod metric;
pub mod model;
pub mod noise;
pub mod numfmt;
pub mod openmetrics;
pub mod profile;
pub mod run;
pub mod span;
pub mod timearg;

pub use metric::{Metric, MetricType};
pub use model::{value, GpuClock};
