//! Errors of the `gpu-sim` command: bad usage (exit code 2) and failures while running (1).

use std::io;
use std::path::PathBuf;

/// A command line that cannot be run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UsageError {
    #[error("unknown command `{0}` (see `gpu-sim --help`)")]
    UnknownCommand(String),
    #[error("unknown option `{option}` for `gpu-sim {command}` (see `gpu-sim --help`)")]
    UnknownOption {
        command: &'static str,
        option: String,
    },
    #[error("option `{0}` needs a value")]
    MissingValue(String),
    #[error("option `{option}`: `{value}` is not a time (use RFC 3339 like 2024-10-21T00:00:00Z, or Unix ms)")]
    BadTime { option: &'static str, value: String },
    #[error("option `{option}`: `{value}` is not a duration (use e.g. 15s, 5m, 18h, 14d)")]
    BadDuration { option: &'static str, value: String },
    #[error("option `{option}`: `{value}` is not a positive whole number")]
    BadNumber { option: &'static str, value: String },
    #[error("{0}")]
    BadRange(String),
    #[error("`gpu-sim {command}` needs {what}")]
    Missing {
        command: &'static str,
        what: &'static str,
    },
}

/// A failure while running a command.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error("cannot create {}: {source}", path.display())]
    Create { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: String, source: io::Error },
    #[error("cannot install the SIGTERM/SIGINT handlers: {0}")]
    Signals(io::Error),
    #[error("cannot run {}: {source}", program.display())]
    Spawn { program: PathBuf, source: io::Error },
    #[error("promtool failed on {} ({status}): {output}", file.display())]
    Promtool {
        file: PathBuf,
        status: String,
        output: String,
    },
    #[error("a backfill worker stopped unexpectedly")]
    WorkerPanicked,
}

impl RunError {
    /// The process exit code: 2 for usage errors, 1 otherwise.
    #[must_use]
    pub fn exit_code(&self) -> i32 {
        if matches!(self, Self::Usage(_)) {
            2
        } else {
            1
        }
    }
}
