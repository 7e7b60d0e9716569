//! Raw lexing: the shape of each token (identifiers stay `MetricName` until classified).

use super::{Token, TokenKind};

/// Raw lexing: shapes only (identifiers stay `MetricName` until classified).
pub(super) fn lex(query: &str) -> Vec<Token> {
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
