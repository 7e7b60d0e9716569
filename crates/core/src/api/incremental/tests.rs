//! Tests of incremental range queries against a model server: every series has a window of
//! life and a value that is a function of its index and the instant, as Prometheus' answer
//! depends only on the instants asked.

use proptest::prelude::*;

use super::*;

const MIN: i64 = 60_000;
const HOUR: i64 = 60 * MIN;
/// 2026-12-07 00:00 UTC.
const DAY_START: i64 = 1_796_601_600_000;

/// A series of the model server: alive from `born` to `died` (inclusive).
#[derive(Debug, Clone, Copy)]
struct Life {
    born: i64,
    died: i64,
}

fn labels(index: usize) -> Labels {
    Labels::new(vec![
        ("__name__".to_owned(), "DCGM_FI_DEV_GPU_UTIL".to_owned()),
        ("gpu".to_owned(), format!("{index:02}")),
    ])
}

/// What Prometheus answers for `range` (on the step grid) every `step_ms`: each living series'
/// samples, series sorted by labels, series without samples left out.
fn answer(lives: &[Life], range: TimeRange, step_ms: i64) -> Vec<Series> {
    let mut series: Vec<Series> = lives
        .iter()
        .enumerate()
        .map(|(index, life)| {
            let times_ms: Vec<i64> = (0..)
                .map(|k| range.from_ms + k * step_ms)
                .take_while(|t| *t <= range.to_ms)
                .filter(|t| (life.born..=life.died).contains(t))
                .collect();
            #[allow(clippy::cast_precision_loss)]
            let values = times_ms
                .iter()
                .map(|t| ((*t / step_ms) % 97) as f64 + index as f64 / 100.0)
                .collect();
            Series {
                labels: labels(index),
                times_ms,
                values,
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    series.sort_by(|a, b| a.labels.cmp(&b.labels));
    series
}

fn asked(query: &'static str, step_s: u64, from_ms: i64, to_ms: i64) -> RangeQuery<'static> {
    RangeQuery {
        query,
        host: "observe.coreweave.com",
        step: Duration::from_secs(step_s),
        range: TimeRange::new(from_ms, to_ms),
    }
}

const QUERY: &str = "avg by (gpu) (DCGM_FI_DEV_GPU_UTIL)";

#[test]
fn a_refresh_of_a_six_hour_window_asks_for_the_last_ten_minutes_and_the_new_part() {
    let now = DAY_START + 12 * HOUR + 7_546;
    let before = asked(QUERY, 30, now - 6 * HOUR, now);
    let after = asked(QUERY, 30, now + 30_000 - 6 * HOUR, now + 30_000);
    let part = fresh_part(&before, &after, DEFAULT_OVERLAP).expect("incremental");
    let last_end = before.range.aligned_to(before.step).to_ms;
    assert_eq!(part.ask.from_ms, last_end - 10 * MIN);
    assert_eq!(part.ask.to_ms, (now + 30_000) - (now + 30_000) % 30_000);
    assert_eq!(part.range, after.range.aligned_to(after.step));
    // 22 instants asked instead of 721.
    assert_eq!((part.ask.to_ms - part.ask.from_ms) / 30_000 + 1, 22);
}

#[test]
fn the_same_range_asked_again_refreshes_only_its_overlap() {
    let before = asked(QUERY, 60, DAY_START, DAY_START + 24 * HOUR);
    let part = fresh_part(&before, &before, DEFAULT_OVERLAP).expect("incremental");
    assert_eq!(
        part.ask,
        TimeRange::new(DAY_START + 24 * HOUR - 10 * MIN, DAY_START + 24 * HOUR)
    );
}

#[test]
fn anything_but_a_window_moved_forward_is_asked_whole() {
    let before = asked(QUERY, 30, DAY_START, DAY_START + 6 * HOUR);
    let forward = |minutes: i64| {
        asked(
            QUERY,
            30,
            DAY_START + minutes * MIN,
            DAY_START + 6 * HOUR + minutes * MIN,
        )
    };
    let cases: Vec<(&str, RangeQuery<'static>, Duration)> = vec![
        (
            "another query",
            RangeQuery {
                query: "up",
                ..forward(1)
            },
            DEFAULT_OVERLAP,
        ),
        (
            "another host",
            RangeQuery {
                host: "observe.us-east.coreweave.com",
                ..forward(1)
            },
            DEFAULT_OVERLAP,
        ),
        (
            "another step",
            RangeQuery {
                step: Duration::from_secs(60),
                ..forward(1)
            },
            DEFAULT_OVERLAP,
        ),
        ("moved back", forward(-5), DEFAULT_OVERLAP),
        (
            "grown backwards",
            asked(QUERY, 30, DAY_START - HOUR, DAY_START + 6 * HOUR),
            DEFAULT_OVERLAP,
        ),
        (
            "shrunk at the end",
            asked(QUERY, 30, DAY_START, DAY_START + 5 * HOUR),
            DEFAULT_OVERLAP,
        ),
        (
            "moved past the overlap and more",
            forward(6 * 60),
            DEFAULT_OVERLAP,
        ),
        ("turned off", forward(1), Duration::ZERO),
        (
            "an overlap longer than the window",
            forward(1),
            Duration::from_secs(7 * 3600),
        ),
        (
            "anchored to the end",
            RangeQuery {
                query: "rate(up[5m] @ end())",
                ..forward(1)
            },
            DEFAULT_OVERLAP,
        ),
    ];
    for (case, wanted, overlap) in cases {
        let previous = match case {
            "anchored to the end" => RangeQuery {
                query: wanted.query,
                ..before
            },
            _ => before,
        };
        assert_eq!(fresh_part(&previous, &wanted, overlap), None, "{case}");
    }
    // Moved forward by 5 h 49 min: one instant is still kept.
    assert!(fresh_part(&before, &forward(5 * 60 + 49), DEFAULT_OVERLAP).is_some());
}

#[test]
fn start_and_end_modifiers_are_found_with_or_without_spaces() {
    for query in [
        "up @ start()",
        "rate(x[5m] @end())",
        "sum(x @ end ( ))",
        "x offset 5m @ start()",
    ] {
        assert!(reads_range_ends(query), "{query}");
    }
    for query in [
        "up @ 1700000000",
        "x{path=\"/start\"}",
        "ending_total",
        "up",
    ] {
        assert!(!reads_range_ends(query), "{query}");
    }
}

#[test]
fn the_join_equals_the_whole_answer_when_series_come_and_go() {
    let step = 30_000;
    let to = DAY_START + 6 * HOUR;
    let lives = [
        // Alive throughout; gone before the window; born in the new part; died in the kept part.
        Life {
            born: i64::MIN,
            died: i64::MAX,
        },
        Life {
            born: i64::MIN,
            died: DAY_START + 30 * MIN,
        },
        Life {
            born: to + 2 * MIN,
            died: i64::MAX,
        },
        Life {
            born: DAY_START + HOUR,
            died: DAY_START + 3 * HOUR,
        },
    ];
    let before = asked(QUERY, 30, DAY_START, to);
    let after = asked(QUERY, 30, DAY_START + 45 * MIN, to + 45 * MIN);
    let part = fresh_part(&before, &after, DEFAULT_OVERLAP).expect("incremental");
    let joined = join(
        &answer(&lives, before.range, step),
        answer(&lives, part.ask, step),
        &part,
    );
    assert_eq!(joined, answer(&lives, part.range, step));
    assert_eq!(
        joined.len(),
        3,
        "the series gone before the window is dropped"
    );
    // Kept and new series alike hold no spare room (a refresh every few seconds must not
    // double a dashboard's memory).
    for series in &joined {
        assert_eq!(series.times_ms.capacity(), series.len());
        assert_eq!(series.values.capacity(), series.len());
    }
}

#[test]
fn an_unsorted_last_answer_keeps_its_order_and_new_series_follow() {
    let part = FreshPart {
        ask: TimeRange::new(100, 200),
        range: TimeRange::new(0, 200),
    };
    let series = |index: usize, times_ms: Vec<i64>| Series {
        labels: labels(index),
        values: vec![1.0; times_ms.len()],
        times_ms,
    };
    let previous = vec![series(5, vec![0, 50, 100]), series(1, vec![50, 100])];
    let fresh = vec![
        series(1, vec![100, 150]),
        series(3, vec![200]),
        series(5, vec![150]),
    ];
    let joined = join(&previous, fresh, &part);
    let order: Vec<_> = joined
        .iter()
        .map(|s| s.labels.get("gpu").unwrap_or(""))
        .collect();
    assert_eq!(order, ["05", "01", "03"]);
    assert_eq!(
        joined[0].times_ms,
        [0, 50, 150],
        "the fresh sample wins at 100"
    );
    assert_eq!(joined[1].times_ms, [50, 100, 150]);
}

#[test]
fn fresh_samples_outside_the_asked_part_or_out_of_order_are_ignored() {
    let part = FreshPart {
        ask: TimeRange::new(100, 200),
        range: TimeRange::new(0, 200),
    };
    let previous = vec![Series {
        labels: labels(0),
        times_ms: vec![0, 50, 100, 150],
        values: vec![0.0, 1.0, 2.0, 3.0],
    }];
    let fresh = vec![Series {
        labels: labels(0),
        times_ms: vec![50, 100, 90, 200, 250],
        values: vec![9.0, 10.0, 11.0, 12.0, 13.0],
    }];
    let joined = join(&previous, fresh, &part);
    assert_eq!(joined[0].times_ms, [0, 50, 100, 200]);
    assert_eq!(joined[0].values, [0.0, 1.0, 10.0, 12.0]);
}

fn life() -> impl Strategy<Value = Life> {
    (0i64..48, 0i64..48).prop_map(|(a, b)| Life {
        born: DAY_START + a.min(b) * 10 * MIN,
        died: DAY_START + a.max(b) * 10 * MIN + 5 * MIN,
    })
}

proptest! {
    /// Whatever the series do, a window moved forward and joined is the whole answer.
    #[test]
    fn a_joined_answer_is_the_whole_answer(
        lives in prop::collection::vec(life(), 0..6),
        step_s in prop::sample::select(vec![15u64, 30, 60, 300]),
        from_offset in 0i64..(4 * HOUR),
        span in (30 * MIN)..(6 * HOUR),
        moved in 0i64..(2 * HOUR),
        overlap_min in 1u64..60,
    ) {
        let step_ms = i64::try_from(step_s).unwrap_or(1) * 1000;
        let from = DAY_START + from_offset + 1_234;
        let before = asked(QUERY, step_s, from, from + span);
        let after = asked(QUERY, step_s, from + moved, from + span + moved);
        let overlap = Duration::from_secs(overlap_min * 60);
        if let Some(part) = fresh_part(&before, &after, overlap) {
            let aligned = before.range.aligned_to(before.step);
            prop_assert!(part.ask.from_ms <= aligned.to_ms - i64::try_from(overlap.as_millis()).unwrap_or(0));
            prop_assert!(part.ask.from_ms > part.range.from_ms);
            prop_assert_eq!(part.ask.from_ms % step_ms, 0);
            let joined = join(
                &answer(&lives, aligned, step_ms),
                answer(&lives, part.ask, step_ms),
                &part,
            );
            prop_assert_eq!(joined, answer(&lives, part.range, step_ms));
        } else {
            // Asked whole only when nothing older than the overlap is still in the window.
            let aligned_before = before.range.aligned_to(before.step);
            let aligned_after = after.range.aligned_to(after.step);
            let overlap_ms = i64::try_from(overlap.as_millis()).unwrap_or(0);
            prop_assert!(aligned_before.to_ms - overlap_ms <= aligned_after.from_ms + step_ms);
        }
    }
}
