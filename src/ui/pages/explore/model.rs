//! The state of one Explore pane (its source, queries and results) and how a run fills it:
//! metrics queries with their exemplars, log queries with their volume, "load older" pages,
//! each query on its own request slot so a new run aborts the last.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::Direction;
use sightline_core::model::logs::LogsOptions;
use sightline_core::model::query_lang::export::ref_id;
use sightline_core::model::query_lang::workbench::MAX_QUERIES;
use sightline_core::model::query_lang::{Pane, Source};
use sightline_core::model::time_range::TimeRange;

use super::logs_result::{LogRuns, LogsRun};
use super::metrics_result::{QueryRun, Runs};
use crate::client::RequestSlot;
use crate::state::explore::metrics::run_metrics;
use crate::state::explore::service_of;
use crate::state::logs::{fetch_volume, load_more, run_logs};
use crate::state::session::{Session, SessionState};
use crate::ui::logs::{LogsControls, VolumeState};

/// One query editor's text.
#[derive(Clone, Copy)]
pub struct QueryModel {
    pub id: usize,
    pub text: RwSignal<String>,
}

/// What a run needs besides the pane.
#[derive(Clone)]
pub struct RunContext {
    pub session: Session,
    pub range: TimeRange,
    pub metrics_cutover_ms: i64,
    pub logs_cutover_ms: i64,
    pub limit: u32,
    pub width_px: u32,
    /// Expired when the server rejects the token: the sign-in guard then returns to this very
    /// view. The session lives at the app's root, so a request that ends after the page was
    /// left (a second 401 of the same run) can still reach it; a callback owned by the page
    /// could not (it panics once disposed).
    pub session_state: SessionState,
}

/// One pane of Explore. Cheap to copy.
#[derive(Clone, Copy)]
pub struct PaneModel {
    pub index: usize,
    pub source: RwSignal<Source>,
    pub queries: RwSignal<Vec<QueryModel>>,
    next_id: StoredValue<usize>,
    pub metrics: RwSignal<Runs>,
    pub logs: RwSignal<LogRuns>,
    pub volume: RwSignal<Option<VolumeState>>,
    pub controls: LogsControls,
    pub loading_more: RwSignal<bool>,
    /// A one-line message (format unavailable, saved to the library…).
    pub message: RwSignal<Option<String>>,
    /// The ids of the queries of the last run, in run order (rows name them by position).
    ran: StoredValue<Vec<usize>>,
    /// The texts of the queries of the last run (what the results show, not what is typed).
    pub ran_texts: RwSignal<Vec<String>>,
    slots: StoredValue<Vec<RequestSlot>>,
}

impl PaneModel {
    /// A pane showing `pane`.
    #[must_use]
    pub fn new(index: usize, pane: &Pane) -> Self {
        let queries: Vec<QueryModel> = pane
            .queries
            .iter()
            .enumerate()
            .map(|(id, text)| QueryModel {
                id,
                text: RwSignal::new(text.clone()),
            })
            .collect();
        PaneModel {
            index,
            source: RwSignal::new(pane.source),
            next_id: StoredValue::new(queries.len()),
            queries: RwSignal::new(queries),
            metrics: RwSignal::new(Vec::new()),
            logs: RwSignal::new(Vec::new()),
            volume: RwSignal::new(None),
            controls: LogsControls::new(LogsOptions::default()),
            loading_more: RwSignal::new(false),
            message: RwSignal::new(None),
            ran: StoredValue::new(Vec::new()),
            ran_texts: RwSignal::new(Vec::new()),
            slots: StoredValue::new(
                (0..MAX_QUERIES * 2 + 2)
                    .map(|_| RequestSlot::default())
                    .collect(),
            ),
        }
    }

    /// The pane as the URL writes it (untracked).
    #[must_use]
    pub fn snapshot(&self) -> Pane {
        Pane {
            source: self.source.get_untracked(),
            queries: self
                .queries
                .get_untracked()
                .iter()
                .map(|q| q.text.get_untracked())
                .collect(),
        }
    }

    /// Adds a query editor (up to the URL's maximum).
    pub fn add_query(&self, text: &str) {
        if self.queries.with_untracked(Vec::len) >= MAX_QUERIES {
            return;
        }
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        let query = QueryModel {
            id,
            text: RwSignal::new(text.to_owned()),
        };
        self.queries.update(|q| q.push(query));
    }

    /// Removes a query editor (the last one stays).
    pub fn remove_query(&self, id: usize) {
        self.queries.update(|q| {
            if q.len() > 1 {
                q.retain(|m| m.id != id);
            }
        });
    }

    /// Sets the text of the first query (history, label browser).
    pub fn set_first_query(&self, text: &str) {
        if let Some(first) = self.queries.get_untracked().first() {
            first.text.set(text.to_owned());
        }
    }

    /// The text signal of the query that produced rows of `query_index` in the last run.
    #[must_use]
    pub fn ran_query(&self, query_index: usize) -> Option<RwSignal<String>> {
        let id = self.ran.with_value(|r| r.get(query_index).copied())?;
        self.queries
            .get_untracked()
            .into_iter()
            .find(|q| q.id == id)
            .map(|q| q.text)
    }

    fn slot(&self, i: usize) -> RequestSlot {
        self.slots
            .with_value(|s| s.get(i).cloned())
            .unwrap_or_default()
    }

    /// The non-empty queries with their ids.
    #[must_use]
    pub fn runnable(&self) -> Vec<(usize, String)> {
        self.queries
            .get_untracked()
            .iter()
            .map(|q| (q.id, q.text.get_untracked()))
            .filter(|(_, t)| !t.trim().is_empty())
            .collect()
    }

