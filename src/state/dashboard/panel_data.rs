//! Running a panel's queries: each visible target interpolated with the variables and the
//! panel's step, sent to the signed-in metrics (or logs) host — split across the legacy cut-over
//! when the range reaches before it — and the answers joined into named series, with a record of
//! every request for the inspector. A range query whose window only moved forward since the
//! panel's last answer asks for the new part alone ([`sightline_core::api::incremental`]).

use std::sync::Arc;

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::api::incremental::{fresh_part, join, RangeQuery};
use sightline_core::api::loki::{LogLimits, LogQuery, LogRange, LokiResult};
use sightline_core::api::prometheus as prom;
use sightline_core::api::stitch::plan_metrics;
use sightline_core::model::dashboard::{DataSourceKind, DatasourceScope, Panel, QueryMode, Target};
use sightline_core::model::duration::Duration;
use sightline_core::model::frame::Series;
use sightline_core::model::interpolate::{interpolate, Builtins, Scope, VariableValue};
use sightline_core::model::step::{compute_step, StepRequest};
use sightline_core::model::time_range::TimeRange;

use super::early;
use super::limiter::Limiter;
use crate::browser::performance_now;
use crate::client::{prometheus, stitch, RequestSlot, StitchTargets};
use crate::state::session::Session;

/// The scrape interval assumed for `$__rate_interval` (DCGM exporters scrape every 15 s).
pub const SCRAPE_INTERVAL: Duration = Duration::from_secs(15);

/// What a panel's queries need besides the panel.
#[derive(Clone)]
pub struct PanelContext {
    pub range: TimeRange,
    /// The panel's plot width in CSS pixels (one point per pixel at most).
    pub width_px: u32,
    pub variables: Arc<Vec<(String, VariableValue)>>,
    pub datasources: DatasourceScope,
    pub metrics_cutover_ms: i64,
    pub logs_cutover_ms: i64,
    /// The page's first "now", when this panel's requests are to be recorded for the next full
    /// load ([`super::early`]).
    pub early_now: Option<i64>,
    /// The panel's last answer, whose range queries a refresh may extend instead of asking
    /// again whole.
    pub previous: Option<Arc<PanelResult>>,
    /// How much of a refreshed range query is asked again; zero asks it whole.
    pub incremental_overlap: Duration,
}

/// One request a panel made, for the inspector.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub ref_id: String,
    pub host: String,
    /// The query as sent (variables replaced).
    pub query: String,
    pub mode: &'static str,
    pub step: Duration,
    pub elapsed_ms: f64,
    pub series: usize,
    pub points: usize,
    pub outcome: String,
    /// The metrics host's base and the range on the step grid that the answer covers, for a
    /// range query answered by the current host alone (the ones a refresh may extend).
    pub covered: Option<(String, TimeRange)>,
    /// For an incremental answer: the first instant asked; earlier ones came from the last
    /// answer.
    pub asked_from_ms: Option<i64>,
}

impl RequestRecord {
    /// The mode as the inspector shows it; an incremental answer says how much was asked and
    /// how much kept (`range: last 10m30s asked, 5h50m kept`).
    #[must_use]
    pub fn mode_text(&self) -> String {
        match (self.asked_from_ms, &self.covered) {
            (Some(asked_from_ms), Some((_, range))) => {
                let span = |from: i64, to: i64| {
                    Duration::from_millis(u64::try_from(to - from).unwrap_or_default())
                };
                format!(
                    "{}: last {} asked, {} kept",
                    self.mode,
                    span(asked_from_ms, range.to_ms),
                    span(range.from_ms, asked_from_ms)
                )
            }
            _ => self.mode.to_owned(),
        }
    }
}

/// What a panel's queries returned.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelResult {
    /// Shared with the chart and the panels' frames, which draw them as they are.
    pub series: Arc<Vec<Series>>,
    /// One display name per series (`legendFormat` applied).
    pub names: Vec<String>,
    /// The `refId` of the query each series came from (for `byFrameRefID` overrides).
    pub ref_ids: Vec<String>,
    pub warnings: Vec<String>,
    /// Notes such as "stitched: … from prometheus-legacy…".
    pub notes: Vec<String>,
    pub requests: Vec<RequestRecord>,
    pub range: TimeRange,
    pub step: Duration,
}

