//! Fields inside a log line: JSON members flattened the way Loki's `| json` names them
//! (`user.username` → `user_username`), logfmt pairs, and JSON pretty-printing for the details
//! view.

use serde_json::Value;

/// How a line is structured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineFormat {
    Json,
    Logfmt,
    Text,
}

/// The fields of `line` and how they were found: a JSON object's members (nested keys joined
/// with `_`, arrays left out as Loki does), else logfmt pairs (at least two, so prose with one
/// `=` is not taken for logfmt), else nothing.
#[must_use]
pub fn line_fields(line: &str) -> (LineFormat, Vec<(String, String)>) {
    if let Some(fields) = json_fields(line) {
        return (LineFormat::Json, fields);
    }
    let pairs = logfmt_fields(line);
    if pairs.len() >= 2 {
        return (LineFormat::Logfmt, pairs);
    }
    (LineFormat::Text, Vec::new())
}

/// The members of a JSON object line, flattened; `None` when the line is not a JSON object.
#[must_use]
pub fn json_fields(line: &str) -> Option<Vec<(String, String)>> {
    let trimmed = line.trim();
    if !trimmed.starts_with('{') {
        return None;
    }
    let Value::Object(map) = serde_json::from_str::<Value>(trimmed).ok()? else {
        return None;
    };
    let mut out = Vec::new();
    flatten("", &Value::Object(map), &mut out);
    Some(out)
}

fn flatten(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let name = sanitize_key(key);
                let joined = if prefix.is_empty() {
                    name
                } else {
                    format!("{prefix}_{name}")
                };
                flatten(&joined, inner, out);
            }
        }
        Value::Array(_) => {}
        Value::String(text) => out.push((prefix.to_owned(), text.clone())),
        Value::Null => out.push((prefix.to_owned(), String::new())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// A key as a Loki label name: characters other than ASCII letters, digits and `_` become `_`,
/// and a leading digit gets a `_` prefix.
#[must_use]
pub fn sanitize_key(key: &str) -> String {
    let mut name: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// `key=value` pairs of a logfmt line; quoted values may contain spaces and `\"`.
#[must_use]
pub fn logfmt_fields(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut key_end = start;
        while let Some(&(i, c)) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key_end = i + c.len_utf8();
            chars.next();
        }
        let key = &line[start..key_end];
        if chars.peek().map(|&(_, c)| c) != Some('=') {
            continue;
        }
        chars.next();
        let mut value = String::new();
        if chars.peek().map(|&(_, c)| c) == Some('"') {
            chars.next();
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(match escaped {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                    }
                    '"' => break,
                    other => value.push(other),
                }
            }
        } else {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        if !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            out.push((sanitize_key(key), value));
        }
    }
    out
}

/// The line pretty-printed when it is a JSON object or array, members kept in their order.
#[must_use]
pub fn pretty_json(line: &str) -> Option<String> {
    let trimmed = line.trim();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    let value: Value = serde_json::from_str(trimmed).ok()?;
    serde_json::to_string_pretty(&value).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn nested_json_members_are_named_as_loki_names_them() {
        let line = r#"{"verb":"get","user":{"username":"alice","groups":["a"]},"objectRef":{"resource":"pods"},"annotations":{"authorization.k8s.io/decision":"allow"},"responseStatus":{"code":403}}"#;
        let (format, fields) = line_fields(line);
        assert_eq!(format, LineFormat::Json);
        let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("verb"), Some("get"));
        assert_eq!(get("user_username"), Some("alice"));
        assert_eq!(get("user_groups"), None, "arrays are skipped");
        assert_eq!(get("objectRef_resource"), Some("pods"));
        assert_eq!(
            get("annotations_authorization_k8s_io_decision"),
            Some("allow")
        );
        assert_eq!(get("responseStatus_code"), Some("403"));
    }

    #[test]
    fn logfmt_pairs_keep_quoted_values_whole() {
        let (format, fields) =
            line_fields(r#"ts=2024-01-01T00:00:00Z level=info msg="step done \"ok\"" loss=1.25"#);
        assert_eq!(format, LineFormat::Logfmt);
        assert_eq!(
            fields,
            vec![
                ("ts".to_owned(), "2024-01-01T00:00:00Z".to_owned()),
                ("level".to_owned(), "info".to_owned()),
                ("msg".to_owned(), "step done \"ok\"".to_owned()),
                ("loss".to_owned(), "1.25".to_owned()),
            ]
        );
    }

    #[test]
    fn prose_is_neither_json_nor_logfmt() {
        assert_eq!(line_fields("GET /healthz 200").0, LineFormat::Text);
        assert_eq!(line_fields("x = 1 happened").0, LineFormat::Text);
        assert_eq!(line_fields("{not json").0, LineFormat::Text);
    }

    #[test]
    fn json_is_pretty_printed_in_member_order() {
        assert_eq!(
            pretty_json(r#"{"b":1,"a":{"c":[1,2]}}"#).unwrap(),
            "{\n  \"b\": 1,\n  \"a\": {\n    \"c\": [\n      1,\n      2\n    ]\n  }\n}"
        );
        assert_eq!(pretty_json("plain"), None);
    }
}
