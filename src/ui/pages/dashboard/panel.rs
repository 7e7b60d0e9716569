//! One panel of a dashboard: header (title, description, loading, warnings, menu), and a body
//! drawn from its latest data. Queries run when the panel is on screen and its inputs change
//! (range, variables, width, a refresh); an error stays in its panel with a way to retry.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::error::ApiError;
use sightline_core::model::dashboard::repeat::{scoped_variables, RepeatScope};
use sightline_core::model::dashboard::{Panel, PanelKind};
use sightline_core::model::interpolate::{interpolate_display, Scope, VariableValue};
use sightline_core::model::table_transform::parse_transforms;

use super::chart_display::chart_input;
use super::display::{field_display, frame, legend_mode, legend_on_the_right, reducer};
use super::menu::PanelMenu;
use crate::browser::zone_offset;
use crate::client::RequestSlot;
use crate::state::config::use_config;
use crate::state::dashboard::panel_data::{run_panel, PanelContext, PanelResult};
use crate::state::dashboard::use_dashboard;
use crate::state::session::use_session;
use crate::ui::components::chart::{LegendMode, TimeSeriesChart};
use crate::ui::components::error_box::ErrorBox;
use crate::ui::components::identity::answer_memo;
use crate::ui::components::resize::use_element_width;
use crate::ui::components::spinner::Spinner;
use crate::ui::components::visibility::{look_now, use_visible};
use crate::ui::panels::bargauge::BarGaugePanel;
use crate::ui::panels::gauge::GaugePanel;
use crate::ui::panels::heatmap::HeatmapPanel;
use crate::ui::panels::markdown::TextPanel;
use crate::ui::panels::pie::{PieOptions, PiePanel};
use crate::ui::panels::stat::{StatOptions, StatPanel};
use crate::ui::panels::table::TablePanel;

/// Height of one grid row in CSS pixels (Grafana's 30 px).
pub const ROW_PX: f64 = 30.0;
/// Space between grid rows.
pub const GAP_PX: f64 = 8.0;
/// Height of a panel's header.
pub const HEADER_PX: f64 = 32.0;

/// What a panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelStatus {
    /// Not on screen yet, or variables still resolving.
    Waiting,
    /// Querying; the previous data (if any) stays visible.
    Loading(Option<Arc<PanelResult>>),
    Done(Arc<PanelResult>),
    Failed(ApiError, Option<Arc<PanelResult>>),
}

impl PanelStatus {
    /// The data to draw, if any.
    #[must_use]
    pub fn data(&self) -> Option<Arc<PanelResult>> {
        match self {
            PanelStatus::Waiting => None,
            PanelStatus::Loading(d) | PanelStatus::Failed(_, d) => d.clone(),
            PanelStatus::Done(d) => Some(d.clone()),
        }
    }
}

/// The pixel height of a panel `h` grid rows tall.
#[must_use]
pub fn panel_height(h: u32) -> f64 {
    f64::from(h) * ROW_PX + f64::from(h.saturating_sub(1)) * GAP_PX
}

/// The inputs a panel's data depends on; an unchanged key does not query again.
#[derive(Debug, Clone, PartialEq)]
struct QueryKey {
    panel: Panel,
    range: (i64, i64),
    variables: Arc<Vec<(String, VariableValue)>>,
    width_bucket: u32,
    generation: u64,
}

