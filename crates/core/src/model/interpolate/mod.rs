//! Variable interpolation in queries and titles: `$var`, `${var}`, `[[var]]`, formats
//! (`${var:regex}`, `:pipe`, `:csv`, `:json`, `:raw`, `:text`, `:queryparam`…) and the built-ins
//! `$__interval`, `$__interval_ms`, `$__rate_interval`, `$__range`, `$__range_s`, `$__range_ms`,
//! `$__from`, `$__to` (with `:date`, `:date:iso`, `:date:seconds`).
//!
//! Values are escaped for where they land: multi-value and "All" selections become a regex
//! alternation `(a|b\.c)`, and inside a PromQL/LogQL string literal the backslashes and quotes
//! are escaped again, so `{gpu=~"$gpu"}` becomes `{gpu=~"(a|b\\.c)"}`, which Prometheus reads as
//! the regex `(a|b\.c)`. Inside backticks (raw strings) only the regex escaping applies.

use super::civil::format_rfc3339;
use super::duration::Duration;
use super::time_range::{millis_to_secs_text, TimeRange};
use super::url_state::encode;

/// The value of one variable, as interpolation needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VariableValue {
    /// Selected values (every option's value when "All" is selected without a custom all value).
    pub values: Vec<String>,
    /// What the user sees for each value (`:text`).
    pub texts: Vec<String>,
    /// "All" is selected.
    pub is_all: bool,
    /// The variable's custom all value (`.*`), inserted as is when "All" is selected.
    pub all_value: Option<String>,
    /// Multi-value or has "All": values are regex-escaped by default.
    pub multi_or_all: bool,
}

impl VariableValue {
    /// A single plain value (constant, textbox, single-select).
    #[must_use]
    pub fn single(value: &str) -> Self {
        VariableValue {
            values: vec![value.to_owned()],
            texts: vec![value.to_owned()],
            ..VariableValue::default()
        }
    }
}

/// The values built-ins take from the panel and time range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtins {
    pub range: TimeRange,
    /// The panel's step (`$__interval`).
    pub interval: Duration,
    /// The scrape interval, for `$__rate_interval`.
    pub scrape_interval: Duration,
}

/// Everything a text can refer to.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub variables: &'a [(String, VariableValue)],
    pub builtins: Option<Builtins>,
}

impl Scope<'_> {
    fn variable(&self, name: &str) -> Option<&VariableValue> {
        self.variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// One `$var` / `${var:fmt}` / `[[var]]` occurrence in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'t> {
    /// Byte range of the whole reference.
    pub span: std::ops::Range<usize>,
    pub name: &'t str,
    /// `regex` in `${var:regex}`; `date:iso` in `${__from:date:iso}`.
    pub format: Option<&'t str>,
}

/// Every variable reference in `text`, in order.
#[must_use]
pub fn references(text: &str) -> Vec<Reference<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(reference) = reference_at(text, i) {
            i = reference.span.end;
            out.push(reference);
        } else {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

fn word_end(text: &str, start: usize) -> usize {
    start
        + text[start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count()
}

fn reference_at(text: &str, i: usize) -> Option<Reference<'_>> {
    let rest = &text[i..];
    if let Some(inner) = rest.strip_prefix("${") {
        let close = inner.find('}')?;
        let body = &inner[..close];
        let (name, format) = match body.split_once(':') {
            Some((name, format)) => (name, Some(format)),
            None => (body, None),
        };
        let name_ok = !name.is_empty() && word_end(name, 0) == name.len();
        return name_ok.then_some(Reference {
            span: i..i + 2 + close + 1,
            name,
            format,
        });
    }
    if let Some(inner) = rest.strip_prefix("[[") {
        let close = inner.find("]]")?;
        let body = &inner[..close];
        let (name, format) = match body.split_once(':') {
            Some((name, format)) => (name, Some(format)),
            None => (body, None),
        };
        let name_ok = !name.is_empty() && word_end(name, 0) == name.len();
        return name_ok.then_some(Reference {
            span: i..i + 2 + close + 2,
            name,
            format,
        });
    }
    if rest.starts_with('$') {
        let end = word_end(text, i + 1);
        if end > i + 1 {
            return Some(Reference {
                span: i..end,
                name: &text[i + 1..end],
                format: None,
            });
        }
    }
    None
}

/// The names referenced by `text` (each once, in order of first use).
#[must_use]
pub fn referenced_names(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for reference in references(text) {
        if !names.iter().any(|n| n == reference.name) {
            names.push(reference.name.to_owned());
        }
    }
    names
}

/// Where a reference stands in a query: outside quotes or inside one kind of string literal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Double,
    Single,
    Backtick,
}

