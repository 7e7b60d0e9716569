//! A time-series panel's chart settings, from `fieldConfig` (defaults and per-series overrides)
//! and `options` to the [`ChartInput`] the chart draws: names, colours, axes, scales, line
//! shapes, widths, fills, dashes, dots, stacking and gaps.

use std::sync::Arc;

use sightline_core::model::dashboard::{Panel, ScaleDistribution};
use sightline_core::model::frame::Series;
use sightline_core::model::stack::{stack, StackMode};
use sightline_core::model::units::Unit;
use sightline_core::render::decimate::Scale;
use sightline_core::render::timeseries::{
    AxisSide, Dash, DrawStyle, LineInterpolation, ShowPoints,
};

use super::display::{display_names, field_display, overrides, property};
use crate::state::dashboard::panel_data::PanelResult;
use crate::ui::components::chart::{ChartInput, SeriesLook};
use crate::ui::panels::{color_mode, ColorMode};

/// The chart of a time-series panel.
#[must_use]
pub fn chart_input(panel: &Panel, result: &PanelResult, utc_offset_minutes: i32) -> ChartInput {
    let display = field_display(panel);
    let custom = panel.defaults().and_then(|d| d.custom.as_ref());
    let style = draw_style(custom.and_then(|c| c.draw_style.as_deref()));
    let stacking = custom
        .and_then(|c| c.stacking.as_ref())
        .and_then(|s| match s.mode.as_str() {
            "normal" => Some(StackMode::Normal),
            "percent" => Some(StackMode::Percent),
            _ => None,
        });
    let fixed_color = match display.color {
        ColorMode::Fixed(rgb) => Some(rgb),
        _ => None,
    };
    // Overrides: a series' own colour, name, unit, axis (`custom.axisPlacement`), line shape
    // (`custom.lineInterpolation`), side of zero (`custom.transform`), line width, area opacity,
    // draw style and dashes (`custom.lineWidth`, `custom.fillOpacity`, `custom.drawStyle`,
    // `custom.lineStyle`, also from the defaults), dots (`custom.showPoints`, `custom.pointSize`,
    // also from the defaults), or `custom.hideFrom`
    // (`viz`: not drawn at all; `legend`, `tooltip`: left out there), the last two also from the
    // defaults.
    let overrides = overrides(panel);
    let names = display_names(&overrides, result);
    let default_placement = custom.and_then(|c| c.axis_placement.as_deref());
    let default_interpolation = custom.and_then(|c| c.line_interpolation.as_deref());
    let default_hide = custom.and_then(|c| c.extra.get("hideFrom"));
    let default_line_style = custom.and_then(|c| c.extra.get("lineStyle"));
    let default_show_points = custom.and_then(|c| c.show_points.as_deref());
    let default_point_size = custom.and_then(|c| c.point_size);
    let default_transform = custom
        .and_then(|c| c.extra.get("transform"))
        .and_then(serde_json::Value::as_str);
    let mut kept = Vec::with_capacity(result.series.len());
    let mut kept_names = Vec::with_capacity(result.series.len());
    let mut looks = Vec::with_capacity(result.series.len());
    // Whether every series on the left axis is placed `hidden` (`None`: none is on the left).
    let mut left_all_hidden: Option<bool> = None;
    for i in 0..result.series.len() {
        let text = |id: &str| property(&overrides, result, i, id).and_then(|v| v.as_str());
        let number =
            |id: &str| property(&overrides, result, i, id).and_then(serde_json::Value::as_f64);
        let hide_from = property(&overrides, result, i, "custom.hideFrom").or(default_hide);
        let hide = |place: &str| {
            hide_from
                .and_then(|h| h.get(place))
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false)
        };
        if hide("viz") {
            continue;
        }
        let color = property(&overrides, result, i, "color").map_or(fixed_color, |c| {
            let mode = c.get("mode").and_then(|m| m.as_str()).unwrap_or_default();
            match color_mode(mode, c.get("fixedColor").and_then(|f| f.as_str())) {
                ColorMode::Fixed(rgb) => Some(rgb),
                _ => None,
            }
        });
        // `custom.transform: negative-Y` draws the series below zero (transmit under receive).
        let negated = text("custom.transform").or(default_transform) == Some("negative-Y");
        kept.push((i, negated));
        kept_names.push(names.get(i).cloned().unwrap_or_default());
        let placement = text("custom.axisPlacement").or(default_placement);
        let axis = axis_side(placement);
        if axis == AxisSide::Left {
            left_all_hidden = Some(left_all_hidden.unwrap_or(true) && placement == Some("hidden"));
        }
        looks.push(SeriesLook {
            color,
            axis,
            unit: text("unit").map(Unit::parse),
            interpolation: text("custom.lineInterpolation")
                .or(default_interpolation)
                .and_then(LineInterpolation::parse)
                .unwrap_or_default(),
            hide_from_legend: hide("legend"),
            hide_from_tooltip: hide("tooltip"),
            line_width: number("custom.lineWidth").map(line_width),
            fill_opacity: number("custom.fillOpacity").map(fill_opacity),
            style: text("custom.drawStyle").map(|s| draw_style(Some(s))),
            dash: property(&overrides, result, i, "custom.lineStyle")
                .or(default_line_style)
                .and_then(Dash::from_line_style),
            show_points: text("custom.showPoints")
                .or(default_show_points)
                .map(ShowPoints::parse)
                .unwrap_or_default(),
            point_size: number("custom.pointSize").or(default_point_size),
        });
    }
    // The right axis is labelled in the unit of its first series (as Grafana's is).
    let right_unit = looks
        .iter()
        .find(|look| look.axis == AxisSide::Right)
        .and_then(|look| look.unit.clone())
        .unwrap_or_else(|| display.unit.clone());
    // The chart shares the answer's samples unless it draws them otherwise: a series hidden,
    // negated or stacked (a copy of every sample would double the panel's memory).
    let series = if stacking.is_none()
        && kept.len() == result.series.len()
        && kept.iter().all(|(_, negated)| !negated)
    {
        Arc::clone(&result.series)
    } else {
        let picked: Vec<Series> = kept
            .iter()
            .map(|&(i, negated)| {
                let mut series = result.series[i].clone();
                if negated {
                    for value in &mut series.values {
                        *value = -*value;
                    }
                }
                series
            })
            .collect();
        Arc::new(match stacking {
            Some(mode) => stack(&picked, mode),
            None => picked,
        })
    };
    // `custom.thresholdsStyle.mode`: `off`, `line`, `dashed`, `area`, `line+area`…
    let threshold_style: Option<String> = custom
        .and_then(|c| c.extra.get("thresholdsStyle"))
        .and_then(|t| t.get("mode"))
        .and_then(|m| m.as_str())
        .map(str::to_owned);
    let (min, max) = (display.min.unwrap_or(0.0), display.max.unwrap_or(100.0));
    #[allow(clippy::cast_possible_wrap)]
    let step_ms = result.step.as_millis() as i64;
    let span_nulls = custom.and_then(|c| c.extra.get("spanNulls"));
    ChartInput {
        series,
        names: kept_names,
        looks,
        right_unit,
        range: result.range,
        unit: display.unit.clone(),
        decimals: display.decimals,
        fixed_min: display.min,
        fixed_max: display.max,
        soft_min: custom.and_then(|c| c.axis_soft_min),
        soft_max: custom.and_then(|c| c.axis_soft_max),
        scale: custom
            .and_then(|c| c.scale_distribution.as_ref())
            .map_or(Scale::Linear, scale_of),
        hide_left_labels: left_all_hidden.unwrap_or(false),
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
            .map_or(0.0, fill_opacity),
        line_width: custom.and_then(|c| c.line_width).map_or(1.0, line_width),
        gap_ms: gap_ms(span_nulls, step_ms),
        utc_offset_minutes: Some(utc_offset_minutes),
        stacked: stacking.is_some(),
    }
}

