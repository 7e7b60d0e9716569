//! The `backfill` command: chunk → OpenMetrics file → `promtool tsdb create-blocks-from
//! openmetrics` → delete, `jobs` chunks at a time, with a timing line per chunk.
//!
//! promtool reads the file once for its time range and once more per block window
//! (`--max-block-duration`, default 2h). We pass the largest window promtool knows (~4.5 years),
//! so every chunk becomes exactly one block in two passes whatever its length or alignment.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::cli::BackfillArgs;
use crate::error::RunError;
use crate::history::{chunk_file_name, write_file, Written};
use crate::span::Span;

/// The `--max-block-duration` that makes promtool use its largest block range.
pub const PROMTOOL_MAX_BLOCK_DURATION: &str = "--max-block-duration=87600h";

/// Timing of one chunk.
#[derive(Debug, Clone)]
pub struct ChunkReport {
    pub written: Written,
    pub promtool: Duration,
}

/// Runs `promtool tsdb create-blocks-from openmetrics` on `file` into `tsdb`.
///
/// # Errors
/// When promtool cannot be started or exits unsuccessfully (its output is in the error).
pub fn promtool_create_blocks(
    promtool: &Path,
    file: &Path,
    tsdb: &Path,
) -> Result<Duration, RunError> {
    let started = Instant::now();
    let output = Command::new(promtool)
        .args([
            "tsdb",
            "create-blocks-from",
            "openmetrics",
            "--quiet",
            PROMTOOL_MAX_BLOCK_DURATION,
        ])
        .arg(file)
        .arg(tsdb)
        .output()
        .map_err(|source| RunError::Spawn {
            program: promtool.to_path_buf(),
            source,
        })?;
    if !output.status.success() {
        let mut text = String::from_utf8_lossy(&output.stderr).into_owned();
        text.push_str(&String::from_utf8_lossy(&output.stdout));
        return Err(RunError::Promtool {
            file: file.to_path_buf(),
            status: output.status.to_string(),
            output: text.trim().to_owned(),
        });
    }
    Ok(started.elapsed())
}

/// Generates and converts every chunk of `args.span`; returns the per-chunk reports in time order.
///
/// # Errors
/// The first failure; the other workers finish their current chunk and stop.
pub fn run(
    args: &BackfillArgs,
    mut report: impl FnMut(&ChunkReport) + Send,
) -> Result<Vec<ChunkReport>, RunError> {
    std::fs::create_dir_all(&args.tsdb).map_err(|source| RunError::Create {
        path: args.tsdb.clone(),
        source,
    })?;
    let scratch = args
        .scratch
        .clone()
        .unwrap_or_else(|| args.tsdb.join(".gpu-sim-scratch"));
    std::fs::create_dir_all(&scratch).map_err(|source| RunError::Create {
        path: scratch.clone(),
        source,
    })?;
    let queue: Mutex<VecDeque<Span>> = Mutex::new(args.span.chunks(args.chunk_ms).into());
    let failed = AtomicBool::new(false);
    let results: Mutex<Vec<Result<ChunkReport, RunError>>> = Mutex::new(Vec::new());
    let report = Mutex::new(&mut report);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..args.jobs)
            .map(|_| {
                scope.spawn(|| {
                    while !failed.load(Ordering::SeqCst) {
                        let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                        let Some(chunk) = next else { break };
                        let result = one_chunk(args, &scratch, &chunk);
                        match &result {
                            Ok(done) => {
                                if let Ok(mut report) = report.lock() {
                                    (*report)(done);
                                }
                            }
                            Err(_) => failed.store(true, Ordering::SeqCst),
                        }
                        if let Ok(mut all) = results.lock() {
                            all.push(result);
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            if worker.join().is_err() {
                failed.store(true, Ordering::SeqCst);
                if let Ok(mut all) = results.lock() {
                    all.push(Err(RunError::WorkerPanicked));
                }
            }
        }
    });
    if !args.keep_text && args.scratch.is_none() {
        let _ = std::fs::remove_dir(&scratch);
    }
    let mut done = Vec::new();
    for result in results.into_inner().unwrap_or_default() {
        done.push(result?);
    }
    done.sort_by_key(|r| r.written.span.from_ms);
    Ok(done)
}

fn one_chunk(args: &BackfillArgs, scratch: &Path, chunk: &Span) -> Result<ChunkReport, RunError> {
    let path: PathBuf = scratch.join(chunk_file_name(chunk));
    let written = write_file(chunk, &path)?;
    let converted = promtool_create_blocks(&args.promtool, &path, &args.tsdb);
    if !args.keep_text {
        let _ = std::fs::remove_file(&path);
    }
    Ok(ChunkReport {
        written,
        promtool: converted?,
    })
}
