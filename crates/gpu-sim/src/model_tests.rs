//! Tests of the value model: ranges, identities, counters, incidents and agreement between the
//! single-reading and the forward-walking paths.

use super::*;
use crate::profile::profiles;
use sightline_fleet::{gpus, is_hot, xid_burst, DAY_MS, HOUR_MS};

const T0: i64 = 1_760_000_000_000;

fn gpu_named(node: &str, index: u8) -> &'static Gpu {
    let found = gpus().iter().find(|g| g.node == node && g.index == index);
    let Some(gpu) = found else {
        panic!("no GPU {node}/{index}")
    };
    gpu
}

/// Every sample of `metric` for every GPU, every `step` over `days` days from `T0`.
fn walk(
    days: i64,
    step: i64,
    mut check: impl FnMut(&GpuProfile, i64, Option<JobSlot>, &mut GpuClock),
) {
    for profile in profiles() {
        let mut clock = GpuClock::new(profile);
        let mut t = T0;
        while t < T0 + days * DAY_MS {
            let job = clock.job(t);
            check(profile, t, job, &mut clock);
            t += step;
        }
    }
}

#[test]
fn percentages_and_ratios_stay_in_range() {
    walk(2, 4 * 60_000, |_, t, _, clock| {
        for metric in [Metric::GpuUtil, Metric::MemCopyUtil] {
            if let Some(v) = clock.value(metric, t) {
                assert!(
                    (0.0..=100.0).contains(&v) && v.fract() == 0.0,
                    "{metric:?} {v}"
                );
            }
        }
        for metric in [Metric::PipeTensorActive, Metric::DramActive] {
            if let Some(v) = clock.value(metric, t) {
                assert!((0.0..=1.0).contains(&v), "{metric:?} {v}");
            }
        }
    });
}

#[test]
fn framebuffer_used_plus_free_is_the_total() {
    walk(2, 7 * 60_000, |profile, t, _, clock| {
        if let (Some(used), Some(free)) = (
            clock.value(Metric::FbUsed, t),
            clock.value(Metric::FbFree, t),
        ) {
            assert_eq!(used + free, f64::from(profile.framebuffer_mib));
            assert!(used >= 0.0 && free >= 0.0);
        }
    });
}

#[test]
fn counters_never_decrease() {
    for profile in profiles() {
        let mut clock = GpuClock::new(profile);
        let mut last = [0.0f64; 2];
        for i in 0..(3 * 24 * 60) {
            let t = T0 + i * 60_000;
            let Some(energy) = clock.value(Metric::TotalEnergyConsumption, t) else {
                continue;
            };
            let Some(replays) = clock.value(Metric::PcieReplayCounter, t) else {
                continue;
            };
            assert!(
                energy >= last[0] && replays >= last[1],
                "GPU {} at {t}",
                profile.ordinal
            );
            last = [energy, replays];
        }
    }
}

#[test]
fn energy_rate_matches_the_power_gauge() {
    let profile = &profiles()[20];
    let mut clock = GpuClock::new(profile);
    let hours = 24;
    let (from, to) = (T0, T0 + hours * HOUR_MS);
    let joules = (clock.value_with_job(Metric::TotalEnergyConsumption, None, to)
        - clock.value_with_job(Metric::TotalEnergyConsumption, None, from))
        / 1000.0;
    let mut watt_seconds = 0.0;
    for t in (from..to).step_by(15_000) {
        let job = clock.job(t);
        watt_seconds += clock.value_with_job(Metric::PowerUsage, job.as_ref(), t) * 15.0;
    }
    let ratio = joules / watt_seconds;
    assert!((0.97..1.03).contains(&ratio), "energy/power ratio {ratio}");
}

#[test]
fn utilisation_follows_the_job() {
    walk(2, 5 * 60_000, |_, t, job, clock| {
        let Some(util) = clock.value(Metric::GpuUtil, t) else {
            return;
        };
        match job.map(|s| s.kind) {
            None => assert_eq!(util, 0.0),
            Some(JobKind::Training) => assert!(util >= 85.0, "training at {util}%"),
            Some(_) => {}
        }
    });
}

#[test]
fn memory_jumps_when_a_job_starts() {
    let mut jumps = 0;
    walk(2, 60_000, |_, t, job, clock| {
        let Some(slot) = job else { return };
        if t - slot.start_ms < 60_000 && t > slot.start_ms {
            let before = clock.value(Metric::FbUsed, slot.start_ms - 1);
            let after = clock.value(Metric::FbUsed, t);
            if let (Some(before), Some(after)) = (before, after) {
                assert!(after - before > 20_000.0, "{before} -> {after}");
                jumps += 1;
            }
        }
    });
    assert!(jumps > 10, "{jumps} job starts seen");
}