/// The step of `target` in `panel` for `context`: `maxDataPoints` (or the width), the target's
/// or panel's minimum interval, and the 11,000-points cap.
#[must_use]
pub fn step_for(
    panel: &Panel,
    target: &Target,
    context: &PanelContext,
    scope: &Scope<'_>,
) -> Duration {
    let min_step = [
        target.interval.as_str(),
        panel.interval.as_deref().unwrap_or(""),
    ]
    .into_iter()
    .map(|text| interpolate(text, scope))
    .find_map(|text| Duration::parse_api(text.trim_start_matches('>')).ok());
    compute_step(StepRequest {
        range_ms: context.range.span_ms(),
        max_data_points: panel.max_data_points.unwrap_or(context.width_px).max(10),
        min_step,
    })
}

/// Runs every visible target of `panel`.
///
/// # Errors
/// The first target's error when every target failed; [`ApiError::Aborted`] when superseded.
pub async fn run_panel(
    session: &Session,
    panel: &Panel,
    context: &PanelContext,
    slot: &RequestSlot,
    limiter: &Limiter,
) -> Result<PanelResult, ApiError> {
    let mut result = PanelResult {
        range: context.range,
        ..PanelResult::default()
    };
    let mut series = Vec::new();
    let mut first_error = None;
    let group = slot.group();
    let targets: Vec<&Target> = panel.active_targets().collect();
    for target in &targets {
        let base_scope = Scope {
            variables: &context.variables,
            builtins: Some(Builtins {
                range: context.range,
                interval: Duration::from_secs(15),
                scrape_interval: SCRAPE_INTERVAL,
            }),
        };
        let step = step_for(panel, target, context, &base_scope);
        let scope = Scope {
            variables: &context.variables,
            builtins: Some(Builtins {
                range: context.range,
                interval: step,
                scrape_interval: SCRAPE_INTERVAL,
            }),
        };
        let query = target.interpolated_expr(&scope);
        if query.trim().is_empty() {
            continue;
        }
        let kind = context
            .datasources
            .resolve(target.datasource.as_ref().or(panel.datasource.as_ref()));
        let _permit = limiter.acquire().await;
        let started = performance_now();
        let outcome = run_target(
            session,
            target,
            panel.datasource.as_ref(),
            &kind,
            &query,
            step,
            context,
            &group,
        )
        .await;
        let elapsed_ms = performance_now() - started;
        let mut record = RequestRecord {
            ref_id: target.ref_id.clone(),
            host: String::new(),
            query: query.clone(),
            mode: match target.query_mode() {
                QueryMode::Instant => "instant",
                _ => "range",
            },
            step,
            elapsed_ms,
            series: 0,
            points: 0,
            outcome: "ok".to_owned(),
            covered: None,
            asked_from_ms: None,
        };
        match outcome {
            Ok(answer) => {
                record.host = answer.host;
                record.covered = answer.covered;
                record.asked_from_ms = answer.asked_from_ms;
                record.series = answer.series.len();
                record.points = answer.series.iter().map(Series::len).sum();
                let legend = interpolate(&target.legend_format, &scope);
                for one in answer.series {
                    // Prometheus writes `{}` for a series without labels; Grafana names it after
                    // the query instead.
                    let name = if one.labels.is_empty() && legend.trim().is_empty() {
                        query.clone()
                    } else {
                        one.labels.format_legend(&legend)
                    };
                    result.names.push(name);
                    result.ref_ids.push(target.ref_id.clone());
                    series.push(one);
                }
                result.warnings.extend(answer.warnings);
                result.notes.extend(answer.note);
                result.step = result.step.max(step);
            }
            Err(error) if error.is_aborted() => return Err(error),
            Err(error) => {
                record.outcome = error.to_string();
                if targets.len() > 1 {
                    result
                        .warnings
                        .push(format!("query {}: {error}", target.ref_id));
                }
                first_error.get_or_insert(error);
            }
        }
        result.requests.push(record);
    }
    result.series = Arc::new(series);
    match first_error {
        Some(error)
            if result.series.is_empty() && result.requests.iter().all(|r| r.outcome != "ok") =>
        {
            Err(error)
        }
        _ => Ok(result),
    }
}

struct TargetAnswer {
    host: String,
    series: Vec<Series>,
    warnings: Vec<String>,
    note: Option<String>,
    covered: Option<(String, TimeRange)>,
    asked_from_ms: Option<i64>,
}