/// How a panel's `custom.scaleDistribution` maps values to heights.
fn scale_of(distribution: &ScaleDistribution) -> Scale {
    if let Some((base, threshold)) = distribution.symlog() {
        Scale::SymLog {
            base: f64::from(base),
            threshold,
        }
    } else if let Some(base) = distribution.log_base() {
        Scale::Log {
            base: f64::from(base),
        }
    } else {
        Scale::Linear
    }
}

/// Grafana's `custom.drawStyle`: `bars`, `points`, else lines.
fn draw_style(name: Option<&str>) -> DrawStyle {
    match name {
        Some("bars") => DrawStyle::Bars,
        Some("points") => DrawStyle::Points,
        _ => DrawStyle::Lines,
    }
}

/// Grafana's `custom.lineWidth` in CSS px: 0 draws no line (the area alone), at most 10.
fn line_width(width: f64) -> f64 {
    if width <= 0.0 {
        0.0
    } else {
        width.clamp(0.5, 10.0)
    }
}

/// Grafana's `custom.fillOpacity` (0–100) as 0–1.
fn fill_opacity(percent: f64) -> f64 {
    (percent / 100.0).clamp(0.0, 1.0)
}

/// How far apart samples may be and still be joined by a line, from Grafana's
/// `custom.spanNulls`: `true` joins across any gap (`None`), a number of milliseconds joins gaps
/// up to it, and `false` or nothing breaks the line where a step and a half has no sample.
fn gap_ms(span_nulls: Option<&serde_json::Value>, step_ms: i64) -> Option<i64> {
    match span_nulls {
        Some(serde_json::Value::Bool(true)) => None,
        Some(serde_json::Value::Number(n)) =>
        {
            #[allow(clippy::cast_possible_truncation)]
            n.as_f64()
                .filter(|ms| *ms > 0.0)
                .map(|ms| ms.round() as i64)
        }
        _ => {
            let gap = step_ms.saturating_mul(3) / 2;
            (gap > 0).then_some(gap)
        }
    }
}

