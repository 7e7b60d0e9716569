//! How busy a GPU is: the mean load a job puts on it (training flat out, inference following the
//! day, evaluation in between), its closed-form integral (for the energy counter), and the
//! noisy load that the gauges show.

use sightline_fleet::hash::unit;
use sightline_fleet::{diurnal, diurnal_integral, JobKind, JobSlot};

use crate::noise::wobble;
use crate::profile::GpuProfile;

/// Noise channel of the load wobble.
const LOAD_NOISE: u64 = 1;

/// A number in `[0, 1)` fixed for one job (its "character": memory footprint, tensor use…).
#[must_use]
pub fn job_trait(slot: &JobSlot, salt: u64) -> f64 {
    unit(&[
        slot.node_number as u64,
        slot.window as u64,
        u64::from(slot.half),
        salt,
    ])
}

/// Inference load at the quietest hour, as a share of the job's intensity.
const INFERENCE_FLOOR: f64 = 0.12;

/// The job's mean load on a GPU at `t_ms`, 0–1, noise left out.
#[must_use]
pub fn mean_load(slot: &JobSlot, region: &str, t_ms: i64) -> f64 {
    match slot.kind {
        JobKind::Training => training_level(slot),
        JobKind::Evaluation => evaluation_level(slot),
        JobKind::Inference => {
            slot.intensity * (INFERENCE_FLOOR + (1.0 - INFERENCE_FLOOR) * diurnal(region, t_ms))
        }
    }
}

fn training_level(slot: &JobSlot) -> f64 {
    0.86 + 0.12 * slot.intensity
}

fn evaluation_level(slot: &JobSlot) -> f64 {
    0.30 + 0.55 * slot.intensity
}

/// The integral of [`mean_load`] over the part of `[from_ms, to_ms)` the job runs, in ms.
#[must_use]
pub fn mean_load_integral(slot: &JobSlot, region: &str, from_ms: i64, to_ms: i64) -> f64 {
    let (a, b) = (from_ms.max(slot.start_ms), to_ms.min(slot.end_ms));
    if a >= b {
        return 0.0;
    }
    let span = (b - a) as f64;
    match slot.kind {
        JobKind::Training => training_level(slot) * span,
        JobKind::Evaluation => evaluation_level(slot) * span,
        JobKind::Inference => {
            slot.intensity
                * (INFERENCE_FLOOR * span
                    + (1.0 - INFERENCE_FLOOR) * diurnal_integral(region, a, b))
        }
    }
}

/// How much the load of a job kind wobbles around its mean.
fn wobble_amplitude(kind: JobKind) -> f64 {
    match kind {
        JobKind::Training => 0.03,
        JobKind::Inference => 0.05,
        JobKind::Evaluation => 0.10,
    }
}

/// The load the gauges show: the mean plus smooth noise, 0–1; 0 when no job runs.
#[must_use]
pub fn load(profile: &GpuProfile, running: Option<&JobSlot>, t_ms: i64) -> f64 {
    let Some(slot) = running else {
        return 0.0;
    };
    let mean = mean_load(slot, profile.gpu.region, t_ms);
    let noisy = mean + wobble_amplitude(slot.kind) * wobble(profile.stream(LOAD_NOISE), t_ms);
    noisy.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sightline_fleet::{job_slot, schedule_window, DAY_MS};

    fn slots_of_kind(kind: JobKind) -> impl Iterator<Item = JobSlot> {
        (0..16usize).flat_map(move |node| {
            let first = schedule_window(node, 1_760_000_000_000);
            (first..first + 60)
                .filter_map(move |w| job_slot(node, 0, w))
                .filter(move |s| s.kind == kind)
        })
    }

    #[test]
    fn training_is_high_and_flat() {
        let slot = slots_of_kind(JobKind::Training).next();
        let Some(slot) = slot else {
            panic!("no training job in 30 days")
        };
        let a = mean_load(&slot, "us-east", slot.start_ms);
        let b = mean_load(&slot, "us-east", slot.end_ms - 1);
        assert!(a > 0.9 && (a - b).abs() < 1e-12);
    }

    #[test]
    fn inference_follows_the_day() {
        let slot = slots_of_kind(JobKind::Inference).next();
        let Some(slot) = slot else {
            panic!("no inference job in 30 days")
        };
        let day = slot.start_ms / DAY_MS * DAY_MS;
        let loads: Vec<f64> = (0..24)
            .map(|h| mean_load(&slot, "us-east", day + h * 3_600_000))
            .collect();
        let (low, high) = loads
            .iter()
            .fold((1.0f64, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        assert!(high - low > 0.4, "{loads:?}");
    }

    #[test]
    fn load_integral_matches_a_numeric_sum() {
        for kind in [JobKind::Training, JobKind::Inference, JobKind::Evaluation] {
            for slot in slots_of_kind(kind).take(3) {
                let (from, to) = (slot.start_ms - 3_600_000, slot.end_ms + 3_600_000);
                let step = 10_000;
                let numeric: f64 = (0..(to - from) / step)
                    .map(|i| from + i * step + step / 2)
                    .filter(|t| slot.runs_at(*t))
                    .map(|t| mean_load(&slot, "us-west", t))
                    .sum::<f64>()
                    * step as f64;
                let closed = mean_load_integral(&slot, "us-west", from, to);
                assert!(
                    (numeric - closed).abs() < 1e-3 * closed,
                    "{kind:?}: {numeric} vs {closed}"
                );
            }
        }
    }
}
