//! Series as CSV (a time column, then one column per series), for "Download CSV". Text cells are
//! quoted as RFC 4180 says, and cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
//! `@` first) are prefixed with `'`, so a label value from a hostile server stays text.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::civil::format_rfc3339;
use super::frame::Series;

/// Quotes a text cell when needed and defuses formula prefixes.
#[must_use]
pub fn cell(text: &str) -> String {
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

/// The wide CSV of `series` named `names`: one row per distinct timestamp (RFC 3339, UTC).
#[must_use]
pub fn series_csv(series: &[Series], names: &[String]) -> String {
    let mut out = String::from("Time");
    for (i, _) in series.iter().enumerate() {
        out.push(',');
        out.push_str(&cell(names.get(i).map_or("", String::as_str)));
    }
    out.push('\n');
    let times: BTreeSet<i64> = series
        .iter()
        .flat_map(|s| s.times_ms.iter().copied())
        .collect();
    let mut cursors = vec![0usize; series.len()];
    for t in times {
        out.push_str(&format_rfc3339(t));
        for (i, s) in series.iter().enumerate() {
            out.push(',');
            while cursors[i] < s.times_ms.len() && s.times_ms[cursors[i]] < t {
                cursors[i] += 1;
            }
            if cursors[i] < s.times_ms.len() && s.times_ms[cursors[i]] == t {
                let v = s.values[cursors[i]];
                if v.is_finite() {
                    let _ = write!(out, "{v}");
                } else if v.is_nan() {
                    out.push_str("NaN");
                } else {
                    out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
                }
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::frame::Labels;

    #[test]
    fn aligns_series_on_their_timestamps() {
        let a = Series {
            labels: Labels::default(),
            times_ms: vec![0, 1000],
            values: vec![1.5, f64::NAN],
        };
        let b = Series {
            labels: Labels::default(),
            times_ms: vec![1000],
            values: vec![2.0],
        };
        let csv = series_csv(&[a, b], &["GPU 0".into(), "GPU, 1".into()]);
        assert_eq!(
            csv,
            "Time,GPU 0,\"GPU, 1\"\n1970-01-01T00:00:00Z,1.5,\n1970-01-01T00:00:01Z,NaN,2\n"
        );
    }

    #[test]
    fn formulas_and_quotes_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
    }
}
