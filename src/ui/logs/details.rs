//! The details of an expanded log row: the exact timestamp, the line pretty-printed when it is
//! JSON, and every label and field with "filter for" / "filter out" buttons that edit the query.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use sightline_core::model::logs::fields::{pretty_json, LineFormat};
use sightline_core::model::logs::time_format::format_precise_time;
use sightline_core::model::logs::{row_details, FieldOrigin, LogRow};
use sightline_core::model::query_lang::logql_edit::FilterOp;

/// A "filter for / filter out" request from a row's details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterAction {
    pub name: String,
    pub value: String,
    pub origin: FieldOrigin,
    pub op: FilterOp,
    /// The parser the query needs to filter on a field found only in the line.
    pub parser: Option<&'static str>,
    /// Which query of several the row came from.
    pub query_index: usize,
}

fn origin_label(origin: FieldOrigin) -> &'static str {
    match origin {
        FieldOrigin::Stream => "label",
        FieldOrigin::Metadata => "metadata",
        FieldOrigin::Parsed => "parsed",
        FieldOrigin::Line => "field",
    }
}

/// The expanded part of a row.
#[component]
pub fn LogDetails(
    row: Arc<LogRow>,
    offset_minutes: i32,
    stream_labels: Option<Arc<BTreeSet<String>>>,
    on_filter: Option<UnsyncCallback<FilterAction>>,
) -> impl IntoView {
    let (format, fields) = row_details(&row, stream_labels.as_deref());
    let parser = match format {
        LineFormat::Json => Some("json"),
        LineFormat::Logfmt => Some("logfmt"),
        LineFormat::Text => None,
    };
    let pretty = pretty_json(&row.line);
    let precise = format_precise_time(row.ts_ns, offset_minutes);
    let query_index = row.query_index;
    let field_rows = fields
        .into_iter()
        .map(|field| {
            let (name, value) = (field.name.clone(), field.value.clone());
            let action = move |op: FilterOp| FilterAction {
                name: field.name.clone(),
                value: field.value.clone(),
                origin: field.origin,
                op,
                parser: if field.origin == FieldOrigin::Line { parser } else { None },
                query_index,
            };
            let include = action(FilterOp::Include);
            let exclude = action(FilterOp::Exclude);
            let buttons = on_filter.map(|callback| {
                view! {
                    <button class="btn btn-small log-filter-for" title="Filter for this value"
                        on:click=move |ev| { ev.stop_propagation(); callback.run(include.clone()); }>"+"</button>
                    <button class="btn btn-small log-filter-out" title="Filter out this value"
                        on:click=move |ev| { ev.stop_propagation(); callback.run(exclude.clone()); }>"−"</button>
                }
            });
            view! {
                <tr class="log-field">
                    <td class="log-field-actions">{buttons}</td>
                    <td class="log-field-origin muted">{origin_label(field.origin)}</td>
                    <td class="log-field-name">{name}</td>
                    <td class="log-field-value">{value}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    view! {
        <div class="log-details" on:click=|ev| ev.stop_propagation()>
            <div class="log-details-time muted small">{precise}" · "{format!("{} ns", row.ts_ns)}</div>
            {pretty.map(|text| view! { <pre class="log-json">{text}</pre> })}
            <table class="log-fields">
                <tbody>{field_rows}</tbody>
            </table>
        </div>
    }
}

/// The query with `action` applied: a matcher in the selector for a stream label, else a label
/// filter after the pipeline (with the line's parser first when the query has none).
#[must_use]
pub fn apply_filter(expr: &str, action: &FilterAction) -> String {
    use sightline_core::model::query_lang::logql_edit::{add_label_filter, add_stream_matcher};
    match action.origin {
        FieldOrigin::Stream => add_stream_matcher(expr, &action.name, &action.value, action.op),
        FieldOrigin::Metadata | FieldOrigin::Parsed => {
            add_label_filter(expr, &action.name, &action.value, action.op, None)
        }
        FieldOrigin::Line => {
            add_label_filter(expr, &action.name, &action.value, action.op, action.parser)
        }
    }
}
