//! What one emulated host serves: which dataset, which cut-over, which retention, which region.

use crate::timefmt::NS_PER_SEC;

/// Which of CoreWeave's log hosts this process plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// `observe.coreweave.com` / `observe.<region>`: app + platform + audit logs at/after the cut-over.
    Current,
    /// `observe-legacy.coreweave.com`: app + audit logs before the cut-over.
    Legacy,
    /// `observe-audit.<region>`: only the CKS audit streams, at/after the cut-over.
    Audit,
}

impl Dataset {
    /// Parses `current`, `legacy` or `audit`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "current" => Some(Self::Current),
            "legacy" => Some(Self::Legacy),
            "audit" => Some(Self::Audit),
            _ => None,
        }
    }
}

/// Kinds of logs, which differ in where and how long they are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogClass {
    Application,
    Platform,
    Audit,
}

/// The data a host serves.
#[derive(Debug, Clone)]
pub struct DataConfig {
    pub dataset: Dataset,
    /// Legacy logs cut-over (ns): legacy serves `[.., cutover)`, the others `[cutover, ..)`.
    pub legacy_cutover_ns: i64,
    /// How long application and platform logs are kept (ns); `None` keeps them forever.
    pub retention_ns: Option<i64>,
    /// How long audit logs are kept (ns); `None` keeps them forever.
    pub audit_retention_ns: Option<i64>,
    /// Serve only this fleet region (`us-east`, `us-west`); `None` serves all.
    pub region: Option<String>,
    /// Mixed into every hash, to get a different but still deterministic data set.
    pub seed: u64,
}

impl Default for DataConfig {
    fn default() -> Self {
        Self {
            dataset: Dataset::Current,
            legacy_cutover_ns: 1_740_787_200 * NS_PER_SEC,
            retention_ns: Some(14 * 86_400 * NS_PER_SEC),
            audit_retention_ns: None,
            region: None,
            seed: 0,
        }
    }
}

impl DataConfig {
    /// The `[from, to)` window (ns) in which logs of `class` exist at `now_ns`, if any.
    #[must_use]
    pub fn window(&self, class: LogClass, now_ns: i64) -> Option<(i64, i64)> {
        let served = matches!(
            (self.dataset, class),
            (Dataset::Current, _)
                | (Dataset::Legacy, LogClass::Application | LogClass::Audit)
                | (Dataset::Audit, LogClass::Audit)
        );
        if !served {
            return None;
        }
        let (mut from, mut to) = match self.dataset {
            Dataset::Legacy => (i64::MIN, self.legacy_cutover_ns),
            Dataset::Current | Dataset::Audit => (self.legacy_cutover_ns, i64::MAX),
        };
        let retention = match class {
            LogClass::Audit => self.audit_retention_ns,
            _ => self.retention_ns,
        };
        if let Some(keep) = retention {
            from = from.max(now_ns.saturating_sub(keep));
        }
        to = to.min(now_ns);
        (from < to).then_some((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_has_no_platform_logs_and_ends_at_the_cutover() {
        let cfg = DataConfig {
            dataset: Dataset::Legacy,
            retention_ns: None,
            ..DataConfig::default()
        };
        let now = cfg.legacy_cutover_ns + 1000;
        assert_eq!(cfg.window(LogClass::Platform, now), None);
        assert_eq!(
            cfg.window(LogClass::Application, now),
            Some((i64::MIN, cfg.legacy_cutover_ns))
        );
    }

    #[test]
    fn retention_trims_app_logs_but_not_audit_logs() {
        let cfg = DataConfig::default();
        let now = cfg.legacy_cutover_ns + 30 * 86_400 * NS_PER_SEC;
        let (from, to) = cfg.window(LogClass::Application, now).unwrap();
        assert_eq!((to - from) / NS_PER_SEC, 14 * 86_400);
        assert_eq!(
            cfg.window(LogClass::Audit, now),
            Some((cfg.legacy_cutover_ns, now))
        );
    }

    #[test]
    fn audit_hosts_serve_only_audit_logs() {
        let cfg = DataConfig {
            dataset: Dataset::Audit,
            ..DataConfig::default()
        };
        let now = cfg.legacy_cutover_ns + NS_PER_SEC;
        assert!(cfg.window(LogClass::Application, now).is_none());
        assert!(cfg.window(LogClass::Audit, now).is_some());
    }
}
