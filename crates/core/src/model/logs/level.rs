//! Log levels: detected from a `level` / `detected_level` label, a JSON or logfmt field of the
//! line, an HTTP status field (audit events), or the first level word in the text, in that
//! order, and the colour each level is drawn with.

use crate::model::frame::Labels;

/// How severe a log line is, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogLevel {
    Critical,
    Error,
    Warning,
    Info,
    Debug,
    Trace,
    Unknown,
}

/// Every level, most severe first.
pub const ALL_LEVELS: [LogLevel; 7] = [
    LogLevel::Critical,
    LogLevel::Error,
    LogLevel::Warning,
    LogLevel::Info,
    LogLevel::Debug,
    LogLevel::Trace,
    LogLevel::Unknown,
];

/// Label and field names that carry a level, in the order they are trusted.
const LEVEL_KEYS: [&str; 5] = ["level", "detected_level", "severity", "lvl", "loglevel"];

/// Field names that carry an HTTP status (Kubernetes audit events, access logs).
const STATUS_KEYS: [&str; 4] = ["responseStatus_code", "status", "status_code", "code"];

impl LogLevel {
    /// Reads a level word (`ERROR`, `warn`, `I`, `fatal`, `Informational`…); `None` when the
    /// word is not a level (`Metadata`, `unknown`, `200`).
    #[must_use]
    pub fn parse(word: &str) -> Option<LogLevel> {
        let lower = word.trim().to_ascii_lowercase();
        let level = match lower.as_str() {
            "crit" | "critical" | "fatal" | "panic" | "emerg" | "emergency" | "alert" | "f"
            | "c" => LogLevel::Critical,
            "err" | "error" | "eror" | "e" | "severe" => LogLevel::Error,
            "warn" | "warning" | "w" => LogLevel::Warning,
            "info" | "information" | "informational" | "notice" | "i" | "inf" => LogLevel::Info,
            "debug" | "dbug" | "dbg" | "d" => LogLevel::Debug,
            "trace" | "t" | "trc" => LogLevel::Trace,
            _ => return None,
        };
        Some(level)
    }

    /// The level's name as Loki's `detected_level` writes it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Critical => "critical",
            LogLevel::Error => "error",
            LogLevel::Warning => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
            LogLevel::Unknown => "unknown",
        }
    }

    /// Grafana's colour for the level (`#rrggbb`), for the volume bars and the row markers.
    #[must_use]
    pub fn color_hex(self) -> &'static str {
        match self {
            LogLevel::Critical => "#b877d9",
            LogLevel::Error => "#f2495c",
            LogLevel::Warning => "#ff9830",
            LogLevel::Info => "#73bf69",
            LogLevel::Debug => "#5794f2",
            LogLevel::Trace => "#6ed0e0",
            LogLevel::Unknown => "#8e8e9e",
        }
    }
}

/// The level of a line with `labels` (stream labels, structured metadata and parsed labels all
/// count): a level label, else a level field in the line, else a status code, else a level word
/// in the text, else [`LogLevel::Unknown`].
#[must_use]
pub fn detect_level(labels: &[&Labels], line: &str) -> LogLevel {
    for key in LEVEL_KEYS {
        for set in labels {
            if let Some(level) = set.get(key).and_then(LogLevel::parse) {
                return level;
            }
        }
    }
    if let Some(level) = level_field(line) {
        return level;
    }
    for key in STATUS_KEYS {
        for set in labels {
            if let Some(level) = set.get(key).and_then(status_level) {
                return level;
            }
        }
    }
    level_word(line).unwrap_or(LogLevel::Unknown)
}

/// The level an HTTP status stands for: 5xx error, 4xx warning, 1xx–3xx info.
#[must_use]
pub fn status_level(text: &str) -> Option<LogLevel> {
    let code: u16 = text.trim().parse().ok()?;
    match code {
        500..=599 => Some(LogLevel::Error),
        400..=499 => Some(LogLevel::Warning),
        100..=399 => Some(LogLevel::Info),
        _ => None,
    }
}

