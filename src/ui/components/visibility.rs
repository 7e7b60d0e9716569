//! Whether an element is on (or near) the screen, from an `IntersectionObserver`: panels below
//! the fold wait until they are scrolled into view before they query.

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A signal that is true while the element behind `node` is within 300 px of the viewport.
pub fn use_visible<E>(node: NodeRef<E>) -> ReadSignal<bool>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let (visible, set_visible) = signal(false);
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
                    set_visible.set(entry.is_intersecting());
                }
            }
        });
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("300px 0px 300px 0px");
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
            Err(_) => set_visible.set(true),
        }
    });
    visible
}
