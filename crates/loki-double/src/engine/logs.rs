//! Log queries: entries in `[start, end)` through the pipeline, newest (backward) or oldest
//! (forward) first, at most `limit` in total, optionally one per `interval`, grouped into streams.

use std::collections::HashMap;

use crate::gen::{minute_stubs, render, structured_metadata, StreamSpec, Stub};
use crate::labels::LabelSet;
use crate::logql::ast::LogExpr;
use crate::logql::pipeline::{EntryView, Pipeline};
use crate::params::Direction;
use crate::timefmt::NS_PER_MIN;

use super::select::select_streams;
use super::{Ctx, EvalError};

/// One returned entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutEntry {
    pub ts_ns: i64,
    pub line: String,
    pub structured: LabelSet,
    pub parsed: LabelSet,
}

/// One returned stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutStream {
    pub labels: LabelSet,
    pub entries: Vec<OutEntry>,
}

/// Parameters of a log query.
#[derive(Debug, Clone, Copy)]
pub struct LogQuery {
    pub start_ns: i64,
    pub end_ns: i64,
    pub limit: usize,
    pub direction: Direction,
    pub interval_ns: i64,
    /// `categorize-labels`: group by stream labels only, keep metadata per entry.
    pub categorize: bool,
}

/// Time is walked in chunks of this many minutes.
const CHUNK_MINUTES: i64 = 5;

/// Runs a log query.
pub fn query_logs(ctx: &Ctx<'_>, expr: &LogExpr, q: LogQuery) -> Result<Vec<OutStream>, EvalError> {
    let streams = select_streams(ctx, &expr.matchers, q.start_ns, q.end_ns);
    let pipeline = Pipeline::new(expr.stages.clone());
    let mut out: Vec<OutStream> = Vec::new();
    let mut index: HashMap<LabelSet, (usize, i64)> = HashMap::new();
    let mut returned = 0usize;
    if streams.is_empty() || q.start_ns >= q.end_ns || q.limit == 0 {
        return Ok(out);
    }
    let first_minute = q
        .start_ns
        .max(
            streams
                .iter()
                .map(|s| s.from_ns)
                .min()
                .unwrap_or(q.start_ns),
        )
        .div_euclid(NS_PER_MIN);
    let last_minute = (q
        .end_ns
        .min(streams.iter().map(|s| s.to_ns).max().unwrap_or(q.end_ns))
        - 1)
    .div_euclid(NS_PER_MIN);
    let chunks = (last_minute - first_minute) / CHUNK_MINUTES + 1;
    let mut candidates: Vec<(i64, usize, Stub)> = Vec::new();
    let mut stubs = Vec::new();
    let mut line = String::new();
    let (mut lines_seen, mut bytes_seen) = (0u64, 0u64);
    for c in 0..chunks.max(0) {
        ctx.check_deadline()?;
        let chunk = match q.direction {
            Direction::Forward => first_minute + c * CHUNK_MINUTES,
            Direction::Backward => last_minute - c * CHUNK_MINUTES - (CHUNK_MINUTES - 1),
        };
        candidates.clear();
        for (si, spec) in streams.iter().enumerate() {
            if spec.to_ns <= chunk * NS_PER_MIN
                || spec.from_ns >= (chunk + CHUNK_MINUTES) * NS_PER_MIN
            {
                continue;
            }
            for minute in chunk..chunk + CHUNK_MINUTES {
                stubs.clear();
                minute_stubs(spec, minute, &mut stubs);
                candidates.extend(
                    stubs
                        .iter()
                        .filter(|s| s.ts_ns >= q.start_ns && s.ts_ns < q.end_ns)
                        .map(|s| (s.ts_ns, si, *s)),
                );
            }
        }
        match q.direction {
            Direction::Forward => candidates.sort_by_key(|(ts, si, _)| (*ts, *si)),
            Direction::Backward => {
                candidates.sort_by_key(|(ts, si, _)| (std::cmp::Reverse(*ts), *si))
            }
        }
        for (ts, si, stub) in &candidates {
            let spec: &StreamSpec = &streams[*si];
            render(spec, stub, &mut line);
            lines_seen += 1;
            bytes_seen += line.len() as u64;
            let sm = structured_metadata(stub);
            let Some(done) = pipeline.process(EntryView {
                ts_ns: *ts,
                line: &line,
                stream: &spec.labels,
                structured: &sm,
            }) else {
                continue;
            };
            let key = if q.categorize {
                done.stream.clone().unwrap_or_else(|| spec.labels.clone())
            } else {
                done.all_labels(&spec.labels)
            };
            let bucket = if q.interval_ns > 0 {
                (ts - q.start_ns) / q.interval_ns
            } else {
                *ts
            };
            let slot = match index.get_mut(&key) {
                Some((i, last_bucket)) => {
                    if q.interval_ns > 0 && *last_bucket == bucket {
                        continue;
                    }
                    *last_bucket = bucket;
                    *i
                }
                None => {
                    index.insert(key.clone(), (out.len(), bucket));
                    out.push(OutStream {
                        labels: key,
                        entries: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let (structured, parsed) = if q.categorize {
                (done.structured, done.parsed)
            } else {
                (LabelSet::new(), LabelSet::new())
            };
            out[slot].entries.push(OutEntry {
                ts_ns: *ts,
                line: done.line.unwrap_or_else(|| line.clone()),
                structured,
                parsed,
            });
            returned += 1;
            if returned >= q.limit {
                ctx.count(lines_seen, bytes_seen, returned as u64);
                return Ok(sorted(out));
            }
        }
    }
    ctx.count(lines_seen, bytes_seen, returned as u64);
    Ok(sorted(out))
}

fn sorted(mut streams: Vec<OutStream>) -> Vec<OutStream> {
    streams.sort_by(|a, b| a.labels.cmp(&b.labels));
    streams
}
