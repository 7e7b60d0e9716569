//! Query history: the queries run in Explore (never results, never tokens), with how often and
//! when each was last run, starring, search, and a ranking that puts starred and frequently,
//! recently used queries first.

use serde::{Deserialize, Serialize};

use super::workbench::Source;

/// Unstarred entries kept; older ones are forgotten first. Starred entries are always kept.
pub const MAX_UNSTARRED: usize = 200;

/// Longest query kept (longer ones are not recorded).
pub const MAX_QUERY_BYTES: usize = 16 * 1024;

/// One remembered query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub query: String,
    pub source: Source,
    #[serde(default)]
    pub starred: bool,
    /// When it was last run, Unix ms.
    pub last_used_ms: i64,
    /// How many times it was run.
    #[serde(default = "one")]
    pub uses: u32,
}

fn one() -> u32 {
    1
}

/// Remembers that `query` ran on `source` at `now_ms`: an existing entry moves to the front
/// and counts one more use; the oldest unstarred entries beyond [`MAX_UNSTARRED`] are dropped.
pub fn record(history: &mut Vec<HistoryEntry>, query: &str, source: Source, now_ms: i64) {
    let query = query.trim();
    if query.is_empty() || query.len() > MAX_QUERY_BYTES {
        return;
    }
    let entry = match history
        .iter()
        .position(|e| e.query == query && e.source == source)
    {
        Some(i) => {
            let mut entry = history.remove(i);
            entry.uses = entry.uses.saturating_add(1);
            entry.last_used_ms = now_ms;
            entry
        }
        None => HistoryEntry {
            query: query.to_owned(),
            source,
            starred: false,
            last_used_ms: now_ms,
            uses: 1,
        },
    };
    history.insert(0, entry);
    let mut unstarred = 0;
    history.retain(|e| {
        if e.starred {
            return true;
        }
        unstarred += 1;
        unstarred <= MAX_UNSTARRED
    });
}

/// Stars or un-stars an entry.
pub fn set_starred(history: &mut [HistoryEntry], query: &str, source: Source, starred: bool) {
    for entry in history
        .iter_mut()
        .filter(|e| e.query == query && e.source == source)
    {
        entry.starred = starred;
    }
}

/// Forgets an entry.
pub fn remove(history: &mut Vec<HistoryEntry>, query: &str, source: Source) {
    history.retain(|e| !(e.query == query && e.source == source));
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Every whitespace-separated word must appear in the query (any case).
    pub text: String,
    pub source: Option<Source>,
    pub starred_only: bool,
}

/// How much an entry is worth showing at `now_ms`: uses weighted by how recent the last one
/// was (Firefox's "frecency", simplified).
#[must_use]
pub fn frecency(entry: &HistoryEntry, now_ms: i64) -> f64 {
    const HOUR: i64 = 3_600_000;
    let age = now_ms.saturating_sub(entry.last_used_ms);
    let weight = match age {
        a if a < HOUR => 100.0,
        a if a < 24 * HOUR => 70.0,
        a if a < 7 * 24 * HOUR => 50.0,
        a if a < 30 * 24 * HOUR => 30.0,
        _ => 10.0,
    };
    weight * (1.0 + f64::from(entry.uses).ln())
}

/// The entries `filter` selects, best first: starred, then by [`frecency`], then most recent.
#[must_use]
pub fn search<'a>(
    history: &'a [HistoryEntry],
    filter: &HistoryFilter,
    now_ms: i64,
) -> Vec<&'a HistoryEntry> {
    let words: Vec<String> = filter
        .text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    let mut found: Vec<&HistoryEntry> = history
        .iter()
        .filter(|e| filter.source.is_none_or(|s| s == e.source))
        .filter(|e| !filter.starred_only || e.starred)
        .filter(|e| {
            let lower = e.query.to_lowercase();
            words.iter().all(|w| lower.contains(w))
        })
        .collect();
    crate::sort::sort_by(&mut found, |a, b| {
        b.starred
            .cmp(&a.starred)
            .then_with(|| frecency(b, now_ms).total_cmp(&frecency(a, now_ms)))
            .then_with(|| b.last_used_ms.cmp(&a.last_used_ms))
    });
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;
    const DAY: i64 = 86_400_000;

    #[test]
    fn running_a_query_again_moves_it_up_and_counts_it() {
        let mut h = Vec::new();
        record(&mut h, "up", Source::Metrics, NOW - 2 * DAY);
        record(&mut h, "{app=\"api\"}", Source::Logs, NOW - DAY);
        record(&mut h, " up ", Source::Metrics, NOW);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].query, "up");
        assert_eq!(h[0].uses, 2);
        assert_eq!(h[0].last_used_ms, NOW);
        record(&mut h, "   ", Source::Metrics, NOW);
        assert_eq!(h.len(), 2);
    }

    #[test]
    fn the_oldest_unstarred_entries_are_forgotten_first_and_starred_ones_never() {
        let mut h = Vec::new();
        record(&mut h, "keep me", Source::Metrics, 0);
        set_starred(&mut h, "keep me", Source::Metrics, true);
        for i in 0..=MAX_UNSTARRED {
            record(
                &mut h,
                &format!("q{i}"),
                Source::Metrics,
                i64::try_from(i).unwrap(),
            );
        }
        assert_eq!(h.len(), MAX_UNSTARRED + 1);
        assert!(h.iter().any(|e| e.query == "keep me"));
        assert!(!h.iter().any(|e| e.query == "q0"));
    }

    #[test]
    fn ranking_puts_starred_then_frequent_recent_queries_first() {
        let entry = |q: &str, starred, age, uses| HistoryEntry {
            query: q.to_owned(),
            source: Source::Metrics,
            starred,
            last_used_ms: NOW - age,
            uses,
        };
        let h = vec![
            entry("rate(a[5m])", false, 10 * DAY, 1),
            entry("rate(b[5m])", false, 60_000, 1),
            entry("sum(rate(c[5m]))", false, 2 * DAY, 40),
            entry("up", true, 90 * DAY, 1),
        ];
        let all: Vec<&str> = search(&h, &HistoryFilter::default(), NOW)
            .iter()
            .map(|e| e.query.as_str())
            .collect();
        assert_eq!(
            all,
            ["up", "sum(rate(c[5m]))", "rate(b[5m])", "rate(a[5m])"]
        );
        let filtered: Vec<&str> = search(
            &h,
            &HistoryFilter {
                text: "RATE 5m".to_owned(),
                ..HistoryFilter::default()
            },
            NOW,
        )
        .iter()
        .map(|e| e.query.as_str())
        .collect();
        assert_eq!(filtered, ["sum(rate(c[5m]))", "rate(b[5m])", "rate(a[5m])"]);
        let starred = search(
            &h,
            &HistoryFilter {
                starred_only: true,
                ..HistoryFilter::default()
            },
            NOW,
        );
        assert_eq!(starred.len(), 1);
        let logs = search(
            &h,
            &HistoryFilter {
                source: Some(Source::Logs),
                ..HistoryFilter::default()
            },
            NOW,
        );
        assert!(logs.is_empty());
    }

    #[test]
    fn entries_serialize_without_anything_but_the_query_and_its_use() {
        let mut h = Vec::new();
        record(&mut h, "up", Source::Audit, NOW);
        let text = serde_json::to_string(&h).unwrap();
        assert_eq!(
            text,
            r#"[{"query":"up","source":"audit","starred":false,"last_used_ms":1795000000000,"uses":1}]"#
        );
        let back: Vec<HistoryEntry> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, h);
        remove(&mut h, "up", Source::Audit);
        assert!(h.is_empty());
    }
}
