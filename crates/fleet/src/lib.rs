//! The simulated GPU fleet behind Sightline's demo stack: 2 regions × 2 clusters × 4 nodes × 8
//! GPUs, the jobs that run on them and the incidents they have, all deterministic functions of
//! time. The metrics generator, the live exporter and the Loki test double share this one model,
//! so metrics and logs tell the same story (a pod in the logs is the pod on the GPU panel).
//!
//! Incidents a demo viewer can find in any 14-day window:
//! - one hot GPU (`gpu-east-prod-03`, GPU 5) running ~18 °C above its neighbours;
//! - an XID error burst every 4 days on `gpu-west-prod-02`, GPU 1, for 40 minutes;
//! - node `gpu-east-research-04` missing for one hour every 5 days (its exporter is down).

use std::sync::OnceLock;

pub mod hash;

use hash::{hash64, unit};

/// Milliseconds in an hour.
pub const HOUR_MS: i64 = 3_600_000;
/// Milliseconds in a day.
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// One GPU of the fleet, with the labels dcgm-exporter and Kubernetes put on its metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gpu {
    pub region: &'static str,
    pub cluster: &'static str,
    /// Node name, also dcgm-exporter's `Hostname` label.
    pub node: String,
    /// `ip:port` of the node's exporter.
    pub instance: String,
    /// 0–7 within the node (the `gpu` label).
    pub index: u8,
    /// `GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, stable per GPU.
    pub uuid: String,
    pub model_name: &'static str,
    /// PCI bus id (`00000000:18:00.0`), as dcgm-exporter reports it.
    pub pci_bus_id: String,
    /// Position of the node in [`nodes`] (0-based).
    pub node_number: usize,
}

/// The regions and their clusters.
pub const REGIONS: [(&str, [&str; 2]); 2] = [
    ("us-east", ["east-prod", "east-research"]),
    ("us-west", ["west-prod", "west-research"]),
];

/// Nodes per cluster.
pub const NODES_PER_CLUSTER: usize = 4;
/// GPUs per node.
pub const GPUS_PER_NODE: u8 = 8;

fn model_for(region: &str) -> &'static str {
    if region == "us-east" {
        "NVIDIA H100 80GB HBM3"
    } else {
        "NVIDIA A100-SXM4-80GB"
    }
}

/// Framebuffer size of a GPU model, MiB.
#[must_use]
pub fn framebuffer_mib(model_name: &str) -> u32 {
    if model_name.contains("H100") {
        81_559
    } else {
        81_920
    }
}

/// Board power limit of a GPU model, watts.
#[must_use]
pub fn power_limit_watts(model_name: &str) -> f64 {
    if model_name.contains("H100") {
        700.0
    } else {
        400.0
    }
}

/// A node of the fleet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub region: &'static str,
    pub cluster: &'static str,
    pub name: String,
    pub instance: String,
    pub number: usize,
}

/// All 16 nodes, in a stable order.
#[must_use]
pub fn nodes() -> &'static [Node] {
    static NODES: OnceLock<Vec<Node>> = OnceLock::new();
    NODES.get_or_init(|| {
        let mut out = Vec::new();
        for (region_index, (region, clusters)) in REGIONS.iter().enumerate() {
            for (cluster_index, cluster) in clusters.iter().enumerate() {
                for n in 0..NODES_PER_CLUSTER {
                    let number = out.len();
                    out.push(Node {
                        region,
                        cluster,
                        name: format!("gpu-{cluster}-{:02}", n + 1),
                        instance: format!(
                            "10.{}.{}.{}:9400",
                            region_index + 10,
                            cluster_index + 1,
                            n + 11
                        ),
                        number,
                    });
                }
            }
        }
        out
    })
}

/// All 128 GPUs, node by node.
#[must_use]
pub fn gpus() -> &'static [Gpu] {
    static GPUS: OnceLock<Vec<Gpu>> = OnceLock::new();
    GPUS.get_or_init(|| {
        let mut out = Vec::new();
        for node in nodes() {
            for index in 0..GPUS_PER_NODE {
                let h = hash64(&[node.number as u64, u64::from(index), 0x5eed]);
                let uuid = format!(
                    "GPU-{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    h >> 32,
                    (h >> 16) & 0xffff,
                    h & 0xffff,
                    (h >> 48) ^ 0x1f2e,
                    hash64(&[h]) & 0xffff_ffff_ffff
                );
                const BUSES: [u8; 8] = [0x18, 0x2a, 0x3a, 0x5d, 0x9a, 0xab, 0xba, 0xdb];
                out.push(Gpu {
                    region: node.region,
                    cluster: node.cluster,
                    node: node.name.clone(),
                    instance: node.instance.clone(),
                    index,
                    uuid,
                    model_name: model_for(node.region),
                    pci_bus_id: format!("00000000:{:02X}:00.0", BUSES[usize::from(index)]),
                    node_number: node.number,
                });
            }
        }
        out
    })
}

