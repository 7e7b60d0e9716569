//! Running commands: echo them, inherit output, fail with context; the project root; PATH with
//! `~/.cargo/bin` first (so the wasm-opt from crates.io wins over Debian's older binaryen).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// An xtask failure: what went wrong, said for a person.
pub type Result<T> = std::result::Result<T, String>;

/// The workspace root.
#[must_use]
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `~/.cargo/bin`
#[must_use]
pub fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"));
    home.join("bin")
}

/// PATH with `~/.cargo/bin` first.
#[must_use]
pub fn path_env() -> String {
    let current = std::env::var("PATH").unwrap_or_default();
    format!("{}:{current}", cargo_bin().display())
}

/// A command with PATH set and the project root as working directory.
#[must_use]
pub fn command(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", path_env()).current_dir(root());
    c
}

fn describe(c: &Command) -> String {
    let mut text = c.get_program().to_string_lossy().into_owned();
    for arg in c.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs a command with inherited output; fails when it exits non-zero.
///
/// # Errors
/// A message naming the command.
pub fn run(c: &mut Command) -> Result<()> {
    let text = describe(c);
    println!("$ {text}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{text}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{text}` failed ({status})"))
    }
}

/// Runs a command quietly and returns its stdout; fails when it exits non-zero.
///
/// # Errors
/// A message naming the command, with its stderr.
pub fn output(c: &mut Command) -> Result<String> {
    let text = describe(c);
    let out = c
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not start `{text}`: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{text}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The text of the file at `path`.
///
/// # Errors
/// "cannot read <path>: <why>".
pub fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// True when `program` runs and prints something with `--version`-like `args`.
#[must_use]
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Timings of the phases of a long command, printed as a table at the end.
#[derive(Default)]
pub struct Phases {
    done: Vec<(String, Duration, bool)>,
}

impl Phases {
    /// Runs one phase, timing it; stops at the first failure.
    ///
    /// # Errors
    /// The phase's error, prefixed with its name.
    pub fn run<T>(&mut self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        let elapsed = start.elapsed();
        self.done.push((name.to_owned(), elapsed, result.is_ok()));
        println!(
            "<== {name}: {} in {}",
            if result.is_ok() { "ok" } else { "FAILED" },
            format_duration(elapsed)
        );
        result.map_err(|e| format!("{name}: {e}"))
    }

    /// The timing table.
    #[must_use]
    pub fn summary(&self) -> String {
        let mut out = String::from("\nphase timings:\n");
        let mut total = Duration::ZERO;
        for (name, elapsed, ok) in &self.done {
            total += *elapsed;
            out.push_str(&format!(
                "  {:<44} {:>9}  {}\n",
                name,
                format_duration(*elapsed),
                if *ok { "ok" } else { "FAILED" }
            ));
        }
        out.push_str(&format!(
            "  {:<44} {:>9}\n",
            "total",
            format_duration(total)
        ));
        out
    }
}

/// `1m05s`, `12.3s`
#[must_use]
pub fn format_duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 60.0 {
        format!("{}m{:02}s", (secs / 60.0).floor(), (secs % 60.0).floor())
    } else {
        format!("{secs:.1}s")
    }
}
