//! Legacy forms converted on load, as Grafana itself converts them: the old `rows[]` layout,
//! `graph` panels (to `timeseries`), `singlestat` (to `stat` or `gauge`) and Grafana 6's
//! `options.fieldOptions` (to `fieldConfig` + `reduceOptions`).
//!
//! Legacy members are left in place (in `extra`), so nothing is lost; only what Sightline reads is
//! added. Each conversion is reported as a warning.

mod field_options;
mod legacy_panels;
mod rows;
pub(crate) mod series_overrides;

use super::codec::Cx;
use super::diagnostics::{DiagnosticKind, JsonPath};
use super::json::{Member, Node, NodeValue};

use super::node_edit::{get, get_mut, str_of};
use field_options::{field_options_to_field_config, wrap_threshold_list};
use legacy_panels::{graph_to_timeseries, singlestat_to_stat};
use rows::migrate_rows;

/// Applies every migration to the root object's members.
pub(crate) fn migrate(root: &mut Vec<Member>, cx: &mut Cx) {
    migrate_rows(root, cx);
    if let Some(Node {
        value: NodeValue::Array(panels),
        ..
    }) = get_mut(root, "panels")
    {
        let path = JsonPath::root().key("panels");
        for (i, panel) in panels.iter_mut().enumerate() {
            migrate_panel(panel, &path.index(i), cx);
            let child_path = path.index(i).key("panels");
            if let Some(NodeValue::Array(children)) = super::node_edit::members_mut(panel)
                .and_then(|m| get_mut(m, "panels"))
                .map(|n| &mut n.value)
            {
                for (j, child) in children.iter_mut().enumerate() {
                    migrate_panel(child, &child_path.index(j), cx);
                }
            }
        }
    }
}

fn migrate_panel(panel: &mut Node, path: &JsonPath, cx: &mut Cx) {
    let offset = panel.offset;
    let Some(members) = super::node_edit::members_mut(panel) else {
        return;
    };
    if wrap_threshold_list(members, offset) {
        cx.warn(
            DiagnosticKind::Migration,
            path.key("fieldConfig").key("defaults").key("thresholds"),
            "threshold list converted to {mode: absolute, steps}",
            Some(offset),
        );
    }
    match str_of(members, "type") {
        Some("graph") => {
            graph_to_timeseries(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.clone(),
                "legacy graph panel opened as timeseries",
                Some(offset),
            );
        }
        Some("singlestat") => {
            let to = singlestat_to_stat(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.clone(),
                format!("legacy singlestat panel opened as {to}"),
                Some(offset),
            );
        }
        Some("stat" | "gauge" | "bargauge")
            if has_object(members, "options", "fieldOptions")
                && !has_object(members, "options", "reduceOptions") =>
        {
            field_options_to_field_config(members, offset);
            cx.warn(
                DiagnosticKind::Migration,
                path.key("options").key("fieldOptions"),
                "Grafana 6 fieldOptions moved to fieldConfig and reduceOptions",
                Some(offset),
            );
        }
        _ => {}
    }
}

fn has_object(members: &[Member], outer: &str, inner: &str) -> bool {
    get(members, outer)
        .and_then(|n| n.get(inner))
        .is_some_and(|n| matches!(n.value, NodeValue::Object(_)))
}

#[cfg(test)]
mod tests;
