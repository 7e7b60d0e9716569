//! The command line: subcommands, options and their defaults, parsed by hand (no dependencies),
//! and the `--help` text.

use std::path::PathBuf;

use sightline_fleet::DAY_MS;

use crate::error::UsageError;
use crate::span::Span;
use crate::timearg::{now_ms, parse_duration, parse_time, CUTOVER_MS};

/// The `--help` text.
pub const HELP: &str = "\
gpu-sim: simulated DCGM-exporter GPU metrics for Sightline's demo stack (128 GPUs:
2 regions x 2 clusters x 4 nodes x 8 GPUs). Every value is a pure function of time, so history
files and live scrapes agree to the sample.

USAGE:
  gpu-sim history  RANGE [--step DUR] (--out FILE | --out-dir DIR [--chunk DUR])
  gpu-sim backfill RANGE [--step DUR] --tsdb DIR [--chunk DUR] [--jobs N] [--scratch DIR]
                   [--promtool PATH] [--keep-text]
  gpu-sim exporter [--listen ADDR]
  gpu-sim snapshot [--at TIME]
  gpu-sim help | --help | -h        gpu-sim --version

COMMANDS:
  history   Write OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.
            --out FILE (or - for stdout) writes one file; --out-dir DIR writes one file per
            chunk (cut at multiples of --chunk since the epoch, default 1d = UTC days), named
            <from>_<to>.om. Files are written to <name>.partial and renamed when complete.
  backfill  The whole pipeline: for each chunk, write the OpenMetrics file to --scratch
            (default: <tsdb>/.gpu-sim-scratch), run `promtool tsdb create-blocks-from openmetrics
            --max-block-duration=87600h` into --tsdb (one block per chunk, two passes over the
            file), delete the file; --jobs chunks at a time (default 2). Prints timings.
  exporter  Serve GET /metrics (Prometheus text format 0.0.4) computed at request time, and
            GET /health. Stops cleanly on SIGTERM or SIGINT. Default --listen 127.0.0.1:19400.
  snapshot  Print what /metrics would serve at --at (default: now).

RANGE (one of):
  --from TIME --to TIME  Samples at from, from+step, ... before to. TIME is RFC 3339
                         (2024-10-21T00:00:00Z) or Unix milliseconds (1729468800000).
  --last DUR             The DUR before now (both ends floored to the step), e.g. --last 14d.
  --legacy               The legacy Prometheus' week: 2024-10-14T00:00:00Z to the cut-over
                         2024-10-21T00:00:00Z (exclusive), step 60s. --from/--to may narrow it;
                         data at or after the cut-over is refused.
  --cutover-week         The main Prometheus' first week: 2024-10-21T00:00:00Z to
                         2024-10-28T00:00:00Z, step 60s (--from/--to may change it).

OPTIONS:
  --step DUR             Sample spacing: 15s (default), 60s for --legacy and --cutover-week.
  --chunk DUR            Chunk length for --out-dir and backfill (default 1d).
  DUR is a whole number with a unit: ms, s, m, h, d, w (15s, 90m, 14d).

METRICS (DCGM field names, types and help from dcgm-exporter's default-counters.csv):
  DCGM_FI_DEV_GPU_UTIL, DCGM_FI_DEV_MEM_COPY_UTIL, DCGM_FI_DEV_FB_USED, DCGM_FI_DEV_FB_FREE,
  DCGM_FI_DEV_POWER_USAGE, DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION (counter), DCGM_FI_DEV_GPU_TEMP,
  DCGM_FI_DEV_MEMORY_TEMP, DCGM_FI_DEV_SM_CLOCK, DCGM_FI_DEV_MEM_CLOCK, DCGM_FI_DEV_XID_ERRORS,
  DCGM_FI_PROF_PIPE_TENSOR_ACTIVE, DCGM_FI_PROF_DRAM_ACTIVE, DCGM_FI_DEV_PCIE_REPLAY_COUNTER
  (counter). Labels: gpu, UUID, device, modelName, Hostname, DCGM_FI_DRIVER_VERSION,
  pci_bus_id, instance, job=\"dcgm-exporter\", cluster, region, node, and namespace, pod,
  container while a job runs on the GPU.

EXIT STATUS: 0 on success, 1 on failure, 2 on bad usage.
";

/// Where `history` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Stdout,
    File(PathBuf),
    Dir { dir: PathBuf, chunk_ms: i64 },
}

