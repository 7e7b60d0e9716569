//! Grafana's value mappings (`fieldConfig.defaults.mappings`): a value shown as a word and a
//! colour instead of a number — `1` → "Up" in green, `0..50` → "Low", `null` → "Offline".
//!
//! Four kinds, tried in file order, the first match wins (as Grafana's `getValueMappingResult`):
//! - `value`: `{"options": {"1": {"text": "Up", "color": "green"}}}`, the value's text as the key;
//! - `range`: `{"options": {"from": 0, "to": 50, "result": {…}}}`, either end optional, inclusive;
//! - `regex`: `{"options": {"pattern": "/gpu-(.*)/", "result": {"text": "GPU $1"}}}`, on texts
//!   (label values); the match is replaced by the result text, `$1`… its capture groups;
//! - `special`: `{"options": {"match": "null" | "nan" | "null+nan" | "true" | "false" | "empty",
//!   "result": {…}}}`.
//!
//! A mapping that cannot be read is skipped (and the file keeps it as written).

use regex_lite::Regex;
use serde_json::Value;

/// What a matching value is shown as: a text, a colour, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MappingResult {
    pub text: Option<String>,
    /// A Grafana colour name or CSS colour.
    pub color: Option<String>,
}

/// The special values a `special` mapping matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecialValue {
    Null,
    NaN,
    NullOrNaN,
    True,
    False,
    Empty,
}

/// One mapping.
#[derive(Debug, Clone)]
pub enum ValueMapping {
    /// Exact values, by their text (`"1"`, `"up"`).
    Value(Vec<(String, MappingResult)>),
    Range {
        from: Option<f64>,
        to: Option<f64>,
        result: MappingResult,
    },
    Regex {
        pattern: Regex,
        result: MappingResult,
    },
    Special {
        matches: SpecialValue,
        result: MappingResult,
    },
}

impl PartialEq for ValueMapping {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ValueMapping::Value(a), ValueMapping::Value(b)) => a == b,
            (
                ValueMapping::Range { from, to, result },
                ValueMapping::Range {
                    from: f,
                    to: t,
                    result: r,
                },
            ) => from == f && to == t && result == r,
            (
                ValueMapping::Regex { pattern, result },
                ValueMapping::Regex {
                    pattern: p,
                    result: r,
                },
            ) => pattern.as_str() == p.as_str() && result == r,
            (
                ValueMapping::Special { matches, result },
                ValueMapping::Special {
                    matches: m,
                    result: r,
                },
            ) => matches == m && result == r,
            _ => false,
        }
    }
}

/// A value to map: a number (or none), or a text such as a label value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mapped<'a> {
    Number(Option<f64>),
    Text(&'a str),
}

/// Reads a `mappings` array; unreadable entries are skipped.
#[must_use]
pub fn parse_mappings(mappings: &Value) -> Vec<ValueMapping> {
    mappings
        .as_array()
        .map(|list| list.iter().filter_map(parse_mapping).collect())
        .unwrap_or_default()
}

/// Reads one mapping; `None` when it is not one of the four kinds or cannot be read.
#[must_use]
pub fn parse_mapping(mapping: &Value) -> Option<ValueMapping> {
    let options = mapping.get("options")?;
    let result = || options.get("result").map(parse_result).unwrap_or_default();
    match mapping.get("type")?.as_str()? {
        "value" => {
            let values = options
                .as_object()?
                .iter()
                .map(|(key, result)| (key.clone(), parse_result(result)))
                .collect();
            Some(ValueMapping::Value(values))
        }
        "range" => {
            let end = |key: &str| options.get(key).and_then(Value::as_f64);
            Some(ValueMapping::Range {
                from: end("from"),
                to: end("to"),
                result: result(),
            })
        }
        "regex" => {
            let pattern = options.get("pattern")?.as_str()?;
            Some(ValueMapping::Regex {
                pattern: compile(pattern)?,
                result: result(),
            })
        }
        "special" => {
            let matches = match options.get("match")?.as_str()? {
                "null" => SpecialValue::Null,
                "nan" => SpecialValue::NaN,
                "null+nan" => SpecialValue::NullOrNaN,
                "true" => SpecialValue::True,
                "false" => SpecialValue::False,
                "empty" => SpecialValue::Empty,
                _ => return None,
            };
            Some(ValueMapping::Special {
                matches,
                result: result(),
            })
        }
        _ => None,
    }
}

fn parse_result(result: &Value) -> MappingResult {
    let text = |key: &str| {
        result
            .get(key)
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    MappingResult {
        text: text("text"),
        color: text("color"),
    }
}

/// A pattern written plain (`gpu-.*`) or as `/gpu-(.*)/i`, whole-text match as Grafana's
/// `stringToJsRegex` leaves it (unanchored).
fn compile(pattern: &str) -> Option<Regex> {
    let (body, flags) = match pattern.strip_prefix('/').and_then(|p| p.rsplit_once('/')) {
        Some((body, flags)) => (body, flags),
        None => (pattern, ""),
    };
    let prefix = if flags.contains('i') { "(?i)" } else { "" };
    Regex::new(&format!("{prefix}{body}")).ok()
}

/// The result of the first mapping `value` matches.
#[must_use]
pub fn map_value(mappings: &[ValueMapping], value: Mapped<'_>) -> Option<MappingResult> {
    let text = match value {
        Mapped::Number(Some(v)) if v.is_finite() => Some(number_text(v)),
        Mapped::Number(_) => None,
        Mapped::Text(t) => Some(t.to_owned()),
    };
    let number = match value {
        Mapped::Number(v) => v,
        Mapped::Text(t) => t.trim().parse::<f64>().ok(),
    };
    mappings.iter().find_map(|mapping| match mapping {
        ValueMapping::Value(values) => {
            let text = text.as_deref()?;
            values
                .iter()
                .find(|(key, _)| key == text)
                .map(|(_, r)| r.clone())
        }
        ValueMapping::Range { from, to, result } => {
            let v = number.filter(|v| !v.is_nan())?;
            let inside = from.is_none_or(|f| v >= f) && to.is_none_or(|t| v <= t);
            (inside && (from.is_some() || to.is_some())).then(|| result.clone())
        }
        ValueMapping::Regex { pattern, result } => {
            // Texts only, as in Grafana; the match is replaced by the result text, so `$1`
            // names a capture group and the text around the match stays.
            let Mapped::Text(text) = value else {
                return None;
            };
            if !pattern.is_match(text) {
                return None;
            }
            let mut mapped = result.clone();
            if let Some(template) = &result.text {
                mapped.text = Some(pattern.replace(text, template.as_str()).into_owned());
            }
            Some(mapped)
        }
        ValueMapping::Special { matches, result } => {
            let hit = match (matches, value) {
                (SpecialValue::Null, Mapped::Number(None)) => true,
                (SpecialValue::NaN, Mapped::Number(Some(v))) => v.is_nan(),
                (SpecialValue::NullOrNaN, Mapped::Number(v)) => v.is_none_or(f64::is_nan),
                (SpecialValue::True, Mapped::Text(t)) => t == "true",
                (SpecialValue::False, Mapped::Text(t)) => t == "false",
                (SpecialValue::Empty, Mapped::Text(t)) => t.is_empty(),
                _ => false,
            };
            hit.then(|| result.clone())
        }
    })
}

/// A number as JavaScript's `String(v)` writes it for the values dashboards map (`1`, `0.5`).
fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        #[allow(clippy::cast_possible_truncation)]
        let whole = v as i64;
        whole.to_string()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests;
