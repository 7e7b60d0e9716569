//! Gauge geometry: SVG arc paths for a 240° gauge (value arc, background track and the thin
//! threshold band around it), computed here so the browser only places `<path d=…>` elements.

use std::fmt::Write as _;

/// The gauge sweeps from 150° to 390° (clockwise, 0° = 3 o'clock, y down), leaving the bottom open.
pub const START_DEGREES: f64 = 150.0;
/// Total sweep.
pub const SWEEP_DEGREES: f64 = 240.0;

/// Where `value` falls in `[min, max]`, clamped to 0–1 (0.5 for a degenerate range).
#[must_use]
pub fn fraction(value: f64, min: f64, max: f64) -> f64 {
    if !value.is_finite() {
        return 0.0;
    }
    if max <= min {
        return 0.5;
    }
    ((value - min) / (max - min)).clamp(0.0, 1.0)
}

fn point(cx: f64, cy: f64, r: f64, degrees: f64) -> (f64, f64) {
    let rad = degrees.to_radians();
    (cx + r * rad.cos(), cy + r * rad.sin())
}

/// An SVG path for the arc of radius `r` around `(cx, cy)` covering fractions `[from, to]` of the
/// gauge's sweep. Empty when `to <= from`.
#[must_use]
pub fn arc_path(cx: f64, cy: f64, r: f64, from: f64, to: f64) -> String {
    let (from, to) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
    if to <= from {
        return String::new();
    }
    let a0 = START_DEGREES + SWEEP_DEGREES * from;
    let a1 = START_DEGREES + SWEEP_DEGREES * to;
    let (x0, y0) = point(cx, cy, r, a0);
    let (x1, y1) = point(cx, cy, r, a1);
    let large = i32::from(a1 - a0 > 180.0);
    let mut d = String::new();
    let _ = write!(
        d,
        "M{x0:.2} {y0:.2}A{r:.2} {r:.2} 0 {large} 1 {x1:.2} {y1:.2}"
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_clamps_and_handles_degenerate_ranges() {
        assert_eq!(fraction(50.0, 0.0, 100.0), 0.5);
        assert_eq!(fraction(150.0, 0.0, 100.0), 1.0);
        assert_eq!(fraction(-5.0, 0.0, 100.0), 0.0);
        assert_eq!(fraction(5.0, 3.0, 3.0), 0.5);
        assert_eq!(fraction(f64::NAN, 0.0, 1.0), 0.0);
    }

    #[test]
    fn full_arc_is_large_and_ends_symmetric() {
        let d = arc_path(100.0, 100.0, 80.0, 0.0, 1.0);
        assert!(
            d.starts_with("M30.72 140.00A80.00 80.00 0 1 1 169.28 140.00"),
            "{d}"
        );
        assert_eq!(arc_path(0.0, 0.0, 1.0, 0.6, 0.4), "");
        assert!(
            arc_path(0.0, 0.0, 1.0, 0.0, 0.5).contains(" 0 0 1 "),
            "a half sweep is 120°, not large"
        );
    }
}