/// Options of `backfill`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackfillArgs {
    pub span: Span,
    pub tsdb: PathBuf,
    pub chunk_ms: i64,
    pub jobs: usize,
    pub scratch: Option<PathBuf>,
    pub promtool: PathBuf,
    pub keep_text: bool,
}

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    History { span: Span, output: Output },
    Backfill(BackfillArgs),
    Exporter { listen: String },
    Snapshot { at_ms: i64 },
}

/// The default exporter address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:19400";

/// Parses the arguments after the program name.
///
/// # Errors
/// A [`UsageError`] saying what is wrong.
pub fn parse(args: &[String]) -> Result<Command, UsageError> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    match command.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "--version" | "-V" => Ok(Command::Version),
        "history" => parse_history(rest),
        "backfill" => parse_backfill(rest),
        "exporter" => {
            let mut listen = DEFAULT_LISTEN.to_owned();
            let mut it = Options::new("exporter", rest);
            while let Some(option) = it.next_option() {
                match option.as_str() {
                    "--listen" => listen = it.value(&option)?,
                    _ => return Err(it.unknown(option)),
                }
            }
            Ok(Command::Exporter { listen })
        }
        "snapshot" => {
            let mut at_ms = now_ms();
            let mut it = Options::new("snapshot", rest);
            while let Some(option) = it.next_option() {
                match option.as_str() {
                    "--at" => at_ms = time_value("--at", &it.value(&option)?)?,
                    _ => return Err(it.unknown(option)),
                }
            }
            Ok(Command::Snapshot { at_ms })
        }
        other => Err(UsageError::UnknownCommand(other.to_owned())),
    }
}

/// The range options shared by `history` and `backfill`.
#[derive(Debug, Default)]
struct RangeOptions {
    from: Option<i64>,
    to: Option<i64>,
    last: Option<i64>,
    step: Option<i64>,
    legacy: bool,
    cutover_week: bool,
}

