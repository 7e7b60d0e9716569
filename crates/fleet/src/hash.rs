//! Deterministic hashing (SplitMix64) so the fleet is the same on every machine and every run.

/// Mixes a list of words into one 64-bit hash.
#[must_use]
pub fn hash64(words: &[u64]) -> u64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for w in words {
        h = splitmix(h ^ w.wrapping_mul(0xbf58_476d_1ce4_e5b9));
    }
    h
}

/// A uniform number in `[0, 1)` from a list of words.
#[must_use]
#[allow(clippy::cast_precision_loss)]
pub fn unit(words: &[u64]) -> f64 {
    (hash64(words) >> 11) as f64 / (1u64 << 53) as f64
}

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_spread() {
        assert_eq!(hash64(&[1, 2]), hash64(&[1, 2]));
        assert_ne!(hash64(&[1, 2]), hash64(&[2, 1]));
        let mean: f64 = (0..10_000u64).map(|i| unit(&[i])).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.02);
    }
}
