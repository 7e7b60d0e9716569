//! LogQL parse errors, printed exactly as Loki's `logqlmodel.ParseError`.

use std::fmt;

/// A query Loki would refuse to parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub msg: String,
    pub line: usize,
    pub col: usize,
}

impl ParseError {
    /// An error at a position (1-based line and column).
    pub fn at(msg: impl Into<String>, line: usize, col: usize) -> Self {
        Self {
            msg: msg.into(),
            line,
            col,
        }
    }

    /// An error without a position (`parse error : …`).
    pub fn general(msg: impl Into<String>) -> Self {
        Self::at(msg, 0, 0)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 && self.col == 0 {
            write!(f, "parse error : {}", self.msg)
        } else {
            write!(
                f,
                "parse error at line {}, col {}: {}",
                self.line, self.col, self.msg
            )
        }
    }
}

impl std::error::Error for ParseError {}
