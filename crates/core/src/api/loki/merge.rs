//! Merging log streams from several answers (pages, or the legacy and current hosts): one stream
//! per label set, entries de-duplicated on (labels, timestamp, line) and ordered by direction.

use std::collections::{HashMap, HashSet};

use super::streams::LogStream;
use super::time::Direction;
use crate::model::frame::Labels;

/// Merges `incoming` into `streams`, skipping entries already present; returns how many
/// entries were added. Entries of every touched stream end up ordered by `direction` (newest
/// first for backward), as Loki orders them.
pub fn merge_streams(
    streams: &mut Vec<LogStream>,
    incoming: Vec<LogStream>,
    direction: Direction,
) -> usize {
    let mut index: HashMap<Labels, usize> = streams
        .iter()
        .enumerate()
        .map(|(i, s)| (s.labels.clone(), i))
        .collect();
    let mut added = 0;
    for stream in incoming {
        match index.get(&stream.labels) {
            Some(&i) => {
                let existing = &streams[i];
                let seen: HashSet<(i64, &str)> = existing
                    .entries
                    .iter()
                    .map(|e| (e.ts_ns, e.line.as_str()))
                    .collect();
                let fresh: Vec<_> = stream
                    .entries
                    .into_iter()
                    .filter(|e| !seen.contains(&(e.ts_ns, e.line.as_str())))
                    .collect();
                added += fresh.len();
                let target = &mut streams[i];
                target.entries.extend(fresh);
                sort_entries(target, direction);
            }
            None => {
                let mut stream = stream;
                dedupe_within(&mut stream);
                sort_entries(&mut stream, direction);
                added += stream.entries.len();
                index.insert(stream.labels.clone(), streams.len());
                streams.push(stream);
            }
        }
    }
    added
}

fn dedupe_within(stream: &mut LogStream) {
    let mut seen = HashSet::new();
    stream
        .entries
        .retain(|e| seen.insert((e.ts_ns, e.line.clone())));
}

fn sort_entries(stream: &mut LogStream, direction: Direction) {
    match direction {
        Direction::Backward => {
            crate::sort::sort_by_key(&mut stream.entries, |e| std::cmp::Reverse(e.ts_ns));
        }
        Direction::Forward => crate::sort::sort_by_key(&mut stream.entries, |e| e.ts_ns),
    }
}

/// Keeps only the `limit` entries Loki would have returned for `direction` (the newest for
/// backward, the oldest for forward) across all streams, dropping streams left empty.
pub fn trim_to_limit(streams: &mut Vec<LogStream>, direction: Direction, limit: usize) {
    let total: usize = streams.iter().map(|s| s.entries.len()).sum();
    if total <= limit {
        return;
    }
    let mut all: Vec<(i64, usize, usize)> = streams
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            s.entries
                .iter()
                .enumerate()
                .map(move |(ei, e)| (e.ts_ns, si, ei))
        })
        .collect();
    match direction {
        Direction::Backward => {
            crate::sort::sort_by_key(&mut all, |&(ts, si, ei)| (std::cmp::Reverse(ts), si, ei));
        }
        Direction::Forward => crate::sort::sort(&mut all),
    }
    let mut keep: Vec<Vec<bool>> = streams
        .iter()
        .map(|s| vec![false; s.entries.len()])
        .collect();
    for &(_, si, ei) in all.iter().take(limit) {
        keep[si][ei] = true;
    }
    for (stream, keep) in streams.iter_mut().zip(keep) {
        let mut flags = keep.into_iter();
        stream.entries.retain(|_| flags.next().unwrap_or(false));
    }
    streams.retain(|s| !s.entries.is_empty());
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::loki::streams::LogEntry;

    fn stream(app: &str, entries: &[(i64, &str)]) -> LogStream {
        LogStream {
            labels: Labels::new(vec![("app".into(), app.into())]),
            entries: entries
                .iter()
                .map(|(ts, line)| LogEntry {
                    ts_ns: *ts,
                    line: (*line).to_owned(),
                    structured_metadata: Labels::default(),
                    parsed: Labels::default(),
                })
                .collect(),
        }
    }

    fn times(s: &LogStream) -> Vec<i64> {
        s.entries.iter().map(|e| e.ts_ns).collect()
    }

    #[test]
    fn same_labels_become_one_stream_and_boundary_duplicates_are_dropped() {
        let mut loaded = vec![stream("a", &[(30, "c"), (20, "b"), (20, "b2")])];
        let page = vec![
            stream("a", &[(20, "b"), (20, "b2"), (10, "a")]),
            stream("z", &[(15, "z")]),
        ];
        let added = merge_streams(&mut loaded, page, Direction::Backward);
        assert_eq!(added, 2);
        assert_eq!(times(&loaded[0]), vec![30, 20, 20, 10]);
        assert_eq!(loaded[1].labels.get("app"), Some("z"));
    }

    #[test]
    fn same_timestamp_different_lines_are_both_kept() {
        let mut loaded = vec![stream("a", &[(5, "x")])];
        assert_eq!(
            merge_streams(
                &mut loaded,
                vec![stream("a", &[(5, "y")])],
                Direction::Forward
            ),
            1
        );
        assert_eq!(loaded[0].entries.len(), 2);
    }

    #[test]
    fn trimming_keeps_the_newest_for_backward_and_the_oldest_for_forward() {
        let both = vec![
            stream("a", &[(40, "a4"), (10, "a1")]),
            stream("b", &[(30, "b3"), (20, "b2")]),
        ];
        let mut backward = both.clone();
        trim_to_limit(&mut backward, Direction::Backward, 2);
        assert_eq!(times(&backward[0]), vec![40]);
        assert_eq!(times(&backward[1]), vec![30]);
        let mut forward = both;
        trim_to_limit(&mut forward, Direction::Forward, 1);
        assert_eq!(forward.len(), 1);
        assert_eq!(times(&forward[0]), vec![10]);
    }
}
