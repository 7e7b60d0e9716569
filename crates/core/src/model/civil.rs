//! Calendar arithmetic on Unix milliseconds: dates, RFC 3339 parse/format, UTC offsets.
//!
//! Dependency-free proleptic Gregorian conversions (Howard Hinnant's `days_from_civil`), enough
//! for axis labels, absolute time ranges and the legacy cut-over dates.

use std::fmt::Write as _;

/// Milliseconds per day.
pub const DAY_MS: i64 = 86_400_000;

/// A calendar date and time of day (no zone), as shown to a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CivilDateTime {
    pub year: i64,
    /// 1–12
    pub month: u32,
    /// 1–31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
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

/// The date of a day number (days since 1970-01-01).
#[must_use]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
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

impl CivilDateTime {
    /// The wall-clock time of `ms` at a fixed UTC offset (minutes east of UTC).
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn from_millis(ms: i64, offset_minutes: i32) -> Self {
        let local = ms + i64::from(offset_minutes) * 60_000;
        let days = local.div_euclid(DAY_MS);
        let in_day = local.rem_euclid(DAY_MS);
        let (year, month, day) = civil_from_days(days);
        CivilDateTime {
            year,
            month,
            day,
            hour: (in_day / 3_600_000) as u32,
            minute: (in_day / 60_000 % 60) as u32,
            second: (in_day / 1000 % 60) as u32,
            millisecond: (in_day % 1000) as u32,
        }
    }

    /// Unix milliseconds of this wall-clock time at a fixed UTC offset.
    #[must_use]
    pub fn to_millis(&self, offset_minutes: i32) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        days * DAY_MS
            + i64::from(self.hour) * 3_600_000
            + i64::from(self.minute) * 60_000
            + i64::from(self.second) * 1000
            + i64::from(self.millisecond)
            - i64::from(offset_minutes) * 60_000
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    #[must_use]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    pub fn weekday_from_monday(&self) -> u32 {
        // 1970-01-01 was a Thursday (3 when Monday is 0).
        (days_from_civil(self.year, self.month, self.day) + 3).rem_euclid(7) as u32
    }
}

/// Number of days in `month` of `year`.
#[must_use]
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Why a date-time text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {input:?}: expected RFC 3339 such as 2024-10-21T00:00:00Z or a date such as 2024-10-21")]
pub struct DateError {
    pub input: String,
}

/// Parses RFC 3339 (`2024-10-21T08:30:00.123Z`, `…+02:00`, space instead of `T`, fraction of any
/// length) or a bare date (`2024-10-21`, midnight UTC) into Unix milliseconds.
///
/// # Errors
/// [`DateError`] when the text is not one of those forms or names an impossible date.
pub fn parse_rfc3339(input: &str) -> Result<i64, DateError> {
    let err = || DateError {
        input: input.to_owned(),
    };
    let text = input.trim();
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Result<u32, DateError> {
        let part = text.get(range).ok_or_else(err)?;
        if part.bytes().all(|c| c.is_ascii_digit()) && !part.is_empty() {
            part.parse().map_err(|_| err())
        } else {
            Err(err())
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(err());
    }
    let year = i64::from(num(0..4)?);
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(err());
    }
    let mut dt = CivilDateTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
    };
    if b.len() == 10 {
        return Ok(dt.to_millis(0));
    }
    if !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') || b.len() < 16 || b[13] != b':' {
        return Err(err());
    }
    dt.hour = num(11..13)?;
    dt.minute = num(14..16)?;
    let mut pos = 16;
    if b.get(pos) == Some(&b':') {
        dt.second = num(pos + 1..pos + 3)?;
        pos += 3;
    }
    if b.get(pos) == Some(&b'.') {
        let start = pos + 1;
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end == start {
            return Err(err());
        }
        let digits = &text[start..end.min(start + 3)];
        let padded = format!("{digits:0<3}");
        dt.millisecond = padded.parse().map_err(|_| err())?;
        pos = end;
    }
    if dt.hour > 23 || dt.minute > 59 || dt.second > 60 {
        return Err(err());
    }
    let offset_minutes: i32 = match b.get(pos) {
        Some(b'Z' | b'z') if pos + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if b.len() == pos + 6 && b[pos + 3] == b':' => {
            let h = i32::try_from(num(pos + 1..pos + 3)?).map_err(|_| err())?;
            let m = i32::try_from(num(pos + 4..pos + 6)?).map_err(|_| err())?;
            let total = h * 60 + m;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        // No zone: UTC, as in Grafana's URL form.
        None => 0,
        _ => return Err(err()),
    };
    Ok(dt.to_millis(offset_minutes))
}

