//! The `json` and `logfmt` parsers: flattening JSON objects into labels, evaluating JSON
//! extraction paths (`user.groups`, `a[0]`, `a["b c"]`) and reading logfmt pairs.

use serde_json::Value;

use crate::labels::sanitize_label_name;

/// Why a parser could not read a line (becomes `__error_details__`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

/// All scalar fields of a JSON object line, nested keys joined with `_`; arrays are skipped.
pub fn json_fields(line: &str) -> Result<Vec<(String, String)>, ExtractError> {
    let value: Value = serde_json::from_str(line).map_err(|e| ExtractError(e.to_string()))?;
    let Value::Object(map) = value else {
        return Err(ExtractError(
            "Value looks like object, but can't find closing '}' symbol".to_string(),
        ));
    };
    let mut out = Vec::new();
    flatten("", &map, &mut out);
    Ok(out)
}

fn flatten(prefix: &str, map: &serde_json::Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (key, value) in map {
        let name = if prefix.is_empty() {
            sanitize_label_name(key)
        } else {
            format!("{prefix}_{}", sanitize_label_name(key))
        };
        match value {
            Value::Object(inner) => flatten(&name, inner, out),
            Value::Array(_) => {}
            Value::Null => out.push((name, String::new())),
            scalar => out.push((name, scalar_text(scalar))),
        }
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One step of a JSON extraction path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<PathStep>> {
    let mut steps = Vec::new();
    let chars: Vec<char> = path.chars().collect();
    let mut i = 0;
    let mut key = String::new();
    while i < chars.len() {
        match chars[i] {
            '.' => {
                if !key.is_empty() {
                    steps.push(PathStep::Key(std::mem::take(&mut key)));
                }
                i += 1;
            }
            '[' => {
                if !key.is_empty() {
                    steps.push(PathStep::Key(std::mem::take(&mut key)));
                }
                let close = chars[i..].iter().position(|&c| c == ']')? + i;
                let inner: String = chars[i + 1..close].iter().collect();
                let inner = inner.trim();
                if let Some(quoted) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    steps.push(PathStep::Key(quoted.to_string()));
                } else {
                    steps.push(PathStep::Index(inner.parse().ok()?));
                }
                i = close + 1;
            }
            c => {
                key.push(c);
                i += 1;
            }
        }
    }
    if !key.is_empty() {
        steps.push(PathStep::Key(key));
    }
    Some(steps)
}

/// Evaluates `path` against a JSON line: scalars as text, objects and arrays as compact JSON,
/// missing fields as `""`. `None` if the line is not JSON.
pub fn json_path_values(line: &str, paths: &[&str]) -> Result<Vec<String>, ExtractError> {
    let root: Value = serde_json::from_str(line).map_err(|e| ExtractError(e.to_string()))?;
    Ok(paths
        .iter()
        .map(|path| {
            let Some(steps) = parse_path(path) else {
                return String::new();
            };
            let mut node = &root;
            for step in &steps {
                let next = match step {
                    PathStep::Key(k) => node.get(k.as_str()),
                    PathStep::Index(i) => node.get(*i),
                };
                match next {
                    Some(n) => node = n,
                    None => return String::new(),
                }
            }
            match node {
                Value::Object(_) | Value::Array(_) => node.to_string(),
                scalar => scalar_text(scalar),
            }
        })
        .collect())
}

/// Reads logfmt `key=value key2="quoted value" flag` pairs. Bare keys get `""`.
/// With `strict`, a malformed pair is an error; otherwise it is skipped.
pub fn logfmt_fields(line: &str, strict: bool) -> Result<Vec<(String, String)>, ExtractError> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() || c == '"' {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.is_empty() {
            if strict {
                return Err(ExtractError(
                    "logfmt syntax error: unexpected '=' or '\"'".to_string(),
                ));
            }
            chars.next();
            continue;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            if chars.peek() == Some(&'"') {
                chars.next();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.next() {
                            Some('n') => value.push('\n'),
                            Some('t') => value.push('\t'),
                            Some(other) => value.push(other),
                            None => break,
                        },
                        c => value.push(c),
                    }
                }
                if !closed && strict {
                    return Err(ExtractError(
                        "logfmt syntax error: unterminated quoted value".to_string(),
                    ));
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
            }
        }
        out.push((sanitize_label_name(&key), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_flattens_nested_keys_and_skips_arrays() {
        let fields = json_fields(
            r#"{"a":1,"user":{"name":"x","groups":["g"]},"ok":true,"n":null,"k-v":"z"}"#,
        )
        .unwrap();
        assert!(fields.contains(&("a".into(), "1".into())));
        assert!(fields.contains(&("user_name".into(), "x".into())));
        assert!(fields.contains(&("ok".into(), "true".into())));
        assert!(fields.contains(&("k_v".into(), "z".into())));
        assert!(!fields.iter().any(|(k, _)| k.starts_with("user_groups")));
    }

    #[test]
    fn json_rejects_non_objects() {
        assert!(json_fields("plain text").is_err());
        assert!(json_fields("[1,2]").is_err());
    }

    #[test]
    fn json_paths_return_scalars_and_raw_json() {
        let line = r#"{"user":{"groups":["system:masters","x"]},"sourceIPs":["10.0.0.1"],"a b":{"c":[5]}}"#;
        let got = json_path_values(
            line,
            &[
                "user.groups",
                "sourceIPs",
                "user.groups[1]",
                r#"["a b"].c[0]"#,
                "missing.x",
            ],
        )
        .unwrap();
        assert_eq!(
            got,
            vec![r#"["system:masters","x"]"#, r#"["10.0.0.1"]"#, "x", "5", ""]
        );
    }

    #[test]
    fn logfmt_reads_quoted_and_bare_values() {
        let fields = logfmt_fields(r#"level=info msg="train step" step=12 flag"#, false).unwrap();
        assert_eq!(
            fields,
            vec![
                ("level".into(), "info".into()),
                ("msg".into(), "train step".into()),
                ("step".into(), "12".into()),
                ("flag".into(), String::new()),
            ]
        );
        assert!(logfmt_fields(r#"a="open"#, true).is_err());
    }
}
