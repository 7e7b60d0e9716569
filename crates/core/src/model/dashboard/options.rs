//! Panel `options` that Sightline renders: legend, tooltip, reduce (stat, gauge, bar gauge),
//! logs and text. Options of other panel types stay in `extra`.

use super::codec::object_model;

object_model! {
    /// A panel's `options`.
    pub struct PanelOptions {
        child legend: Option<LegendOptions> = "legend",
        child tooltip: Option<TooltipOptions> = "tooltip",
        /// Stat, gauge, bar gauge: how series are reduced to one value.
        child reduce_options: Option<ReduceOptions> = "reduceOptions",
        /// Stat, gauge, bar gauge: `auto`, `horizontal`, `vertical`.
        field orientation: Option<String> = "orientation",
        /// Stat: `value`, `background`, `none`.
        field color_mode: Option<String> = "colorMode",
        /// Stat: `area` or `none` (sparkline).
        field graph_mode: Option<String> = "graphMode",
        /// Gauge.
        field show_threshold_markers: Option<bool> = "showThresholdMarkers",
        /// Logs: show the timestamp column.
        field show_time: Option<bool> = "showTime",
        /// Logs: show each line's unique labels.
        field show_labels: Option<bool> = "showLabels",
        field show_common_labels: Option<bool> = "showCommonLabels",
        field wrap_log_message: Option<bool> = "wrapLogMessage",
        field prettify_log_message: Option<bool> = "prettifyLogMessage",
        field enable_log_details: Option<bool> = "enableLogDetails",
        /// Logs: `none`, `exact`, `numbers`, `signature`.
        field dedup_strategy: Option<String> = "dedupStrategy",
        /// Logs: `Descending` or `Ascending`.
        field sort_order: Option<String> = "sortOrder",
        /// Text: the text, as markdown or plain text.
        field content: Option<String> = "content",
        /// Text: `markdown`, `html` (shown as plain text) or `code`.
        field mode: Option<String> = "mode",
    }
}

object_model! {
    /// `legend`: where and how series names and their calculations are listed.
    pub struct LegendOptions {
        field show_legend: Option<bool> = "showLegend",
        /// `list`, `table` or `hidden`.
        field display_mode: Option<String> = "displayMode",
        /// `bottom` or `right`.
        field placement: Option<String> = "placement",
        /// Calculations shown per series: `mean`, `lastNotNull`, `max`, `min`, `sum`…
        field calcs: Vec<String> = "calcs",
    }
}

object_model! {
    /// `tooltip`: `mode` (`single`, `multi`, `none`) and `sort` (`none`, `asc`, `desc`).
    pub struct TooltipOptions {
        field mode: Option<String> = "mode",
        field sort: Option<String> = "sort",
    }
}

object_model! {
    /// `reduceOptions`: `calcs` (one of `lastNotNull`, `mean`, `max`…), `fields` (a regex or
    /// empty for numeric fields), `values` (show every row instead of reducing).
    pub struct ReduceOptions {
        field calcs: Vec<String> = "calcs",
        field fields: Option<String> = "fields",
        field values: Option<bool> = "values",
        field limit: Option<u32> = "limit",
    }
}
