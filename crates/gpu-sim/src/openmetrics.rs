//! The history writer: OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
//!
//! What promtool (2.42) needs, found by experiment: every sample has a timestamp (seconds);
//! the file ends with `# EOF`; each series' samples are in time order (an older sample after a
//! newer one of the same series is silently dropped). Families may repeat or interleave, but the
//! writer keeps strict OpenMetrics order anyway: one family at a time, and within it each label
//! set's samples together (a GPU's idle samples first, then each job's, since the job labels make
//! them other series). DCGM's counters do not end in `_total`, which OpenMetrics requires of a
//! `counter`, so they are typed `unknown` here; promtool does not keep metadata, and the live
//! exporter announces them as counters.

use std::io::{self, Write};

use sightline_fleet::JobSlot;

use crate::labels::LabelCache;
use crate::metric::{Metric, MetricType, ValueFormat};
use crate::model::GpuClock;
use crate::numfmt::{push_fixed, push_i64, push_seconds};
use crate::profile::{profiles, GpuProfile};
use crate::span::Span;

/// Flush to the output after this many buffered bytes.
const FLUSH_BYTES: usize = 1 << 20;

/// What a write produced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub samples: u64,
    pub bytes: u64,
}

/// Writes the history of every metric of every GPU over `span` as OpenMetrics text.
///
/// # Errors
/// I/O errors of `out`.
pub fn write_history<W: Write>(span: &Span, out: W) -> io::Result<WriteStats> {
    write_history_of(span, &Metric::ALL, profiles(), out)
}

/// Like [`write_history`] for some metrics and GPUs (tests and benchmarks use it).
///
/// # Errors
/// I/O errors of `out`.
pub fn write_history_of<W: Write>(
    span: &Span,
    metrics: &[Metric],
    gpus: &[GpuProfile],
    out: W,
) -> io::Result<WriteStats> {
    let mut sink = Sink {
        out,
        buf: Vec::with_capacity(FLUSH_BYTES + 4096),
        stats: WriteStats::default(),
    };
    let mut labels: Vec<LabelCache> = gpus.iter().map(|p| LabelCache::new(p.gpu)).collect();
    for &metric in metrics {
        write_family_header(&mut sink.buf, metric);
        for (profile, labels) in gpus.iter().zip(labels.iter_mut()) {
            write_gpu_series(&mut sink, span, metric, profile, labels)?;
        }
    }
    sink.buf.extend_from_slice(b"# EOF\n");
    sink.flush()?;
    Ok(sink.stats)
}

struct Sink<W> {
    out: W,
    buf: Vec<u8>,
    stats: WriteStats,
}

impl<W: Write> Sink<W> {
    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.stats.bytes += self.buf.len() as u64;
        self.buf.clear();
        self.out.flush()
    }

    fn maybe_flush(&mut self) -> io::Result<()> {
        if self.buf.len() >= FLUSH_BYTES {
            self.out.write_all(&self.buf)?;
            self.stats.bytes += self.buf.len() as u64;
            self.buf.clear();
        }
        Ok(())
    }
}

/// `# HELP` and `# TYPE` lines of a family.
fn write_family_header(buf: &mut Vec<u8>, metric: Metric) {
    buf.extend_from_slice(b"# HELP ");
    buf.extend_from_slice(metric.name().as_bytes());
    buf.push(b' ');
    for c in metric.help().bytes() {
        match c {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'"' => buf.extend_from_slice(b"\\\""),
            c => buf.push(c),
        }
    }
    buf.extend_from_slice(b"\n# TYPE ");
    buf.extend_from_slice(metric.name().as_bytes());
    buf.extend_from_slice(b" ");
    buf.extend_from_slice(openmetrics_type(metric).as_bytes());
    buf.push(b'\n');
}

/// The OpenMetrics type of a family (see the module docs on counters).
#[must_use]
pub fn openmetrics_type(metric: Metric) -> &'static str {
    match metric.metric_type() {
        MetricType::Counter if !metric.name().ends_with("_total") => "unknown",
        other => other.as_str(),
    }
}

/// All samples of one GPU for one family: idle samples first, then each job's.
fn write_gpu_series<W: Write>(
    sink: &mut Sink<W>,
    span: &Span,
    metric: Metric,
    profile: &GpuProfile,
    labels: &mut LabelCache,
) -> io::Result<()> {
    let mut clock = GpuClock::new(profile);
    let mut jobs: Vec<JobSlot> = Vec::new();
    for t in span.times() {
        if clock.missing(t) {
            continue;
        }
        match clock.job(t) {
            Some(slot) => {
                if jobs
                    .last()
                    .is_none_or(|last| (last.window, last.half) != (slot.window, slot.half))
                {
                    jobs.push(slot);
                }
            }
            None => {
                let v = clock.value_with_job(metric, None, t);
                write_sample(&mut sink.buf, metric, labels.parts(None), v, t);
                sink.stats.samples += 1;
                sink.maybe_flush()?;
            }
        }
    }
    for slot in &jobs {
        let mut clock = GpuClock::new(profile);
        for t in span.times_within(slot.start_ms, slot.end_ms) {
            if clock.missing(t) {
                continue;
            }
            let v = clock.value_with_job(metric, Some(slot), t);
            write_sample(&mut sink.buf, metric, labels.parts(Some(slot)), v, t);
            sink.stats.samples += 1;
            sink.maybe_flush()?;
        }
    }
    Ok(())
}

/// `NAME{labels} VALUE SECONDS\n`.
fn write_sample(
    buf: &mut Vec<u8>,
    metric: Metric,
    (fixed, job): (&str, &str),
    value: f64,
    t_ms: i64,
) {
    buf.extend_from_slice(metric.name().as_bytes());
    buf.push(b'{');
    buf.extend_from_slice(fixed.as_bytes());
    buf.extend_from_slice(job.as_bytes());
    buf.extend_from_slice(b"} ");
    push_value(buf, metric, value);
    buf.push(b' ');
    push_seconds(buf, t_ms);
    buf.push(b'\n');
}

/// A value as the family prints it.
pub fn push_value(buf: &mut Vec<u8>, metric: Metric, value: f64) {
    match metric.format() {
        ValueFormat::Integer => push_i64(buf, value.round() as i64),
        ValueFormat::Decimals(d) => push_fixed(buf, value, d),
    }
}

#[cfg(test)]
#[path = "openmetrics_tests.rs"]
mod tests;