/// Replaces every known reference in `text`; unknown names are left as written.
#[must_use]
pub fn interpolate(text: &str, scope: &Scope<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote = Quote::None;
    let mut escaped = false;
    let mut i = 0;
    while i < text.len() {
        if !escaped {
            if let Some(reference) = reference_at(text, i) {
                match replacement(&reference, scope, quote) {
                    Some(value) => out.push_str(&value),
                    None => out.push_str(&text[reference.span.clone()]),
                }
                i = reference.span.end;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
        if escaped {
            escaped = false;
            continue;
        }
        quote = match (quote, c) {
            (Quote::Double | Quote::Single, '\\') => {
                escaped = true;
                quote
            }
            (Quote::None, '"') => Quote::Double,
            (Quote::None, '\'') => Quote::Single,
            (Quote::None, '`') => Quote::Backtick,
            (Quote::Double, '"') | (Quote::Single, '\'') | (Quote::Backtick, '`') => Quote::None,
            _ => quote,
        };
    }
    out
}

/// Replaces every known reference in a text shown to people (a panel or row title): each value
/// as its text (`${var:text}` unless the reference names another format), nothing escaped.
#[must_use]
pub fn interpolate_display(text: &str, scope: &Scope<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for reference in references(text) {
        out.push_str(&text[at..reference.span.start]);
        let shown = Reference {
            format: Some(reference.format.unwrap_or("text")),
            ..reference.clone()
        };
        match replacement(&shown, scope, Quote::None) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&text[reference.span.clone()]),
        }
        at = reference.span.end;
    }
    out.push_str(&text[at..]);
    out
}

fn replacement(reference: &Reference<'_>, scope: &Scope<'_>, quote: Quote) -> Option<String> {
    if let Some(value) = builtin(reference, scope) {
        return Some(value);
    }
    let variable = scope.variable(reference.name)?;
    let format = reference.format.unwrap_or("");
    if variable.is_all {
        if let Some(all) = &variable.all_value {
            match format {
                "text" => return Some(literal(quote, "All")),
                "queryparam" => {}
                _ => return Some(all.clone()),
            }
        }
    }
    let text = match format {
        "raw" => return Some(variable.values.join(",")),
        "" if !variable.multi_or_all => variable.values.join(","),
        "" | "regex" => {
            let escaped: Vec<String> = variable.values.iter().map(|v| escape_regex(v)).collect();
            alternation(&escaped)
        }
        "pipe" => variable.values.join("|"),
        "csv" => variable.values.join(","),
        "json" => serde_json::to_string(&variable.values).unwrap_or_default(),
        "text" => {
            if variable.is_all {
                "All".to_owned()
            } else {
                variable.texts.join(" + ")
            }
        }
        "queryparam" => {
            let key = format!("var-{}", reference.name);
            let values: Vec<&str> = if variable.is_all {
                vec!["$__all"]
            } else {
                variable.values.iter().map(String::as_str).collect()
            };
            values
                .iter()
                .map(|v| format!("{}={}", encode(&key), encode(v)))
                .collect::<Vec<_>>()
                .join("&")
        }
        "doublequote" => variable
            .values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(","),
        "singlequote" => variable
            .values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(","),
        "glob" if variable.values.len() > 1 => format!("{{{}}}", variable.values.join(",")),
        "percentencode" => encode(&variable.values.join(",")),
        _ => variable.values.join(","),
    };
    Some(literal(quote, &text))
}

/// `(a|b)` for several values, the value itself for one.
fn alternation(values: &[String]) -> String {
    match values {
        [one] => one.clone(),
        _ => format!("({})", values.join("|")),
    }
}

/// Escapes text for the string literal it is inserted into.
fn literal(quote: Quote, text: &str) -> String {
    let special = match quote {
        Quote::None | Quote::Backtick => return text.to_owned(),
        Quote::Double => '"',
        Quote::Single => '\'',
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\\' || c == special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes regex metacharacters (RE2 syntax, as Prometheus and Loki use).
#[must_use]
pub fn escape_regex(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn builtin(reference: &Reference<'_>, scope: &Scope<'_>) -> Option<String> {
    let b = scope.builtins?;
    let range_ms = b.range.span_ms();
    let rate = super::step::rate_interval(b.interval, b.scrape_interval);
    let value = match reference.name {
        "__interval" => b.interval.to_string(),
        "__interval_ms" => b.interval.as_millis().to_string(),
        "__rate_interval" => rate.to_string(),
        "__rate_interval_ms" => rate.as_millis().to_string(),
        "__range" => format!("{}s", (range_ms + 500) / 1000),
        "__range_s" => ((range_ms + 500) / 1000).to_string(),
        "__range_ms" => range_ms.to_string(),
        "__from" => return Some(time_value(b.range.from_ms, reference.format)),
        "__to" => return Some(time_value(b.range.to_ms, reference.format)),
        _ => return None,
    };
    Some(value)
}

fn time_value(ms: i64, format: Option<&str>) -> String {
    match format {
        Some("date" | "date:iso") => format_rfc3339(ms),
        Some("date:seconds") => millis_to_secs_text(ms.div_euclid(1000) * 1000),
        _ => ms.to_string(),
    }
}

#[cfg(test)]
mod tests;
