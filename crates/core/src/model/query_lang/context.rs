//! What the cursor is on, for autocomplete: a metric or function name, a label name in a
//! selector or grouping, a label value after a matcher, or a LogQL pipeline stage — with the
//! text to replace and what the selector around it already says.

use std::ops::Range;

use super::token::{tokenize, Token, TokenKind};
use super::vocabulary::{Language, GROUPING_KEYWORDS};

/// What to suggest at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionKind {
    /// Metric names (PromQL), functions and keywords.
    Expression,
    /// Label names. `in_selector`: inside `{…}` (a matcher follows), else a grouping list.
    LabelName { in_selector: bool },
    /// Values of `label`; `quoted` when the cursor is inside the value's quotes already.
    LabelValue {
        label: String,
        operator: String,
        quoted: bool,
    },
    /// After a LogQL `|`: parsers and other stages, or label names to filter on.
    PipelineStage,
}

/// A place to complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionContext {
    pub kind: CompletionKind,
    /// What is typed of the word so far.
    pub prefix: String,
    /// The bytes a chosen suggestion replaces.
    pub replace: Range<usize>,
    /// The metric the selector belongs to (`up` in `up{job="…"}`), if any.
    pub metric: Option<String>,
    /// The complete matchers of the selector before the cursor (`job="api"`), to narrow
    /// label and value lookups.
    pub matchers: Vec<String>,
}

impl CompletionContext {
    /// The selector the lookups should be narrowed by: `metric{matchers}`, `{matchers}`, or
    /// `None` when there is nothing to narrow by.
    #[must_use]
    pub fn selector(&self) -> Option<String> {
        match (&self.metric, self.matchers.is_empty()) {
            (None, true) => None,
            (Some(metric), true) => Some(metric.clone()),
            (metric, false) => Some(format!(
                "{}{{{}}}",
                metric.as_deref().unwrap_or(""),
                self.matchers.join(", ")
            )),
        }
    }
}

