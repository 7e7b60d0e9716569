//! Dashboard variables: what each kind offers (query, custom, constant, textbox, interval,
//! datasource), what must be asked to fill a query variable, the resolution order of chained
//! variables, and the selection ("All", multi-value) that interpolation uses.
//!
//! The flow for the app: [`variables_of`] → [`resolution_order`] → for each variable in order,
//! [`Variable::request`] (interpolated with the values resolved so far); answer it and call
//! [`Variable::options_from_answer`] (or [`Variable::static_options`] when there is no request);
//! then [`Variable::select`] with the URL's or saved values, and [`Selection::value`] for
//! interpolation.

mod options;
mod order;
mod query;

pub use options::{apply_regex, compile_variable_regex, sort_options};
pub use order::resolution_order;
pub use query::{QueryParseError, RequestKind, VariableQuery, VariableRequest};

use super::dashboard::{Dashboard, DataSourceKind, VariableModel};
use super::duration::Duration;
use super::interpolate::{interpolate, referenced_names, Scope, VariableValue};
use super::step::round_up_to_clean_interval;
use super::time_range::TimeRange;

/// The value Grafana stores (and puts in URLs) for the "All" option.
pub const ALL_VALUE: &str = "$__all";

/// One option of a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableOption {
    pub text: String,
    pub value: String,
}

impl VariableOption {
    /// An option from its text and value.
    #[must_use]
    pub fn new(text: &str, value: &str) -> Self {
        VariableOption {
            text: text.to_owned(),
            value: value.to_owned(),
        }
    }
}

/// Where a variable's options come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VariableSource {
    /// A query (may mention other variables; parsed after interpolation).
    Query { query: String },
    /// A fixed list: `a,b,c` or `key : value` pairs.
    Custom { options: Vec<VariableOption> },
    /// A hidden fixed value.
    Constant { value: String },
    /// Free text, with a default.
    Textbox { default: String },
    /// A list of intervals, optionally with `auto` (range / `count`, at least `min`).
    Interval {
        intervals: Vec<String>,
        auto: Option<AutoInterval>,
    },
    /// Picks a datasource of a plugin type; Sightline has one per kind, the signed-in endpoint.
    Datasource { plugin: String },
    /// A kind Sightline does not apply (`adhoc`, `groupby`…).
    Unsupported { kind: String },
}

/// Settings of an interval variable's `auto` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoInterval {
    pub count: u32,
    pub min: Duration,
}

/// A variable, read from its stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    /// What the variable bar shows (the name when there is no label).
    pub label: String,
    /// 0 shown, 1 label hidden, 2 hidden.
    pub hide: u32,
    pub source: VariableSource,
    /// `/regex/flags`, possibly with variables.
    pub regex: String,
    pub sort: u32,
    pub multi: bool,
    pub include_all: bool,
    pub all_value: Option<String>,
    /// The endpoint a query variable asks.
    pub endpoint: DataSourceKind,
    /// The values saved with the dashboard (`current.value`).
    pub saved: Vec<String>,
    /// Other variables this one mentions.
    pub depends_on: Vec<String>,
}

/// Why variables could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VariableError {
    #[error("variables depend on each other in a cycle: {}", names.join(" → "))]
    Cycle { names: Vec<String> },
    #[error("variable {variable}: invalid regex: {message}")]
    BadRegex { variable: String, message: String },
    #[error("variable {variable}: {source}")]
    BadQuery {
        variable: String,
        #[source]
        source: QueryParseError,
    },
}

/// An answer to a [`VariableRequest`].
#[derive(Debug, Clone, PartialEq)]
pub enum VariableAnswer {
    /// Label names or label values.
    Values(Vec<String>),
    /// Samples of an instant query (`query_result`).
    Samples(Vec<InstantSample>),
}

/// One sample of an instant query, as `query_result` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct InstantSample {
    /// Labels including `__name__`.
    pub labels: Vec<(String, String)>,
    /// The value as the API wrote it.
    pub value: String,
    pub timestamp_ms: i64,
}

impl InstantSample {
    /// Grafana's text for a sample: `name{a="1",b="2"} value timestamp_ms`.
    #[must_use]
    pub fn display_text(&self) -> String {
        let name = self
            .labels
            .iter()
            .find(|(k, _)| k == "__name__")
            .map_or("", |(_, v)| v.as_str());
        let labels: Vec<String> = self
            .labels
            .iter()
            .filter(|(k, _)| k != "__name__")
            .map(|(k, v)| format!("{k}=\"{v}\""))
            .collect();
        format!(
            "{name}{{{}}} {} {}",
            labels.join(","),
            self.value,
            self.timestamp_ms
        )
    }
}

