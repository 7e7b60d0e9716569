//! Picks the streams a selector matches in a time range, and walks their entries.

use crate::gen::{minute_stubs, render, streams_in, StreamSpec, Stub};
use crate::logql::ast::Matcher;
use crate::timefmt::NS_PER_MIN;

use super::{Ctx, EvalError};

/// True if a stream's labels satisfy every matcher (absent labels read as `""`).
#[must_use]
pub fn stream_matches(spec: &StreamSpec, matchers: &[Matcher]) -> bool {
    matchers
        .iter()
        .all(|m| m.matches(spec.labels.get(&m.name).unwrap_or_default()))
}

/// Streams matching `matchers` with entries possibly in `[from_ns, to_ns)`.
#[must_use]
pub fn select_streams(
    ctx: &Ctx<'_>,
    matchers: &[Matcher],
    from_ns: i64,
    to_ns: i64,
) -> Vec<StreamSpec> {
    streams_in(ctx.cfg, ctx.now_ns, from_ns, to_ns)
        .into_iter()
        .filter(|s| stream_matches(s, matchers))
        .collect()
}

/// Calls `each(stub, line)` for every entry of `spec` in `[from_ns, to_ns)`, oldest first.
/// The line is rendered only when `with_line` (else it is `""`).
pub fn for_each_entry(
    ctx: &Ctx<'_>,
    spec: &StreamSpec,
    from_ns: i64,
    to_ns: i64,
    with_line: bool,
    mut each: impl FnMut(&Stub, &str) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    let from = from_ns.max(spec.from_ns);
    let to = to_ns.min(spec.to_ns);
    if from >= to {
        return Ok(());
    }
    let mut stubs = Vec::with_capacity(64);
    let mut line = String::with_capacity(512);
    let (mut lines, mut bytes) = (0u64, 0u64);
    for (i, minute) in (from.div_euclid(NS_PER_MIN)..=(to - 1).div_euclid(NS_PER_MIN)).enumerate() {
        if i % 256 == 0 {
            ctx.check_deadline()?;
        }
        stubs.clear();
        minute_stubs(spec, minute, &mut stubs);
        for stub in stubs.iter().filter(|s| s.ts_ns >= from && s.ts_ns < to) {
            if with_line {
                render(spec, stub, &mut line);
                bytes += line.len() as u64;
            }
            lines += 1;
            each(stub, if with_line { &line } else { "" })?;
        }
    }
    ctx.count(lines, bytes, 0);
    Ok(())
}
