//! Busy indicators that appear only when waiting lasts: a spinner (or a busy class) is put on
//! the page after [`SLOW_AFTER_MS`] of continuous waiting, not when the wait starts.
//!
//! A spinning element is an animation the compositor runs, and Chromium gives it a layer of
//! its own from the moment its animation is attached, even while the animation waits out a
//! CSS `animation-delay`. A dashboard's 30 loading panels used to carry 30 such spinners
//! (delayed 1 s in CSS) through every load: about 120 ms more compositor and raster CPU per
//! load, measured per thread, on the same two cores Prometheus answers on. Leaving the element
//! out until the wait is slow costs one timer per wait.

use std::time::Duration;

use leptos::prelude::*;

/// How long a wait lasts before it shows as busy.
pub const SLOW_AFTER_MS: u64 = 1000;

/// True once `active` has stayed true for [`SLOW_AFTER_MS`]; false again as soon as it is not.
///
/// Read the result with `try_get` (see [`is_slow`]): the end of a wait reaches its readers one
/// effect later than `active` does, and when the same turn leaves the page (a 401 sends the
/// user to sign in as the last request ends) that can be after the page's signals are gone.
pub fn slow_after(active: Signal<bool>) -> Signal<bool> {
    let slow = RwSignal::new(false);
    // Which wait a timer belongs to: the timer of a wait that is over does nothing when it fires.
    // Timers are never cleared: a cleared Leptos timeout never frees its callback (it is freed
    // when called), and a dashboard refreshing every 5 s would leak one per panel per refresh.
    let wait = StoredValue::new(0_u64);
    // A wait starts when `active` turns true, not each time it is told again: a derived signal
    // (a panel's status, the count of requests in flight) re-runs on every change beneath it.
    Effect::new(move |was_active: Option<bool>| {
        let Some(is_active) = active.try_get() else {
            return was_active.unwrap_or(false);
        };
        if was_active == Some(is_active) {
            return is_active;
        }
        let current = wait.try_update_value(|n| {
            *n += 1;
            *n
        });
        if is_active {
            set_timeout(
                move || {
                    if current.is_some() && wait.try_get_value() == current {
                        slow.try_set(true);
                    }
                },
                Duration::from_millis(SLOW_AFTER_MS),
            );
        } else {
            slow.try_set(false);
        }
        is_active
    });
    slow.into()
}

/// Whether a signal made by [`slow_after`] says slow; false once it is disposed.
pub fn is_slow(slow: Signal<bool>) -> bool {
    slow.try_get().unwrap_or(false)
}

/// A spinner shown once `active` has stayed true for [`SLOW_AFTER_MS`].
#[component]
pub fn Spinner(#[prop(into)] active: Signal<bool>) -> impl IntoView {
    let slow = slow_after(active);
    move || is_slow(slow).then(|| view! { <span class="spinner" aria-label="Loading"></span> })
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    //! The delay in headless Chromium:
    //! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib ui::components::spinner::`
    #![allow(clippy::unwrap_used)]

    use leptos::prelude::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::{Spinner, SLOW_AFTER_MS};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounts a spinner driven by a fresh signal; returns the container and the signal.
    fn mount(
        active: bool,
    ) -> (
        leptos::mount::UnmountHandle<impl Mountable>,
        web_sys::HtmlElement,
        RwSignal<bool>,
    ) {
        let container = crate::browser_test_support::new_container();
        let out = StoredValue::new(None::<RwSignal<bool>>);
        let handle = leptos::mount::mount_to(container.clone(), move || {
            let signal = RwSignal::new(active);
            out.set_value(Some(signal));
            view! { <Spinner active=signal/> }
        });
        (handle, container, out.get_value().unwrap())
    }

    fn spinners(container: &web_sys::HtmlElement) -> u32 {
        container.query_selector_all(".spinner").unwrap().length()
    }

    async fn sleep(ms: u64) {
        gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap()).await;
    }

    #[wasm_bindgen_test]
    async fn a_wait_shows_a_spinner_only_once_it_is_slow_and_hides_it_when_done() {
        let (_handle, container, active) = mount(true);
        sleep(SLOW_AFTER_MS / 2).await;
        assert_eq!(spinners(&container), 0, "no spinner half way to slow");
        sleep(SLOW_AFTER_MS / 2 + 300).await;
        assert_eq!(spinners(&container), 1, "a spinner once slow");
        active.set(false);
        sleep(20).await;
        assert_eq!(spinners(&container), 0, "gone when the wait is over");
    }

    #[wasm_bindgen_test]
    async fn short_waits_never_show_a_spinner_even_back_to_back() {
        let (_handle, container, active) = mount(false);
        // Waits of 0.6 s with short gaps: more than the delay in all, never slow at once.
        for _ in 0..3 {
            active.set(true);
            sleep(SLOW_AFTER_MS * 6 / 10).await;
            assert_eq!(spinners(&container), 0);
            active.set(false);
            sleep(20).await;
        }
        sleep(SLOW_AFTER_MS / 2).await;
        assert_eq!(
            spinners(&container),
            0,
            "the timers of past waits do nothing"
        );
    }

    #[wasm_bindgen_test]
    async fn a_wait_told_again_that_it_goes_on_still_shows_once_slow() {
        let (_handle, container, active) = mount(true);
        // The same value again (as a derived signal does when something beneath it changes).
        sleep(SLOW_AFTER_MS * 6 / 10).await;
        active.set(true);
        sleep(SLOW_AFTER_MS * 6 / 10).await;
        assert_eq!(spinners(&container), 1, "slow 1.2 s after the wait began");
    }

    #[wasm_bindgen_test]
    async fn leaving_before_the_delay_is_quiet() {
        let errors = crate::browser_test_support::ErrorCapture::start();
        let (handle, _container, _active) = mount(true);
        sleep(20).await;
        drop(handle);
        sleep(SLOW_AFTER_MS + 200).await;
        let (count, errors) = errors.finish();
        assert_eq!(count, 0, "{errors}");
    }

    /// The end of a wait and the page's disposal in the same turn (a 401 as the last request
    /// ends): the spinner's binding runs after the disposal and must not read a disposed signal.
    #[wasm_bindgen_test]
    async fn leaving_the_page_as_the_wait_ends_is_quiet() {
        let errors = crate::browser_test_support::ErrorCapture::start();
        let owner = Owner::new();
        let (handle, _container, active) = owner.with(|| mount(true));
        sleep(SLOW_AFTER_MS + 200).await;
        active.set(false);
        let page = owner.clone();
        wasm_bindgen_futures::spawn_local(async move { page.cleanup() });
        sleep(100).await;
        drop(handle);
        let (count, errors) = errors.finish();
        assert_eq!(count, 0, "{errors}");
    }
}
