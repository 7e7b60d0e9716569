//! The 24-column grid: panels placed by `gridPos` (rows of 30 px), row headers that collapse and
//! expand, and a single column on narrow screens.

use leptos::prelude::*;
use sightline_core::model::dashboard::{Dashboard, Panel, PanelKind};

use super::panel::{panel_height, PanelView};
use crate::state::dashboard::use_dashboard;

/// A grid cell: a panel or a row header, with its position.
#[derive(Debug, Clone, PartialEq)]
struct Cell {
    index: usize,
    id: u64,
    is_row: bool,
    collapsed: bool,
    title: String,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    /// Panels a collapsed row holds.
    hidden_children: usize,
}

fn cells(dashboard: &Dashboard) -> Vec<Cell> {
    let mut cells: Vec<Cell> = dashboard
        .panels
        .iter()
        .enumerate()
        .filter_map(|(index, p): (usize, &Panel)| {
            let g = p.grid_pos.as_ref()?;
            Some(Cell {
                index,
                id: p.id?,
                is_row: p.kind == PanelKind::Row,
                collapsed: p.collapsed,
                title: p.title.clone(),
                x: g.x,
                y: g.y,
                w: g.w.max(1),
                h: g.h.max(1),
                hidden_children: p.panels.len(),
            })
        })
        .collect();
    sightline_core::sort::sort_by_key(&mut cells, |c| (c.y, c.x));
    cells
}

/// The dashboard's panels on the grid.
#[component]
pub fn Grid() -> impl IntoView {
    let state = use_dashboard();
    let layout = Memo::new(move |_| state.dashboard.with(cells));
    let toggle_row = move |index: usize, collapsed: bool| {
        // Folding a row is a view change, not an edit worth an "unsaved" marker.
        state.dashboard.update(|d| {
            d.set_row_collapsed(index, !collapsed);
        });
    };
    view! {
        <div class="grid">
            <For
                each=move || layout.get()
                key=|cell| (cell.id, cell.collapsed, cell.is_row)
                children=move |cell: Cell| {
                    let column = format!("{} / span {}", cell.x + 1, cell.w);
                    let row = format!("{} / span {}", cell.y + 1, cell.h);
                    let min_height = format!("{}px", panel_height(cell.h));
                    if cell.is_row {
                        let (index, collapsed) = (cell.index, cell.collapsed);
                        view! {
                            <div class="grid-item grid-row-header" style:grid-column=column style:grid-row=row>
                                <button class="row-toggle" aria-expanded=(!collapsed).to_string() on:click=move |_| toggle_row(index, collapsed)>
                                    <span class="row-chevron">{if collapsed { "▸" } else { "▾" }}</span>
                                    <span class="row-title">{cell.title.clone()}</span>
                                    {(collapsed && cell.hidden_children > 0).then(|| view! { <span class="muted small">{format!("({} panels)", cell.hidden_children)}</span> })}
                                </button>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <div class="grid-item" style:grid-column=column style:grid-row=row style:min-height=min_height>
                                <PanelView id=cell.id/>
                            </div>
                        }.into_any()
                    }
                }
            />
        </div>
    }
}
