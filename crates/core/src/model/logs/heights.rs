//! Row geometry of a virtualized list: each row's height (estimated, then measured once drawn),
//! their running offsets, and which rows a scroll position shows, so that only those (plus a
//! margin) are in the DOM.

use std::ops::Range;

/// Heights of every row and their prefix sums.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowHeights {
    /// `offsets[i]` is the top of row `i`; `offsets[len]` the total height.
    offsets: Vec<f64>,
}

impl RowHeights {
    /// Geometry for rows of the given heights (CSS pixels; negative or NaN heights count as 0).
    #[must_use]
    pub fn new(heights: impl IntoIterator<Item = f64>) -> Self {
        let mut offsets = vec![0.0];
        let mut top = 0.0;
        for h in heights {
            top += if h.is_finite() { h.max(0.0) } else { 0.0 };
            offsets.push(top);
        }
        RowHeights { offsets }
    }

    /// Number of rows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// True without rows.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Height of all rows.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.offsets.last().copied().unwrap_or(0.0)
    }

    /// Top of row `index` (the total height past the last row).
    #[must_use]
    pub fn top_of(&self, index: usize) -> f64 {
        self.offsets
            .get(index.min(self.len()))
            .copied()
            .unwrap_or(0.0)
    }

    /// The row under vertical position `y` (clamped to the rows).
    #[must_use]
    pub fn index_at(&self, y: f64) -> usize {
        if self.is_empty() {
            return 0;
        }
        // The last offset not above y.
        let i = self.offsets.partition_point(|&top| top <= y);
        i.saturating_sub(1).min(self.len() - 1)
    }

    /// The rows to render for a viewport at `scroll_top` of `viewport` pixels, with `overscan`
    /// extra rows on each side.
    #[must_use]
    pub fn window(&self, scroll_top: f64, viewport: f64, overscan: usize) -> Range<usize> {
        if self.is_empty() {
            return 0..0;
        }
        let first = self.index_at(scroll_top.max(0.0));
        let last = self.index_at(scroll_top.max(0.0) + viewport.max(0.0));
        first.saturating_sub(overscan)..(last + 1 + overscan).min(self.len())
    }
}

/// Visual lines a wrapped text takes in a column `columns` characters wide (each hard line at
/// least one).
#[must_use]
pub fn wrapped_lines(text: &str, columns: usize) -> usize {
    let columns = columns.max(1);
    text.split('\n')
        .map(|line| line.chars().count().div_ceil(columns).max(1))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_viewport_plus_overscan() {
        let rows = RowHeights::new(std::iter::repeat_n(20.0, 5000));
        assert_eq!(rows.total(), 100_000.0);
        assert_eq!(rows.window(0.0, 600.0, 10), 0..41);
        assert_eq!(rows.window(10_000.0, 600.0, 10), 490..541);
        // Scrolled to the end: the last rows, never past them.
        assert_eq!(rows.window(99_400.0, 600.0, 10), 4960..5000);
        assert!(rows.window(99_400.0, 600.0, 10).len() < 200);
    }

    #[test]
    fn variable_heights_are_found_by_offset() {
        let rows = RowHeights::new([20.0, 100.0, 20.0, f64::NAN, 20.0]);
        assert_eq!(rows.top_of(2), 120.0);
        assert_eq!(rows.index_at(0.0), 0);
        assert_eq!(rows.index_at(119.9), 1);
        assert_eq!(rows.index_at(120.0), 2);
        assert_eq!(rows.index_at(1e9), 4);
        assert_eq!(rows.top_of(99), rows.total());
        assert_eq!(RowHeights::new([]).window(0.0, 100.0, 5), 0..0);
    }

    #[test]
    fn wrapped_text_counts_visual_lines() {
        assert_eq!(wrapped_lines("", 80), 1);
        assert_eq!(wrapped_lines(&"x".repeat(160), 80), 2);
        assert_eq!(wrapped_lines(&"x".repeat(161), 80), 3);
        assert_eq!(wrapped_lines("a\nb", 80), 2);
    }
}
