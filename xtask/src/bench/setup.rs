//! What the benchmark needs before it can measure: uPlot from the npm registry, the bench wasm
//! (`bench/wasm`, release profile, `wasm-bindgen --target web`), the app's release build, the
//! local stack, and real `query_range` bodies of about 5 MB and 50 MB recorded from it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sightline_testkit::http;
use sightline_testkit::stack::{global, url, DEMO_TOKEN};

use crate::cmd::{command, root, run, Result};

/// The uPlot release the issue names.
pub const UPLOT_VERSION: &str = "1.6.32";

/// `target/bench/`
#[must_use]
pub fn bench_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root().join("target"), PathBuf::from)
        .join("bench")
}

/// Where the report goes: always the workspace's `target/bench/` (what the issue names), even
/// when builds go to another `CARGO_TARGET_DIR`.
#[must_use]
pub fn report_dir() -> PathBuf {
    root().join("target").join("bench")
}

/// `npm install uplot@1.6.32` into `target/bench/` (skipped when that version is there).
///
/// # Errors
/// When npm is missing or the install fails.
pub fn ensure_uplot() -> Result<PathBuf> {
    let dir = bench_dir();
    let package = dir.join("node_modules").join("uplot");
    let installed = std::fs::read_to_string(package.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned));
    if installed.as_deref() == Some(UPLOT_VERSION) {
        println!(
            "uplot {UPLOT_VERSION}: already installed in {}",
            dir.display()
        );
        return Ok(package.join("dist"));
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(
            &manifest,
            "{\"private\": true, \"description\": \"uPlot for cargo xtask bench\"}\n",
        )
        .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    }
    run(command("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            &format!("uplot@{UPLOT_VERSION}"),
        ])
        .current_dir(&dir))?;
    Ok(package.join("dist"))
}

/// Builds `bench/wasm` for the browser (the app's release profile) and runs wasm-bindgen.
///
/// # Errors
/// A failing build.
pub fn build_bench_wasm() -> Result<PathBuf> {
    run(command("cargo").args([
        "build",
        "-p",
        "sightline-bench",
        "--target",
        "wasm32-unknown-unknown",
        "--release",
    ]))?;
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from);
    let wasm = target
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("sightline_bench.wasm");
    let out = bench_dir().join("wasm");
    run(command("wasm-bindgen")
        .args(["--target", "web", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    Ok(out)
}

/// True when the stack's Global gateway answers a query with the demo token.
#[must_use]
pub fn gateway_answers() -> bool {
    let url = format!("{}/api/v1/query?query=1", gateway());
    http::get(
        &url,
        &[("Authorization", &format!("Bearer {DEMO_TOKEN}"))],
        Duration::from_secs(5),
    )
    .is_ok_and(|r| r.status == 200)
}

/// `http://127.0.0.1:9401`
#[must_use]
pub fn gateway() -> String {
    url(global().port)
}

/// Percent-encodes a form value.
#[must_use]
pub fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `POST /api/v1/query_range` on the gateway; the body.
///
/// # Errors
/// Transport failures and non-200 answers.
pub fn query_range(query: &str, start_s: i64, end_s: i64, step_s: u32) -> Result<Vec<u8>> {
    let form = format!(
        "query={}&start={start_s}&end={end_s}&step={step_s}",
        form_encode(query)
    );
    let response = http::request(
        "POST",
        &format!("{}/api/v1/query_range", gateway()),
        &[
            ("Authorization", &format!("Bearer {DEMO_TOKEN}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(form.as_bytes()),
        Duration::from_secs(120),
    )
    .map_err(|e| format!("query_range {query}: {e}"))?;
    if response.status != 200 {
        return Err(format!(
            "query_range {query}: HTTP {}: {}",
            response.status,
            response.text().chars().take(200).collect::<String>()
        ));
    }
    Ok(response.body)
}

/// The metric query behind each recorded body: DCGM series with their full exporter labels.
const BODY_QUERIES: [(&str, &str, f64); 2] = [
    ("5mb", "DCGM_FI_DEV_GPU_UTIL", 5e6),
    (
        "50mb",
        "{__name__=~\"DCGM_FI_DEV_(GPU_UTIL|GPU_TEMP|POWER_USAGE|FB_USED|SM_CLOCK|MEM_CLOCK)\"}",
        50e6,
    ),
];

/// Records `query_range_5mb.json` and `query_range_50mb.json` from the stack: a one-hour probe
/// gives bytes per hour at a 15 s step, then the range is stretched to the target size (capped
/// at Prometheus' 11,000 points). Returns `(name, bytes)` per body.
///
/// # Errors
/// Failing queries or file writes.
pub fn record_bodies(now_s: i64) -> Result<Vec<(String, usize)>> {
    let dir = bench_dir().join("data");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let step = 15;
    let mut written = Vec::new();
    for (name, query, target_bytes) in BODY_QUERIES {
        let probe = query_range(query, now_s - 3600, now_s, step)?;
        #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
        let seconds = ((3600.0 * target_bytes / probe.len().max(1) as f64) as i64)
            .clamp(3600, 10_999 * i64::from(step));
        let body = query_range(query, now_s - seconds, now_s, step)?;
        let file = dir.join(format!("query_range_{name}.json"));
        std::fs::write(&file, &body)
            .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
        println!(
            "recorded {} ({:.1} MB, {} h at {step} s)",
            file.display(),
            mb(body.len()),
            seconds / 3600
        );
        written.push((name.to_owned(), body.len()));
    }
    Ok(written)
}

#[allow(clippy::cast_precision_loss)]
fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// True when `path` exists.
#[must_use]
pub fn exists(path: &Path) -> bool {
    path.exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_are_percent_encoded() {
        assert_eq!(
            form_encode("{__name__=~\"a|b\"}"),
            "%7B__name__%3D~%22a%7Cb%22%7D"
        );
        assert_eq!(form_encode("up"), "up");
    }
}