/// A Kubernetes job running on some GPUs of a node.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub namespace: &'static str,
    /// Workload name, e.g. `llama3-70b-sft`.
    pub workload: &'static str,
    /// Pod name on this node, e.g. `llama3-70b-sft-7f3a9-worker-0`.
    pub pod: String,
    /// Container name.
    pub container: &'static str,
    pub start_ms: i64,
    pub end_ms: i64,
    /// GPUs of the node the job holds (`0..8` or `0..4` / `4..8`).
    pub gpus: std::ops::Range<u8>,
    /// How hard the job drives its GPUs, 0.55–0.98.
    pub intensity: f64,
    /// Inference jobs follow the day; training jobs run flat out.
    pub kind: JobKind,
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Training,
    Inference,
    Evaluation,
}

const WORKLOADS: [(&str, &str, &str, JobKind); 8] = [
    (
        "ml-training",
        "llama3-70b-sft",
        "trainer",
        JobKind::Training,
    ),
    (
        "ml-training",
        "mixtral-8x7b-pretrain",
        "trainer",
        JobKind::Training,
    ),
    (
        "research",
        "diffusion-xl-ablation",
        "trainer",
        JobKind::Training,
    ),
    (
        "research",
        "rlhf-reward-model",
        "trainer",
        JobKind::Training,
    ),
    ("inference", "chat-serving", "vllm", JobKind::Inference),
    ("inference", "embeddings-api", "triton", JobKind::Inference),
    ("batch-eval", "mmlu-eval", "evaluator", JobKind::Evaluation),
    (
        "batch-eval",
        "safety-redteam",
        "evaluator",
        JobKind::Evaluation,
    ),
];

/// Length of a scheduling window; each half-node gets at most one job per window.
pub const WINDOW_MS: i64 = 12 * HOUR_MS;

/// The scheduling window of `node_number` that contains `t_ms` (windows are shifted per node).
#[must_use]
pub fn schedule_window(node_number: usize, t_ms: i64) -> i64 {
    (t_ms - window_phase(node_number)).div_euclid(WINDOW_MS)
}

/// Start of scheduling window `window` of `node_number`, Unix ms.
#[must_use]
pub fn window_start(node_number: usize, window: i64) -> i64 {
    window * WINDOW_MS + window_phase(node_number)
}

fn window_phase(node_number: usize) -> i64 {
    (hash64(&[node_number as u64, 0xfa5e]) % 12) as i64 * HOUR_MS
}

/// The job planned for GPU `gpu_index` of `node_number` in scheduling window `window`, without
/// allocating: its time span, load and identity. [`job_at`] is this plus a time check; the
/// metrics generator uses it to walk the schedule cheaply.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JobSlot {
    pub node_number: usize,
    pub window: i64,
    /// 0: the whole node, 1: GPUs 0–3, 2: GPUs 4–7.
    pub half: u8,
    pub start_ms: i64,
    pub end_ms: i64,
    /// How hard the job drives its GPUs, 0.55–0.98.
    pub intensity: f64,
    pub kind: JobKind,
    workload: usize,
    suffix: u64,
}

impl JobSlot {
    /// True if the job runs at `t_ms`.
    #[must_use]
    pub fn runs_at(&self, t_ms: i64) -> bool {
        (self.start_ms..self.end_ms).contains(&t_ms)
    }

    #[must_use]
    pub fn namespace(&self) -> &'static str {
        WORKLOADS[self.workload].0
    }

    #[must_use]
    pub fn workload(&self) -> &'static str {
        WORKLOADS[self.workload].1
    }

    #[must_use]
    pub fn container(&self) -> &'static str {
        WORKLOADS[self.workload].2
    }

    /// Pod name on this node, e.g. `llama3-70b-sft-7f3a9-worker-0`.
    #[must_use]
    pub fn pod(&self) -> String {
        format!(
            "{}-{:05x}-worker-{}",
            self.workload(),
            self.suffix,
            if self.half == 2 { 1 } else { 0 }
        )
    }

    /// The full job description (allocates the pod name).
    #[must_use]
    pub fn job(&self) -> Job {
        Job {
            namespace: self.namespace(),
            workload: self.workload(),
            pod: self.pod(),
            container: self.container(),
            start_ms: self.start_ms,
            end_ms: self.end_ms,
            gpus: match self.half {
                0 => 0..GPUS_PER_NODE,
                1 => 0..4,
                _ => 4..GPUS_PER_NODE,
            },
            intensity: self.intensity,
            kind: self.kind,
        }
    }
}

