//! Range aggregations (`count_over_time`, `rate`, `bytes_*`, unwrap functions) over the
//! selected streams, handing each resulting series to a sink so callers can aggregate on the
//! fly instead of holding every series in memory.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::gen::{structured_metadata, Level, StreamSpec};
use crate::labels::LabelSet;
use crate::logql::ast::{Grouping, LogExpr, MatchOp, RangeOp, Stage, Unwrap};
use crate::logql::pipeline::{parse_go_duration_secs, EntryView, Pipeline, ERROR_LABEL};

use super::range::window_values;
use super::select::{for_each_entry, select_streams};
use super::{Ctx, EvalError, Steps};

/// A range aggregation to evaluate.
#[derive(Debug, Clone, Copy)]
pub struct RangeSpec<'e> {
    pub op: RangeOp,
    pub param: Option<f64>,
    pub log: &'e LogExpr,
    pub range_ns: i64,
    pub offset_ns: i64,
    pub unwrap: Option<&'e Unwrap>,
    pub grouping: Option<&'e Grouping>,
    /// Labels an enclosing `sum by/without` keeps: applied per entry, so high-cardinality
    /// parsed labels never become series (Loki pushes the grouping down the same way).
    pub pushdown: Option<&'e Grouping>,
}

fn reduce(labels: LabelSet, grouping: Option<&Grouping>) -> LabelSet {
    match grouping {
        None => labels,
        Some(g) if g.without => labels.without(&g.labels),
        Some(g) => labels.only(&g.labels),
    }
}

/// Receives one series at a time.
pub type Sink<'s> = dyn FnMut(LabelSet, Vec<Option<f64>>) -> Result<(), EvalError> + 's;

type Points = HashMap<LabelSet, Vec<(i64, f64)>>;

/// Worker threads for range aggregations (the demo machines have 2 cores).
const WORKERS: usize = 2;

/// What every stream of one evaluation shares.
struct Plan<'a, 'e> {
    r: &'a RangeSpec<'e>,
    pipeline: Pipeline,
    intervals: Vec<(i64, i64)>,
    fast: bool,
    needs_line: bool,
}

impl Plan<'_, '_> {
    fn value_of_line(&self, line: &str) -> f64 {
        if matches!(self.r.op, RangeOp::Bytes | RangeOp::BytesRate) {
            line.len() as f64
        } else {
            1.0
        }
    }

    /// The points of one stream, by series labels.
    fn stream_points(&self, ctx: &Ctx<'_>, spec: &StreamSpec) -> Result<Points, EvalError> {
        let mut by_level: HashMap<Level, Vec<(i64, f64)>> = HashMap::new();
        let mut points: Points = HashMap::new();
        for (lo, hi) in &self.intervals {
            for_each_entry(ctx, spec, *lo, *hi, self.needs_line, |stub, line| {
                if self.fast {
                    if self.pipeline.line_passes(line) {
                        by_level
                            .entry(stub.level)
                            .or_default()
                            .push((stub.ts_ns, self.value_of_line(line)));
                    }
                    return Ok(());
                }
                let sm = structured_metadata(stub);
                let view = EntryView {
                    ts_ns: stub.ts_ns,
                    line,
                    stream: &spec.labels,
                    structured: &sm,
                };
                let Some(done) = self.pipeline.process(view) else {
                    return Ok(());
                };
                let mut labels = done.all_labels(&spec.labels);
                let value = match self.r.unwrap {
                    None => self.value_of_line(done.line.as_deref().unwrap_or(line)),
                    Some(u) => unwrap_value(u, &mut labels),
                };
                if let Some(g) = self.r.grouping {
                    labels = if g.without {
                        labels.without(&g.labels)
                    } else {
                        labels.only(&g.labels)
                    };
                }
                points.entry(labels).or_default().push((stub.ts_ns, value));
                Ok(())
            })?;
        }
        for (level, pts) in by_level {
            let mut labels = spec.labels.clone();
            labels.set("detected_level".into(), level.as_str().into());
            let labels = reduce(reduce(labels, self.r.grouping), self.r.pushdown);
            points.entry(labels).or_default().extend(pts);
        }
        Ok(points)
    }
}

