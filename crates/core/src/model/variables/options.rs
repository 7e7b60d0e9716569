//! Turning answers into options: the variable's `/regex/` (filter, or extract with a capture
//! group or named `text`/`value` groups), de-duplication and Grafana's sort orders.

use regex_lite::{Regex, RegexBuilder};

use super::{VariableError, VariableOption};

/// Compiles a variable regex written as `/pattern/flags` (or a bare pattern).
///
/// # Errors
/// [`VariableError::BadRegex`] when the pattern is not valid (or too large).
pub fn compile_variable_regex(variable: &str, text: &str) -> Result<Regex, VariableError> {
    let (pattern, flags) = match text
        .strip_prefix('/')
        .and_then(|rest| rest.rfind('/').map(|end| (&rest[..end], &rest[end + 1..])))
    {
        Some((pattern, flags)) => (pattern, flags),
        None => (text, ""),
    };
    RegexBuilder::new(pattern)
        .case_insensitive(flags.contains('i'))
        .multi_line(flags.contains('m'))
        .dot_matches_new_line(flags.contains('s'))
        .size_limit(1 << 20)
        .build()
        .map_err(|err| VariableError::BadRegex {
            variable: variable.to_owned(),
            message: err.to_string(),
        })
}

/// Applies a variable regex to one value: `None` when it does not match; otherwise the option,
/// taken from named groups `text`/`value`, else the first capture group, else the whole value.
#[must_use]
pub fn apply_regex(regex: &Regex, value: &str) -> Option<VariableOption> {
    let captures = regex.captures(value)?;
    let named_value = captures.name("value").map(|m| m.as_str());
    let named_text = captures.name("text").map(|m| m.as_str());
    if named_value.is_some() || named_text.is_some() {
        let v = named_value.or(named_text).unwrap_or(value);
        return Some(VariableOption::new(named_text.unwrap_or(v), v));
    }
    let picked = captures.get(1).map_or(value, |m| m.as_str());
    Some(VariableOption::new(picked, picked))
}

/// Sorts options as Grafana's `sort`: 1/2 alphabetical, 3/4 numerical, 5/6 alphabetical
/// ignoring case, 7/8 natural; odd ascending, even descending; 0 keeps the order.
pub fn sort_options(options: &mut [VariableOption], sort: u32) {
    match sort {
        1 | 2 => crate::sort::sort_by(options, |a, b| a.text.cmp(&b.text)),
        3 | 4 => crate::sort::sort_by(options, |a, b| {
            leading_number(&a.text).total_cmp(&leading_number(&b.text))
        }),
        5 | 6 => crate::sort::sort_by_key(options, |o| o.text.to_lowercase()),
        7 | 8 => crate::sort::sort_by(options, |a, b| natural_cmp(&a.text, &b.text)),
        _ => return,
    }
    if sort.is_multiple_of(2) {
        options.reverse();
    }
}

/// The first number in a text (Grafana sorts `gpu10` after `gpu9` numerically); none sorts first.
fn leading_number(text: &str) -> f64 {
    let start = text.find(|c: char| c.is_ascii_digit());
    start
        .map(|s| {
            let digits: String = text[s..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            digits.parse().unwrap_or(f64::MIN)
        })
        .unwrap_or(f64::MIN)
}

fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let chunks = |s: &str| -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars() {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, chunk)) if *d == digit => chunk.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    };
    let (ca, cb) = (chunks(a), chunks(b));
    for ((da, xa), (db, xb)) in ca.iter().zip(cb.iter()) {
        let ordering = if *da && *db {
            xa.len().cmp(&xb.len()).then_with(|| xa.cmp(xb))
        } else {
            xa.to_lowercase().cmp(&xb.to_lowercase())
        };
        if ordering != std::cmp::Ordering::Equal {
            return ordering;
        }
    }
    ca.len().cmp(&cb.len())
}

/// Drops options whose value already appeared.
pub fn dedup_options(options: &mut Vec<VariableOption>) {
    let mut seen = std::collections::HashSet::new();
    options.retain(|o| seen.insert(o.value.clone()));
}
