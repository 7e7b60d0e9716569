//! The pure domain: durations, calendar time, time ranges, query steps, series frames and units.

pub mod civil;
pub mod csv;
pub mod dashboard;
pub mod duration;
pub mod field_override;
pub mod frame;
pub mod heatmap;
pub mod interpolate;
pub mod logs;
pub mod markdown;
pub mod navigation;
pub mod query_lang;
pub mod reduce;
pub mod refresh;
pub mod stack;
pub mod step;
pub mod table;
pub mod table_transform;
pub mod time_expr;
pub mod time_override;
pub mod time_range;
pub mod timezone;
pub mod units;
pub mod url_state;
pub mod value_mapping;
pub mod variables;
