//! Dashed and dotted lines (Grafana's `custom.lineStyle`), made by cutting a polyline into the
//! pieces the pattern draws, so every backend (the canvas' `Path2D`, the tests' SVG) strokes the
//! same dashes, and the pattern runs on across the polyline's vertices as a pen's would.

use plotters_backend::BackendCoord;
use serde_json::Value;

/// A dash pattern in CSS pixels: `on` drawn, then `off` skipped, repeated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dash {
    pub on: f64,
    pub off: f64,
}

impl Dash {
    /// The pattern of a `custom.lineStyle` value: `{fill: "dash", dash: [on, off]}` (10, 10
    /// when `dash` is missing), or `{fill: "dot", dash: [0, gap]}` (dots one pixel long);
    /// `None` for `solid` or anything unreadable. Of a longer `dash` array the first two
    /// lengths are used.
    #[must_use]
    pub fn from_line_style(style: &Value) -> Option<Dash> {
        let lengths: Vec<f64> = style
            .get("dash")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_default();
        let length = |i: usize, default: f64| {
            lengths
                .get(i)
                .copied()
                .filter(|l| l.is_finite() && *l >= 0.0)
                .unwrap_or(default)
        };
        match style.get("fill").and_then(Value::as_str) {
            Some("dash") => Some(Dash {
                on: length(0, 10.0).max(1.0),
                off: length(1, 10.0).max(1.0),
            }),
            Some("dot") => Some(Dash {
                on: 1.0,
                off: length(1, 10.0).max(1.0),
            }),
            _ => None,
        }
    }
}

/// The pieces of `polyline` (device pixels) that `dash` draws, its lengths multiplied by
/// `scale` (the device pixel ratio).
#[must_use]
pub fn dash_polyline(polyline: &[BackendCoord], dash: Dash, scale: f64) -> Vec<Vec<BackendCoord>> {
    let (on, off) = ((dash.on * scale).max(1.0), (dash.off * scale).max(1.0));
    let mut pieces = Vec::new();
    let mut current: Vec<BackendCoord> = Vec::new();
    // Where in the pattern the pen is: drawing, and how much of this dash or gap is left.
    let (mut drawing, mut left) = (true, on);
    let at = |a: (f64, f64), b: (f64, f64), t: f64| {
        #[allow(clippy::cast_possible_truncation)]
        let point = (
            (a.0 + (b.0 - a.0) * t).round() as i32,
            (a.1 + (b.1 - a.1) * t).round() as i32,
        );
        point
    };
    for pair in polyline.windows(2) {
        let a = (f64::from(pair[0].0), f64::from(pair[0].1));
        let b = (f64::from(pair[1].0), f64::from(pair[1].1));
        let length = (b.0 - a.0).hypot(b.1 - a.1);
        if length == 0.0 {
            continue;
        }
        let mut done = 0.0;
        if drawing && current.is_empty() {
            current.push(pair[0]);
        }
        while length - done > left {
            done += left;
            let point = at(a, b, done / length);
            if drawing {
                current.push(point);
                pieces.push(std::mem::take(&mut current));
            } else {
                current.push(point);
            }
            drawing = !drawing;
            left = if drawing { on } else { off };
        }
        left -= length - done;
        if drawing {
            current.push(pair[1]);
        }
    }
    if current.len() > 1 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn grafana_line_styles_read_as_patterns() {
        assert_eq!(
            Dash::from_line_style(&json!({"fill": "dash", "dash": [10, 20]})),
            Some(Dash {
                on: 10.0,
                off: 20.0
            })
        );
        assert_eq!(
            Dash::from_line_style(&json!({"fill": "dot", "dash": [0, 15]})),
            Some(Dash { on: 1.0, off: 15.0 })
        );
        assert_eq!(
            Dash::from_line_style(&json!({"fill": "dash"})),
            Some(Dash {
                on: 10.0,
                off: 10.0
            })
        );
        assert_eq!(Dash::from_line_style(&json!({"fill": "solid"})), None);
        assert_eq!(Dash::from_line_style(&json!("dash")), None);
    }

    #[test]
    fn a_straight_line_is_cut_into_dashes_of_the_pattern() {
        let dash = Dash { on: 10.0, off: 5.0 };
        let pieces = dash_polyline(&[(0, 0), (40, 0)], dash, 1.0);
        assert_eq!(
            pieces,
            vec![
                vec![(0, 0), (10, 0)],
                vec![(15, 0), (25, 0)],
                vec![(30, 0), (40, 0)]
            ]
        );
        // Twice the pixel ratio, twice the lengths.
        let pieces = dash_polyline(&[(0, 0), (40, 0)], dash, 2.0);
        assert_eq!(pieces, vec![vec![(0, 0), (20, 0)], vec![(30, 0), (40, 0)]]);
    }

    #[test]
    fn the_pattern_runs_on_across_a_corner() {
        let dash = Dash { on: 10.0, off: 4.0 };
        let pieces = dash_polyline(&[(0, 0), (6, 0), (6, 20)], dash, 1.0);
        // The first dash turns the corner: 6 px along, then 4 px down.
        assert_eq!(pieces[0], vec![(0, 0), (6, 0), (6, 4)]);
        assert_eq!(pieces[1], vec![(6, 8), (6, 18)]);
        assert_eq!(pieces.len(), 2);
    }
}