/// A panel, looked up by id in the page's dashboard; a repeat's copy sees the variables of
/// `scopes` narrowed to its value.
#[component]
pub fn PanelView(
    id: u64,
    #[prop(optional)] full_size: bool,
    #[prop(optional)] scopes: Vec<RepeatScope>,
) -> impl IntoView {
    let state = use_dashboard();
    let repeat_label = scopes
        .iter()
        .map(|s| format!("{}={}", s.variable, s.value))
        .collect::<Vec<_>>()
        .join(",");
    let menu_scopes = scopes.clone();
    let variables = Memo::new(move |_| {
        let all = state.variable_values();
        if scopes.is_empty() {
            all
        } else {
            Arc::new(scoped_variables(&all, &scopes))
        }
    });
    let session = use_session();
    let config = use_config();
    let panel = Memo::new(move |_| state.dashboard.with(|d| d.panel(id).cloned()));
    let container = NodeRef::<leptos::html::Section>::new();
    let width = use_element_width(container);
    let visible = use_visible(container);
    let status = RwSignal::new(PanelStatus::Waiting);
    let slot = RequestSlot::default();
    let last_key = StoredValue::new(None::<QueryKey>);
    // Width and visibility read once, for a first query that need not wait a frame or two for
    // the observers' first reports.
    let first_look = StoredValue::new(None::<(f64, bool)>);

    let run = {
        let slot = slot.clone();
        move |key: QueryKey| {
            let Some(current) = session.session.get_untracked() else {
                return;
            };
            let (metrics_cutover_ms, logs_cutover_ms) = config.config.with_untracked(|c| match c {
                Some(Ok(c)) => (
                    c.metrics_cutover_ms().unwrap_or(0),
                    c.logs_cutover_ms().unwrap_or(0),
                ),
                _ => (0, 0),
            });
            let previous = status.with_untracked(PanelStatus::data);
            let context = PanelContext {
                range: sightline_core::model::time_range::TimeRange::new(key.range.0, key.range.1),
                width_px: key.width_bucket.max(100),
                variables: key.variables.clone(),
                datasources: state
                    .dashboard
                    .with_untracked(sightline_core::model::dashboard::Dashboard::datasource_scope),
                metrics_cutover_ms,
                logs_cutover_ms,
                early_now: state.early_now(&key.panel),
                previous: previous.clone(),
                incremental_overlap: current.profile.incremental_overlap(),
            };
            let panel = key.panel.clone();
            status.set(PanelStatus::Loading(previous.clone()));
            state.in_flight.update(|n| *n += 1);
            let slot = slot.clone();
            let limiter = state.limiter.get_value();
            spawn_local(async move {
                let outcome = run_panel(&current, &panel, &context, &slot, &limiter).await;
                state.in_flight.update(|n| *n = n.saturating_sub(1));
                state.settled.update(|n| *n = n.saturating_add(1));
                match outcome {
                    Ok(result) => status.set(PanelStatus::Done(Arc::new(result))),
                    Err(error) if error.is_aborted() => {}
                    Err(error) if error.needs_sign_in() => session.expire(),
                    Err(error) => status.set(PanelStatus::Failed(error, previous)),
                }
            });
        }
    };

    // Query when on screen and an input changed.
    {
        let run = run.clone();
        Effect::new(move |_| {
            if !state.variables_ready.get() {
                return;
            }
            let Some(panel) = panel.get() else {
                return;
            };
            if !panel.kind.queries_data() || panel.kind == PanelKind::Logs {
                return;
            }
            let range = state.panel_time(&panel, &variables.get()).range;
            let (observed_width, observed_visible) = (width.get(), visible.get());
            let (width, visible) = match (observed_width, observed_visible) {
                (w, Some(v)) if w > 0.0 => (w, v),
                (w, v) => {
                    if first_look.with_value(Option::is_none) {
                        let look = container.get_untracked().map(|element| look_now(&element));
                        first_look.set_value(look);
                    }
                    let (look_width, look_visible) = first_look.get_value().unwrap_or_default();
                    (
                        if w > 0.0 { w } else { look_width },
                        v.unwrap_or(look_visible),
                    )
                }
            };
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let width_bucket = ((width / 100.0).round() * 100.0) as u32;
            let key = QueryKey {
                panel,
                range: (range.from_ms, range.to_ms),
                variables: variables.get(),
                width_bucket,
                generation: state.generation.get(),
            };
            if !visible || width_bucket == 0 {
                return;
            }
            if last_key.with_value(|k| k.as_ref() == Some(&key)) {
                return;
            }
            last_key.set_value(Some(key.clone()));
            run(key);
        });
    }
    on_cleanup({
        let slot = slot.clone();
        move || slot.abort()
    });

    let retry = move || {
        last_key.set_value(None);
        state.generation.update(|g| *g += 1);
    };
    let title = Signal::derive(move || {
        let Some(text) = panel.with(|p| p.as_ref().map(|p| p.title.clone())) else {
            return String::new();
        };
        variables.with(|variables| {
            interpolate_display(
                &text,
                &Scope {
                    variables,
                    builtins: None,
                },
            )
        })
    });
    let description = move || {
        panel.with(|p| {
            p.as_ref()
                .map(|p| p.description.clone())
                .unwrap_or_default()
        })
    };
    let loading = move || matches!(status.get(), PanelStatus::Loading(_));
    // What the header says about the panel's own time range (hidden with `hideTimeOverride`).
    let time = Memo::new(move |_| {
        panel.with(|p| {
            p.as_ref()
                .map(|p| {
                    let hidden = p
                        .extra
                        .get("hideTimeOverride")
                        .and_then(serde_json::Value::as_bool)
                        .unwrap_or(false);
                    let time = state.panel_time(p, &variables.get());
                    let label = time.label.filter(|_| !hidden);
                    (label, time.problem.map(|e| e.to_string()))
                })
                .unwrap_or_default()
        })
    });
    let warnings = move || {
        let mut all: Vec<String> = time.with(|(_, problem)| problem.iter().cloned().collect());
        status.with(|s| {
            if let PanelStatus::Done(d) | PanelStatus::Loading(Some(d)) = s {
                all.extend(d.warnings.iter().cloned());
                all.extend(d.notes.iter().cloned());
            }
        });
        all
    };
    let height = move || {
        if full_size {
            return 640.0;
        }
        panel.with(|p| {
            p.as_ref()
                .and_then(|p| p.grid_pos.as_ref())
                .map_or(panel_height(8), |g| panel_height(g.h))
        })
    };
    let body_height = move || (height() - HEADER_PX - 8.0).max(40.0);

    view! {
        <section class="panel" class:panel-full=full_size node_ref=container
            data-panel-id=id.to_string()
            data-repeat=(!repeat_label.is_empty()).then_some(repeat_label)
            data-state=move || match status.get() {
                // The log list reports its own state on its element.
                _ if panel.with(|p| p.as_ref().is_some_and(|p| p.kind == PanelKind::Logs)) => "logs",
                _ if !panel.with(|p| p.as_ref().is_some_and(|p| p.kind.queries_data())) => "static",
                PanelStatus::Waiting => "waiting",
                PanelStatus::Loading(_) => "loading",
                PanelStatus::Done(ref d) if d.series.is_empty() => "empty",
                PanelStatus::Done(_) => "done",
                PanelStatus::Failed(..) => "error",
            }>
            <header class="panel-header">
                <h3 class="panel-title" title=description>{title}</h3>
                {move || (!description().is_empty()).then(|| view! { <span class="panel-info" title=description()>"i"</span> })}
                <span class="spacer"></span>
                {move || time.with(|(label, _)| label.clone()).map(|label| view! { <span class="panel-time-override" title="This panel's own time range">{label}</span> })}
                <Spinner active=Signal::derive(loading)/>
                {move || {
                    let w = warnings();
                    (!w.is_empty()).then(|| view! { <span class="badge badge-warn panel-warning" title=w.join("\n")>{format!("⚠ {}", w.len())}</span> })
                }}
                <PanelMenu id=id status=status title=title container=container scopes=menu_scopes/>
            </header>
            <div class="panel-body" style:height=move || format!("{}px", body_height())>
                {move || panel.get().map(|p| body(&p, status, body_height(), retry, state, variables))}
            </div>
        </section>
    }
}

