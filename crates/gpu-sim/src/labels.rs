//! The labels dcgm-exporter puts on a GPU's series when it runs on Kubernetes: the device
//! (`gpu`, `UUID`, `device`, `modelName`, `Hostname`, `DCGM_FI_DRIVER_VERSION`, `pci_bus_id`),
//! the scrape target (`instance`, `job`), the fleet (`cluster`, `region`, `node`), and, only
//! while a pod holds the GPU, `namespace`, `pod` and `container`, so series churn as jobs come
//! and go, like in a real cluster.

use sightline_fleet::{Gpu, JobSlot};

/// The NVIDIA driver the fleet runs.
pub const DRIVER_VERSION: &str = "550.90.07";

/// The scrape job name of dcgm-exporter.
pub const EXPORTER_JOB: &str = "dcgm-exporter";

/// The labels of `gpu`'s series while `job` runs on it (or none does): dcgm-exporter's own in its
/// order, then what the scrape config would add, then the Kubernetes pod mapping.
#[must_use]
pub fn labels(gpu: &Gpu, job: Option<&JobSlot>) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("gpu", gpu.index.to_string()),
        ("UUID", gpu.uuid.clone()),
        ("pci_bus_id", gpu.pci_bus_id.clone()),
        ("device", format!("nvidia{}", gpu.index)),
        ("modelName", gpu.model_name.to_owned()),
        ("Hostname", gpu.node.clone()),
        ("DCGM_FI_DRIVER_VERSION", DRIVER_VERSION.to_owned()),
        ("instance", gpu.instance.clone()),
        ("job", EXPORTER_JOB.to_owned()),
        ("cluster", gpu.cluster.to_owned()),
        ("region", gpu.region.to_owned()),
        ("node", gpu.node.clone()),
    ];
    out.extend(job_labels(job));
    out
}

/// `namespace`, `pod` and `container` of a running job; empty when the GPU is idle.
#[must_use]
pub fn job_labels(job: Option<&JobSlot>) -> Vec<(&'static str, String)> {
    job.map_or_else(Vec::new, |slot| {
        vec![
            ("namespace", slot.namespace().to_owned()),
            ("pod", slot.pod()),
            ("container", slot.container().to_owned()),
        ]
    })
}

/// Renders labels as `a="1",b="2"` (no braces), escaping values as both exposition formats want.
#[must_use]
pub fn render(labels: &[(&str, String)]) -> String {
    let mut out = String::new();
    for (i, (name, value)) in labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(name);
        out.push_str("=\"");
        escape_into(value, &mut out);
        out.push('"');
    }
    out
}

/// Escapes `\`, `"` and newlines in a label value.
pub fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
}

/// Pre-rendered label text of one GPU: the static part once, the job part when the job changes.
#[derive(Debug, Clone)]
pub struct LabelCache {
    static_part: String,
    job_key: Option<(i64, u8)>,
    job_part: String,
}

impl LabelCache {
    #[must_use]
    pub fn new(gpu: &Gpu) -> Self {
        Self {
            static_part: render(&labels(gpu, None)),
            job_key: None,
            job_part: String::new(),
        }
    }

    /// `a="1",…` for the GPU with `job` running (allocates only when the job changes).
    pub fn parts(&mut self, job: Option<&JobSlot>) -> (&str, &str) {
        let key = job.map(|s| (s.window, s.half));
        if key != self.job_key {
            self.job_key = key;
            self.job_part.clear();
            let extra = job_labels(job);
            if !extra.is_empty() {
                self.job_part.push(',');
                self.job_part.push_str(&render(&extra));
            }
        }
        (&self.static_part, &self.job_part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::running_job;
    use sightline_fleet::gpus;

    fn names(list: &[(&str, String)]) -> Vec<String> {
        list.iter().map(|(n, _)| (*n).to_owned()).collect()
    }

    #[test]
    fn idle_gpus_have_device_labels_only() {
        let gpu = &gpus()[0];
        let list = labels(gpu, None);
        assert_eq!(
            names(&list),
            [
                "gpu",
                "UUID",
                "pci_bus_id",
                "device",
                "modelName",
                "Hostname",
                "DCGM_FI_DRIVER_VERSION",
                "instance",
                "job",
                "cluster",
                "region",
                "node"
            ]
        );
        assert_eq!(list[3].1, "nvidia0");
        assert_eq!(list[8].1, "dcgm-exporter");
    }

    #[test]
    fn job_labels_appear_only_while_a_job_runs() {
        let gpu = &gpus()[42];
        let t0 = 1_760_000_000_000;
        let (mut busy, mut idle) = (0, 0);
        for i in 0..(2 * 24 * 60) {
            let t = t0 + i * 60_000;
            let job = running_job(gpu, t);
            let list = labels(gpu, job.as_ref());
            let has_pod = list.iter().any(|(n, _)| *n == "pod");
            assert_eq!(has_pod, job.is_some());
            assert_eq!(list.iter().any(|(n, _)| *n == "namespace"), job.is_some());
            if let Some(slot) = job {
                let pod = list
                    .iter()
                    .find(|(n, _)| *n == "pod")
                    .map(|(_, v)| v.clone());
                assert_eq!(
                    pod,
                    sightline_fleet::job_at(gpu.node_number, gpu.index, t).map(|j| j.pod)
                );
                assert_eq!(
                    list.iter()
                        .find(|(n, _)| *n == "container")
                        .map(|(_, v)| v.as_str()),
                    Some(slot.container())
                );
                busy += 1;
            } else {
                idle += 1;
            }
        }
        assert!(busy > 0 && idle > 0, "busy {busy} idle {idle}");
    }

    #[test]
    fn values_are_escaped() {
        let text = render(&[("a", "x\"y\\z\nw".to_owned()), ("b", "plain".to_owned())]);
        assert_eq!(text, r#"a="x\"y\\z\nw",b="plain""#);
    }

    #[test]
    fn label_cache_renders_the_same_text_as_render() {
        let gpu = &gpus()[5];
        let mut cache = LabelCache::new(gpu);
        for i in 0..200 {
            let t = 1_760_000_000_000 + i * 600_000;
            let job = running_job(gpu, t);
            let (a, b) = cache.parts(job.as_ref());
            assert_eq!(format!("{a}{b}"), render(&labels(gpu, job.as_ref())));
        }
    }
}
