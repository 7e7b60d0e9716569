//! The `history` command: OpenMetrics files on disk (one, or one per chunk), written to a
//! `.partial` name first so an interrupted run never leaves a complete-looking file.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::RunError;
use crate::openmetrics::{write_history, WriteStats};
use crate::span::Span;
use crate::timearg::compact_stamp;

/// One file written, with its timing.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub span: Span,
    pub stats: WriteStats,
    pub elapsed: Duration,
}

impl Written {
    /// `… 10321920 samples, 4402.1 MB in 9.8 s (449 MB/s, 1.05 M samples/s)`.
    #[must_use]
    pub fn summary(&self) -> String {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        format!(
            "{} samples, {:.1} MB in {:.1} s ({:.0} MB/s, {:.2} M samples/s)",
            self.stats.samples,
            self.stats.bytes as f64 / 1e6,
            secs,
            self.stats.bytes as f64 / 1e6 / secs,
            self.stats.samples as f64 / 1e6 / secs
        )
    }
}

/// Writes `span` to `path`: through `<path>.partial` and a rename for regular files, directly
/// into anything else that already exists there (`/dev/null`, a FIFO), which must never be
/// replaced.
///
/// # Errors
/// File creation or write errors, with the path.
pub fn write_file(span: &Span, path: &Path) -> Result<Written, RunError> {
    let started = Instant::now();
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
    let target = if special {
        path.to_path_buf()
    } else {
        partial_name(path)
    };
    let file = File::create(&target).map_err(|source| RunError::Create {
        path: target.clone(),
        source,
    })?;
    let stats = write_history(span, file).map_err(|source| RunError::Write {
        path: target.clone(),
        source,
    })?;
    if !special {
        std::fs::rename(&target, path).map_err(|source| RunError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    }
    Ok(Written {
        path: path.to_path_buf(),
        span: *span,
        stats,
        elapsed: started.elapsed(),
    })
}

/// The file name of a chunk: `20241021T000000Z_20241022T000000Z.om`.
#[must_use]
pub fn chunk_file_name(span: &Span) -> String {
    format!(
        "{}_{}.om",
        compact_stamp(span.from_ms),
        compact_stamp(span.to_ms)
    )
}

fn partial_name(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    path.with_file_name(name)
}

/// Writes `span` cut into chunks, one file each, into `dir`.
///
/// # Errors
/// Directory creation or write errors.
pub fn write_chunks(
    span: &Span,
    dir: &Path,
    chunk_ms: i64,
    mut report: impl FnMut(&Written),
) -> Result<Vec<Written>, RunError> {
    std::fs::create_dir_all(dir).map_err(|source| RunError::Create {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for chunk in span.chunks(chunk_ms) {
        let file = write_file(&chunk, &dir.join(chunk_file_name(&chunk)))?;
        report(&file);
        written.push(file);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timearg::CUTOVER_MS;

    fn scratch_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gpu-sim-test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {e}", dir.display());
        }
        dir
    }

    const SMALL: Span = Span {
        from_ms: CUTOVER_MS,
        to_ms: CUTOVER_MS + 60_000,
        step_ms: 15_000,
    };

    #[test]
    fn regular_files_appear_complete_or_not_at_all() {
        let dir = scratch_dir("regular");
        let path = dir.join("a.om");
        let written = write_file(&SMALL, &path);
        assert!(written.is_ok_and(|w| w.stats.samples == 4 * 128 * 14));
        assert!(!partial_name(&path).exists());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(text.ends_with("# EOF\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn special_files_are_written_into_not_replaced() {
        let dir = scratch_dir("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            println!("note: mkfifo unavailable, special-file test skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).map(|bytes| bytes.len()).unwrap_or(0))
        };
        let written = write_file(&SMALL, &fifo);
        let read = reader.join().unwrap_or(0);
        assert!(written.is_ok_and(|w| w.stats.bytes == read as u64));
        assert!(read > 0);
        let still_fifo =
            std::fs::symlink_metadata(&fifo).is_ok_and(|m| !m.is_file() && !m.is_dir());
        assert!(still_fifo, "the FIFO was replaced by a file");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn chunk_names_show_the_span() {
        let span = Span {
            from_ms: CUTOVER_MS,
            to_ms: CUTOVER_MS + 86_400_000,
            step_ms: 15_000,
        };
        assert_eq!(
            chunk_file_name(&span),
            "20241021T000000Z_20241022T000000Z.om"
        );
        assert_eq!(
            partial_name(Path::new("/x/a.om")),
            PathBuf::from("/x/a.om.partial")
        );
    }
}