/// The body of `panel` for its status.
fn body(
    panel: &Panel,
    status: RwSignal<PanelStatus>,
    height: f64,
    retry: impl Fn() + Copy + Send + Sync + 'static,
    state: crate::state::dashboard::DashboardState,
    variables: Memo<Arc<Vec<(String, VariableValue)>>>,
) -> AnyView {
    match &panel.kind {
        PanelKind::Text => {
            let options = panel.options.as_ref();
            // Variables are filled in, as in Grafana (a repeated text panel names its value).
            let content = options.and_then(|o| o.content.clone()).unwrap_or_default();
            let content = variables.with(|variables| {
                interpolate_display(
                    &content,
                    &Scope {
                        variables,
                        builtins: None,
                    },
                )
            });
            let markdown = !matches!(
                options.and_then(|o| o.mode.as_deref()),
                Some("html" | "code")
            );
            return view! { <TextPanel content=content markdown=markdown/> }.into_any();
        }
        PanelKind::Unsupported(kind) => {
            let json = panel.to_json_pretty();
            return view! {
                <div class="unsupported">
                    <p>{format!("Sightline does not draw \"{kind}\" panels yet. The panel is kept as it is in the file.")}</p>
                    <details><summary>"Panel JSON"</summary><pre class="json">{json}</pre></details>
                </div>
            }
            .into_any();
        }
        PanelKind::Logs => {
            let id = panel.id.unwrap_or_default();
            return view! { <super::logs::DashboardLogsPanel id=id state=state height=height variables=variables/> }
                .into_any();
        }
        _ => {}
    }
    let panel = panel.clone();
    let failed = move || match status.get() {
        PanelStatus::Failed(error, _) => Some(view! {
            <ErrorBox message=error.to_string() on_retry=UnsyncCallback::new(move |()| retry())/>
        }),
        _ => None,
    };
    // The answer on screen changes only when a new one arrives: a refresh starting (which keeps
    // the last answer on screen) rebuilds nothing.
    let data = answer_memo(move || status.with(PanelStatus::data));
    if panel.kind == PanelKind::Timeseries {
        return view! { {failed} {time_series_body(&panel, data, height, state)} }.into_any();
    }
    let content = move || {
        let data = data.get()?;
        if data.series.is_empty() {
            return Some(no_data().into_any());
        }
        Some(data_body(&panel, &data, height, state))
    };
    view! { {failed} {content} }.into_any()
}

