//! `/query`, `/query_range` and `/format_query`, with Loki's parameter order and checks.

use std::time::Instant;

use crate::engine::logs::{query_logs, LogQuery};
use crate::engine::{eval_metric, Ctx, EvalError, Steps};
use crate::http::{Request, Response};
use crate::logql::ast::Expr;
use crate::logql::parse;
use crate::params::{
    default_step_ns, parse_bounds, parse_direction, parse_limit, parse_seconds_or_duration,
    parse_timestamp, ParamError,
};
use crate::timefmt::{go_duration_string, prom_duration_string, NS_PER_SEC};

use super::envelope;
use super::App;

/// Loki's default `max_query_length` (721h).
pub const MAX_QUERY_LENGTH_NS: i64 = 721 * 3600 * NS_PER_SEC;

/// Largest number of points per series.
const MAX_POINTS: i64 = 11_000;

fn bad(msg: impl std::fmt::Display) -> Response {
    Response::loki_error(400, &msg.to_string())
}

fn eval_error(e: &EvalError) -> Response {
    let status = if matches!(e, EvalError::Timeout) {
        504
    } else {
        400
    };
    Response::loki_error(status, &e.to_string())
}

/// True if the client asked for `categorize-labels` encoding.
fn categorize(req: &Request) -> bool {
    req.header("x-loki-response-encoding-flags")
        .is_some_and(|v| v.split(',').any(|f| f.trim() == "categorize-labels"))
}

fn check_entries_limit(app: &App, limit: u32) -> Result<(), Response> {
    let max = app.options.max_entries;
    if max != 0 && limit > max {
        return Err(bad(format!("max entries limit per query exceeded, limit > max_entries_limit_per_query ({limit} > {max})")));
    }
    Ok(())
}

/// `GET|POST /loki/api/v1/query`.
pub fn instant(app: &App, req: &Request) -> Response {
    let started = Instant::now();
    let now = app.now_ns();
    let parsed = (|| -> Result<(u32, i64), ParamError> {
        let limit = parse_limit(req.param("limit"))?;
        let time = parse_timestamp(req.param("time"), now)?;
        parse_direction(req.param("direction"))?;
        Ok((limit, time))
    })();
    let (_limit, time) = match parsed {
        Ok(v) => v,
        Err(e) => return bad(e),
    };
    let expr = match parse(req.param("query")) {
        Ok(Expr::Metric(m)) => m,
        Ok(Expr::Log(_)) => return bad("log queries are not supported as an instant query type, please change your query to a range query type"),
        Err(e) => return bad(e),
    };
    let ctx = Ctx::new(&app.data, now, app.options.query_timeout);
    let steps = Steps::instant(time);
    match eval_metric(&ctx, &expr, &steps) {
        Ok(series) => {
            let stats = envelope::stats_json(ctx.stats(), started.elapsed().as_secs_f64(), 0);
            Response::json(envelope::vector(&series, time, &stats))
        }
        Err(e) => eval_error(&e),
    }
}

/// Parsed `query_range` parameters (Loki's `ParseRangeQuery`).
struct RangeParams {
    start: i64,
    end: i64,
    limit: u32,
    direction: crate::params::Direction,
    step: i64,
    interval: i64,
}

fn range_params(req: &Request, now: i64) -> Result<RangeParams, ParamError> {
    let (start, end) = parse_bounds(
        req.param("start"),
        req.param("end"),
        req.param("since"),
        now,
    )?;
    if end < start {
        return Err(ParamError(
            "end timestamp must not be before or equal to start time".into(),
        ));
    }
    let limit = parse_limit(req.param("limit"))?;
    let direction = parse_direction(req.param("direction"))?;
    let step = match req.param("step") {
        "" => default_step_ns(start, end),
        s => parse_seconds_or_duration(s)?,
    };
    if step <= 0 {
        return Err(ParamError("zero or negative query resolution step widths are not accepted. Try a positive integer".into()));
    }
    if (end - start) / step > MAX_POINTS {
        return Err(ParamError("exceeded maximum resolution of 11,000 points per time series. Try increasing the value of the step parameter".into()));
    }
    let interval = match req.param("interval") {
        "" => 0,
        s => parse_seconds_or_duration(s)?,
    };
    if interval < 0 {
        return Err(ParamError("interval must be >= 0".into()));
    }
    Ok(RangeParams {
        start,
        end,
        limit,
        direction,
        step,
        interval,
    })
}

/// `GET|POST /loki/api/v1/query_range`.
pub fn range(app: &App, req: &Request) -> Response {
    let started = Instant::now();
    let now = app.now_ns();
    let p = match range_params(req, now) {
        Ok(p) => p,
        Err(e) => return bad(e),
    };
    let expr = match parse(req.param("query")) {
        Ok(expr) => expr,
        Err(e) => return bad(e),
    };
    if matches!(expr, Expr::Log(_)) {
        if let Err(resp) = check_entries_limit(app, p.limit) {
            return resp;
        }
    }
    if p.end - p.start > MAX_QUERY_LENGTH_NS {
        return bad(format!(
            "the query time range exceeds the limit (query length: {}, limit: {})",
            go_duration_string(p.end - p.start),
            prom_duration_string(MAX_QUERY_LENGTH_NS / 1_000_000)
        ));
    }
    let ctx = Ctx::new(&app.data, now, app.options.query_timeout);
    match expr {
        Expr::Log(log) => {
            let categorize = categorize(req);
            let q = LogQuery {
                start_ns: p.start,
                end_ns: p.end,
                limit: p.limit as usize,
                direction: p.direction,
                interval_ns: p.interval,
                categorize,
            };
            match query_logs(&ctx, &log, q) {
                Ok(streams) => {
                    let returned = streams.iter().map(|s| s.entries.len()).sum();
                    let stats = envelope::stats_json(
                        ctx.stats(),
                        started.elapsed().as_secs_f64(),
                        returned,
                    );
                    Response::json(envelope::streams(&streams, categorize, &stats))
                }
                Err(e) => eval_error(&e),
            }
        }
        Expr::Metric(m) => {
            let steps = Steps::range(p.start, p.end, p.step);
            match eval_metric(&ctx, &m, &steps) {
                Ok(series) => {
                    let stats =
                        envelope::stats_json(ctx.stats(), started.elapsed().as_secs_f64(), 0);
                    Response::json(envelope::matrix(&series, &steps, &stats))
                }
                Err(e) => eval_error(&e),
            }
        }
    }
}

/// `GET|POST /loki/api/v1/format_query`.
pub fn format(req: &Request) -> Response {
    match parse(req.param("query")) {
        Ok(expr) => {
            let mut text = String::new();
            crate::json::push_str(&mut text, &expr.to_string(), false);
            Response::json(envelope::data(&text))
        }
        Err(e) => bad(e),
    }
}
