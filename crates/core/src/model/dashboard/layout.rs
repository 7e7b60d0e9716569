//! Repairs on load: duplicate or missing panel ids, panels outside the 24-column grid, and
//! overlapping panels (pushed down, in linear time). A valid layout is never changed.

use std::collections::HashSet;

use super::codec::Cx;
use super::diagnostics::{DiagnosticKind, JsonPath};
use super::grid::{GridPos, Skyline, GRID_COLUMNS};
use super::panel::Panel;

/// Height and width given to a panel that has no `gridPos`.
const DEFAULT_SIZE: (u32, u32) = (12, 8);

/// Repairs ids and positions of `panels` (top level) and of collapsed rows' children.
pub(crate) fn repair(panels: &mut [Panel], cx: &mut Cx) {
    repair_ids(panels, cx);
    let root = JsonPath::root().key("panels");
    repair_grid(panels, &root, cx);
    for (i, panel) in panels.iter_mut().enumerate() {
        if !panel.panels.is_empty() {
            repair_grid(&mut panel.panels, &root.index(i).key("panels"), cx);
        }
    }
}

fn repair_ids(panels: &mut [Panel], cx: &mut Cx) {
    let mut max_id = 0;
    for panel in panels.iter() {
        max_id = max_id.max(panel.id.unwrap_or(0));
        for child in &panel.panels {
            max_id = max_id.max(child.id.unwrap_or(0));
        }
    }
    let mut seen = HashSet::new();
    let root = JsonPath::root().key("panels");
    let mut fix = |panel: &mut Panel, path: JsonPath, cx: &mut Cx| match panel.id {
        Some(id) if seen.insert(id) => {}
        Some(id) => {
            max_id += 1;
            panel.id = Some(max_id);
            seen.insert(max_id);
            let message = format!("duplicate panel id {id}; changed to {max_id}");
            cx.warn(
                DiagnosticKind::Layout,
                path.key("id"),
                message,
                panel.form.offset(),
            );
        }
        None => {
            max_id += 1;
            panel.id = Some(max_id);
            seen.insert(max_id);
        }
    };
    for (i, panel) in panels.iter_mut().enumerate() {
        fix(panel, root.index(i), cx);
        for (j, child) in panel.panels.iter_mut().enumerate() {
            fix(child, root.index(i).key("panels").index(j), cx);
        }
    }
}

fn repair_grid(panels: &mut [Panel], path: &JsonPath, cx: &mut Cx) {
    let mut bottom = 0;
    for (i, panel) in panels.iter_mut().enumerate() {
        let grid_path = path.index(i).key("gridPos");
        let offset = panel
            .grid_pos
            .as_ref()
            .and_then(|g| g.form.offset())
            .or(panel.form.offset());
        let grid = panel.grid_pos.get_or_insert_with(|| {
            cx.warn(
                DiagnosticKind::Layout,
                grid_path.clone(),
                "missing; the panel is placed below the others",
                offset,
            );
            GridPos::new(0, u32::MAX, DEFAULT_SIZE.0, DEFAULT_SIZE.1)
        });
        if grid.y != u32::MAX {
            bottom = bottom.max(grid.bottom());
        }
        clamp_to_grid(grid, &grid_path, offset, cx);
    }
    for panel in panels.iter_mut() {
        if let Some(grid) = &mut panel.grid_pos {
            if grid.y == u32::MAX {
                grid.y = bottom;
                bottom += grid.h;
            }
        }
    }
    push_down_overlaps(panels, path, cx);
}

fn clamp_to_grid(grid: &mut GridPos, path: &JsonPath, offset: Option<usize>, cx: &mut Cx) {
    let before = (grid.x, grid.w, grid.h);
    grid.w = grid.w.clamp(1, GRID_COLUMNS);
    grid.h = grid.h.max(1);
    grid.x = grid.x.min(GRID_COLUMNS - grid.w);
    if before != (grid.x, grid.w, grid.h) {
        let message = format!(
            "x={}, w={}, h={} does not fit the {GRID_COLUMNS}-column grid; changed to x={}, w={}, h={}",
            before.0, before.1, before.2, grid.x, grid.w, grid.h
        );
        cx.warn(DiagnosticKind::Layout, path.clone(), message, offset);
    }
}

