//! Allocation-free number and time writers for the hot path of line rendering (the std
//! formatting machinery, especially for floats, dominated generation time).

use crate::timefmt::Civil;

/// Appends `n` in decimal.
pub fn push_u64(buf: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        buf.push(char::from(*d));
    }
}

/// Appends `n` zero-padded to `width` digits.
pub fn push_padded(buf: &mut String, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut v = n;
    let mut used = 0;
    while v > 0 && used < 20 {
        digits[19 - used] = b'0' + (v % 10) as u8;
        v /= 10;
        used += 1;
    }
    let take = width.max(used).min(20);
    for d in &digits[20 - take..] {
        buf.push(char::from(*d));
    }
}

/// Appends a non-negative `v` with exactly `decimals` fraction digits (rounded).
pub fn push_fixed(buf: &mut String, v: f64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let scaled = (v.max(0.0) * scale as f64).round() as u64;
    push_u64(buf, scaled / scale);
    if decimals > 0 {
        buf.push('.');
        push_padded(buf, scaled % scale, decimals as usize);
    }
}

/// Appends `2025-03-01T13:20:01.123456789Z`.
pub fn push_rfc3339_nanos(buf: &mut String, ns: i64) {
    let c = Civil::from_unix_ns(ns);
    push_date_time(buf, &c, 'T');
    buf.push('.');
    push_padded(buf, u64::from(c.nanos), 9);
    buf.push('Z');
}

/// Appends `2025-03-01T13:20:01.123456Z` (microseconds, as audit events print them).
pub fn push_rfc3339_micros(buf: &mut String, ns: i64) {
    let c = Civil::from_unix_ns(ns);
    push_date_time(buf, &c, 'T');
    buf.push('.');
    push_padded(buf, u64::from(c.nanos / 1000), 6);
    buf.push('Z');
}

/// Appends `2025-03-01<sep>13:20:01`.
pub fn push_date_time(buf: &mut String, c: &Civil, sep: char) {
    push_padded(buf, c.year.unsigned_abs(), 4);
    buf.push('-');
    push_padded(buf, u64::from(c.month), 2);
    buf.push('-');
    push_padded(buf, u64::from(c.day), 2);
    buf.push(sep);
    push_padded(buf, u64::from(c.hour), 2);
    buf.push(':');
    push_padded(buf, u64::from(c.minute), 2);
    buf.push(':');
    push_padded(buf, u64::from(c.second), 2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writers_match_std_formatting() {
        for (v, d) in [(0.0, 4), (1.23456, 4), (2.5, 1), (41_234.0, 0), (0.0004, 3)] {
            let mut s = String::new();
            push_fixed(&mut s, v, d);
            assert_eq!(s, format!("{v:.prec$}", prec = d as usize));
        }
        let mut s = String::new();
        push_u64(&mut s, 1_234_567_890);
        push_padded(&mut s, 42, 5);
        assert_eq!(s, "123456789000042");
        let ns = 1_740_787_200_123_456_789;
        let mut s = String::new();
        push_rfc3339_nanos(&mut s, ns);
        assert_eq!(s, crate::timefmt::format_rfc3339_nanos(ns));
    }
}
