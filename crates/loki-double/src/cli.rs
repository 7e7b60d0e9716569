//! Command-line parsing for the `loki-double` binary (no argument-parsing dependency).

use std::time::Duration;

use crate::api::Options;
use crate::config::{DataConfig, Dataset};
use crate::params::{parse_prom_duration, parse_timestamp};

/// `loki-double --help`.
pub const HELP: &str = "\
loki-double — a TEST DOUBLE of the Loki HTTP API (not a Loki), for Sightline's demo stack and tests.

It serves generated logs of the simulated GPU fleet (sightline-fleet): application logs of the GPU
job pods (JSON, logfmt, plain text), platform logs (kubelet, device plugin, dcgm-exporter,
node-problem-detector, kernel XID messages) and Kubernetes audit logs — computed from time, never stored.

USAGE:
    loki-double serve [OPTIONS]
    loki-double query --query <LOGQL> [--start T] [--end T] [--step D] [--limit N] [--direction D] [OPTIONS]
    loki-double --help | --version

SERVE OPTIONS:
    --listen <ADDR>             address to bind [default: 127.0.0.1:3100]; port 0 picks a free port
    --dataset <current|legacy|audit>
                                current: app + platform + audit logs at/after the cut-over (observe.*)
                                legacy:  app + audit logs before the cut-over (observe-legacy)
                                audit:   only audit logs at/after the cut-over (observe-audit.<region>)
                                [default: current]
    --legacy-cutover <TIME>     RFC 3339 or Unix time [default: 2025-03-01T00:00:00Z]
    --retention <DURATION>      how long app + platform logs are kept, 0 = forever [default: 14d]
    --audit-retention <DURATION>
                                how long audit logs are kept, 0 = forever [default: 0]
    --region <REGION>           serve only this fleet region (us-east, us-west) [default: all]
    --seed <N>                  mixed into every hash (same seed, same logs) [default: 0]
    --now <TIME>                freeze the clock at TIME (RFC 3339 or Unix time) [default: wall clock]
    --query-timeout <DURATION>  queries running longer answer 504 [default: 60s]
    --max-entries <N>           max_entries_limit_per_query [default: 5000]
    --cors                      answer OPTIONS preflights and add CORS headers (normally nginx does)
    --token <TOKEN>             require `Authorization: Bearer <TOKEN>` (repeatable; else 401)
    --forbidden-token <TOKEN>   a token that authenticates but gets 403 (repeatable)

ENDPOINTS (GET, or POST with a form body):
    /loki/api/v1/query  /query_range  /labels  /label/<name>/values  /series
    /loki/api/v1/index/stats  /index/volume  /index/volume_range  /format_query   /ready
    /__double/faults (GET list, POST add, DELETE clear)   /__double/info
See crates/loki-double/README.md for the LogQL subset, labels, example queries and fault injection.
";

/// What the binary should do.
#[derive(Debug, Clone)]
pub enum Command {
    Help,
    Version,
    Serve {
        listen: String,
        data: DataConfig,
        options: Options,
    },
    Query {
        data: DataConfig,
        options: Options,
        params: Vec<(String, String)>,
    },
}

/// A bad command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n\nRun `loki-double --help` for usage.", self.0)
    }
}

fn duration_opt(flag: &str, value: &str) -> Result<Option<i64>, CliError> {
    let ns = parse_prom_duration(value).map_err(|e| CliError(format!("{flag}: {e}")))?;
    Ok((ns > 0).then_some(ns))
}

fn time_value(flag: &str, value: &str) -> Result<i64, CliError> {
    parse_timestamp(value, 0).map_err(|e| CliError(format!("{flag}: cannot parse {value:?}: {e}")))
}

/// Parses the arguments after the program name.
pub fn parse_args(args: &[String]) -> Result<Command, CliError> {
    let Some(first) = args.first() else {
        return Ok(Command::Help);
    };
    let sub = match first.as_str() {
        "-h" | "--help" | "help" => return Ok(Command::Help),
        "-V" | "--version" => return Ok(Command::Version),
        "serve" | "query" => first.as_str(),
        other => return Err(CliError(format!("unknown command {other:?}"))),
    };
    let mut listen = "127.0.0.1:3100".to_string();
    let mut data = DataConfig::default();
    let mut options = Options {
        query_timeout: Duration::from_secs(60),
        max_entries: 5000,
        ..Options::default()
    };
    let mut params = Vec::new();
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        if matches!(flag.as_str(), "-h" | "--help") {
            return Ok(Command::Help);
        }
        if flag == "--cors" {
            options.cors = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| CliError(format!("{flag} needs a value")))?;
        match flag.as_str() {
            "--listen" => listen.clone_from(value),
            "--dataset" => {
                data.dataset = Dataset::parse(value).ok_or_else(|| {
                    CliError(format!(
                        "--dataset must be current, legacy or audit, not {value:?}"
                    ))
                })?
            }
            "--legacy-cutover" => data.legacy_cutover_ns = time_value(flag, value)?,
            "--retention" => data.retention_ns = duration_opt(flag, value)?,
            "--audit-retention" => data.audit_retention_ns = duration_opt(flag, value)?,
            "--region" => data.region = Some(value.clone()),
            "--seed" => {
                data.seed = value
                    .parse()
                    .map_err(|_| CliError(format!("--seed must be a number, not {value:?}")))?
            }
            "--now" => options.fixed_now_ns = Some(time_value(flag, value)?),
            "--query-timeout" => {
                let ns =
                    parse_prom_duration(value).map_err(|e| CliError(format!("{flag}: {e}")))?;
                options.query_timeout = Duration::from_nanos(ns.max(1).unsigned_abs());
            }
            "--max-entries" => {
                options.max_entries = value.parse().map_err(|_| {
                    CliError(format!("--max-entries must be a number, not {value:?}"))
                })?
            }
            "--token" => options.tokens.push(value.clone()),
            "--forbidden-token" => options.forbidden_tokens.push(value.clone()),
            q if sub == "query" && q.starts_with("--") => {
                params.push((q.trim_start_matches("--").to_string(), value.clone()))
            }
            other => return Err(CliError(format!("unknown option {other:?}"))),
        }
    }
    Ok(if sub == "serve" {
        Command::Serve {
            listen,
            data,
            options,
        }
    } else {
        Command::Query {
            data,
            options,
            params,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn serve_flags_are_read() {
        let Command::Serve { listen, data, options } = parse_args(&args("serve --listen 127.0.0.1:0 --dataset legacy --legacy-cutover 2025-03-01T00:00:00Z --retention 0 --cors --token t1")).unwrap() else {
            panic!()
        };
        assert_eq!(listen, "127.0.0.1:0");
        assert_eq!(data.dataset, Dataset::Legacy);
        assert_eq!(data.legacy_cutover_ns, 1_740_787_200_000_000_000);
        assert_eq!(data.retention_ns, None);
        assert!(options.cors);
        assert_eq!(options.tokens, vec!["t1".to_string()]);
    }

    #[test]
    fn bad_flags_are_errors_and_help_is_help() {
        assert!(parse_args(&args("serve --dataset nope")).is_err());
        assert!(parse_args(&args("serve --listen")).is_err());
        assert!(parse_args(&args("frobnicate")).is_err());
        assert!(matches!(parse_args(&args("--help")), Ok(Command::Help)));
        assert!(matches!(parse_args(&[]), Ok(Command::Help)));
        assert!(HELP.contains("TEST DOUBLE"));
    }
}
