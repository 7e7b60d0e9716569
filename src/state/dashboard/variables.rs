//! Resolving a dashboard's variables against the signed-in endpoints, in dependency order:
//! each query variable's request is interpolated with the variables before it, answered by the
//! API, turned into options, and the wanted values (URL, user, or the file's saved ones) selected.

use sightline_core::api::endpoints::Service;
use sightline_core::api::error::ApiError;
use sightline_core::api::loki::LogRange;
use sightline_core::api::prometheus::{self as prom, PromData, SeriesScope};
use sightline_core::api::request::ApiRequest;
use sightline_core::model::dashboard::DataSourceKind;
use sightline_core::model::duration::Duration;
use sightline_core::model::interpolate::{Builtins, Scope, VariableValue};
use sightline_core::model::time_range::TimeRange;
use sightline_core::model::variables::{
    resolution_order, InstantSample, RequestKind, Selection, Variable, VariableAnswer,
    VariableError, VariableOption, VariableRequest,
};

use crate::client::{loki, prometheus, RequestSlot};
use crate::state::session::Session;

/// One variable with its options and what is selected.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableState {
    pub variable: Variable,
    pub options: Vec<VariableOption>,
    pub selection: Selection,
    /// Why the options could not be loaded (the variable bar shows it on the variable).
    pub error: Option<String>,
    /// The host rejected the token (401): the selection is not an answer, only a fallback, and
    /// must not replace the one in the URL.
    pub needs_sign_in: bool,
}

impl VariableState {
    /// The value interpolation uses.
    #[must_use]
    pub fn value(&self) -> VariableValue {
        self.selection.value(&self.variable, &self.options)
    }
}

/// Resolves every variable. Errors stay on their variable; a cycle fails them all with the same
/// message. With `early_now`, the requests are recorded for the page's next full load
/// ([`super::early`]).
pub async fn resolve_all(
    session: &Session,
    variables: Vec<Variable>,
    range: TimeRange,
    wanted: &[(String, Vec<String>)],
    slot: &RequestSlot,
    early_now: Option<i64>,
) -> Vec<VariableState> {
    let order = match resolution_order(&variables) {
        Ok(order) => order,
        Err(error) => {
            let message = error.to_string();
            return variables
                .into_iter()
                .map(|variable| VariableState {
                    variable,
                    options: Vec::new(),
                    selection: Selection::default(),
                    error: Some(message.clone()),
                    needs_sign_in: false,
                })
                .collect();
        }
    };
    let mut resolved: Vec<Option<VariableState>> = vec![None; variables.len()];
    let mut values: Vec<(String, VariableValue)> = Vec::new();
    for index in order {
        let variable = variables[index].clone();
        let scope = Scope {
            variables: &values,
            builtins: Some(Builtins {
                range,
                interval: sightline_core::model::duration::Duration::from_secs(60),
                scrape_interval: sightline_core::model::duration::Duration::from_secs(15),
            }),
        };
        let (options, error, needs_sign_in) =
            match options_for(session, &variable, &scope, range, slot, early_now).await {
                Ok(options) => (options, None, false),
                Err((message, needs_sign_in)) => (Vec::new(), Some(message), needs_sign_in),
            };
        let wanted_values = wanted
            .iter()
            .find(|(n, _)| *n == variable.name)
            .map(|(_, v)| v.as_slice());
        let selection = variable.select(&options, wanted_values);
        let state = VariableState {
            variable,
            options,
            selection,
            error,
            needs_sign_in,
        };
        values.push((state.variable.name.clone(), state.value()));
        resolved[index] = Some(state);
    }
    resolved.into_iter().flatten().collect()
}

