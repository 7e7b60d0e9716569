//! Pie and donut geometry: one SVG path per slice, computed here so the browser only places
//! `<path d=…>` elements. Slices run clockwise from 12 o'clock in the order given, as Grafana's
//! pie chart draws them.

use std::f64::consts::TAU;
use std::fmt::Write as _;

/// One slice: which value it shows, its share of the whole, and its outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// Index of the value in the input.
    pub index: usize,
    /// Share of the total, 0–1.
    pub fraction: f64,
    /// SVG path data.
    pub path: String,
    /// Where a label sits: the middle of the slice's arc, between the radii.
    pub label_at: (f64, f64),
}

/// The slices of `values` around `(cx, cy)` with outer radius `r` and hole radius `hole`
/// (0 for a pie). Values that are not positive finite numbers get no slice; when none is
/// positive there are no slices.
#[must_use]
pub fn slices(values: &[f64], cx: f64, cy: f64, r: f64, hole: f64) -> Vec<Slice> {
    let share = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
    let total: f64 = values.iter().copied().map(share).sum();
    if total <= 0.0 || !total.is_finite() {
        return Vec::new();
    }
    let hole = hole.clamp(0.0, r * 0.95);
    let mut start = 0.0;
    let mut out = Vec::new();
    for (index, &value) in values.iter().enumerate() {
        let fraction = share(value) / total;
        if fraction <= 0.0 {
            continue;
        }
        let end = (start + fraction).min(1.0);
        let middle = (start + end) / 2.0;
        out.push(Slice {
            index,
            fraction,
            path: slice_path(cx, cy, r, hole, start, end),
            label_at: point(cx, cy, (r + hole) / 2.0, middle),
        });
        start = end;
    }
    out
}

/// The point at `turn` (0–1 of a full turn clockwise from 12 o'clock) on radius `r`.
fn point(cx: f64, cy: f64, r: f64, turn: f64) -> (f64, f64) {
    let angle = turn * TAU - TAU / 4.0;
    (cx + r * angle.cos(), cy + r * angle.sin())
}

fn slice_path(cx: f64, cy: f64, r: f64, hole: f64, from: f64, to: f64) -> String {
    let mut d = String::new();
    // A whole circle cannot be one arc: draw it as two halves.
    if to - from >= 0.9999 {
        let _ = write!(
            d,
            "M{:.2} {:.2}A{r:.2} {r:.2} 0 1 1 {:.2} {:.2}A{r:.2} {r:.2} 0 1 1 {:.2} {:.2}Z",
            cx,
            cy - r,
            cx,
            cy + r,
            cx,
            cy - r
        );
        if hole > 0.0 {
            let _ = write!(
                d,
                "M{:.2} {:.2}A{hole:.2} {hole:.2} 0 1 0 {:.2} {:.2}A{hole:.2} {hole:.2} 0 1 0 {:.2} {:.2}Z",
                cx, cy - hole, cx, cy + hole, cx, cy - hole
            );
        }
        return d;
    }
    let large = i32::from(to - from > 0.5);
    let (x0, y0) = point(cx, cy, r, from);
    let (x1, y1) = point(cx, cy, r, to);
    let _ = write!(
        d,
        "M{x0:.2} {y0:.2}A{r:.2} {r:.2} 0 {large} 1 {x1:.2} {y1:.2}"
    );
    if hole > 0.0 {
        let (i1, j1) = point(cx, cy, hole, to);
        let (i0, j0) = point(cx, cy, hole, from);
        let _ = write!(
            d,
            "L{i1:.2} {j1:.2}A{hole:.2} {hole:.2} 0 {large} 0 {i0:.2} {j0:.2}Z"
        );
    } else {
        let _ = write!(d, "L{cx:.2} {cy:.2}Z");
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_follow_the_values_and_skip_what_cannot_be_a_slice() {
        let s = slices(
            &[1.0, 3.0, f64::NAN, -2.0, 0.0, 4.0],
            100.0,
            100.0,
            90.0,
            0.0,
        );
        let shares: Vec<(usize, f64)> = s.iter().map(|s| (s.index, s.fraction)).collect();
        assert_eq!(shares, vec![(0, 0.125), (1, 0.375), (5, 0.5)]);
        assert!(slices(&[0.0, f64::NAN], 100.0, 100.0, 90.0, 0.0).is_empty());
        assert!(slices(&[], 100.0, 100.0, 90.0, 0.0).is_empty());
    }

    #[test]
    fn the_first_slice_starts_at_twelve_and_a_pie_closes_at_the_centre() {
        let s = slices(&[1.0, 1.0], 100.0, 100.0, 90.0, 0.0);
        assert_eq!(
            s[0].path,
            "M100.00 10.00A90.00 90.00 0 0 1 100.00 190.00L100.00 100.00Z"
        );
        assert_eq!(
            s[1].path,
            "M100.00 190.00A90.00 90.00 0 0 1 100.00 10.00L100.00 100.00Z"
        );
        // Labels sit halfway out, at 3 and 9 o'clock.
        assert_eq!(s[0].label_at, (145.0, 100.0));
    }

    #[test]
    fn a_donut_slice_returns_along_the_hole_and_a_big_slice_takes_the_long_way() {
        let s = slices(&[3.0, 1.0], 100.0, 100.0, 90.0, 50.0);
        assert!(s[0].path.contains("A90.00 90.00 0 1 1"), "{}", s[0].path);
        assert!(s[0].path.contains("A50.00 50.00 0 1 0"), "{}", s[0].path);
        assert!(s[1].path.contains(" 0 0 1 "), "{}", s[1].path);
    }

    #[test]
    fn one_value_is_a_whole_circle() {
        let s = slices(&[5.0], 100.0, 100.0, 90.0, 40.0);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].fraction, 1.0);
        assert_eq!(
            s[0].path.matches('A').count(),
            4,
            "two halves outside, two around the hole"
        );
    }
}
