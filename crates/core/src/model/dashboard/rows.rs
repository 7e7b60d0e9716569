//! Rows: counting panels before reading (for the limits), and expanding or collapsing a row the
//! way Grafana does (children move between the row's `panels` and the dashboard's).

use super::document::Dashboard;
use super::grid::GridPos;
use super::json::{Member, NodeValue};
use super::node_edit::get;
use super::panel::{Panel, PanelKind};

/// Panels in a parsed root object, counting row children and old-layout rows.
pub(crate) fn count_panels(root: &[Member]) -> usize {
    let count_list = |key: &str| match get(root, key).map(|n| &n.value) {
        Some(NodeValue::Array(items)) => items
            .iter()
            .map(|item| {
                1 + match item.get("panels").map(|n| &n.value) {
                    Some(NodeValue::Array(children)) => children.len(),
                    _ => 0,
                }
            })
            .sum(),
        _ => 0,
    };
    count_list("panels") + count_list("rows")
}

/// Variables in a parsed root object.
pub(crate) fn count_variables(root: &[Member]) -> usize {
    match get(root, "templating")
        .and_then(|t| t.get("list"))
        .map(|n| &n.value)
    {
        Some(NodeValue::Array(items)) => items.len(),
        _ => 0,
    }
}

impl Dashboard {
    /// Collapses or expands the row panel at `index` of `panels`, moving its children and
    /// shifting the panels below, as Grafana does. Returns `false` when `index` is not a row or
    /// the row is already in that state.
    pub fn set_row_collapsed(&mut self, index: usize, collapsed: bool) -> bool {
        let Some(row) = self.panels.get(index) else {
            return false;
        };
        if row.kind != PanelKind::Row || row.collapsed == collapsed {
            return false;
        }
        let row_bottom = grid(row).bottom();
        if collapsed {
            let end = self.panels[index + 1..]
                .iter()
                .position(|p| p.kind == PanelKind::Row)
                .map_or(self.panels.len(), |at| index + 1 + at);
            let children: Vec<Panel> = self.panels.drain(index + 1..end).collect();
            let height = children
                .iter()
                .map(|c| grid(c).bottom())
                .max()
                .unwrap_or(row_bottom)
                .saturating_sub(row_bottom);
            for panel in &mut self.panels[index + 1..] {
                shift(panel, |y| y.saturating_sub(height));
            }
            let row = &mut self.panels[index];
            row.panels = children;
            row.collapsed = true;
        } else {
            let row = &mut self.panels[index];
            let mut children = std::mem::take(&mut row.panels);
            row.collapsed = false;
            let first = children
                .iter()
                .map(|c| grid(c).y)
                .min()
                .unwrap_or(row_bottom);
            for child in &mut children {
                shift(child, |y| y - first + row_bottom);
            }
            let height = children
                .iter()
                .map(|c| grid(c).bottom())
                .max()
                .unwrap_or(row_bottom)
                .saturating_sub(row_bottom);
            for panel in &mut self.panels[index + 1..] {
                shift(panel, |y| y + height);
            }
            let at = index + 1;
            self.panels.splice(at..at, children);
        }
        true
    }
}

fn grid(panel: &Panel) -> GridPos {
    panel.grid_pos.clone().unwrap_or_default()
}

fn shift(panel: &mut Panel, f: impl Fn(u32) -> u32) {
    if let Some(grid) = &mut panel.grid_pos {
        grid.y = f(grid.y);
    }
}
