//! A tolerant tokenizer for PromQL and LogQL, for syntax highlighting and autocomplete: every
//! byte of the input belongs to exactly one token (half-typed queries included), and each token
//! is classified by where it stands (a label name inside `{…}` or `by (…)`, a metric name, a
//! function before `(`, a LogQL line filter after the selector…).

use super::vocabulary::{is_function, is_keyword, Language, GROUPING_KEYWORDS, LOGQL_STAGES};

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

/// Raw lexing: shapes only (identifiers stay `MetricName` until classified).
fn lex(query: &str) -> Vec<Token> {
    let bytes = query.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (kind, end) = lex_one(query, i);
        let end = end.max(i + 1).min(bytes.len());
        // Never split a UTF-8 character.
        let end = (end..=bytes.len())
            .find(|&e| query.is_char_boundary(e))
            .unwrap_or(bytes.len());
        tokens.push(Token {
            kind,
            start: i,
            end,
        });
        i = end;
    }
    tokens
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b':'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b':'
}

fn lex_one(query: &str, i: usize) -> (TokenKind, usize) {
    let bytes = query.as_bytes();
    let at = |k: usize| bytes.get(k).copied();
    let b = bytes[i];
    let run = |from: usize, pred: &dyn Fn(u8) -> bool| {
        let mut e = from;
        while e < bytes.len() && pred(bytes[e]) {
            e += 1;
        }
        e
    };
    match b {
        b' ' | b'\t' | b'\n' | b'\r' => (
            TokenKind::Whitespace,
            run(i, &|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r')),
        ),
        b'#' => (TokenKind::Comment, run(i, &|c| c != b'\n')),
        b'"' | b'\'' | b'`' => lex_string(bytes, i),
        b'$' => {
            if at(i + 1) == Some(b'{') {
                let close = bytes[i..].iter().position(|&c| c == b'}');
                (
                    TokenKind::Variable,
                    close.map_or(bytes.len(), |p| i + p + 1),
                )
            } else {
                (TokenKind::Variable, run(i + 1, &is_ident_char))
            }
        }
        b'[' if at(i + 1) == Some(b'[') && at(i + 2).is_some_and(is_ident_start) => {
            let end = run(i + 2, &is_ident_char);
            if at(end) == Some(b']') && at(end + 1) == Some(b']') {
                (TokenKind::Variable, end + 2)
            } else {
                (TokenKind::OpenBracket, i + 1)
            }
        }
        b'0'..=b'9' => lex_number(bytes, i),
        b'.' if at(i + 1).is_some_and(|c| c.is_ascii_digit()) => lex_number(bytes, i),
        _ if is_ident_start(b) => (TokenKind::MetricName, run(i, &is_ident_char)),
        b'{' => (TokenKind::OpenBrace, i + 1),
        b'}' => (TokenKind::CloseBrace, i + 1),
        b'(' => (TokenKind::OpenParen, i + 1),
        b')' => (TokenKind::CloseParen, i + 1),
        b'[' => (TokenKind::OpenBracket, i + 1),
        b']' => (TokenKind::CloseBracket, i + 1),
        b',' => (TokenKind::Comma, i + 1),
        b'|' => match at(i + 1) {
            Some(b'=' | b'~' | b'>') => (TokenKind::LineFilter, i + 2),
            _ => (TokenKind::Pipe, i + 1),
        },
        b'!' => match at(i + 1) {
            Some(b'=' | b'~') => (TokenKind::Operator, i + 2),
            Some(b'>') => (TokenKind::LineFilter, i + 2),
            _ => (TokenKind::Unknown, i + 1),
        },
        b'=' => match at(i + 1) {
            Some(b'=' | b'~') => (TokenKind::Operator, i + 2),
            _ => (TokenKind::Operator, i + 1),
        },
        b'>' | b'<' => match at(i + 1) {
            Some(b'=') => (TokenKind::Operator, i + 2),
            _ => (TokenKind::Operator, i + 1),
        },
        b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'@' => (TokenKind::Operator, i + 1),
        _ => (TokenKind::Unknown, i + 1),
    }
}

fn lex_string(bytes: &[u8], i: usize) -> (TokenKind, usize) {
    let quote = bytes[i];
    let mut e = i + 1;
    while e < bytes.len() {
        match bytes[e] {
            b'\\' if quote != b'`' => e += 2,
            c if c == quote => return (TokenKind::String { closed: true }, e + 1),
            _ => e += 1,
        }
    }
    (TokenKind::String { closed: false }, bytes.len())
}

/// Numbers (`1`, `0.5`, `1e-3`, `0x1f`), durations (`5m`, `1h30m`, `500ms`) and LogQL byte
/// sizes (`20MB`, counted as numbers).
fn lex_number(bytes: &[u8], i: usize) -> (TokenKind, usize) {
    let mut e = i;
    while e < bytes.len() && (bytes[e].is_ascii_alphanumeric() || bytes[e] == b'.') {
        // An exponent's sign belongs to the number.
        if (bytes[e] == b'e' || bytes[e] == b'E')
            && matches!(bytes.get(e + 1), Some(b'+' | b'-'))
            && bytes[i..e].iter().all(|c| c.is_ascii_digit() || *c == b'.')
        {
            e += 2;
            continue;
        }
        e += 1;
    }
    let text = std::str::from_utf8(&bytes[i..e]).unwrap_or("");
    let kind = if is_duration(text) {
        TokenKind::Duration
    } else {
        TokenKind::Number
    };
    (kind, e)
}

/// `5m`, `1h30m`, `500ms`, `2d`: one or more number–unit pairs.
fn is_duration(text: &str) -> bool {
    let mut rest = text;
    let mut pairs = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let unit = ["ms", "s", "m", "h", "d", "w", "y"]
            .iter()
            .find(|u| rest.starts_with(*u))
            .map(|u| u.len());
        match unit {
            Some(len) => rest = &rest[len..],
            None => return false,
        }
        pairs += 1;
    }
    pairs > 0
}

