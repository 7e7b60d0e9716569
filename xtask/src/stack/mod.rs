//! `cargo xtask stack up|down|status`: the local stand-in for CoreWeave's observe hosts.
//!
//! Real Prometheus (Debian) with backfilled DCGM-style history and a live exporter, a legacy
//! Prometheus holding only pre-cut-over data, the Loki test double (current, legacy, audit), and
//! real nginx in front of it all checking the bearer token and answering CORS. Everything runs
//! in the background from `target/stack/`; `down` stops exactly the processes in its pid files.

pub mod faults;
pub mod metrics_data;
pub mod nginx;
pub mod procs;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sightline_testkit::http;
use sightline_testkit::stack::{
    url, DEMO_TOKEN, EXPORTER_PORT, HOSTS, LEGACY_PROMETHEUS_PORT, LOKI_AUDIT_PORT,
    LOKI_CURRENT_PORT, LOKI_LEGACY_PORT, LOKI_US_EAST_PORT, LOKI_US_WEST_PORT, PROMETHEUS_PORT,
};

use crate::cmd::{command, format_duration, root, run, Result};
use procs::{Managed, RunDirs};

/// The legacy logs cut-over the demo uses (the seed says only "March 2025").
pub const LOGS_CUTOVER: &str = "2025-03-01T00:00:00Z";

/// `target/stack`
#[must_use]
pub fn stack_dir() -> PathBuf {
    root().join("target").join("stack")
}

fn run_dirs() -> RunDirs {
    RunDirs {
        pids: stack_dir().join("run"),
        logs: stack_dir().join("logs"),
    }
}

/// A release binary of this workspace, where `cargo build --release` put it (`CARGO_TARGET_DIR`
/// when set).
fn release_bin(name: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .filter(|d| !d.is_empty())
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("release")
        .join(name)
}

/// Every managed process, in start order.
fn processes() -> Vec<Managed> {
    let dir = stack_dir();
    let s = |p: &Path| p.display().to_string();
    let loki = |name: &'static str, port: u16, extra: &[&str]| {
        let mut args: Vec<String> = vec![
            "serve".into(),
            "--listen".into(),
            format!("127.0.0.1:{port}"),
            "--legacy-cutover".into(),
            LOGS_CUTOVER.into(),
        ];
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        Managed {
            name,
            program: release_bin("loki-double"),
            args,
        }
    };
    vec![
        Managed {
            name: "exporter",
            program: release_bin("gpu-sim"),
            args: vec![
                "exporter".into(),
                "--listen".into(),
                format!("127.0.0.1:{EXPORTER_PORT}"),
            ],
        },
        Managed {
            name: "prometheus",
            program: PathBuf::from("/usr/bin/prometheus"),
            args: prometheus_args(&dir.join("prometheus"), PROMETHEUS_PORT),
        },
        Managed {
            name: "prometheus-legacy",
            program: PathBuf::from("/usr/bin/prometheus"),
            args: prometheus_args(&dir.join("prometheus-legacy"), LEGACY_PROMETHEUS_PORT),
        },
        // Global: every region's application, platform and audit logs.
        loki("loki-current", LOKI_CURRENT_PORT, &["--dataset", "current"]),
        // Super Regional hosts: their region's application and platform logs.
        loki(
            "loki-us-east",
            LOKI_US_EAST_PORT,
            &["--dataset", "current", "--region", "us-east"],
        ),
        loki(
            "loki-us-west",
            LOKI_US_WEST_PORT,
            &["--dataset", "current", "--region", "us-west"],
        ),
        // observe-audit.us-east: that region's audit logs only.
        loki(
            "loki-audit",
            LOKI_AUDIT_PORT,
            &["--dataset", "audit", "--region", "us-east"],
        ),
        // Legacy: logs before the cut-over, which is older than the two-week retention of the
        // current hosts, so nothing expires there.
        loki(
            "loki-legacy",
            LOKI_LEGACY_PORT,
            &["--dataset", "legacy", "--retention", "0"],
        ),
        Managed {
            name: "nginx",
            program: PathBuf::from("/usr/sbin/nginx"),
            args: vec![
                "-p".into(),
                s(&dir.join("nginx")),
                "-c".into(),
                s(&dir.join("nginx").join("nginx.conf")),
            ],
        },
    ]
}

fn prometheus_args(dir: &Path, port: u16) -> Vec<String> {
    vec![
        format!("--config.file={}", dir.join("prometheus.yml").display()),
        format!("--storage.tsdb.path={}", dir.join("data").display()),
        "--storage.tsdb.retention.time=100y".into(),
        // Backfilled blocks are a day long; do not spend the demo's CPU merging them.
        "--storage.tsdb.max-block-duration=1d".into(),
        format!("--web.listen-address=127.0.0.1:{port}"),
        "--web.enable-lifecycle".into(),
        "--query.max-samples=100000000".into(),
        "--log.level=warn".into(),
    ]
}

