//! A `graph` panel's `aliasColors` and `seriesOverrides` turned into field overrides, as
//! Grafana's own migration does: each alias colour becomes a fixed colour for that name; in a
//! series override, `alias` (a name, or `/regex/`) becomes the matcher; `yaxis: 2` puts the
//! series on the right axis in the unit of the second of `yaxes`; `color`, `steppedLine`,
//! `transform: negative-Y`, `fill` (0–10 → `fillOpacity` 0–100), `linewidth`, `lines` (`false`:
//! line width 0), `bars`, `points`, `pointradius` (a radius → `pointSize`, a diameter) and the
//! dashes (`dashes`, `dashLength`, `spaceLength`, on top of the panel's own) carry over. They
//! come after the panel's own field overrides, so they win where both set something. Other
//! members stay in `seriesOverrides` and are reported by the compatibility check.

use serde_json::{json, Value};

use super::super::codec::number_value;
use super::super::json::{Member, Node, NodeValue};
use super::super::node_edit::{bool_of, get, get_mut, node, number_of, set, str_of};

/// The members of one legacy series override that become field override properties.
pub const MIGRATED_MEMBERS: [&str; 14] = [
    "alias",
    "yaxis",
    "color",
    "steppedLine",
    "transform",
    "fill",
    "linewidth",
    "lines",
    "bars",
    "dashes",
    "dashLength",
    "spaceLength",
    "points",
    "pointradius",
];

/// The field overrides for the `aliasColors` and `seriesOverrides` of a graph panel's `members`,
/// in that order (empty when there are none).
pub(super) fn field_overrides(members: &[Member]) -> Vec<Value> {
    let mut overrides = alias_colors(members);
    overrides.extend(series_overrides(members));
    overrides
}

/// `aliasColors: {"GPU 0": "#73BF69"}` → a fixed colour for the series named `GPU 0`.
fn alias_colors(members: &[Member]) -> Vec<Value> {
    let Some(NodeValue::Object(colors)) = get(members, "aliasColors").map(|n| &n.value) else {
        return Vec::new();
    };
    colors
        .iter()
        .filter_map(|m| {
            let color = m.node.as_str()?;
            Some(json!({"matcher": {"id": "byName", "options": m.key},
                         "properties": [fixed_color(color)]}))
        })
        .collect()
}

/// The `seriesOverrides` with an alias and something Sightline applies.
fn series_overrides(members: &[Member]) -> Vec<Value> {
    let right_unit = match get(members, "yaxes").map(|n| &n.value) {
        Some(NodeValue::Array(axes)) => axes.get(1).and_then(|axis| match &axis.value {
            NodeValue::Object(m) => str_of(m, "format").map(str::to_owned),
            _ => None,
        }),
        _ => None,
    };
    let Some(NodeValue::Array(rules)) = get(members, "seriesOverrides").map(|n| &n.value) else {
        return Vec::new();
    };
    rules
        .iter()
        .filter_map(|rule| match &rule.value {
            NodeValue::Object(m) => field_override(m, members, right_unit.as_deref()),
            _ => None,
        })
        .collect()
}

