//! The query editor: a `<textarea>` over a syntax-highlighted copy of its text (the same font
//! and wrapping, so they line up), with autocomplete for metric names (with HELP and TYPE),
//! functions, label names and values, and LogQL stages. Ctrl/Cmd+Enter runs; Ctrl+Space opens
//! the suggestions; arrows, Enter/Tab and Escape drive them.

use leptos::prelude::*;
use sightline_core::model::query_lang::{
    apply, completion_context, suggest, tokenize, CompletionContext, CompletionKind, Language,
    Source, Suggestion, Vocabulary,
};
use wasm_bindgen::JsCast;

use crate::state::explore::catalog::{Catalog, Lookup};

/// The suggestions for `context`, asking the catalog for what it needs.
fn suggestions_for(
    context: &CompletionContext,
    language: Language,
    source: Source,
    catalog: Catalog,
) -> (Vec<Suggestion>, bool) {
    let selector = context.selector();
    let loading = std::cell::Cell::new(false);
    let names = |lookup: Option<Lookup<std::sync::Arc<Vec<String>>>>| match lookup {
        Some(Lookup::Ready(list)) => list,
        Some(Lookup::Loading) => {
            loading.set(true);
            std::sync::Arc::default()
        }
        _ => std::sync::Arc::default(),
    };
    let metrics = if language == Language::PromQL && context.kind == CompletionKind::Expression {
        catalog.ensure_metrics();
        match catalog.metrics.get() {
            Some(Lookup::Ready(list)) => list,
            Some(Lookup::Loading) => {
                loading.set(true);
                std::sync::Arc::default()
            }
            _ => std::sync::Arc::default(),
        }
    } else {
        std::sync::Arc::default()
    };
    let labels = match &context.kind {
        CompletionKind::LabelName { .. } | CompletionKind::PipelineStage => {
            names(catalog.labels(source, selector.as_deref()))
        }
        _ => std::sync::Arc::default(),
    };
    let values = match &context.kind {
        CompletionKind::LabelValue { label, .. } => {
            // Narrow by the other matchers only; the metric alone is enough for Prometheus.
            names(catalog.values(source, label, selector.as_deref()))
        }
        _ => std::sync::Arc::default(),
    };
    let known = Vocabulary {
        metrics: &metrics,
        labels: &labels,
        values: &values,
    };
    (suggest(context, language, &known), loading.get())
}

fn textarea_cursor(ev: &web_sys::Event) -> Option<usize> {
    let area = ev
        .target()?
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .ok()?;
    let utf16 = area.selection_start().ok()??;
    let value = area.value();
    Some(utf16_to_byte(&value, utf16 as usize))
}

