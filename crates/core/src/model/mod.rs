//! The pure domain: durations, calendar time, time ranges, query steps, series frames and units.

pub mod civil;
pub mod dashboard;
pub mod duration;
pub mod frame;
pub mod navigation;
pub mod step;
pub mod time_range;
pub mod units;
