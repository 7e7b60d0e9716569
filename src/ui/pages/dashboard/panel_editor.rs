//! The panel editor (panel menu → Edit): title, type, unit, the first query with its legend
//! format, a time series' line shape and scale, the panel's own time (relative time, time shift), and the repeat (a copy per value of
//! a variable, side by side or stacked). "Apply" goes through [`DashboardState::edit`](crate::state::dashboard::DashboardState::edit),
//! so the panel redraws (and queries again) and the dashboard is marked unsaved.

use leptos::prelude::*;
use sightline_core::model::dashboard::{
    Dashboard, FieldConfig, FieldDefaults, Panel, PanelKind, Target,
};

use super::chart_style_edit::{ChartStyleEdit, LINE_SHAPES, MAX_LINE_WIDTH, POINTS, SCALES};
use crate::state::dashboard::use_dashboard;
use crate::ui::components::modal::Modal;

/// The panel types the editor offers.
pub const EDITABLE_TYPES: [(&str, &str); 8] = [
    ("timeseries", "Time series"),
    ("table", "Table"),
    ("stat", "Stat"),
    ("gauge", "Gauge"),
    ("bargauge", "Bar gauge"),
    ("piechart", "Pie chart"),
    ("heatmap", "Heatmap"),
    ("text", "Text"),
];

/// Unit ids offered as suggestions (any Grafana unit id may be typed).
const UNIT_SUGGESTIONS: [&str; 14] = [
    "none",
    "short",
    "percent",
    "percentunit",
    "bytes",
    "decbytes",
    "watt",
    "kwatt",
    "celsius",
    "hertz",
    "s",
    "ms",
    "reqps",
    "ops",
];

/// What the editor changes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PanelEdit {
    pub title: String,
    /// A Grafana panel `type`.
    pub type_name: String,
    /// A unit id; empty for none.
    pub unit: String,
    /// The first query.
    pub expr: String,
    pub legend_format: String,
    /// The variable to repeat for; empty for no repeat.
    pub repeat: String,
    /// Copies stacked instead of side by side.
    pub repeat_vertical: bool,
    /// Copies per row of a horizontal repeat.
    pub max_per_row: u32,
    /// The panel's own relative range (`24h`); empty for the dashboard's.
    pub time_from: String,
    /// How far back the panel is shifted (`1d`); empty for none.
    pub time_shift: String,
}

impl PanelEdit {
    /// The editor's fields for `panel`.
    #[must_use]
    pub fn of(panel: &Panel) -> Self {
        let first = panel.targets.first();
        PanelEdit {
            title: panel.title.clone(),
            type_name: panel.kind.type_name().to_owned(),
            unit: panel
                .defaults()
                .and_then(|d| d.unit.clone())
                .unwrap_or_default(),
            expr: first.map(|t| t.expr.clone()).unwrap_or_default(),
            legend_format: first.map(|t| t.legend_format.clone()).unwrap_or_default(),
            repeat: panel.repeat_variable().unwrap_or_default().to_owned(),
            repeat_vertical: panel.repeats_vertically(),
            max_per_row: panel.max_per_row(),
            time_from: panel.time_from.clone().unwrap_or_default(),
            time_shift: panel.time_shift.clone().unwrap_or_default(),
        }
    }

    /// Writes the fields into `panel`. Rows and types Sightline does not draw keep their type
    /// (their other members are kept verbatim, not read).
    pub fn apply(&self, panel: &mut Panel) {
        panel.title.clone_from(&self.title);
        if can_change_type(&panel.kind) {
            panel.kind = PanelKind::from_type(&self.type_name);
        }
        let unit = self.unit.trim();
        if !unit.is_empty() || panel.defaults().is_some_and(|d| d.unit.is_some()) {
            let config = panel.field_config.get_or_insert_with(FieldConfig::default);
            let defaults = config.defaults.get_or_insert_with(FieldDefaults::default);
            defaults.unit = (!unit.is_empty()).then(|| unit.to_owned());
        }
        match panel.targets.first_mut() {
            Some(target) => {
                target.expr.clone_from(&self.expr);
                target.legend_format.clone_from(&self.legend_format);
            }
            None if !self.expr.trim().is_empty() => panel.targets.push(Target {
                ref_id: "A".to_owned(),
                expr: self.expr.clone(),
                legend_format: self.legend_format.clone(),
                ..Target::default()
            }),
            None => {}
        }
        self.apply_repeat(panel);
        for (text, field) in [
            (&self.time_from, &mut panel.time_from),
            (&self.time_shift, &mut panel.time_shift),
        ] {
            let text = text.trim();
            if text != field.as_deref().unwrap_or_default().trim() {
                *field = (!text.is_empty()).then(|| text.to_owned());
            }
        }
    }

