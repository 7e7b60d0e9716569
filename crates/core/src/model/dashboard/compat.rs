//! The compatibility report: what a file asks for that Sightline keeps but does not render yet.
//! Each item is a warning with the JSON path of the feature.

use serde_json::Value;

use super::codec::Cx;
use super::datasource::{DataSourceKind, DatasourceScope};
use super::diagnostics::{DiagnosticKind, JsonPath};
use super::document::Dashboard;
use super::migrate::series_overrides::MIGRATED_MEMBERS;
use super::panel::{Panel, PanelKind};

/// Variable types Sightline understands.
pub const SUPPORTED_VARIABLE_TYPES: [&str; 6] = [
    "query",
    "custom",
    "constant",
    "textbox",
    "interval",
    "datasource",
];

/// Adds a warning for every feature of `dashboard` that Sightline does not render.
pub(crate) fn report(dashboard: &Dashboard, cx: &mut Cx) {
    let scope = dashboard.datasource_scope();
    let root = JsonPath::root();
    for (i, variable) in dashboard.variables().iter().enumerate() {
        let path = root.key("templating").key("list").index(i);
        let offset = variable.form.offset();
        if !SUPPORTED_VARIABLE_TYPES.contains(&variable.kind.as_str()) {
            let message = format!(
                "variable type {:?} is not supported; it is kept but not applied",
                variable.kind
            );
            cx.warn(
                DiagnosticKind::Compatibility,
                path.key("type"),
                message,
                offset,
            );
        } else if variable.kind == "query" {
            if let kind @ DataSourceKind::Unknown(_) = scope.resolve(variable.datasource.as_ref()) {
                let message = format!(
                    "queries a datasource Sightline cannot reach ({}); it will have no options",
                    describe(&kind)
                );
                cx.warn(
                    DiagnosticKind::Compatibility,
                    path.key("datasource"),
                    message,
                    offset,
                );
            }
        }
    }
    if let Some(Value::Array(list)) = dashboard
        .extra
        .get("annotations")
        .and_then(|a| a.get("list"))
    {
        for (i, annotation) in list.iter().enumerate() {
            let built_in = annotation.get("builtIn").and_then(Value::as_u64) == Some(1);
            let enabled = annotation
                .get("enable")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            if !built_in && enabled {
                let path = root.key("annotations").key("list").index(i);
                cx.warn(
                    DiagnosticKind::Compatibility,
                    path,
                    "annotations are kept but not shown",
                    None,
                );
            }
        }
    }
    let variables: Vec<&str> = dashboard
        .variables()
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    for (i, panel) in dashboard.panels.iter().enumerate() {
        let path = root.key("panels").index(i);
        report_repeat(panel, &path, &variables, cx);
        report_panel(panel, &path, &scope, cx);
        for (j, child) in panel.panels.iter().enumerate() {
            let path = path.key("panels").index(j);
            report_repeat(child, &path, &variables, cx);
            report_panel(child, &path, &scope, cx);
        }
    }
}

fn describe(kind: &DataSourceKind) -> String {
    match kind {
        DataSourceKind::Unknown(name) => name.clone(),
        other => format!("{other:?}"),
    }
}

/// A repeat over a variable the dashboard does not have draws the panel (or row) once.
fn report_repeat(panel: &Panel, path: &JsonPath, variables: &[&str], cx: &mut Cx) {
    if let Some(name) = panel.repeat_variable() {
        if !variables.contains(&name) {
            let message = format!(
                "repeats for ${name}, which is not a variable of this dashboard; it is shown once"
            );
            cx.warn(
                DiagnosticKind::Compatibility,
                path.key("repeat"),
                message,
                panel.form.offset(),
            );
        }
    }
}

