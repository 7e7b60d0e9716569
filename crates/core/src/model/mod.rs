//! The pure domain: durations, calendar time, time ranges, query steps, series frames and units.

pub mod civil;
pub mod duration;
pub mod frame;
pub mod markdown;
pub mod navigation;
pub mod reduce;
pub mod step;
pub mod table;
pub mod time_range;
pub mod units;
