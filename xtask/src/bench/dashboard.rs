//! The benchmark's dashboard: 30 time-series panels of 10 series × ~1,000 points each, against
//! the local stack (10 DCGM metrics × 3 node pairs, `avg by (Hostname, gpu)` over 5 GPUs of two
//! nodes; 250 minutes at `maxDataPoints` 1000 gives a 15 s step).

use serde_json::{json, Value};

/// The dashboard's uid in the browser's library.
pub const UID: &str = "bench-30";

const METRICS: [&str; 10] = [
    "DCGM_FI_DEV_GPU_UTIL",
    "DCGM_FI_DEV_FB_USED",
    "DCGM_FI_DEV_FB_FREE",
    "DCGM_FI_DEV_GPU_TEMP",
    "DCGM_FI_DEV_MEMORY_TEMP",
    "DCGM_FI_DEV_MEM_CLOCK",
    "DCGM_FI_DEV_MEM_COPY_UTIL",
    "DCGM_FI_DEV_POWER_USAGE",
    "DCGM_FI_DEV_SM_CLOCK",
    "DCGM_FI_PROF_DRAM_ACTIVE",
];

const NODE_PAIRS: [&str; 3] = [
    "gpu-east-prod-01|gpu-east-prod-02",
    "gpu-west-prod-01|gpu-west-prod-02",
    "gpu-east-research-01|gpu-east-research-02",
];

/// The PromQL of each panel, in panel order.
#[must_use]
pub fn queries() -> Vec<String> {
    NODE_PAIRS
        .iter()
        .flat_map(|nodes| {
            METRICS.iter().map(move |metric| {
                format!(
                    "avg by (Hostname, gpu) ({metric}{{Hostname=~\"{nodes}\", gpu=~\"[0-4]\"}})"
                )
            })
        })
        .collect()
}

/// The dashboard file (Grafana's JSON model).
#[must_use]
pub fn dashboard() -> Value {
    let panels: Vec<Value> = queries()
        .iter()
        .enumerate()
        .map(|(i, expr)| {
            json!({
                "id": i + 1,
                "type": "timeseries",
                "title": format!("Panel {}", i + 1),
                "datasource": {"type": "prometheus", "uid": "sightline-metrics"},
                "gridPos": {"x": (i % 3) * 8, "y": (i / 3) * 7, "w": 8, "h": 7},
                "maxDataPoints": 1000,
                "targets": [{"refId": "A", "expr": expr, "legendFormat": "{{Hostname}} GPU {{gpu}}", "range": true}],
                "fieldConfig": {"defaults": {"unit": "short"}, "overrides": []},
                "options": {"legend": {"showLegend": false, "displayMode": "hidden", "placement": "bottom"}},
            })
        })
        .collect();
    json!({
        "uid": UID,
        "title": "Bench: 30 time series",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-250m", "to": "now"},
        "refresh": "",
        "timezone": "utc",
        "templating": {"list": []},
        "panels": panels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_distinct_time_series_panels_of_ten_series_each() {
        let q = queries();
        assert_eq!(q.len(), 30);
        let mut unique = q.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 30);
        let d = dashboard();
        assert_eq!(d["panels"].as_array().map(Vec::len), Some(30));
        assert_eq!(d["panels"][29]["gridPos"]["y"], json!(63));
    }
}
