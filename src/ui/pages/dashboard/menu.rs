//! A panel's menu: edit it, view it full size, inspect its requests, show its JSON, download its
//! data as CSV or its chart as PNG.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use sightline_core::model::csv::series_csv;
use sightline_core::model::dashboard::repeat::RepeatScope;
use sightline_core::model::url_state::UrlState;
use wasm_bindgen::JsCast;

use super::panel::PanelStatus;
use super::panel_editor::PanelEditor;
use crate::browser::{download_canvas_png, download_text, file_name};
use crate::state::dashboard::use_dashboard;
use crate::ui::components::modal::Modal;

/// URL parameter naming the repeat copy that `viewPanel` shows: `viewRepeat=gpu:3`, once per
/// narrowed variable.
pub const VIEW_REPEAT_PARAM: &str = "viewRepeat";

/// The "⋮" menu of panel `id` (its copy for `scopes`), titled `title`, drawn in `container`.
#[component]
pub fn PanelMenu(
    id: u64,
    status: RwSignal<PanelStatus>,
    title: Signal<String>,
    container: NodeRef<leptos::html::Section>,
    scopes: Vec<RepeatScope>,
) -> impl IntoView {
    let state = use_dashboard();
    let location = use_location();
    let navigate = use_navigate();
    let open = RwSignal::new(false);
    let inspect = RwSignal::new(false);
    let json = RwSignal::new(false);
    let edit = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let title = move || title.get_untracked();
    let view_full = move |_| {
        open.set(false);
        let mut url = UrlState::parse(&location.search.get_untracked());
        url.other
            .retain(|(k, _)| k != "viewPanel" && k != VIEW_REPEAT_PARAM);
        url.other.push(("viewPanel".to_owned(), id.to_string()));
        for scope in &scopes {
            let value = format!("{}:{}", scope.variable, scope.value);
            url.other.push((VIEW_REPEAT_PARAM.to_owned(), value));
        }
        navigate(
            &format!("{}?{}", location.pathname.get_untracked(), url.to_query()),
            NavigateOptions::default(),
        );
    };
    let csv = move |_| {
        open.set(false);
        let Some(data) = status.with_untracked(PanelStatus::data) else {
            message.set(Some("No data to download yet.".to_owned()));
            return;
        };
        let text = series_csv(&data.series, &data.names);
        if let Err(e) = download_text(&file_name(&title(), "csv"), "text/csv", &text) {
            message.set(Some(e));
        }
    };
    let png = move |_| {
        open.set(false);
        let canvas = container
            .get_untracked()
            .and_then(|panel| panel.query_selector("canvas.chart-canvas").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        match canvas {
            Some(canvas) => {
                if let Err(e) = download_canvas_png(&file_name(&title(), "png"), &canvas) {
                    message.set(Some(e));
                }
            }
            None => message.set(Some(
                "Only time-series panels draw a chart to download.".to_owned(),
            )),
        }
    };
    let panel_json = move || {
        state
            .dashboard
            .with(|d| d.panel(id).map(|p| p.to_json_pretty()).unwrap_or_default())
    };
    view! {
        <div class="panel-menu">
            <button class="btn btn-quiet btn-small panel-menu-button" aria-label="Panel menu" title="Panel menu"
                on:click=move |_| open.update(|o| *o = !*o)>"⋮"</button>
            <Show when=move || open.get()>
                <ul class="dropdown menu-list" role="menu">
                    <li><button class="link-button menu-edit" on:click=move |_| { open.set(false); edit.set(true); }>"Edit"</button></li>
                    <li><button class="link-button menu-view" on:click={let view_full = view_full.clone(); move |ev| view_full(ev)}>"View"</button></li>
                    <li><button class="link-button menu-inspect" on:click=move |_| { open.set(false); inspect.set(true); }>"Inspect"</button></li>
                    <li><button class="link-button menu-json" on:click=move |_| { open.set(false); json.set(true); }>"Panel JSON"</button></li>
                    <li><button class="link-button menu-csv" on:click=csv>"Download CSV"</button></li>
                    <li><button class="link-button menu-png" on:click=png>"Download PNG"</button></li>
                </ul>
            </Show>
            {move || message.get().map(|m| view! { <span class="menu-message muted small">{m}</span> })}
            <Modal open=inspect title="Inspect">
                {move || match status.with(PanelStatus::data) {
                    None => view! { <p class="muted">"No request has finished yet."</p> }.into_any(),
                    Some(data) => view! {
                        <table class="inspect-table">
                            <thead><tr><th>"Query"</th><th>"Host"</th><th>"Mode"</th><th>"Step"</th><th>"Time"</th><th>"Series"</th><th>"Points"</th><th>"Result"</th></tr></thead>
                            <tbody>
                                {data.requests.iter().map(|r| view! {
                                    <tr>
                                        <td><code class="inspect-query">{format!("{}: {}", r.ref_id, r.query)}</code></td>
                                        <td>{r.host.clone()}</td>
                                        <td class="inspect-mode">{r.mode_text()}</td>
                                        <td>{r.step.to_string()}</td>
                                        <td class="num">{format!("{:.0} ms", r.elapsed_ms)}</td>
                                        <td class="num">{r.series}</td>
                                        <td class="num">{r.points}</td>
                                        <td>{r.outcome.clone()}</td>
                                    </tr>
                                }).collect::<Vec<_>>()}
                            </tbody>
                        </table>
                        {(!data.notes.is_empty()).then(|| view! { <ul class="notes">{data.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect::<Vec<_>>()}</ul> })}
                    }.into_any(),
                }}
            </Modal>
            <PanelEditor id=id open=edit/>
            <Modal open=json title="Panel JSON">
                <pre class="json">{panel_json}</pre>
            </Modal>
        </div>
    }
}
