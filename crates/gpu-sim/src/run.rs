//! Runs a parsed [`Command`], printing progress and timings to standard error.

use std::io::Write;
use std::time::Instant;

use crate::cli::{Command, Output, HELP};
use crate::error::RunError;
use crate::history::{write_chunks, write_file, Written};
use crate::openmetrics::write_history;
use crate::{backfill, exporter, exposition};

/// Runs `command`.
///
/// # Errors
/// What the command failed at.
pub fn run(command: Command) -> Result<(), RunError> {
    match command {
        Command::Help => print_stdout(HELP.as_bytes()),
        Command::Version => {
            print_stdout(format!("gpu-sim {}\n", env!("CARGO_PKG_VERSION")).as_bytes())
        }
        Command::Snapshot { at_ms } => print_stdout(&exposition::render(at_ms)),
        Command::Exporter { listen } => exporter::run(&listen),
        Command::History { span, output } => {
            eprintln!("gpu-sim history: {span}");
            match output {
                Output::Stdout => {
                    let started = Instant::now();
                    let stats =
                        write_history(&span, std::io::stdout().lock()).map_err(RunError::Stdout)?;
                    let written = Written {
                        path: "-".into(),
                        span,
                        stats,
                        elapsed: started.elapsed(),
                    };
                    eprintln!("  stdout: {}", written.summary());
                }
                Output::File(path) => {
                    let written = write_file(&span, &path)?;
                    eprintln!("  {}: {}", path.display(), written.summary());
                }
                Output::Dir { dir, chunk_ms } => {
                    let files = write_chunks(&span, &dir, chunk_ms, |w| {
                        eprintln!("  {}: {}", w.path.display(), w.summary())
                    })?;
                    eprintln!("  {} file(s) in {}", files.len(), dir.display());
                }
            }
            Ok(())
        }
        Command::Backfill(args) => {
            eprintln!(
                "gpu-sim backfill: {} into {} ({} at a time)",
                args.span,
                args.tsdb.display(),
                args.jobs
            );
            let started = Instant::now();
            let reports = backfill::run(&args, |r| {
                eprintln!(
                    "  {}: {}; promtool {:.1} s",
                    r.written.path.display(),
                    r.written.summary(),
                    r.promtool.as_secs_f64()
                );
            })?;
            let samples: u64 = reports.iter().map(|r| r.written.stats.samples).sum();
            let bytes: u64 = reports.iter().map(|r| r.written.stats.bytes).sum();
            let generating: f64 = reports
                .iter()
                .map(|r| r.written.elapsed.as_secs_f64())
                .sum();
            let converting: f64 = reports.iter().map(|r| r.promtool.as_secs_f64()).sum();
            eprintln!(
                "  done: {} chunk(s), {samples} samples, {:.1} GB of OpenMetrics; generation {generating:.1} s + promtool {converting:.1} s of work; {:.1} s wall",
                reports.len(),
                bytes as f64 / 1e9,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

fn print_stdout(bytes: &[u8]) -> Result<(), RunError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(RunError::Stdout)
}
