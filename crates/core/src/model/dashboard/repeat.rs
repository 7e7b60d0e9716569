//! Grafana's repeats: a panel (or a row with its panels) with `repeat: "gpu"` is drawn once per
//! selected value of `$gpu` — every option when "All" is selected — each copy seeing `$gpu` as
//! that one value. The file keeps the one panel; copies exist only in the layout computed here.
//!
//! Layout follows Grafana's `DashboardModel.repeatPanel` / `repeatRow`: horizontal copies share
//! the full grid width, `maxPerRow` (default 4) to a row, starting at column 0; vertical copies
//! stack below the panel at its width; a repeated row's block (header and panels) is repeated
//! below itself. What lay below moves down by what the copies added. Grafana's widths are
//! fractions of 24 columns; here the columns left over by `24 / per_row` go one each to the first
//! copies of a row, so a row of copies still fills the width.

use super::grid::{GridPos, Skyline, GRID_COLUMNS};
use super::panel::{Panel, PanelKind};
use crate::model::interpolate::VariableValue;

/// Copies per row of a horizontal repeat when the panel does not say (Grafana's default).
pub const DEFAULT_MAX_PER_ROW: u32 = 4;

/// One value a panel or row is repeated for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatValue {
    pub value: String,
    /// What the user sees (`${var:text}`, the default in titles).
    pub text: String,
}

/// A variable narrowed to one value inside a copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RepeatScope {
    pub variable: String,
    pub value: String,
    pub text: String,
}

/// Where one panel or row header of the file is drawn, and the values its copy sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Index in the dashboard's top-level `panels`.
    pub index: usize,
    pub grid: GridPos,
    /// The variables narrowed for this copy (a repeated row's first, then the panel's); empty
    /// for a panel that is not repeated.
    pub scopes: Vec<RepeatScope>,
    /// A repeated row's copy the viewer folded, with how many panels (copies included) it hides:
    /// its header is drawn, its panels are not.
    pub folded: Option<usize>,
}

/// Which copies of a repeated row the viewer folded: `(row id, the copy's value)`. A view
/// state, not part of the file: the file's `collapsed` folds or unfolds every copy.
pub type FoldedCopies<'a> = &'a dyn Fn(u64, &str) -> bool;

impl Panel {
    /// The variable this panel or row repeats for, if any.
    #[must_use]
    pub fn repeat_variable(&self) -> Option<&str> {
        self.repeat
            .as_deref()
            .map(str::trim)
            .map(|name| name.trim_start_matches('$'))
            .filter(|name| !name.is_empty())
    }

    /// Whether copies stack below the panel (`repeatDirection: "v"`) instead of side by side.
    #[must_use]
    pub fn repeats_vertically(&self) -> bool {
        self.repeat_direction.as_deref() == Some("v")
    }

    /// Copies per row of a horizontal repeat, 1–24.
    #[must_use]
    pub fn max_per_row(&self) -> u32 {
        self.max_per_row
            .filter(|&n| n > 0)
            .unwrap_or(DEFAULT_MAX_PER_ROW)
            .min(GRID_COLUMNS)
    }

    /// The panel this one is Grafana's saved copy of (`repeatPanelId`).
    fn saved_copy_of(&self) -> Option<u64> {
        self.extra
            .get("repeatPanelId")
            .and_then(serde_json::Value::as_u64)
    }

    /// Whether Grafana saved this panel as a repeated row's copy (`repeatedByRow`).
    fn repeated_by_row(&self) -> bool {
        self.extra
            .get("repeatedByRow")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }
}

/// Where every top-level panel and row header of `panels` is drawn, repeats expanded.
/// `values_of(name)` gives the values a variable repeats for (none: the panel is drawn once).
/// Panels without a `gridPos` are left out (loading gives every panel one).
#[must_use]
pub fn place(panels: &[Panel], values_of: &dyn Fn(&str) -> Vec<RepeatValue>) -> Vec<Placement> {
    place_folding(panels, values_of, &|_, _| false)
}

