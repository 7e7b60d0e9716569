//! Datasource references (`"$datasource"`, `"${DS_PROMETHEUS}"`, `{type, uid}`, `-- Grafana --`)
//! and what they mean in Sightline: the signed-in metrics or logs endpoint.
//!
//! The stored reference is never rewritten; [`DataSourceKind`] is derived from it on demand.

use serde_json::{Map, Value};

use super::codec::Field;

/// A panel's or target's `datasource`: a name (older files) or an object `{type, uid}`.
#[derive(Debug, Clone, PartialEq)]
pub enum DatasourceRef {
    Name(String),
    Object(Map<String, Value>),
}

impl Default for DatasourceRef {
    fn default() -> Self {
        DatasourceRef::Name(String::new())
    }
}

impl Field for DatasourceRef {
    const EXPECTED: &'static str = "a datasource name or {type, uid}";
    fn decode(value: &Value) -> Option<Self> {
        match value {
            Value::String(name) => Some(DatasourceRef::Name(name.clone())),
            Value::Object(map) => Some(DatasourceRef::Object(map.clone())),
            _ => None,
        }
    }
    fn encode(&self) -> Option<Value> {
        Some(match self {
            DatasourceRef::Name(name) => Value::String(name.clone()),
            DatasourceRef::Object(map) => Value::Object(map.clone()),
        })
    }
}

impl DatasourceRef {
    /// The plugin type of an object reference (`prometheus`, `loki`, `datasource`…).
    #[must_use]
    pub fn plugin_type(&self) -> Option<&str> {
        match self {
            DatasourceRef::Object(map) => map.get("type").and_then(Value::as_str),
            DatasourceRef::Name(_) => None,
        }
    }

    /// The uid of an object reference, or the name of a name reference.
    #[must_use]
    pub fn uid_or_name(&self) -> Option<&str> {
        match self {
            DatasourceRef::Object(map) => map.get("uid").and_then(Value::as_str),
            DatasourceRef::Name(name) => Some(name),
        }
    }
}

/// Which of the signed-in endpoints a reference means.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataSourceKind {
    /// The Prometheus-compatible metrics endpoint.
    Metrics,
    /// The Loki-compatible logs endpoint.
    Logs,
    /// Grafana's `-- Mixed --`: each target names its own.
    Mixed,
    /// Anything else (`-- Grafana --`, `-- Dashboard --`, an unknown plugin), by its plugin type
    /// or name. Sightline cannot query it.
    Unknown(String),
}

/// Classifies a plugin id (`prometheus`, `loki`, `grafana-testdata-datasource`…).
#[must_use]
pub fn kind_of_plugin(plugin: &str) -> DataSourceKind {
    let lower = plugin.to_ascii_lowercase();
    match lower.as_str() {
        "prometheus"
        | "grafana-amazonprometheus-datasource"
        | "grafana-azureprometheus-datasource" => DataSourceKind::Metrics,
        "loki" => DataSourceKind::Logs,
        "-- mixed --" | "mixed" => DataSourceKind::Mixed,
        _ if lower.contains("prometheus")
            || lower.contains("thanos")
            || lower.contains("mimir") =>
        {
            DataSourceKind::Metrics
        }
        _ if lower.contains("loki") => DataSourceKind::Logs,
        _ => DataSourceKind::Unknown(plugin.to_owned()),
    }
}

/// What a dashboard knows about its datasource names: `__inputs` and datasource variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatasourceScope {
    /// `__inputs` names (`DS_PROMETHEUS`) and their plugin ids.
    pub inputs: Vec<(String, String)>,
    /// Datasource-type variables (`datasource`) and the plugin they select (`prometheus`).
    pub variables: Vec<(String, String)>,
}

impl DatasourceScope {
    /// Resolves a reference; `None` (no reference) means the default endpoint, metrics.
    #[must_use]
    pub fn resolve(&self, reference: Option<&DatasourceRef>) -> DataSourceKind {
        let Some(reference) = reference else {
            return DataSourceKind::Metrics;
        };
        if let Some(plugin) = reference.plugin_type() {
            if plugin != "datasource" {
                return kind_of_plugin(plugin);
            }
            // {type: "datasource", uid: "grafana" | "-- Mixed --" | "-- Dashboard --"}
            return match reference.uid_or_name() {
                Some(uid) if uid.contains("Mixed") => DataSourceKind::Mixed,
                Some(uid) if variable_name(uid).is_some() => self.resolve_name(uid),
                Some(uid) => {
                    DataSourceKind::Unknown(uid.trim_matches(|c| c == '-' || c == ' ').to_owned())
                }
                None => DataSourceKind::Unknown("datasource".to_owned()),
            };
        }
        match reference.uid_or_name() {
            None | Some("" | "default") => DataSourceKind::Metrics,
            Some(text) => self.resolve_name(text),
        }
    }

