//! Chart drawing: ticks, decimation, colours and the time-series chart, drawn through any plotters
//! [`DrawingBackend`](plotters::prelude::DrawingBackend) so the browser draws to a canvas and native
//! tests draw the very same chart into an SVG string.

pub mod decimate;
pub mod gauge;
pub mod heatmap;
pub mod hover;
pub mod palette;
pub mod pie;
pub mod sparkline;
pub mod symlog_axis;
pub mod thresholds;
pub mod ticks;
pub mod timeseries;