/// The job planned for GPU `gpu_index` of `node_number` in scheduling window `window`, if any
/// (it may not have started yet, or may have ended: see [`JobSlot::runs_at`]).
#[must_use]
pub fn job_slot(node_number: usize, gpu_index: u8, window: i64) -> Option<JobSlot> {
    let window_start = window_start(node_number, window);
    let whole_node = unit(&[node_number as u64, window as u64, 1]) < 0.45;
    let half: u64 = if whole_node {
        0
    } else {
        u64::from(gpu_index / 4) + 1
    };
    let key = [node_number as u64, window as u64, half];
    if unit(&[key[0], key[1], key[2], 2]) > 0.82 {
        return None; // this half-node idles through the window
    }
    let start_ms =
        window_start + (unit(&[key[0], key[1], key[2], 3]) * 3.0 * HOUR_MS as f64) as i64;
    let end_ms = window_start + WINDOW_MS
        - (unit(&[key[0], key[1], key[2], 4]) * 3.0 * HOUR_MS as f64) as i64;
    let workload = (hash64(&[key[0], key[1], key[2], 5]) % WORKLOADS.len() as u64) as usize;
    Some(JobSlot {
        node_number,
        window,
        half: half as u8,
        start_ms,
        end_ms,
        intensity: 0.55 + 0.43 * unit(&[key[0], key[1], key[2], 7]),
        kind: WORKLOADS[workload].3,
        workload,
        suffix: hash64(&[key[0], key[1], key[2], 6]) & 0xfffff,
    })
}

/// The job running on GPU `gpu_index` of `node_number` at `t_ms`, if any.
///
/// Time is cut into 12-hour windows (shifted per node); in each window each half of the node
/// (GPUs 0–3 and 4–7) may run a job that starts up to 3 h in and ends up to 3 h early. Some jobs
/// take the whole node. Idle GPUs between jobs are what the "idle GPUs" panels count.
#[must_use]
pub fn job_at(node_number: usize, gpu_index: u8, t_ms: i64) -> Option<Job> {
    job_slot(node_number, gpu_index, schedule_window(node_number, t_ms))
        .filter(|slot| slot.runs_at(t_ms))
        .map(|slot| slot.job())
}

/// Every distinct job running anywhere on `node_number` during `[from_ms, to_ms)`.
#[must_use]
pub fn jobs_on_node(node_number: usize, from_ms: i64, to_ms: i64) -> Vec<Job> {
    let mut jobs: Vec<Job> = Vec::new();
    let mut t = from_ms;
    while t < to_ms {
        for gpu in [0, GPUS_PER_NODE - 1] {
            if let Some(job) = job_at(node_number, gpu, t) {
                if !jobs
                    .iter()
                    .any(|j| j.pod == job.pod && j.start_ms == job.start_ms)
                {
                    jobs.push(job);
                }
            }
        }
        t += 15 * 60_000;
    }
    jobs
}

fn utc_offset_hours(region: &str) -> f64 {
    if region == "us-east" {
        -5.0
    } else {
        -8.0
    }
}

/// Daily load curve in 0..1 for a region: low at 04:00 local time, high in the afternoon.
#[must_use]
pub fn diurnal(region: &str, t_ms: i64) -> f64 {
    let utc_offset_h = utc_offset_hours(region);
    let hour = ((t_ms.rem_euclid(DAY_MS) as f64) / HOUR_MS as f64 + utc_offset_h).rem_euclid(24.0);
    0.5 - 0.5 * ((hour - 4.0) / 24.0 * std::f64::consts::TAU).cos()
}

/// The integral of [`diurnal`] over `[from_ms, to_ms)`, in ms (closed form), so counters that
/// accumulate a diurnal load (energy) need no numeric integration.
#[must_use]
pub fn diurnal_integral(region: &str, from_ms: i64, to_ms: i64) -> f64 {
    let utc_offset_h = utc_offset_hours(region);
    // diurnal(t) = 1/2 - 1/2 cos(2π t/DAY + φ) with φ = 2π (offset - 4 h) / 24 h.
    let phase = (utc_offset_h - 4.0) / 24.0 * std::f64::consts::TAU;
    let antiderivative = |t: i64| {
        let angle = t.rem_euclid(DAY_MS) as f64 / DAY_MS as f64 * std::f64::consts::TAU + phase;
        0.5 * DAY_MS as f64 / std::f64::consts::TAU * angle.sin()
    };
    0.5 * (to_ms - from_ms) as f64 - (antiderivative(to_ms) - antiderivative(from_ms))
}