    /// Runs every non-empty query of the pane.
    pub fn run(&self, context: &RunContext) {
        for i in 0..self.slots.with_value(Vec::len) {
            self.slot(i).abort();
        }
        let queries = self.runnable();
        self.ran
            .set_value(queries.iter().map(|(id, _)| *id).collect());
        self.ran_texts
            .set(queries.iter().map(|(_, text)| text.clone()).collect());
        self.message.set(None);
        self.loading_more.set(false);
        match self.source.get_untracked() {
            Source::Metrics => self.run_metrics(context, &queries),
            source => self.run_logs(context, source, &queries),
        }
    }

    fn fail(&self, context: &RunContext, error: &ApiError) -> bool {
        if error.needs_sign_in() {
            context.session_state.expire();
            return true;
        }
        error.is_aborted()
    }

    fn run_metrics(&self, context: &RunContext, queries: &[(usize, String)]) {
        self.logs.set(Vec::new());
        self.volume.set(None);
        self.metrics.set(
            queries
                .iter()
                .enumerate()
                .map(|(i, _)| (ref_id(i), QueryRun::Loading))
                .collect(),
        );
        for (i, (_, expr)) in queries.iter().enumerate() {
            let (this, context, expr) = (*self, context.clone(), expr.clone());
            let (slot, exemplar_slot) = (self.slot(2 * i), self.slot(2 * i + 1));
            spawn_local(async move {
                let outcome = run_metrics(
                    &context.session,
                    context.metrics_cutover_ms,
                    &expr,
                    context.range,
                    context.width_px,
                    &slot,
                    &exemplar_slot,
                )
                .await;
                let run = match outcome {
                    Ok(result) => QueryRun::Done(Arc::new(result)),
                    Err(error) if this.fail(&context, &error) => return,
                    Err(error) => QueryRun::Failed(error),
                };
                this.metrics.update(|runs| {
                    if let Some(entry) = runs.get_mut(i) {
                        entry.1 = run;
                    }
                });
            });
        }
    }

    fn run_logs(&self, context: &RunContext, source: Source, queries: &[(usize, String)]) {
        self.metrics.set(Vec::new());
        self.logs.set(
            queries
                .iter()
                .enumerate()
                .map(|(i, _)| (ref_id(i), LogsRun::Loading))
                .collect(),
        );
        let service = service_of(source);
        for (i, (_, expr)) in queries.iter().enumerate() {
            let (this, context, expr) = (*self, context.clone(), expr.clone());
            let (slot, labels_slot) = (self.slot(2 * i), self.slot(2 * i + 1));
            spawn_local(async move {
                let outcome = run_logs(
                    &context.session,
                    service,
                    context.logs_cutover_ms,
                    &expr,
                    context.range,
                    context.limit,
                    Direction::Backward,
                    &slot,
                    &labels_slot,
                )
                .await;
                let run = match outcome {
                    Ok(page) => LogsRun::Done(Arc::new(page)),
                    Err(error) if this.fail(&context, &error) => return,
                    Err(error) => LogsRun::Failed(error),
                };
                this.logs.update(|runs| {
                    if let Some(entry) = runs.get_mut(i) {
                        entry.1 = run;
                    }
                });
            });
        }
        let Some((_, first)) = queries.first().cloned() else {
            self.volume.set(None);
            return;
        };
        self.volume.set(Some(VolumeState::Loading));
        let (this, context) = (*self, context.clone());
        let slot = self.slot(MAX_QUERIES * 2);
        spawn_local(async move {
            let outcome = fetch_volume(
                &context.session,
                service,
                context.logs_cutover_ms,
                &first,
                context.range,
                context.width_px,
                &slot,
            )
            .await;
            match outcome {
                Ok(volume) => this.volume.set(Some(VolumeState::Ready(Arc::new(volume)))),
                Err(error) if this.fail(&context, &error) => {}
                Err(error) => this
                    .volume
                    .set(Some(VolumeState::Failed(error.to_string()))),
            }
        });
    }

    /// Loads the next page of every log query that has more.
    pub fn load_more(&self, context: &RunContext) {
        let runs = self.logs.get_untracked();
        self.loading_more.set(true);
        let pending: Vec<(usize, Arc<crate::state::logs::LogsPage>)> = runs
            .iter()
            .enumerate()
            .filter_map(|(i, (_, run))| match run {
                LogsRun::Done(page) if page.next.is_some() => Some((i, Arc::clone(page))),
                _ => None,
            })
            .collect();
        let remaining = std::rc::Rc::new(std::cell::Cell::new(pending.len()));
        if pending.is_empty() {
            self.loading_more.set(false);
        }
        for (i, page) in pending {
            let (this, context, remaining) =
                (*self, context.clone(), std::rc::Rc::clone(&remaining));
            let slot = self.slot(2 * i);
            spawn_local(async move {
                match load_more(&context.session, context.logs_cutover_ms, &page, &slot).await {
                    Ok(next) => this.logs.update(|runs| {
                        if let Some(entry) = runs.get_mut(i) {
                            entry.1 = LogsRun::Done(Arc::new(next));
                        }
                    }),
                    // Signed out: the page is on its way out; write nothing more to it.
                    Err(error) if error.needs_sign_in() => return context.session_state.expire(),
                    Err(error) if error.is_aborted() => {}
                    Err(error) => this
                        .message
                        .set(Some(format!("Loading older lines failed: {error}"))),
                }
                remaining.set(remaining.get().saturating_sub(1));
                if remaining.get() == 0 {
                    this.loading_more.set(false);
                }
            });
        }
    }
}
