//! Deterministic smooth noise: hashed knots every `period` with smoothstep interpolation, so a
//! value is a pure function of time (no state, no lag) and is the same in the history file and
//! in a live scrape at the same instant.

use sightline_fleet::hash::hash64;

/// A value in `[-1, 1]` at hashed knot `k` of stream `seed`.
fn knot(seed: u64, k: i64) -> f64 {
    (hash64(&[seed, k as u64]) >> 11) as f64 / (1u64 << 52) as f64 - 1.0
}

/// Smooth noise in `[-1, 1]` with features about `period_ms` long.
#[must_use]
pub fn smooth(seed: u64, t_ms: i64, period_ms: i64) -> f64 {
    let k = t_ms.div_euclid(period_ms);
    let f = t_ms.rem_euclid(period_ms) as f64 / period_ms as f64;
    let s = f * f * (3.0 - 2.0 * f);
    let (a, b) = (knot(seed, k), knot(seed, k + 1));
    a + (b - a) * s
}

/// Two octaves (minutes and tens of seconds), roughly in `[-1, 1]`: what a real sensor wobble
/// looks like at 15-second resolution.
#[must_use]
pub fn wobble(seed: u64, t_ms: i64) -> f64 {
    0.65 * smooth(seed, t_ms, 7 * 60_000) + 0.35 * smooth(seed ^ 0x0c7a_5e11, t_ms, 53_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn noise_stays_in_range_and_is_deterministic() {
        for i in 0..20_000 {
            let t = 1_760_000_000_000 + i * 15_000;
            let v = wobble(7, t);
            assert!((-1.0..=1.0).contains(&v), "{v}");
            assert_eq!(v.to_bits(), wobble(7, t).to_bits());
        }
    }

    #[test]
    fn noise_is_smooth_between_neighbouring_samples() {
        let mut previous = smooth(3, 0, 60_000);
        for t in (1000..3_600_000).step_by(1000) {
            let v = smooth(3, t, 60_000);
            assert!((v - previous).abs() < 0.1, "jump at {t}");
            previous = v;
        }
    }

    #[test]
    fn noise_averages_near_zero() {
        let n = 50_000;
        let mean: f64 = (0..n).map(|i| wobble(11, i * 15_000)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "{mean}");
    }
}
