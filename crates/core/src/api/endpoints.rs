//! Endpoint profiles: which hosts serve metrics, logs and audit logs, from the deploy-time
//! `config.json` or the user's own "custom URL" choice at sign-in.
//!
//! Security rule: these are the only places an endpoint can come from. Nothing in a dashboard
//! file, URL parameter or link can add a host that receives the token.

use serde::{Deserialize, Serialize};

use crate::api::incremental::DEFAULT_OVERLAP;
use crate::model::civil::parse_rfc3339;
use crate::model::duration::Duration;

/// The seed's metrics cut-over: the new backend holds data from 2024-10-21 on.
pub const DEFAULT_LEGACY_METRICS_CUTOVER: &str = "2024-10-21T00:00:00Z";
/// The seed says only "March 2025" for the logs cut-over; the first of the month is the default
/// and `config.json` can set the exact instant.
pub const DEFAULT_LEGACY_LOGS_CUTOVER: &str = "2025-03-01T00:00:00Z";

/// The deploy-time configuration served as `config.json` beside `index.html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeployConfig {
    pub profiles: Vec<Profile>,
    /// Profile preselected on the sign-in page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Instant before which metrics live only on a profile's `legacy_metrics` host.
    #[serde(default = "default_metrics_cutover")]
    pub legacy_metrics_cutover: String,
    /// Instant before which logs live only on a profile's `legacy_logs` host.
    #[serde(default = "default_logs_cutover")]
    pub legacy_logs_cutover: String,
}

fn default_metrics_cutover() -> String {
    DEFAULT_LEGACY_METRICS_CUTOVER.to_owned()
}

fn default_logs_cutover() -> String {
    DEFAULT_LEGACY_LOGS_CUTOVER.to_owned()
}

/// A named set of hosts. Each host is an absolute `http(s)://` base URL or, in proxy mode, a
/// same-origin path prefix such as `/observe/global` that the page's own server forwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Prometheus-compatible API base.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics: Option<String>,
    /// Loki-compatible API base for application and platform logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<String>,
    /// Loki-compatible API base for Kubernetes audit logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_logs: Option<String>,
    /// Prometheus-compatible API base holding data before the metrics cut-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_metrics: Option<String>,
    /// Loki-compatible API base holding logs before the logs cut-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_logs: Option<String>,
    /// When true the user types the base URLs on the sign-in page.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub custom: bool,
    /// How queries go to the metrics hosts (Grafana's `httpMethod`): POST forms by default,
    /// GET for a gateway that only routes or allows GET. Logs hosts always get GET.
    #[serde(default, skip_serializing_if = "QueryMethod::is_default")]
    pub metrics_http_method: QueryMethod,
    /// How much of a refreshed range query is asked again (Grafana's
    /// `incrementalQueryOverlapWindow`): a duration such as `"10m"` (the default) or `"0s"` to
    /// ask every refresh whole ([`crate::api::incremental`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incremental_query_overlap: Option<String>,
}

/// The HTTP method for queries that a Prometheus-compatible API accepts either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum QueryMethod {
    /// Form bodies: one cached CORS preflight serves every query to a path.
    #[default]
    #[serde(rename = "POST")]
    Post,
    /// Query strings: each distinct URL is preflighted on its own.
    #[serde(rename = "GET")]
    Get,
}

impl QueryMethod {
    fn is_default(&self) -> bool {
        *self == QueryMethod::default()
    }
}

/// Which service a request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    Metrics,
    Logs,
    AuditLogs,
    LegacyMetrics,
    LegacyLogs,
}

impl Service {
    /// A short name for messages.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Service::Metrics => "metrics",
            Service::Logs => "logs",
            Service::AuditLogs => "audit logs",
            Service::LegacyMetrics => "legacy metrics",
            Service::LegacyLogs => "legacy logs",
        }
    }
}

impl Profile {
    /// Whether queries to `service` go as POST forms when the endpoint allows it.
    #[must_use]
    pub fn prefers_post(&self, service: Service) -> bool {
        matches!(service, Service::Metrics | Service::LegacyMetrics)
            && self.metrics_http_method == QueryMethod::Post
    }