fn no_data() -> impl IntoView {
    view! { <div class="no-data">"No data"</div> }
}

/// A time-series panel's body: the chart stays mounted while answers come and go, so a refresh
/// only repaints it (and keeps its legend's choices, its tooltip and the crosshair).
fn time_series_body(
    panel: &Panel,
    data: Memo<Option<Arc<PanelResult>>>,
    height: f64,
    state: crate::state::dashboard::DashboardState,
) -> impl IntoView {
    let shown = Memo::new(move |_| data.with(|d| d.as_ref().map(|d| !d.series.is_empty())));
    let input = {
        let panel = panel.clone();
        Memo::new_with_compare(
            move |_| {
                data.with(|d| {
                    let d = d.as_ref().filter(|d| !d.series.is_empty())?;
                    let offset = zone_offset(&state.timezone.get_untracked(), d.range.to_ms);
                    Some(chart_input(&panel, d, offset))
                })
            },
            |_, _| true,
        )
    };
    let legend = legend_mode(panel);
    let right = legend_on_the_right(panel) && !matches!(legend, LegendMode::Hidden);
    let chart_height = {
        let legend = legend.clone();
        Memo::new(move |_| {
            let count = input.with(|i| i.as_ref().map_or(0, |i| i.series.len()));
            let rows = f64::from(u32::try_from(count).unwrap_or(u32::MAX));
            let legend_px = match &legend {
                _ if right => 0.0,
                LegendMode::Hidden => 0.0,
                LegendMode::List => (rows.min(3.0) * 18.0 + 8.0).min(height * 0.3),
                LegendMode::Table(_) => (24.0 + rows * 18.0).min(height * 0.4),
            };
            (height - legend_px - 4.0).max(60.0)
        })
    };
    let on_zoom = UnsyncCallback::new(move |(from, to): (i64, i64)| {
        state.set_absolute(sightline_core::model::time_range::TimeRange::new(from, to));
    });
    view! {
        {move || (shown.get() == Some(false)).then(no_data)}
        <Show when=move || shown.get() == Some(true)>
            <TimeSeriesChart input=input height=chart_height legend=legend.clone() on_zoom=on_zoom legend_right=right/>
        </Show>
    }
}

