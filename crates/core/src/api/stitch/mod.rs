//! Legacy stitching: a range that starts before a cut-over (metrics: 2024-10-21; logs: the
//! date in `config.json`) is split, the part before it asked of the profile's legacy host and the
//! rest of the current host, and the two answers merged into one series set or stream set.
//!
//! The client runs the two halves in parallel and hands both outcomes to [`stitch_metrics`] or
//! [`stitch_logs`]; a failed half does not lose the other, and [`StitchNote`] tells the UI what
//! happened.

pub mod merge;
pub mod outcome;
pub mod plan;

pub use merge::{merge_histograms, merge_matrices, merge_series, union_label_sets, union_names};
pub use outcome::{combine, short_time, Half, StitchKind, StitchNote, Stitched};
pub use plan::{plan_instant, plan_logs, plan_metrics, LogQueryKind, Part, SplitPlan};

use crate::api::error::ApiError;
use crate::api::loki::{
    merge_streams, trim_to_limit, Direction, LokiQueryData, LokiResponse, LokiResult,
};
use crate::api::prometheus::PromResponse;

/// Combines the halves of a split Prometheus range query into one matrix.
///
/// # Errors
/// See [`combine`].
pub fn stitch_metrics(
    legacy: Option<Half<PromResponse>>,
    current: Option<Half<PromResponse>>,
    cutover_ms: i64,
) -> Result<Stitched<PromResponse>, ApiError> {
    let host = current.as_ref().map(|h| h.host.clone()).unwrap_or_default();
    combine(legacy, current, cutover_ms, |old, new| {
        merge_matrices(old, new, cutover_ms, &host)
    })
}

/// Combines the halves of a split Loki range query: streams are merged (one stream per label
/// set, de-duplicated) and cut to the `limit` entries Loki would have returned for `direction`;
/// matrices are merged like Prometheus ones. The current host's `stats` are kept.
///
/// # Errors
/// See [`combine`]; also when one half returned streams and the other samples.
pub fn stitch_logs(
    legacy: Option<Half<LokiResponse>>,
    current: Option<Half<LokiResponse>>,
    cutover_ms: i64,
    direction: Direction,
    limit: u32,
) -> Result<Stitched<LokiResponse>, ApiError> {
    let host = current.as_ref().map(|h| h.host.clone()).unwrap_or_default();
    combine(
        legacy,
        current,
        cutover_ms,
        |old: LokiQueryData, new: LokiQueryData| {
            let result = match (old.result, new.result) {
                (LokiResult::Streams(old_streams), LokiResult::Streams(mut streams)) => {
                    merge_streams(&mut streams, old_streams, direction);
                    trim_to_limit(
                        &mut streams,
                        direction,
                        usize::try_from(limit).unwrap_or(usize::MAX),
                    );
                    LokiResult::Streams(streams)
                }
                (LokiResult::Samples(old_data), LokiResult::Samples(new_data)) => {
                    LokiResult::Samples(merge_matrices(old_data, new_data, cutover_ms, &host)?)
                }
                (old_result, new_result) => {
                    return Err(ApiError::Malformed {
                        host: host.clone(),
                        detail: format!(
                            "cannot stitch {} to {}",
                            old_result.result_type(),
                            new_result.result_type()
                        ),
                    })
                }
            };
            let mut encoding_flags = new.encoding_flags;
            for flag in old.encoding_flags {
                if !encoding_flags.contains(&flag) {
                    encoding_flags.push(flag);
                }
            }
            Ok(LokiQueryData {
                result,
                stats: new.stats,
                encoding_flags,
            })
        },
    )
}
