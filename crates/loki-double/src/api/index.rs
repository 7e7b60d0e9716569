//! `/index/stats`, `/index/volume` and `/index/volume_range`. Entry counts are exact; bytes are
//! estimated per stream from a typical line (Loki documents these numbers as approximate).

use std::collections::{BTreeSet, HashMap};

use crate::engine::select::{for_each_entry, select_streams};
use crate::engine::{Ctx, Series, Steps};
use crate::gen::{minute_stubs, render, StreamSpec};
use crate::http::{Request, Response};
use crate::labels::LabelSet;
use crate::logql::parse_selector;
use crate::params::{default_step_ns, parse_bounds, parse_go_atoi, parse_seconds_or_duration};
use crate::timefmt::NS_PER_MIN;

use super::envelope;
use super::App;

/// Typical line size of a stream: the mean length of its first few lines in the range.
fn typical_bytes(spec: &StreamSpec, from: i64) -> u64 {
    let mut stubs = Vec::new();
    let mut line = String::new();
    let first = from.max(spec.from_ns).div_euclid(NS_PER_MIN);
    for minute in first..first + 30 {
        minute_stubs(spec, minute, &mut stubs);
        if stubs.len() >= 8 {
            break;
        }
    }
    if stubs.is_empty() {
        return 200;
    }
    let total: usize = stubs
        .iter()
        .take(8)
        .map(|s| {
            render(spec, s, &mut line);
            line.len()
        })
        .sum();
    (total / stubs.len().min(8)) as u64
}

fn selector_and_bounds(
    app: &App,
    req: &Request,
) -> Result<(Vec<crate::logql::ast::Matcher>, i64, i64), Response> {
    let (start, end) = parse_bounds(
        req.param("start"),
        req.param("end"),
        req.param("since"),
        app.now_ns(),
    )
    .map_err(|e| Response::loki_error(400, &e.0))?;
    if end < start {
        return Err(Response::loki_error(
            400,
            "end timestamp must not be before or equal to start time",
        ));
    }
    let matchers = parse_selector(req.param("query")).map_err(|e| Response::loki_error(400, &e))?;
    Ok((matchers, start, end))
}

/// `GET|POST /loki/api/v1/index/stats` — no envelope.
pub fn stats(app: &App, req: &Request) -> Response {
    let (matchers, start, end) = match selector_and_bounds(app, req) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let ctx = Ctx::new(&app.data, app.now_ns(), app.options.query_timeout);
    let streams = select_streams(&ctx, &matchers, start, end);
    let (mut entries, mut bytes, mut chunks) = (0u64, 0u64, 0u64);
    for spec in &streams {
        let mut n = 0u64;
        if for_each_entry(&ctx, spec, start, end, false, |_, _| {
            n += 1;
            Ok(())
        })
        .is_err()
        {
            return Response::loki_error(504, &crate::engine::EvalError::Timeout.to_string());
        }
        let b = n * typical_bytes(spec, start);
        let span_h = ((end.min(spec.to_ns) - start.max(spec.from_ns)).max(0)
            / (3600 * 1_000_000_000)) as u64;
        entries += n;
        bytes += b;
        chunks += if n == 0 {
            0
        } else {
            (b / 1_500_000).max(span_h / 2).max(1)
        };
    }
    let body = format!(
        "{{\"streams\":{},\"chunks\":{chunks},\"entries\":{entries},\"bytes\":{bytes}}}",
        streams.len()
    );
    Response::json(body)
}

/// `GET|POST /loki/api/v1/index/volume` and `volume_range`.
pub fn volume(app: &App, req: &Request, ranged: bool) -> Response {
    let (matchers, start, end) = match selector_and_bounds(app, req) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let limit = match req.param("limit") {
        "" => 100,
        l => match parse_go_atoi(l) {
            Ok(0) => 100,
            Ok(n) if n < 0 => return Response::loki_error(400, "limit must be a positive value"),
            Ok(n) => n as usize,
            Err(e) => return Response::loki_error(400, &e.0),
        },
    };
    let by_labels = match req.param("aggregateBy") {
        "" | "series" => false,
        "labels" => true,
        _ => return Response::loki_error(400, "invalid aggregation option"),
    };
    let step = if ranged {
        match req.param("step") {
            "" => default_step_ns(start, end),
            s => match parse_seconds_or_duration(s) {
                Ok(v) if v > 0 => v,
                Ok(_) => return Response::loki_error(400, "zero or negative query resolution step widths are not accepted. Try a positive integer"),
                Err(e) => return Response::loki_error(400, &e.0),
            },
        }
    } else {
        (end - start).max(1)
    };
    if (end - start) / step > 11_000 {
        return Response::loki_error(400, "exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter");
    }
    let targets: Vec<String> = req
        .param("targetLabels")
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let group_names: Vec<String> = if targets.is_empty() {
        matchers
            .iter()
            .map(|m| m.name.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    } else {
        targets
    };
    let ctx = Ctx::new(&app.data, app.now_ns(), app.options.query_timeout);
    let buckets = ((end - start + step - 1) / step).max(1) as usize;
    let mut groups: HashMap<LabelSet, Vec<f64>> = HashMap::new();
    for spec in select_streams(&ctx, &matchers, start, end) {
        let per_line = typical_bytes(&spec, start) as f64;
        let mut per_bucket = vec![0.0; buckets];
        let result = for_each_entry(&ctx, &spec, start, end, false, |stub, _| {
            let b = (((stub.ts_ns - start) / step) as usize).min(buckets - 1);
            per_bucket[b] += per_line;
            Ok(())
        });
        if result.is_err() {
            return Response::loki_error(504, &crate::engine::EvalError::Timeout.to_string());
        }
        let keys: Vec<LabelSet> = if by_labels {
            group_names
                .iter()
                .filter(|n| spec.labels.contains(n))
                .map(|n| LabelSet::from_pairs([(n.clone(), String::new())]))
                .collect()
        } else {
            vec![spec.labels.only(&group_names)]
        };
        for key in keys {
            let acc = groups.entry(key).or_insert_with(|| vec![0.0; buckets]);
            acc.iter_mut().zip(&per_bucket).for_each(|(a, b)| *a += b);
        }
    }
    let mut series: Vec<Series> = groups
        .into_iter()
        .map(|(labels, values)| Series {
            labels,
            values: values.into_iter().map(|v| (v > 0.0).then_some(v)).collect(),
        })
        .filter(|s| s.values.iter().any(Option::is_some))
        .collect();
    let first = |s: &Series| s.values.iter().flatten().next().copied().unwrap_or(0.0);
    series.sort_by(|a, b| {
        first(b)
            .total_cmp(&first(a))
            .then_with(|| a.labels.to_string().cmp(&b.labels.to_string()))
    });
    series.truncate(limit);
    let stats = envelope::stats_json(ctx.stats(), 0.0, 0);
    if ranged && buckets > 1 {
        let steps = Steps {
            start_ns: start,
            step_ns: step,
            count: buckets,
        };
        Response::json(envelope::matrix(&series, &steps, &stats))
    } else {
        for s in &mut series {
            let total: f64 = s.values.iter().flatten().sum();
            s.values = vec![Some(total)];
        }
        Response::json(envelope::vector(&series, end, &stats))
    }
}
