//! A tolerant tokenizer for PromQL and LogQL, for syntax highlighting and autocomplete: every
//! byte of the input belongs to exactly one token (half-typed queries included), and each token
//! is classified by where it stands (a label name inside `{…}` or `by (…)`, a metric name, a
//! function before `(`, a LogQL line filter after the selector…).

mod classify;
mod lex;

use super::vocabulary::Language;
use classify::classify;
use lex::lex;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Whitespace,
    Comment,
    MetricName,
    LabelName,
    Function,
    Keyword,
    /// A LogQL pipeline stage (`json`, `logfmt`, `line_format`…).
    Stage,
    /// A string; `closed` is false while its closing quote is not typed yet.
    String {
        closed: bool,
    },
    Number,
    Duration,
    /// A comparison or arithmetic operator, or a matcher (`=`, `!=`, `=~`, `!~`).
    Operator,
    /// LogQL `|=`, `!=`, `|~`, `!~`, `|>`, `!>` after a selector.
    LineFilter,
    /// LogQL `|`.
    Pipe,
    /// A Grafana variable: `$name`, `${name}`, `[[name]]`.
    Variable,
    OpenBrace,
    CloseBrace,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
    Colon,
    Unknown,
}

impl TokenKind {
    /// The CSS class the editor draws this kind with.
    #[must_use]
    pub fn css_class(self) -> &'static str {
        match self {
            TokenKind::Whitespace => "tok-ws",
            TokenKind::Comment => "tok-comment",
            TokenKind::MetricName => "tok-metric",
            TokenKind::LabelName => "tok-label",
            TokenKind::Function => "tok-func",
            TokenKind::Keyword => "tok-keyword",
            TokenKind::Stage => "tok-stage",
            TokenKind::String { closed: true } => "tok-string",
            TokenKind::String { closed: false } => "tok-string tok-open",
            TokenKind::Number | TokenKind::Duration => "tok-number",
            TokenKind::Operator => "tok-op",
            TokenKind::LineFilter | TokenKind::Pipe => "tok-pipe",
            TokenKind::Variable => "tok-var",
            TokenKind::Unknown => "tok-error",
            _ => "tok-punct",
        }
    }

    /// Whitespace and comments carry no meaning.
    #[must_use]
    pub fn is_trivia(self) -> bool {
        matches!(self, TokenKind::Whitespace | TokenKind::Comment)
    }
}

/// One token: its kind and byte range in the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// The token's text in `query`.
    #[must_use]
    pub fn text<'a>(&self, query: &'a str) -> &'a str {
        query.get(self.start..self.end).unwrap_or("")
    }
}

/// Splits `query` into tokens covering it exactly, in order.
#[must_use]
pub fn tokenize(query: &str, language: Language) -> Vec<Token> {
    let mut tokens = lex(query);
    classify(query, &mut tokens, language);
    tokens
}

#[cfg(test)]
mod tests;
