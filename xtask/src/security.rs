//! The security phases of `cargo xtask test` (issue 10): the dependency policy (`cargo deny`,
//! offline) and bounded fuzzing of the parsers (`cargo fuzz`, `fuzz/`).
//!
//! `cargo xtask fuzz [SECONDS]` runs the fuzzing alone, each target for SECONDS (default 20).

use std::path::PathBuf;

use crate::cmd::{command, root, run, Result};
use crate::tools;

/// Each fuzz target of `fuzz/` and the directories that seed its corpus (read only).
pub const FUZZ_TARGETS: [(&str, &str); 6] = [
    ("dashboard_load", "crates/core/tests/fixtures/dashboards"),
    ("time_expr", "fuzz/seeds/time_expr"),
    ("interpolate", "fuzz/seeds/interpolate"),
    (
        "prometheus_decode",
        "crates/core/tests/fixtures/api/prometheus",
    ),
    ("loki_decode", "crates/core/tests/fixtures/api/loki"),
    ("markdown", "fuzz/seeds/markdown"),
];

/// Seconds each target runs in `cargo xtask test`: six targets stay near two minutes.
pub const SUITE_FUZZ_SECONDS: u32 = 20;

/// `cargo deny` on the licenses, bans and sources of `deny.toml`, offline. Advisories are not
/// checked: the RustSec database is a GitHub repository, out of reach of these machines.
///
/// # Errors
/// A policy violation (or cargo-deny cannot be installed).
pub fn dependency_policy() -> Result<()> {
    tools::ensure_cargo_deny()?;
    println!(
        "note: advisories (RustSec) need the network and are not checked here; run `cargo deny check advisories` where GitHub is reachable"
    );
    run(command("cargo").args([
        "deny",
        "--offline",
        "--workspace",
        "check",
        "licenses",
        "bans",
        "sources",
    ]))
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| root().join("target"), PathBuf::from)
}

/// Builds the fuzz targets and runs each for `seconds`, with the corpora kept in the target
/// directory between runs. When this toolchain cannot build fuzz targets (cargo-fuzz needs
/// nightly flags, enabled here with `RUSTC_BOOTSTRAP=1`), says why and skips.
///
/// # Errors
/// A crash, panic, timeout or out-of-memory found by a target (with the input that caused it).
pub fn fuzz(seconds: u32) -> Result<()> {
    if let Err(reason) = tools::ensure_cargo_fuzz() {
        println!("SKIPPED fuzzing: cargo-fuzz is not available ({reason})");
        return Ok(());
    }
    let build_dir = target_dir().join("fuzz");
    let build_dir_text = build_dir.display().to_string();
    let fuzz_command = |args: &[&str]| {
        let mut c = command("cargo");
        c.arg("fuzz")
            .args(args)
            .args(["--fuzz-dir", "fuzz", "-O", "--debug-assertions"])
            .args(["--target-dir", &build_dir_text])
            .env("RUSTC_BOOTSTRAP", "1");
        c
    };
    let built = fuzz_command(&["build"])
        .output()
        .map_err(|e| format!("cannot run cargo fuzz: {e}"))?;
    if !built.status.success() {
        let stderr = String::from_utf8_lossy(&built.stderr);
        let toolchain = ["-Z", "nightly", "sanitizer", "unstable", "RUSTC_BOOTSTRAP"]
            .iter()
            .any(|hint| stderr.contains(hint))
            && !stderr.contains("error[E");
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        if toolchain {
            println!(
                "SKIPPED fuzzing: this toolchain cannot build fuzz targets:\n{}",
                tail.join("\n")
            );
            return Ok(());
        }
        return Err(format!(
            "the fuzz targets do not build:\n{}",
            tail.join("\n")
        ));
    }
    for (target, seeds) in FUZZ_TARGETS {
        let corpus = target_dir().join("fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus)
            .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
        let corpus_text = corpus.display().to_string();
        let max_time = format!("-max_total_time={seconds}");
        let result = run(fuzz_command(&["run", target]).args([
            corpus_text.as_str(),
            seeds,
            "--",
            max_time.as_str(),
            "-rss_limit_mb=2048",
            "-timeout=10",
            "-max_len=65536",
            "-print_final_stats=1",
        ]));
        if let Err(e) = result {
            return Err(format!(
                "fuzz target {target} found a failing input (saved under fuzz/artifacts/{target}/; \
                 reproduce with `RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz -O --debug-assertions {target} <file>`): {e}"
            ));
        }
    }
    Ok(())
}