/// One legacy override as a field override; `None` without an alias or anything to apply.
fn field_override(rule: &[Member], panel: &[Member], right_unit: Option<&str>) -> Option<Value> {
    let alias = str_of(rule, "alias").filter(|a| !a.is_empty())?;
    let matcher = if alias.len() > 1 && alias.starts_with('/') && alias.ends_with('/') {
        json!({"id": "byRegexp", "options": alias})
    } else {
        json!({"id": "byName", "options": alias})
    };
    let mut properties = Vec::new();
    if number_of(rule, "yaxis") == Some(2.0) {
        properties.push(json!({"id": "custom.axisPlacement", "value": "right"}));
        if let Some(unit) = right_unit {
            properties.push(json!({"id": "unit", "value": unit}));
        }
    }
    if let Some(color) = str_of(rule, "color") {
        properties.push(fixed_color(color));
    }
    if str_of(rule, "transform") == Some("negative-Y") {
        properties.push(json!({"id": "custom.transform", "value": "negative-Y"}));
    }
    if let Some(stepped) = bool_of(rule, "steppedLine") {
        let shape = if stepped { "stepAfter" } else { "linear" };
        properties.push(json!({"id": "custom.lineInterpolation", "value": shape}));
    }
    // `fill` was 0–10, `fillOpacity` is 0–100.
    if let Some(fill) = number_of(rule, "fill") {
        properties.push(json!({"id": "custom.fillOpacity", "value": fill * 10.0}));
    }
    if let Some(width) = number_of(rule, "linewidth") {
        properties.push(json!({"id": "custom.lineWidth", "value": width}));
    }
    match bool_of(rule, "lines") {
        Some(true) => properties.push(json!({"id": "custom.drawStyle", "value": "line"})),
        Some(false) => properties.push(json!({"id": "custom.lineWidth", "value": 0})),
        None => {}
    }
    match bool_of(rule, "bars") {
        // Graph bars were always solid.
        Some(true) => properties.extend([
            json!({"id": "custom.drawStyle", "value": "bars"}),
            json!({"id": "custom.fillOpacity", "value": 100}),
        ]),
        Some(false) => properties.push(json!({"id": "custom.drawStyle", "value": "line"})),
        None => {}
    }
    if let Some(points) = bool_of(rule, "points") {
        let show = if points { "always" } else { "never" };
        properties.push(json!({"id": "custom.showPoints", "value": show}));
    }
    // `pointradius` was a radius, `pointSize` is a diameter.
    if let Some(radius) = number_of(rule, "pointradius") {
        let size = number_value(2.0 + radius * 2.0);
        properties.push(json!({"id": "custom.pointSize", "value": size}));
    }
    // `dashes`, `dashLength`, `spaceLength`: the panel's dashes with these changed.
    if ["dashes", "dashLength", "spaceLength"]
        .iter()
        .any(|key| get(rule, key).is_some())
    {
        let style = line_style(
            bool_of(rule, "dashes").or_else(|| bool_of(panel, "dashes")),
            number_of(rule, "dashLength").or_else(|| number_of(panel, "dashLength")),
            number_of(rule, "spaceLength").or_else(|| number_of(panel, "spaceLength")),
        );
        properties.push(json!({"id": "custom.lineStyle", "value": style}));
    }
    (!properties.is_empty()).then(|| json!({"matcher": matcher, "properties": properties}))
}

/// Grafana's `custom.lineStyle` for a graph's `dashes`, `dashLength` and `spaceLength` (10
/// when missing).
pub(super) fn line_style(dashes: Option<bool>, on: Option<f64>, off: Option<f64>) -> Value {
    let fill = if dashes.unwrap_or(false) {
        "dash"
    } else {
        "solid"
    };
    json!({"fill": fill,
           "dash": [number_value(on.unwrap_or(10.0)), number_value(off.unwrap_or(10.0))]})
}

/// The override property giving a series the fixed colour `color`.
fn fixed_color(color: &str) -> Value {
    json!({"id": "color", "value": {"mode": "fixed", "fixedColor": color}})
}

/// Puts the migrated `overrides` after the ones `fieldConfig` (its `config` members) already
/// has, as Grafana's migration does: a later override wins, so the legacy settings do.
pub(super) fn append_overrides(config: &mut Vec<Member>, overrides: Vec<Value>, offset: usize) {
    let migrated = overrides.into_iter().map(|o| node(o, offset));
    match get_mut(config, "overrides").map(|n| &mut n.value) {
        Some(NodeValue::Array(items)) => items.extend(migrated),
        _ => set(
            config,
            "overrides",
            Node {
                offset,
                value: NodeValue::Array(migrated.collect()),
            },
        ),
    }
}
