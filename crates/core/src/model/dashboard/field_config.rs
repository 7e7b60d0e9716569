//! `fieldConfig.defaults`: unit, decimals, min/max, thresholds, colour and line style.

use super::codec::object_model;

object_model! {
    /// A panel's `fieldConfig`. `overrides` is kept in `extra` (read by `model::field_override`).
    pub struct FieldConfig {
        child defaults: Option<FieldDefaults> = "defaults",
    }
}

object_model! {
    /// Defaults applied to every field (series) of a panel.
    pub struct FieldDefaults {
        /// A Grafana unit id: `bytes`, `percent`, `celsius`… (see `model::units`).
        field unit: Option<String> = "unit",
        field decimals: Option<u32> = "decimals",
        field min: Option<f64> = "min",
        field max: Option<f64> = "max",
        child thresholds: Option<Thresholds> = "thresholds",
        child color: Option<FieldColor> = "color",
        /// Display name template for series.
        field display_name: Option<String> = "displayName",
        /// Text shown when there is no value.
        field no_value: Option<String> = "noValue",
        /// Drawing options of time series (line width, fill, stacking).
        child custom: Option<CustomStyle> = "custom",
    }
}

object_model! {
    /// `thresholds`: colour steps, absolute or in percent of min–max.
    pub struct Thresholds {
        /// `absolute` or `percentage`.
        field mode: String = "mode",
        list steps: Vec<ThresholdStep> = "steps",
    }
}

object_model! {
    /// One threshold step; the base step has no value (`null`).
    pub struct ThresholdStep {
        field color: String = "color",
        field value: Option<f64> = "value",
    }
}

object_model! {
    /// `color`: `{mode: "palette-classic" | "thresholds" | "fixed", fixedColor}`.
    pub struct FieldColor {
        field mode: String = "mode",
        field fixed_color: Option<String> = "fixedColor",
    }
}

object_model! {
    /// `custom`: how time series are drawn.
    pub struct CustomStyle {
        /// `line`, `bars` or `points`.
        field draw_style: Option<String> = "drawStyle",
        field line_width: Option<f64> = "lineWidth",
        /// 0–100.
        field fill_opacity: Option<f64> = "fillOpacity",
        /// `auto`, `always` or `never`.
        field show_points: Option<String> = "showPoints",
        field point_size: Option<f64> = "pointSize",
        child stacking: Option<Stacking> = "stacking",
        /// `linear`, `smooth`, `stepBefore` or `stepAfter`.
        field line_interpolation: Option<String> = "lineInterpolation",
        /// `auto`, `left`, `right` or `hidden`.
        field axis_placement: Option<String> = "axisPlacement",
        /// The value axis reaches at least this low (the data may go further).
        field axis_soft_min: Option<f64> = "axisSoftMin",
        /// The value axis reaches at least this high.
        field axis_soft_max: Option<f64> = "axisSoftMax",
        /// `{type: "linear" | "log" | "symlog", log: 2 | 10}`.
        child scale_distribution: Option<ScaleDistribution> = "scaleDistribution",
    }
}

object_model! {
    /// `scaleDistribution`: how values map to heights.
    pub struct ScaleDistribution {
        /// `linear`, `log` or `symlog`.
        field kind: String = "type",
        /// The logarithm's base (2 or 10).
        field log: Option<f64> = "log",
        /// `symlog`: how far from zero the scale stays linear.
        field linear_threshold: Option<f64> = "linearThreshold",
    }
}

impl ScaleDistribution {
    /// The base a log scale is drawn with: 2, or 10 (also for a missing or other base);
    /// `None` for `linear` and `symlog`.
    #[must_use]
    pub fn log_base(&self) -> Option<u32> {
        (self.kind == "log").then(|| self.base())
    }

    /// A `symlog` scale's base (as [`ScaleDistribution::log_base`]) and linear threshold (1
    /// when missing or not positive, as Grafana's default); `None` for other scales.
    #[must_use]
    pub fn symlog(&self) -> Option<(u32, f64)> {
        let threshold = self
            .linear_threshold
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or(1.0);
        (self.kind == "symlog").then(|| (self.base(), threshold))
    }

    fn base(&self) -> u32 {
        if self.log == Some(2.0) {
            2
        } else {
            10
        }
    }
}

object_model! {
    /// `stacking`: `{mode: "none" | "normal" | "percent", group}`.
    pub struct Stacking {
        field mode: String = "mode",
        field group: Option<String> = "group",
    }
}
