//! Format tests of the OpenMetrics history writer.

use std::collections::{HashMap, HashSet};

use super::*;
use crate::model::value;
use sightline_fleet::{node_missing, DAY_MS, HOUR_MS};

const T0: i64 = 1_760_000_000_000;

fn render(span: &Span, metrics: &[Metric], gpus: &[GpuProfile]) -> (String, WriteStats) {
    let mut out = Vec::new();
    let stats = match write_history_of(span, metrics, gpus, &mut out) {
        Ok(stats) => stats,
        Err(e) => panic!("write failed: {e}"),
    };
    (String::from_utf8_lossy(&out).into_owned(), stats)
}

/// `(series, value, seconds)` of a sample line.
fn parse_sample(line: &str) -> (&str, f64, f64) {
    let close = line.rfind('}').unwrap_or(0);
    let mut rest = line[close + 1..].split_whitespace();
    let value = rest.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    let ts = rest.next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
    assert!(rest.next().is_none(), "extra fields in {line}");
    (&line[..=close], value, ts)
}

#[test]
fn file_has_help_type_samples_and_ends_with_eof() {
    let span = Span {
        from_ms: T0,
        to_ms: T0 + 60_000,
        step_ms: 15_000,
    };
    let (text, stats) = render(
        &span,
        &[Metric::GpuUtil, Metric::TotalEnergyConsumption],
        &profiles()[..2],
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %)."
    );
    assert_eq!(lines[1], "# TYPE DCGM_FI_DEV_GPU_UTIL gauge");
    assert!(
        lines[2].starts_with("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-"),
        "{}",
        lines[2]
    );
    assert!(lines.contains(&"# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION unknown"));
    assert_eq!(lines.last(), Some(&"# EOF"));
    assert!(text.ends_with("# EOF\n"));
    assert_eq!(stats.samples, 2 * 2 * 4);
    assert_eq!(stats.bytes, text.len() as u64);
    let (_, _, ts) = parse_sample(lines[2]);
    assert_eq!(ts, (T0 / 1000) as f64);
    assert!(
        !lines[2].contains(&format!(" {T0}")),
        "timestamps are seconds, not ms"
    );
}

#[test]
fn each_series_is_contiguous_and_in_time_order() {
    let span = Span {
        from_ms: T0,
        to_ms: T0 + DAY_MS,
        step_ms: 60_000,
    };
    let (text, _) = render(&span, &[Metric::GpuUtil, Metric::FbUsed], &profiles()[..16]);
    let mut finished: HashSet<String> = HashSet::new();
    let mut current: Option<(String, f64)> = None;
    let mut series_with_pods = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, _, ts) = parse_sample(line);
        match &mut current {
            Some((name, last)) if name == series => {
                assert!(ts > *last, "{series} goes back in time");
                *last = ts;
            }
            _ => {
                if let Some((name, _)) = current.take() {
                    finished.insert(name);
                }
                assert!(!finished.contains(series), "{series} is split");
                series_with_pods += usize::from(series.contains("pod=\""));
                current = Some((series.to_owned(), ts));
            }
        }
    }
    assert!(
        series_with_pods > 4,
        "jobs make their own series ({series_with_pods})"
    );
}

#[test]
fn samples_carry_the_model_values() {
    let span = Span {
        from_ms: T0,
        to_ms: T0 + 2 * HOUR_MS,
        step_ms: 15_000,
    };
    let gpus = &profiles()[40..44];
    let (text, _) = render(&span, &Metric::ALL, gpus);
    let by_uuid: HashMap<&str, &GpuProfile> =
        gpus.iter().map(|p| (p.gpu.uuid.as_str(), p)).collect();
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (series, v, ts) = parse_sample(line);
        let name = &series[..series.find('{').unwrap_or(0)];
        let Some(metric) = Metric::from_name(name) else {
            panic!("unknown family in {line}")
        };
        let uuid_at = series.find("UUID=\"").unwrap_or(0) + 6;
        let uuid = &series[uuid_at..uuid_at + 40];
        let Some(profile) = by_uuid.get(uuid) else {
            panic!("unknown GPU in {line}")
        };
        let expected = value(metric, profile.gpu, ts as i64 * 1000);
        let tolerance = match metric.format() {
            ValueFormat::Integer => 0.5,
            ValueFormat::Decimals(d) => 0.5 / 10f64.powi(d as i32) + 1e-12,
        };
        let Some(expected) = expected else {
            panic!("sample while missing: {line}")
        };
        assert!(
            (v - expected).abs() <= tolerance,
            "{line}: expected {expected}"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        span.len() as usize * gpus.len() * Metric::ALL.len()
    );
}

#[test]
fn the_missing_node_leaves_a_gap() {
    let node = "gpu-east-research-04";
    let day = (T0 / DAY_MS..)
        .find(|d| node_missing(node, d * DAY_MS + 9 * HOUR_MS))
        .unwrap_or(0);
    let span = Span {
        from_ms: day * DAY_MS + 8 * HOUR_MS,
        to_ms: day * DAY_MS + 11 * HOUR_MS,
        step_ms: 60_000,
    };
    let gpus: Vec<GpuProfile> = profiles()
        .iter()
        .filter(|p| p.gpu.node == node)
        .take(1)
        .cloned()
        .collect();
    let (text, stats) = render(&span, &[Metric::GpuTemp], &gpus);
    assert_eq!(stats.samples, 120, "two of three hours");
    let missing_ts = (day * DAY_MS + 9 * HOUR_MS + 30 * 60_000) / 1000;
    assert!(!text.contains(&format!(" {missing_ts}\n")));
}