/// [`place`], with the copies of expanded repeated rows that `folded` names drawn folded: their
/// header only, and what lies below moved up.
#[must_use]
pub fn place_folding(
    panels: &[Panel],
    values_of: &dyn Fn(&str) -> Vec<RepeatValue>,
    folded: FoldedCopies<'_>,
) -> Vec<Placement> {
    let repeating: std::collections::HashSet<u64> = panels
        .iter()
        .filter(|p| p.repeat_variable().is_some())
        .filter_map(|p| p.id)
        .collect();
    let any_repeat = !repeating.is_empty();
    let mut order: Vec<usize> = (0..panels.len())
        .filter(|&i| panels[i].grid_pos.is_some())
        .filter(|&i| {
            let panel = &panels[i];
            !(any_repeat
                && (panel.repeated_by_row()
                    || panel
                        .saved_copy_of()
                        .is_some_and(|id| panel.id != Some(id) && repeating.contains(&id))))
        })
        .collect();
    crate::sort::sort_by_key(&mut order, |&i| {
        let g = grid(&panels[i]);
        (g.y, g.x)
    });
    let mut out = Vec::with_capacity(order.len());
    let mut growth: u32 = 0;
    let mut start = 0;
    while start < order.len() {
        let row = (panels[order[start]].kind == PanelKind::Row).then_some(order[start]);
        let first_child = start + usize::from(row.is_some());
        let end = order[first_child..]
            .iter()
            .position(|&i| panels[i].kind == PanelKind::Row)
            .map_or(order.len(), |at| first_child + at);
        let children = &order[first_child..end];
        // A collapsed row holds its panels itself; the ones after it in the file are not its.
        let collapsed = row.is_some_and(|i| panels[i].collapsed);
        let section = Section {
            panels,
            values_of,
            folded,
        };
        if collapsed {
            growth += section.place(row, &[], growth, &mut out);
        }
        if !(collapsed && children.is_empty()) {
            let row = row.filter(|_| !collapsed);
            growth += section.place(row, children, growth, &mut out);
        }
        start = end;
    }
    out
}

fn grid(panel: &Panel) -> GridPos {
    panel
        .grid_pos
        .as_ref()
        .map_or_else(GridPos::default, |g| GridPos::new(g.x, g.y, g.w, g.h))
}

/// What placing a section (a row and its panels) needs besides the section itself.
struct Section<'a> {
    panels: &'a [Panel],
    values_of: &'a dyn Fn(&str) -> Vec<RepeatValue>,
    folded: FoldedCopies<'a>,
}

impl Section<'_> {
    /// Places a row header (if any) and the panels under it, `shift` rows lower than in the
    /// file; returns how many rows taller the section became. A folded copy of a repeated row
    /// takes only its header's height.
    fn place(
        &self,
        row: Option<usize>,
        children: &[usize],
        shift: u32,
        out: &mut Vec<Placement>,
    ) -> u32 {
        let panels = self.panels;
        let header = row.map(|i| grid(&panels[i]));
        let top = header
            .as_ref()
            .map(|g| g.y)
            .or_else(|| children.first().map(|&i| grid(&panels[i]).y))
            .unwrap_or(0);
        let file_bottom = header
            .iter()
            .map(GridPos::bottom)
            .chain(children.iter().map(|&i| grid(&panels[i]).bottom()))
            .max()
            .unwrap_or(top);
        let floor = header.as_ref().map_or(top, GridPos::bottom);
        let body = place_panels(panels, children, self.values_of, floor);
        let block_bottom = body
            .iter()
            .map(|p| p.grid.bottom())
            .max()
            .unwrap_or(0)
            .max(floor);
        let block = block_bottom - top;
        let row_copies: Vec<Option<RepeatScope>> =
            match row.and_then(|i| scope_values(&panels[i], self.values_of)) {
                Some(scopes) => scopes.into_iter().map(Some).collect(),
                None => vec![None],
            };
        // Copies fold one by one only while the file leaves the row unfolded.
        let row_id = row
            .filter(|&i| !panels[i].collapsed)
            .and_then(|i| panels[i].id);
        let mut offset = shift;
        for row_scope in row_copies {
            let folded = matches!((row_id, &row_scope), (Some(id), Some(scope)) if (self.folded)(id, &scope.value))
                .then_some(body.len());
            let scopes: Vec<RepeatScope> = row_scope.into_iter().collect();
            if let (Some(index), Some(header)) = (row, &header) {
                out.push(Placement {
                    index,
                    grid: lowered(header, offset),
                    scopes: scopes.clone(),
                    folded,
                });
            }
            if folded.is_some() {
                offset = offset.saturating_add(floor - top);
                continue;
            }
            for placed in &body {
                let mut all = scopes.clone();
                all.extend(placed.scopes.iter().cloned());
                out.push(Placement {
                    index: placed.index,
                    grid: lowered(&placed.grid, offset),
                    scopes: all,
                    folded: None,
                });
            }
            offset = offset.saturating_add(block);
        }
        (offset - shift).saturating_sub(file_bottom - top)
    }
}

fn lowered(grid: &GridPos, by: u32) -> GridPos {
    GridPos::new(grid.x, grid.y.saturating_add(by), grid.w, grid.h)
}