#[test]
fn the_hot_gpu_runs_about_18_degrees_above_its_neighbours() {
    let hot = profiles().iter().find(|p| is_hot(p.gpu));
    let Some(hot) = hot else { panic!("no hot GPU") };
    let neighbours: Vec<&GpuProfile> = profiles()
        .iter()
        .filter(|p| p.gpu.node == hot.gpu.node && !p.hot)
        .collect();
    let mut delta = 0.0;
    let mut n = 0.0;
    for i in 0..(7 * 24) {
        let t = T0 + i * HOUR_MS;
        let hot_util = value(Metric::GpuUtil, hot.gpu, t).unwrap_or(0.0);
        for other in &neighbours {
            let util = value(Metric::GpuUtil, other.gpu, t).unwrap_or(0.0);
            if (hot_util - util).abs() < 5.0 {
                delta += value(Metric::GpuTemp, hot.gpu, t).unwrap_or(0.0)
                    - value(Metric::GpuTemp, other.gpu, t).unwrap_or(0.0);
                n += 1.0;
            }
        }
    }
    let mean = delta / n;
    assert!(
        n > 20.0 && (14.0..22.0).contains(&mean),
        "hot GPU {mean} °C above neighbours over {n} pairs"
    );
}

#[test]
fn the_xid_burst_is_visible_on_the_flaky_gpu_only() {
    let flaky = gpu_named("gpu-west-prod-02", 1);
    let day = (T0 / DAY_MS..).find(|d| xid_burst(flaky, *d).is_some());
    let Some(burst) = day.and_then(|d| xid_burst(flaky, d)) else {
        panic!("no burst")
    };
    assert_eq!(
        value(Metric::XidErrors, flaky, burst.start - 60_000),
        Some(0.0)
    );
    assert_eq!(
        value(Metric::XidErrors, flaky, burst.start + 60_000),
        Some(79.0)
    );
    assert_eq!(
        value(Metric::XidErrors, flaky, burst.end - 60_000),
        Some(48.0)
    );
    assert_eq!(
        value(Metric::XidErrors, flaky, burst.end + 60_000),
        Some(0.0)
    );
    let replays = |t| value(Metric::PcieReplayCounter, flaky, t).unwrap_or(0.0);
    assert!(replays(burst.end) - replays(burst.start) >= 100.0);
    for gpu in gpus().iter().filter(|g| *g != flaky) {
        assert_eq!(
            value(Metric::XidErrors, gpu, burst.start + 60_000),
            Some(0.0)
        );
    }
}

#[test]
fn a_missing_node_gives_no_samples() {
    let gpu = gpu_named("gpu-east-research-04", 3);
    let start = (T0 / DAY_MS..)
        .map(|d| d * DAY_MS)
        .find(|d| sightline_fleet::node_missing(&gpu.node, d + 9 * HOUR_MS));
    let Some(day) = start else {
        panic!("never missing")
    };
    for metric in Metric::ALL {
        assert_eq!(
            value(metric, gpu, day + 9 * HOUR_MS + 30 * 60_000),
            None,
            "{metric:?}"
        );
        assert!(value(metric, gpu, day + 8 * HOUR_MS).is_some());
        assert!(value(metric, gpu, day + 10 * HOUR_MS).is_some());
    }
    let neighbour = gpu_named("gpu-east-research-03", 3);
    assert!(value(Metric::GpuUtil, neighbour, day + 9 * HOUR_MS + 30 * 60_000).is_some());
}

#[test]
fn forward_walk_and_single_readings_agree() {
    for profile in profiles().iter().step_by(13) {
        let mut clock = GpuClock::new(profile);
        for i in 0..300 {
            let t = T0 + i * 15_000 * 41;
            for metric in Metric::ALL {
                let walked = clock.value(metric, t).map(f64::to_bits);
                assert_eq!(
                    walked,
                    value(metric, profile.gpu, t).map(f64::to_bits),
                    "{metric:?} at {t}"
                );
            }
        }
    }
}

#[test]
fn inference_gpus_are_busier_in_the_afternoon() {
    let (mut afternoon, mut night) = (0.0, 0.0);
    for day in 0..10 {
        for gpu in gpus() {
            let midnight = T0 / DAY_MS * DAY_MS
                + day * DAY_MS
                + if gpu.region == "us-east" { 5 } else { 8 } * HOUR_MS;
            for (hour, sum) in [(15, &mut afternoon), (4, &mut night)] {
                let t = midnight + hour * HOUR_MS;
                if running_job(gpu, t).is_some_and(|s| s.kind == JobKind::Inference) {
                    *sum += value(Metric::GpuUtil, gpu, t).unwrap_or(0.0);
                }
            }
        }
    }
    assert!(
        afternoon > 2.0 * night,
        "afternoon {afternoon} vs night {night}"
    );
}