fn report_panel(panel: &Panel, path: &JsonPath, scope: &DatasourceScope, cx: &mut Cx) {
    let offset = panel.form.offset();
    let mut warn = |path: JsonPath, message: String| {
        cx.warn(DiagnosticKind::Compatibility, path, message, offset)
    };
    if let PanelKind::Unsupported(name) = &panel.kind {
        warn(path.key("type"), format!("panel type {name:?} is not rendered; it is shown as a placeholder and kept unchanged"));
        return;
    }
    if panel.extra.contains_key("libraryPanel") {
        warn(
            path.key("libraryPanel"),
            "library panels are not resolved; only the copy in this file is shown".to_owned(),
        );
    }
    if let Some(problem) = crate::model::time_override::override_problem(
        panel.time_from.as_deref(),
        panel.time_shift.as_deref(),
    ) {
        let key = match problem {
            crate::model::time_override::OverrideError::TimeFrom { .. } => "timeFrom",
            crate::model::time_override::OverrideError::TimeShift { .. } => "timeShift",
        };
        warn(path.key(key), problem.to_string());
    }
    // What the graph migration did not turn into field overrides (`stack`, `dashes`…).
    let series_overrides = panel.extra.get("seriesOverrides").and_then(Value::as_array);
    for (i, rule) in series_overrides.into_iter().flatten().enumerate() {
        let unapplied: Vec<&str> = rule
            .as_object()
            .into_iter()
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .filter(|key| !MIGRATED_MEMBERS.contains(key))
            .collect();
        if !unapplied.is_empty() {
            warn(
                path.key("seriesOverrides").index(i),
                format!(
                    "{} of this series override {} kept but not applied ({} and {} are)",
                    unapplied.join(", "),
                    if unapplied.len() == 1 { "is" } else { "are" },
                    MIGRATED_MEMBERS[..MIGRATED_MEMBERS.len() - 1].join(", "),
                    MIGRATED_MEMBERS[MIGRATED_MEMBERS.len() - 1]
                ),
            );
        }
    }
    let transformations = panel.extra.get("transformations").and_then(Value::as_array);
    for (i, transformation) in transformations.into_iter().flatten().enumerate() {
        let id = transformation
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let applied = crate::model::table_transform::APPLIED_TRANSFORMATIONS.contains(&id);
        if applied && panel.kind == PanelKind::Table {
            continue;
        }
        let message = if applied {
            format!("transformation {id:?} is applied by table panels only; it is kept")
        } else {
            format!("transformation {id:?} is kept but not applied (organize and filterFieldsByName are, in table panels)")
        };
        warn(path.key("transformations").index(i), message);
    }
    if let Some(config) = &panel.field_config {
        let overrides = config.extra.get("overrides").and_then(Value::as_array);
        let applied = crate::model::field_override::applied_properties(panel.kind.type_name());
        for (i, item) in overrides.into_iter().flatten().enumerate() {
            let path = path.key("fieldConfig").key("overrides").index(i);
            match crate::model::field_override::parse_override(item) {
                Err(problem) => warn(path, problem.to_string()),
                Ok(rule) => {
                    for (j, (id, _)) in rule.properties.iter().enumerate() {
                        if !applied.contains(&id.as_str()) {
                            let message = format!(
                                "override property {id:?} is not applied by {} panels; it is kept",
                                panel.kind.type_name()
                            );
                            warn(path.key("properties").index(j), message);
                        }
                    }
                }
            }
        }
        if let Some(defaults) = &config.defaults {
            let mappings = defaults.extra.get("mappings").and_then(Value::as_array);
            let path = path.key("fieldConfig").key("defaults").key("mappings");
            for (i, mapping) in mappings.into_iter().flatten().enumerate() {
                if crate::model::value_mapping::parse_mapping(mapping).is_none() {
                    warn(path.index(i), "value mapping not understood (expected type value, range, regex or special); kept but not applied".to_owned());
                }
            }
            if panel.kind == PanelKind::Timeseries && mappings.is_some_and(|m| !m.is_empty()) {
                warn(path, "value mappings are shown by stat, gauge, bar gauge and table panels, not in time series".to_owned());
            }
        }
    }
    let panel_kind = scope.resolve(panel.datasource.as_ref());
    for (i, target) in panel.targets.iter().enumerate() {
        let kind = match (&panel_kind, &target.datasource) {
            (DataSourceKind::Mixed, _) | (_, Some(_)) => scope.resolve(target.datasource.as_ref()),
            (kind, None) => kind.clone(),
        };
        if let DataSourceKind::Unknown(_) = kind {
            if !target.hide {
                let message = format!(
                    "queries a datasource Sightline cannot reach ({}); the query is not run",
                    describe(&kind)
                );
                warn(path.key("targets").index(i), message);
            }
        } else if target.expr.is_empty() && !target.hide && !target.extra.is_empty() {
            warn(
                path.key("targets").index(i),
                "query has no expr (only PromQL and LogQL queries are run)".to_owned(),
            );
        }
    }
}
