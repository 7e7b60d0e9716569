//! Edits of LogQL queries that the log list asks for: "filter for / filter out" a stream label
//! (a matcher in the selector) or a field (a label filter after the pipeline, with a parser
//! first when the query has none), and questions about a query's shape (its stream selector,
//! whether it is a plain selector, whether it parses lines).

use std::ops::Range;

use super::complete::escape_string;
use super::token::{tokenize, Token, TokenKind};
use super::vocabulary::Language;

/// Keep or drop lines with the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    /// `=`: keep only lines with this value.
    Include,
    /// `!=`: drop lines with this value.
    Exclude,
}

impl FilterOp {
    fn operator(self) -> &'static str {
        match self {
            FilterOp::Include => "=",
            FilterOp::Exclude => "!=",
        }
    }
}

fn significant(query: &str) -> Vec<Token> {
    tokenize(query, Language::LogQL)
        .into_iter()
        .filter(|t| !t.kind.is_trivia())
        .collect()
}

/// The byte range of the first stream selector `{…}` (braces included).
#[must_use]
pub fn stream_selector(query: &str) -> Option<Range<usize>> {
    let tokens = significant(query);
    let open = tokens.iter().position(|t| t.kind == TokenKind::OpenBrace)?;
    let close = tokens[open..]
        .iter()
        .position(|t| t.kind == TokenKind::CloseBrace)?;
    Some(tokens[open].start..tokens[open + close].end)
}

/// True when the query is only a stream selector (what `index/volume` accepts).
#[must_use]
pub fn is_plain_selector(query: &str) -> bool {
    let tokens = significant(query);
    tokens
        .first()
        .is_some_and(|t| t.kind == TokenKind::OpenBrace)
        && tokens
            .last()
            .is_some_and(|t| t.kind == TokenKind::CloseBrace)
        && tokens
            .iter()
            .filter(|t| matches!(t.kind, TokenKind::OpenBrace | TokenKind::CloseBrace))
            .count()
            == 2
}

/// True for a metric query (`count_over_time(…)`, `sum by (…) (…)`), which returns samples
/// rather than lines.
#[must_use]
pub fn is_metric_query(query: &str) -> bool {
    significant(query)
        .first()
        .is_some_and(|t| t.kind == TokenKind::Function || t.kind == TokenKind::Number)
}

/// True when the query runs a parser that extracts fields (`json`, `logfmt`, `pattern`,
/// `regexp`, `unpack`).
#[must_use]
pub fn has_parser(query: &str) -> bool {
    significant(query).iter().any(|t| {
        t.kind == TokenKind::Stage
            && matches!(
                t.text(query),
                "json" | "logfmt" | "pattern" | "regexp" | "unpack"
            )
    })
}

/// Adds `name="value"` (or `name!="value"`) to the query's first stream selector. A query
/// without a selector becomes one. An identical matcher already there leaves the query as it
/// is.
#[must_use]
pub fn add_stream_matcher(query: &str, name: &str, value: &str, op: FilterOp) -> String {
    let matcher = format!("{name}{}\"{}\"", op.operator(), escape_string(value));
    let Some(range) = stream_selector(query) else {
        return format!("{{{matcher}}} {}", query.trim())
            .trim_end()
            .to_owned();
    };
    let inner = &query[range.start + 1..range.end - 1];
    if inner
        .split(',')
        .any(|m| m.split_whitespace().collect::<String>() == matcher)
    {
        return query.to_owned();
    }
    let separator = if inner.trim().is_empty() { "" } else { ", " };
    let insert_at = range.start + 1 + inner.trim_end().len();
    format!(
        "{}{separator}{matcher}{}",
        &query[..insert_at],
        &query[insert_at..]
    )
}

/// Appends `| name="value"` (or `!=`) to a log query's pipeline; `parser` (`json`, `logfmt`) is
/// added first when the query does not parse its lines yet (the field was found in the line).
#[must_use]
pub fn add_label_filter(
    query: &str,
    name: &str,
    value: &str,
    op: FilterOp,
    parser: Option<&str>,
) -> String {
    let mut out = query.trim_end().to_owned();
    if let Some(parser) = parser {
        if !has_parser(query) {
            out.push_str(" | ");
            out.push_str(parser);
        }
    }
    out.push_str(&format!(
        " | {name}{}\"{}\"",
        op.operator(),
        escape_string(value)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDIT: &str = r#"{logging_component="unicaster", app="kube-apiserver", stream="", cluster="east-prod"} | json | apiVersion="audit.k8s.io/v1""#;

    #[test]
    fn filter_for_a_stream_label_adds_a_matcher_to_the_selector() {
        assert_eq!(
            add_stream_matcher(
                r#"{app="api"} |= "GET""#,
                "namespace",
                "prod",
                FilterOp::Include
            ),
            r#"{app="api", namespace="prod"} |= "GET""#
        );
        assert_eq!(
            add_stream_matcher(r#"{ app="api" }"#, "pod", "a\"b", FilterOp::Exclude),
            r#"{ app="api", pod!="a\"b" }"#
        );
        assert_eq!(
            add_stream_matcher(r#"{app="api"}"#, "app", "api", FilterOp::Include),
            r#"{app="api"}"#
        );
        assert_eq!(
            add_stream_matcher("", "app", "x", FilterOp::Include),
            r#"{app="x"}"#
        );
    }

    #[test]
    fn filter_for_a_field_appends_a_label_filter_and_a_parser_when_needed() {
        assert_eq!(
            add_label_filter(AUDIT, "verb", "delete", FilterOp::Include, Some("json")),
            format!("{AUDIT} | verb=\"delete\"")
        );
        assert_eq!(
            add_label_filter(
                r#"{app="api"}"#,
                "status",
                "500",
                FilterOp::Exclude,
                Some("logfmt")
            ),
            r#"{app="api"} | logfmt | status!="500""#
        );
    }

    #[test]
    fn query_shapes_are_recognised() {
        assert_eq!(stream_selector(AUDIT), Some(0..85));
        assert!(is_plain_selector(r#" {app="api", x=~"a|b"} "#));
        assert!(!is_plain_selector(AUDIT));
        assert!(!is_plain_selector(r#"{app="api"} |= "x""#));
        assert!(has_parser(AUDIT));
        assert!(!has_parser(r#"{app="json"} |= "json""#));
        assert!(is_metric_query(
            r#"sum by (level) (count_over_time({a="b"}[5m]))"#
        ));
        assert!(!is_metric_query(AUDIT));
    }
}
