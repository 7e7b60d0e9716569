//! The 24-column grid: panels placed by `gridPos` (rows of 30 px) with their repeats expanded
//! (a copy per value of the variable), row headers that collapse and expand, and a single column
//! on narrow screens. The top rows mount at once and the rest top to bottom in batches while the
//! page is idle, so the first panels draw sooner and a dashboard with thousands of panels never
//! freezes the tab.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;
use sightline_core::model::dashboard::repeat::{
    place_folding, scoped_variables, RepeatScope, RepeatValue,
};
use sightline_core::model::dashboard::{Dashboard, PanelKind};
use sightline_core::model::interpolate::{interpolate_display, Scope};

use super::panel::{panel_height, PanelView};
use crate::browser::when_idle;
use crate::client::early;
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

/// Cells mounted at once when the page opens while `early.js` holds its answers (a repeat
/// visit): the top rows. The rest wait until one panel's answer is in (or
/// [`TOP_ROWS_WAIT_MS`] passed) and the page is idle, so the first panel's answer is read and
/// drawn before the rest of the grid is built: on the 30-panel bench dashboard, its first chart
/// came about 40 ms sooner than with all 30 mounted at once. The other panels' answers, already
/// asked for, wait for them. With nothing asked early (a first visit), the first batch is
/// [`SECOND_BATCH`] and mounts at once, so every panel sends its query without waiting.
const FIRST_BATCH: usize = 6;
/// The next batch, then the bounds of later ones.
const SECOND_BATCH: usize = 64;
const MIN_BATCH: usize = 4;
const MAX_BATCH: usize = 512;
/// Longest wait for a first answer before the rest of the grid mounts anyway.
const TOP_ROWS_WAIT_MS: u32 = 150;
/// Time between two batches longer than this (mounting, painting and whatever else the page
/// did) halves the next batch; less than half of it doubles the next batch.
const FRAME_BUDGET_MS: f64 = 60.0;
/// A busy page still mounts the next batch after this long.
const IDLE_TIMEOUT_MS: u32 = 100;

