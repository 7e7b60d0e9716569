//! `cargo xtask bench`: measures Sightline side by side with its references (uPlot 1.6.32,
//! `JSON.parse`, plain DOM rows, Grafana's published bundle size) in the same headless Chromium
//! run, and writes `target/bench/report.md` and `target/bench/report.json`.
//!
//! It sets up what it needs (uPlot from the npm registry, the bench wasm, the app's release
//! build, the local stack when its gateway does not answer, real response bodies), serves
//! everything from one dev origin the gateway answers CORS for, and reports medians of several
//! runs as ratios to references measured in the same run. It reports; it never fails on a
//! missed target.
//!
//! ```text
//! cargo xtask bench [--runs N] [--refreshes N] [--only size,page,dashboard,cold-start,memory,native] [--skip-build]
//! ```

mod app;
mod cpu;
mod dashboard;
mod driver;
mod memory;
mod native;
mod page;
mod report;
mod server;
mod setup;

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::cmd::{root, Phases, Result};
use crate::{build, stack, tools};
use report::Figure;

/// Memory runs (each opens the GPU overview afresh and refreshes it 200 times, about 40 s).
const MEMORY_RUNS: u32 = 3;

/// The dev origin the bench serves from (the gateway answers CORS for 8081–8089).
const DEFAULT_PORT: u16 = 8084;

/// Parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    runs: u32,
    refreshes: u32,
    only: Option<Vec<String>>,
    skip_build: bool,
    port: u16,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            runs: 7,
            refreshes: 200,
            only: None,
            skip_build: false,
            port: std::env::var("SIGHTLINE_BENCH_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(DEFAULT_PORT),
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--runs" => {
                    options.runs = value("--runs")?
                        .parse()
                        .map_err(|_| "--runs takes a number".to_owned())?;
                }
                "--refreshes" => {
                    options.refreshes = value("--refreshes")?
                        .parse()
                        .map_err(|_| "--refreshes takes a number".to_owned())?;
                }
                "--only" => {
                    options.only = Some(
                        value("--only")?
                            .split(',')
                            .map(|s| s.trim().to_owned())
                            .collect(),
                    );
                }
                "--skip-build" => options.skip_build = true,
                other => return Err(format!("unknown bench option {other}")),
            }
        }
        options.runs = options.runs.max(1);
        Ok(options)
    }

    fn wants(&self, group: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|g| g == group))
    }
}

/// Runs the benchmark and writes the report.
///
/// # Errors
/// Setup failures (a build, npm, the stack); a figure that cannot be measured is reported as
/// blocked instead.
pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let started = Instant::now();
    let mut phases = Phases::default();
    let figures = measure(&options, &mut phases);
    println!("{}", phases.summary());
    let figures = figures?;
    let took = started.elapsed();
    write_report(&figures, &options, took.as_secs_f64())
}

fn measure(options: &Options, phases: &mut Phases) -> Result<Vec<Figure>> {
    let needs_browser = ["page", "dashboard", "cold-start", "memory"]
        .iter()
        .any(|g| options.wants(g));
    let needs_app = needs_browser || options.wants("size");
    phases.run("setup (skips what is installed)", tools::ensure_all)?;
    if needs_app && !options.skip_build {
        phases.run("release build of the app", build::release)?;
    }
    let mut figures = Vec::new();
    if options.wants("size") {
        figures.push(native::size_figure(&build::dist_dir()));
    }
    if needs_browser {
        let uplot = phases.run("uPlot from npm", setup::ensure_uplot)?;
        let wasm = if options.skip_build && setup::exists(&setup::bench_dir().join("wasm")) {
            setup::bench_dir().join("wasm")
        } else {
            phases.run("bench wasm (bench/wasm, release)", setup::build_bench_wasm)?
        };
        phases.run("local stack", || {
            if setup::gateway_answers() {
                println!("the stack's gateway answers at {}", setup::gateway());
                Ok(())
            } else {
                stack::up().map(|_| ())
            }
        })?;
        if options.wants("page") {
            phases.run("record query_range bodies from the stack", || {
                setup::record_bodies(now_s()).map(|_| ())
            })?;
        }
        let routes = server::Routes {
            mounts: vec![
                ("/bench/".to_owned(), root().join("bench")),
                ("/style/".to_owned(), root().join("style")),
                ("/uplot/".to_owned(), uplot),
                ("/wasm/".to_owned(), wasm),
                ("/data/".to_owned(), setup::bench_dir().join("data")),
            ],
            app: build::dist_dir(),
        };
        server::start(options.port, routes)?;
        let base = sightline_testkit::stack::url(options.port);
        let chromedriver = driver::Driver::start()?;
        if options.wants("page") {
            let found = phases.run("bench page figures", || {
                let browser = chromedriver.browser(1400, 900)?;
                let found = page::figures(&browser, &base, options.runs);
                browser.quit();
                Ok(found)
            })?;
            figures.extend(found);
        }
        let app_groups = ["dashboard", "cold-start", "memory"];
        if app_groups.iter().any(|g| options.wants(g)) {
            let found = phases.run("app figures (release build, local stack)", || {
                app_figures(&chromedriver, &base, options)
            })?;
            figures.extend(found);
        }
    }
    if options.wants("native") {
        figures.extend(phases.run("native micro-benchmarks", || Ok(native::figures()))?);
    }
    Ok(figures)
}

