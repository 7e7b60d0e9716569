//! Log lists, pure: rows in exact nanosecond order with their detected level, fields of JSON
//! and logfmt lines, de-duplication, search, the details of an expanded row, the volume
//! histogram, the geometry of a virtualized list, rows followed from one answer to the next,
//! display options and audit-log helpers.
//!
//! The browser's log list (`src/ui/logs/`) draws what these functions compute.

pub mod audit;
pub mod dedup;
pub mod details;
pub mod fields;
pub mod follow;
pub mod heights;
pub mod level;
pub mod options;
pub mod rows;
pub mod search;
pub mod time_format;
pub mod volume;

pub use dedup::{DedupStrategy, Folded};
pub use details::{row_details, DetailField, FieldOrigin};
pub use level::{detect_level, LogLevel};
pub use options::LogsOptions;
pub use rows::{build_rows, LogRow, RowInput, SortOrder};
pub use search::{view_rows, RowView, ViewFilter};