async fn options_for(
    session: &Session,
    variable: &Variable,
    scope: &Scope<'_>,
    range: TimeRange,
    slot: &RequestSlot,
    early_now: Option<i64>,
) -> Result<Vec<VariableOption>, (String, bool)> {
    if let Some(options) = variable.static_options(Some(range)) {
        return Ok(options);
    }
    let request = variable
        .request(scope)
        .map_err(|e: VariableError| (e.to_string(), false))?;
    let Some(request) = request else {
        return Ok(Vec::new());
    };
    let answer = answer(session, &request, range, slot, early_now)
        .await
        .map_err(|e| (e.to_string(), e.needs_sign_in()))?;
    variable
        .options_from_answer(&answer, scope)
        .map_err(|e| (e.to_string(), false))
}

/// Asks the API what a variable needs.
async fn answer(
    session: &Session,
    request: &VariableRequest,
    range: TimeRange,
    slot: &RequestSlot,
    early_now: Option<i64>,
) -> Result<VariableAnswer, ApiError> {
    let logs = matches!(request.endpoint, DataSourceKind::Logs);
    let service = if logs {
        Service::Logs
    } else {
        Service::Metrics
    };
    let endpoint = session.endpoint(service)?;
    let group = slot.group();
    if let (Some(now_ms), false) = (early_now, logs) {
        if let Some(sent) = prometheus_request(&request.kind, range) {
            super::early::record_request(now_ms, &endpoint, &sent, range, Duration::ZERO);
        }
    }
    match (&request.kind, logs) {
        (RequestKind::LabelNames { matchers }, false) => {
            let scope = SeriesScope::matching(matchers.clone(), range);
            Ok(VariableAnswer::Values(
                prometheus::labels(&endpoint, &scope, &group).await?.data,
            ))
        }
        (RequestKind::LabelValues { label, matchers }, false) => {
            let scope = SeriesScope::matching(matchers.clone(), range);
            Ok(VariableAnswer::Values(
                prometheus::label_values(&endpoint, label, &scope, &group)
                    .await?
                    .data,
            ))
        }
        (RequestKind::InstantQuery { expr }, false) => {
            let response = prometheus::instant_query(&endpoint, expr, range.to_ms, &group).await?;
            Ok(VariableAnswer::Samples(samples_of(&response.data)))
        }
        (RequestKind::LabelNames { matchers }, true) => {
            let selector = matchers.first().map(String::as_str);
            Ok(VariableAnswer::Values(
                loki::labels(
                    &endpoint,
                    LogRange::from_time_range(range),
                    selector,
                    &group,
                )
                .await?
                .data,
            ))
        }
        (RequestKind::LabelValues { label, matchers }, true) => {
            let selector = matchers.first().map(String::as_str);
            Ok(VariableAnswer::Values(
                loki::label_values(
                    &endpoint,
                    label,
                    LogRange::from_time_range(range),
                    selector,
                    &group,
                )
                .await?
                .data,
            ))
        }
        (RequestKind::InstantQuery { .. }, true) => Ok(VariableAnswer::Values(Vec::new())),
    }
}

/// The Prometheus request [`answer`] sends for `kind` over `range` (the same builders the
/// client uses), for the early-request recording.
fn prometheus_request(kind: &RequestKind, range: TimeRange) -> Option<ApiRequest> {
    match kind {
        RequestKind::LabelNames { matchers } => Some(prom::labels(&SeriesScope::matching(
            matchers.clone(),
            range,
        ))),
        RequestKind::LabelValues { label, matchers } => {
            prom::label_values(label, &SeriesScope::matching(matchers.clone(), range)).ok()
        }
        RequestKind::InstantQuery { expr } => Some(prom::instant_query(expr, range.to_ms)),
    }
}

fn samples_of(data: &PromData) -> Vec<InstantSample> {
    data.series()
        .iter()
        .filter_map(|s| {
            let (t, v) = (s.times_ms.last()?, s.values.last()?);
            Some(InstantSample {
                labels: s
                    .labels
                    .iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
                value: v.to_string(),
                timestamp_ms: *t,
            })
        })
        .collect()
}