/// The variables of a dashboard, in file order.
#[must_use]
pub fn variables_of(dashboard: &Dashboard) -> Vec<Variable> {
    let scope = dashboard.datasource_scope();
    dashboard
        .variables()
        .iter()
        .map(|model| Variable::from_model(model, scope.resolve(model.datasource.as_ref())))
        .collect()
}

impl Variable {
    /// Reads a stored variable; `endpoint` is its resolved datasource.
    #[must_use]
    pub fn from_model(model: &VariableModel, endpoint: DataSourceKind) -> Self {
        let query = model.query_text();
        let source = match model.kind.as_str() {
            "query" => VariableSource::Query {
                query: query.clone(),
            },
            "custom" => VariableSource::Custom {
                options: parse_custom(&query),
            },
            "constant" => VariableSource::Constant {
                value: query.clone(),
            },
            "textbox" => VariableSource::Textbox {
                default: query.clone(),
            },
            "interval" => VariableSource::Interval {
                intervals: query
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                auto: model.auto.then(|| AutoInterval {
                    count: model.auto_count.unwrap_or(30).max(1),
                    min: model
                        .auto_min
                        .as_deref()
                        .and_then(|m| m.parse().ok())
                        .unwrap_or(Duration::from_secs(10)),
                }),
            },
            "datasource" => VariableSource::Datasource {
                plugin: query.clone(),
            },
            other => VariableSource::Unsupported {
                kind: other.to_owned(),
            },
        };
        let regex = model.regex.clone().unwrap_or_default();
        let mut depends_on = referenced_names(&query);
        for name in referenced_names(&regex) {
            if !depends_on.contains(&name) {
                depends_on.push(name);
            }
        }
        let saved = model
            .current
            .as_ref()
            .map(|c| c.value.to_vec())
            .unwrap_or_default();
        Variable {
            name: model.name.clone(),
            label: model
                .label
                .clone()
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| model.name.clone()),
            hide: model.hide.unwrap_or(0),
            source,
            regex,
            sort: model.sort.unwrap_or(0),
            multi: model.multi,
            include_all: model.include_all,
            all_value: model.all_value.clone().filter(|a| !a.is_empty()),
            endpoint,
            saved,
            depends_on: depends_on
                .into_iter()
                .filter(|n| !n.starts_with("__"))
                .collect(),
        }
    }

    /// The request that fills a query variable, with other variables interpolated from `scope`;
    /// `None` for kinds whose options need no request.
    ///
    /// # Errors
    /// [`VariableError::BadQuery`] when the query is not understood.
    pub fn request(&self, scope: &Scope<'_>) -> Result<Option<VariableRequest>, VariableError> {
        let VariableSource::Query { query } = &self.source else {
            return Ok(None);
        };
        let text = interpolate(query, scope);
        let parsed = VariableQuery::parse(&text).map_err(|source| VariableError::BadQuery {
            variable: self.name.clone(),
            source,
        })?;
        Ok(Some(parsed.request(self.endpoint.clone())))
    }

    /// Options of kinds that need no request (custom, constant, textbox, interval, datasource).
    /// `range` sizes an interval variable's `auto` option.
    #[must_use]
    pub fn static_options(&self, range: Option<TimeRange>) -> Option<Vec<VariableOption>> {
        let options = match &self.source {
            VariableSource::Query { .. } | VariableSource::Unsupported { .. } => return None,
            VariableSource::Custom { options } => options.clone(),
            VariableSource::Constant { value } => vec![VariableOption::new(value, value)],
            VariableSource::Textbox { default } => vec![VariableOption::new(default, default)],
            VariableSource::Interval { intervals, auto } => {
                let mut options: Vec<VariableOption> = intervals
                    .iter()
                    .map(|i| VariableOption::new(i, i))
                    .collect();
                if let (Some(auto), Some(range)) = (auto, range) {
                    let value = auto_interval(range, *auto).to_string();
                    options.insert(0, VariableOption::new("auto", &value));
                }
                options
            }
            VariableSource::Datasource { plugin } => vec![VariableOption::new(plugin, plugin)],
        };
        Some(self.with_all(options))
    }

    /// Options from an answer: the regex applied (interpolated from `scope`), duplicates
    /// dropped, sorted, and "All" first when the variable has it.
    ///
    /// # Errors
    /// [`VariableError::BadRegex`] when the regex (or `metrics(…)` pattern) does not compile.
    pub fn options_from_answer(
        &self,
        answer: &VariableAnswer,
        scope: &Scope<'_>,
    ) -> Result<Vec<VariableOption>, VariableError> {
        let mut texts: Vec<String> = match answer {
            VariableAnswer::Values(values) => values.clone(),
            VariableAnswer::Samples(samples) => {
                samples.iter().map(InstantSample::display_text).collect()
            }
        };
        if let VariableSource::Query { query } = &self.source {
            if let Ok(VariableQuery::Metrics { regex }) =
                VariableQuery::parse(&interpolate(query, scope))
            {
                let filter = compile_variable_regex(&self.name, &regex)?;
                texts.retain(|t| filter.is_match(t));
            }
        }
        let mut options: Vec<VariableOption> = if self.regex.trim().is_empty() {
            texts.iter().map(|t| VariableOption::new(t, t)).collect()
        } else {
            let regex = compile_variable_regex(&self.name, &interpolate(&self.regex, scope))?;
            texts
                .iter()
                .filter_map(|t| apply_regex(&regex, t))
                .collect()
        };
        options::dedup_options(&mut options);
        sort_options(&mut options, self.sort);
        Ok(self.with_all(options))
    }

    fn with_all(&self, mut options: Vec<VariableOption>) -> Vec<VariableOption> {
        if self.include_all {
            options.insert(0, VariableOption::new("All", ALL_VALUE));
        }
        options
    }

    /// The selection among `options`: the `wanted` values (from the URL, or the saved ones when
    /// `None`) that still exist, else the first option. A textbox keeps any text.
    #[must_use]
    pub fn select(&self, options: &[VariableOption], wanted: Option<&[String]>) -> Selection {
        let wanted = wanted.unwrap_or(&self.saved);
        if let VariableSource::Textbox { .. } = self.source {
            if let Some(text) = wanted.first() {
                return Selection::of(vec![VariableOption::new(text, text)], false);
            }
        }
        if self.include_all && wanted.iter().any(|w| w == ALL_VALUE) {
            return Selection::of(Vec::new(), true);
        }
        let mut picked: Vec<VariableOption> = options
            .iter()
            .filter(|o| o.value != ALL_VALUE && wanted.contains(&o.value))
            .cloned()
            .collect();
        if !self.multi {
            picked.truncate(1);
        }
        if picked.is_empty() {
            return match options.first() {
                Some(first) if first.value == ALL_VALUE => Selection::of(Vec::new(), true),
                Some(first) => Selection::of(vec![first.clone()], false),
                None => Selection::of(Vec::new(), false),
            };
        }
        Selection::of(picked, false)
    }
}

