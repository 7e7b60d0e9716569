//! The old layout (schemaVersion < 16): `rows[].panels[]` with `span` and row heights in pixels,
//! converted to `panels` with `gridPos` and `type: "row"` panels, as Grafana does.

use serde_json::json;

use super::super::codec::Cx;
use super::super::diagnostics::{DiagnosticKind, JsonPath};
use super::super::json::{Member, Node, NodeValue};
use super::super::node_edit::{bool_of, get, node, number_of, remove, set};

/// Grid rows per pixel of old row heights: Grafana's 30 px cells plus 8 px margin.
const PIXELS_PER_GRID_ROW: f64 = 38.0;

/// Old layout (schemaVersion < 16): `rows[].panels[]` with `span` (of 12) and row `height` (px).
pub(super) fn migrate_rows(root: &mut Vec<Member>, cx: &mut Cx) {
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
    for (index, row) in rows.into_iter().enumerate() {
        let row_offset = row.offset;
        let NodeValue::Object(mut row_members) = row.value else {
            continue;
        };
        // Rows repeated by Grafana at save time are copies; `null` means "not a copy".
        if get(&row_members, "repeatIteration")
            .is_some_and(|n| !matches!(n.value, NodeValue::Null | NodeValue::Bool(false)))
        {
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
            // The row panel has its own id and type; an old row's own (not in Grafana's model)
            // would be a second key of the same name, which the next load reads differently.
            for key in ["id", "type"] {
                if let Some(dropped) = remove(&mut row_members, key) {
                    cx.warn(
                        DiagnosticKind::Migration,
                        JsonPath::root().key("rows").index(index).key(key),
                        format!(
                            "an old row's \"{key}\" is not kept: the row panel made from it has its own"
                        ),
                        Some(dropped.offset),
                    );
                }
            }
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
            if let Some(members) = super::super::node_edit::members_mut(&mut panel) {
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

pub(super) fn member(key: &str, node: Node) -> Member {
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
