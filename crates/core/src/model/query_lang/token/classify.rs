//! Classification of raw tokens by where they stand: label names in `{…}` and grouping lists,
//! functions before `(`, keywords, LogQL stages after `|`, LogQL line filters after a selector.

use super::{Token, TokenKind};
use crate::model::query_lang::vocabulary::{
    is_function, is_keyword, Language, GROUPING_KEYWORDS, LOGQL_STAGES,
};

/// What an open bracket on the stack is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Selector,
    LabelList,
    Call,
    Range,
}

pub(super) fn classify(query: &str, tokens: &mut [Token], language: Language) {
    let mut stack: Vec<Open> = Vec::new();
    let mut previous: Option<usize> = None;
    for i in 0..tokens.len() {
        let kind = tokens[i].kind;
        if kind.is_trivia() {
            continue;
        }
        let text = tokens[i].text(query);
        let prev_kind = previous.map(|p| tokens[p].kind);
        let prev_text = previous.map_or("", |p| tokens[p].text(query));
        let next_significant = tokens[i + 1..]
            .iter()
            .find(|t| !t.kind.is_trivia())
            .map(|t| t.kind);
        let innermost = stack.last().copied();
        let new_kind = match kind {
            TokenKind::MetricName => {
                if matches!(innermost, Some(Open::Selector | Open::LabelList)) {
                    TokenKind::LabelName
                } else if text == "inf" || text == "nan" || text == "Inf" || text == "NaN" {
                    TokenKind::Number
                } else if language == Language::LogQL
                    && prev_kind == Some(TokenKind::Pipe)
                    && LOGQL_STAGES.iter().any(|(s, _)| *s == text)
                {
                    TokenKind::Stage
                } else if is_keyword(language, text) {
                    TokenKind::Keyword
                } else if next_significant == Some(TokenKind::OpenParen)
                    || is_function(language, text)
                {
                    TokenKind::Function
                } else if language == Language::LogQL {
                    TokenKind::LabelName
                } else {
                    TokenKind::MetricName
                }
            }
            TokenKind::Operator
                if language == Language::LogQL
                    && (text == "!=" || text == "!~")
                    && !matches!(innermost, Some(Open::Selector))
                    && matches!(
                        prev_kind,
                        Some(
                            TokenKind::CloseBrace
                                | TokenKind::String { .. }
                                | TokenKind::CloseParen
                        )
                    ) =>
            {
                TokenKind::LineFilter
            }
            other => other,
        };
        tokens[i].kind = new_kind;
        match new_kind {
            TokenKind::OpenBrace => stack.push(Open::Selector),
            TokenKind::OpenParen => stack.push(
                if prev_kind == Some(TokenKind::Keyword) && GROUPING_KEYWORDS.contains(&prev_text) {
                    Open::LabelList
                } else {
                    Open::Call
                },
            ),
            TokenKind::OpenBracket => stack.push(Open::Range),
            TokenKind::CloseBrace | TokenKind::CloseParen | TokenKind::CloseBracket => {
                stack.pop();
            }
            _ => {}
        }
        previous = Some(i);
    }
}