    /// The base for `service`, if this profile has one.
    #[must_use]
    pub fn base(&self, service: Service) -> Option<&str> {
        match service {
            Service::Metrics => self.metrics.as_deref(),
            Service::Logs => self.logs.as_deref(),
            Service::AuditLogs => self.audit_logs.as_deref().or(self.logs.as_deref()),
            Service::LegacyMetrics => self.legacy_metrics.as_deref(),
            Service::LegacyLogs => self.legacy_logs.as_deref(),
        }
    }

    /// Every distinct base this profile names (the hosts that may receive the token).
    #[must_use]
    pub fn bases(&self) -> Vec<&str> {
        let mut all: Vec<&str> = [
            &self.metrics,
            &self.logs,
            &self.audit_logs,
            &self.legacy_metrics,
            &self.legacy_logs,
        ]
        .into_iter()
        .filter_map(|b| b.as_deref())
        .collect();
        crate::sort::sort(&mut all);
        all.dedup();
        all
    }

    /// The overlap of incremental range queries: the profile's `incremental_query_overlap`, or
    /// [`DEFAULT_OVERLAP`] when it has none (or one [`Profile::validate`] would refuse);
    /// [`Duration::ZERO`] turns incremental queries off.
    #[must_use]
    pub fn incremental_overlap(&self) -> Duration {
        self.incremental_query_overlap
            .as_deref()
            .map_or(Ok(DEFAULT_OVERLAP), str::parse)
            .unwrap_or(DEFAULT_OVERLAP)
    }

    /// Checks every base of the profile.
    ///
    /// # Errors
    /// The first [`EndpointError`] found, naming the field.
    pub fn validate(&self) -> Result<(), EndpointError> {
        for (field, value) in [
            ("metrics", &self.metrics),
            ("logs", &self.logs),
            ("audit_logs", &self.audit_logs),
            ("legacy_metrics", &self.legacy_metrics),
            ("legacy_logs", &self.legacy_logs),
        ] {
            if let Some(base) = value {
                parse_base(base).map_err(|e| EndpointError::Field {
                    profile: self.id.clone(),
                    field,
                    reason: Box::new(e),
                })?;
            }
        }
        if let Some(text) = &self.incremental_query_overlap {
            text.parse::<Duration>()
                .map_err(|e| EndpointError::Overlap {
                    profile: self.id.clone(),
                    reason: e.to_string(),
                })?;
        }
        if !self.custom && self.metrics.is_none() && self.logs.is_none() {
            return Err(EndpointError::NoHosts {
                profile: self.id.clone(),
            });
        }
        Ok(())
    }
}

/// Why a configuration or a typed URL was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("config.json is not valid: {0}")]
    Config(String),
    #[error("{input:?} is not an endpoint: use https://host[:port][/path] or a same-origin path such as /observe/global")]
    NotAUrl { input: String },
    #[error("{input:?} uses {scheme}: only http and https endpoints are allowed")]
    Scheme { input: String, scheme: String },
    #[error("{input:?} must not contain a user name, password, query string or fragment")]
    ExtraParts { input: String },
    #[error("profile {profile:?}, {field}: {reason}")]
    Field {
        profile: String,
        field: &'static str,
        reason: Box<EndpointError>,
    },
    #[error("profile {profile:?} names no metrics or logs host")]
    NoHosts { profile: String },
    #[error("config.json has two profiles with the id {0:?}")]
    DuplicateId(String),
    #[error("config.json cut-over date: {0}")]
    Cutover(String),
    #[error("profile {profile:?}, incremental_query_overlap: {reason} (use a duration such as \"10m\", or \"0s\" to turn it off)")]
    Overlap { profile: String, reason: String },
}

/// A checked endpoint base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointBase {
    /// `scheme://host[:port]` plus an optional path prefix (no trailing slash).
    Absolute { origin: String, path: String },
    /// A same-origin path prefix (proxy mode), without trailing slash.
    SameOrigin { path: String },
}

impl EndpointBase {
    /// The origin the token is sent to; `None` for same-origin bases.
    #[must_use]
    pub fn origin(&self) -> Option<&str> {
        match self {
            EndpointBase::Absolute { origin, .. } => Some(origin),
            EndpointBase::SameOrigin { .. } => None,
        }
    }

