//! Calendar arithmetic and RFC 3339 parsing/printing without a date crate (UTC only).

/// Nanoseconds in a second.
pub const NS_PER_SEC: i64 = 1_000_000_000;
/// Nanoseconds in a millisecond.
pub const NS_PER_MS: i64 = 1_000_000;
/// Nanoseconds in a minute.
pub const NS_PER_MIN: i64 = 60 * NS_PER_SEC;

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
#[must_use]
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date for a number of days since 1970-01-01: (year, month 1–12, day 1–31).
#[must_use]
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanos: u32,
}

impl Civil {
    /// Splits a Unix time in nanoseconds.
    #[must_use]
    pub fn from_unix_ns(ns: i64) -> Self {
        let secs = ns.div_euclid(NS_PER_SEC);
        let nanos = ns.rem_euclid(NS_PER_SEC) as u32;
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        let sod = secs.rem_euclid(86_400) as u32;
        Self {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod / 60 % 60,
            second: sod % 60,
            nanos,
        }
    }
}

/// `2025-03-01T13:20:01.123456789Z` (always 9 fraction digits, like RFC3339Nano padded).
#[must_use]
pub fn format_rfc3339_nanos(ns: i64) -> String {
    let c = Civil::from_unix_ns(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.nanos
    )
}

/// `2025-03-01T13:20:01.123456Z` (microseconds, as Kubernetes audit events print them).
#[must_use]
pub fn format_rfc3339_micros(ns: i64) -> String {
    let c = Civil::from_unix_ns(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / 1000
    )
}

/// `2025-03-01T13:20:01Z` (whole seconds).
#[must_use]
pub fn format_rfc3339_secs(ns: i64) -> String {
    let c = Civil::from_unix_ns(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Parses RFC 3339 with optional fraction (Go's `time.RFC3339Nano` layout) into Unix ns.
/// Returns `None` for anything else, or for times outside the `i64` nanosecond range.
#[must_use]
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        let part = s.get(from..to)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let year = i64::from(num(0, 4)?);
    let (month, day) = (num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos: i64 = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        let padded = format!("{:0<9}", &frac[..digits]);
        nanos = padded.parse().ok()?;
        rest = &frac[digits..];
    }
    let offset_secs: i64 = match rest {
        "Z" => 0,
        _ => {
            let rb = rest.as_bytes();
            if rb.len() != 6 || rb[3] != b':' || !(rb[0] == b'+' || rb[0] == b'-') {
                return None;
            }
            let h = i64::from(num_in(rest, 1, 3)?);
            let m = i64::from(num_in(rest, 4, 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let sign = if rb[0] == b'-' { -1 } else { 1 };
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset_secs;
    secs.checked_mul(NS_PER_SEC)?.checked_add(nanos)
}

fn num_in(s: &str, from: usize, to: usize) -> Option<u32> {
    let part = s.get(from..to)?;
    if part.bytes().all(|c| c.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// Go's `time.Duration.String()` for whole-second-or-coarser durations: `721h0m0s`, `1m30s`.
#[must_use]
pub fn go_duration_string(ns: i64) -> String {
    if ns == 0 {
        return "0s".to_string();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let total = ns.unsigned_abs();
    let secs = total / 1_000_000_000;
    let frac = total % 1_000_000_000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let s_text = if frac == 0 {
        format!("{s}")
    } else {
        let f = format!("{frac:09}");
        format!("{s}.{}", f.trim_end_matches('0'))
    };
    if h > 0 {
        format!("{sign}{h}h{m}m{s_text}s")
    } else if m > 0 {
        format!("{sign}{m}m{s_text}s")
    } else {
        format!("{sign}{s_text}s")
    }
}

/// Prometheus' `model.Duration.String()`: largest units first, `30d1h`, `5m`, `0s`.
#[must_use]
pub fn prom_duration_string(ms: i64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut left = ms.unsigned_abs();
    let mut out = String::new();
    if ms < 0 {
        out.push('-');
    }
    for (unit, size) in [
        ("y", 365 * 86_400_000u64),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ] {
        if left >= size {
            out.push_str(&format!("{}{unit}", left / size));
            left %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trips_across_eras() {
        for days in [-800_000, -1, 0, 1, 19_000, 20_148, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2025, 3, 1), 20_148);
    }

    #[test]
    fn rfc3339_parses_fractions_and_offsets() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:01.5Z"), Some(1_500_000_000));
        assert_eq!(parse_rfc3339("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(
            parse_rfc3339("2025-03-01T00:00:00.000000001Z"),
            Some(1_740_787_200_000_000_001)
        );
        assert_eq!(parse_rfc3339("2025-02-30T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2025-03-01 00:00:00Z"), None);
        assert_eq!(parse_rfc3339("2025-03-01T00:00:00"), None);
        assert_eq!(parse_rfc3339("2025-03-01T00:00:00.Z"), None);
        assert_eq!(
            parse_rfc3339("9999-12-31T23:59:59Z"),
            None,
            "outside i64 ns"
        );
    }

    #[test]
    fn rfc3339_formats_round_trip() {
        let ns = 1_740_787_200_123_456_789;
        assert_eq!(format_rfc3339_nanos(ns), "2025-03-01T00:00:00.123456789Z");
        assert_eq!(parse_rfc3339(&format_rfc3339_nanos(ns)), Some(ns));
        assert_eq!(format_rfc3339_micros(ns), "2025-03-01T00:00:00.123456Z");
    }

    #[test]
    fn durations_print_like_go_and_prometheus() {
        assert_eq!(go_duration_string(721 * 3600 * NS_PER_SEC), "721h0m0s");
        assert_eq!(go_duration_string(90 * NS_PER_SEC), "1m30s");
        assert_eq!(prom_duration_string(721 * 3_600_000), "4w2d1h");
        assert_eq!(prom_duration_string(300_000), "5m");
    }
}
