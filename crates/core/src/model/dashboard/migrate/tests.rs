//! Migrations of legacy forms, pinned on small inputs shaped like real exports.

#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::model::dashboard::{load, PanelKind};

#[test]
fn rows_with_a_null_repeat_iteration_are_kept() {
    let text = json!({"schemaVersion": 14, "rows": [
        {"title": "CPU", "showTitle": true, "repeatIteration": null, "height": "250px",
         "panels": [{"id": 3, "type": "graph", "span": 6, "targets": [{"expr": "up", "refId": "A"}]},
                    {"id": 4, "type": "singlestat", "span": 6, "thresholds": "1,2", "colors": ["a", "b", "c"]}]},
        {"title": "copy", "repeatIteration": 1700000000000_u64, "panels": [{"id": 9, "type": "graph"}]}
    ]})
    .to_string();
    let dashboard = load(&text).dashboard.unwrap();
    let kinds: Vec<PanelKind> = dashboard.panels.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        vec![PanelKind::Row, PanelKind::Timeseries, PanelKind::Stat]
    );
    let grids: Vec<(u32, u32, u32, u32)> = dashboard
        .panels
        .iter()
        .map(|p| p.grid_pos.clone().map(|g| (g.x, g.y, g.w, g.h)).unwrap())
        .collect();
    assert_eq!(grids, vec![(0, 0, 24, 1), (0, 1, 12, 7), (12, 1, 12, 7)]);
    let steps = &dashboard.panels[2]
        .defaults()
        .unwrap()
        .thresholds
        .as_ref()
        .unwrap()
        .steps;
    let colors: Vec<(&str, Option<f64>)> =
        steps.iter().map(|s| (s.color.as_str(), s.value)).collect();
    assert_eq!(
        colors,
        vec![("a", None), ("b", Some(1.0)), ("c", Some(2.0))]
    );
}

#[test]
fn a_bare_threshold_list_is_wrapped_in_mode_and_steps() {
    let text =
        json!({"panels": [{"id": 1, "type": "gauge", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "options": {"fieldOptions": {"calcs": ["lastNotNull"], "defaults": {"unit": "percent",
            "thresholds": [{"color": "green", "value": null}, {"color": "red", "value": 95}]}}}}]})
        .to_string();
    let loaded = load(&text);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let gauge = &loaded.dashboard.unwrap().panels[0];
    let thresholds = gauge.defaults().unwrap().thresholds.clone().unwrap();
    assert_eq!(thresholds.mode, "absolute");
    assert_eq!(thresholds.steps.len(), 2);
    assert_eq!(
        gauge
            .options
            .as_ref()
            .unwrap()
            .reduce_options
            .as_ref()
            .unwrap()
            .calcs,
        vec!["lastNotNull"]
    );
}

#[test]
fn graph_members_already_in_the_new_form_win() {
    let text =
        json!({"panels": [{"id": 1, "type": "graph", "gridPos": {"x": 0, "y": 0, "w": 6, "h": 4},
        "yaxes": [{"format": "bytes"}], "fieldConfig": {"defaults": {"unit": "percent"}},
        "legend": {"show": false}}]})
        .to_string();
    let dashboard = load(&text).dashboard.unwrap();
    let panel = &dashboard.panels[0];
    assert_eq!(panel.defaults().unwrap().unit.as_deref(), Some("percent"));
    let legend = panel.options.as_ref().unwrap().legend.as_ref().unwrap();
    assert_eq!(
        (legend.show_legend, legend.display_mode.as_deref()),
        (Some(false), Some("hidden"))
    );
    assert!(panel.extra.contains_key("yaxes"), "legacy members stay");
}