/// Dispatches `stack up|down|status`.
///
/// # Errors
/// The failing step.
pub fn command_line(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("up") => up().map(|_| ()),
        Some("down") => {
            down();
            Ok(())
        }
        Some("status") => {
            print_status();
            faults::print_status();
            Ok(())
        }
        Some("restart") => restart(&args[1..]),
        Some("faults") => faults::command_line(&args[1..]),
        _ => Err(
            "usage: cargo xtask stack up|down|status|restart [NAME…]|faults up|down|status"
                .to_owned(),
        ),
    }
}

/// True when every process runs.
#[must_use]
pub fn is_up() -> bool {
    let dirs = run_dirs();
    processes()
        .iter()
        .all(|p| procs::running_pid(&dirs, p.name, &p.program).is_some())
}

/// Brings the whole stack up (a no-op when it already runs) and waits until it is healthy.
/// Processes that still run keep running; only the missing ones start.
///
/// # Errors
/// The failing step, with the tail of the failing process' log.
pub fn up() -> Result<Duration> {
    let started = Instant::now();
    if is_up() && healthy().is_ok() {
        println!("the stack is already up");
        print_status();
        return Ok(started.elapsed());
    }
    run(command("cargo").args([
        "build",
        "--release",
        "-p",
        "sightline-gpu-sim",
        "-p",
        "sightline-loki-double",
    ]))?;
    let dir = stack_dir();
    let dist = crate::build::dist_dir();
    if !dist.join("index.html").exists() {
        return Err("dist/ has no build of the app: run `cargo xtask build` first".to_owned());
    }
    write_configs(&dir, &dist)?;
    let dirs = run_dirs();
    let prometheus_running = processes()
        .iter()
        .filter(|p| p.name.starts_with("prometheus"))
        .any(|p| procs::running_pid(&dirs, p.name, &p.program).is_some());
    if prometheus_running {
        println!("Prometheus is running: its data stays as it is");
    } else {
        prepare_metrics(&dir)?;
    }
    for process in processes() {
        let pid = procs::start(&dirs, &process)?;
        println!("{:<18} pid {pid}", process.name);
    }
    let wait_started = Instant::now();
    wait_healthy(Duration::from_secs(180))?;
    println!(
        "stack healthy {} after start",
        format_duration(wait_started.elapsed())
    );
    print_status();
    Ok(started.elapsed())
}

/// Generates (or takes from the cache) the metrics history and fills both Prometheus data
/// directories.
fn prepare_metrics(dir: &Path) -> Result<()> {
    let data_started = Instant::now();
    let scratch = dir.join("scratch");
    let gpu_sim = release_bin("gpu-sim");
    let mut main_blocks =
        metrics_data::ensure_blocks(&gpu_sim, &metrics_data::main_spans(now_ms()), &scratch)?;
    let legacy_blocks =
        metrics_data::ensure_blocks(&gpu_sim, &metrics_data::legacy_spans(), &scratch)?;
    // Today last, with "now" read now, so that Prometheus starts right after the history ends.
    let today = metrics_data::today_span(now_ms());
    main_blocks.extend(metrics_data::ensure_blocks(&gpu_sim, &[today], &scratch)?);
    metrics_data::assemble_data_dir(&dir.join("prometheus").join("data"), &main_blocks)?;
    metrics_data::assemble_data_dir(&dir.join("prometheus-legacy").join("data"), &legacy_blocks)?;
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "metrics history ready in {}",
        format_duration(data_started.elapsed())
    );
    Ok(())
}

