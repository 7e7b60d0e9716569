//! The refresh picker: reload now, or automatically every 5 s … 1 d.

use leptos::prelude::*;

use super::spinner::{is_slow, slow_after};
use sightline_core::model::refresh::{Refresh, DEFAULT_REFRESH_INTERVALS};
use sightline_core::model::shortcuts::{keys_of, DashboardShortcut};

/// "Refresh now" and the auto-refresh interval.
#[component]
pub fn RefreshPicker(
    refresh: Signal<Refresh>,
    #[prop(into)] on_change: Callback<Refresh>,
    #[prop(into)] on_refresh_now: Callback<()>,
    /// True while panels are loading: `aria-busy` at once, and the button spins once that has
    /// lasted a second.
    #[prop(into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let spinning = slow_after(busy);
    view! {
        <div class="refresh-picker">
            <button id="refresh-now" class="btn" class:busy=move || is_slow(spinning) aria-busy=move || busy.try_get().unwrap_or(false).to_string() title=format!("Refresh now ({})", keys_of(DashboardShortcut::Refresh)) on:click=move |_| on_refresh_now.run(())>"⟳"</button>
            <select id="refresh-interval" aria-label="Auto refresh" on:change=move |ev| {
                if let Ok(r) = event_target_value(&ev).parse::<Refresh>() {
                    on_change.run(r);
                }
            }>
                <option value="" selected=move || refresh.get() == Refresh::Off>"Off"</option>
                {DEFAULT_REFRESH_INTERVALS.iter().map(|i| {
                    let wanted = i.parse::<Refresh>().unwrap_or_default();
                    view! { <option value=*i selected=move || refresh.get() == wanted>{*i}</option> }
                }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    //! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib ui::components::refresh_picker::`
    #![allow(clippy::unwrap_used)]

    use leptos::prelude::*;
    use sightline_core::model::refresh::Refresh;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::RefreshPicker;
    use crate::browser_test_support::new_container;
    use crate::ui::components::spinner::SLOW_AFTER_MS;

    wasm_bindgen_test_configure!(run_in_browser);

    /// A refresh picker driven by `busy`, mounted in a new container.
    fn mount(
        busy: RwSignal<bool>,
    ) -> (
        leptos::mount::UnmountHandle<impl Mountable>,
        web_sys::HtmlElement,
    ) {
        let container = new_container();
        let handle = leptos::mount::mount_to(container.clone(), move || {
            view! {
                <RefreshPicker refresh=Signal::stored(Refresh::Off) on_change=|_| {}
                    on_refresh_now=|()| {} busy=busy/>
            }
        });
        (handle, container)
    }

    #[wasm_bindgen_test]
    async fn the_button_is_aria_busy_at_once_and_spins_only_once_the_wait_is_slow() {
        let busy = RwSignal::new(false);
        let (_handle, container) = mount(busy);
        let button = container.query_selector("#refresh-now").unwrap().unwrap();
        let state = || {
            (
                button.get_attribute("aria-busy"),
                button.class_list().contains("busy"),
            )
        };
        let sleep = |ms: u64| gloo_timers::future::TimeoutFuture::new(u32::try_from(ms).unwrap());
        assert_eq!(state(), (Some("false".to_owned()), false));
        busy.set(true);
        sleep(20).await;
        assert_eq!(
            state(),
            (Some("true".to_owned()), false),
            "busy, not spinning yet"
        );
        sleep(SLOW_AFTER_MS + 200).await;
        assert_eq!(
            state(),
            (Some("true".to_owned()), true),
            "spinning once slow"
        );
        busy.set(false);
        sleep(20).await;
        assert_eq!(state(), (Some("false".to_owned()), false));
    }

    /// A 401 ends the last request and, in the same turn, sends the user to sign in: the
    /// page is disposed while the end of the wait is still on its way to the button. The
    /// spinner's effect then ran after the disposal had been queued and woke the button's class
    /// binding, which read a disposed signal: a panic, and a blank page in place of sign-in.
    #[wasm_bindgen_test]
    async fn leaving_the_page_as_the_wait_ends_is_quiet() {
        let errors = crate::browser_test_support::ErrorCapture::start();
        let owner = Owner::new();
        let busy = owner.with(|| RwSignal::new(true));
        let (handle, _container) = owner.with(|| mount(busy));
        crate::browser_test_support::microtask_turn().await;
        // The end of the wait, then the page left in a task queued behind its effects (as the
        // sign-in guard's navigation is).
        busy.set(false);
        let page = owner.clone();
        wasm_bindgen_futures::spawn_local(async move { page.cleanup() });
        gloo_timers::future::TimeoutFuture::new(100).await;
        drop(handle);
        let (count, errors) = errors.finish();
        assert_eq!(count, 0, "{errors}");
    }
}
