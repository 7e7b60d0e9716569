//! De-duplication of consecutive log lines, as Grafana does it: `exact` (ignoring ISO
//! timestamps inside the line), `numbers` (ignoring digits) and `signature` (ignoring letters and
//! digits, so only the punctuation shape is compared).

use std::borrow::Borrow;

use super::rows::LogRow;

/// How lines are compared to their predecessor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DedupStrategy {
    #[default]
    None,
    Exact,
    Numbers,
    Signature,
}

/// Every strategy, in the order the toolbar offers them.
pub const ALL_STRATEGIES: [DedupStrategy; 4] = [
    DedupStrategy::None,
    DedupStrategy::Exact,
    DedupStrategy::Numbers,
    DedupStrategy::Signature,
];

impl DedupStrategy {
    /// Reads Grafana's `dedupStrategy` (`none`, `exact`, `numbers`, `signature`).
    #[must_use]
    pub fn parse(text: &str) -> Option<DedupStrategy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" | "" => Some(DedupStrategy::None),
            "exact" => Some(DedupStrategy::Exact),
            "numbers" => Some(DedupStrategy::Numbers),
            "signature" => Some(DedupStrategy::Signature),
            _ => None,
        }
    }

    /// Grafana's name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            DedupStrategy::None => "none",
            DedupStrategy::Exact => "exact",
            DedupStrategy::Numbers => "numbers",
            DedupStrategy::Signature => "signature",
        }
    }

    /// The text two lines are compared by.
    #[must_use]
    pub fn key(self, line: &str) -> String {
        match self {
            DedupStrategy::None => line.to_owned(),
            DedupStrategy::Exact => strip_iso_dates(line),
            DedupStrategy::Numbers => line.chars().filter(|c| !c.is_ascii_digit()).collect(),
            DedupStrategy::Signature => line
                .chars()
                .filter(|c| !(c.is_alphanumeric() || *c == '_'))
                .collect(),
        }
    }
}

/// A row shown after de-duplication: its index in the input and how many rows that followed it
/// were folded into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Folded {
    pub index: usize,
    pub duplicates: usize,
}

/// Folds each run of consecutive duplicates (by `strategy`) among `indices` of `rows` into its
/// first row.
#[must_use]
pub fn dedup<R: Borrow<LogRow>>(
    rows: &[R],
    indices: &[usize],
    strategy: DedupStrategy,
) -> Vec<Folded> {
    if strategy == DedupStrategy::None {
        return indices
            .iter()
            .map(|&index| Folded {
                index,
                duplicates: 0,
            })
            .collect();
    }
    let mut out: Vec<Folded> = Vec::with_capacity(indices.len());
    let mut last_key: Option<String> = None;
    for &index in indices {
        let Some(row) = rows.get(index) else {
            continue;
        };
        let key = strategy.key(&row.borrow().line);
        match (&last_key, out.last_mut()) {
            (Some(previous), Some(folded)) if *previous == key => folded.duplicates += 1,
            _ => {
                out.push(Folded {
                    index,
                    duplicates: 0,
                });
                last_key = Some(key);
            }
        }
    }
    out
}

/// Removes ISO 8601 timestamps (`2024-01-01T10:00:00.123Z`, `…+02:00`) from `line`.
fn strip_iso_dates(line: &str) -> String {
    let bytes = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if let Some(len) = iso_date_at(&bytes[i..]) {
            out.push_str(&line[copied..i]);
            i += len;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&line[copied..]);
    out
}

/// Length of an ISO timestamp with fractional seconds and a zone at the start of `b`.
fn iso_date_at(b: &[u8]) -> Option<usize> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let is = |i: usize, c: u8| b.get(i) == Some(&c);
    let shape = (0..4).all(digit)
        && is(4, b'-')
        && digit(5)
        && digit(6)
        && is(7, b'-')
        && digit(8)
        && digit(9)
        && is(10, b'T')
        && digit(11)
        && digit(12)
        && is(13, b':')
        && digit(14)
        && digit(15)
        && is(16, b':')
        && digit(17)
        && digit(18)
        && (is(19, b'.') || is(19, b','))
        && digit(20);
    if !shape {
        return None;
    }
    let mut i = 20;
    while digit(i) {
        i += 1;
    }
    if is(i, b'Z') {
        return Some(i + 1);
    }
    let zone = (is(i, b'+') || is(i, b'-'))
        && digit(i + 1)
        && digit(i + 2)
        && is(i + 3, b':')
        && digit(i + 4)
        && digit(i + 5);
    zone.then_some(i + 6)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::logs::rows::{rows_from_lines, SortOrder};

    fn rows(lines: &[&str]) -> Vec<LogRow> {
        let n = i64::try_from(lines.len()).unwrap();
        let entries: Vec<(i64, &str)> = lines
            .iter()
            .enumerate()
            .map(|(i, line)| (n - i64::try_from(i).unwrap(), *line))
            .collect();
        rows_from_lines(&[(0, &[], &entries)], SortOrder::NewestFirst)
    }

    fn folded(lines: &[&str], strategy: DedupStrategy) -> Vec<(usize, usize)> {
        let rows = rows(lines);
        let all: Vec<usize> = (0..rows.len()).collect();
        dedup(&rows, &all, strategy)
            .into_iter()
            .map(|f| (f.index, f.duplicates))
            .collect()
    }

    #[test]
    fn exact_folds_identical_neighbours_ignoring_iso_timestamps() {
        let lines = [
            "2024-01-01T10:00:00.123Z GET /a",
            "2024-01-01T10:00:01.456+02:00 GET /a",
            "GET /b",
            "GET /a",
        ];
        assert_eq!(
            folded(&lines, DedupStrategy::Exact),
            vec![(0, 1), (2, 0), (3, 0)]
        );
    }

    #[test]
    fn numbers_ignores_digits_and_signature_ignores_words() {
        let lines = ["took 12ms", "took 345ms", "went 1s", "a=1 b=2", "x=7 y=9"];
        assert_eq!(
            folded(&lines, DedupStrategy::Numbers),
            vec![(0, 1), (2, 0), (3, 0), (4, 0)]
        );
        assert_eq!(
            folded(&lines, DedupStrategy::Signature),
            vec![(0, 2), (3, 1)]
        );
    }

    #[test]
    fn none_keeps_every_row() {
        assert_eq!(
            folded(&["a", "a"], DedupStrategy::None),
            vec![(0, 0), (1, 0)]
        );
        assert_eq!(
            DedupStrategy::parse("Signature"),
            Some(DedupStrategy::Signature)
        );
        assert_eq!(DedupStrategy::parse("fuzzy"), None);
    }
}
