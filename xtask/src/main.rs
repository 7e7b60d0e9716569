//! `cargo xtask`: the project's commands, in Rust so they run wherever cargo does.
//!
//! - `setup`   install what is missing (skips what is installed at the right version)
//! - `build`   release build of the app into `dist/` (Trunk, wasm-opt, CSP post-processing)
//! - `demo`    setup + build + the local observe stack; serves the app at http://127.0.0.1:8080
//! - `test`    every check and test (what CI runs)
//! - `stack up|down|status`   the local stand-in for CoreWeave's observe hosts
//! - `stack faults up|down|status`   its test mode: the faults gateway (broken answers on demand)
//! - `e2e`     only the end-to-end browser tests (needs `build` and `stack up`)
//! - `bench`   Sightline side by side with uPlot, `JSON.parse` and Grafana's figures
//!   (writes `target/bench/report.md` and `report.json`)
//! - `fuzz`    only the fuzz targets of `fuzz/`, each for a bounded time

mod bench;
mod build;
mod bundle;
mod chromedriver;
mod cmd;
mod csp;
mod security;
mod stack;
mod suite;
mod tools;

use std::process::ExitCode;

use sightline_testkit::stack::{app_url, DEMO_TOKEN};

const USAGE: &str = "usage: cargo xtask <command>

  demo                 install what is missing, build the app, start the local observe stack,
                       and serve the app at http://127.0.0.1:8080 (prints the demo token)
  test                 every check: fmt, clippy, native tests, browser tests, end-to-end tests
  setup                install what is missing (Debian packages, wasm32 target, trunk,
                       wasm-bindgen-cli, wasm-opt); skips what is there at the right version
  build                release build of the app into dist/
  stack up|down|status the local observe stack (Prometheus, Loki test double, nginx gateway)
  stack restart [NAME…] restart stack processes (all, or e.g. loki-current nginx)
  e2e [ARGS]           only the end-to-end tests (after `build` and `stack up`); ARGS go to
                       cargo test, e.g. `--test dashboards -- the_url`
  bench [OPTIONS]      measure Sightline against uPlot, JSON.parse and Grafana's figures in
                       headless Chromium; writes target/bench/report.md and report.json
                       (--runs N, --refreshes N, --only size,page,dashboard,cold-start,memory,native,
                       --skip-build)
  stack faults up|down|status
                       test mode: the faults gateway on :9408 (broken answers on demand)
  fuzz [SECONDS]       only the fuzz targets of fuzz/ (cargo-fuzz), each for SECONDS (20)";

fn demo() -> cmd::Result<()> {
    tools::ensure_all()?;
    build::release()?;
    stack::up()?;
    println!(
        "\nSightline is running at {}\n\nSign in with the profile \"Local demo stack\" and the token:\n\n    {DEMO_TOKEN}\n\nStop everything with `cargo xtask stack down`.",
        app_url()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::ensure_all(),
        Some("build") => tools::ensure_all().and_then(|()| build::release()),
        Some("demo") => demo(),
        Some("test") => suite::run_all(),
        Some("stack") => stack::command_line(&args[1..]),
        Some("e2e") => suite::run_e2e_with(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("fuzz") => match args.get(1).map(|s| s.parse::<u32>()) {
            None => security::fuzz(security::SUITE_FUZZ_SECONDS),
            Some(Ok(seconds)) => security::fuzz(seconds),
            Some(Err(_)) => Err(USAGE.to_owned()),
        },
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
