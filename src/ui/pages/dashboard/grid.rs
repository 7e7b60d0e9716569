//! The 24-column grid: panels placed by `gridPos` (rows of 30 px) with their repeats expanded
//! (a copy per value of the variable), row headers that collapse and expand, and a single column
//! on narrow screens. Panels mount top to bottom in frame-sized batches, so a dashboard with
//! thousands of panels never freezes the tab.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use sightline_core::model::dashboard::repeat::{
    place_folding, scoped_variables, RepeatScope, RepeatValue,
};
use sightline_core::model::dashboard::{Dashboard, PanelKind};
use sightline_core::model::interpolate::{interpolate_display, Scope};

use super::panel::{panel_height, PanelView};
use crate::state::dashboard::{use_dashboard, VariableState};

/// A grid cell: a panel or a row header (or a repeat's copy of one), with its position.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    index: usize,
    id: u64,
    is_row: bool,
    collapsed: bool,
    /// Row headers: the title with the variables filled in.
    title: String,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    /// Panels a collapsed row holds.
    hidden_children: usize,
    /// The variables narrowed for a repeat's copy.
    scopes: Vec<RepeatScope>,
}

/// The values a variable repeats for: its selection, every option when "All" is selected.
fn repeat_values(variables: &[VariableState], name: &str) -> Vec<RepeatValue> {
    variables
        .iter()
        .find(|v| v.variable.name == name)
        .map(|v| {
            let value = v.value();
            value
                .values
                .into_iter()
                .zip(value.texts)
                .map(|(value, text)| RepeatValue { value, text })
                .collect()
        })
        .unwrap_or_default()
}

/// Copies of repeated rows the viewer folded: (row id, the copy's value).
type Folded = HashSet<(u64, String)>;

fn cells(dashboard: &Dashboard, variables: &[VariableState], folded: &Folded) -> Vec<Cell> {
    let values: Vec<_> = variables
        .iter()
        .map(|v| (v.variable.name.clone(), v.value()))
        .collect();
    let placements = place_folding(
        &dashboard.panels,
        &|name| repeat_values(variables, name),
        &|id, value| folded.contains(&(id, value.to_owned())),
    );
    let mut cells: Vec<Cell> = placements
        .into_iter()
        .filter_map(|placed| {
            let p = dashboard.panels.get(placed.index)?;
            let is_row = p.kind == PanelKind::Row;
            let title = if is_row {
                let scoped = scoped_variables(&values, &placed.scopes);
                let scope = Scope {
                    variables: &scoped,
                    builtins: None,
                };
                interpolate_display(&p.title, &scope)
            } else {
                String::new()
            };
            Some(Cell {
                index: placed.index,
                id: p.id?,
                is_row,
                collapsed: p.collapsed || placed.folded.is_some(),
                title,
                x: placed.grid.x,
                y: placed.grid.y,
                w: placed.grid.w.max(1),
                h: placed.grid.h.max(1),
                hidden_children: placed.folded.unwrap_or(p.panels.len()),
                scopes: placed.scopes,
            })
        })
        .collect();
    sightline_core::sort::sort_by_key(&mut cells, |c| (c.y, c.x));
    cells
}

/// "(1 panel)", "(3 panels)": what a folded row holds.
fn panel_count(n: usize) -> String {
    if n == 1 {
        "(1 panel)".to_owned()
    } else {
        format!("({n} panels)")
    }
}

/// Cells mounted in the first frame: every ordinary dashboard fits.
const FIRST_BATCH: usize = 64;
/// Bounds of a later frame's batch.
const MIN_BATCH: usize = 4;
const MAX_BATCH: usize = 512;
/// A frame that took longer than this (mounting plus painting) halves the next batch; one that
/// took less than half of it doubles the next batch.
const FRAME_BUDGET_MS: f64 = 60.0;

/// How many of `total` cells to mount, growing one batch per animation frame until all are
/// mounted; the batch adapts to how long the previous frame took.
fn progressive_count(total: Memo<usize>) -> ReadSignal<usize> {
    let (shown, set_shown) = signal(FIRST_BATCH);
    let batch = StoredValue::new(FIRST_BATCH);
    let last_frame = StoredValue::new(None::<f64>);
    Effect::new(move |_| {
        if shown.get() >= total.get() {
            last_frame.set_value(None);
            return;
        }
        request_animation_frame(move || {
            let now = js_sys::Date::now();
            if let Some(previous) = last_frame.get_value() {
                let took = now - previous;
                batch.update_value(|b| {
                    *b = if took > FRAME_BUDGET_MS {
                        (*b / 2).max(MIN_BATCH)
                    } else if took < FRAME_BUDGET_MS / 2.0 {
                        (*b * 2).min(MAX_BATCH)
                    } else {
                        *b
                    };
                });
            }
            last_frame.set_value(Some(now));
            set_shown.update(|s| *s += batch.get_value());
        });
    });
    shown
}