    /// The base as a string to prefix API paths with.
    #[must_use]
    pub fn as_prefix(&self) -> String {
        match self {
            EndpointBase::Absolute { origin, path } => format!("{origin}{path}"),
            EndpointBase::SameOrigin { path } => path.clone(),
        }
    }
}

/// Checks an endpoint base: `http(s)://host[:port][/path]` or `/same/origin/prefix`.
///
/// # Errors
/// [`EndpointError`] naming what is wrong.
pub fn parse_base(input: &str) -> Result<EndpointBase, EndpointError> {
    let text = input.trim();
    let not_url = || EndpointError::NotAUrl {
        input: input.to_owned(),
    };
    if text.contains(['?', '#', '@', ' ', '\\']) || text.chars().any(char::is_control) {
        return Err(EndpointError::ExtraParts {
            input: input.to_owned(),
        });
    }
    if let Some(path) = text.strip_prefix('/') {
        if path.starts_with('/') {
            // `//host/path` is a protocol-relative URL to another origin, not a same-origin path.
            return Err(not_url());
        }
        return Ok(EndpointBase::SameOrigin {
            path: format!("/{}", path.trim_end_matches('/')),
        });
    }
    let (scheme, rest) = text.split_once("://").ok_or_else(not_url)?;
    let scheme_lower = scheme.to_ascii_lowercase();
    if scheme_lower != "http" && scheme_lower != "https" {
        return Err(EndpointError::Scheme {
            input: input.to_owned(),
            scheme: scheme.to_owned(),
        });
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    let host = authority.rsplit_once(':').map_or(authority, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) && !port.is_empty() {
            h
        } else {
            authority
        }
    });
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
    if !host_ok {
        return Err(not_url());
    }
    Ok(EndpointBase::Absolute {
        origin: format!("{scheme_lower}://{}", authority.to_ascii_lowercase()),
        path: path.to_owned(),
    })
}

impl DeployConfig {
    /// Parses and checks `config.json`.
    ///
    /// # Errors
    /// [`EndpointError`] for invalid JSON, a bad host, a duplicate id or a bad cut-over date.
    pub fn parse(text: &str) -> Result<Self, EndpointError> {
        let config: DeployConfig =
            serde_json::from_str(text).map_err(|e| EndpointError::Config(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for profile in &config.profiles {
            if !seen.insert(profile.id.as_str()) {
                return Err(EndpointError::DuplicateId(profile.id.clone()));
            }
            profile.validate()?;
        }
        config.metrics_cutover_ms()?;
        config.logs_cutover_ms()?;
        Ok(config)
    }

    /// The metrics cut-over instant in Unix milliseconds.
    ///
    /// # Errors
    /// [`EndpointError::Cutover`] when the date does not parse.
    pub fn metrics_cutover_ms(&self) -> Result<i64, EndpointError> {
        parse_rfc3339(&self.legacy_metrics_cutover)
            .map_err(|e| EndpointError::Cutover(e.to_string()))
    }

    /// The logs cut-over instant in Unix milliseconds.
    ///
    /// # Errors
    /// [`EndpointError::Cutover`] when the date does not parse.
    pub fn logs_cutover_ms(&self) -> Result<i64, EndpointError> {
        parse_rfc3339(&self.legacy_logs_cutover).map_err(|e| EndpointError::Cutover(e.to_string()))
    }

    /// The profile with `id`.
    #[must_use]
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_hosts_ports_paths_and_same_origin_prefixes() {
        assert_eq!(
            parse_base("https://Observe.CoreWeave.com/"),
            Ok(EndpointBase::Absolute {
                origin: "https://observe.coreweave.com".into(),
                path: String::new()
            })
        );
        let b = parse_base("http://127.0.0.1:9401/prom").unwrap();
        assert_eq!(b.origin(), Some("http://127.0.0.1:9401"));
        assert_eq!(b.as_prefix(), "http://127.0.0.1:9401/prom");
        assert_eq!(
            parse_base("/observe/global/"),
            Ok(EndpointBase::SameOrigin {
                path: "/observe/global".into()
            })
        );
    }

    #[test]
    fn rejects_other_schemes_credentials_and_protocol_relative_urls() {
        assert!(matches!(
            parse_base("javascript:alert(1)"),
            Err(EndpointError::NotAUrl { .. })
        ));
        assert!(matches!(
            parse_base("ftp://h"),
            Err(EndpointError::Scheme { .. })
        ));
        assert!(matches!(
            parse_base("https://user:pw@h"),
            Err(EndpointError::ExtraParts { .. })
        ));
        assert!(matches!(
            parse_base("https://h/?token=x"),
            Err(EndpointError::ExtraParts { .. })
        ));
        assert!(parse_base("//evil.example/x").is_err());
        assert!(parse_base("https://").is_err());
        assert!(parse_base("https://h_x").is_err());
    }

    #[test]
    fn config_parses_and_rejects_duplicates_and_bad_hosts() {
        let text = r#"{"profiles":[
            {"id":"g","name":"Global","metrics":"https://observe.coreweave.com","logs":"https://observe.coreweave.com",
             "legacy_metrics":"https://prometheus-legacy.ord1.coreweave.com"},
            {"id":"c","name":"Custom","custom":true}]}"#;
        let config = DeployConfig::parse(text).unwrap();
        assert_eq!(config.metrics_cutover_ms(), Ok(1_729_468_800_000));
        let g = config.profile("g").unwrap();
        assert_eq!(
            g.base(Service::AuditLogs),
            Some("https://observe.coreweave.com")
        );
        assert_eq!(g.bases().len(), 2);
        let dup = r#"{"profiles":[{"id":"a","name":"A","metrics":"/m"},{"id":"a","name":"B","metrics":"/m"}]}"#;
        assert_eq!(
            DeployConfig::parse(dup),
            Err(EndpointError::DuplicateId("a".into()))
        );
        let bad = r#"{"profiles":[{"id":"a","name":"A","metrics":"file:///etc"}]}"#;
        assert!(DeployConfig::parse(bad)
            .unwrap_err()
            .to_string()
            .contains("metrics"));
        assert!(DeployConfig::parse("{").is_err());
    }

