//! A small JSON parser that remembers where every value starts, so that any problem found later
//! (a wrong type three levels down) can be reported with its line and column.
//!
//! It accepts exactly RFC 8259 JSON, works in linear time, and refuses input beyond
//! [`ParseLimits`] (size, nesting) with a clear error instead of exhausting memory or the stack.

use serde_json::{Map, Number, Value};

/// Bounds on the work a single file may cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseLimits {
    /// Largest accepted file, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of arrays and objects.
    pub max_depth: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_bytes: 32 * 1024 * 1024,
            max_depth: 128,
        }
    }
}

/// A parsed JSON value and the byte offset in the source text where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub offset: usize,
    pub value: NodeValue,
}

/// The value of a [`Node`]. Objects keep their members in source order.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One `"key": value` pair of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_offset: usize,
    pub node: Node,
}

/// Why a text is not acceptable JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// Byte offset of the problem in the source text (none for a file over the size limit).
    pub offset: Option<usize>,
    pub message: String,
}

/// A key that appeared twice in one object (the later value wins, as in every JSON library).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    pub key: String,
    pub offset: usize,
}

/// The result of a successful parse.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub root: Node,
    pub duplicate_keys: Vec<DuplicateKey>,
}

/// Parses `text` as one JSON value, recording offsets.
///
/// # Errors
/// [`JsonError`] at the first syntax error, or when the text exceeds `limits`.
pub fn parse(text: &str, limits: ParseLimits) -> Result<Parsed, JsonError> {
    if text.len() > limits.max_bytes {
        return Err(JsonError {
            offset: None,
            message: format!(
                "file is {} bytes; the limit is {} bytes",
                text.len(),
                limits.max_bytes
            ),
        });
    }
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        limits,
        duplicate_keys: Vec::new(),
    };
    // A byte-order mark is not JSON, but editors write it; skip it quietly.
    if text.starts_with('\u{feff}') {
        parser.pos = 3;
    }
    parser.skip_whitespace();
    let root = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error("unexpected text after the end of the JSON value"));
    }
    Ok(Parsed {
        root,
        duplicate_keys: parser.duplicate_keys,
    })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    limits: ParseLimits,
    duplicate_keys: Vec<DuplicateKey>,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> JsonError {
        JsonError {
            offset: Some(self.pos),
            message: message.into(),
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn found(&self) -> String {
        match self
            .text
            .get(self.pos..)
            .and_then(|rest| rest.chars().next())
        {
            None => "the end of the file".to_owned(),
            Some(c) => format!("{c:?}"),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        let offset = self.pos;
        let value = match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b't') => self.literal("true", NodeValue::Bool(true))?,
            Some(b'f') => self.literal("false", NodeValue::Bool(false))?,
            Some(b'n') => self.literal("null", NodeValue::Null)?,
            Some(b'-' | b'0'..=b'9') => NodeValue::Number(self.number()?),
            _ => return Err(self.error(format!("expected a JSON value, found {}", self.found()))),
        };
        Ok(Node { offset, value })
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= self.limits.max_depth {
            return Err(self.error(format!(
                "nesting is deeper than {} levels",
                self.limits.max_depth
            )));
        }
        Ok(depth + 1)
    }

    fn literal(&mut self, word: &str, value: NodeValue) -> Result<NodeValue, JsonError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn array(&mut self, depth: usize) -> Result<NodeValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(NodeValue::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(NodeValue::Array(items));
                }
                _ => return Err(self.error(format!("expected ',' or ']', found {}", self.found()))),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<NodeValue, JsonError> {
        let depth = self.enter(depth)?;
        self.pos += 1;
        let mut members: Vec<Member> = Vec::new();
        let mut index: Option<std::collections::HashMap<String, usize>> = None;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(NodeValue::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error(format!("expected a quoted key, found {}", self.found())));
            }
            let key_offset = self.pos;
            let key = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error(format!("expected ':' after a key, found {}", self.found())));
            }
            self.pos += 1;
            self.skip_whitespace();
            let node = self.value(depth)?;
            let existing = match &index {
                Some(map) => map.get(&key).copied(),
                None => members.iter().position(|m| m.key == key),
            };
            if let Some(at) = existing {
                self.duplicate_keys.push(DuplicateKey {
                    key: key.clone(),
                    offset: key_offset,
                });
                members[at].node = node;
            } else {
                if let Some(map) = &mut index {
                    map.insert(key.clone(), members.len());
                } else if members.len() >= 16 {
                    // Large objects get a hash index so that duplicate checks stay linear.
                    let mut map: std::collections::HashMap<String, usize> = members
                        .iter()
                        .enumerate()
                        .map(|(i, m)| (m.key.clone(), i))
                        .collect();
                    map.insert(key.clone(), members.len());
                    index = Some(map);
                }
                members.push(Member {
                    key,
                    key_offset,
                    node,
                });
            }
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(NodeValue::Object(members));
                }
                _ => {
                    return Err(self.error(format!("expected ',' or '}}', found {}", self.found())))
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        let start_quote = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut run_start = self.pos;
        loop {
            let Some(&byte) = self.bytes.get(self.pos) else {
                return Err(JsonError {
                    offset: Some(start_quote),
                    message: "unterminated string".to_owned(),
                });
            };
            match byte {
                b'"' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run_start..self.pos]);
                    self.escape(&mut out)?;
                    run_start = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self.error(
                        "control character in a string (write it as an escape such as \\n)",
                    ));
                }
                _ => self.pos += 1,
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        self.pos += 1;
        let Some(&kind) = self.bytes.get(self.pos) else {
            return Err(self.error("unterminated escape"));
        };
        self.pos += 1;
        let c = match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                if (0xD800..0xDC00).contains(&first) {
                    if !self.bytes[self.pos..].starts_with(b"\\u") {
                        return Err(self.error("lone leading surrogate in a \\u escape"));
                    }
                    self.pos += 2;
                    let second = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&second) {
                        return Err(self.error("invalid trailing surrogate in a \\u escape"));
                    }
                    let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                    char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?
                } else {
                    char::from_u32(first)
                        .ok_or_else(|| self.error("lone trailing surrogate in a \\u escape"))?
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error(format!(
                    "invalid escape \\{}",
                    self.found().trim_matches('\'')
                )));
            }
        };
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
        let value = u32::from_str_radix(digits, 16)
            .map_err(|_| self.error("expected four hex digits after \\u"))?;
        self.pos += 4;
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.bytes[self.pos] == b'-' {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_digits = self.digits();
        if int_digits == 0 {
            return Err(self.error(format!("expected a digit, found {}", self.found())));
        }
        if int_digits > 1 && self.bytes[int_start] == b'0' {
            return Err(JsonError {
                offset: Some(int_start),
                message: "numbers must not have leading zeros".to_owned(),
            });
        }
        let mut integer = true;
        if self.bytes.get(self.pos) == Some(&b'.') {
            integer = false;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error(format!(
                    "expected a digit after '.', found {}",
                    self.found()
                )));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(format!(
                    "expected a digit in the exponent, found {}",
                    self.found()
                )));
            }
        }
        let literal = &self.text[start..self.pos];
        if integer {
            if let Ok(n) = literal.parse::<u64>() {
                return Ok(Number::from(n));
            }
            if let Ok(n) = literal.parse::<i64>() {
                return Ok(Number::from(n));
            }
        }
        literal
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .ok_or(JsonError {
                offset: Some(start),
                message: format!("number {literal} is out of range"),
            })
    }
}

