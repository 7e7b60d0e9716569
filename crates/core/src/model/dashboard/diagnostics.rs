//! Problems found in a dashboard file: what, where (JSON path and line/column), how serious.
//!
//! Displayed as `panels[3].gridPos.w: expected a number, found "wide" (line 88, col 14)`.

use std::fmt;

/// One step of a [`JsonPath`]: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSegment {
    Key(String),
    Index(usize),
}

/// Where a value sits in a document, e.g. `panels[3].gridPos.w`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct JsonPath(pub Vec<PathSegment>);

impl JsonPath {
    /// The document itself.
    #[must_use]
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    /// This path extended by an object key.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Key(key.to_owned()));
        JsonPath(segments)
    }

    /// This path extended by an array index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut segments = self.0.clone();
        segments.push(PathSegment::Index(index));
        JsonPath(segments)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(root)");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                PathSegment::Index(index) => write!(f, "[{index}]")?,
                PathSegment::Key(key) if is_identifier(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                PathSegment::Key(key) => write!(f, "[{key:?}]")?,
            }
        }
        Ok(())
    }
}

fn is_identifier(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file is wrong: a value has the wrong type or the file is not JSON. Lint fails.
    Error,
    /// The file works but something was repaired or is not shown by Sightline.
    Warning,
}

/// What a [`Diagnostic`] is about, so that a UI can group them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// Not JSON, or over a size limit.
    Syntax,
    /// A value of the wrong type or out of range.
    Schema,
    /// Panels that overlapped or left the grid, duplicate ids: repaired on load.
    Layout,
    /// Something Sightline keeps but does not render (compatibility report).
    Compatibility,
    /// A legacy form converted on load (old rows, `graph`, `singlestat`).
    Migration,
}

/// 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// One problem in a dashboard file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub kind: DiagnosticKind,
    pub path: JsonPath,
    pub message: String,
    /// Byte offset in the source text (of the value, or of what it was derived from).
    pub offset: Option<usize>,
    /// Filled in from `offset` once parsing is done.
    pub position: Option<Position>,
}

impl Diagnostic {
    pub(crate) fn new(
        severity: Severity,
        kind: DiagnosticKind,
        path: JsonPath,
        message: impl Into<String>,
        offset: Option<usize>,
    ) -> Self {
        Diagnostic {
            severity,
            kind,
            path,
            message: message.into(),
            offset,
            position: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(Position { line, column }) = self.position {
            write!(f, " (line {line}, col {column})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn path_displays_like_javascript_access() {
        let path = JsonPath::root()
            .key("panels")
            .index(3)
            .key("gridPos")
            .key("w");
        assert_eq!(path.to_string(), "panels[3].gridPos.w");
        assert_eq!(JsonPath::root().key("a b").to_string(), "[\"a b\"]");
        assert_eq!(JsonPath::root().to_string(), "(root)");
    }

    #[test]
    fn diagnostic_reads_path_message_position() {
        let mut d = Diagnostic::new(
            Severity::Error,
            DiagnosticKind::Schema,
            JsonPath::root()
                .key("panels")
                .index(3)
                .key("gridPos")
                .key("w"),
            "expected a number, found \"wide\"",
            Some(0),
        );
        d.position = Some(Position {
            line: 88,
            column: 14,
        });
        assert_eq!(
            d.to_string(),
            "panels[3].gridPos.w: expected a number, found \"wide\" (line 88, col 14)"
        );
    }
}