    #[test]
    fn metrics_queries_prefer_post_unless_the_profile_says_get_and_logs_never_do() {
        let text = r#"{"profiles":[
            {"id":"p","name":"P","metrics":"/m","logs":"/l"},
            {"id":"g","name":"G","metrics":"/m","metrics_http_method":"GET"}]}"#;
        let config = DeployConfig::parse(text).unwrap();
        let post = config.profile("p").unwrap();
        assert!(post.prefers_post(Service::Metrics));
        assert!(post.prefers_post(Service::LegacyMetrics));
        assert!(!post.prefers_post(Service::Logs));
        assert!(!post.prefers_post(Service::AuditLogs));
        let get = config.profile("g").unwrap();
        assert!(!get.prefers_post(Service::Metrics));
        let saved = serde_json::to_string(post).unwrap();
        assert!(!saved.contains("metrics_http_method"), "{saved}");
        assert!(serde_json::to_string(get)
            .unwrap()
            .contains(r#""metrics_http_method":"GET""#));
        let wrong =
            r#"{"profiles":[{"id":"a","name":"A","metrics":"/m","metrics_http_method":"PUT"}]}"#;
        assert!(DeployConfig::parse(wrong).is_err());
    }
    #[test]
    fn incremental_overlap_defaults_to_ten_minutes_can_be_turned_off_and_is_checked() {
        let text = r#"{"profiles":[
            {"id":"d","name":"D","metrics":"/m"},
            {"id":"h","name":"H","metrics":"/m","incremental_query_overlap":"1h"},
            {"id":"o","name":"O","metrics":"/m","incremental_query_overlap":"0s"}]}"#;
        let config = DeployConfig::parse(text).unwrap();
        let overlap = |id| config.profile(id).unwrap().incremental_overlap();
        assert_eq!(overlap("d"), DEFAULT_OVERLAP);
        assert_eq!(overlap("h"), Duration::from_secs(3600));
        assert_eq!(overlap("o"), Duration::ZERO);
        let saved = serde_json::to_string(config.profile("d").unwrap()).unwrap();
        assert!(!saved.contains("incremental"), "{saved}");
        let wrong = r#"{"profiles":[{"id":"a","name":"A","metrics":"/m","incremental_query_overlap":"ten minutes"}]}"#;
        let message = DeployConfig::parse(wrong).unwrap_err().to_string();
        assert!(
            message.contains("\"a\", incremental_query_overlap") && message.contains("10m"),
            "{message}"
        );
    }
}
