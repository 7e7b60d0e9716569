//! Reusable components: the chart canvas, its legend, error boxes, the page header, spinners.

pub mod chart;
pub mod error_box;
pub mod header;
pub mod identity;
pub mod modal;
pub mod refresh_picker;
pub mod resize;
pub mod spinner;
pub mod time_picker;
pub mod visibility;
