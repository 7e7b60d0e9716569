//! Times and durations on the command line: RFC 3339 (`2024-10-21T00:00:00Z`, offsets and
//! fractions allowed) or Unix milliseconds, durations like `15s`, `90m`, `14d`; and the compact
//! UTC stamps used in file names (`20241021T000000Z`).

use sightline_fleet::DAY_MS;

/// Unix ms of 2024-10-21T00:00:00Z, the metrics backend cut-over: the legacy Prometheus holds
/// only samples strictly before it.
pub const CUTOVER_MS: i64 = 1_729_468_800_000;

/// Parses `2024-10-21T00:00:00Z`, `2024-10-21T02:00:00.5+02:00`, or Unix ms (`1729468800000`).
#[must_use]
pub fn parse_time(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    parse_rfc3339(text)
}

fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut millis = 0i64;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 3 {
                millis = millis * 10 + i64::from(b[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..3 {
            millis *= 10;
        }
    }
    let offset_min = match text.get(at..)? {
        "Z" | "z" => 0,
        zone if zone.len() == 6
            && (zone.starts_with('+') || zone.starts_with('-'))
            && zone.as_bytes()[3] == b':' =>
        {
            let hours = num(at + 1..at + 3)?;
            let minutes = num(at + 4..at + 6)?;
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * DAY_MS + ((hour * 60 + minute - offset_min) * 60 + second) * 1000 + millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `2024-10-21T00:00:00Z` (milliseconds shown only when present).
#[must_use]
pub fn format_rfc3339(t_ms: i64) -> String {
    let (year, month, day) = civil_from_days(t_ms.div_euclid(DAY_MS));
    let in_day = t_ms.rem_euclid(DAY_MS);
    let (h, m, s, ms) = (
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000,
    );
    if ms == 0 {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
    } else {
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
    }
}

/// `20241021T000000Z`, for file names.
#[must_use]
pub fn compact_stamp(t_ms: i64) -> String {
    format_rfc3339(t_ms.div_euclid(1000) * 1000).replace(['-', ':'], "")
}

/// Parses `500ms`, `15s`, `5m`, `2h`, `14d`, `1w` (a bare number means seconds) into ms.
#[must_use]
pub fn parse_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let count: i64 = digits.parse().ok()?;
    let unit_ms = match unit {
        "ms" => 1,
        "" | "s" => 1000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => DAY_MS,
        "w" => 7 * DAY_MS,
        _ => return None,
    };
    count.checked_mul(unit_ms).filter(|ms| *ms > 0)
}

/// `15s`, `18h`, `1d 2h`… for messages.
#[must_use]
pub fn format_duration(ms: i64) -> String {
    for (unit, size) in [("d", DAY_MS), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] {
        if ms >= size && ms % size == 0 {
            return format!("{}{unit}", ms / size);
        }
    }
    format!("{ms}ms")
}

/// The current time, Unix ms.
#[must_use]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_and_unix_ms_agree_on_the_cutover() {
        assert_eq!(parse_time("2024-10-21T00:00:00Z"), Some(CUTOVER_MS));
        assert_eq!(parse_time("1729468800000"), Some(CUTOVER_MS));
        assert_eq!(parse_time("2024-10-21T02:00:00+02:00"), Some(CUTOVER_MS));
        assert_eq!(
            parse_time("2024-10-20T19:00:00.250-05:00"),
            Some(CUTOVER_MS + 250)
        );
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time("2000-02-29T12:00:00Z"), Some(951_825_600_000));
    }

    #[test]
    fn malformed_times_are_rejected() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-10-21",
            "2024-10-21T00:00:00",
            "2024-10-21T00:00:00.Z",
            "-5",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn formatting_round_trips() {
        for t in [
            0,
            CUTOVER_MS,
            CUTOVER_MS + 123,
            951_825_600_000,
            1_795_000_000_000,
        ] {
            assert_eq!(parse_time(&format_rfc3339(t)), Some(t));
        }
        assert_eq!(compact_stamp(CUTOVER_MS), "20241021T000000Z");
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("15s"), Some(15_000));
        assert_eq!(parse_duration("60"), Some(60_000));
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("14d"), Some(14 * DAY_MS));
        assert_eq!(parse_duration("18h"), Some(18 * 3_600_000));
        for bad in ["", "0s", "s", "5x", "-1s", "1.5s"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
        assert_eq!(format_duration(15_000), "15s");
        assert_eq!(format_duration(18 * 3_600_000), "18h");
        assert_eq!(format_duration(1500), "1500ms");
    }
}
