//! Autocomplete suggestions: ranking what the API answered (metric names with their HELP and
//! TYPE, label names, label values) and the language's own words against what is typed, and
//! applying a chosen suggestion to the query text.

use super::context::{CompletionContext, CompletionKind};
use super::vocabulary::{
    Language, LOGQL_FUNCTIONS, LOGQL_KEYWORDS, LOGQL_STAGES, PROMQL_AGGREGATIONS, PROMQL_FUNCTIONS,
    PROMQL_KEYWORDS,
};
use crate::model::interpolate::escape_regex;

/// What a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuggestionKind {
    Metric,
    Function,
    Keyword,
    Stage,
    Label,
    Value,
}

impl SuggestionKind {
    /// A short tag shown beside the suggestion.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            SuggestionKind::Metric => "metric",
            SuggestionKind::Function => "function",
            SuggestionKind::Keyword => "keyword",
            SuggestionKind::Stage => "stage",
            SuggestionKind::Label => "label",
            SuggestionKind::Value => "value",
        }
    }
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub text: String,
    pub kind: SuggestionKind,
    /// `gauge`, `counter`… for metrics.
    pub detail: String,
    /// HELP text or a function's description.
    pub doc: String,
}

impl Suggestion {
    /// A suggestion without detail or documentation.
    #[must_use]
    pub fn plain(text: &str, kind: SuggestionKind) -> Self {
        Suggestion {
            text: text.to_owned(),
            kind,
            detail: String::new(),
            doc: String::new(),
        }
    }
}

/// What the API told about names, for [`suggest`]. Metric entries are `(name, type, help)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary<'a> {
    pub metrics: &'a [(String, String, String)],
    pub labels: &'a [String],
    pub values: &'a [String],
}

/// Most suggestions shown at once.
pub const MAX_SUGGESTIONS: usize = 50;

/// Suggestions for `context`, best first: names that start with the prefix, then names that
/// contain it (case-insensitive), each group in alphabetical order.
#[must_use]
pub fn suggest(
    context: &CompletionContext,
    language: Language,
    known: &Vocabulary<'_>,
) -> Vec<Suggestion> {
    let mut all: Vec<Suggestion> = Vec::new();
    let words = |list: &[(&str, &str)], kind| -> Vec<Suggestion> {
        list.iter()
            .map(|(name, doc)| Suggestion {
                text: (*name).to_owned(),
                kind,
                detail: String::new(),
                doc: (*doc).to_owned(),
            })
            .collect()
    };
    match &context.kind {
        CompletionKind::Expression => {
            if language == Language::PromQL {
                all.extend(known.metrics.iter().map(|(name, kind, help)| Suggestion {
                    text: name.clone(),
                    kind: SuggestionKind::Metric,
                    detail: kind.clone(),
                    doc: help.clone(),
                }));
                all.extend(words(&PROMQL_AGGREGATIONS, SuggestionKind::Function));
                all.extend(words(&PROMQL_FUNCTIONS, SuggestionKind::Function));
                all.extend(
                    PROMQL_KEYWORDS
                        .iter()
                        .map(|k| Suggestion::plain(k, SuggestionKind::Keyword)),
                );
            } else {
                all.extend(words(&LOGQL_FUNCTIONS, SuggestionKind::Function));
                all.extend(
                    LOGQL_KEYWORDS
                        .iter()
                        .map(|k| Suggestion::plain(k, SuggestionKind::Keyword)),
                );
            }
        }
        CompletionKind::LabelName { .. } => {
            all.extend(
                known
                    .labels
                    .iter()
                    .filter(|l| *l != "__name__")
                    .map(|l| Suggestion::plain(l, SuggestionKind::Label)),
            );
        }
        CompletionKind::LabelValue { .. } => {
            all.extend(
                known
                    .values
                    .iter()
                    .map(|v| Suggestion::plain(v, SuggestionKind::Value)),
            );
        }
        CompletionKind::PipelineStage => {
            all.extend(words(&LOGQL_STAGES, SuggestionKind::Stage));
            all.extend(
                known
                    .labels
                    .iter()
                    .map(|l| Suggestion::plain(l, SuggestionKind::Label)),
            );
        }
    }
    rank(all, &context.prefix)
}

fn rank(all: Vec<Suggestion>, prefix: &str) -> Vec<Suggestion> {
    let needle = prefix.to_lowercase();
    let mut scored: Vec<(u8, Suggestion)> = all
        .into_iter()
        .filter_map(|s| {
            let lower = s.text.to_lowercase();
            let score = if s.text.starts_with(prefix) {
                0
            } else if lower.starts_with(&needle) {
                1
            } else if lower.contains(&needle) {
                2
            } else {
                return None;
            };
            Some((score, s))
        })
        .collect();
    crate::sort::sort_by(&mut scored, |(a, x), (b, y)| {
        a.cmp(b).then_with(|| x.text.cmp(&y.text))
    });
    scored.dedup_by(|(_, x), (_, y)| x.text == y.text && x.kind == y.kind);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, s)| s)
        .collect()
}

