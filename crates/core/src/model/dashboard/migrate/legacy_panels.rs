//! Angular-era panels converted to their successors: `graph` → `timeseries`, `singlestat` →
//! `stat` or `gauge`. Legacy members stay in place; only what Sightline reads is added.

use serde_json::{json, Value};

use super::super::codec::number_value;
use super::super::json::{Member, NodeValue};
use super::super::node_edit::{
    bool_of, edit_object, get, node, number_of, remove, set, set_default, str_of,
};
use super::series_overrides::{append_overrides, field_overrides, line_style};

/// `graph` → `timeseries`: unit, decimals, min/max from the left y axis; draw style and steps;
/// `aliasColors` and `seriesOverrides` → field overrides; `nullPointMode: connected` →
/// `spanNulls`; legend flags → legend calcs; tooltip mode.
pub(super) fn graph_to_timeseries(members: &mut Vec<Member>, offset: usize) {
    set(members, "type", node(json!("timeseries"), offset));
    let axis = match get(members, "yaxes").map(|n| &n.value) {
        Some(NodeValue::Array(axes)) => axes.first().and_then(|a| match &a.value {
            NodeValue::Object(m) => Some(m.clone()),
            _ => None,
        }),
        _ => None,
    }
    .unwrap_or_default();
    let lines = bool_of(members, "lines").unwrap_or(true);
    let bars = bool_of(members, "bars").unwrap_or(false);
    let points = bool_of(members, "points").unwrap_or(false);
    let draw_style = if bars {
        "bars"
    } else if points && !lines {
        "points"
    } else {
        "line"
    };
    let mut custom = json!({
        "drawStyle": draw_style,
        "lineWidth": number_value(number_of(members, "linewidth").unwrap_or(1.0)),
        "fillOpacity": number_value(number_of(members, "fill").unwrap_or(1.0) * 10.0),
        "showPoints": if points { "always" } else { "never" },
    });
    if let Some(base) = number_of(&axis, "logBase").filter(|base| *base > 1.0) {
        custom["scaleDistribution"] = json!({"type": "log", "log": number_value(base)});
    }
    if str_of(members, "nullPointMode") == Some("connected") {
        custom["spanNulls"] = json!(true);
    }
    if bool_of(members, "steppedLine").unwrap_or(false) {
        custom["lineInterpolation"] = json!("stepAfter");
    }
    if let Some(radius) = number_of(members, "pointradius").filter(|_| points) {
        custom["pointSize"] = number_value(2.0 + radius * 2.0);
    }
    if bool_of(members, "dashes").unwrap_or(false) {
        custom["lineStyle"] = line_style(
            Some(true),
            number_of(members, "dashLength"),
            number_of(members, "spaceLength"),
        );
    }
    if bool_of(members, "stack").unwrap_or(false) {
        let mode = if bool_of(members, "percentage").unwrap_or(false) {
            "percent"
        } else {
            "normal"
        };
        custom["stacking"] = json!({"mode": mode, "group": "A"});
    }
    let mut defaults = serde_json::Map::new();
    if let Some(unit) = str_of(&axis, "format") {
        defaults.insert("unit".into(), json!(unit));
    }
    if let Some(min) = number_of(&axis, "min") {
        defaults.insert("min".into(), number_value(min));
    }
    if let Some(max) = number_of(&axis, "max") {
        defaults.insert("max".into(), number_value(max));
    }
    if let Some(decimals) = number_of(&axis, "decimals").or_else(|| number_of(members, "decimals"))
    {
        defaults.insert("decimals".into(), number_value(decimals));
    }
    defaults.insert("custom".into(), custom);
    let series_overrides = field_overrides(members);
    merge_field_defaults(members, Value::Object(defaults), offset);
    if !series_overrides.is_empty() {
        edit_object(members, "fieldConfig", offset, |config| {
            append_overrides(config, series_overrides, offset);
        });
    }

    let legend = get(members, "legend").and_then(|n| match &n.value {
        NodeValue::Object(m) => Some(m.clone()),
        _ => None,
    });
    let mut legend_options =
        json!({"showLegend": true, "displayMode": "list", "placement": "bottom", "calcs": []});
    if let Some(legend) = legend {
        let flag = |key: &str| bool_of(&legend, key).unwrap_or(false);
        let calcs: Vec<&str> = [
            ("avg", "mean"),
            ("current", "lastNotNull"),
            ("max", "max"),
            ("min", "min"),
            ("total", "sum"),
        ]
        .iter()
        .filter(|(flag_name, _)| flag(flag_name))
        .map(|(_, calc)| *calc)
        .collect();
        let show = bool_of(&legend, "show").unwrap_or(true);
        legend_options = json!({
            "showLegend": show,
            "displayMode": if !show { "hidden" } else if flag("alignAsTable") { "table" } else { "list" },
            "placement": if flag("rightSide") { "right" } else { "bottom" },
            "calcs": calcs,
        });
    }
    let tooltip = get(members, "tooltip");
    let shared = tooltip
        .and_then(|t| t.get("shared"))
        .is_none_or(|s| s.value != NodeValue::Bool(false));
    let sort = match tooltip.and_then(|t| t.get("sort")).map(|s| &s.value) {
        Some(NodeValue::Number(n)) if n.as_u64() == Some(1) => "asc",
        Some(NodeValue::Number(n)) if n.as_u64() == Some(2) => "desc",
        _ => "none",
    };
    edit_object(members, "options", offset, |options| {
        set_default(options, "legend", node(legend_options, offset));
        set_default(
            options,
            "tooltip",
            node(
                json!({"mode": if shared { "multi" } else { "single" }, "sort": sort}),
                offset,
            ),
        );
    });
}

