//! Loki's HTTP parameter rules (`pkg/loghttp/params.go`): times, durations, limits, direction,
//! bounds and the default step, with the same error texts.

use crate::timefmt::{parse_rfc3339, NS_PER_MS, NS_PER_SEC};

/// A parameter that Loki would reject with 400; the text is Loki's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError(pub String);

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Order of returned log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Backward,
}

/// Parses a timestamp parameter into Unix ns: float seconds (if it has a dot), an integer
/// (≤ 10 digits = seconds, else ns), or RFC 3339. Empty → `default`.
pub fn parse_timestamp(value: &str, default: i64) -> Result<i64, ParamError> {
    if value.is_empty() {
        return Ok(default);
    }
    if value.contains('.') {
        if let Ok(t) = value.parse::<f64>() {
            if t.is_finite() {
                let secs = t.trunc();
                let frac = ((t - secs) * 1000.0).round() / 1000.0;
                let ns = (secs as i64)
                    .saturating_mul(NS_PER_SEC)
                    .saturating_add((frac * NS_PER_SEC as f64) as i64);
                return Ok(ns);
            }
        }
    }
    match parse_go_int(value) {
        Ok(n) if value.len() <= 10 => Ok(n.saturating_mul(NS_PER_SEC)),
        Ok(n) => Ok(n),
        Err(err) => parse_rfc3339(value).ok_or(ParamError(err)),
    }
}

/// `strconv.ParseInt(value, 10, 64)` with Go's error texts.
fn parse_go_int(value: &str) -> Result<i64, String> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.ParseInt: parsing {}: invalid syntax",
            go_quote(value)
        ));
    }
    value.parse::<i64>().map_err(|_| {
        format!(
            "strconv.ParseInt: parsing {}: value out of range",
            go_quote(value)
        )
    })
}

/// `strconv.Atoi` with Go's error texts.
pub fn parse_go_atoi(value: &str) -> Result<i64, ParamError> {
    parse_go_int(value).map_err(|e| ParamError(e.replace("strconv.ParseInt", "strconv.Atoi")))
}

fn go_quote(s: &str) -> String {
    let mut out = String::new();
    let _ = crate::labels::write_go_quoted(&mut out, s);
    out
}

/// Prometheus `model.ParseDuration`: `[0-9]+(ms|[smhdwy])` repeated, largest unit first; → ns.
pub fn parse_prom_duration(value: &str) -> Result<i64, ParamError> {
    let invalid = || ParamError(format!("not a valid duration string: {}", go_quote(value)));
    if value == "0" {
        return Ok(0);
    }
    if value.is_empty() {
        return Err(ParamError("empty duration string".to_string()));
    }
    let units: [(&str, i64); 7] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1000),
        ("ms", 1),
    ];
    let mut rest = value;
    let mut total_ms: i64 = 0;
    let mut last_unit = 0usize;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(invalid());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let (index, (unit, size)) = units
            .iter()
            .enumerate()
            .filter(|(_, (u, _))| rest.starts_with(u))
            .max_by_key(|(_, (u, _))| u.len())
            .ok_or_else(invalid)?;
        if index < last_unit {
            return Err(invalid());
        }
        last_unit = index + 1;
        rest = &rest[unit.len()..];
        total_ms = n
            .checked_mul(*size)
            .and_then(|v| total_ms.checked_add(v))
            .ok_or_else(invalid)?;
    }
    total_ms.checked_mul(NS_PER_MS).ok_or_else(invalid)
}

/// Loki's `parseSecondsOrDuration` (for `step` and `interval`): float seconds or a duration.
pub fn parse_seconds_or_duration(value: &str) -> Result<i64, ParamError> {
    if let Ok(secs) = value.trim().parse::<f64>() {
        if value.trim() == value {
            let ns = secs * NS_PER_SEC as f64;
            if !ns.is_finite() || ns > i64::MAX as f64 || ns < i64::MIN as f64 {
                return Err(ParamError(format!(
                    "cannot parse {} to a valid duration. It overflows int64",
                    go_quote(value)
                )));
            }
            return Ok(ns as i64);
        }
    }
    parse_prom_duration(value).map_err(|_| {
        ParamError(format!(
            "cannot parse {} to a valid duration",
            go_quote(value)
        ))
    })
}

/// `limit` (default 100, must be positive and fit u32).
pub fn parse_limit(value: &str) -> Result<u32, ParamError> {
    if value.is_empty() {
        return Ok(100);
    }
    let n = parse_go_atoi(value)?;
    if n <= 0 {
        return Err(ParamError("limit must be a positive value".to_string()));
    }
    u32::try_from(n)
        .map_err(|_| ParamError(format!("limit value {n} is out of range [0, {}]", u32::MAX)))
}

/// `direction` (default backward; case-insensitive `forward`/`backward`).
pub fn parse_direction(value: &str) -> Result<Direction, ParamError> {
    match value.to_ascii_uppercase().as_str() {
        "" | "BACKWARD" => Ok(Direction::Backward),
        "FORWARD" => Ok(Direction::Forward),
        _ => Err(ParamError(format!("invalid direction '{value}'"))),
    }
}

