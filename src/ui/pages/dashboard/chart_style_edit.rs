//! The time-series settings of the panel editor: the line's shape
//! (`custom.lineInterpolation`), the value scale (`custom.scaleDistribution`), the line width,
//! the fill under the line and the dots at the samples (`lineWidth`, `fillOpacity`,
//! `showPoints`). A setting equal to what the panel already means is left as the file writes it
//! (or does not); a number that does not parse leaves the setting as it was.

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

/// Dots at the samples offered: Grafana's `showPoints` value and a label.
pub const POINTS: [(&str, &str); 3] = [
    ("auto", "When sparse"),
    ("always", "Always"),
    ("never", "Never"),
];

/// The widest line the editor accepts, in CSS pixels (Grafana's slider stops at 10).
pub const MAX_LINE_WIDTH: f64 = 10.0;

/// What the editor changes of a time-series panel's drawing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartStyleEdit {
    /// A `lineInterpolation` value (`linear` when the file has none).
    pub line: String,
    /// One of the [`SCALES`] values.
    pub scale: String,
    /// `lineWidth` as typed (Grafana's default 1 when the file has none).
    pub line_width: String,
    /// `fillOpacity` as typed, 0–100 (Grafana's default 0).
    pub fill_opacity: String,
    /// One of the [`POINTS`] values (Grafana's default `auto`).
    pub points: String,
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
            line_width: number_text(custom.and_then(|c| c.line_width).unwrap_or(1.0)),
            fill_opacity: number_text(custom.and_then(|c| c.fill_opacity).unwrap_or(0.0)),
            points: custom
                .and_then(|c| c.show_points.clone())
                .unwrap_or_else(|| "auto".to_owned()),
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
        if self.line_width != now.line_width {
            if let Some(width) = number_within(&self.line_width, MAX_LINE_WIDTH) {
                custom.line_width = Some(width);
            }
        }
        if self.fill_opacity != now.fill_opacity {
            if let Some(opacity) = number_within(&self.fill_opacity, 100.0) {
                custom.fill_opacity = Some(opacity);
            }
        }
        if self.points != now.points {
            custom.show_points = Some(self.points.clone());
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

/// `value` as the form shows it: `2`, `0.5`.
fn number_text(value: f64) -> String {
    let text = format!("{value}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// The number typed in `text` when it lies in `0..=max`.
fn number_within(text: &str, max: f64) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=max).contains(v))
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
            ..start.clone()
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
                scale: "log10".into(),
                ..ChartStyleEdit::of(p)
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
                scale: scale.into(),
                ..ChartStyleEdit::of(p)
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

    #[test]
    fn width_fill_and_dots_are_read_with_grafanas_defaults_and_written_when_valid() {
        let mut p = panel(r#"{"lineWidth": 2}"#);
        let start = ChartStyleEdit::of(&p);
        assert_eq!(
            (
                start.line_width.as_str(),
                start.fill_opacity.as_str(),
                start.points.as_str()
            ),
            ("2", "0", "auto")
        );
        start.apply(&mut p);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(
            (custom.fill_opacity, custom.show_points),
            (None, None),
            "unchanged"
        );
        ChartStyleEdit {
            line_width: "0.5".into(),
            fill_opacity: "25".into(),
            points: "always".into(),
            ..start.clone()
        }
        .apply(&mut p);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(custom.line_width, Some(0.5));
        assert_eq!(custom.fill_opacity, Some(25.0));
        assert_eq!(custom.show_points.as_deref(), Some("always"));
        // Out of range or not a number: the setting stays as it was.
        ChartStyleEdit {
            line_width: "11".into(),
            fill_opacity: "lots".into(),
            ..ChartStyleEdit::of(&p)
        }
        .apply(&mut p);
        let custom = p
            .defaults()
            .and_then(|d| d.custom.clone())
            .unwrap_or_default();
        assert_eq!(
            (custom.line_width, custom.fill_opacity),
            (Some(0.5), Some(25.0))
        );
    }
}
