//! The `U__` escaping of UTF-8 label names in the `/api/v1/label/<name>/values` path.
//!
//! Prometheus (and compatible servers) unescape a path segment that starts with `U__`: `_` is
//! written `__`, `[A-Za-z0-9:]` stay (no digit first), and any other code point is `_<hex>_`.
//! Example: `http.status_code` → `U__http_2e_status__code`. Classic names go as they are.

use std::fmt::Write as _;

/// True for a name Prometheus accepts without quoting: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
fn is_classic_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The path segment for label `name` in `/api/v1/label/<segment>/values`.
///
/// A classic name is sent as is, except one that itself starts with `U__`: the server would
/// unescape it, so it is escaped too (`U__x` → `U__U____x`, which unescapes back to `U__x`).
#[must_use]
pub fn escape_label_name(name: &str) -> String {
    if is_classic_name(name) && !name.starts_with("U__") {
        return name.to_owned();
    }
    let mut out = String::with_capacity(name.len() + 8);
    out.push_str("U__");
    for (i, c) in name.chars().enumerate() {
        if c == '_' {
            out.push_str("__");
        } else if c.is_ascii_alphabetic() || c == ':' || (c.is_ascii_digit() && i > 0) {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn classic_names_are_sent_unchanged() {
        assert_eq!(escape_label_name("job"), "job");
        assert_eq!(escape_label_name("__name__"), "__name__");
        assert_eq!(escape_label_name("le"), "le");
    }

    /// The API docs show `U__http_2e_status_code`, which contradicts their own rule ("convert
    /// single underscores to double underscores") and `model.EscapeName` in prometheus/common,
    /// both of which give `status__code`; the server's `UnescapeName` needs the doubled form.
    #[test]
    fn the_documented_example_escapes_the_dot_and_doubles_underscores() {
        assert_eq!(
            escape_label_name("http.status_code"),
            "U__http_2e_status__code"
        );
    }

    #[test]
    fn other_code_points_leading_digits_and_slashes_become_hex() {
        assert_eq!(escape_label_name("k8s.io/app"), "U__k8s_2e_io_2f_app");
        assert_eq!(escape_label_name("1st"), "U___31_st");
        assert_eq!(escape_label_name("café"), "U__caf_e9_");
        assert_eq!(escape_label_name("a b"), "U__a_20_b");
        assert_eq!(escape_label_name("日"), "U___65e5_");
    }

    #[test]
    fn a_classic_name_that_looks_escaped_is_escaped_again() {
        assert_eq!(escape_label_name("U__x"), "U__U____x");
    }

    #[test]
    fn escaped_segments_need_no_percent_encoding() {
        let escaped = escape_label_name("ünïcödé/with spaces?&#");
        assert!(
            escaped
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{escaped}"
        );
    }
}
