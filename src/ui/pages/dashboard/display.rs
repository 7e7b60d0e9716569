//! From a panel's settings (`fieldConfig`, `options`) to what the panel components draw: value
//! display (unit, decimals, min/max, thresholds, colours), legend and reduction. The
//! time-series chart's own settings are in [`super::chart_display`].

use std::sync::Arc;

use sightline_core::model::dashboard::{FieldDefaults, Panel};
use sightline_core::model::field_override::{parse_overrides, properties_for, FieldOverride};
use sightline_core::model::reduce::Reducer;
use sightline_core::model::units::Unit;
use sightline_core::model::value_mapping::parse_mappings;
use sightline_core::render::thresholds::{grafana_default, ThresholdScale};

use crate::state::dashboard::panel_data::PanelResult;
use crate::ui::components::chart::LegendMode;
use crate::ui::panels::{color_mode, threshold_scale, ColorMode, FieldDisplay, PanelFrame};

/// The panel's value display.
#[must_use]
pub fn field_display(panel: &Panel) -> FieldDisplay {
    let overrides = Arc::new(overrides(panel));
    let Some(d) = panel.defaults() else {
        return FieldDisplay {
            overrides,
            ..FieldDisplay::default()
        };
    };
    FieldDisplay {
        unit: d.unit.as_deref().map_or(Unit::Short, Unit::parse),
        decimals: d
            .decimals
            .and_then(|v| usize::try_from(v).ok())
            .map(|v| v.min(12)),
        min: d.min.filter(|v| v.is_finite()),
        max: d.max.filter(|v| v.is_finite()),
        thresholds: thresholds(d),
        color: color_of(d),
        no_value: d
            .no_value
            .clone()
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "No data".to_owned()),
        mappings: Arc::new(
            d.extra
                .get("mappings")
                .map(parse_mappings)
                .unwrap_or_default(),
        ),
        overrides,
    }
}

/// The panel's `fieldConfig.overrides` that can be applied.
pub(super) fn overrides(panel: &Panel) -> Vec<FieldOverride> {
    panel
        .field_config
        .as_ref()
        .and_then(|c| c.extra.get("overrides"))
        .map(parse_overrides)
        .unwrap_or_default()
}

/// The value of override property `id` for series `index` of `result`, the last that applies.
pub(super) fn property<'a>(
    overrides: &'a [FieldOverride],
    result: &'a PanelResult,
    index: usize,
    id: &str,
) -> Option<&'a serde_json::Value> {
    let name = result.names.get(index).map_or("", String::as_str);
    let ref_id = result.ref_ids.get(index).map_or("", String::as_str);
    properties_for(overrides, name, ref_id)
        .filter(|(property, _)| *property == id)
        .last()
        .map(|(_, value)| value)
}

/// The names series are shown under: a `displayName` override's text (with
/// `${__field.labels.x}` and `${__series.name}` filled in), else the query's legend name.
#[must_use]
pub fn display_names(overrides: &[FieldOverride], result: &PanelResult) -> Vec<String> {
    const LABEL: &str = "${__field.labels.";
    (0..result.names.len())
        .map(|i| {
            let original = &result.names[i];
            let Some(template) =
                property(overrides, result, i, "displayName").and_then(|v| v.as_str())
            else {
                return original.clone();
            };
            let mut legend = template
                .replace("${__series.name}", original)
                .replace("${__field.name}", original);
            while let Some(start) = legend.find(LABEL) {
                let rest = &legend[start + LABEL.len()..];
                let Some(end) = rest.find('}') else { break };
                let label = rest[..end].to_owned();
                legend.replace_range(
                    start..start + LABEL.len() + end + 1,
                    &format!("{{{{{label}}}}}"),
                );
            }
            result
                .series
                .get(i)
                .map_or(legend.clone(), |s| s.labels.format_legend(&legend))
        })
        .collect()
}

fn thresholds(d: &FieldDefaults) -> ThresholdScale {
    match &d.thresholds {
        Some(t) => {
            let steps: Vec<(Option<f64>, &str)> = t
                .steps
                .iter()
                .map(|s| (s.value, s.color.as_str()))
                .collect();
            threshold_scale(&t.mode, &steps)
        }
        None => grafana_default(),
    }
}

fn color_of(d: &FieldDefaults) -> ColorMode {
    d.color.as_ref().map_or(ColorMode::Thresholds, |c| {
        color_mode(&c.mode, c.fixed_color.as_deref())
    })
}

/// The first calculation of `reduceOptions.calcs` (Grafana's default: last non-null).
#[must_use]
pub fn reducer(panel: &Panel) -> Reducer {
    panel
        .options
        .as_ref()
        .and_then(|o| o.reduce_options.as_ref())
        .and_then(|r| r.calcs.first())
        .and_then(|c| c.parse().ok())
        .unwrap_or(Reducer::LastNotNull)
}