    /// Writes the repeat; settings equal to what the panel already means are left as written.
    fn apply_repeat(&self, panel: &mut Panel) {
        let repeat = self.repeat.trim();
        if repeat != panel.repeat_variable().unwrap_or_default() {
            panel.repeat = (!repeat.is_empty()).then(|| repeat.to_owned());
        }
        if repeat.is_empty() {
            return;
        }
        if self.repeat_vertical != panel.repeats_vertically() {
            panel.repeat_direction = Some(if self.repeat_vertical { "v" } else { "h" }.to_owned());
        }
        let per_row = self
            .max_per_row
            .clamp(1, sightline_core::model::dashboard::GRID_COLUMNS);
        if !self.repeat_vertical && per_row != panel.max_per_row() {
            panel.max_per_row = Some(per_row);
        }
    }
}

/// Whether the editor may change a panel of `kind` to another type.
#[must_use]
pub fn can_change_type(kind: &PanelKind) -> bool {
    !matches!(kind, PanelKind::Row | PanelKind::Unsupported(_))
}

/// The panel with `id`, top level or inside a collapsed row.
pub fn panel_mut(dashboard: &mut Dashboard, id: u64) -> Option<&mut Panel> {
    for panel in &mut dashboard.panels {
        if panel.id == Some(id) {
            return Some(panel);
        }
        if let Some(child) = panel.panels.iter_mut().find(|p| p.id == Some(id)) {
            return Some(child);
        }
    }
    None
}

/// The "Edit panel" dialog of panel `id`.
#[component]
pub fn PanelEditor(id: u64, open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Modal open=open title="Edit panel">
            <PanelForm id=id open=open/>
        </Modal>
    }
}

