//! A logs panel's display options, read from Grafana's panel `options` with Grafana's defaults
//! (except that the time column shows unless `showTime` is `false`: a log line without its time is
//! rarely useful).

use super::dedup::DedupStrategy;
use super::rows::SortOrder;
use crate::model::dashboard::PanelOptions;

/// How a log list shows its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LogsOptions {
    /// `showTime`: the timestamp column.
    pub show_time: bool,
    /// `wrapLogMessage`: long lines wrap instead of scrolling sideways.
    pub wrap: bool,
    /// `prettifyLogMessage`: JSON lines are shown pretty-printed when expanded.
    pub prettify: bool,
    /// `enableLogDetails`: rows expand to show labels and fields.
    pub details: bool,
    pub dedup: DedupStrategy,
    pub order: SortOrder,
}

impl Default for LogsOptions {
    fn default() -> Self {
        LogsOptions {
            show_time: true,
            wrap: false,
            prettify: false,
            details: true,
            dedup: DedupStrategy::None,
            order: SortOrder::NewestFirst,
        }
    }
}

impl LogsOptions {
    /// The options a dashboard's logs panel asks for; missing or unknown values take Grafana's
    /// defaults.
    #[must_use]
    pub fn from_panel(options: Option<&PanelOptions>) -> Self {
        let defaults = LogsOptions::default();
        let Some(options) = options else {
            return defaults;
        };
        LogsOptions {
            show_time: options.show_time.unwrap_or(defaults.show_time),
            wrap: options.wrap_log_message.unwrap_or(defaults.wrap),
            prettify: options.prettify_log_message.unwrap_or(defaults.prettify),
            details: options.enable_log_details.unwrap_or(defaults.details),
            dedup: options
                .dedup_strategy
                .as_deref()
                .and_then(DedupStrategy::parse)
                .unwrap_or(defaults.dedup),
            order: options
                .sort_order
                .as_deref()
                .and_then(SortOrder::parse)
                .unwrap_or(defaults.order),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::dashboard::load;

    #[test]
    fn panel_options_map_to_log_list_options() {
        let text = r#"{"title":"t","panels":[{"type":"logs","gridPos":{"x":0,"y":0,"w":24,"h":8},
            "options":{"showTime":false,"wrapLogMessage":true,"prettifyLogMessage":false,
            "enableLogDetails":false,"dedupStrategy":"signature","sortOrder":"Ascending"}}]}"#;
        let dashboard = load(text).dashboard.unwrap();
        let options = LogsOptions::from_panel(dashboard.panels[0].options.as_ref());
        assert_eq!(
            options,
            LogsOptions {
                show_time: false,
                wrap: true,
                prettify: false,
                details: false,
                dedup: DedupStrategy::Signature,
                order: SortOrder::OldestFirst,
            }
        );
    }

    #[test]
    fn missing_options_take_grafanas_defaults() {
        assert_eq!(
            LogsOptions::from_panel(Some(&PanelOptions::default())),
            LogsOptions::default()
        );
        assert_eq!(LogsOptions::from_panel(None), LogsOptions::default());
    }
}
