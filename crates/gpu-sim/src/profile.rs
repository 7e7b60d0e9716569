//! Per-GPU constants of the simulation: power and clock figures of the model, the ambient
//! temperature of the node, when the node booted (counters count from there), which GPU runs hot
//! or has XID bursts, and the seeds of its noise streams.

use std::sync::OnceLock;

use sightline_fleet::hash::{hash64, unit};
use sightline_fleet::{
    framebuffer_mib, gpus, is_hot, power_limit_watts, xid_burst, Gpu, DAY_MS, GPUS_PER_NODE,
    HOUR_MS, XID_PERIOD_DAYS,
};

/// 2024-06-01T00:00:00Z: every node booted (and its energy counters started) some days before.
pub const BOOT_BEFORE_MS: i64 = 1_717_200_000_000;

/// Extra board power of the hot GPU (leakage grows with temperature), W.
pub const HOT_EXTRA_WATTS: f64 = 22.0;

/// Extra temperature of the hot GPU, °C.
pub const HOT_EXTRA_CELSIUS: f64 = 18.0;

/// What the simulation needs to know about one GPU.
#[derive(Debug, Clone)]
pub struct GpuProfile {
    pub gpu: &'static Gpu,
    /// Position in [`gpus`].
    pub ordinal: usize,
    /// Board power limit, W.
    pub limit_watts: f64,
    /// Draw of an idle GPU, W (includes the hot GPU's extra).
    pub idle_watts: f64,
    /// Extra draw at full load above idle, W.
    pub load_watts: f64,
    /// Air temperature at the GPU's inlet, °C.
    pub ambient_celsius: f64,
    pub hot: bool,
    /// True for the GPU with XID bursts.
    pub flaky: bool,
    pub framebuffer_mib: u32,
    pub idle_sm_mhz: f64,
    pub max_sm_mhz: f64,
    pub mem_mhz: f64,
    /// When the node last booted, Unix ms; counters are 0 there.
    pub boot_ms: i64,
    /// PCIe replays the GPU had at boot-time link training.
    pub pcie_replays_at_boot: u64,
    /// A background PCIe replay every this many ms, for GPUs on a slightly noisy link.
    pub pcie_replay_every_ms: Option<i64>,
    seed: u64,
}

impl GpuProfile {
    fn new(ordinal: usize, gpu: &'static Gpu) -> Self {
        let seed = hash64(&[ordinal as u64, 0x0d1c_65a1]);
        let node_seed = gpu.node_number as u64;
        let h100 = gpu.model_name.contains("H100");
        let hot = is_hot(gpu);
        let limit_watts = power_limit_watts(gpu.model_name);
        let idle_watts = if h100 { 66.0 } else { 52.0 }
            + 8.0 * unit(&[seed, 1])
            + if hot { HOT_EXTRA_WATTS } else { 0.0 };
        let boot_days = 3 + (hash64(&[node_seed, 0xb007]) % 40) as i64;
        let boot_hours = (hash64(&[node_seed, 0xb008]) % 20) as i64;
        let noisy_link = unit(&[seed, 2]) < 0.3;
        Self {
            gpu,
            ordinal,
            limit_watts,
            idle_watts,
            load_watts: 0.93 * limit_watts - idle_watts,
            ambient_celsius: 24.0 + 5.0 * unit(&[node_seed, 0xa1b]) + 1.5 * unit(&[seed, 3]),
            hot,
            flaky: (0..XID_PERIOD_DAYS).any(|day| xid_burst(gpu, day).is_some()),
            framebuffer_mib: framebuffer_mib(gpu.model_name),
            idle_sm_mhz: if h100 { 345.0 } else { 210.0 },
            max_sm_mhz: if h100 { 1980.0 } else { 1410.0 },
            mem_mhz: if h100 { 2619.0 } else { 1593.0 },
            boot_ms: BOOT_BEFORE_MS - boot_days * DAY_MS - boot_hours * HOUR_MS,
            pcie_replays_at_boot: hash64(&[seed, 4]) % 4,
            pcie_replay_every_ms: noisy_link
                .then(|| (6 + (hash64(&[seed, 5]) % 90) as i64) * HOUR_MS),
            seed,
        }
    }

    /// The seed of one of this GPU's noise streams.
    #[must_use]
    pub fn stream(&self, channel: u64) -> u64 {
        hash64(&[self.seed, channel])
    }
}

/// Profiles of all 128 GPUs, in [`gpus`] order.
#[must_use]
pub fn profiles() -> &'static [GpuProfile] {
    static PROFILES: OnceLock<Vec<GpuProfile>> = OnceLock::new();
    PROFILES.get_or_init(|| {
        gpus()
            .iter()
            .enumerate()
            .map(|(i, gpu)| GpuProfile::new(i, gpu))
            .collect()
    })
}

/// The profile of a fleet GPU (None for a GPU that is not in the fleet).
#[must_use]
pub fn profile_of(gpu: &Gpu) -> Option<&'static GpuProfile> {
    let ordinal = gpu.node_number * usize::from(GPUS_PER_NODE) + usize::from(gpu.index);
    profiles().get(ordinal).filter(|p| p.gpu == gpu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fleet_gpu_has_its_profile() {
        for gpu in gpus() {
            let profile = profile_of(gpu).map(|p| p.gpu);
            assert_eq!(profile, Some(gpu));
        }
    }

    #[test]
    fn exactly_one_gpu_is_hot_and_one_is_flaky() {
        assert_eq!(profiles().iter().filter(|p| p.hot).count(), 1);
        assert_eq!(profiles().iter().filter(|p| p.flaky).count(), 1);
    }

    #[test]
    fn nodes_booted_before_the_legacy_week() {
        for p in profiles() {
            assert!(p.boot_ms < crate::timearg::CUTOVER_MS - 30 * DAY_MS);
            assert!(p.idle_watts < p.limit_watts * 0.2 && p.load_watts > 0.0);
        }
    }
}
