//! "Load older" / "load newer" for log queries, and polling for new lines.
//!
//! Loki returns at most `limit` entries from one end of the range. The next page moves `end`
//! (backward) or `start` (forward) to the last timestamp seen, *including* it, because several
//! entries can share a nanosecond and the limit may have cut between them; the entries seen
//! twice are dropped by [`merge_streams`]. Only if a whole page was duplicates (more than
//! `limit` entries in one nanosecond) does the next page step strictly past that instant.

use super::merge::merge_streams;
use super::streams::{entry_count, LogStream};
use super::time::{Direction, LogRange};

/// Oldest timestamp among `streams`.
#[must_use]
pub fn oldest_ns(streams: &[LogStream]) -> Option<i64> {
    streams
        .iter()
        .filter_map(LogStream::time_bounds_ns)
        .map(|(lo, _)| lo)
        .min()
}

/// Newest timestamp among `streams`.
#[must_use]
pub fn newest_ns(streams: &[LogStream]) -> Option<i64> {
    streams
        .iter()
        .filter_map(LogStream::time_bounds_ns)
        .map(|(_, hi)| hi)
        .max()
}

/// The range of "load older" within `range`, given what is loaded: `[start, oldest]`, i.e.
/// `end = oldest + 1` (Loki's `end` is exclusive). `None` when nothing older can exist.
#[must_use]
pub fn older_page(range: LogRange, loaded: &[LogStream]) -> Option<LogRange> {
    let end = oldest_ns(loaded)?.checked_add(1)?;
    (end > range.start_ns).then_some(LogRange {
        start_ns: range.start_ns,
        end_ns: end.min(range.end_ns),
    })
}

/// The range of "load newer" (or the next poll of a live view) up to `end_ns`:
/// `[newest, end)`. `None` when nothing newer can exist.
#[must_use]
pub fn newer_page(end_ns: i64, loaded: &[LogStream]) -> Option<LogRange> {
    let start = newest_ns(loaded)?;
    (start < end_ns).then_some(LogRange {
        start_ns: start,
        end_ns,
    })
}

/// One paged log query: the whole range the user asked for, the direction and page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogPager {
    pub range: LogRange,
    pub direction: Direction,
    pub limit: u32,
}

/// What a page brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageOutcome {
    /// Entries not seen before.
    pub added: usize,
    /// The range of the following page, or `None` when the range is exhausted.
    pub next: Option<LogRange>,
}

impl LogPager {
    /// The range of the first page.
    #[must_use]
    pub fn first_page(&self) -> LogRange {
        self.range
    }

    /// Merges `page` (the answer for one page) into `loaded` and says where the next page is.
    pub fn absorb(&self, loaded: &mut Vec<LogStream>, page: Vec<LogStream>) -> PageOutcome {
        let received = entry_count(&page);
        let added = merge_streams(loaded, page, self.direction);
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if received < limit {
            return PageOutcome { added, next: None };
        }
        let next = match (self.direction, added) {
            (Direction::Backward, 0) => oldest_ns(loaded)
                .filter(|&oldest| oldest > self.range.start_ns)
                .map(|oldest| LogRange::new(self.range.start_ns, oldest)),
            (Direction::Backward, _) => older_page(self.range, loaded),
            (Direction::Forward, 0) => newest_ns(loaded)
                .and_then(|newest| newest.checked_add(1))
                .filter(|&start| start < self.range.end_ns)
                .map(|start| LogRange::new(start, self.range.end_ns)),
            (Direction::Forward, _) => newer_page(self.range.end_ns, loaded),
        };
        PageOutcome { added, next }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::loki::streams::LogEntry;
    use crate::model::frame::Labels;

    fn page(entries: &[(i64, &str)]) -> Vec<LogStream> {
        vec![LogStream {
            labels: Labels::new(vec![("app".into(), "api".into())]),
            entries: entries
                .iter()
                .map(|(ts, line)| LogEntry {
                    ts_ns: *ts,
                    line: (*line).to_owned(),
                    structured_metadata: Labels::default(),
                    parsed: Labels::default(),
                })
                .collect(),
        }]
    }

    #[test]
    fn backward_pages_move_end_to_the_oldest_entry_inclusive() {
        let pager = LogPager {
            range: LogRange::new(0, 1000),
            direction: Direction::Backward,
            limit: 3,
        };
        let mut loaded = Vec::new();
        let first = pager.absorb(&mut loaded, page(&[(900, "e"), (800, "d"), (700, "c")]));
        assert_eq!(
            first,
            PageOutcome {
                added: 3,
                next: Some(LogRange::new(0, 701))
            }
        );
        // The next page repeats the boundary entry, which is de-duplicated.
        let second = pager.absorb(&mut loaded, page(&[(700, "c"), (700, "c2"), (600, "b")]));
        assert_eq!(
            second,
            PageOutcome {
                added: 2,
                next: Some(LogRange::new(0, 601))
            }
        );
        let last = pager.absorb(&mut loaded, page(&[(600, "b"), (100, "a")]));
        assert_eq!(
            last,
            PageOutcome {
                added: 1,
                next: None
            }
        );
        assert_eq!(entry_count(&loaded), 6);
    }

    #[test]
    fn forward_pages_move_start_to_the_newest_entry() {
        let pager = LogPager {
            range: LogRange::new(0, 1000),
            direction: Direction::Forward,
            limit: 2,
        };
        let mut loaded = Vec::new();
        let first = pager.absorb(&mut loaded, page(&[(100, "a"), (200, "b")]));
        assert_eq!(first.next, Some(LogRange::new(200, 1000)));
    }

    #[test]
    fn a_page_of_only_duplicates_steps_past_the_crowded_nanosecond() {
        let pager = LogPager {
            range: LogRange::new(0, 1000),
            direction: Direction::Backward,
            limit: 2,
        };
        let mut loaded = page(&[(500, "x"), (500, "y")]);
        let outcome = pager.absorb(&mut loaded, page(&[(500, "x"), (500, "y")]));
        assert_eq!(
            outcome,
            PageOutcome {
                added: 0,
                next: Some(LogRange::new(0, 500))
            }
        );
    }

    #[test]
    fn polling_for_newer_lines_starts_at_the_newest_seen() {
        assert_eq!(
            newer_page(2000, &page(&[(1500, "a")])),
            Some(LogRange::new(1500, 2000))
        );
        assert_eq!(newer_page(2000, &[]), None);
        assert_eq!(
            older_page(LogRange::new(100, 2000), &page(&[(100, "a")])),
            Some(LogRange::new(100, 101))
        );
        assert_eq!(
            older_page(LogRange::new(100, 2000), &page(&[(99, "a")])),
            None
        );
    }
}