    fn resolve_name(&self, text: &str) -> DataSourceKind {
        if let Some(name) = variable_name(text) {
            if let Some((_, plugin)) = self.inputs.iter().find(|(n, _)| n == name) {
                return kind_of_plugin(plugin);
            }
            if let Some((_, plugin)) = self.variables.iter().find(|(n, _)| n == name) {
                return kind_of_plugin(plugin);
            }
            if name.to_ascii_uppercase().starts_with("DS_") {
                return kind_of_plugin(&name[3..]);
            }
            return DataSourceKind::Unknown(text.to_owned());
        }
        match text {
            "-- Grafana --" => DataSourceKind::Unknown("grafana".to_owned()),
            "-- Dashboard --" => DataSourceKind::Unknown("dashboard".to_owned()),
            "-- Mixed --" => DataSourceKind::Mixed,
            name => kind_of_plugin(name),
        }
    }
}

/// The variable named by `$x`, `${x}` or `[[x]]`, if `text` is exactly one such reference.
#[must_use]
pub fn variable_name(text: &str) -> Option<&str> {
    let name = if let Some(rest) = text.strip_prefix("${") {
        rest.strip_suffix('}')?.split(':').next()?
    } else if let Some(rest) = text.strip_prefix("[[") {
        rest.strip_suffix("]]")?
    } else {
        text.strip_prefix('$')?
    };
    (!name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(name)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> DatasourceRef {
        DatasourceRef::decode(&value).unwrap()
    }

    #[test]
    fn every_grafana_reference_form_resolves_to_an_endpoint() {
        let scope = DatasourceScope {
            inputs: vec![("DS_PROMETHEUS".into(), "prometheus".into())],
            variables: vec![
                ("datasource".into(), "prometheus".into()),
                ("logs".into(), "loki".into()),
            ],
        };
        let name = |s: &str| DatasourceRef::Name(s.to_owned());
        assert_eq!(
            scope.resolve(Some(&name("${DS_PROMETHEUS}"))),
            DataSourceKind::Metrics
        );
        assert_eq!(
            scope.resolve(Some(&name("$datasource"))),
            DataSourceKind::Metrics
        );
        assert_eq!(scope.resolve(Some(&name("[[logs]]"))), DataSourceKind::Logs);
        assert_eq!(scope.resolve(None), DataSourceKind::Metrics);
        assert_eq!(
            scope.resolve(Some(&object(json!({"type": "loki", "uid": "abc"})))),
            DataSourceKind::Logs
        );
        assert_eq!(
            scope.resolve(Some(&object(
                json!({"type": "prometheus", "uid": "${datasource}"})
            ))),
            DataSourceKind::Metrics
        );
        assert_eq!(
            scope.resolve(Some(&object(json!({"uid": "${DS_PROMETHEUS}"})))),
            DataSourceKind::Metrics
        );
        assert_eq!(
            scope.resolve(Some(&name("-- Grafana --"))),
            DataSourceKind::Unknown("grafana".into())
        );
        assert_eq!(
            scope.resolve(Some(&name("-- Mixed --"))),
            DataSourceKind::Mixed
        );
        assert_eq!(
            scope.resolve(Some(&object(
                json!({"type": "datasource", "uid": "-- Mixed --"})
            ))),
            DataSourceKind::Mixed
        );
        assert_eq!(scope.resolve(Some(&name("Loki"))), DataSourceKind::Logs);
        assert_eq!(
            scope.resolve(Some(&object(
                json!({"type": "datasource", "uid": "${DS_PROMETHEUS}"})
            ))),
            DataSourceKind::Metrics
        );
        assert_eq!(
            scope.resolve(Some(&name("elastic"))),
            DataSourceKind::Unknown("elastic".into())
        );
    }
}
