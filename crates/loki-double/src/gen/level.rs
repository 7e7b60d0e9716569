//! Log levels, and a port of Loki's `detected_level` discovery (distributor field detection):
//! a level label wins; else a `level`/`severity`/`lvl`… field of a JSON or logfmt line; else
//! the first bounded level word in the line; else `unknown`.

/// The normalized levels Loki stores as `detected_level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Critical,
    Fatal,
    Unknown,
}

impl Level {
    /// Loki's spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Critical => "critical",
            Level::Fatal => "fatal",
            Level::Unknown => "unknown",
        }
    }

    /// Normalizes a level value (`WARNING`, `inf`, `ERR`…); `None` if it is not a level word.
    #[must_use]
    pub fn normalize(value: &str) -> Option<Level> {
        Some(match value.to_ascii_lowercase().as_str() {
            "trace" | "trc" => Level::Trace,
            "debug" | "dbg" => Level::Debug,
            "info" | "inf" | "information" => Level::Info,
            "warn" | "wrn" | "warning" => Level::Warn,
            "error" | "err" => Level::Error,
            "critical" => Level::Critical,
            "fatal" => Level::Fatal,
            _ => return None,
        })
    }
}

const LEVEL_FIELDS: [&str; 13] = [
    "level",
    "LEVEL",
    "Level",
    "log.level",
    "severity",
    "SEVERITY",
    "Severity",
    "SeverityText",
    "lvl",
    "LVL",
    "Lvl",
    "severity_text",
    "Severity_Text",
];

const PATTERNS: [(&str, Level); 9] = [
    ("trace", Level::Trace),
    ("debug", Level::Debug),
    ("fatal", Level::Fatal),
    ("critical", Level::Critical),
    ("error", Level::Error),
    ("err", Level::Error),
    ("warning", Level::Warn),
    ("warn", Level::Warn),
    ("info", Level::Info),
];

/// Loki's level detection for a line of a stream without a level label.
#[must_use]
pub fn detect_level(line: &str) -> Level {
    let trimmed = line.trim();
    let field = if trimmed.starts_with('{') && trimmed.ends_with('}') {
        serde_json::from_str::<serde_json::Value>(trimmed)
            .ok()
            .and_then(|v| json_level_field(&v))
    } else if line.contains('=') {
        super::super::logql::extract::logfmt_fields(line, false)
            .ok()
            .and_then(|fields| {
                LEVEL_FIELDS.iter().find_map(|hint| {
                    fields
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(hint))
                        .map(|(_, v)| v.clone())
                })
            })
    } else {
        return detect_from_words(line);
    };
    field
        .and_then(|v| Level::normalize(&v))
        .unwrap_or_else(|| detect_from_words(line))
}

fn json_level_field(value: &serde_json::Value) -> Option<String> {
    let serde_json::Value::Object(map) = value else {
        return None;
    };
    for (key, v) in map {
        match v {
            serde_json::Value::String(s) if LEVEL_FIELDS.contains(&key.as_str()) => {
                return Some(s.clone())
            }
            serde_json::Value::Object(_) => {
                if let Some(found) = json_level_field(v) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn detect_from_words(line: &str) -> Level {
    let lower = line.to_ascii_lowercase();
    let mut best = (lower.len(), Level::Unknown);
    for (word, level) in PATTERNS {
        if let Some(pos) = bounded_index(&lower, word) {
            if pos < best.0 {
                best = (pos, level);
                if pos == 0 {
                    break;
                }
            }
        }
    }
    best.1
}

fn bounded_index(text: &str, word: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let left_ok = |pos: usize| pos == 0 || b" \t\n[({\"'=|".contains(&bytes[pos - 1]);
    let right_ok = |pos: usize| pos >= bytes.len() || b" \t\n[]{}():,!\"'=|".contains(&bytes[pos]);
    let mut offset = 0;
    while let Some(found) = text.get(offset..).and_then(|t| t.find(word)) {
        let abs = offset + found;
        if left_ok(abs) && right_ok(abs + word.len()) {
            return Some(abs);
        }
        offset = abs + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_win_over_words() {
        assert_eq!(
            detect_level(r#"{"level":"WARNING","msg":"error budget"}"#),
            Level::Warn
        );
        assert_eq!(detect_level("ts=1 level=err msg=x"), Level::Error);
        assert_eq!(
            detect_level(r#"{"log":{"severity":"debug"}}"#),
            Level::Debug
        );
    }

    #[test]
    fn words_need_boundaries_and_the_first_wins() {
        assert_eq!(
            detect_level("INFO 03-12 engine started, error count 0"),
            Level::Info
        );
        assert_eq!(
            detect_level("Traceback (most recent call last): RuntimeError: x"),
            Level::Unknown
        );
        assert_eq!(
            detect_level("E0312 kubelet.go:1] \"error syncing pod\""),
            Level::Error
        );
        assert_eq!(detect_level("terrible informant"), Level::Unknown);
        assert_eq!(
            detect_level(r#"{"level":"Metadata","verb":"get"}"#),
            Level::Unknown
        );
    }
}