#[test]
fn graph_series_overrides_become_field_overrides_and_the_rest_is_reported() {
    let text =
        json!({"panels": [{"id": 1, "type": "graph", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "steppedLine": true, "nullPointMode": "connected", "dashes": true, "dashLength": 6,
        "aliasColors": {"utilisation": "#73BF69", "ignored": 3},
        "yaxes": [{"format": "percent", "logBase": 2}, {"format": "watt", "logBase": 1}],
        "fieldConfig": {"defaults": {}, "overrides": []},
        "seriesOverrides": [
            {"alias": "Power", "yaxis": 2, "color": "#FF0000", "fill": 0, "points": true, "pointradius": 3, "zindex": 2},
            {"alias": "Requests", "bars": true, "linewidth": 2},
            {"alias": "Limit", "lines": false, "fill": 3},
            {"alias": "Target", "dashes": true, "spaceLength": 4},
            {"alias": "/GPU \\d+/", "steppedLine": false, "transform": "negative-Y"},
            {"alias": "", "yaxis": 2}
        ]}]})
        .to_string();
    let loaded = load(&text);
    let panel = &loaded.dashboard.as_ref().unwrap().panels[0];
    let custom = panel.defaults().unwrap().custom.as_ref().unwrap();
    assert_eq!(custom.line_interpolation.as_deref(), Some("stepAfter"));
    assert_eq!(custom.extra.get("spanNulls"), Some(&json!(true)));
    assert_eq!(
        custom.extra.get("lineStyle"),
        Some(&json!({"fill": "dash", "dash": [6, 10]}))
    );
    let scale = custom.scale_distribution.as_ref().unwrap();
    assert_eq!((scale.kind.as_str(), scale.log), ("log", Some(2.0)));
    let overrides = panel
        .field_config
        .as_ref()
        .unwrap()
        .extra
        .get("overrides")
        .unwrap();
    assert_eq!(
        overrides,
        &json!([
            {"matcher": {"id": "byName", "options": "utilisation"}, "properties": [
                {"id": "color", "value": {"mode": "fixed", "fixedColor": "#73BF69"}}]},
            {"matcher": {"id": "byName", "options": "Power"}, "properties": [
                {"id": "custom.axisPlacement", "value": "right"},
                {"id": "unit", "value": "watt"},
                {"id": "color", "value": {"mode": "fixed", "fixedColor": "#FF0000"}},
                {"id": "custom.fillOpacity", "value": 0.0},
                {"id": "custom.showPoints", "value": "always"},
                {"id": "custom.pointSize", "value": 8}]},
            {"matcher": {"id": "byName", "options": "Requests"}, "properties": [
                {"id": "custom.lineWidth", "value": 2.0},
                {"id": "custom.drawStyle", "value": "bars"},
                {"id": "custom.fillOpacity", "value": 100}]},
            {"matcher": {"id": "byName", "options": "Limit"}, "properties": [
                {"id": "custom.fillOpacity", "value": 30.0},
                {"id": "custom.lineWidth", "value": 0}]},
            {"matcher": {"id": "byName", "options": "Target"}, "properties": [
                {"id": "custom.lineStyle", "value": {"fill": "dash", "dash": [6, 4]}}]},
            {"matcher": {"id": "byRegexp", "options": "/GPU \\d+/"}, "properties": [
                {"id": "custom.transform", "value": "negative-Y"},
                {"id": "custom.lineInterpolation", "value": "linear"}]}
        ])
    );
    let warnings: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.path.to_string().contains("seriesOverrides"))
        .map(|d| format!("{}: {}", d.path, d.message))
        .collect();
    assert_eq!(
        warnings,
        vec!["panels[0].seriesOverrides[0]: zindex of this series override is kept but not applied (alias, yaxis, color, steppedLine, transform, fill, linewidth, lines, bars, dashes, dashLength, spaceLength, points and pointradius are)"]
    );
}

#[test]
fn a_graphs_series_overrides_come_after_the_field_overrides_it_already_has() {
    let text = json!({"panels": [{"id": 1, "type": "graph", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
        "fieldConfig": {"defaults": {}, "overrides": [
            {"matcher": {"id": "byName", "options": "A"}, "properties": [{"id": "unit", "value": "bytes"}]}]},
        "seriesOverrides": [{"alias": "Power", "yaxis": 2}]}]})
    .to_string();
    let dashboard = load(&text).dashboard.unwrap();
    let overrides = dashboard.panels[0]
        .field_config
        .as_ref()
        .unwrap()
        .extra
        .get("overrides")
        .unwrap()
        .clone();
    assert_eq!(overrides[0]["matcher"]["options"], json!("A"));
    assert_eq!(overrides[1]["matcher"]["options"], json!("Power"));
    assert_eq!(
        overrides[1]["properties"][0],
        json!({"id": "custom.axisPlacement", "value": "right"})
    );
    assert_eq!(overrides.as_array().map(Vec::len), Some(2));
}

#[test]
fn an_old_row_with_its_own_id_and_type_saves_and_loads_back_the_same() {
    // Found by the `dashboard_load` fuzz target: a templating variable spliced into `rows`.
    let text = json!({"schemaVersion": 14, "rows": [
        {"title": "GPUs", "showTitle": true, "panels": [{"id": 1, "type": "graph", "span": 12}]},
        {"id": 7, "type": "custom", "name": "cluster", "query": "a,b", "panels": []}
    ]})
    .to_string();
    let loaded = load(&text);
    let dashboard = loaded.dashboard.unwrap();
    let row = &dashboard.panels[2];
    assert_eq!(row.kind, PanelKind::Row);
    assert_ne!(
        row.id,
        Some(7),
        "the row panel keeps the id the conversion gave it"
    );
    assert!(!row.extra.contains_key("type") && !row.extra.contains_key("id"));
    assert!(row.extra.contains_key("name"), "other keys are kept");
    let dropped: Vec<String> = loaded
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.contains("is not kept"))
        .collect();
    assert_eq!(dropped.len(), 2, "{dropped:?}");
    assert!(dropped[0].starts_with("rows[1].id"), "{dropped:?}");
    let again = load(&dashboard.to_json_pretty()).dashboard.unwrap();
    assert_eq!(again, dashboard);
}