/// The GPU that runs hot: node `gpu-east-prod-03`, GPU 5.
#[must_use]
pub fn is_hot(gpu: &Gpu) -> bool {
    gpu.node == "gpu-east-prod-03" && gpu.index == 5
}

/// XID errors repeat every this many days on the flaky GPU.
pub const XID_PERIOD_DAYS: i64 = 4;

/// The XID burst of the flaky GPU on UTC day `day` (days since the epoch), as a Unix-ms range,
/// if that GPU has one that day: 40 minutes from 13:20 UTC every [`XID_PERIOD_DAYS`] days.
#[must_use]
pub fn xid_burst(gpu: &Gpu, day: i64) -> Option<std::ops::Range<i64>> {
    if gpu.node != "gpu-west-prod-02" || gpu.index != 1 || day.rem_euclid(XID_PERIOD_DAYS) != 1 {
        return None;
    }
    let start = day * DAY_MS + 13 * HOUR_MS + 20 * 60_000;
    Some(start..start + 40 * 60_000)
}

/// The XID error code the flaky GPU reports at `t_ms`, if it is in a burst (see [`xid_burst`]):
/// 79 (fallen off the bus) for the first 15 minutes, then 48 (double-bit ECC).
#[must_use]
pub fn xid_error(gpu: &Gpu, t_ms: i64) -> Option<u32> {
    let burst = xid_burst(gpu, t_ms.div_euclid(DAY_MS))?;
    burst
        .contains(&t_ms)
        .then_some(if t_ms - burst.start < 15 * 60_000 {
            79
        } else {
            48
        })
}

/// Node exporters go missing for an hour every this many days.
pub const MISSING_PERIOD_DAYS: i64 = 5;

