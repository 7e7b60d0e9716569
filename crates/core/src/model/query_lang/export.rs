//! "Add to dashboard": a new dashboard file (Grafana's JSON, the subset Sightline reads) holding
//! Explore's queries — a time series panel per metrics pane, a logs panel per logs pane.

use serde_json::{json, Value};

use super::workbench::{Pane, Source};

/// The datasource reference panels of `source` carry.
#[must_use]
pub fn datasource_of(source: Source) -> Value {
    match source {
        Source::Metrics => json!({"type": "prometheus", "uid": "sightline-metrics"}),
        Source::Logs => json!({"type": "loki", "uid": "sightline-logs"}),
        Source::Audit => json!({"type": "loki", "uid": "sightline-audit"}),
    }
}

/// Grafana's `refId` for the query at `index`: `A`, `B`, … `Z`, `AA`…
#[must_use]
pub fn ref_id(index: usize) -> String {
    let mut n = index;
    let mut out = String::new();
    loop {
        out.insert(0, char::from(b'A' + u8::try_from(n % 26).unwrap_or(0)));
        if n < 26 {
            return out;
        }
        n = n / 26 - 1;
    }
}

/// A dashboard file with one panel per pane that has queries, over `from`–`to`.
#[must_use]
pub fn explore_dashboard(uid: &str, title: &str, panes: &[Pane], from: &str, to: &str) -> String {
    let mut panels = Vec::new();
    let mut y = 0;
    for pane in panes {
        let queries: Vec<&String> = pane
            .queries
            .iter()
            .filter(|q| !q.trim().is_empty())
            .collect();
        if queries.is_empty() {
            continue;
        }
        let id = panels.len() + 1;
        let datasource = datasource_of(pane.source);
        let panel = match pane.source {
            Source::Metrics => {
                let targets: Vec<Value> = queries
                    .iter()
                    .enumerate()
                    .map(|(i, q)| json!({"refId": ref_id(i), "expr": q, "range": true, "legendFormat": ""}))
                    .collect();
                json!({
                    "id": id, "type": "timeseries", "title": "Explore: metrics",
                    "datasource": datasource, "gridPos": {"x": 0, "y": y, "w": 24, "h": 9},
                    "targets": targets,
                    "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
                    "options": {"legend": {"showLegend": true, "displayMode": "list", "placement": "bottom", "calcs": []},
                                "tooltip": {"mode": "multi", "sort": "desc"}}
                })
            }
            Source::Logs | Source::Audit => {
                let targets: Vec<Value> = queries
                    .iter()
                    .enumerate()
                    .map(|(i, q)| json!({"refId": ref_id(i), "expr": q, "queryType": "range"}))
                    .collect();
                json!({
                    "id": id, "type": "logs",
                    "title": if pane.source == Source::Audit { "Explore: audit logs" } else { "Explore: logs" },
                    "datasource": datasource, "gridPos": {"x": 0, "y": y, "w": 24, "h": 12},
                    "targets": targets,
                    "options": {"showTime": true, "wrapLogMessage": false, "prettifyLogMessage": false,
                                "enableLogDetails": true, "dedupStrategy": "none", "sortOrder": "Descending"}
                })
            }
        };
        y += if pane.source == Source::Metrics {
            9
        } else {
            12
        };
        panels.push(panel);
    }
    let dashboard = json!({
        "uid": uid,
        "title": title,
        "tags": ["explore"],
        "editable": true,
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": from, "to": to},
        "timezone": "browser",
        "templating": {"list": []},
        "annotations": {"list": []},
        "panels": panels,
    });
    serde_json::to_string_pretty(&dashboard).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::dashboard::{load, Severity};

    #[test]
    fn ref_ids_count_like_spreadsheet_columns() {
        assert_eq!(ref_id(0), "A");
        assert_eq!(ref_id(25), "Z");
        assert_eq!(ref_id(26), "AA");
        assert_eq!(ref_id(27), "AB");
    }

    #[test]
    fn the_exported_dashboard_loads_without_errors() {
        let panes = [
            Pane {
                source: Source::Metrics,
                queries: vec![
                    "up".to_owned(),
                    String::new(),
                    "avg(DCGM_FI_DEV_GPU_UTIL)".to_owned(),
                ],
            },
            Pane {
                source: Source::Audit,
                queries: vec![r#"{app="kube-apiserver"} | json"#.to_owned()],
            },
        ];
        let text = explore_dashboard("explore-1", "From Explore", &panes, "now-6h", "now");
        let loaded = load(&text);
        assert!(
            loaded
                .diagnostics
                .iter()
                .all(|d| d.severity != Severity::Error),
            "{:?}",
            loaded.diagnostics
        );
        let dashboard = loaded.dashboard.unwrap();
        assert_eq!(dashboard.title, "From Explore");
        assert_eq!(dashboard.panels.len(), 2);
        assert_eq!(dashboard.panels[0].targets.len(), 2);
        assert_eq!(dashboard.panels[1].kind.type_name(), "logs");
    }
}
