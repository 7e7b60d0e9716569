//! The value model: every metric of every GPU as a pure function of time. [`value`] is the one
//! entry point for single readings; [`GpuClock`] walks one GPU forward in time cheaply (for the
//! history writer) and gives the same numbers.

use sightline_fleet::{job_slot, node_missing, schedule_window, xid_error, Gpu, JobKind, JobSlot};

use crate::counters::{pcie_replays, EnergyMeter};
use crate::load::{job_trait, load};
use crate::metric::Metric;
use crate::noise::wobble;
use crate::profile::{profile_of, GpuProfile, HOT_EXTRA_CELSIUS};

/// Noise channels (see [`GpuProfile::stream`]).
const POWER_NOISE: u64 = 2;
const TEMP_NOISE: u64 = 3;
const FB_NOISE: u64 = 4;
const CLOCK_NOISE: u64 = 5;
const PROF_NOISE: u64 = 6;

/// The value of `metric` for `gpu` at `t_ms` (Unix ms), or None while the GPU's node is missing
/// (its exporter is down, so there is no sample at all) or for a GPU outside the fleet.
#[must_use]
pub fn value(metric: Metric, gpu: &Gpu, t_ms: i64) -> Option<f64> {
    let profile = profile_of(gpu)?;
    GpuClock::new(profile).value(metric, t_ms)
}

/// The job running on `gpu` at `t_ms`, without allocating.
#[must_use]
pub fn running_job(gpu: &Gpu, t_ms: i64) -> Option<JobSlot> {
    job_slot(
        gpu.node_number,
        gpu.index,
        schedule_window(gpu.node_number, t_ms),
    )
    .filter(|s| s.runs_at(t_ms))
}

/// One GPU read forward in time: caches the scheduling window's job and the energy sum, so a
/// walk through 14 days at 15 s costs a few hashes per sample. Readings are identical to
/// [`value`] at the same instant, in any order.
#[derive(Debug, Clone)]
pub struct GpuClock<'a> {
    profile: &'a GpuProfile,
    window: Option<i64>,
    planned: Option<JobSlot>,
    energy: EnergyMeter<'a>,
}

impl<'a> GpuClock<'a> {
    #[must_use]
    pub fn new(profile: &'a GpuProfile) -> Self {
        Self {
            profile,
            window: None,
            planned: None,
            energy: EnergyMeter::new(profile),
        }
    }

    #[must_use]
    pub fn profile(&self) -> &'a GpuProfile {
        self.profile
    }

    /// True while the GPU's node is missing (no samples).
    #[must_use]
    pub fn missing(&self, t_ms: i64) -> bool {
        node_missing(&self.profile.gpu.node, t_ms)
    }

    /// The job running at `t_ms`.
    pub fn job(&mut self, t_ms: i64) -> Option<JobSlot> {
        let gpu = self.profile.gpu;
        let window = schedule_window(gpu.node_number, t_ms);
        if self.window != Some(window) {
            self.window = Some(window);
            self.planned = job_slot(gpu.node_number, gpu.index, window);
        }
        self.planned.filter(|s| s.runs_at(t_ms))
    }

    /// The value of `metric` at `t_ms`, None while the node is missing.
    pub fn value(&mut self, metric: Metric, t_ms: i64) -> Option<f64> {
        if self.missing(t_ms) {
            return None;
        }
        let job = self.job(t_ms);
        Some(self.value_with_job(metric, job.as_ref(), t_ms))
    }

    /// The value of `metric` at `t_ms` given the running job (the caller checked the node is up).
    pub fn value_with_job(&mut self, metric: Metric, job: Option<&JobSlot>, t_ms: i64) -> f64 {
        let p = self.profile;
        match metric {
            Metric::TotalEnergyConsumption => self.energy.at(t_ms) as f64,
            Metric::PcieReplayCounter => pcie_replays(p, t_ms) as f64,
            Metric::XidErrors => f64::from(xid_error(p.gpu, t_ms).unwrap_or(0)),
            Metric::MemClock => p.mem_mhz,
            Metric::FbUsed => f64::from(fb_used(p, job, t_ms)),
            Metric::FbFree => f64::from(p.framebuffer_mib - fb_used(p, job, t_ms)),
            _ => gauge(metric, p, job, load(p, job, t_ms), t_ms),
        }
    }
}

