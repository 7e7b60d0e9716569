//! LogQL tokens, scanned the way Loki's lexer does (Go string escapes, backtick raw strings,
//! `[5m]` as one RANGE token, `#` comments), with 1-based line/column positions.

use super::error::ParseError;

/// One token kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Number(f64),
    /// A duration literal such as `5m` (ns).
    Duration(i64),
    /// A bytes literal such as `20MB`.
    Bytes(u64),
    /// `[5m]` (ns).
    Range(i64),
    /// Punctuation and operators, e.g. `{`, `|=`, `>=`.
    Op(&'static str),
    Eof,
}

impl Tok {
    /// The name yacc would print for this token in "unexpected …".
    #[must_use]
    pub fn yacc_name(&self) -> String {
        match self {
            Tok::Ident(name) => match name.to_ascii_lowercase().as_str() {
                kw @ ("by" | "without" | "and" | "or" | "unless" | "bool" | "offset" | "json"
                | "logfmt" | "line_format" | "label_format" | "drop" | "keep" | "unwrap"
                | "ip" | "decolorize" | "regexp" | "pattern" | "unpack") => kw.to_string(),
                _ => "IDENTIFIER".to_string(),
            },
            Tok::Str(_) => "STRING".to_string(),
            Tok::Number(_) => "NUMBER".to_string(),
            Tok::Duration(_) => "DURATION".to_string(),
            Tok::Bytes(_) => "BYTES".to_string(),
            Tok::Range(_) => "RANGE".to_string(),
            Tok::Op(op) => (*op).to_string(),
            Tok::Eof => "$end".to_string(),
        }
    }
}

/// A token with the position of its first character.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub line: usize,
    pub col: usize,
}

const OPS: [&str; 27] = [
    "|=", "|~", "|>", "!=", "!~", "=~", "==", ">=", "<=", "!>", "{", "}", "(", ")", ",", "=", "|",
    ">", "<", "+", "-", "*", "/", "%", "^", ".", "]",
];

/// Splits a query into tokens, ending with [`Tok::Eof`].
pub fn tokenize(input: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let (mut i, mut line, mut col) = (0usize, 1usize, 1usize);
    let advance = |i: &mut usize, line: &mut usize, col: &mut usize, c: char| {
        *i += 1;
        if c == '\n' {
            *line += 1;
            *col = 1;
        } else {
            *col += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            advance(&mut i, &mut line, &mut col, c);
            continue;
        }
        if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                let c = chars[i];
                advance(&mut i, &mut line, &mut col, c);
            }
            continue;
        }
        let (start_line, start_col, start) = (line, col, i);
        let tok = if c == '"' || c == '`' {
            let (text, used) = scan_string(&chars[i..])
                .map_err(|msg| ParseError::at(msg, start_line, start_col))?;
            for k in 0..used {
                advance(&mut i, &mut line, &mut col, chars[start + k]);
            }
            Tok::Str(text)
        } else if c == '[' {
            let close = chars[i..].iter().position(|&c| c == ']');
            let Some(close) = close else {
                return Err(ParseError::at(
                    "missing closing ']' in duration",
                    0,
                    col + 1,
                ));
            };
            let inner: String = chars[i + 1..i + close].iter().collect();
            let ns = crate::params::parse_prom_duration(&inner)
                .map_err(|e| ParseError::at(e.0, start_line, start_col))?;
            for k in 0..=close {
                advance(&mut i, &mut line, &mut col, chars[start + k]);
            }
            Tok::Range(ns)
        } else if c.is_ascii_digit() {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '.') {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            let tok = number_like(&text).map_err(|m| ParseError::at(m, start_line, start_col))?;
            col += j - i;
            i = j;
            tok
        } else if c.is_alphabetic() || c == '_' {
            let mut j = i;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_') {
                j += 1;
            }
            let text: String = chars[i..j].iter().collect();
            col += j - i;
            i = j;
            Tok::Ident(text)
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = OPS
                .iter()
                .find(|op| op.len() == 2 && two == **op)
                .or_else(|| OPS.iter().find(|op| op.len() == 1 && op.starts_with(c)));
            let Some(op) = op else {
                return Err(ParseError::at(
                    format!("syntax error: unexpected {}", quote_char(c)),
                    start_line,
                    start_col,
                ));
            };
            for _ in 0..op.len() {
                let c = chars[i];
                advance(&mut i, &mut line, &mut col, c);
            }
            Tok::Op(op)
        };
        tokens.push(Token {
            tok,
            line: start_line,
            col: start_col,
        });
    }
    tokens.push(Token {
        tok: Tok::Eof,
        line,
        col,
    });
    Ok(tokens)
}

fn quote_char(c: char) -> String {
    let mut out = String::new();
    let _ = crate::labels::write_go_quoted(&mut out, &c.to_string());
    out
}