/// A `"level":"x"` JSON member or a `level=x` logfmt pair (any of the level keys), found by a
/// scan rather than a full parse so that thousands of lines stay cheap.
fn level_field(line: &str) -> Option<LogLevel> {
    for key in LEVEL_KEYS {
        let mut from = 0;
        while let Some(found) = line[from..].find(key) {
            let start = from + found;
            from = start + key.len();
            let before = line[..start].chars().next_back();
            let rest = &line[from..];
            let value = if before == Some('"') {
                rest.strip_prefix('"')
                    .map(str::trim_start)
                    .and_then(|r| r.strip_prefix(':'))
                    .map(str::trim_start)
                    .and_then(|r| r.strip_prefix('"'))
                    .map(|r| r.split('"').next().unwrap_or(""))
            } else if before.is_none_or(|c| c == ' ' || c == '\t') {
                rest.strip_prefix('=').map(|r| {
                    let r = r.strip_prefix('"').unwrap_or(r);
                    r.split([' ', '"', '\t']).next().unwrap_or("")
                })
            } else {
                None
            };
            if let Some(level) = value.and_then(LogLevel::parse) {
                return Some(level);
            }
        }
    }
    None
}

/// The first whole word of the line's first 200 bytes that names a level in full
/// (`ERROR`, `[warn]`, `W1123`-style glog prefixes are not guessed).
fn level_word(line: &str) -> Option<LogLevel> {
    let head = match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    };
    head.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 4)
        .find_map(|w| match w.to_ascii_lowercase().as_str() {
            "critical" | "fatal" | "panic" | "crit" => Some(LogLevel::Critical),
            "error" | "eror" => Some(LogLevel::Error),
            "warn" | "warning" => Some(LogLevel::Warning),
            "info" => Some(LogLevel::Info),
            "debug" | "dbug" => Some(LogLevel::Debug),
            "trace" => Some(LogLevel::Trace),
            _ => None,
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        Labels::new(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_level_label_wins_over_the_text() {
        let l = labels(&[("level", "warn")]);
        assert_eq!(detect_level(&[&l], "ERROR boom"), LogLevel::Warning);
        let d = labels(&[("detected_level", "error")]);
        assert_eq!(detect_level(&[&d], "all fine"), LogLevel::Error);
    }

    #[test]
    fn an_unmapped_level_label_falls_through_to_the_line() {
        // Audit events say "level":"Metadata" (the audit level, not a severity).
        let l = labels(&[("level", "Metadata"), ("responseStatus_code", "403")]);
        assert_eq!(detect_level(&[&l], "{\"verb\":\"get\"}"), LogLevel::Warning);
        let ok = labels(&[("level", "Metadata"), ("responseStatus_code", "200")]);
        assert_eq!(detect_level(&[&ok], "{}"), LogLevel::Info);
        let failed = labels(&[("responseStatus_code", "503")]);
        assert_eq!(detect_level(&[&failed], "{}"), LogLevel::Error);
    }

    #[test]
    fn json_and_logfmt_fields_are_read_without_parsing_the_line() {
        let none = Labels::default();
        assert_eq!(
            detect_level(&[&none], r#"{"ts":1,"level":"debug","msg":"x"}"#),
            LogLevel::Debug
        );
        assert_eq!(
            detect_level(&[&none], r#"{"severity": "ERROR", "msg":"x"}"#),
            LogLevel::Error
        );
        assert_eq!(
            detect_level(&[&none], "ts=2024 level=warn msg=\"disk full\""),
            LogLevel::Warning
        );
        assert_eq!(
            detect_level(&[&none], "ts=2024 lvl=\"info\" msg=ok"),
            LogLevel::Info
        );
        // `loglevel=` must not be read as a `level=` pair.
        assert_eq!(
            detect_level(&[&none], "xlevel=dbg msg=ok"),
            LogLevel::Unknown
        );
    }

    #[test]
    fn the_first_level_word_of_plain_text_counts() {
        let none = Labels::default();
        assert_eq!(
            detect_level(&[&none], "2024-01-01 [WARNING] slow"),
            LogLevel::Warning
        );
        assert_eq!(
            detect_level(&[&none], "Traceback (most recent call last): RuntimeError"),
            LogLevel::Unknown
        );
        assert_eq!(
            detect_level(
                &[&none],
                "NVRM: Xid (PCI:0000:3b:00): 79, GPU has fallen off the bus; fatal"
            ),
            LogLevel::Critical
        );
        assert_eq!(
            detect_level(&[&none], "information only"),
            LogLevel::Unknown
        );
    }

    #[test]
    fn level_words_parse_in_any_case() {
        assert_eq!(LogLevel::parse("WARN"), Some(LogLevel::Warning));
        assert_eq!(LogLevel::parse("Informational"), Some(LogLevel::Info));
        assert_eq!(LogLevel::parse("fatal"), Some(LogLevel::Critical));
        assert_eq!(LogLevel::parse("unknown"), None);
        assert_eq!(LogLevel::parse("Metadata"), None);
    }
}
