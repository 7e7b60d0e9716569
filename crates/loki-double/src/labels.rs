//! Label sets: name/value pairs kept sorted by name, printed the way Loki prints them.

use std::fmt::{self, Write as _};

/// A set of labels, sorted by name, names unique.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelSet(Vec<(String, String)>);

impl LabelSet {
    /// An empty set.
    #[must_use]
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Builds a set from pairs; a later pair wins over an earlier one with the same name.
    #[must_use]
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let mut set = Self::new();
        for (name, value) in pairs {
            set.set(name.into(), value.into());
        }
        set
    }

    /// The value of `name`, if present.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).ok().map(|i| self.0[i].1.as_str())
    }

    /// True if `name` is present.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_ok()
    }

    /// Sets `name` to `value`, replacing any previous value.
    pub fn set(&mut self, name: String, value: String) {
        match self.position(&name) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (name, value)),
        }
    }

    /// Removes `name`; returns its value if it was present.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.position(name).ok().map(|i| self.0.remove(i).1)
    }

    /// Keeps only the labels for which `keep` returns true.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &str) -> bool) {
        self.0.retain(|(n, v)| keep(n, v));
    }

    /// The pairs, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Number of labels.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no labels.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The labels whose names are in `names` (for `by (…)`).
    #[must_use]
    pub fn only(&self, names: &[String]) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(n, _)| names.contains(n))
                .cloned()
                .collect(),
        )
    }

    /// The labels whose names are not in `names` (for `without (…)`).
    #[must_use]
    pub fn without(&self, names: &[String]) -> Self {
        Self(
            self.0
                .iter()
                .filter(|(n, _)| !names.contains(n))
                .cloned()
                .collect(),
        )
    }

    fn position(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name))
    }
}

impl fmt::Display for LabelSet {
    /// Loki's stream label string: `{app="api", namespace="prod"}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('{')?;
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}=")?;
            write_go_quoted(f, value)?;
        }
        f.write_char('}')
    }
}

/// Writes `s` as a Go double-quoted string literal (what `strconv.Quote` prints).
pub fn write_go_quoted(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if c.is_control() => write!(out, "\\x{:02x}", u32::from(c))?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

/// True if `name` is a valid Prometheus/Loki label name.
#[must_use]
pub fn is_valid_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Turns an arbitrary key into a label name the way Loki's parsers do (invalid characters → `_`).
#[must_use]
pub fn sanitize_label_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for (i, c) in key.chars().enumerate() {
        let ok = c.is_ascii_alphabetic() || c == '_' || (i > 0 && c.is_ascii_digit());
        out.push(if ok { c } else { '_' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_sets_stay_sorted_and_unique() {
        let set = LabelSet::from_pairs([("b", "2"), ("a", "1"), ("b", "3")]);
        assert_eq!(set.to_string(), r#"{a="1", b="3"}"#);
        assert_eq!(set.get("b"), Some("3"));
        assert_eq!(set.get("c"), None);
    }

    #[test]
    fn display_escapes_like_go_quote() {
        let set = LabelSet::from_pairs([("msg", "say \"hi\"\n")]);
        assert_eq!(set.to_string(), r#"{msg="say \"hi\"\n"}"#);
    }

    #[test]
    fn sanitize_replaces_invalid_characters() {
        assert_eq!(sanitize_label_name("user-agent"), "user_agent");
        assert_eq!(sanitize_label_name("1st"), "_st");
        assert!(is_valid_label_name("objectRef_resource"));
        assert!(!is_valid_label_name("a.b"));
    }
}