/// Places panels in (y, x) order over a per-column skyline; a panel that starts above the
/// skyline of its columns overlaps an earlier one and moves down to it.
fn push_down_overlaps(panels: &mut [Panel], path: &JsonPath, cx: &mut Cx) {
    let mut order: Vec<usize> = (0..panels.len()).collect();
    let key = |p: &Panel| p.grid_pos.as_ref().map_or((0, 0), |g| (g.y, g.x));
    crate::sort::sort_by_key(&mut order, |&i| key(&panels[i]));
    let mut skyline = Skyline::from_floor(0);
    for i in order {
        let title = panels[i].title.clone();
        let Some(grid) = panels[i].grid_pos.as_mut() else {
            continue;
        };
        if let Some(from) = skyline.settle(grid) {
            let message = format!(
                "{title:?} overlaps another panel; moved down from y={from} to y={}",
                grid.y
            );
            cx.warn(
                DiagnosticKind::Layout,
                path.index(i).key("gridPos"),
                message,
                grid.form.offset(),
            );
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn panel(x: u32, y: u32, w: u32, h: u32) -> Panel {
        Panel {
            grid_pos: Some(GridPos::new(x, y, w, h)),
            ..Panel::default()
        }
    }

    fn grids(panels: &[Panel]) -> Vec<(u32, u32, u32, u32)> {
        panels
            .iter()
            .filter_map(|p| p.grid_pos.as_ref().map(|g| (g.x, g.y, g.w, g.h)))
            .collect()
    }

    #[test]
    fn overlapping_panel_is_pushed_below() {
        let mut panels = vec![panel(0, 0, 12, 8), panel(0, 8, 12, 8), panel(0, 8, 12, 8)];
        let mut cx = Cx::default();
        repair(&mut panels, &mut cx);
        assert_eq!(
            grids(&panels),
            vec![(0, 0, 12, 8), (0, 8, 12, 8), (0, 16, 12, 8)]
        );
        assert_eq!(cx.diagnostics.len(), 1, "{:?}", cx.diagnostics);
        assert_eq!(cx.diagnostics[0].path.to_string(), "panels[2].gridPos");
    }

    #[test]
    fn too_wide_panels_are_clamped_to_the_grid() {
        let mut panels = vec![panel(20, 0, 30, 0)];
        let mut cx = Cx::default();
        repair(&mut panels, &mut cx);
        assert_eq!(grids(&panels), vec![(0, 0, 24, 1)]);
        assert_eq!(cx.diagnostics.len(), 1);
    }

    #[test]
    fn duplicate_ids_get_fresh_ones() {
        let mut panels = vec![panel(0, 0, 1, 1), panel(1, 0, 1, 1), panel(2, 0, 1, 1)];
        panels[0].id = Some(4);
        panels[1].id = Some(4);
        let mut cx = Cx::default();
        repair(&mut panels, &mut cx);
        let ids: Vec<_> = panels.iter().map(|p| p.id).collect();
        assert_eq!(ids, vec![Some(4), Some(5), Some(6)]);
        assert_eq!(cx.diagnostics.len(), 1);
    }

    #[test]
    fn ten_thousand_stacked_panels_repair_quickly() {
        let mut panels: Vec<Panel> = (0..10_000).map(|_| panel(0, 0, 24, 2)).collect();
        let mut cx = Cx::default();
        repair(&mut panels, &mut cx);
        assert_eq!(panels[9_999].grid_pos.as_ref().map(|g| g.y), Some(19_998));
    }

    proptest! {
        #[test]
        fn repaired_layouts_never_overlap(cells in prop::collection::vec((0u32..30, 0u32..40, 0u32..30, 0u32..10), 0..40)) {
            let mut panels: Vec<Panel> = cells.iter().map(|&(x, y, w, h)| panel(x, y, w, h)).collect();
            repair(&mut panels, &mut Cx::default());
            let g = grids(&panels);
            for (i, a) in g.iter().enumerate() {
                prop_assert!(a.0 + a.2 <= GRID_COLUMNS && a.2 >= 1 && a.3 >= 1);
                for b in &g[i + 1..] {
                    let (pa, pb) = (GridPos::new(a.0, a.1, a.2, a.3), GridPos::new(b.0, b.1, b.2, b.3));
                    prop_assert!(!pa.overlaps(&pb), "{a:?} {b:?}");
                }
            }
        }

        #[test]
        fn valid_layouts_are_left_alone(rows in prop::collection::vec((1u32..=24, 1u32..10), 1..30)) {
            let mut panels = Vec::new();
            let mut y = 0;
            for (w, h) in rows {
                panels.push(panel(0, y, w, h));
                if w <= 12 { panels.push(panel(12, y, 12, h)); }
                y += h;
            }
            let before = grids(&panels);
            let mut cx = Cx::default();
            repair(&mut panels, &mut cx);
            prop_assert_eq!(grids(&panels), before);
            prop_assert!(cx.diagnostics.is_empty());
        }
    }
}