/// A UTF-16 offset (what the DOM reports) as a byte offset into `text`.
fn utf16_to_byte(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        if units >= utf16 {
            return byte;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn byte_to_utf16(text: &str, byte: usize) -> u32 {
    let units: usize = text[..byte.min(text.len())]
        .chars()
        .map(char::len_utf16)
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// One query editor.
#[component]
pub fn QueryEditor(
    text: RwSignal<String>,
    #[prop(into)] source: Signal<Source>,
    catalog: Catalog,
    /// The textarea's id (`query` for the first one, which the tests look for).
    id: String,
    on_run: UnsyncCallback<()>,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Textarea>::new();
    let cursor = RwSignal::new(0_usize);
    let open = RwSignal::new(false);
    let selected = RwSignal::new(0_usize);
    let language = Signal::derive(move || source.get().language());
    let context = Memo::new(move |_| {
        text.with(|t| completion_context(t, cursor.get().min(t.len()), language.get()))
    });
    let suggestions = Memo::new(move |_| {
        if !open.get() {
            return (Vec::new(), false);
        }
        match context.get() {
            Some(c) => suggestions_for(&c, language.get(), source.get(), catalog),
            None => (Vec::new(), false),
        }
    });
    let accept = move |index: usize| {
        let Some(ctx) = context.get_untracked() else {
            return;
        };
        let Some(choice) = suggestions.with_untracked(|(list, _)| list.get(index).cloned()) else {
            return;
        };
        let (new_text, new_cursor) = text.with_untracked(|t| apply(t, &ctx, &choice));
        text.set(new_text.clone());
        cursor.set(new_cursor);
        selected.set(0);
        // Keep suggesting after a label name (its values come next); close otherwise.
        open.set(matches!(
            ctx.kind,
            CompletionKind::LabelName { in_selector: true }
        ));
        request_animation_frame(move || {
            // The editor may be gone by the next frame (its values disposed).
            if let Some(Some(el)) = area.try_get_untracked() {
                let at = byte_to_utf16(&new_text, new_cursor);
                let _ = el.focus();
                let _ = el.set_selection_range(at, at);
            }
            // Setting the value moved the caret (and a key-up may have read it there).
            cursor.set(new_cursor);
        });
    };
    let on_input = move |ev: web_sys::Event| {
        text.set(event_target_value(&ev));
        if let Some(at) = textarea_cursor(&ev) {
            cursor.set(at);
        }
        selected.set(0);
        let auto = context.with_untracked(|c| {
            c.as_ref().is_some_and(|c| {
                !c.prefix.is_empty() || !matches!(c.kind, CompletionKind::Expression)
            })
        });
        open.set(auto);
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            open.set(false);
            on_run.run(());
            return;
        }
        if key == " " && ev.ctrl_key() {
            ev.prevent_default();
            open.set(true);
            return;
        }
        let count = suggestions.with_untracked(|(list, _)| list.len());
        if !open.get_untracked() || count == 0 {
            return;
        }
        match key.as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + 1) % count);
            }
            "ArrowUp" => {
                ev.prevent_default();
                selected.update(|s| *s = (*s + count - 1) % count);
            }
            "Enter" | "Tab" => {
                ev.prevent_default();
                accept(selected.get_untracked().min(count - 1));
            }
            "Escape" => {
                ev.prevent_default();
                open.set(false);
            }
            _ => {}
        }
    };
    let sync_cursor = move |ev: &web_sys::Event| {
        if let Some(at) = textarea_cursor(ev) {
            if at != cursor.get_untracked() {
                cursor.set(at);
            }
        }
    };
    let highlighted = move || {
        text.with(|t| {
            let mut spans: Vec<AnyView> = tokenize(t, language.get())
                .into_iter()
                .map(|token| {
                    let piece = token.text(t).to_owned();
                    view! { <span class=token.kind.css_class()>{piece}</span> }.into_any()
                })
                .collect();
            // A trailing newline needs a character after it to take up its line.
            spans.push(" ".into_any());
            spans
        })
    };
    let placeholder = move || {
        match source.get() {
        Source::Metrics => "PromQL, e.g. avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)   ·   Ctrl+Enter runs, Ctrl+Space suggests",
        Source::Logs => "LogQL, e.g. {namespace=\"ml-training\"} |= \"error\"   ·   Ctrl+Enter runs",
        Source::Audit => "LogQL, e.g. {app=\"kube-apiserver\", cluster=\"east-prod\"} | json | verb=\"delete\"",
    }
    };
    let dropdown = move || {
        let (list, loading) = suggestions.get();
        if !open.get() || (list.is_empty() && !loading) {
            return None;
        }
        let current = selected.get().min(list.len().saturating_sub(1));
        let doc = list.get(current).map(|s| (s.detail.clone(), s.doc.clone()));
        let items = list
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                view! {
                    <li class="completion-item" class:selected=i == current
                        data-kind=s.kind.tag()
                        on:mousedown=move |ev| { ev.prevent_default(); accept(i); }>
                        <span class="completion-text">{s.text.clone()}</span>
                        <span class="completion-tag muted">{if s.detail.is_empty() { s.kind.tag().to_owned() } else { s.detail.clone() }}</span>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <div class="completions" role="listbox">
                <ul>{items}</ul>
                {loading.then(|| view! { <div class="completion-loading muted small">"Loading names…"</div> })}
                {doc.filter(|(kind, help)| !kind.is_empty() || !help.is_empty()).map(|(kind, help)| view! {
                    <div class="completion-doc small">
                        {(!kind.is_empty()).then(|| view! { <span class="completion-type">{kind.to_uppercase()}</span>" " })}
                        <span class="completion-help">{help}</span>
                    </div>
                })}
            </div>
        })
    };
    view! {
        <div class="query-editor">
            <pre class="query-highlight" aria-hidden="true">{highlighted}</pre>
            <textarea
                id=id
                node_ref=area
                class="query-textarea"
                rows="1"
                spellcheck="false"
                autocomplete="off"
                aria-label="Query"
                placeholder=placeholder
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:keyup=move |ev: web_sys::KeyboardEvent| {
                    if !matches!(ev.key().as_str(), "Enter" | "Tab" | "ArrowUp" | "ArrowDown" | "Escape") {
                        sync_cursor(&ev);
                    }
                }
                on:click=move |ev: web_sys::MouseEvent| sync_cursor(&ev)
                on:blur=move |_| open.set(false)
            ></textarea>
            {dropdown}
        </div>
    }
}
