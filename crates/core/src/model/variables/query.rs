//! Query variable syntax (`label_values(metric, label)`, `label_names()`, `metrics(re)`,
//! `query_result(expr)`) and the request each one needs. The model never does I/O: it says what
//! to ask, and the app's client asks it.

use crate::model::dashboard::DataSourceKind;

/// What a query variable's query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableQuery {
    /// `label_names()` or `label_names(selector)`.
    LabelNames { matcher: Option<String> },
    /// `label_values(label)` or `label_values(metric_or_selector, label)`.
    LabelValues {
        matcher: Option<String>,
        label: String,
    },
    /// `metrics(regex)`: metric names matching a regex.
    Metrics { regex: String },
    /// `query_result(expr)`: one option per sample of an instant query.
    QueryResult { expr: String },
}

/// Why a query variable's query is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "variable query {query:?} is not understood: expected label_values(label), \
     label_values(metric, label), label_names(), metrics(regex) or query_result(expr)"
)]
pub struct QueryParseError {
    pub query: String,
}

impl VariableQuery {
    /// Parses a query variable's text. A bare expression (no function) is taken as
    /// `query_result(expr)`, as Grafana does for Prometheus "classic" queries.
    ///
    /// # Errors
    /// [`QueryParseError`] for an empty query or a function with the wrong arguments.
    pub fn parse(text: &str) -> Result<Self, QueryParseError> {
        let err = || QueryParseError {
            query: text.to_owned(),
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err());
        }
        let call = |name: &str| {
            trimmed
                .strip_prefix(name)
                .map(str::trim_start)
                .and_then(|rest| rest.strip_prefix('('))
                .and_then(|rest| rest.trim_end().strip_suffix(')'))
                .map(str::trim)
        };
        if let Some(args) = call("label_values") {
            return match split_last_argument(args) {
                (None, label) if is_label_name(label) => Ok(VariableQuery::LabelValues {
                    matcher: None,
                    label: label.to_owned(),
                }),
                (Some(matcher), label) if is_label_name(label) && !matcher.is_empty() => {
                    Ok(VariableQuery::LabelValues {
                        matcher: Some(matcher.to_owned()),
                        label: label.to_owned(),
                    })
                }
                _ => Err(err()),
            };
        }
        if let Some(args) = call("label_names") {
            return Ok(VariableQuery::LabelNames {
                matcher: (!args.is_empty()).then(|| args.to_owned()),
            });
        }
        if let Some(args) = call("metrics") {
            return Ok(VariableQuery::Metrics {
                regex: args.to_owned(),
            });
        }
        if let Some(args) = call("query_result") {
            if args.is_empty() {
                return Err(err());
            }
            return Ok(VariableQuery::QueryResult {
                expr: args.to_owned(),
            });
        }
        Ok(VariableQuery::QueryResult {
            expr: trimmed.to_owned(),
        })
    }

    /// The request that answers this query (with variables already interpolated).
    #[must_use]
    pub fn request(&self, endpoint: DataSourceKind) -> VariableRequest {
        let kind = match self {
            VariableQuery::LabelNames { matcher } => RequestKind::LabelNames {
                matchers: matcher.iter().cloned().collect(),
            },
            VariableQuery::LabelValues { matcher, label } => RequestKind::LabelValues {
                label: label.clone(),
                matchers: matcher.iter().cloned().collect(),
            },
            VariableQuery::Metrics { .. } => RequestKind::LabelValues {
                label: "__name__".to_owned(),
                matchers: Vec::new(),
            },
            VariableQuery::QueryResult { expr } => RequestKind::InstantQuery { expr: expr.clone() },
        };
        VariableRequest { endpoint, kind }
    }
}

/// A request a variable needs answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRequest {
    /// Which signed-in endpoint to ask.
    pub endpoint: DataSourceKind,
    pub kind: RequestKind,
}

/// The API call behind a [`VariableRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestKind {
    /// `GET /api/v1/labels` (Loki: `/loki/api/v1/labels`), with `match[]` / `query` selectors.
    LabelNames { matchers: Vec<String> },
    /// `GET /api/v1/label/<label>/values` with `match[]=<selector>` (Loki:
    /// `/loki/api/v1/label/<label>/values?query=<selector>`).
    LabelValues {
        label: String,
        matchers: Vec<String>,
    },
    /// An instant query at the end of the dashboard range.
    InstantQuery { expr: String },
}

/// `(matcher, label)` of `metric, label`; the last top-level comma separates them (a selector
/// may contain commas inside braces or quotes).
fn split_last_argument(args: &str) -> (Option<&str>, &str) {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut last_comma = None;
    for (i, c) in args.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '{' | '(' | '[' => depth += 1,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => last_comma = Some(i),
            _ => {}
        }
    }
    match last_comma {
        Some(at) => (Some(args[..at].trim()), args[at + 1..].trim()),
        None => (None, args.trim()),
    }
}

fn is_label_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '{' || c == '}')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_query_form() {
        assert_eq!(
            VariableQuery::parse("label_values(DCGM_FI_DEV_GPU_TEMP, gpu)"),
            Ok(VariableQuery::LabelValues {
                matcher: Some("DCGM_FI_DEV_GPU_TEMP".into()),
                label: "gpu".into()
            })
        );
        assert_eq!(
            VariableQuery::parse("label_values(up{job=\"a,b\", instance=~\"$node\"}, instance)"),
            Ok(VariableQuery::LabelValues {
                matcher: Some("up{job=\"a,b\", instance=~\"$node\"}".into()),
                label: "instance".into()
            })
        );
        assert_eq!(
            VariableQuery::parse("label_values(job)"),
            Ok(VariableQuery::LabelValues {
                matcher: None,
                label: "job".into()
            })
        );
        assert_eq!(
            VariableQuery::parse("label_names()"),
            Ok(VariableQuery::LabelNames { matcher: None })
        );
        assert_eq!(
            VariableQuery::parse("metrics(DCGM_.*)"),
            Ok(VariableQuery::Metrics {
                regex: "DCGM_.*".into()
            })
        );
        assert_eq!(
            VariableQuery::parse("query_result(topk(5, up))"),
            Ok(VariableQuery::QueryResult {
                expr: "topk(5, up)".into()
            })
        );
        assert!(VariableQuery::parse("label_values()").is_err());
        assert!(VariableQuery::parse("").is_err());
    }

    #[test]
    fn label_values_with_a_metric_asks_for_label_values_matching_it() {
        let query = VariableQuery::parse("label_values(DCGM_FI_DEV_GPU_TEMP, gpu)").unwrap();
        assert_eq!(
            query.request(DataSourceKind::Metrics),
            VariableRequest {
                endpoint: DataSourceKind::Metrics,
                kind: RequestKind::LabelValues {
                    label: "gpu".into(),
                    matchers: vec!["DCGM_FI_DEV_GPU_TEMP".into()]
                }
            }
        );
    }
}
