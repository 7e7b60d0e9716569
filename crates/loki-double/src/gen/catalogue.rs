//! Which streams exist in a time range: one set per GPU-job pod (per level, plus stderr), the
//! platform agents of every node, and one audit stream per cluster — all derived from the
//! shared fleet model, so the logs name the same pods and nodes as the metrics.

use sightline_fleet::{gpus, jobs_on_node, nodes, Gpu, JobKind};

use crate::config::{DataConfig, LogClass};
use crate::labels::LabelSet;
use crate::timefmt::NS_PER_MS;

use super::level::Level;
use super::stable_hash;

/// How an application writes its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    Json,
    Logfmt,
    Plain,
}

/// Node agents that ship platform logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    Kubelet,
    DevicePlugin,
    DcgmExporter,
    NodeProblemDetector,
    Kernel,
}

/// What generates a stream's lines.
#[derive(Debug, Clone)]
pub enum Source {
    App {
        workload: &'static str,
        kind: JobKind,
        format: LineFormat,
        /// `None` for the pod's stderr stream (no level label).
        level: Option<Level>,
        region: &'static str,
        /// Ranks/GPUs the job holds on this node.
        gpu_count: u8,
        /// When the job started (ns), for step counters.
        started_ns: i64,
    },
    Platform {
        component: Component,
    },
    Audit {
        cluster_index: usize,
    },
}

/// One log stream and when it exists.
#[derive(Debug, Clone)]
pub struct StreamSpec {
    pub labels: LabelSet,
    pub source: Source,
    pub class: LogClass,
    /// First ns at which the stream may have entries (inclusive).
    pub from_ns: i64,
    /// End of the stream (exclusive).
    pub to_ns: i64,
    pub seed: u64,
    /// The node whose agent ships the stream (its logs stop while the node is missing).
    pub node: Option<&'static str>,
    /// GPUs whose XID errors show in this stream.
    pub gpus: Vec<&'static Gpu>,
}

/// Longest range scanned for streams; metadata requests for longer ranges look at its end.
pub const MAX_SCAN_NS: i64 = 32 * 86_400 * 1_000_000_000;

fn format_for(workload: &str) -> LineFormat {
    match workload {
        "mixtral-8x7b-pretrain" | "embeddings-api" | "mmlu-eval" => LineFormat::Json,
        "diffusion-xl-ablation" | "chat-serving" => LineFormat::Plain,
        _ => LineFormat::Logfmt,
    }
}

/// Every stream with entries possibly in `[from_ns, to_ns)`, clipped to when it exists.
#[must_use]
pub fn streams_in(cfg: &DataConfig, now_ns: i64, from_ns: i64, to_ns: i64) -> Vec<StreamSpec> {
    let mut out = Vec::new();
    let clip = |class: LogClass| -> Option<(i64, i64)> {
        let (w_from, w_to) = cfg.window(class, now_ns)?;
        let to = to_ns.min(w_to);
        let from = from_ns.max(w_from).max(to.saturating_sub(MAX_SCAN_NS));
        (from < to).then_some((from, to))
    };
    let in_region = |region: &str| cfg.region.as_deref().is_none_or(|r| r == region);
    if let Some((from, to)) = clip(LogClass::Application) {
        for node in nodes().iter().filter(|n| in_region(n.region)) {
            for job in jobs_on_node(node.number, from / NS_PER_MS, to / NS_PER_MS) {
                let (start, end) = (job.start_ms * NS_PER_MS, job.end_ms * NS_PER_MS);
                let (s_from, s_to) = (start.max(from), end.min(to));
                if s_from >= s_to {
                    continue;
                }
                let job_gpus: Vec<&'static Gpu> = gpus()
                    .iter()
                    .filter(|g| g.node_number == node.number && job.gpus.contains(&g.index))
                    .collect();
                let levels = [
                    Some(Level::Info),
                    Some(Level::Debug),
                    Some(Level::Warn),
                    Some(Level::Error),
                    None,
                ];
                for level in levels {
                    let mut labels = LabelSet::from_pairs([
                        ("cluster", node.cluster),
                        ("namespace", job.namespace),
                        ("pod", job.pod.as_str()),
                        ("container", job.container),
                        ("node", node.name.as_str()),
                        ("app", job.workload),
                        ("logging_component", "application"),
                    ]);
                    labels.set("job".into(), format!("{}/{}", job.namespace, job.workload));
                    match level {
                        Some(l) => {
                            labels.set("level".into(), l.as_str().into());
                            labels.set("stream".into(), "stdout".into());
                        }
                        None => labels.set("stream".into(), "stderr".into()),
                    }
                    out.push(spec(
                        cfg,
                        labels,
                        LogClass::Application,
                        (s_from, s_to),
                        node_name(node.number),
                        job_gpus.clone(),
                        Source::App {
                            workload: job.workload,
                            kind: job.kind,
                            format: format_for(job.workload),
                            level,
                            region: node.region,
                            gpu_count: job.gpus.end - job.gpus.start,
                            started_ns: start,
                        },
                    ));
                }
            }
        }
    }
    if let Some(window) = clip(LogClass::Platform) {
        for node in nodes().iter().filter(|n| in_region(n.region)) {
            let node_gpus: Vec<&'static Gpu> = gpus()
                .iter()
                .filter(|g| g.node_number == node.number)
                .collect();
            for component in [
                Component::Kubelet,
                Component::DevicePlugin,
                Component::DcgmExporter,
                Component::NodeProblemDetector,
                Component::Kernel,
            ] {
                let labels = platform_labels(component, node.cluster, &node.name);
                out.push(spec(
                    cfg,
                    labels,
                    LogClass::Platform,
                    window,
                    node_name(node.number),
                    node_gpus.clone(),
                    Source::Platform { component },
                ));
            }
        }
    }
    if let Some(window) = clip(LogClass::Audit) {
        let clusters = sightline_fleet::REGIONS
            .iter()
            .flat_map(|(region, cs)| cs.iter().map(move |c| (*region, *c)));
        for (cluster_index, (region, cluster)) in
            clusters.enumerate().filter(|(_, (r, _))| in_region(r))
        {
            let _ = region;
            let labels = LabelSet::from_pairs([
                ("cluster", cluster),
                ("app", "kube-apiserver"),
                ("logging_component", "unicaster"),
                ("job", "kube-system/kube-apiserver-audit"),
                ("namespace", "kube-system"),
            ]);
            out.push(spec(
                cfg,
                labels,
                LogClass::Audit,
                window,
                None,
                Vec::new(),
                Source::Audit { cluster_index },
            ));
        }
    }
    out
}

