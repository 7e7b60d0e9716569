//! The `sightline` binary end to end: exit codes and what it prints.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../core/tests/fixtures/dashboards")
        .join(name)
}

fn sightline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sightline"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A scratch file under the target directory, removed at the end of the test.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str, contents: &str) -> Self {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let path = dir.join(format!("{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        Scratch(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The DCGM dashboard with a few values of the wrong type.
fn broken_dcgm() -> String {
    let text = std::fs::read_to_string(fixture("dcgm-exporter-dashboard.json")).unwrap();
    text.replacen("\"w\": 18,", "\"w\": \"wide\",", 1)
        .replacen("\"title\": \"GPU Power Usage\"", "\"title\": 42", 1)
        .replacen("\"multi\": true", "\"multi\": \"yes\"", 1)
}

#[test]
fn lint_passes_real_dashboards_with_warnings_only() {
    let files: Vec<String> = [
        "dcgm-exporter-dashboard.json",
        "grafanalib-rows.json",
        "grafanalib-panels.json",
        "foundation-gpu.json",
        "foundation-unsupported.json",
    ]
    .iter()
    .map(|f| fixture(f).to_string_lossy().into_owned())
    .collect();
    // A panel type Sightline does not draw is a warning, not an error.
    let unsupported = Scratch::new(
        "node-graph.json",
        r#"{"title": "Topology", "panels": [{"id": 1, "type": "nodeGraph", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}}]}"#,
    );
    let args: Vec<&str> = std::iter::once("lint")
        .chain(files.iter().map(String::as_str))
        .chain(std::iter::once(unsupported.path()))
        .collect();
    let out = sightline(&args);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("warning[migrated]: panels[0]: legacy graph panel opened as timeseries (line 50, col 5)"), "{stdout}");
    assert!(
        stdout.contains(
            "warning[compatibility]: panels[0].type: panel type \"nodeGraph\" is not rendered"
        ),
        "{stdout}"
    );
    assert_eq!(stdout.matches(": ok (0 errors").count(), 6, "{stdout}");
}

#[test]
fn lint_prints_every_problem_with_its_position_and_fails() {
    let broken = Scratch::new("broken.json", &broken_dcgm());
    let out = sightline(&["lint", broken.path()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 3, "{stdout}");
    assert!(
        errors[0].ends_with(
            "error: panels[0].gridPos.w: expected a whole number, found \"wide\" (line 60, col 14)"
        ),
        "{}",
        errors[0]
    );
    assert!(
        errors[1]
            .ends_with("error: panels[2].title: expected a string, found 42 (line 256, col 16)"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2]
            .contains("templating.list[1].multi: expected true or false, found \"yes\" (line "),
        "{}",
        errors[2]
    );
    assert!(stdout.contains("FAILED (3 errors"), "{stdout}");
}

#[test]
fn lint_reports_a_syntax_error_position() {
    let bad = Scratch::new("syntax.json", "{\n  \"title\": \"x\",\n  \"panels\": [}\n");
    let out = sightline(&["lint", bad.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout)
            .contains("error: (root): expected a JSON value, found '}' (line 3, col 14)"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn import_prints_a_normalised_dashboard_that_lints_clean() {
    let out = sightline(&[
        "import",
        fixture("dcgm-exporter-dashboard.json").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let imported = text(&out.stdout);
    assert!(imported.contains("\"type\": \"timeseries\""));
    assert!(!imported.contains("\"type\": \"graph\""));
    let again = Scratch::new("imported.json", &imported);
    let out = sightline(&["import", again.path()]);
    assert_eq!(text(&out.stdout), imported, "import is idempotent");
}

#[test]
fn import_refuses_a_broken_file() {
    let broken = Scratch::new("broken-import.json", &broken_dcgm());
    let out = sightline(&["import", broken.path()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("not imported"));
}

#[test]
fn fmt_rewrites_to_canonical_form_and_check_reports_it() {
    let file = Scratch::new("fmt.json", "{\"title\":\"x\",  \"panels\":[]}");
    let check = sightline(&["fmt", "--check", file.path()]);
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stdout).contains("not canonically formatted"));
    assert_eq!(sightline(&["fmt", file.path()]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file.0).unwrap(),
        "{\n  \"title\": \"x\",\n  \"panels\": []\n}\n"
    );
    assert_eq!(
        sightline(&["fmt", "--check", file.path()]).status.code(),
        Some(0)
    );
}

#[test]
fn usage_errors_exit_2() {
    let out = sightline(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("Usage:"));
}
