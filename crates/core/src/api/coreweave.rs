//! CoreWeave's observe hosts as typed profiles: Global and each Super Region, with their
//! metrics, logs and CKS audit-log hosts and the legacy hosts for data before the cut-overs.
//!
//! A deployment's `config.json` may list these (or same-origin proxy prefixes standing for
//! them); [`coreweave_profiles`] is the reference the defaults and tests are built from.

use super::endpoints::{Profile, QueryMethod};

/// The Global host: metrics, logs and audit logs in one place.
pub const GLOBAL_HOST: &str = "https://observe.coreweave.com";
/// Metrics before 2024-10-21.
pub const LEGACY_METRICS_HOST: &str = "https://prometheus-legacy.ord1.coreweave.com";
/// Logs (audit included) before the March 2025 Super Regional migration.
pub const LEGACY_LOGS_HOST: &str = "https://observe-legacy.coreweave.com";

/// A Super Region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SuperRegion {
    UsEast,
    UsWest,
    EuSouth,
}

impl SuperRegion {
    /// Every Super Region the seed lists.
    pub const ALL: [SuperRegion; 3] = [
        SuperRegion::UsEast,
        SuperRegion::UsWest,
        SuperRegion::EuSouth,
    ];

    /// The region as it appears in host names (`us-east`).
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            SuperRegion::UsEast => "us-east",
            SuperRegion::UsWest => "us-west",
            SuperRegion::EuSouth => "eu-south",
        }
    }

    /// The name shown to users (`US East`).
    #[must_use]
    pub fn display_name(self) -> &'static str {
        match self {
            SuperRegion::UsEast => "US East",
            SuperRegion::UsWest => "US West",
            SuperRegion::EuSouth => "EU South",
        }
    }

    /// Metrics and application/platform logs of the region.
    #[must_use]
    pub fn observe_host(self) -> String {
        format!("https://observe.{}.coreweave.com", self.slug())
    }

    /// CKS audit logs of the region.
    #[must_use]
    pub fn audit_host(self) -> String {
        format!("https://observe-audit.{}.coreweave.com", self.slug())
    }
}

/// The Global profile and one per Super Region, each with the legacy hosts.
#[must_use]
pub fn coreweave_profiles() -> Vec<Profile> {
    let global = Profile {
        id: "coreweave-global".to_owned(),
        name: "CoreWeave Global".to_owned(),
        description: "observe.coreweave.com: multi-region metrics, logs and audit logs".to_owned(),
        metrics: Some(GLOBAL_HOST.to_owned()),
        logs: Some(GLOBAL_HOST.to_owned()),
        audit_logs: Some(GLOBAL_HOST.to_owned()),
        legacy_metrics: Some(LEGACY_METRICS_HOST.to_owned()),
        legacy_logs: Some(LEGACY_LOGS_HOST.to_owned()),
        custom: false,
        metrics_http_method: QueryMethod::Post,
        incremental_query_overlap: None,
    };
    let regional = SuperRegion::ALL.into_iter().map(|region| Profile {
        id: format!("coreweave-{}", region.slug()),
        name: format!("CoreWeave {}", region.display_name()),
        description: format!(
            "Super Regional hosts for {}: lower latency, fuller results for big queries",
            region.display_name()
        ),
        metrics: Some(region.observe_host()),
        logs: Some(region.observe_host()),
        audit_logs: Some(region.audit_host()),
        legacy_metrics: Some(LEGACY_METRICS_HOST.to_owned()),
        legacy_logs: Some(LEGACY_LOGS_HOST.to_owned()),
        custom: false,
        metrics_http_method: QueryMethod::Post,
        incremental_query_overlap: None,
    });
    std::iter::once(global).chain(regional).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::api::endpoints::Service;

    #[test]
    fn profiles_match_the_seeds_host_tables() {
        let profiles = coreweave_profiles();
        assert_eq!(profiles.len(), 4);
        for profile in &profiles {
            profile.validate().unwrap();
        }
        let global = &profiles[0];
        assert_eq!(
            global.base(Service::AuditLogs),
            Some("https://observe.coreweave.com")
        );
        let east = profiles
            .iter()
            .find(|p| p.id == "coreweave-us-east")
            .unwrap();
        assert_eq!(
            east.base(Service::Metrics),
            Some("https://observe.us-east.coreweave.com")
        );
        assert_eq!(
            east.base(Service::AuditLogs),
            Some("https://observe-audit.us-east.coreweave.com")
        );
        assert_eq!(
            east.base(Service::LegacyMetrics),
            Some("https://prometheus-legacy.ord1.coreweave.com")
        );
        assert_eq!(
            east.base(Service::LegacyLogs),
            Some("https://observe-legacy.coreweave.com")
        );
    }
}
