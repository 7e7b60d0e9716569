//! Legacy forms converted on load, as Grafana itself converts them: the old `rows[]` layout,
//! `graph` panels (to `timeseries`), `singlestat` (to `stat` or `gauge`) and Grafana 6's
//! `options.fieldOptions` (to `fieldConfig` + `reduceOptions`).
//!
//! Legacy members are left in place (in `extra`), so nothing is lost; only what Sightline reads is
//! added. Each conversion is reported as a warning.

use serde_json::{json, Value};

use super::codec::{number_value, Cx};
use super::diagnostics::{DiagnosticKind, JsonPath};
use super::json::{Member, Node, NodeValue};
use super::node_edit::{
    bool_of, edit_object, get, get_mut, node, number_of, remove, set, set_default, str_of,
};

/// Grid rows per pixel of old row heights: Grafana's 30 px cells plus 8 px margin.
const PIXELS_PER_GRID_ROW: f64 = 38.0;

/// Applies every migration to the root object's members.
pub(crate) fn migrate(root: &mut Vec<Member>, cx: &mut Cx) {
    migrate_rows(root, cx);
    if let Some(Node {
        value: NodeValue::Array(panels),
        ..
    }) = get_mut(root, "panels")
    {
        let path = JsonPath::root().key("panels");
        for (i, panel) in panels.iter_mut().enumerate() {
            migrate_panel(panel, &path.index(i), cx);
            let child_path = path.index(i).key("panels");
            if let Some(NodeValue::Array(children)) = super::node_edit::members_mut(panel)
                .and_then(|m| get_mut(m, "panels"))
                .map(|n| &mut n.value)
            {
                for (j, child) in children.iter_mut().enumerate() {
                    migrate_panel(child, &child_path.index(j), cx);
                }
            }
        }
    }
}

fn migrate_panel(panel: &mut Node, path: &JsonPath, cx: &mut Cx) {
    let offset = panel.offset;
    let Some(members) = super::node_edit::members_mut(panel) else {
        return;
    };
    match str_of(members, "type") {
        Some("graph") => {
            graph_to_timeseries(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.clone(),
                "legacy graph panel opened as timeseries",
                Some(offset),
            );
        }
        Some("singlestat") => {
            let to = singlestat_to_stat(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.clone(),
                format!("legacy singlestat panel opened as {to}"),
                Some(offset),
            );
        }
        Some("stat" | "gauge" | "bargauge")
            if has_object(members, "options", "fieldOptions")
                && !has_object(members, "options", "reduceOptions") =>
        {
            field_options_to_field_config(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.key("options").key("fieldOptions"),
                "Grafana 6 fieldOptions moved to fieldConfig and reduceOptions",
                Some(offset),
            );
        }
        _ => {}
    }
}

fn has_object(members: &[Member], outer: &str, inner: &str) -> bool {
    get(members, outer)
        .and_then(|n| n.get(inner))
        .is_some_and(|n| matches!(n.value, NodeValue::Object(_)))
}

