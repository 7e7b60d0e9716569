//! Panel bodies: time series, table, stat, gauge, bar gauge, pie chart, heatmap and text. Each draws a
//! [`PanelFrame`] (the panel's data plus how to display its values); fetching lives elsewhere.

pub mod bargauge;
pub mod gauge;
pub mod heatmap;
pub mod markdown;
pub mod pie;
pub mod stat;
pub mod table;

use std::sync::Arc;

use serde_json::Value;
use sightline_core::model::field_override::{properties_for, FieldOverride};
use sightline_core::model::frame::Series;
use sightline_core::model::reduce::Reducer;
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::units::{format_value, Unit};
use sightline_core::model::value_mapping::{
    map_value, parse_mappings, Mapped, MappingResult, ValueMapping,
};
use sightline_core::render::palette::{series_color, Rgb};
use sightline_core::render::thresholds::{grafana_default, ThresholdScale};

/// How values are coloured.
#[derive(Debug, Clone, PartialEq)]
pub enum ColorMode {
    /// By threshold step (Grafana's default for stat and gauge).
    Thresholds,
    /// The series' palette colour.
    Palette,
    Fixed(Rgb),
}

/// How a panel shows values: Grafana's `fieldConfig.defaults`, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDisplay {
    pub unit: Unit,
    pub decimals: Option<usize>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub thresholds: ThresholdScale,
    pub color: ColorMode,
    /// Shown when there is no value.
    pub no_value: String,
    /// Values shown as words and colours (`1` → "Up" in green), tried in order.
    pub mappings: Arc<Vec<ValueMapping>>,
    /// Settings for some series only (`fieldConfig.overrides`), applied by [`Self::for_series`].
    pub overrides: Arc<Vec<FieldOverride>>,
}

impl Default for FieldDisplay {
    fn default() -> Self {
        FieldDisplay {
            unit: Unit::Short,
            decimals: None,
            min: None,
            max: None,
            thresholds: grafana_default(),
            color: ColorMode::Thresholds,
            no_value: "No data".to_owned(),
            mappings: Arc::default(),
            overrides: Arc::default(),
        }
    }
}

/// A colour mode from Grafana's `color` (`{mode, fixedColor}`).
#[must_use]
pub fn color_mode(mode: &str, fixed: Option<&str>) -> ColorMode {
    match (mode, fixed) {
        ("fixed" | "shades", Some(fixed)) => {
            Rgb::parse(fixed).map_or(ColorMode::Thresholds, ColorMode::Fixed)
        }
        ("palette-classic" | "palette-classic-by-name", _) => ColorMode::Palette,
        _ => ColorMode::Thresholds,
    }
}

/// A threshold scale from Grafana's `thresholds` (`{mode, steps: [{color, value}]}`).
#[must_use]
pub fn threshold_scale(mode: &str, steps: &[(Option<f64>, &str)]) -> ThresholdScale {
    if steps.is_empty() {
        grafana_default()
    } else {
        ThresholdScale::from_steps(mode, steps)
    }
}

impl FieldDisplay {
    /// The display of series `index` of `frame`: the overrides that match it applied in order.
    #[must_use]
    pub fn for_series(&self, frame: &PanelFrame, index: usize) -> FieldDisplay {
        let mut display = self.clone();
        if self.overrides.is_empty() {
            return display;
        }
        let (name, ref_id) = frame
            .keys
            .get(index)
            .map_or(("", ""), |(n, r)| (n.as_str(), r.as_str()));
        for (id, value) in properties_for(&self.overrides, name, ref_id) {
            display.apply_property(id, value);
        }
        display
    }

