//! Running a log query: the first page (split across the logs cut-over when the range reaches
//! before it), the stream label names of its selector (so that "filter for" knows a stream
//! label from a parsed field), and "load older / newer" pages past Loki's `limit`.

use std::collections::BTreeSet;

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::{
    Direction, LogLimits, LogPager, LogQuery, LogRange, LogStream, LokiResult,
};
use sightline_core::api::stitch::StitchNote;
use sightline_core::model::frame::Series;
use sightline_core::model::query_lang::logql_edit::{is_metric_query, stream_selector};
use sightline_core::model::time_range::TimeRange;

use super::logs_targets;
use crate::client::stitch::{join, logs_range};
use crate::client::{loki, RequestSlot};
use crate::state::session::Session;

/// What a log query has loaded so far.
#[derive(Debug, Clone, PartialEq)]
pub struct LogsPage {
    /// The query as first sent: the whole range, `limit` and direction.
    pub query: LogQuery,
    /// Which service answered.
    pub service: Service,
    /// Every stream loaded, pages merged.
    pub streams: Vec<LogStream>,
    /// Where the next page starts, when the last page was full.
    pub next: Option<LogRange>,
    /// Set when the range was split at the cut-over or one host failed.
    pub note: Option<StitchNote>,
    pub warnings: Vec<String>,
    /// The label names of the streams the selector matches (`None` if unknown).
    pub stream_labels: Option<BTreeSet<String>>,
    /// A metric query's series (LogQL `count_over_time(…)` and friends).
    pub samples: Option<Vec<Series>>,
    /// Entries loaded.
    pub entries: usize,
}

/// Runs `expr` over `range` on `service`: `limit` lines from the `direction` end. The stream
/// label lookup runs beside it on `labels_slot` and may fail without failing the query.
///
/// # Errors
/// The query's [`ApiError`]; [`ApiError::Aborted`] when `slot` started a newer request.
#[allow(clippy::too_many_arguments)]
pub async fn run_logs(
    session: &Session,
    service: Service,
    cutover_ms: i64,
    expr: &str,
    range: TimeRange,
    limit: u32,
    direction: Direction,
    slot: &RequestSlot,
    labels_slot: &RequestSlot,
) -> Result<LogsPage, ApiError> {
    let targets = logs_targets(session, service, cutover_ms)?;
    let log_range = LogRange::from_time_range(range);
    let mut query = LogQuery::new(expr, log_range, &LogLimits::default());
    query.limit = LogLimits::default().effective(Some(limit));
    query.direction = direction;
    let selector = stream_selector(expr).map(|r| expr[r].to_owned());
    let labels = async {
        match (&selector, is_metric_query(expr)) {
            (Some(selector), false) => {
                loki::labels(&targets.current, log_range, Some(selector), labels_slot)
                    .await
                    .ok()
                    .map(|answer| answer.data.into_iter().collect::<BTreeSet<String>>())
            }
            _ => None,
        }
    };
    let (answer, stream_labels) = join(logs_range(&targets, &query, slot), labels).await;
    let stitched = answer?;
    let warnings = stitched.answer.warnings;
    let (streams, samples, next) = match stitched.answer.data.result {
        LokiResult::Streams(streams) => {
            let pager = pager_of(&query);
            let mut loaded = Vec::new();
            let outcome = pager.absorb(&mut loaded, streams);
            (loaded, None, outcome.next)
        }
        LokiResult::Samples(data) => (Vec::new(), Some(data.into_series()), None),
    };
    Ok(LogsPage {
        entries: streams.iter().map(|s| s.entries.len()).sum(),
        query,
        service,
        streams,
        next,
        note: stitched.note,
        warnings,
        stream_labels,
        samples,
    })
}

fn pager_of(query: &LogQuery) -> LogPager {
    LogPager {
        range: query.range,
        direction: query.direction,
        limit: query.limit,
    }
}

/// Loads the next page of `page` (older lines for a newest-first query) and merges it in.
///
/// # Errors
/// The page's [`ApiError`]; `page` is unchanged then.
pub async fn load_more(
    session: &Session,
    cutover_ms: i64,
    page: &LogsPage,
    slot: &RequestSlot,
) -> Result<LogsPage, ApiError> {
    let Some(next) = page.next else {
        return Ok(page.clone());
    };
    let targets = logs_targets(session, page.service, cutover_ms)?;
    let query = LogQuery {
        range: next,
        ..page.query.clone()
    };
    let stitched = logs_range(&targets, &query, slot).await?;
    let mut streams = page.streams.clone();
    let incoming = match stitched.answer.data.result {
        LokiResult::Streams(streams) => streams,
        LokiResult::Samples(_) => Vec::new(),
    };
    let outcome = pager_of(&page.query).absorb(&mut streams, incoming);
    let mut warnings = page.warnings.clone();
    for warning in stitched.answer.warnings {
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    Ok(LogsPage {
        entries: streams.iter().map(|s| s.entries.len()).sum(),
        streams,
        next: outcome.next,
        note: stitched.note.or_else(|| page.note.clone()),
        warnings,
        ..page.clone()
    })
}