fn data_body(
    panel: &Panel,
    data: &Arc<PanelResult>,
    height: f64,
    state: crate::state::dashboard::DashboardState,
) -> AnyView {
    let display = field_display(panel);
    match panel.kind {
        PanelKind::Table => {
            let transforms = panel
                .extra
                .get("transformations")
                .map(parse_transforms)
                .unwrap_or_default();
            view! { <TablePanel frame=frame(panel, data) display=display reducer=reducer(panel) transforms=transforms/> }
                .into_any()
        }
        PanelKind::Stat => {
            let options = panel.options.as_ref();
            let stat = StatOptions {
                reducer: reducer(panel),
                sparkline: options.and_then(|o| o.graph_mode.as_deref()) != Some("none"),
                background: options.and_then(|o| o.color_mode.as_deref()) == Some("background"),
            };
            view! { <StatPanel frame=frame(panel, data) display=display options=stat/> }.into_any()
        }
        PanelKind::Gauge => {
            let markers = panel
                .options
                .as_ref()
                .and_then(|o| o.show_threshold_markers)
                .unwrap_or(true);
            view! { <GaugePanel frame=frame(panel, data) display=display reducer=reducer(panel) show_threshold_markers=markers/> }.into_any()
        }
        PanelKind::Heatmap => {
            let zone = state.timezone.get_untracked();
            let offset = zone_offset(&zone, data.range.to_ms);
            // `calculation.yBuckets.value` (Grafana 9+) or the old `yBucketNumber`: bucket count.
            let rows = panel
                .options
                .as_ref()
                .and_then(|o| o.extra.get("calculation"))
                .and_then(|c| c.pointer("/yBuckets/value"))
                .and_then(|v| v.as_str().and_then(|s| s.parse().ok()).or(v.as_u64()))
                .or_else(|| panel.extra.get("yBucketNumber").and_then(serde_json::Value::as_u64))
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(sightline_core::model::heatmap::DEFAULT_ROWS);
            // The grid is built from the answer itself: no copy of every series on the way.
            let grid = sightline_core::model::heatmap::heatmap(&data.series, rows);
            view! { <HeatmapPanel grid=grid range=data.range unit=display.unit height=height utc_offset_minutes=offset/> }.into_any()
        }
        PanelKind::PieChart => {
            let options = panel.options.as_ref();
            let strings = |value: Option<&serde_json::Value>| -> Vec<String> {
                value
                    .and_then(serde_json::Value::as_array)
                    .map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default()
            };
            let legend = options.and_then(|o| o.legend.as_ref());
            let pie = PieOptions {
                reducer: reducer(panel),
                donut: options.and_then(|o| o.extra.get("pieType")).and_then(|t| t.as_str()) == Some("donut"),
                labels: strings(options.and_then(|o| o.extra.get("displayLabels"))),
                legend_values: strings(legend.and_then(|l| l.extra.get("values"))),
                legend: legend.is_none_or(|l| l.show_legend != Some(false) && l.display_mode.as_deref() != Some("hidden")),
            };
            view! { <PiePanel frame=frame(panel, data) display=display options=pie/> }.into_any()
        }
        PanelKind::BarGauge => {
            view! { <BarGaugePanel frame=frame(panel, data) display=display reducer=reducer(panel)/> }
                .into_any()
        }
        _ => ().into_any(),
    }
}
