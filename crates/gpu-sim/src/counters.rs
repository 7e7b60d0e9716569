//! The two counters, in closed form so history and live scrapes agree to the unit and never go
//! backwards: energy since boot (idle draw × time plus the load-driven draw integrated job by job,
//! floored to whole mJ per scheduling window) and PCIe replays (a few at boot, a slow trickle on
//! noisy links, a burst while the flaky GPU throws XIDs).

use sightline_fleet::{job_slot, schedule_window, window_start, xid_burst, DAY_MS, WINDOW_MS};

use crate::load::mean_load_integral;
use crate::profile::GpuProfile;

/// PCIe replays per minute while the flaky GPU is in an XID burst.
const REPLAYS_PER_XID_MINUTE: u64 = 3;

/// Energy (mJ) the GPU used during `[from_ms, to_ms)` inside scheduling window `window`.
fn energy_in_window(profile: &GpuProfile, window: i64, from_ms: i64, to_ms: i64) -> f64 {
    if from_ms >= to_ms {
        return 0.0;
    }
    let gpu = profile.gpu;
    let idle = profile.idle_watts * (to_ms - from_ms) as f64;
    let busy = job_slot(gpu.node_number, gpu.index, window).map_or(0.0, |slot| {
        profile.load_watts * mean_load_integral(&slot, gpu.region, from_ms, to_ms)
    });
    idle + busy // W × ms = mJ
}

/// Reads `DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION` of one GPU, remembering the sum of finished
/// scheduling windows so a forward walk through time costs O(1) per sample. Every reading equals
/// [`energy_mj`] at that time exactly.
#[derive(Debug, Clone)]
pub struct EnergyMeter<'a> {
    profile: &'a GpuProfile,
    /// The window [`Self::before_window_mj`] is summed up to; None before the first reading.
    window: Option<i64>,
    before_window_mj: u64,
}

impl<'a> EnergyMeter<'a> {
    #[must_use]
    pub fn new(profile: &'a GpuProfile) -> Self {
        Self {
            profile,
            window: None,
            before_window_mj: 0,
        }
    }

    /// Total energy since boot at `t_ms`, mJ.
    pub fn at(&mut self, t_ms: i64) -> u64 {
        let boot = self.profile.boot_ms;
        if t_ms <= boot {
            return 0;
        }
        let node = self.profile.gpu.node_number;
        let target = schedule_window(node, t_ms);
        let mut window = match self.window {
            Some(w) if w <= target => w,
            _ => {
                self.before_window_mj = 0;
                schedule_window(node, boot)
            }
        };
        while window < target {
            let start = window_start(node, window);
            self.before_window_mj +=
                energy_in_window(self.profile, window, start.max(boot), start + WINDOW_MS) as u64;
            window += 1;
        }
        self.window = Some(target);
        let start = window_start(node, target);
        self.before_window_mj + energy_in_window(self.profile, target, start.max(boot), t_ms) as u64
    }
}

/// Total energy since boot at `t_ms`, mJ (monotonic, continuous up to 1 mJ).
#[must_use]
pub fn energy_mj(profile: &GpuProfile, t_ms: i64) -> u64 {
    EnergyMeter::new(profile).at(t_ms)
}

/// `DCGM_FI_DEV_PCIE_REPLAY_COUNTER` at `t_ms`.
#[must_use]
pub fn pcie_replays(profile: &GpuProfile, t_ms: i64) -> u64 {
    let boot = profile.boot_ms;
    if t_ms <= boot {
        return 0;
    }
    let trickle = profile
        .pcie_replay_every_ms
        .map_or(0, |every| ((t_ms - boot) / every) as u64);
    let mut during_xid = 0;
    if profile.flaky {
        for day in boot.div_euclid(DAY_MS)..=t_ms.div_euclid(DAY_MS) {
            if let Some(burst) = xid_burst(profile.gpu, day) {
                let (a, b) = (burst.start.max(boot), burst.end.min(t_ms));
                if a < b {
                    during_xid += ((b - a) / 60_000) as u64 * REPLAYS_PER_XID_MINUTE;
                }
            }
        }
    }
    profile.pcie_replays_at_boot + trickle + during_xid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::profiles;
    use sightline_fleet::HOUR_MS;

    const T0: i64 = 1_760_000_000_000;

    #[test]
    fn energy_never_decreases_and_grows_at_least_at_idle_draw() {
        for profile in profiles().iter().step_by(9) {
            let mut meter = EnergyMeter::new(profile);
            let mut previous = meter.at(T0);
            for i in 1..(3 * 24 * 60) {
                let t = T0 + i * 60_000;
                let now = meter.at(t);
                assert!(
                    now >= previous + (profile.idle_watts * 60_000.0) as u64 - 2,
                    "GPU {} at {t}",
                    profile.ordinal
                );
                assert!(
                    now <= previous + (profile.limit_watts * 60_000.0) as u64,
                    "GPU {} at {t}",
                    profile.ordinal
                );
                previous = now;
            }
        }
    }

    #[test]
    fn energy_meter_agrees_with_the_closed_form_anywhere() {
        let profile = &profiles()[37];
        let mut meter = EnergyMeter::new(profile);
        for i in 0..200 {
            let t = T0 + i * 17 * 60_000 + 123;
            assert_eq!(meter.at(t), energy_mj(profile, t));
        }
        // Going back in time restarts the sum and still agrees.
        assert_eq!(
            meter.at(T0 - 5 * HOUR_MS),
            energy_mj(profile, T0 - 5 * HOUR_MS)
        );
    }

    #[test]
    fn energy_is_zero_at_boot() {
        let profile = &profiles()[3];
        assert_eq!(energy_mj(profile, profile.boot_ms), 0);
        assert!(energy_mj(profile, profile.boot_ms + 1000) > 0);
    }

    #[test]
    fn pcie_replays_jump_only_on_the_flaky_gpu_during_bursts() {
        for profile in profiles() {
            let before = pcie_replays(profile, T0);
            let after = pcie_replays(profile, T0 + 8 * DAY_MS);
            assert!(after >= before);
            if profile.flaky {
                assert!(
                    after - before >= 2 * 40 * REPLAYS_PER_XID_MINUTE,
                    "{before} -> {after}"
                );
            } else if profile.pcie_replay_every_ms.is_none() {
                assert_eq!(after, before);
            }
        }
    }
}
