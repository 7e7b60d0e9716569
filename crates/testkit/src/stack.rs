//! The demo stack's layout: which emulated host listens where, and the tokens it accepts.
//!
//! Every emulated host is an nginx `server` on its own loopback port that checks the bearer
//! token, answers CORS for the app's origin and forwards only the paths that host serves.

/// The token the demo gateway accepts (printed by `cargo xtask demo`). Not a secret: it only
/// opens the local demo stack.
pub const DEMO_TOKEN: &str = "sightline-demo-token";
/// A token the gateway knows but refuses with 403 (a token without the Observability Viewer role).
pub const NO_ACCESS_TOKEN: &str = "sightline-demo-no-access";

/// Where the app is served (static files and the same-origin proxy paths).
pub const APP_PORT: u16 = 8080;

/// An emulated observe host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmulatedHost {
    /// The real host it stands in for.
    pub stands_in_for: &'static str,
    pub port: u16,
    /// Serves `/api/v1/...` (metrics) from this backend port, if any.
    pub metrics_backend: Option<u16>,
    /// Serves `/loki/api/v1/...` (logs) from this backend port, if any.
    pub logs_backend: Option<u16>,
    /// Same-origin proxy prefix on the app port (`/observe/<name>`).
    pub proxy_name: &'static str,
}

/// The main Prometheus (history + live).
pub const PROMETHEUS_PORT: u16 = 19090;
/// The legacy Prometheus (data before 2024-10-21 only).
pub const LEGACY_PROMETHEUS_PORT: u16 = 19091;
/// The live DCGM-style exporter the main Prometheus scrapes.
pub const EXPORTER_PORT: u16 = 19400;
/// Loki test double: current logs (app, platform and audit).
pub const LOKI_CURRENT_PORT: u16 = 13100;
/// Loki test double: logs before the legacy logs cut-over.
pub const LOKI_LEGACY_PORT: u16 = 13101;
/// Loki test double: audit logs only, US East (the `observe-audit.us-east` host).
pub const LOKI_AUDIT_PORT: u16 = 13102;
/// Loki test double: US East application and platform logs (the Super Regional host).
pub const LOKI_US_EAST_PORT: u16 = 13103;
/// Loki test double: US West application and platform logs.
pub const LOKI_US_WEST_PORT: u16 = 13104;

/// The emulated hosts, Global first.
pub const HOSTS: [EmulatedHost; 7] = [
    EmulatedHost {
        stands_in_for: "observe.coreweave.com",
        port: 9401,
        metrics_backend: Some(PROMETHEUS_PORT),
        logs_backend: Some(LOKI_CURRENT_PORT),
        proxy_name: "global",
    },
    EmulatedHost {
        stands_in_for: "observe.us-east.coreweave.com",
        port: 9402,
        metrics_backend: Some(PROMETHEUS_PORT),
        logs_backend: Some(LOKI_US_EAST_PORT),
        proxy_name: "us-east",
    },
    EmulatedHost {
        stands_in_for: "observe.us-west.coreweave.com",
        port: 9403,
        metrics_backend: Some(PROMETHEUS_PORT),
        logs_backend: Some(LOKI_US_WEST_PORT),
        proxy_name: "us-west",
    },
    EmulatedHost {
        stands_in_for: "observe.eu-south.coreweave.com",
        port: 9404,
        metrics_backend: Some(PROMETHEUS_PORT),
        logs_backend: Some(LOKI_CURRENT_PORT),
        proxy_name: "eu-south",
    },
    EmulatedHost {
        stands_in_for: "observe-audit.us-east.coreweave.com",
        port: 9405,
        metrics_backend: None,
        logs_backend: Some(LOKI_AUDIT_PORT),
        proxy_name: "audit-us-east",
    },
    EmulatedHost {
        stands_in_for: "prometheus-legacy.ord1.coreweave.com",
        port: 9406,
        metrics_backend: Some(LEGACY_PROMETHEUS_PORT),
        logs_backend: None,
        proxy_name: "legacy-metrics",
    },
    EmulatedHost {
        stands_in_for: "observe-legacy.coreweave.com",
        port: 9407,
        metrics_backend: None,
        logs_backend: Some(LOKI_LEGACY_PORT),
        proxy_name: "legacy-logs",
    },
];

/// The Global host.
#[must_use]
pub fn global() -> EmulatedHost {
    HOSTS[0]
}

/// `http://127.0.0.1:<port>`
#[must_use]
pub fn url(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The app's origin as the browser sees it: `SIGHTLINE_APP_URL` when set (an engineer's own
/// build on a development port), else the stack's app server.
#[must_use]
pub fn app_url() -> String {
    std::env::var("SIGHTLINE_APP_URL")
        .ok()
        .map(|u| u.trim().trim_end_matches('/').to_owned())
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| url(APP_PORT))
}

/// Test mode of the stack (issue 10): the faults gateway, an emulated host with the same bearer
/// check and CORS as the others whose answers break on demand (see [`crate::faults`]).
pub const FAULTS_PORT: u16 = 9408;
/// The Loki test double behind the faults gateway; tests set its fault rules directly.
pub const LOKI_FAULTS_PORT: u16 = 13105;

/// Prometheus API paths CoreWeave's seed lists; the gateway serves exactly these.
pub const METRICS_PATHS: [&str; 8] = [
    "query",
    "query_range",
    "series",
    "labels",
    "label/<name>/values",
    "query_exemplars",
    "metadata",
    "rules",
];

/// Loki API paths CoreWeave's seed lists; the gateway serves exactly these.
pub const LOGS_PATHS: [&str; 9] = [
    "query",
    "query_range",
    "labels",
    "label/<name>/values",
    "series",
    "index/stats",
    "index/volume",
    "index/volume_range",
    "format_query",
];
