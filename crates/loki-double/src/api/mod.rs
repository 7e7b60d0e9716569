//! The HTTP API: routing, CORS, optional bearer checks, fault injection, and the Loki
//! endpoints CoreWeave lists (query, query_range, labels, label values, series, index/stats,
//! index/volume, index/volume_range, format_query).

mod envelope;
mod index;
mod metadata;
mod query;

use std::sync::Arc;
use std::time::Duration;

use crate::config::DataConfig;
use crate::faults::{FaultRule, Faults};
use crate::http::server::Handler;
use crate::http::{Request, Response};

/// Server behaviour beyond the data set.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Answer preflights and add CORS headers (the nginx gateway normally does this).
    pub cors: bool,
    /// Queries running longer than this answer 504.
    pub query_timeout: Duration,
    /// A fixed "now" (ns) instead of the wall clock (tests, reproducible demos).
    pub fixed_now_ns: Option<i64>,
    /// If set, requests need `Authorization: Bearer <one of these>` (else 401).
    pub tokens: Vec<String>,
    /// Tokens that authenticate but lack access (403).
    pub forbidden_tokens: Vec<String>,
    /// `max_entries_limit_per_query`.
    pub max_entries: u32,
}

/// The double's request handler.
pub struct App {
    pub data: DataConfig,
    pub options: Options,
    pub faults: Faults,
}

/// Loki answers unknown paths with Go's `http.NotFound` text.
const NOT_FOUND: &str = "404 page not found\n";

impl App {
    /// A handler for `data` with `options`.
    #[must_use]
    pub fn new(data: DataConfig, options: Options) -> Arc<Self> {
        Arc::new(Self {
            data,
            options,
            faults: Faults::default(),
        })
    }

    /// "Now" in Unix ns.
    #[must_use]
    pub fn now_ns(&self) -> i64 {
        self.options.fixed_now_ns.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
        })
    }

    fn control(&self, req: &Request) -> Response {
        match (req.method.as_str(), req.path.as_str()) {
            ("GET", "/__double/faults") => Response::json(self.faults.list_json()),
            ("DELETE", "/__double/faults") | ("POST", "/__double/faults/clear") => {
                self.faults.clear();
                Response::json("[]".into())
            }
            ("POST", "/__double/faults") => match FaultRule::from_request(req) {
                Ok(rule) => {
                    let json = rule.to_json().to_string();
                    self.faults.add(rule);
                    Response::json(json)
                }
                Err(e) => Response::loki_error(400, &e.0),
            },
            ("GET", "/__double/info") => Response::json(
                serde_json::json!({
                    "double": "sightline-loki-double",
                    "dataset": format!("{:?}", self.data.dataset).to_lowercase(),
                    "legacy_cutover": crate::timefmt::format_rfc3339_secs(self.data.legacy_cutover_ns),
                    "retention_seconds": self.data.retention_ns.map(|n| n / 1_000_000_000),
                    "audit_retention_seconds": self.data.audit_retention_ns.map(|n| n / 1_000_000_000),
                    "region": self.data.region,
                    "now": crate::timefmt::format_rfc3339_nanos(self.now_ns()),
                })
                .to_string(),
            ),
            _ => Response::loki_error(404, NOT_FOUND),
        }
    }

    fn auth(&self, req: &Request) -> Option<Response> {
        if self.options.tokens.is_empty() && self.options.forbidden_tokens.is_empty() {
            return None;
        }
        let token = req.header("authorization").and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        });
        match token {
            Some(t) if self.options.tokens.iter().any(|ok| ok == t) => None,
            Some(t) if self.options.forbidden_tokens.iter().any(|f| f == t) => {
                Some(Response::loki_error(
                    403,
                    "403 Forbidden: the token lacks the Observability Viewer role\n",
                ))
            }
            _ => {
                let mut r = Response::loki_error(
                    401,
                    "401 Unauthorized: missing or invalid bearer token\n",
                );
                r.set_header("WWW-Authenticate", "Bearer");
                Some(r)
            }
        }
    }

    /// The Loki API routes.
    fn route(&self, req: &Request) -> Response {
        let path = req.path.as_str();
        if path == "/ready" {
            return Response::new(200, "text/plain; charset=utf-8", "ready\n");
        }
        let Some(endpoint) = path.strip_prefix("/loki/api/v1/") else {
            return Response::loki_error(404, NOT_FOUND);
        };
        let known = matches!(
            endpoint,
            "query"
                | "query_range"
                | "labels"
                | "series"
                | "index/stats"
                | "index/volume"
                | "index/volume_range"
                | "format_query"
        ) || (endpoint.starts_with("label/") && endpoint.ends_with("/values"));
        if !known {
            return Response::loki_error(404, NOT_FOUND);
        }
        if req.method != "GET" && req.method != "POST" && req.method != "HEAD" {
            return Response::loki_error(405, "");
        }
        match endpoint {
            "query" => query::instant(self, req),
            "query_range" => query::range(self, req),
            "labels" => metadata::labels(self, req),
            "series" => metadata::series(self, req),
            "index/stats" => index::stats(self, req),
            "index/volume" => index::volume(self, req, false),
            "index/volume_range" => index::volume(self, req, true),
            "format_query" => query::format(req),
            values => {
                let name = values
                    .trim_start_matches("label/")
                    .trim_end_matches("/values");
                metadata::label_values(self, req, name)
            }
        }
    }

    fn add_cors(req: &Request, resp: &mut Response) {
        let origin = req.header("origin").unwrap_or("*").to_string();
        resp.set_header("Access-Control-Allow-Origin", &origin);
        resp.set_header("Vary", "Origin");
        resp.set_header("Access-Control-Expose-Headers", "Retry-After, Content-Type");
    }
}

impl Handler for App {
    fn handle(&self, req: &Request) -> Response {
        if req.path.starts_with("/__double/") {
            return self.control(req);
        }
        if req.method == "OPTIONS" {
            if !self.options.cors {
                return Response::loki_error(405, "");
            }
            let mut resp = Response::new(204, "text/plain", Vec::new());
            Self::add_cors(req, &mut resp);
            resp.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            resp.set_header(
                "Access-Control-Allow-Headers",
                "Authorization, Content-Type, X-Loki-Response-Encoding-Flags, X-Query-Tags, Accept",
            );
            resp.set_header("Access-Control-Max-Age", "600");
            return resp;
        }
        let fault = self.faults.take(&req.method, &req.path);
        let mut resp = match &fault {
            Some(rule) => rule.respond(|| {
                let mut real = self.auth(req).unwrap_or_else(|| self.route(req));
                if let Some(w) = &rule.warning {
                    envelope::add_warning(&mut real, w);
                }
                real
            }),
            None => self.auth(req).unwrap_or_else(|| self.route(req)),
        };
        if self.options.cors && !fault.as_ref().is_some_and(|f| f.no_cors) {
            Self::add_cors(req, &mut resp);
        }
        resp
    }
}