/// Stops the named processes (every one when `names` is empty) and brings the stack up again,
/// e.g. after rebuilding a stack binary.
///
/// # Errors
/// As [`up`].
pub fn restart(names: &[String]) -> Result<()> {
    let dirs = run_dirs();
    for process in processes() {
        if (names.is_empty() || names.iter().any(|n| n == process.name))
            && procs::stop(&dirs, process.name, &process.program)
        {
            println!("stopped {}", process.name);
        }
    }
    up().map(|_| ())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

fn write_configs(dir: &Path, dist: &Path) -> Result<()> {
    let write = |path: PathBuf, text: &str| -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(
        dir.join("prometheus").join("prometheus.yml"),
        &format!(
            "# Generated by cargo xtask stack up.\nglobal:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nrule_files:\n  - rules.yml\nscrape_configs:\n  - job_name: dcgm-exporter\n    honor_labels: true\n    static_configs:\n      - targets: ['127.0.0.1:{EXPORTER_PORT}']\n  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:{PROMETHEUS_PORT}']\n"
        ),
    )?;
    write(dir.join("prometheus").join("rules.yml"), RULES)?;
    write(
        dir.join("prometheus-legacy").join("prometheus.yml"),
        "# Generated by cargo xtask stack up. The legacy host only serves old, backfilled data.\nglobal:\n  scrape_interval: 1m\nscrape_configs: []\n",
    )?;
    let csp = std::fs::read_to_string(dist.join("csp-header.txt"))
        .unwrap_or_else(|_| "default-src 'self'".to_owned());
    let nginx_dir = dir.join("nginx");
    for sub in ["logs", "tmp"] {
        std::fs::create_dir_all(nginx_dir.join(sub)).map_err(|e| e.to_string())?;
    }
    let conf = nginx::config(&nginx::NginxSettings {
        prefix: &nginx_dir,
        dist,
        csp_header: csp.trim(),
    });
    write(nginx_dir.join("nginx.conf"), &conf)?;
    crate::cmd::output(
        command("nginx")
            .arg("-t")
            .arg("-p")
            .arg(&nginx_dir)
            .arg("-c")
            .arg(nginx_dir.join("nginx.conf")),
    )
    .map(|_| ())
    .map_err(|e| format!("the generated nginx.conf does not pass `nginx -t`: {e}"))
}

/// Recording and alerting rules, so `/api/v1/rules` has something real to list.
const RULES: &str = r#"groups:
  - name: gpu-fleet
    rules:
      - record: cluster:dcgm_gpu_utilization:avg
        expr: avg by (cluster) (DCGM_FI_DEV_GPU_UTIL)
      - alert: GpuTooHot
        expr: DCGM_FI_DEV_GPU_TEMP > 85
        for: 5m
        labels: {severity: warning}
        annotations:
          summary: "GPU {{ $labels.gpu }} on {{ $labels.Hostname }} runs at {{ $value }} °C"
      - alert: GpuXidErrors
        expr: DCGM_FI_DEV_XID_ERRORS > 0
        labels: {severity: critical}
        annotations:
          summary: "XID {{ $value }} on {{ $labels.Hostname }} GPU {{ $labels.gpu }}"
"#;

/// Checks one thing per component.
fn healthy() -> Result<()> {
    let check = |name: &str, target: String, headers: &[(&str, &str)]| -> Result<()> {
        match http::get(&target, headers, Duration::from_secs(3)) {
            Ok(r) if r.status == 200 => Ok(()),
            Ok(r) => Err(format!("{name}: {target} answered {}", r.status)),
            Err(e) => Err(format!("{name}: {target}: {e}")),
        }
    };
    let auth = format!("Bearer {DEMO_TOKEN}");
    check(
        "prometheus",
        format!("{}/-/ready", url(PROMETHEUS_PORT)),
        &[],
    )?;
    check(
        "prometheus-legacy",
        format!("{}/-/ready", url(LEGACY_PROMETHEUS_PORT)),
        &[],
    )?;
    check("exporter", format!("{}/metrics", url(EXPORTER_PORT)), &[])?;
    for port in [
        LOKI_CURRENT_PORT,
        LOKI_US_EAST_PORT,
        LOKI_US_WEST_PORT,
        LOKI_LEGACY_PORT,
        LOKI_AUDIT_PORT,
    ] {
        check(
            "loki test double",
            format!("{}/loki/api/v1/labels", url(port)),
            &[],
        )?;
    }
    check(
        "gateway",
        format!("{}/api/v1/query?query=1", url(HOSTS[0].port)),
        &[("Authorization", &auth)],
    )?;
    check("app", sightline_testkit::stack::app_url(), &[])
}

fn wait_healthy(timeout: Duration) -> Result<()> {
    procs::wait_until_healthy(
        "the stack",
        healthy,
        &run_dirs(),
        &processes(),
        timeout,
        Duration::from_millis(500),
    )
}

/// Stops every process this stack started (the faults gateway of the test mode too).
pub fn down() {
    faults::down();
    procs::stop_all(&run_dirs(), &processes());
}

/// Prints each process with its pid, and the emulated hosts.
pub fn print_status() {
    procs::print_all(&run_dirs(), &processes());
    println!("emulated hosts (token: {DEMO_TOKEN}):");
    for host in HOSTS {
        println!("  {:<40} {}", host.stands_in_for, url(host.port));
    }
    println!("app: {}", sightline_testkit::stack::app_url());
}
