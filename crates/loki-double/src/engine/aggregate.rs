//! Metric expression evaluation: vector aggregations (`sum`, `avg`, `min`, `max`, `count`,
//! `stddev`, `stdvar`, `topk`, `bottomk`, `sort`), binary operators and literals.

use std::collections::HashMap;

use crate::labels::LabelSet;
use crate::logql::ast::{BinOp, Grouping, MetricExpr, RangeOp, VectorOp};

use super::metrics::{eval_range, RangeSpec};
use super::{Ctx, EvalError, Series, Steps, MAX_QUERY_SERIES};

/// Evaluates a metric expression at every step; series sorted by labels.
pub fn eval_metric(
    ctx: &Ctx<'_>,
    expr: &MetricExpr,
    steps: &Steps,
) -> Result<Vec<Series>, EvalError> {
    let mut out = match expr {
        MetricExpr::Range { .. } => {
            let mut all = Vec::new();
            feed(ctx, expr, steps, None, &mut |labels, values| {
                if all.len() >= MAX_QUERY_SERIES {
                    return Err(EvalError::SeriesLimit(MAX_QUERY_SERIES));
                }
                all.push(Series { labels, values });
                Ok(())
            })?;
            all
        }
        MetricExpr::Vector {
            op,
            param,
            grouping,
            inner,
        } => match op {
            VectorOp::Topk | VectorOp::Bottomk => {
                let input = eval_metric(ctx, inner, steps)?;
                top_k(
                    &input,
                    param.unwrap_or(0.0) as usize,
                    *op == VectorOp::Topk,
                    grouping.as_ref(),
                    steps,
                )
            }
            VectorOp::Sort | VectorOp::SortDesc => eval_metric(ctx, inner, steps)?,
            _ => {
                let mut groups: HashMap<LabelSet, Acc> = HashMap::new();
                let additive = matches!(
                    **inner,
                    MetricExpr::Range {
                        op: RangeOp::Count
                            | RangeOp::Rate
                            | RangeOp::Bytes
                            | RangeOp::BytesRate
                            | RangeOp::Sum,
                        ..
                    }
                );
                let empty = Grouping {
                    without: false,
                    labels: Vec::new(),
                };
                let pushdown =
                    (*op == VectorOp::Sum && additive).then(|| grouping.as_ref().unwrap_or(&empty));
                feed(ctx, inner, steps, pushdown, &mut |labels, values| {
                    let key = group_labels(&labels, grouping.as_ref());
                    if !groups.contains_key(&key) && groups.len() >= MAX_QUERY_SERIES {
                        return Err(EvalError::SeriesLimit(MAX_QUERY_SERIES));
                    }
                    groups
                        .entry(key)
                        .or_insert_with(|| Acc::new(steps.count))
                        .add(&values);
                    Ok(())
                })?;
                groups
                    .into_iter()
                    .map(|(labels, acc)| Series {
                        labels,
                        values: acc.finish(*op),
                    })
                    .collect()
            }
        },
        MetricExpr::Binary {
            op,
            return_bool,
            lhs,
            rhs,
        } => binary(ctx, *op, *return_bool, lhs, rhs, steps)?,
        MetricExpr::Literal(v) => vec![Series {
            labels: LabelSet::new(),
            values: vec![Some(*v); steps.count],
        }],
    };
    if out.len() > MAX_QUERY_SERIES {
        return Err(EvalError::SeriesLimit(MAX_QUERY_SERIES));
    }
    out.sort_by(|a, b| a.labels.cmp(&b.labels));
    if let MetricExpr::Vector {
        op: op @ (VectorOp::Sort | VectorOp::SortDesc),
        ..
    } = expr
    {
        let key = |s: &Series| s.values.last().copied().flatten().unwrap_or(f64::NAN);
        out.sort_by(|a, b| key(a).total_cmp(&key(b)));
        if *op == VectorOp::SortDesc {
            out.reverse();
        }
    }
    Ok(out)
}

/// Streams the series of `expr` into `sink` (range aggregations without materializing).
fn feed(
    ctx: &Ctx<'_>,
    expr: &MetricExpr,
    steps: &Steps,
    pushdown: Option<&Grouping>,
    sink: &mut super::metrics::Sink<'_>,
) -> Result<(), EvalError> {
    match expr {
        MetricExpr::Range {
            op,
            param,
            log,
            range_ns,
            offset_ns,
            unwrap,
            grouping,
        } => {
            let spec = RangeSpec {
                op: *op,
                param: *param,
                log,
                range_ns: *range_ns,
                offset_ns: *offset_ns,
                unwrap: unwrap.as_ref(),
                grouping: grouping.as_ref(),
                pushdown,
            };
            eval_range(ctx, &spec, steps, sink)
        }
        other => {
            for s in eval_metric(ctx, other, steps)? {
                sink(s.labels, s.values)?;
            }
            Ok(())
        }
    }
}