/// Evaluates a range aggregation at every step.
pub fn eval_range(
    ctx: &Ctx<'_>,
    r: &RangeSpec<'_>,
    steps: &Steps,
    sink: &mut Sink<'_>,
) -> Result<(), EvalError> {
    if steps.count == 0 {
        return Ok(());
    }
    let from = steps.start_ns - r.offset_ns - r.range_ns + 1;
    let to = steps.last() - r.offset_ns + 1;
    let intervals: Vec<(i64, i64)> = if r.range_ns >= steps.step_ns || steps.count == 1 {
        vec![(from, to)]
    } else {
        (0..steps.count)
            .map(|k| {
                (
                    steps.at(k) - r.offset_ns - r.range_ns + 1,
                    steps.at(k) - r.offset_ns + 1,
                )
            })
            .collect()
    };
    let pipeline = Pipeline::new(r.log.stages.clone());
    let fast = pipeline.only_line_filters() && r.unwrap.is_none();
    let needs_line = !pipeline.is_empty()
        || matches!(r.op, RangeOp::Bytes | RangeOp::BytesRate)
        || r.unwrap.is_some();
    let plan = Plan {
        r,
        pipeline,
        intervals,
        fast,
        needs_line,
    };
    let streams = select_streams(ctx, &r.log.matchers, from, to);
    let merge = r.grouping.is_some()
        || r.log
            .stages
            .iter()
            .any(|s| matches!(s, Stage::Drop(_) | Stage::Keep(_) | Stage::LabelFormat(_)));
    if r.op == RangeOp::Absent {
        let mut all: Vec<(i64, f64)> = Vec::new();
        for spec in &streams {
            all.extend(plan.stream_points(ctx, spec)?.into_values().flatten());
        }
        all.sort_by_key(|p| p.0);
        let present = window_values(RangeOp::Count, None, &all, steps, r.range_ns, r.offset_ns);
        let values: Vec<Option<f64>> = present
            .iter()
            .map(|v| if v.is_some() { None } else { Some(1.0) })
            .collect();
        let labels = LabelSet::from_pairs(
            r.log
                .matchers
                .iter()
                .filter(|m| m.op == MatchOp::Eq)
                .map(|m| (m.name.clone(), m.value.clone())),
        );
        if values.iter().any(Option::is_some) {
            sink(labels, values)?;
        }
        return Ok(());
    }
    if !merge {
        return parallel_streams(ctx, &plan, steps, &streams, sink, None);
    }
    let mut merged: Points = HashMap::new();
    parallel_streams(ctx, &plan, steps, &streams, sink, Some(&mut merged))?;
    for (labels, mut pts) in merged {
        pts.sort_by_key(|p| p.0);
        emit(r, steps, labels, &pts, sink)?;
    }
    Ok(())
}

/// What a worker hands back for one stream.
enum Msg {
    Series(LabelSet, Vec<Option<f64>>),
    Points(Points),
}

/// Evaluates streams on [`WORKERS`] threads; series reach `sink` on the calling thread, or,
/// with `merged`, raw points are merged there (for series spanning several streams).
fn parallel_streams(
    ctx: &Ctx<'_>,
    plan: &Plan<'_, '_>,
    steps: &Steps,
    streams: &[StreamSpec],
    sink: &mut Sink<'_>,
    mut merged: Option<&mut Points>,
) -> Result<(), EvalError> {
    type Item = Result<Msg, EvalError>;
    let merging = merged.is_some();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Item>(256);
        for _ in 0..WORKERS {
            let (tx, next, failed) = (tx.clone(), &next, &failed);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(spec) = streams.get(i) else { return };
                if failed.load(Ordering::Relaxed) {
                    return;
                }
                let points = match plan.stream_points(ctx, spec) {
                    Ok(p) => p,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                };
                if merging {
                    if tx.send(Ok(Msg::Points(points))).is_err() {
                        return;
                    }
                    continue;
                }
                let mut emitted = Vec::new();
                let result = points.into_iter().try_for_each(|(labels, pts)| {
                    emit(plan.r, steps, labels, &pts, &mut |l, v| {
                        emitted.push(Msg::Series(l, v));
                        Ok(())
                    })
                });
                if let Err(e) = result {
                    let _ = tx.send(Err(e));
                    return;
                }
                for item in emitted {
                    if tx.send(Ok(item)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        for item in rx {
            let outcome = item.and_then(|msg| match msg {
                Msg::Series(labels, values) => sink(labels, values),
                Msg::Points(points) => {
                    if let Some(target) = merged.as_deref_mut() {
                        for (labels, pts) in points {
                            target.entry(labels).or_default().extend(pts);
                        }
                    }
                    Ok(())
                }
            });
            if let Err(e) = outcome {
                failed.store(true, Ordering::Relaxed);
                return Err(e);
            }
        }
        Ok(())
    })
}

fn emit(
    r: &RangeSpec<'_>,
    steps: &Steps,
    labels: LabelSet,
    points: &[(i64, f64)],
    sink: &mut Sink<'_>,
) -> Result<(), EvalError> {
    if let Some(kind) = labels.get(ERROR_LABEL).filter(|k| !k.is_empty()) {
        return Err(EvalError::Pipeline {
            kind: kind.to_string(),
            series: labels.clone(),
        });
    }
    let values = window_values(r.op, r.param, points, steps, r.range_ns, r.offset_ns);
    if values.iter().any(Option::is_some) {
        sink(labels, values)?;
    }
    Ok(())
}

/// Reads the unwrapped label as a number (removing it from the labels); marks errors.
fn unwrap_value(u: &Unwrap, labels: &mut LabelSet) -> f64 {
    let text = labels.remove(&u.label).unwrap_or_default();
    let parsed = match u.conversion.as_deref() {
        Some("duration" | "duration_seconds") => parse_go_duration_secs(&text),
        Some("bytes") => crate::logql::lexer::parse_bytes(&text)
            .map(|b| b as f64)
            .or_else(|| text.parse().ok()),
        _ => text.trim().parse::<f64>().ok(),
    };
    parsed.unwrap_or_else(|| {
        labels.set(ERROR_LABEL.into(), "SampleExtractionErr".into());
        0.0
    })
}
