//! The variable bar: one control per visible variable — a dropdown with search, multi-select
//! checkboxes and "All", or a text box — plus the variable's error, if its options failed.

use leptos::prelude::*;
use sightline_core::model::variables::{VariableSource, ALL_VALUE};

use crate::state::dashboard::{use_dashboard, VariableState};

/// What a closed dropdown says: `All`, one value, or `a + b (+3)`.
#[must_use]
pub fn selection_text(v: &VariableState) -> String {
    if v.selection.is_all {
        return "All".to_owned();
    }
    let texts: Vec<&str> = v
        .selection
        .options
        .iter()
        .map(|o| o.text.as_str())
        .collect();
    match texts.len() {
        0 => "None".to_owned(),
        1 | 2 => texts.join(" + "),
        n => format!("{} + {} (+{})", texts[0], texts[1], n - 2),
    }
}

/// The variable bar of the page; it takes no room when the dashboard shows no variable.
#[component]
pub fn VariableBar() -> impl IntoView {
    let state = use_dashboard();
    let names = Memo::new(move |_| {
        state.variables.with(|vars| {
            vars.iter()
                .filter(|v| {
                    v.variable.hide < 2
                        && !matches!(v.variable.source, VariableSource::Constant { .. })
                })
                .map(|v| v.variable.name.clone())
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="variable-bar" class:variable-bar-none=move || names.with(Vec::is_empty)>
            <For each=move || names.get() key=|n| n.clone() children=move |name: String| view! { <VariableControl name=name/> }/>
            {move || (!state.variables_ready.get()).then(|| view! { <span class="muted small">"Loading variables…"</span> })}
        </div>
    }
}

#[component]
fn VariableControl(name: String) -> impl IntoView {
    let state = use_dashboard();
    let name = StoredValue::new(name);
    let var = Memo::new(move |_| {
        state.variables.with(|vars| {
            vars.iter()
                .find(|v| v.variable.name == name.get_value())
                .cloned()
        })
    });
    let open = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let label = move || {
        var.with(|v| {
            v.as_ref()
                .map(|v| v.variable.label.clone())
                .unwrap_or_default()
        })
    };
    let is_textbox = move || {
        var.with(|v| {
            matches!(
                v.as_ref().map(|v| &v.variable.source),
                Some(VariableSource::Textbox { .. })
            )
        })
    };
    let choose = move |value: String| {
        let Some(v) = var.get_untracked() else { return };
        let mut current = v.selection.url_values();
        if !v.variable.multi || value == ALL_VALUE {
            state.select(&name.get_value(), vec![value]);
            open.set(false);
            return;
        }
        current.retain(|c| c != ALL_VALUE);
        if let Some(i) = current.iter().position(|c| *c == value) {
            current.remove(i);
        } else {
            current.push(value);
        }
        if current.is_empty() && v.variable.include_all {
            current.push(ALL_VALUE.to_owned());
        }
        state.select(&name.get_value(), current);
    };
    view! {
        <div class="variable" data-variable=name.get_value()>
            <label class="variable-label">{label}</label>
            {move || if is_textbox() {
                let value = var.with(|v| v.as_ref().and_then(|v| v.selection.options.first().map(|o| o.value.clone())).unwrap_or_default());
                view! {
                    <input class="variable-text" prop:value=value
                        on:change=move |ev| state.select(&name.get_value(), vec![event_target_value(&ev)])/>
                }.into_any()
            } else {
                view! {
                    <button class="btn variable-button" on:click=move |_| { search.set(String::new()); open.update(|o| *o = !*o); }>
                        {move || var.with(|v| v.as_ref().map(selection_text).unwrap_or_default())}
                        <span class="caret">"▾"</span>
                    </button>
                }.into_any()
            }}
            {move || var.with(|v| v.as_ref().and_then(|v| v.error.clone())).map(|e| view! {
                <span class="variable-error error-text small" title=e.clone()>"⚠"</span>
            })}
            <Show when=move || open.get()>
                <div class="dropdown variable-dropdown">
                    <input class="variable-search" placeholder="Search" prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev))/>
                    <ul class="variable-options">
                        {move || {
                            let needle = search.get().to_lowercase();
                            var.with(|v| {
                                let Some(v) = v else { return Vec::new() };
                                let selected = v.selection.url_values();
                                v.options.iter()
                                    .filter(|o| needle.is_empty() || o.text.to_lowercase().contains(&needle))
                                    .take(500)
                                    .map(|o| {
                                        let value = o.value.clone();
                                        let checked = selected.contains(&o.value);
                                        let multi = v.variable.multi;
                                        view! {
                                            <li>
                                                <button class="link-button variable-option" class:selected=checked
                                                    on:click=move |_| choose(value.clone())>
                                                    {multi.then(|| view! { <span class="check">{if checked { "☑" } else { "☐" }}</span> })}
                                                    {o.text.clone()}
                                                </button>
                                            </li>
                                        }
                                    })
                                    .collect::<Vec<_>>()
                            })
                        }}
                    </ul>
                </div>
            </Show>
        </div>
    }
}
