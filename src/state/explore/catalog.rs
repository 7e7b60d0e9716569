//! What autocomplete and the label browser offer, asked of the API once and cached for the
//! page: metric names with their TYPE and HELP (`label/__name__/values` + `metadata`), label
//! names and values (narrowed by the selector typed so far), and how many series a selector
//! matches (`series`).

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::LogRange;
use sightline_core::api::prometheus::{MetadataFilter, SeriesScope};
use sightline_core::model::query_lang::metric_unit::MetricInfo;
use sightline_core::model::query_lang::Source;
use sightline_core::model::time_range::TimeRange;

use super::service_of;
use crate::client::stitch::join;
use crate::client::{loki, prometheus, RequestSlot};
use crate::state::session::{Session, SessionState};

/// A lookup's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<T> {
    Loading,
    Ready(T),
    Failed(String),
}

impl<T: Clone> Lookup<T> {
    /// The value when ready.
    #[must_use]
    pub fn ready(&self) -> Option<T> {
        match self {
            Lookup::Ready(value) => Some(value.clone()),
            _ => None,
        }
    }
}

/// `(name, type, help)` of every metric.
pub type MetricList = Arc<Vec<(String, String, String)>>;
type Names = Arc<Vec<String>>;

/// The page's cache of names. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Catalog {
    session: SessionState,
    /// The range lookups cover (the Explore range).
    pub range: RwSignal<TimeRange>,
    pub metrics: RwSignal<Option<Lookup<MetricList>>>,
    metadata: RwSignal<Arc<HashMap<String, MetricInfo>>>,
    labels: RwSignal<HashMap<(Source, String), Lookup<Names>>>,
    values: RwSignal<HashMap<(Source, String, String), Lookup<Names>>>,
}

impl Catalog {
    /// An empty cache for the signed-in session.
    #[must_use]
    pub fn new(session: SessionState, range: TimeRange) -> Self {
        Catalog {
            session,
            range: RwSignal::new(range),
            metrics: RwSignal::new(None),
            metadata: RwSignal::new(Arc::new(HashMap::new())),
            labels: RwSignal::new(HashMap::new()),
            values: RwSignal::new(HashMap::new()),
        }
    }

    fn current(&self) -> Option<(Session, TimeRange)> {
        Some((
            self.session.session.get_untracked()?,
            self.range.get_untracked(),
        ))
    }

    /// Starts loading metric names and metadata unless done or under way.
    pub fn ensure_metrics(&self) {
        if self.metrics.with_untracked(Option::is_some) {
            return;
        }
        let Some((session, range)) = self.current() else {
            return;
        };
        self.metrics.set(Some(Lookup::Loading));
        let this = *self;
        spawn_local(async move {
            match metric_list(&session, range).await {
                Ok((list, metadata)) => {
                    this.metadata.set(Arc::new(metadata));
                    this.metrics.set(Some(Lookup::Ready(Arc::new(list))));
                }
                Err(error) => this.metrics.set(Some(Lookup::Failed(error.to_string()))),
            }
        });
    }

    /// What `metadata` says about `name` (tracked).
    #[must_use]
    pub fn metric_info(&self, name: &str) -> Option<MetricInfo> {
        self.metadata.with(|m| m.get(name).cloned())
    }

    /// Label names of `source` (narrowed by `selector`), starting the lookup if needed.
    #[must_use]
    pub fn labels(&self, source: Source, selector: Option<&str>) -> Option<Lookup<Names>> {
        let key = (source, selector.unwrap_or("").to_owned());
        if let Some(found) = self.labels.with(|m| m.get(&key).cloned()) {
            return Some(found);
        }
        let (session, range) = self.current()?;
        self.labels.update_untracked(|m| {
            m.insert(key.clone(), Lookup::Loading);
        });
        let this = *self;
        spawn_local(async move {
            let outcome = label_names(
                &session,
                source,
                (!key.1.is_empty()).then_some(key.1.as_str()),
                range,
            )
            .await;
            let value = match outcome {
                Ok(names) => Lookup::Ready(Arc::new(names)),
                Err(error) => Lookup::Failed(error.to_string()),
            };
            this.labels.update(|m| {
                m.insert(key, value);
            });
        });
        Some(Lookup::Loading)
    }