/// Framebuffer in use, MiB: nothing when idle; a job's footprint (allocated at start) otherwise.
fn fb_used(p: &GpuProfile, job: Option<&JobSlot>, t_ms: i64) -> u32 {
    let Some(slot) = job else {
        return 0;
    };
    let character = job_trait(slot, 0xfb);
    let share = match slot.kind {
        JobKind::Training => 0.70 + 0.26 * character + 0.012 * wobble(p.stream(FB_NOISE), t_ms),
        JobKind::Inference => 0.88 + 0.05 * character, // serving engines preallocate their cache
        JobKind::Evaluation => 0.30 + 0.45 * character + 0.02 * wobble(p.stream(FB_NOISE), t_ms),
    };
    let total = f64::from(p.framebuffer_mib);
    (share * total).round().clamp(0.0, total) as u32
}

/// The gauges that follow the load.
fn gauge(metric: Metric, p: &GpuProfile, job: Option<&JobSlot>, load: f64, t_ms: i64) -> f64 {
    let hot = if p.hot { HOT_EXTRA_CELSIUS } else { 0.0 };
    let gpu_temp =
        || p.ambient_celsius + 6.0 + 40.0 * load + hot + 0.7 * wobble(p.stream(TEMP_NOISE), t_ms);
    match metric {
        Metric::GpuUtil => (100.0 * load).round(),
        Metric::MemCopyUtil => job.map_or(0.0, |slot| {
            let ratio = match slot.kind {
                JobKind::Training => 0.35 + 0.25 * job_trait(slot, 0xc0),
                JobKind::Inference => 0.50 + 0.20 * job_trait(slot, 0xc0),
                JobKind::Evaluation => 0.25 + 0.20 * job_trait(slot, 0xc0),
            };
            (100.0 * load * ratio).round()
        }),
        Metric::PowerUsage => {
            (p.idle_watts + p.load_watts * load + 0.8 * wobble(p.stream(POWER_NOISE), t_ms))
                .max(0.0)
        }
        Metric::GpuTemp => gpu_temp().round(),
        Metric::MemoryTemp => (gpu_temp() + 3.0 + 7.0 * load).round(),
        Metric::SmClock => sm_clock(p, job, load, t_ms),
        Metric::PipeTensorActive => prof_ratio(
            p,
            job,
            load,
            t_ms,
            0x7e,
            [(0.35, 0.35), (0.18, 0.20), (0.15, 0.20)],
        ),
        Metric::DramActive => prof_ratio(
            p,
            job,
            load,
            t_ms,
            0xd7,
            [(0.25, 0.30), (0.45, 0.30), (0.20, 0.20)],
        ),
        _ => 0.0,
    }
}

/// SM clock, MHz, in the 15 MHz bins NVIDIA GPUs report: idle clock, boost under load, and the
/// hot GPU throttling when busy.
fn sm_clock(p: &GpuProfile, job: Option<&JobSlot>, load: f64, t_ms: i64) -> f64 {
    if job.is_none() || load < 0.02 {
        return p.idle_sm_mhz;
    }
    let throttle = if p.hot && load > 0.6 { 195.0 } else { 0.0 };
    let jitter = 45.0 * wobble(p.stream(CLOCK_NOISE), t_ms).max(0.0) * load;
    let mhz = p.max_sm_mhz - throttle - jitter;
    (mhz / 15.0).round() * 15.0
}

/// A profiling ratio (0–1): load × a per-job share, `(base, spread)` for training, inference
/// and evaluation.
fn prof_ratio(
    p: &GpuProfile,
    job: Option<&JobSlot>,
    load: f64,
    t_ms: i64,
    salt: u64,
    shares: [(f64, f64); 3],
) -> f64 {
    let Some(slot) = job else {
        return 0.0;
    };
    let (base, spread) = match slot.kind {
        JobKind::Training => shares[0],
        JobKind::Inference => shares[1],
        JobKind::Evaluation => shares[2],
    };
    let share = base + spread * job_trait(slot, salt);
    (load * share * (1.0 + 0.03 * wobble(p.stream(PROF_NOISE ^ salt), t_ms))).clamp(0.0, 1.0)
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