fn app_figures(
    chromedriver: &driver::Driver,
    base: &str,
    options: &Options,
) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    let browser = chromedriver.browser(1400, 900)?;
    app::sign_in(&browser, base)?;
    if options.wants("cold-start") {
        out.push(app::cold_start_figure(&browser, base, options.runs));
    }
    // Tall enough that every panel is in view (panels load when they scroll into view).
    browser
        .set_window_size(1400, 3200)
        .map_err(|e| e.to_string())?;
    if options.wants("dashboard") {
        // Page loads against a live Prometheus on two shared cores vary by ±15 %: three times
        // the other figures' runs, 21 loads of each kind by default. With 11 the ratio of the two
        // medians moved by ±0.05 between runs of the same build, with 21 by about ±0.03.
        out.extend(app::dashboard_figures(
            &browser,
            base,
            options.runs.saturating_mul(3).max(5),
        ));
    }
    if options.wants("memory") {
        out.push(memory::memory_figure(
            &browser,
            base,
            options.refreshes,
            MEMORY_RUNS,
        ));
    }
    browser.quit();
    Ok(out)
}

fn now_s() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

fn write_report(figures: &[Figure], options: &Options, seconds: f64) -> Result<()> {
    let dir = setup::report_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let met = figures.iter().filter(|f| f.met() == Some(true)).count();
    let judged = figures.iter().filter(|f| f.met().is_some()).count();
    let header = format!(
        "# Sightline benchmark\n\n`cargo xtask bench` on {} ({} cores), headless Chromium; medians of {} runs \
         (page figures: {} for the redraw and cold 3 × 55,550 render), each reference measured in the same run. \
         {met} of {judged} targets met; the whole run took {:.0} s.\n",
        machine(),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        options.runs,
        options.runs * 2,
        seconds
    );
    let md = report::markdown(figures, &header);
    let json = serde_json::to_string_pretty(&report::json_array(figures))
        .map_err(|e| format!("cannot serialise the report: {e}"))?;
    std::fs::write(dir.join("report.md"), &md)
        .map_err(|e| format!("cannot write report.md: {e}"))?;
    std::fs::write(dir.join("report.json"), json + "\n")
        .map_err(|e| format!("cannot write report.json: {e}"))?;
    println!(
        "\n{md}\nwritten: {0}/report.md, {0}/report.json",
        dir.display()
    );
    Ok(())
}

fn machine() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_owned())
            })
        })
        .unwrap_or_else(|| "this machine".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_default_to_seven_runs_and_every_group() {
        let o = Options::parse(&[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.runs, 7);
        assert_eq!(o.refreshes, 200);
        assert!(o.wants("memory") && o.wants("size"));
    }

    #[test]
    fn only_limits_the_groups_and_unknown_options_are_refused() {
        let args: Vec<String> = ["--only", "size,native", "--runs", "3", "--skip-build"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let o = Options::parse(&args).unwrap_or_else(|e| panic!("{e}"));
        assert!(o.wants("size") && o.wants("native") && !o.wants("page"));
        assert_eq!(o.runs, 3);
        assert!(o.skip_build);
        assert!(Options::parse(&["--fast".to_owned()]).is_err());
    }
}
