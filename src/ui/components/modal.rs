//! A modal dialog: a titled box over the page, closed by its button, Escape or a click outside.

use leptos::prelude::*;

/// A modal showing `children` while `open` is true.
#[component]
pub fn Modal(
    open: RwSignal<bool>,
    #[prop(into)] title: String,
    children: ChildrenFn,
) -> impl IntoView {
    let title = StoredValue::new(title);
    view! {
        <Show when=move || open.get()>
            <div class="modal-backdrop" on:click=move |_| open.set(false)>
                <div class="modal" role="dialog" aria-modal="true" aria-label=title.get_value()
                    tabindex="-1"
                    on:click=|ev| ev.stop_propagation()
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Escape" { open.set(false) }>
                    <header class="modal-header">
                        <h2>{title.get_value()}</h2>
                        <button class="btn btn-quiet modal-close" aria-label="Close" on:click=move |_| open.set(false)>"✕"</button>
                    </header>
                    <div class="modal-body">{children()}</div>
                </div>
            </div>
        </Show>
    }
}
