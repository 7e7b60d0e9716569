//! The time-series settings of the panel editor: the line's shape
//! (`custom.lineInterpolation`) and the value scale (`custom.scaleDistribution`). A setting
//! equal to what the panel already means is left as the file writes it (or does not).

use sightline_core::model::dashboard::{
    CustomStyle, FieldConfig, FieldDefaults, Panel, ScaleDistribution,
};

/// Line shapes offered: Grafana's value and a label.
pub const LINE_SHAPES: [(&str, &str); 4] = [
    ("linear", "Linear"),
    ("smooth", "Smooth"),
    ("stepAfter", "Step after"),
    ("stepBefore", "Step before"),
];

/// Scales offered: the logarithm's base (0 for linear) and a label.
pub const SCALES: [(u32, &str); 3] = [(0, "Linear"), (2, "Log base 2"), (10, "Log base 10")];

/// What the editor changes of a time-series panel's drawing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartStyleEdit {
    /// A `lineInterpolation` value (`linear` when the file has none).
    pub line: String,
    /// The log scale's base; 0 for a linear scale.
    pub log_base: u32,
}

impl ChartStyleEdit {
    /// The settings `panel` has now.
    #[must_use]
    pub fn of(panel: &Panel) -> Self {
        let custom = panel.defaults().and_then(|d| d.custom.as_ref());
        ChartStyleEdit {
            line: custom
                .and_then(|c| c.line_interpolation.clone())
                .unwrap_or_else(|| "linear".to_owned()),
            log_base: custom
                .and_then(|c| c.scale_distribution.as_ref())
                .and_then(ScaleDistribution::log_base)
                .unwrap_or(0),
        }
    }

    /// Writes the settings that differ from what `panel` has into its `fieldConfig.defaults.custom`.
    pub fn apply(&self, panel: &mut Panel) {
        let now = Self::of(panel);
        if *self == now {
            return;
        }
        let config = panel.field_config.get_or_insert_with(FieldConfig::default);
        let defaults = config.defaults.get_or_insert_with(FieldDefaults::default);
        let custom = defaults.custom.get_or_insert_with(CustomStyle::default);
        if self.line != now.line {
            custom.line_interpolation = Some(self.line.clone());
        }
        if self.log_base != now.log_base {
            let scale = custom
                .scale_distribution
                .get_or_insert_with(ScaleDistribution::default);
            if self.log_base == 0 {
                "linear".clone_into(&mut scale.kind);
                scale.log = None;
            } else {
                "log".clone_into(&mut scale.kind);
                scale.log = Some(f64::from(self.log_base));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::model::dashboard::{load, Dashboard};

    fn dashboard(custom: &str) -> Dashboard {
        let text = format!(
            r#"{{"panels": [{{"id": 1, "type": "timeseries", "gridPos": {{"x": 0, "y": 0, "w": 12, "h": 8}},
              "fieldConfig": {{"defaults": {{"custom": {custom}}}, "overrides": []}}}}]}}"#
        );
        load(&text).dashboard.unwrap_or_default()
    }

    fn panel(custom: &str) -> Panel {
        dashboard(custom)
            .panels
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    #[test]
    fn the_form_reads_the_panel_and_writes_only_what_changed() {
        let mut p = panel(r#"{"lineWidth": 2, "scaleDistribution": {"type": "log", "log": 2}}"#);
        let start = ChartStyleEdit::of(&p);
        assert_eq!((start.line.as_str(), start.log_base), ("linear", 2));
        // Unchanged: the file keeps not naming a line shape.
        start.apply(&mut p);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(custom.line_interpolation, None);
        let edit = ChartStyleEdit {
            line: "stepAfter".into(),
            log_base: 0,
        };
        edit.apply(&mut p);
        assert_eq!(ChartStyleEdit::of(&p), edit);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(custom.line_width, Some(2.0), "other settings stay");
        let scale = custom.scale_distribution.unwrap_or_default();
        assert_eq!((scale.kind.as_str(), scale.log), ("linear", None));
    }

    #[test]
    fn a_panel_without_custom_settings_gains_a_log_scale() {
        let mut d = dashboard("{}");
        if let Some(p) = d.panels.first_mut() {
            ChartStyleEdit {
                line: "linear".into(),
                log_base: 10,
            }
            .apply(p);
        }
        let saved: serde_json::Value =
            serde_json::from_str(&d.to_json_pretty()).unwrap_or_default();
        let custom = &saved["panels"][0]["fieldConfig"]["defaults"]["custom"];
        assert_eq!(
            custom["scaleDistribution"],
            serde_json::json!({"type": "log", "log": 10})
        );
        assert!(custom.get("lineInterpolation").is_none(), "{custom}");
    }
}