/// The query after choosing `suggestion` at `context`, and where the cursor goes: after a
/// label name in a selector `name="|"` (ready for its value), after a value past its closing
/// quote, inside the parentheses of a function.
#[must_use]
pub fn apply(query: &str, context: &CompletionContext, suggestion: &Suggestion) -> (String, usize) {
    let start = context.replace.start.min(query.len());
    let end = context.replace.end.clamp(start, query.len());
    let (head, tail) = (&query[..start], &query[end..]);
    let (insert, cursor_in_insert) = match (&context.kind, suggestion.kind) {
        (CompletionKind::LabelName { in_selector: true }, _) => {
            let text = format!("{}=\"\"", suggestion.text);
            let cursor = text.len() - 1;
            (text, cursor)
        }
        (
            CompletionKind::LabelValue {
                operator, quoted, ..
            },
            _,
        ) => {
            let value = if operator.contains('~') {
                escape_regex(&suggestion.text)
            } else {
                suggestion.text.clone()
            };
            let escaped = escape_string(&value);
            if *quoted {
                let closes = tail.starts_with('"');
                let text = if closes {
                    escaped
                } else {
                    format!("{escaped}\"")
                };
                let cursor = text.len() + usize::from(closes);
                (text, cursor)
            } else {
                let text = format!("\"{escaped}\"");
                let cursor = text.len();
                (text, cursor)
            }
        }
        (_, SuggestionKind::Function) if !tail.trim_start().starts_with('(') => {
            let text = format!("{}()", suggestion.text);
            let cursor = text.len() - 1;
            (text, cursor)
        }
        _ => {
            let text = suggestion.text.clone();
            let cursor = text.len();
            (text, cursor)
        }
    };
    (format!("{head}{insert}{tail}"), start + cursor_in_insert)
}

/// Escapes `\` and `"` for a double-quoted PromQL/LogQL string.
#[must_use]
pub fn escape_string(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::query_lang::context::completion_context;

    fn metrics() -> Vec<(String, String, String)> {
        [
            ("DCGM_FI_DEV_GPU_UTIL", "gauge", "GPU utilization (in %)."),
            ("DCGM_FI_DEV_GPU_TEMP", "gauge", "GPU temperature (in C)."),
            ("up", "gauge", ""),
            ("node_gpu_util_ratio", "gauge", ""),
        ]
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect()
    }

    #[test]
    fn metric_names_come_with_help_and_type_prefix_matches_first() {
        let q = "avg(gpu_util";
        let c = completion_context(q, q.len(), Language::PromQL).unwrap();
        let m = metrics();
        let s = suggest(
            &c,
            Language::PromQL,
            &Vocabulary {
                metrics: &m,
                ..Vocabulary::default()
            },
        );
        let names: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(names, ["DCGM_FI_DEV_GPU_UTIL", "node_gpu_util_ratio"]);
        assert_eq!(s[0].detail, "gauge");
        assert_eq!(s[0].doc, "GPU utilization (in %).");
        let q = "DCGM";
        let c = completion_context(q, q.len(), Language::PromQL).unwrap();
        let s = suggest(
            &c,
            Language::PromQL,
            &Vocabulary {
                metrics: &m,
                ..Vocabulary::default()
            },
        );
        assert_eq!(s[0].text, "DCGM_FI_DEV_GPU_TEMP");
    }

    #[test]
    fn choosing_a_label_name_opens_its_value() {
        let q = "up{jo";
        let c = completion_context(q, q.len(), Language::PromQL).unwrap();
        let (text, cursor) = apply(q, &c, &Suggestion::plain("job", SuggestionKind::Label));
        assert_eq!(text, "up{job=\"\"");
        assert_eq!(cursor, 8);
        // The cursor now sits in the value: values are offered next.
        let next = completion_context(&text, cursor, Language::PromQL).unwrap();
        assert!(matches!(
            next.kind,
            CompletionKind::LabelValue { quoted: true, .. }
        ));
        let (text, cursor) = apply(
            &text,
            &next,
            &Suggestion::plain("prometheus", SuggestionKind::Value),
        );
        assert_eq!(text, "up{job=\"prometheus\"");
        assert_eq!(cursor, text.len());
    }

    #[test]
    fn values_are_quoted_escaped_and_regex_escaped_for_regex_matchers() {
        let q = "{app=";
        let c = completion_context(q, q.len(), Language::LogQL).unwrap();
        let (text, _) = apply(
            q,
            &c,
            &Suggestion::plain("say \"hi\"", SuggestionKind::Value),
        );
        assert_eq!(text, "{app=\"say \\\"hi\\\"\"");
        let q = "{host=~\"gpu";
        let c = completion_context(q, q.len(), Language::LogQL).unwrap();
        let (text, cursor) = apply(
            q,
            &c,
            &Suggestion::plain("gpu-1.local", SuggestionKind::Value),
        );
        assert_eq!(text, "{host=~\"gpu-1\\\\.local\"");
        assert_eq!(cursor, text.len());
    }

    #[test]
    fn functions_get_parentheses_and_stages_are_offered_after_a_pipe() {
        let q = "rat";
        let c = completion_context(q, q.len(), Language::PromQL).unwrap();
        let s = suggest(&c, Language::PromQL, &Vocabulary::default());
        assert_eq!(s[0].text, "rate");
        let (text, cursor) = apply(q, &c, &s[0]);
        assert_eq!((text.as_str(), cursor), ("rate()", 5));
        let q = "{a=\"b\"} | lo";
        let c = completion_context(q, q.len(), Language::LogQL).unwrap();
        let s = suggest(&c, Language::LogQL, &Vocabulary::default());
        assert_eq!(s[0].text, "logfmt");
        assert_eq!(s[0].kind, SuggestionKind::Stage);
    }
}