/// Formats Unix milliseconds as RFC 3339 in UTC, with milliseconds only when non-zero.
#[must_use]
pub fn format_rfc3339(ms: i64) -> String {
    let dt = CivilDateTime::from_millis(ms, 0);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
    );
    if dt.millisecond != 0 {
        let _ = write!(out, ".{:03}", dt.millisecond);
    }
    out.push('Z');
    out
}

/// Formats Unix milliseconds as `YYYY-MM-DD HH:MM` at `offset_minutes` from UTC (the browser's
/// zone): how the app shows when something was saved or last used.
#[must_use]
pub fn format_local_minute(ms: i64, offset_minutes: i32) -> String {
    let dt = CivilDateTime::from_millis(ms, offset_minutes);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        dt.year, dt.month, dt.day, dt.hour, dt.minute
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn local_minutes_are_shown_in_the_given_zone() {
        // 2026-12-07T02:46:54.192Z
        let ms = 1_796_611_614_192;
        assert_eq!(format_local_minute(ms, 0), "2026-12-07 02:46");
        assert_eq!(format_local_minute(ms, 60), "2026-12-07 03:46");
        // Across midnight, backwards.
        assert_eq!(format_local_minute(ms, -180), "2026-12-06 23:46");
        assert_eq!(format_local_minute(0, 330), "1970-01-01 05:30");
    }

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_rfc3339("2024-10-21"), Ok(1_729_468_800_000));
        assert_eq!(parse_rfc3339("2024-10-21T00:00:00Z"), Ok(1_729_468_800_000));
        assert_eq!(
            parse_rfc3339("2024-10-21T02:00:00+02:00"),
            Ok(1_729_468_800_000)
        );
        assert_eq!(
            parse_rfc3339("2024-10-21 00:00:00.5Z"),
            Ok(1_729_468_800_500)
        );
        assert_eq!(
            parse_rfc3339("2024-10-21T00:00:00.123456789Z"),
            Ok(1_729_468_800_123)
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_rfc3339("2023-02-29").is_err());
        assert!(parse_rfc3339("2024-13-01").is_err());
        assert!(parse_rfc3339("2024-10-21T25:00:00Z").is_err());
        assert!(parse_rfc3339("yesterday").is_err());
        assert!(parse_rfc3339("2024-10-21T00:00:00Zjunk").is_err());
        assert!(parse_rfc3339("2024-10-21T00:00:00+0200").is_err());
    }

    #[test]
    fn weekday_of_a_known_monday() {
        let monday = CivilDateTime::from_millis(parse_rfc3339("2024-10-21").unwrap_or(0), 0);
        assert_eq!(monday.weekday_from_monday(), 0);
    }

    proptest! {
        #[test]
        fn civil_round_trips(ms in -10_000_000_000_000i64..10_000_000_000_000, offset in -840i32..840) {
            let dt = CivilDateTime::from_millis(ms, offset);
            prop_assert_eq!(dt.to_millis(offset), ms);
        }

        #[test]
        fn rfc3339_round_trips(ms in 0i64..253_402_300_799_000) {
            prop_assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Ok(ms));
        }
    }
}
