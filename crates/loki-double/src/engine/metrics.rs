//! Range aggregations (`count_over_time`, `rate`, `bytes_*`, unwrap functions) over the
//! selected streams, handing each resulting series to a sink so callers can aggregate on the
//! fly instead of holding every series in memory.

use std::collections::HashMap;

use crate::gen::{structured_metadata, Level};
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
}

/// Receives one series at a time.
pub type Sink<'s> = dyn FnMut(LabelSet, Vec<Option<f64>>) -> Result<(), EvalError> + 's;

type Points = HashMap<LabelSet, Vec<(i64, f64)>>;

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
    let streams = select_streams(ctx, &r.log.matchers, from, to);
    let merge = r.grouping.is_some()
        || r.log
            .stages
            .iter()
            .any(|s| matches!(s, Stage::Drop(_) | Stage::Keep(_) | Stage::LabelFormat(_)));
    let fast = pipeline.only_line_filters() && r.unwrap.is_none();
    let needs_line = !pipeline.is_empty()
        || matches!(r.op, RangeOp::Bytes | RangeOp::BytesRate)
        || r.unwrap.is_some();
    let value_of_line = |line: &str| {
        if matches!(r.op, RangeOp::Bytes | RangeOp::BytesRate) {
            line.len() as f64
        } else {
            1.0
        }
    };
    let mut merged: Points = HashMap::new();
    let mut absent_counts: Vec<(i64, f64)> = Vec::new();
    for spec in &streams {
        let mut by_level: HashMap<Level, Vec<(i64, f64)>> = HashMap::new();
        let mut general: Points = HashMap::new();
        for (lo, hi) in &intervals {
            for_each_entry(ctx, spec, *lo, *hi, needs_line, |stub, line| {
                if fast {
                    if pipeline.line_passes(line) {
                        by_level
                            .entry(stub.level)
                            .or_default()
                            .push((stub.ts_ns, value_of_line(line)));
                    }
                    return Ok(());
                }
                let sm = structured_metadata(stub);
                let Some(done) = pipeline.process(EntryView {
                    ts_ns: stub.ts_ns,
                    line,
                    stream: &spec.labels,
                    structured: &sm,
                }) else {
                    return Ok(());
                };
                let mut labels = done.all_labels(&spec.labels);
                let value = match r.unwrap {
                    None => value_of_line(done.line.as_deref().unwrap_or(line)),
                    Some(u) => unwrap_value(u, &mut labels),
                };
                if let Some(g) = r.grouping {
                    labels = if g.without {
                        labels.without(&g.labels)
                    } else {
                        labels.only(&g.labels)
                    };
                }
                let target = if merge { &mut merged } else { &mut general };
                target.entry(labels).or_default().push((stub.ts_ns, value));
                Ok(())
            })?;
        }
        for (level, points) in by_level {
            let mut labels = spec.labels.clone();
            labels.set("detected_level".into(), level.as_str().into());
            general.entry(labels).or_default().extend(points);
        }
        if r.op == RangeOp::Absent {
            absent_counts.extend(general.into_values().flatten());
            continue;
        }
        for (labels, points) in general {
            emit(r, steps, labels, &points, sink)?;
        }
    }
    if r.op == RangeOp::Absent {
        absent_counts.sort_by_key(|p| p.0);
        let present = window_values(
            RangeOp::Count,
            None,
            &absent_counts,
            steps,
            r.range_ns,
            r.offset_ns,
        );
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
    for (labels, mut points) in merged {
        points.sort_by_key(|p| p.0);
        emit(r, steps, labels, &points, sink)?;
    }
    Ok(())
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
