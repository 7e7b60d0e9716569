//! "Edit JSON": the open dashboard as text in a drawer beside the panels. Edits apply live (a
//! moment after typing stops) whenever the text loads without errors; otherwise the text is kept
//! as typed, the dashboard keeps its last good version, and every problem is listed with its path
//! and line/column — clicking one puts the cursor there.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use sightline_core::model::dashboard::{load, Diagnostic, Severity};

use crate::state::dashboard::use_dashboard;

/// How long typing must pause before the text is applied.
const APPLY_AFTER_MS: u32 = 300;

/// The UTF-16 offset (what a textarea's selection counts) of 1-based `line` and `column`
/// (columns count characters), clamped to the text.
#[must_use]
pub fn utf16_offset(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0u32;
    let (mut at_line, mut at_column) = (1usize, 1usize);
    for c in text.chars() {
        if at_line == line && at_column >= column {
            return offset;
        }
        if c == '\n' {
            if at_line == line {
                return offset;
            }
            at_line += 1;
            at_column = 1;
        } else {
            at_column += 1;
        }
        offset += u32::try_from(c.len_utf16()).unwrap_or(1);
    }
    offset
}

/// A diagnostic as shown: its text and where it points.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    text: String,
    line: Option<usize>,
    column: Option<usize>,
}

fn shown(diagnostics: &[Diagnostic], severity: Severity) -> Vec<Shown> {
    diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .take(200)
        .map(|d| Shown {
            text: d.to_string(),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
        })
        .collect()
}

fn mark_body(open: bool) {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = if open {
            body.set_attribute("data-json-editor", "open")
        } else {
            body.remove_attribute("data-json-editor")
        };
    }
}

/// The JSON editor drawer, shown while `open`.
#[component]
pub fn JsonEditor(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <EditorDrawer open=open/>
        </Show>
    }
}

#[component]
fn EditorDrawer(open: RwSignal<bool>) -> impl IntoView {
    let state = use_dashboard();
    let initial = state.dashboard.get_untracked();
    let text = RwSignal::new(initial.to_json_pretty());
    let applied = StoredValue::new(initial);
    let errors = RwSignal::new(Vec::<Shown>::new());
    let warnings = RwSignal::new(shown(
        &load(&text.get_untracked()).diagnostics,
        Severity::Warning,
    ));
    let timer = StoredValue::new(None::<SendWrapper<gloo_timers::callback::Timeout>>);
    let area = NodeRef::<leptos::html::Textarea>::new();
    mark_body(true);
    on_cleanup(move || {
        mark_body(false);
        timer.set_value(None);
    });

    let apply = move || {
        let loaded = load(&text.get_untracked());
        errors.set(shown(&loaded.diagnostics, Severity::Error));
        warnings.set(shown(&loaded.diagnostics, Severity::Warning));
        if loaded.has_errors() {
            return;
        }
        if let Some(dashboard) = loaded.dashboard {
            if state.dashboard.with_untracked(|d| *d != dashboard) {
                applied.set_value(dashboard.clone());
                state.edit(move |d| *d = dashboard);
            }
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        text.set(event_target_value(&ev));
        let timeout = gloo_timers::callback::Timeout::new(APPLY_AFTER_MS, apply);
        timer.set_value(Some(SendWrapper::new(timeout)));
    };
    // Follow edits made elsewhere (panel editor, row folds, discard) while the text is valid.
    Effect::new(move |_| {
        let current = state.dashboard.get();
        if applied.with_value(|a| *a == current) || !errors.with_untracked(Vec::is_empty) {
            return;
        }
        text.set(current.to_json_pretty());
        applied.set_value(current);
    });
    let reset = move |_| {
        let current = state.dashboard.get_untracked();
        text.set(current.to_json_pretty());
        applied.set_value(current);
        errors.set(Vec::new());
    };
    let jump = move |line: Option<usize>, column: Option<usize>| {
        let (Some(line), Some(area)) = (line, area.get_untracked()) else {
            return;
        };
        let (at, lines) = text.with_untracked(|t| {
            (
                utf16_offset(t, line, column.unwrap_or(1)),
                t.lines().count().max(1),
            )
        });
        let _ = area.focus();
        let _ = area.set_selection_range(at, at + 1);
        // Lines do not wrap (`white-space: pre`), so the line's share of the height is exact.
        #[allow(clippy::cast_precision_loss)]
        let share = line.saturating_sub(1) as f64 / lines as f64;
        let top = share * f64::from(area.scroll_height()) - f64::from(area.client_height()) / 3.0;
        #[allow(clippy::cast_possible_truncation)]
        area.set_scroll_top(top.max(0.0) as i32);
    };
    let item = move |s: Shown, class: &'static str| {
        let (line, column) = (s.line, s.column);
        view! {
            <li><button class=format!("link-button diagnostic-jump {class}") title="Show in the text"
                on:click=move |_| jump(line, column)>{s.text}</button></li>
        }
    };

    view! {
        <aside class="json-drawer" aria-label="Dashboard JSON editor">
            <header class="json-drawer-header">
                <h2>"Dashboard JSON"</h2>
                <span class="spacer"></span>
                <button class="btn btn-small" id="json-reset" title="Replace the text with the dashboard as shown" on:click=reset>"Reset text"</button>
                <button class="btn btn-small btn-quiet" id="json-close" aria-label="Close the JSON editor" on:click=move |_| open.set(false)>"✕"</button>
            </header>
            <p class="small" id="json-status" class:error-text=move || !errors.with(Vec::is_empty) class:muted=move || errors.with(Vec::is_empty)>
                {move || {
                    let n = errors.with(Vec::len);
                    if n == 0 {
                        "Edits apply as you type.".to_owned()
                    } else {
                        format!("Not applied: {n} error(s). The dashboard keeps its last valid version; your text is kept.")
                    }
                }}
            </p>
            <textarea id="json-editor" class="json-text" spellcheck="false" node_ref=area
                prop:value=move || text.get() on:input=on_input></textarea>
            <div class="json-problems">
                <ul class="diagnostics" id="json-errors">
                    {move || errors.get().into_iter().map(|s| item(s, "error-text")).collect::<Vec<_>>()}
                </ul>
                {move || {
                    let list = warnings.get();
                    (!list.is_empty()).then(|| view! {
                        <details class="json-warnings">
                            <summary class="muted small">{format!("{} warning(s)", list.len())}</summary>
                            <ul class="diagnostics" id="json-warnings">
                                {list.into_iter().map(|s| item(s, "muted")).collect::<Vec<_>>()}
                            </ul>
                        </details>
                    })
                }}
            </div>
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_and_column_become_the_textarea_offset_in_utf16_units() {
        let text = "{\n  \"a\": \"é😀x\",\n  \"b\": 1\n}";
        assert_eq!(utf16_offset(text, 1, 1), 0);
        assert_eq!(utf16_offset(text, 2, 3), 4);
        // Line 3 starts after "{\n" (2) and the second line: 2 spaces + `"a": "` (6) + é (1) +
        // 😀 (2 UTF-16 units) + `x",` (3) + newline (1).
        assert_eq!(utf16_offset(text, 3, 1), 2 + 2 + 6 + 1 + 2 + 3 + 1);
        assert_eq!(utf16_offset(text, 2, 99), 2 + 14);
        assert_eq!(utf16_offset(text, 99, 1), 27);
    }
}
