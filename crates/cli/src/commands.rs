//! The commands, as functions from files to output text and an exit code.

use std::fmt::Write as _;
use std::io::Read as _;

use sightline_core::model::dashboard::{format_json, load, DiagnosticKind, Loaded, Severity};

use crate::args::{Command, USAGE};

/// What a command printed and how it ended.
#[derive(Debug, Default)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: u8,
}

/// Runs a command.
pub fn run(command: &Command) -> Outcome {
    match command {
        Command::Help => Outcome {
            stdout: USAGE.to_owned(),
            ..Outcome::default()
        },
        Command::Version => Outcome {
            stdout: format!("sightline {}\n", env!("CARGO_PKG_VERSION")),
            ..Outcome::default()
        },
        Command::Lint { files } => lint(files),
        Command::Import { file } => import(file),
        Command::Fmt { files, check } => fmt(files, *check),
    }
}

fn read(file: &str) -> Result<String, String> {
    if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|err| format!("-: cannot read standard input: {err}"))?;
        return Ok(text);
    }
    std::fs::read_to_string(file).map_err(|err| format!("{file}: cannot read: {err}"))
}

fn severity(kind: DiagnosticKind, severity: Severity) -> &'static str {
    match (severity, kind) {
        (Severity::Error, _) => "error",
        (Severity::Warning, DiagnosticKind::Compatibility) => "warning[compatibility]",
        (Severity::Warning, DiagnosticKind::Migration) => "warning[migrated]",
        (Severity::Warning, DiagnosticKind::Layout) => "warning[repaired]",
        (Severity::Warning, _) => "warning",
    }
}

fn report(file: &str, loaded: &Loaded, out: &mut String) {
    for d in &loaded.diagnostics {
        let _ = writeln!(out, "{file}: {}: {d}", severity(d.kind, d.severity));
    }
}

fn lint(files: &[String]) -> Outcome {
    let mut outcome = Outcome::default();
    let mut failed = 0;
    for file in files {
        let text = match read(file) {
            Ok(text) => text,
            Err(message) => {
                let _ = writeln!(outcome.stdout, "{message}");
                failed += 1;
                continue;
            }
        };
        let loaded = load(&text);
        report(file, &loaded, &mut outcome.stdout);
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let warnings = loaded.diagnostics.len() - errors;
        let panels = loaded
            .dashboard
            .as_ref()
            .map_or(0, |d| d.all_panels().len());
        let _ = writeln!(
            outcome.stdout,
            "{file}: {} ({errors} error{}, {warnings} warning{}, {panels} panels)",
            if errors > 0 { "FAILED" } else { "ok" },
            plural(errors),
            plural(warnings),
        );
        if errors > 0 {
            failed += 1;
        }
    }
    outcome.code = u8::from(failed > 0);
    outcome
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn import(file: &str) -> Outcome {
    let mut outcome = Outcome::default();
    let text = match read(file) {
        Ok(text) => text,
        Err(message) => {
            outcome.stderr = format!("{message}\n");
            outcome.code = 1;
            return outcome;
        }
    };
    let loaded = load(&text);
    report(file, &loaded, &mut outcome.stderr);
    match loaded.dashboard {
        Some(dashboard) if !loaded.has_errors() => outcome.stdout = dashboard.to_json_pretty(),
        _ => {
            let _ = writeln!(
                outcome.stderr,
                "{file}: not imported: fix the errors above first"
            );
            outcome.code = 1;
        }
    }
    outcome
}

fn fmt(files: &[String], check: bool) -> Outcome {
    let mut outcome = Outcome::default();
    for file in files {
        let text = match read(file) {
            Ok(text) => text,
            Err(message) => {
                let _ = writeln!(outcome.stderr, "{message}");
                outcome.code = 1;
                continue;
            }
        };
        let formatted = match format_json(&text) {
            Ok(formatted) => formatted,
            Err(diagnostic) => {
                let _ = writeln!(outcome.stderr, "{file}: error: {diagnostic}");
                outcome.code = 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if check {
            let _ = writeln!(outcome.stdout, "{file}: not canonically formatted");
            outcome.code = 1;
        } else if let Err(err) = std::fs::write(file, formatted) {
            let _ = writeln!(outcome.stderr, "{file}: cannot write: {err}");
            outcome.code = 1;
        } else {
            let _ = writeln!(outcome.stdout, "{file}: formatted");
        }
    }
    outcome
}
