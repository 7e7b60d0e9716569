//! The `gpu-sim` binary end to end: help, usage errors, a snapshot, and an exporter process
//! that serves a scrape and exits 0 on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_gpu-sim");

#[test]
fn help_lists_every_command() {
    let output = Command::new(BIN).arg("--help").output();
    let Ok(output) = output else {
        panic!("cannot run {BIN}")
    };
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for word in [
        "history",
        "backfill",
        "exporter",
        "snapshot",
        "--legacy",
        "--cutover-week",
        "--step",
        "--out-dir",
    ] {
        assert!(text.contains(word), "--help does not mention {word}");
    }
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    let output = Command::new(BIN)
        .args(["history", "--from", "yesterday", "--to", "1", "--out", "-"])
        .output();
    let Ok(output) = output else {
        panic!("cannot run {BIN}")
    };
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not a time"));
}

#[test]
fn history_to_stdout_is_openmetrics() {
    let output = Command::new(BIN)
        .args([
            "history",
            "--from",
            "1729468800000",
            "--to",
            "1729468830000",
            "--out",
            "-",
        ])
        .output();
    let Ok(output) = output else {
        panic!("cannot run {BIN}")
    };
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("# HELP DCGM_FI_DEV_GPU_UTIL "));
    assert!(text.ends_with("# EOF\n"));
    assert_eq!(
        text.lines().filter(|l| !l.starts_with('#')).count(),
        2 * 128 * 14
    );
}

#[test]
fn exporter_serves_and_exits_cleanly_on_sigterm() {
    let child = Command::new(BIN)
        .args(["exporter", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        panic!("cannot start the exporter")
    };
    let Some(stderr) = child.stderr.take() else {
        panic!("no stderr")
    };
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default()
        .to_owned();
    let Ok(mut stream) = TcpStream::connect(&addr) else {
        panic!("cannot connect to {addr:?} ({first})")
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    assert!(response.starts_with("HTTP/1.1 200 OK"));
    assert!(response.contains("DCGM_FI_DEV_POWER_USAGE{"));

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(killed.is_ok_and(|s| s.success()));
    let status = child.wait();
    assert!(
        status.is_ok_and(|s| s.success()),
        "the exporter did not exit 0 on SIGTERM"
    );
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
}
