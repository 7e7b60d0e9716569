//! Rows followed from one answer to the next: a refresh, a page of older lines or another run
//! numbers the rows afresh, so what the list keeps per row (expanded, measured height, the row
//! the reader was looking at) moves to the same line in the new answer: the same query, stream,
//! instant and text.

use std::borrow::Borrow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use super::rows::LogRow;

/// What makes a line the same line in two answers. Rows are numbered by position, which moves
/// when newer lines arrive; this does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct RowIdentity {
    ts_ns: i64,
    query_index: usize,
    digest: u64,
}

impl RowIdentity {
    fn of(row: &LogRow) -> RowIdentity {
        let mut hasher = DefaultHasher::new();
        row.labels.hash(&mut hasher);
        row.line.hash(&mut hasher);
        RowIdentity {
            ts_ns: row.ts_ns,
            query_index: row.query_index,
            digest: hasher.finish(),
        }
    }
}

/// Where each of `ids` (rows of `old`, by [`LogRow::id`]) is in `new`, for the ids whose line
/// `new` still holds. Lines identical in query, stream, instant and text are matched in order:
/// the second such line of `old` follows to the second of `new`.
///
/// Costs one pass over `new`, hashing only the lines whose instant matches a followed row.
#[must_use]
pub fn follow_rows<R: Borrow<LogRow>>(
    old: &[R],
    ids: impl IntoIterator<Item = usize>,
    new: &[R],
) -> HashMap<usize, usize> {
    // Identity → the followed ids with it, in list order, for ties between identical lines.
    let mut wanted: HashMap<RowIdentity, Vec<(usize, usize)>> = HashMap::new();
    let mut instants: HashSet<(i64, usize)> = HashSet::new();
    let mut ids: Vec<usize> = ids.into_iter().filter(|id| *id < old.len()).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let row = old[id].borrow();
        let identity = RowIdentity::of(row);
        // Which of the identical lines this is: count the ones before it.
        let rank = old[..id]
            .iter()
            .rev()
            .take_while(|r| (*r).borrow().ts_ns == row.ts_ns)
            .filter(|r| RowIdentity::of((*r).borrow()) == identity)
            .count();
        instants.insert((row.ts_ns, row.query_index));
        wanted.entry(identity).or_default().push((rank, id));
    }
    let mut seen: HashMap<RowIdentity, usize> = HashMap::new();
    let mut moved = HashMap::new();
    for (new_id, row) in new.iter().enumerate() {
        let row = row.borrow();
        if !instants.contains(&(row.ts_ns, row.query_index)) {
            continue;
        }
        let identity = RowIdentity::of(row);
        let Some(followed) = wanted.get(&identity) else {
            continue;
        };
        let rank = seen.entry(identity).or_insert(0);
        if let Some((_, old_id)) = followed.iter().find(|(r, _)| r == rank) {
            moved.insert(*old_id, new_id);
        }
        *rank += 1;
    }
    moved
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::logs::rows::{rows_from_lines, SortOrder};

    fn rows(lines: &[(i64, &'static str)]) -> Vec<Arc<LogRow>> {
        let lines: Vec<(i64, &str)> = lines.to_vec();
        rows_from_lines(&[(0, &[("app", "api")], &lines)], SortOrder::NewestFirst)
            .into_iter()
            .map(Arc::new)
            .collect()
    }

    #[test]
    fn a_refresh_with_newer_lines_moves_each_row_down_by_their_number() {
        let old = rows(&[(10, "a"), (20, "b"), (30, "c")]);
        let new = rows(&[(10, "a"), (20, "b"), (30, "c"), (40, "d"), (50, "e")]);
        // Newest first: old ids 0 (c), 1 (b), 2 (a); two newer lines come first now.
        let moved = follow_rows(&old, [0, 2], &new);
        assert_eq!(moved, HashMap::from([(0, 2), (2, 4)]));
        assert_eq!(new[2].line, "c");
    }

    #[test]
    fn lines_gone_from_the_new_answer_are_not_followed() {
        let old = rows(&[(10, "a"), (20, "b")]);
        let new = rows(&[(20, "b"), (30, "c")]);
        let moved = follow_rows(&old, [0, 1], &new);
        // Old 0 is b (newest first), now at 1; old 1 (a) fell out of the window.
        assert_eq!(moved, HashMap::from([(0, 1)]));
    }

    #[test]
    fn the_same_instant_with_other_text_or_another_stream_is_another_line() {
        let old = rows(&[(10, "a")]);
        let new = rows(&[(10, "a2")]);
        assert!(follow_rows(&old, [0], &new).is_empty());
        let other_stream: Vec<Arc<LogRow>> = rows_from_lines(
            &[(0, &[("app", "web")], &[(10, "a")])],
            SortOrder::NewestFirst,
        )
        .into_iter()
        .map(Arc::new)
        .collect();
        assert!(follow_rows(&old, [0], &other_stream).is_empty());
    }

    #[test]
    fn identical_lines_follow_in_order() {
        let old = rows(&[(10, "same"), (10, "same"), (10, "same")]);
        let new = rows(&[(10, "same"), (10, "same"), (10, "same"), (20, "newer")]);
        let moved = follow_rows(&old, [1, 2], &new);
        assert_eq!(moved, HashMap::from([(1, 2), (2, 3)]));
    }

    #[test]
    fn ids_past_the_end_and_repeated_ids_are_ignored() {
        let old = rows(&[(10, "a")]);
        let moved = follow_rows(&old, [0, 0, 7], &old);
        assert_eq!(moved, HashMap::from([(0, 0)]));
    }
}
