//! The command line: subcommands, options and their defaults, parsed by hand (no dependencies),
//! and the `--help` text.

use std::path::PathBuf;

use sightline_fleet::DAY_MS;

use crate::error::UsageError;
pub use crate::help::HELP;
use crate::options::Options;
use crate::span::Span;
use crate::timearg::{now_ms, parse_duration, parse_time, CUTOVER_MS};

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

#[cfg(test)]
#[path = "cli_tests.rs"]
mod tests;
