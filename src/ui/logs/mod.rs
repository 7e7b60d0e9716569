//! Log lists: the virtualized list ([`list`]) and its rows ([`row`], [`details`]), the toolbar
//! ([`toolbar`]), the list with everything around it ([`view`]), the volume histogram
//! ([`volume`]), and the self-fetching [`LogsPanel`] the dashboard grid uses ([`panel`]).

pub mod details;
pub mod list;
pub mod panel;
pub mod row;
pub mod toolbar;
pub mod view;
pub mod volume;

pub use details::FilterAction;
pub use panel::LogsPanel;
pub use toolbar::LogsControls;
pub use view::LogsView;
pub use volume::{LogVolume, VolumeState};