/// A number, a duration (`5m`, `1h30m`, `500ms`) or a bytes size (`20MB`, `1KiB`).
fn number_like(text: &str) -> Result<Tok, String> {
    if let Ok(n) = text.parse::<f64>() {
        if text.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Ok(Tok::Number(n));
        }
    }
    if let Ok(ns) = crate::params::parse_prom_duration(text) {
        return Ok(Tok::Duration(ns));
    }
    if let Some(bytes) = parse_bytes(text) {
        return Ok(Tok::Bytes(bytes));
    }
    if text
        .bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return Err(format!("unknown unit in duration {text:?}"));
    }
    text.parse::<f64>()
        .map(Tok::Number)
        .map_err(|_| format!("invalid number {text:?}"))
}

/// Humanized byte sizes as Loki accepts them (`B`, `KB`, `KiB`, `MB`, `MiB`, `GB`, `GiB`…).
#[must_use]
pub fn parse_bytes(text: &str) -> Option<u64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (num, unit) = text.split_at(split);
    let n: f64 = num.parse().ok()?;
    let factor: f64 = match unit.to_ascii_lowercase().as_str() {
        "b" => 1.0,
        "kb" => 1e3,
        "kib" => 1024.0,
        "mb" => 1e6,
        "mib" => 1_048_576.0,
        "gb" => 1e9,
        "gib" => 1_073_741_824.0,
        "tb" => 1e12,
        "tib" => 1_099_511_627_776.0,
        _ => return None,
    };
    Some((n * factor) as u64)
}

/// Scans a Go string literal at the start of `chars`; returns its value and the chars used.
fn scan_string(chars: &[char]) -> Result<(String, usize), String> {
    let quote = chars.first().copied().unwrap_or('"');
    let mut out = String::new();
    let mut i = 1;
    if quote == '`' {
        while i < chars.len() {
            if chars[i] == '`' {
                return Ok((out, i + 1));
            }
            out.push(chars[i]);
            i += 1;
        }
        return Err("literal not terminated".to_string());
    }
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => return Ok((out, i + 1)),
            '\n' => return Err("literal not terminated".to_string()),
            '\\' => {
                let esc = chars.get(i + 1).copied().ok_or("literal not terminated")?;
                i += 2;
                match esc {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '"' => out.push('"'),
                    '\'' => out.push('\''),
                    'x' | 'u' | 'U' => {
                        let width = match esc {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let hex: String = chars
                            .get(i..i + width)
                            .ok_or("invalid syntax")?
                            .iter()
                            .collect();
                        let code = u32::from_str_radix(&hex, 16).map_err(|_| "invalid syntax")?;
                        out.push(char::from_u32(code).ok_or("invalid syntax")?);
                        i += width;
                    }
                    '0'..='7' => {
                        let oct: String = chars
                            .get(i - 1..i + 2)
                            .ok_or("invalid syntax")?
                            .iter()
                            .collect();
                        let code = u32::from_str_radix(&oct, 8).map_err(|_| "invalid syntax")?;
                        out.push(char::from_u32(code).ok_or("invalid syntax")?);
                        i += 2;
                    }
                    _ => return Err("invalid syntax".to_string()),
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Err("literal not terminated".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(q: &str) -> Vec<Tok> {
        tokenize(q).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn scans_selectors_filters_and_ranges() {
        assert_eq!(
            kinds(r#"{app=~"a.*"} |= `x\y` [5m]"#),
            vec![
                Tok::Op("{"),
                Tok::Ident("app".into()),
                Tok::Op("=~"),
                Tok::Str("a.*".into()),
                Tok::Op("}"),
                Tok::Op("|="),
                Tok::Str("x\\y".into()),
                Tok::Range(300_000_000_000),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numbers_durations_and_bytes_are_told_apart() {
        assert_eq!(
            kinds("400 1.5 5m 20MB")[..4],
            [
                Tok::Number(400.0),
                Tok::Number(1.5),
                Tok::Duration(300_000_000_000),
                Tok::Bytes(20_000_000)
            ]
        );
    }

    #[test]
    fn go_escapes_are_decoded() {
        assert_eq!(
            kinds(r#""a\"b\n\x41\u00e9""#)[0],
            Tok::Str("a\"b\nAé".into())
        );
    }

    #[test]
    fn unterminated_string_reports_its_start() {
        let err = tokenize(r#"{foo="bar}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "parse error at line 1, col 6: literal not terminated"
        );
    }

    #[test]
    fn comments_are_skipped_and_positions_count_lines() {
        let toks = tokenize("# hi\n  {a=\"b\"}").unwrap();
        assert_eq!((toks[0].line, toks[0].col), (2, 3));
    }
}