/// The legend as the panel asks for it.
#[must_use]
pub fn legend_mode(panel: &Panel) -> LegendMode {
    let Some(legend) = panel.options.as_ref().and_then(|o| o.legend.as_ref()) else {
        return LegendMode::List;
    };
    if legend.show_legend == Some(false) || legend.display_mode.as_deref() == Some("hidden") {
        return LegendMode::Hidden;
    }
    let calcs: Vec<Reducer> = legend.calcs.iter().filter_map(|c| c.parse().ok()).collect();
    match legend.display_mode.as_deref() {
        Some("table") => LegendMode::Table(if calcs.is_empty() {
            vec![Reducer::LastNotNull]
        } else {
            calcs
        }),
        _ if !calcs.is_empty() => LegendMode::Table(calcs),
        _ => LegendMode::List,
    }
}

/// True when the legend goes to the right of the plot.
#[must_use]
pub fn legend_on_the_right(panel: &Panel) -> bool {
    panel
        .options
        .as_ref()
        .and_then(|o| o.legend.as_ref())
        .and_then(|l| l.placement.as_deref())
        == Some("right")
}

/// The frame stat, gauge, bar gauge and table panels draw.
#[must_use]
pub fn frame(panel: &Panel, result: &PanelResult) -> PanelFrame {
    PanelFrame {
        series: Arc::clone(&result.series),
        names: display_names(&overrides(panel), result),
        keys: Arc::new(
            result
                .names
                .iter()
                .cloned()
                .zip(
                    result
                        .ref_ids
                        .iter()
                        .cloned()
                        .chain(std::iter::repeat(String::new())),
                )
                .collect(),
        ),
        range: result.range,
    }
}

/// Panels and answers the tests of this module and of [`super::chart_display`] share.
#[cfg(test)]
pub(super) mod fixtures {
    use std::sync::Arc;

    use sightline_core::model::dashboard::{load, Panel};
    use sightline_core::model::frame::{Labels, Series};

    use crate::state::dashboard::panel_data::PanelResult;

    /// The first panel of the dashboard file `text`.
    pub fn first_panel(text: &str) -> Panel {
        load(text)
            .dashboard
            .and_then(|d| d.panels.into_iter().next())
            .unwrap_or_default()
    }

    pub fn panel(kind: &str) -> Panel {
        let text = format!(
            r#"{{"panels": [{{"id": 1, "type": "{kind}", "gridPos": {{"x": 0, "y": 0, "w": 12, "h": 8}},
              "fieldConfig": {{"defaults": {{"unit": "percent"}}, "overrides": [
                {{"matcher": {{"id": "byName", "options": "GPU 0"}}, "properties": [
                  {{"id": "color", "value": {{"mode": "fixed", "fixedColor": "red"}}}},
                  {{"id": "displayName", "value": "First ${{__field.labels.gpu}} on ${{__field.labels.node}}"}},
                  {{"id": "unit", "value": "watt"}}]}},
                {{"matcher": {{"id": "byFrameRefID", "options": "B"}}, "properties": [
                  {{"id": "custom.hideFrom", "value": {{"viz": true, "legend": true, "tooltip": true}}}}]}}]}}}}]}}"#
        );
        first_panel(&text)
    }

    pub fn result() -> PanelResult {
        let series = |gpu: &str| Series {
            labels: Labels::new(vec![
                ("gpu".to_owned(), gpu.to_owned()),
                ("node".to_owned(), "n1".to_owned()),
            ]),
            times_ms: vec![0, 1000],
            values: vec![1.0, 2.0],
        };
        PanelResult {
            series: Arc::new(vec![series("0"), series("1"), series("9")]),
            names: vec!["GPU 0".into(), "GPU 1".into(), "total".into()],
            ref_ids: vec!["A".into(), "A".into(), "B".into()],
            ..PanelResult::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use sightline_core::render::palette::Rgb;

    use super::fixtures::{panel, result};
    use super::*;

    #[test]
    fn overrides_give_a_series_its_own_unit_and_colour_in_stats() {
        let panel = panel("stat");
        let frame = frame(&panel, &result());
        assert_eq!(frame.names[0], "First 0 on n1");
        let display = field_display(&panel);
        let first = display.for_series(&frame, 0);
        assert_eq!(first.format(Some(250.0)), "250 W");
        assert_eq!(Some(first.color(Some(1.0), 0, 0.0, 1.0)), Rgb::parse("red"));
        assert_eq!(display.for_series(&frame, 1).format(Some(50.0)), "50%");
    }
}
