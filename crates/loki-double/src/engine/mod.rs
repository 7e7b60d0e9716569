//! Query evaluation over the generated logs: stream selection, log (streams) queries with
//! limit/direction/interval, range aggregations and vector aggregations.

mod aggregate;
pub mod logs;
pub mod metrics;
mod range;
pub mod select;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::config::DataConfig;
use crate::labels::LabelSet;

pub use aggregate::eval_metric;

/// Loki's default `max_query_series`.
pub const MAX_QUERY_SERIES: usize = 500;

/// Why a query failed after parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// The query ran past its deadline (Loki answers 504).
    Timeout,
    /// More series than `max_query_series` (400).
    SeriesLimit(usize),
    /// A metric series carries `__error__` (400, Loki's pipeline error text).
    Pipeline { kind: String, series: LabelSet },
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Timeout => f.write_str("request timed out, decrease the duration of the request or add more label matchers (prefer exact match over regex match) to reduce the amount of data processed"),
            EvalError::SeriesLimit(limit) => write!(f, "maximum number of series ({limit}) reached for a single query; consider reducing query cardinality by adding more specific stream selectors, reducing the time range, or aggregating results with functions like sum(), count() or topk()"),
            EvalError::Pipeline { kind, series } => write!(
                f,
                "pipeline error: '{kind}' for series: '{series}'.\nUse a label filter to intentionally skip this error. (e.g | __error__!=\"{kind}\").\nTo skip all potential errors you can match empty errors.(e.g __error__=\"\")\nThe label filter can also be specified after unwrap. (e.g | unwrap latency | __error__=\"\" )\n"
            ),
        }
    }
}

/// Counters reported in `data.stats.summary`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub lines_processed: u64,
    pub bytes_processed: u64,
    pub post_filter_lines: u64,
}

/// Everything a query needs besides its expression.
pub struct Ctx<'a> {
    pub cfg: &'a DataConfig,
    pub now_ns: i64,
    pub deadline: Instant,
    lines: AtomicU64,
    bytes: AtomicU64,
    post_filter: AtomicU64,
}

impl<'a> Ctx<'a> {
    /// A context with a deadline `timeout` from now.
    #[must_use]
    pub fn new(cfg: &'a DataConfig, now_ns: i64, timeout: std::time::Duration) -> Self {
        Self {
            cfg,
            now_ns,
            deadline: Instant::now() + timeout,
            lines: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            post_filter: AtomicU64::new(0),
        }
    }

    /// Fails with [`EvalError::Timeout`] once past the deadline.
    pub fn check_deadline(&self) -> Result<(), EvalError> {
        if Instant::now() > self.deadline {
            Err(EvalError::Timeout)
        } else {
            Ok(())
        }
    }

    /// Adds to the processed counters.
    pub fn count(&self, lines: u64, bytes: u64, post_filter: u64) {
        self.lines.fetch_add(lines, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.post_filter.fetch_add(post_filter, Ordering::Relaxed);
    }

    /// The counters so far.
    #[must_use]
    pub fn stats(&self) -> Stats {
        Stats {
            lines_processed: self.lines.load(Ordering::Relaxed),
            bytes_processed: self.bytes.load(Ordering::Relaxed),
            post_filter_lines: self.post_filter.load(Ordering::Relaxed),
        }
    }
}

/// Evaluation instants of a metric query: `start + k·step` for `k < count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Steps {
    pub start_ns: i64,
    pub step_ns: i64,
    pub count: usize,
}

impl Steps {
    /// Steps from `start` to `end` inclusive.
    #[must_use]
    pub fn range(start_ns: i64, end_ns: i64, step_ns: i64) -> Self {
        let count = if end_ns < start_ns || step_ns <= 0 {
            0
        } else {
            ((end_ns - start_ns) / step_ns) as usize + 1
        };
        Self {
            start_ns,
            step_ns,
            count,
        }
    }

    /// A single instant.
    #[must_use]
    pub fn instant(t_ns: i64) -> Self {
        Self {
            start_ns: t_ns,
            step_ns: 1,
            count: 1,
        }
    }

    /// The k-th instant.
    #[must_use]
    pub fn at(&self, k: usize) -> i64 {
        self.start_ns + k as i64 * self.step_ns
    }

    /// The last instant.
    #[must_use]
    pub fn last(&self) -> i64 {
        self.at(self.count.saturating_sub(1))
    }
}

/// One output series of a metric query; `values[k]` is the value at step k, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub labels: LabelSet,
    pub values: Vec<Option<f64>>,
}

#[cfg(test)]
mod tests;