/// `singlestat` → `stat` (or `gauge` when its gauge was shown).
pub(super) fn singlestat_to_stat(members: &mut Vec<Member>, offset: usize) -> &'static str {
    let gauge = get(members, "gauge").is_some_and(|g| {
        g.get("show")
            .is_some_and(|s| s.value == NodeValue::Bool(true))
    });
    let to = if gauge { "gauge" } else { "stat" };
    set(members, "type", node(json!(to), offset));
    let calc: &str = match str_of(members, "valueName").unwrap_or("avg") {
        "avg" => "mean",
        "current" => "lastNotNull",
        "total" => "sum",
        "first" => "firstNotNull",
        "name" => "lastNotNull",
        "min" => "min",
        "max" => "max",
        "delta" => "delta",
        "diff" => "diff",
        "range" => "range",
        _ => "mean",
    };
    let mut defaults = serde_json::Map::new();
    if let Some(unit) = str_of(members, "format") {
        defaults.insert("unit".into(), json!(unit));
    }
    if let Some(decimals) = number_of(members, "decimals") {
        defaults.insert("decimals".into(), number_value(decimals));
    }
    if gauge {
        let g = get(members, "gauge")
            .and_then(|g| match &g.value {
                NodeValue::Object(m) => Some(m.clone()),
                _ => None,
            })
            .unwrap_or_default();
        if let Some(min) = number_of(&g, "minValue") {
            defaults.insert("min".into(), number_value(min));
        }
        if let Some(max) = number_of(&g, "maxValue") {
            defaults.insert("max".into(), number_value(max));
        }
    }
    let colors: Vec<String> = match get(members, "colors").map(|n| &n.value) {
        Some(NodeValue::Array(items)) => items
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    let limits: Vec<f64> = str_of(members, "thresholds")
        .unwrap_or("")
        .split(',')
        .filter_map(|t| t.trim().parse::<f64>().ok())
        .collect();
    let mut steps = vec![
        json!({"color": colors.first().cloned().unwrap_or_else(|| "green".into()), "value": null}),
    ];
    for (i, limit) in limits.iter().enumerate() {
        let color = colors.get(i + 1).cloned().unwrap_or_else(|| "red".into());
        steps.push(json!({"color": color, "value": number_value(*limit)}));
    }
    defaults.insert(
        "thresholds".into(),
        json!({"mode": "absolute", "steps": steps}),
    );
    drop_invalid_thresholds(members, offset);
    let background = bool_of(members, "colorBackground").unwrap_or(false);
    let colored = background || bool_of(members, "colorValue").unwrap_or(false);
    defaults.insert(
        "color".into(),
        json!({"mode": if colored { "thresholds" } else { "fixed" }, "fixedColor": "text"}),
    );
    merge_field_defaults(members, Value::Object(defaults), offset);
    let sparkline = get(members, "sparkline").is_some_and(|s| {
        s.get("show")
            .is_some_and(|v| v.value == NodeValue::Bool(true))
    });
    edit_object(members, "options", offset, |options| {
        set_default(
            options,
            "reduceOptions",
            node(
                json!({"calcs": [calc], "fields": "", "values": false}),
                offset,
            ),
        );
        if !gauge {
            set_default(
                options,
                "colorMode",
                node(
                    json!(if background { "background" } else { "value" }),
                    offset,
                ),
            );
            set_default(
                options,
                "graphMode",
                node(json!(if sparkline { "area" } else { "none" }), offset),
            );
        }
    });
    to
}

/// Adds `fieldConfig.defaults` members that are not there yet.
fn merge_field_defaults(members: &mut Vec<Member>, defaults: Value, offset: usize) {
    edit_object(members, "fieldConfig", offset, |config| {
        edit_object(config, "defaults", offset, |existing| {
            if let Value::Object(map) = defaults {
                for (key, value) in map {
                    if key == "custom" {
                        edit_object(existing, "custom", offset, |custom| {
                            if let Value::Object(style) = value {
                                for (k, v) in style {
                                    set_default(custom, &k, node(v, offset));
                                }
                            }
                        });
                    } else {
                        set_default(existing, &key, node(value, offset));
                    }
                }
            }
        });
        set_default(config, "overrides", node(json!([]), offset));
    });
}

/// Removes `fieldConfig.defaults.thresholds` when its `steps` is not a list (some generators write
/// the legacy `"80,90"` text there), so that the converted thresholds take its place.
fn drop_invalid_thresholds(members: &mut Vec<Member>, offset: usize) {
    let invalid = get(members, "fieldConfig")
        .and_then(|c| c.get("defaults"))
        .and_then(|d| d.get("thresholds"))
        .and_then(|t| t.get("steps"))
        .is_some_and(|steps| !matches!(steps.value, NodeValue::Array(_)));
    if invalid {
        edit_object(members, "fieldConfig", offset, |config| {
            edit_object(config, "defaults", offset, |defaults| {
                remove(defaults, "thresholds");
            });
        });
    }
}