#[component]
fn PanelForm(id: u64, open: RwSignal<bool>) -> impl IntoView {
    let state = use_dashboard();
    let Some(panel) = state.dashboard.with_untracked(|d| d.panel(id).cloned()) else {
        return view! { <p class="muted">"This panel is no longer in the dashboard."</p> }
            .into_any();
    };
    let start = PanelEdit::of(&panel);
    let title = RwSignal::new(start.title.clone());
    let type_name = RwSignal::new(start.type_name.clone());
    let unit = RwSignal::new(start.unit.clone());
    let expr = RwSignal::new(start.expr.clone());
    let legend = RwSignal::new(start.legend_format.clone());
    let repeat = RwSignal::new(start.repeat.clone());
    let repeat_vertical = RwSignal::new(start.repeat_vertical);
    let max_per_row = RwSignal::new(start.max_per_row);
    let time_from = RwSignal::new(start.time_from.clone());
    let time_shift = RwSignal::new(start.time_shift.clone());
    let style_start = ChartStyleEdit::of(&panel);
    let line = RwSignal::new(style_start.line.clone());
    let scale = RwSignal::new(style_start.scale.clone());
    let line_width = RwSignal::new(style_start.line_width.clone());
    let fill_opacity = RwSignal::new(style_start.fill_opacity.clone());
    let points = RwSignal::new(style_start.points.clone());
    let is_timeseries = move || type_name.with(|t| t == "timeseries");
    let mut variable_names: Vec<String> = state
        .dashboard
        .with_untracked(|d| d.variables().iter().map(|v| v.name.clone()).collect());
    if !start.repeat.is_empty() && !variable_names.contains(&start.repeat) {
        variable_names.push(start.repeat.clone());
    }
    let current_repeat = start.repeat.clone();
    let is_panel = panel.kind != PanelKind::Row;
    let type_editable = can_change_type(&panel.kind);
    let mut types: Vec<(String, String)> = EDITABLE_TYPES
        .iter()
        .map(|(t, label)| ((*t).to_owned(), (*label).to_owned()))
        .collect();
    if !types.iter().any(|(t, _)| *t == start.type_name) {
        types.push((start.type_name.clone(), start.type_name.clone()));
    }
    let more_queries = panel.targets.len().saturating_sub(1);
    let apply = move |_| {
        let edit = PanelEdit {
            title: title.get_untracked(),
            type_name: type_name.get_untracked(),
            unit: unit.get_untracked(),
            expr: expr.get_untracked(),
            legend_format: legend.get_untracked(),
            repeat: repeat.get_untracked(),
            repeat_vertical: repeat_vertical.get_untracked(),
            max_per_row: max_per_row.get_untracked(),
            time_from: time_from.get_untracked(),
            time_shift: time_shift.get_untracked(),
        };
        let style = ChartStyleEdit {
            line: line.get_untracked(),
            scale: scale.get_untracked(),
            line_width: line_width.get_untracked(),
            fill_opacity: fill_opacity.get_untracked(),
            points: points.get_untracked(),
        };
        state.edit(move |d| {
            if let Some(panel) = panel_mut(d, id) {
                edit.apply(panel);
                if panel.kind == PanelKind::Timeseries {
                    style.apply(panel);
                }
            }
        });
        open.set(false);
    };
    let current_type = start.type_name.clone();
    view! {
        <div class="panel-editor">
            <label for="panel-edit-title">"Title"</label>
            <input id="panel-edit-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            <div class="panel-editor-pair">
                <div>
                    <label for="panel-edit-type">"Type"</label>
                    <select id="panel-edit-type" disabled=!type_editable on:change=move |ev| type_name.set(event_target_value(&ev))>
                        {types.into_iter().map(|(t, label)| {
                            let selected = t == current_type;
                            view! { <option value=t selected=selected>{label}</option> }
                        }).collect::<Vec<_>>()}
                    </select>
                </div>
                <div>
                    <label for="panel-edit-unit">"Unit"</label>
                    <input id="panel-edit-unit" list="panel-unit-options" placeholder="none" prop:value=move || unit.get()
                        on:input=move |ev| unit.set(event_target_value(&ev))/>
                    <datalist id="panel-unit-options">
                        {UNIT_SUGGESTIONS.iter().map(|u| view! { <option value=*u></option> }).collect::<Vec<_>>()}
                    </datalist>
                </div>
            </div>
            <label for="panel-edit-expr">"Query"</label>
            <textarea id="panel-edit-expr" rows="4" spellcheck="false" prop:value=move || expr.get()
                on:input=move |ev| expr.set(event_target_value(&ev))></textarea>
            {(more_queries > 0).then(|| view! {
                <p class="muted small">{format!("The first query is edited here; the panel has {more_queries} more (use Edit JSON for those).")}</p>
            })}
            <label for="panel-edit-legend">"Legend format"</label>
            <input id="panel-edit-legend" placeholder="{{label}}" prop:value=move || legend.get() on:input=move |ev| legend.set(event_target_value(&ev))/>
            <Show when=is_timeseries>
                <div class="panel-editor-pair">
                    <div>
                        <label for="panel-edit-line">"Line"</label>
                        <select id="panel-edit-line" on:change=move |ev| line.set(event_target_value(&ev))>
                            {LINE_SHAPES.iter().map(|(value, label)| {
                                let selected = line.get_untracked() == *value;
                                view! { <option value=*value selected=selected>{*label}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    </div>
                    <div>
                        <label for="panel-edit-scale">"Scale"</label>
                        <select id="panel-edit-scale" on:change=move |ev| {
                            scale.set(event_target_value(&ev));
                        }>
                            {SCALES.iter().map(|(value, label)| {
                                let selected = scale.with_untracked(|s| s == value);
                                view! { <option value=*value selected=selected>{*label}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    </div>
                </div>
                <div class="panel-editor-trio">
                    <div>
                        <label for="panel-edit-line-width">"Line width"</label>
                        <input id="panel-edit-line-width" type="number" min="0" max=MAX_LINE_WIDTH step="0.5"
                            prop:value=move || line_width.get() on:input=move |ev| line_width.set(event_target_value(&ev))/>
                    </div>
                    <div>
                        <label for="panel-edit-fill">"Fill opacity (%)"</label>
                        <input id="panel-edit-fill" type="number" min="0" max="100" step="5"
                            prop:value=move || fill_opacity.get() on:input=move |ev| fill_opacity.set(event_target_value(&ev))/>
                    </div>
                    <div>
                        <label for="panel-edit-points">"Dots at samples"</label>
                        <select id="panel-edit-points" on:change=move |ev| points.set(event_target_value(&ev))>
                            {POINTS.iter().map(|(value, label)| {
                                let selected = points.with_untracked(|p| p == value);
                                view! { <option value=*value selected=selected>{*label}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    </div>
                </div>
            </Show>
            {is_panel.then(|| view! {
                <div class="panel-editor-pair">
                    <div>
                        <label for="panel-edit-time-from">"Relative time"</label>
                        <input id="panel-edit-time-from" placeholder="the dashboard's (or 24h, now/d)" prop:value=move || time_from.get()
                            on:input=move |ev| time_from.set(event_target_value(&ev))/>
                    </div>
                    <div>
                        <label for="panel-edit-time-shift">"Time shift"</label>
                        <input id="panel-edit-time-shift" placeholder="none (or 1d, 1w)" prop:value=move || time_shift.get()
                            on:input=move |ev| time_shift.set(event_target_value(&ev))/>
                    </div>
                </div>
                <div class="panel-editor-pair">
                    <div>
                        <label for="panel-edit-repeat">"Repeat for each value of"</label>
                        <select id="panel-edit-repeat" on:change=move |ev| repeat.set(event_target_value(&ev))>
                            <option value="" selected=current_repeat.is_empty()>"No repeat"</option>
                            {variable_names.into_iter().map(|name| {
                                let selected = name == current_repeat;
                                view! { <option value=name.clone() selected=selected>{format!("${name}")}</option> }
                            }).collect::<Vec<_>>()}
                        </select>
                    </div>
                    <div>
                        <label for="panel-edit-repeat-direction">"Copies"</label>
                        <div class="repeat-copies">
                            <select id="panel-edit-repeat-direction" disabled=move || repeat.with(String::is_empty)
                                on:change=move |ev| repeat_vertical.set(event_target_value(&ev) == "v")>
                                <option value="h" selected=!start.repeat_vertical>"side by side"</option>
                                <option value="v" selected=start.repeat_vertical>"stacked"</option>
                            </select>
                            <input id="panel-edit-max-per-row" type="number" min="1" max="24" aria-label="Copies per row"
                                title="Copies per row" disabled=move || repeat.with(String::is_empty) || repeat_vertical.get()
                                prop:value=move || max_per_row.get().to_string()
                                on:input=move |ev| {
                                    if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                        max_per_row.set(n);
                                    }
                                }/>
                            <span class="muted small">"per row"</span>
                        </div>
                    </div>
                </div>
            })}
            <div class="row">
                <button class="btn btn-primary" id="panel-edit-apply" on:click=apply>"Apply"</button>
                <button class="btn" on:click=move |_| open.set(false)>"Cancel"</button>
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_core::model::dashboard::load;

    const FILE: &str = r#"{"title": "t", "panels": [
        {"id": 1, "type": "timeseries", "title": "Util", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
         "targets": [{"refId": "A", "expr": "up", "legendFormat": "{{job}}"}, {"refId": "B", "expr": "x"}]},
        {"id": 2, "type": "row", "title": "More", "collapsed": true, "gridPos": {"x": 0, "y": 8, "w": 24, "h": 1},
         "panels": [{"id": 3, "type": "stat", "title": "Inner", "gridPos": {"x": 0, "y": 9, "w": 6, "h": 4}}]}
    ]}"#;

    fn dashboard() -> Dashboard {
        load(FILE).dashboard.unwrap_or_default()
    }

    #[test]
    fn an_edit_changes_title_type_unit_and_the_first_query_only() {
        let mut d = dashboard();
        let panel = panel_mut(&mut d, 1).map(|p| {
            let mut edit = PanelEdit::of(p);
            assert_eq!(edit.expr, "up");
            edit.title = "GPU".into();
            edit.type_name = "stat".into();
            edit.unit = "percent".into();
            edit.expr = "avg(up)".into();
            edit.legend_format = "{{cluster}}".into();
            edit.apply(p);
            p.clone()
        });
        let panel = panel.unwrap_or_default();
        assert_eq!(panel.title, "GPU");
        assert_eq!(panel.kind, PanelKind::Stat);
        assert_eq!(
            panel.defaults().and_then(|d| d.unit.as_deref()),
            Some("percent")
        );
        assert_eq!(panel.targets[0].expr, "avg(up)");
        assert_eq!(panel.targets[0].legend_format, "{{cluster}}");
        assert_eq!(panel.targets[1].expr, "x");
        // The edit survives a save and a load.
        let again = load(&d.to_json_pretty()).dashboard.unwrap_or_default();
        assert_eq!(again.panel(1), Some(&panel));
    }

    #[test]
    fn a_panel_inside_a_collapsed_row_is_found_and_gets_a_first_query() {
        let mut d = dashboard();
        if let Some(p) = panel_mut(&mut d, 3) {
            let mut edit = PanelEdit::of(p);
            edit.expr = "sum(up)".into();
            edit.apply(p);
        }
        let inner = d.panel(3).cloned().unwrap_or_default();
        assert_eq!(inner.targets.len(), 1);
        assert_eq!(inner.targets[0].ref_id, "A");
        assert_eq!(inner.targets[0].expr, "sum(up)");
        assert!(panel_mut(&mut d, 99).is_none());
    }

    #[test]
    fn an_edit_sets_a_repeat_and_an_unchanged_form_changes_nothing() {
        let mut d = dashboard();
        let before = d.clone();
        if let Some(p) = panel_mut(&mut d, 1) {
            PanelEdit::of(p).apply(p);
        }
        assert_eq!(d, before, "applying the form as opened changes nothing");
        if let Some(p) = panel_mut(&mut d, 1) {
            let mut edit = PanelEdit::of(p);
            assert_eq!(
                (edit.repeat.as_str(), edit.repeat_vertical, edit.max_per_row),
                ("", false, 4)
            );
            edit.repeat = "gpu".into();
            edit.max_per_row = 8;
            edit.apply(p);
        }
        let panel = d.panel(1).cloned().unwrap_or_default();
        assert_eq!(panel.repeat_variable(), Some("gpu"));
        assert_eq!(panel.max_per_row, Some(8));
        assert_eq!(
            panel.repeat_direction, None,
            "horizontal is the default, left unwritten"
        );
        if let Some(p) = panel_mut(&mut d, 1) {
            let mut edit = PanelEdit::of(p);
            edit.repeat_vertical = true;
            edit.apply(p);
            assert!(p.repeats_vertically());
            let mut edit = PanelEdit::of(p);
            edit.repeat = String::new();
            edit.apply(p);
            assert_eq!(p.repeat_variable(), None);
            let mut edit = PanelEdit::of(p);
            edit.time_from = " 24h ".into();
            edit.time_shift = "1d".into();
            edit.apply(p);
            assert_eq!(
                (p.time_from.as_deref(), p.time_shift.as_deref()),
                (Some("24h"), Some("1d"))
            );
            let mut edit = PanelEdit::of(p);
            edit.time_shift = String::new();
            edit.apply(p);
            assert_eq!(p.time_shift, None);
        }
    }

    #[test]
    fn a_row_keeps_its_type() {
        let mut d = dashboard();
        if let Some(p) = panel_mut(&mut d, 2) {
            let mut edit = PanelEdit::of(p);
            edit.type_name = "table".into();
            edit.apply(p);
        }
        assert_eq!(d.panel(2).map(|p| p.kind.clone()), Some(PanelKind::Row));
    }
}
