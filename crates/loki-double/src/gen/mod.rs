//! Generated logs as a pure function of time: for each stream and minute, a hash decides how
//! many entries there are, their nanosecond timestamps, their level and their text. Nothing
//! is stored, so any range can be served, and every run gives the same bytes.

mod app_lines;
mod audit_lines;
pub mod catalogue;
mod fmt;
pub mod level;
mod platform_lines;
mod words;

use sightline_fleet::hash::{hash64, unit};
use sightline_fleet::{diurnal, node_missing, xid_error, JobKind};

pub use catalogue::{streams_in, StreamSpec};
pub use level::Level;

use crate::timefmt::{NS_PER_MIN, NS_PER_MS};
use catalogue::{Component, Source};

/// FNV-1a over bytes, for stable seeds from label strings.
#[must_use]
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// One entry before its text is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stub {
    pub ts_ns: i64,
    pub hash: u64,
    /// Which line template the entry uses (meaning depends on the stream's source).
    pub template: u8,
    /// The level Loki's detection gives the rendered line (its `detected_level`).
    pub level: Level,
    /// The XID error the stream's GPUs report in this minute, if any.
    pub xid: Option<u32>,
}

/// Context of one minute of one stream.
struct Minute {
    index: i64,
    t_ms: i64,
    xid: Option<u32>,
}

fn mean_per_minute(spec: &StreamSpec, minute: &Minute) -> f64 {
    match &spec.source {
        Source::App {
            kind,
            level,
            region,
            ..
        } => {
            let busy = match kind {
                JobKind::Training => 22.0,
                JobKind::Inference => 34.0 * (0.3 + 0.7 * diurnal(region, minute.t_ms)),
                JobKind::Evaluation => 16.0,
            };
            let xid = minute.xid.is_some();
            match level {
                Some(Level::Info) => busy,
                Some(Level::Debug) => 7.0,
                Some(Level::Warn) => 1.0,
                Some(Level::Error) if xid => 6.0,
                Some(_) => 0.12,
                None if xid => 4.0,
                None => 0.4,
            }
        }
        Source::Platform { component } => {
            let xid = if minute.xid.is_some() { 1.0 } else { 0.0 };
            match component {
                Component::Kubelet => 4.5,
                Component::DevicePlugin => 0.2 + 2.0 * xid,
                Component::DcgmExporter => 0.25,
                Component::NodeProblemDetector => 0.4 + 8.0 * xid,
                Component::Kernel => 0.3 + 10.0 * xid,
            }
        }
        Source::Audit { cluster_index } => {
            let region = if *cluster_index < 2 {
                "us-east"
            } else {
                "us-west"
            };
            40.0 * (0.5 + 0.5 * diurnal(region, minute.t_ms))
        }
    }
}

/// Appends the entries of `spec` in minute `minute_index` (Unix minutes) to `out`, in time order.
pub fn minute_stubs(spec: &StreamSpec, minute_index: i64, out: &mut Vec<Stub>) {
    let start_ns = minute_index.saturating_mul(NS_PER_MIN);
    if start_ns.saturating_add(NS_PER_MIN) <= spec.from_ns || start_ns >= spec.to_ns {
        return;
    }
    let t_ms = start_ns / NS_PER_MS;
    if spec.node.is_some_and(|node| node_missing(node, t_ms)) {
        return;
    }
    let xid = spec.gpus.iter().find_map(|g| xid_error(g, t_ms));
    let minute = Minute {
        index: minute_index,
        t_ms,
        xid,
    };
    let mean = mean_per_minute(spec, &minute);
    let base = hash64(&[spec.seed, minute.index as u64]);
    let whole = mean.floor();
    let count = whole as i64 + i64::from(unit(&[base, 1]) < mean - whole);
    if count <= 0 {
        return;
    }
    let slot = NS_PER_MIN / count;
    for i in 0..count {
        let hash = hash64(&[base, i as u64 + 2]);
        let ts_ns = start_ns + i * slot + (hash % slot as u64) as i64;
        if ts_ns < spec.from_ns || ts_ns >= spec.to_ns {
            continue;
        }
        let (template, level) = plan(spec, hash, xid);
        out.push(Stub {
            ts_ns,
            hash,
            template,
            level,
            xid,
        });
    }
}

fn plan(spec: &StreamSpec, hash: u64, xid: Option<u32>) -> (u8, Level) {
    match &spec.source {
        Source::App {
            level,
            format,
            kind,
            ..
        } => app_lines::plan(*level, *format, *kind, hash, xid),
        Source::Platform { component } => platform_lines::plan(*component, hash, xid),
        Source::Audit { .. } => audit_lines::plan(hash),
    }
}

/// Renders the text of an entry into `buf` (cleared first).
pub fn render(spec: &StreamSpec, stub: &Stub, buf: &mut String) {
    buf.clear();
    match &spec.source {
        Source::App { .. } => app_lines::render(spec, stub, buf),
        Source::Platform { component } => platform_lines::render(*component, spec, stub, buf),
        Source::Audit { cluster_index } => audit_lines::render(*cluster_index, spec, stub, buf),
    }
}

/// Structured metadata of an entry: Loki's `detected_level`.
#[must_use]
pub fn structured_metadata(stub: &Stub) -> [(&'static str, &'static str); 1] {
    [("detected_level", stub.level.as_str())]
}

#[cfg(test)]
mod tests;