/// What is selected in a variable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub options: Vec<VariableOption>,
    pub is_all: bool,
}

impl Selection {
    fn of(options: Vec<VariableOption>, is_all: bool) -> Self {
        Selection { options, is_all }
    }

    /// The values to put in the URL (`$__all` for All).
    #[must_use]
    pub fn url_values(&self) -> Vec<String> {
        if self.is_all {
            vec![ALL_VALUE.to_owned()]
        } else {
            self.options.iter().map(|o| o.value.clone()).collect()
        }
    }

    /// The value interpolation uses; "All" expands to every option of `options`.
    #[must_use]
    pub fn value(&self, variable: &Variable, options: &[VariableOption]) -> VariableValue {
        let chosen: Vec<&VariableOption> = if self.is_all {
            options.iter().filter(|o| o.value != ALL_VALUE).collect()
        } else {
            self.options.iter().collect()
        };
        VariableValue {
            values: chosen.iter().map(|o| o.value.clone()).collect(),
            texts: chosen.iter().map(|o| o.text.clone()).collect(),
            is_all: self.is_all,
            all_value: variable.all_value.clone(),
            multi_or_all: variable.multi || variable.include_all,
        }
    }
}

/// The `auto` interval: range / count rounded up to a clean interval, at least `min`.
#[must_use]
pub fn auto_interval(range: TimeRange, auto: AutoInterval) -> Duration {
    let raw = range.span_ms() / u64::from(auto.count.max(1));
    Duration::from_millis(round_up_to_clean_interval(raw.max(1)).max(auto.min.as_millis()))
}

/// Custom variable options: comma-separated (`\,` for a literal comma), `text : value` pairs.
#[must_use]
pub fn parse_custom(query: &str) -> Vec<VariableOption> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut chars = query.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    items.push(current);
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(|item| match item.split_once(" : ") {
            Some((text, value)) => VariableOption::new(text.trim(), value.trim()),
            None => VariableOption::new(item, item),
        })
        .collect()
}

#[cfg(test)]
mod tests;