/// How many of `total` cells to mount: [`FIRST_BATCH`] at once when `answers_waiting` (else
/// [`SECOND_BATCH`]), the rest in batches when the page is idle, once `settled` counts an
/// answer or the wait is over; each batch adapts to how long the previous one took.
fn progressive_count(
    total: Memo<usize>,
    settled: RwSignal<u32>,
    answers_waiting: bool,
) -> ReadSignal<usize> {
    let first = if answers_waiting {
        FIRST_BATCH
    } else {
        SECOND_BATCH
    };
    let (shown, set_shown) = signal(first);
    let waited = RwSignal::new(!answers_waiting);
    if answers_waiting {
        set_timeout(
            move || waited.set(true),
            std::time::Duration::from_millis(u64::from(TOP_ROWS_WAIT_MS)),
        );
    }
    let batch = StoredValue::new(SECOND_BATCH);
    let last_batch = StoredValue::new(None::<f64>);
    // One batch scheduled at a time, however often an answer re-runs the effect.
    let scheduled = StoredValue::new(false);
    Effect::new(move |_| {
        if shown.get() >= total.get() {
            last_batch.set_value(None);
            return;
        }
        let top_rows_waiting = !waited.get() && settled.get() == 0;
        if top_rows_waiting || scheduled.get_value() {
            return;
        }
        scheduled.set_value(true);
        when_idle(IDLE_TIMEOUT_MS, move || {
            // The page may have been left (the grid disposed) before it was idle.
            let (Some(previous), Some(mut next)) =
                (last_batch.try_get_value(), batch.try_get_value())
            else {
                return;
            };
            scheduled.set_value(false);
            let now = js_sys::Date::now();
            if let Some(previous) = previous {
                let took = now - previous;
                next = if took > FRAME_BUDGET_MS {
                    (next / 2).max(MIN_BATCH)
                } else if took < FRAME_BUDGET_MS / 2.0 {
                    (next * 2).min(MAX_BATCH)
                } else {
                    next
                };
            }
            batch.set_value(next);
            last_batch.set_value(Some(now));
            set_shown.update(|s| *s += next);
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
    let shown = progressive_count(total, state.settled, early::any_waiting());
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

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    //! The grid's mounting order in headless Chromium:
    //! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p sightline --target wasm32-unknown-unknown --lib ui::pages::dashboard::grid::`
    #![allow(clippy::unwrap_used)]

    use leptos::prelude::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::{progressive_count, FIRST_BATCH};

    wasm_bindgen_test_configure!(run_in_browser);

    /// Mounts a counter of `total` cells; returns the count shown and the answers settled.
    fn mount(
        total: usize,
        answers_waiting: bool,
    ) -> (
        leptos::mount::UnmountHandle<impl Mountable>,
        ReadSignal<usize>,
        RwSignal<u32>,
    ) {
        let container = crate::browser_test_support::new_container();
        let out = StoredValue::new(None::<(ReadSignal<usize>, RwSignal<u32>)>);
        let handle = leptos::mount::mount_to(container, move || {
            let settled = RwSignal::new(0_u32);
            let shown = progressive_count(Memo::new(move |_| total), settled, answers_waiting);
            out.set_value(Some((shown, settled)));
            view! { <p>{move || shown.get()}</p> }
        });
        let (shown, settled) = out.get_value().unwrap();
        (handle, shown, settled)
    }

    async fn sleep(ms: u32) {
        gloo_timers::future::TimeoutFuture::new(ms).await;
    }

    /// Polls for up to `ms` until `shown` reaches `total`, and fails the test if it does not.
    async fn assert_all_mounted(shown: ReadSignal<usize>, total: usize, ms: u32) {
        for _ in 0..ms / 10 {
            if shown.get_untracked() >= total {
                return;
            }
            sleep(10).await;
        }
        let mounted = shown.get_untracked();
        assert!(
            mounted >= total,
            "{mounted} of {total} mounted after {ms} ms"
        );
    }

    #[wasm_bindgen_test]
    async fn the_top_rows_mount_first_and_the_rest_once_an_answer_is_in() {
        let (_handle, shown, settled) = mount(30, true);
        assert_eq!(shown.get_untracked(), FIRST_BATCH);
        // Well inside the 150 ms wait, and long enough for an idle callback to have run.
        sleep(20).await;
        assert_eq!(
            shown.get_untracked(),
            FIRST_BATCH,
            "no answer yet and the wait is not over: only the top rows"
        );
        settled.set(1);
        assert_all_mounted(shown, 30, 2000).await;
    }

    #[wasm_bindgen_test]
    async fn without_any_answer_the_rest_mounts_after_the_wait() {
        let (_handle, shown, _settled) = mount(30, true);
        sleep(20).await;
        assert_eq!(shown.get_untracked(), FIRST_BATCH);
        assert_all_mounted(shown, 30, 2000).await;
    }

    #[wasm_bindgen_test]
    async fn leaving_the_page_before_the_rest_mounts_is_quiet() {
        let errors = crate::browser_test_support::ErrorCapture::start();
        let (handle, shown, settled) = mount(30, true);
        settled.set(1);
        // One turn of the microtask queue: the effect runs and schedules the next batch.
        crate::browser_test_support::microtask_turn().await;
        assert_eq!(
            shown.get_untracked(),
            FIRST_BATCH,
            "the batch is still to come"
        );
        // The grid goes away before the page is idle.
        drop(handle);
        sleep(250).await;
        let (count, errors) = errors.finish();
        assert_eq!(count, 0, "{errors}");
    }

    #[wasm_bindgen_test]
    fn with_nothing_asked_early_a_whole_dashboard_mounts_at_once() {
        let (_handle, shown, _settled) = mount(30, false);
        assert!(shown.get_untracked() >= 30, "{}", shown.get_untracked());
    }

    #[wasm_bindgen_test]
    async fn ten_thousand_cells_mount_in_batches() {
        let (_handle, shown, settled) = mount(10_000, true);
        settled.set(1);
        sleep(30).await;
        let early = shown.get_untracked();
        assert!(early < 10_000, "mounted in batches, not at once ({early})");
        assert_all_mounted(shown, 10_000, 10_000).await;
    }
}
