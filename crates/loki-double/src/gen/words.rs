//! Small vocabularies the line templates draw from, and helpers to pick from them by hash.

/// Picks an element by hash (`bits` selects which hash bits to use).
#[must_use]
pub fn pick<T: Copy>(items: &[T], hash: u64, bits: u32) -> T {
    let n = items.len().max(1) as u64;
    items[((hash >> bits) % n) as usize % items.len().max(1)]
}

/// A number in `[lo, hi)` from hash bits.
#[must_use]
pub fn range(hash: u64, bits: u32, lo: u64, hi: u64) -> u64 {
    lo + (hash.rotate_right(bits) % (hi - lo).max(1))
}

/// A float in `[0, 1)` from hash bits.
#[must_use]
pub fn frac(hash: u64, bits: u32) -> f64 {
    (hash.rotate_right(bits) % 1_000_000) as f64 / 1_000_000.0
}

/// A UUID (v4-shaped) from a hash.
#[must_use]
pub fn uuid(hash: u64) -> String {
    let b = sightline_fleet::hash::hash64(&[hash, 7]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hash >> 32,
        (hash >> 16) & 0xffff,
        hash & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// A private client address in the fleet's 10.x range.
#[must_use]
pub fn client_ip(hash: u64) -> String {
    format!(
        "10.{}.{}.{}",
        20 + (hash >> 8) % 4,
        (hash >> 16) % 250 + 1,
        (hash >> 24) % 250 + 2
    )
}

pub const HTTP_ERRORS: [(u16, &str); 3] = [
    (500, "Internal Server Error"),
    (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
];
