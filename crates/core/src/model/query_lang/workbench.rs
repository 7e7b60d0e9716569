//! The Explore page's state in its URL, so that a link reopens the same view: the time range
//! (`range=6h` for "the last 6 hours", else `from`/`to` in Grafana's syntax), the time zone,
//! one or two panes (a split view), each with its source (metrics, logs, audit logs) and
//! queries, and the log line limit.
//!
//! `/explore?range=1h&ds=logs&q={app="api"}&ds2=metrics&q2=up&limit=5000`

use serde::{Deserialize, Serialize};

use super::vocabulary::Language;
use crate::model::url_state::{decode, encode};

/// Which of the profile's hosts a pane queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The metrics host (PromQL).
    #[default]
    Metrics,
    /// The logs host (LogQL).
    Logs,
    /// The audit-log host (LogQL).
    Audit,
}

impl Source {
    /// The URL and storage name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Metrics => "metrics",
            Source::Logs => "logs",
            Source::Audit => "audit",
        }
    }

    /// Reads [`Source::as_str`].
    #[must_use]
    pub fn parse(text: &str) -> Option<Source> {
        match text {
            "metrics" => Some(Source::Metrics),
            "logs" => Some(Source::Logs),
            "audit" => Some(Source::Audit),
            _ => None,
        }
    }

    /// The query language of the source.
    #[must_use]
    pub fn language(self) -> Language {
        match self {
            Source::Metrics => Language::PromQL,
            Source::Logs | Source::Audit => Language::LogQL,
        }
    }

    /// A label for the source picker.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Source::Metrics => "Metrics (PromQL)",
            Source::Logs => "Logs (LogQL)",
            Source::Audit => "Audit logs (LogQL)",
        }
    }
}

/// One side of the Explore page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pane {
    pub source: Source,
    /// The queries (A, B, …); empty strings are kept so an empty editor survives a reload.
    pub queries: Vec<String>,
}

/// Everything the Explore URL carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExploreState {
    pub from: String,
    pub to: String,
    /// `browser`, `utc` or an IANA name; `None` = the browser's.
    pub timezone: Option<String>,
    /// One pane, or two side by side.
    pub panes: Vec<Pane>,
    /// Log lines per request.
    pub limit: Option<u32>,
}

impl Default for ExploreState {
    fn default() -> Self {
        ExploreState {
            from: "now-1h".to_owned(),
            to: "now".to_owned(),
            timezone: None,
            panes: vec![Pane::default()],
            limit: None,
        }
    }
}

/// Most queries per pane read from a URL.
pub const MAX_QUERIES: usize = 8;

impl ExploreState {
    /// Reads a query string (with or without `?`). Unknown parameters are ignored, missing
    /// ones take the defaults, and the old `?q=…&range=6h` links still open.
    #[must_use]
    pub fn parse(query: &str) -> Self {
        let mut state = ExploreState::default();
        let mut first = Pane::default();
        let mut second: Option<Pane> = None;
        let query = query.strip_prefix('?').unwrap_or(query);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match decode(key).as_str() {
                "range" if !value.is_empty() => {
                    state.from = format!("now-{value}");
                    state.to = "now".to_owned();
                }
                "from" if !value.is_empty() => state.from = value,
                "to" if !value.is_empty() => state.to = value,
                "tz" | "timezone" if !value.is_empty() => state.timezone = Some(value),
                "ds" => first.source = Source::parse(&value).unwrap_or_default(),
                "q" if first.queries.len() < MAX_QUERIES => first.queries.push(value),
                "ds2" => {
                    second.get_or_insert_with(Pane::default).source =
                        Source::parse(&value).unwrap_or_default()
                }
                "q2" => {
                    let pane = second.get_or_insert_with(Pane::default);
                    if pane.queries.len() < MAX_QUERIES {
                        pane.queries.push(value);
                    }
                }
                "limit" => state.limit = value.parse().ok().filter(|l| *l > 0),
                _ => {}
            }
        }
        state.panes = std::iter::once(first).chain(second).collect();
        for pane in &mut state.panes {
            if pane.queries.is_empty() {
                pane.queries.push(String::new());
            }
        }
        state
    }

    /// Writes the query string (without `?`).
    #[must_use]
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match self.from.strip_prefix("now-") {
            Some(span) if self.to == "now" && !span.contains(['/', '-', '+']) => {
                pairs.push(("range", span.to_owned()));
            }
            _ => {
                pairs.push(("from", self.from.clone()));
                pairs.push(("to", self.to.clone()));
            }
        }
        if let Some(zone) = &self.timezone {
            pairs.push(("tz", zone.clone()));
        }
        for (i, pane) in self.panes.iter().take(2).enumerate() {
            let (ds, q) = if i == 0 { ("ds", "q") } else { ("ds2", "q2") };
            pairs.push((ds, pane.source.as_str().to_owned()));
            for query in &pane.queries {
                pairs.push((q, query.clone()));
            }
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn old_links_open_a_metrics_pane_with_their_query() {
        let s = ExploreState::parse("?q=avg%20by%20(Hostname)%20(DCGM_FI_DEV_GPU_UTIL)&range=6h");
        assert_eq!(s.from, "now-6h");
        assert_eq!(s.to, "now");
        assert_eq!(
            s.panes,
            vec![Pane {
                source: Source::Metrics,
                queries: vec!["avg by (Hostname) (DCGM_FI_DEV_GPU_UTIL)".to_owned()]
            }]
        );
        assert!(s.to_query().starts_with("range=6h&ds=metrics&q=avg%20by"));
    }

    #[test]
    fn a_split_view_with_several_queries_round_trips() {
        let state = ExploreState {
            from: "2026-11-23 10:00:00".to_owned(),
            to: "now/d".to_owned(),
            timezone: Some("Europe/Rome".to_owned()),
            panes: vec![
                Pane {
                    source: Source::Audit,
                    queries: vec![
                        r#"{app="kube-apiserver"} | json | verb="delete""#.to_owned(),
                        String::new(),
                    ],
                },
                Pane {
                    source: Source::Metrics,
                    queries: vec!["up".to_owned()],
                },
            ],
            limit: Some(5000),
        };
        let text = state.to_query();
        assert!(text.contains("from=2026-11-23%2010%3A00%3A00&to=now%2Fd"));
        assert_eq!(ExploreState::parse(&text), state);
    }

    #[test]
    fn an_empty_url_gives_one_empty_metrics_query_over_the_last_hour() {
        let s = ExploreState::parse("");
        assert_eq!(
            s,
            ExploreState {
                panes: vec![Pane {
                    source: Source::Metrics,
                    queries: vec![String::new()]
                }],
                ..ExploreState::default()
            }
        );
        assert_eq!(
            ExploreState::parse("ds=bogus&limit=-3").panes[0].source,
            Source::Metrics
        );
        assert_eq!(ExploreState::parse("limit=0").limit, None);
    }

    proptest! {
        #[test]
        fn any_queries_survive_the_url(queries in proptest::collection::vec(".{0,40}", 1..4), split in any::<bool>()) {
            let mut panes = vec![Pane { source: Source::Logs, queries: queries.clone() }];
            if split {
                panes.push(Pane { source: Source::Metrics, queries });
            }
            let state = ExploreState { panes, ..ExploreState::default() };
            prop_assert_eq!(ExploreState::parse(&state.to_query()), state);
        }
    }
}