    /// Applies one override property; values of the wrong shape are ignored.
    fn apply_property(&mut self, id: &str, value: &Value) {
        match id {
            "unit" => {
                if let Some(unit) = value.as_str() {
                    self.unit = Unit::parse(unit);
                }
            }
            "decimals" => {
                self.decimals = value
                    .as_u64()
                    .and_then(|d| usize::try_from(d).ok())
                    .map(|d| d.min(12));
            }
            "min" => self.min = value.as_f64().filter(|v| v.is_finite()),
            "max" => self.max = value.as_f64().filter(|v| v.is_finite()),
            "noValue" => {
                if let Some(text) = value.as_str().filter(|t| !t.is_empty()) {
                    text.clone_into(&mut self.no_value);
                }
            }
            "mappings" => self.mappings = Arc::new(parse_mappings(value)),
            "color" => {
                let mode = value
                    .get("mode")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let fixed = value.get("fixedColor").and_then(Value::as_str);
                self.color = color_mode(mode, fixed);
            }
            "thresholds" => {
                let mode = value
                    .get("mode")
                    .and_then(Value::as_str)
                    .unwrap_or("absolute");
                let steps: Vec<(Option<f64>, &str)> = value
                    .get("steps")
                    .and_then(Value::as_array)
                    .map(|steps| {
                        steps
                            .iter()
                            .filter_map(|s| {
                                Some((
                                    s.get("value").and_then(Value::as_f64),
                                    s.get("color")?.as_str()?,
                                ))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                self.thresholds = threshold_scale(mode, &steps);
            }
            _ => {}
        }
    }

    /// What a value mapping says about `value`, if one matches.
    #[must_use]
    pub fn mapped(&self, value: Mapped<'_>) -> Option<MappingResult> {
        if self.mappings.is_empty() {
            return None;
        }
        map_value(&self.mappings, value)
    }

    /// `value` as its mapping's text, else formatted with the unit and decimals, or the
    /// "no value" text.
    #[must_use]
    pub fn format(&self, value: Option<f64>) -> String {
        if let Some(text) = self.mapped(Mapped::Number(value)).and_then(|m| m.text) {
            return text;
        }
        match value {
            Some(v) => format_value(v, &self.unit, self.decimals),
            None => self.no_value.clone(),
        }
    }

    /// The colour of `value` for series `index`, given the range the panel shows: its
    /// mapping's colour, else by the colour mode.
    #[must_use]
    pub fn color(&self, value: Option<f64>, index: usize, min: f64, max: f64) -> Rgb {
        let mapped = self
            .mapped(Mapped::Number(value))
            .and_then(|m| m.color)
            .and_then(|c| Rgb::parse(&c));
        if let Some(rgb) = mapped {
            return rgb;
        }
        match &self.color {
            ColorMode::Thresholds => self
                .thresholds
                .color_for(value.unwrap_or(f64::NAN), min, max),
            ColorMode::Palette => series_color(index),
            ColorMode::Fixed(rgb) => *rgb,
        }
    }
}

/// A panel's data: named series over a range.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelFrame {
    pub series: Arc<Vec<Series>>,
    /// The names shown (after `displayName` overrides).
    pub names: Vec<String>,
    /// Each series' name before overrides and its query's `refId`: what overrides match.
    pub keys: Arc<Vec<(String, String)>>,
    pub range: TimeRange,
}

/// One reduced value per series, with the min/max a gauge or bar spans.
#[derive(Debug, Clone, PartialEq)]
pub struct ReducedValue {
    pub index: usize,
    pub name: String,
    pub value: Option<f64>,
}

impl PanelFrame {
    /// Each series reduced with `reducer`.
    #[must_use]
    pub fn reduce(&self, reducer: Reducer) -> Vec<ReducedValue> {
        self.series
            .iter()
            .enumerate()
            .map(|(index, s)| ReducedValue {
                index,
                name: self.names.get(index).cloned().unwrap_or_default(),
                value: reducer.apply(&s.values),
            })
            .collect()
    }
}

/// The span a gauge or bar covers: the configured min/max, else 0 to the largest value (or 100
/// for percentages).
#[must_use]
pub fn value_span(display: &FieldDisplay, values: &[ReducedValue]) -> (f64, f64) {
    let finite: Vec<f64> = values
        .iter()
        .filter_map(|v| v.value)
        .filter(|v| v.is_finite())
        .collect();
    let data_max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let data_min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let min = display.min.unwrap_or(if data_min.is_finite() {
        data_min.min(0.0)
    } else {
        0.0
    });
    let max = display.max.unwrap_or(match display.unit {
        Unit::Percent => 100.0,
        Unit::PercentUnit => 1.0,
        _ if data_max.is_finite() && data_max > min => data_max,
        _ => min + 1.0,
    });
    (min, max)
}
