//! Small, safe helpers over the browser's `window`: the clock, the time zone and the screen.

/// Milliseconds since the Unix epoch, from the browser's clock.
#[must_use]
#[allow(clippy::cast_possible_truncation)]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Milliseconds on the page's monotonic clock (`performance.now()`), for durations; 0 where
/// the browser has none.
#[must_use]
pub fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Runs `f` once in the browser's next idle period (`requestIdleCallback`), or after
/// `timeout_ms` if the page stays busy that long; where the browser has no idle callbacks
/// (Safari), at the next animation frame.
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    use std::cell::Cell;
    use std::rc::Rc;
    // Shared with the idle callback, so the animation-frame fallback can still run `f` when the
    // browser refuses the idle request (the callback handed to it is then never called).
    let once = Rc::new(Cell::new(Some(f)));
    let run = {
        let once = Rc::clone(&once);
        move || {
            if let Some(f) = once.take() {
                f();
            }
        }
    };
    let scheduled = web_sys::window().is_some_and(|window| {
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(timeout_ms);
        let callback = wasm_bindgen::closure::Closure::once_into_js(run.clone());
        window
            .request_idle_callback_with_options(
                wasm_bindgen::JsCast::unchecked_ref(&callback),
                &options,
            )
            .is_ok()
    });
    if !scheduled {
        leptos::prelude::request_animation_frame(run);
    }
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

/// The UTC offset (minutes east) of the IANA zone `zone` at `at_ms`, from the browser's `Intl`
/// data; `None` when the browser does not know the zone.
#[must_use]
pub fn named_zone_offset_minutes(zone: &str, at_ms: i64) -> Option<i32> {
    use wasm_bindgen::JsValue;
    let options = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        js_sys::Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).is_ok()
    };
    let ok = set("timeZone", zone)
        && set("hourCycle", "h23")
        && ["year", "month", "day", "hour", "minute", "second"]
            .iter()
            .all(|field| set(field, "numeric"));
    if !ok {
        return None;
    }
    let locales = js_sys::Array::of1(&JsValue::from_str("en-US"));
    // An unknown zone makes the constructor throw; `Intl` reports it as a RangeError.
    let intl = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: js_sys::Function = wasm_bindgen::JsCast::dyn_into(
        js_sys::Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?,
    )
    .ok()?;
    let format =
        js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&locales, &options)).ok()?;
    let format: js_sys::Intl::DateTimeFormat = wasm_bindgen::JsCast::unchecked_into(format);
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&JsValue::from_f64(at_ms as f64));
    let parts = format.format_to_parts(&date);
    let mut fields = [0i64; 6];
    for part in parts.iter() {
        let kind = js_sys::Reflect::get(&part, &JsValue::from_str("type"))
            .ok()?
            .as_string()?;
        let value = js_sys::Reflect::get(&part, &JsValue::from_str("value"))
            .ok()?
            .as_string()?;
        let index = ["year", "month", "day", "hour", "minute", "second"]
            .iter()
            .position(|f| *f == kind);
        if let Some(i) = index {
            fields[i] = value.parse().ok()?;
        }
    }
    let wall = sightline_core::model::civil::CivilDateTime {
        year: fields[0],
        month: u32::try_from(fields[1]).ok()?,
        day: u32::try_from(fields[2]).ok()?,
        hour: u32::try_from(fields[3] % 24).ok()?,
        minute: u32::try_from(fields[4]).ok()?,
        second: u32::try_from(fields[5]).ok()?,
        millisecond: 0,
    };
    let wall_ms = wall.to_millis(0);
    let utc_ms = at_ms - at_ms.rem_euclid(1000);
    i32::try_from((wall_ms - utc_ms) / 60_000).ok()
}

/// The offset function of a dashboard time zone: the browser's, UTC, or an IANA name (falling
/// back to the browser's zone when the name is unknown).
#[must_use]
pub fn zone_offset(zone: &sightline_core::model::timezone::TimeZone, at_ms: i64) -> i32 {
    use sightline_core::model::timezone::TimeZone;
    match zone {
        TimeZone::Browser => local_offset_minutes(at_ms),
        TimeZone::Utc => 0,
        TimeZone::Named(name) => {
            named_zone_offset_minutes(name, at_ms).unwrap_or_else(|| local_offset_minutes(at_ms))
        }
    }
}

/// Offers `text` as a file download named `filename`.
///
/// # Errors
/// A readable reason when the browser refuses (no document, blob creation failed).
pub fn download_text(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not create the file".to_owned())?;
    download_blob(filename, &blob)
}

/// Offers a canvas' pixels as a PNG download.
///
/// # Errors
/// When the canvas cannot be read.
pub fn download_canvas_png(
    filename: &str,
    canvas: &web_sys::HtmlCanvasElement,
) -> Result<(), String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| "the chart could not be read as an image".to_owned())?;
    click_link(filename, &url)
}

fn download_blob(filename: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the browser could not create the file".to_owned())?;
    let result = click_link(filename, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    result
}

fn click_link(filename: &str, href: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| "no document".to_owned())?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|_| "no document".to_owned())?
        .dyn_into()
        .map_err(|_| "no document".to_owned())?;
    link.set_href(href);
    link.set_download(filename);
    link.set_rel("noopener");
    link.click();
    Ok(())
}

/// A file name from a title: letters, digits and dashes only.
#[must_use]
pub fn file_name(title: &str, extension: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem = if stem.is_empty() {
        "sightline".to_owned()
    } else {
        stem.chars().take(80).collect()
    };
    format!("{stem}.{extension}")
}