/// The series and the record of the last answer to the target `ref_id`, when they can be
/// extended: that answer was complete (no warnings, no notes, the query succeeded) and came
/// from the current host alone. A file with two targets of one `refId` is always asked whole.
fn last_answer<'a>(
    previous: &'a PanelResult,
    ref_id: &str,
) -> Option<(&'a RequestRecord, &'a [Series])> {
    if !previous.warnings.is_empty() || !previous.notes.is_empty() {
        return None;
    }
    let mut records = previous.requests.iter().filter(|r| r.ref_id == ref_id);
    let record = records.next()?;
    if records.next().is_some() || record.outcome != "ok" || record.covered.is_none() {
        return None;
    }
    let start = previous.ref_ids.iter().position(|r| r == ref_id)?;
    let count = previous.ref_ids[start..]
        .iter()
        .take_while(|r| *r == ref_id)
        .count();
    (start + count <= previous.series.len() && count == record.series)
        .then(|| (record, &previous.series[start..start + count]))
}

#[allow(clippy::too_many_arguments)]
async fn run_target(
    session: &Session,
    target: &Target,
    panel_datasource: Option<&sightline_core::model::dashboard::DatasourceRef>,
    kind: &DataSourceKind,
    query: &str,
    step: Duration,
    context: &PanelContext,
    slot: &RequestSlot,
) -> Result<TargetAnswer, ApiError> {
    let logs = matches!(kind, DataSourceKind::Logs);
    if logs {
        let audit = sightline_core::model::logs::audit::is_audit_datasource(
            target.datasource.as_ref().or(panel_datasource),
        );
        let targets = StitchTargets {
            current: session.endpoint(if audit {
                Service::AuditLogs
            } else {
                Service::Logs
            })?,
            legacy: session.endpoint(Service::LegacyLogs).ok(),
            cutover_ms: context.logs_cutover_ms,
        };
        let mut log_query = LogQuery::new(
            query,
            LogRange::from_time_range(context.range),
            &LogLimits::default(),
        );
        log_query.step = Some(step);
        let stitched = stitch::logs_range(&targets, &log_query, slot).await?;
        let series = match stitched.answer.data.result {
            LokiResult::Samples(data) => data.into_series(),
            LokiResult::Streams(_) => Vec::new(),
        };
        return Ok(TargetAnswer {
            host: targets.current.host_label.clone(),
            series,
            warnings: stitched.answer.warnings,
            note: stitched.note.map(|n| n.text),
            covered: None,
            asked_from_ms: None,
        });
    }
    let current = session.endpoint(Service::Metrics)?;
    if target.query_mode() == QueryMode::Instant {
        if let Some(now_ms) = context.early_now {
            let request = prom::instant_query(query, context.range.to_ms);
            early::record_request(now_ms, &current, &request, context.range, Duration::ZERO);
        }
        let response =
            prometheus::instant_query(&current, query, context.range.to_ms, slot).await?;
        return Ok(TargetAnswer {
            host: current.host_label.clone(),
            series: response.data.into_series(),
            warnings: response.warnings,
            note: None,
            covered: None,
            asked_from_ms: None,
        });
    }
    let targets = StitchTargets {
        current,
        legacy: session.endpoint(Service::LegacyMetrics).ok(),
        cutover_ms: context.metrics_cutover_ms,
    };
    let aligned = context.range.aligned_to(step);
    let plan = plan_metrics(aligned, step, targets.cutover_ms, targets.legacy.is_some());
    // Only a range asked whole from the current host (not stitched) is recorded for the next
    // load, or extended by the next refresh.
    let current_only = plan.legacy.is_none() && plan.current == Some(aligned);
    if let (Some(now_ms), true) = (context.early_now, current_only) {
        let request = prom::query_range(query, aligned, step);
        early::record_request(now_ms, &targets.current, &request, context.range, step);
    }
    let covered = current_only.then(|| (targets.current.base.clone(), aligned));
    let wanted = RangeQuery {
        query,
        host: &targets.current.base,
        step,
        range: aligned,
    };
    let extend = context
        .previous
        .as_deref()
        .filter(|_| current_only)
        .and_then(|previous| last_answer(previous, &target.ref_id))
        .and_then(|(record, series)| {
            let (host, range) = record.covered.as_ref()?;
            let asked = RangeQuery {
                query: &record.query,
                host,
                step: record.step,
                range: *range,
            };
            Some((
                fresh_part(&asked, &wanted, context.incremental_overlap)?,
                series,
            ))
        });
    if let Some((part, kept)) = extend {
        let fresh = prometheus::query_range(&targets.current, query, part.ask, step, slot).await?;
        return Ok(TargetAnswer {
            host: targets.current.host_label.clone(),
            series: join(kept, fresh.data.into_series(), &part),
            warnings: fresh.warnings,
            note: None,
            covered,
            asked_from_ms: Some(part.ask.from_ms),
        });
    }
    let stitched = stitch::metrics_range(&targets, query, context.range, step, slot).await?;
    Ok(TargetAnswer {
        host: targets.current.host_label.clone(),
        series: stitched.answer.data.into_series(),
        warnings: stitched.answer.warnings,
        note: stitched.note.map(|n| n.text),
        covered,
        asked_from_ms: None,
    })
}

