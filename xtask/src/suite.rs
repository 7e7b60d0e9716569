//! `cargo xtask test`: every check the project has, in order, each timed: formatting, clippy
//! (native and wasm32), the dependency policy (cargo deny), native tests, bounded fuzzing,
//! browser tests (wasm-bindgen-test in headless Chromium), the release build, and the
//! end-to-end tests against the local stack and its faults gateway (test mode).

use std::time::Duration;

use crate::cmd::{command, run, Phases, Result};
use crate::{build, chromedriver, security, stack, tools};

/// Runs the whole suite; prints the phase timings and a summary line either way.
///
/// # Errors
/// The first failing phase.
pub fn run_all() -> Result<()> {
    let mut phases = Phases::default();
    let result = run_phases(&mut phases);
    println!("{}", phases.summary());
    match &result {
        Ok(()) => println!("cargo xtask test: PASSED (every phase ok)"),
        Err(e) => println!("cargo xtask test: FAILED: {e}"),
    }
    result
}

fn run_phases(phases: &mut Phases) -> Result<()> {
    phases.run("setup (skips what is installed)", tools::ensure_all)?;
    phases.run("cargo fmt --check", || {
        run(command("cargo").args(["fmt", "--all", "--", "--check"]))
    })?;
    phases.run("clippy (native)", || {
        run(command("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    phases.run("clippy (wasm32)", || {
        run(command("cargo").args([
            "clippy",
            "-p",
            "sightline",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        // The core's own tests use native-only dev-dependencies; its library must build for
        // the browser.
        run(command("cargo").args([
            "clippy",
            "-p",
            "sightline-core",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    phases.run(
        "dependency policy (cargo deny: licenses, bans, sources; offline)",
        security::dependency_policy,
    )?;
    phases.run("native tests", || {
        run(command("cargo").args(["test", "--workspace", "--exclude", "sightline-e2e"]))
    })?;
    phases.run(
        &format!(
            "fuzzing ({} targets x {} s, cargo fuzz)",
            security::FUZZ_TARGETS.len(),
            security::SUITE_FUZZ_SECONDS
        ),
        || security::fuzz(security::SUITE_FUZZ_SECONDS),
    )?;
    phases.run(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        || {
            run(command("cargo")
                .args([
                    "test",
                    "-p",
                    "sightline",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env("CHROMEDRIVER", "/usr/bin/chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
        },
    )?;
    phases.run(
        "release build (trunk, wasm-split, wasm-bindgen, wasm-opt, CSP)",
        build::release,
    )?;
    let was_up = stack::is_up();
    phases.run("stack up", || stack::up().map(|_| ()))?;
    let faults_were_up = stack::faults::is_up();
    let e2e = phases
        .run("faults gateway up (test mode)", stack::faults::up)
        .and_then(|()| phases.run("end-to-end tests (WebDriver, headless Chromium)", run_e2e));
    if !faults_were_up {
        stack::faults::down();
    }
    if !was_up {
        stack::down();
    }
    e2e
}

/// Runs the end-to-end tests against a running stack and a built app.
///
/// # Errors
/// Failing tests.
pub fn run_e2e() -> Result<()> {
    run_e2e_with(&[])
}

/// Runs the end-to-end tests; `filter` is passed to cargo test (`--test dashboards`, a name…).
///
/// # Errors
/// Failing tests.
pub fn run_e2e_with(filter: &[String]) -> Result<()> {
    // The security tests need the stack's test mode; start it when missing (cheap when up).
    if !stack::faults::is_up() {
        if let Err(e) = stack::faults::up() {
            println!("note: the faults gateway (test mode) did not start: {e}");
        }
    }
    let driver = chromedriver::Chromedriver::start(Duration::from_secs(20))?;
    let (cargo_args, test_args): (Vec<&String>, Vec<&String>) = {
        let split = filter
            .iter()
            .position(|a| a == "--")
            .unwrap_or(filter.len());
        (
            filter[..split].iter().collect(),
            filter[split.min(filter.len())..].iter().skip(1).collect(),
        )
    };
    let result = run(command("cargo")
        .args(["test", "-p", "sightline-e2e"])
        .args(cargo_args)
        .args(["--", "--test-threads=1"])
        .args(test_args)
        .env("SIGHTLINE_WEBDRIVER", driver.url()));
    drop(driver);
    result
}
