//! The release build: Trunk (with wasm-opt), then the CSP post-processing of `dist/`.

use std::path::{Path, PathBuf};

use crate::cmd::{command, root, run, Result};
use crate::csp;

/// Where the built app goes.
#[must_use]
pub fn dist_dir() -> PathBuf {
    root().join("dist")
}

/// Builds the release app into `dist/` and applies the CSP post-processing.
///
/// # Errors
/// A failing Trunk build or an unexpected `index.html`.
pub fn release() -> Result<()> {
    run(command("trunk").args(["build", "--release", "--offline"]))?;
    postprocess(&dist_dir())?;
    report_sizes(&dist_dir());
    Ok(())
}

/// Moves Trunk's inline loader into `sightline-loader-<hash>.js` and writes the CSP `<meta>`.
///
/// # Errors
/// When `index.html` or `config.json` cannot be read or has an unexpected shape.
pub fn postprocess(dist: &Path) -> Result<()> {
    let index_path = dist.join("index.html");
    let html = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let html = if html.contains("<script type=module>") || html.contains("<script type=\"module\">")
    {
        // The file name depends on the script, so the probe name is replaced after hashing.
        let (_, script) = csp::externalise_loader(&html, "")
            .ok_or_else(|| "Trunk's inline loader script was not found".to_owned())?;
        let name = format!("sightline-loader-{}.js", csp::short_hash(script.as_bytes()));
        std::fs::write(dist.join(&name), &script)
            .map_err(|e| format!("cannot write {name}: {e}"))?;
        csp::externalise_loader(&html, &format!("/{name}"))
            .map(|(h, _)| h)
            .ok_or_else(|| "Trunk's inline loader script was not found".to_owned())?
    } else {
        html
    };
    let config_text = std::fs::read_to_string(dist.join("config.json"))
        .map_err(|e| format!("cannot read dist/config.json: {e}"))?;
    let config: serde_json::Value = serde_json::from_str(&config_text)
        .map_err(|e| format!("dist/config.json is not JSON: {e}"))?;
    let origins = csp::config_origins(&config);
    let html = if html.contains("Content-Security-Policy") {
        html
    } else {
        csp::insert_policy_meta(&html, &csp::policy(&origins, true))
    };
    std::fs::write(&index_path, html).map_err(|e| format!("cannot write index.html: {e}"))?;
    std::fs::write(dist.join("csp-header.txt"), csp::policy(&origins, false))
        .map_err(|e| format!("cannot write csp-header.txt: {e}"))
}

/// Prints each file's size and its gzip size (what the first page load transfers).
pub fn report_sizes(dist: &Path) {
    let Ok(entries) = std::fs::read_dir(dist) else {
        return;
    };
    let mut total = 0u64;
    let mut total_gz = 0u64;
    let mut rows = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        let is_asset = [".html", ".js", ".wasm", ".css"]
            .iter()
            .any(|ext| name.ends_with(ext));
        if !is_asset || !path.is_file() {
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let gz = gzip_size(&path).unwrap_or(0);
        total += size;
        total_gz += gz;
        rows.push(format!("  {name:<56} {size:>9} B  {gz:>8} B gzip"));
    }
    rows.sort();
    println!(
        "dist/ assets:\n{}\n  {:<56} {total:>9} B  {total_gz:>8} B gzip",
        rows.join("\n"),
        "total"
    );
}

/// Size of `path` after `gzip -9`, using the system gzip.
#[must_use]
pub fn gzip_size(path: &Path) -> Option<u64> {
    let out = std::process::Command::new("gzip")
        .args(["-9", "-c"])
        .arg(path)
        .output()
        .ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}