/// The axis Grafana's `custom.axisPlacement` puts a series on: `right`, else the left
/// (`auto`, `left`, `hidden`; the left axis' labels are left out when all its series are
/// `hidden`).
fn axis_side(placement: Option<&str>) -> AxisSide {
    if placement == Some("right") {
        AxisSide::Right
    } else {
        AxisSide::Left
    }
}

#[cfg(test)]
mod tests {
    use sightline_core::model::dashboard::load;
    use sightline_core::render::palette::Rgb;

    use super::super::display::fixtures::{first_panel, panel, result};
    use super::*;

    #[test]
    fn overrides_colour_rename_and_hide_series_of_a_chart() {
        let input = chart_input(&panel("timeseries"), &result(), 0);
        assert_eq!(
            input.names,
            vec!["First 0 on n1".to_owned(), "GPU 1".to_owned()]
        );
        assert_eq!(input.series.len(), 2, "query B is hidden from the chart");
        let colors: Vec<_> = input.looks.iter().map(|l| l.color).collect();
        assert_eq!(colors, vec![Rgb::parse("red"), None]);
    }

    #[test]
    fn a_series_hidden_from_the_legend_or_tooltip_is_still_drawn() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"custom": {"hideFrom": {"legend": false, "tooltip": true, "viz": false}}},
            "overrides": [{"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.hideFrom", "value": {"legend": true, "tooltip": false, "viz": false}}]}]}}]}"#;
        let panel = first_panel(text);
        let answer = result();
        let input = chart_input(&panel, &answer, 0);
        assert_eq!(input.series.len(), 3, "all drawn");
        assert!(
            Arc::ptr_eq(&input.series, &answer.series),
            "drawn as they are, so shared with the answer, not copied"
        );
        let legend: Vec<bool> = (0..3).map(|i| input.in_legend(i)).collect();
        let tooltip: Vec<bool> = (0..3).map(|i| input.in_tooltip(i)).collect();
        assert_eq!(legend, vec![true, false, true]);
        assert_eq!(tooltip, vec![false, true, false]);
    }

    #[test]
    fn the_left_axis_is_unlabelled_only_when_all_its_series_are_hidden() {
        let load_with = |overrides: &str| {
            let text = format!(
                r#"{{"panels": [{{"id": 1, "type": "timeseries", "gridPos": {{"x": 0, "y": 0, "w": 12, "h": 8}},
                  "fieldConfig": {{"defaults": {{"custom": {{"axisPlacement": "hidden"}}}}, "overrides": [{overrides}]}}}}]}}"#
            );
            first_panel(&text)
        };
        assert!(chart_input(&load_with(""), &result(), 0).hide_left_labels);
        let one_shown = load_with(
            r#"{"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
                {"id": "custom.axisPlacement", "value": "left"}]}"#,
        );
        assert!(!chart_input(&one_shown, &result(), 0).hide_left_labels);
        let one_right = load_with(
            r#"{"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
                {"id": "custom.axisPlacement", "value": "right"}]}"#,
        );
        let input = chart_input(&one_right, &result(), 0);
        assert!(input.hide_left_labels, "the right axis keeps its labels");
        assert_eq!(input.looks[1].axis, AxisSide::Right);
    }

    #[test]
    fn negative_y_draws_a_series_below_zero() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.transform", "value": "negative-Y"}]}]}}]}"#;
        let panel = first_panel(text);
        let before = result();
        let input = chart_input(&panel, &before, 0);
        for (i, (drawn, answer)) in input.series.iter().zip(before.series.iter()).enumerate() {
            let sign = if i == 1 { -1.0 } else { 1.0 };
            let expected: Vec<f64> = answer.values.iter().map(|v| sign * v).collect();
            assert_eq!(drawn.values, expected, "series {i}");
        }
        assert!(
            before.series[1].values.iter().any(|v| *v > 0.0),
            "the answer is kept as it came"
        );
    }

    #[test]
    fn a_series_placed_right_gets_the_second_axis_in_its_own_unit() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"unit": "percent"}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "unit", "value": "watt"},
              {"id": "custom.axisPlacement", "value": "right"}]}]}}]}"#;
        let loaded = load(text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let panel = loaded
            .dashboard
            .and_then(|d| d.panels.into_iter().next())
            .unwrap_or_default();
        let input = chart_input(&panel, &result(), 0);
        let axes: Vec<_> = input.looks.iter().map(|l| l.axis).collect();
        assert_eq!(axes, vec![AxisSide::Left, AxisSide::Right, AxisSide::Left]);
        assert_eq!(input.right_unit, Unit::parse("watt"));
        assert_eq!(input.unit, Unit::Percent);
        assert_eq!(input.looks[1].unit, Some(Unit::parse("watt")));
        assert_eq!(input.looks[0].unit, None);
    }

    #[test]
    fn the_default_placement_right_puts_every_series_there() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"unit": "celsius", "custom": {"axisPlacement": "right"}}, "overrides": []}}]}"#;
        let panel = first_panel(text);
        let input = chart_input(&panel, &result(), 0);
        assert!(input.looks.iter().all(|l| l.axis == AxisSide::Right));
        assert!(!input.hide_left_labels);
        assert_eq!(input.right_unit, Unit::parse("celsius"));
    }

    #[test]
    fn the_line_shape_and_soft_bounds_come_from_the_defaults_and_a_series_override() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"custom": {"lineInterpolation": "stepAfter", "axisSoftMin": 0,
            "scaleDistribution": {"type": "log", "log": 2}}}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.lineInterpolation", "value": "smooth"}]}]}}]}"#;
        let panel = first_panel(text);
        let input = chart_input(&panel, &result(), 0);
        let shapes: Vec<_> = input.looks.iter().map(|l| l.interpolation).collect();
        assert_eq!(
            shapes,
            vec![
                LineInterpolation::StepAfter,
                LineInterpolation::Smooth,
                LineInterpolation::StepAfter
            ]
        );
        assert_eq!((input.soft_min, input.soft_max), (Some(0.0), None));
        assert_eq!(input.scale, Scale::Log { base: 2.0 });
    }

    #[test]
    fn a_series_override_gives_its_own_line_width_area_and_draw_style() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"custom": {"lineWidth": 2, "fillOpacity": 10}}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 0"}, "properties": [
              {"id": "custom.drawStyle", "value": "bars"}, {"id": "custom.fillOpacity", "value": 100}]},
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.lineWidth", "value": 0}, {"id": "custom.fillOpacity", "value": 250}]}]}}]}"#;
        let loaded = load(text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let panel = first_panel(text);
        let input = chart_input(&panel, &result(), 0);
        let widths: Vec<f64> = (0..3).map(|i| input.line_width_of(i)).collect();
        let fills: Vec<f64> = (0..3).map(|i| input.fill_opacity_of(i)).collect();
        let styles: Vec<DrawStyle> = (0..3).map(|i| input.style_of(i)).collect();
        assert_eq!(widths, vec![2.0, 0.0, 2.0]);
        assert_eq!(fills, vec![1.0, 1.0, 0.1]);
        assert_eq!(
            styles,
            vec![DrawStyle::Bars, DrawStyle::Lines, DrawStyle::Lines]
        );
    }

    #[test]
    fn dashes_come_from_the_defaults_and_an_override_can_make_a_series_solid() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"custom": {"lineStyle": {"fill": "dash", "dash": [10, 20]}}}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.lineStyle", "value": {"fill": "solid"}}]},
            {"matcher": {"id": "byName", "options": "total"}, "properties": [
              {"id": "custom.lineStyle", "value": {"fill": "dot", "dash": [0, 5]}}]}]}}]}"#;
        let loaded = load(text);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let input = chart_input(&first_panel(text), &result(), 0);
        let dashes: Vec<Option<Dash>> = (0..3).map(|i| input.dash_of(i)).collect();
        assert_eq!(
            dashes,
            vec![
                Some(Dash {
                    on: 10.0,
                    off: 20.0
                }),
                None,
                Some(Dash { on: 1.0, off: 5.0 })
            ]
        );
    }

    #[test]
    fn dots_follow_show_points_from_the_defaults_or_an_override() {
        let text = r#"{"panels": [{"id": 1, "type": "timeseries", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
          "fieldConfig": {"defaults": {"custom": {"showPoints": "never", "pointSize": 8}}, "overrides": [
            {"matcher": {"id": "byName", "options": "GPU 1"}, "properties": [
              {"id": "custom.showPoints", "value": "always"}, {"id": "custom.pointSize", "value": 3}]}]}}]}"#;
        let input = chart_input(&first_panel(text), &result(), 0);
        let shown: Vec<(ShowPoints, f64)> = (0..3)
            .map(|i| (input.show_points_of(i), input.point_size_of(i)))
            .collect();
        assert_eq!(
            shown,
            vec![
                (ShowPoints::Never, 8.0),
                (ShowPoints::Always, 3.0),
                (ShowPoints::Never, 8.0)
            ]
        );
        let plain = chart_input(&panel("timeseries"), &result(), 0);
        assert_eq!(plain.show_points_of(0), ShowPoints::Auto);
        assert_eq!(plain.point_size_of(0), 5.0);
    }

    #[test]
    fn a_scale_distribution_picks_linear_log_or_symmetric_log() {
        let scale = |json: &str| {
            let text = format!(
                r#"{{"panels": [{{"id": 1, "type": "timeseries", "gridPos": {{"x": 0, "y": 0, "w": 12, "h": 8}},
                  "fieldConfig": {{"defaults": {{"custom": {{"scaleDistribution": {json}}}}}, "overrides": []}}}}]}}"#
            );
            chart_input(&first_panel(&text), &result(), 0).scale
        };
        assert_eq!(scale(r#"{"type": "linear"}"#), Scale::Linear);
        assert_eq!(
            scale(r#"{"type": "log", "log": 2}"#),
            Scale::Log { base: 2.0 }
        );
        assert_eq!(
            scale(r#"{"type": "symlog", "log": 2, "linearThreshold": 5}"#),
            Scale::SymLog {
                base: 2.0,
                threshold: 5.0
            }
        );
        assert_eq!(
            scale(r#"{"type": "symlog", "log": 10, "linearThreshold": 0}"#),
            Scale::SymLog {
                base: 10.0,
                threshold: 1.0
            }
        );
    }

    #[test]
    fn span_nulls_joins_across_gaps_all_of_them_or_up_to_a_limit() {
        use serde_json::json;
        assert_eq!(gap_ms(None, 30_000), Some(45_000));
        assert_eq!(gap_ms(Some(&json!(false)), 30_000), Some(45_000));
        assert_eq!(gap_ms(Some(&json!(true)), 30_000), None);
        assert_eq!(gap_ms(Some(&json!(3_600_000)), 30_000), Some(3_600_000));
        assert_eq!(gap_ms(None, 0), None);
    }
}