/// `start`/`end`/`since` → `[start, end)` in ns, Loki's `determineBounds`.
pub fn parse_bounds(
    start: &str,
    end: &str,
    since: &str,
    now_ns: i64,
) -> Result<(i64, i64), ParamError> {
    let since_ns = if since.is_empty() {
        3600 * NS_PER_SEC
    } else {
        parse_prom_duration(since)
            .map_err(|e| ParamError(format!("could not parse 'since' parameter: {e}")))?
    };
    let end_ns = parse_timestamp(end, now_ns)
        .map_err(|e| ParamError(format!("could not parse 'end' parameter: {e}")))?;
    let end_or_now = end_ns.min(now_ns);
    let start_ns = parse_timestamp(start, end_or_now.saturating_sub(since_ns))
        .map_err(|e| ParamError(format!("could not parse 'start' parameter: {e}")))?;
    Ok((start_ns, end_ns))
}

/// Loki's default step: `max(floor(range_s / 250), 1)` seconds, in ns.
#[must_use]
pub fn default_step_ns(start_ns: i64, end_ns: i64) -> i64 {
    let range_s = end_ns.saturating_sub(start_ns) as f64 / NS_PER_SEC as f64;
    ((range_s / 250.0).floor().max(1.0) as i64) * NS_PER_SEC
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_digit_integers_are_seconds_longer_ones_nanoseconds() {
        assert_eq!(
            parse_timestamp("1714000000", 0),
            Ok(1_714_000_000 * NS_PER_SEC)
        );
        assert_eq!(parse_timestamp("17140000000", 0), Ok(17_140_000_000));
        assert_eq!(
            parse_timestamp("1714000000123456789", 0),
            Ok(1_714_000_000_123_456_789)
        );
        assert_eq!(parse_timestamp("0", 0), Ok(0));
        assert_eq!(parse_timestamp("-5", 0), Ok(-5 * NS_PER_SEC));
    }

    #[test]
    fn float_seconds_keep_millisecond_precision() {
        assert_eq!(
            parse_timestamp("1714000000.5", 0),
            Ok(1_714_000_000_500_000_000)
        );
        assert_eq!(parse_timestamp("1.0004", 0), Ok(NS_PER_SEC));
    }

    #[test]
    fn rfc3339_and_defaults_are_accepted() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:01Z", 0), Ok(NS_PER_SEC));
        assert_eq!(parse_timestamp("", 42), Ok(42));
    }

    #[test]
    fn bad_timestamps_carry_go_errors() {
        let err = parse_timestamp("yesterday", 0).unwrap_err();
        assert_eq!(
            err.0,
            r#"strconv.ParseInt: parsing "yesterday": invalid syntax"#
        );
        let err = parse_timestamp("99999999999999999999", 0).unwrap_err();
        assert!(err.0.ends_with("value out of range"), "{err}");
        let err = parse_bounds("", "x", "", 0).unwrap_err();
        assert_eq!(
            err.0,
            r#"could not parse 'end' parameter: strconv.ParseInt: parsing "x": invalid syntax"#
        );
    }

    #[test]
    fn bounds_default_to_the_last_hour_and_since_moves_start() {
        let now = 10_000 * NS_PER_SEC;
        assert_eq!(
            parse_bounds("", "", "", now),
            Ok((now - 3600 * NS_PER_SEC, now))
        );
        assert_eq!(
            parse_bounds("", "", "5m", now),
            Ok((now - 300 * NS_PER_SEC, now))
        );
        // An end in the future: start is `since` before now, not before end.
        let (start, end) = parse_bounds("", "20000", "1h", now).unwrap();
        assert_eq!((start, end), (now - 3600 * NS_PER_SEC, 20_000 * NS_PER_SEC));
    }

    #[test]
    fn durations_follow_prometheus_rules() {
        assert_eq!(parse_prom_duration("1h30m"), Ok(5400 * NS_PER_SEC));
        assert_eq!(parse_prom_duration("500ms"), Ok(500 * NS_PER_MS));
        assert_eq!(parse_prom_duration("2d"), Ok(172_800 * NS_PER_SEC));
        assert!(parse_prom_duration("30m1h").is_err());
        assert!(parse_prom_duration("1.5h").is_err());
        assert!(parse_prom_duration("h").is_err());
        assert_eq!(parse_seconds_or_duration("15"), Ok(15 * NS_PER_SEC));
        assert_eq!(parse_seconds_or_duration("0.5"), Ok(NS_PER_SEC / 2));
        assert_eq!(parse_seconds_or_duration("1m"), Ok(60 * NS_PER_SEC));
        assert_eq!(
            parse_seconds_or_duration("abc").unwrap_err().0,
            r#"cannot parse "abc" to a valid duration"#
        );
    }

    #[test]
    fn limits_and_directions_validate_like_loki() {
        assert_eq!(parse_limit(""), Ok(100));
        assert_eq!(parse_limit("5000"), Ok(5000));
        assert_eq!(
            parse_limit("0").unwrap_err().0,
            "limit must be a positive value"
        );
        assert_eq!(
            parse_limit("x").unwrap_err().0,
            r#"strconv.Atoi: parsing "x": invalid syntax"#
        );
        assert!(parse_limit("4294967296").is_err());
        assert_eq!(parse_direction("FORWARD"), Ok(Direction::Forward));
        assert_eq!(parse_direction(""), Ok(Direction::Backward));
        assert_eq!(
            parse_direction("up").unwrap_err().0,
            "invalid direction 'up'"
        );
    }

    #[test]
    fn default_step_is_range_over_250_at_least_one_second() {
        assert_eq!(default_step_ns(0, 3600 * NS_PER_SEC), 14 * NS_PER_SEC);
        assert_eq!(default_step_ns(0, 10 * NS_PER_SEC), NS_PER_SEC);
        assert_eq!(
            default_step_ns(0, 14 * 86_400 * NS_PER_SEC),
            4838 * NS_PER_SEC
        );
    }
}
