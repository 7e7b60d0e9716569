//! Tracks an element's CSS width with a `ResizeObserver`, so charts redraw when their box changes.
//! The first width arrives with the observer's first notification (the frame after mounting), or
//! at once for [`use_element_width_now`].

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A signal holding the CSS-pixel width of the element behind `node`, updated on every resize.
pub fn use_element_width<E>(node: NodeRef<E>) -> ReadSignal<f64>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    observe_width(node, false)
}

/// [`use_element_width`] that also reads the width once when the element mounts, so a chart
/// mounted with its data paints in the same task instead of a frame later. That read is a
/// layout: use it for elements mounted one at a time (a chart when its data arrives), not for
/// ones mounted by the hundred (a dashboard's panels). The element must have no padding or
/// border (the observer reports the content box, the read the border box).
pub fn use_element_width_now<E>(node: NodeRef<E>) -> ReadSignal<f64>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    observe_width(node, true)
}

fn observe_width<E>(node: NodeRef<E>, read_at_mount: bool) -> ReadSignal<f64>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let (width, set_width) = signal(0.0);
    Effect::new(move |_| {
        let Some(element) = node.get() else {
            return;
        };
        let Ok(element) = element.dyn_into::<web_sys::Element>() else {
            return;
        };
        // A forced layout per panel while the grid mounts made a 10,000-panel dashboard freeze
        // the tab for half a minute (layout thrashing, issue 10): only where asked.
        if read_at_mount {
            let w = element.get_bounding_client_rect().width();
            if w > 0.0 {
                set_width.set(w);
            }
        }
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
                let w = entry.content_rect().width();
                if (w - width.get_untracked()).abs() >= 1.0 {
                    set_width.set(w);
                }
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            observer.observe(&element);
            let observer = send_wrapper::SendWrapper::new(observer);
            let callback = send_wrapper::SendWrapper::new(callback);
            on_cleanup(move || {
                observer.disconnect();
                drop(callback);
            });
        }
    });
    width
}