/// Old layout (schemaVersion < 16): `rows[].panels[]` with `span` (of 12) and row `height` (px).
fn migrate_rows(root: &mut Vec<Member>, cx: &mut Cx) {
    let has_panels =
        matches!(get(root, "panels").map(|n| &n.value), Some(NodeValue::Array(p)) if !p.is_empty());
    if has_panels
        || !matches!(
            get(root, "rows").map(|n| &n.value),
            Some(NodeValue::Array(_))
        )
    {
        return;
    }
    let Some(rows_node) = remove(root, "rows") else {
        return;
    };
    let rows_offset = rows_node.offset;
    let NodeValue::Array(rows) = rows_node.value else {
        return;
    };
    let max_id = rows
        .iter()
        .filter_map(|row| row.get("panels"))
        .flat_map(|panels| match &panels.value {
            NodeValue::Array(items) => items
                .iter()
                .filter_map(|p| p.get("id"))
                .filter_map(|id| match &id.value {
                    NodeValue::Number(n) => n.as_u64(),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .max()
        .unwrap_or(0);
    let mut next_id = max_id + 1;
    let show_rows = rows.iter().any(|row| {
        row.get("collapse")
            .is_some_and(|n| n.value == NodeValue::Bool(true))
            || row
                .get("showTitle")
                .is_some_and(|n| n.value == NodeValue::Bool(true))
            || row
                .get("repeat")
                .and_then(Node::as_str)
                .is_some_and(|r| !r.is_empty())
    });
    let mut out: Vec<Node> = Vec::new();
    let mut y: u32 = 0;
    for row in rows {
        let row_offset = row.offset;
        let NodeValue::Object(mut row_members) = row.value else {
            continue;
        };
        if get(&row_members, "repeatIteration").is_some() {
            continue;
        }
        let height = grid_height(get(&row_members, "height"), 250.0);
        let collapsed = bool_of(&row_members, "collapse").unwrap_or(false);
        let panels = match remove(&mut row_members, "panels").map(|n| n.value) {
            Some(NodeValue::Array(items)) => items,
            _ => Vec::new(),
        };
        let mut row_panel = None;
        if show_rows {
            remove(&mut row_members, "collapse");
            remove(&mut row_members, "height");
            let mut members = vec![
                member("id", node(json!(next_id), row_offset)),
                member("type", node(json!("row"), row_offset)),
            ];
            next_id += 1;
            members.append(&mut row_members);
            set(
                &mut members,
                "collapsed",
                node(json!(collapsed), row_offset),
            );
            set(
                &mut members,
                "gridPos",
                node(json!({"x": 0, "y": y, "w": 24, "h": 1}), row_offset),
            );
            row_panel = Some((members, Vec::new()));
            y += 1;
        }
        let mut area = RowArea::new(y);
        let mut visible = Vec::new();
        for mut panel in panels {
            let panel_offset = panel.offset;
            if let Some(members) = super::node_edit::members_mut(&mut panel) {
                let span = number_of(members, "span")
                    .unwrap_or(4.0)
                    .floor()
                    .clamp(1.0, 12.0);
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let width = (span as u32) * 2;
                let panel_height = match get(members, "height") {
                    Some(h) if h.value != NodeValue::Null => grid_height(Some(h), 250.0),
                    _ => height,
                };
                let (px, py) = area.place(width, panel_height);
                remove(members, "span");
                set(
                    members,
                    "gridPos",
                    node(
                        json!({"x": px, "y": py, "w": width, "h": panel_height}),
                        panel_offset,
                    ),
                );
            }
            match &mut row_panel {
                Some((_, children)) if collapsed => children.push(panel),
                _ => visible.push(panel),
            }
        }
        if let Some((mut members, children)) = row_panel {
            set(
                &mut members,
                "panels",
                Node {
                    offset: row_offset,
                    value: NodeValue::Array(children),
                },
            );
            out.push(Node {
                offset: row_offset,
                value: NodeValue::Object(members),
            });
        }
        // A row header comes before the panels under it, as Grafana orders them.
        out.append(&mut visible);
        if !collapsed || !show_rows {
            y = y.max(area.bottom).max(y + height);
        }
    }
    set(
        root,
        "panels",
        Node {
            offset: rows_offset,
            value: NodeValue::Array(out),
        },
    );
    cx.warn(
        DiagnosticKind::Migration,
        JsonPath::root().key("rows"),
        "old rows layout converted to panels with gridPos and row panels",
        Some(rows_offset),
    );
}

fn member(key: &str, node: Node) -> Member {
    Member {
        key: key.to_owned(),
        key_offset: node.offset,
        node,
    }
}

/// Grid rows for a pixel height (`250`, `"250px"`), at least 3 like Grafana's minimum panel.
fn grid_height(height: Option<&Node>, default_px: f64) -> u32 {
    let px = match height.map(|n| &n.value) {
        Some(NodeValue::Number(n)) => n.as_f64().unwrap_or(default_px),
        Some(NodeValue::String(s)) => s
            .trim()
            .trim_end_matches("px")
            .trim()
            .parse()
            .unwrap_or(default_px),
        _ => default_px,
    };
    let px = if px.is_finite() {
        px.clamp(90.0, 100_000.0)
    } else {
        default_px
    };
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rows = (px / PIXELS_PER_GRID_ROW).ceil() as u32;
    rows
}

/// Places panels of one old row left to right, wrapping at 24 columns.
struct RowArea {
    top: u32,
    x: u32,
    line_y: u32,
    line_h: u32,
    bottom: u32,
}

impl RowArea {
    fn new(top: u32) -> Self {
        RowArea {
            top,
            x: 0,
            line_y: top,
            line_h: 0,
            bottom: top,
        }
    }

    fn place(&mut self, w: u32, h: u32) -> (u32, u32) {
        if self.x + w > 24 {
            self.line_y += self.line_h;
            self.x = 0;
            self.line_h = 0;
        }
        let at = (self.x, self.line_y.max(self.top));
        self.x += w;
        self.line_h = self.line_h.max(h);
        self.bottom = self.bottom.max(self.line_y + self.line_h);
        at
    }
}

/// `graph` → `timeseries`: unit, decimals, min/max from the left y axis; draw style; legend
/// flags → legend calcs; tooltip mode.
fn graph_to_timeseries(members: &mut Vec<Member>, offset: usize) {
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
    merge_field_defaults(members, Value::Object(defaults), offset);

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
fn singlestat_to_stat(members: &mut Vec<Member>, offset: usize) -> &'static str {
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

/// Grafana 6 `options.fieldOptions {calcs, values, defaults, overrides}` → `fieldConfig` and
/// `options.reduceOptions`.
fn field_options_to_field_config(members: &mut Vec<Member>, offset: usize) {
    let mut field_options = Vec::new();
    edit_object(members, "options", offset, |options| {
        // `reduceOptions` takes the place of `fieldOptions`, so the key order stays close.
        if let Some(member) = options.iter_mut().find(|m| m.key == "fieldOptions") {
            member.key = "reduceOptions".to_owned();
            if let NodeValue::Object(fo) =
                std::mem::replace(&mut member.node.value, NodeValue::Object(Vec::new()))
            {
                field_options = fo;
            }
        }
    });
    let defaults = remove(&mut field_options, "defaults");
    let overrides = remove(&mut field_options, "overrides");
    edit_object(members, "fieldConfig", offset, |config| {
        if let Some(defaults) = defaults {
            set_default(config, "defaults", defaults);
        }
        if let Some(overrides) = overrides {
            set_default(config, "overrides", overrides);
        }
    });
    edit_object(members, "options", offset, |options| {
        let mut reduce = Vec::new();
        for key in ["calcs", "values", "limit", "fields"] {
            if let Some(node) = remove(&mut field_options, key) {
                set(&mut reduce, key, node);
            }
        }
        set(
            options,
            "reduceOptions",
            Node {
                offset,
                value: NodeValue::Object(reduce),
            },
        );
        if !field_options.is_empty() {
            set(
                options,
                "fieldOptions",
                Node {
                    offset,
                    value: NodeValue::Object(field_options),
                },
            );
        }
    });
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