/// The completion context at byte `cursor` of `query` (`None` in a number, a comment, after a
/// closing quote…).
#[must_use]
pub fn completion_context(
    query: &str,
    cursor: usize,
    language: Language,
) -> Option<CompletionContext> {
    let cursor = floor_char_boundary(query, cursor.min(query.len()));
    let before = &query[..cursor];
    let tokens = tokenize(before, language);
    let significant: Vec<&Token> = tokens.iter().filter(|t| !t.kind.is_trivia()).collect();
    let touching = tokens
        .last()
        .filter(|t| t.end == cursor && !t.kind.is_trivia());
    if tokens.last().is_some_and(|t| t.kind == TokenKind::Comment) {
        return None;
    }
    let scope = open_scope(before, &significant);
    let (metric, matchers) = match scope {
        Scope::Selector { open } => selector_so_far(before, &significant, open),
        _ => (None, Vec::new()),
    };
    let context = |kind, prefix: &str, replace: Range<usize>| {
        Some(CompletionContext {
            kind,
            prefix: prefix.to_owned(),
            replace,
            metric: metric.clone(),
            matchers: matchers.clone(),
        })
    };
    // Inside an unterminated string: a label value after `label op "`.
    if let Some(token) = touching.filter(|t| t.kind == TokenKind::String { closed: false }) {
        let index = significant.len() - 1;
        let (label, operator) = matcher_before(before, &significant, index)?;
        let content_start = token.start + 1;
        return context(
            CompletionKind::LabelValue {
                label,
                operator,
                quoted: true,
            },
            &before[content_start..],
            content_start..cursor,
        );
    }
    let word = touching.filter(|t| {
        matches!(
            t.kind,
            TokenKind::MetricName
                | TokenKind::LabelName
                | TokenKind::Function
                | TokenKind::Keyword
                | TokenKind::Stage
        )
    });
    let (prefix, replace, last) = match word {
        Some(token) => (
            token.text(before),
            token.start..cursor,
            significant.len().checked_sub(2).map(|i| significant[i]),
        ),
        None if touching.is_some_and(|t| !is_punctuation(t.kind)) => return None,
        None => ("", cursor..cursor, significant.last().copied()),
    };
    let last_kind = last.map(|t| t.kind);
    match scope {
        Scope::Selector { .. } => match last_kind {
            Some(TokenKind::OpenBrace | TokenKind::Comma) => context(
                CompletionKind::LabelName { in_selector: true },
                prefix,
                replace,
            ),
            Some(TokenKind::Operator) if word.is_none() => {
                let index = significant.len();
                let (label, operator) = matcher_before(before, &significant, index)?;
                context(
                    CompletionKind::LabelValue {
                        label,
                        operator,
                        quoted: false,
                    },
                    "",
                    replace,
                )
            }
            _ => None,
        },
        Scope::LabelList => match last_kind {
            Some(TokenKind::OpenParen | TokenKind::Comma) => context(
                CompletionKind::LabelName { in_selector: false },
                prefix,
                replace,
            ),
            _ => None,
        },
        Scope::Range => None,
        Scope::Expression => {
            if language == Language::LogQL && last_kind == Some(TokenKind::Pipe) {
                return context(CompletionKind::PipelineStage, prefix, replace);
            }
            let expression_start = matches!(
                last_kind,
                None | Some(
                    TokenKind::OpenParen
                        | TokenKind::Comma
                        | TokenKind::Operator
                        | TokenKind::Keyword
                        | TokenKind::CloseParen
                )
            );
            if word.is_some() || expression_start {
                context(CompletionKind::Expression, prefix, replace)
            } else {
                None
            }
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_punctuation(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::OpenBrace
            | TokenKind::OpenParen
            | TokenKind::Comma
            | TokenKind::Operator
            | TokenKind::Pipe
            | TokenKind::CloseParen
    )
}

/// The innermost bracket open at the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// In `{…}`; `open` is the index (among significant tokens) of the `{`.
    Selector {
        open: usize,
    },
    LabelList,
    Range,
    Expression,
}

fn open_scope(text: &str, significant: &[&Token]) -> Scope {
    let mut stack: Vec<(TokenKind, usize)> = Vec::new();
    for (i, token) in significant.iter().enumerate() {
        match token.kind {
            TokenKind::OpenBrace | TokenKind::OpenParen | TokenKind::OpenBracket => {
                stack.push((token.kind, i));
            }
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                stack.pop();
            }
            _ => {}
        }
    }
    match stack.last() {
        Some((TokenKind::OpenBrace, open)) => Scope::Selector { open: *open },
        Some((TokenKind::OpenBracket, _)) => Scope::Range,
        Some((TokenKind::OpenParen, open)) => {
            let keyword = open
                .checked_sub(1)
                .map(|k| significant[k])
                .filter(|t| t.kind == TokenKind::Keyword)
                .map(|t| t.text(text));
            if keyword.is_some_and(|k| GROUPING_KEYWORDS.contains(&k)) {
                Scope::LabelList
            } else {
                Scope::Expression
            }
        }
        _ => Scope::Expression,
    }
}

/// The label and operator of the matcher whose value starts at significant token `index`.
fn matcher_before(text: &str, significant: &[&Token], index: usize) -> Option<(String, String)> {
    let operator = significant.get(index.checked_sub(1)?)?;
    let label = significant.get(index.checked_sub(2)?)?;
    (operator.kind == TokenKind::Operator && label.kind == TokenKind::LabelName)
        .then(|| (label.text(text).to_owned(), operator.text(text).to_owned()))
}

