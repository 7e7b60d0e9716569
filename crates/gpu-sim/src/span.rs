//! A span of history to generate: `[from, to)` sampled every `step` (grid points
//! `from + k·step`), and its split into chunks aligned to multiples of a chunk length since the
//! epoch (one OpenMetrics file, and so one TSDB block, per chunk).

use crate::timearg::{format_duration, format_rfc3339};

/// A half-open time span and its sampling step, all Unix ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from_ms: i64,
    pub to_ms: i64,
    pub step_ms: i64,
}

impl Span {
    /// The grid points in the span.
    pub fn times(&self) -> impl Iterator<Item = i64> {
        let step = self.step_ms.max(1);
        (self.from_ms..self.to_ms).step_by(usize::try_from(step).unwrap_or(usize::MAX))
    }

    /// The grid points in `[a, b) ∩ span`.
    pub fn times_within(&self, a: i64, b: i64) -> impl Iterator<Item = i64> {
        let step = self.step_ms.max(1);
        let first = if a <= self.from_ms {
            self.from_ms
        } else {
            self.from_ms + (a - self.from_ms + step - 1) / step * step
        };
        let end = b.min(self.to_ms);
        (first..end.max(first)).step_by(usize::try_from(step).unwrap_or(usize::MAX))
    }

    /// Number of grid points.
    #[must_use]
    pub fn len(&self) -> u64 {
        if self.to_ms <= self.from_ms {
            0
        } else {
            ((self.to_ms - self.from_ms + self.step_ms - 1) / self.step_ms) as u64
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The span cut at multiples of `chunk_ms` since the epoch; each piece keeps the original
    /// grid (its first point is the first grid point at or after the cut).
    #[must_use]
    pub fn chunks(&self, chunk_ms: i64) -> Vec<Span> {
        let mut out = Vec::new();
        let mut cut = self.from_ms;
        while cut < self.to_ms {
            let next = ((cut.div_euclid(chunk_ms)) + 1) * chunk_ms;
            let end = next.min(self.to_ms);
            if let Some(first) = self.times_within(cut, end).next() {
                out.push(Span {
                    from_ms: first,
                    to_ms: end,
                    step_ms: self.step_ms,
                });
            }
            cut = end;
        }
        out
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[{}, {}) every {}",
            format_rfc3339(self.from_ms),
            format_rfc3339(self.to_ms),
            format_duration(self.step_ms)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 3_600_000;

    #[test]
    fn grid_is_half_open() {
        let span = Span {
            from_ms: 0,
            to_ms: 60_000,
            step_ms: 15_000,
        };
        assert_eq!(
            span.times().collect::<Vec<_>>(),
            [0, 15_000, 30_000, 45_000]
        );
        assert_eq!(span.len(), 4);
        assert_eq!(
            span.times_within(16_000, 50_000).collect::<Vec<_>>(),
            [30_000, 45_000]
        );
        assert_eq!(span.times_within(-5, 15_000).collect::<Vec<_>>(), [0]);
        assert_eq!(span.times_within(50_000, 10).count(), 0);
    }

    #[test]
    fn chunks_align_to_the_epoch_and_keep_the_grid() {
        let span = Span {
            from_ms: 5 * H + 7_000,
            to_ms: 50 * H,
            step_ms: 15_000,
        };
        let chunks = span.chunks(18 * H);
        assert_eq!(chunks.len(), 3);
        assert_eq!(
            (chunks[0].from_ms, chunks[0].to_ms),
            (5 * H + 7_000, 18 * H)
        );
        assert_eq!(chunks[1].to_ms, 36 * H);
        assert_eq!(chunks[2].to_ms, 50 * H);
        let joined: Vec<i64> = chunks.iter().flat_map(Span::times).collect();
        assert_eq!(joined, span.times().collect::<Vec<_>>());
    }
}
