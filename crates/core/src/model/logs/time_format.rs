//! Log timestamps in the chosen zone: milliseconds in the list, all nine fractional digits in the
//! details (the exact value Loki sent).

use std::fmt::Write as _;

use crate::model::civil::CivilDateTime;

const NS_PER_MS: i64 = 1_000_000;

/// `2026-11-23 13:37:06.064` at `offset_minutes` east of UTC.
#[must_use]
pub fn format_row_time(ts_ns: i64, offset_minutes: i32) -> String {
    let t = CivilDateTime::from_millis(ts_ns.div_euclid(NS_PER_MS), offset_minutes);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.millisecond
    )
}

/// `2026-11-23T13:37:06.064758174+01:00` (or `Z` at UTC): the exact nanosecond, in the zone.
#[must_use]
pub fn format_precise_time(ts_ns: i64, offset_minutes: i32) -> String {
    let t = CivilDateTime::from_millis(ts_ns.div_euclid(NS_PER_MS), offset_minutes);
    let nanos = i64::from(t.millisecond) * NS_PER_MS + ts_ns.rem_euclid(NS_PER_MS);
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{nanos:09}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    );
    if offset_minutes == 0 {
        out.push('Z');
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let abs = offset_minutes.unsigned_abs();
        let _ = write!(out, "{sign}{:02}:{:02}", abs / 60, abs % 60);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TS: i64 = 1_795_441_026_064_758_174; // 2026-11-23T13:37:06.064758174Z

    #[test]
    fn rows_show_milliseconds_in_the_zone() {
        assert_eq!(format_row_time(TS, 0), "2026-11-23 13:37:06.064");
        assert_eq!(format_row_time(TS, 60), "2026-11-23 14:37:06.064");
        assert_eq!(format_row_time(TS, -300), "2026-11-23 08:37:06.064");
    }

    #[test]
    fn details_keep_every_nanosecond() {
        assert_eq!(format_precise_time(TS, 0), "2026-11-23T13:37:06.064758174Z");
        assert_eq!(
            format_precise_time(TS, 330),
            "2026-11-23T19:07:06.064758174+05:30"
        );
        assert_eq!(
            format_precise_time(TS, -480),
            "2026-11-23T05:37:06.064758174-08:00"
        );
        assert_eq!(format_precise_time(-1, 0), "1969-12-31T23:59:59.999999999Z");
    }
}
