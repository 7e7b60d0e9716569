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

/// Scales offered: the form's value and a label.
pub const SCALES: [(&str, &str); 4] = [
    ("linear", "Linear"),
    ("log2", "Log base 2"),
    ("log10", "Log base 10"),
    ("symlog", "Symmetric log"),
];

/// What the editor changes of a time-series panel's drawing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartStyleEdit {
    /// A `lineInterpolation` value (`linear` when the file has none).
    pub line: String,
    /// One of the [`SCALES`] values.
    pub scale: String,
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
            scale: scale_choice(custom.and_then(|c| c.scale_distribution.as_ref())).to_owned(),
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
        if self.scale != now.scale {
            let scale = custom
                .scale_distribution
                .get_or_insert_with(ScaleDistribution::default);
            let (kind, log) = match self.scale.as_str() {
                "log2" => ("log", Some(2.0)),
                "log10" => ("log", Some(10.0)),
                // The base the file had, else 10; its `linearThreshold` stays.
                "symlog" => ("symlog", Some(scale.log.unwrap_or(10.0))),
                _ => ("linear", None),
            };
            kind.clone_into(&mut scale.kind);
            scale.log = log;
        }
    }
}

/// The [`SCALES`] value a panel's `scaleDistribution` is shown as.
fn scale_choice(distribution: Option<&ScaleDistribution>) -> &'static str {
    match distribution {
        Some(d) if d.symlog().is_some() => "symlog",
        Some(d) => match d.log_base() {
            Some(2) => "log2",
            Some(_) => "log10",
            None => "linear",
        },
        None => "linear",
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
        assert_eq!(
            (start.line.as_str(), start.scale.as_str()),
            ("linear", "log2")
        );
        // Unchanged: the file keeps not naming a line shape.
        start.apply(&mut p);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(custom.line_interpolation, None);
        let edit = ChartStyleEdit {
            line: "stepAfter".into(),
            scale: "linear".into(),
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
                scale: "log10".into(),
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

    #[test]
    fn a_symmetric_log_scale_is_shown_and_written_with_its_threshold_kept() {
        let mut p =
            panel(r#"{"scaleDistribution": {"type": "symlog", "log": 2, "linearThreshold": 8}}"#);
        assert_eq!(ChartStyleEdit::of(&p).scale, "symlog");
        let to = |scale: &str, p: &mut Panel| {
            ChartStyleEdit {
                line: "linear".into(),
                scale: scale.into(),
            }
            .apply(p);
            p.defaults()
                .and_then(|d| d.custom.clone())
                .and_then(|c| c.scale_distribution)
                .unwrap_or_default()
        };
        let log = to("log10", &mut p);
        assert_eq!((log.kind.as_str(), log.log), ("log", Some(10.0)));
        let symlog = to("symlog", &mut p);
        assert_eq!(
            (symlog.kind.as_str(), symlog.log, symlog.linear_threshold),
            ("symlog", Some(10.0), Some(8.0))
        );
    }
}
