//! `/labels`, `/label/<name>/values` and `/series`: stream labels (not structured metadata)
//! of the streams that exist in the range.

use std::collections::BTreeSet;

use crate::engine::select::stream_matches;
use crate::gen::streams_in;
use crate::http::{Request, Response};
use crate::json::{push_labels, push_str};
use crate::logql::ast::Matcher;
use crate::logql::parse_selector;
use crate::params::parse_bounds;

use super::envelope;
use super::App;

fn bounds(app: &App, req: &Request) -> Result<(i64, i64), Response> {
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
    Ok((start, end))
}

fn optional_selector(query: &str) -> Result<Vec<Matcher>, Response> {
    if query.trim().is_empty() {
        return Ok(Vec::new());
    }
    parse_selector(query).map_err(|e| Response::loki_error(400, &e))
}

fn string_array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_str(&mut out, item, false);
    }
    out.push(']');
    out
}

/// `GET|POST /loki/api/v1/labels`.
pub fn labels(app: &App, req: &Request) -> Response {
    let ((start, end), matchers) = match (bounds(app, req), optional_selector(req.param("query"))) {
        (Ok(b), Ok(m)) => (b, m),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let mut names = BTreeSet::new();
    for spec in streams_in(&app.data, app.now_ns(), start, end)
        .iter()
        .filter(|s| stream_matches(s, &matchers))
    {
        names.extend(spec.labels.iter().map(|(k, _)| k.to_string()));
    }
    Response::json(envelope::data(&string_array(
        names.iter().map(String::as_str),
    )))
}

/// `GET|POST /loki/api/v1/label/<name>/values`.
pub fn label_values(app: &App, req: &Request, name: &str) -> Response {
    let ((start, end), matchers) = match (bounds(app, req), optional_selector(req.param("query"))) {
        (Ok(b), Ok(m)) => (b, m),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let mut values = BTreeSet::new();
    for spec in streams_in(&app.data, app.now_ns(), start, end)
        .iter()
        .filter(|s| stream_matches(s, &matchers))
    {
        if let Some(v) = spec.labels.get(name) {
            values.insert(v.to_string());
        }
    }
    Response::json(envelope::data(&string_array(
        values.iter().map(String::as_str),
    )))
}

/// `GET|POST /loki/api/v1/series` (`match[]` or `match`, repeated; none or `{}` = all).
pub fn series(app: &App, req: &Request) -> Response {
    let (start, end) = match bounds(app, req) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut raw: Vec<&str> = req.params_named("match[]");
    raw.extend(req.params_named("match"));
    raw.sort_unstable();
    raw.dedup();
    if raw.len() == 1 && raw[0].replace(' ', "") == "{}" {
        raw.clear();
    }
    let mut selectors = Vec::new();
    for m in raw {
        match parse_selector(m) {
            Ok(ms) => selectors.push(ms),
            Err(e) => return Response::loki_error(400, &e),
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = String::from("[");
    for spec in streams_in(&app.data, app.now_ns(), start, end) {
        if !selectors.is_empty() && !selectors.iter().any(|ms| stream_matches(&spec, ms)) {
            continue;
        }
        if !seen.insert(spec.labels.clone()) {
            continue;
        }
        if seen.len() > 1 {
            out.push(',');
        }
        push_labels(&mut out, &spec.labels);
    }
    out.push(']');
    Response::json(envelope::data(&out))
}