/// What an open bracket on the stack is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Selector,
    LabelList,
    Call,
    Range,
}

fn classify(query: &str, tokens: &mut [Token], language: Language) {
    let mut stack: Vec<Open> = Vec::new();
    let mut previous: Option<usize> = None;
    for i in 0..tokens.len() {
        let kind = tokens[i].kind;
        if kind.is_trivia() {
            continue;
        }
        let text = tokens[i].text(query);
        let prev_kind = previous.map(|p| tokens[p].kind);
        let prev_text = previous.map_or("", |p| tokens[p].text(query));
        let next_significant = tokens[i + 1..]
            .iter()
            .find(|t| !t.kind.is_trivia())
            .map(|t| t.kind);
        let innermost = stack.last().copied();
        let new_kind = match kind {
            TokenKind::MetricName => {
                if matches!(innermost, Some(Open::Selector | Open::LabelList)) {
                    TokenKind::LabelName
                } else if text == "inf" || text == "nan" || text == "Inf" || text == "NaN" {
                    TokenKind::Number
                } else if language == Language::LogQL
                    && prev_kind == Some(TokenKind::Pipe)
                    && LOGQL_STAGES.iter().any(|(s, _)| *s == text)
                {
                    TokenKind::Stage
                } else if is_keyword(language, text) {
                    TokenKind::Keyword
                } else if next_significant == Some(TokenKind::OpenParen)
                    || is_function(language, text)
                {
                    TokenKind::Function
                } else if language == Language::LogQL {
                    TokenKind::LabelName
                } else {
                    TokenKind::MetricName
                }
            }
            TokenKind::Operator
                if language == Language::LogQL
                    && (text == "!=" || text == "!~")
                    && !matches!(innermost, Some(Open::Selector))
                    && matches!(
                        prev_kind,
                        Some(
                            TokenKind::CloseBrace
                                | TokenKind::String { .. }
                                | TokenKind::CloseParen
                        )
                    ) =>
            {
                TokenKind::LineFilter
            }
            other => other,
        };
        tokens[i].kind = new_kind;
        match new_kind {
            TokenKind::OpenBrace => stack.push(Open::Selector),
            TokenKind::OpenParen => stack.push(
                if prev_kind == Some(TokenKind::Keyword) && GROUPING_KEYWORDS.contains(&prev_text) {
                    Open::LabelList
                } else {
                    Open::Call
                },
            ),
            TokenKind::OpenBracket => stack.push(Open::Range),
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                stack.pop();
            }
            _ => {}
        }
        previous = Some(i);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn kinds(query: &str, language: Language) -> Vec<(String, TokenKind)> {
        tokenize(query, language)
            .into_iter()
            .filter(|t| !t.kind.is_trivia())
            .map(|t| (t.text(query).to_owned(), t.kind))
            .collect()
    }

    #[test]
    fn tokens_cover_every_byte_of_any_input() {
        for query in [
            "sum by (Hostname) (rate(DCGM_FI_DEV_GPU_UTIL{gpu=~\"0|1\"}[5m])) > 0.5",
            "{app=\"a\", x=~\"unterminated",
            "größe{ä=\"ö\"} @ 123 # comment\nfoo",
            "!!! ~~ }{ ][ $ ${x [[y]] `raw`",
            "",
        ] {
            for language in [Language::PromQL, Language::LogQL] {
                let tokens = tokenize(query, language);
                let rebuilt: String = tokens.iter().map(|t| t.text(query)).collect();
                assert_eq!(rebuilt, query);
                for pair in tokens.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start);
                }
            }
        }
    }

    #[test]
    fn promql_tokens_are_classified_by_position() {
        use TokenKind::*;
        let got = kinds(
            "sum by (Hostname) (rate(DCGM_FI_DEV_GPU_UTIL{gpu=~\"0\"}[5m] offset 1h)) > 1e-3",
            Language::PromQL,
        );
        let expected = [
            ("sum", Function),
            ("by", Keyword),
            ("(", OpenParen),
            ("Hostname", LabelName),
            (")", CloseParen),
            ("(", OpenParen),
            ("rate", Function),
            ("(", OpenParen),
            ("DCGM_FI_DEV_GPU_UTIL", MetricName),
            ("{", OpenBrace),
            ("gpu", LabelName),
            ("=~", Operator),
            ("\"0\"", String { closed: true }),
            ("}", CloseBrace),
            ("[", OpenBracket),
            ("5m", Duration),
            ("]", CloseBracket),
            ("offset", Keyword),
            ("1h", Duration),
            (")", CloseParen),
            (")", CloseParen),
            (">", Operator),
            ("1e-3", Number),
        ];
        let expected: Vec<(std::string::String, TokenKind)> = expected
            .iter()
            .map(|(t, k)| ((*t).to_owned(), *k))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn logql_line_filters_pipes_and_stages_are_told_apart() {
        use TokenKind::*;
        let got = kinds(
            "{app=\"api\", level!=\"debug\"} != \"health\" |= `GET` | json | status >= 500 | line_format \"{{.msg}}\"",
            Language::LogQL,
        );
        let kinds_only: Vec<TokenKind> = got.iter().map(|(_, k)| *k).collect();
        assert_eq!(
            kinds_only,
            vec![
                OpenBrace,
                LabelName,
                Operator,
                String { closed: true },
                Comma,
                LabelName,
                Operator,
                String { closed: true },
                CloseBrace,
                LineFilter,
                String { closed: true },
                LineFilter,
                String { closed: true },
                Pipe,
                Stage,
                Pipe,
                LabelName,
                Operator,
                Number,
                Pipe,
                Stage,
                String { closed: true },
            ]
        );
    }

    #[test]
    fn variables_and_open_strings_are_recognised() {
        use TokenKind::*;
        let got = kinds(
            "up{job=~\"$job\", x=\"${y}\"} [[z]] $__rate_interval \"open",
            Language::PromQL,
        );
        assert!(got.contains(&("[[z]]".to_owned(), Variable)));
        assert!(got.contains(&("$__rate_interval".to_owned(), Variable)));
        assert_eq!(got.last().unwrap().1, String { closed: false });
        assert_eq!(
            TokenKind::String { closed: false }.css_class(),
            "tok-string tok-open"
        );
    }
}