/// True while `node` is missing (its exporter is down): node `gpu-east-research-04`, one hour
/// every 5 days from 09:00 UTC.
#[must_use]
pub fn node_missing(node: &str, t_ms: i64) -> bool {
    if node != "gpu-east-research-04" {
        return false;
    }
    let day = t_ms.div_euclid(DAY_MS);
    let in_day = t_ms.rem_euclid(DAY_MS);
    day.rem_euclid(MISSING_PERIOD_DAYS) == 2 && (9 * HOUR_MS..10 * HOUR_MS).contains(&in_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_has_128_gpus_with_unique_uuids() {
        assert_eq!(gpus().len(), 128);
        let mut uuids: Vec<_> = gpus().iter().map(|g| g.uuid.clone()).collect();
        uuids.sort();
        uuids.dedup();
        assert_eq!(uuids.len(), 128);
        assert!(gpus()[0].uuid.starts_with("GPU-") && gpus()[0].uuid.len() == 40);
    }

    #[test]
    fn jobs_are_stable_and_share_pods_across_their_gpus() {
        let t = 1_760_000_000_000;
        for node in 0..16 {
            for gpu in 0..8 {
                assert_eq!(job_at(node, gpu, t), job_at(node, gpu, t));
                if let Some(job) = job_at(node, gpu, t) {
                    assert!(job.gpus.contains(&gpu));
                    for other in job.gpus.clone() {
                        assert_eq!(job_at(node, other, t).map(|j| j.pod), Some(job.pod.clone()));
                    }
                }
            }
        }
    }

    #[test]
    fn the_fleet_is_partly_busy_most_of_the_time() {
        let mut busy = 0;
        let mut total = 0;
        for step in 0..(14 * 24) {
            let t = 1_760_000_000_000 + step * HOUR_MS;
            for gpu in gpus() {
                total += 1;
                busy += usize::from(job_at(gpu.node_number, gpu.index, t).is_some());
            }
        }
        let share = busy as f64 / total as f64;
        assert!((0.45..0.9).contains(&share), "busy share {share}");
    }

    #[test]
    fn every_14_days_have_xid_bursts_and_a_missing_node() {
        let flaky = gpus()
            .iter()
            .find(|g| g.node == "gpu-west-prod-02" && g.index == 1)
            .unwrap();
        let start = 1_760_000_000_000;
        let minutes = 14 * 24 * 60;
        let xid = (0..minutes)
            .filter(|m| xid_error(flaky, start + m * 60_000).is_some())
            .count();
        assert!(xid >= 3 * 40, "{xid} minutes of XID errors");
        let missing = (0..minutes)
            .filter(|m| node_missing("gpu-east-research-04", start + m * 60_000))
            .count();
        assert!(missing >= 2 * 60, "{missing} minutes missing");
    }

    #[test]
    fn diurnal_curve_peaks_in_the_afternoon() {
        let day = 1_760_000_000_000 / DAY_MS * DAY_MS;
        let at = |h: i64| diurnal("us-east", day + (h + 5) * HOUR_MS);
        assert!(at(16) > 0.9 && at(4) < 0.05, "{} {}", at(16), at(4));
    }

    #[test]
    fn job_at_keeps_the_schedule_it_had_before_job_slots() {
        // Fingerprint of job_at over 30 days, taken before job_at was rebuilt on job_slot.
        let mut acc: u64 = 0;
        for node in 0..16 {
            for gpu in 0..8u8 {
                let mut t = 1_720_000_000_000i64;
                while t < 1_720_000_000_000 + 30 * DAY_MS {
                    let word = match job_at(node, gpu, t) {
                        None => 1,
                        Some(j) => hash64(&[
                            j.start_ms as u64,
                            j.end_ms as u64,
                            j.intensity.to_bits(),
                            j.pod.len() as u64,
                            j.pod.bytes().map(u64::from).sum::<u64>(),
                            u64::from(j.gpus.start),
                            j.kind as u64,
                            j.namespace.len() as u64,
                        ]),
                    };
                    acc = hash64(&[acc, word]);
                    t += 7 * 60_000 + 13;
                }
            }
        }
        assert_eq!(acc, 0x5214_453e_af32_536f);
    }

    #[test]
    fn job_slot_covers_its_window_and_agrees_with_job_at() {
        for node in 0..16 {
            let t0 = 1_760_000_000_000;
            let window = schedule_window(node, t0);
            let start = window_start(node, window);
            assert!(start <= t0 && t0 < start + WINDOW_MS);
            for gpu in 0..8 {
                let slot = job_slot(node, gpu, window);
                if let Some(slot) = slot {
                    assert!(start <= slot.start_ms && slot.end_ms <= start + WINDOW_MS);
                    let inside = (slot.start_ms + slot.end_ms) / 2;
                    assert_eq!(job_at(node, gpu, inside), Some(slot.job()));
                    assert_eq!(
                        job_at(node, gpu, slot.end_ms),
                        job_slot(node, gpu, schedule_window(node, slot.end_ms))
                            .filter(|s| s.runs_at(slot.end_ms))
                            .map(|s| s.job())
                    );
                }
            }
        }
    }

    #[test]
    fn xid_bursts_are_where_xid_error_reports_them() {
        let flaky = &gpus()[9 * 8 + 1];
        assert_eq!((flaky.node.as_str(), flaky.index), ("gpu-west-prod-02", 1));
        let day = 20_001; // 20_001 % 4 == 1
        let Some(burst) = xid_burst(flaky, day) else {
            panic!("no burst on day {day}")
        };
        assert_eq!(burst.end - burst.start, 40 * 60_000);
        assert_eq!(xid_error(flaky, burst.start - 1), None);
        assert_eq!(xid_error(flaky, burst.start), Some(79));
        assert_eq!(xid_error(flaky, burst.start + 15 * 60_000), Some(48));
        assert_eq!(xid_error(flaky, burst.end - 1), Some(48));
        assert_eq!(xid_error(flaky, burst.end), None);
        assert_eq!(xid_burst(flaky, day + 1), None);
        assert_eq!(xid_burst(&gpus()[0], day), None);
    }

    #[test]
    fn diurnal_integral_matches_a_numeric_sum() {
        for region in ["us-east", "us-west"] {
            let from = 1_760_000_000_000 + 1_234_567;
            for hours in [1, 5, 12, 24, 37] {
                let to = from + hours * HOUR_MS;
                let step = 1000;
                let numeric: f64 = (0..(to - from) / step)
                    .map(|i| diurnal(region, from + i * step + step / 2))
                    .sum::<f64>()
                    * step as f64;
                let closed = diurnal_integral(region, from, to);
                assert!(
                    (numeric - closed).abs() < 1e-6 * (to - from) as f64,
                    "{region} {hours}h: {numeric} vs {closed}"
                );
            }
        }
    }
}
