//! `cargo xtask stack faults up|down|status`: the test mode of the demo stack (issue 10).
//!
//! A second nginx (the faults gateway on [`FAULTS_PORT`], see [`gateway`]) and its own Loki test
//! double on [`LOKI_FAULTS_PORT`], so that broken answers never disturb the shared stack's hosts.
//! They run beside the stack (metrics queries go to its Prometheus) from `target/stack/faults/`,
//! with their own pid files: starting or stopping them never touches the stack's processes.

pub mod gateway;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sightline_testkit::faults::{install_double_rules, Answer, FAULTS};
use sightline_testkit::http;
use sightline_testkit::stack::{url, DEMO_TOKEN, FAULTS_PORT, LOKI_FAULTS_PORT};

use super::procs::{self, Managed, RunDirs};
use super::{release_bin, stack_dir, LOGS_CUTOVER};
use crate::cmd::{command, output, run, Result};

/// `target/stack/faults`
#[must_use]
pub fn faults_dir() -> PathBuf {
    stack_dir().join("faults")
}

fn run_dirs() -> RunDirs {
    RunDirs {
        pids: faults_dir().join("run"),
        logs: faults_dir().join("logs"),
    }
}

fn processes() -> Vec<Managed> {
    let nginx_dir = faults_dir().join("nginx");
    vec![
        Managed {
            name: "loki-faults",
            program: release_bin("loki-double"),
            args: vec![
                "serve".into(),
                "--listen".into(),
                format!("127.0.0.1:{LOKI_FAULTS_PORT}"),
                "--legacy-cutover".into(),
                LOGS_CUTOVER.into(),
                "--dataset".into(),
                "current".into(),
                "--region".into(),
                "us-east".into(),
            ],
        },
        Managed {
            name: "nginx-faults",
            program: PathBuf::from("/usr/sbin/nginx"),
            args: vec![
                "-p".into(),
                nginx_dir.display().to_string(),
                "-c".into(),
                nginx_dir.join("nginx.conf").display().to_string(),
            ],
        },
    ]
}

/// Dispatches `stack faults up|down|status`.
///
/// # Errors
/// The failing step.
pub fn command_line(args: &[String]) -> Result<()> {
    match args.first().map(String::as_str) {
        Some("up") => up(),
        Some("down") => {
            down();
            Ok(())
        }
        Some("status") => {
            print_status();
            Ok(())
        }
        _ => Err("usage: cargo xtask stack faults up|down|status".to_owned()),
    }
}

/// True when both processes run.
#[must_use]
pub fn is_up() -> bool {
    let dirs = run_dirs();
    processes()
        .iter()
        .all(|p| procs::running_pid(&dirs, p.name, &p.program).is_some())
}

/// Starts the faults gateway and its Loki double (a no-op when they run and answer), and
/// (re)installs the double's rules. Needs the stack's Prometheus for pass-through queries.
///
/// # Errors
/// The failing step, with the tail of the failing process' log.
pub fn up() -> Result<()> {
    if is_up() && healthy().is_ok() {
        println!("the faults gateway is already up");
        return install_double_rules(LOKI_FAULTS_PORT, now_ms());
    }
    down();
    run(command("cargo").args(["build", "--release", "-p", "sightline-loki-double"]))?;
    write_configs(&faults_dir())?;
    let dirs = run_dirs();
    for process in processes() {
        let pid = procs::start(&dirs, &process)?;
        println!("started {:<18} pid {pid}", process.name);
    }
    wait_healthy(Duration::from_secs(60))?;
    install_double_rules(LOKI_FAULTS_PORT, now_ms())?;
    print_status();
    Ok(())
}

/// Stops the faults gateway and its double (only the processes this test mode started).
pub fn down() {
    procs::stop_all(&run_dirs(), &processes());
}

/// Prints each process with its pid.
pub fn print_status() {
    procs::print_all(&run_dirs(), &processes());
    println!(
        "faults gateway (test mode): {}  (a query naming sightline_fault_<name> breaks; see crates/testkit/src/faults.rs)",
        url(FAULTS_PORT)
    );
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

fn write_configs(dir: &Path) -> Result<()> {
    let nginx_dir = dir.join("nginx");
    let files = dir.join("files");
    for sub in [nginx_dir.join("logs"), nginx_dir.join("tmp"), files.clone()] {
        std::fs::create_dir_all(&sub)
            .map_err(|e| format!("cannot create {}: {e}", sub.display()))?;
    }
    for fault in &FAULTS {
        if let Answer::File { bytes, .. } = fault.answer {
            let path = files.join(format!("{}.body", fault.name));
            std::fs::write(&path, bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    let conf_path = nginx_dir.join("nginx.conf");
    let conf = gateway::config(&gateway::GatewaySettings {
        prefix: &nginx_dir,
        files: &files,
    });
    std::fs::write(&conf_path, conf)
        .map_err(|e| format!("cannot write {}: {e}", conf_path.display()))?;
    output(
        command("nginx")
            .arg("-t")
            .arg("-p")
            .arg(&nginx_dir)
            .arg("-c")
            .arg(&conf_path),
    )
    .map(|_| ())
    .map_err(|e| format!("the faults gateway's nginx.conf does not pass `nginx -t`: {e}"))
}

fn healthy() -> Result<()> {
    let double = format!("{}/__double/info", url(LOKI_FAULTS_PORT));
    match http::get(&double, &[], Duration::from_secs(3)) {
        Ok(r) if r.status == 200 => {}
        Ok(r) => return Err(format!("{double} answered {}", r.status)),
        Err(e) => return Err(format!("{double}: {e}")),
    }
    let auth = format!("Bearer {DEMO_TOKEN}");
    let gateway = format!("{}/api/v1/query?query=1", url(FAULTS_PORT));
    match http::get(
        &gateway,
        &[("Authorization", &auth)],
        Duration::from_secs(3),
    ) {
        Ok(r) if r.status == 200 => Ok(()),
        Ok(r) => Err(format!("{gateway} answered {}: {}", r.status, r.text())),
        Err(e) => Err(format!("{gateway}: {e}")),
    }
}

fn wait_healthy(timeout: Duration) -> Result<()> {
    procs::wait_until_healthy(
        "the faults gateway (is the stack up?)",
        healthy,
        &run_dirs(),
        &processes(),
        timeout,
        Duration::from_millis(300),
    )
}