impl Node {
    /// Converts to a `serde_json::Value`, keeping object member order.
    #[must_use]
    pub fn into_value(self) -> Value {
        match self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(b),
            NodeValue::Number(n) => Value::Number(n),
            NodeValue::String(s) => Value::String(s),
            NodeValue::Array(items) => {
                Value::Array(items.into_iter().map(Node::into_value).collect())
            }
            NodeValue::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for member in members {
                    map.insert(member.key, member.node.into_value());
                }
                Value::Object(map)
            }
        }
    }

    /// A node for a value that has no place in the source (made by a migration); it reports the
    /// position of the source value it was derived from.
    #[must_use]
    pub fn from_value(value: Value, offset: usize) -> Node {
        let value = match value {
            Value::Null => NodeValue::Null,
            Value::Bool(b) => NodeValue::Bool(b),
            Value::Number(n) => NodeValue::Number(n),
            Value::String(s) => NodeValue::String(s),
            Value::Array(items) => NodeValue::Array(
                items
                    .into_iter()
                    .map(|v| Node::from_value(v, offset))
                    .collect(),
            ),
            Value::Object(map) => NodeValue::Object(
                map.into_iter()
                    .map(|(key, v)| Member {
                        key,
                        key_offset: offset,
                        node: Node::from_value(v, offset),
                    })
                    .collect(),
            ),
        };
        Node { offset, value }
    }

    /// The member `key` of an object node.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            NodeValue::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.node),
            _ => None,
        }
    }

    /// The string value, if this is a string.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// A short description of the value for messages: `"wide"`, `a number`, `an object`.
    #[must_use]
    pub fn describe(&self) -> String {
        describe_value(&self.value)
    }
}

fn describe_value(value: &NodeValue) -> String {
    match value {
        NodeValue::Null => "null".to_owned(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Number(n) => n.to_string(),
        NodeValue::String(s) => {
            let short: String = s.chars().take(40).collect();
            if short.len() < s.len() {
                format!("{:?}…", short)
            } else {
                format!("{short:?}")
            }
        }
        NodeValue::Array(_) => "an array".to_owned(),
        NodeValue::Object(_) => "an object".to_owned(),
    }
}

/// Maps byte offsets to 1-based line and column (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (one pass).
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, line_starts }
    }

    /// `(line, column)` of a byte offset, both starting at 1.
    #[must_use]
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .max(1);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        (line, column)
    }
}

#[cfg(test)]
mod tests;
