//! Search in loaded results: case-insensitive matches of a needle in a line, split into the
//! pieces the list draws (plain and highlighted), and the rows to show after search, level
//! filters and de-duplication.

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::ops::Range;

use super::dedup::{dedup, DedupStrategy, Folded};
use super::level::LogLevel;
use super::rows::LogRow;

/// Byte ranges of the case-insensitive (Unicode lower-case) matches of `needle` in `text`, not
/// overlapping, on character boundaries.
#[must_use]
pub fn find_matches(text: &str, needle: &str) -> Vec<Range<usize>> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let hit = needle
            .iter()
            .zip(&chars[i..])
            .all(|(n, (_, c))| c.to_lowercase().eq(std::iter::once(*n)));
        if hit {
            let start = chars[i].0;
            let end = chars
                .get(i + needle.len())
                .map_or(text.len(), |(offset, _)| *offset);
            out.push(start..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// A piece of a line: its text and whether it matches the search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece<'a> {
    pub text: &'a str,
    pub hit: bool,
}

/// `text` cut into plain and matching pieces (one plain piece when nothing matches).
#[must_use]
pub fn pieces<'a>(text: &'a str, needle: &str) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut at = 0;
    for range in find_matches(text, needle) {
        if range.start > at {
            out.push(Piece {
                text: &text[at..range.start],
                hit: false,
            });
        }
        out.push(Piece {
            text: &text[range.clone()],
            hit: true,
        });
        at = range.end;
    }
    if at < text.len() || out.is_empty() {
        out.push(Piece {
            text: &text[at..],
            hit: false,
        });
    }
    out
}

/// What the list shows of the loaded rows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewFilter {
    /// Search text (highlighted; rows are kept unless `only_matching`).
    pub search: String,
    pub only_matching: bool,
    /// Levels hidden by the user (clicking a level in the volume legend).
    pub hidden_levels: BTreeSet<LogLevel>,
    pub dedup: DedupStrategy,
}

/// The rows shown, in list order, and which of them match the search.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RowView {
    pub rows: Vec<Folded>,
    /// Positions in `rows` of the rows whose line matches the search.
    pub matches: Vec<usize>,
}

/// Applies `filter` to `rows` (which are already in display order).
#[must_use]
pub fn view_rows<R: Borrow<LogRow>>(rows: &[R], filter: &ViewFilter) -> RowView {
    let search = filter.search.trim();
    let kept: Vec<usize> = rows
        .iter()
        .map(Borrow::borrow)
        .enumerate()
        .filter(|(_, r)| !filter.hidden_levels.contains(&r.level))
        .filter(|(_, r)| {
            !filter.only_matching || search.is_empty() || !find_matches(&r.line, search).is_empty()
        })
        .map(|(i, _)| i)
        .collect();
    let folded = dedup(rows, &kept, filter.dedup);
    let matches = if search.is_empty() {
        Vec::new()
    } else {
        folded
            .iter()
            .enumerate()
            .filter(|(_, f)| !find_matches(&rows[f.index].borrow().line, search).is_empty())
            .map(|(i, _)| i)
            .collect()
    };
    RowView {
        rows: folded,
        matches,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignore_case_and_respect_multibyte_characters() {
        assert_eq!(
            find_matches("GET /Error error", "ERROR"),
            vec![5..10, 11..16]
        );
        assert_eq!(find_matches("größe Größe", "GRÖ"), vec![0..4, 8..12]);
        assert_eq!(find_matches("aaa", "aa"), vec![0..2]);
        assert!(find_matches("abc", "").is_empty());
    }

    #[test]
    fn pieces_alternate_plain_and_hit() {
        let p = pieces("a needle in a Needle", "needle");
        let texts: Vec<(&str, bool)> = p.iter().map(|p| (p.text, p.hit)).collect();
        assert_eq!(
            texts,
            vec![
                ("a ", false),
                ("needle", true),
                (" in a ", false),
                ("Needle", true)
            ]
        );
        assert_eq!(
            pieces("", "x"),
            vec![Piece {
                text: "",
                hit: false
            }]
        );
    }
}