fn group_labels(labels: &LabelSet, grouping: Option<&Grouping>) -> LabelSet {
    match grouping {
        None => LabelSet::new(),
        Some(g) if g.without => labels.without(&g.labels),
        Some(g) => labels.only(&g.labels),
    }
}

/// Running per-step aggregates of one group.
struct Acc {
    sum: Vec<f64>,
    sum_sq: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
    count: Vec<u32>,
}

impl Acc {
    fn new(n: usize) -> Self {
        Self {
            sum: vec![0.0; n],
            sum_sq: vec![0.0; n],
            min: vec![f64::INFINITY; n],
            max: vec![f64::NEG_INFINITY; n],
            count: vec![0; n],
        }
    }

    fn add(&mut self, values: &[Option<f64>]) {
        for (k, v) in values.iter().enumerate() {
            if let (Some(v), true) = (v, k < self.count.len()) {
                self.sum[k] += v;
                self.sum_sq[k] += v * v;
                self.min[k] = self.min[k].min(*v);
                self.max[k] = self.max[k].max(*v);
                self.count[k] += 1;
            }
        }
    }

    fn finish(&self, op: VectorOp) -> Vec<Option<f64>> {
        (0..self.count.len())
            .map(|k| {
                let n = f64::from(self.count[k]);
                (self.count[k] > 0).then(|| match op {
                    VectorOp::Avg => self.sum[k] / n,
                    VectorOp::Min => self.min[k],
                    VectorOp::Max => self.max[k],
                    VectorOp::Count => n,
                    VectorOp::Stdvar | VectorOp::Stddev => {
                        let mean = self.sum[k] / n;
                        let var = (self.sum_sq[k] / n - mean * mean).max(0.0);
                        if op == VectorOp::Stddev {
                            var.sqrt()
                        } else {
                            var
                        }
                    }
                    _ => self.sum[k],
                })
            })
            .collect()
    }
}

fn top_k(
    input: &[Series],
    k: usize,
    largest: bool,
    grouping: Option<&Grouping>,
    steps: &Steps,
) -> Vec<Series> {
    let mut out: Vec<Series> = input
        .iter()
        .map(|s| Series {
            labels: s.labels.clone(),
            values: vec![None; steps.count],
        })
        .collect();
    for step in 0..steps.count {
        let mut groups: HashMap<LabelSet, Vec<(usize, f64)>> = HashMap::new();
        for (i, s) in input.iter().enumerate() {
            if let Some(Some(v)) = s.values.get(step) {
                groups
                    .entry(group_labels(&s.labels, grouping))
                    .or_default()
                    .push((i, *v));
            }
        }
        for mut members in groups.into_values() {
            members.sort_by(|a, b| {
                if largest {
                    b.1.total_cmp(&a.1)
                } else {
                    a.1.total_cmp(&b.1)
                }
            });
            for (i, v) in members.into_iter().take(k) {
                out[i].values[step] = Some(v);
            }
        }
    }
    out.retain(|s| s.values.iter().any(Option::is_some));
    out
}

fn apply(op: BinOp, return_bool: bool, a: f64, b: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Mod => a % b,
        BinOp::Pow => a.powf(b),
        BinOp::Cmp(cmp) => {
            let holds = cmp.holds(a, b);
            if return_bool {
                f64::from(u8::from(holds))
            } else if holds {
                a
            } else {
                return None;
            }
        }
    })
}

fn binary(
    ctx: &Ctx<'_>,
    op: BinOp,
    return_bool: bool,
    lhs: &MetricExpr,
    rhs: &MetricExpr,
    steps: &Steps,
) -> Result<Vec<Series>, EvalError> {
    let left = eval_metric(ctx, lhs, steps)?;
    let right = eval_metric(ctx, rhs, steps)?;
    let combine = |a: &[Option<f64>], b: &[Option<f64>]| -> Vec<Option<f64>> {
        a.iter()
            .zip(b)
            .map(|(x, y)| match (x, y) {
                (Some(x), Some(y)) => apply(op, return_bool, *x, *y),
                _ => None,
            })
            .collect()
    };
    let is_scalar = |e: &MetricExpr| matches!(e, MetricExpr::Literal(_));
    let out: Vec<Series> = match (is_scalar(lhs), is_scalar(rhs), right.first(), left.first()) {
        (_, true, Some(scalar), _) => left
            .iter()
            .map(|s| Series {
                labels: s.labels.clone(),
                values: combine(&s.values, &scalar.values),
            })
            .collect(),
        (true, _, _, Some(scalar)) => right
            .iter()
            .map(|s| Series {
                labels: s.labels.clone(),
                values: combine(&scalar.values, &s.values),
            })
            .collect(),
        _ => {
            let by_labels: HashMap<&LabelSet, &Series> =
                right.iter().map(|s| (&s.labels, s)).collect();
            left.iter()
                .filter_map(|s| {
                    by_labels.get(&s.labels).map(|r| Series {
                        labels: s.labels.clone(),
                        values: combine(&s.values, &r.values),
                    })
                })
                .collect()
        }
    };
    Ok(out
        .into_iter()
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect())
}
