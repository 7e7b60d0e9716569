//! A small JSON writer that prints the way Loki's jsoniter encoder does (HTML-escaped log
//! lines, string sample values, `+Inf`/`-Inf`/`NaN`, timestamps as seconds with ≤ 3 decimals).

use std::fmt::Write as _;

use crate::labels::LabelSet;

/// Appends `s` as a JSON string. With `html`, `<`, `>` and `&` become `\u003c`… as
/// jsoniter's `WriteStringWithHTMLEscaped` does for log lines.
pub fn push_str(out: &mut String, s: &str, html: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if html => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a label set as a JSON object.
pub fn push_labels(out: &mut String, labels: &LabelSet) {
    out.push('{');
    for (i, (name, value)) in labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(out, name, false);
        out.push(':');
        push_str(out, value, false);
    }
    out.push('}');
}

/// A sample value as Loki prints it (`model.SampleValue.String()`, Go's `'f', -1` format):
/// shortest round-trip decimal without exponent, `NaN`, `+Inf`, `-Inf`.
#[must_use]
pub fn sample_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

/// A Prometheus timestamp: Unix seconds from ms, with at most 3 decimals (`1714000000.5`).
#[must_use]
pub fn seconds_from_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let frac = ms.rem_euclid(1000);
    if frac == 0 {
        format!("{secs}")
    } else {
        let text = format!("{frac:03}");
        format!("{secs}.{}", text.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_are_html_escaped_labels_are_not() {
        let mut out = String::new();
        push_str(&mut out, "<b>&\"\n\u{1}", true);
        assert_eq!(out, r#""\u003cb\u003e\u0026\"\n\u0001""#);
        let mut out = String::new();
        push_str(&mut out, "<b>", false);
        assert_eq!(out, r#""<b>""#);
    }

    #[test]
    fn sample_values_are_prometheus_strings() {
        assert_eq!(sample_value(3.0), "3");
        assert_eq!(sample_value(0.25), "0.25");
        assert_eq!(sample_value(f64::NAN), "NaN");
        assert_eq!(sample_value(f64::INFINITY), "+Inf");
        assert_eq!(sample_value(f64::NEG_INFINITY), "-Inf");
        assert_eq!(sample_value(1e-7), "0.0000001");
        assert_eq!(sample_value(2.5e21), "2500000000000000000000");
    }

    #[test]
    fn timestamps_have_at_most_three_decimals() {
        assert_eq!(seconds_from_ms(1_714_000_000_000), "1714000000");
        assert_eq!(seconds_from_ms(1_714_000_000_500), "1714000000.5");
        assert_eq!(seconds_from_ms(1_714_000_000_007), "1714000000.007");
    }
}
