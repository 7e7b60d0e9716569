//! Sightline's own chart painting, response decoding and log list behind `#[wasm_bindgen]`
//! entry points, so that `bench/harness.js` can time them in the same page as uPlot and
//! `JSON.parse`. Built by `cargo xtask bench` with the app's release profile; never shipped.
//!
//! Data crosses into wasm once, untimed ([`load_series`], [`load_log_lines`]); the timed calls
//! ([`paint_chart`], [`decode_query_range`], [`mount_log_list`]) run exactly the code the app
//! runs: `sightline::ui::components::chart::paint`, `sightline_core`'s decoder after the same
//! UTF-8 check the client does, and the `LogList` component.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::mount::{mount_to, UnmountHandle};
use leptos::prelude::*;
use sightline::ui::components::chart::{paint, paint_with, ChartInput, LinePath};
use sightline::ui::logs::list::{ListInput, LogList};
use sightline::ui::logs::row::RowLook;
use sightline_core::api::prometheus::decode_query;
use sightline_core::model::frame::{Labels, Series};
use sightline_core::model::logs::{detect_level, view_rows, LogRow, ViewFilter};
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::timezone::TimeZone;
use wasm_bindgen::prelude::*;

thread_local! {
    static CHART: RefCell<Option<ChartInput>> = const { RefCell::new(None) };
    static LOG_ROWS: RefCell<Option<Arc<Vec<Arc<LogRow>>>>> = const { RefCell::new(None) };
    static MOUNTED: RefCell<Option<UnmountHandle<leptos::tachys::view::any_view::AnyViewState>>> =
        const { RefCell::new(None) };
}

/// Keeps `series_count` series sharing the timestamps `times_ms`; `values` holds them one after
/// the other. The range is the first to the last timestamp (what uPlot auto-ranges to).
#[wasm_bindgen]
pub fn load_series(times_ms: &[f64], values: &[f64], series_count: usize) -> usize {
    #[allow(clippy::cast_possible_truncation)]
    let times: Vec<i64> = times_ms.iter().map(|t| *t as i64).collect();
    let n = times.len();
    let series: Vec<Series> = (0..series_count)
        .map(|i| Series {
            labels: Labels::new(vec![("series".to_owned(), i.to_string())]),
            times_ms: times.clone(),
            values: values
                .get(i * n..(i + 1) * n)
                .map(<[f64]>::to_vec)
                .unwrap_or_default(),
        })
        .collect();
    let names = (0..series_count).map(|i| format!("series {i}")).collect();
    let range = TimeRange::new(
        times.first().copied().unwrap_or(0),
        times.last().copied().unwrap_or(1),
    );
    let mut input = ChartInput::simple(series, names, range, None);
    input.utc_offset_minutes = Some(0);
    let points = n * series_count;
    CHART.with(|c| *c.borrow_mut() = Some(input));
    points
}

/// Paints the loaded series on `canvas` at `css_width × css_height` with the app's paint code;
/// true when something was drawn.
#[wasm_bindgen]
pub fn paint_chart(canvas: &web_sys::HtmlCanvasElement, css_width: f64, css_height: f64) -> bool {
    CHART.with(|c| {
        c.borrow().as_ref().is_some_and(|input| {
            paint(canvas, input, &BTreeSet::new(), css_width, css_height).is_some()
        })
    })
}

/// [`paint_chart`] with lines drawn another way: `"plotters"` (every line through plotters'
/// canvas backend, one JS call per point: the app's path before its `Path2D` fast path) or
/// `"svg"` (one `Path2D` per series from SVG path data); the benchmark times them all.
#[wasm_bindgen]
pub fn paint_chart_via(
    canvas: &web_sys::HtmlCanvasElement,
    css_width: f64,
    css_height: f64,
    how: &str,
) -> bool {
    let how = if how == "svg" {
        LinePath::Path2dSvg
    } else {
        LinePath::Plotters
    };
    CHART.with(|c| {
        c.borrow().as_ref().is_some_and(|input| {
            paint_with(canvas, input, &BTreeSet::new(), css_width, css_height, how).is_some()
        })
    })
}

/// Decodes a `query_range` body as the app does (UTF-8 check, then the serde visitors into
/// columns); returns the number of samples, or -1 when the body does not decode.
#[wasm_bindgen]
pub fn decode_query_range(body: &[u8]) -> f64 {
    let Ok(text) = std::str::from_utf8(body) else {
        return -1.0;
    };
    match decode_query("bench", text) {
        #[allow(clippy::cast_precision_loss)]
        Ok(response) => response
            .data
            .series()
            .iter()
            .map(|s| s.values.len())
            .sum::<usize>() as f64,
        Err(_) => -1.0,
    }
}

/// Keeps log lines (newest first) with their nanosecond timestamps (as milliseconds, `f64`).
#[wasm_bindgen]
pub fn load_log_lines(lines: Vec<String>, times_ms: &[f64]) -> usize {
    let labels = Arc::new(Labels::new(vec![
        ("app".to_owned(), "api".to_owned()),
        ("namespace".to_owned(), "prod".to_owned()),
    ]));
    let rows: Vec<Arc<LogRow>> = lines
        .into_iter()
        .enumerate()
        .map(|(id, line)| {
            #[allow(clippy::cast_possible_truncation)]
            let ts_ns = times_ms.get(id).map_or(0, |t| (*t as i64) * 1_000_000);
            Arc::new(LogRow {
                id,
                ts_ns,
                level: detect_level(&[&labels], &line),
                line,
                labels: Arc::clone(&labels),
                metadata: Labels::default(),
                query_index: 0,
            })
        })
        .collect();
    let count = rows.len();
    LOG_ROWS.with(|r| *r.borrow_mut() = Some(Arc::new(rows)));
    count
}

/// Mounts the app's virtualized `LogList` with the loaded lines into `parent`, `height` CSS
/// pixels tall (replacing a list mounted before).
#[wasm_bindgen]
pub fn mount_log_list(parent: web_sys::HtmlElement, height: f64) -> bool {
    unmount_log_list();
    let Some(rows) = LOG_ROWS.with(|r| r.borrow().clone()) else {
        return false;
    };
    let view = Arc::new(view_rows(&rows, &ViewFilter::default()));
    let input = ListInput {
        rows,
        view,
        stream_labels: Arc::new(Vec::new()),
    };
    let handle = mount_to(parent, move || {
        let look = RowLook {
            show_time: true,
            wrap: false,
            prettify: false,
            details: false,
        };
        view! {
            <LogList
                input=Signal::stored(input.clone())
                look=Signal::stored(look)
                search=Signal::stored(String::new())
                timezone=Signal::stored(TimeZone::Utc)
                height=Signal::stored(height)
            />
        }
        .into_any()
    });
    MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
    true
}

/// Removes the mounted log list.
#[wasm_bindgen]
pub fn unmount_log_list() {
    let previous = MOUNTED.with(|m| m.borrow_mut().take());
    drop(previous);
}
