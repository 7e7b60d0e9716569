//! Panel positions on Grafana's 24-column grid.

use super::codec::object_model;

/// Columns of the dashboard grid.
pub const GRID_COLUMNS: u32 = 24;

object_model! {
    /// Where a panel sits: `x`/`w` in grid columns (0–24), `y`/`h` in rows of 30 px.
    pub struct GridPos {
        field x: u32 = "x",
        field y: u32 = "y",
        field w: u32 = "w",
        field h: u32 = "h",
    }
}

impl GridPos {
    /// A position from its four numbers.
    #[must_use]
    pub fn new(x: u32, y: u32, w: u32, h: u32) -> Self {
        GridPos {
            x,
            y,
            w,
            h,
            ..GridPos::default()
        }
    }

    /// The first row below the panel.
    #[must_use]
    pub fn bottom(&self) -> u32 {
        self.y.saturating_add(self.h)
    }

    /// Whether two positions share at least one grid cell.
    #[must_use]
    pub fn overlaps(&self, other: &GridPos) -> bool {
        self.x < other.x.saturating_add(other.w)
            && other.x < self.x.saturating_add(self.w)
            && self.y < other.bottom()
            && other.y < self.bottom()
    }
}

/// The lowest free row of each grid column, for placing panels top to bottom without overlap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skyline {
    columns: [u32; GRID_COLUMNS as usize],
}

impl Skyline {
    /// A skyline whose every column is free from row `floor` down.
    pub(crate) fn from_floor(floor: u32) -> Self {
        Skyline {
            columns: [floor; GRID_COLUMNS as usize],
        }
    }

    /// Moves `grid` down to the first row free in all its columns if it starts above it, marks
    /// its cells as taken, and returns the row it was moved from.
    pub(crate) fn settle(&mut self, grid: &mut GridPos) -> Option<u32> {
        let start = (grid.x.min(GRID_COLUMNS - 1)) as usize;
        let end = (grid.x.saturating_add(grid.w) as usize).clamp(start + 1, GRID_COLUMNS as usize);
        let top = self.columns[start..end].iter().copied().max().unwrap_or(0);
        let moved = (top > grid.y).then(|| std::mem::replace(&mut grid.y, top));
        let bottom = grid.bottom();
        for column in &mut self.columns[start..end] {
            *column = bottom;
        }
        moved
    }
}
