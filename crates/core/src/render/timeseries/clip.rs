//! Clipping polylines to the plot rectangle (Liang–Barsky per segment), so values outside fixed
//! axis bounds never draw over the axes.

use super::Rect;

/// Clips a polyline to `rect`, splitting it where it leaves and re-enters (Liang–Barsky per edge).
#[must_use]
pub fn clip_polyline(points: &[(f64, f64)], rect: &Rect) -> Vec<Vec<(f64, f64)>> {
    let inside_all = points.iter().all(|(x, y)| rect.contains(*x, *y));
    if inside_all {
        return vec![points.to_vec()];
    }
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if points.len() == 1 {
        if rect.contains(points[0].0, points[0].1) {
            out.push(points.to_vec());
        }
        return out;
    }
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        match clip_segment(a, b, rect) {
            Some((ca, cb)) => {
                if current.last() != Some(&ca) {
                    if current.len() > 1 {
                        out.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(ca);
                }
                current.push(cb);
            }
            None => {
                if current.len() > 1 {
                    out.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        out.push(current);
    }
    out
}

fn clip_segment(a: (f64, f64), b: (f64, f64), r: &Rect) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - r.left),
        (dx, r.right() - a.0),
        (-dy, a.1 - r.top),
        (dy, r.bottom() - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (a.0 + t * dx, a.1 + t * dy);
    Some((
        if t0 == 0.0 { a } else { at(t0) },
        if t1 == 1.0 { b } else { at(t1) },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_segment_cuts_at_the_edges() {
        let r = Rect {
            left: 0.0,
            top: 0.0,
            width: 10.0,
            height: 10.0,
        };
        assert_eq!(
            clip_segment((-5.0, 5.0), (5.0, 5.0), &r),
            Some(((0.0, 5.0), (5.0, 5.0)))
        );
        assert_eq!(clip_segment((-5.0, -5.0), (-1.0, -1.0), &r), None);
        let pieces = clip_polyline(&[(1.0, 1.0), (5.0, -10.0), (9.0, 1.0)], &r);
        assert_eq!(pieces.len(), 2);
    }
}
