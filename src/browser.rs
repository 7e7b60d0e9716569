//! Small, safe helpers over the browser's `window`: the clock, the time zone and the screen.

/// Milliseconds since the Unix epoch, from the browser's clock.
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The browser's UTC offset at `at_ms`, in minutes east of UTC (JavaScript reports west).
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub fn local_offset_minutes(at_ms: i64) -> i32 {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    -(date.get_timezone_offset() as i32)
}

/// Device pixels per CSS pixel (2 on most laptops' screens), at least 1.
#[must_use]
pub fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0)
}

/// The current location's path and query (`/explore?x=1`), used to come back after sign-in.
#[must_use]
pub fn current_path_and_query() -> String {
    web_sys::window()
        .and_then(|w| {
            let location = w.location();
            Some(format!(
                "{}{}",
                location.pathname().ok()?,
                location.search().ok()?
            ))
        })
        .unwrap_or_else(|| "/".to_owned())
}