fn node_name(number: usize) -> Option<&'static str> {
    nodes().get(number).map(|n| n.name.as_str())
}

fn spec(
    cfg: &DataConfig,
    labels: LabelSet,
    class: LogClass,
    (from_ns, to_ns): (i64, i64),
    node: Option<&'static str>,
    gpus: Vec<&'static Gpu>,
    source: Source,
) -> StreamSpec {
    let seed = stable_hash(labels.to_string().as_bytes()) ^ cfg.seed;
    StreamSpec {
        labels,
        source,
        class,
        from_ns,
        to_ns,
        seed,
        node,
        gpus,
    }
}

fn platform_labels(component: Component, cluster: &str, node: &str) -> LabelSet {
    let suffix = |salt: &str| {
        let h = stable_hash(format!("{node}/{salt}").as_bytes());
        (0..5)
            .map(|i| char::from(b"bcdfghjklmnpqrstvwxz2456789"[((h >> (i * 6)) % 27) as usize]))
            .collect::<String>()
    };
    let mut labels = LabelSet::from_pairs([
        ("cluster", cluster),
        ("node", node),
        ("logging_component", "platform"),
    ]);
    let (app, rest): (&str, Vec<(&str, String)>) = match component {
        Component::Kubelet => (
            "kubelet",
            vec![
                ("job", "systemd-journal".into()),
                ("unit", "kubelet.service".into()),
            ],
        ),
        Component::Kernel => (
            "kernel",
            vec![("job", "systemd-journal".into()), ("unit", "kernel".into())],
        ),
        Component::DevicePlugin => (
            "nvidia-device-plugin",
            vec![
                ("namespace", "gpu-operator".into()),
                (
                    "pod",
                    format!("nvidia-device-plugin-daemonset-{}", suffix("dp")),
                ),
                ("container", "nvidia-device-plugin".into()),
                ("job", "gpu-operator/nvidia-device-plugin".into()),
                ("stream", "stderr".into()),
            ],
        ),
        Component::DcgmExporter => (
            "dcgm-exporter",
            vec![
                ("namespace", "gpu-operator".into()),
                ("pod", format!("nvidia-dcgm-exporter-{}", suffix("dcgm"))),
                ("container", "nvidia-dcgm-exporter".into()),
                ("job", "gpu-operator/dcgm-exporter".into()),
                ("stream", "stdout".into()),
            ],
        ),
        Component::NodeProblemDetector => (
            "node-problem-detector",
            vec![
                ("namespace", "kube-system".into()),
                ("pod", format!("node-problem-detector-{}", suffix("npd"))),
                ("container", "node-problem-detector".into()),
                ("job", "kube-system/node-problem-detector".into()),
                ("stream", "stderr".into()),
            ],
        ),
    };
    labels.set("app".into(), app.into());
    for (k, v) in rest {
        labels.set(k.into(), v);
    }
    labels
}