impl RangeOptions {
    /// Consumes `option` if it is a range option.
    fn take(&mut self, option: &str, it: &mut Options) -> Result<bool, UsageError> {
        match option {
            "--from" => self.from = Some(time_value("--from", &it.value(option)?)?),
            "--to" => self.to = Some(time_value("--to", &it.value(option)?)?),
            "--last" => self.last = Some(duration_value("--last", &it.value(option)?)?),
            "--step" => self.step = Some(duration_value("--step", &it.value(option)?)?),
            "--legacy" => self.legacy = true,
            "--cutover-week" => self.cutover_week = true,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn resolve(&self, command: &'static str) -> Result<Span, UsageError> {
        let presets = usize::from(self.legacy)
            + usize::from(self.cutover_week)
            + usize::from(self.last.is_some());
        if presets > 1 {
            return Err(UsageError::BadRange(
                "use only one of --legacy, --cutover-week and --last".to_owned(),
            ));
        }
        let week = 7 * DAY_MS;
        let (default_from, default_to, default_step) = if self.legacy {
            (Some(CUTOVER_MS - week), Some(CUTOVER_MS), 60_000)
        } else if self.cutover_week {
            (Some(CUTOVER_MS), Some(CUTOVER_MS + week), 60_000)
        } else {
            (None, None, 15_000)
        };
        let step_ms = self.step.unwrap_or(default_step);
        let (from_ms, to_ms) = if let Some(last) = self.last {
            if self.from.is_some() || self.to.is_some() {
                return Err(UsageError::BadRange(
                    "--last cannot be combined with --from/--to".to_owned(),
                ));
            }
            let to = now_ms().div_euclid(step_ms) * step_ms;
            (to - last.div_euclid(step_ms) * step_ms, to)
        } else {
            let from = self.from.or(default_from).ok_or(UsageError::Missing {
                command,
                what: "--from (or --last, --legacy, --cutover-week)",
            })?;
            let to = self.to.or(default_to).ok_or(UsageError::Missing {
                command,
                what: "--to",
            })?;
            (from, to)
        };
        if from_ms >= to_ms {
            return Err(UsageError::BadRange(format!(
                "the range is empty: --from must be before --to ({from_ms} >= {to_ms})"
            )));
        }
        if self.legacy && to_ms > CUTOVER_MS {
            return Err(UsageError::BadRange(
                "--legacy data must end by the cut-over 2024-10-21T00:00:00Z".to_owned(),
            ));
        }
        Ok(Span {
            from_ms,
            to_ms,
            step_ms,
        })
    }
}

fn parse_history(args: &[String]) -> Result<Command, UsageError> {
    let mut range = RangeOptions::default();
    let (mut out, mut out_dir, mut chunk) = (None, None, None);
    let mut it = Options::new("history", args);
    while let Some(option) = it.next_option() {
        if range.take(&option, &mut it)? {
            continue;
        }
        match option.as_str() {
            "--out" => out = Some(it.value(&option)?),
            "--out-dir" => out_dir = Some(PathBuf::from(it.value(&option)?)),
            "--chunk" => chunk = Some(duration_value("--chunk", &it.value(&option)?)?),
            _ => return Err(it.unknown(option)),
        }
    }
    let span = range.resolve("history")?;
    let output = match (out, out_dir) {
        (Some(_), Some(_)) => {
            return Err(UsageError::BadRange(
                "use either --out or --out-dir".to_owned(),
            ))
        }
        (Some(path), None) if path == "-" => Output::Stdout,
        (Some(path), None) => Output::File(PathBuf::from(path)),
        (None, Some(dir)) => Output::Dir {
            dir,
            chunk_ms: chunk.unwrap_or(DAY_MS),
        },
        (None, None) => {
            return Err(UsageError::Missing {
                command: "history",
                what: "--out FILE or --out-dir DIR",
            })
        }
    };
    Ok(Command::History { span, output })
}

fn parse_backfill(args: &[String]) -> Result<Command, UsageError> {
    let mut range = RangeOptions::default();
    let mut tsdb = None;
    let mut parsed = BackfillArgs {
        span: Span {
            from_ms: 0,
            to_ms: 0,
            step_ms: 1,
        },
        tsdb: PathBuf::new(),
        chunk_ms: DAY_MS,
        jobs: 2,
        scratch: None,
        promtool: PathBuf::from("promtool"),
        keep_text: false,
    };
    let mut it = Options::new("backfill", args);
    while let Some(option) = it.next_option() {
        if range.take(&option, &mut it)? {
            continue;
        }
        match option.as_str() {
            "--tsdb" => tsdb = Some(PathBuf::from(it.value(&option)?)),
            "--chunk" => parsed.chunk_ms = duration_value("--chunk", &it.value(&option)?)?,
            "--jobs" => {
                let value = it.value(&option)?;
                parsed.jobs =
                    value
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or(UsageError::BadNumber {
                            option: "--jobs",
                            value,
                        })?;
            }
            "--scratch" => parsed.scratch = Some(PathBuf::from(it.value(&option)?)),
            "--promtool" => parsed.promtool = PathBuf::from(it.value(&option)?),
            "--keep-text" => parsed.keep_text = true,
            _ => return Err(it.unknown(option)),
        }
    }
    parsed.span = range.resolve("backfill")?;
    parsed.tsdb = tsdb.ok_or(UsageError::Missing {
        command: "backfill",
        what: "--tsdb DIR",
    })?;
    Ok(Command::Backfill(parsed))
}

fn time_value(option: &'static str, value: &str) -> Result<i64, UsageError> {
    parse_time(value).ok_or_else(|| UsageError::BadTime {
        option,
        value: value.to_owned(),
    })
}

fn duration_value(option: &'static str, value: &str) -> Result<i64, UsageError> {
    parse_duration(value).ok_or_else(|| UsageError::BadDuration {
        option,
        value: value.to_owned(),
    })
}

/// Walks `--name value` and `--name=value` options.
struct Options<'a> {
    command: &'static str,
    args: &'a [String],
    at: usize,
    inline_value: Option<String>,
}

impl<'a> Options<'a> {
    fn new(command: &'static str, args: &'a [String]) -> Self {
        Self {
            command,
            args,
            at: 0,
            inline_value: None,
        }
    }

    fn next_option(&mut self) -> Option<String> {
        let arg = self.args.get(self.at)?;
        self.at += 1;
        match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                self.inline_value = Some(value.to_owned());
                Some(name.to_owned())
            }
            _ => {
                self.inline_value = None;
                Some(arg.clone())
            }
        }
    }

    fn value(&mut self, option: &str) -> Result<String, UsageError> {
        if let Some(value) = self.inline_value.take() {
            return Ok(value);
        }
        let value = self
            .args
            .get(self.at)
            .ok_or_else(|| UsageError::MissingValue(option.to_owned()))?;
        self.at += 1;
        Ok(value.clone())
    }

    fn unknown(&self, option: String) -> UsageError {
        UsageError::UnknownOption {
            command: self.command,
            option,
        }
    }
}

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
