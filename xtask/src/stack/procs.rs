//! Background processes of the stack: start detached (own session, output to a log file, pid in
//! a pid file), check liveness, and stop exactly the processes this stack started.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::Result;

/// One managed process.
pub struct Managed {
    /// Short name, used for the pid and log files.
    pub name: &'static str,
    /// The program (its file name must appear in the process' command line).
    pub program: PathBuf,
    pub args: Vec<String>,
}

/// Directories of a running stack.
pub struct RunDirs {
    pub pids: PathBuf,
    pub logs: PathBuf,
}

impl RunDirs {
    fn pid_file(&self, name: &str) -> PathBuf {
        self.pids.join(format!("{name}.pid"))
    }

    /// The log file of a process.
    #[must_use]
    pub fn log_file(&self, name: &str) -> PathBuf {
        self.logs.join(format!("{name}.log"))
    }
}

/// The pid recorded for `name`, if that process is still alive and is what we started.
#[must_use]
pub fn running_pid(dirs: &RunDirs, name: &str, program: &Path) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(dirs.pid_file(name))
        .ok()?
        .trim()
        .parse()
        .ok()?;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // A zombie (state Z) is not running.
    let state = stat
        .rsplit(')')
        .next()
        .and_then(|rest| rest.split_whitespace().next());
    if state == Some("Z") {
        return None;
    }
    let program_name = program.file_name()?.to_string_lossy().into_owned();
    String::from_utf8_lossy(&cmdline)
        .contains(&program_name)
        .then_some(pid)
}

/// Starts `process` detached from this terminal unless it already runs; returns its pid.
///
/// # Errors
/// When the program cannot be started.
pub fn start(dirs: &RunDirs, process: &Managed) -> Result<u32> {
    if let Some(pid) = running_pid(dirs, process.name, &process.program) {
        return Ok(pid);
    }
    std::fs::create_dir_all(&dirs.pids).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&dirs.logs).map_err(|e| e.to_string())?;
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dirs.log_file(process.name))
        .map_err(|e| format!("cannot open the log of {}: {e}", process.name))?;
    let log_err = log.try_clone().map_err(|e| e.to_string())?;
    // `setsid` gives the process its own session, so Ctrl-C in this terminal does not stop it;
    // it execs in place, so the pid we record is the process' own.
    let child = Command::new("setsid")
        .arg(&process.program)
        .args(&process.args)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", process.program.display()))?;
    let pid = child.id();
    std::fs::write(dirs.pid_file(process.name), pid.to_string()).map_err(|e| e.to_string())?;
    // The child is reaped by init when this process exits; dropping the handle is fine.
    drop(child);
    Ok(pid)
}

/// Stops `name` if it runs (TERM, then KILL after 10 s) and removes its pid file.
pub fn stop(dirs: &RunDirs, name: &str, program: &Path) -> bool {
    let Some(pid) = running_pid(dirs, name, program) else {
        let _ = std::fs::remove_file(dirs.pid_file(name));
        return false;
    };
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if running_pid(dirs, name, program).is_none() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if running_pid(dirs, name, program).is_some() {
        let _ = Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status();
    }
    let _ = std::fs::remove_file(dirs.pid_file(name));
    true
}

/// Stops `processes` in reverse start order, saying which were stopped.
pub fn stop_all(dirs: &RunDirs, processes: &[Managed]) {
    for process in processes.iter().rev() {
        if stop(dirs, process.name, &process.program) {
            println!("stopped {}", process.name);
        }
    }
}

/// Prints each of `processes` with its pid, or "stopped".
pub fn print_all(dirs: &RunDirs, processes: &[Managed]) {
    for process in processes {
        match running_pid(dirs, process.name, &process.program) {
            Some(pid) => println!("  {:<18} running (pid {pid})", process.name),
            None => println!("  {:<18} stopped", process.name),
        }
    }
}

/// Polls `healthy` every `poll` until it answers `Ok` or `timeout` passes; the error names
/// `what` and ends with the last log lines of each of `processes`.
///
/// # Errors
/// Still unhealthy after `timeout`.
pub fn wait_until_healthy(
    what: &str,
    healthy: impl Fn() -> Result<()>,
    dirs: &RunDirs,
    processes: &[Managed],
    timeout: std::time::Duration,
    poll: std::time::Duration,
) -> Result<()> {
    let start = std::time::Instant::now();
    loop {
        match healthy() {
            Ok(()) => return Ok(()),
            Err(e) if start.elapsed() > timeout => {
                let tails: Vec<String> = processes
                    .iter()
                    .map(|p| format!("--- {} ---\n{}", p.name, log_tail(dirs, p.name, 8)))
                    .collect();
                return Err(format!(
                    "{what} did not become healthy: {e}\n{}",
                    tails.join("\n")
                ));
            }
            Err(_) => std::thread::sleep(poll),
        }
    }
}

/// The last `lines` lines of a process' log, for error messages.
#[must_use]
pub fn log_tail(dirs: &RunDirs, name: &str, lines: usize) -> String {
    let text = std::fs::read_to_string(dirs.log_file(name)).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
