//! A default unit for an Explore graph from the metric's metadata: its `unit`, else the unit
//! its HELP text names (`… (in MiB).`, the DCGM exporter's habit), else the name's suffix
//! (`_bytes`, `_seconds`), and only while the query keeps the metric's unit (aggregations and
//! `*_over_time` do; `rate`, `count`, arithmetic do not).

use super::token::{tokenize, TokenKind};
use super::vocabulary::Language;

/// What `metadata` says about a metric.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricInfo {
    /// `gauge`, `counter`, `histogram`…
    pub kind: String,
    pub help: String,
    pub unit: String,
}

/// Functions whose result has the unit of their input.
const UNIT_KEEPING: [&str; 25] = [
    "sum",
    "avg",
    "min",
    "max",
    "topk",
    "bottomk",
    "quantile",
    "stddev",
    "group",
    "limitk",
    "avg_over_time",
    "min_over_time",
    "max_over_time",
    "quantile_over_time",
    "last_over_time",
    "abs",
    "ceil",
    "floor",
    "round",
    "clamp",
    "clamp_min",
    "clamp_max",
    "sort",
    "sort_desc",
    "histogram_quantile",
];

/// The Grafana unit id for `query`'s graph, when the query shows one metric in its own unit.
#[must_use]
pub fn default_unit(
    query: &str,
    info_of: &dyn Fn(&str) -> Option<MetricInfo>,
) -> Option<&'static str> {
    let tokens = tokenize(query, Language::PromQL);
    let mut metric: Option<&str> = None;
    for token in tokens.iter().filter(|t| !t.kind.is_trivia()) {
        let text = token.text(query);
        match token.kind {
            TokenKind::MetricName => match metric {
                Some(m) if m != text => return None,
                _ => metric = Some(text),
            },
            TokenKind::Function if !UNIT_KEEPING.contains(&text) => return None,
            TokenKind::Operator if matches!(text, "+" | "-" | "*" | "/" | "%" | "^") => {
                return None
            }
            _ => {}
        }
    }
    let name = metric?;
    let base = name
        .strip_suffix("_bucket")
        .filter(|_| query.contains("histogram_quantile"))
        .unwrap_or(name);
    let info = info_of(base).unwrap_or_default();
    unit_of_metadata(&info.unit)
        .or_else(|| unit_of_help(&info.help))
        .or_else(|| unit_of_name(base))
}

/// Prometheus' metadata `unit` (base units, OpenMetrics names) as a Grafana unit id.
fn unit_of_metadata(unit: &str) -> Option<&'static str> {
    Some(match unit.trim() {
        "bytes" => "bytes",
        "seconds" => "s",
        "celsius" => "celsius",
        "ratio" => "percentunit",
        "percent" => "percent",
        "joules" => "joule",
        "watts" => "watt",
        "hertz" => "hertz",
        "volts" => "volt",
        "amperes" => "amp",
        _ => return None,
    })
}

/// The unit named by `(in X)` in a HELP text, or a "Ratio of …" HELP.
fn unit_of_help(help: &str) -> Option<&'static str> {
    if help
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("ratio of")
    {
        return Some("percentunit");
    }
    let start = help.find("(in ")? + 4;
    let end = start + help[start..].find(')')?;
    Some(match help[start..end].trim() {
        "B" | "bytes" => "bytes",
        "KiB" | "KB" => "kbytes",
        "MiB" | "MB" => "mbytes",
        "GiB" | "GB" => "gbytes",
        "C" | "°C" => "celsius",
        "%" => "percent",
        "W" => "watt",
        "mW" => "mwatt",
        "MHz" => "rotmhz",
        "Hz" => "hertz",
        "J" => "joule",
        "mJ" => "mjoule",
        "s" => "s",
        "ms" => "ms",
        "us" | "µs" => "µs",
        "ns" => "ns",
        "V" => "volt",
        _ => return None,
    })
}

/// The unit a metric name's suffix names (Prometheus naming conventions).
fn unit_of_name(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix("_total").unwrap_or(name);
    [
        ("_bytes", "bytes"),
        ("_seconds", "s"),
        ("_celsius", "celsius"),
        ("_ratio", "percentunit"),
        ("_percent", "percent"),
        ("_joules", "joule"),
        ("_watts", "watt"),
        ("_hertz", "hertz"),
        ("_volts", "volt"),
    ]
    .iter()
    .find(|(suffix, _)| name.ends_with(suffix))
    .map(|(_, unit)| *unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dcgm(name: &str) -> Option<MetricInfo> {
        let help = match name {
            "DCGM_FI_DEV_FB_USED" => "Framebuffer memory used (in MiB).",
            "DCGM_FI_DEV_GPU_UTIL" => "GPU utilization (in %).",
            "DCGM_FI_DEV_GPU_TEMP" => "GPU temperature (in C).",
            "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE" => {
                "Ratio of cycles the tensor (HMMA) pipe is active."
            }
            "node_thing" => "",
            _ => return None,
        };
        Some(MetricInfo {
            kind: "gauge".to_owned(),
            help: help.to_owned(),
            unit: String::new(),
        })
    }

    #[test]
    fn help_texts_name_the_unit_of_dcgm_metrics() {
        assert_eq!(
            default_unit("avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)", &dcgm),
            Some("percent")
        );
        assert_eq!(
            default_unit("max(DCGM_FI_DEV_FB_USED{gpu=\"0\"})", &dcgm),
            Some("mbytes")
        );
        assert_eq!(default_unit("DCGM_FI_DEV_GPU_TEMP", &dcgm), Some("celsius"));
        assert_eq!(
            default_unit("avg(DCGM_FI_PROF_PIPE_TENSOR_ACTIVE)", &dcgm),
            Some("percentunit")
        );
    }

    #[test]
    fn metadata_units_and_name_suffixes_count_too() {
        let with_unit = |_: &str| {
            Some(MetricInfo {
                unit: "seconds".to_owned(),
                ..MetricInfo::default()
            })
        };
        assert_eq!(default_unit("go_gc_duration", &with_unit), Some("s"));
        assert_eq!(
            default_unit("process_resident_memory_bytes", &|_| None),
            Some("bytes")
        );
        assert_eq!(
            default_unit(
                "histogram_quantile(0.9, sum by (le) (http_request_duration_seconds_bucket))",
                &|_| None
            ),
            Some("s")
        );
    }

    #[test]
    fn queries_that_change_the_unit_get_none() {
        assert_eq!(
            default_unit("rate(process_cpu_seconds_total[5m])", &|_| None),
            None
        );
        assert_eq!(default_unit("count(DCGM_FI_DEV_GPU_UTIL)", &dcgm), None);
        assert_eq!(default_unit("DCGM_FI_DEV_FB_USED / 1024", &dcgm), None);
        assert_eq!(
            default_unit("DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_GPU_TEMP", &dcgm),
            None
        );
        assert_eq!(default_unit("node_thing", &dcgm), None);
    }
}
