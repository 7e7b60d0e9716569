//! Generator tests: determinism, detected levels that match Loki's detection, the fleet's
//! story (XID bursts, the missing node, job pods), volume.

use super::level::detect_level;
use super::*;
use crate::config::{DataConfig, Dataset};
use crate::timefmt::{NS_PER_MIN, NS_PER_SEC};

const NOW: i64 = 1_760_000_000 * NS_PER_SEC;

fn all_streams(from: i64, to: i64) -> Vec<StreamSpec> {
    let cfg = DataConfig {
        retention_ns: None,
        ..DataConfig::default()
    };
    streams_in(&cfg, NOW, from, to)
}

fn entries(spec: &StreamSpec, from: i64, to: i64) -> Vec<(Stub, String)> {
    let mut out = Vec::new();
    let mut stubs = Vec::new();
    let mut buf = String::new();
    for minute in from / NS_PER_MIN..to / NS_PER_MIN {
        stubs.clear();
        minute_stubs(spec, minute, &mut stubs);
        for stub in &stubs {
            render(spec, stub, &mut buf);
            out.push((*stub, buf.clone()));
        }
    }
    out
}

#[test]
fn generation_is_deterministic_and_sorted() {
    let (from, to) = (NOW - 3600 * NS_PER_SEC, NOW);
    let a = all_streams(from, to);
    let b = all_streams(from, to);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b).take(20) {
        let ex = entries(x, from, to);
        assert_eq!(ex, entries(y, from, to));
        assert!(
            ex.windows(2).all(|w| w[0].0.ts_ns < w[1].0.ts_ns),
            "{}",
            x.labels
        );
    }
}

#[test]
fn detected_levels_match_lokis_detection_of_the_text() {
    let (from, to) = (NOW - 2 * 3600 * NS_PER_SEC, NOW);
    for spec in all_streams(from, to) {
        let has_level = spec.labels.get("level").is_some();
        for (stub, line) in entries(&spec, from, to).into_iter().take(200) {
            let want = if has_level {
                stub.level
            } else {
                detect_level(&line)
            };
            assert_eq!(stub.level, want, "{} {line}", spec.labels);
        }
    }
}

#[test]
fn audit_lines_are_audit_events_with_a_mix_of_codes() {
    let (from, to) = (NOW - 3600 * NS_PER_SEC, NOW);
    let audit: Vec<_> = all_streams(from, to)
        .into_iter()
        .filter(|s| s.labels.get("app") == Some("kube-apiserver"))
        .collect();
    assert_eq!(audit.len(), 4, "one audit stream per cluster");
    let mut codes = std::collections::BTreeSet::new();
    let mut verbs = std::collections::BTreeSet::new();
    for (_, line) in entries(&audit[0], from, to) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(v["apiVersion"], "audit.k8s.io/v1");
        assert!(
            v["user"]["username"].is_string()
                && v["sourceIPs"].is_array()
                && v["auditID"].is_string()
        );
        codes.insert(v["responseStatus"]["code"].as_u64().unwrap());
        verbs.insert(v["verb"].as_str().unwrap().to_string());
    }
    for code in [200, 403, 404] {
        assert!(codes.contains(&code), "{codes:?}");
    }
    assert!(verbs.len() >= 6, "{verbs:?}");
}

#[test]
fn xid_bursts_show_in_kernel_logs_of_the_flaky_node() {
    // Day index ≡ 1 (mod 4) at 13:20–14:00 UTC.
    let day = (NOW / NS_PER_SEC / 86_400 / 4) * 4 + 1 - 4;
    let start = (day * 86_400 + 13 * 3600 + 20 * 60) * NS_PER_SEC;
    let streams = all_streams(start, start + 40 * NS_PER_MIN);
    let kernel = streams
        .iter()
        .find(|s| {
            s.labels.get("node") == Some("gpu-west-prod-02")
                && s.labels.get("app") == Some("kernel")
        })
        .unwrap();
    let lines = entries(kernel, start, start + 40 * NS_PER_MIN);
    let xid = lines
        .iter()
        .filter(|(_, l)| l.contains("NVRM: Xid (PCI:0000:2a:00): 79"))
        .count();
    assert!(xid > 50, "{xid} xid lines");
    let quiet = streams
        .iter()
        .find(|s| {
            s.labels.get("node") == Some("gpu-west-prod-01")
                && s.labels.get("app") == Some("kernel")
        })
        .unwrap();
    assert!(!entries(quiet, start, start + 40 * NS_PER_MIN)
        .iter()
        .any(|(_, l)| l.contains("Xid")));
}

#[test]
fn the_missing_node_logs_nothing_while_missing() {
    let day = (NOW / NS_PER_SEC / 86_400 / 5) * 5 + 2 - 5;
    let start = (day * 86_400 + 9 * 3600) * NS_PER_SEC;
    let streams = all_streams(start - 3600 * NS_PER_SEC, start + 2 * 3600 * NS_PER_SEC);
    let node: Vec<_> = streams
        .iter()
        .filter(|s| s.node == Some("gpu-east-research-04"))
        .collect();
    assert!(!node.is_empty());
    for spec in node {
        assert!(
            entries(spec, start, start + 3600 * NS_PER_SEC).is_empty(),
            "{}",
            spec.labels
        );
    }
    let kubelet = streams
        .iter()
        .find(|s| s.node == Some("gpu-east-research-04") && s.labels.get("app") == Some("kubelet"))
        .unwrap();
    assert!(!entries(kubelet, start - 3600 * NS_PER_SEC, start).is_empty());
}

#[test]
fn a_busy_namespace_logs_thousands_of_lines_an_hour() {
    let (from, to) = (NOW - 3600 * NS_PER_SEC, NOW);
    let mut per_ns = std::collections::BTreeMap::<String, usize>::new();
    for spec in all_streams(from, to) {
        let ns = spec.labels.get("namespace").unwrap_or_default().to_string();
        *per_ns.entry(ns).or_default() += entries(&spec, from, to).len();
    }
    let busiest = per_ns.values().max().copied().unwrap_or_default();
    assert!(busiest >= 5000, "{per_ns:?}");
}

#[test]
fn legacy_and_current_split_at_the_cutover() {
    let cut = DataConfig::default().legacy_cutover_ns;
    let legacy = DataConfig {
        dataset: Dataset::Legacy,
        retention_ns: None,
        ..DataConfig::default()
    };
    let current = DataConfig {
        retention_ns: None,
        ..DataConfig::default()
    };
    let now = cut + 86_400 * NS_PER_SEC;
    let (from, to) = (cut - 3600 * NS_PER_SEC, cut + 3600 * NS_PER_SEC);
    for spec in streams_in(&legacy, now, from, to) {
        assert!(spec.to_ns <= cut && spec.labels.get("logging_component") != Some("platform"));
    }
    assert!(streams_in(&current, now, from, to)
        .iter()
        .all(|s| s.from_ns >= cut));
}
