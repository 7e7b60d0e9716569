//! Whether an element is on (or near) the screen, from an `IntersectionObserver`: panels below
//! the fold wait until they are scrolled into view before they query. The observer's first
//! report comes a frame or two after mounting; [`look_now`] answers the same question at once.

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How far outside the viewport an element still counts as on screen (CSS px).
const MARGIN_PX: f64 = 300.0;

/// A signal that is `Some(true)` while the element behind `node` is within [`MARGIN_PX`] of the
/// viewport; `None` until the observer's first report.
pub fn use_visible<E>(node: NodeRef<E>) -> ReadSignal<Option<bool>>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let (visible, set_visible) = signal(None);
    Effect::new(move |_| {
        let Some(element) = node.get() else {
            return;
        };
        let Ok(element) = element.dyn_into::<web_sys::Element>() else {
            return;
        };
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            for entry in entries.iter() {
                if let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() {
                    set_visible.set(Some(entry.is_intersecting()));
                }
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(&format!("{MARGIN_PX}px 0px {MARGIN_PX}px 0px"));
        match web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        ) {
            Ok(observer) => {
                observer.observe(&element);
                let observer = send_wrapper::SendWrapper::new(observer);
                let callback = send_wrapper::SendWrapper::new(callback);
                on_cleanup(move || {
                    observer.disconnect();
                    drop(callback);
                });
            }
            // No IntersectionObserver: treat everything as visible.
            Err(_) => set_visible.set(Some(true)),
        }
    });
    visible
}

/// The element's width inside its border (CSS px; its content width when it has no padding)
/// and whether it is within [`MARGIN_PX`] of the viewport, read now: one layout if the page
/// changed since the last, so read once per element (not on every update), and only where
/// waiting for the observers' first reports would delay what the user waits for.
#[must_use]
pub fn look_now(element: &web_sys::Element) -> (f64, bool) {
    let rect = element.get_bounding_client_rect();
    let viewport = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::INFINITY);
    let near = rect.bottom() >= -MARGIN_PX && rect.top() <= viewport + MARGIN_PX;
    // The border box's fractional width less the borders (offsetWidth − clientWidth, whole
    // pixels): what a `ResizeObserver` reports for an element without padding, to the fraction.
    let borders = element
        .dyn_ref::<web_sys::HtmlElement>()
        .map_or(0, |e| e.offset_width() - e.client_width());
    ((rect.width() - f64::from(borders)).max(0.0), near)
}