/// The scopes a repeated panel or row is copied for; `None` when it is drawn once.
fn scope_values(
    panel: &Panel,
    values_of: &dyn Fn(&str) -> Vec<RepeatValue>,
) -> Option<Vec<RepeatScope>> {
    let variable = panel.repeat_variable()?;
    let values = values_of(variable);
    (!values.is_empty()).then(|| {
        values
            .into_iter()
            .map(|v| RepeatScope {
                variable: variable.to_owned(),
                value: v.value,
                text: v.text,
            })
            .collect()
    })
}

/// Places `children` (in (y, x) order) with their repeats expanded: copies where Grafana puts
/// them, panels below a repeated one moved down by what its copies added, and any panel a copy
/// would cover (one beside a horizontally repeated panel) moved below it. Nothing goes above
/// `floor`.
fn place_panels(
    panels: &[Panel],
    children: &[usize],
    values_of: &dyn Fn(&str) -> Vec<RepeatValue>,
    floor: u32,
) -> Vec<Placement> {
    // (where the file's panel starts, the placement), and (row below the repeated panel, rows added).
    let mut placed: Vec<(u32, Placement)> = Vec::with_capacity(children.len());
    let mut growths: Vec<(u32, u32)> = Vec::new();
    for &index in children {
        let source = grid(&panels[index]);
        let Some(scopes) = scope_values(&panels[index], values_of) else {
            placed.push((
                source.y,
                Placement {
                    index,
                    grid: source,
                    scopes: Vec::new(),
                    folded: None,
                },
            ));
            continue;
        };
        let copies = copy_positions(&panels[index], &source, scopes.len());
        let bottom = copies
            .iter()
            .map(GridPos::bottom)
            .max()
            .unwrap_or(source.bottom());
        growths.push((source.bottom(), bottom - source.bottom()));
        for (grid, scope) in copies.into_iter().zip(scopes) {
            placed.push((
                source.y,
                Placement {
                    index,
                    grid,
                    scopes: vec![scope],
                    folded: None,
                },
            ));
        }
    }
    if !growths.is_empty() {
        crate::sort::sort_by_key(&mut growths, |&(below, _)| below);
        let mut total = 0u32;
        let cumulative: Vec<(u32, u32)> = growths
            .iter()
            .map(|&(below, added)| {
                total = total.saturating_add(added);
                (below, total)
            })
            .collect();
        for (file_y, placement) in &mut placed {
            let passed = cumulative.partition_point(|&(below, _)| below <= *file_y);
            if passed > 0 {
                let added = cumulative[passed - 1].1;
                placement.grid.y = placement.grid.y.saturating_add(added);
            }
        }
    }
    // Copies first among panels starting on the same row: a panel beside a repeated one moves.
    let mut order: Vec<usize> = (0..placed.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| {
        let (_, p) = &placed[i];
        (p.grid.y, p.scopes.is_empty(), p.grid.x)
    });
    let mut skyline = Skyline::from_floor(floor);
    for &i in &order {
        skyline.settle(&mut placed[i].1.grid);
    }
    order.into_iter().map(|i| placed[i].1.clone()).collect()
}

/// Grid positions of `count` copies of `panel` at `source`.
fn copy_positions(panel: &Panel, source: &GridPos, count: usize) -> Vec<GridPos> {
    let count = u32::try_from(count).unwrap_or(u32::MAX);
    if panel.repeats_vertically() {
        return (0..count)
            .map(|k| lowered(source, k.saturating_mul(source.h)))
            .collect();
    }
    let per_row = count.min(panel.max_per_row()).max(1);
    let (width, wider) = (GRID_COLUMNS / per_row, GRID_COLUMNS % per_row);
    (0..count)
        .map(|k| {
            let (line, column) = (k / per_row, k % per_row);
            let x = column * width + column.min(wider);
            let w = width + u32::from(column < wider);
            GridPos::new(
                x,
                source.y.saturating_add(line.saturating_mul(source.h)),
                w,
                source.h,
            )
        })
        .collect()
}

/// `variables` as a copy sees them: each scoped variable narrowed to its one value (still
/// regex-escaped where the variable is multi-value, as Grafana does).
#[must_use]
pub fn scoped_variables(
    variables: &[(String, VariableValue)],
    scopes: &[RepeatScope],
) -> Vec<(String, VariableValue)> {
    let mut out = variables.to_vec();
    for scope in scopes {
        let narrowed = |multi_or_all: bool| VariableValue {
            values: vec![scope.value.clone()],
            texts: vec![scope.text.clone()],
            is_all: false,
            all_value: None,
            multi_or_all,
        };
        match out.iter_mut().find(|(name, _)| *name == scope.variable) {
            Some((_, value)) => *value = narrowed(value.multi_or_all),
            None => out.push((scope.variable.clone(), narrowed(false))),
        }
    }
    out
}

#[cfg(test)]
mod tests;