#[cfg(test)]
mod tests {
    use sightline_core::model::frame::Labels;

    use super::*;

    fn record(ref_id: &str, series: usize, covered: bool) -> RequestRecord {
        RequestRecord {
            ref_id: ref_id.to_owned(),
            host: "observe.coreweave.com".to_owned(),
            query: format!("query {ref_id}"),
            mode: "range",
            step: Duration::from_secs(30),
            elapsed_ms: 12.0,
            series,
            points: series,
            outcome: "ok".to_owned(),
            covered: covered.then(|| {
                (
                    "https://observe.coreweave.com".to_owned(),
                    TimeRange::new(0, 21_600_000),
                )
            }),
            asked_from_ms: None,
        }
    }

    fn series(gpu: &str) -> Series {
        Series {
            labels: Labels::new(vec![("gpu".to_owned(), gpu.to_owned())]),
            times_ms: vec![0],
            values: vec![1.0],
        }
    }

    fn result(requests: Vec<RequestRecord>, ref_ids: &[&str]) -> PanelResult {
        PanelResult {
            series: Arc::new(ref_ids.iter().map(|r| series(r)).collect()),
            names: ref_ids.iter().map(|r| (*r).to_owned()).collect(),
            ref_ids: ref_ids.iter().map(|r| (*r).to_owned()).collect(),
            requests,
            ..PanelResult::default()
        }
    }

    #[test]
    fn the_last_answer_of_a_target_is_its_own_series_only() {
        let previous = result(
            vec![record("A", 2, true), record("B", 1, true)],
            &["A", "A", "B"],
        );
        let (record_b, series_b) = last_answer(&previous, "B").expect("B can be extended");
        assert_eq!(record_b.ref_id, "B");
        assert_eq!(series_b, &[series("B")]);
        assert_eq!(last_answer(&previous, "A").map(|(_, s)| s.len()), Some(2));
        assert!(last_answer(&previous, "C").is_none());
    }

    #[test]
    fn an_answer_that_cannot_be_trusted_whole_is_asked_again_whole() {
        let stitched = result(vec![record("A", 1, false)], &["A"]);
        assert!(
            last_answer(&stitched, "A").is_none(),
            "not from the current host alone"
        );
        let mut warned = result(vec![record("A", 1, true)], &["A"]);
        warned.warnings.push("partial response".to_owned());
        assert!(last_answer(&warned, "A").is_none(), "a warning");
        let mut failed = result(vec![record("A", 1, true)], &["A"]);
        failed.requests[0].outcome = "timeout".to_owned();
        assert!(last_answer(&failed, "A").is_none(), "a failed request");
        let twice = result(
            vec![record("A", 1, true), record("A", 1, true)],
            &["A", "A"],
        );
        assert!(
            last_answer(&twice, "A").is_none(),
            "two targets with one refId"
        );
        let short = result(vec![record("A", 3, true)], &["A"]);
        assert!(last_answer(&short, "A").is_none(), "series missing");
    }

    #[test]
    fn the_inspector_says_how_much_an_incremental_answer_asked_and_kept() {
        let mut incremental = record("A", 1, true);
        incremental.asked_from_ms = Some(21_600_000 - 630_000);
        assert_eq!(
            incremental.mode_text(),
            "range: last 10m30s asked, 5h49m30s kept"
        );
        assert_eq!(record("A", 1, true).mode_text(), "range");
    }
}