/// The dashboard's panels on the grid.
#[component]
pub fn Grid() -> impl IntoView {
    let state = use_dashboard();
    // Folding one copy of a repeated row is a view state: the file's `collapsed` is for all.
    let folded = RwSignal::new(Folded::new());
    let layout = Memo::new(move |_| {
        folded.with(|folded| {
            state
                .variables
                .with(|variables| state.dashboard.with(|d| cells(d, variables, folded)))
        })
    });
    let total = Memo::new(move |_| layout.with(Vec::len));
    let shown = progressive_count(total);
    let toggle_row = move |id: u64, collapsed: bool, copy: Option<String>| {
        let template_collapsed = state
            .dashboard
            .with(|d| d.panels.iter().any(|p| p.id == Some(id) && p.collapsed));
        match copy {
            // One copy of an unfolded repeated row: only that copy folds or unfolds.
            Some(value) if !template_collapsed => folded.update(|f| {
                if collapsed {
                    f.remove(&(id, value));
                } else {
                    f.insert((id, value));
                }
            }),
            // A plain row, or a copy of a row the file folds: the row unfolds for every copy
            // but the clicked one's siblings stay folded, so only the clicked copy opens.
            _ => {
                if let Some(value) = copy {
                    let siblings: Vec<String> = layout.with(|cells| {
                        cells
                            .iter()
                            .filter(|c| c.is_row && c.id == id)
                            .filter_map(|c| c.scopes.first().map(|s| s.value.clone()))
                            .filter(|v| *v != value)
                            .collect()
                    });
                    folded.update(|f| {
                        f.retain(|(row, _)| *row != id);
                        f.extend(siblings.into_iter().map(|v| (id, v)));
                    });
                }
                // Folding a row is a view change, not an edit worth an "unsaved" marker. The
                // row is found by id when clicked: folding another row moves it in the list.
                state.dashboard.update(|d| {
                    if let Some(index) = d.panels.iter().position(|p| p.id == Some(id)) {
                        d.set_row_collapsed(index, !collapsed);
                    }
                });
            }
        }
    };
    // Where each cell sits now. A cell keeps its view while its key stays (a panel keeps its
    // data and chart), so its position follows the layout through this map: folding a row or
    // changing a repeat's selection moves what lies below.
    let positions = Memo::new(move |_| {
        layout.with(|cells| {
            cells
                .iter()
                .map(|c| ((c.id, c.is_row, c.scopes.clone()), (c.x, c.y, c.w, c.h)))
                .collect::<HashMap<_, _>>()
        })
    });
    view! {
        <div class="grid">
            <For
                each=move || layout.with(|cells| cells.iter().take(shown.get()).cloned().collect::<Vec<_>>())
                // A row header's title is part of its key: it changes with the variables.
                key=|cell| (cell.id, cell.collapsed, cell.is_row, cell.scopes.clone(), cell.title.clone())
                children=move |cell: Cell| {
                    let key = (cell.id, cell.is_row, cell.scopes.clone());
                    let placed = (cell.x, cell.y, cell.w, cell.h);
                    let place = Memo::new(move |_| positions.with(|p| p.get(&key).copied()).unwrap_or(placed));
                    let column = move || {
                        let (x, _, w, _) = place.get();
                        format!("{} / span {w}", x + 1)
                    };
                    let row = move || {
                        let (_, y, _, h) = place.get();
                        format!("{} / span {h}", y + 1)
                    };
                    let min_height = move || format!("{}px", panel_height(place.get().3));
                    if cell.is_row {
                        let (id, collapsed) = (cell.id, cell.collapsed);
                        let copy = cell.scopes.first().map(|s| s.value.clone());
                        view! {
                            <div class="grid-item grid-row-header" style:grid-column=column style:grid-row=row>
                                <button class="row-toggle" aria-expanded=(!collapsed).to_string() on:click=move |_| toggle_row(id, collapsed, copy.clone())>
                                    <span class="row-chevron">{if collapsed { "▸" } else { "▾" }}</span>
                                    <span class="row-title">{cell.title.clone()}</span>
                                    {(collapsed && cell.hidden_children > 0).then(|| view! { <span class="muted small">{panel_count(cell.hidden_children)}</span> })}
                                </button>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <div class="grid-item" style:grid-column=column style:grid-row=row style:min-height=min_height>
                                <PanelView id=cell.id scopes=cell.scopes.clone()/>
                            </div>
                        }.into_any()
                    }
                }
            />
        </div>
    }
}
