//! Kubernetes audit logs: which datasource references mean the audit-log host, and the seed's
//! query shape for a cluster's kube-apiserver audit events.

use crate::model::dashboard::DatasourceRef;

/// The uid of the audit-log datasource in Sightline's dashboards.
pub const AUDIT_DATASOURCE_UID: &str = "sightline-audit";

/// True when a (Loki) datasource reference names the audit-log host: its uid or name contains
/// `audit` (`{"type":"loki","uid":"sightline-audit"}`, Grafana's "CoreWeave Audit Logs").
/// The dashboard page sends such panels to `Service::AuditLogs`, which falls back to the logs
/// host on profiles without an audit host.
#[must_use]
pub fn is_audit_datasource(reference: Option<&DatasourceRef>) -> bool {
    reference
        .and_then(DatasourceRef::uid_or_name)
        .is_some_and(|uid| uid.to_ascii_lowercase().contains("audit"))
}

/// True for a query over Kubernetes audit events (the kube-apiserver's audit stream or the
/// `audit.k8s.io` API version).
#[must_use]
pub fn is_audit_query(query: &str) -> bool {
    query.contains("kube-apiserver") || query.contains("audit.k8s.io")
}

/// The seed's audit query for `cluster`: kube-apiserver events from the unicaster, parsed.
#[must_use]
pub fn audit_query(cluster: &str) -> String {
    format!(
        "{{logging_component=\"unicaster\", app=\"kube-apiserver\", stream=\"\", cluster=\"{cluster}\"}} \
         | json | apiVersion=\"audit.k8s.io/v1\" | json sourceIPs=\"sourceIPs\" | json user_groups=\"user.groups\""
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reference(value: serde_json::Value) -> DatasourceRef {
        match value {
            serde_json::Value::String(s) => DatasourceRef::Name(s),
            serde_json::Value::Object(map) => DatasourceRef::Object(map),
            _ => DatasourceRef::default(),
        }
    }

    #[test]
    fn audit_references_are_recognised_by_uid_or_name() {
        assert!(is_audit_datasource(Some(&reference(
            json!({"type": "loki", "uid": "sightline-audit"})
        ))));
        assert!(is_audit_datasource(Some(&reference(json!(
            "CoreWeave Audit Logs"
        )))));
        assert!(!is_audit_datasource(Some(&reference(
            json!({"type": "loki", "uid": "sightline-logs"})
        ))));
        assert!(!is_audit_datasource(None));
    }

    #[test]
    fn audit_queries_are_recognised() {
        assert!(is_audit_query(&audit_query("east-prod")));
        assert!(!is_audit_query(r#"{namespace="ml-training"}"#));
    }

    #[test]
    fn the_audit_query_is_the_seeds() {
        assert_eq!(
            audit_query("east-prod"),
            "{logging_component=\"unicaster\", app=\"kube-apiserver\", stream=\"\", cluster=\"east-prod\"} | json | apiVersion=\"audit.k8s.io/v1\" | json sourceIPs=\"sourceIPs\" | json user_groups=\"user.groups\""
        );
    }
}