    /// Values of `label` in `source` (narrowed by `selector`), starting the lookup if needed.
    #[must_use]
    pub fn values(
        &self,
        source: Source,
        label: &str,
        selector: Option<&str>,
    ) -> Option<Lookup<Names>> {
        let key = (source, label.to_owned(), selector.unwrap_or("").to_owned());
        if let Some(found) = self.values.with(|m| m.get(&key).cloned()) {
            return Some(found);
        }
        let (session, range) = self.current()?;
        self.values.update_untracked(|m| {
            m.insert(key.clone(), Lookup::Loading);
        });
        let this = *self;
        spawn_local(async move {
            let selector = (!key.2.is_empty()).then_some(key.2.as_str());
            let value = match label_values(&session, source, &key.1, selector, range).await {
                Ok(values) => Lookup::Ready(Arc::new(values)),
                Err(error) => Lookup::Failed(error.to_string()),
            };
            this.values.update(|m| {
                m.insert(key, value);
            });
        });
        Some(Lookup::Loading)
    }

    /// How many series (streams) `selector` matches in the lookup range.
    ///
    /// # Errors
    /// [`ApiError`] of the `series` call, or when not signed in.
    pub async fn count_series(
        &self,
        source: Source,
        selector: &str,
        slot: &RequestSlot,
    ) -> Result<usize, ApiError> {
        let (session, range) = self.current().ok_or(ApiError::Aborted)?;
        let endpoint = session.endpoint(service_of(source))?;
        if source == Source::Metrics {
            let scope = SeriesScope::matching(vec![selector.to_owned()], range);
            Ok(prometheus::series(&endpoint, &scope, slot)
                .await?
                .data
                .len())
        } else {
            let answer = loki::series(
                &endpoint,
                &[selector.to_owned()],
                LogRange::from_time_range(range),
                slot,
            )
            .await?;
            Ok(answer.data.len())
        }
    }
}

async fn metric_list(
    session: &Session,
    range: TimeRange,
) -> Result<(Vec<(String, String, String)>, HashMap<String, MetricInfo>), ApiError> {
    let endpoint = session.endpoint(service_of(Source::Metrics))?;
    let (names_slot, metadata_slot) = (RequestSlot::default(), RequestSlot::default());
    let scope = SeriesScope::over(range);
    let (names, metadata) = join(
        prometheus::label_values(&endpoint, "__name__", &scope, &names_slot),
        prometheus::metadata(&endpoint, &MetadataFilter::default(), &metadata_slot),
    )
    .await;
    let names = names?.data;
    let metadata: HashMap<String, MetricInfo> = metadata
        .map(|answer| answer.data)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(name, entries)| {
            let first = entries.into_iter().next()?;
            Some((
                name,
                MetricInfo {
                    kind: first.kind,
                    help: first.help,
                    unit: first.unit,
                },
            ))
        })
        .collect();
    let list = names
        .into_iter()
        .map(|name| {
            let info = metadata.get(&name).cloned().unwrap_or_default();
            (name, info.kind, info.help)
        })
        .collect();
    Ok((list, metadata))
}

async fn label_names(
    session: &Session,
    source: Source,
    selector: Option<&str>,
    range: TimeRange,
) -> Result<Vec<String>, ApiError> {
    let endpoint = session.endpoint(service_of(source))?;
    let slot = RequestSlot::default();
    if source == Source::Metrics {
        let scope = SeriesScope::matching(selector.map(str::to_owned).into_iter().collect(), range);
        Ok(prometheus::labels(&endpoint, &scope, &slot).await?.data)
    } else {
        Ok(
            loki::labels(&endpoint, LogRange::from_time_range(range), selector, &slot)
                .await?
                .data,
        )
    }
}

async fn label_values(
    session: &Session,
    source: Source,
    label: &str,
    selector: Option<&str>,
    range: TimeRange,
) -> Result<Vec<String>, ApiError> {
    let endpoint = session.endpoint(service_of(source))?;
    let slot = RequestSlot::default();
    if source == Source::Metrics {
        let scope = SeriesScope::matching(selector.map(str::to_owned).into_iter().collect(), range);
        Ok(prometheus::label_values(&endpoint, label, &scope, &slot)
            .await?
            .data)
    } else {
        Ok(loki::label_values(
            &endpoint,
            label,
            LogRange::from_time_range(range),
            selector,
            &slot,
        )
        .await?
        .data)
    }
}
