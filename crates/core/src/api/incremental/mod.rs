//! Incremental range queries: when a panel's window has only moved forward (an auto-refresh, the
//! refresh button), only the new part is asked again, plus an overlap for samples that arrive
//! late, and the rest is taken from the last answer. Grafana offers this as "incremental
//! dashboard queries" with a 10-minute overlap; here it is the default.
//!
//! Prometheus evaluates a range query at the instants `start + k·step`, and each instant's value
//! depends only on that instant, not on the range around it (subqueries align to absolute
//! multiples of their resolution). Ranges are asked on the step grid
//! ([`TimeRange::aligned_to`]), so the instants of the kept part and of the new part are the very
//! instants a whole query would evaluate, and joining them gives the whole answer. The two
//! exceptions are planned around: `@ start()` and `@ end()` read the range's ends, so a query
//! using them is always asked whole; and an instant younger than the overlap at the last answer
//! is always asked again.

use std::collections::HashMap;

use crate::model::duration::Duration;
use crate::model::frame::{Labels, Series};
use crate::model::time_range::TimeRange;

/// Grafana's default `incrementalQueryOverlapWindow`: samples this young at the last answer are
/// asked again (late scrapes, remote-write lag).
pub const DEFAULT_OVERLAP: Duration = Duration::from_secs(600);

/// One range query as it was asked or is wanted: the expression after interpolation, the host it
/// goes to, its step and its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeQuery<'a> {
    pub query: &'a str,
    pub host: &'a str,
    pub step: Duration,
    pub range: TimeRange,
}

/// The part of a wanted range to ask for, when the last answer can supply the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreshPart {
    /// What to ask: from the first instant not kept to the wanted end, on the step grid.
    pub ask: TimeRange,
    /// The wanted range on the step grid; the last answer supplies `[range.from_ms, ask.from_ms)`.
    pub range: TimeRange,
}

/// What to ask for `wanted`, given that `previous` was answered: `None` to ask the whole range
/// (another query, host or step, a window that moved back or grew backwards, nothing left to
/// keep, a query anchored to the range's ends, or a zero `overlap`, which turns this off).
#[must_use]
pub fn fresh_part(
    previous: &RangeQuery<'_>,
    wanted: &RangeQuery<'_>,
    overlap: Duration,
) -> Option<FreshPart> {
    let step_ms = i64::try_from(wanted.step.as_millis()).ok()?;
    let overlap_ms = i64::try_from(overlap.as_millis()).ok()?;
    if step_ms <= 0
        || overlap_ms <= 0
        || previous.query != wanted.query
        || previous.host != wanted.host
        || previous.step != wanted.step
        || reads_range_ends(wanted.query)
    {
        return None;
    }
    let before = previous.range.aligned_to(wanted.step);
    let range = wanted.range.aligned_to(wanted.step);
    if range.from_ms < before.from_ms || range.to_ms < before.to_ms {
        return None;
    }
    let first_asked = before.to_ms.checked_sub(overlap_ms)?;
    let first_asked = first_asked - first_asked.rem_euclid(step_ms);
    (first_asked > range.from_ms).then_some(FreshPart {
        ask: TimeRange::new(first_asked, range.to_ms),
        range,
    })
}

/// True when `query` uses the `@ start()` or `@ end()` modifier, whose value depends on the
/// range asked. (A false alarm, such as `@` inside a label value, only costs a whole query.)
#[must_use]
pub fn reads_range_ends(query: &str) -> bool {
    query.match_indices('@').any(|(at, _)| {
        let rest = query[at + 1..].trim_start();
        ["start", "end"].iter().any(|name| {
            rest.strip_prefix(name)
                .is_some_and(|after| after.trim_start().starts_with('('))
        })
    })
}

/// The answer for `part.range`: each series of the last answer cut to the instants before
/// `part.ask`, then the fresh samples (those at or after `part.ask.from_ms`).
///
/// Series keep the last answer's order, new ones follow in the fresh answer's order, and a
/// series left with no sample in the range is dropped, as a whole query would not return it.
/// When the last answer was sorted by labels (Prometheus sorts every matrix), so is the result.
#[must_use]
pub fn join(previous: &[Series], fresh: Vec<Series>, part: &FreshPart) -> Vec<Series> {
    let kept_until = part.ask.from_ms;
    // Each kept series gets room for its fresh samples up front: pushing them onto an exact
    // copy would double its capacity, and the panel's memory with it.
    let fresh_lengths: HashMap<&Labels, usize> = fresh
        .iter()
        .map(|series| (&series.labels, series.len()))
        .collect();
    let mut joined: Vec<Series> = previous
        .iter()
        .map(|series| {
            let room = fresh_lengths.get(&series.labels).copied().unwrap_or(0);
            cut(series, part.range.from_ms, kept_until, room)
        })
        .collect();
    drop(fresh_lengths);
    let mut index: HashMap<Labels, usize> = joined
        .iter()
        .enumerate()
        .map(|(i, series)| (series.labels.clone(), i))
        .collect();
    for series in fresh {
        let at = *index.entry(series.labels.clone()).or_insert_with(|| {
            joined.push(Series {
                labels: series.labels.clone(),
                times_ms: Vec::with_capacity(series.len()),
                values: Vec::with_capacity(series.len()),
            });
            joined.len() - 1
        });
        let target = &mut joined[at];
        for (time_ms, value) in series.times_ms.into_iter().zip(series.values) {
            let in_order = target.times_ms.last().is_none_or(|last| *last < time_ms);
            if in_order && time_ms >= kept_until && time_ms <= part.range.to_ms {
                target.times_ms.push(time_ms);
                target.values.push(value);
            }
        }
    }
    joined.retain(|series| !series.is_empty());
    if previous.is_sorted_by(|a, b| a.labels <= b.labels) {
        joined.sort_by(|a, b| a.labels.cmp(&b.labels));
    }
    joined
}

/// The samples of `series` at or after `from_ms` and before `until_ms`, with room for `room`
/// more.
fn cut(series: &Series, from_ms: i64, until_ms: i64, room: usize) -> Series {
    let len = series.times_ms.len().min(series.values.len());
    let times = &series.times_ms[..len];
    let start = times.partition_point(|t| *t < from_ms);
    let end = times.partition_point(|t| *t < until_ms).max(start);
    let mut times_ms = Vec::with_capacity(end - start + room);
    times_ms.extend_from_slice(&series.times_ms[start..end]);
    let mut values = Vec::with_capacity(end - start + room);
    values.extend_from_slice(&series.values[start..end]);
    Series {
        labels: series.labels.clone(),
        times_ms,
        values,
    }
}

#[cfg(test)]
mod tests;
