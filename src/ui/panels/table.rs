//! The table panel: one row per series (labels as columns, the reduced value last), sortable by
//! any column, values coloured by thresholds, and virtualised: only the rows in view (plus a few)
//! exist in the DOM, so 10,000 rows scroll smoothly.

use leptos::prelude::*;
use sightline_core::model::civil::CivilDateTime;
use sightline_core::model::reduce::Reducer;
use sightline_core::model::table::{from_series, Cell, ColumnKind, Table};
use sightline_core::model::table_transform::TableTransform;
use sightline_core::model::value_mapping::Mapped;
use sightline_core::render::palette::Rgb;

use super::{value_span, FieldDisplay, PanelFrame, ReducedValue};
use crate::browser::local_offset_minutes;

/// Row height in CSS pixels (must match `.table-row` in the stylesheet).
pub const ROW_HEIGHT: f64 = 26.0;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 8;

/// The rows to render for a scroll position: `[first, end)`.
#[must_use]
pub fn visible_rows(scroll_top: f64, viewport: f64, total: usize) -> (usize, usize) {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let first = (scroll_top.max(0.0) / ROW_HEIGHT).floor() as usize;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let count = (viewport.max(ROW_HEIGHT) / ROW_HEIGHT).ceil() as usize;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = (first + count + OVERSCAN).min(total);
    (start, end)
}

fn time_text(ms: i64) -> String {
    let t = CivilDateTime::from_millis(ms, local_offset_minutes(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// A table panel body.
#[component]
pub fn TablePanel(
    frame: PanelFrame,
    display: FieldDisplay,
    reducer: Reducer,
    /// `organize` / `filterFieldsByName` transformations, applied to the columns in order.
    #[prop(optional)]
    transforms: Vec<TableTransform>,
) -> impl IntoView {
    let table = RwSignal::new(from_series(&frame.series, reducer).transformed(&transforms));
    let sort = RwSignal::new(None::<(usize, bool)>);
    let scroll_top = RwSignal::new(0.0);
    let viewport = RwSignal::new(400.0);
    let body = NodeRef::<leptos::html::Div>::new();
    let values: Vec<ReducedValue> = frame.reduce(reducer);
    let (min, max) = value_span(&display, &values);
    let columns = table.with_untracked(|t: &Table| t.columns.clone());
    let template = format!("repeat({}, minmax(90px, 1fr))", columns.len());
    let on_header = move |index: usize| {
        let descending = sort.get_untracked().is_some_and(|(c, d)| c == index && !d);
        sort.set(Some((index, descending)));
        table.update(|t| t.sort_by(index, descending));
    };
    let on_scroll = move |_| {
        if let Some(el) = body.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()));
        }
    };
    Effect::new(move |_| {
        if let Some(el) = body.get() {
            viewport.set(f64::from(el.client_height()));
        }
    });
    let display_for_rows = display.clone();
    let rows = move || {
        let (start, end) = visible_rows(
            scroll_top.get(),
            viewport.get(),
            table.with(|t| t.rows.len()),
        );
        table.with(|t| {
            (start..end)
                .map(|i| {
                    let series_index = t.series_index[i];
                    let display_for_rows = display_for_rows.for_series(&frame, series_index);
                    let cells = t.rows[i]
                        .iter()
                        .zip(&t.columns)
                        .map(|(cell, column)| match (cell, column.kind) {
                            (Cell::Number(v), _) => {
                                let color = display_for_rows.color(Some(*v), series_index, min, max).hex();
                                view! { <div class="table-cell num" style:color=color>{display_for_rows.format(Some(*v))}</div> }.into_any()
                            }
                            (Cell::Time(ms), _) => view! { <div class="table-cell">{time_text(*ms)}</div> }.into_any(),
                            (Cell::Text(text), _) => {
                                // Label values are mapped too (`regex`, `value`, `empty`).
                                let mapped = display_for_rows.mapped(Mapped::Text(text));
                                let shown = mapped.as_ref().and_then(|m| m.text.clone()).unwrap_or_else(|| text.clone());
                                let color = mapped.and_then(|m| m.color).and_then(|c| Rgb::parse(&c)).map(|c| c.hex());
                                view! { <div class="table-cell" title=text.clone() style:color=color>{shown}</div> }.into_any()
                            }
                            (Cell::Empty, ColumnKind::Value) => view! { <div class="table-cell num muted">{display_for_rows.no_value.clone()}</div> }.into_any(),
                            (Cell::Empty, _) => view! { <div class="table-cell"></div> }.into_any(),
                        })
                        .collect::<Vec<_>>();
                    #[allow(clippy::cast_precision_loss)]
                    let top = i as f64 * ROW_HEIGHT;
                    view! { <div class="table-row" style:top=format!("{top}px")>{cells}</div> }
                })
                .collect::<Vec<_>>()
        })
    };
    #[allow(clippy::cast_precision_loss)]
    let total_height = move || format!("{}px", table.with(|t| t.rows.len()) as f64 * ROW_HEIGHT);
    let template_body = template.clone();
    view! {
        <div class="table-panel" style=("--table-columns", template)>
            <div class="table-header">
                {columns.into_iter().enumerate().map(|(index, column)| {
                    let arrow = move || match sort.get() {
                        Some((c, true)) if c == index => " ↓",
                        Some((c, false)) if c == index => " ↑",
                        _ => "",
                    };
                    view! {
                        <button class="table-head-cell" class:num=column.kind == ColumnKind::Value on:click=move |_| on_header(index)>
                            {column.name}{arrow}
                        </button>
                    }
                }).collect::<Vec<_>>()}
            </div>
            <div class="table-body" node_ref=body on:scroll=on_scroll>
                <div class="table-rows" style:height=total_height style=("--table-columns", template_body)>
                    {rows}
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_in_view_and_a_margin_are_rendered() {
        assert_eq!(visible_rows(0.0, 260.0, 10_000), (0, 18));
        let (start, end) = visible_rows(26_000.0, 260.0, 10_000);
        assert_eq!((start, end), (992, 1018));
        assert_eq!(visible_rows(0.0, 260.0, 3), (0, 3));
        assert!(visible_rows(1.0e9, 260.0, 10).0 <= 10);
    }
}
