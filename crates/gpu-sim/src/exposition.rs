//! The live view: every metric of every present GPU at one instant, in the Prometheus text
//! exposition format 0.0.4 (what dcgm-exporter serves on `/metrics`), without timestamps, so
//! Prometheus stamps samples with its scrape time.

use crate::labels::LabelCache;
use crate::metric::Metric;
use crate::model::GpuClock;
use crate::openmetrics::push_value;
use crate::profile::profiles;

/// The content type of the body [`render`] makes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The `/metrics` body at `t_ms`.
#[must_use]
pub fn render(t_ms: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(800 * 1024);
    let mut gpus: Vec<(GpuClock, LabelCache)> = profiles()
        .iter()
        .map(|p| (GpuClock::new(p), LabelCache::new(p.gpu)))
        .collect();
    for metric in Metric::ALL {
        out.extend_from_slice(b"# HELP ");
        out.extend_from_slice(metric.name().as_bytes());
        out.push(b' ');
        out.extend_from_slice(
            metric
                .help()
                .replace('\\', "\\\\")
                .replace('\n', "\\n")
                .as_bytes(),
        );
        out.extend_from_slice(b"\n# TYPE ");
        out.extend_from_slice(metric.name().as_bytes());
        out.push(b' ');
        out.extend_from_slice(metric.metric_type().as_str().as_bytes());
        out.push(b'\n');
        for (clock, labels) in &mut gpus {
            if clock.missing(t_ms) {
                continue;
            }
            let job = clock.job(t_ms);
            let value = clock.value_with_job(metric, job.as_ref(), t_ms);
            let (fixed, job_part) = labels.parts(job.as_ref());
            out.extend_from_slice(metric.name().as_bytes());
            out.push(b'{');
            out.extend_from_slice(fixed.as_bytes());
            out.extend_from_slice(job_part.as_bytes());
            out.extend_from_slice(b"} ");
            push_value(&mut out, metric, value);
            out.push(b'\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value;
    use sightline_fleet::{gpus, node_missing, DAY_MS, HOUR_MS};

    const T0: i64 = 1_760_000_000_000;

    #[test]
    fn every_family_is_announced_once_with_csv_types() {
        let text = String::from_utf8_lossy(&render(T0)).into_owned();
        for metric in Metric::ALL {
            let help = format!("# HELP {} {}\n", metric.name(), metric.help());
            let kind = format!(
                "# TYPE {} {}\n",
                metric.name(),
                metric.metric_type().as_str()
            );
            assert_eq!(text.matches(&help).count(), 1, "{help}");
            assert_eq!(text.matches(&kind).count(), 1, "{kind}");
        }
        assert!(text.contains("# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n"));
    }

    #[test]
    fn samples_have_no_timestamps_and_match_the_model() {
        let text = String::from_utf8_lossy(&render(T0)).into_owned();
        let samples: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(samples.len(), 128 * Metric::ALL.len());
        let gpu = &gpus()[17];
        let needle = format!(
            "DCGM_FI_DEV_FB_USED{{gpu=\"{}\",UUID=\"{}\"",
            gpu.index, gpu.uuid
        );
        let line = samples.iter().find(|l| l.starts_with(&needle));
        let Some(line) = line else {
            panic!("no FB_USED line for {}", gpu.uuid)
        };
        let fields: Vec<&str> = line.rsplitn(2, ' ').collect();
        let expected = value(Metric::FbUsed, gpu, T0).map(|v| v.to_string());
        assert_eq!(Some(fields[0].to_owned()), expected, "{line}");
        assert!(
            fields[1].ends_with('}'),
            "a timestamp would follow the value: {line}"
        );
    }

    #[test]
    fn a_missing_node_is_absent_from_the_scrape() {
        let day = (T0 / DAY_MS..)
            .find(|d| node_missing("gpu-east-research-04", d * DAY_MS + 9 * HOUR_MS))
            .unwrap_or(0);
        let text =
            String::from_utf8_lossy(&render(day * DAY_MS + 9 * HOUR_MS + 60_000)).into_owned();
        assert!(!text.contains("Hostname=\"gpu-east-research-04\""));
        assert!(text.contains("Hostname=\"gpu-east-research-03\""));
    }
}
