//! Allocation-free number formatting for sample lines: integers like `itoa`, and fixed-point
//! decimals with trailing zeros trimmed (`312.457`, `0.41`, `97`), which is what the Prometheus
//! and OpenMetrics parsers read back exactly enough for metrics.

/// Appends the decimal digits of `value`.
pub fn push_u64(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Appends `value` with an optional minus sign.
pub fn push_i64(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    push_u64(out, value.unsigned_abs());
}

/// Appends `value` rounded to at most `decimals` (≤ 9) fractional digits, trailing zeros and a
/// bare decimal point removed. Non-finite values use the exposition formats' spellings.
pub fn push_fixed(out: &mut Vec<u8>, value: f64, decimals: u32) {
    if value.is_nan() {
        out.extend_from_slice(b"NaN");
        return;
    }
    if value.is_infinite() {
        out.extend_from_slice(if value > 0.0 { b"+Inf" } else { b"-Inf" });
        return;
    }
    let decimals = decimals.min(9);
    let scale = 10u64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round();
    if scaled >= 9.0e18 {
        // Too large for fixed point; never happens for GPU metrics, but stay correct.
        out.extend_from_slice(format!("{value:e}").as_bytes());
        return;
    }
    let scaled = scaled as u64;
    if value < 0.0 && scaled != 0 {
        out.push(b'-');
    }
    push_u64(out, scaled / scale);
    let mut frac = scaled % scale;
    if frac == 0 {
        return;
    }
    let mut width = decimals;
    while frac.is_multiple_of(10) {
        frac /= 10;
        width -= 1;
    }
    out.push(b'.');
    let mut digits = [b'0'; 9];
    for slot in digits[..width as usize].iter_mut().rev() {
        *slot = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    out.extend_from_slice(&digits[..width as usize]);
}

/// Appends a Unix-ms timestamp as seconds (`1729468800` or `1729468800.25`), as OpenMetrics wants.
pub fn push_seconds(out: &mut Vec<u8>, t_ms: i64) {
    let secs = t_ms.div_euclid(1000);
    let millis = t_ms.rem_euclid(1000);
    push_i64(out, secs);
    if millis != 0 {
        let mut frac = [b'0'; 3];
        frac[0] = b'0' + (millis / 100) as u8;
        frac[1] = b'0' + (millis / 10 % 10) as u8;
        frac[2] = b'0' + (millis % 10) as u8;
        let width = if millis % 100 == 0 {
            1
        } else if millis % 10 == 0 {
            2
        } else {
            3
        };
        out.push(b'.');
        out.extend_from_slice(&frac[..width]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(value: f64, decimals: u32) -> String {
        let mut out = Vec::new();
        push_fixed(&mut out, value, decimals);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn integers_match_std_formatting() {
        for value in [0u64, 7, 10, 99, 100, 12_345, u64::MAX] {
            let mut out = Vec::new();
            push_u64(&mut out, value);
            assert_eq!(out, value.to_string().as_bytes());
        }
        let mut out = Vec::new();
        push_i64(&mut out, -42);
        push_i64(&mut out, i64::MIN);
        assert_eq!(out, format!("-42{}", i64::MIN).as_bytes());
    }

    #[test]
    fn fixed_point_trims_trailing_zeros() {
        assert_eq!(fixed(312.4567, 3), "312.457");
        assert_eq!(fixed(0.41, 6), "0.41");
        assert_eq!(fixed(97.0, 3), "97");
        assert_eq!(fixed(0.000_000_4, 6), "0");
        assert_eq!(fixed(-0.000_000_4, 6), "0");
        assert_eq!(fixed(-2.5, 1), "-2.5");
        assert_eq!(fixed(0.05, 2), "0.05");
        assert_eq!(fixed(1.999_999_9, 3), "2");
    }

    #[test]
    fn fixed_point_reads_back_close_to_the_value() {
        for i in 0..10_000 {
            let value = f64::from(i) * 0.071_3 - 100.0;
            let text = fixed(value, 3);
            let back: f64 = text.parse().unwrap_or(f64::NAN);
            assert!((back - value).abs() <= 0.000_5 + 1e-9, "{value} -> {text}");
        }
    }

    #[test]
    fn non_finite_values_use_exposition_spellings() {
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        assert_eq!(fixed(f64::INFINITY, 2), "+Inf");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-Inf");
    }

    #[test]
    fn seconds_keep_only_needed_millisecond_digits() {
        let cases = [
            (1_729_468_800_000, "1729468800"),
            (1_729_468_800_500, "1729468800.5"),
            (1_729_468_800_050, "1729468800.05"),
            (1_729_468_800_007, "1729468800.007"),
        ];
        for (ms, text) in cases {
            let mut out = Vec::new();
            push_seconds(&mut out, ms);
            assert_eq!(String::from_utf8_lossy(&out), text);
        }
    }
}