/// The metric before the selector opened at `open`, and its complete matchers so far.
fn selector_so_far(
    text: &str,
    significant: &[&Token],
    open: usize,
) -> (Option<String>, Vec<String>) {
    let metric = open
        .checked_sub(1)
        .map(|i| significant[i])
        .filter(|t| t.kind == TokenKind::MetricName)
        .map(|t| t.text(text).to_owned());
    let inner = &significant[open + 1..];
    let matchers = inner
        .windows(3)
        .filter(|w| {
            w[0].kind == TokenKind::LabelName
                && w[1].kind == TokenKind::Operator
                && w[2].kind == (TokenKind::String { closed: true })
        })
        .map(|w| format!("{}{}{}", w[0].text(text), w[1].text(text), w[2].text(text)))
        .collect();
    (metric, matchers)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at_end(query: &str, language: Language) -> Option<CompletionContext> {
        completion_context(query, query.len(), language)
    }

    #[test]
    fn a_word_in_expression_position_completes_metrics_and_functions() {
        let c = at_end("sum(rate(DCGM_FI_DEV", Language::PromQL).unwrap();
        assert_eq!(c.kind, CompletionKind::Expression);
        assert_eq!(c.prefix, "DCGM_FI_DEV");
        assert_eq!(c.replace, 9..20);
        let empty = at_end("sum(", Language::PromQL).unwrap();
        assert_eq!(empty.prefix, "");
        assert_eq!(empty.kind, CompletionKind::Expression);
    }

    #[test]
    fn inside_braces_label_names_then_values_are_offered() {
        let names = at_end("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\", Host", Language::PromQL).unwrap();
        assert_eq!(names.kind, CompletionKind::LabelName { in_selector: true });
        assert_eq!(names.prefix, "Host");
        assert_eq!(names.metric.as_deref(), Some("DCGM_FI_DEV_GPU_UTIL"));
        assert_eq!(names.matchers, vec!["gpu=\"0\""]);
        assert_eq!(
            names.selector().as_deref(),
            Some("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\"}")
        );

        let values = at_end("up{job=~\"pro", Language::PromQL).unwrap();
        assert_eq!(
            values.kind,
            CompletionKind::LabelValue {
                label: "job".into(),
                operator: "=~".into(),
                quoted: true
            }
        );
        assert_eq!(values.prefix, "pro");
        assert_eq!(values.replace, 9..12);

        let unquoted = at_end("{cluster=", Language::LogQL).unwrap();
        assert_eq!(
            unquoted.kind,
            CompletionKind::LabelValue {
                label: "cluster".into(),
                operator: "=".into(),
                quoted: false
            }
        );
        assert_eq!(
            at_end("{", Language::LogQL).unwrap().kind,
            CompletionKind::LabelName { in_selector: true }
        );
    }

    #[test]
    fn grouping_lists_complete_label_names() {
        let c = at_end("sum by (Host", Language::PromQL).unwrap();
        assert_eq!(c.kind, CompletionKind::LabelName { in_selector: false });
        assert_eq!(c.prefix, "Host");
        let after_comma = at_end("sum without (a, ", Language::PromQL).unwrap();
        assert_eq!(
            after_comma.kind,
            CompletionKind::LabelName { in_selector: false }
        );
    }

    #[test]
    fn logql_pipes_complete_stages() {
        let c = at_end("{app=\"api\"} | js", Language::LogQL).unwrap();
        assert_eq!(c.kind, CompletionKind::PipelineStage);
        assert_eq!(c.prefix, "js");
        let empty = at_end("{app=\"api\"} |= \"x\" | ", Language::LogQL).unwrap();
        assert_eq!(empty.kind, CompletionKind::PipelineStage);
    }

    #[test]
    fn nothing_is_offered_in_numbers_ranges_or_after_a_closed_value() {
        assert_eq!(at_end("rate(x[5", Language::PromQL), None);
        assert_eq!(at_end("up > 1", Language::PromQL), None);
        assert_eq!(at_end("up{job=\"a\"", Language::PromQL), None);
        assert_eq!(at_end("up # comm", Language::PromQL), None);
        // A cursor in the middle of the query only looks at what is before it.
        let q = "up{job=\"a\"} + node_load1";
        let c = completion_context(q, 5, Language::PromQL).unwrap();
        assert_eq!(c.kind, CompletionKind::LabelName { in_selector: true });
        assert_eq!(c.prefix, "jo");
    }
}
