//! From a panel's settings (`fieldConfig`, `options`) to what the panel components draw: value
//! display (unit, decimals, min/max, thresholds, colours), chart styling, legend and reduction.

use std::sync::Arc;

use sightline_core::model::dashboard::{FieldDefaults, Panel};
use sightline_core::model::reduce::Reducer;
use sightline_core::model::stack::{stack, StackMode};
use sightline_core::model::units::Unit;
use sightline_core::model::value_mapping::parse_mappings;
use sightline_core::render::palette::Rgb;
use sightline_core::render::thresholds::{grafana_default, ThresholdScale};
use sightline_core::render::timeseries::DrawStyle;

use crate::state::dashboard::panel_data::PanelResult;
use crate::ui::components::chart::{ChartInput, LegendMode};
use crate::ui::panels::{ColorMode, FieldDisplay, PanelFrame};

/// The panel's value display.
#[must_use]
pub fn field_display(panel: &Panel) -> FieldDisplay {
    let Some(d) = panel.defaults() else {
        return FieldDisplay::default();
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
        color: color_mode(d),
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
    }
}

fn thresholds(d: &FieldDefaults) -> ThresholdScale {
    match &d.thresholds {
        Some(t) if !t.steps.is_empty() => {
            let steps: Vec<(Option<f64>, &str)> = t
                .steps
                .iter()
                .map(|s| (s.value, s.color.as_str()))
                .collect();
            ThresholdScale::from_steps(&t.mode, &steps)
        }
        _ => grafana_default(),
    }
}

fn color_mode(d: &FieldDefaults) -> ColorMode {
    match d
        .color
        .as_ref()
        .map(|c| (c.mode.as_str(), c.fixed_color.as_deref()))
    {
        Some(("fixed" | "shades", Some(fixed))) => {
            Rgb::parse(fixed).map_or(ColorMode::Thresholds, ColorMode::Fixed)
        }
        Some(("palette-classic" | "palette-classic-by-name", _)) => ColorMode::Palette,
        _ => ColorMode::Thresholds,
    }
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
pub fn frame(result: &PanelResult) -> PanelFrame {
    PanelFrame {
        series: Arc::new(result.series.clone()),
        names: result.names.clone(),
        range: result.range,
    }
}

/// The chart of a time-series panel.
#[must_use]
pub fn chart_input(panel: &Panel, result: &PanelResult, utc_offset_minutes: i32) -> ChartInput {
    let display = field_display(panel);
    let custom = panel.defaults().and_then(|d| d.custom.as_ref());
    let style = match custom.and_then(|c| c.draw_style.as_deref()) {
        Some("bars") => DrawStyle::Bars,
        Some("points") => DrawStyle::Points,
        _ => DrawStyle::Lines,
    };
    let stacking = custom
        .and_then(|c| c.stacking.as_ref())
        .and_then(|s| match s.mode.as_str() {
            "normal" => Some(StackMode::Normal),
            "percent" => Some(StackMode::Percent),
            _ => None,
        });
    let series = match stacking {
        Some(mode) => stack(&result.series, mode),
        None => result.series.clone(),
    };
    let fixed_color = match display.color {
        ColorMode::Fixed(rgb) => Some(rgb),
        _ => None,
    };
    // `custom.thresholdsStyle.mode`: `off`, `line`, `dashed`, `area`, `line+area`…
    let threshold_style: Option<String> = custom
        .and_then(|c| c.extra.get("thresholdsStyle"))
        .and_then(|t| t.get("mode"))
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    let (min, max) = (display.min.unwrap_or(0.0), display.max.unwrap_or(100.0));
    #[allow(clippy::cast_possible_wrap)]
    let gap = (result.step.as_millis() as i64).saturating_mul(3) / 2;
    ChartInput {
        series: Arc::new(series),
        names: result.names.clone(),
        colors: result.series.iter().map(|_| fixed_color).collect(),
        range: result.range,
        unit: display.unit.clone(),
        decimals: display.decimals,
        fixed_min: display.min,
        fixed_max: display.max,
        thresholds: match threshold_style.as_deref() {
            Some("line" | "dashed" | "line+area" | "area" | "dashed+area") => {
                display.thresholds.lines(min, max)
            }
            _ => Vec::new(),
        },
        threshold_areas: matches!(
            threshold_style.as_deref(),
            Some("area" | "line+area" | "dashed+area")
        ),
        style,
        fill_opacity: custom
            .and_then(|c| c.fill_opacity)
            .map_or(0.0, |f| (f / 100.0).clamp(0.0, 1.0)),
        line_width: custom
            .and_then(|c| c.line_width)
            .map_or(1.0, |w| w.clamp(0.5, 10.0)),
        gap_ms: (gap > 0).then_some(gap),
        utc_offset_minutes: Some(utc_offset_minutes),
        stacked: stacking.is_some(),
    }
}
