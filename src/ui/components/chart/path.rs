//! `Path2D` objects from polylines held in wasm memory, built by a few lines of JS in one call
//! per path (the loop of `moveTo`/`lineTo` runs in JS, as uPlot's does, instead of one
//! wasm-to-JS call per point). The JS ships as a wasm-bindgen snippet, a same-origin module
//! file, so the CSP's `script-src 'self'` covers it.

use plotters_backend::BackendCoord;
use wasm_bindgen::prelude::*;
use web_sys::Path2d;

#[wasm_bindgen(inline_js = "
export function polylinePath(coords, ends, close) {
  const path = new Path2D();
  let k = 0;
  for (let s = 0; s < ends.length; s++) {
    const end = ends[s];
    path.moveTo(coords[k], coords[k + 1]);
    for (k += 2; k < end; k += 2) path.lineTo(coords[k], coords[k + 1]);
    if (close) path.closePath();
  }
  return path;
}")]
extern "C" {
    /// `coords` are x, y pairs; `ends[i]` is where polyline `i` ends in `coords`.
    #[wasm_bindgen(js_name = polylinePath)]
    fn polyline_path(coords: &[i32], ends: &[u32], close: bool) -> Path2d;
}

/// One `Path2D` with a subpath per polyline of two points or more (closed when `close`).
#[must_use]
pub fn path_of<'a>(polylines: impl IntoIterator<Item = &'a [BackendCoord]>, close: bool) -> Path2d {
    let mut coords: Vec<i32> = Vec::new();
    let mut ends: Vec<u32> = Vec::new();
    for line in polylines {
        if line.len() < 2 {
            continue;
        }
        for (x, y) in line {
            coords.push(*x);
            coords.push(*y);
        }
        ends.push(u32::try_from(coords.len()).unwrap_or(u32::MAX));
    }
    polyline_path(&coords, &ends, close)
}
